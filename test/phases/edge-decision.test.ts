/**
 * Is the edge worth it? The plan decides per phase between CloudFront and a REGIONAL web ACL on the ALB
 * (lib/capacity/edge-decision.ts), and the stacks, the cost, the monitoring and the review follow the decision.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapacityInput, CostPlan, decideEdge, DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { CfnTemplate, diffPhaseTemplates, statefulViolations } from '../../lib/review/phase-diff';
import { OUTPUTS } from '../../lib/outputs';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';
import { childIds, constructTree } from '../support/construct-tree';
// No cacheable GETs and no static assets: CloudFront would be a toll on every request.
import { NOTHING_TO_CACHE } from '../support/regional-model';
import { synthesizedPhases, templateOf } from '../support/synthesized-phases';

const ofType = (t: Record<string, any>, type: string) => Object.entries(t.Resources as Record<string, any>).filter(([, r]) => r.Type === type);

describe('the edge decision in the plan', () => {
  test('GIVEN the embedded model THEN every phase keeps CloudFront: 32 % offload and static assets, at a stated premium', () => {
    const plans = planModel(parseCapacity(DEFAULT_MODEL));
    expect(plans.map((p) => p.edge.mode.value)).toEqual(['CLOUDFRONT', 'CLOUDFRONT', 'CLOUDFRONT']);
    const [p1] = plans;
    expect(p1.edge.offloadShare.value).toBeCloseTo(0.324, 3); // 90 % reads x 40 % cacheable x 90 % hit ratio
    expect(p1.edge.cloudFrontUsd.value).toBeCloseTo(p1.cost.lines.filter((l) => l.item.startsWith('CloudFront')).reduce((s, l) => s + l.usd, 0), 6);
    expect(p1.edge.cloudFrontBillShare.value).toBeCloseTo(p1.edge.cloudFrontUsd.value / p1.cost.totalUsd, 9);
    expect(Math.round(p1.edge.extraCostUsd.value)).toBe(1917);
    expect(p1.edge.mode.why).toMatch(/it answers 32 % of requests \(>= policy.edgeMinOffloadShare 5 %\)/);
    expect(p1.edge.mode.why).toMatch(/static assets \(\/static\/\*, \/assets\/\*\)/);
    expect(p1.edge.mode.why).toMatch(/CloudFront bills 3,263 USD\/month \(46 % of the bill\); with it the phase costs 1,917 USD\/month more than without/);
  });

  describe('GIVEN no cacheable GETs and no static paths', () => {
    const plans = planModel(parseCapacity(NOTHING_TO_CACHE));

    test('THEN every phase goes REGIONAL, with the CloudFront fees it avoids and why', () => {
      expect(plans.map((p) => p.edge.mode.value)).toEqual(['REGIONAL', 'REGIONAL', 'REGIONAL']);
      for (const p of plans) {
        expect(p.edge.offloadShare.value).toBe(0);
        expect(p.edge.extraCostUsd.value).toBeGreaterThan(0);
        expect(p.edge.cloudFrontBillShare.value).toBeGreaterThan(0.3);
        expect(p.edge.mode.why).toMatch(/REGIONAL web ACL on the ALB, no CloudFront: it would answer 0 % of requests/);
        expect(p.edge.mode.why).toMatch(/Shield Standard covers the ALB/);
      }
    });

    test('THEN the bill has no CloudFront lines, the ALB egress instead, and the origin is sized for every request', () => {
      for (const p of plans) {
        const items = p.cost.lines.map((l) => l.item);
        expect(items).not.toContain('CloudFront requests');
        expect(items).not.toContain('CloudFront data out');
        expect(items).toContain('Internet data out (ALB)');
        expect(p.traffic.cdnOffloadShare.value).toBe(0);
        expect(p.traffic.originDesignRps.value).toBe(p.traffic.designPeakRps.value);
      }
      expect(plans[0].cost.totalUsd + plans[0].edge.extraCostUsd.value).toBeCloseTo(
        planModel(parseCapacity({ ...NOTHING_TO_CACHE, cdn: {} }))[0].cost.totalUsd, 6,
      );
    });
  });

  describe('decideEdge: each reason can keep CloudFront, and without one it goes', () => {
    const model = parseCapacity(NOTHING_TO_CACHE);
    const bill = (total: number, cloudFront = 0): CostPlan =>
      ({ lines: [{ item: 'CloudFront requests', usd: cloudFront, basis: '' }], totalUsd: total } as unknown as CostPlan);
    test.each([
      ['caches nothing and costs more', 0, bill(1000, 300), bill(900), 'REGIONAL'],
      ['pays for itself', 0, bill(900, 300), bill(1000), 'CLOUDFRONT'],
      ['answers 5 % of requests', 0.05, bill(1000, 300), bill(900), 'CLOUDFRONT'],
      ['answers 4.9 % of requests', 0.049, bill(1000, 300), bill(900), 'REGIONAL'],
    ] as const)('%s', (_name, offload, withCf, direct, mode) => {
      expect(decideEdge(model, offload, withCf, direct).mode.value).toBe(mode);
    });
    test('static assets keep it', () => {
      const withStatic = parseCapacity({ ...NOTHING_TO_CACHE, cdn: { staticPathPatterns: ['/s/*'] } });
      expect(decideEdge(withStatic, 0, bill(1000, 300), bill(900)).mode.value).toBe('CLOUDFRONT');
    });
  });
});

describe('the stacks follow the decision', () => {
  const regional = synthesizedPhases(NOTHING_TO_CACHE);
  const embedded = synthesizedPhases(DEFAULT_MODEL);
  const cfn = (s: { template: Record<string, any> }) => s.template as CfnTemplate;
  /** The app's construct tree as synthesized: the app's children are its stacks, a stack's children its constructs. */
  const tree = constructTree(regional.directory);

  test('GIVEN the embedded model THEN each phase has its edge stack (CLOUDFRONT web ACL) and a distribution using it', () => {
    for (const { stack, edge } of embedded.phases) {
      expect(edge).toBeDefined();
      templateOf(edge!).hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
      templateOf(stack).resourceCountIs('AWS::CloudFront::Distribution', 1);
      templateOf(stack).resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
      templateOf(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    }
  });

  describe('GIVEN a REGIONAL plan', () => {
    test('THEN there is no edge stack, no distribution, and the regional web ACL is associated with the internet-facing ALB', () => {
      expect(childIds(tree).filter((id) => /Edge$/.test(id))).toEqual([]);
      for (const { stack, edge, plan } of regional.phases) {
        expect(edge).toBeUndefined();
        // The PhaseStack's `cdn` is the construct `<stack>/Cdn`: absent from the tree when it was never created.
        expect(childIds(tree.children![stack.artifactId])).not.toContain('Cdn');
        const t = templateOf(stack);
        t.resourceCountIs('AWS::CloudFront::Distribution', 0);
        t.resourceCountIs('AWS::WAFv2::WebACL', 1);
        const [[aclId, acl]] = ofType(t.toJSON(), 'AWS::WAFv2::WebACL');
        expect(acl.Properties.Scope).toBe('REGIONAL');
        const [[lbId, lb]] = ofType(t.toJSON(), 'AWS::ElasticLoadBalancingV2::LoadBalancer');
        expect(lb.Properties.Scheme).toBe('internet-facing');
        t.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: lbId }, WebACLArn: { 'Fn::GetAtt': [aclId, 'Arn'] } });
        // The plan's rate limits, as in the edge stack's ACL.
        const limit = (name: string) => acl.Properties.Rules.find((r: any) => r.Name === name).Statement.RateBasedStatement.Limit;
        expect(limit('PerIpAll')).toBe(plan.waf.perIpAllLimit.value);
        expect(limit('PerIpLogin')).toBe(plan.waf.perIpLoginLimit.value);
        expect(t.toJSON().Outputs[OUTPUTS.url].Value).toEqual({ 'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [lbId, 'DNSName'] }]] });
      }
    });

    test("THEN the WAF's blocked-rate alarm moves to the regional stack, on the regional metric", () => {
      for (const { stack, plan } of regional.phases) {
        const waf = plan.monitoring.saturation.find((s) => s.metric === 'wafBlockedRatePct')!;
        const alarms = ofType(cfn(stack), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
        const wafAlarm = alarms.find((a) => (a.Metrics ?? []).some((m: any) => m.MetricStat?.Metric?.Namespace === 'AWS/WAFV2'));
        expect(wafAlarm).toBeDefined();
        expect(wafAlarm.Threshold).toBe(waf.threshold.value);
        const dims = wafAlarm.Metrics.find((m: any) => m.MetricStat).MetricStat.Metric.Dimensions.map((d: any) => d.Name).sort();
        expect(dims).toEqual(['Region', 'Rule', 'WebACL']);
      }
    });

    test('THEN cdk-nag passes: the internet-facing ALB acknowledged with its reason (cfn-lint: test/phases/cfn-lint.slow.test.ts)', () => {
      const report = JSON.parse(fs.readFileSync(path.join(regional.directory, 'validation-report.json'), 'utf8'));
      expect(report.pluginReports.filter((r: { pluginName: string }) => r.pluginName === 'AwsSolutions')).toEqual([]);
    });

    test('THEN promoting from a CLOUDFRONT phase replaces the load balancer (Scheme is create-only) and removes the distribution; the one stateful change is the orphaned CloudFront log bucket', () => {
      const from = cfn(embedded.phases[0].stack);
      const to = cfn(regional.phases[1].stack);
      const diff = diffPhaseTemplates(from, to);
      // The promotion check flags it (rightly: the bucket leaves CloudFormation's management); no data is lost.
      expect(statefulViolations(diff)).toEqual([expect.stringMatching(/^CdnLogs\w+ \(AWS::S3::Bucket\) would be REMOVED from the stack \(WILL_ORPHAN: DeletionPolicy Retain keeps it/)]);
      const replaced = diff.resources.filter((r) => r.action === 'replaced' || r.action === 'may-be-replaced');
      expect(replaced.map((r) => r.type)).toContain('AWS::ElasticLoadBalancingV2::LoadBalancer');
      expect(replaced.filter((r) => r.stateful)).toEqual([]);
      const removed = diff.resources.filter((r) => r.action === 'removed').map((r) => r.type);
      expect(removed).toContain('AWS::CloudFront::Distribution');
      // The CloudFront log bucket leaves the template but is retained (DeletionPolicy Retain), not deleted.
      const logBucket = diff.resources.find((r) => r.action === 'removed' && r.type === 'AWS::S3::Bucket');
      expect(logBucket?.policies.deletion[0]).toBe('Retain');
      const added = diff.resources.filter((r) => r.action === 'added').map((r) => r.type);
      expect(added).toEqual(expect.arrayContaining(['AWS::WAFv2::WebACL', 'AWS::WAFv2::WebACLAssociation']));
    });
  });
});

