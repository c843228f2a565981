/**
 * Jest runs TypeScript through SWC (no type-check: `npm test` runs `tsc --noEmit` once first).
 *
 * Two suites: `npm test`, the everyday one, and `npm run test:slow` (JEST_SUITE=slow), the external checks that spawn
 * npm, tsc and the CDK CLI: installing the packed library into a separate app (it depends on the npm cache or the
 * registry) and synthesizing through the cdk.json app command. CI (.ci/run) runs both.
 */
const SLOW_TESTS = ['<rootDir>/test/consumer/', '<rootDir>/test/bin/'];
const slow = process.env.JEST_SUITE === 'slow';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  ...(slow ? { roots: SLOW_TESTS.map((dir) => dir.replace(/\/$/, '')) } : { testPathIgnorePatterns: ['/node_modules/', ...SLOW_TESTS] }),
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 120000,
};
