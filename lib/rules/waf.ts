import { CfnResource, Tokenization } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { DISTRIBUTION } from './cloudfront';
import { LOAD_BALANCER } from './elb';
import { referencedResources, references, resolve, resolveString, resourcesOfType, tokenTargets } from './resolve';
import type { ScalabilityRule } from './rule';

const WEB_ACL = 'AWS::WAFv2::WebACL';
const WEB_ACL_ASSOCIATION = 'AWS::WAFv2::WebACLAssociation';

/** Whether a resolved value holds a rate-based statement anywhere (top level, or inside and/or/not or a scope-down). */
function hasRateBasedStatement(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRateBasedStatement);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, inner]) => /^rateBasedStatement$/i.test(key) || hasRateBasedStatement(inner));
}

/**
 * The web ACLs a public entry point is protected by: `visible` lists those found in the app (same stack or, through
 * the token, another stack); `external` says an ACL is attached that this app does not define.
 */
function webAclsOf(node: CfnResource): { visible: wafv2.CfnWebACL[]; external: boolean } {
  let sources: unknown[];
  if (node.cfnResourceType === DISTRIBUTION) {
    sources = [(node as cloudfront.CfnDistribution).distributionConfig].filter((config) => resolve(node, config)?.webAclId !== undefined)
      .map((config) => Tokenization.isResolvable(config) ? config : (config as cloudfront.CfnDistribution.DistributionConfigProperty).webAclId);
  } else {
    sources = resourcesOfType(node, WEB_ACL_ASSOCIATION)
      .filter((a) => references(a, (a as wafv2.CfnWebACLAssociation).resourceArn, node))
      .map((a) => (a as wafv2.CfnWebACLAssociation).webAclArn);
  }
  const visible = new Set<wafv2.CfnWebACL>();
  let external = false;
  for (const source of sources) {
    const found = [...tokenTargets(node, source), ...referencedResources(node, source)].filter((r) => r.cfnResourceType === WEB_ACL);
    found.forEach((acl) => visible.add(acl as wafv2.CfnWebACL));
    if (found.length === 0) external = true;
  }
  return { visible: [...visible], external };
}

/** A public entry point: a CloudFront distribution, or an internet-facing Application Load Balancer. */
function isPublicEntryPoint(node: CfnResource): boolean {
  if (node.cfnResourceType === DISTRIBUTION) return true;
  if (node.cfnResourceType !== LOAD_BALANCER) return false;
  const lb = node as elbv2.CfnLoadBalancer;
  const type = resolveString(node, lb.type) ?? 'application';
  const scheme = resolveString(node, lb.scheme) ?? 'internet-facing';
  return type === 'application' && scheme === 'internet-facing';
}

export const WAF_RULES: readonly ScalabilityRule[] = [
  {
    id: 'WAF1',
    level: NagMessageLevel.ERROR,
    info: 'A public entry point (CloudFront distribution or internet-facing ALB) has no WAF web ACL with a rate-based rule.',
    explanation: 'Without a per-client rate limit one scraper, retry storm or flood can take the whole capacity meant for everyone, and auto scaling answers it by buying more tasks; a rate-based rule turns it away at the edge for nothing.',
    fix: 'Associate a WAFv2 web ACL (CloudFront: webAclId, a CLOUDFRONT-scope ACL in us-east-1; ALB: a WebACLAssociation) holding a rateBasedStatement per client IP, sized from the busiest legitimate client.',
    check: (node) => {
      if (!isPublicEntryPoint(node)) return NagRuleCompliance.NOT_APPLICABLE;
      const { visible, external } = webAclsOf(node);
      if (visible.some((acl) => hasRateBasedStatement(resolve(acl, acl.rules)))) return NagRuleCompliance.COMPLIANT;
      // An ACL managed outside this app (an ARN string, Firewall Manager): its rules are not visible, so not judged.
      if (external) return NagRuleCompliance.NOT_APPLICABLE;
      return NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
