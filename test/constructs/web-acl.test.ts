import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RateLimitRule, WebAcl, WebAclProps } from '../../lib/constructs/web-acl';
import { resolveMetric } from '../support/metric-helpers';
import { cdkJsonContext, testStack } from '../support/test-stack';

const US_EAST_1 = { env: { region: 'us-east-1' } };
const DEFAULT_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

function managedRule(group: string, priority: number) {
  return Match.objectLike({
    Name: `AWS-${group}`,
    Priority: priority,
    Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: group } },
    OverrideAction: { None: {} },
    VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: `AWS-${group}` },
  });
}

function methodMatch(method: string) {
  return {
    ByteMatchStatement: {
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      SearchString: method,
      TextTransformations: [{ Priority: 0, Type: 'NONE' }],
    },
  };
}

const TOO_MANY_REQUESTS = {
  Block: {
    CustomResponse: Match.objectLike({ ResponseCode: 429, CustomResponseBodyKey: 'TooManyRequests' }),
  },
};

describe('WebAcl', () => {
  describe('defaults', () => {
    let stack: Stack;
    let acl: WebAcl;
    let template: Template;
    beforeAll(() => {
      // GIVEN a us-east-1 (edge) stack, WHEN
      stack = testStack('Edge', US_EAST_1);
      acl = new WebAcl(stack, 'WebAcl');
      template = Template.fromStack(stack);
    });

    test('CLOUDFRONT scope, default allow, metrics and sampled requests on the ACL', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'CLOUDFRONT',
        DefaultAction: { Allow: {} },
        Name: Match.stringLikeRegexp('^Edge-WebAcl-'),
        VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: Match.stringLikeRegexp('^Edge-WebAcl-') },
      });
    });

    test('one rate rule, 2000 per 5 min per IP, blocked with 429; then the four managed groups', () => {
      template.hasResourceProperties('AWS::WAFv2::WebACL', {
        Rules: [
          {
            Name: 'PerIpAll',
            Priority: 0,
            Statement: { RateBasedStatement: { Limit: 2000, EvaluationWindowSec: 300, AggregateKeyType: 'IP' } },
            Action: {
              Block: {
                CustomResponse: {
                  ResponseCode: 429,
                  CustomResponseBodyKey: 'TooManyRequests',
                  ResponseHeaders: [{ Name: 'Retry-After', Value: '300' }],
                },
              },
            },
            VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'PerIpAll' },
          },
          ...DEFAULT_GROUPS.map((group, i) => managedRule(group, i + 1)),
        ],
        CustomResponseBodies: {
          TooManyRequests: { ContentType: 'APPLICATION_JSON', Content: Match.stringLikeRegexp('too_many_requests') },
        },
      });
    });

    test("logs to a retained 'aws-waf-logs-' log group, Authorization redacted", () => {
      template.hasResource('AWS::Logs::LogGroup', {
        DeletionPolicy: 'Retain',
        Properties: { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-Edge-WebAcl-'), RetentionInDays: 365 },
      });
      const logGroupId = stack.getLogicalId(acl.logGroup!.node.defaultChild as logs.CfnLogGroup);
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        ResourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^WebAcl'), 'Arn'] },
        // No ':*' suffix (WAF rejects it), and a Ref so the log group is created first.
        LogDestinationConfigs: [{
          'Fn::Join': ['', [Match.stringLikeRegexp('^arn:aws:logs:us-east-1:'), Match.anyValue(), ':log-group:', { Ref: logGroupId }]],
        }],
        RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
      });
    });

    test('logs only what WAF blocked or counted: allowed requests are dropped', () => {
      template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        LoggingFilter: {
          DefaultBehavior: 'DROP',
          Filters: [{
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          }],
        },
      });
    });

    test('public fields', () => {
      expect(stack.resolve(acl.webAclArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(acl.webAcl), 'Arn'] });
      expect(stack.resolve(acl.webAclId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(acl.webAcl), 'Id'] });
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  test('all props: scoped-down rate rules (method AND path), forwarded IP, COUNT, custom managed groups, REGIONAL, no logging', () => {
    // GIVEN a regional stack
    const stack = testStack();
    const rateLimits: RateLimitRule[] = [
      { name: 'Writes', limit: 100, evaluationWindowSec: 60, methods: ['POST', 'PUT', 'PATCH', 'DELETE'], pathPrefix: '/api/' },
      { name: 'Login', limit: 10, evaluationWindowSec: 600, aggregateKey: 'FORWARDED_IP', methods: ['POST'] },
      { name: 'Search', limit: 5000, evaluationWindowSec: 120, pathPrefix: '/api/search', action: 'COUNT' },
    ];
    // WHEN
    const acl = new WebAcl(stack, 'WebAcl', {
      scope: 'REGIONAL',
      rateLimits,
      managedRuleGroups: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesLinuxRuleSet'],
      logging: false,
    });
    const template = Template.fromStack(stack);

    // THEN
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        Match.objectLike({
          Name: 'Writes',
          Priority: 0,
          Statement: {
            RateBasedStatement: {
              Limit: 100,
              EvaluationWindowSec: 60,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                AndStatement: {
                  Statements: [
                    { OrStatement: { Statements: ['POST', 'PUT', 'PATCH', 'DELETE'].map(methodMatch) } },
                    {
                      ByteMatchStatement: {
                        FieldToMatch: { UriPath: {} },
                        PositionalConstraint: 'STARTS_WITH',
                        SearchString: '/api/',
                        TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }, { Priority: 1, Type: 'NORMALIZE_PATH' }],
                      },
                    },
                  ],
                },
              },
            },
          },
          Action: TOO_MANY_REQUESTS,
        }),
        Match.objectLike({
          Name: 'Login',
          Priority: 1,
          Statement: {
            RateBasedStatement: {
              Limit: 10,
              EvaluationWindowSec: 600,
              AggregateKeyType: 'FORWARDED_IP',
              ForwardedIPConfig: { HeaderName: 'X-Forwarded-For', FallbackBehavior: 'MATCH' },
              // A single method needs no OrStatement (WAF requires two or more).
              ScopeDownStatement: methodMatch('POST'),
            },
          },
          Action: TOO_MANY_REQUESTS,
        }),
        Match.objectLike({
          Name: 'Search',
          Priority: 2,
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 5000,
              EvaluationWindowSec: 120,
              ScopeDownStatement: { ByteMatchStatement: Match.objectLike({ SearchString: '/api/search' }) },
            }),
          },
          Action: { Count: {} },
          VisibilityConfig: Match.objectLike({ MetricName: 'Search' }),
        }),
        managedRule('AWSManagedRulesCommonRuleSet', 3),
        managedRule('AWSManagedRulesLinuxRuleSet', 4),
      ],
    });
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    expect(acl.logGroup).toBeUndefined();
  });

  test('logRetention is applied', () => {
    const stack = testStack('Edge', US_EAST_1);
    new WebAcl(stack, 'WebAcl', { logRetention: logs.RetentionDays.THREE_MONTHS });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  test('the name does not depend on limits, so a phase that changes them updates in place', () => {
    const names = (props: WebAclProps) => {
      const template = Template.fromStack((() => {
        const stack = testStack('Edge', US_EAST_1);
        new WebAcl(stack, 'WebAcl', props);
        return stack;
      })());
      const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0];
      const logGroup = Object.values(template.findResources('AWS::Logs::LogGroup'))[0];
      return [acl.Properties.Name, logGroup.Properties.LogGroupName];
    };
    expect(names({ rateLimits: [{ name: 'PerIpAll', limit: 20000, evaluationWindowSec: 60 }] })).toEqual(names({}));
  });

  test('an environment-agnostic stack gets a CloudFormation rule that only us-east-1 passes', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Agnostic');
    new WebAcl(stack, 'WebAcl');
    const rules = Template.fromStack(stack).toJSON().Rules;
    expect(Object.values(rules)).toContainEqual({
      Assertions: [{ Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }, AssertDescription: expect.stringContaining('us-east-1') }],
    });
  });

  describe('metrics', () => {
    test.each([['BlockedRequests'], ['AllowedRequests']])('CLOUDFRONT scope, %s: AWS/WAFV2 by WebACL and Rule=ALL (no Region), Sum, pinned to us-east-1', (metricName) => {
      // GIVEN the edge stack's web ACL
      const stack = testStack('Edge', US_EAST_1);
      const acl = new WebAcl(stack, 'WebAcl');
      // WHEN
      const metric = metricName === 'BlockedRequests' ? acl.metricBlockedRequests() : acl.metricAllowedRequests();
      // THEN the dimension is the name the web ACL publishes under (its VisibilityConfig metric name)
      const cfnAcl = Template.fromStack(stack).findResources('AWS::WAFv2::WebACL');
      const metricNameOfAcl = Object.values(cfnAcl)[0].Properties.VisibilityConfig.MetricName;
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/WAFV2', metricName, dimensions: { WebACL: metricNameOfAcl, Rule: 'ALL' }, statistic: 'Sum', periodSec: 300,
      });
      expect(metric.region).toBe('us-east-1');
    });

    test('REGIONAL scope adds the Region dimension of its own region', () => {
      const stack = testStack('Regional', { env: { region: 'eu-west-1' } });
      const acl = new WebAcl(stack, 'WebAcl', { scope: 'REGIONAL' });
      expect(resolveMetric(stack, acl.metricBlockedRequests())).toMatchObject({
        dimensions: { WebACL: acl.webAclName, Region: 'eu-west-1', Rule: 'ALL' },
      });
    });
  });

  describe('rejects bad input', () => {
    test('CLOUDFRONT scope outside us-east-1', () => {
      const stack = testStack('AppStack'); // eu-central-1
      expect(() => new WebAcl(stack, 'WebAcl')).toThrow(
        "WebAcl with scope CLOUDFRONT must be in us-east-1, but stack 'AppStack' is in 'eu-central-1': put it in an edge stack in us-east-1 (see README)",
      );
    });

    test('REGIONAL scope is fine outside us-east-1', () => {
      expect(() => new WebAcl(testStack(), 'WebAcl', { scope: 'REGIONAL' })).not.toThrow();
    });

    test.each<[Partial<RateLimitRule>, RegExp]>([
      [{ evaluationWindowSec: 30 as 60 }, /'rateLimits\[0\]\.evaluationWindowSec' \(30\) of rule 'R' must be one of 60, 120, 300, 600/],
      [{ limit: 9 }, /'rateLimits\[0\]\.limit' \(9\) of rule 'R' must be an integer from 10 to 2,000,000,000/],
      [{ limit: 2_000_000_001 }, /'rateLimits\[0\]\.limit' \(2000000001\)/],
      [{ limit: 100.5 }, /'rateLimits\[0\]\.limit' \(100\.5\)/],
      [{ name: 'has space' }, /'rateLimits\[0\]\.name' \("has space"\) must be 1-128 characters/],
      [{ name: '' }, /'rateLimits\[0\]\.name' \(""\)/],
      [{ name: 'x'.repeat(129) }, /'rateLimits\[0\]\.name'/],
      [{ methods: ['post'] }, /'rateLimits\[0\]\.methods' \(\["post"\]\) of rule 'R' must be a non-empty list/],
      [{ methods: [] }, /'rateLimits\[0\]\.methods' \(\[\]\)/],
      [{ pathPrefix: 'api/' }, /'rateLimits\[0\]\.pathPrefix' \("api\/"\) of rule 'R' must start with '\/'/],
    ])('rate rule %j', (override, message) => {
      const stack = testStack('Edge', US_EAST_1);
      expect(() => new WebAcl(stack, 'WebAcl', { rateLimits: [{ name: 'R', limit: 100, ...override }] })).toThrow(message);
    });

    test('duplicate rule names', () => {
      const stack = testStack('Edge', US_EAST_1);
      expect(() => new WebAcl(stack, 'WebAcl', {
        rateLimits: [{ name: 'Same', limit: 100 }, { name: 'Same', limit: 200 }],
      })).toThrow(/Rule name 'Same' is used twice/);
    });

    test('a rate rule named like a managed group rule', () => {
      const stack = testStack('Edge', US_EAST_1);
      expect(() => new WebAcl(stack, 'WebAcl', {
        rateLimits: [{ name: 'AWS-AWSManagedRulesSQLiRuleSet', limit: 100 }],
      })).toThrow(/Rule name 'AWS-AWSManagedRulesSQLiRuleSet' is used twice/);
    });

    test('a malformed managed group name', () => {
      const stack = testStack('Edge', US_EAST_1);
      expect(() => new WebAcl(stack, 'WebAcl', { managedRuleGroups: ['AWS Managed'] })).toThrow(/'managedRuleGroups\[0\]' \("AWS Managed"\)/);
    });
  });
});
