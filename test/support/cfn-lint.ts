import { spawnSync } from 'node:child_process';

/**
 * Checks ignored everywhere, with the reason: W3005 ("DependsOn is redundant"): CDK itself emits DependsOn next to
 * Ref/GetAtt for ordering it guarantees explicitly; it is harmless and not ours to change.
 */
export const IGNORED_CHECKS = ['W3005'];

export interface LintResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * AWS's CloudFormation linter (Python, preinstalled; it takes seconds to start, so the suites that run it are
 * `*.slow.test.ts`, in `npm run test:slow`). `strict` includes informational checks and ignores only IGNORED_CHECKS;
 * without it, cfn-lint runs with its own defaults (for a broken template, where any finding counts).
 */
export function cfnLint(files: string[], { strict = true } = {}): LintResult {
  const options = strict ? ['--include-checks', 'I', '--ignore-checks', ...IGNORED_CHECKS] : [];
  const result = spawnSync('cfn-lint', [...options, '--', ...files], { encoding: 'utf8' });
  if (result.error) throw new Error(`cfn-lint could not run (${result.error.message}): install it with 'pip install cfn-lint'`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
