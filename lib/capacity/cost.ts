/**
 * Projected monthly cost of a phase, from usage the model implies and the dated price table (prices.ts).
 *
 * Nobody writes usage by hand: request counts come from the daily average and flash-sale hours,
 * bytes from the response size, running tasks from the plan. Every line says how it was computed.
 */
import { PRICE_TABLE, pricesFor, RegionPrices } from './prices';
import { CostLine, CostPlan, sized, Sized } from './plan-types';
import type { ApiPlan, CachePlan, DatabasePlan, EdgeMode, MonitoringPlan, NetworkPlan, RegionsPlan, ShardingPlan, TrafficPlan, WafPlan, WriteQueuePlan } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/** Hours in an average month (AWS bills 730). */
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const GB = 1024 ** 3;

/** Assumptions the usage model makes where the capacity model has no field; printed with the cost. */
export const USAGE_ASSUMPTIONS = {
  /** Autoscaling runs a little ahead of load (scale-in is slow on purpose). */
  taskHeadroom: 1.15,
  /** CloudFront keeps origin connections alive: one new ALB connection per this many requests. */
  requestsPerOriginConnection: 100,
  /** Request headers and body, per request, on top of the response. */
  requestKb: 1,
  /** Egress through NAT besides logs: image pulls and AWS API calls, per average task per month. */
  natGbPerTaskMonth: 5,
  /** Aurora I/O: one I/O per write query; 5 % of read queries miss the buffer cache. */
  ioPerWriteQuery: 1,
  ioPerReadQuery: 0.05,
  /** Data crossing AZs: two of three AZs hold a given task's database or cache peer. */
  crossAzShare: 2 / 3,
  /** Access log bytes per request (ALB and CloudFront standard logs, gzip in S3). */
  accessLogBytesPerRequest: 60,
  /** Days access logs are kept in S3 (the ALB and CloudFront log buckets' lifecycle: 365 days). */
  accessLogDays: 365,
  /**
   * The exported PostgreSQL log per instance and month: slow statements (log_min_duration_statement), connections,
   * checkpoints and autovacuum, about 30 MB a day.
   */
  postgresLogGbPerInstanceMonth: 1,
  /** CloudWatch Logs stores compressed data: stored GB per ingested GB. */
  logsCompression: 0.15,
  /** Metrics the stacks publish (Container Insights, custom); alarms and dashboards come from the monitoring plan. */
  metrics: 60,
  /** CloudFront's additional metrics (the Cdn construct subscribes to them for the cache hit rate), billed as custom metrics. */
  cloudfrontAdditionalMetrics: 8,
  /** Secrets (DB credentials, Redis token). */
  secrets: 2,
  /** Customer-managed KMS keys: Aurora, Redis, the SLO alarm topics in the region and in the us-east-1 edge stack. */
  kmsKeys: 4,
  /**
   * SQS requests per queued write: SendMessage, ReceiveMessage and DeleteMessage once each, unbatched (an upper bound:
   * batches of 10 would cut receives and deletes to 0.1 each), every message under 64 KB (one request per call).
   * Empty receives of idle long-polling workers and redeliveries are not counted.
   */
  sqsRequestsPerMessage: 3,
} as const;

/** What the cost model needs from the rest of the phase plan. */
export interface CostInputs {
  readonly model: Capacity;
  readonly multiplier: number;
  readonly traffic: TrafficPlan;
  readonly api: ApiPlan;
  /** One shard's cluster; `sharding.shards` of them are billed. */
  readonly database: DatabasePlan;
  readonly sharding: ShardingPlan;
  readonly queue?: WriteQueuePlan;
  readonly cache: CachePlan;
  readonly waf: WafPlan;
  readonly network: NetworkPlan;
  readonly monitoring: MonitoringPlan;
  /** CloudFront in front (the default) or the ALB serving the internet directly. */
  readonly edgeMode?: EdgeMode;
  /** The secondary regions, each billed as its own stack. @default - one region */
  readonly regions?: RegionsPlan;
  /** Rate-based rules plus managed rule groups on the web ACL. */
  readonly wafRuleCount: number;
}

