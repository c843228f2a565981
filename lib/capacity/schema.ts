/**
 * The capacity model's input: what a user knows about their system today, their growth, peaks, SLOs and budget.
 *
 * Every number has a range; every error names the field, the value and that range (see errors.ts).
 * Fields the user must know are required; tunables of the sizing policy have documented defaults
 * (CAPACITY_DEFAULTS in defaults.ts), so a model file states facts and only overrides policy on purpose.
 */
import { z } from 'zod';
import { CAPACITY_DEFAULTS } from './defaults';
import { PRICED_REGIONS } from './prices';
import { CACHE_CUTOVER_STAGES, CACHE_EVICTION_POLICIES } from './catalog';
import { formatNumber } from './format-number';
import { WORKER_MODELS } from './worker-model';

interface RangeOptions {
  /** The lowest allowed value. */
  readonly min: number;
  /** True when `min` itself is not allowed (e.g. RPS must be > 0). */
  readonly minExclusive?: boolean;
  readonly max: number;
  readonly int?: boolean;
  /** A unit printed after the range, e.g. 'requests/s'. */
  readonly unit?: string;
}

/** "a number > 0 and <= 10,000,000 requests/s" */
export function describeRange(r: RangeOptions): string {
  const fmt = (n: number) => formatNumber(n, 6);
  const kind = r.int ? 'a whole number' : 'a number';
  const low = r.minExclusive ? `> ${fmt(r.min)}` : `>= ${fmt(r.min)}`;
  return `${kind} ${low} and <= ${fmt(r.max)}${r.unit ? ` ${r.unit}` : ''}`;
}

/** A finite number within a range; every failure reads "must be <range>". */
function bounded(r: RangeOptions) {
  const message = `must be ${describeRange(r)}`;
  let schema = z.number({ error: message });
  if (r.int) schema = schema.int({ error: message });
  schema = r.minExclusive ? schema.gt(r.min, { error: message }) : schema.gte(r.min, { error: message });
  return schema.lte(r.max, { error: message });
}

/** A share between 0 and 1 (inclusive unless stated). */
function share(maxInclusive = 1) {
  return bounded({ min: 0, max: maxInclusive, unit: '(a fraction, 0.25 = 25 %)' });
}

/** A string matching a pattern, with the pattern's meaning in the message. */
function text(pattern: RegExp, meaning: string) {
  const message = `must be ${meaning}`;
  return z.string({ error: message }).regex(pattern, { error: message });
}

