/**
 * Jest runs TypeScript through SWC (no type-check: `npm test` runs `tsc --noEmit` once first).
 *
 * Two suites:
 * - `npm test`, the everyday one: in-process checks only (no external tool, server or network), about a minute on
 *   2 cores. It runs one jest suite per test directory, `<dir>/<dir>.suite.ts`, which gathers the directory's test
 *   files into one module registry (test/support/suite-of-files.ts says why), plus the files with snapshots.
 *   Name test files or a pattern on the command line (`npx jest api-tier`) and jest runs the matching files on
 *   their own instead; JEST_SUITE=files runs every everyday file on its own.
 * - `npm run test:slow` (JEST_SUITE=slow): the external checks. Every `*.slow.test.ts` (cfn-lint, PostgreSQL,
 *   PgBouncer, the load-test gate and the reference service on loopback, the diff-phases CLI path) and the
 *   directories below: installing the packed library into a separate app (it depends on the npm cache or the
 *   registry) and synthesizing through the cdk.json app command; and the property-based tests again, at their full
 *   run counts. CI (.ci/run) runs both.
 */
const SLOW_DIRECTORIES = ['test/consumer/', 'test/bin/'];
const SLOW_FILES = '\\.slow\\.test\\.ts$';
// In both suites: the property-based tests, a fifth of their runs in `npm test`, all of them in `npm run test:slow`.
const FUZZ = 'test/capacity/fuzz\\.test\\.ts$';
// Kept in step with STANDALONE in test/support/suite-of-files.ts (test/suites.test.ts checks it).
const STANDALONE = ['test/phases/phase-stacks\\.test\\.ts$', 'test/k8s/phase-charts\\.test\\.ts$'];

const suite = process.env.JEST_SUITE;
// A path or pattern on the command line (`npx jest api-tier`, `npx jest test/constructs/cdn.test.ts`) selects test
// files, so jest then runs the matching files on their own. (A flag's value, as in `-t name`, counts too: harmless.)
const selectsFiles = process.argv.slice(2).some((arg) => !arg.startsWith('-'));
const selection =
  suite === 'slow'
    ? { testRegex: [SLOW_FILES, FUZZ, ...SLOW_DIRECTORIES.map((dir) => `${dir}.*\\.test\\.ts$`)] }
    : suite === 'files' || selectsFiles
      ? { testRegex: ['\\.test\\.ts$'], testPathIgnorePatterns: ['/node_modules/', SLOW_FILES, ...SLOW_DIRECTORIES] }
      : { testRegex: ['\\.suite\\.ts$', ...STANDALONE] };

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  ...selection,
  // Jest's default on 2 cores is one worker; the suites are CPU-bound and independent, so use both.
  maxWorkers: 2,
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
  // A per-run directory where the first suite to synthesize a model leaves it for the others (test/support/synthesized-phases.ts).
  globalSetup: '<rootDir>/test/support/jest-global-setup.js',
  globalTeardown: '<rootDir>/test/support/jest-global-teardown.js',
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 120000,
};
