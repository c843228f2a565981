import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ApiTier } from '../../lib/constructs/api-tier';
import { AuroraPostgres } from '../../lib/constructs/aurora-postgres';
import { Cdn } from '../../lib/constructs/cdn';
import { Network } from '../../lib/constructs/network';
import { RedisCache } from '../../lib/constructs/redis-cache';
import { WebAcl } from '../../lib/constructs/web-acl';
import { WriteQueue } from '../../lib/constructs/write-queue';
import { addNagChecks } from '../../phases/nag';
import { synthPhases } from '../support/phase-app';
import { cdkJsonContext, testStack } from '../support/test-stack';
import { validationFailures } from '../support/validation-failures';

/**
 * cdk-nag's AwsSolutions pack over every phase and every construct on its own.
 *
 * The pack is registered in addPhaseStacks (phases/nag.ts), so bin/app.ts, `npm run synth` and every test that
 * synthesizes the phases run it: a finding fails `app.synth()` (and `cdk synth`/`cdk deploy` of the stack holding it).
 * Each acknowledged finding is listed, with its reason, in docs/cdk-nag.md; this file keeps the two equal.
 */

const root = path.join(__dirname, '..', '..');
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const DOC = path.join(root, 'docs', 'cdk-nag.md');

/** Unacknowledged AwsSolutions findings under `scope`, one line each: severity, rule, construct path, description. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`));
}

/** One acknowledgement: the rule (with its finding, e.g. IAM4[Policy::...]), the construct path inside its stack, the reason. */
interface Acknowledgement {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
}

/** Every AwsSolutions acknowledgement under `stack`, with paths relative to the stack. */
function acknowledgementsOf(stack: Stack): Acknowledgement[] {
  const rows: Acknowledgement[] = [];
  for (const construct of stack.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = key.replace(/^annotation::/i, '').replace(/^(AwsSolutions|NIST\.800\.53\.R5)::/, '');
        if (!/^(AwsSolutions-|NIST\.800\.53\.R5-)/.test(rule)) continue;
        rows.push({ rule, resource: construct.node.path.slice(stack.node.path.length + 1), reason });
      }
    }
  }
  return sortRows(rows);
}

function sortRows(rows: Acknowledgement[]): Acknowledgement[] {
  return [...rows].sort((a, b) => `${a.resource} ${a.rule}`.localeCompare(`${b.resource} ${b.rule}`));
}

/** The rows of the table between the acknowledgements markers of docs/cdk-nag.md: `Rule` | `Resource` | Reason. */
function documentedAcknowledgements(): Acknowledgement[] {
  const doc = fs.readFileSync(DOC, 'utf8');
  const between = doc.split('<!-- acknowledgements:start -->')[1]?.split('<!-- acknowledgements:end -->')[0];
  if (between === undefined) throw new Error(`${DOC} has no <!-- acknowledgements:start --> ... <!-- acknowledgements:end --> table`);
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const lines = between.trim().split('\n').filter((l) => l.trim().startsWith('|'));
  expect(cells(lines[0])).toEqual(['Rule', 'Resource', 'Reason']);
  return sortRows(lines.slice(2).map((line) => {
    const [rule, resource, reason] = cells(line);
    return { rule: rule.replace(/^`|`$/g, ''), resource: resource.replace(/^`|`$/g, ''), reason };
  }));
}

