/**
 * One cache directory per jest run for test/support/synthesized-phases.ts: workers inherit the variable, and the
 * teardown removes the directory, so a run never reads what another run (older code) synthesized.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE_DIRECTORY_ENV = 'SCALING_ROADMAP_TEST_SYNTH_CACHE';

module.exports = async function globalSetup() {
  process.env[CACHE_DIRECTORY_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cache-'));
};
module.exports.CACHE_DIRECTORY_ENV = CACHE_DIRECTORY_ENV;