describe('the report says it', () => {
  const section9 = (input: CapacityInput) => {
    const md = renderMarkdown(buildReport(parseCapacity(input)));
    return md.slice(md.indexOf('9. CDN and edge strategy'), md.indexOf('10. '));
  };
  test('GIVEN the embedded model THEN section 9 shows the numbers and keeps the cache behaviours', () => {
    const text = section9(DEFAULT_MODEL);
    expect(text).toMatch(/\| Edge \| CloudFront \+ web ACL \(us-east-1\) \| CloudFront \+ web ACL \(us-east-1\) \| CloudFront \+ web ACL \(us-east-1\) \|/);
    expect(text).toMatch(/\| Requests CloudFront answers \| 32\.4 % \| 32\.4 % \| 32\.4 % \|/);
    expect(text).toMatch(/\| Bill with CloudFront - without \| 1,917 USD \|/);
    expect(text).toContain('/static/*, /assets/*');
  });
  test('GIVEN nothing to cache THEN section 9 says REGIONAL, why, and what a move from CloudFront replaces', () => {
    const text = section9(NOTHING_TO_CACHE);
    expect(text).toMatch(/\| Edge \| REGIONAL web ACL on the ALB \| REGIONAL web ACL on the ALB \| REGIONAL web ACL on the ALB \|/);
    expect(text).toMatch(/Phase 1 \(2x\): REGIONAL web ACL on the ALB, no CloudFront: it would answer 0 % of requests/);
    expect(text).toMatch(/the load balancer is replaced \(its scheme cannot change in place\) and the CloudFront log bucket is orphaned/);
    expect(text).not.toContain('/static/*');
  });
});