describe('cdk-nag AwsSolutions', () => {
  const { app, assembly, phases } = synthPhases();
  const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c));

  test('synthesis ran the pack and it passed: the validation report holds no AwsSolutions violation', () => {
    // A plugin that passes leaves no entry; the negative tests below show the same synthesis failing on a finding.
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((r: { pluginName: string }) => r.pluginName === 'AwsSolutions')).toEqual([]);
  });

  test('every phase and edge stack is checked', () => {
    expect(stacks.map((s) => s.node.id).sort()).toEqual(
      ['Phase1Edge', 'Phase1Stack', 'Phase2Edge', 'Phase2Stack', 'Phase3Edge', 'Phase3SecondaryEuWest1', 'Phase3Stack'],
    );
  });

  test.each(stacks.map((s) => [s.node.id, s] as const))('%s: no unacknowledged errors or warnings', (_id, stack) => {
    expect(findings(stack)).toEqual([]);
  });

  test.each(stacks.map((s) => [s.node.id, s] as const))('%s: no unacknowledged NIST 800-53 R5 findings', (_id, stack) => {
    const report = new NIST80053R5Checks().validateScope(stack);
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))).toEqual([]);
  });

  test('synthesis ran the NIST pack and it passed', () => {
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.filter((r: { pluginName: string }) => /NIST/.test(r.pluginName))).toEqual([]);
  });

  describe('acknowledgements', () => {
    test('every phase acknowledges the same findings on the same resources (a promotion changes none); extra shards, readers and the write queue repeat them', () => {
      // A shard added in phase 3 (DatabaseShard<n>) repeats shard 0's acknowledgements with its own path, a phase with
      // more readers acknowledges the same per-instance finding on each of them, and the write queue's task definition
      // gets the same reviewed-environment ECS2 (its log group the same NIST finding), the cluster-mode cache the first
      // cache's: after mapping those paths, every phase has phase 1's set.
      const normalized = (rows: Acknowledgement[]) =>
        [...new Set(rows.map((r) => JSON.stringify({
          ...r,
          resource: r.resource
            .replace(/^DatabaseShard\d+\//, 'Database/')
            .replace(/from DatabaseShard\d+(\w+SecurityGroup)[0-9A-F]{8}/, 'from Database$1').replace(/from Database(\w+SecurityGroup)[0-9A-F]{8}/, 'from Database$1')
            .replace(/^ClusterCache\//, 'Cache/')
            .replace(/^WriteQueue\/(TaskDefinition|LogGroup)\//, 'Api/$1/')
            .replace(/\/Reader\d+\//, '/ReaderN/'),
        })))].sort();
      const [first, ...rest] = phases.map((p) => normalized(acknowledgementsOf(p.stack)));
      for (const other of rest) expect(other).toEqual(first);
      // The shards and the queue do acknowledge (the mapping above is not vacuous).
      expect(acknowledgementsOf(phases[2].stack).some((r) => r.resource.startsWith('DatabaseShard1/'))).toBe(true);
    });

    test('the edge stacks acknowledge only the NIST log-encryption finding on the WAF log group', () => {
      for (const { edge } of phases) {
        expect(acknowledgementsOf(edge!).map((a) => `${a.rule} ${a.resource}`)).toEqual(['NIST.800.53.R5-CloudWatchLogGroupEncrypted WebAcl/Logs/Resource']);
      }
    });

    test('each carries a reason a reviewer can read, and the table in docs/cdk-nag.md lists exactly them', () => {
      const actual = acknowledgementsOf(phases[0].stack);
      for (const { reason } of actual) {
        expect(reason.length).toBeGreaterThan(80);
        // The reason goes into a Markdown table cell as is.
        expect(reason).not.toMatch(/[|\n]/);
      }
      expect(documentedAcknowledgements()).toEqual(actual);
    });
  });

  // A finding nobody acknowledged fails synthesis: test/review/new-findings.test.ts, every pack on one app.
  describe('registration', () => {
    test('registering the pack again on the same App adds no second report', () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
      const app = new App({ context: cdkJsonContext(), outdir });
      addNagChecks(app);
      addNagChecks(app);
      new s3.Bucket(new Stack(app, 'Extra'), 'Careless');
      expect(validationFailures(app, 'AwsSolutions')).toEqual(['AwsSolutions-S1 at Extra/Careless/Resource', 'AwsSolutions-S10 at Extra/Careless/Resource']);
      const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports.filter((r: { pluginName: string }) => r.pluginName === 'AwsSolutions')).toHaveLength(1);
    });
  });
});

/** The stack's Network VPC (created on first use): every tier construct requires a VPC. */
function vpcOf(stack: Stack): ec2.IVpc {
  return (stack.node.tryFindChild('Network') as Network | undefined)?.vpc ?? new Network(stack, 'Network').vpc;
}

