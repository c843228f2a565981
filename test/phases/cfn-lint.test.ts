import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthPhases } from '../support/phase-app';

/**
 * AWS's CloudFormation linter over every synthesized template, errors, warnings and informational checks.
 *
 * Ignored, with the reason: W3005 ("DependsOn is redundant"): CDK itself emits DependsOn next to Ref/GetAtt
 * for ordering it guarantees explicitly; it is harmless and not ours to change.
 */
const IGNORED_CHECKS = ['W3005'];

function cfnLint(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('cfn-lint', args, { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`cfn-lint could not run (${result.error.message}): install it with 'pip install cfn-lint'`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('cfn-lint', () => {
  const { assembly } = synthPhases();
  const templates = fs
    .readdirSync(assembly.directory)
    .filter((file) => file.endsWith('.template.json'))
    .map((file) => path.join(assembly.directory, file));

  test('every phase and edge template is synthesized', () => {
    expect(templates.map((t) => path.basename(t)).sort()).toEqual([
      'Phase1Edge.template.json', 'Phase1Stack.template.json',
      'Phase2Edge.template.json', 'Phase2Stack.template.json',
      'Phase3Edge.template.json', 'Phase3SecondaryEuWest1.template.json', 'Phase3Stack.template.json',
    ]);
  });

  test('no errors, warnings or informational findings', () => {
    const { status, output } = cfnLint(['--include-checks', 'I', '--ignore-checks', ...IGNORED_CHECKS, '--', ...templates]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  test('the linter is live: a broken template fails it', () => {
    const broken = path.join(assembly.directory, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: 1 } } } }));
    const { status, output } = cfnLint(['--', broken]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/E3002/);
  });
});
