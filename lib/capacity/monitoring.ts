/**
 * The monitoring plan: every threshold the alarms, the dashboard, the report and the load-test gate use, derived
 * from the SLO and from the sizing decisions of the same phase, each with its reason.
 *
 * Alerting follows the Google SRE workbook (ch. 5, "Alerting on SLOs"): multi-window, multi-burn-rate alerts on the
 * error budget page on fast burns and open tickets on slow ones; saturation alarms are tickets that say where the
 * next bottleneck is, before it spends the budget.
 */
import { usableCacheMemoryGiB } from './cache-sizing';
import { formatNumber } from './format-number';
import type { ApiPlan, BurnRateWindowPlan, CachePlan, DatabasePlan, MonitoringPlan, SaturationAlarmPlan, SaturationMetric, WriteQueuePlan } from './plan-types';
import { sized } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';


/** The burst step-scaling policy's alarm (one upper alarm; it has no scale-in steps). */
export const BURST_ALARMS = 1;
/** What each saturation signal measures, as the report and the alarm descriptions name it. */
export const SATURATION_LABELS: Readonly<Record<SaturationMetric, string>> = {
  apiCpuPct: 'API CPU (service average, %)',
  apiMemoryPct: 'API memory (service average, %)',
  dbWriterCpuPct: 'Aurora writer CPU (%)',
  dbReaderCpuPct: 'Aurora reader CPU (average of readers, %)',
  dbConnections: 'Database connections (cluster)',
  dbReplicaLagMs: 'Aurora replica lag (max, ms)',
  cacheMemoryPct: 'Redis memory used (% of maxmemory)',
  cacheEvictions: 'Redis evictions (per 5 min)',
  cacheHitRatePct: 'Redis hit rate (%)',
  wafBlockedRatePct: 'WAF blocked requests (% of all)',
  queueOldestMessageAgeSec: 'Write queue: age of the oldest message (s)',
  queueDeadLetterMessages: 'Write queue: messages in the dead-letter queue',
  dbGlobalReplicationLagMs: 'Aurora global database replication lag (max, ms)',
};

/** The SLO window the error budget is spent over. */
export const SLO_WINDOW_DAYS = 30;

/**
 * The SRE workbook's table for a 30-day SLO: budget share consumed when the long window fires, burn rate, windows.
 * Burn rate = budget share x SLO window / long window: 2 % in 1 h -> 14.4x; 5 % in 6 h -> 6x; 10 % in 3 d -> 1x.
 * The short window (1/12 of the long one) makes the alert reset soon after the burn stops.
 */
const BURN_RATE_TABLE: ReadonlyArray<{ severity: 'page' | 'ticket'; budgetSharePct: number; longWindowSec: number; shortWindowSec: number }> = [
  { severity: 'page', budgetSharePct: 2, longWindowSec: 3600, shortWindowSec: 300 },
  { severity: 'page', budgetSharePct: 5, longWindowSec: 6 * 3600, shortWindowSec: 1800 },
  { severity: 'ticket', budgetSharePct: 10, longWindowSec: 3 * 86400, shortWindowSec: 6 * 3600 },
];

/** Evaluation of a saturation alarm: sustained for 15 minutes, so a scale-out in progress does not open a ticket. */
const SATURATION_PERIOD_SEC = 300;
const SATURATION_PERIODS = 3;

