/** Jest runs TypeScript through SWC (no type-check: `npm test` runs `tsc --noEmit` once first). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest'] },
  snapshotSerializers: ['<rootDir>/test/support/asset-hash-serializer.js'],
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 120000,
};
