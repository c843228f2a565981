import * as cdk from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { DEFAULT_MODEL, parseCapacity, PhasePlan } from '../../lib/capacity';
import { OUTPUTS } from '../../lib/outputs';
import { COST_UNTAGGED_RESOURCE_TYPES, costTagValues, UNTAGGED_RESOURCE_TYPES } from '../../phases/cost-tags';
import { constructTree, descendants, LOGICAL_ID, onlyResource, RESOURCE_TYPE, shardNodes } from '../support/construct-tree';
import { reviewableTemplate } from '../support/phase-app';
import { SynthesizedStack, synthesizedPhases, templateOf } from '../support/synthesized-phases';

const model = parseCapacity(DEFAULT_MODEL);
const { directory, assembly, phases } = synthesizedPhases(DEFAULT_MODEL);
const byPhase = phases.map(({ plan, stack, edge }) => ({
  plan,
  stack,
  edge,
  template: templateOf(stack),
  edgeTemplate: templateOf(edge!),
}));

const tree = constructTree(directory);
/** A top-level stack's construct: its artifact id is its construct id. */
const stackNode = (stack: SynthesizedStack) => tree.children![stack.artifactId];
const shardsOf = (stack: SynthesizedStack) => shardNodes(stackNode(stack));
/** The stacks this stack depends on (`Stack.dependencies`), by artifact id: the manifest lists them with the asset artifacts. */
const stackDependencies = (stack: SynthesizedStack) =>
  assembly.getStackArtifact(stack.artifactId).dependencies.filter((d) => d instanceof CloudFormationStackArtifact).map((d) => d.id);

/** Values of the container's environment variables. */
function containerEnvironment(template: Template): Record<string, unknown> {
  const [taskDef] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
  const env = taskDef.Properties.ContainerDefinitions[0].Environment as Array<{ Name: string; Value: unknown }>;
  return Object.fromEntries(env.map((e) => [e.Name, e.Value]));
}

