import { DEFAULT_MODEL, planPhases, PhasePlan } from '../../lib/capacity';

/**
 * The default model's plan, checked against numbers computed by hand from the formulas:
 * peak 800 RPS x {2, 10, 100}; baseline = peak / 2.5; flash sale = baseline x 6 = 2.4 x peak;
 * 90 % reads; CDN answers reads x 40 % cacheable x 90 % hit = 32.4 % of requests; 800 RPS per vCPU (1.25 ms CPU).
 */
describe('default model plan (hand-computed)', () => {
  const [p1, p2, p3] = planPhases(DEFAULT_MODEL);

  describe('traffic', () => {
    test.each([
      [1, 1600, 640, 3840, 2595.84, 384],
      [2, 8000, 3200, 19200, 12979.2, 1920],
      [3, 80000, 32000, 192000, 129792, 19200],
    ])('phase %i: peak %d, baseline %d, design (flash) %d, origin %d, writes %d', (phase, peak, baseline, design, origin, writes) => {
      const t = [p1, p2, p3][phase - 1].traffic;
      expect(t.peakRps.value).toBeCloseTo(peak, 6);
      expect(t.baselineRps.value).toBeCloseTo(baseline, 6);
      expect(t.designPeakRps.value).toBeCloseTo(design, 6);
      expect(t.originDesignRps.value).toBeCloseTo(origin, 6);
      expect(t.designWriteRps.value).toBeCloseTo(writes, 6);
    });

    test("required capacity is the seeds' peak x growth x margin: 800 x 4.8 x 1.5 = 5,760 in phase 1", () => {
      expect(p1.traffic.requiredCapacityRps.value).toBeCloseTo(5760, 6);
    });
  });

  describe('API tier', () => {
    test('phase 1: 1-vCPU tasks, 5 at design peak (2,595.84 / 520), max ceil(5 x 1.5) = 8, min 2', () => {
      expect(p1.api.taskVcpu.value).toBe(1);
      expect(p1.api.taskCpuUnits.value).toBe(1024);
      expect(p1.api.taskMemoryMiB.value).toBe(2048);
      expect(p1.api.rpsPerTaskAtTarget.value).toBeCloseTo(520, 6);
      expect(p1.api.tasksAtDesignPeak.value).toBe(5);
      expect(p1.api.maxTasks.value).toBe(8);
      expect(p1.api.minTasks.value).toBe(2);
      expect(p1.api.requestsPerTargetPerMinute.value).toBe(31200);
    });

    test('phase 2: 25 tasks at peak, max 38, min ceil(2,163.2 / 520) = 5', () => {
      expect(p2.api.tasksAtDesignPeak.value).toBe(25);
      expect(p2.api.maxTasks.value).toBe(38);
      expect(p2.api.minTasks.value).toBe(5);
    });

    test('phase 3: 1- and 2-vCPU tasks would exceed 100 tasks, so 4-vCPU tasks: 63 at peak, max 95, min 11', () => {
      expect(p3.api.taskVcpu.value).toBe(4);
      expect(p3.api.taskMemoryMiB.value).toBe(8192);
      expect(p3.api.tasksAtDesignPeak.value).toBe(63);
      expect(p3.api.maxTasks.value).toBe(95);
      expect(p3.api.minTasks.value).toBe(11);
    });

    test('cooldowns: out = 60 s startup + 2 x 15 s checks = 90 s; in = max(300, 270) = 300 s; drain = 30 + 5 s', () => {
      for (const p of [p1, p2, p3]) {
        expect(p.api.scaleOutCooldownSec.value).toBe(90);
        expect(p.api.scaleInCooldownSec.value).toBe(300);
        expect(p.api.deregistrationDelaySec.value).toBe(35);
        expect(p.api.targetCpuPercent.value).toBe(65);
      }
    });
  });

  describe('database', () => {
    test('phase 1: writes 1,536 QPS need 2.9 vCPU -> db.r7g.xlarge; reads 1,769 QPS fit 1 reader (4,200), + 1 for failover', () => {
      expect(p1.database.writeQps.value).toBeCloseTo(1536, 6);
      expect(p1.database.readQps.value).toBeCloseTo(1769.472, 6);
      expect(p1.database.instanceClass.value).toBe('db.r7g.xlarge');
      expect(p1.database.readers.value).toBe(2);
      expect(p1.database.poolFormulaConnections.value).toBe(9);
      expect(p1.database.connectionBudget.value).toBe(12); // ceil(7.68 concurrent x 1.5)
      expect(p1.database.maxConnections.value).toBe(3604);
      expect(p1.database.proxyMaxConnectionsPercent.value).toBe(1);
      expect(p1.database.clientPoolPerTask.value).toBe(5);
    });

    test('phase 2: writes 7,680 QPS need 14.6 vCPU -> db.r7g.4xlarge; 2 readers', () => {
      expect(p2.database.instanceClass.value).toBe('db.r7g.4xlarge');
      expect(p2.database.readers.value).toBe(2);
    });

    test('phase 3: one writer would need 146 vCPU: half the writes go to the queue, the rest over 2 shards of 16xlarge; shard 0 keeps 2 + 1 readers', () => {
      expect(p3.database.instanceClass.value).toBe('db.r7g.16xlarge');
      // (9,600 synchronous + 6,000 drained writes/s) x 4 queries = 62,400 QPS / 33,600 per writer = 1.86 -> 2 shards.
      expect(p3.sharding.totalWriteQps.value).toBeCloseTo(62_400, 6);
      expect(p3.sharding.shards.value).toBe(2);
      expect(p3.database.writeQps.value).toBeCloseTo(31_200, 6);
      expect(p3.database.readers.value).toBe(2);
      expect(p3.sharding.shardZeroReaders.value).toBe(3);
      expect(p3.warnings.join('\n')).not.toMatch(/Database: the writer needs/);
    });

    test('slow query log at a fifth of the p95 SLO (500 ms)', () => {
      expect(p1.database.slowQueryLogMs.value).toBe(100);
    });
  });

  describe('cache', () => {
    test.each([
      [1, 2.5 * Math.SQRT2, 'cache.r7g.large', 1],
      [2, 2.5 * Math.sqrt(10), 'cache.r7g.xlarge', 1],
    ])('phase %i: working set %d GB x 1.5 -> %s, %i replicas, one shard', (phase, workingSet, node, replicas) => {
      const c = [p1, p2, p3][phase - 1].cache;
      expect(c.workingSetGb.value).toBeCloseTo(workingSet, 6);
      expect(c.requiredMemoryGb.value).toBeCloseTo(workingSet * 1.5, 6);
      expect(c.nodeType.value).toBe(node);
      expect(c.replicas.value).toBe(replicas);
      expect(c.maxmemoryPolicy.value).toBe('allkeys-lru');
      expect([c.clusterMode.value, c.shards.value, c.nodes.value]).toEqual([false, 1, 1 + replicas]);
    });

    // Total ops count the SETs that fill misses (20 % of lookups) since the primary-write check (issue 10, item 5).
    test('phase 3 ops: lookups 442,368 + fills 88,474 + invalidations 76,800 = 607,642 ops/s', () => {
      expect(p3.cache.opsPerSec.value).toBeCloseTo(442_368 + 88_473.6 + 76_800, 6);
      expect(p3.cache.primaryWriteOpsPerSec.value).toBeCloseTo(88_473.6 + 76_800, 6);
    });

    test('phase 3 runs in cluster mode: 4 shards (165,274 writes/s x 1.5 / 80,000 = 3.1), r7g.large x (1 + 2 replicas) each', () => {
      const c = p3.cache;
      expect(c.clusterMode.value).toBe(true);
      // max(writes 4, memory ceil(37.5 / 314.3) = 1, ops ceil(12 nodes / 6 per shard) = 2)
      expect(c.shards.value).toBe(4);
      expect(c.memoryPerShardGb.value).toBeCloseTo(37.5 / 4, 9); // 9.375 GB <= 13.07 x 0.75 = 9.80 GB usable
      expect(c.nodeType.value).toBe('cache.r7g.large');
      expect(c.replicas.value).toBe(2); // ceil(607,642 x 1.5 / 4 / 80,000) = 3 nodes per shard
      expect(c.nodes.value).toBe(12);
      expect(c.primaryWriteOpsPerShard.value).toBeCloseTo(41_318.4, 6); // x 1.5 = 61,978 <= 80,000
      expect(p3.warnings.join('\n')).not.toMatch(/Cache:/);
    });

    test('phase 3 keeps the single-primary group beside the cluster, as large as one group gets, until the cut-over', () => {
      expect(p3.cache.singlePrimaryGroup?.nodeType.value).toBe('cache.r7g.2xlarge');
      expect(p3.cache.singlePrimaryGroup?.replicas.value).toBe(5);
      expect(p3.cost.lines.find((l) => l.item.startsWith('ElastiCache single-primary group'))?.basis).toMatch(/^6 x cache.r7g.2xlarge/);
      expect(p3.cost.lines.find((l) => l.item === 'ElastiCache nodes')?.basis).toMatch(/^12 x cache.r7g.large .*\(4 shards x 3\)/);
    });
  });

  describe('edge', () => {
    test('WAF per IP per 5 min: 5 RPS x 4 burst x 300 s = 6,000; writes 10 % = 600; logins 20/min x 5 = 100', () => {
      for (const p of [p1, p2, p3]) {
        expect(p.waf.perIpAllLimit.value).toBe(6000);
        expect(p.waf.perIpWriteLimit.value).toBe(600);
        expect(p.waf.perIpLoginLimit.value).toBe(100);
      }
    });

    test('CDN: API GETs 60 s fresh + 60 s stale-while-revalidate, max 300 s; static for a year', () => {
      expect(p1.cdn.apiDefaultTtlSec.value).toBe(60);
      expect(p1.cdn.apiMaxTtlSec.value).toBe(300);
      expect(p1.cdn.staticTtlSec.value).toBe(31_536_000);
      expect(p1.cdn.apiCacheControl.value).toBe('public, max-age=0, s-maxage=60, stale-while-revalidate=60');
    });
  });

  test('every decided number carries a reason', () => {
    const reasons = (plan: PhasePlan) =>
      [plan.traffic, plan.api, plan.database, plan.cache, plan.cdn, plan.waf, plan.network].flatMap((section) =>
        Object.entries(section).flatMap(([key, value]) =>
          // A nested group of decisions (cache.singlePrimaryGroup) carries a reason per field; absent is fine.
          value === undefined ? [] : 'why' in (value as object) ? [[key, (value as { why: string }).why] as const]
            : Object.entries(value as object).map(([inner, v]) => [`${key}.${inner}`, (v as { why: string }).why] as const),
        ),
      );
    for (const plan of [p1, p2, p3]) {
      for (const [key, why] of reasons(plan)) expect({ key, why: why.length > 5 }).toEqual({ key, why: true });
    }
  });

  test('max tasks and readers never shrink from phase to phase', () => {
    expect(p1.api.maxTasks.value).toBeLessThan(p2.api.maxTasks.value);
    expect(p2.api.maxTasks.value * p2.api.taskVcpu.value).toBeLessThan(p3.api.maxTasks.value * p3.api.taskVcpu.value);
    // Shard 0, the cluster every phase keeps, never loses a reader.
    expect(p1.sharding.shardZeroReaders.value).toBeLessThanOrEqual(p2.sharding.shardZeroReaders.value);
    expect(p2.sharding.shardZeroReaders.value).toBeLessThan(p3.sharding.shardZeroReaders.value);
  });
});
