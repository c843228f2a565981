import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { REPORT_JSON_FORMAT } from '../../lib/report/render-json';
import { main, parseArgs, USAGE } from '../../scripts/roadmap';

function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roadmap-cli-'));

describe('scaling-roadmap plan', () => {
  test('--help (and no arguments) print the usage', () => {
    expect(run('--help')).toEqual({ code: 0, stdout: USAGE, stderr: '' });
    expect(run().stdout).toBe(USAGE);
    expect(USAGE).toMatch(/--format md\|json\|html/);
  });

  test('Markdown by default: the twelve sections of the default model', () => {
    const { code, stdout } = run('plan');
    expect(code).toBe(0);
    const titles = stdout.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3).replace(/^\d+\. /, ''));
    expect(titles).toEqual([
      'Scalability assessment', 'Scaling phases', 'Horizontal scaling strategy', 'Database scaling path', 'Caching hierarchy',
      'Load testing plan', 'Auto-scaling policies', 'Traffic management', 'CDN and edge strategy', 'Monitoring and alerting',
      'Cost projections', 'Runbook: manual scaling when autoscaling fails',
    ]);
    expect(stdout).toContain('maxmemory-policy allkeys-lru');
  });

  test('--format json is the machine-readable plan', () => {
    const report = JSON.parse(run('plan', '--format', 'json').stdout);
    expect(report.format).toBe(REPORT_JSON_FORMAT);
    expect(report.plans.map((p: any) => p.api.maxTasks.value)).toEqual([8, 38, 95]);
    expect(report.timeline).toHaveLength(3);
  });

  test('--format html --out writes one self-contained file', () => {
    const out = path.join(dir, 'html');
    const { code, stdout } = run('plan', '--format', 'html', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toBe(`wrote ${path.join(out, 'roadmap.html')}\n`);
    const html = fs.readFileSync(path.join(out, 'roadmap.html'), 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    expect((html.match(/<svg/g) ?? []).length).toBe(2);
  });

  test('--model reads a model file, and stderr names it', () => {
    const file = path.join(dir, 'checkout.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, service: { name: 'checkout', costCentre: 'payments' } }));
    const { stdout, stderr } = run('plan', '--model', file);
    expect(stdout).toMatch(/^# Scalability roadmap: checkout \(eu-central-1\)/);
    expect(stderr).toBe(`Model: ${file}\n`);
  });

  test('without --model, stderr says the embedded default was used (stdout stays the bare report)', () => {
    const { stdout, stderr } = run('plan', '--format', 'json');
    expect(stderr).toBe('Model: the embedded default (lib/capacity/defaults.ts)\n');
    expect(() => JSON.parse(stdout)).not.toThrow();
  });

  test('a bad model: exit 1 and the one-line error, no report', () => {
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_MODEL, growth: { monthlyGrowthPct: 5000 } }));
    const { code, stdout, stderr } = run('plan', '--model', file);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`Invalid capacity model in '${file}': growth.monthlyGrowthPct: must be a number > 0 and <= 1,000 % per month (got 5000)\n`);
  });

  test.each([
    [['report'], "unknown command 'report'"],
    [['plan', '--format', 'pdf'], "--format must be one of md, json, html (got 'pdf')"],
    [['plan', '--model'], "'--model' needs a value"],
    [['plan', '--colour', 'red'], "unknown option '--colour'"],
    [['plan', 'model.json'], "unexpected argument 'model.json': name the model with --model model.json"],
    [['plan', '--format', 'json', 'model.json'], "unexpected argument 'model.json': name the model with --model model.json"],
    [['gate', 'model.json', '--phase', '1'], "unexpected argument 'model.json': name the model with --model model.json"],
  ])('a bad command line %j: exit 2 with the reason and the usage', (args, reason) => {
    expect(() => parseArgs(args)).toThrow(reason);
    const { code, stderr } = run(...args);
    expect(code).toBe(2);
    expect(stderr).toContain(reason);
    expect(stderr).toContain('Usage: scaling-roadmap plan');
  });
});
