/**
 * One directory per jest run, removed at the end (jest-global-teardown.js):
 * - TMPDIR points into it, so every temporary directory a test makes (cloud assemblies, model files, database
 *   sockets) goes with it instead of piling up in the system's /tmp (a full run writes about 2 GB);
 * - test/support/synthesized-phases.ts caches the run's syntheses in it, so a run never reads what another run
 *   (older code) synthesized.
 * Workers inherit the environment. CDK_NO_CLEAN_TESTS=1 (or the consumer test's KEEP_CONSUMER_TMP=1) keeps the
 * directory, and prints its path, for inspection.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const CACHE_DIRECTORY_ENV = 'SCALING_ROADMAP_TEST_SYNTH_CACHE';
const RUN_DIRECTORY_ENV = 'SCALING_ROADMAP_TEST_RUN_DIR';

module.exports = async function globalSetup() {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-roadmap-test-'));
  // Readable like /tmp itself: the PostgreSQL tests run servers as the postgres user, in directories under it.
  fs.chmodSync(run, 0o755);
  process.env[RUN_DIRECTORY_ENV] = run;
  process.env[CACHE_DIRECTORY_ENV] = path.join(run, 'synth-cache');
  fs.mkdirSync(process.env[CACHE_DIRECTORY_ENV]);
  process.env.TMPDIR = path.join(run, 'tmp');
  fs.mkdirSync(process.env.TMPDIR);
  fs.chmodSync(process.env.TMPDIR, 0o1777);
};
module.exports.CACHE_DIRECTORY_ENV = CACHE_DIRECTORY_ENV;
module.exports.RUN_DIRECTORY_ENV = RUN_DIRECTORY_ENV;
