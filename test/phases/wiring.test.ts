/**
 * WIRING: one table of every hand-off from the plan (or the model) to the template, asserted for every phase of a
 * model whose values differ from every construct default (test/support/off-default-model.ts).
 *
 * Each row says where a planned value lands and what the construct would write without it. The test checks both:
 * the template carries the plan's value, and that value is not the construct's default, so deleting the hand-off
 * from phases/ changes the template and fails this test. (The default model cannot show this: many of its values
 * equal the defaults.)
 */
import { Template } from 'aws-cdk-lib/assertions';
import { parseCapacity, PhasePlan } from '../../lib/capacity';
import type { Capacity } from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthPhases } from '../support/phase-app';

type Resources = Record<string, { Type: string; Properties?: any }>;

/** Where one planned value lands. */
interface Wire {
  /** The plan or model field, as a reviewer would search for it. */
  readonly field: string;
  readonly planned: (plan: PhasePlan, model: Capacity) => unknown;
  /** What the construct writes when phases/ does not pass the value. */
  readonly constructDefault: unknown;
  readonly inTemplate: (regional: Resources, edge: Resources) => unknown;
}

const ofType = (resources: Resources, type: string) => Object.values(resources).filter((r) => r.Type === type);
const one = (resources: Resources, type: string, where: (r: any) => boolean = () => true) => {
  const found = ofType(resources, type).filter(where);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0].Properties;
};
const container = (r: Resources) => one(r, 'AWS::ECS::TaskDefinition').ContainerDefinitions[0];
const env = (r: Resources, name: string) => container(r).Environment.find((e: any) => e.Name === name)?.Value;
const targetGroup = (r: Resources) => one(r, 'AWS::ElasticLoadBalancingV2::TargetGroup');
const tgAttribute = (r: Resources, key: string) => targetGroup(r).TargetGroupAttributes.find((a: any) => a.Key === key)?.Value;
const policy = (r: Resources, metricType: string) =>
  one(r, 'AWS::ApplicationAutoScaling::ScalingPolicy', (p) => p.Properties.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType === metricType)
    .TargetTrackingScalingPolicyConfiguration;
const cachePolicy = (r: Resources, comment: RegExp) => one(r, 'AWS::CloudFront::CachePolicy', (p) => comment.test(p.Properties.CachePolicyConfig.Comment)).CachePolicyConfig;
const behaviours = (r: Resources) => one(r, 'AWS::CloudFront::Distribution').DistributionConfig.CacheBehaviors as any[];
const rule = (e: Resources, name: string) => one(e, 'AWS::WAFv2::WebACL').Rules.find((x: any) => x.Name === name);
const rateLimit = (e: Resources, name: string) => rule(e, name)?.Statement.RateBasedStatement.Limit;
const instances = (r: Resources) => ofType(r, 'AWS::RDS::DBInstance').map((i) => i.Properties);

