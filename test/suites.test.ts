/**
 * `npm test` runs the `.suite.ts` of each test directory (test/support/suite-of-files.ts): a directory without one
 * would have its tests silently skipped, and a standalone file missing from jest.config.js would not run at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gatheredFiles, STANDALONE } from './support/suite-of-files';

const TEST_ROOT = __dirname;
/** Directories `npm test` leaves to `npm run test:slow` (jest.config.js SLOW_DIRECTORIES). */
const SLOW_DIRECTORIES = ['bin', 'consumer'];

const directories = [TEST_ROOT, ...fs.readdirSync(TEST_ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(TEST_ROOT, e.name))];
const everydayFilesIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts') && !f.endsWith('.slow.test.ts'));

test.each(directories.filter((dir) => everydayFilesIn(dir).length > 0 && !SLOW_DIRECTORIES.includes(path.basename(dir))).map((dir) => [path.relative(TEST_ROOT, dir) || 'test/', dir]))(
  '%s has a .suite.ts, which gathers every test file but the standalone ones',
  (_name, dir) => {
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.suite.ts'))).toHaveLength(1);
    const standalone = everydayFilesIn(dir).filter((f) => STANDALONE.includes(`${path.relative(TEST_ROOT, dir)}/${f}`));
    expect([...gatheredFiles(dir), ...standalone].sort()).toEqual(everydayFilesIn(dir).sort());
  },
);

test('jest.config.js runs the standalone files, and the suites', () => {
  // The config as `npm test` reads it: no JEST_SUITE, nothing on the command line (this run may have either).
  const saved = { argv: process.argv, suite: process.env.JEST_SUITE };
  let testRegex: string[] = [];
  try {
    process.argv = [process.argv[0], 'jest'];
    delete process.env.JEST_SUITE;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ({ testRegex } = require('../jest.config.js') as { testRegex: string[] });
    });
  } finally {
    process.argv = saved.argv;
    if (saved.suite !== undefined) process.env.JEST_SUITE = saved.suite;
  }
  const selected = (file: string) => testRegex.some((pattern) => new RegExp(pattern).test(path.join(TEST_ROOT, file)));
  for (const file of STANDALONE) expect(selected(file)).toBe(true);
  expect(selected('phases/phases.suite.ts')).toBe(true);
});
