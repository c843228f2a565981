import { DEFAULT_MODEL, parseCapacity, planPhases } from '../../lib/capacity';
import { downstreamLatencyMs, tasksForSlo } from '../../lib/capacity/api-sizing';
import { mmc } from '../../lib/capacity/queueing';
import { planTraffic } from '../../lib/capacity/traffic';

describe('API sizing by queueing theory', () => {
  test('a generous SLO: the utilisation bound decides (ceil(load / (vCPU x target)))', () => {
    // 2,595.84 RPS x 1.25 ms = 3.24 Erlangs; at 65 % per 1-vCPU task: ceil(4.99) = 5 tasks.
    expect(tasksForSlo(2595.84, 1, 0.00125, 0.65, 0.5, 'shared-queue')).toBe(5);
  });

  test('a tight SLO: more tasks than utilisation needs, and exactly the fewest that meet it', () => {
    // 100 ms of CPU per request, 40 RPS, 2-vCPU tasks, p95 budget 330 ms (the service time alone has p95 300 ms).
    const n = tasksForSlo(40, 2, 0.1, 0.65, 0.33, 'shared-queue');
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

  test('default model: predicted p95 at design peak = M/M/1 p95 at 65 % (ln 20 / (800 - 519) s = 10.7 ms) + 27.2 ms, well within 500 ms', () => {
    const [p1] = planPhases(DEFAULT_MODEL);
    expect(p1.api.cpuQueueP95Ms.value).toBeCloseTo((Math.log(20) / (800 - 2595.84 / 5)) * 1000, 6);
    expect(p1.api.predictedP95Ms.value).toBeCloseTo(p1.api.cpuQueueP95Ms.value + p1.api.downstreamP95Ms.value, 9);
    expect(p1.api.predictedP95Ms.value).toBeLessThan(500);
    expect(p1.api.p95HeadroomMs.value).toBeCloseTo(500 - p1.api.predictedP95Ms.value, 9);
  });

  test('a slow service: the SLO, not the CPU target, sets the task count, and the prediction meets it', () => {
    // 60 ms of CPU; a high task ceiling keeps tasks small (1-2 vCPU), where 65 % busy would put the p95 near 0.5 s.
    const model = {
      ...DEFAULT_MODEL,
      current: { ...DEFAULT_MODEL.current, cpuMsPerRequest: 60 },
      slo: { p95Ms: 250, errorRatePct: 0.5 },
      policy: { maxTasksPerService: 1000 },
    };
    const [p1] = planPhases(model);
    const utilizationBound = Math.ceil((p1.traffic.originDesignRps.value * 0.06) / (p1.api.taskVcpu.value * 0.65));
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