const PATH_PATTERN = text(/^\/[A-Za-z0-9_\-./*]{0,254}$/, "a CloudFront path pattern starting with '/', e.g. '/static/*'").refine(
  (p) => p !== '/*',
  { error: "must not be '/*': that is the default behaviour (not cached)" },
);

/** 1 to 20 distinct path patterns: each pattern gets one CloudFront behaviour. */
const PATH_PATTERNS = z
  .array(PATH_PATTERN, { error: 'must be a list of path patterns' })
  .min(1, { error: 'must list at least one path pattern' })
  .max(20, { error: 'must list at most 20 path patterns' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not list a pattern twice' });

/** 0 to 20 distinct patterns: an empty list says the service serves no static assets (the edge decision reads it). */
const STATIC_PATH_PATTERNS = z
  .array(PATH_PATTERN, { error: 'must be a list of path patterns' })
  .max(20, { error: 'must list at most 20 path patterns' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not list a pattern twice' });

const ServiceSchema = z.strictObject({
  /** Used as the CloudFormation stack name and in resource names. */
  name: text(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'lowercase letters, digits and dashes, 3 to 40 characters, starting with a letter'),
  costCentre: text(/^[\w .:/=+\-@]{1,64}$/, 'a cost-allocation tag value: 1 to 64 letters, digits, spaces or _.:/=+-@'),
  containerImage: z
    .string({ error: 'must be a container image reference, e.g. public.ecr.aws/nginx/nginx:stable' })
    .min(3, { error: 'must be a container image reference, e.g. public.ecr.aws/nginx/nginx:stable' })
    .max(255, { error: 'must be at most 255 characters' })
    .default(CAPACITY_DEFAULTS.service.containerImage),
  containerPort: bounded({ min: 1, max: 65535, int: true }).default(CAPACITY_DEFAULTS.service.containerPort),
  /** The user the container runs as (uid, uid:gid or a name in the image); never root. */
  containerUser: text(/^(?!0(:|$))(?!root(:|$))([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31})(:([0-9]{1,10}|[a-z_][a-z0-9_-]{0,31}))?$/, 'a non-root user: a uid, uid:gid or user name other than 0 or root, e.g. 101 or 1000:1000')
    .default(CAPACITY_DEFAULTS.service.containerUser),
  /** Writable directories under the read-only root filesystem (ephemeral task volumes). */
  writablePaths: z
    .array(text(/^\/[A-Za-z0-9_\-./]{0,254}$/, "an absolute path like '/tmp'"), { error: 'must be a list of absolute paths' })
    .max(10, { error: 'must list at most 10 paths' })
    .refine((list) => new Set(list).size === list.length, { error: 'must not list a path twice' })
    .default([...CAPACITY_DEFAULTS.service.writablePaths]),
  healthCheckPath: text(/^\/[A-Za-z0-9_\-./]{0,254}$/, "an HTTP path starting with '/'").default(CAPACITY_DEFAULTS.service.healthCheckPath),
  taskStartupSec: bounded({ min: 1, max: 600, unit: 's' }).default(CAPACITY_DEFAULTS.service.taskStartupSec),
  /** ALB health-check interval: above the 5 s health-check timeout, at most the ALB's 300 s. */
  healthCheckIntervalSec: bounded({ min: 6, max: 300, int: true, unit: 's' }).default(CAPACITY_DEFAULTS.service.healthCheckIntervalSec),
  requestTimeoutSec: bounded({ min: 1, max: 300, unit: 's' }).default(CAPACITY_DEFAULTS.service.requestTimeoutSec),
  /** How a task queues requests on its vCPUs: one queue per Node cluster worker, or one shared queue (worker-model.ts). */
  workerModel: z
    .enum(WORKER_MODELS, { error: `must be one of ${WORKER_MODELS.map((m) => `'${m}'`).join(', ')}` })
    .default(CAPACITY_DEFAULTS.service.workerModel),
});

const AwsSchema = z.strictObject({
  account: text(/^\d{12}$/, 'a 12-digit AWS account id').default(CAPACITY_DEFAULTS.aws.account),
  region: z.enum(PRICED_REGIONS as [string, ...string[]], {
    error: `must be one of the regions with a price table: ${PRICED_REGIONS.join(', ')}`,
  }),
  availabilityZones: bounded({ min: 2, max: 3, int: true }).default(CAPACITY_DEFAULTS.aws.availabilityZones),
  /** Extra regions, each serving its share of traffic with its own API tier, cache and an Aurora Global Database secondary. */
  secondaryRegions: z
    .array(
      z.enum(PRICED_REGIONS as [string, ...string[]], { error: `must be one of the regions with a price table: ${PRICED_REGIONS.join(', ')}` }),
      { error: 'must be a list of regions' },
    )
    // Aurora Global Database allows at most 10 secondary regions.
    .max(5, { error: 'must list at most 5 regions (Aurora Global Database allows 10; each region is a full stack)' })
    .refine((list) => new Set(list).size === list.length, { error: 'must not list a region twice' })
    .default([...CAPACITY_DEFAULTS.aws.secondaryRegions]),
  /** The first phase that deploys the secondary regions. */
  secondaryRegionsFromPhase: bounded({ min: 1, max: 3, int: true }).default(CAPACITY_DEFAULTS.aws.secondaryRegionsFromPhase),
}).superRefine((aws, ctx) => {
  if (typeof aws.region === 'string' && Array.isArray(aws.secondaryRegions) && aws.secondaryRegions.includes(aws.region)) {
    ctx.addIssue({ code: 'custom', path: ['secondaryRegions'], message: `must not include the primary region ${aws.region}` });
  }
});

/** Today's measurements, all optional: what is given ranks the bottlenecks (bottlenecks.ts). */
const MetricsSchema = z
  .strictObject({
    /** CPU of the API at today's peak (a single pinned Node process reads 100). */
    apiCpuPct: bounded({ min: 0, minExclusive: true, max: 100, unit: '%' }).optional(),
    apiMemoryPct: bounded({ min: 0, minExclusive: true, max: 100, unit: '%' }).optional(),
    dbCpuPct: bounded({ min: 0, minExclusive: true, max: 100, unit: '%' }).optional(),
    dbConnectionsUsed: bounded({ min: 0, max: 100_000, int: true }).optional(),
    dbConnectionsMax: bounded({ min: 1, max: 100_000, int: true }).optional(),
    cacheHitRatePct: bounded({ min: 0, max: 100, unit: '%' }).optional(),
    replicaLagMs: bounded({ min: 0, max: 86_400_000, unit: 'ms' }).optional(),
    errorRatePct: bounded({ min: 0, max: 100, unit: '%' }).optional(),
  })
  .superRefine((m, ctx) => {
    const valid = (n: number | undefined) => n !== undefined && Number.isInteger(n) && n >= 0;
    if (valid(m.dbConnectionsUsed) && valid(m.dbConnectionsMax) && m.dbConnectionsUsed! > m.dbConnectionsMax!) {
      ctx.addIssue({ code: 'custom', path: ['dbConnectionsUsed'], message: `must be <= dbConnectionsMax (${m.dbConnectionsMax})` });
    }
    if ((m.dbConnectionsUsed === undefined) !== (m.dbConnectionsMax === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dbConnectionsMax'], message: 'give both dbConnectionsUsed and dbConnectionsMax, or neither' });
    }
  });

const CurrentSchema = z
  .strictObject({
    /** The roadmap phase running today: 0 before Phase 1 is deployed. Versioned with the model, read by the report. */
    deployedPhase: bounded({ min: 0, max: 3, int: true }).default(0),
    /**
     * Where a phase that moves Redis to cluster mode sends the app: 'dual-write' (writes and invalidations to both
     * groups, reads from the single-primary group, while the cluster warms) until the operator sets 'cluster'.
     */
    cacheCutover: z
      .enum(CACHE_CUTOVER_STAGES, { error: `must be one of ${CACHE_CUTOVER_STAGES.map((s) => `'${s}'`).join(', ')}` })
      .default(CAPACITY_DEFAULTS.current.cacheCutover),
    peakRps: bounded({ min: 0, minExclusive: true, max: 10_000_000, unit: 'requests/s' }),
    p95LatencyMs: bounded({ min: 0, minExclusive: true, max: 60_000, unit: 'ms' }),
    readsPerWrite: bounded({ min: 0, max: 10_000 }),
    /** CPU time one request costs; or give rpsPerVcpu (what one saturated vCPU serves). */
    cpuMsPerRequest: bounded({ min: 0, minExclusive: true, max: 10_000, unit: 'ms' }).optional(),
    rpsPerVcpu: bounded({ min: 0, minExclusive: true, max: 1_000_000, unit: 'requests/s' }).optional(),
    avgResponseKb: bounded({ min: 0, minExclusive: true, max: 102_400, unit: 'KB' }),
    /** The share of GET requests whose response is the same for every user (catalog, product pages). */
    cdnCacheableGetShare: share(),
    workingSetGb: bounded({ min: 0, minExclusive: true, max: 100_000, unit: 'GB' }),
    databaseSizeGb: bounded({ min: 0, minExclusive: true, max: 128_000, unit: 'GB' }),
    dbQueriesPerRead: bounded({ min: 0, max: 1000 }).default(CAPACITY_DEFAULTS.current.dbQueriesPerRead),
    dbQueriesPerWrite: bounded({ min: 0, max: 1000 }).default(CAPACITY_DEFAULTS.current.dbQueriesPerWrite),
    dbQueryMs: bounded({ min: 0, minExclusive: true, max: 60_000, unit: 'ms' }).default(CAPACITY_DEFAULTS.current.dbQueryMs),
    /** Monthly active users today; they grow with traffic. Gives the cost per user. */
    monthlyActiveUsers: bounded({ min: 1, max: 10_000_000_000, int: true }).optional(),
    metrics: MetricsSchema.optional(),
  })
  .superRefine((current, ctx) => {
    const given = [current.cpuMsPerRequest, current.rpsPerVcpu].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['cpuMsPerRequest'],
        message: `give exactly one of 'cpuMsPerRequest' (CPU ms per request) or 'rpsPerVcpu' (requests/s one vCPU serves at 100 %); got ${given === 0 ? 'neither' : 'both'}`,
      });
    }
    // Cross-field rules compare valid values only: an out-of-range field is reported once, by its own rule.
    const valid = (n: number) => Number.isFinite(n) && n > 0;
    if (valid(current.workingSetGb) && valid(current.databaseSizeGb) && current.workingSetGb > current.databaseSizeGb) {
      ctx.addIssue({
        code: 'custom',
        path: ['workingSetGb'],
        message: `must be <= current.databaseSizeGb (${current.databaseSizeGb}): the working set is the hot part of the database`,
      });
    }
  });

const GrowthSchema = z.strictObject({
  monthlyGrowthPct: bounded({ min: 0, minExclusive: true, max: 1000, unit: '% per month' }),
  startDate: text(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-01')
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), { error: 'must be a real calendar date like 2026-12-01' })
    .optional(),
  /** How data grows with traffic: working set and database size scale with (traffic multiple)^exponent. */
  dataGrowthExponent: bounded({ min: 0, max: 1 }).default(CAPACITY_DEFAULTS.growth.dataGrowthExponent),
});

const UTC_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;
/** A known peak (a flash sale, an on-sale): scheduled scaling raises min tasks before it and lowers them after. */
const ScheduledEventSchema = z.strictObject({
  name: text(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, 1 to 40 characters'),
  /** When the traffic arrives, in UTC to the minute. */
  startUtc: text(UTC_MINUTE, 'a UTC time to the minute like 2027-11-26T08:00Z').refine((s) => !Number.isNaN(Date.parse(s)), {
    error: 'must be a real UTC time like 2027-11-26T08:00Z',
  }),
  durationMinutes: bounded({ min: 1, max: 10_080, int: true, unit: 'min' }),
  /** Its traffic as a multiple of the daily average; without it, peakPattern.flashSaleMultiplier. */
  multiplier: bounded({ min: 1, max: 100 }).optional(),
});

const pp = CAPACITY_DEFAULTS.peakPattern;
const PeakPatternSchema = z.strictObject({
  dailyPeakToAverage: bounded({ min: 1, max: 20 }),
  /** Flash-sale traffic as a multiple of the daily average (the baseline). */
  flashSaleMultiplier: bounded({ min: 1, max: 100 }),
  flashSaleHoursPerMonth: bounded({ min: 0, max: 744, unit: 'h' }).default(CAPACITY_DEFAULTS.peakPattern.flashSaleHoursPerMonth),
  /** How long one flash sale stays at its peak: the write queue's backlog builds for this long (queue-sizing.ts). */
  flashSaleBurstMinutes: bounded({ min: 1, max: 1440, unit: 'min' }).default(CAPACITY_DEFAULTS.peakPattern.flashSaleBurstMinutes),
  /** Seconds a spike takes from the baseline to its peak (how fast autoscaling would have to be). */
  spikeRampSec: bounded({ min: 1, max: 3600, unit: 's' }).default(pp.spikeRampSec),
  /** Known events, scaled for ahead of time (none by default). */
  scheduledEvents: z
    .array(ScheduledEventSchema, { error: 'must be a list of events' })
    .max(20, { error: 'must list at most 20 events' })
    .refine((list) => new Set(list.map((e) => e.name)).size === list.length, { error: 'must not name an event twice' })
    .default([]),
  /** Minutes before each scheduled event that min tasks are raised (new tasks start and pass health checks in time). */
  eventLeadMinutes: bounded({ min: 0, max: 1440, int: true, unit: 'min' }).default(pp.eventLeadMinutes),
});

const SloSchema = z.strictObject({
  p95Ms: bounded({ min: 0, minExclusive: true, max: 60_000, unit: 'ms' }),
  errorRatePct: bounded({ min: 0, minExclusive: true, max: 50, unit: '%' }),
  availabilityPct: bounded({ min: 90, max: 99.999, unit: '%' }).default(CAPACITY_DEFAULTS.slo.availabilityPct),
});

const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;

const BudgetSchema = z
  .strictObject({
    currency: z.enum(CURRENCIES, { error: `must be one of ${CURRENCIES.join(', ')}` }),
    /** Today's monthly infrastructure ceiling, in `currency`. */
    monthlyCeiling: bounded({ min: 0, minExclusive: true, max: 1_000_000_000 }),
    /** US dollars per unit of `currency` (prices are in USD); required unless currency is USD. */
    usdPerUnit: bounded({ min: 0, minExclusive: true, max: 10 }).optional(),
    /**
     * How the ceiling grows with traffic: a phase may cost up to this much per 1,000 RPS of daily peak,
     * in `currency`. Without it every phase must fit today's ceiling.
     */
    costPer1000PeakRps: bounded({ min: 0, minExclusive: true, max: 1_000_000_000 }).optional(),
    /** Synthesize a phase that costs more than its ceiling anyway (a warning instead of an error). */
    allowOverrun: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((budget, ctx) => {
    if (budget.currency !== 'USD' && budget.usdPerUnit === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['usdPerUnit'],
        message: `is required when currency is ${budget.currency}: prices are in USD, so state the exchange rate (USD per 1 ${budget.currency})`,
      });
    }
    if (budget.currency === 'USD' && budget.usdPerUnit !== undefined && budget.usdPerUnit !== 1) {
      ctx.addIssue({ code: 'custom', path: ['usdPerUnit'], message: 'must be 1 (or absent) when currency is USD' });
    }
  });

/** The retentions CloudWatch Logs accepts, in days (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const d = CAPACITY_DEFAULTS.policy;
const PolicySchema = z.strictObject({
  safetyMargin: bounded({ min: 1, max: 5 }).default(d.safetyMargin),
  apiTargetCpuPct: bounded({ min: 20, max: 90, unit: '%' }).default(d.apiTargetCpuPct),
  apiSloCpuMarginPct: bounded({ min: 0, max: 30, unit: 'percentage points' }).default(d.apiSloCpuMarginPct),
  maxTasksPerService: bounded({ min: 2, max: 1000, int: true }).default(d.maxTasksPerService),
  memoryMiBPerVcpu: bounded({ min: 2048, max: 8192, int: true, unit: 'MiB' }).default(d.memoryMiBPerVcpu),
  /** At least two, so a task can fail or be replaced while another serves. */
  minTasks: bounded({ min: 2, max: 100, int: true }).default(d.minTasks),
  dbTargetCpuPct: bounded({ min: 20, max: 90, unit: '%' }).default(d.dbTargetCpuPct),
  dbReadQpsPerVcpu: bounded({ min: 1, max: 100_000, unit: 'queries/s' }).default(d.dbReadQpsPerVcpu),
  dbWriteQpsPerVcpu: bounded({ min: 1, max: 100_000, unit: 'queries/s' }).default(d.dbWriteQpsPerVcpu),
  dbBufferCacheShare: bounded({ min: 0.1, max: 0.95, unit: '(a fraction of instance memory)' }).default(d.dbBufferCacheShare),
  effectiveSpindles: bounded({ min: 0, max: 64, int: true }).default(d.effectiveSpindles),
  cacheHitRatio: share(0.99).default(d.cacheHitRatio),
  cdnHitRatio: share(0.99).default(d.cdnHitRatio),
  /** The least share of requests CloudFront must answer to be kept when it does not pay for itself (edge-decision.ts). */
  edgeMinOffloadShare: share().default(d.edgeMinOffloadShare),
  cacheOverheadFactor: bounded({ min: 1, max: 4 }).default(d.cacheOverheadFactor),
  cacheOpsPerSecPerNode: bounded({ min: 1000, max: 10_000_000, unit: 'ops/s' }).default(d.cacheOpsPerSecPerNode),
  /** Redis maxmemory-policy: any evicting policy; `noeviction` turns a full cache into write errors. */
  cacheEvictionPolicy: z
    .enum(CACHE_EVICTION_POLICIES, { error: `must be one of ${CACHE_EVICTION_POLICIES.join(', ')} (a cache must evict: noeviction turns a full cache into errors)` })
    .default(d.cacheEvictionPolicy),
  backupRetentionDays: bounded({ min: 7, max: 35, int: true, unit: 'days' }).default(d.backupRetentionDays),
  /** A retention CloudWatch Logs accepts. */
  logRetentionDays: z
    .number({ error: `must be one of the CloudWatch Logs retentions: ${CLOUDWATCH_RETENTION_DAYS.join(', ')} days` })
    .refine((n) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(n), { error: `must be one of the CloudWatch Logs retentions: ${CLOUDWATCH_RETENTION_DAYS.join(', ')} days` })
    .default(d.logRetentionDays),
  logBytesPerRequest: bounded({ min: 0, max: 100_000, unit: 'bytes' }).default(d.logBytesPerRequest),
  /** A Redis round trip, for the predicted response time. */
  cacheLatencyMs: bounded({ min: 0, minExclusive: true, max: 1000, unit: 'ms' }).default(d.cacheLatencyMs),
  /** Engineering weeks to build each phase before it must be live (phases 1, 2, 3). */
  leadTimeWeeks: z
    .tuple([bounded({ min: 0, max: 104, unit: 'weeks' }), bounded({ min: 0, max: 104, unit: 'weeks' }), bounded({ min: 0, max: 104, unit: 'weeks' })], {
      error: 'must be a list of 3 numbers of weeks, one per phase',
    })
    .default([...d.leadTimeWeeks]),
});

const c = CAPACITY_DEFAULTS.clients;
const ClientsSchema = z.strictObject({
  /** The busiest legitimate client's request rate (a person or one integration), per IP. */
  peakRpsPerClient: bounded({ min: 0, minExclusive: true, max: 10_000, unit: 'requests/s' }).default(c.peakRpsPerClient),
  /** How far above its usual peak a legitimate client may burst before it is rate-limited. */
  burstFactor: bounded({ min: 1, max: 100 }).default(c.burstFactor),
  loginPathPrefix: text(/^\/[A-Za-z0-9_\-./]{0,254}$/, "an HTTP path prefix starting with '/'").default(c.loginPathPrefix),
  loginAttemptsPerMinute: bounded({ min: 1, max: 10_000, unit: 'per minute' }).default(c.loginAttemptsPerMinute),
  rateWindowSec: z
    .union([z.literal(60), z.literal(120), z.literal(300), z.literal(600)], { error: 'must be one of 60, 120, 300, 600 (the windows WAF supports)' })
    .default(c.rateWindowSec),
});

const k = CAPACITY_DEFAULTS.cdn;
const CdnSchema = z.strictObject({
  /** [] when the service serves no static assets. */
  staticPathPatterns: STATIC_PATH_PATTERNS.default([...k.staticPathPatterns]),
  cacheableApiPathPatterns: PATH_PATTERNS.default([...k.cacheableApiPathPatterns]),
  /** At least 1 s: a maximum TTL of 0 turns caching off, and CloudFront then rejects the cache key settings. */
  staticTtlSec: bounded({ min: 1, max: 31_536_000, int: true, unit: 's' }).default(k.staticTtlSec),
  /** How stale a cacheable API response may be when served from the edge (at least 1 s, for the same reason). */
  apiStalenessSec: bounded({ min: 1, max: 86_400, int: true, unit: 's' }).default(k.apiStalenessSec),
}).superRefine((cdn, ctx) => {
  const both = (cdn.staticPathPatterns ?? []).filter((p) => (cdn.cacheableApiPathPatterns ?? []).includes(p));
  if (both.length) ctx.addIssue({ code: 'custom', path: ['cacheableApiPathPatterns'], message: `must not repeat staticPathPatterns ${JSON.stringify(both)}: a path has one cache behaviour` });
});

const w = CAPACITY_DEFAULTS.workload;
const IDENTIFIER = text(/^[a-z_][a-z0-9_]{0,62}$/, 'a lowercase SQL identifier: letters, digits and _, at most 63 characters');
/**
 * What the service stores and does, in the user's words: the report, the runbook and the sharding plan use these
 * instead of assuming an order-management shop. Defaults are neutral.
 */
const WorkloadSchema = z.strictObject({
  /** The table that takes most writes: the one to shard when one writer cannot carry them. */
  primaryTable: IDENTIFIER.default(w.primaryTable),
  /** The column that spreads that table's rows evenly (shard key): usually the owning customer or tenant. */
  partitionKey: IDENTIFIER.default(w.partitionKey),
  /** The write that must never be shed (the seeds: checkout), in a few words. */
  criticalWrite: text(/^[\w ,./'()-]{1,60}$/, 'a short phrase, 1 to 60 letters, digits, spaces or ,./\'()-').default(w.criticalWrite),
  /** What the shared reads are (the seeds: catalog entries), in a few words. */
  sharedReads: text(/^[\w ,./'()-]{1,60}$/, 'a short phrase, 1 to 60 letters, digits, spaces or ,./\'()-').default(w.sharedReads),
  /** Share of writes that may complete asynchronously (through the write queue); 0 keeps every write synchronous. */
  asyncWriteShare: share(0.9).default(w.asyncWriteShare),
  /** Which writes those are, in a few words (the report and the runbook quote it). */
  asyncWrites: text(/^[\w ,./'()-]{1,60}$/, 'a short phrase, 1 to 60 letters, digits, spaces or ,./\'()-').default(w.asyncWrites),
  /** Time a worker spends on one queued message (its database writes and any slow call it makes). */
  asyncMessageMs: bounded({ min: 1, max: 300_000, unit: 'ms' }).default(w.asyncMessageMs),
  /** How long a queued write may wait before it is done, in normal operation (not during a flash-sale burst). */
  asyncLatencySec: bounded({ min: 1, max: 3600, unit: 's' }).default(w.asyncLatencySec),
});

const DNS_NAME = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/;
/**
 * A DNS name the service answers on, with the hosted zone and ACM certificates as inputs (synthesis never looks them
 * up). With it: HTTPS end to end and Route 53 records; without it: CloudFront's own domain and HTTP to the origin.
 */
const DomainSchema = z
  .strictObject({
    /** The API's public name, e.g. api.example.com. */
    name: text(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'a lowercase DNS name like api.example.com'),
    /** The Route 53 public hosted zone that holds `name`. */
    hostedZoneId: text(/^Z[A-Z0-9]{1,31}$/, 'a Route 53 hosted zone id like Z0123456789ABCDEFGHIJ'),
    /** The hosted zone's own name (a suffix of `name`), e.g. example.com. */
    hostedZoneName: text(DNS_NAME, 'a lowercase DNS name like example.com'),
    /** The viewer certificate for CloudFront: an ACM certificate in us-east-1 covering `name`. */
    edgeCertificateArn: text(ACM_ARN, 'an ACM certificate ARN in us-east-1, arn:aws:acm:us-east-1:<account>:certificate/<uuid>').refine(
      (arn) => arn.split(':')[3] === 'us-east-1',
      { error: 'must be in us-east-1: CloudFront only uses certificates from that region' },
    ),
    /** Per region the stacks run in: an ACM certificate in that region for the load balancer (origin TLS). */
    regionalCertificateArns: z.record(
      z.string(),
      text(ACM_ARN, 'an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<uuid>'),
      { error: 'must map each region to an ACM certificate ARN in that region' },
    ),
  })
  .superRefine((domain, ctx) => {
    // Compared only when both names are well formed: a malformed one is reported once, by its own rule.
    if (DNS_NAME.test(domain.name) && DNS_NAME.test(domain.hostedZoneName) && !`.${domain.name}`.endsWith(`.${domain.hostedZoneName}`)) {
      ctx.addIssue({ code: 'custom', path: ['hostedZoneName'], message: `must be a suffix of name (${domain.name})` });
    }
    for (const [region, arn] of Object.entries(domain.regionalCertificateArns ?? {})) {
      if (typeof arn === 'string' && ACM_ARN.test(arn) && arn.split(':')[3] !== region) {
        ctx.addIssue({ code: 'custom', path: ['regionalCertificateArns', region], message: `must be a certificate in ${region}, got one in ${arn.split(':')[3]}` });
      }
    }
  });

/** The whole capacity model. */
export const CapacitySchema = z.strictObject({
  service: ServiceSchema,
  aws: AwsSchema,
  current: CurrentSchema,
  growth: GrowthSchema,
  peakPattern: PeakPatternSchema,
  slo: SloSchema,
  budget: BudgetSchema,
  policy: PolicySchema.prefault({}),
  clients: ClientsSchema.prefault({}),
  cdn: CdnSchema.prefault({}),
  workload: WorkloadSchema.prefault({}),
  /** Optional: without a domain the API is served on CloudFront's own name. */
  domain: DomainSchema.optional(),
}).superRefine((model, ctx) => {
  const region = model.aws?.region;
  const certs = model.domain?.regionalCertificateArns;
  if (certs && typeof region === 'string' && !(region in certs)) {
    ctx.addIssue({ code: 'custom', path: ['domain', 'regionalCertificateArns'], message: `must include the primary region ${region} (the load balancer's certificate)` });
  }
  for (const secondary of model.aws?.secondaryRegions ?? []) {
    if (certs && typeof secondary === 'string' && !(secondary in certs)) {
      ctx.addIssue({ code: 'custom', path: ['domain', 'regionalCertificateArns'], message: `must include the secondary region ${secondary} (its load balancer's certificate)` });
    }
  }
});

/** What a user writes (defaults may be left out). */
export type CapacityInput = z.input<typeof CapacitySchema>;
/** The parsed model, with every default filled in. */
export type Capacity = z.infer<typeof CapacitySchema>;
