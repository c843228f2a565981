/**
 * Defaults of the capacity model, in one place.
 *
 * CAPACITY_DEFAULTS: the sizing policy a user may leave out (margins, targets, per-node capacities).
 * DEFAULT_MODEL: the embedded example, the seeds' order-management monolith.
 */
import type { CacheCutoverStage, CacheEvictionPolicy } from './catalog';
import type { CapacityInput } from './schema';

/** Policy defaults: each one is a rule of thumb from the seeds or from AWS guidance, with the reason. */
export const CAPACITY_DEFAULTS = {
  service: {
    /** A public placeholder image, referenced by name: synthesis never builds or pulls an image. */
    containerImage: 'public.ecr.aws/nginx/nginx-unprivileged:stable',
    /** nginx-unprivileged listens on 8080: a non-root process cannot bind ports below 1024. */
    containerPort: 8080,
    /** The uid nginx-unprivileged runs as: never root, so a compromised process cannot own the container. */
    containerUser: '101',
    /**
     * The root filesystem is read-only; these paths are writable (ephemeral task volumes): nginx's pid file, caches
     * and temporary files. Give your image's own (e.g. only /tmp).
     */
    writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] as readonly string[],
    healthCheckPath: '/',
    /** Time from task start to passing its first health check (image pull + boot). */
    taskStartupSec: 60,
    /** ALB health checks every 15 s: a new task is healthy after two passes, ~30 s after it starts listening. */
    healthCheckIntervalSec: 15,
    /** The longest request the API lets run; connection draining waits this long. */
    requestTimeoutSec: 30,
    /**
     * Seeds' Phase 1: Node's `cluster` module, one single-threaded worker per vCPU. It hands connections round-robin
     * to workers, so each worker queues on its own (M/M/1 per worker); 'shared-queue' (M/M/v) fits a multi-threaded server.
     */
    workerModel: 'per-worker' as 'per-worker' | 'shared-queue',
  },
  aws: {
    /** A placeholder account: `cdk deploy` refuses to run against any other account's credentials. */
    account: '123456789012',
    availabilityZones: 3,
    /** Neutral: one region unless the model asks for more (each extra region is a full stack and a bill). */
    secondaryRegions: [] as readonly string[],
    /** Seeds: multi-region is phase 3 ("sharding, queues, multi-region ~16 weeks"). */
    secondaryRegionsFromPhase: 3,
  },
  current: {
    /** An order page: order, items, customer, shipment. */
    dbQueriesPerRead: 4,
    /** Placing an order: insert order, insert items, update stock, write the outbox event. */
    dbQueriesPerWrite: 4,
    /** Average query time; with Little's law it gives concurrent connections. */
    dbQueryMs: 5,
    /** A new cluster-mode cache starts cold: the app dual-writes until the operator flips it (runbook). */
    cacheCutover: 'dual-write' as CacheCutoverStage,
  },
  growth: {
    /** Data grows with the square root of traffic: more users add orders, but the catalog stays put. */
    dataGrowthExponent: 0.5,
  },
  peakPattern: {
    /** Flash sales last a few hours a month: they set max capacity but barely move the monthly bill. */
    flashSaleHoursPerMonth: 8,
    /** One flash sale holds its peak for about an hour (8 h a month: about 8 sales). */
    flashSaleBurstMinutes: 60,
    /** A flash sale announced for a fixed time: the crowd arrives within a minute. */
    spikeRampSec: 60,
    /** Raise min tasks 15 minutes ahead: several task start-ups and health checks, with time to notice a failed one. */
    eventLeadMinutes: 15,
  },
  slo: {
    availabilityPct: 99.9,
  },
  workload: {
    /** Neutral defaults: a plan for a ticketing or telemetry service must not talk about orders. */
    primaryTable: 'records',
    partitionKey: 'tenant_id',
    criticalWrite: 'the primary write',
    sharedReads: 'shared reference data',
    /** Neutral: no write is deferred unless the model says which ones may be. */
    asyncWriteShare: 0,
    asyncWrites: 'deferred follow-up writes',
    /** A few queries and one downstream call per message. */
    asyncMessageMs: 200,
    /** A deferred write done within a minute is invisible to most users. */
    asyncLatencySec: 60,
  },
  policy: {
    /** Seeds: "Required Capacity = Peak Traffic x Growth Factor x Safety Margin", margin 1.5. */
    safetyMargin: 1.5,
    /**
     * Seeds: HPA "at 65% CPU"; the headroom absorbs the minute autoscaling needs to react. A ceiling: the plan lowers
     * a phase's target when its p95 at 65 % would miss the SLO (api-sizing.ts).
     */
    apiTargetCpuPct: 65,
    /**
     * Target tracking lets CPU run above its target while new tasks start (one scale-out cooldown, ~90 s): the target
     * stays this many percentage points below the highest CPU at which the predicted p95 meets the SLO.
     */
    apiSloCpuMarginPct: 5,
    /** Above this many tasks the plan moves to bigger tasks: fewer DB client pools, faster deployments. */
    maxTasksPerService: 100,
    /** Node.js: one worker per vCPU (cluster module), about 1.5 GiB heap each plus runtime. */
    memoryMiBPerVcpu: 2048,
    /** Two tasks so one can fail or be replaced while the other serves. */
    minTasks: 2,
    /** Seeds: "Database CPU consistently > 70%" is the trigger to scale the database. */
    dbTargetCpuPct: 70,
    /** Indexed reads on Graviton3; seeds' example: 3,000 reads/s per replica (a 4-vCPU reader at 70 % gives 4,200). */
    dbReadQpsPerVcpu: 1500,
    /** Writes cost WAL, index maintenance and row locks: about half a read's throughput. */
    dbWriteQpsPerVcpu: 750,
    /** Aurora PostgreSQL gives about 3/4 of instance memory to its buffer cache. */
    dbBufferCacheShare: 0.75,
    /** Seeds: pool = cores x 2 + effective_spindle_count; SSD-backed storage counts as one spindle. */
    effectiveSpindles: 1,
    /** Share of origin reads answered by Redis (seeds: hit-ratio targets of 80-95 %; the low end until proven). */
    cacheHitRatio: 0.8,
    /** Share of cacheable GETs answered by CloudFront without reaching the origin. */
    cdnHitRatio: 0.9,
    /**
     * CloudFront is kept when it answers at least 5 % of requests (or serves static assets, or pays for itself): below
     * that it is a toll on every request, and the web ACL runs on the load balancer instead (Shield Standard covers both).
     */
    edgeMinOffloadShare: 0.05,
    /** Seeds: "Redis memory = working set x 1.5" for Redis data-structure overhead. */
    cacheOverheadFactor: 1.5,
    /** Simple GET/SET on one Graviton3 node; Redis runs commands on one thread, so this is per node. */
    cacheOpsPerSecPerNode: 80_000,
    /** Seeds: "Redis maxmemory-policy allkeys-lru": a cache, not a store; when full, evict the least recently used key. */
    cacheEvictionPolicy: 'allkeys-lru' as CacheEvictionPolicy,
    /** Two weeks of point-in-time recovery (AWS requires >= 1; this library requires >= 7). */
    backupRetentionDays: 14,
    /**
     * A year of logs: incidents and audits look back months (NIST 800-53 AU-11 asks for a defined retention), and stored
     * logs are compressed and cheap (about 0.03 USD per GB-month). One value for every log group.
     */
    logRetentionDays: 365 as number,
    /** One structured log line per request, about 100 bytes after sampling successful requests. */
    logBytesPerRequest: 100,
    /** A Redis GET inside one region: well under a millisecond, 1 ms with the client. */
    cacheLatencyMs: 1,
    /** Seeds: Phase 1 is "this sprint" (2 weeks); replicas + CDN + HPA ~6 weeks; sharding, queues, multi-region ~16. */
    leadTimeWeeks: [2, 6, 16] as readonly [number, number, number],
  },
  clients: {
    /** A busy legitimate user or integration: a page load fans out to ~5 API calls per second. */
    peakRpsPerClient: 5,
    /** Legitimate clients burst to 4x their usual peak (retries, tab restores) without being blocked. */
    burstFactor: 4,
    loginPathPrefix: '/api/auth',
    /** Credential stuffing shows as many attempts per IP; people rarely retry a login 20 times a minute. */
    loginAttemptsPerMinute: 20,
    /** WAF counts requests over this window; 5 minutes smooths bursts without letting floods run long. */
    rateWindowSec: 300 as 60 | 120 | 300 | 600,
  },
  cdn: {
    staticPathPatterns: ['/static/*', '/assets/*'],
    /** Neutral: one prefix for the GETs that are the same for every user (the embedded model keeps the seeds' paths). */
    cacheableApiPathPatterns: ['/api/public/*'],
    /** Static assets are content-addressed (hash in the file name), so they can be cached for a year. */
    staticTtlSec: 31_536_000,
    /** Seeds: "CDN + 60s ISR" for the catalog. */
    apiStalenessSec: 60,
  },
} as const;

