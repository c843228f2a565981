/**
 * The promotion review printed by `npm run diff-phases`: the key lines a PR reviewer relies on.
 */
import { CapacityError, DEFAULT_MODEL, PhasePlan } from '../../lib/capacity';
import { CfnTemplate } from '../../lib/review/phase-diff';
import { renderPromotionReport } from '../../lib/review/render-diff';
import { CHURN_TAG_KEYS, diffPhasesReport } from '../../scripts/diff-phases';
import { UsageError } from '../../scripts/model-args';
import { promotionInput } from '../support/promotion-input';
import { synthesizedPhases } from '../support/synthesized-phases';

const { phases } = synthesizedPhases(DEFAULT_MODEL);
const input = promotionInput(phases);
const plans = input.map((p) => p.plan);
const options = { churnTagKeys: CHURN_TAG_KEYS };
const markdown = renderPromotionReport({ phases: input, modelSource: 'the embedded default model' }, options);

/** The report's section for the promotion into phase `to` (from its `### ` heading to the next). */
function section(report: string, to: 2 | 3): string {
  const parts = report.split(/^(?=### )/m);
  const found = parts.find((p) => p.startsWith(`### ${plans[to - 2].label} → ${plans[to - 1].label}`));
  if (!found) throw new Error(`no section for the promotion to phase ${to}:\n${report}`);
  return found;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

describe.each([2, 3] as const)('promotion to phase %i', (to) => {
  const [from, next]: PhasePlan[] = [plans[to - 2], plans[to - 1]];
  const text = () => section(markdown, to);

  test('a summary line per stack: added, modified, replaced, removed', () => {
    expect(text()).toMatch(/^- \*\*Regional stack:\*\* \d+ added, \d+ modified, \d+ replaced, 0 removed$/m);
    // One edge change per promotion: the deploy guard's record of the live phase (LivePhaseRecord, 1 -> 2).
    expect(text()).toMatch(/^- \*\*Edge stack:\*\* 0 added, 1 modified, 0 replaced, 0 removed$/m);
  });

  test('the monthly cost delta matches the plans', () => {
    const [before, after] = [Math.round(from.cost.totalInCurrency), Math.round(next.cost.totalInCurrency)];
    expect(text()).toContain(`- **Monthly cost:** +${fmt(after - before)} ${next.cost.currency}/month (${fmt(before)} → ${fmt(after)})`);
  });

  test('the key plan deltas: max tasks, readers, Aurora class, Redis node', () => {
    expect(text()).toContain(`| API max tasks | ${from.api.maxTasks.value} → ${next.api.maxTasks.value} |`);
    expect(text()).toContain(`| Aurora class | ${from.database.instanceClass.value} → ${next.database.instanceClass.value} |`);
    // Readers of shard 0, the cluster every phase keeps.
    const [r0, r1] = [from.sharding.shardZeroReaders.value, next.sharding.shardZeroReaders.value];
    const readers = r0 === r1 ? `${r1} (unchanged)` : `${r0} → ${r1}`;
    expect(text()).toContain(`| Aurora readers | ${readers} |`);
    expect(text()).toContain(`| Redis node × nodes | ${from.cache.nodeType.value} × ${from.cache.nodes.value} → ${next.cache.nodeType.value} × ${next.cache.nodes.value}${next.cache.clusterMode.value ? ` (${next.cache.shards.value} shards)` : ''} |`);
  });

  test('the template changes behind them, as the diff engine reports them', () => {
    expect(text()).toMatch(new RegExp(`^\\| ApiServiceTaskCountTarget\\w+ \\| ApplicationAutoScaling::ScalableTarget \\| modified \\| MaxCapacity: ${from.api.maxTasks.value} → ${next.api.maxTasks.value}<br>`, 'm'));
    expect(text()).toMatch(new RegExp(`^\\| DatabaseWriter\\w+ \\| RDS::DBInstance \\| modified \\| DBInstanceClass: ${from.database.instanceClass.value} → ${next.database.instanceClass.value} \\|$`, 'm'));
  });

  test('stateful verdict ✅; no security change unless the promotion adds shards or the queue (then the grants are listed)', () => {
    expect(text()).toMatch(new RegExp(`^✅ None replaced or removed \\(\\d+ checked: ${next.sharding.shards.value} DBCluster, \\d+ DBInstance, [12] ReplicationGroup`, 'm'));
    expect(text()).not.toContain('❌');
    if (next.sharding.shards.value === from.sharding.shards.value && !next.queue) {
      expect(text()).toContain('✅ No IAM statement, managed policy or security-group rule changes.');
    } else {
      expect(text()).not.toContain('✅ No IAM statement, managed policy or security-group rule changes.');
    }
  });

  test('the capacity verdict table of the target phase, one row per component', () => {
    expect(text()).toContain(`#### Capacity of ${next.label} at its design peak`);
    for (const v of next.feasibility) expect(text()).toContain(`| ${v.component} | `);
  });

  test('tag churn is one line, and no resource is listed for its tags alone', () => {
    expect(text().match(/Tag-only churn/g)).toHaveLength(1);
    expect(text()).toMatch(new RegExp(`^- \\*\\*Tag-only churn:\\*\\* \\d+ regional and \\d+ edge resources change only their cost tags \\(\`phase\` ${from.phase} → ${next.phase}, \`projected-monthly-cost-usd\` ${Math.round(from.cost.totalUsd)} → ${Math.round(next.cost.totalUsd)}\\)`, 'm'));
    const rows = text().split('\n').filter((l) => /^\| [A-Z]\w+ \| /.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).not.toMatch(/Tags|projected-monthly-cost-usd/);
    expect(text()).not.toMatch(/^\| Network6E62CE96 /m); // the VPC: tags only
  });

  test('the edge stack: WAF limits from the templates', () => {
    const limits = `PerIpLogin ${fmt(next.waf.perIpLoginLimit.value)}/5 min, PerIpWrites ${fmt(next.waf.perIpWriteLimit.value)}/5 min, PerIpAll ${fmt(next.waf.perIpAllLimit.value)}/5 min`;
    expect(text()).toContain(`WAF rate limits per IP: ${limits} (unchanged).`);
  });
});

test('the default model: the numbers of the README table', () => {
  expect(section(markdown, 2)).toContain('+22,289 EUR/month (6,555 → 28,844)');
  expect(section(markdown, 2)).toContain('DBInstanceClass: db.r7g.xlarge → db.r7g.4xlarge');
  expect(section(markdown, 2)).toContain('MaxCapacity: 8 → 38');
  // Phase 3 carries the write queue, so its total includes the SQS requests line (lib/capacity/cost.ts).
  expect(section(markdown, 3)).toContain('+265,299 EUR/month (28,844 → 294,143)');
  expect(section(markdown, 3)).toContain('| Aurora readers | 2 → 3 |');
  expect(section(markdown, 3)).toContain('| Aurora shards | 1 (orders by customer_id) → 2 (orders by customer_id) |');
  expect(section(markdown, 3)).toContain('| Write queue workers | none → 13-48 |');
  expect(section(markdown, 3)).toMatch(/^\| Aurora writer CPU \(per shard\) \| 42 vCPU \| 45 vCPU \| 93 % \| ok \|$/m);
  expect(section(markdown, 3)).toMatch(/^\| DatabaseShard1\w+ \| RDS::DBCluster \| added \|/m);
  expect(section(markdown, 3)).toMatch(/^\| DatabaseReader3\w+ \| RDS::DBInstance \| added \| new<br>DBInstanceClass: db\.r7g\.16xlarge/m);
  expect(markdown).toContain('**Verdict:** ✅ every promotion keeps every stateful resource.');
  expect(markdown.match(/Tag-only churn/g)).toHaveLength(2);
});

// That npm run diff-phases builds the same app and prints this report: diff-phases-cli.slow.test.ts (a synthesis of its own).

test('a bad model file stops with the model error, named by -c capacity= or --model', () => {
  expect(() => diffPhasesReport(['-c', 'capacity=does/not/exist.json'])).toThrow(CapacityError);
  expect(() => diffPhasesReport(['--model', 'does/not/exist.json'])).toThrow(/cannot read model file 'does\/not\/exist\.json'/);
});

test('an unknown flag or context key is refused before anything is synthesized', () => {
  expect(() => diffPhasesReport(['-c', 'model=x.json'])).toThrow(UsageError);
  expect(() => diffPhasesReport(['--model', 'x.json', '--verbose'])).toThrow(/unknown flag '--verbose'/);
});

describe('an unsafe promotion (the Aurora construct renamed in Phase 2)', () => {
  const rename = (t: CfnTemplate, from: string, to: string): CfnTemplate => JSON.parse(JSON.stringify(t).split(from).join(to));
  const clusterId = Object.entries(input[1].regional.template.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::RDS::DBCluster')![0];
  const broken = input.map((p, i) => (i === 1 ? { ...p, regional: { ...p.regional, template: rename(p.regional.template, clusterId, 'DbRenamed0A1B2C3D') } } : p));
  const report = renderPromotionReport({ phases: broken }, options);

  test('fails the verdict and names the cluster as removed', () => {
    expect(report).toContain('**Verdict:** ❌ Phase 1 (2x) → Phase 2 (10x) and Phase 2 (10x) → Phase 3 (100x) would replace or remove stateful resources.');
    expect(section(report, 2)).toMatch(new RegExp(`^- ${clusterId} \\(AWS::RDS::DBCluster\\) would be REMOVED \\(WILL_DESTROY`, 'm'));
    expect(section(report, 2)).toMatch(new RegExp(`^\\| ${clusterId} \\| RDS::DBCluster \\| \\*\\*removed\\*\\* \\(deleted\\) \\|`, 'm'));
  });

  test('reports the security-group rules that reference the cluster as broadening', () => {
    expect(section(report, 2)).toContain('⚠️ **Permissions broaden**');
    expect(section(report, 2)).toMatch(/^\| \+ \| ingress \| \$\{DatabaseSecurityGroup\w+\.GroupId\} \| TCP \$\{DbRenamed0A1B2C3D\.Endpoint\.Port\} \|/m);
  });
});

test('an added IAM statement is listed and called broadening', () => {
  const [, phase2] = input;
  const roleId = Object.entries(phase2.regional.template.Resources).find(([, r]: [string, any]) => r.Type === 'AWS::IAM::Role')![0];
  const template = structuredClone(phase2.regional.template);
  template.Resources.ExtraPolicy = {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyName: 'extra',
      Roles: [{ Ref: roleId }],
      PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
    },
  };
  const report = renderPromotionReport({ phases: [input[0], { ...phase2, regional: { ...phase2.regional, template } }] }, options);
  expect(report).toContain('⚠️ **Permissions broaden**');
  expect(report).toContain('| + | Allow | s3:\\* | \\* |');
  expect(report).toContain('**Verdict:** ✅'); // not a stateful problem: security is reported, not gated
});

test('an in-place Aurora class change comes with the rolling-resize warning (writer first is an outage)', () => {
  expect(section(markdown, 2)).toContain('⚠️ 3 Aurora instances change class in place. CloudFormation would modify the writer first');
  expect(section(markdown, 3)).toContain('⚠️ 3 Aurora instances change class in place.');
});
