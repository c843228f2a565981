import type { CfnResource } from 'aws-cdk-lib';
import type * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { referencedResources, resolve, resolveBoolean, resolveNumber, resolveString } from './resolve';
import type { ScalabilityRule } from './rule';

export const REPLICATION_GROUP = 'AWS::ElastiCache::ReplicationGroup';
const CACHE_CLUSTER = 'AWS::ElastiCache::CacheCluster';
const PARAMETER_GROUP = 'AWS::ElastiCache::ParameterGroup';

/** The engine of a Redis/Valkey replication group or cache cluster; undefined for anything else. */
function redisLike(node: CfnResource): string | undefined {
  let engine: string | undefined;
  if (node.cfnResourceType === REPLICATION_GROUP) engine = resolveString(node, (node as elasticache.CfnReplicationGroup).engine) ?? 'redis';
  else if (node.cfnResourceType === CACHE_CLUSTER) engine = resolveString(node, (node as elasticache.CfnCacheCluster).engine);
  return engine !== undefined && /^(redis|valkey)$/i.test(engine) ? engine : undefined;
}

/**
 * The maxmemory-policy a Redis/Valkey cache runs with: the value in its parameter group of this stack, `default`
 * when it uses a default group (none, or `default.*`), undefined when the group is managed elsewhere.
 */
function maxmemoryPolicy(node: CfnResource): string | undefined {
  const groupName = node.cfnResourceType === REPLICATION_GROUP
    ? (node as elasticache.CfnReplicationGroup).cacheParameterGroupName
    : (node as elasticache.CfnCacheCluster).cacheParameterGroupName;
  if (groupName === undefined) return 'default';
  const [group] = referencedResources(node, groupName).filter((r) => r.cfnResourceType === PARAMETER_GROUP);
  if (group !== undefined) {
    const properties = resolve(group, (group as elasticache.CfnParameterGroup).properties) ?? {};
    return properties['maxmemory-policy'] ?? 'default';
  }
  const literal = resolveString(node, groupName);
  return literal?.startsWith('default.') ? 'default' : undefined;
}

export const ELASTICACHE_RULES: readonly ScalabilityRule[] = [
  {
    id: 'EC1',
    level: NagMessageLevel.ERROR,
    info: 'The Redis/Valkey cache has no maxmemory-policy of its own (the default group\'s volatile-lru), or noeviction.',
    explanation: 'Once memory is full, noeviction rejects every write with OOM errors, and volatile-lru can only evict keys with a TTL: a cache whose keys lack one fills up and starts failing writes at the very peak that filled it.',
    fix: 'Use a parameter group with maxmemory-policy allkeys-lru (or allkeys-lfu) for a cache; keep noeviction only for a data store, sized with headroom and alarmed.',
    check: (node) => {
      if (redisLike(node) === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const policy = maxmemoryPolicy(node);
      if (policy === undefined) return NagRuleCompliance.NOT_APPLICABLE; // a parameter group managed outside this stack
      return policy === 'default' || policy === 'noeviction' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'EC2',
    level: NagMessageLevel.WARN,
    info: 'The cache is a single node (no replica).',
    explanation: 'One node holds the whole cache: its failure or maintenance empties it, and the cold-cache traffic that follows lands on the database at full load; reads cannot be spread over replicas either.',
    fix: 'Use a replication group with at least one replica in another AZ (NumCacheClusters >= 2, or ReplicasPerNodeGroup >= 1 in cluster mode).',
    check: (node) => {
      if (node.cfnResourceType === CACHE_CLUSTER) {
        const nodes = resolveNumber(node, (node as elasticache.CfnCacheCluster).numCacheNodes) ?? 1;
        return redisLike(node) !== undefined || nodes < 2 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
      }
      if (node.cfnResourceType !== REPLICATION_GROUP) return NagRuleCompliance.NOT_APPLICABLE;
      const group = node as elasticache.CfnReplicationGroup;
      const shards = resolve(node, group.nodeGroupConfiguration);
      if (group.numNodeGroups !== undefined || group.replicasPerNodeGroup !== undefined || Array.isArray(shards)) {
        const replicas = Array.isArray(shards) && group.replicasPerNodeGroup === undefined
          ? Math.min(...shards.map((s: { replicaCount?: number }) => Number(s.replicaCount ?? 0)))
          : resolveNumber(node, group.replicasPerNodeGroup) ?? 0;
        return replicas < 1 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
      }
      const nodes = group.numCacheClusters === undefined ? 1 : resolveNumber(node, group.numCacheClusters);
      if (nodes === undefined) throw new Error('NumCacheClusters is not a literal number');
      return nodes < 2 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'EC3',
    level: NagMessageLevel.ERROR,
    info: 'The replication group has no automatic failover.',
    explanation: 'When the primary fails, nobody promotes a replica: writes fail until an operator acts, and every client that needs the primary is down with it.',
    fix: 'Set AutomaticFailoverEnabled (and MultiAZEnabled) to true, with at least one replica.',
    check: (node) => {
      if (node.cfnResourceType !== REPLICATION_GROUP) return NagRuleCompliance.NOT_APPLICABLE;
      const enabled = resolveBoolean(node, (node as elasticache.CfnReplicationGroup).automaticFailoverEnabled);
      return enabled === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
