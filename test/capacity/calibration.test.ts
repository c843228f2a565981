/**
 * Today's measured p95 against the worker model: explained (saturated), calibrated (carried into every phase),
 * contradicted (warned, with the numbers) or unknown (no utilisation measured).
 */
import { CapacityInput, DEFAULT_MODEL, parseCapacity, planModel, planPhase, reconcileToday } from '../../lib/capacity';
import { p95AtUtilizationSec } from '../../lib/capacity/worker-model';

const withCurrent = (over: Partial<CapacityInput['current']>) => parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, ...over } });

describe('reconcileToday', () => {
  test('GIVEN the embedded model (API CPU pinned at 100 %) THEN the CPU queue explains 280 ms and nothing is carried', () => {
    const model = parseCapacity(DEFAULT_MODEL);
    const r = reconcileToday(model);
    expect(r.status).toBe('saturated');
    expect(r.measuredP95Ms.value).toBe(280);
    expect(r.workers!.value).toBe(1); // 800 RPS x 1.25 ms = 1 vCPU busy at 100 %
    // The model reaches 280 ms at ~97 % CPU: the measured p95 is queueing on a saturated core.
    expect(r.impliedUtilization!.value).toBeGreaterThan(0.95);
    expect(r.impliedUtilization!.value).toBeLessThan(0.99);
    expect(p95AtUtilizationSec('per-worker', r.impliedUtilization!.value, 1, 0.00125, r.downstreamMeanMs.value / 1000) * 1000).toBeCloseTo(280, 0);
    expect(r.extraIoMeanMs.value).toBe(0);
    expect(r.warnings).toEqual([]);
    const plans = planModel(model);
    for (const p of plans) expect(p.api.calibratedExtraMs.value).toBe(0);
  });

  describe('GIVEN today at 50 % API CPU with the same 280 ms', () => {
    const model = withCurrent({ metrics: { apiCpuPct: 50, dbCpuPct: 40 } });
    const uncalibrated = planModel(withCurrent({ metrics: undefined }));
    const r = reconcileToday(model);
    const plans = planModel(model);

    test('THEN the model explains ~32 ms and the rest is non-CPU latency, calibrated so the model reproduces 280 ms today', () => {
      expect(r.status).toBe('calibrated');
      expect(r.modelledP95Ms!.value).toBeGreaterThan(30);
      expect(r.modelledP95Ms!.value).toBeLessThan(35);
      expect(r.extraIoMeanMs.value).toBeGreaterThan(80);
      expect(r.extraIoMeanMs.value).toBeLessThan(86);
      const io = (r.downstreamMeanMs.value + r.extraIoMeanMs.value) / 1000;
      expect(p95AtUtilizationSec('per-worker', 0.5, r.workers!.value, 0.00125, io) * 1000).toBeCloseTo(280, 0);
      expect(r.extraIoMeanMs.why).toMatch(/database CPU today 40 % is within the plan's 70 % target/);
    });

    test('THEN every phase carries it: predicted p95 ~282 ms instead of ~37 ms, and the downstream time includes it', () => {
      for (const [i, p] of plans.entries()) {
        expect(p.api.calibratedExtraMs.value).toBe(r.extraIoMeanMs.value);
        expect(p.api.predictedP95Ms.value).toBeGreaterThan(275);
        expect(p.api.predictedP95Ms.value).toBeLessThan(290);
        expect(uncalibrated[i].api.predictedP95Ms.value).toBeLessThan(40);
        expect(p.api.downstreamP95Ms.value).toBeCloseTo(uncalibrated[i].api.downstreamP95Ms.value + r.extraIoMeanMs.value * Math.log(20), 6);
        expect(p.api.downstreamP95Ms.why).toMatch(/calibrated from today's p95/);
      }
    });

  });

  test('GIVEN a CPU-heavy service (20 ms per request, 400 ms SLO) THEN the SLO-derived CPU target and the task counts use the calibrated latency', () => {
    const heavy = (metrics: CapacityInput['current']['metrics']) =>
      parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, cpuMsPerRequest: 20, metrics }, slo: { ...DEFAULT_MODEL.slo, p95Ms: 400 } });
    const r = reconcileToday(heavy({ apiCpuPct: 50 }));
    expect(r.status).toBe('calibrated');
    expect(r.workers!.value).toBe(32); // 800 RPS x 20 ms = 16 vCPU busy at 50 %
    expect(r.modelledP95Ms!.value).toBeCloseTo(203.5, 0);
    expect(r.extraIoMeanMs.value).toBeCloseTo(44.5, 0);
    // Phases 1 and 2: 16x the CPU per request needs ~390 tasks in phase 3, over policy.maxTasksPerService (100), which
    // the feasibility rule refuses (asserted below).
    const phases12 = (model: ReturnType<typeof heavy>) => [planPhase(model, 1, 2, reconcileToday(model)), planPhase(model, 2, 10, reconcileToday(model))];
    const calibrated = phases12(heavy({ apiCpuPct: 50 }));
    const plain = phases12(heavy(undefined));
    expect(plain.map((p) => p.api.targetCpuPercent.value)).toEqual([65, 65]);
    expect(calibrated.map((p) => p.api.targetCpuPercent.value)).toEqual([62, 62]);
    expect(calibrated[0].api.targetCpuPercent.why).toMatch(/p95 meets the SLO up to/);
    expect(calibrated.map((p) => p.api.maxTasks.value)).toEqual([63, 80]);
    expect(() => planModel(heavy({ apiCpuPct: 50 }))).toThrow(/Phase 3 \(100x\) cannot carry its design peak:\n  - API max tasks: load 393 tasks/);
    expect(plain.map((p) => p.api.maxTasks.value)).toEqual([60, 75]);
    for (const p of calibrated) {
      expect(p.api.p95AtTargetMs.value).toBeLessThanOrEqual(400);
      expect(p.api.p95AtBaselineMs.value).toBeLessThanOrEqual(400);
    }
  });

  test('GIVEN no metrics THEN the status is unknown, nothing is carried and nothing is warned', () => {
    const r = reconcileToday(withCurrent({ metrics: undefined }));
    expect(r.status).toBe('unknown');
    expect(r.cpuUtilization).toBeUndefined();
    expect(r.extraIoMeanMs.value).toBe(0);
    expect(r.extraIoMeanMs.why).toMatch(/no current.metrics.apiCpuPct/);
    expect(r.warnings).toEqual([]);
  });

  test('GIVEN 40 ms measured at 95 % API CPU THEN the inputs contradict (the queue alone gives more) and every phase warns with the numbers', () => {
    const model = withCurrent({ p95LatencyMs: 40, metrics: { apiCpuPct: 95 } });
    const r = reconcileToday(model);
    expect(r.status).toBe('contradiction');
    expect(r.modelledP95Ms!.value).toBeGreaterThan(100);
    expect(r.extraIoMeanMs.value).toBe(0);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/measured p95 40 ms at 95 % API CPU cannot both be true with the model: at that CPU the per-worker queue alone gives \d+ ms \(the measured p95 fits \d+(\.\d+)? % CPU\)/);
    for (const p of planModel(model)) expect(p.warnings).toContain(r.warnings[0]);
  });

  test('GIVEN a p95 below what an idle worker answers in THEN the CPU or database costs are contradicted, with or without metrics', () => {
    for (const metrics of [undefined, { apiCpuPct: 30 }]) {
      const r = reconcileToday(withCurrent({ p95LatencyMs: 12, metrics }));
      expect(r.status).toBe('contradiction');
      expect(r.warnings[0]).toMatch(/measured p95 12 ms is below 29 ms, what an idle worker answers in/);
    }
  });

  test("GIVEN a measured cache hit rate THEN today's database/cache time uses it, not the plan's target", () => {
    const planned = reconcileToday(withCurrent({ metrics: { apiCpuPct: 50 } }));
    const noCacheYet = reconcileToday(withCurrent({ metrics: { apiCpuPct: 50, cacheHitRatePct: 0 } }));
    expect(noCacheYet.downstreamMeanMs.value).toBeGreaterThan(planned.downstreamMeanMs.value);
    // 9 reads per write, 4 queries of 5 ms each, no hits: 20 ms for reads and writes alike.
    expect(noCacheYet.downstreamMeanMs.value).toBeCloseTo(20, 6);
    expect(noCacheYet.extraIoMeanMs.value).toBeLessThan(planned.extraIoMeanMs.value);
  });
});