describe.each(byPhase.map((p) => [p.plan.label, p] as const))('%s', (_label, { plan, stack, template, edgeTemplate }) => {
  test('the reviewable template (snapshot: what a reviewer reads in a PR)', () => {
    expect(reviewableTemplate(template.toJSON())).toMatchSnapshot();
    expect(reviewableTemplate(edgeTemplate.toJSON())).toMatchSnapshot();
  });

  test('deploys as the service-named stack, with termination protection, in the model region', () => {
    expect(stack.stackName).toBe(model.service.name);
    expect(assembly.getStackArtifact(stack.artifactId).terminationProtection).toBe(true);
    expect(stack.region).toBe(model.aws.region);
  });

  describe('API tier numbers come from the plan', () => {
    test('min/max tasks, target CPU, requests per target and cooldowns', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: plan.api.minTasks.value,
        MaxCapacity: plan.api.maxTasks.value,
      });
      const cooldowns = { ScaleOutCooldown: plan.api.scaleOutCooldownSec.value, ScaleInCooldown: plan.api.scaleInCooldownSec.value };
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: plan.api.targetCpuPercent.value,
          ...cooldowns,
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: plan.api.requestsPerTargetPerMinute.value,
          ...cooldowns,
        }),
      });
    });

    test('task size, draining and health checks', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Cpu: String(plan.api.taskCpuUnits.value),
        Memory: String(plan.api.taskMemoryMiB.value),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        HealthCheckIntervalSeconds: plan.api.healthCheckIntervalSec.value,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: String(plan.api.deregistrationDelaySec.value) }]),
      });
    });

    test('the app is told its phase, pool size and Cache-Control for cacheable GETs', () => {
      expect(containerEnvironment(template)).toEqual(expect.objectContaining({
        SCALING_PHASE: String(plan.phase),
        DB_POOL_SIZE: String(plan.database.clientPoolPerTask.value),
        CACHE_CONTROL_CACHEABLE_GET: plan.cdn.apiCacheControl.value,
      }));
    });
  });

  describe('Aurora numbers come from the plan', () => {
    test('per shard a writer plus the planned readers, all of the planned class', () => {
      template.resourceCountIs('AWS::RDS::DBCluster', plan.sharding.shards.value);
      const shard0Extra = plan.sharding.shardZeroReaders.value - plan.database.readers.value;
      template.resourceCountIs('AWS::RDS::DBInstance', plan.sharding.shards.value * (1 + plan.database.readers.value) + shard0Extra);
      template.allResourcesProperties('AWS::RDS::DBInstance', Match.objectLike({ DBInstanceClass: plan.database.instanceClass.value }));
    });

    test('RDS Proxy pool, read-only endpoint, backups and slow-query log', () => {
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        ConnectionPoolConfigurationInfo: Match.objectLike({
          MaxConnectionsPercent: plan.database.proxyMaxConnectionsPercent.value,
          MaxIdleConnectionsPercent: plan.database.proxyMaxIdleConnectionsPercent.value,
        }),
      });
      template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', { TargetRole: 'READ_ONLY' });
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ BackupRetentionPeriod: plan.database.backupRetentionDays.value, StorageEncrypted: true, DeletionProtection: true }));
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ log_min_duration_statement: String(plan.database.slowQueryLogMs.value) }),
      });
    });
  });

  describe('Redis numbers come from the plan', () => {
    test('node type, primary + replicas, allkeys-lru', () => {
      const single = plan.cache.singlePrimaryGroup;
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        ClusterMode: 'disabled',
        CacheNodeType: (single?.nodeType ?? plan.cache.nodeType).value,
        NumCacheClusters: 1 + (single?.replicas ?? plan.cache.replicas).value,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        AtRestEncryptionEnabled: true,
        TransitEncryptionEnabled: true,
      }));
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', { Properties: { 'maxmemory-policy': 'allkeys-lru' } });
      template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot' });
    });

    test('cluster mode exactly when the plan needs it: shards and replicas per shard, the configuration endpoint in the tasks', () => {
      const groups = Object.values(template.findResources('AWS::ElastiCache::ReplicationGroup'));
      const clusters = groups.filter((g) => g.Properties.ClusterMode === 'enabled');
      const env = containerEnvironment(template);
      if (!plan.cache.clusterMode.value) {
        expect([groups.length, clusters.length, env.REDIS_CLUSTER_CONFIGURATION_ENDPOINT]).toEqual([1, 0, undefined]);
        return;
      }
      expect(groups).toHaveLength(2);
      expect(clusters).toHaveLength(1);
      expect(clusters[0].Properties).toMatchObject({
        CacheNodeType: plan.cache.nodeType.value,
        NumNodeGroups: plan.cache.shards.value,
        ReplicasPerNodeGroup: plan.cache.replicas.value,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        TransitEncryptionEnabled: true,
      });
      expect(clusters[0].DeletionPolicy).toBe('Snapshot');
      const [clusterId] = Object.entries(template.findResources('AWS::ElastiCache::ReplicationGroup')).find(([, g]) => g.Properties.ClusterMode === 'enabled')!;
      expect(env.REDIS_CLUSTER_CONFIGURATION_ENDPOINT).toEqual({ 'Fn::GetAtt': [clusterId, 'ConfigurationEndPoint.Address'] });
      expect(env.REDIS_CUTOVER).toBe(model.current.cacheCutover);
    });
  });

  describe('edge numbers come from the plan', () => {
    test('CloudFront TTLs for static assets and cacheable API GETs, web ACL attached', () => {
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ DefaultTTL: plan.cdn.staticTtlSec.value, MaxTTL: plan.cdn.staticTtlSec.value }),
      });
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({ DefaultTTL: plan.cdn.apiDefaultTtlSec.value, MaxTTL: plan.cdn.apiMaxTtlSec.value }),
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetStackOutput': Match.objectLike({ Region: 'us-east-1', StackName: `${model.service.name}-edge` }) } }),
      });
    });

    test('WAF rate rules per IP: logins, writes, everything, as the plan sizes them', () => {
      const limits = rateLimitsOf(edgeTemplate);
      expect(limits).toEqual({
        PerIpLogin: [plan.waf.perIpLoginLimit.value, plan.waf.windowSec.value],
        PerIpWrites: [plan.waf.perIpWriteLimit.value, plan.waf.windowSec.value],
        PerIpAll: [plan.waf.perIpAllLimit.value, plan.waf.windowSec.value],
      });
    });

    test('NAT gateways per the plan', () => {
      template.resourceCountIs('AWS::EC2::NatGateway', plan.network.natGateways.value);
    });
  });

  test('cost tags on every taggable resource of both stacks', () => {
    const expected = Object.entries(costTagValues(model, plan)).map(([Key, Value]) => ({ Key, Value }));
    for (const s of [stack, phases[plan.phase - 1].edge!]) {
      const resolved = s.template.Resources as Record<string, any>;
      const taggable = taggableResources(s).filter((r) => ![...UNTAGGED_RESOURCE_TYPES, ...COST_UNTAGGED_RESOURCE_TYPES].includes(r.type));
      expect(taggable.length).toBeGreaterThan(s === stack ? 50 : 1);
      for (const { logicalId, type } of taggable) {
        const tags = tagsOf(resolved[logicalId].Properties);
        expect({ logicalId, type, tags }).toEqual({ logicalId, type, tags: expect.arrayContaining(expected) });
      }
    }
  });
});

