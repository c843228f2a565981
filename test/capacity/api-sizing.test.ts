import { DEFAULT_MODEL, parseCapacity, planPhase, planPhases } from '../../lib/capacity';
import { downstreamLatencyMs, tasksForSlo } from '../../lib/capacity/api-sizing';
import { mmc } from '../../lib/capacity/queueing';
import { planTraffic } from '../../lib/capacity/traffic';

describe('API sizing by queueing theory', () => {
  test('a generous SLO: the utilisation bound decides (ceil(load / (vCPU x target)))', () => {
    // 2,595.84 RPS x 1.25 ms = 3.24 Erlangs; at 65 % per 1-vCPU task: ceil(4.99) = 5 tasks.
    expect(tasksForSlo(2595.84, 1, 0.00125, 0.65, 0.5, 'shared-queue', 0)).toBe(5);
  });

  test('a tight SLO: more tasks than utilisation needs, and exactly the fewest that meet it', () => {
    // 100 ms of CPU per request, 40 RPS, 2-vCPU tasks, p95 budget 330 ms (the service time alone has p95 300 ms).
    const n = tasksForSlo(40, 2, 0.1, 0.65, 0.33, 'shared-queue', 0);
    expect(n).toBeGreaterThan(Math.ceil((40 * 0.1) / (2 * 0.65)));
    expect(mmc({ arrivalRatePerSec: 40 / n, serviceTimeSec: 0.1, servers: 2 }).p95ResponseSec).toBeLessThanOrEqual(0.33);
    expect(mmc({ arrivalRatePerSec: 40 / (n - 1), serviceTimeSec: 0.1, servers: 2 }).p95ResponseSec).toBeGreaterThan(0.33);
  });

  test('downstream time of the default model, by hand: reads 85.2 % x 7.2 ms + writes 14.8 % x 20 ms = 9.09 ms mean, x ln 20 = 27.2 ms p95', () => {
    const model = parseCapacity(DEFAULT_MODEL);
    const d = downstreamLatencyMs(model, planTraffic(model, 2));
    expect(d.meanMs).toBeCloseTo((2211.84 / 2595.84) * 7.2 + (384 / 2595.84) * 20, 9);
    expect(d.p95Ms).toBeCloseTo(d.meanMs * Math.log(20), 9);
    expect(d.p95Ms).toBeCloseTo(27.24, 1);
  });

  test('default model (per-worker): CPU p95 at design peak by hand = 18.6 ms; with a shared queue the M/M/1 10.7 ms', () => {
    // 1-vCPU tasks at 2,595.84 / 5 = 519.17 RPS, mu = 800/s, theta = 280.83/s. Per worker, the response callback after
    // the I/O queues again: roots of z^2 + (theta + mu + lambda) z + theta mu: r2 = 1444.5, r1 = theta mu / r2 = 155.53;
    // the tail is ~0.903 e^(-r1 t) at the p95, so t = ln(0.903 / 0.05) / 155.53 = 18.6 ms.
    const [p1] = planPhases(DEFAULT_MODEL);
    expect(p1.api.workerModel.value).toBe('per-worker');
    const lambda = 2595.84 / 5;
    const theta = 800 - lambda;
    const r2 = (1600 + Math.sqrt(1600 ** 2 - 4 * theta * 800)) / 2;
    const r1 = (theta * 800) / r2;
    const a1 = (theta * (800 - r1)) / (r1 * (r2 - r1));
    expect(p1.api.cpuQueueP95Ms.value).toBeCloseTo((Math.log(a1 / 0.05) / r1) * 1000, 1);
    expect(p1.api.cpuQueueP95Ms.value).toBeCloseTo(18.6, 1);
    const [shared] = planPhases({ ...DEFAULT_MODEL, service: { ...DEFAULT_MODEL.service, workerModel: 'shared-queue' } });
    expect(shared.api.cpuQueueP95Ms.value).toBeCloseTo((Math.log(20) / theta) * 1000, 4);
    // The whole p95 is the p95 of the sum, below the sum of the two p95s (the bound used before) and above either.
    for (const p of [p1, shared]) {
      expect(p.api.predictedP95Ms.value).toBeLessThan(p.api.cpuQueueP95Ms.value + p.api.downstreamP95Ms.value);
      expect(p.api.predictedP95Ms.value).toBeGreaterThan(Math.max(p.api.cpuQueueP95Ms.value, p.api.downstreamP95Ms.value));
      expect(p.api.p95HeadroomMs.value).toBeCloseTo(500 - p.api.predictedP95Ms.value, 9);
    }
  });

  test('a slow service on a shared queue: the SLO lowers the CPU target, and the prediction meets it', () => {
    // 60 ms of CPU; a high task ceiling keeps tasks small (1-2 vCPU), where 65 % busy would put the p95 near 0.5 s.
    const model = {
      ...DEFAULT_MODEL,
      service: { ...DEFAULT_MODEL.service, workerModel: 'shared-queue' as const },
      current: { ...DEFAULT_MODEL.current, cpuMsPerRequest: 60 },
      slo: { p95Ms: 250, errorRatePct: 0.5 },
      policy: { maxTasksPerService: 1000 },
    };
    // Phase 1 alone: at 100x, 60 ms of CPU per request needs more than 1,000 tasks (a FeasibilityError, by design).
    const p1 = planPhase(parseCapacity(model), 1, 2);
    const utilizationBound = Math.ceil((p1.traffic.originDesignRps.value * 0.06) / (p1.api.taskVcpu.value * 0.65));
    expect(p1.api.targetCpuPercent.value).toBeLessThan(65);
    expect(p1.api.tasksAtDesignPeak.value).toBeGreaterThan(utilizationBound);
    expect(p1.api.predictedP95Ms.value).toBeLessThanOrEqual(250);
    expect(p1.warnings.filter((w) => w.startsWith('API'))).toEqual([]);
  });

  test('an SLO below the database time alone is reported, not hidden', () => {
    const model = { ...DEFAULT_MODEL, slo: { p95Ms: 20, errorRatePct: 0.5 } };
    const [p1] = planPhases(model);
    expect(p1.warnings.join('\n')).toMatch(/API: database and cache time alone \(p95 ~27 ms\) exceeds the p95 SLO 20 ms/);
  });
});
