/**
 * Jest runs TypeScript through SWC (no type-check: `npm test` runs `tsc --noEmit` once first).
 *
 * Two suites:
 * - `npm test`, the everyday one: in-process checks only (no external tool, server or network), ~60 s on 2 cores.
 * - `npm run test:slow` (JEST_SUITE=slow): the external checks. Every `*.slow.test.ts` (cfn-lint, PostgreSQL,
 *   PgBouncer, the load-test gate and the reference service on loopback) and the directories below: installing the
 *   packed library into a separate app (it depends on the npm cache or the registry) and synthesizing through the
 *   cdk.json app command; and the property-based tests again, at their full run counts. CI (.ci/run) runs both.
 */
const SLOW_DIRECTORIES = ['<rootDir>/test/consumer/', '<rootDir>/test/bin/'];
// In both suites: the property-based tests, a fifth of their runs in `npm test`, all of them in `npm run test:slow`.
const FUZZ = 'test/capacity/fuzz\\.test\\.ts$';
const SLOW_FILES = '\\.slow\\.test\\.ts$';
const slow = process.env.JEST_SUITE === 'slow';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  ...(slow
    ? { testRegex: [SLOW_FILES, FUZZ, ...SLOW_DIRECTORIES.map((dir) => `${dir.replace('<rootDir>/', '')}.*\\.test\\.ts$`)], testMatch: undefined }
    : { testPathIgnorePatterns: ['/node_modules/', SLOW_FILES, ...SLOW_DIRECTORIES] }),
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