/**
 * The embedded default model: the seeds' order-management monolith.
 *
 * From the seeds: single Express process + one Postgres primary, ~800 RPS at peak, p95 280 ms,
 * +30 %/month, flash-sale spikes to 6x baseline, budget ceiling 4k EUR/month, SLO p95 < 500 ms and errors < 0.5 %.
 *
 * Chosen here because the seeds leave them open (change them to your measurements):
 * - region eu-central-1: the budget is in EUR, Frankfurt is the usual EU region.
 * - cpuMsPerRequest 1.25: the seeds' bottleneck #1 is "CPU 1 core pinned at peak" at ~800 RPS, so one core serves ~800 RPS.
 * - readsPerWrite 9: an order system is read-heavy (browsing, order status), and writes contend on `orders` (bottleneck #2).
 * - cdnCacheableGetShare 0.4: bottleneck #3, "catalog re-rendered per request", is the part of GETs a CDN can serve.
 * - avgResponseKb 8: JSON API responses.
 * - workingSetGb 2.5, databaseSizeGb 120: the seeds' 4 GB Redis catalog cache ~ 2.5 GB working set x 1.5.
 * - dailyPeakToAverage 2.5: a consumer shop's evening peak; "baseline" in "6x baseline" is the daily average.
 * - usdPerUnit 1.08: an assumed EUR->USD rate; prices are in USD.
 * - costPer1000PeakRps 5,000 EUR: today's unit cost (4,000 EUR / 0.8k RPS at peak). The budget grows with traffic, but
 *   a request may never cost more than it does today: 100x traffic cannot fit today's 4k, and a phase that
 *   grows cost faster than traffic fails the budget guard.
 * - startDate 2026-12-01: when this plan starts counting months.
 * - monthlyActiveUsers 300,000: an assumed user base, for the cost per user.
 * - metrics: API CPU 100 % (seeds: "CPU 1 core pinned at peak"); DB CPU 55 % and 82 of 100 connections (assumed:
 *   one Postgres primary with the default max_connections and lock waits on `orders`, bottleneck #2); errors 0.3 %;
 *   no cache hit rate (there is no cache yet).
 * - scheduledEvents: one stated example, a Black Friday sale opening 08:00 Frankfurt time (07:00 UTC) for 4 hours at the
 *   flash-sale multiplier; replace it with your calendar.
 * - workload: the seeds' words: `orders` sharded by `customer_id`, checkout is the write never shed, catalog entries are the shared reads.
 *   Seeds' phase 3 "async-ify checkout via a queue so LLM/fraud calls don't hold DB connections": half the writes
 *   (assumed: the fraud checks and confirmations that follow checkout) go through the queue, 400 ms each (a fraud
 *   call plus its writes), done within 2 minutes.
 * - cdn: the seeds' cacheable API paths (catalog and products; the neutral default is /api/public/*).
 * - secondaryRegions ['eu-west-1']: the seeds' phase 3 runs "multi-region active-active behind latency-based DNS";
 *   Ireland is the other priced EU region, so data stays in the EU (the budget is in EUR, the users are European)
 *   and Frankfurt-Dublin replication lag stays low. From phase 3 (the default).
 */
