import type { CfnResource } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { referencedResources, references, resolve, resourcesOfType } from './resolve';

const LISTENER = 'AWS::ElasticLoadBalancingV2::Listener';
const LISTENER_RULE = 'AWS::ElasticLoadBalancingV2::ListenerRule';
export const LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

/**
 * A numeric attribute (TargetGroupAttributes or LoadBalancerAttributes `{ key, value }`) of a target group or load
 * balancer; undefined when not set (the service default applies).
 */
export function elbAttribute(resource: CfnResource, key: string): number | undefined {
  const raw = resource.cfnResourceType === LOAD_BALANCER
    ? (resource as elbv2.CfnLoadBalancer).loadBalancerAttributes
    : (resource as elbv2.CfnTargetGroup).targetGroupAttributes;
  const attributes = resolve(resource, raw) ?? [];
  if (!Array.isArray(attributes)) return undefined;
  const value = attributes.find((a: { key?: string }) => a?.key === key)?.value;
  return value === undefined || !Number.isFinite(Number(value)) ? undefined : Number(value);
}

/** The load balancers (same stack) whose listeners or listener rules forward to `targetGroup`. */
export function loadBalancersInFrontOf(targetGroup: CfnResource): CfnResource[] {
  const listeners = new Set<CfnResource>();
  for (const listener of resourcesOfType(targetGroup, LISTENER)) {
    if (references(listener, (listener as elbv2.CfnListener).defaultActions, targetGroup)) listeners.add(listener);
  }
  for (const rule of resourcesOfType(targetGroup, LISTENER_RULE)) {
    const r = rule as elbv2.CfnListenerRule;
    if (references(rule, r.actions, targetGroup)) referencedResources(rule, r.listenerArn).forEach((l) => listeners.add(l));
  }
  return [...listeners].flatMap((listener) => referencedResources(listener, (listener as elbv2.CfnListener).loadBalancerArn))
    .filter((r) => r.cfnResourceType === LOAD_BALANCER);
}
