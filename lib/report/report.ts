/**
 * The roadmap report's data: everything the twelve sections say, computed once from the model.
 *
 * The stacks and this report read the same plan objects, so they cannot disagree.
 */
import {
  Bottleneck,
  Capacity,
  LoadTestPlan,
  PhasePlan,
  PhaseTimeline,
  planLoadTests,
  planModel,
  planTimeline,
  rankBottlenecks,
  ScalingTrigger,
  scalingTriggers,
  todaysMaxThroughput,
  TodayReconciliation,
  reconcileToday,
} from '../capacity';

/** Everything the report shows. JSON output is this object. */
export interface RoadmapReport {
  readonly service: string;
  readonly region: string;
  readonly model: Capacity;
  readonly plans: readonly PhasePlan[];
  /** The load test that gates each phase (the k6 scripts and the gate run these stages). */
  readonly loadTests: readonly LoadTestPlan[];
  readonly bottlenecks: readonly Bottleneck[];
  /** The traffic multiple today's setup saturates at; undefined when no metric in current.metrics says (unknown). */
  readonly todaysLimitMultiple?: number;
  /** Today's measured p95 against the model (calibration.ts): what was calibrated, or why nothing could be. */
  readonly today: TodayReconciliation;
  readonly timeline: readonly PhaseTimeline[];
  /** Triggers to watch while each phase is live, by phase index. */
  readonly triggers: ReadonlyArray<readonly ScalingTrigger[]>;
  /** Projected daily peak RPS by month, for the traffic chart. */
  readonly trafficByMonth: ReadonlyArray<{ readonly month: number; readonly date?: string; readonly peakRps: number }>;
}

/** Builds the report of a validated model. */
export function buildReport(model: Capacity, plans: readonly PhasePlan[] = planModel(model)): RoadmapReport {
  const bottlenecks = rankBottlenecks(model, plans);
  const first = todaysMaxThroughput(bottlenecks);
  const todaysLimitMultiple = first?.headroomMultiple ? Math.max(1, first.headroomMultiple.value) : undefined;
  const timeline = planTimeline(model, plans, todaysLimitMultiple);
  const triggers = plans.map((plan, i) => scalingTriggers(model, plan, timeline[i + 1]));
  const horizon = Math.ceil(timeline[timeline.length - 1].monthsUntilOutgrown.value) + 2;
  const trafficByMonth = Array.from({ length: Math.min(horizon, 240) + 1 }, (_, month) => ({
    month,
    date: timeline.length ? dateOf(model, month) : undefined,
    peakRps: model.current.peakRps * (1 + model.growth.monthlyGrowthPct / 100) ** month,
  }));
  const loadTests = planLoadTests(model, plans);
  const today = reconcileToday(model);
  return { service: model.service.name, region: model.aws.region, model, plans, loadTests, bottlenecks, todaysLimitMultiple, today, timeline, triggers, trafficByMonth };
}

function dateOf(model: Capacity, month: number): string | undefined {
  if (!model.growth.startDate) return undefined;
  const d = new Date(`${model.growth.startDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + month);
  return d.toISOString().slice(0, 7);
}
