import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { duration, SATURATION_LABELS } from '../lib/capacity';
import type { PhasePlan, SaturationAlarmPlan, SaturationMetric } from '../lib/capacity';
import type { ApiTier } from '../lib/constructs/api-tier';
import type { AuroraGlobalSecondary } from '../lib/constructs/aurora-global-secondary';
import type { AuroraPostgres } from '../lib/constructs/aurora-postgres';
import type { Cdn } from '../lib/constructs/cdn';
import type { RedisCache } from '../lib/constructs/redis-cache';
import { SaturationAlarm, SloDashboardGraph, SloMonitoring } from '../lib/constructs/slo-monitoring';
import type { WebAcl } from '../lib/constructs/web-acl';
import type { WriteQueue } from '../lib/constructs/write-queue';

/** The construct id of the monitoring in both stacks: part of every alarm's logical id, so it never changes. */
export const MONITORING_ID = 'Slo';

/** The regional constructs whose metrics the alarms watch. */
export interface MonitoredTiers {
  readonly api: ApiTier;
  /** Shard 0, the cluster every phase keeps. */
  readonly database: AuroraPostgres;
  /** Every Aurora shard, shard 0 first (PhaseStack.shards): database alarms watch each when the plan has several. */
  readonly databaseShards?: readonly AuroraPostgres[];
  /** The cache the plan sized (the cluster-mode group when the phase has one). */
  readonly cache: RedisCache;
  /** The distribution, when the phase has one (plan.edge CLOUDFRONT). */
  readonly cdn?: Cdn;
  /** The web ACL: a us-east-1 one is graphed cross-region (its alarm is in the edge stack); a REGIONAL one is alarmed here. */
  readonly webAcl: WebAcl;
  /** The write queue, in phases that have one. */
  readonly writeQueue?: WriteQueue;
  /** A secondary region's Aurora global secondary (its replication lag against the RPO). */
  readonly globalSecondary?: AuroraGlobalSecondary;
}

/** 'dbWriterCpuPct' -> 'DbWriterCpuPct', the alarm's construct id. */
const alarmId = (metric: SaturationMetric) => metric.charAt(0).toUpperCase() + metric.slice(1);

/** The tier a signal needs, or an error naming it (an edge alarm is built where the API tier does not exist). */
function tier<T>(value: T | undefined, name: string, metric: SaturationMetric): T {
  if (!value) throw new Error(`the ${metric} alarm needs the ${name} construct, which this stack does not have`);
  return value;
}

/** The metric each saturation signal of the plan is measured by, at the plan's period. */
function saturationMetric(metric: SaturationMetric, tiers: Partial<MonitoredTiers>, period: Duration, shard?: number): cloudwatch.IMetric {
  const api = () => tier(tiers.api, 'API tier', metric);
  // Database shards are numbered from 0 (Database, DatabaseShard1, ...), cache shards from 1 (as ElastiCache does).
  const database = () => (shard === undefined ? tier(tiers.database, 'database', metric) : tier(tiers.databaseShards?.[shard], `database shard ${shard}`, metric));
  const cache = () => tier(tiers.cache, 'cache', metric);
  const webAcl = () => tier(tiers.webAcl, 'web ACL', metric);
  const writeQueue = () => tier(tiers.writeQueue, 'write queue', metric);
  switch (metric) {
    case 'apiCpuPct':
      return api().metricCpuUtilization({ period });
    case 'apiMemoryPct':
      return api().metricMemoryUtilization({ period });
    case 'dbWriterCpuPct':
      return database().metricWriterCpuUtilization({ period });
    case 'dbReaderCpuPct':
      return database().metricReaderCpuUtilization({ period });
    case 'dbConnections':
      return database().metricDatabaseConnections({ period, statistic: 'Maximum' });
    case 'dbReplicaLagMs':
      return database().metricReplicaLag({ period });
    case 'cacheMemoryPct':
      return cache().metricMemoryUsagePercent({ period }, shard);
    case 'cacheEvictions':
      return cache().metricEvictions({ period }, shard);
    case 'cacheHitRatePct':
      return cache().metricCacheHitRate({ period }, shard);
    case 'wafBlockedRatePct':
      return new cloudwatch.MathExpression({
        expression: '100 * FILL(blocked, 0) / (FILL(blocked, 0) + FILL(allowed, 0))',
        usingMetrics: { blocked: webAcl().metricBlockedRequests({ period }), allowed: webAcl().metricAllowedRequests({ period }) },
        label: 'WAF blocked (% of requests)',
        period,
      });
    case 'queueOldestMessageAgeSec':
      return writeQueue().metricOldestMessageAge({ period });
    case 'queueDeadLetterMessages':
      return writeQueue().metricDeadLetterMessages({ period });
    case 'dbGlobalReplicationLagMs':
      return tier(tiers.globalSecondary, 'Aurora global secondary', metric).metricGlobalReplicationLag({ period });
  }
}

