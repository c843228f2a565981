/**
 * Sizing of ElastiCache Redis: node type from memory, replicas from throughput.
 */
import { CACHE_MAX_REPLICAS, CACHE_NODE_TYPES, CACHE_RESERVED_MEMORY_SHARE } from './catalog';
import { dataScale } from './database-sizing';
import { cacheMemory } from './formulas';
import { CachePlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { planWindows } from './windows';
import { fmt } from './traffic';

/** Memory of a node that can hold data, after ElastiCache's reserved share. */
export function usableCacheMemoryGiB(nodeMemoryGiB: number): number {
  return nodeMemoryGiB * (1 - CACHE_RESERVED_MEMORY_SHARE);
}

/** Sizes the cache for one phase. */
export function planCache(model: Capacity, multiplier: number, traffic: TrafficPlan): { cache: CachePlan; warnings: string[] } {
  const { policy, current } = model;
  const warnings: string[] = [];
  const workingSet = current.workingSetGb * dataScale(model, multiplier);
  const required = cacheMemory(workingSet, policy.cacheOverheadFactor);

  let node = CACHE_NODE_TYPES.find((n) => usableCacheMemoryGiB(n.memoryGiB) >= required);
  if (!node) {
    node = CACHE_NODE_TYPES[CACHE_NODE_TYPES.length - 1];
    warnings.push(`Cache: ${fmt(required)} GB does not fit one ${node.name}; move to cluster mode (shards)`);
  }

  // Every origin read looks up its queries in Redis; every miss fills its key (SET); every write invalidates its keys.
  const lookups = traffic.originDesignReadRps.value * current.dbQueriesPerRead;
  const fills = lookups * (1 - policy.cacheHitRatio);
  const invalidations = traffic.designWriteRps.value * current.dbQueriesPerWrite;
  const ops = lookups + fills + invalidations;
  const nodesForOps = Math.ceil((ops * policy.safetyMargin) / policy.cacheOpsPerSecPerNode);
  let replicas = Math.max(1, nodesForOps - 1);
  if (replicas > CACHE_MAX_REPLICAS) {
    warnings.push(`Cache: ${fmt(ops)} ops/s needs ${nodesForOps} nodes, above 1 primary + ${CACHE_MAX_REPLICAS} replicas: move to cluster mode`);
    replicas = CACHE_MAX_REPLICAS;
  }

  // Replicas only add read capacity: every write lands on the primary (and is replayed on each replica), while the
  // app's reads go to the reader endpoint, spread over the replicas. Without cluster mode one node takes all writes.
  const primaryWrites = fills + invalidations;
  const primaryUtil = primaryWrites / policy.cacheOpsPerSecPerNode;
  if (primaryWrites * policy.safetyMargin > policy.cacheOpsPerSecPerNode) {
    warnings.push(
      `Cache: the primary takes ${fmt(primaryWrites)} writes/s (x safety ${policy.safetyMargin} = ${fmt(primaryWrites * policy.safetyMargin)}), ` +
        `above one node's ${fmt(policy.cacheOpsPerSecPerNode)} ops/s: replicas cannot take writes, move to cluster mode (shards split the writes)`,
    );
  }

  return {
    warnings,
    cache: {
      snapshotWindow: planWindows(model.aws.region).cacheSnapshotWindow,
      maintenanceWindow: planWindows(model.aws.region).cacheMaintenanceWindow,
      workingSetGb: sized(workingSet, `today's ${current.workingSetGb} GB x ${multiplier}^${model.growth.dataGrowthExponent}`),
      requiredMemoryGb: sized(required, `seeds' formula: working set ${fmt(workingSet)} GB x overhead ${policy.cacheOverheadFactor}`),
      nodeType: sized(
        node.name,
        `smallest node whose usable memory (${node.memoryGiB} GiB less ${CACHE_RESERVED_MEMORY_SHARE * 100} % reserved) holds ${fmt(required)} GB`,
      ),
      nodeMemoryGiB: sized(node.memoryGiB, node.name),
      opsPerSec: sized(
        ops,
        `origin reads x ${current.dbQueriesPerRead} lookups ${fmt(lookups)} + miss fills ${fmt(fills)} (${fmt((1 - policy.cacheHitRatio) * 100)} % of lookups) + writes x ${current.dbQueriesPerWrite} invalidations ${fmt(invalidations)}, at design peak`,
      ),
      primaryWriteOpsPerSec: sized(primaryWrites, `every write lands on the primary: miss fills ${fmt(fills)} + invalidations ${fmt(invalidations)}`),
      primaryUtilization: sized(
        primaryUtil,
        `primary writes ${fmt(primaryWrites)}/s / one node's ${fmt(policy.cacheOpsPerSecPerNode)} ops/s (reads go to the replicas); ` +
          `x safety ${policy.safetyMargin} must stay <= 100 %`,
      ),
      replicas: sized(
        replicas,
        `ceil(${fmt(ops)} ops/s x safety ${policy.safetyMargin} / ${fmt(policy.cacheOpsPerSecPerNode)} per node) = ${nodesForOps} nodes less the primary, at least 1 for failover`,
      ),
      maxmemoryPolicy: sized(policy.cacheEvictionPolicy, 'policy.cacheEvictionPolicy: a cache, not a store, so a full cache evicts instead of failing writes'),
    },
  };
}