/** Plans the alarms and dashboard of one phase. */
export function planMonitoring(
  model: Capacity,
  api: ApiPlan,
  database: DatabasePlan,
  cache: CachePlan,
  queue?: WriteQueuePlan,
  /** Aurora shards of the phase (sharding.shards): the database signals get one alarm per shard. */
  databaseShards = 1,
): { monitoring: MonitoringPlan; warnings: string[] } {
  const { slo } = model;
  // Rounded to whole parts per billion: 100 - 99.9 is 0.0999999... in floating point.
  const budgetRatio = roundRatio((100 - slo.availabilityPct) / 100);
  const windowMinutes = SLO_WINDOW_DAYS * 24 * 60;

  const warnings: string[] = [];
  const burnRateWindows: BurnRateWindowPlan[] = [];
  for (const row of BURN_RATE_TABLE) {
    const burnRate = ((row.budgetSharePct / 100) * (SLO_WINDOW_DAYS * 86400)) / row.longWindowSec;
    const thresholdRatio = roundRatio(budgetRatio * burnRate);
    // A loose SLO can make a fast-burn threshold 100 % errors or more: such an alarm could never fire, so it is left out.
    if (thresholdRatio >= 1) {
      warnings.push(
        `Monitoring: the ${oneDecimal(burnRate)}x burn-rate ${row.severity} over ${duration(row.longWindowSec)} is left out: with a ${fmtPct(budgetRatio)} error budget it would need ${fmtPct(thresholdRatio)} errors, so the slower windows alert instead`,
      );
      continue;
    }
    burnRateWindows.push({
      severity: row.severity,
      longWindowSec: row.longWindowSec,
      shortWindowSec: row.shortWindowSec,
      burnRate: sized(
        burnRate,
        `${row.budgetSharePct} % of the ${SLO_WINDOW_DAYS}-day budget in ${duration(row.longWindowSec)}: ${row.budgetSharePct} % x ${SLO_WINDOW_DAYS} d / ${duration(row.longWindowSec)} (SRE workbook)`,
      ),
      errorRatioThreshold: sized(
        thresholdRatio,
        `budget ${fmtPct(budgetRatio)} x burn rate ${oneDecimal(burnRate)}, over both ${duration(row.longWindowSec)} and ${duration(row.shortWindowSec)}`,
      ),
    });
  }

  const cpuCeiling = halfwayToFull(api.targetCpuPercent.value);
  const proxyCeiling = Math.floor((database.proxyMaxConnectionsPercent.value * database.maxConnections.value) / 100);
  // Per shard: in cluster mode each shard holds its share of the keys on its own primary, and fills or evicts alone.
  const plannedCacheMemoryPct = Math.min(100, (100 * cache.memoryPerShardGb.value) / usableCacheMemoryGiB(cache.nodeMemoryGiB.value));
  const shards = cache.shards.value;
  const ofShard = shards > 1 ? ` per shard (${shards} shards, one alarm each)` : '';
  const ofDbShard = databaseShards > 1 ? `; per Aurora shard (${databaseShards} shards, one alarm each)` : '';
  const saturationFor = (metric: SaturationAlarmPlan['metric'], tier: SaturationAlarmPlan['tier'], comparison: SaturationAlarmPlan['comparison'], threshold: number, why: string): SaturationAlarmPlan => ({
    metric,
    tier,
    comparison,
    threshold: sized(threshold, why),
    periodSec: SATURATION_PERIOD_SEC,
    evaluationPeriods: SATURATION_PERIODS,
  });

  const saturation: SaturationAlarmPlan[] = [
    saturationFor('apiCpuPct', 'api', 'above', cpuCeiling,
      `halfway from the scaling target ${api.targetCpuPercent.value} % to 100 %: held there, the autoscaler is at max tasks (${api.maxTasks.value}) or too slow`),
    saturationFor('apiMemoryPct', 'api', 'above', cpuCeiling,
      `tasks scale on CPU, not memory: memory above the CPU ceiling (${cpuCeiling} %) means the task size no longer fits the workload`),
    saturationFor('dbWriterCpuPct', 'database', 'above', model.policy.dbTargetCpuPct,
      `policy.dbTargetCpuPct: the writer is sized to stay below it at design peak (planned ${fmtPct(database.writerUtilization.value)}); seeds: "Database CPU consistently > 70 %" is the trigger to scale${ofDbShard}`),
    saturationFor('dbReaderCpuPct', 'database', 'above', model.policy.dbTargetCpuPct,
      `policy.dbTargetCpuPct: the ${database.readers.value} readers are sized to stay below it (planned ${fmtPct(database.readerUtilization.value)})${ofDbShard}`),
    saturationFor('dbConnections', 'database', 'above', Math.floor(proxyCeiling * 0.8),
      `80 % of the proxy ceiling (${database.proxyMaxConnectionsPercent.value} % of max_connections ${database.maxConnections.value} = ${proxyCeiling}): at the ceiling the proxy queues transactions; 20 % leaves time to raise it${ofDbShard}`),
    saturationFor('dbReplicaLagMs', 'database', 'above', slo.p95Ms,
      `the p95 SLO ${slo.p95Ms} ms: a reader further behind than one request's budget serves reads older than the write the user just made${ofDbShard}`),
    saturationFor('cacheMemoryPct', 'cache', 'above', halfwayToFull(Math.round(plannedCacheMemoryPct)),
      `halfway from the planned use (${fmt(cache.memoryPerShardGb.value)} GB${ofShard} = ${fmt(plannedCacheMemoryPct)} % of ${cache.nodeType.value}'s usable memory) to full: the working set has outgrown the plan`),
    saturationFor('cacheEvictions', 'cache', 'above', Math.max(1, Math.round((cache.opsPerSec.value / shards) * SATURATION_PERIOD_SEC * 0.01)),
      `1 % of the planned ${fmt(cache.opsPerSec.value / shards)} ops/s${ofShard} over ${SATURATION_PERIOD_SEC / 60} min: ${cache.maxmemoryPolicy.value} evicts by design, but this many means memory no longer holds the working set`),
    saturationFor('cacheHitRatePct', 'cache', 'below', Math.round(model.policy.cacheHitRatio * 100),
      `policy.cacheHitRatio${ofShard}: the readers are sized for ${fmt(model.policy.cacheHitRatio * 100)} % of origin reads answered by Redis; below it they take more reads than planned`),
    saturationFor('wafBlockedRatePct', 'edge', 'above', slo.errorRatePct,
      `the error-rate SLO ${slo.errorRatePct} %: the limits let legitimate bursts through, so more blocks mean an attack or a limit that hurts users (a blocked user sees an error)`),
    // The write queue's workers belong to the application tier: their alarms sit on the API row.
    ...(queue
      ? [
          saturationFor('queueOldestMessageAgeSec', 'api', 'above', queue.oldestMessageAlarmSec.value, queue.oldestMessageAlarmSec.why),
          saturationFor('queueDeadLetterMessages', 'api', 'above', 0,
            `any message in the dead-letter queue is a write that failed ${queue.maxReceiveCount.value} times: a bug to fix and a write to replay`),
        ]
      : []),
  ];

  const perShardOf = (s: SaturationAlarmPlan) => (s.tier === 'cache' ? shards : s.tier === 'database' ? databaseShards : 1);
  for (let i = 0; i < saturation.length; i++) {
    if (perShardOf(saturation[i]) > 1) saturation[i] = { ...saturation[i], perShard: perShardOf(saturation[i]) };
  }
  const latencyPage = { periodSec: 60, evaluationPeriods: 10, datapointsToAlarm: 8 };
  const nodes = 1 + cache.replicas.value;
  const { alarms, saturationAlarms, billedMetrics: alarmMetrics } = alarmTotals(saturation, burnRateWindows.length, nodes);
  const compositeAlarms = burnRateWindows.length;
  const monitoring: MonitoringPlan = {
    sloWindowDays: sized(SLO_WINDOW_DAYS, 'the SRE workbook\'s rolling window; budgets and burn rates are per 30 days'),
    latencyP95Ms: sized(slo.p95Ms, 'slo.p95Ms'),
    latencyAlarm: {
      ...latencyPage,
      why: `p95 target response time above ${slo.p95Ms} ms in ${latencyPage.datapointsToAlarm} of ${latencyPage.evaluationPeriods} one-minute periods: sustained, not one slow minute`,
    },
    availabilityPct: sized(slo.availabilityPct, 'slo.availabilityPct: non-5xx responses / all responses at the ALB'),
    errorBudgetRatio: sized(budgetRatio, `100 % - ${slo.availabilityPct} %`),
    errorBudgetMinutes: sized(budgetRatio * windowMinutes, `${fmtPct(budgetRatio)} of ${SLO_WINDOW_DAYS} days of full outage`),
    errorRatePct: sized(slo.errorRatePct, 'slo.errorRatePct: the load-test gate and the WAF alarm use it'),
    edge5xxRatePct: sized(
      slo.errorRatePct,
      `the error-rate SLO ${slo.errorRatePct} %, drawn on the dashboard's CloudFront 5xx graph. Not an alarm: CloudFront publishes only in us-east-1, an alarm must live in its metric's region, and the distribution is created in the regional stack after the us-east-1 edge stack; origin 5xx already reach the burn-rate alarms at the ALB`,
    ),
    burnRateWindows,
    saturation,
    alarmCount: sized(alarms, `${burnRateWindows.length} burn-rate pairs x 2 metric-math alarms + 1 latency alarm + ${saturationAlarms} saturation alarms${shards > 1 ? ` (the 3 cache alarms once per shard, ${shards} shards)` : ''} + ${BURST_ALARMS} burst-scaling alarm`),
    billedAlarmMetrics: sized(alarmMetrics, `metrics in the ${alarms} alarms' expressions (burn-rate alarms read 3, the WAF blocked rate 2, the cache alarms each of the ${nodes} nodes of ${shards > 1 ? 'their shard' : 'the group'}, the rest 1): CloudWatch bills each`),
    compositeAlarmCount: sized(compositeAlarms, 'one AllOf composite per burn-rate pair (long AND short window)'),
    dashboards: sized(1, 'one dashboard per phase stack, a row per tier (the edge row graphs us-east-1 cross-region), the SLO drawn as annotations'),
    logRetentionDays: sized(
      model.policy.logRetentionDays,
      `policy.logRetentionDays: one retention for every log group (application, PostgreSQL, Redis slow log, VPC flow logs, WAF), long enough for an incident found months later`,
    ),
  };
  return { monitoring, warnings };
}

