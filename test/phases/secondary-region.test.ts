/**
 * Multi-region (issue 12, item 5): each secondary region of a phase is its own stack with an API tier, a cache and an
 * Aurora Global Database secondary; the primary cluster joins the global database without being replaced; with a
 * domain, every region gets a latency record with a health check.
 */
import { ALB_UNHEALTHY_THRESHOLD, CapacityInput, DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { synthesizedPhases } from '../support/synthesized-phases';

const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab`;
const WITH_DOMAIN: CapacityInput = {
  ...DEFAULT_MODEL,
  domain: {
    name: 'api.shop.example.com',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'shop.example.com',
    edgeCertificateArn: CERT('us-east-1'),
    regionalCertificateArns: { 'eu-central-1': CERT('eu-central-1'), 'eu-west-1': CERT('eu-west-1') },
  },
};

type Resources = Record<string, { Type: string; Properties?: any; DeletionPolicy?: string }>;
const ofType = (r: Resources, type: string) => Object.entries(r).filter(([, x]) => x.Type === type);

const model = parseCapacity(DEFAULT_MODEL);
// The cloud assembly as the CLI reads it: each stack's environment and dependencies are in its manifest.
const { phases, assembly } = synthesizedPhases(WITH_DOMAIN);

describe('the default model: one secondary region, eu-west-1, from phase 3', () => {
  test('phases 1-2 have none; phase 3 has Phase3SecondaryEuWest1, stack order-management-eu-west-1 in eu-west-1', () => {
    expect(phases.map((p) => p.secondaries.map((s) => s.artifactId))).toEqual([[], [], ['Phase3SecondaryEuWest1']]);
    const [secondary] = phases[2].secondaries;
    const artifact = assembly.getStackArtifact(secondary.artifactId);
    expect([secondary.stackName, secondary.region, artifact.environment.account]).toEqual(['order-management-eu-west-1', 'eu-west-1', model.aws.account]);
    // `cdk deploy Phase3Stack` deploys the primary only: the secondary depends on it, not the other way round.
    expect(artifact.dependencies.map((d) => d.id)).toContain('Phase3Stack');
    expect(assembly.getStackArtifact(phases[2].stack.artifactId).dependencies.map((d) => d.id)).not.toContain('Phase3SecondaryEuWest1');
    expect(phases[2].plan.regions.secondaries.value).toEqual(['eu-west-1']);
  });
});

describe('Phase 3 secondary region: numbers from the plan', () => {
  const { plan, stack, secondaries } = phases[2];
  const regional = stack.template.Resources as Resources;
  const secondary = secondaries[0].template.Resources as Resources;

  test('the primary cluster joins an AWS::RDS::GlobalCluster by SourceDBClusterIdentifier (the DBCluster itself is unchanged)', () => {
    const [[clusterId, cluster]] = ofType(regional, 'AWS::RDS::DBCluster');
    const [[, global]] = ofType(regional, 'AWS::RDS::GlobalCluster');
    expect(global.Properties).toMatchObject({ GlobalClusterIdentifier: 'order-management-global', SourceDBClusterIdentifier: { Ref: clusterId }, DeletionProtection: true });
    // Engine, version and encryption come from the source cluster (set beside it, AWS rejects the request).
    expect([global.Properties.Engine, global.Properties.StorageEncrypted]).toEqual([undefined, undefined]);
    expect(cluster.Properties.GlobalClusterIdentifier).toBeUndefined();
  });

  test('an Aurora global secondary: same engine version, class and instance count as the primary, write forwarding, encrypted, no credentials', () => {
    const [[clusterId, cluster]] = ofType(secondary, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      Engine: 'aurora-postgresql',
      EngineVersion: '16.13',
      GlobalClusterIdentifier: 'order-management-global',
      EnableGlobalWriteForwarding: plan.regions.writeRouting.value === 'write-forwarding',
      StorageEncrypted: true,
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: true,
    });
    expect(cluster.Properties.MasterUsername).toBeUndefined();
    expect(cluster.DeletionPolicy).toBe('Snapshot');
    const instances = ofType(secondary, 'AWS::RDS::DBInstance').map(([, i]) => i.Properties);
    // A global secondary of shard 0: its writer and readers.
    expect(instances).toHaveLength(1 + plan.sharding.shardZeroReaders.value);
    for (const i of instances) expect(i).toMatchObject({ DBInstanceClass: plan.database.instanceClass.value, DBClusterIdentifier: { Ref: clusterId } });
    // The primary runs the same engine version: a global database needs it.
    const [[, primaryCluster]] = ofType(regional, 'AWS::RDS::DBCluster');
    expect(primaryCluster.Properties.EngineVersion).toBe('16.13');
  });

  test('its own cache (cluster mode from the start) and API tier, sized like the primary for failover', () => {
    const [[, group]] = ofType(secondary, 'AWS::ElastiCache::ReplicationGroup');
    expect(group.Properties).toMatchObject({ ClusterMode: 'enabled', NumNodeGroups: plan.cache.shards.value, ReplicasPerNodeGroup: plan.cache.replicas.value, CacheNodeType: plan.cache.nodeType.value });
    const [[, target]] = ofType(secondary, 'AWS::ApplicationAutoScaling::ScalableTarget');
    expect([target.Properties.MinCapacity, target.Properties.MaxCapacity]).toEqual([plan.api.minTasks.value, plan.api.maxTasks.value]);
    expect(plan.regions.sizedForFailover.value).toBe(true);
    const [[, taskDef]] = ofType(secondary, 'AWS::ECS::TaskDefinition');
    const env = Object.fromEntries(taskDef.Properties.ContainerDefinitions[0].Environment.map((e: any) => [e.Name, e.Value]));
    expect(env.DB_WRITE_FORWARDING).toBe('session');
    expect(env.REDIS_CUTOVER).toBe('cluster');
  });

  // The primary's load balancer is internal (behind CloudFront): a Route 53 health check, probing from the internet,
  // could never reach it; alias target health uses the ALB's own checks from inside the VPC.
  test.each([['primary', () => regional, 'eu-central-1'], ['secondary', () => secondary, 'eu-west-1']] as const)(
    'with a domain, the %s region has a latency alias for origin.<name> that evaluates its load balancer\'s target health',
    (_which, resources, region) => {
      expect(ofType(resources(), 'AWS::Route53::HealthCheck')).toEqual([]);
      const [[lbId]] = ofType(resources(), 'AWS::ElasticLoadBalancingV2::LoadBalancer');
      const [, record] = ofType(resources(), 'AWS::Route53::RecordSet').find(([, r]) => r.Properties.Name.startsWith('origin.'))!;
      expect(record.Properties).toMatchObject({
        Name: 'origin.api.shop.example.com.',
        Type: 'A',
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        Region: region,
        SetIdentifier: region,
        AliasTarget: { EvaluateTargetHealth: true, DNSName: expect.objectContaining({ 'Fn::Join': expect.arrayContaining([expect.arrayContaining([{ 'Fn::GetAtt': [lbId, 'DNSName'] }])]) }) },
      });
      expect(record.Properties.HealthCheckId).toBeUndefined();
    },
  );

  test("the plan's failover detection is the ALB's: unhealthy threshold x the model's health-check interval, as the target group deploys it", () => {
    const model = parseCapacity(WITH_DOMAIN);
    expect(plan.regions.failoverDetectSec.value).toBe(ALB_UNHEALTHY_THRESHOLD * model.service.healthCheckIntervalSec);
    const [[, group]] = ofType(regional, 'AWS::ElasticLoadBalancingV2::TargetGroup');
    expect([group.Properties.UnhealthyThresholdCount, group.Properties.HealthCheckIntervalSeconds]).toEqual([ALB_UNHEALTHY_THRESHOLD, model.service.healthCheckIntervalSec]);
    expect(plan.regions.rtoAchievedSec.why).toContain(`${ALB_UNHEALTHY_THRESHOLD} x ${model.service.healthCheckIntervalSec} s ALB checks`);
  });

  test('the secondary region has its own SLO alarms, tickets and dashboard, as many as its monitoring plan counts', () => {
    const m = plan.regions.monitoring!;
    const alarms = ofType(secondary, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(m.alarmCount.value);
    expect(ofType(secondary, 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(m.compositeAlarmCount.value);
    expect(ofType(secondary, 'AWS::CloudWatch::Dashboard')).toHaveLength(m.dashboards.value);
    const billed = alarms.reduce((n, [, a]) => n + (a.Properties.Metrics ? a.Properties.Metrics.filter((x: any) => x.MetricStat).length : 1), 0);
    expect(billed).toBe(m.billedAlarmMetrics.value);
    // The latency page on this region's load balancer, at the primary's SLO.
    const [[, latency]] = alarms.filter(([id]) => id.startsWith('SloLatencyAlarm'));
    expect(latency.Properties.Threshold).toBe(plan.monitoring.latencyP95Ms.value / 1000);
    // API and cache tickets with the primary's thresholds; no proxy, queue or WAF signal (this region has none).
    expect(m.saturation.map((x) => x.metric)).toEqual(['apiCpuPct', 'apiMemoryPct', 'cacheMemoryPct', 'cacheEvictions', 'cacheHitRatePct', 'dbGlobalReplicationLagMs']);
    for (const x of m.saturation.filter((y) => y.metric !== 'dbGlobalReplicationLagMs')) {
      expect(x.threshold.value).toBe(plan.monitoring.saturation.find((y) => y.metric === x.metric)!.threshold.value);
    }
  });

  test('the global replication lag alarm watches this region\'s Aurora secondary against the RPO target', () => {
    const [[clusterId]] = ofType(secondary, 'AWS::RDS::DBCluster');
    const [[, lag]] = ofType(secondary, 'AWS::CloudWatch::Alarm').filter(([id]) => id.startsWith('SloDbGlobalReplicationLagMs'));
    expect(lag.Properties).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: { Ref: clusterId } }],
      Threshold: plan.regions.rpoTargetSec.value * 1000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(lag.Properties.AlarmDescription).toMatch(/RPO target/);
  });

  test('the cost plan bills the secondary region\'s alarms; phases without a secondary region plan none', () => {
    const line = plan.cost.lines.find((l) => l.item === 'eu-west-1: CloudWatch alarms')!;
    expect(line.usd).toBeGreaterThan(0);
    expect(line.basis).toContain(`${plan.regions.monitoring!.alarmCount.value} alarms`);
    expect(phases.slice(0, 2).map((p) => p.plan.regions.monitoring)).toEqual([undefined, undefined]);
  });

  test('the plan states RPO and RTO, targets and what the design achieves', () => {
    const r = plan.regions;
    expect(r.rpoAchievedSec.value).toBeLessThanOrEqual(r.rpoTargetSec.value);
    expect(r.rtoAchievedSec.value).toBeLessThanOrEqual(r.rtoTargetSec.value);
    expect(r.rpoAchievedSec.why).toMatch(/under 1 s/);
    expect(r.rtoAchievedSec.why).toMatch(/about a minute/);
    expect(r.trafficSharePerRegion.value).toBe(0.5);
  });

  test('the cost plan bills the secondary region', () => {
    const lines = plan.cost.lines.filter((l) => l.item.startsWith('eu-west-1: '));
    expect(lines.map((l) => l.item)).toEqual(expect.arrayContaining(['eu-west-1: Aurora global secondary', 'eu-west-1: ElastiCache nodes', 'eu-west-1: Fargate tasks']));
    expect(lines.find((l) => l.item === 'eu-west-1: Aurora global secondary')!.basis).toMatch(new RegExp(`^${1 + plan.database.readers.value} x ${plan.database.instanceClass.value}`));
    expect(phases[1].plan.cost.lines.some((l) => l.item.startsWith('eu-west-1'))).toBe(false);
  });

  test('the synthesized assembly lists the secondary stack (what `cdk synth` prints)', () => {
    expect(assembly.stacks.map((s) => s.id)).toContain('Phase3SecondaryEuWest1');
  });
});

test('without a domain: no Route 53 records (the secondary is reached only through its load balancer name)', () => {
  const plain = synthesizedPhases(DEFAULT_MODEL);
  for (const s of [plain.phases[2].stack, plain.phases[2].secondaries[0]]) {
    const resources = s.template.Resources as Resources;
    expect([ofType(resources, 'AWS::Route53::RecordSet').length, ofType(resources, 'AWS::Route53::HealthCheck').length]).toEqual([0, 0]);
  }
  expect(ofType(plain.phases[2].stack.template.Resources, 'AWS::RDS::GlobalCluster')).toHaveLength(1);
});

test('a model without secondary regions has no global database and no secondary stack', () => {
  const single = synthesizedPhases({ ...DEFAULT_MODEL, aws: { region: 'eu-central-1' } });
  expect(single.phases.flatMap((p) => p.secondaries)).toEqual([]);
  expect(ofType(single.phases[2].stack.template.Resources, 'AWS::RDS::GlobalCluster')).toHaveLength(0);
});
