import { CapacityInput, DEFAULT_MODEL, parseCapacity, planPhase,
  planPhases, PhasePlan } from '../../lib/capacity';
import { cpuTargetFor } from '../../lib/capacity/api-sizing';
import { quantile, simulateTask } from '../../lib/capacity/simulation';

/**
 * The plan must hold the SLO wherever the autoscaler can leave the fleet: at the daily baseline on min tasks, and with
 * every task held at the CPU target (the steady state target tracking keeps at any load up to the design peak, which
 * max tasks covers). Checked by the project's own simulation (a task with its workers, plus exponential database/cache
 * time with the plan's mean), not by the formulas the planner used, under both worker models.
 *
 * 300,000 requests per run: the p95 scatters by ~2 % (1 sd) at these loads; the 5-point CPU margin keeps the simulated
 * p95 at least 10 % under the SLO in every case here, so a pass is not luck.
 */
const CUSTOMERS = 300_000;

const withOverrun = { ...DEFAULT_MODEL.budget, allowOverrun: true };
/** 120 ms of CPU per request (a rendering or pricing call), SLO p95 800 ms: per-worker, 65 % CPU would give ~1,800 ms. */
const CPU_HEAVY: CapacityInput = {
  ...DEFAULT_MODEL,
  current: { ...DEFAULT_MODEL.current, peakRps: 20, cpuMsPerRequest: 120 },
  slo: { p95Ms: 800, errorRatePct: 0.5 },
  policy: { maxTasksPerService: 200 },
  budget: withOverrun,
};
/** 8 ms of CPU, 1 ms queries, SLO p95 60 ms: at 65 % CPU per-worker queues would give ~120 ms, a shared queue ~73 ms. */
const TIGHT_SLO: CapacityInput = {
  ...DEFAULT_MODEL,
  current: { ...DEFAULT_MODEL.current, cpuMsPerRequest: 8, dbQueryMs: 1 },
  slo: { p95Ms: 60, errorRatePct: 0.5 },
  policy: { maxTasksPerService: 1000 },
  budget: withOverrun,
};

const withWorkers = (model: CapacityInput, workerModel: 'per-worker' | 'shared-queue'): CapacityInput => ({
  ...model,
  service: { ...model.service, workerModel },
});

/** Simulated p95 (ms) of one task of `plan` receiving `rps`, served as `workerModel` says. */
function simulatedP95Ms(plan: PhasePlan, rps: number, workerModel: 'per-worker' | 'shared-queue', seed: number): number {
  const { api } = plan;
  const run = simulateTask({
    workerModel,
    arrivalRatePerSec: rps,
    serviceTimeSec: 1 / api.rpsPerVcpu.value,
    workers: api.taskVcpu.value,
    ioMeanSec: api.downstreamP95Ms.value / Math.log(20) / 1000, // the plan's p95 is the mean x ln 20
    customers: CUSTOMERS,
    seed,
  });
  return quantile(run.responseTimesSec, 0.95) * 1000;
}

/** Requests/s one task receives when every vCPU is at the plan's CPU target. */
const rpsAtTarget = (p: PhasePlan) => (p.api.targetCpuPercent.value / 100) * p.api.taskVcpu.value * p.api.rpsPerVcpu.value;

describe.each([
  ['CPU-heavy', CPU_HEAVY, 800],
  ['tight-SLO', TIGHT_SLO, 60],
] as const)('%s model', (_name, model, slo) => {
  describe.each(['per-worker', 'shared-queue'] as const)('%s', (workerModel) => {
    const plans = planPhases(withWorkers(model, workerModel));

    test.each([0, 1, 2])('phase %i+1: min tasks at the baseline and tasks held at the target meet the SLO in simulation', (i) => {
      const p = plans[i];
      expect(p.warnings.filter((w) => w.startsWith('API'))).toEqual([]);
      const atBaseline = simulatedP95Ms(p, p.traffic.originBaselineRps.value / p.api.minTasks.value, workerModel, 1000 + i);
      const atTarget = simulatedP95Ms(p, rpsAtTarget(p), workerModel, 2000 + i);
      expect({ atBaseline: atBaseline < slo, atTarget: atTarget < slo }).toEqual({ atBaseline: true, atTarget: true });
      // The plan's own numbers are a safe bound on what the simulation measures, and it states them.
      expect(p.api.p95AtBaselineMs.value).toBeGreaterThan(atBaseline * 0.97);
      expect(p.api.p95AtTargetMs.value).toBeGreaterThan(atTarget * 0.97);
      expect(p.api.p95AtTargetMs.value).toBeLessThanOrEqual(slo);
      // The fleet at the target carries the design peak within max tasks.
      expect(p.api.maxTasks.value * rpsAtTarget(p)).toBeGreaterThanOrEqual(p.traffic.originDesignRps.value);
      expect(p.api.minTasks.value * rpsAtTarget(p)).toBeGreaterThanOrEqual(p.traffic.originBaselineRps.value);
    });
  });

  test('the SLO, not the 65 % policy, sets the target where 65 % would miss it (per-worker)', () => {
    const plans = planPhases(withWorkers(model, 'per-worker'));
    for (const p of plans) {
      expect(p.api.targetCpuPercent.value).toBeLessThan(65);
      expect(p.api.targetCpuPercent.value).toBe(Math.floor(p.api.sloMaxCpuPercent.value - 5));
    }
  });
});

