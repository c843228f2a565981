/**
 * The plan: every number the stacks, charts and reports use, each with the one-line reason it has that value.
 */

/** A decided value and why it is what it is. */
export interface Sized<T = number> {
  readonly value: T;
  readonly why: string;
}

/** Shorthand for building a Sized value. */
export function sized<T>(value: T, why: string): Sized<T> {
  return { value, why };
}

/** The three phases of the roadmap. */
export type PhaseNumber = 1 | 2 | 3;

/** Traffic a phase must carry. */
export interface TrafficPlan {
  /** Daily peak RPS in this phase (today's peak x the phase multiple). */
  readonly peakRps: Sized;
  /** The daily average, which the seeds call the baseline. */
  readonly baselineRps: Sized;
  readonly flashSaleRps: Sized;
  /** The load the phase is designed for: the larger of the daily peak and the flash-sale peak. */
  readonly designPeakRps: Sized;
  /** Seeds' formula: peak x growth x safety margin. */
  readonly requiredCapacityRps: Sized;
  readonly readShare: Sized;
  /** Share of all requests that CloudFront answers without reaching the origin. */
  readonly cdnOffloadShare: Sized;
  readonly originDesignRps: Sized;
  readonly originBaselineRps: Sized;
  readonly originDesignReadRps: Sized;
  readonly designWriteRps: Sized;
}

/** The API tier on Fargate. */
export interface ApiPlan {
  /** How a task queues requests on its vCPUs ('per-worker': Node cluster, M/M/1 per worker; 'shared-queue': M/M/v). */
  readonly workerModel: Sized<'per-worker' | 'shared-queue'>;
  readonly rpsPerVcpu: Sized;
  readonly taskVcpu: Sized;
  readonly taskCpuUnits: Sized;
  readonly taskMemoryMiB: Sized;
  readonly rpsPerTaskAtTarget: Sized;
  readonly tasksAtDesignPeak: Sized;
  readonly minTasks: Sized;
  readonly maxTasks: Sized;
  /** Highest CPU % at which the predicted p95 (worker model + database/cache) meets the SLO; 0 when none does. */
  readonly sloMaxCpuPercent: Sized;
  /** Target tracking's CPU %: policy.apiTargetCpuPct, lowered below sloMaxCpuPercent by policy.apiSloCpuMarginPct. */
  readonly targetCpuPercent: Sized;
  readonly requestsPerTargetPerMinute: Sized;
  readonly scaleOutCooldownSec: Sized;
  readonly scaleInCooldownSec: Sized;
  readonly deregistrationDelaySec: Sized;
  readonly healthCheckIntervalSec: Sized;
  /** How long ECS ignores failing health checks of a new task. */
  readonly healthCheckGracePeriodSec: Sized;
  readonly utilizationAtDesignPeak: Sized;
  /** Database and cache time per request (p95), outside the CPU queue. */
  readonly downstreamP95Ms: Sized;
  /** p95 of the CPU queue plus service (Erlang C) at design peak. */
  readonly cpuQueueP95Ms: Sized;
  /** Predicted p95 response time at design peak. */
  readonly predictedP95Ms: Sized;
  /** SLO p95 minus the prediction. */
  readonly p95HeadroomMs: Sized;
  /** Predicted p95 at the daily baseline on min tasks. */
  readonly p95AtBaselineMs: Sized;
  /** Predicted p95 with every task held at the CPU target: the worst steady state from baseline to design peak. */
  readonly p95AtTargetMs: Sized;
}

/** Aurora PostgreSQL with RDS Proxy. */
export interface DatabasePlan {
  readonly workingSetGb: Sized;
  readonly storageGb: Sized;
  readonly writeQps: Sized;
  readonly readQps: Sized;
  readonly instanceClass: Sized<string>;
  readonly instanceVcpu: Sized;
  readonly instanceMemoryGiB: Sized;
  readonly writerUtilization: Sized;
  /** Seeds' formula: readers the read load needs at the target CPU (before the failover spare). */
  readonly readersForReadLoad: Sized;
  /** The reader rule (reader-rule.ts): the load's readers, + 1 spare unless the promoted writer can carry the reads, at least 1. */
  readonly readers: Sized;
  readonly readerUtilization: Sized;
  /** CPU share (0-1) of what carries the reads right after a writer failover: the readers left, or the promoted writer. */
  readonly readerUtilizationAfterFailover: Sized;
  readonly poolFormulaConnections: Sized;
  readonly peakConcurrentQueries: Sized;
  readonly connectionBudget: Sized;
  /** Connections each API task's pool opens to RDS Proxy (the app's DB_POOL_SIZE). */
  readonly clientPoolPerTask: Sized;
  readonly maxConnections: Sized;
  readonly proxyMaxConnectionsPercent: Sized;
  readonly proxyMaxIdleConnectionsPercent: Sized;
  readonly backupRetentionDays: Sized;
  readonly slowQueryLogMs: Sized;
  /** Daily backup window in the region's night, UTC `hh:mm-hh:mm` (windows.ts). */
  readonly backupWindow: Sized<string>;
  /** Weekly maintenance window in the region's night, UTC `ddd:hh:mm-ddd:hh:mm`. */
  readonly maintenanceWindow: Sized<string>;
}

