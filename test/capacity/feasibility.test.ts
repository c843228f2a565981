/**
 * Feasibility as a rule (issue 12): every phase's verdicts are within their limits, or planning fails naming the
 * phase, the component, the load and the limit; shards and the write queue appear where a phase needs them.
 */
import {
  assertFeasible,
  CACHE_COMPONENTS,
  CapacityInput,
  cacheVerdicts,
  DEFAULT_MODEL,
  FeasibilityError,
  MAX_SHARDS,
  nextPowerOfTwo,
  parseCapacity,
  perWriterCapacityQps,
  planPhases,
  sized,
  verdict,
} from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';

const model = parseCapacity(DEFAULT_MODEL);
const [p1, p2, p3] = planPhases(DEFAULT_MODEL);
const withPolicy = (policy: Record<string, unknown>): CapacityInput => ({ ...DEFAULT_MODEL, policy: { ...DEFAULT_MODEL.policy, ...policy } });

describe('GIVEN the default model', () => {
  test.each([p1, p2, p3].map((p) => [p.label, p] as const))('%s: every enforced verdict is within its limit', (_label, plan) => {
    expect(plan.feasibility.length).toBeGreaterThanOrEqual(8);
    for (const v of plan.feasibility) {
      expect(v.utilisation).toBeCloseTo(v.load.value / v.limit.value, 9);
      if (!(Object.values(CACHE_COMPONENTS) as string[]).includes(v.component)) expect(v).toMatchObject({ ok: true });
    }
  });

  test('phases 1 and 2 run one cluster and no queue; phase 3 levels writes through the queue and runs 2 shards', () => {
    expect([p1, p2].map((p) => [p.sharding.shards.value, p.queue])).toEqual([[1, undefined], [1, undefined]]);
    expect(p3.sharding.shards.value).toBe(2);
    expect(p3.queue).toBeDefined();
    expect(p3.sharding.table.value).toBe('orders');
    expect(p3.sharding.shardKey.value).toBe('customer_id');
    expect(p3.sharding.ssmPrefix.value).toBe('/order-management/shards');
  });

  test('the shard count: next power of two of write QPS / one largest writer at the target CPU', () => {
    const perWriter = perWriterCapacityQps(model);
    expect(perWriter).toBe(64 * 750 * 0.7);
    expect(p3.sharding.shards.value).toBe(nextPowerOfTwo(Math.ceil(p3.sharding.totalWriteQps.value / perWriter)));
    expect(p3.database.writeQps.value).toBeCloseTo(p3.sharding.totalWriteQps.value / 2, 6);
    expect(p3.sharding.shards.why).toMatch(/power of two = 2/);
  });

  test('the queue: producer, consumer and drain time follow the stated formulas; the writer sizes for the synchronous rest plus the drain', () => {
    const q = p3.queue!;
    const writes = p3.traffic.designWriteRps.value;
    expect(q.producerRatePerSec.value).toBeCloseTo(writes * 0.5, 6);
    expect(q.syncWriteRps.value).toBeCloseTo(writes * 0.5, 6);
    expect(q.dailyPeakProducerRatePerSec.value).toBeCloseTo(q.producerRatePerSec.value * (p3.traffic.peakRps.value / p3.traffic.designPeakRps.value), 6);
    expect(q.messagesPerTaskPerSec.value).toBe(50 / 0.4);
    expect(q.consumerRatePerSec.value).toBe(q.maxWorkers.value * q.messagesPerTaskPerSec.value);
    expect(q.consumerRatePerSec.value).toBeGreaterThanOrEqual(q.dailyPeakProducerRatePerSec.value * 1.5);
    const backlog = (q.producerRatePerSec.value - q.consumerRatePerSec.value) * 60 * 60;
    expect(q.burstBacklogMessages.value).toBeCloseTo(backlog, 3);
    expect(q.drainTimeSec.value).toBeCloseTo(backlog / (q.consumerRatePerSec.value - q.dailyPeakProducerRatePerSec.value), 3);
    expect(q.backlogPerTaskTarget.value).toBe(Math.floor(120 * q.messagesPerTaskPerSec.value));
    expect(p3.sharding.totalWriteQps.value).toBeCloseTo((q.syncWriteRps.value + q.consumerRatePerSec.value) * 4, 6);
    expect(q.asyncWrites.value).toBe('checkout fraud checks and confirmations');
  });

  test('the queue alarms are in the monitoring plan (and so counted in its cost) only where the queue is', () => {
    const metrics = (p: typeof p1) => p.monitoring.saturation.map((s) => s.metric);
    expect(metrics(p2)).not.toContain('queueOldestMessageAgeSec');
    expect(metrics(p3)).toEqual(expect.arrayContaining(['queueOldestMessageAgeSec', 'queueDeadLetterMessages']));
    // + the queue's two alarms, + the cache alarms of each extra cluster-mode shard (3 per shard), + the database
    // alarms of each extra Aurora shard (writer CPU, reader CPU, connections, replica lag).
    expect(p3.monitoring.alarmCount.value).toBe(p2.monitoring.alarmCount.value + 2 + 3 * (p3.cache.shards.value - 1) + 4 * (p3.sharding.shards.value - 1));
    expect(p3.cost.lines.map((l) => l.item)).toContain('Write queue workers (Fargate)');
  });
});

