/**
 * The growth timeline: when each phase is needed, when it is outgrown, when its work must start,
 * and the metric thresholds that say so (the seeds' "scaling triggers").
 */
import { PhasePlan, SaturationMetric, sized, Sized } from './plan-types';
import type { Capacity } from './schema';
import { saturationAlarmFor } from './monitoring';
import { fmt } from './traffic';

const DAYS_PER_MONTH = 365.25 / 12;
const WEEKS_PER_MONTH = DAYS_PER_MONTH / 7;

/** Months of compound growth until traffic is `multiple` x today's (0 when it already is). */
export function monthsUntilMultiple(model: Capacity, multiple: number): number {
  if (multiple <= 1) return 0;
  return Math.log(multiple) / Math.log(1 + model.growth.monthlyGrowthPct / 100);
}

/** The calendar date `months` after the model's start date (YYYY-MM-DD), if it has one. */
export function dateAfter(model: Capacity, months: number): string | undefined {
  if (!model.growth.startDate) return undefined;
  const start = Date.parse(`${model.growth.startDate}T00:00:00Z`);
  return new Date(start + Math.round(months * DAYS_PER_MONTH) * 86_400_000).toISOString().slice(0, 10);
}

/** When a phase is due. */
export interface PhaseTimeline {
  readonly phase: number;
  readonly label: string;
  /** Traffic (x today) at which the phase must be live: the previous phase's design multiple (today: its limit). */
  readonly neededAtMultiple: Sized;
  readonly monthsUntilNeeded: Sized;
  readonly neededBy?: string;
  readonly monthsUntilOutgrown: Sized;
  readonly outgrownBy?: string;
  readonly leadTimeWeeks: Sized;
  readonly monthsUntilStart: Sized;
  readonly startBy?: string;
  /** The daily peak RPS at which work on this phase must start. */
  readonly startAtPeakRps: Sized;
  /** 'unknown': Phase 1 when no metric of today's system says where it saturates (no evidence it is overdue or not). */
  readonly status: 'live' | 'overdue' | 'start now' | 'planned' | 'outgrown' | 'unknown';
}

/**
 * Timeline of the three phases. `todaysLimitMultiple` is the traffic multiple today's system saturates at
 * (from the ranked bottlenecks). Without it (no saturating metric in current.metrics) nothing says when today's system
 * runs out: Phase 1's need is 'unknown', counted from today's peak (1x) for the dates, never called overdue.
 */
export function planTimeline(model: Capacity, plans: readonly PhasePlan[], todaysLimitMultiple?: number): PhaseTimeline[] {
  const g = model.growth.monthlyGrowthPct;
  return plans.map((plan, i) => {
    const unknown = i === 0 && todaysLimitMultiple === undefined;
    const neededAt = i === 0 ? todaysLimitMultiple ?? 1 : plans[i - 1].multiplier;
    const monthsNeeded = monthsUntilMultiple(model, neededAt);
    const monthsOutgrown = monthsUntilMultiple(model, plan.multiplier);
    const lead = model.policy.leadTimeWeeks[i];
    const monthsStart = monthsNeeded - lead / WEEKS_PER_MONTH;
    const deployed = model.current.deployedPhase;
    const status: PhaseTimeline['status'] =
      plan.phase <= deployed
        ? monthsOutgrown <= 0 ? 'outgrown' : 'live'
        : unknown ? 'unknown' : monthsNeeded <= 0 ? 'overdue' : monthsStart <= 0 ? 'start now' : 'planned';
    const previous = i === 0 ? "today's system" : plans[i - 1].label;
    return {
      phase: plan.phase,
      label: plan.label,
      neededAtMultiple: sized(
        neededAt,
        unknown
          ? "unknown: no metric in current.metrics says where today's system saturates (counted from today's peak, 1x)"
          : `${previous} carries up to ${fmt(neededAt)}x today's peak`,
      ),
      monthsUntilNeeded: sized(monthsNeeded, `ln(${fmt(neededAt)}) / ln(1 + ${g} %)`),
      neededBy: dateAfter(model, monthsNeeded),
      monthsUntilOutgrown: sized(monthsOutgrown, `ln(${plan.multiplier}) / ln(1 + ${g} %)`),
      outgrownBy: dateAfter(model, monthsOutgrown),
      leadTimeWeeks: sized(lead, `policy.leadTimeWeeks[${i}]`),
      monthsUntilStart: sized(monthsStart, `needed ${fmt(monthsNeeded)} months out, less ${lead} weeks of work`),
      startBy: dateAfter(model, Math.max(0, monthsStart)),
      startAtPeakRps: sized(
        model.current.peakRps * (1 + g / 100) ** Math.max(0, monthsStart),
        `today's peak grown ${fmt(Math.max(0, monthsStart))} months at ${g} %/month`,
      ),
      status,
    };
  });
}