/** Tiered price: sums each tier's share of `quantity`. Tiers are in TB, prices per GB. */
export function tieredGbCost(gb: number, tiers: RegionPrices['cloudfront']['dataOutGbTiers']): number {
  let remaining = gb;
  let lowerGb = 0;
  let cost = 0;
  for (const tier of tiers) {
    const upperGb = tier.upToTb === null ? Infinity : tier.upToTb * 1024;
    const inTier = Math.min(remaining, upperGb - lowerGb);
    if (inTier <= 0) break;
    cost += inTier * tier.perGb;
    remaining -= inTier;
    lowerGb = upperGb;
  }
  return cost;
}

/** The phase's budget ceiling: today's ceiling, or more where the model lets the budget grow with traffic. */
export function phaseCeiling(model: Capacity, peakRps: number): { ceiling: Sized; ceilingUsd: Sized } {
  const { budget } = model;
  const rate = budget.usdPerUnit ?? 1;
  const scaled = budget.costPer1000PeakRps !== undefined ? (budget.costPer1000PeakRps * peakRps) / 1000 : 0;
  const ceiling = Math.max(budget.monthlyCeiling, scaled);
  const why =
    scaled > budget.monthlyCeiling
      ? `budget.costPer1000PeakRps ${fmt(budget.costPer1000PeakRps!)} ${budget.currency} x ${fmt(peakRps / 1000)}k peak RPS`
      : `budget.monthlyCeiling ${fmt(budget.monthlyCeiling)} ${budget.currency}`;
  return {
    ceiling: sized(ceiling, why),
    ceilingUsd: sized(ceiling * rate, `${why}, at ${rate} USD per ${budget.currency}`),
  };
}

