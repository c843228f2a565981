import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { exportedConstructProps, propsTableOf, propsTableProblems } from './support/props-tables';
import { CapacitySchema, DEFAULT_MODEL, parseCapacity, planKubernetes, planModel, planPhases, renderMarkdownTable } from '../lib/capacity';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

describe('the docs stay true', () => {
  test("the README's per-phase table is the default model's plan", () => {
    const between = readme.split('<!-- default-plan:start')[1].split('<!-- default-plan:end -->')[0];
    const table = between.slice(between.indexOf('\n') + 1).trim();
    expect(table).toBe(renderMarkdownTable(planPhases(DEFAULT_MODEL)));
  });

  test('the README names every field of the model', () => {
    const schema = z.toJSONSchema(CapacitySchema, { io: 'input' }) as { properties: Record<string, { properties: Record<string, unknown> }> };
    for (const [section, spec] of Object.entries(schema.properties)) {
      expect(readme).toContain(`\`${section}\``);
      for (const field of Object.keys(spec.properties)) expect({ section, field, inReadme: readme.includes(`\`${field}\``) }).toEqual({ section, field, inReadme: true });
    }
  });

  test('examples/order-management.json is the embedded default model', () => {
    expect(JSON.parse(fs.readFileSync(path.join(root, 'examples', 'order-management.json'), 'utf8'))).toEqual(DEFAULT_MODEL);
  });

  test('the README starts with the two commands CI runs', () => {
    const ci = fs.readFileSync(path.join(root, '.ci', 'run'), 'utf8');
    expect(readme).toMatch(/```sh\nnpm ci && npm run synth .*\nnpm test .*\n```/);
    expect(ci).toContain('npm ci && npm run synth');
    expect(ci).toContain('npm test');
  });
});

test("the README's cdk-nag table is docs/cdk-nag.md's (which the cdk-nag test keeps equal to the code)", () => {
  const block = (text: string) => text.slice(text.indexOf('<!-- acknowledgements:start -->'), text.indexOf('<!-- acknowledgements:end -->'));
  const docs = fs.readFileSync(path.join(root, 'docs', 'cdk-nag.md'), 'utf8');
  expect(block(readme).length).toBeGreaterThan(100);
  expect(block(readme)).toBe(block(docs));
});

test("the README's Kubernetes table is the default plan's", () => {
  const model = parseCapacity(DEFAULT_MODEL);
  for (const plan of planModel(model)) {
    const { api, pooler } = planKubernetes(model, plan);
    const row =
      `| ${plan.phase} (${plan.multiplier}x) | ${plan.api.minTasks.value}-${plan.api.maxTasks.value} at ${plan.api.targetCpuPercent.value} % ` +
      `| up to max per ${api.scaleUpPeriodSec.value} s / ${api.scaleDownPercent.value} % per ${api.scaleDownPeriodSec.value} s after ${api.scaleDownStabilizationSec.value} s ` +
      `| ${pooler.replicas.value} x (${pooler.defaultPoolSize.value} + ${pooler.reservePoolSize.value}) = ${pooler.replicas.value * pooler.maxDbConnections.value} ` +
      `| ${pooler.maxClientConn.value} |`;
    expect(readme).toContain(row);
  }
});

describe("the README's props tables (Name | Type | Default | Description) name every field of every exported construct's props", () => {
  const constructs = exportedConstructProps();

  test('the exported constructs are found in the sources, each with its props interface', () => {
    expect(constructs.map((c) => c.construct).sort()).toEqual([
      'ApiTier', 'ApiWorkload', 'AuroraPostgres', 'Cdn', 'ChaosExperiments', 'Network', 'PgBouncer', 'PhaseChart', 'RedisCache', 'SloMonitoring', 'WebAcl', 'WriteQueue',
    ]);
    const api = constructs.find((c) => c.construct === 'ApiTier')!;
    expect(api.propsInterface).toBe('ApiTierProps');
    expect(api.fields.find((f) => f.name === 'vpc')).toMatchObject({ type: 'ec2.IVpc', optional: false });
    expect(api.fields.find((f) => f.name === 'deregistrationDelay')).toMatchObject({ type: 'Duration', optional: true, default: 'Duration.seconds(30)' });
  });

  test.each(exportedConstructProps().map((c) => [c.construct, c] as const))('%s', (_name, props) => {
    expect(propsTableProblems(readme, props)).toEqual([]);
  });

  test('a missing row, a stale row and a missing table are each reported (the check can fail)', () => {
    const api = constructs.find((c) => c.construct === 'ApiTier')!;
    const withoutRow = readme.replace(/^\| `deregistrationDelay` \|.*\n/m, '');
    expect(withoutRow).not.toBe(readme);
    expect(propsTableProblems(withoutRow, api)).toEqual(["ApiTier: 'deregistrationDelay' of ApiTierProps has no row in its README table"]);
    const withStaleRow = readme.replace('<!-- props:ApiTier:end -->', '| `deregistrationDelaySec` | `number` | 30 | gone |\n<!-- props:ApiTier:end -->');
    expect(propsTableProblems(withStaleRow, api)).toEqual(["ApiTier: the README table has a row 'deregistrationDelaySec', which ApiTierProps does not have"]);
    expect(propsTableProblems(readme.replace('<!-- props:ApiTier:start -->', ''), api)).toEqual([
      'ApiTier: no props table (<!-- props:ApiTier:start --> ... end) in the README',
    ]);
  });

  test('every table has the four columns', () => {
    for (const { construct } of constructs) expect({ construct, header: propsTableOf(readme, construct)?.includes('| Name | Type | Default | Description |') }).toEqual({ construct, header: true });
  });
});