/** The hand-offs, in the order phases/phase-stack.ts and phases/edge-stack.ts make them. */
const WIRES: readonly Wire[] = [
  // Network
  { field: 'network.availabilityZones', planned: (p) => p.network.availabilityZones.value, constructDefault: 3, inTemplate: (r) => ofType(r, 'AWS::EC2::NatGateway').length },
  // Aurora
  { field: 'database.instanceClass', planned: (p) => p.database.instanceClass.value, constructDefault: 'db.r7g.large', inTemplate: (r) => instances(r)[0].DBInstanceClass },
  { field: 'database.readers', planned: (p) => p.database.readers.value, constructDefault: 1, inTemplate: (r) => instances(r).length - 1 },
  { field: 'database.backupRetentionDays', planned: (p) => p.database.backupRetentionDays.value, constructDefault: 14, inTemplate: (r) => one(r, 'AWS::RDS::DBCluster').BackupRetentionPeriod },
  {
    field: 'database.proxyMaxConnectionsPercent',
    planned: (p) => p.database.proxyMaxConnectionsPercent.value,
    constructDefault: 90,
    inTemplate: (r) => one(r, 'AWS::RDS::DBProxyTargetGroup').ConnectionPoolConfigurationInfo.MaxConnectionsPercent,
  },
  {
    field: 'database.proxyMaxIdleConnectionsPercent',
    planned: (p) => p.database.proxyMaxIdleConnectionsPercent.value,
    constructDefault: 50,
    inTemplate: (r) => one(r, 'AWS::RDS::DBProxyTargetGroup').ConnectionPoolConfigurationInfo.MaxIdleConnectionsPercent,
  },
  {
    field: 'database.slowQueryLogMs',
    planned: (p) => String(p.database.slowQueryLogMs.value),
    constructDefault: '500',
    inTemplate: (r) => one(r, 'AWS::RDS::DBClusterParameterGroup').Parameters.log_min_duration_statement,
  },
  // Redis
  { field: 'cache.nodeType', planned: (p) => p.cache.nodeType.value, constructDefault: 'cache.r7g.large', inTemplate: (r) => one(r, 'AWS::ElastiCache::ReplicationGroup').CacheNodeType },
  {
    field: 'cache.maxmemoryPolicy',
    planned: (p) => p.cache.maxmemoryPolicy.value,
    constructDefault: 'allkeys-lru',
    inTemplate: (r) => one(r, 'AWS::ElastiCache::ParameterGroup').Properties['maxmemory-policy'],
  },
  { field: 'cache.replicas', planned: (p) => p.cache.replicas.value + 1, constructDefault: 2, inTemplate: (r) => one(r, 'AWS::ElastiCache::ReplicationGroup').NumCacheClusters },
  // API tier
  { field: 'service.containerImage', planned: (_p, m) => m.service.containerImage, constructDefault: 'public.ecr.aws/nginx/nginx-unprivileged:stable', inTemplate: (r) => container(r).Image },
  { field: 'service.containerPort', planned: (_p, m) => m.service.containerPort, constructDefault: 8080, inTemplate: (r) => container(r).PortMappings[0].ContainerPort },
  { field: 'service.containerUser', planned: (_p, m) => m.service.containerUser, constructDefault: '101', inTemplate: (r) => container(r).User },
  {
    field: 'service.writablePaths',
    planned: (_p, m) => m.service.writablePaths,
    constructDefault: ['/tmp', '/var/cache/nginx', '/var/run'],
    inTemplate: (r) => container(r).MountPoints.map((m: any) => m.ContainerPath),
  },
  { field: 'service.healthCheckPath', planned: (_p, m) => m.service.healthCheckPath, constructDefault: '/', inTemplate: (r) => targetGroup(r).HealthCheckPath },
  { field: 'api.healthCheckIntervalSec', planned: (p) => p.api.healthCheckIntervalSec.value, constructDefault: 15, inTemplate: (r) => targetGroup(r).HealthCheckIntervalSeconds },
  {
    field: 'api.healthCheckGracePeriodSec',
    planned: (p) => p.api.healthCheckGracePeriodSec.value,
    constructDefault: 60,
    inTemplate: (r) => one(r, 'AWS::ECS::Service').HealthCheckGracePeriodSeconds,
  },
  { field: 'api.taskCpuUnits', planned: (p) => String(p.api.taskCpuUnits.value), constructDefault: '1024', inTemplate: (r) => one(r, 'AWS::ECS::TaskDefinition').Cpu },
  { field: 'api.taskMemoryMiB', planned: (p) => String(p.api.taskMemoryMiB.value), constructDefault: '2048', inTemplate: (r) => one(r, 'AWS::ECS::TaskDefinition').Memory },
  { field: 'api.minTasks', planned: (p) => p.api.minTasks.value, constructDefault: 2, inTemplate: (r) => one(r, 'AWS::ApplicationAutoScaling::ScalableTarget').MinCapacity },
  { field: 'api.maxTasks', planned: (p) => p.api.maxTasks.value, constructDefault: 4, inTemplate: (r) => one(r, 'AWS::ApplicationAutoScaling::ScalableTarget').MaxCapacity },
  { field: 'api.targetCpuPercent', planned: (p) => p.api.targetCpuPercent.value, constructDefault: 65, inTemplate: (r) => policy(r, 'ECSServiceAverageCPUUtilization').TargetValue },
  {
    field: 'api.requestsPerTargetPerMinute',
    planned: (p) => p.api.requestsPerTargetPerMinute.value,
    constructDefault: 3000,
    inTemplate: (r) => policy(r, 'ALBRequestCountPerTarget').TargetValue,
  },
  { field: 'api.scaleOutCooldownSec', planned: (p) => p.api.scaleOutCooldownSec.value, constructDefault: 60, inTemplate: (r) => policy(r, 'ECSServiceAverageCPUUtilization').ScaleOutCooldown },
  { field: 'api.scaleInCooldownSec', planned: (p) => p.api.scaleInCooldownSec.value, constructDefault: 300, inTemplate: (r) => policy(r, 'ECSServiceAverageCPUUtilization').ScaleInCooldown },
  {
    field: 'api.deregistrationDelaySec',
    planned: (p) => String(p.api.deregistrationDelaySec.value),
    constructDefault: '30',
    inTemplate: (r) => tgAttribute(r, 'deregistration_delay.timeout_seconds'),
  },
  { field: 'database.clientPoolPerTask', planned: (p) => String(p.database.clientPoolPerTask.value), constructDefault: undefined, inTemplate: (r) => env(r, 'DB_POOL_SIZE') },
  { field: 'cdn.apiCacheControl', planned: (p) => p.cdn.apiCacheControl.value, constructDefault: undefined, inTemplate: (r) => env(r, 'CACHE_CONTROL_CACHEABLE_GET') },
  // CloudFront
  {
    field: 'cdn.staticPathPatterns + cacheableApiPathPatterns',
    planned: (p) => [...p.cdn.staticPathPatterns.value, ...p.cdn.cacheableApiPathPatterns.value],
    constructDefault: ['/static/*', '/assets/*', '/api/catalog/*'],
    inTemplate: (r) => behaviours(r).map((b) => b.PathPattern),
  },
  {
    field: 'cdn.originProtocol',
    planned: (p) => p.cdn.originProtocol.value,
    constructDefault: 'http-only',
    inTemplate: (r) => one(r, 'AWS::CloudFront::VpcOrigin').VpcOriginEndpointConfig.OriginProtocolPolicy,
  },
  {
    field: 'cdn.originDomainName',
    planned: (p) => p.cdn.originDomainName.value,
    constructDefault: undefined,
    inTemplate: (r) => one(r, 'AWS::CloudFront::Distribution').DistributionConfig.Origins[0].DomainName,
  },
  {
    field: 'monitoring.logRetentionDays',
    planned: (p) => p.monitoring.logRetentionDays.value,
    constructDefault: 30,
    inTemplate: (r) => {
      const days = [...ofType(r, 'AWS::Logs::LogGroup'), ...ofType(r, 'Custom::LogRetention')].map((g) => g.Properties.RetentionInDays);
      return new Set(days).size === 1 ? days[0] : days;
    },
  },
  { field: 'cdn.staticTtlSec', planned: (p) => p.cdn.staticTtlSec.value, constructDefault: 31_536_000, inTemplate: (r) => cachePolicy(r, /static/i).DefaultTTL },
  { field: 'cdn.apiDefaultTtlSec', planned: (p) => p.cdn.apiDefaultTtlSec.value, constructDefault: 60, inTemplate: (r) => cachePolicy(r, /API/).DefaultTTL },
  { field: 'cdn.apiMaxTtlSec', planned: (p) => p.cdn.apiMaxTtlSec.value, constructDefault: 300, inTemplate: (r) => cachePolicy(r, /API/).MaxTTL },
  // WAF (us-east-1 edge stack)
  { field: 'waf.windowSec', planned: (p) => p.waf.windowSec.value, constructDefault: 300, inTemplate: (_r, e) => rule(e, 'PerIpAll').Statement.RateBasedStatement.EvaluationWindowSec },
  { field: 'waf.perIpAllLimit', planned: (p) => p.waf.perIpAllLimit.value, constructDefault: 2000, inTemplate: (_r, e) => rateLimit(e, 'PerIpAll') },
  { field: 'waf.perIpWriteLimit', planned: (p) => p.waf.perIpWriteLimit.value, constructDefault: undefined, inTemplate: (_r, e) => rateLimit(e, 'PerIpWrites') },
  { field: 'waf.perIpLoginLimit', planned: (p) => p.waf.perIpLoginLimit.value, constructDefault: undefined, inTemplate: (_r, e) => rateLimit(e, 'PerIpLogin') },
];

const model = parseCapacity(OFF_DEFAULT_MODEL);
const { phases } = synthPhases(OFF_DEFAULT_MODEL);
const synthesized = phases.map(({ plan, stack, edge }) => ({
  plan,
  regional: Template.fromStack(stack).toJSON().Resources as Resources,
  edge: Template.fromStack(edge).toJSON().Resources as Resources,
}));

describe.each(synthesized.map((s) => [s.plan.label, s] as const))('WIRING %s (off-default model)', (_label, { plan, regional, edge }) => {
  test.each(WIRES.map((w) => [w.field, w] as const))('%s reaches the template, and differs from the construct default', (_field, wire) => {
    const planned = wire.planned(plan, model);
    expect(wire.inTemplate(regional, edge)).toEqual(planned);
    expect(planned).not.toEqual(wire.constructDefault);
  });
});