/** Projects the monthly bill of one phase. */
export function planCost(inputs: CostInputs): CostPlan {
  const { model, traffic, api, database, cache, network } = inputs;
  const p = pricesFor(model.aws.region);
  const a = USAGE_ASSUMPTIONS;
  const flashHours = model.peakPattern.flashSaleHoursPerMonth;

  // Requests: the daily average all month, plus the flash-sale excess for its hours.
  const requests = traffic.baselineRps.value * SECONDS_PER_MONTH + (traffic.flashSaleRps.value - traffic.baselineRps.value) * Math.max(0, flashHours) * 3600;
  const originShare = 1 - traffic.cdnOffloadShare.value;
  const originRequests = requests * originShare;
  const avgOriginRps = originRequests / SECONDS_PER_MONTH;
  const responseGb = (requests * model.current.avgResponseKb * 1024) / GB;
  const originGb = (originRequests * (model.current.avgResponseKb + a.requestKb) * 1024) / GB;

  const lines: CostLine[] = [];
  const add = (item: string, usd: number, basis: string) => lines.push({ item, usd: Math.max(0, usd), basis });

  // Fargate: tasks follow the load, never below min; flash-sale hours run the design-peak fleet.
  const vcpu = api.taskVcpu.value;
  const memGb = api.taskMemoryMiB.value / 1024;
  const steadyTasks = Math.max(api.minTasks.value, (avgOriginRps / api.rpsPerTaskAtTarget.value) * a.taskHeadroom);
  const taskHours = steadyTasks * (HOURS_PER_MONTH - flashHours) + api.tasksAtDesignPeak.value * flashHours;
  const taskHourPrice = vcpu * p.fargate.x86.vcpuHour + memGb * p.fargate.x86.gbHour;
  add('Fargate tasks', taskHours * taskHourPrice, `${fmt(taskHours)} task-hours (avg ${fmt(taskHours / HOURS_PER_MONTH)} tasks of ${vcpu} vCPU/${fmt(memGb)} GB) x ${taskHourPrice.toFixed(4)} USD`);

  // ALB: hours plus LCUs, the larger of processed bytes (1 GB/h per LCU) and new connections (25/s per LCU).
  const gbPerHour = originGb / HOURS_PER_MONTH;
  const newConnPerSec = avgOriginRps / a.requestsPerOriginConnection;
  const lcu = Math.max(gbPerHour, newConnPerSec / 25);
  add('Application Load Balancer', HOURS_PER_MONTH * (p.alb.hour + lcu * p.alb.lcuHour), `730 h + ${fmt(lcu)} LCU (max of ${fmt(gbPerHour)} GB/h, ${fmt(newConnPerSec)} new conn/s / 25)`);

  // CloudWatch Logs from tasks leave through NAT (no interface endpoint), so they count twice: NAT and ingestion.
  const logGb = (originRequests * model.policy.logBytesPerRequest) / GB;
  const avgTasks = taskHours / HOURS_PER_MONTH;
  const natGb = logGb + avgTasks * a.natGbPerTaskMonth;
  add('NAT gateways', network.natGateways.value * HOURS_PER_MONTH * p.natGateway.hour + natGb * p.natGateway.gbProcessed, `${network.natGateways.value} x 730 h + ${fmt(natGb)} GB processed`);

  // Every shard is the same cluster: instances, storage, I/O and proxies multiply by the shard count.
  const shards = inputs.sharding.shards.value;
  const ofShards = shards > 1 ? ` x ${shards} shards` : '';
  const instances = 1 + database.readers.value;
  // Shard 0 may run more readers than the others (it serves the reads of ranges not yet cut over).
  const allInstances = shards * instances + (inputs.sharding.shardZeroReaders.value - database.readers.value);
  const dbHour = priceOf(p.aurora.instanceHour, database.instanceClass.value, 'aurora.instanceHour');
  add('Aurora instances', allInstances * HOURS_PER_MONTH * dbHour, `${allInstances} x ${database.instanceClass.value} x 730 h x ${dbHour} USD${ofShards ? ` (${shards} shards)` : ''}`);
  add('Aurora storage', shards * database.storageGb.value * p.aurora.storageGbMonth, `${fmt(shards * database.storageGb.value)} GB-month`);
  const designToAvg = requests / SECONDS_PER_MONTH / traffic.designPeakRps.value;
  const ios = shards * (database.writeQps.value * a.ioPerWriteQuery + database.readQps.value * a.ioPerReadQuery) * designToAvg * SECONDS_PER_MONTH;
  add('Aurora I/O', (ios / 1e6) * p.aurora.ioPerMillion, `${fmt(ios / 1e6)} M I/Os (1 per write query, 5 % of reads miss the buffer cache)`);
  const allProxyVcpu = Math.max(p.rdsProxy.minimumVcpu, allInstances * database.instanceVcpu.value / shards) * shards;
  add('RDS Proxy', allProxyVcpu * HOURS_PER_MONTH * p.rdsProxy.vcpuHour, `${fmt(allProxyVcpu)} vCPU of proxied instances x 730 h${ofShards}`);

  const { queue } = inputs;
  if (queue) {
    // Workers run at min most of the month and at max through the flash-sale hours (the burst and its drain).
    const workerHours = queue.minWorkers.value * (HOURS_PER_MONTH - flashHours) + queue.maxWorkers.value * flashHours;
    const workerGb = queue.workerMemoryMiB.value / 1024;
    const workerHourPrice = (queue.workerCpuUnits.value / 1024) * p.fargate.x86.vcpuHour + workerGb * p.fargate.x86.gbHour;
    add('Write queue workers (Fargate)', workerHours * workerHourPrice, `${fmt(workerHours)} task-hours (${queue.minWorkers.value} tasks, ${queue.maxWorkers.value} for ${flashHours} flash-sale h) x ${workerHourPrice.toFixed(4)} USD`);
    // Messages follow the requests: the design-peak producer rate scaled to the month's average load, all month.
    const messages = queue.producerRatePerSec.value * designToAvg * SECONDS_PER_MONTH;
    const sqsRequests = messages * a.sqsRequestsPerMessage;
    add(
      'SQS requests',
      (sqsRequests / 1e6) * p.sqs.standardRequestsPerMillion,
      `${fmt(messages / 1e6)} M messages (producer ${fmt(queue.producerRatePerSec.value)}/s at the design peak x ${fmt(designToAvg)} average load x ${fmt(SECONDS_PER_MONTH)} s) x ${a.sqsRequestsPerMessage} requests (send, receive, delete, unbatched) x ${p.sqs.standardRequestsPerMillion} USD per M`,
    );
  }

  const nodes = cache.nodes.value;
  const nodeHour = priceOf(p.elasticache.nodeHour, cache.nodeType.value, 'elasticache.nodeHour');
  add('ElastiCache nodes', nodes * HOURS_PER_MONTH * nodeHour, `${nodes} x ${cache.nodeType.value} x 730 h x ${nodeHour} USD${cache.clusterMode.value ? ` (${cache.shards.value} shards x ${1 + cache.replicas.value})` : ''}`);
  const single = cache.singlePrimaryGroup;
  if (single) {
    // Billed until a later release retires it: the cut-over month pays for both groups.
    const singleNodes = 1 + single.replicas.value;
    const singleHour = priceOf(p.elasticache.nodeHour, single.nodeType.value, 'elasticache.nodeHour');
    add('ElastiCache single-primary group (until retired)', singleNodes * HOURS_PER_MONTH * singleHour, `${singleNodes} x ${single.nodeType.value} x 730 h x ${singleHour} USD, kept beside the cluster for the cut-over`);
  }

  const viaCloudFront = inputs.edgeMode !== 'REGIONAL';
  if (viaCloudFront) {
    add('CloudFront requests', (requests / 1e4) * p.cloudfront.httpsRequestsPer10k, `${fmt(requests / 1e6)} M HTTPS requests`);
    add('CloudFront data out', tieredGbCost(responseGb, p.cloudfront.dataOutGbTiers), `${fmt(responseGb)} GB at tiered rates`);
  } else {
    // Without CloudFront the ALB's responses leave the region as ordinary internet egress (the first-10-TB rate throughout).
    add('Internet data out (ALB)', responseGb * p.dataTransfer.internetOutGb, `${fmt(responseGb)} GB at ${p.dataTransfer.internetOutGb} USD/GB (no CloudFront in this phase)`);
  }
  add('WAF', p.waf.webAclMonth + inputs.wafRuleCount * p.waf.ruleMonth + (requests / 1e6) * p.waf.requestsPerMillion, `1 web ACL + ${inputs.wafRuleCount} rules + ${fmt(requests / 1e6)} M requests`);

  const crossAzGb = originGb * a.crossAzShare;
  add('Inter-AZ transfer', crossAzGb * p.dataTransfer.interAzGb * 2, `${fmt(crossAzGb)} GB between tasks and DB/cache, billed both ways`);
  const { monitoring } = inputs;
  const cfMetrics = viaCloudFront ? a.cloudfrontAdditionalMetrics : 0;
  const alarmUsd =
    monitoring.billedAlarmMetrics.value * p.cloudwatch.alarmMonth +
    monitoring.compositeAlarmCount.value * p.cloudwatch.compositeAlarmMonth +
    monitoring.dashboards.value * p.cloudwatch.dashboardMonth;
  // Logs are held for the retention: in steady state, retention/30 months of ingest are stored at once.
  const retentionMonths = monitoring.logRetentionDays.value / 30;
  const pgLogGb = (1 + database.readers.value) * a.postgresLogGbPerInstanceMonth;
  const ingestGb = logGb + pgLogGb;
  add(
    'CloudWatch',
    ingestGb * p.cloudwatch.logsIngestGb + ingestGb * a.logsCompression * retentionMonths * p.cloudwatch.logsStorageGbMonth + (a.metrics + cfMetrics) * p.cloudwatch.metricMonth + alarmUsd,
    `${fmt(logGb)} GB app logs (${model.policy.logBytesPerRequest} B/request) + ${fmt(pgLogGb)} GB PostgreSQL logs ingested, kept ${monitoring.logRetentionDays.value} days, ${a.metrics} + ${cfMetrics} CloudFront metrics, ${monitoring.alarmCount.value} alarms (${monitoring.billedAlarmMetrics.value} alarm metrics) + ${monitoring.compositeAlarmCount.value} composite, ${monitoring.dashboards.value} dashboard`,
  );
  const accessLogGb = (((viaCloudFront ? requests : 0) + originRequests) * a.accessLogBytesPerRequest * (a.accessLogDays / 30)) / GB;
  add('S3 access logs', accessLogGb * p.s3.standardGbMonth, `${fmt(accessLogGb)} GB held (${a.accessLogDays} days of ${viaCloudFront ? 'CloudFront + ALB' : 'ALB'} logs)`);
  // Each extra shard brings its own credentials secret and key; the queue brings one key for both queues.
  // Without CloudFront there is no us-east-1 edge stack, so no key for its alarm topic.
  const secrets = a.secrets + (shards - 1);
  const keys = (viaCloudFront ? a.kmsKeys : a.kmsKeys - 1) + (shards - 1) + (queue ? 1 : 0);
  add('Secrets Manager and KMS', secrets * p.secretsManager.secretMonth + keys * p.kms.keyMonth, `${secrets} secrets, ${keys} keys`);

  // Each secondary region runs a stack sized for the whole design peak (failover), serving its share of traffic:
  // the primary's lines above stay billed for all traffic (conservative), the secondary adds its own fleet.
  for (const region of inputs.regions?.secondaries.value ?? []) {
    const r = pricesFor(region);
    const share = inputs.regions!.trafficSharePerRegion.value;
    const rDbHour = priceOf(r.aurora.instanceHour, database.instanceClass.value, 'aurora.instanceHour');
    add(`${region}: Aurora global secondary`, instances * HOURS_PER_MONTH * rDbHour, `${instances} x ${database.instanceClass.value} x 730 h x ${rDbHour} USD (same class and count as the primary, promotable)`);
    const replicatedIos = database.writeQps.value * a.ioPerWriteQuery * designToAvg * SECONDS_PER_MONTH;
    add(`${region}: Aurora replicated write I/O`, (replicatedIos / 1e6) * p.aurora.ioPerMillion, `${fmt(replicatedIos / 1e6)} M write I/Os replicated from ${model.aws.region} (billed at the primary's I/O rate)`);
    const rNodeHour = priceOf(r.elasticache.nodeHour, cache.nodeType.value, 'elasticache.nodeHour');
    add(`${region}: ElastiCache nodes`, cache.nodes.value * HOURS_PER_MONTH * rNodeHour, `${cache.nodes.value} x ${cache.nodeType.value} x 730 h x ${rNodeHour} USD`);
    const rTaskHours = Math.max(api.minTasks.value * HOURS_PER_MONTH, taskHours * share);
    const rTaskPrice = vcpu * r.fargate.x86.vcpuHour + memGb * r.fargate.x86.gbHour;
    add(`${region}: Fargate tasks`, rTaskHours * rTaskPrice, `${fmt(rTaskHours)} task-hours (${fmt(share * 100)} % of the traffic, at least ${api.minTasks.value} tasks) x ${rTaskPrice.toFixed(4)} USD`);
    add(`${region}: Application Load Balancer`, HOURS_PER_MONTH * (r.alb.hour + lcu * share * r.alb.lcuHour), `730 h + ${fmt(lcu * share)} LCU`);
    add(`${region}: NAT gateways`, network.natGateways.value * HOURS_PER_MONTH * r.natGateway.hour, `${network.natGateways.value} x 730 h`);
    const alarms = inputs.regions!.monitoring;
    if (alarms) {
      add(
        `${region}: CloudWatch alarms`,
        alarms.billedAlarmMetrics.value * r.cloudwatch.alarmMonth + alarms.compositeAlarmCount.value * r.cloudwatch.compositeAlarmMonth + alarms.dashboards.value * r.cloudwatch.dashboardMonth,
        `${alarms.alarmCount.value} alarms (${alarms.billedAlarmMetrics.value} alarm metrics) + ${alarms.compositeAlarmCount.value} composite, ${alarms.dashboards.value} dashboard`,
      );
    }
  }

  const totalUsd = lines.reduce((sum, line) => sum + line.usd, 0);
  const { ceiling, ceilingUsd } = phaseCeiling(model, traffic.peakRps.value);
  const rate = model.budget.usdPerUnit ?? 1;
  const totalInCurrency = totalUsd / rate;
  const currency = model.budget.currency;
  const users = model.current.monthlyActiveUsers;
  return {
    lines,
    totalUsd,
    ceiling,
    ceilingUsd,
    currency,
    totalInCurrency,
    priceTableVersion: PRICE_TABLE.version,
    per1000PeakRps: totalInCurrency / (traffic.peakRps.value / 1000),
    perUser: users === undefined ? undefined : totalInCurrency / (users * inputs.multiplier),
    overrun:
      totalUsd > ceilingUsd.value
        ? overrunMessage({ lines, total: totalInCurrency, ceiling, currency, peakRps: traffic.peakRps.value, allowOverrun: model.budget.allowOverrun === true })
        : undefined,
  };
}

