/**
 * `npm test` runs one jest suite per test directory (`<dir>/<dir>.suite.ts`), which loads that directory's test files
 * into one module registry: jest gives every suite a fresh registry, so with one suite per file each of ~70 files
 * compiled aws-cdk-lib, zod and the planner again, more than half of the run's time. Each file still runs inside
 * its own `describe` (named after it), so its top-level hooks stay its own.
 *
 * Not gathered: `*.slow.test.ts` (`npm run test:slow`) and the files with snapshots (STANDALONE), whose snapshot
 * files are named after the test file that runs them. `npx jest <file or pattern>` still runs the matching files on their own
 * (see jest.config.js).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Test files that always run as their own suite: their snapshots live in __snapshots__/<file>.snap. */
export const STANDALONE = ['phases/phase-stacks.test.ts', 'k8s/phase-charts.test.ts'];

/** The test files of `directory` (not its subdirectories) that its `.suite.ts` gathers. */
export function gatheredFiles(directory: string): string[] {
  const relative = path.relative(path.join(__dirname, '..'), directory);
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.test.ts') && !file.endsWith('.slow.test.ts'))
    .filter((file) => !STANDALONE.includes(path.posix.join(relative.split(path.sep).join('/'), file)))
    .sort();
}

/** Runs every gathered test file of `directory`, each in a describe block of its own name. */
export function describeEachTestFileIn(directory: string): void {
  const files = gatheredFiles(directory);
  if (files.length === 0) throw new Error(`${directory} has no test files to gather`);
  for (const file of files) {
    describe(file, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(path.join(directory, file));
    });
  }
}