/**
 * The alarms a region deploys beside its saturation signals, and the metrics CloudWatch bills for them: the latency
 * alarm, two metric-math alarms per burn-rate window, the saturation alarms (one per shard where `perShard`) and the
 * burst step-scaling policy's CPU alarm (peak-sizing.ts). CloudWatch bills a metric-math alarm per metric in its
 * expression: a burn-rate alarm reads target 5xx, ALB 5xx and requests; the WAF blocked rate reads blocked and
 * allowed; ElastiCache publishes per node, so the cache alarms read every node of their shard (`cacheNodes`; the hit
 * rate reads hits and misses per node while that stays within CloudWatch's 10 metrics per alarm, else each node's hit
 * rate); every other alarm reads one metric.
 */
export function alarmTotals(saturation: readonly SaturationAlarmPlan[], burnRateWindows: number, cacheNodes: number): { alarms: number; saturationAlarms: number; billedMetrics: number } {
  const alarmsOf = (s: SaturationAlarmPlan) => s.perShard ?? 1;
  const metricsOf: Partial<Record<SaturationMetric, number>> = {
    wafBlockedRatePct: 2,
    cacheMemoryPct: cacheNodes,
    cacheEvictions: cacheNodes,
    cacheHitRatePct: 2 * cacheNodes <= 10 ? 2 * cacheNodes : cacheNodes,
  };
  const saturationAlarms = saturation.reduce((n, s) => n + alarmsOf(s), 0);
  return {
    alarms: burnRateWindows * 2 + 1 + saturationAlarms + BURST_ALARMS,
    saturationAlarms,
    billedMetrics: burnRateWindows * 2 * 3 + 1 + saturation.reduce((n, s) => n + alarmsOf(s) * (metricsOf[s.metric] ?? 1), 0) + BURST_ALARMS,
  };
}

/** The saturation alarm of `metric` in a phase's monitoring plan (every plan has one per signal). */
export function saturationAlarmFor(monitoring: MonitoringPlan, metric: SaturationMetric): SaturationAlarmPlan {
  const alarm = monitoring.saturation.find((s) => s.metric === metric);
  if (!alarm) throw new Error(`the monitoring plan has no ${metric} alarm`);
  return alarm;
}

/** Halfway from a target utilisation to 100 %, rounded: the level at which "held at target" has clearly failed. */
function halfwayToFull(targetPct: number): number {
  return Math.round(targetPct + (100 - targetPct) / 2);
}

function roundRatio(ratio: number): number {
  return Math.round(ratio * 1e9) / 1e9;
}

function oneDecimal(n: number): string {
  return formatNumber(n, 1);
}

function fmtPct(ratio: number): string {
  return `${fmt(ratio * 100)} %`;
}

/** '1 h', '30 min', '3 d': a window as people say it. */
export function duration(sec: number): string {
  if (sec % 86400 === 0) return `${sec / 86400} d`;
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  return `${sec / 60} min`;
}