/**
 * One saturation signal of the plan as SloMonitoring alarms (tickets: the SLO alarms page): one, or one per cache
 * shard. Shard 1 keeps the signal's id, so a group that moves to cluster mode modifies its alarms and removes none.
 */
/**
 * Per-shard alarms get a dashboard graph each up to this many shards: one dashboard row holds 3 graphs, and each
 * per-shard graph names every node's metrics. Beyond it (a 38-shard cluster: 114 graphs, ~230 KB of a template
 * CloudFormation caps at 1 MB) they are lines of the dashboard's alarm-status widget only.
 */
export const MAX_GRAPHED_SHARDS = 4;

function saturationAlarms(s: SaturationAlarmPlan, tiers: Partial<MonitoredTiers>): SaturationAlarm[] {
  if (s.perShard === undefined) return [saturationAlarm(s, tiers)];
  const first = firstShard(s);
  return Array.from({ length: s.perShard }, (_, i) => saturationAlarm(s, tiers, first + i));
}

/** Aurora shards count from 0 (shard 0 is the cluster every phase keeps), ElastiCache's from 1. */
const firstShard = (s: SaturationAlarmPlan) => (s.tier === 'database' ? 0 : 1);

/** Which shard an alarm watches, as its description says it. */
function shardLabel(s: SaturationAlarmPlan, shard: number): string {
  return s.tier === 'database' ? `, Aurora shard ${shard} (${shard === 0 ? 'Database' : `DatabaseShard${shard}`}) of ${s.perShard}` : `, shard ${shard} of ${s.perShard}`;
}

function saturationAlarm(s: SaturationAlarmPlan, tiers: Partial<MonitoredTiers>, shard?: number): SaturationAlarm {
  const period = Duration.seconds(s.periodSec);
  return {
    // The first shard keeps the signal's id: a phase that adds shards adds alarms and modifies none.
    id: alarmId(s.metric) + (shard !== undefined && shard > firstShard(s) ? `Shard${shard}` : ''),
    tier: s.tier,
    metric: saturationMetric(s.metric, tiers, period, shard),
    threshold: s.threshold.value,
    comparison: s.comparison === 'above' ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: s.evaluationPeriods,
    severity: 'ticket',
    description: `${SATURATION_LABELS[s.metric]}${shard !== undefined ? shardLabel(s, shard) : ''} ${s.comparison} ${s.threshold.value} for ${duration(s.periodSec * s.evaluationPeriods)}. Why this threshold: ${s.threshold.why}. Runbook: section 12 of the roadmap report.`,
    dashboard: (s.perShard ?? 1) > MAX_GRAPHED_SHARDS ? 'status' : 'graph',
  };
}