export const DEFAULT_MODEL: CapacityInput = {
  service: { name: 'order-management', costCentre: 'commerce-platform' },
  aws: { region: 'eu-central-1', secondaryRegions: ['eu-west-1'] },
  current: {
    peakRps: 800,
    p95LatencyMs: 280,
    readsPerWrite: 9,
    cpuMsPerRequest: 1.25,
    avgResponseKb: 8,
    cdnCacheableGetShare: 0.4,
    workingSetGb: 2.5,
    databaseSizeGb: 120,
    monthlyActiveUsers: 300_000,
    metrics: { apiCpuPct: 100, dbCpuPct: 55, dbConnectionsUsed: 82, dbConnectionsMax: 100, errorRatePct: 0.3 },
  },
  growth: { monthlyGrowthPct: 30, startDate: '2026-12-01' },
  peakPattern: {
    dailyPeakToAverage: 2.5,
    flashSaleMultiplier: 6,
    scheduledEvents: [{ name: 'black-friday-sale', startUtc: '2027-11-26T07:00Z', durationMinutes: 240 }],
  },
  slo: { p95Ms: 500, errorRatePct: 0.5 },
  budget: { currency: 'EUR', monthlyCeiling: 4000, usdPerUnit: 1.08, costPer1000PeakRps: 5000 },
  workload: {
    primaryTable: 'orders',
    partitionKey: 'customer_id',
    criticalWrite: 'checkout',
    sharedReads: 'catalog entries',
    asyncWriteShare: 0.5,
    asyncWrites: 'checkout fraud checks and confirmations',
    asyncMessageMs: 400,
    asyncLatencySec: 120,
  },
  cdn: { cacheableApiPathPatterns: ['/api/catalog/*', '/api/products/*'] },
};