/** What {@link overrunMessage} needs to know about one phase. */
interface Overrun {
  readonly lines: readonly CostLine[];
  /** Projected monthly cost, in the budget's currency. */
  readonly total: number;
  readonly ceiling: Sized;
  readonly currency: string;
  /** The phase's daily peak: the traffic `budget.costPer1000PeakRps` scales with. */
  readonly peakRps: number;
  readonly allowOverrun: boolean;
}

/**
 * Why a phase is over budget, with the three biggest line items (what to cut first) and the budget values that would
 * make it fit: a `budget.costPer1000PeakRps` (the ceiling that grows with traffic, which a flat ceiling never does)
 * and a flat `budget.monthlyCeiling`, each rounded up to a whole unit.
 */
function overrunMessage(o: Overrun): string {
  const biggest = [...o.lines].sort((a, b) => b.usd - a.usd).slice(0, 3).map((l) => `${l.item} ${fmt(l.usd)} USD`).join(', ');
  const per1000 = Math.ceil(o.total / (o.peakRps / 1000));
  const flat = Math.ceil(o.total);
  const fix =
    `To fit: budget.costPer1000PeakRps >= ${fmt(per1000)} ${o.currency} (the ceiling then grows with peak traffic: ` +
    `${fmt(per1000)} x ${fmt(o.peakRps / 1000)}k peak RPS), or budget.monthlyCeiling >= ${fmt(flat)} ${o.currency}, or cut cost`;
  const overrun = o.allowOverrun
    ? 'Synthesized anyway because budget.allowOverrun is true (remove it to make this an error).'
    : 'Or set budget.allowOverrun: true to synthesize it anyway, as a warning.';
  return (
    `projected ${fmt(o.total)} ${o.currency}/month is above the ceiling of ${fmt(o.ceiling.value)} ${o.currency} (${o.ceiling.why}); ` +
    `biggest items: ${biggest}. ${fix}. ${overrun}`
  );
}

function priceOf(table: Record<string, number>, key: string, what: string): number {
  const price = table[key];
  if (price === undefined) throw new Error(`price table has no ${what} for '${key}' (have: ${Object.keys(table).join(', ')})`);
  return price;
}
