/**
 * WIRING: one table of every hand-off from the plan (or the model) to the template, asserted for every phase of a
 * model whose values differ from every construct default (test/support/off-default-model.ts).
 *
 * Each row says where a planned value lands and what the construct would write without it. The test checks both:
 * the template carries the plan's value, and that value is not the construct's default, so deleting the hand-off
 * from phases/ changes the template and fails this test. (The default model cannot show this: many of its values
 * equal the defaults.)
 */
import { parseCapacity, PhasePlan } from '../../lib/capacity';
import type { Capacity } from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthesizedPhases } from '../support/synthesized-phases';

type Resources = Record<string, { Type: string; Properties?: any }>;

/** Where one planned value lands. */
interface Wire {
  /** The plan or model field, as a reviewer would search for it. */
  readonly field: string;
  readonly planned: (plan: PhasePlan, model: Capacity) => unknown;
  /** What the construct writes when phases/ does not pass the value. */
  readonly constructDefault: unknown;
  readonly inTemplate: (regional: Resources, edge: Resources) => unknown;
  /** The phases the hand-off exists in (the write queue, extra shards, cluster mode only where the plan has them). @default every phase */
  readonly applies?: (plan: PhasePlan) => boolean;
  /** Reads the whole regional template; otherwise only shard 0 and the API tier (ids not from DatabaseShard<n> or WriteQueue). */
  readonly allResources?: boolean;
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
const GROUP = 'AWS::ElastiCache::ReplicationGroup';
const inClusterMode = (p: PhasePlan) => p.cache.clusterMode.value;
/** The replication group the plan sized: the cluster-mode one when the phase has it, else the only one. */
const sizedGroup = (r: Resources) =>
  ofType(r, GROUP).some((g) => g.Properties?.ClusterMode === 'enabled') ? one(r, GROUP, (g) => g.Properties.ClusterMode === 'enabled') : one(r, GROUP);
const singlePrimaryGroup = (r: Resources) => one(r, GROUP, (g) => g.Properties.ClusterMode === 'disabled');
/** Nodes per shard (the group's nodes without cluster mode). */
const nodesPerShard = (g: any) => (g.ClusterMode === 'enabled' ? 1 + g.ReplicasPerNodeGroup : g.NumCacheClusters);

/** The hand-offs, in the order phases/phase-stack.ts and phases/edge-stack.ts make them. */
const WIRES: readonly Wire[] = [
  // Network
  { field: 'network.availabilityZones', planned: (p) => p.network.availabilityZones.value, constructDefault: 3, inTemplate: (r) => ofType(r, 'AWS::EC2::NatGateway').length },
  // Aurora
  { field: 'database.instanceClass', planned: (p) => p.database.instanceClass.value, constructDefault: 'db.r7g.large', inTemplate: (r) => instances(r)[0].DBInstanceClass },
  // Every shard but shard 0 has database.readers (shard 0 has sharding.shardZeroReaders, below).
  {
    field: 'database.readers',
    planned: (p) => p.database.readers.value,
    constructDefault: 1,
    inTemplate: (r) => {
      const [clusterId] = Object.keys(r).filter((id) => r[id].Type === 'AWS::RDS::DBCluster').sort().reverse();
      return ofType(r, 'AWS::RDS::DBInstance').filter((i) => i.Properties.DBClusterIdentifier.Ref === clusterId).length - 1;
    },
    allResources: true,
  },
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
  { field: 'cache.nodeType', planned: (p) => p.cache.nodeType.value, constructDefault: 'cache.r7g.large', inTemplate: (r) => sizedGroup(r).CacheNodeType },
  { field: 'cache.shards', planned: (p) => p.cache.shards.value, constructDefault: 1, inTemplate: (r) => sizedGroup(r).NumNodeGroups, applies: inClusterMode },
  {
    field: 'cache.singlePrimaryGroup.nodeType',
    planned: (p) => p.cache.singlePrimaryGroup?.nodeType.value,
    constructDefault: 'cache.r7g.large',
    inTemplate: (r) => singlePrimaryGroup(r).CacheNodeType,
    applies: inClusterMode,
  },
  {
    field: 'cache.singlePrimaryGroup.replicas',
    planned: (p) => 1 + p.cache.singlePrimaryGroup!.replicas.value,
    constructDefault: 2,
    inTemplate: (r) => singlePrimaryGroup(r).NumCacheClusters,
    applies: inClusterMode,
  },
  {
    field: 'cache.maxmemoryPolicy',
    planned: (p) => p.cache.maxmemoryPolicy.value,
    constructDefault: 'allkeys-lru',
    // Every group's parameter group (both during a cut-over to cluster mode) carries the one planned policy.
    inTemplate: (r) => [...new Set(ofType(r, 'AWS::ElastiCache::ParameterGroup').map((g) => g.Properties!.Properties['maxmemory-policy']))].join(),
  },
  { field: 'cache.replicas', planned: (p) => p.cache.replicas.value + 1, constructDefault: 2, inTemplate: (r) => nodesPerShard(sizedGroup(r)) },
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
  // Proven in phases 2 and 3 (2 and 16 vCPU): phase 1's 1 vCPU is the construct default, because a fixture whose phase 3
  // fits policy.maxTasksPerService (feasibility is a rule) cannot also need 2 vCPU at 1/50 of that traffic.
  {
    field: 'api.taskCpuUnits',
    planned: (p) => String(p.api.taskCpuUnits.value),
    constructDefault: '1024',
    inTemplate: (r) => one(r, 'AWS::ECS::TaskDefinition').Cpu,
    applies: (p) => p.api.taskVcpu.value !== 1,
  },
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
  // Known peaks and bursts (plan.peaks): the off-default model inherits the embedded model's stated event.
  {
    field: 'peaks.scheduled (min tasks raised ahead of each event, then the baseline min)',
    planned: (p) => p.peaks.scheduled.value.flatMap((e) => [e.minTasks.value, p.api.minTasks.value]),
    constructDefault: [],
    inTemplate: (r) => (one(r, 'AWS::ApplicationAutoScaling::ScalableTarget').ScheduledActions ?? []).map((a: any) => a.ScalableTargetAction.MinCapacity),
  },
  {
    field: 'peaks.burstSteps (CPU % above the first step, % of capacity added)',
    planned: (p) => p.peaks.burstSteps.value.map((s) => [s.lowerCpuPercent - p.peaks.burstSteps.value[0].lowerCpuPercent, s.changePercent]),
    constructDefault: undefined,
    inTemplate: (r) =>
      one(r, 'AWS::ApplicationAutoScaling::ScalingPolicy', (p) => p.Properties.PolicyType === 'StepScaling').StepScalingPolicyConfiguration.StepAdjustments.map((a: any) => [
        a.MetricIntervalLowerBound,
        a.ScalingAdjustment,
      ]),
  },
  {
    field: 'api.deregistrationDelaySec',
    planned: (p) => String(p.api.deregistrationDelaySec.value),
    constructDefault: '30',
    inTemplate: (r) => tgAttribute(r, 'deregistration_delay.timeout_seconds'),
  },
  { field: 'database.clientPoolPerTask', planned: (p) => String(p.database.clientPoolPerTask.value), constructDefault: undefined, inTemplate: (r) => env(r, 'DB_POOL_SIZE') },
  { field: 'current.cacheCutover', planned: (_p, m) => m.current.cacheCutover, constructDefault: undefined, inTemplate: (r) => env(r, 'REDIS_CUTOVER'), applies: inClusterMode },
  { field: 'cdn.apiCacheControl', planned: (p) => p.cdn.apiCacheControl.value, constructDefault: undefined, inTemplate: (r) => env(r, 'CACHE_CONTROL_CACHEABLE_GET') },
  // The edge decision: it picks constructs rather than a prop value (no construct default); REGIONAL's side
  // (web ACL on an internet-facing ALB) is asserted on its own model in test/phases/edge-decision.test.ts.
  {
    field: 'edge.mode',
    planned: (p) => p.edge.mode.value,
    constructDefault: undefined,
    inTemplate: (r) =>
      ofType(r, 'AWS::CloudFront::Distribution').length === 1 && one(r, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Scheme === 'internal'
        ? 'CLOUDFRONT'
        : ofType(r, 'AWS::WAFv2::WebACLAssociation').length === 1 && one(r, 'AWS::ElasticLoadBalancingV2::LoadBalancer').Scheme === 'internet-facing'
          ? 'REGIONAL'
          : 'neither',
  },
  // CloudFront
  {
    field: 'cdn.staticPathPatterns + cacheableApiPathPatterns',
    planned: (p) => [...p.cdn.staticPathPatterns.value, ...p.cdn.cacheableApiPathPatterns.value],
    constructDefault: ['/static/*', '/assets/*', '/api/public/*'],
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
  // Shards and the write queue (issue 12): only in the phases whose plan has them.
  ...((): Wire[] => {
    const sharded = (p: PhasePlan) => p.sharding.shards.value > 1;
    const queued = (p: PhasePlan) => p.queue !== undefined;
    const worker = (r: Resources) => one(r, 'AWS::ECS::TaskDefinition', (t) => t.Properties.ContainerDefinitions[0].LogConfiguration.Options['awslogs-stream-prefix'] === 'worker');
    const workerTarget = (r: Resources, key: string) => one(r, 'AWS::ApplicationAutoScaling::ScalableTarget', (t) => t.Properties.MinCapacity !== undefined && JSON.stringify(t.Properties.ResourceId).includes('WriteQueue'))[key];
    const queue = (r: Resources) => one(r, 'AWS::SQS::Queue', (q) => q.Properties.RedrivePolicy !== undefined);
    const ssm = (r: Resources, suffix: string) => one(r, 'AWS::SSM::Parameter', (x) => String(x.Properties.Name).endsWith(suffix)).Value;
    return [
      { field: 'sharding.shards', planned: (p) => p.sharding.shards.value, constructDefault: 1, inTemplate: (r) => ofType(r, 'AWS::RDS::DBCluster').length, applies: sharded, allResources: true },
      { field: 'sharding.shards (shard map count)', planned: (p) => String(p.sharding.shards.value), constructDefault: '1', inTemplate: (r) => ssm(r, '/count'), applies: sharded, allResources: true },
      { field: 'sharding.shardZeroReaders', planned: (p) => p.sharding.shardZeroReaders.value, constructDefault: 1, inTemplate: (r) => instances(r).length - 1, applies: sharded },
      { field: 'queue.minWorkers', planned: (p) => p.queue!.minWorkers.value, constructDefault: 2, inTemplate: (r) => workerTarget(r, 'MinCapacity'), applies: queued, allResources: true },
      { field: 'queue.maxWorkers', planned: (p) => p.queue!.maxWorkers.value, constructDefault: 10, inTemplate: (r) => workerTarget(r, 'MaxCapacity'), applies: queued, allResources: true },
      {
        field: 'queue.backlogPerTaskTarget',
        planned: (p) => p.queue!.backlogPerTaskTarget.value,
        constructDefault: 100,
        inTemplate: (r) => one(r, 'AWS::ApplicationAutoScaling::ScalingPolicy', (x) => x.Properties.TargetTrackingScalingPolicyConfiguration?.CustomizedMetricSpecification !== undefined).TargetTrackingScalingPolicyConfiguration.TargetValue,
        applies: queued,
        allResources: true,
      },
      { field: 'queue.workerMemoryMiB', planned: (p) => String(p.queue!.workerMemoryMiB.value), constructDefault: '2048', inTemplate: (r) => worker(r).Memory, applies: queued, allResources: true },
      { field: 'queue.maxReceiveCount', planned: (p) => p.queue!.maxReceiveCount.value, constructDefault: undefined, inTemplate: (r) => queue(r).RedrivePolicy.maxReceiveCount, applies: queued, allResources: true },
      {
        field: 'queue.oldestMessageAlarmSec',
        planned: (p) => p.queue!.oldestMessageAlarmSec.value,
        constructDefault: undefined,
        inTemplate: (r) => one(r, 'AWS::CloudWatch::Alarm', (a) => a.Properties.MetricName === 'ApproximateAgeOfOldestMessage').Threshold,
        applies: queued,
        allResources: true,
      },
    ];
  })(),
];

const model = parseCapacity(OFF_DEFAULT_MODEL);
const { phases } = synthesizedPhases(OFF_DEFAULT_MODEL);
const synthesized = phases.map(({ plan, stack, edge }) => ({
  plan,
  regional: stack.template.Resources as Resources,
  edge: edge!.template.Resources as Resources,
}));

describe.each(synthesized.map((s) => [s.plan.label, s] as const))('WIRING %s (off-default model)', (_label, { plan, regional, edge }) => {
  // Shard 0 and the API tier: the extra shards and the write queue repeat resource types (clusters, task definitions).
  const primary = Object.fromEntries(Object.entries(regional).filter(([id]) => !/^(DatabaseShard\d|WriteQueue)/.test(id)));
  const wires = WIRES.filter((w) => !w.applies || w.applies(plan));
  test.each(wires.map((w) => [w.field, w] as const))('%s reaches the template, and differs from the construct default', (_field, wire) => {
    const planned = wire.planned(plan, model);
    expect(wire.inTemplate(wire.allResources ? regional : primary, edge)).toEqual(planned);
    expect(planned).not.toEqual(wire.constructDefault);
  });
});

test('the off-default model exercises the shard and queue hand-offs (phase 3 has both) and the task size in two phases', () => {
  expect(synthesized.filter((x) => x.plan.api.taskVcpu.value !== 1).length).toBeGreaterThanOrEqual(2);
  expect(synthesized[2].plan.sharding.shards.value).toBeGreaterThan(1);
  expect(synthesized[2].plan.queue).toBeDefined();
});

test('every conditional hand-off is checked in at least one phase of the off-default model', () => {
  for (const wire of WIRES.filter((w) => w.applies)) expect({ field: wire.field, checked: synthesized.some((x) => wire.applies!(x.plan)) }).toEqual({ field: wire.field, checked: true });
});