describe('the check can fail', () => {
  test('a plan made for a shared queue misses the SLO on a Node cluster (per-worker) server', () => {
    // CPU-heavy phase 3: 8-vCPU tasks pool well in one queue (target 65 %), but per-worker queues at 65 % give ~1,800 ms.
    const shared = planPhases(withWorkers(CPU_HEAVY, 'shared-queue'))[2];
    expect(shared.api.taskVcpu.value).toBe(8);
    expect(shared.api.targetCpuPercent.value).toBe(65);
    expect(simulatedP95Ms(shared, rpsAtTarget(shared), 'shared-queue', 3)).toBeLessThan(800);
    expect(simulatedP95Ms(shared, rpsAtTarget(shared), 'per-worker', 3)).toBeGreaterThan(800);
  });

  test('without the SLO-derived target (65 % as before), the tight-SLO model misses its 60 ms SLO', () => {
    const p = planPhases(withWorkers(TIGHT_SLO, 'per-worker'))[0];
    const rpsAt65 = 0.65 * p.api.taskVcpu.value * p.api.rpsPerVcpu.value;
    expect(simulatedP95Ms(p, rpsAt65, 'per-worker', 4)).toBeGreaterThan(60);
  });
});

describe("the audit's case: 120 ms CPU, SLO p95 400 ms, 4-vCPU tasks", () => {
  const audit = { ...CPU_HEAVY, slo: { p95Ms: 400, errorRatePct: 0.5 } };
  // The default mix spends 9.09 ms on the database and cache on average (api-sizing.test.ts).
  const ioMeanSec = 0.00909;

  test('shared queue: the target drops from 65 % to 51 % (the p95 meets the SLO up to 56.3 %, less the 5-point margin)', () => {
    // The audit found 48 % with the old bound (p95 of the CPU queue + p95 of the I/O); the exact p95 of the sum allows more.
    const t = cpuTargetFor(parseCapacity(withWorkers(audit, 'shared-queue')), 4, 0.12, ioMeanSec);
    expect(t.sloMaxUtilization * 100).toBeCloseTo(56.3, 0);
    expect(t.pct).toBe(51);
    expect(t.why).toMatch(/below policy.apiTargetCpuPct 65 %/);
    // The simulation agrees: within the SLO at the target, above it at 65 %.
    const p95At = (u: number) =>
      quantile(simulateTask({ workerModel: 'shared-queue', arrivalRatePerSec: (u * 4) / 0.12, serviceTimeSec: 0.12, workers: 4, ioMeanSec, customers: CUSTOMERS, seed: 5 }).responseTimesSec, 0.95) * 1000;
    expect(p95At(0.51)).toBeLessThan(400);
    expect(p95At(0.65)).toBeGreaterThan(400);
  });

  test('per-worker (Node cluster): no useful target exists, and the plan says so', () => {
    // Phase 1 alone: at 100x this CPU-heavy model needs more tasks than policy.maxTasksPerService (a FeasibilityError).
    const p1 = planPhase(parseCapacity(withWorkers(audit, 'per-worker')), 1, 2);
    expect(p1.warnings.join('\n')).toMatch(/API: the p95 SLO needs CPU below [0-9.]+ % \(per-worker, \d+ vCPU\); the target stays at the floor 10 %/);
    expect(p1.warnings.join('\n')).toMatch(/with tasks held at the 10 % CPU target is above the SLO 400 ms/);
  });
});
