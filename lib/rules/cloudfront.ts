import type { CfnResource } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { referencedResources, resolve } from './resolve';
import type { ScalabilityRule } from './rule';

export const DISTRIBUTION = 'AWS::CloudFront::Distribution';
/** The id of CloudFront's managed `CachingDisabled` cache policy (the same in every account). */
export const CACHING_DISABLED_POLICY_ID = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

/** The resolved DistributionConfig of a distribution. */
export function distributionConfig(node: CfnResource): any {
  return resolve(node, (node as cloudfront.CfnDistribution).distributionConfig) ?? {};
}

/** The default and path behaviours of a distribution, with the path pattern ('*' for the default). */
function behaviours(node: CfnResource): Array<{ path: string; behaviour: any }> {
  const config = distributionConfig(node);
  const paths = (config.cacheBehaviors ?? []).map((b: any) => ({ path: String(b.pathPattern), behaviour: b }));
  return config.defaultCacheBehavior ? [{ path: '*', behaviour: config.defaultCacheBehavior }, ...paths] : paths;
}

/** Whether a behaviour caches nothing: the managed CachingDisabled policy, a policy of this stack with MaxTTL 0, or legacy MaxTTL 0. */
function cachesNothing(node: CfnResource, behaviour: any): boolean {
  if (behaviour.cachePolicyId === undefined) return behaviour.maxTtl !== undefined && Number(behaviour.maxTtl) === 0;
  if (behaviour.cachePolicyId === CACHING_DISABLED_POLICY_ID) return true;
  const [policy] = referencedResources(node, behaviour.cachePolicyId).filter((r) => r.cfnResourceType === 'AWS::CloudFront::CachePolicy');
  if (policy === undefined) return false; // a policy from elsewhere: its TTLs are not visible here
  const config = resolve(policy, (policy as cloudfront.CfnCachePolicy).cachePolicyConfig);
  return Number(config?.maxTtl) === 0;
}

/** A behaviour that serves only reads (GET/HEAD, optionally OPTIONS): all it does could be cached. */
function isReadOnly(behaviour: any): boolean {
  const methods: string[] = behaviour.allowedMethods ?? ['GET', 'HEAD'];
  return Array.isArray(methods) && methods.every((m) => ['GET', 'HEAD', 'OPTIONS'].includes(m));
}

export const CLOUDFRONT_RULES: readonly ScalabilityRule[] = [
  {
    id: 'CF1',
    level: NagMessageLevel.WARN,
    info: 'A CloudFront behaviour that serves only GET/HEAD caches nothing (CachingDisabled, or a cache policy with MaxTTL 0).',
    explanation: 'Every read then goes through to the origin: the CDN adds a hop but offloads nothing, so origin load grows one-for-one with viewers, and a burst of identical requests reaches the origin as a burst.',
    fix: 'Give read-only paths a cache policy with a TTL (even 1-60 s with stale-while-revalidate collapses identical requests), keyed only on what changes the response; keep CachingDisabled for paths that also take writes.',
    check: (node) => {
      if (node.cfnResourceType !== DISTRIBUTION) return NagRuleCompliance.NOT_APPLICABLE;
      const uncached = behaviours(node).filter(({ behaviour }) => isReadOnly(behaviour) && cachesNothing(node, behaviour));
      return uncached.length > 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'CF2',
    level: NagMessageLevel.WARN,
    info: 'A CloudFront behaviour does not compress responses (Compress is not true).',
    explanation: 'Text responses (JSON, HTML, JS, CSS) travel 3-10x larger: more bytes per request out of the origin and the edge, slower pages on slow links, and a higher transfer bill that grows with traffic.',
    fix: 'Set compress: true on every behaviour (the CDK Distribution default) and allow gzip/brotli in cacheable policies.',
    check: (node) => {
      if (node.cfnResourceType !== DISTRIBUTION) return NagRuleCompliance.NOT_APPLICABLE;
      return behaviours(node).every(({ behaviour }) => behaviour.compress === true) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];

