import { loadModel, planLoadTest, planModel } from '../../lib/capacity';
import { arrivalTimes, gateStages, percentile, plannedRequests } from '../../lib/loadtest/schedule';

describe('the open-loop schedule', () => {
  test('a constant 10 req/s for 2 s: 20 sends, 0.1 s apart', () => {
    const times = arrivalTimes([{ name: 'soak', durationSec: 2, fromRps: 10, toRps: 10 }], 1000);
    expect(times).toHaveLength(20);
    times.forEach((t, k) => expect(t).toBeCloseTo((k + 1) / 10, 9));
  });

  test('a linear ramp 0 -> 20 req/s over 2 s: N(t) = 5 t^2, so the k-th send is at sqrt(k / 5)', () => {
    const stages = [{ name: 'ramp', durationSec: 2, fromRps: 0, toRps: 20 }];
    expect(plannedRequests(stages)).toBe(20);
    const times = arrivalTimes(stages, 1000);
    expect(times).toHaveLength(20);
    times.forEach((t, k) => expect(t).toBeCloseTo(Math.sqrt((k + 1) / 5), 9));
  });

  test('stages chain: sends are increasing, cover every stage and stop at the limit', () => {
    const stages = [
      { name: 'ramp', durationSec: 1, fromRps: 0, toRps: 30 },
      { name: 'ramp-down', durationSec: 1, fromRps: 30, toRps: 10 },
      { name: 'cool-down', durationSec: 1, fromRps: 10, toRps: 0 },
    ];
    expect(plannedRequests(stages)).toBe(15 + 20 + 5);
    const times = arrivalTimes(stages, 1000);
    expect(times).toHaveLength(40);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(times.filter((t) => t <= 1)).toHaveLength(15);
    expect(times.filter((t) => t > 1 && t <= 2)).toHaveLength(20);
    expect(times[39]).toBeLessThanOrEqual(3);
    expect(arrivalTimes(stages, 7)).toHaveLength(7);
  });

  test("gate stages: the plan's shape with rates x scale in the asked duration", () => {
    const model = loadModel();
    const plan = planLoadTest(model, planModel(model)[0]);
    const stages = gateStages(plan, 'edge', 0.01, 34.8); // 1/100 of the rates in 1/100 of the time
    expect(stages.map((s) => [s.name, Number(s.durationSec.toFixed(6)), s.fromRps, s.toRps])).toEqual([
      ['warm-up', 3, 0, 16],
      ['ramp', 9, 16, 48],
      ['hold', 3, 48, 48],
      ['settle', 1.2, 48, 16],
      ['soak', 18, 16, 16],
      ['cool-down', 0.6, 16, 0],
    ]);
    // areas: 24 + 288 + 144 + 38.4 + 288 + 4.8
    expect(plannedRequests(stages)).toBe(787);
    expect(gateStages(plan, 'origin', 1, plan.totalSec.value).map((s) => s.toRps)).toEqual(plan.profiles.origin.stages.map((s) => s.targetRps.value));
  });

  test('p95 by nearest rank', () => {
    const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(oneToHundred, 95)).toBe(95);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 95)).toBe(1000);
    expect(percentile([], 95)).toBeNaN();
  });
});
