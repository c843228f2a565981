import { Duration, Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import type { Capacity, PhasePlan } from '../lib/capacity';

/** The name CloudFront reaches the nearest healthy region by: one latency record per region. */
export function originRecordName(domain: NonNullable<Capacity['domain']>): string {
  return `origin.${domain.name}`;
}

/**
 * This region's latency-based record for the origin name, with a Route 53 health check of its load balancer: Route
 * 53 answers with the nearest region whose check passes, so a failed region drops out of DNS (failover) within
 * interval x threshold. The zone comes from the model (no lookup).
 */
export function addRegionalRecord(scope: Construct, domain: NonNullable<Capacity['domain']>, plan: PhasePlan, loadBalancer: elbv2.IApplicationLoadBalancer, healthCheckPath: string, https = false): route53.ARecord {
  const region = Stack.of(scope).region;
  const zone = route53.HostedZone.fromHostedZoneAttributes(scope, 'LatencyRecordZone', { hostedZoneId: domain.hostedZoneId, zoneName: domain.hostedZoneName });
  const healthCheck = new route53.HealthCheck(scope, 'RegionHealthCheck', {
    // The listener the load balancer has: HTTPS on 443 where the origin is TLS (plan.cdn.originProtocol), else HTTP on 80.
    type: https ? route53.HealthCheckType.HTTPS : route53.HealthCheckType.HTTP,
    fqdn: loadBalancer.loadBalancerDnsName,
    port: https ? 443 : 80,
    resourcePath: healthCheckPath,
    requestInterval: Duration.seconds(plan.regions.healthCheckIntervalSec.value),
    failureThreshold: plan.regions.healthCheckFailureThreshold.value,
  });
  return new route53.ARecord(scope, 'LatencyRecord', {
    zone,
    recordName: originRecordName(domain),
    target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(loadBalancer)),
    region,
    setIdentifier: region,
    healthCheck,
  });
}