describe('GIVEN the off-default fixture', () => {
  test('its phase 3 also shards and queues, from its own numbers', () => {
    const plans = planPhases(OFF_DEFAULT_MODEL);
    expect(plans.map((p) => p.sharding.shards.value)).toEqual([1, 1, 2]);
    expect(plans[2].queue?.maxWorkers.value).toBeGreaterThan(0);
    expect(plans[2].sharding.ssmPrefix.value).toBe('/ticket-sales/shards');
  });
});

describe('a neutral model (workload defaults) never queues', () => {
  test('asyncWriteShare 0: phase 3 shards instead, and its words are the neutral ones', () => {
    const { workload: _, ...neutral } = DEFAULT_MODEL;
    const plans = planPhases(neutral);
    expect(plans.every((p) => p.queue === undefined)).toBe(true);
    expect(plans[2].sharding.shards.value).toBe(4);
    expect(plans[2].sharding.table.value).toBe('records');
    expect(plans[2].sharding.shardKey.value).toBe('tenant_id');
  });
});

describe('infeasible models fail with the named error', () => {
  test('API max tasks over policy.maxTasksPerService: phase, component, load and limit in the message', () => {
    expect(() => planPhases(withPolicy({ maxTasksPerService: 20 }))).toThrow(FeasibilityError);
    expect(() => planPhases(withPolicy({ maxTasksPerService: 20 }))).toThrow(
      /^Feasibility: Phase 3 \(100x\) cannot carry its design peak:\n {2}- API max tasks: load 24 tasks \(.*\) is above the limit 20 tasks \(policy.maxTasksPerService\): 120 %\n {2}- Write queue workers \(max tasks\): load 48 tasks \(.*\) is above the limit 20 tasks/,
    );
  });

  test(`writes that would need more than ${MAX_SHARDS} shards: the writer CPU per shard is named`, () => {
    const error = (() => {
      try {
        planPhases(withPolicy({ dbWriteQpsPerVcpu: 20 }));
      } catch (e) {
        return e as FeasibilityError;
      }
      throw new Error('planned');
    })();
    expect(error).toBeInstanceOf(FeasibilityError);
    expect(error.label).toMatch(/^Phase [23]/);
    expect(error.failures.map((v) => v.component)).toContain('Aurora writer CPU (per shard)');
  });

  test('assertFeasible passes ok verdicts and throws on one over its limit (the checker can fail)', () => {
    const ok = verdict('Thing', 'units', sized(1, 'load'), sized(2, 'limit'));
    const over = verdict('Thing', 'units', sized(3, 'load'), sized(2, 'limit'));
    expect(ok).toMatchObject({ ok: true, utilisation: 0.5 });
    expect(() => assertFeasible('Phase 9 (1x)', [ok])).not.toThrow();
    expect(() => assertFeasible('Phase 9 (1x)', [ok, over])).toThrow('Thing: load 3 units (load) is above the limit 2 units (limit): 150 %');
  });

  test('Redis verdicts are per primary: phase 3 runs the cache in cluster mode, so each shard\'s primary fits (enforced)', () => {
    const redis = cacheVerdicts(p3.cache, model.policy);
    const primary = redis.find((v) => v.component === CACHE_COMPONENTS.primaryOps)!;
    expect(p3.cache.shards.value).toBeGreaterThan(1);
    expect(primary.load.value).toBeCloseTo(p3.cache.primaryWriteOpsPerShard.value * model.policy.safetyMargin, 6);
    expect(redis.every((v) => v.ok)).toBe(true);
    // One primary for all of phase 3's writes would not fit, and the rule would throw.
    const onePrimary = cacheVerdicts({ ...p3.cache, shards: sized(1, 'one'), primaryWriteOpsPerShard: p3.cache.primaryWriteOpsPerSec }, model.policy);
    expect(() => assertFeasible(p3.label, onePrimary)).toThrow(/Redis primary write ops\/s: load/);
  });
});