/** ElastiCache Redis. */
export interface CachePlan {
  readonly workingSetGb: Sized;
  readonly requiredMemoryGb: Sized;
  readonly nodeType: Sized<string>;
  readonly nodeMemoryGiB: Sized;
  readonly opsPerSec: Sized;
  /** Writes every one of which lands on the primary: invalidations plus the SETs that fill misses. */
  readonly primaryWriteOpsPerSec: Sized;
  /** The primary's planned load as a share (0-1) of one node's ops/s (reads go to the replicas). */
  readonly primaryUtilization: Sized;
  readonly replicas: Sized;
  readonly maxmemoryPolicy: Sized<string>;
  /** Daily snapshot window in the region's night, UTC (windows.ts). */
  readonly snapshotWindow: Sized<string>;
  /** Weekly maintenance window in the region's night, UTC. */
  readonly maintenanceWindow: Sized<string>;
}

/** CloudFront caching. */
export interface CdnPlan {
  readonly staticTtlSec: Sized;
  readonly apiDefaultTtlSec: Sized;
  readonly apiMaxTtlSec: Sized;
  readonly staleWhileRevalidateSec: Sized;
  readonly apiCacheControl: Sized<string>;
  readonly staticPathPatterns: Sized<readonly string[]>;
  readonly cacheableApiPathPatterns: Sized<readonly string[]>;
  /**
   * How CloudFront reaches the ALB: 'https-only' (ALB listener on 443 with the regional certificate, TLS 1.2+) when the
   * model gives a domain; else 'http-only' on 80 inside the VPC, with the reason.
   */
  readonly originProtocol: Sized<'https-only' | 'http-only'>;
  /** The host name CloudFront uses for the origin (TLS server name), `origin.<domain.name>`; undefined without a domain. */
  readonly originDomainName: Sized<string | undefined>;
}

/** WAF rate-based rules: requests per IP per window. */
export interface WafPlan {
  readonly windowSec: Sized;
  readonly perIpAllLimit: Sized;
  readonly perIpWriteLimit: Sized;
  readonly perIpLoginLimit: Sized;
  readonly loginPathPrefix: Sized<string>;
  /** AWS managed rule groups evaluated after the rate rules. */
  readonly managedRuleGroups: Sized<readonly string[]>;
}

/** VPC shape. */
export interface NetworkPlan {
  readonly availabilityZones: Sized;
  readonly natGateways: Sized;
}

/** One multi-window burn-rate alert: fires when both windows burn the error budget faster than `burnRate`. */
export interface BurnRateWindowPlan {
  readonly severity: 'page' | 'ticket';
  readonly longWindowSec: number;
  readonly shortWindowSec: number;
  readonly burnRate: Sized;
  /** Error ratio (5xx / requests, 0-1) both windows must exceed: budget x burn rate. */
  readonly errorRatioThreshold: Sized;
}

/** The saturation signals the plan watches, one alarm each. */
export type SaturationMetric =
  | 'apiCpuPct'
  | 'apiMemoryPct'
  | 'dbWriterCpuPct'
  | 'dbReaderCpuPct'
  | 'dbConnections'
  | 'dbReplicaLagMs'
  | 'cacheMemoryPct'
  | 'cacheEvictions'
  | 'cacheHitRatePct'
  | 'wafBlockedRatePct';

/** A ticket when a resource leaves the range the plan sized it for. */
export interface SaturationAlarmPlan {
  readonly metric: SaturationMetric;
  readonly tier: 'edge' | 'api' | 'database' | 'cache';
  readonly comparison: 'above' | 'below';
  readonly threshold: Sized;
  readonly periodSec: number;
  readonly evaluationPeriods: number;
}

