/**
 * Known peaks and bursts: how fast the API tier can grow from its baseline to the design peak, against how fast a
 * spike arrives, plus the scheduled actions (known events) and the step-scaling policy (unannounced bursts) that
 * close the gap.
 *
 * Model of Application Auto Scaling (stated, so the numbers can be checked):
 * - Target tracking raises its high alarm after 3 consecutive 1-minute datapoints above target (180 s), then sets
 *   capacity in proportion to the overshoot: tasks x metric / target. CPU cannot read above 100 %, so a CPU step
 *   multiplies the fleet by at most 100 / target; ALB requests per target has no ceiling, so the request-count
 *   policy reaches the demand in one step (up to max tasks). Each further step waits for the scale-out cooldown.
 * - The step policy (below) alarms on one 1-minute datapoint (60 s) and adds a percentage of capacity per step.
 * - With several policies, the scalable target takes the largest capacity any of them asks for (AWS: "the policy that
 *   provides the largest capacity"), and scales in only when every target-tracking policy allows it; the step policy
 *   has no scale-in steps. Scheduled actions raise the floor (min tasks); the policies still scale above it.
 * - New tasks serve after the scale-out cooldown (task start-up + two health checks).
 */
import { ApiPlan, BurstStep, MonitoringPlan, PeakPlan, ScheduledScalingPlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { saturationAlarmFor } from './monitoring';
import { fmt } from './traffic';

/** Target tracking's scale-out alarm: 3 datapoints of 60 s. */
export const TARGET_TRACKING_DETECTION_SEC = 180;
/** The step policy's alarm: 1 datapoint of 60 s. */
export const STEP_DETECTION_SEC = 60;
/** From this CPU % a task is saturated: the measured CPU no longer shows how far demand exceeds capacity. */
export const SATURATED_CPU_PCT = 95;

/** Seconds for `steps` scale-outs: detection, then one cooldown per step (new tasks serve after it). */
const secondsFor = (detectionSec: number, steps: number, cooldownSec: number) => detectionSec + steps * cooldownSec;
/** Multiplicative steps from `from` to `to` tasks when each multiplies the fleet by `factor`. */
const stepsFor = (from: number, to: number, factor: number) => (to <= from ? 0 : Math.ceil(Math.log(to / from) / Math.log(factor) - 1e-9));

/** The peak plan of one phase. */
export function planPeaks(model: Capacity, traffic: TrafficPlan, api: ApiPlan, monitoring: MonitoringPlan): { peaks: PeakPlan; warnings: string[] } {
  const warnings: string[] = [];
  const { peakPattern } = model;
  const target = api.targetCpuPercent.value;
  const cooldown = api.scaleOutCooldownSec.value;
  const min = api.minTasks.value;
  const need = Math.min(api.maxTasks.value, api.tasksAtDesignPeak.value);

  // Steps from the CPU alarm thresholds: at the saturation ticket's threshold add what brings that CPU back to the
  // target; once tasks are saturated the overshoot is unknown, so at least double.
  const ceiling = saturationAlarmFor(monitoring, 'apiCpuPct').threshold.value;
  const atCeiling = Math.max(1, Math.ceil((ceiling / target - 1) * 100));
  const atSaturation = Math.max(100, Math.ceil((100 / target - 1) * 100));
  const steps: BurstStep[] = ceiling < SATURATED_CPU_PCT
    ? [{ lowerCpuPercent: ceiling, changePercent: atCeiling }, { lowerCpuPercent: SATURATED_CPU_PCT, changePercent: atSaturation }]
    : [{ lowerCpuPercent: ceiling, changePercent: atSaturation }];

  const cpuSteps = stepsFor(min, need, 100 / target);
  const cpuSec = secondsFor(TARGET_TRACKING_DETECTION_SEC, cpuSteps, cooldown);
  const requestSec = secondsFor(TARGET_TRACKING_DETECTION_SEC, need > min ? 1 : 0, cooldown);
  const burstSteps = stepsFor(min, need, 1 + atSaturation / 100);
  const burstSec = secondsFor(STEP_DETECTION_SEC, burstSteps, cooldown);
  const fastest = Math.min(cpuSec, requestSec, burstSec);
  const ramp = peakPattern.spikeRampSec;
  const catchesUp = fastest <= ramp;
  // What min tasks carry at 100 % CPU while the fleet grows.
  const minCapacityRps = min * api.taskVcpu.value * api.rpsPerVcpu.value;
  // Not a warning: the plan states it (catchesUp) and the report shows it; scheduled events are the fix for known peaks.
  const perTask = api.rpsPerTaskAtTarget.value;
  const originShare = traffic.originBaselineRps.value / traffic.baselineRps.value;
  const scheduled: ScheduledScalingPlan[] = peakPattern.scheduledEvents.map((event) => {
    const multiplier = event.multiplier ?? peakPattern.flashSaleMultiplier;
    const originRps = traffic.baselineRps.value * multiplier * originShare;
    const wanted = Math.ceil(originRps / perTask);
    const tasks = Math.max(min, Math.min(api.maxTasks.value, wanted));
    if (wanted > api.maxTasks.value) {
      warnings.push(`API: event '${event.name}' (${fmt(multiplier)}x the baseline, ${fmt(originRps)} origin RPS) needs ${wanted} tasks, above max tasks ${api.maxTasks.value}: raise its min to the max, and the max with the event's multiplier`);
    }
    const start = Date.parse(event.startUtc);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16) + 'Z';
    return {
      name: event.name,
      raiseAtUtc: sized(iso(start - peakPattern.eventLeadMinutes * 60_000), `startUtc ${event.startUtc} - peakPattern.eventLeadMinutes ${peakPattern.eventLeadMinutes} min`),
      lowerAtUtc: sized(iso(start + event.durationMinutes * 60_000), `startUtc + durationMinutes ${event.durationMinutes}: back to the baseline min ${min}`),
      minTasks: sized(tasks, `baseline ${fmt(traffic.baselineRps.value)} RPS x ${fmt(multiplier)} (${event.multiplier ? 'the event' : 'peakPattern.flashSaleMultiplier'}) x origin share ${fmt(originShare * 100)} % / ${fmt(perTask)} RPS per task at target, within ${min}-${api.maxTasks.value}`),
    };
  });

  return {
    warnings,
    peaks: {
      spikeRampSec: sized(ramp, 'peakPattern.spikeRampSec: how fast a spike reaches its peak'),
      targetTrackingSecToDesignPeak: sized(
        Math.min(cpuSec, requestSec),
        `request count: ${TARGET_TRACKING_DETECTION_SEC} s to alarm (3 x 60 s) + 1 step (the metric has no ceiling) x ${cooldown} s = ${fmt(requestSec)} s; ` +
          `CPU: ${TARGET_TRACKING_DETECTION_SEC} s + ${cpuSteps} steps of at most x${fmt(100 / target)} (CPU caps at 100 %, target ${target} %) x ${cooldown} s = ${fmt(cpuSec)} s`,
      ),
      stepScalingSecToDesignPeak: sized(burstSec, `${STEP_DETECTION_SEC} s to alarm (1 x 60 s) + ${burstSteps} steps of +${atSaturation} % x ${cooldown} s`),
      secToDesignPeak: sized(fastest, `from ${min} to ${need} tasks: the fastest policy (the scalable target takes the largest capacity any policy asks for)`),
      catchesUp: sized(
        catchesUp,
        `${fmt(fastest)} s to scale ${catchesUp ? '<=' : '>'} the ${fmt(ramp)} s a spike takes: ${catchesUp ? 'autoscaling keeps up' : `until then ${min} tasks carry at most ${fmt(minCapacityRps)} of ${fmt(traffic.originDesignRps.value)} origin RPS, so known events need scheduled scaling${peakPattern.scheduledEvents.length ? '' : ' (peakPattern.scheduledEvents is empty)'}`}`,
      ),
      capacityAtMinTasksRps: sized(minCapacityRps, `${min} min tasks x ${api.taskVcpu.value} vCPU x ${fmt(api.rpsPerVcpu.value)} RPS per vCPU at 100 % CPU`),
      burstSteps: sized(
        steps,
        `from the API CPU alarm at ${ceiling} %: + (${ceiling} / ${target} - 1) = ${atCeiling} % of capacity; from ${SATURATED_CPU_PCT} % (saturated, the overshoot is unknown) + max(100, (100 / ${target} - 1)) = ${atSaturation} %`,
      ),
      burstCooldownSec: sized(cooldown, 'the scale-out cooldown: new tasks serve before the next step'),
      scheduled: sized(
        scheduled,
        scheduled.length ? `peakPattern.scheduledEvents: min tasks raised ${peakPattern.eventLeadMinutes} min ahead of each, back to ${min} after` : 'no peakPattern.scheduledEvents: no scheduled actions',
      ),
    },
  };
}
