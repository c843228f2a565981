import { ArnFormat, Aws, CfnRule, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { propError } from './validation';

/** One rate-based rule: at most `limit` requests per `evaluationWindowSec` per client key, optionally only for some requests. */
export interface RateLimitRule {
  /** Rule name, also its CloudWatch metric name: 1-128 of A-Z a-z 0-9 _ -, unique in the web ACL. */
  readonly name: string;

  /** Requests allowed per evaluation window per aggregation key. WAF accepts 10 to 2,000,000,000. */
  readonly limit: number;

  /**
   * Length of the sliding window WAF counts requests in, in seconds.
   * @default 300
   */
  readonly evaluationWindowSec?: 60 | 120 | 300 | 600;

  /**
   * What a client is: its source IP, or the first IP in `X-Forwarded-For` (only for a REGIONAL ACL behind a proxy;
   * in front of CloudFront the source IP is already the viewer's).
   * @default 'IP'
   */
  readonly aggregateKey?: 'IP' | 'FORWARDED_IP';

  /**
   * Scope-down: only requests with one of these HTTP methods count towards the limit, e.g. ['POST', 'PUT', 'PATCH', 'DELETE'].
   * @default - every method
   */
  readonly methods?: string[];

  /**
   * Scope-down: only requests whose (URL-decoded, normalised) path starts with this prefix count, e.g. '/api/auth/'.
   * @default - every path
   */
  readonly pathPrefix?: string;

  /**
   * What happens above the limit: BLOCK answers 429, COUNT only records a metric (to tune a limit before enforcing it).
   * @default 'BLOCK'
   */
  readonly action?: 'BLOCK' | 'COUNT';
}

/** Properties of {@link WebAcl}. */
export interface WebAclProps {
  /**
   * CLOUDFRONT for a distribution (the web ACL must then be in us-east-1), REGIONAL for an ALB, API Gateway, etc.
   * @default 'CLOUDFRONT'
   */
  readonly scope?: 'CLOUDFRONT' | 'REGIONAL';

  /**
   * Rate-based rules, evaluated first, in this order (priorities 0, 1, 2...).
   * @default [{ name: 'PerIpAll', limit: 2000 }] - 2,000 requests per 5 minutes per IP
   */
  readonly rateLimits?: RateLimitRule[];

  /**
   * AWS managed rule groups (vendor AWS), evaluated after the rate rules in this order, with their own actions (OverrideAction none).
   * @default ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesSQLiRuleSet']
   */
  readonly managedRuleGroups?: string[];

  /**
   * Whether to log the requests WAF blocks or counts to a CloudWatch log group named 'aws-waf-logs-...'
   * (allowed requests are dropped; the Authorization and Cookie headers are redacted).
   * @default true
   */
  readonly logging?: boolean;

  /**
   * How long WAF logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Defaults of {@link WebAclProps} and {@link RateLimitRule}, in one place. */
export const WEB_ACL_DEFAULTS = {
  scope: 'CLOUDFRONT',
  rateLimits: [{ name: 'PerIpAll', limit: 2000 }] as readonly RateLimitRule[],
  evaluationWindowSec: 300,
  aggregateKey: 'IP',
  action: 'BLOCK',
  managedRuleGroups: [
    'AWSManagedRulesAmazonIpReputationList',
    'AWSManagedRulesCommonRuleSet',
    'AWSManagedRulesKnownBadInputsRuleSet',
    'AWSManagedRulesSQLiRuleSet',
  ],
  logging: true,
  logRetention: logs.RetentionDays.ONE_YEAR,
} as const;

/** WAF's bounds on a rate-based rule's limit. */
export const RATE_LIMIT_RANGE = { min: 10, max: 2_000_000_000 } as const;
const EVALUATION_WINDOWS = [60, 120, 300, 600];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];
const RULE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** Key of the JSON body sent with a rate-limit 429. */
const TOO_MANY_REQUESTS_BODY = 'TooManyRequests';

/**
 * A WAFv2 web ACL: rate-based rules first, then AWS managed rule groups; requests that match nothing are allowed.
 *
 * Rate-limited requests get `429 Too Many Requests` with a JSON body and `Retry-After`. Every rule publishes
 * CloudWatch metrics and sampled requests under its own name. Requests are logged to CloudWatch Logs.
 *
 * The web ACL's name and the log group's name derive from the construct path only, so phases that change limits
 * or windows update it in place.
 */
export class WebAcl extends Construct {
  /** The web ACL. */
  public readonly webAcl: wafv2.CfnWebACL;

  /** ARN of the web ACL: what `Cdn.webAclArn` / CloudFront's `webAclId` and ALB associations take. */
  public readonly webAclArn: string;

  /** ID of the web ACL. */
  public readonly webAclId: string;

  /** Name of the web ACL, also its CloudWatch metric name (dimension WebACL). */
  public readonly webAclName: string;

  /** CLOUDFRONT or REGIONAL. */
  public readonly scope: 'CLOUDFRONT' | 'REGIONAL';

  /** Where WAF logs go, when `logging` is on. */
  public readonly logGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps = {}) {
    super(scope, id);
    const aclScope = props.scope ?? WEB_ACL_DEFAULTS.scope;
    const rateLimits = props.rateLimits ?? WEB_ACL_DEFAULTS.rateLimits;
    const managedRuleGroups = props.managedRuleGroups ?? [...WEB_ACL_DEFAULTS.managedRuleGroups];
    const stack = Stack.of(this);

    if (aclScope !== 'CLOUDFRONT' && aclScope !== 'REGIONAL') {
      throw propError(this, `'scope' (${aclScope}) must be 'CLOUDFRONT' or 'REGIONAL'`);
    }
    if (aclScope === 'CLOUDFRONT') {
      if (!Token.isUnresolved(stack.region) && stack.region !== 'us-east-1') {
        throw propError(this, `WebAcl with scope CLOUDFRONT must be in us-east-1, but stack '${stack.stackName}' is in '${stack.region}': put it in an edge stack in us-east-1 (see README)`);
      }
      if (Token.isUnresolved(stack.region)) {
        // Environment-agnostic stack: the region is only known at deploy time, so let CloudFormation refuse it early.
        new CfnRule(this, 'RegionCheck', {
          assertions: [{
            assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
            assertDescription: 'A WAF web ACL with scope CLOUDFRONT must be deployed in us-east-1',
          }],
        });
      }
    }
    rateLimits.forEach((rule, i) => validateRateLimit(this, rule, i));
    managedRuleGroups.forEach((group, i) => {
      if (!RULE_NAME.test(`AWS-${group}`)) {
        throw propError(this, `'managedRuleGroups[${i}]' (${JSON.stringify(group)}) must be an AWS managed rule group name: 1-124 of A-Z a-z 0-9 _ -`);
      }
    });
    const ruleNames = [...rateLimits.map((r) => r.name), ...managedRuleGroups.map(managedRuleName)];
    const duplicate = ruleNames.find((n, i) => ruleNames.indexOf(n) !== i);
    if (duplicate !== undefined) {
      throw propError(this, `Rule name '${duplicate}' is used twice in 'rateLimits'/'managedRuleGroups': WAF rule names must be unique (managed groups are named 'AWS-<group>')`);
    }

    const aclName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    const rules: wafv2.CfnWebACL.RuleProperty[] = [
      ...rateLimits.map((rule, i) => renderRateRule(rule, i)),
      ...managedRuleGroups.map((group, i) => ({
        name: managedRuleName(group),
        priority: rateLimits.length + i,
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        overrideAction: { none: {} },
        visibilityConfig: visibility(managedRuleName(group)),
      })),
    ];

    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      name: aclName,
      description: 'Rate limits, then AWS managed rule groups, default allow',
      scope: aclScope,
      defaultAction: { allow: {} },
      rules,
      visibilityConfig: visibility(aclName),
      customResponseBodies: {
        [TOO_MANY_REQUESTS_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ error: 'too_many_requests', message: 'Rate limit exceeded: retry later.' }),
        },
      },
    });
    this.webAclName = aclName;
    this.scope = aclScope;
    this.webAclArn = this.webAcl.attrArn;
    this.webAclId = this.webAcl.attrId;

    if (props.logging ?? WEB_ACL_DEFAULTS.logging) {
      this.logGroup = new logs.LogGroup(this, 'Logs', {
        // WAF only delivers to log groups whose name starts with 'aws-waf-logs-'.
        logGroupName: `aws-waf-logs-${aclName}`,
        retention: props.logRetention ?? WEB_ACL_DEFAULTS.logRetention,
        // Logs are audit evidence: keep them when the stack is deleted.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      new wafv2.CfnLoggingConfiguration(this, 'Logging', {
        resourceArn: this.webAcl.attrArn,
        // WAF wants the log group ARN without the ':*' suffix that LogGroup.logGroupArn carries.
        // Built from the log group's Ref, so CloudFormation still creates the log group first.
        logDestinationConfigs: [stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })],
        // Credentials and session tokens must not end up in logs.
        redactedFields: [
          { singleHeader: { Name: 'authorization' } },
          { singleHeader: { Name: 'cookie' } },
        ],
        // Keep what WAF acted on (blocked, or counted by a rule in COUNT mode) and drop allowed requests:
        // logging every request costs about as much as WAF itself at millions of requests a day.
        loggingFilter: {
          DefaultBehavior: 'DROP',
          Filters: [{
            Behavior: 'KEEP',
            Requirement: 'MEETS_ANY',
            Conditions: [{ ActionCondition: { Action: 'BLOCK' } }, { ActionCondition: { Action: 'COUNT' } }],
          }],
        },
      });
    }
  }

  /** Requests WAF blocked, by any rule (Sum; dimension Rule=ALL). Rate-limited 429s count here. */
  public metricBlockedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('BlockedRequests', props);
  }

  /** Requests WAF allowed, by a rule or by the default action (Sum; dimension Rule=ALL). */
  public metricAllowedRequests(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AllowedRequests', props);
  }

  /**
   * A web-ACL-wide WAF metric. A REGIONAL web ACL publishes with dimensions WebACL, Region and Rule in its own
   * region; a CLOUDFRONT one with WebACL and Rule only, in us-east-1 (pinned, so a dashboard in another region finds it).
   */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    const region = Stack.of(this).region;
    const regional = this.scope === 'REGIONAL';
    return new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName,
      statistic: 'Sum',
      ...(regional ? {} : { region: 'us-east-1' }),
      ...props,
      dimensionsMap: regional ? { WebACL: this.webAclName, Region: region, Rule: 'ALL' } : { WebACL: this.webAclName, Rule: 'ALL' },
    });
  }
}

