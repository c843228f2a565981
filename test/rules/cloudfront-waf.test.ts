import type { Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { testApp, testStack } from '../support/test-stack';
import { ruleIds, stack } from './support';

const VISIBILITY = { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true };

/** A web ACL with a per-IP rate-based rule (or, with `rateRule: false`, only a managed rule group). */
function webAcl(scope: Stack, scopeName: 'CLOUDFRONT' | 'REGIONAL', rateRule = true): wafv2.CfnWebACL {
  const rule: wafv2.CfnWebACL.RuleProperty = rateRule
    ? { name: 'per-ip', priority: 0, action: { block: {} }, visibilityConfig: VISIBILITY, statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: 'IP' } } }
    : { name: 'common', priority: 0, overrideAction: { none: {} }, visibilityConfig: VISIBILITY, statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } } };
  return new wafv2.CfnWebACL(scope, 'Acl', { scope: scopeName, defaultAction: { allow: {} }, visibilityConfig: VISIBILITY, rules: [rule] });
}

interface CdnOptions {
  readonly defaultBehavior?: Partial<cloudfront.BehaviorOptions>;
  readonly webAcl?: 'rate' | 'no-rate' | 'none' | 'external';
}

/** An API behind CloudFront: writes uncached by default, /static/* cached, compression on, a rate-limiting web ACL. */
function cdn(options: CdnOptions = {}): Stack {
  const s = stack();
  const origin = new origins.HttpOrigin('api.example.com');
  const acl = options.webAcl ?? 'rate';
  const webAclId = acl === 'none' ? undefined
    : acl === 'external' ? 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/11111111-2222-3333-4444-555555555555'
      : webAcl(s, 'CLOUDFRONT', acl === 'rate').attrArn;
  new cloudfront.Distribution(s, 'Cdn', {
    defaultBehavior: { origin, allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL, cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED, ...options.defaultBehavior },
    additionalBehaviors: { '/static/*': { origin, cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED } },
    webAclId,
  });
  return s;
}

describe('CloudFront rules', () => {
  test('uncached writes, cached static GETs, compression, a rate-limiting web ACL: no finding', () => {
    expect(ruleIds(cdn())).toEqual([]);
  });

  test('CF1: a GET/HEAD default behaviour with CachingDisabled', () => {
    expect(ruleIds(cdn({ defaultBehavior: { allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD } }))).toEqual(['CF1']);
  });

  test('CF1: a GET-only behaviour whose own cache policy has MaxTTL 0; with MaxTTL 60 it passes', () => {
    const build = (maxTtl: number) => {
      const s = cdn();
      const policy = new cloudfront.CfnCachePolicy(s, 'NoCache', {
        cachePolicyConfig: {
          name: 'no-cache', defaultTtl: 0, minTtl: 0, maxTtl,
          parametersInCacheKeyAndForwardedToOrigin: { enableAcceptEncodingGzip: false, headersConfig: { headerBehavior: 'none' }, cookiesConfig: { cookieBehavior: 'none' }, queryStringsConfig: { queryStringBehavior: 'none' } },
        },
      });
      const distribution = s.node.findChild('Cdn').node.defaultChild as cloudfront.CfnDistribution;
      // Point /static/* at it through the L1 property (what the rule reads; a property override would not be seen).
      const config = s.resolve(distribution.distributionConfig);
      config.cacheBehaviors[0].cachePolicyId = policy.ref;
      distribution.distributionConfig = config;
      return s;
    };
    expect(ruleIds(build(0))).toEqual(['CF1']);
    expect(ruleIds(build(60))).toEqual([]);
  });

  test('CF2: a behaviour with compression off', () => {
    expect(ruleIds(cdn({ defaultBehavior: { compress: false } }))).toEqual(['CF2']);
  });
});

describe('WAF rule (WAF1)', () => {
  test('a distribution with no web ACL, or one without a rate-based rule, is reported', () => {
    expect(ruleIds(cdn({ webAcl: 'none' }))).toEqual(['WAF1']);
    expect(ruleIds(cdn({ webAcl: 'no-rate' }))).toEqual(['WAF1']);
  });

  test('a web ACL given as an ARN from outside the app is not judged (its rules are not visible)', () => {
    expect(ruleIds(cdn({ webAcl: 'external' }))).toEqual([]);
  });

  test('the web ACL in another stack (us-east-1, cross-region reference) is followed to its rules', () => {
    for (const [rateRule, expected] of [[true, []], [false, ['WAF1']]] as const) {
      const app = testApp();
      const edge = testStack('Edge', { env: { region: 'us-east-1' } }, app);
      const regional = testStack('Regional', { crossRegionReferences: true }, app);
      const acl = webAcl(edge, 'CLOUDFRONT', rateRule);
      new cloudfront.Distribution(regional, 'Cdn', {
        defaultBehavior: { origin: new origins.HttpOrigin('api.example.com'), allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL, cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED },
        webAclId: acl.attrArn,
      });
      expect(ruleIds(regional)).toEqual(expected);
    }
  });

  test('a rate-based rule nested as a scope-down (inside a NotStatement) counts', () => {
    const s = cdn({ webAcl: 'no-rate' });
    const acl = s.node.findChild('Acl') as wafv2.CfnWebACL;
    acl.rules = [{
      name: 'writes', priority: 1, action: { block: {} }, visibilityConfig: VISIBILITY,
      statement: { notStatement: { statement: { rateBasedStatement: { limit: 500, aggregateKeyType: 'IP' } } } },
    }];
    expect(ruleIds(s)).toEqual([]);
  });

  test('an internet-facing ALB needs a web ACL association with a rate-based rule; an internal one does not', () => {
    const build = (internetFacing: boolean, associate: boolean) => {
      const s = stack();
      const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const lb = new elbv2.ApplicationLoadBalancer(s, 'Lb', { vpc, internetFacing });
      if (associate) new wafv2.CfnWebACLAssociation(s, 'Waf', { resourceArn: lb.loadBalancerArn, webAclArn: webAcl(s, 'REGIONAL').attrArn });
      return s;
    };
    expect(ruleIds(build(true, false))).toEqual(['WAF1']);
    expect(ruleIds(build(true, true))).toEqual([]);
    expect(ruleIds(build(false, false))).toEqual([]);
  });
});