test('FIS experiment templates carry no cost tags (they would be replaced at each promotion), only their own', () => {
  for (const { template } of byPhase) {
    for (const fisTemplate of Object.values(template.findResources('AWS::FIS::ExperimentTemplate'))) {
      expect(Object.keys(fisTemplate.Properties.Tags)).not.toContain('phase');
      expect(Object.keys(fisTemplate.Properties.Tags)).toContain('Name');
    }
  }
});

describe('across phases', () => {
  const [p1, p2, p3] = byPhase;

  test('max tasks and total task vCPU grow; readers do not shrink and grow by phase 3', () => {
    const vcpuCeiling = (p: PhasePlan) => p.api.maxTasks.value * p.api.taskVcpu.value;
    expect(vcpuCeiling(p1.plan)).toBeLessThan(vcpuCeiling(p2.plan));
    expect(vcpuCeiling(p2.plan)).toBeLessThan(vcpuCeiling(p3.plan));
    // Readers of shard 0 (the cluster every phase keeps), counted from the template.
    const readers = byPhase
      .map((p) => p.template.findResources('AWS::RDS::DBInstance', { Properties: { DBClusterIdentifier: { Ref: onlyResource(shardsOf(p.stack)[0], 'AWS::RDS::DBCluster') } } }))
      .map((r) => Object.keys(r).length - 1);
    expect(readers).toEqual(byPhase.map((p) => p.plan.sharding.shardZeroReaders.value));
    expect(readers[0]).toBeLessThanOrEqual(readers[1]);
    // Phase 3 grows by shards: more reader instances in all (each of them larger).
    const allReaders = byPhase.map((p) => Object.keys(p.template.findResources('AWS::RDS::DBInstance')).length - p.plan.sharding.shards.value);
    expect(allReaders[1]).toBeLessThan(allReaders[2]);
  });

  test('every resource of a phase keeps its logical id and type in the next phase (promotion adds, never renames)', () => {
    for (const [before, after] of [[p1, p2], [p2, p3]]) {
      const next = after.template.toJSON().Resources;
      for (const [id, resource] of Object.entries(before.template.toJSON().Resources as Record<string, { Type: string }>)) {
        expect({ id, type: next[id]?.Type }).toEqual({ id, type: resource.Type });
      }
    }
  });

  test("no deployed property mentions the stack's construct id (only the CLI's path metadata may)", () => {
    for (const { stack, template } of byPhase) {
      const resources = template.toJSON().Resources as Record<string, { Properties?: unknown }>;
      const properties = JSON.stringify(Object.values(resources).map((r) => r.Properties ?? {}));
      expect(properties).not.toContain(stackNode(stack).id);
    }
  });

  test('phase 3 carries the plan limits as warnings for the reviewer', () => {
    // Feasibility is a rule: the writer limit became 2 shards and a write queue, the cache limit cluster mode; no warning.
    const warnings = (stack: SynthesizedStack, pattern = /.*/) => stack.messages.filter((m) => m.level === 'warning' && pattern.test(m.data));
    expect(warnings(p3.stack, /Database: the writer needs/)).toHaveLength(0);
    expect(warnings(p3.stack, /Cache: .*cluster mode/)).toHaveLength(0);
    expect(warnings(p1.stack)).toHaveLength(0);
  });

  test('no stack but the phases, their edges and phase 3\'s secondary region (no guard stack in cdk ls); each phase depends only on its edge', () => {
    // The app's top-level stacks, by construct id (an artifact's hierarchical id is its stack's construct path).
    expect(assembly.stacks.map((s) => s.hierarchicalId).sort()).toEqual(
      ['Phase1Edge', 'Phase1Stack', 'Phase2Edge', 'Phase2Stack', 'Phase3Edge', 'Phase3SecondaryEuWest1', 'Phase3Stack'],
    );
    for (const { stack, edge } of byPhase) {
      expect(stackDependencies(stack)).toEqual([edge!.artifactId]);
      expect(stackDependencies(edge!)).toEqual([]);
    }
  });
});

