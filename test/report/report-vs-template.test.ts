import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { buildReport } from '../../lib/report/report';
import { renderJson } from '../../lib/report/render-json';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { synthesizedPhases } from '../support/synthesized-phases';

/**
 * The report and the CloudFormation can never disagree: read each number from the synthesized template
 * and find it in the report (the JSON plan and the Markdown text a person reads).
 */
const model = parseCapacity(DEFAULT_MODEL);
const report = buildReport(model);
const json = JSON.parse(renderJson(report));
const markdown = renderMarkdown(report);
const { phases } = synthesizedPhases(DEFAULT_MODEL);

/** The numbers a reviewer checks, as the template deploys them. */
function fromTemplate(i: number) {
  const byId = phases[i].stack.template.Resources as Record<string, { Type: string; Properties: any }>;
  const resources = Object.values(byId);
  const of = (type: string) => resources.filter((r) => r.Type === type).map((r) => r.Properties);
  const [target] = of('AWS::ApplicationAutoScaling::ScalableTarget');
  const policies = of('AWS::ApplicationAutoScaling::ScalingPolicy').map((p) => p.TargetTrackingScalingPolicyConfiguration);
  const cpu = policies.find((p) => p.PredefinedMetricSpecification.PredefinedMetricType === 'ECSServiceAverageCPUUtilization');
  // Shard 0 (the 'Database' cluster every phase keeps): its instances; other shards count in `shards`.
  // Its logical id: the one DBCluster whose id comes from the construct id 'Database' (the others are 'DatabaseShard<n>').
  const shard0Ids = Object.keys(byId).filter((id) => byId[id].Type === 'AWS::RDS::DBCluster' && /^Database(?!Shard\d)/.test(id));
  if (shard0Ids.length !== 1) throw new Error(`expected one shard-0 DBCluster in ${phases[i].stack.artifactId}, found: ${shard0Ids.join(', ')}`);
  const [shard0] = shard0Ids;
  const instances = of('AWS::RDS::DBInstance').filter((p) => p.DBClusterIdentifier?.Ref === shard0);
  // The group the plan sized: the cluster-mode one when the phase has it (the single-primary group stays beside it).
  const groups = of('AWS::ElastiCache::ReplicationGroup');
  const group = groups.find((g) => g.ClusterMode === 'enabled') ?? groups[0];
  const [taskDef] = of('AWS::ECS::TaskDefinition');
  const tags = Object.fromEntries(group.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
  const [acl] = Object.values(phases[i].edge!.template.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::WAFv2::WebACL');
  const allRule = acl.Properties.Rules.find((r: any) => r.Name === 'PerIpAll');
  return {
    minTasks: target.MinCapacity,
    maxTasks: target.MaxCapacity,
    targetCpu: cpu.TargetValue,
    scaleOut: cpu.ScaleOutCooldown,
    scaleIn: cpu.ScaleInCooldown,
    taskVcpu: Number(taskDef.Cpu) / 1024,
    instanceClass: instances[0].DBInstanceClass,
    readers: instances.length - 1,
    shards: of('AWS::RDS::DBCluster').length,
    nodeType: group.CacheNodeType,
    nodes: group.ClusterMode === 'enabled' ? group.NumNodeGroups * (1 + group.ReplicasPerNodeGroup) : group.NumCacheClusters,
    projectedCostUsd: Number(tags['projected-monthly-cost-usd']),
    perIpLimit: allRule.Statement.RateBasedStatement.Limit,
  };
}

describe.each([0, 1, 2])('phase %#: report == template', (i) => {
  const t = fromTemplate(i);
  const plan = json.plans[i];

  test('the JSON plan has the template numbers', () => {
    expect({
      minTasks: plan.api.minTasks.value,
      maxTasks: plan.api.maxTasks.value,
      targetCpu: plan.api.targetCpuPercent.value,
      scaleOut: plan.api.scaleOutCooldownSec.value,
      scaleIn: plan.api.scaleInCooldownSec.value,
      taskVcpu: plan.api.taskVcpu.value,
      instanceClass: plan.database.instanceClass.value,
      readers: plan.sharding.shardZeroReaders.value,
      shards: plan.sharding.shards.value,
      nodeType: plan.cache.nodeType.value,
      nodes: plan.cache.nodes.value,
      projectedCostUsd: Math.round(plan.cost.totalUsd),
      perIpLimit: plan.waf.perIpAllLimit.value,
    }).toEqual(t);
  });

  test('the Markdown a person reads states them', () => {
    const label = json.plans[i].label;
    expect(markdown).toContain(`API: ${t.minTasks}-${t.maxTasks} Fargate tasks of ${t.taskVcpu} vCPU`);
    expect(markdown).toContain(`Aurora PostgreSQL ${t.instanceClass} writer + ${t.readers} readers`);
    expect(markdown).toContain(`ElastiCache Redis ${t.nodeType} x ${t.nodes} nodes, maxmemory-policy allkeys-lru`);
    expect(markdown).toContain(`${t.perIpLimit.toLocaleString('en-US')} requests per IP`);
    expect(markdown).toMatch(new RegExp(`\\| Total \\(USD\\) \\|.*${t.projectedCostUsd.toLocaleString('en-US')}`));
    expect(markdown).toContain(label);
  });
});

test('the report states the predicted p95 at design peak within the SLO, and the month each phase is needed', () => {
  for (const plan of report.plans) expect(plan.api.predictedP95Ms.value).toBeLessThan(model.slo.p95Ms);
  expect(markdown).toMatch(/\| Phase 2 \(10x\) \| planned \| 2x \(2\.6 months, 2027-02-19\)/);
  expect(markdown).toContain('Predicted p95 at design peak');
});
