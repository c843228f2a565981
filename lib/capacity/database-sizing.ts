/**
 * Sizing of Aurora PostgreSQL: instance class, readers, and the RDS Proxy connection budget.
 */
import { AURORA_MAX_READERS, AURORA_MAX_STORAGE_GB, auroraMaxConnections, DB_INSTANCE_CLASSES } from './catalog';
import { littlesLaw, poolSize } from './formulas';
import { readerRule, utilizationAfterFailover } from './reader-rule';
import { ApiPlan, DatabasePlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { planWindows } from './windows';
import { fmt } from './traffic';

/** Working set and total size grow with traffic^exponent (users add orders; the catalog stays). */
export function dataScale(model: Capacity, multiplier: number): number {
  return multiplier ** model.growth.dataGrowthExponent;
}

/** What the database tier carries when it is split: the shard count and the write queries all shards take together. */
export interface ShardLoad {
  readonly shards: number;
  /** Write queries/s of all shards together at the design peak (synchronous writes plus the write queue's drain). */
  readonly totalWriteQps: number;
  /** Why the total is what it is. */
  readonly totalWriteWhy: string;
}

/** Sizes one shard's Aurora cluster for one phase (without `load`: one cluster takes every write). */
export function planDatabase(
  model: Capacity,
  multiplier: number,
  traffic: TrafficPlan,
  api: ApiPlan,
  load?: ShardLoad,
): { database: DatabasePlan; warnings: string[] } {
  const { policy, current } = model;
  const warnings: string[] = [];
  const shards = load?.shards ?? 1;
  // Rows are spread by the hash of the shard key, so data, reads and writes split evenly over the shards.
  const perShard = shards > 1 ? ` / ${shards} shards` : '';
  const scale = dataScale(model, multiplier);
  const workingSet = (current.workingSetGb * scale) / shards;
  const storage = (current.databaseSizeGb * scale) / shards;
  const readQps = (traffic.originDesignReadRps.value * (1 - policy.cacheHitRatio) * current.dbQueriesPerRead) / shards;
  const writeQps = (load?.totalWriteQps ?? traffic.designWriteRps.value * current.dbQueriesPerWrite) / shards;
  const writeWhy = load ? `${load.totalWriteWhy}${perShard}` : `design writes ${fmt(traffic.designWriteRps.value)}/s x ${current.dbQueriesPerWrite} queries`;
  const target = policy.dbTargetCpuPct / 100;

  // The writer takes every write and cannot be scaled out, so it sets the class; readers share the class
  // so that any reader can be promoted to writer on failover and carry the write load.
  const writerVcpuNeeded = writeQps / (policy.dbWriteQpsPerVcpu * target);
  const memoryNeeded = workingSet / policy.dbBufferCacheShare;
  let cls = DB_INSTANCE_CLASSES.find((c) => c.vcpu >= writerVcpuNeeded && c.memoryGiB >= memoryNeeded);
  if (!cls) {
    cls = DB_INSTANCE_CLASSES[DB_INSTANCE_CLASSES.length - 1];
    warnings.push(
      `Database: the writer needs ${fmt(writerVcpuNeeded)} vCPU and ${fmt(memoryNeeded)} GiB at design peak, beyond the largest class ${cls.name} ` +
        `(${cls.vcpu} vCPU, ${cls.memoryGiB} GiB): shard writes (e.g. ${model.workload.primaryTable} by ${model.workload.partitionKey}) or level them through a queue`,
    );
  }

  if (storage > AURORA_MAX_STORAGE_GB) {
    warnings.push(`Database: ${fmt(storage)} GB of data exceeds Aurora's ${fmt(AURORA_MAX_STORAGE_GB)} GB cluster volume: archive or shard`);
  }
  const readerCapacity = cls.vcpu * policy.dbReadQpsPerVcpu * target;
  const rule = readerRule({
    readQps,
    writeQps,
    vcpu: cls.vcpu,
    readQpsPerVcpu: policy.dbReadQpsPerVcpu,
    writeQpsPerVcpu: policy.dbWriteQpsPerVcpu,
    targetCpuPct: policy.dbTargetCpuPct,
  });
  let readers = rule.readers;
  if (readers > AURORA_MAX_READERS) {
    warnings.push(`Database: reads need ${readers} readers, above Aurora's ${AURORA_MAX_READERS}: cache more or shard`);
    readers = AURORA_MAX_READERS;
  }
  const failoverUtil = utilizationAfterFailover(readers, readQps, writeQps, cls.vcpu, policy.dbReadQpsPerVcpu, policy.dbWriteQpsPerVcpu);

  const queryS = current.dbQueryMs / 1000;
  const pool = poolSize(cls.vcpu, policy.effectiveSpindles);
  // Little's law: concurrent queries = arrival rate x time in system, per instance at design peak.
  const peakConcurrent = littlesLaw(Math.max(writeQps, readQps / readers), queryS);
  const budget = Math.max(pool, Math.ceil(peakConcurrent * policy.safetyMargin));
  const maxConnections = auroraMaxConnections(cls.memoryGiB);
  const proxyPct = Math.min(100, Math.max(1, Math.ceil((100 * budget * policy.safetyMargin) / maxConnections)));
  if (budget * policy.safetyMargin > maxConnections) {
    warnings.push(`Database: ${fmt(peakConcurrent)} concurrent queries (x safety ${policy.safetyMargin}) need more than ${cls.name}'s ${maxConnections} connections`);
  }
  const perTaskConcurrent = littlesLaw((writeQps + readQps) / api.tasksAtDesignPeak.value, queryS);
  const clientPool = Math.max(2, Math.ceil(perTaskConcurrent * policy.safetyMargin));

  return {
    warnings,
    database: {
      workingSetGb: sized(workingSet, `today's ${current.workingSetGb} GB x ${multiplier}^${model.growth.dataGrowthExponent}${perShard}`),
      storageGb: sized(storage, `today's ${current.databaseSizeGb} GB x ${multiplier}^${model.growth.dataGrowthExponent}${perShard}`),
      writeQps: sized(writeQps, writeWhy),
      readQps: sized(
        readQps,
        `origin reads ${fmt(traffic.originDesignReadRps.value)}/s x Redis misses ${fmt((1 - policy.cacheHitRatio) * 100)} % x ${current.dbQueriesPerRead} queries${perShard}`,
      ),
      instanceClass: sized(
        cls.name,
        `smallest class with >= ${fmt(writerVcpuNeeded)} vCPU (writes at ${policy.dbTargetCpuPct} % CPU) and >= ${fmt(memoryNeeded)} GiB (working set in buffer cache)`,
      ),
      instanceVcpu: sized(cls.vcpu, `${cls.name}`),
      instanceMemoryGiB: sized(cls.memoryGiB, `${cls.name}`),
      writerUtilization: sized(writeQps / (cls.vcpu * policy.dbWriteQpsPerVcpu), `write QPS / (${cls.vcpu} vCPU x ${fmt(policy.dbWriteQpsPerVcpu)} QPS/vCPU)`),
      readersForReadLoad: sized(
        rule.readersForLoad,
        `seeds' formula: ceil(read QPS ${fmt(readQps)} / ${fmt(readerCapacity)} per reader (${cls.vcpu} vCPU x ${fmt(policy.dbReadQpsPerVcpu)} QPS/vCPU at ${policy.dbTargetCpuPct} % CPU))`,
      ),
      readers: sized(readers, rule.why),
      readerUtilizationAfterFailover: sized(
        failoverUtil,
        readers > 1
          ? `read QPS / (${readers - 1} readers left after a failover promotes one x ${cls.vcpu} vCPU x ${fmt(policy.dbReadQpsPerVcpu)} QPS/vCPU)`
          : `the promoted writer carries writes and reads: (${fmt(writeQps)} / ${fmt(policy.dbWriteQpsPerVcpu)} + ${fmt(readQps)} / ${fmt(policy.dbReadQpsPerVcpu)}) vCPU / ${cls.vcpu} vCPU`,
      ),
      readerUtilization: sized(readQps / (readers * cls.vcpu * policy.dbReadQpsPerVcpu), `read QPS / (${readers} readers x ${cls.vcpu} vCPU x ${fmt(policy.dbReadQpsPerVcpu)} QPS/vCPU)`),
      poolFormulaConnections: sized(pool, `seeds' pool formula: ${cls.vcpu} cores x 2 + ${policy.effectiveSpindles} spindle`),
      peakConcurrentQueries: sized(peakConcurrent, `Little's law on the busiest instance: QPS x ${current.dbQueryMs} ms`),
      connectionBudget: sized(budget, `max(pool formula ${pool}, concurrent queries ${fmt(peakConcurrent)} x safety ${policy.safetyMargin})`),
      clientPoolPerTask: sized(
        clientPool,
        `Little's law per task: ${fmt((writeQps + readQps) / api.tasksAtDesignPeak.value)} QPS x ${current.dbQueryMs} ms x safety ${policy.safetyMargin}, at least 2`,
      ),
      maxConnections: sized(maxConnections, `Aurora default max_connections for ${cls.memoryGiB} GiB`),
      proxyMaxConnectionsPercent: sized(
        proxyPct,
        `budget ${budget} x safety ${policy.safetyMargin} (pinned sessions, bursts) of max_connections ${maxConnections}: the proxy queues beyond it instead of overloading the DB`,
      ),
      proxyMaxIdleConnectionsPercent: sized(Math.ceil(proxyPct / 2), 'half the proxy ceiling stays warm for the next burst'),
      backupRetentionDays: sized(policy.backupRetentionDays, 'policy.backupRetentionDays (point-in-time recovery window)'),
      backupWindow: planWindows(model.aws.region).auroraBackupWindow,
      maintenanceWindow: planWindows(model.aws.region).auroraMaintenanceWindow,
      slowQueryLogMs: sized(Math.max(1, Math.round(model.slo.p95Ms / 5)), `a fifth of the p95 SLO ${model.slo.p95Ms} ms: one query using that much is worth a log line`),
    },
  };
}
