import { DEFAULT_MODEL, parseCapacity, planPhases, readerRule, sized, TrafficPlan } from '../../lib/capacity';
import { planCache } from '../../lib/capacity/cache-sizing';
import { planDatabase } from '../../lib/capacity/database-sizing';

/**
 * The reader rule and the Redis primary's write check, on loads chosen so every number can be computed by hand.
 * Default policy: target CPU 70 %, 1,500 read / 750 write QPS per vCPU, Redis hit ratio 80 %, 4 queries per read and
 * per write, safety margin 1.5, 80,000 ops/s per Redis node; multiplier 1 keeps the 2.5 GB working set (xlarge and
 * smaller classes hold it).
 */
const model = parseCapacity(DEFAULT_MODEL);
const [p1] = planPhases(DEFAULT_MODEL);

/** A real traffic plan with the two loads the database and the cache are sized from replaced. */
function traffic(originDesignReadRps: number, designWriteRps: number): TrafficPlan {
  return { ...p1.traffic, originDesignReadRps: sized(originDesignReadRps, 'test load'), designWriteRps: sized(designWriteRps, 'test load') };
}

describe('Aurora readers: the load at the target CPU, + 1 spare for a failover, at least 1', () => {
  test('write-heavy: 500 writes/s, 25 origin reads/s -> xlarge writer at 67 %; 1 reader, no spare (was 2)', () => {
    // GIVEN writes 500 x 4 = 2,000 QPS -> 2,000 / (750 x 0.7) = 3.81 vCPU -> db.r7g.xlarge (4 vCPU)
    //       reads 25 x 20 % misses x 4 = 20 QPS -> ceil(20 / (4 x 1,500 x 0.7 = 4,200)) = 1 reader for the load
    // WHEN a failover promotes that reader, the new writer carries 2,000/750 + 20/1,500 = 2.68 vCPU = 67 % of 4 (<= 70 %)
    const { database, warnings } = planDatabase(model, 1, traffic(25, 500), p1.api);
    expect(database.instanceClass.value).toBe('db.r7g.xlarge');
    expect(database.readQps.value).toBeCloseTo(20, 9);
    expect(database.readersForReadLoad.value).toBe(1);
    // THEN no spare: one reader, the failover target
    expect(database.readers.value).toBe(1);
    expect(database.readerUtilization.value).toBeCloseTo(20 / 6000, 9); // 0.33 %
    expect(database.readerUtilizationAfterFailover.value).toBeCloseTo((2000 / 750 + 20 / 1500) / 4, 9); // 67 %
    expect(database.readers.why).toMatch(/= 1 for the load; no spare: .* writer carries the writes and every read at 67 % CPU \(<= 70 %\)/);
    expect(warnings).toEqual([]);
  });

  test('write-heavy but the writer has no room: 520 writes/s, 200 origin reads/s -> 1 for the load + 1 spare', () => {
    // writes 2,080 QPS -> 3.96 vCPU -> xlarge; reads 200 x 0.2 x 4 = 160 QPS -> 1 reader for the load;
    // promoted writer: 2,080/750 + 160/1,500 = 2.88 vCPU = 72 % > 70 %: the spare stays.
    const { database } = planDatabase(model, 1, traffic(200, 520), p1.api);
    expect(database.instanceClass.value).toBe('db.r7g.xlarge');
    expect(database.readersForReadLoad.value).toBe(1);
    expect(database.readers.value).toBe(2);
    expect(database.readerUtilizationAfterFailover.value).toBeCloseTo(160 / 6000, 9); // the one reader left
    expect(database.readers.why).toMatch(/\+ 1 spare: the writer has no room .* 72 % CPU > 70 %/);
  });

  test('read-heavy: 100 writes/s, 15,000 origin reads/s -> 6 readers for the load + 1 spare = 7', () => {
    // writes 400 QPS -> 0.76 vCPU -> db.r7g.large (2 vCPU); reads 15,000 x 0.2 x 4 = 12,000 QPS;
    // one reader at 70 %: 2 x 1,500 x 0.7 = 2,100 QPS -> ceil(5.71) = 6; after a failover 6 carry 12,000 / 18,000 = 67 %.
    const { database } = planDatabase(model, 1, traffic(15_000, 100), p1.api);
    expect(database.instanceClass.value).toBe('db.r7g.large');
    expect(database.readQps.value).toBeCloseTo(12_000, 9);
    expect(database.readersForReadLoad.value).toBe(6);
    expect(database.readers.value).toBe(7);
    expect(database.readerUtilization.value).toBeCloseTo(12_000 / 21_000, 9); // 57 %
    expect(database.readerUtilizationAfterFailover.value).toBeCloseTo(12_000 / 18_000, 9); // 67 % <= 70 %
    expect(database.readers.why).toMatch(/= 6 for the load, \+ 1 spare: the 6 left after a failover .* 67 % CPU/);
  });

  test('reads above 15 readers: capped at 15 with a warning naming the count', () => {
    // 60,000 x 0.2 x 4 = 48,000 QPS / 2,100 = 22.9 -> 23 + 1 = 24 readers
    const { database, warnings } = planDatabase(model, 1, traffic(60_000, 100), p1.api);
    expect(database.readersForReadLoad.value).toBe(23);
    expect(database.readers.value).toBe(15);
    expect(warnings.join('\n')).toMatch(/reads need 24 readers, above Aurora's 15/);
  });

  test.each([
    // [case, read QPS, write QPS, vCPU, expected readers for the load, expected readers]
    ['no reads: 1 reader all the same (failover target)', 0, 10_000, 4, 0, 1],
    ['no reads, idle writer', 0, 100, 4, 0, 1],
    ['reads fit the writer exactly at the target', 4200 - 2100, 1050, 4, 1, 1], // 1.4 + 1.4 = 2.8 vCPU = 70 %
    ['one QPS more and they do not', 4200 - 2100 + 1, 1050, 4, 1, 2],
    ['two readers for the load never drop the spare', 4201, 0, 4, 2, 3],
  ])('%s', (_, readQps, writeQps, vcpu, forLoad, readers) => {
    const r = readerRule({ readQps, writeQps, vcpu, readQpsPerVcpu: 1500, writeQpsPerVcpu: 750, targetCpuPct: 70 });
    expect(r.readersForLoad).toBe(forLoad);
    expect(r.readers).toBe(readers);
  });

  test('default model: shard 0 keeps (2, 2, 3): the writer has no room for the reads in phases 1-2, phase 3 needs 2 for all reads + 1', () => {
    const plans = planPhases(DEFAULT_MODEL);
    const [d1, d2, d3] = plans.map((p) => p.database);
    expect(plans.map((p) => p.sharding.shardZeroReaders.value)).toEqual([2, 2, 3]);
    // Phase 3 has 2 shards: each takes half the reads, 1 reader for the load + 1 spare.
    expect([d1, d2, d3].map((d) => d.readers.value)).toEqual([2, 2, 2]);
    expect([d1, d2, d3].map((d) => d.readersForReadLoad.value)).toEqual([1, 1, 1]);
    expect(d1.readers.why).toMatch(/81 % CPU > 70 %/); // (1,536/750 + 1,769.47/1,500) / 4
  });
});

describe('Redis: every write lands on a primary; cluster mode when one primary cannot take them', () => {
  // Per node 80,000 ops/s; margin 1.5: a primary may plan for at most 53,333 writes/s.
  test('over one primary: 10,000 writes/s and 20,000 origin reads/s -> 56,000 primary writes x 1.5 = 84,000 > 80,000: cluster mode, 2 shards', () => {
    // invalidations 10,000 x 4 = 40,000; lookups 20,000 x 4 = 80,000, 20 % miss -> 16,000 fills (SET)
    const { cache, warnings } = planCache(model, 1, traffic(20_000, 10_000));
    expect(cache.primaryWriteOpsPerSec.value).toBeCloseTo(56_000, 6);
    expect(cache.opsPerSec.value).toBeCloseTo(80_000 + 16_000 + 40_000, 6);
    expect(cache.clusterMode.value).toBe(true);
    expect(cache.shards.value).toBe(2); // ceil(84,000 / 80,000)
    expect(cache.primaryWriteOpsPerShard.value).toBeCloseTo(28_000, 6);
    expect(cache.primaryUtilization.value).toBeCloseTo(0.35, 9); // 28,000 x 1.5 = 42,000 <= 80,000
    // 136,000 ops x 1.5 / 2 shards / 80,000 = 1.275 -> 2 nodes per shard: 1 replica each, 4 nodes
    expect(cache.replicas.value).toBe(1);
    expect(cache.nodes.value).toBe(4);
    // the old group stays beside the cluster until the cut-over: 1 + 2 replicas (136,000 x 1.5 / 80,000 = 3 nodes)
    expect(cache.singlePrimaryGroup?.replicas.value).toBe(2);
    expect(warnings).toEqual([]);
  });

  test('under: 9,000 writes/s -> 52,000 x 1.5 = 78,000 <= 80,000: one shard, no cluster mode, no old group', () => {
    const { cache, warnings } = planCache(model, 1, traffic(20_000, 9_000));
    expect(cache.primaryWriteOpsPerSec.value).toBeCloseTo(52_000, 6);
    expect(cache.primaryUtilization.value).toBeCloseTo(0.65, 9);
    expect(cache.primaryUtilization.why).toMatch(/52,000 writes\/s \/ one node's 80,000 ops\/s/);
    expect([cache.clusterMode.value, cache.shards.value, cache.singlePrimaryGroup]).toEqual([false, 1, undefined]);
    expect(warnings).toEqual([]);
  });

  test('default model: primary 4 % / 21 % in phases 1-2; phase 3 (165,274 writes/s) in cluster mode, each of 4 primaries at 52 %', () => {
    const plans = planPhases(DEFAULT_MODEL);
    const [c1, c2, c3] = plans.map((p) => p.cache);
    expect(c1.primaryWriteOpsPerSec.value).toBeCloseTo(1536 + 1769.472, 6); // invalidations + fills (= DB read QPS)
    expect(c2.primaryUtilization.value).toBeCloseTo((7680 + 8847.36) / 80_000, 9);
    expect(c3.primaryWriteOpsPerSec.value).toBeCloseTo(76_800 + 88_473.6, 6);
    expect(c3.primaryWriteOpsPerShard.value).toBeCloseTo((76_800 + 88_473.6) / 4, 6);
    expect(c3.primaryUtilization.value * 1.5).toBeLessThanOrEqual(1);
    expect(plans.map((p) => p.warnings.join('\n')).join('\n')).not.toMatch(/^Cache:/m);
  });

  test('memory alone: a working set no node holds is split over shards', () => {
    const big = parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, workingSetGb: 400, databaseSizeGb: 1000 } });
    // 400 GB x 1.5 = 600 GB > 314.3 GB usable on cache.r7g.16xlarge -> 2 shards of 300 GB
    const { cache } = planCache(big, 1, traffic(100, 10));
    expect([cache.clusterMode.value, cache.shards.value, cache.nodeType.value]).toEqual([true, 2, 'cache.r7g.16xlarge']);
    expect(cache.memoryPerShardGb.value).toBeCloseTo(300, 6);
  });
});
