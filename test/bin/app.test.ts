import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { cdkJsonContext } from '../support/test-stack';

const root = path.join(__dirname, '..', '..');

/** Runs the app exactly as the CDK CLI does (cdk.json's `app` command, context and outdir in the environment). */
function runApp(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-'));
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'cdk-app.js')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, CDK_VALIDATION: 'true', CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), ...context }) },
  });
  return { ...result, outdir, written: fs.readdirSync(outdir) };
}

describe('bin/app (through the cdk.json app command)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'models-'));

  test("a user's model file drives the stacks", () => {
    const file = path.join(dir, 'bigger.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, service: { name: 'checkout', costCentre: 'payments' } }));
    const run = runApp({ capacity: file });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stderr).toContain(`Model: ${file}\n`);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(run.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.artifacts.Phase2Stack.properties.stackName).toBe('checkout');
  });

  test('bad input: exit 1, one clear line per problem naming the field, and nothing synthesized', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, peakRps: -5 } }));
    const run = runApp({ capacity: file });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `Invalid capacity model in '${file}': current.peakRps: must be a number > 0 and <= 10,000,000 requests/s (got -5)`,
    );
    expect(run.written).toEqual([]);
  });

  test.each([
    ['no location lines (dist/phases/phase-stack.js:173:48) in front of a warning', {}, false],
    ['cdk --debug (CDK_DEBUG) keeps them', { CDK_DEBUG: 'true' }, true],
  ])('annotations: %s', (_name, env, traced) => {
    // The default model plans every phase within its limits (no warning); a budget overrun allowed on purpose is one.
    const file = path.join(dir, 'overrun-allowed.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, budget: { ...DEFAULT_MODEL.budget, costPer1000PeakRps: 3800, allowOverrun: true } }));
    const run = runApp({ capacity: file }, env);
    expect(run.status).toBe(0);
    const metadata = JSON.parse(fs.readFileSync(path.join(run.outdir, 'Phase1Stack.metadata.json'), 'utf8'));
    const warnings = Object.values<any[]>(metadata).flat().filter((m) => m.type === 'aws:cdk:warning');
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((m) => (m.trace !== undefined) === traced)).toBe(true);
    expect(run.stderr).toContain(`Model: ${file}`);
  });

  test('a misspelt context key (-c model=...) stops the app instead of synthesizing the default model', () => {
    const run = runApp({ model: 'x.json' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe("unknown context key 'model': the model is named with -c capacity=path/to/model.json (the app reads no other context key)");
    expect(run.written).toEqual([]);
  });

  test('a file that is not JSON: one line with the path, no stack trace', () => {
    const file = path.join(dir, 'broken.json');
    fs.writeFileSync(file, '{ not json');
    const run = runApp({ capacity: file });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`model file '${file}' is not valid JSON`));
    expect(run.written).toEqual([]);
  });
});

/** The CDK CLI itself, offline, as a user types it (cdk.json's app command, no stack selection). */
function cdk(args: string[]) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-cli-'));
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'cdk'), [...args, '--output', outdir], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  return { ...result, outdir };
}

describe('the CDK CLI with no stack named (the deploy guard lives in the templates, not in a stack of its own)', () => {
  test('cdk ls lists the real stacks (each phase and its edge, phase 3\'s secondary region), each with the CloudFormation stack it deploys as, and nothing else', () => {
    const run = cdk(['ls']);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').sort()).toEqual(
      [...[1, 2, 3].flatMap((n) => [`Phase${n}Edge (order-management-edge)`, `Phase${n}Stack (order-management)`]), 'Phase3SecondaryEuWest1 (order-management-eu-west-1)'].sort(),
    );
  });

  test('cdk synth writes every template and exits 0 (what CDK Pipelines run)', () => {
    const run = cdk(['synth', '--quiet']);
    expect(run.stderr).not.toMatch(/\[Error/);
    expect(run.status).toBe(0);
    const templates = fs.readdirSync(run.outdir).filter((f) => f.endsWith('.template.json')).sort();
    expect(templates).toEqual(['Phase1Edge', 'Phase1Stack', 'Phase2Edge', 'Phase2Stack', 'Phase3Edge', 'Phase3SecondaryEuWest1', 'Phase3Stack'].map((s) => `${s}.template.json`));
    for (const file of templates) {
      const template = JSON.parse(fs.readFileSync(path.join(run.outdir, file), 'utf8'));
      expect(Object.keys(template.Rules)).toEqual(expect.arrayContaining(['ModelDeploysThisPhase']));
    }
  });
});
