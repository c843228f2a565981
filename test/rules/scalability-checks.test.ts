import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stack, Validations } from 'aws-cdk-lib';
import { NagMessageLevel } from 'cdk-nag';
import { CACHE_NODE_TYPES, DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { planMinimums, SCALABILITY_RULES, ScalabilityChecks } from '../../lib/rules';
import { PhaseStack } from '../../phases/phase-stack';
import { synthPhases } from '../support/phase-app';
import { testApp, testStack } from '../support/test-stack';
import { buildHandRolledApp } from './hand-rolled-app';
import { findings } from './support';
import { SecondaryRegionStack } from '../../phases/secondary-region-stack';
import { validationFailures } from '../support/validation-failures';

const ROOT = path.join(__dirname, '..', '..');

describe('ScalabilityChecks on the phase stacks', () => {
  const model = parseCapacity(DEFAULT_MODEL);
  const { app, assembly } = synthPhases();

  test('synthesis ran the pack (registered beside AwsSolutions) and it passed: no Scalability entry in the validation report', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.map((r: { pluginName: string }) => r.pluginName)).not.toContain('Scalability');
  });

  test.each(app.node.children.filter((c): c is Stack => Stack.isStack(c)).map((s) => [s.node.id, s] as const))(
    '%s: zero findings with its plan, and no Scalability acknowledgement anywhere',
    (_id, stack) => {
      const plan = (s: Stack) => (s instanceof PhaseStack || s instanceof SecondaryRegionStack ? planMinimums(s.plan, model.service, CACHE_NODE_TYPES) : undefined);
      expect(findings(stack, { plan })).toEqual([]);
      const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata)
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as object)).filter((k) => /Scalability/.test(k));
      // The one exception: a global secondary has no RDS Proxy (its secret would have to be replicated and the proxy
      // re-targeted on promotion); acknowledged only while max tasks x pool fit 90 % of max_connections (phases/secondary-region-stack.ts).
      expect(acknowledged).toEqual(stack instanceof SecondaryRegionStack ? ['Annotation::Scalability-RDS2'] : []);
    },
  );
  // A finding against the plan fails synthesis (PLAN1, SQS1): test/review/new-findings.test.ts, every pack on one app.
});

describe('a hand-rolled CDK app (Fargate without auto scaling, single-instance Aurora, Redis without eviction policy, CloudFront caching nothing)', () => {
  const HAND_ROLLED_FINDINGS = [
    'error Scalability-EC1 at Cache',
    'error Scalability-EC3 at Cache',
    'error Scalability-ECS1 at Web/Service/Service',
    'error Scalability-ECS3 at Web/Service/Service',
    'error Scalability-RDS3 at Db/Writer/Resource',
    'error Scalability-WAF1 at Cdn/Resource',
    'error Scalability-WAF1 at Web/LB/Resource',
    'warning Scalability-CF1 at Cdn/Resource',
    'warning Scalability-CF2 at Cdn/Resource',
    'warning Scalability-EC2 at Cache',
    'warning Scalability-LOG1 at Web/TaskDef/web/LogGroup/Resource',
    'warning Scalability-RDS1 at Db/Resource',
    'warning Scalability-RDS2 at Db/Resource',
    'warning Scalability-RDS4 at Db/Writer/Resource',
  ];

  test('the pack reports what the seeds rank: no auto scaling, one database instance, no eviction, no caching, no rate limit', () => {
    const stack = testStack('HandRolled');
    buildHandRolledApp(stack);
    expect(findings(stack)).toEqual(HAND_ROLLED_FINDINGS);
  });

  test('added in three lines to the App, the pack fails its synthesis with the same findings', () => {
    const app = testApp();
    Validations.of(app).addPlugins(new ScalabilityChecks());
    buildHandRolledApp(testStack('HandRolled', {}, app));
    expect(validationFailures(app, 'Scalability')).toEqual(
      HAND_ROLLED_FINDINGS.map((f) => f.replace(/^\w+ (\S+) at (\S+)$/, '$1 at HandRolled/$2')).sort());
  });

  test('an acknowledgement on the resource silences that rule there, and only there', () => {
    const stack = testStack('HandRolled');
    buildHandRolledApp(stack);
    Validations.of(stack.node.findChild('Cache')).acknowledge({ id: 'Scalability-EC2', reason: 'Sessions only: losing them logs users out, nothing else' });
    const remaining = findings(stack);
    expect(remaining).not.toContain('warning Scalability-EC2 at Cache');
    expect(remaining).toContain('error Scalability-EC3 at Cache');
    expect(remaining).toHaveLength(HAND_ROLLED_FINDINGS.length - 1);
  });
});

describe('the rule table', () => {
  test('ids are unique, each rule says what it found, why it matters and the fix', () => {
    const ids = SCALABILITY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of SCALABILITY_RULES) {
      expect(rule.id).toMatch(/^[A-Z]+\d+$/);
      expect([NagMessageLevel.ERROR, NagMessageLevel.WARN]).toContain(rule.level);
      for (const text of [rule.info, rule.explanation, rule.fix]) expect(text.length).toBeGreaterThan(30);
    }
    expect(new ScalabilityChecks().ruleIds).toEqual(ids.map((id) => `Scalability-${id}`));
  });

  test('the README lists exactly the rules, with their level, what they check and the fix', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const between = readme.split('<!-- scalability-rules:start -->')[1]?.split('<!-- scalability-rules:end -->')[0];
    expect(between).toBeDefined();
    const rows = between!.trim().split('\n').filter((l) => l.startsWith('|')).slice(2);
    expect(rows).toEqual(SCALABILITY_RULES.map((r) =>
      `| \`Scalability-${r.id}\` | ${r.level === NagMessageLevel.ERROR ? 'error' : 'warning'} | ${r.info.replace(/\|/g, '\\|')} | ${r.fix.replace(/\|/g, '\\|')} |`));
  });
});
