/**
 * The cache's verdicts at the design peak, per primary: with cluster mode each shard's primary takes its share of the
 * writes and holds its share of the memory (cache-sizing.ts picks the shard count so that each fits).
 */
import { usableCacheMemoryGiB } from './cache-sizing';
import { sized } from './plan-types';
import { verdict } from './verdict';
import type { CachePlan, ComponentVerdict } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/** Component names of the cache's verdicts. */
export const CACHE_COMPONENTS = { primaryOps: 'Redis primary write ops/s', memory: 'Redis memory' } as const;

/** Each primary's writes x safety margin against one node's ops/s; each shard's memory against one node's usable memory. */
export function cacheVerdicts(cache: CachePlan, policy: Capacity['policy']): ComponentVerdict[] {
  const usable = usableCacheMemoryGiB(cache.nodeMemoryGiB.value);
  const perShard = cache.shards.value > 1 ? ` (one of ${cache.shards.value} shards)` : '';
  return [
    verdict(
      CACHE_COMPONENTS.primaryOps,
      'ops/s',
      sized(cache.primaryWriteOpsPerShard.value * policy.safetyMargin, `${cache.primaryWriteOpsPerShard.why}, x safety ${policy.safetyMargin}`),
      sized(policy.cacheOpsPerSecPerNode, `policy.cacheOpsPerSecPerNode: one node (${cache.nodeType.value}) takes every write of its shard${perShard}`),
    ),
    verdict(
      CACHE_COMPONENTS.memory,
      'GiB',
      sized(cache.memoryPerShardGb.value, cache.memoryPerShardGb.why),
      sized(usable, `${cache.nodeType.value}: ${fmt(cache.nodeMemoryGiB.value)} GiB less the reserved share${perShard}`),
    ),
  ];
}