/** A metric threshold that says a phase is running out of room. */
export interface ScalingTrigger {
  readonly metric: string;
  readonly threshold: string;
  readonly why: string;
  readonly action: string;
}

/** The triggers to watch while `plan` is live: crossing one means start the next phase (or fix a broken assumption). */
export function scalingTriggers(model: Capacity, plan: PhasePlan, next?: PhaseTimeline): ScalingTrigger[] {
  const nextPhase = next ? `start ${next.label}` : 'plan beyond Phase 3';
  // The thresholds the phase's alarms use: a trigger in the report is an alarm in the stack.
  const alarmAt = (metric: SaturationMetric) => saturationAlarmFor(plan.monitoring, metric).threshold.value;
  return [
    {
      metric: 'Daily peak RPS',
      threshold: `> ${fmt(next ? next.startAtPeakRps.value : plan.traffic.peakRps.value * 0.7)}`,
      why: next ? `the traffic at which ${next.label}'s ${next.leadTimeWeeks.value} weeks of work must start` : `70 % of this phase's design daily peak`,
      action: nextPhase,
    },
    {
      metric: 'API running tasks at daily peak',
      threshold: `>= ${Math.ceil(plan.api.maxTasks.value * 0.8)} (80 % of max ${plan.api.maxTasks.value})`,
      why: 'autoscaling is near its ceiling: a flash sale would hit it',
      action: nextPhase,
    },
    {
      metric: 'API CPU at daily baseline',
      threshold: `> 70 % with ${plan.api.minTasks.value}+ tasks`,
      why: `at ${plan.api.targetCpuPercent.value} % target the trough should sit well below it; a busy trough means the per-request cost grew`,
      action: 're-measure CPU per request and re-plan',
    },
    {
      metric: 'Aurora writer CPU at daily peak',
      threshold: `> ${alarmAt('dbWriterCpuPct')} % (alarm)`,
      why: `the writer class ${plan.database.instanceClass.value} was sized for writes at ${model.policy.dbTargetCpuPct} % CPU`,
      action: nextPhase,
    },
    {
      metric: 'Database connections (through RDS Proxy)',
      threshold: `> ${alarmAt('dbConnections')} (alarm: 80 % of the proxy's ${plan.database.proxyMaxConnectionsPercent.value} % of max_connections)`,
      why: 'clients start waiting for a connection (borrow timeout)',
      action: 'raise the proxy budget or find the pinned sessions',
    },
    {
      metric: 'Redis hit rate',
      threshold: `< ${alarmAt('cacheHitRatePct')} % (alarm), or no longer rising week over week`,
      why: 'below it, database reads exceed what the readers were sized for',
      action: `cache more (${model.workload.sharedReads}, sessions), then re-plan readers`,
    },
    {
      metric: 'Redis memory used',
      threshold: `> ${alarmAt('cacheMemoryPct')} % of ${plan.cache.nodeType.value}'s maxmemory (alarm), with evictions > ${fmt(alarmAt('cacheEvictions'))} per 5 min (alarm)`,
      why: `${plan.cache.maxmemoryPolicy.value} is evicting the working set`,
      action: 'move to the next node size',
    },
    {
      metric: 'Aurora replica lag',
      threshold: `> ${fmt(alarmAt('dbReplicaLagMs'))} ms (alarm)`,
      why: 'readers serve stale data; read-your-writes breaks',
      action: 'route those reads to the writer; larger writer',
    },
  ];
}
