/**
 * Sizing of ElastiCache Redis: node type from memory, replicas from throughput, and cluster mode (shards) when one
 * primary cannot hold the writes or the memory.
 */
import { CACHE_MAX_REPLICAS, CACHE_NODE_TYPES, CACHE_RESERVED_MEMORY_SHARE, CacheNodeType } from './catalog';
import { dataScale } from './database-sizing';
import { cacheMemory } from './formulas';
import { CachePlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { planWindows } from './windows';
import { fmt } from './traffic';

/** ElastiCache's limit on the nodes of one cluster-mode replication group (shards x (1 + replicas)). */
export const CACHE_MAX_NODES_PER_CLUSTER = 500;

/** Memory of a node that can hold data, after ElastiCache's reserved share. */
export function usableCacheMemoryGiB(nodeMemoryGiB: number): number {
  return nodeMemoryGiB * (1 - CACHE_RESERVED_MEMORY_SHARE);
}

/** The smallest node type whose usable memory holds `gb`, or undefined when even the largest cannot. */
function smallestNodeHolding(gb: number): CacheNodeType | undefined {
  return CACHE_NODE_TYPES.find((n) => usableCacheMemoryGiB(n.memoryGiB) >= gb);
}

/** Sizes the cache for one phase. */
export function planCache(model: Capacity, multiplier: number, traffic: TrafficPlan): { cache: CachePlan; warnings: string[] } {
  const { policy, current } = model;
  const warnings: string[] = [];
  const margin = policy.safetyMargin;
  const perNode = policy.cacheOpsPerSecPerNode;
  const workingSet = current.workingSetGb * dataScale(model, multiplier);
  const required = cacheMemory(workingSet, policy.cacheOverheadFactor);

  // Every origin read looks up its queries in Redis; every miss fills its key (SET); every write invalidates its keys.
  const lookups = traffic.originDesignReadRps.value * current.dbQueriesPerRead;
  const fills = lookups * (1 - policy.cacheHitRatio);
  const invalidations = traffic.designWriteRps.value * current.dbQueriesPerWrite;
  const ops = lookups + fills + invalidations;
  const nodesForOps = Math.ceil((ops * margin) / perNode);
  // Replicas only add read capacity: every write lands on a primary (and is replayed on each replica), while the
  // app's reads go to the replicas. Without cluster mode one node takes all writes; shards split them by key slot.
  const primaryWrites = fills + invalidations;

  const largest = CACHE_NODE_TYPES[CACHE_NODE_TYPES.length - 1];
  const singleNode = smallestNodeHolding(required);
  const shardsForWrites = Math.ceil((primaryWrites * margin) / perNode);
  const shardsForMemory = Math.ceil(required / usableCacheMemoryGiB(largest.memoryGiB));
  const shardsForOps = Math.ceil(nodesForOps / (1 + CACHE_MAX_REPLICAS));
  const clusterMode = shardsForWrites > 1 || shardsForMemory > 1 || shardsForOps > 1;
  const shards = Math.max(1, shardsForWrites, shardsForMemory, shardsForOps);

  const memoryPerShard = required / shards;
  // shards >= shardsForMemory, so the largest node always holds a shard's share.
  const node = smallestNodeHolding(memoryPerShard) ?? largest;
  const nodesPerShard = Math.ceil((ops * margin) / shards / perNode);
  const replicas = Math.max(1, nodesPerShard - 1);
  const primaryPerShard = primaryWrites / shards;
  const nodes = shards * (1 + replicas);
  if (nodes > CACHE_MAX_NODES_PER_CLUSTER) {
    warnings.push(`Cache: ${shards} shards x ${1 + replicas} nodes = ${nodes} nodes, above ElastiCache's ${CACHE_MAX_NODES_PER_CLUSTER} per cluster: split the keyspace over several clusters`);
  }

  const shardReason = clusterMode
    ? `cluster mode: max(writes ${fmt(primaryWrites)}/s x safety ${margin} / ${fmt(perNode)} per primary = ${shardsForWrites}, ` +
      `memory ${fmt(required)} GB / ${fmt(usableCacheMemoryGiB(largest.memoryGiB))} GB usable on ${largest.name} = ${shardsForMemory}, ` +
      `${nodesForOps} nodes for the ops / ${1 + CACHE_MAX_REPLICAS} per shard = ${shardsForOps}) shards; keys hash evenly over the 16,384 slots`
    : `one shard: one primary holds the writes (${fmt(primaryWrites * margin)} <= ${fmt(perNode)} ops/s with safety ${margin}), the memory fits ${node.name}, and ${nodesForOps} nodes fit 1 primary + ${CACHE_MAX_REPLICAS} replicas`;

  // The group earlier phases deployed: cluster mode cannot be reached in place (ReplicasPerNodeGroup is create-only
  // and NumNodeGroups may replace), so it stays beside the cluster, as big as a single primary group gets, until cut over.
  const single = singleNode ?? largest;
  const singleReplicas = Math.min(CACHE_MAX_REPLICAS, Math.max(1, nodesForOps - 1));
  const singlePrimaryGroup = clusterMode
    ? {
        nodeType: sized(single.name, `the cluster-mode-disabled group kept until the cut-over: ${singleNode ? 'smallest node holding' : 'the largest node, short of'} ${fmt(required)} GB`),
        nodeMemoryGiB: sized(single.memoryGiB, single.name),
        replicas: sized(singleReplicas, `as many of the ${nodesForOps} nodes the ops need as one group takes (1 primary + at most ${CACHE_MAX_REPLICAS} replicas)`),
      }
    : undefined;

  return {
    warnings,
    cache: {
      snapshotWindow: planWindows(model.aws.region).cacheSnapshotWindow,
      maintenanceWindow: planWindows(model.aws.region).cacheMaintenanceWindow,
      workingSetGb: sized(workingSet, `today's ${current.workingSetGb} GB x ${multiplier}^${model.growth.dataGrowthExponent}`),
      requiredMemoryGb: sized(required, `seeds' formula: working set ${fmt(workingSet)} GB x overhead ${policy.cacheOverheadFactor}`),
      nodeType: sized(
        node.name,
        `smallest node whose usable memory (${node.memoryGiB} GiB less ${CACHE_RESERVED_MEMORY_SHARE * 100} % reserved) holds ${fmt(memoryPerShard)} GB` +
          (clusterMode ? ` (${fmt(required)} GB over ${shards} shards)` : ''),
      ),
      nodeMemoryGiB: sized(node.memoryGiB, node.name),
      opsPerSec: sized(
        ops,
        `origin reads x ${current.dbQueriesPerRead} lookups ${fmt(lookups)} + miss fills ${fmt(fills)} (${fmt((1 - policy.cacheHitRatio) * 100)} % of lookups) + writes x ${current.dbQueriesPerWrite} invalidations ${fmt(invalidations)}, at design peak`,
      ),
      primaryWriteOpsPerSec: sized(primaryWrites, `every write lands on a primary: miss fills ${fmt(fills)} + invalidations ${fmt(invalidations)}`),
      primaryUtilization: sized(
        primaryPerShard / perNode,
        `${clusterMode ? `each of ${shards} shard primaries takes ` : 'the primary takes '}${fmt(primaryPerShard)} writes/s / one node's ${fmt(perNode)} ops/s (reads go to the replicas); ` +
          `x safety ${margin} must stay <= 100 %`,
      ),
      replicas: sized(
        replicas,
        `ceil(${fmt(ops)} ops/s${clusterMode ? ` / ${shards} shards` : ''} x safety ${margin} / ${fmt(perNode)} per node) = ${nodesPerShard} nodes per shard less the primary, at least 1 for failover`,
      ),
      maxmemoryPolicy: sized(policy.cacheEvictionPolicy, 'policy.cacheEvictionPolicy: a cache, not a store, so a full cache evicts instead of failing writes'),
      clusterMode: sized(clusterMode, shardReason),
      shards: sized(shards, shardReason),
      nodes: sized(nodes, `${shards} shard(s) x (1 primary + ${replicas} replicas)`),
      primaryWriteOpsPerShard: sized(primaryPerShard, `${fmt(primaryWrites)} writes/s / ${shards} shard(s)`),
      memoryPerShardGb: sized(memoryPerShard, `${fmt(required)} GB / ${shards} shard(s)`),
      singlePrimaryGroup,
    },
  };
}
