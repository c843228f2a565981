/**
 * Known peaks (scheduled scaling) and bursts (a step-scaling policy beside target tracking): the plan's numbers
 * (lib/capacity/peak-sizing.ts) and their place in the templates.
 */
import { CapacityInput, DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { synthesizedPhases } from '../support/synthesized-phases';

const NO_EVENTS: CapacityInput = { ...DEFAULT_MODEL, peakPattern: { ...DEFAULT_MODEL.peakPattern, scheduledEvents: [] } };
const ofType = (t: Record<string, any>, type: string) => Object.values(t.Resources as Record<string, any>).filter((r) => r.Type === type).map((r) => r.Properties);

describe('the peak plan', () => {
  const plans = planModel(parseCapacity(DEFAULT_MODEL));

  test('GIVEN the embedded model THEN scaling from min to design-peak tasks takes 240-270 s against a 60 s spike: it cannot catch up', () => {
    const [p1, p2] = plans;
    // Phase 1: 2 -> 5 tasks. Request-count tracking: 180 s (3 x 60 s datapoints) + 1 step x 90 s cooldown = 270 s;
    // CPU tracking: 180 s + 3 steps of x(100/65) = 450 s; the step policy: 60 s + 2 doublings x 90 s = 240 s.
    expect(p1.peaks.targetTrackingSecToDesignPeak.value).toBe(270);
    expect(p1.peaks.targetTrackingSecToDesignPeak.why).toMatch(/CPU: 180 s \+ 3 steps of at most x1\.54 .* = 450 s/);
    expect(p1.peaks.stepScalingSecToDesignPeak.value).toBe(240);
    expect(p1.peaks.secToDesignPeak.value).toBe(240);
    expect(p1.peaks.spikeRampSec.value).toBe(60);
    expect(p1.peaks.catchesUp.value).toBe(false);
    expect(p1.peaks.capacityAtMinTasksRps.value).toBe(1600); // 2 tasks x 1 vCPU x 800 RPS
    // Phase 2: 5 -> 25 tasks: three doublings (330 s), so request-count tracking (270 s) is the fastest.
    expect(p2.peaks.stepScalingSecToDesignPeak.value).toBe(330);
    expect(p2.peaks.secToDesignPeak.value).toBe(270);
  });

  test('THEN the burst steps come from the API CPU alarm threshold and the target', () => {
    for (const p of plans) {
      const ceiling = p.monitoring.saturation.find((s) => s.metric === 'apiCpuPct')!.threshold.value;
      expect(ceiling).toBe(83);
      expect(p.peaks.burstSteps.value).toEqual([
        { lowerCpuPercent: 83, changePercent: Math.ceil((83 / p.api.targetCpuPercent.value - 1) * 100) },
        { lowerCpuPercent: 95, changePercent: 100 },
      ]);
      expect(p.peaks.burstSteps.value[0].changePercent).toBe(28);
    }
  });

  test('THEN the stated event gets min tasks for its peak, raised 15 min ahead and lowered after', () => {
    const events = plans.map((p) => p.peaks.scheduled.value);
    expect(events.map((e) => e.length)).toEqual([1, 1, 1]);
    for (const [i, [event]] of events.entries()) {
      expect(event.name).toBe('black-friday-sale');
      expect(event.raiseAtUtc.value).toBe('2027-11-26T06:45Z');
      expect(event.lowerAtUtc.value).toBe('2027-11-26T11:00Z');
      // 6x the baseline at the origin = the flash-sale design peak: the tasks it needs at the target.
      expect(event.minTasks.value).toBe(plans[i].api.tasksAtDesignPeak.value);
    }
    expect(events.map(([e]) => e.minTasks.value)).toEqual([5, 25, 63]);
  });

  test('GIVEN an event bigger than max tasks THEN its min is capped at max and the plan warns', () => {
    const big = planModel(parseCapacity({
      ...DEFAULT_MODEL,
      peakPattern: { ...DEFAULT_MODEL.peakPattern, scheduledEvents: [{ name: 'on-sale', startUtc: '2027-03-01T09:00Z', durationMinutes: 30, multiplier: 20 }] },
    }));
    expect(big[0].peaks.scheduled.value[0].minTasks.value).toBe(big[0].api.maxTasks.value);
    expect(big[0].warnings.join('\n')).toMatch(/event 'on-sale' \(20x the baseline, .* origin RPS\) needs \d+ tasks, above max tasks 8/);
  });

  test('bad events fail at the boundary, naming the field', () => {
    const withEvent = (event: object) => ({ ...DEFAULT_MODEL, peakPattern: { ...DEFAULT_MODEL.peakPattern, scheduledEvents: [event] } });
    expect(() => parseCapacity(withEvent({ name: 'x', startUtc: '2027-11-26 07:00', durationMinutes: 10 }))).toThrow(/peakPattern.scheduledEvents.0.startUtc: must be a UTC time to the minute/);
    expect(() => parseCapacity(withEvent({ name: 'x', startUtc: '2027-11-26T07:00Z', durationMinutes: 0 }))).toThrow(/peakPattern.scheduledEvents.0.durationMinutes: must be a whole number >= 1/);
    expect(() => parseCapacity({ ...DEFAULT_MODEL, peakPattern: { ...DEFAULT_MODEL.peakPattern, spikeRampSec: 0 } })).toThrow(/peakPattern.spikeRampSec/);
  });
});

describe('the templates', () => {
  const withEvents = synthesizedPhases(DEFAULT_MODEL);
  const without = synthesizedPhases(NO_EVENTS);

  test('GIVEN the stated event THEN each phase raises min tasks ahead of it and lowers them after (UTC)', () => {
    for (const { stack, plan } of withEvents.phases) {
      const [target] = ofType(stack.template, 'AWS::ApplicationAutoScaling::ScalableTarget');
      const [event] = plan.peaks.scheduled.value;
      expect(target.ScheduledActions).toEqual([
        { ScheduledActionName: 'Event1Raise', Schedule: 'at(2027-11-26T06:45:00)', ScalableTargetAction: { MinCapacity: event.minTasks.value } },
        { ScheduledActionName: 'Event1Lower', Schedule: 'at(2027-11-26T11:00:00)', ScalableTargetAction: { MinCapacity: plan.api.minTasks.value } },
      ]);
    }
  });

  test('GIVEN no events THEN no scheduled action', () => {
    for (const { stack } of without.phases) {
      const [target] = ofType(stack.template, 'AWS::ApplicationAutoScaling::ScalableTarget');
      expect(target.ScheduledActions).toBeUndefined();
    }
  });

  test("the step policy's steps, alarm and cooldown equal the plan, beside the two target-tracking policies", () => {
    for (const { stack, plan } of withEvents.phases) {
      const t = stack.template;
      const policies = ofType(t, 'AWS::ApplicationAutoScaling::ScalingPolicy');
      // The API's two (the write queue's workers have their own backlog policy on their own scalable target).
      expect(policies.filter((p) => p.PolicyType === 'TargetTrackingScaling' && /^ApiService/.test(p.ScalingTargetId.Ref))).toHaveLength(2);
      const [step] = policies.filter((p) => p.PolicyType === 'StepScaling');
      // Named like the target-tracking policies (stack-relative), so a promotion does not replace it.
      const cpu = policies.find((p) => /-cpu$/.test(p.PolicyName));
      expect(step.PolicyName).toBe(cpu.PolicyName.replace(/-cpu$/, '-burst'));
      const config = step.StepScalingPolicyConfiguration;
      expect(config.AdjustmentType).toBe('PercentChangeInCapacity');
      expect(config.Cooldown).toBe(plan.peaks.burstCooldownSec.value);
      const [first, second] = plan.peaks.burstSteps.value;
      expect(config.StepAdjustments).toEqual([
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: second.lowerCpuPercent - first.lowerCpuPercent, ScalingAdjustment: first.changePercent },
        { MetricIntervalLowerBound: second.lowerCpuPercent - first.lowerCpuPercent, ScalingAdjustment: second.changePercent },
      ]);
      const alarm = ofType(t, 'AWS::CloudWatch::Alarm').find((a) => a.MetricName === 'CPUUtilization' && a.Threshold === first.lowerCpuPercent && a.EvaluationPeriods === 1);
      expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', Period: 60, Statistic: 'Average' });
    }
  });
});
