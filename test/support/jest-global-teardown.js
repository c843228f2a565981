/** Removes the run's synthesis cache (see jest-global-setup.js). */
const fs = require('node:fs');
const { CACHE_DIRECTORY_ENV } = require('./jest-global-setup');

module.exports = async function globalTeardown() {
  const directory = process.env[CACHE_DIRECTORY_ENV];
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
};