function managedRuleName(group: string): string {
  return `AWS-${group}`;
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function validateRateLimit(scope: IConstruct, rule: RateLimitRule, i: number): void {
  const at = `'rateLimits[${i}]`;
  if (!RULE_NAME.test(rule.name)) {
    throw propError(scope, `${at}.name' (${JSON.stringify(rule.name)}) must be 1-128 characters of A-Z a-z 0-9 _ -`);
  }
  if (!Token.isUnresolved(rule.limit) && (!Number.isInteger(rule.limit) || rule.limit < RATE_LIMIT_RANGE.min || rule.limit > RATE_LIMIT_RANGE.max)) {
    throw propError(scope, `${at}.limit' (${rule.limit}) of rule '${rule.name}' must be an integer from ${RATE_LIMIT_RANGE.min} to ${RATE_LIMIT_RANGE.max.toLocaleString('en-US')} (WAF's range)`);
  }
  if (rule.evaluationWindowSec !== undefined && !EVALUATION_WINDOWS.includes(rule.evaluationWindowSec)) {
    throw propError(scope, `${at}.evaluationWindowSec' (${rule.evaluationWindowSec}) of rule '${rule.name}' must be one of ${EVALUATION_WINDOWS.join(', ')}`);
  }
  if (rule.aggregateKey !== undefined && rule.aggregateKey !== 'IP' && rule.aggregateKey !== 'FORWARDED_IP') {
    throw propError(scope, `${at}.aggregateKey' (${rule.aggregateKey}) of rule '${rule.name}' must be 'IP' or 'FORWARDED_IP'`);
  }
  if (rule.action !== undefined && rule.action !== 'BLOCK' && rule.action !== 'COUNT') {
    throw propError(scope, `${at}.action' (${rule.action}) of rule '${rule.name}' must be 'BLOCK' or 'COUNT'`);
  }
  if (rule.methods !== undefined) {
    const bad = rule.methods.filter((m) => !HTTP_METHODS.includes(m));
    if (rule.methods.length === 0 || bad.length > 0 || new Set(rule.methods).size !== rule.methods.length) {
      throw propError(scope, `${at}.methods' (${JSON.stringify(rule.methods)}) of rule '${rule.name}' must be a non-empty list of distinct upper-case methods from ${HTTP_METHODS.join(', ')}`);
    }
  }
  if (rule.pathPrefix !== undefined && (!rule.pathPrefix.startsWith('/') || rule.pathPrefix.length > 200)) {
    throw propError(scope, `${at}.pathPrefix' (${JSON.stringify(rule.pathPrefix)}) of rule '${rule.name}' must start with '/' and be at most 200 characters`);
  }
}

function renderRateRule(rule: RateLimitRule, priority: number): wafv2.CfnWebACL.RuleProperty {
  const window = rule.evaluationWindowSec ?? WEB_ACL_DEFAULTS.evaluationWindowSec;
  const aggregateKey = rule.aggregateKey ?? WEB_ACL_DEFAULTS.aggregateKey;
  const scopeDowns: wafv2.CfnWebACL.StatementProperty[] = [];
  if (rule.methods) {
    const byMethod = rule.methods.map((method): wafv2.CfnWebACL.StatementProperty => ({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: 'EXACTLY',
        searchString: method,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    }));
    // OrStatement needs at least two statements.
    scopeDowns.push(byMethod.length === 1 ? byMethod[0] : { orStatement: { statements: byMethod } });
  }
  if (rule.pathPrefix) {
    scopeDowns.push({
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: rule.pathPrefix,
        // Decode and normalise first, so '/api/%61uth' or '/x/../api/auth' cannot slip past the scope-down.
        textTransformations: [{ priority: 0, type: 'URL_DECODE' }, { priority: 1, type: 'NORMALIZE_PATH' }],
      },
    });
  }
  const scopeDownStatement = scopeDowns.length === 0 ? undefined
    : scopeDowns.length === 1 ? scopeDowns[0]
      : { andStatement: { statements: scopeDowns } };

  return {
    name: rule.name,
    priority,
    statement: {
      rateBasedStatement: {
        limit: rule.limit,
        evaluationWindowSec: window,
        aggregateKeyType: aggregateKey,
        forwardedIpConfig: aggregateKey === 'FORWARDED_IP' ? { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' } : undefined,
        scopeDownStatement,
      },
    },
    action: (rule.action ?? WEB_ACL_DEFAULTS.action) === 'COUNT'
      ? { count: {} }
      : {
        block: {
          customResponse: {
            responseCode: 429,
            customResponseBodyKey: TOO_MANY_REQUESTS_BODY,
            responseHeaders: [{ name: 'Retry-After', value: String(window) }],
          },
        },
      },
    visibilityConfig: visibility(rule.name),
  };
}
