/**
 * Ranked bottlenecks of today's system, from the model's current metrics: which limit traffic hits first as it grows.
 *
 * A utilisation-like metric u (CPU %, connections used / max) grows with traffic, so the resource saturates at
 * traffic x (100 % / u): that multiple of today's peak is its headroom, and the smallest one is the theoretical
 * maximum throughput of today's setup. Signals without a saturation point (cache hit rate, replica lag, errors)
 * are ranked after them, as evidence.
 */
import { PhasePlan, sized, Sized } from './plan-types';
import type { Capacity } from './schema';
import { monthsUntilMultiple } from './timeline';
import { fmt } from './traffic';

/** One bottleneck with its evidence, when it bites, and its fix in each phase. */
export interface Bottleneck {
  readonly rank: number;
  readonly resource: string;
  readonly evidence: string;
  /** Traffic multiple of today's peak at which it saturates (undefined for signals without a saturation point). */
  readonly headroomMultiple?: Sized;
  readonly maxThroughputRps?: Sized;
  /** Months of growth until it saturates (0 = already). */
  readonly monthsUntilHit?: Sized;
  readonly fixes: readonly string[];
}

/** Ranks the bottlenecks the model's metrics reveal; empty when no metrics are given. */
export function rankBottlenecks(model: Capacity, plans: readonly PhasePlan[]): Bottleneck[] {
  const m = model.current.metrics;
  const peak = model.current.peakRps;
  const [p1, p2, p3] = plans;
  const saturating: Array<Omit<Bottleneck, 'rank'>> = [];
  const signals: Array<Omit<Bottleneck, 'rank'>> = [];

  const saturation = (resource: string, utilization: number, evidence: string, fixes: string[]) => {
    const multiple = 1 / utilization;
    saturating.push({
      resource,
      evidence,
      headroomMultiple: sized(multiple, `100 % / ${fmt(utilization * 100)} % in use at today's peak`),
      maxThroughputRps: sized(peak * multiple, `today's peak ${fmt(peak)} RPS x ${fmt(multiple)}`),
      monthsUntilHit: sized(monthsUntilMultiple(model, multiple), `growth of ${model.growth.monthlyGrowthPct} %/month to ${fmt(multiple)}x`),
      fixes,
    });
  };

  if (m?.apiCpuPct !== undefined) {
    saturation('API CPU', m.apiCpuPct / 100, `API CPU ${fmt(m.apiCpuPct)} % at ${fmt(peak)} RPS`, [
      `Phase 1: one worker per vCPU (Node cluster), stateless sessions in Redis, ${p1.api.minTasks.value}-${p1.api.maxTasks.value} Fargate tasks scaled at ${p1.api.targetCpuPercent.value} % CPU`,
      `Phase 2: ${p2.api.minTasks.value}-${p2.api.maxTasks.value} tasks; CloudFront takes ${fmt(p2.traffic.cdnOffloadShare.value * 100)} % of requests off the origin`,
      `Phase 3: ${p3.api.taskVcpu.value}-vCPU tasks, ${p3.api.minTasks.value}-${p3.api.maxTasks.value} of them`,
    ]);
  }
  if (m?.dbConnectionsUsed !== undefined && m.dbConnectionsMax !== undefined && m.dbConnectionsUsed > 0) {
    saturation('Database connections', m.dbConnectionsUsed / m.dbConnectionsMax, `${m.dbConnectionsUsed} of ${m.dbConnectionsMax} connections in use at peak`, [
      `Phase 1: RDS Proxy pools connections: a budget of ${p1.database.connectionBudget.value} backend connections per instance (pool formula ${p1.database.poolFormulaConnections.value}, Little's law ${fmt(p1.database.peakConcurrentQueries.value)} concurrent queries); each task opens ${p1.database.clientPoolPerTask.value}`,
      `Phase 2: reads move to ${p2.database.readers.value} readers through the proxy's read-only endpoint`,
      `Phase 3: queue writes (${model.workload.criticalWrite} first) so slow calls do not hold connections`,
    ]);
  }
  if (m?.dbCpuPct !== undefined) {
    saturation('Database CPU', m.dbCpuPct / 100, `database CPU ${fmt(m.dbCpuPct)} % at peak`, [
      `Phase 1: Redis answers ${fmt(model.policy.cacheHitRatio * 100)} % of reads; ${p1.database.instanceClass.value} writer + ${p1.database.readers.value} readers`,
      `Phase 2: ${p2.database.instanceClass.value}, reads on readers (writes -> writer, reads -> readers)`,
      `Phase 3: shard ${model.workload.primaryTable} by ${model.workload.partitionKey}; ${p3.database.instanceClass.value} is the largest single writer`,
    ]);
  }
  if (m?.apiMemoryPct !== undefined && m.apiMemoryPct >= 80) {
    signals.push({ resource: 'API memory', evidence: `API memory ${fmt(m.apiMemoryPct)} %: look for leaks before adding memory`, fixes: [`Phase 1: ${fmt(p1.api.taskMemoryMiB.value / 1024)} GB per ${p1.api.taskVcpu.value}-vCPU task`] });
  }
  if (m?.cacheHitRatePct !== undefined && m.cacheHitRatePct < model.policy.cacheHitRatio * 100) {
    signals.push({
      resource: 'Cache hit rate',
      evidence: `hit rate ${fmt(m.cacheHitRatePct)} % < the ${fmt(model.policy.cacheHitRatio * 100)} % the plan assumes: database reads are ${fmt((100 - m.cacheHitRatePct) / (100 - model.policy.cacheHitRatio * 100))}x the sizing`,
      fixes: [`Cache the hot keys (${model.workload.sharedReads}, sessions) with allkeys-lru; add jittered TTLs and request coalescing against stampedes`],
    });
  }
  if (m?.replicaLagMs !== undefined && m.replicaLagMs > 1000) {
    signals.push({ resource: 'Replica lag', evidence: `replicas ${fmt(m.replicaLagMs)} ms behind: reads from them are stale`, fixes: ['Route read-your-writes to the writer; batch writes; a larger writer class'] });
  }
  if (m?.errorRatePct !== undefined && m.errorRatePct >= model.slo.errorRatePct) {
    signals.push({ resource: 'Error rate', evidence: `${fmt(m.errorRatePct)} % errors, at or above the ${model.slo.errorRatePct} % SLO`, fixes: ['Fix before scaling: more capacity does not fix errors that are not load'] });
  }
  if (model.current.deployedPhase === 0 && model.current.cdnCacheableGetShare > 0) {
    signals.push({
      resource: 'No edge cache',
      evidence: `${fmt(model.current.cdnCacheableGetShare * 100)} % of GETs are cacheable but every one reaches the origin`,
      fixes: [`Phase 1: CloudFront caches them for ${p1.cdn.apiDefaultTtlSec.value} s (+${p1.cdn.staleWhileRevalidateSec.value} s stale-while-revalidate)`],
    });
  }

  saturating.sort((a, b) => a.headroomMultiple!.value - b.headroomMultiple!.value);
  return [...saturating, ...signals].map((b, i) => ({ rank: i + 1, ...b }));
}

/** Today's theoretical maximum throughput: the first saturation point, or undefined without metrics. */
export function todaysMaxThroughput(bottlenecks: readonly Bottleneck[]): Bottleneck | undefined {
  return bottlenecks.find((b) => b.headroomMultiple !== undefined);
}
