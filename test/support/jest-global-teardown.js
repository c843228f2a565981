/** Removes the run's directory (see jest-global-setup.js), unless CDK_NO_CLEAN_TESTS or KEEP_CONSUMER_TMP asks to keep it. */
const fs = require('node:fs');
const { RUN_DIRECTORY_ENV } = require('./jest-global-setup');

module.exports = async function globalTeardown() {
  const directory = process.env[RUN_DIRECTORY_ENV];
  if (!directory) return;
  if (process.env.CDK_NO_CLEAN_TESTS || process.env.KEEP_CONSUMER_TMP) console.log(`\nkept the test run's files in ${directory}`);
  else fs.rmSync(directory, { recursive: true, force: true });
};
