import { DEFAULT_MODEL, parseCapacity, planModel, planTimeline, rankBottlenecks, scalingTriggers } from '../../lib/capacity';
import { dateAfter, monthsUntilMultiple } from '../../lib/capacity/timeline';

const model = parseCapacity(DEFAULT_MODEL);
const plans = planModel(model);

describe('growth timeline (30 %/month from 2026-12-01)', () => {
  test.each([
    [2, Math.log(2) / Math.log(1.3), 2.64],
    [10, Math.log(10) / Math.log(1.3), 8.78],
    [100, Math.log(100) / Math.log(1.3), 17.55],
  ])('traffic reaches %dx after ln(m)/ln(1.3) months', (multiple, exact, rounded) => {
    expect(monthsUntilMultiple(model, multiple)).toBeCloseTo(exact, 12);
    expect(monthsUntilMultiple(model, multiple)).toBeCloseTo(rounded, 2);
  });

  test('dates: 2.64 months = 80 days after the start date', () => {
    expect(dateAfter(model, monthsUntilMultiple(model, 2))).toBe('2027-02-19');
    expect(dateAfter(model, 0)).toBe('2026-12-01');
  });

  test('each phase is needed when the previous one is outgrown; work starts a lead time earlier', () => {
    const [t1, t2, t3] = planTimeline(model, plans, 1);
    expect(t1.monthsUntilNeeded.value).toBe(0);
    expect(t1.status).toBe('overdue'); // today's system is at its limit (CPU pinned) and Phase 1 is not live
    expect(t2.neededAtMultiple.value).toBe(2);
    expect(t2.monthsUntilNeeded.value).toBeCloseTo(monthsUntilMultiple(model, 2), 12);
    expect(t2.monthsUntilStart.value).toBeCloseTo(t2.monthsUntilNeeded.value - 6 / (365.25 / 12 / 7), 12);
    expect(t2.startAtPeakRps.value).toBeCloseTo(800 * 1.3 ** t2.monthsUntilStart.value, 9);
    expect(t3.neededAtMultiple.value).toBe(10);
    expect(t3.outgrownBy).toBe(dateAfter(model, monthsUntilMultiple(model, 100)));
  });

  test('a deployed phase is live', () => {
    const live = parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, deployedPhase: 1 } });
    expect(planTimeline(live, planModel(live), 1).map((t) => t.status)).toEqual(['live', 'planned', 'planned']);
  });

  test('triggers carry the plan numbers', () => {
    const [t1, t2] = planTimeline(model, plans, 1);
    const triggers = scalingTriggers(model, plans[0], t2);
    expect(triggers.find((t) => t.metric === 'API running tasks at daily peak')?.threshold).toBe('>= 7 (80 % of max 8)');
    expect(triggers.find((t) => t.metric === 'Daily peak RPS')?.threshold).toBe(`> ${Math.round(t2.startAtPeakRps.value).toLocaleString('en-US')}`);
    expect(triggers.find((t) => t.metric === 'Aurora writer CPU at daily peak')?.threshold).toBe('> 70 % (alarm)');
    expect(t1.label).toBe('Phase 1 (2x)');
  });
});

describe('ranked bottlenecks (seeds: CPU pinned, DB connections and CPU)', () => {
  const ranked = rankBottlenecks(model, plans);

  test('ranked by the traffic multiple at which each saturates', () => {
    expect(ranked.map((b) => b.resource)).toEqual(['API CPU', 'Database connections', 'Database CPU', 'No edge cache']);
    expect(ranked[0].headroomMultiple?.value).toBe(1);
    expect(ranked[1].headroomMultiple?.value).toBeCloseTo(100 / 82, 12);
    expect(ranked[1].monthsUntilHit?.value).toBeCloseTo(Math.log(100 / 82) / Math.log(1.3), 12);
    expect(ranked[2].maxThroughputRps?.value).toBeCloseTo(800 / 0.55, 9);
  });

  test('fixes per phase quote the plan', () => {
    expect(ranked[0].fixes.join('\n')).toContain('2-8 Fargate tasks scaled at 65 % CPU');
    expect(ranked[1].fixes.join('\n')).toContain('2 readers');
  });

  test('signals without a saturation point rank after, and only when present', () => {
    const worse = parseCapacity({
      ...DEFAULT_MODEL,
      current: { ...DEFAULT_MODEL.current, metrics: { cacheHitRatePct: 40, replicaLagMs: 5000, errorRatePct: 1 } },
    });
    expect(rankBottlenecks(worse, planModel(worse)).map((b) => b.resource)).toEqual(['Cache hit rate', 'Replica lag', 'Error rate', 'No edge cache']);
  });

  test('no metrics: no ranking (the report says what to add)', () => {
    const bare = parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, metrics: undefined, deployedPhase: 1 } });
    expect(rankBottlenecks(bare, planModel(bare))).toEqual([]);
  });
});