/** The regional SLO alarms, burn-rate alerts, saturation tickets and dashboard of a phase, all from its monitoring plan. */
export function addPhaseMonitoring(scope: Construct, plan: PhasePlan, dashboardName: string, tiers: MonitoredTiers): SloMonitoring {
  const m = plan.monitoring;
  const { api, cdn, webAcl } = tiers;
  const edgeGraphs: SloDashboardGraph[] = [
    // CloudFront and a CLOUDFRONT web ACL publish in us-east-1 only: graphed here cross-region; that WAF alarm lives in the edge stack.
    ...(cdn
      ? [
          { tier: 'edge' as const, title: `CloudFront 5xx rate (%) - dashboard threshold ${m.edge5xxRatePct.value} %`, metrics: [cdn.metric5xxErrorRate()] },
          { tier: 'edge' as const, title: 'CloudFront cache hit rate (%)', metrics: [cdn.metricCacheHitRate()] },
        ]
      : []),
    { tier: 'edge', title: 'WAF blocked / allowed requests', metrics: [webAcl.metricBlockedRequests(), webAcl.metricAllowedRequests()] },
  ];
  // A REGIONAL web ACL publishes in this region, so its alarm lives here (edge-tier alarms otherwise go to the edge stack).
  const alarmedHere = (s: SaturationAlarmPlan) => s.tier !== 'edge' || webAcl.scope === 'REGIONAL';
  return new SloMonitoring(scope, MONITORING_ID, {
    ...sloAlarms(plan, dashboardName, api),
    saturationAlarms: m.saturation.filter(alarmedHere).flatMap((s) => saturationAlarms(s, tiers)),
    dashboardGraphs: edgeGraphs,
  });
}

/** The SLO alarms of a region (latency page, burn-rate pairs), from the phase's monitoring plan, on its load balancer. */
function sloAlarms(plan: PhasePlan, dashboardName: string, api: ApiTier) {
  const m = plan.monitoring;
  const latencyPeriod = Duration.seconds(m.latencyAlarm.periodSec);
  return {
    dashboardName,
    latencyMetric: api.metricTargetResponseTimeP95({ period: latencyPeriod }),
    latencyThresholdMs: m.latencyP95Ms.value,
    latencyEvaluationPeriods: m.latencyAlarm.evaluationPeriods,
    latencyDatapointsToAlarm: m.latencyAlarm.datapointsToAlarm,
    latencySeverity: 'page' as const,
    badEventsMetric: api.metric5xxCount(),
    validEventsMetric: api.metricRequestCount({ statistic: 'Sum' }),
    availabilityTargetPercent: m.availabilityPct.value,
    burnRateWindows: m.burnRateWindows.map((w) => ({
      severity: w.severity,
      longWindow: Duration.seconds(w.longWindowSec),
      shortWindow: Duration.seconds(w.shortWindowSec),
      burnRate: w.burnRate.value,
    })),
  };
}

/**
 * A secondary region's SLO alarms, saturation tickets (API, cache, global replication lag against the RPO) and
 * dashboard, from plan.regions.monitoring: it serves traffic and takes all of it on failover, so it pages as the
 * primary does, on its own topics.
 */
export function addSecondaryMonitoring(scope: Construct, plan: PhasePlan, dashboardName: string, tiers: Pick<MonitoredTiers, 'api' | 'cache' | 'globalSecondary'>): SloMonitoring {
  const alarms = plan.regions.monitoring;
  if (!alarms) throw new Error(`${plan.label} has no secondary region, so no secondary monitoring plan`);
  return new SloMonitoring(scope, MONITORING_ID, {
    ...sloAlarms(plan, dashboardName, tiers.api),
    saturationAlarms: alarms.saturation.flatMap((s) => saturationAlarms(s, tiers)),
  });
}

/**
 * The us-east-1 alarms of a phase (WAF's metrics exist only there, and an alarm must live in its metric's region),
 * with their own topics; their graphs are on the regional dashboard, so no second dashboard.
 */
export function addEdgeMonitoring(scope: Construct, plan: PhasePlan, tiers: Pick<MonitoredTiers, 'webAcl'>): SloMonitoring {
  const edgeAlarms = plan.monitoring.saturation.filter((s) => s.tier === 'edge');
  return new SloMonitoring(scope, MONITORING_ID, {
    createDashboard: false,
    saturationAlarms: edgeAlarms.flatMap((s) => saturationAlarms(s, tiers)),
  });
}
