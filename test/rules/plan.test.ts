import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CACHE_NODE_TYPES, DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { PlanMinimums, planMinimums } from '../../lib/rules';
import { ruleIds, stack } from './support';

describe('planMinimums: the plan\'s numbers, read, not recomputed', () => {
  const model = parseCapacity(DEFAULT_MODEL);
  const plans = planModel(model);

  test.each(plans.map((p) => [p.label, p] as const))('%s', (_label, plan) => {
    const minimums = planMinimums(plan, model.service, CACHE_NODE_TYPES);
    expect(minimums).toMatchObject({
      maxTasks: plan.api.maxTasks.value,
      readers: plan.database.readers.value,
      cacheNodeMemoryGiB: plan.cache.nodeMemoryGiB.value,
      cacheReplicas: plan.cache.replicas.value,
      requestTimeoutSec: model.service.requestTimeoutSec,
      taskStartupSec: model.service.taskStartupSec,
    });
    expect(minimums.cacheNodeTypeMemoryGiB?.[plan.cache.nodeType.value]).toBe(plan.cache.nodeMemoryGiB.value);
    expect(Object.keys(minimums.cacheNodeTypeMemoryGiB ?? {})).toEqual(expect.arrayContaining(CACHE_NODE_TYPES.map((t) => t.name)));
  });
});

describe('plan rules (only with a plan)', () => {
  const minimums: PlanMinimums = {
    maxTasks: 20, readers: 2, cacheNodeMemoryGiB: 26.32, cacheReplicas: 2,
    cacheNodeTypeMemoryGiB: { 'cache.r7g.large': 13.07, 'cache.r7g.xlarge': 26.32, 'cache.r7g.2xlarge': 52.82 },
  };

  test('PLAN1: an ECS scalable target below the plan\'s max tasks; at it, it passes; without a plan, not checked', () => {
    const build = (maxCapacity: number) => {
      const s = stack();
      new appscaling.CfnScalableTarget(s, 'Target', {
        serviceNamespace: 'ecs', resourceId: 'service/shop/orders', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 2, maxCapacity,
      });
      return s;
    };
    expect(ruleIds(build(12), { plan: minimums })).toEqual(['PLAN1']);
    expect(ruleIds(build(20), { plan: minimums })).toEqual([]);
    expect(ruleIds(build(12))).toEqual([]);
  });

  test('PLAN2: an Aurora cluster with fewer readers than the plan', () => {
    const build = (readers: number) => {
      const s = stack();
      const cluster = new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql' });
      for (let i = 0; i <= readers; i++) {
        new rds.CfnDBInstance(s, `Instance${i}`, { engine: 'aurora-postgresql', dbClusterIdentifier: cluster.ref, dbInstanceClass: 'db.r7g.large', enablePerformanceInsights: true });
      }
      return s;
    };
    expect(ruleIds(build(1), { plan: minimums })).toEqual(['PLAN2']);
    expect(ruleIds(build(2), { plan: minimums })).toEqual([]);
  });

  test('PLAN3: a smaller node type or fewer replicas than the plan; a bigger node passes; an unknown node type is unverifiable', () => {
    const build = (cacheNodeType: string, numCacheClusters: number) => {
      const s = stack();
      new elasticache.CfnReplicationGroup(s, 'Cache', {
        replicationGroupDescription: 'cache', cacheNodeType, numCacheClusters, automaticFailoverEnabled: true,
        cacheParameterGroupName: new elasticache.CfnParameterGroup(s, 'Params', {
          cacheParameterGroupFamily: 'redis7', description: 'cache', properties: { 'maxmemory-policy': 'allkeys-lru' },
        }).ref,
      });
      return s;
    };
    expect(ruleIds(build('cache.r7g.large', 3), { plan: minimums })).toEqual(['PLAN3']);
    expect(ruleIds(build('cache.r7g.xlarge', 2), { plan: minimums })).toEqual(['PLAN3']);
    expect(ruleIds(build('cache.r7g.2xlarge', 3), { plan: minimums })).toEqual([]);
    expect(ruleIds(build('cache.m5.large', 3), { plan: minimums })).toEqual(['PLAN3']);
  });

  test('a plan given as a function of the stack applies only to the stacks it names', () => {
    const s = stack();
    new appscaling.CfnScalableTarget(s, 'Target', {
      serviceNamespace: 'ecs', resourceId: 'service/shop/orders', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 2, maxCapacity: 5,
    });
    expect(ruleIds(s, { plan: (st) => (st === s ? minimums : undefined) })).toEqual(['PLAN1']);
    expect(ruleIds(s, { plan: () => undefined })).toEqual([]);
  });
});
