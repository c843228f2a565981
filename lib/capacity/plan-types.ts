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
  /** Database and cache time per request (p95), outside the CPU queue, including `calibratedExtraMs`. */
  readonly downstreamP95Ms: Sized;
  /** Mean non-CPU time per request inferred from today's measured p95 (calibration.ts), carried into this phase; 0 when none. */
  readonly calibratedExtraMs: Sized;
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

/** One step of the burst (step-scaling) policy: from this API CPU % up, add this % of the running tasks. */
export interface BurstStep {
  readonly lowerCpuPercent: number;
  readonly changePercent: number;
}

/** A scheduled action pair for a known event: raise min tasks ahead of it, lower them after. */
export interface ScheduledScalingPlan {
  readonly name: string;
  /** UTC, to the minute (YYYY-MM-DDTHH:MMZ). */
  readonly raiseAtUtc: Sized<string>;
  readonly lowerAtUtc: Sized<string>;
  readonly minTasks: Sized;
}

/** Known peaks and bursts (peak-sizing.ts): how fast the tier grows against how fast a spike arrives. */
export interface PeakPlan {
  readonly spikeRampSec: Sized;
  /** Seconds from min tasks to design-peak tasks with target tracking alone (the faster of CPU and request count). */
  readonly targetTrackingSecToDesignPeak: Sized;
  /** The same with the step policy alone. */
  readonly stepScalingSecToDesignPeak: Sized;
  /** With every policy (the largest capacity wins). */
  readonly secToDesignPeak: Sized;
  readonly catchesUp: Sized<boolean>;
  /** What min tasks carry at 100 % CPU while the fleet grows. */
  readonly capacityAtMinTasksRps: Sized;
  readonly burstSteps: Sized<readonly BurstStep[]>;
  readonly burstCooldownSec: Sized;
  readonly scheduled: Sized<readonly ScheduledScalingPlan[]>;
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
  /** Each shard primary's planned load as a share (0-1) of one node's ops/s (reads go to the replicas); one shard without cluster mode. */
  readonly primaryUtilization: Sized;
  /** Replicas per shard (the one shard's replicas without cluster mode). */
  readonly replicas: Sized;
  readonly maxmemoryPolicy: Sized<string>;
  /** Cluster mode (shards split keys, writes and memory) when one primary cannot hold the writes or the memory, or 1 + 5 replicas the ops. */
  readonly clusterMode: Sized<boolean>;
  /** Shards (node groups): 1 without cluster mode. */
  readonly shards: Sized;
  /** Every node the cache deploys: shards x (1 primary + replicas per shard). */
  readonly nodes: Sized;
  /** Writes each shard's primary takes (keys hash evenly over the 16,384 slots): what a per-shard verdict checks against one node. */
  readonly primaryWriteOpsPerShard: Sized;
  /** Memory each shard must hold (GB): what a per-shard verdict checks against one node's usable memory. */
  readonly memoryPerShardGb: Sized;
  /**
   * With cluster mode: the cluster-mode-disabled group earlier phases deployed, kept beside the new cluster (same
   * logical id, not replaced) until the cut-over is done and a later release retires it. Sized as one primary at most
   * can be (capped), billed, and not what the plan relies on.
   */
  readonly singlePrimaryGroup?: { readonly nodeType: Sized<string>; readonly nodeMemoryGiB: Sized; readonly replicas: Sized };
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

/** Where the service meets the internet: CloudFront in front of an internal ALB, or the ALB itself. */
export type EdgeMode = 'CLOUDFRONT' | 'REGIONAL';

/** Whether CloudFront earns its cost in a phase (edge-decision.ts), with the numbers. */
export interface EdgePlan {
  /** CLOUDFRONT: a distribution and a us-east-1 web ACL; REGIONAL: the web ACL on an internet-facing ALB, no distribution. */
  readonly mode: Sized<EdgeMode>;
  /** Share of all requests CloudFront would answer without reaching the origin. */
  readonly offloadShare: Sized;
  /** CloudFront's own monthly lines (requests + data out), USD. */
  readonly cloudFrontUsd: Sized;
  /** CloudFront's lines as a share (0-1) of the phase's bill with CloudFront. */
  readonly cloudFrontBillShare: Sized;
  /** The phase's monthly bill with CloudFront minus without it (after the origin it saves and the ALB egress it replaces), USD. */
  readonly extraCostUsd: Sized;
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
  | 'wafBlockedRatePct'
  | 'queueOldestMessageAgeSec'
  | 'queueDeadLetterMessages'
  /** A secondary region's only: how far its Aurora global secondary trails the primary (AuroraGlobalDBReplicationLag). */
  | 'dbGlobalReplicationLagMs';

/** A ticket when a resource leaves the range the plan sized it for. */
export interface SaturationAlarmPlan {
  readonly metric: SaturationMetric;
  readonly tier: 'edge' | 'api' | 'database' | 'cache';
  readonly comparison: 'above' | 'below';
  readonly threshold: Sized;
  readonly periodSec: number;
  readonly evaluationPeriods: number;
  /**
   * One alarm per shard, this many: cache signals in cluster mode (a shard fills or evicts on its own; shards numbered
   * from 1, as ElastiCache names them) and database signals with several Aurora shards (each writer, reader pool and
   * proxy carries its own share; shards numbered from 0, as the stack's DatabaseShard<n> constructs and the shard map).
   */
  readonly perShard?: number;
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

/**
 * How the write-heavy table is split across Aurora clusters. One shard means no sharding: the phase's one cluster.
 * Every shard is an identical cluster (the DatabasePlan describes one of them); shard 0 is the original cluster.
 */
export interface ShardingPlan {
  /** Number of Aurora clusters (a power of two: hash ranges split in halves when the count doubles). */
  readonly shards: Sized;
  /** The table split across the shards (model: workload.primaryTable). */
  readonly table: Sized<string>;
  /** The column whose hash picks the shard (model: workload.partitionKey). */
  readonly shardKey: Sized<string>;
  /** Write queries/s one writer carries at policy.dbTargetCpuPct on the largest class: the per-shard ceiling. */
  readonly perWriterCapacityQps: Sized;
  /** Write queries/s the shards carry together at the design peak (the synchronous writes plus the queue's drain). */
  readonly totalWriteQps: Sized;
  readonly writeQpsPerShard: Sized;
  readonly readQpsPerShard: Sized;
  /**
   * Readers of shard 0, the cluster every phase keeps: sized for all of the phase's reads, because until the last hash
   * range is cut over (and for the unsharded shared reads and cross-shard fan-out after it) shard 0 serves them.
   * Equal to `database.readers` without sharding.
   */
  readonly shardZeroReaders: Sized;
  /** SSM path of the shard map the application reads: <prefix>/count, <prefix>/<n>/proxy-endpoint, ... */
  readonly ssmPrefix: Sized<string>;
}

/** Queue-based load levelling of the writes the model says may be asynchronous (SQS + a worker Fargate service). */
export interface WriteQueuePlan {
  /** Which writes go through the queue, in the model's words (workload.asyncWrites). */
  readonly asyncWrites: Sized<string>;
  /** Share (0-1) of the writes that go through the queue. */
  readonly asyncShare: Sized;
  /** Messages/s the API enqueues at the design peak (a flash sale). */
  readonly producerRatePerSec: Sized;
  /** Messages/s the API enqueues at the daily peak (no flash sale). */
  readonly dailyPeakProducerRatePerSec: Sized;
  /** Messages/s the workers process at max tasks: what the database sees from the queue. */
  readonly consumerRatePerSec: Sized;
  /** Writes/s that stay synchronous at the design peak: what the writer sizes for, besides the consumer rate. */
  readonly syncWriteRps: Sized;
  readonly messageProcessingMs: Sized;
  readonly messagesPerTaskPerSec: Sized;
  readonly minWorkers: Sized;
  readonly maxWorkers: Sized;
  /** Target tracking's target: visible messages per running worker (AWS: acceptable latency / processing time). */
  readonly backlogPerTaskTarget: Sized;
  /** Messages queued at the end of a flash-sale burst (producer above the consumer for the burst's length). */
  readonly burstBacklogMessages: Sized;
  /** Time to empty that backlog once traffic is back at the daily peak. */
  readonly drainTimeSec: Sized;
  readonly maxReceiveCount: Sized;
  readonly retentionSec: Sized;
  readonly deadLetterRetentionSec: Sized;
  readonly visibilityTimeoutSec: Sized;
  /** Alarm threshold on ApproximateAgeOfOldestMessage. */
  readonly oldestMessageAlarmSec: Sized;
  readonly workerCpuUnits: Sized;
  readonly workerMemoryMiB: Sized;
}

/** The regions a phase runs in, how traffic and writes reach them, and the recovery they give. */
export interface RegionsPlan {
  readonly primary: Sized<string>;
  /** Secondary regions this phase deploys (empty before aws.secondaryRegionsFromPhase). */
  readonly secondaries: Sized<readonly string[]>;
  /** Each region's planned share of traffic in normal operation (0-1). */
  readonly trafficSharePerRegion: Sized;
  /** Whether each region is sized to take every other region's traffic on failover. */
  readonly sizedForFailover: Sized<boolean>;
  /** How a secondary region's writes reach the writer: Aurora global write forwarding, or the app sends them to the primary. */
  readonly writeRouting: Sized<'write-forwarding' | 'primary'>;
  readonly rpoTargetSec: Sized;
  readonly rpoAchievedSec: Sized;
  readonly rtoTargetSec: Sized;
  readonly rtoAchievedSec: Sized;
  /** Seconds until Route 53 drops a failed region: its ALB's unhealthy threshold x health-check interval (alias target health). */
  readonly failoverDetectSec: Sized;
  /** The alarms each secondary region deploys (absent without secondary regions). */
  readonly monitoring?: SecondaryMonitoringPlan;
}

/** The SLO and saturation alarms of one secondary region (lib/capacity/secondary-monitoring.ts). */
export interface SecondaryMonitoringPlan {
  readonly saturation: readonly SaturationAlarmPlan[];
  readonly alarmCount: Sized;
  readonly billedAlarmMetrics: Sized;
  readonly compositeAlarmCount: Sized;
  readonly dashboards: Sized;
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
  /** Scheduled scaling for known events and the step policy for bursts. */
  readonly peaks: PeakPlan;
  /** One shard's Aurora cluster (every shard is the same); `sharding.shards` says how many. */
  readonly database: DatabasePlan;
  readonly sharding: ShardingPlan;
  /** The write queue and its workers, in the phases that need them (absent otherwise). */
  readonly queue?: WriteQueuePlan;
  readonly cache: CachePlan;
  readonly cdn: CdnPlan;
  /** CloudFront or the ALB at the edge: the stacks, the cost and the report follow it. */
  readonly edge: EdgePlan;
  readonly waf: WafPlan;
  readonly network: NetworkPlan;
  readonly monitoring: MonitoringPlan;
  readonly chaos: ChaosPlan;
  readonly regions: RegionsPlan;
  readonly cost: CostPlan;
  /** Every component's load at the design peak against its limit (feasibility.ts): all ok, or the planner threw. */
  readonly feasibility: readonly ComponentVerdict[];
  /** Limits the plan ran into (e.g. the writer outgrows the largest instance): shown in the summary and as synth warnings. */
  readonly warnings: readonly string[];
}