describe('cdk-nag AwsSolutions: each construct on its own, with defaults', () => {
  test.each([
    ['Network', (stack: Stack) => new Network(stack, 'Network')],
    ['ApiTier', (stack: Stack) => new ApiTier(stack, 'Api', { vpc: vpcOf(stack) })],
    ['AuroraPostgres', (stack: Stack) => new AuroraPostgres(stack, 'Db', { vpc: vpcOf(stack) })],
    ['RedisCache', (stack: Stack) => new RedisCache(stack, 'Cache', { vpc: vpcOf(stack) })],
    // The workers run in the API tier's cluster (Container Insights on), as in the phase stacks.
    ['WriteQueue', (stack: Stack) => new WriteQueue(stack, 'WriteQueue', { cluster: new ApiTier(stack, 'Api', { vpc: vpcOf(stack) }).cluster })],
    // Cdn's only required prop is the load balancer; a web ACL is part of its production setup (see the next test).
    ['Cdn', (stack: Stack) => new Cdn(stack, 'Cdn', { loadBalancer: new ApiTier(stack, 'Api', { vpc: vpcOf(stack) }).loadBalancer, webAclArn: WEB_ACL_ARN })],
  ] as const)('%s: no unacknowledged findings', (_name, build) => {
    const stack = testStack();
    build(stack);
    // Synthesized first, as `cdk synth` does: acknowledgements made by read-only aspects (WriteQueue's ECS2) run then.
    Template.fromStack(stack);
    expect(findings(stack)).toEqual([]);
  });

  test('WebAcl (CLOUDFRONT scope, in us-east-1): no unacknowledged findings', () => {
    const stack = testStack('Edge', { env: { region: 'us-east-1' } });
    new WebAcl(stack, 'WebAcl');
    expect(findings(stack)).toEqual([]);
  });

  test('Cdn without a web ACL: the CFR2 warning stays visible on purpose (nothing acknowledges a missing WAF)', () => {
    const stack = testStack();
    new Cdn(stack, 'Cdn', { loadBalancer: new ApiTier(stack, 'Api', { vpc: vpcOf(stack) }).loadBalancer });
    expect(findings(stack)).toEqual([expect.stringMatching(/^warning AwsSolutions-CFR2 at TestStack\/Cdn\/Resource\/Resource: /)]);
  });

  test('Cdn with a custom domain and a geographic restriction needs neither CFR4 nor CFR1 acknowledged', () => {
    const stack = testStack();
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
    new Cdn(stack, 'Cdn', {
      loadBalancer: new ApiTier(stack, 'Api', { vpc: vpcOf(stack) }).loadBalancer,
      webAclArn: WEB_ACL_ARN,
      domainNames: ['shop.example.com'],
      certificate,
      geoRestriction: cloudfront.GeoRestriction.allowlist('DE', 'AT', 'CH'),
    });
    expect(findings(stack)).toEqual([]);
    expect(acknowledgementsOf(stack).filter((a) => a.resource.startsWith('Cdn/Resource')).map((a) => a.rule)).toEqual([]);
  });

  test('log buckets the caller brings are the caller\'s to check: no acknowledgement is put on them', () => {
    const stack = testStack();
    const accessLogBucket = new s3.Bucket(stack, 'CallerLogs', { enforceSSL: true });
    new ApiTier(stack, 'Api', { vpc: vpcOf(stack), accessLogBucket });
    expect(findings(stack)).toEqual([expect.stringMatching(/^error AwsSolutions-S1 at TestStack\/CallerLogs\/Resource: /)]);
  });

  test('AuroraPostgres without enhanced monitoring has no monitoring role and nothing to acknowledge for it', () => {
    const stack = testStack();
    new AuroraPostgres(stack, 'Db', { vpc: vpcOf(stack), monitoringInterval: Duration.seconds(0) });
    expect(findings(stack)).toEqual([]);
    expect(acknowledgementsOf(stack).map((a) => a.rule)).not.toContainEqual(expect.stringMatching(/AmazonRDSEnhancedMonitoringRole/));
  });
});
