import { Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import type { Capacity } from '../lib/capacity';

/** The name CloudFront reaches the nearest healthy region by: one latency record per region. */
export function originRecordName(domain: NonNullable<Capacity['domain']>): string {
  return `origin.${domain.name}`;
}

/** The model's hosted zone, imported from its attributes (no lookup): once per stack, under the id 'Zone'. */
export function importedZone(scope: Construct, domain: NonNullable<Capacity['domain']>): route53.IHostedZone {
  const existing = Stack.of(scope).node.tryFindChild('Zone') as route53.IHostedZone | undefined;
  return existing ?? route53.HostedZone.fromHostedZoneAttributes(Stack.of(scope), 'Zone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.hostedZoneName });
}

/**
 * This region's latency-based record for the origin name: an alias of its load balancer that evaluates target
 * health, so Route 53 answers with the nearest region whose targets pass the ALB's health check, and a failed region
 * drops out of DNS (failover) within plan.regions.failoverDetectSec. The ALB checks its targets from inside the VPC;
 * a Route 53 health check would probe from the internet, which an internal ALB (behind CloudFront) never answers.
 * The zone comes from the model (no lookup).
 */
export function addRegionalRecord(scope: Construct, domain: NonNullable<Capacity['domain']>, loadBalancer: elbv2.IApplicationLoadBalancer): route53.ARecord {
  const region = Stack.of(scope).region;
  const zone = importedZone(scope, domain);
  return new route53.ARecord(scope, 'LatencyRecord', {
    zone,
    recordName: originRecordName(domain),
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer, { evaluateTargetHealth: true })),
    region,
    setIdentifier: region,
  });
}
