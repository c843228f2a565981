import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { SCALABLE_TARGET } from './autoscaling';
import { DB_CLUSTER } from './database-clients';
import { WORKER_CONSTRUCT_ID } from './plan-minimums';
import { readerCount } from './rds';
import { REPLICATION_GROUP } from './elasticache';
import { resolve, resolveNumber, resolveString } from './resolve';
import type { ScalabilityRule } from './rule';

/** Rules that apply only when the pack is given a plan (`ScalabilityChecks({ plan })`): the stack must reach its numbers. */
export const PLAN_RULES: readonly ScalabilityRule[] = [
  {
    id: 'PLAN1',
    level: NagMessageLevel.ERROR,
    info: 'The ECS service cannot scale to the plan\'s maximum task count (MaxCapacity below the plan\'s maxTasks).',
    explanation: 'The plan sized the service for its design peak; a lower ceiling means the peak saturates the tasks and the auto scaling policy stops adding them.',
    fix: 'Set maxCapacity to the plan\'s maxTasks (or change the plan, so the report and the stack agree).',
    check: (node, { plan }) => {
      if (node.cfnResourceType !== SCALABLE_TARGET) return NagRuleCompliance.NOT_APPLICABLE;
      // A queue worker service has its own ceiling (the plan's max workers), not the API's.
      const planned = node.node.scopes.some((s) => s.node.id === WORKER_CONSTRUCT_ID) ? plan?.workerMaxTasks : plan?.maxTasks;
      if (planned === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const target = node as appscaling.CfnScalableTarget;
      if (resolve(node, target.serviceNamespace) !== 'ecs') return NagRuleCompliance.NOT_APPLICABLE;
      const max = resolveNumber(node, target.maxCapacity);
      if (max === undefined) throw new Error('MaxCapacity is not a literal number');
      return max < planned ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'PLAN2',
    level: NagMessageLevel.ERROR,
    info: 'The Aurora cluster has fewer readers than the plan.',
    explanation: 'The plan counts readers for its read load plus one for failover (none when the promoted writer can carry the reads), at least one; with fewer, reads at the design peak overload the readers, or a failover leaves too few.',
    fix: 'Add reader instances up to the plan\'s count.',
    check: (node, { plan }) => {
      if (plan?.readers === undefined || node.cfnResourceType !== DB_CLUSTER) return NagRuleCompliance.NOT_APPLICABLE;
      if (!(resolveString(node, (node as rds.CfnDBCluster).engine) ?? '').startsWith('aurora')) return NagRuleCompliance.NOT_APPLICABLE;
      return readerCount(node as rds.CfnDBCluster) < plan.readers ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'PLAN3',
    level: NagMessageLevel.ERROR,
    info: 'The cache has less memory per node, or fewer replicas, than the plan.',
    explanation: 'The plan sized node memory to hold the working set (with ElastiCache\'s reserve) and replicas for the read load; less memory evicts hot keys and sends their reads to the database.',
    fix: 'Use the plan\'s node type (or a larger one) and at least its replica count.',
    check: (node, { plan }) => {
      if (plan === undefined || node.cfnResourceType !== REPLICATION_GROUP) return NagRuleCompliance.NOT_APPLICABLE;
      if (plan.cacheNodeMemoryGiB === undefined && plan.cacheReplicas === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const group = node as elasticache.CfnReplicationGroup;
      if (plan.cacheNodeMemoryGiB !== undefined) {
        const nodeType = resolveString(node, group.cacheNodeType);
        const memory = nodeType === undefined ? undefined : plan.cacheNodeTypeMemoryGiB?.[nodeType];
        if (memory === undefined) throw new Error(`the memory of node type ${nodeType ?? '(a token)'} is unknown to the plan`);
        if (memory < plan.cacheNodeMemoryGiB) return NagRuleCompliance.NON_COMPLIANT;
      }
      if (plan.cacheReplicas !== undefined) {
        const nodes = group.numCacheClusters === undefined ? undefined : resolveNumber(node, group.numCacheClusters);
        const replicas = nodes !== undefined ? nodes - 1 : resolveNumber(node, group.replicasPerNodeGroup) ?? 0;
        if (replicas < plan.cacheReplicas) return NagRuleCompliance.NON_COMPLIANT;
      }
      return NagRuleCompliance.COMPLIANT;
    },
  },
];
