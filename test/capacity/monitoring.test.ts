import { BURST_ALARMS, DEFAULT_MODEL, planPhases, PhasePlan, saturationAlarmFor, SaturationMetric } from '../../lib/capacity';

const threshold = (plan: PhasePlan, metric: SaturationMetric) => saturationAlarmFor(plan.monitoring, metric).threshold.value;

describe('monitoring plan: burn-rate windows (SRE workbook, 30-day SLO)', () => {
  const [p1] = planPhases(DEFAULT_MODEL);

  test('the default 99.9 % availability leaves a 0.1 % budget: 43.2 minutes of outage in 30 days', () => {
    expect(p1.monitoring.errorBudgetRatio.value).toBe(0.001);
    expect(p1.monitoring.errorBudgetMinutes.value).toBeCloseTo(43.2, 9);
  });

  test('page at 14.4x over 1 h and 5 min, page at 6x over 6 h and 30 min, ticket at 1x over 3 d and 6 h', () => {
    expect(p1.monitoring.burnRateWindows.map((w) => [w.severity, w.burnRate.value, w.longWindowSec, w.shortWindowSec, w.errorRatioThreshold.value])).toEqual([
      ['page', 14.4, 3600, 300, 0.0144],
      ['page', 6, 21600, 1800, 0.006],
      ['ticket', 1, 259200, 21600, 0.001],
    ]);
  });

  test('each window fits CloudWatch: one period of the window, <= 7 days, and <= 1 day when under an hour', () => {
    for (const w of p1.monitoring.burnRateWindows) {
      for (const sec of [w.longWindowSec, w.shortWindowSec]) {
        expect(sec % 60).toBe(0);
        expect(sec).toBeLessThanOrEqual(7 * 86400);
      }
    }
  });

  test('a loose SLO (95 %) keeps every pair: 5 % x 14.4 = 72 % errors can still happen', () => {
    const [loose] = planPhases({ ...DEFAULT_MODEL, slo: { ...DEFAULT_MODEL.slo, availabilityPct: 95 } });
    expect(loose.monitoring.burnRateWindows.map((w) => w.errorRatioThreshold.value)).toEqual([0.72, 0.3, 0.05]);
  });

  test('a 90 % SLO drops the 14.4x pair (144 % errors can never happen) and says so; the alarm count follows', () => {
    const [veryLoose] = planPhases({ ...DEFAULT_MODEL, slo: { ...DEFAULT_MODEL.slo, availabilityPct: 90 } });
    expect(veryLoose.monitoring.burnRateWindows.map((w) => w.burnRate.value)).toEqual([6, 1]);
    expect(veryLoose.warnings).toContainEqual(expect.stringMatching(/14\.4x burn-rate page over 1 h is left out: .* 144 % errors/));
    expect(veryLoose.monitoring.alarmCount.value).toBe(2 * 2 + 1 + veryLoose.monitoring.saturation.length + BURST_ALARMS);
    expect(veryLoose.monitoring.compositeAlarmCount.value).toBe(2);
  });
});

describe('monitoring plan: saturation thresholds follow the sizing of the same phase', () => {
  const plans = planPhases(DEFAULT_MODEL);

  test.each(plans.map((p) => [p.label, p]))('%s: API CPU and memory alarm halfway from the scaling target to 100 %', (_label, plan) => {
    const expected = Math.round(plan.api.targetCpuPercent.value + (100 - plan.api.targetCpuPercent.value) / 2);
    expect(threshold(plan, 'apiCpuPct')).toBe(expected);
    expect(threshold(plan, 'apiMemoryPct')).toBe(expected);
  });

  test.each(plans.map((p) => [p.label, p]))('%s: connections alarm at 80 % of the proxy ceiling', (_label, plan) => {
    const ceiling = Math.floor((plan.database.proxyMaxConnectionsPercent.value * plan.database.maxConnections.value) / 100);
    expect(threshold(plan, 'dbConnections')).toBe(Math.floor(ceiling * 0.8));
  });

  test('default model, by hand: 83 % CPU; 28 / 80 / 320 connections; Redis hit rate below 80 %; lag above 500 ms', () => {
    const [p1, p2, p3] = plans;
    expect(threshold(p1, 'apiCpuPct')).toBe(83); // 65 + 35 / 2 = 82.5
    // 1 % of 3,604; 2 % of 5,000; 8 % of 5,000 per shard in phase 3 (2 shards: half the queries each)
    expect([p1, p2, p3].map((p) => threshold(p, 'dbConnections'))).toEqual([28, 80, 320]);
    expect(threshold(p1, 'cacheHitRatePct')).toBe(80);
    expect(threshold(p1, 'dbReplicaLagMs')).toBe(500);
    expect(threshold(p1, 'dbWriterCpuPct')).toBe(70);
    expect(saturationAlarmFor(p1.monitoring, 'cacheHitRatePct').comparison).toBe('below');
  });

  test('a model with other policy values moves every derived threshold', () => {
    const model = {
      ...DEFAULT_MODEL,
      slo: { p95Ms: 300, errorRatePct: 1, availabilityPct: 99.5 },
      policy: { ...DEFAULT_MODEL.policy, apiTargetCpuPct: 50, dbTargetCpuPct: 60, cacheHitRatio: 0.9 },
    };
    const [p1] = planPhases(model);
    expect(threshold(p1, 'apiCpuPct')).toBe(75);
    expect(threshold(p1, 'dbWriterCpuPct')).toBe(60);
    expect(threshold(p1, 'dbReaderCpuPct')).toBe(60);
    expect(threshold(p1, 'cacheHitRatePct')).toBe(90);
    expect(threshold(p1, 'dbReplicaLagMs')).toBe(300);
    expect(threshold(p1, 'wafBlockedRatePct')).toBe(1);
    expect(p1.monitoring.latencyP95Ms.value).toBe(300);
    expect(p1.monitoring.burnRateWindows[0].errorRatioThreshold.value).toBe(0.072); // 0.5 % x 14.4
  });
});

describe('monitoring plan: what is built is what is billed', () => {
  const [p1] = planPhases(DEFAULT_MODEL);

  test('alarm count: 3 pairs x 2 burn-rate alarms + 1 latency + one per saturation signal + the burst policy\'s alarm; 3 composites', () => {
    expect(BURST_ALARMS).toBe(1);
    expect(p1.monitoring.alarmCount.value).toBe(3 * 2 + 1 + p1.monitoring.saturation.length + BURST_ALARMS);
    expect(p1.monitoring.compositeAlarmCount.value).toBe(3);
  });

  test('the CloudWatch cost line names the alarms, composites and dashboard of the monitoring plan', () => {
    const line = p1.cost.lines.find((l) => l.item === 'CloudWatch')!;
    expect(line.basis).toContain(`${p1.monitoring.alarmCount.value} alarms (${p1.monitoring.billedAlarmMetrics.value} alarm metrics) + 3 composite, 1 dashboard`);
  });
});
