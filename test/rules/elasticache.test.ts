import type { Stack } from 'aws-cdk-lib';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import { ruleIds, stack } from './support';

interface CacheOptions {
  readonly policy?: string | null;
  readonly groupName?: string;
  readonly nodes?: number;
  readonly failover?: boolean;
}

/** A Redis replication group built with L1s, by default: allkeys-lru parameter group, primary + replica, failover. */
function redis(options: CacheOptions = {}): Stack {
  const s = stack();
  let groupName: string | undefined = options.groupName;
  if (options.groupName === undefined && options.policy !== null) {
    groupName = new elasticache.CfnParameterGroup(s, 'Params', {
      cacheParameterGroupFamily: 'redis7',
      description: 'cache',
      properties: options.policy === undefined ? { 'maxmemory-policy': 'allkeys-lru' } : { 'maxmemory-policy': options.policy },
    }).ref;
  }
  new elasticache.CfnReplicationGroup(s, 'Cache', {
    replicationGroupDescription: 'cache',
    engine: 'redis',
    cacheNodeType: 'cache.r7g.large',
    numCacheClusters: options.nodes ?? 2,
    automaticFailoverEnabled: options.failover ?? true,
    cacheParameterGroupName: groupName,
  });
  return s;
}

describe('ElastiCache rules', () => {
  test('allkeys-lru, a replica, automatic failover: no finding', () => {
    expect(ruleIds(redis())).toEqual([]);
  });

  test.each<[string, CacheOptions]>([
    ['no parameter group (the default group: volatile-lru)', { policy: null }],
    ['a default.* parameter group by name', { groupName: 'default.redis7' }],
    ['noeviction', { policy: 'noeviction' }],
  ])('EC1: %s is reported', (_name, options) => {
    expect(ruleIds(redis(options))).toEqual(['EC1']);
  });

  test('EC1 passes an explicit eviction policy (volatile-lfu for a TTL-only cache), and skips a group managed elsewhere', () => {
    expect(ruleIds(redis({ policy: 'volatile-lfu' }))).toEqual([]);
    expect(ruleIds(redis({ groupName: 'shared-redis7-params' }))).toEqual([]);
  });

  test('EC2 + EC3: one node without failover', () => {
    expect(ruleIds(redis({ nodes: 1, failover: false }))).toEqual(['EC2', 'EC3']);
  });

  test('EC3 alone: two nodes, automatic failover off', () => {
    expect(ruleIds(redis({ failover: false }))).toEqual(['EC3']);
  });

  test('EC2 in cluster mode: shards without replicas; with one replica each it passes', () => {
    const s = stack();
    const group = new elasticache.CfnReplicationGroup(s, 'Cache', {
      replicationGroupDescription: 'cache',
      cacheNodeType: 'cache.r7g.large',
      numNodeGroups: 3,
      replicasPerNodeGroup: 0,
      automaticFailoverEnabled: true,
      cacheParameterGroupName: new elasticache.CfnParameterGroup(s, 'Params', {
        cacheParameterGroupFamily: 'redis7', description: 'cache', properties: { 'maxmemory-policy': 'allkeys-lfu', 'cluster-enabled': 'yes' },
      }).ref,
    });
    expect(ruleIds(s)).toEqual(['EC2']);
    group.replicasPerNodeGroup = 1;
    expect(ruleIds(s)).toEqual([]);
  });

  test('a single-node Redis CacheCluster: EC1 (default group) and EC2; a 2-node Memcached cluster: nothing', () => {
    const s = stack();
    new elasticache.CfnCacheCluster(s, 'Redis', { engine: 'redis', cacheNodeType: 'cache.t4g.small', numCacheNodes: 1 });
    expect(ruleIds(s)).toEqual(['EC1', 'EC2']);
    const m = stack();
    new elasticache.CfnCacheCluster(m, 'Memcached', { engine: 'memcached', cacheNodeType: 'cache.r7g.large', numCacheNodes: 2 });
    expect(ruleIds(m)).toEqual([]);
  });
});