/** name -> [limit, window] of the web ACL's rate-based rules. */
function rateLimitsOf(template: Template): Record<string, [number, number]> {
  const [acl] = Object.values(template.findResources('AWS::WAFv2::WebACL'));
  const rules = acl.Properties.Rules as Array<{ Name: string; Statement: { RateBasedStatement?: { Limit: number; EvaluationWindowSec: number } } }>;
  return Object.fromEntries(
    rules.filter((r) => r.Statement.RateBasedStatement).map((r) => [r.Name, [r.Statement.RateBasedStatement!.Limit, r.Statement.RateBasedStatement!.EvaluationWindowSec]]),
  );
}

/**
 * Every CloudFormation resource of `stack` that CDK can tag, with its logical id (as synthesized: the deploy guard
 * overrides its logical ids). From the construct tree: each L1 resource records its class; a plain CfnResource (custom
 * resources) records none and has no tags.
 */
function taggableResources(stack: SynthesizedStack): Array<{ logicalId: string; type: string }> {
  return descendants(stackNode(stack))
    .filter((n) => n.attributes?.[RESOURCE_TYPE] !== undefined && isTaggableClass(n.constructInfo!.fqn))
    .map((n) => ({ logicalId: n.attributes![LOGICAL_ID], type: n.attributes![RESOURCE_TYPE] }));
}

const taggableClasses = new Map<string, boolean>();
const scratch = new cdk.Stack();
/** Whether instances of the L1 class `fqn` ('aws-cdk-lib.aws_ecs.CfnTaskDefinition') are taggable (`TagManager.isTaggable`). */
function isTaggableClass(fqn: string): boolean {
  if (!taggableClasses.has(fqn)) {
    const [, namespace, name] = fqn.split('.');
    const L1 = (cdk as any)[namespace][name];
    // Token props satisfy the constructor's required-property and type checks; only the instance's tag manager matters.
    const props = new Proxy({}, { get: (_target, key) => (key === 'tags' ? undefined : cdk.Lazy.string({ produce: () => '' })) });
    taggableClasses.set(fqn, cdk.TagManager.isTaggable(new L1(scratch, `R${taggableClasses.size}`, props)));
  }
  return taggableClasses.get(fqn)!;
}

/** Tags in either CloudFormation shape: a list of {Key, Value} or a map. */
function tagsOf(properties: Record<string, any> = {}): Array<{ Key: string; Value: string }> {
  const tags = properties.Tags ?? properties.tags ?? [];
  return Array.isArray(tags) ? tags : Object.entries(tags).map(([Key, Value]) => ({ Key, Value: Value as string }));
}