/** SLO alarms, burn-rate paging, saturation tickets and the dashboard of a phase. */
export interface MonitoringPlan {
  readonly sloWindowDays: Sized;
  readonly latencyP95Ms: Sized;
  readonly latencyAlarm: { readonly periodSec: number; readonly evaluationPeriods: number; readonly datapointsToAlarm: number; readonly why: string };
  readonly availabilityPct: Sized;
  /** Share of requests allowed to fail over the SLO window (0-1). */
  readonly errorBudgetRatio: Sized;
  readonly errorBudgetMinutes: Sized;
  readonly errorRatePct: Sized;
  /** CloudFront 5xx rate drawn on the dashboard (not an alarm: the reason is in `why`). */
  readonly edge5xxRatePct: Sized;
  readonly burnRateWindows: readonly BurnRateWindowPlan[];
  readonly saturation: readonly SaturationAlarmPlan[];
  /** Metric alarms the phase deploys (burn-rate, latency, saturation). */
  readonly alarmCount: Sized;
  /** Metrics across those alarms' expressions: what CloudWatch bills. */
  readonly billedAlarmMetrics: Sized;
  readonly compositeAlarmCount: Sized;
  readonly dashboards: Sized;
  /** Days every log group of the phase keeps its logs (API, PostgreSQL, Redis slow log, VPC flow logs, WAF): policy.logRetentionDays. */
  readonly logRetentionDays: Sized;
}

/** The FIS experiments a phase's gate runs during its soak. */
export interface ChaosPlan {
  /** Share of the API service's tasks stopped at once. */
  readonly apiTaskStopPercent: Sized;
  readonly databaseFailure: Sized<'cluster-failover' | 'reader-reboot'>;
  /** How long one AZ of the cache is without power. */
  readonly cacheInterruptionMinutes: Sized;
}

/** One line of the monthly bill. */
export interface CostLine {
  readonly item: string;
  readonly usd: number;
  /** How the amount was computed, with the usage and the unit price. */
  readonly basis: string;
}

/** Projected monthly cost of a phase. */
export interface CostPlan {
  readonly lines: readonly CostLine[];
  readonly totalUsd: number;
  /** The budget ceiling for this phase, in USD. */
  readonly ceilingUsd: Sized;
  /** The ceiling in the budget's currency. */
  readonly ceiling: Sized;
  readonly currency: string;
  readonly totalInCurrency: number;
  readonly priceTableVersion: string;
  /** Monthly cost per 1,000 RPS of daily peak, in the budget's currency. */
  readonly per1000PeakRps: number;
  /** Monthly cost per monthly active user, in the budget's currency (when the model gives users). */
  readonly perUser?: number;
  /** Why the phase fails the budget (cost, ceiling, biggest line items), or undefined when it fits. */
  readonly overrun?: string;
}

/**
 * One component's load at the design peak against the capacity of what the phase deploys. The planner returns no
 * phase with a verdict over its limit: it changes the architecture (shards, a queue, cluster mode) or fails, naming
 * the component, the load and the limit.
 */
export interface ComponentVerdict {
  /** e.g. 'Aurora writer CPU', 'Redis primary ops/s', 'API max tasks'. */
  readonly component: string;
  /** The unit both numbers are in, e.g. 'vCPU', 'ops/s', 'GiB', 'connections', 'tasks'. */
  readonly unit: string;
  /** The load at the design peak, with how it was computed. */
  readonly load: Sized;
  /** What the deployed component carries (at its target utilisation where one applies), with why. */
  readonly limit: Sized;
  /** load / limit. */
  readonly utilisation: number;
  /** utilisation <= 1. */
  readonly ok: boolean;
}

/** Everything one phase deploys, derived from the capacity model. */
export interface PhasePlan {
  readonly phase: PhaseNumber;
  /** e.g. 'Phase 2 (10x)'. */
  readonly label: string;
  /** Traffic multiple of today's peak. */
  readonly multiplier: number;
  readonly traffic: TrafficPlan;
  readonly api: ApiPlan;
  readonly database: DatabasePlan;
  readonly cache: CachePlan;
  readonly cdn: CdnPlan;
  readonly waf: WafPlan;
  readonly network: NetworkPlan;
  readonly monitoring: MonitoringPlan;
  readonly chaos: ChaosPlan;
  readonly cost: CostPlan;
  /** Limits the plan ran into (e.g. the writer outgrows the largest instance): shown in the summary and as synth warnings. */
  readonly warnings: readonly string[];
}