describe('Phase 3: shards, shard map and write queue carry the plan numbers (issue 12)', () => {
  const p3 = byPhase[2];
  const { plan, template, stack } = p3;
  const q = plan.queue!;
  const parameters = () => Object.values(template.findResources('AWS::SSM::Parameter')).map((r) => r.Properties as { Name: string; Value: unknown });

  test('one Aurora cluster per shard, each with its RDS Proxy; shard 0 is the cluster of phases 1 and 2', () => {
    expect(plan.sharding.shards.value).toBe(2);
    template.resourceCountIs('AWS::RDS::DBCluster', 2);
    template.resourceCountIs('AWS::RDS::DBProxy', 2);
    const shards = shardsOf(stack);
    expect(shards).toHaveLength(2);
    // Shard 0 is the stack's database: the cluster its DbClusterIdentifier output names.
    expect(template.toJSON().Outputs[OUTPUTS.dbCluster].Value).toEqual({ Ref: onlyResource(shards[0], 'AWS::RDS::DBCluster') });
    expect(shards[0].id).toBe('Database');
    expect(shards[1].id).toBe('DatabaseShard1');
  });

  test('the shard map: a count and, per shard, the proxy endpoints and the application role under /<service>/shards (never the admin secret)', () => {
    const names = parameters().map((p) => p.Name).filter((n) => n.startsWith('/order-management/shards/')).sort();
    expect(names).toEqual(
      ['count', '0/proxy-endpoint', '0/proxy-reader-endpoint', '0/application-user', '1/proxy-endpoint', '1/proxy-reader-endpoint', '1/application-user'].map((n) => `/order-management/shards/${n}`).sort(),
    );
    expect(parameters().find((p) => p.Name.endsWith('/count'))!.Value).toBe('2');
  });

  test('the API and worker task roles read exactly those parameters (no wildcard)', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((r) => r.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>);
    const ssm = statements.filter((s) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssm.length).toBeGreaterThan(0);
    for (const s of ssm) expect(JSON.stringify(s.Resource)).not.toMatch(/\*/);
  });

  test('the write queue: KMS, DLQ with the planned max receives and retentions, visibility timeout', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.hasResourceProperties('AWS::SQS::Queue', {
      MessageRetentionPeriod: q.retentionSec.value,
      VisibilityTimeout: q.visibilityTimeoutSec.value,
      KmsMasterKeyId: Match.anyValue(),
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue(), maxReceiveCount: q.maxReceiveCount.value },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: q.deadLetterRetentionSec.value, KmsMasterKeyId: Match.anyValue() });
  });

  test('the workers scale between the planned counts on backlog per task (metric math, L1 CustomizedMetricSpecification)', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: q.minWorkers.value, MaxCapacity: q.maxWorkers.value });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({
        TargetValue: q.backlogPerTaskTarget.value,
        CustomizedMetricSpecification: {
          Metrics: Match.arrayWith([Match.objectLike({ Id: 'backlog', Expression: 'visible / tasks', ReturnData: true })]),
        },
      }),
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: String(q.workerCpuUnits.value), Memory: String(q.workerMemoryMiB.value) });
  });

  test('alarms on the age of the oldest message (the planned threshold) and on any dead-letter message', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: q.oldestMessageAlarmSec.value });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0 });
  });

  test('phases 1 and 2 have no queue and one cluster', () => {
    for (const p of byPhase.slice(0, 2)) {
      p.template.resourceCountIs('AWS::SQS::Queue', 0);
      p.template.resourceCountIs('AWS::RDS::DBCluster', 1);
    }
  });
});

test('the default model: phase 3 alone runs the cache in cluster mode, 4 shards of cache.r7g.large x (1 + 2)', () => {
  expect(byPhase.map((p) => p.plan.cache.clusterMode.value)).toEqual([false, false, true]);
  const cluster = Object.values(byPhase[2].template.findResources('AWS::ElastiCache::ReplicationGroup')).find((g) => g.Properties.ClusterMode === 'enabled')!;
  expect(cluster.Properties).toMatchObject({ NumNodeGroups: 4, ReplicasPerNodeGroup: 2, CacheNodeType: 'cache.r7g.large' });
});
