/**
 * Sharding, derived: how many Aurora clusters the phase's writes need, and the shard map the application reads.
 *
 *   per-writer capacity = largest class vCPU x policy.dbWriteQpsPerVcpu x policy.dbTargetCpuPct
 *   shards              = next power of two >= ceil(write QPS at the design peak / per-writer capacity)
 *
 * Powers of two because a shard's hash range splits in halves when the count doubles: each new shard takes half of
 * one existing shard's rows, and the other shards are untouched. When a shard of that count is still over another
 * limit (reader CPU beyond 15 readers, buffer-cache memory, connections, storage), the count doubles again.
 */
import { AURORA_MAX_READERS, DB_INSTANCE_CLASSES } from './catalog';
import { readerRule } from './reader-rule';
import { planDatabase } from './database-sizing';
import { blockingVerdicts, databaseVerdicts } from './feasibility';
import { ApiPlan, DatabasePlan, ShardingPlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/**
 * The most shards one phase stack deploys. Each shard is an Aurora cluster with its readers, RDS Proxy, secret
 * rotation and shard-map parameters (about 25 CloudFormation resources); with the rest of the stack, 16 stay well
 * inside CloudFormation's 500 resources per stack. Beyond it the plan fails: the phase needs a different design.
 */
export const MAX_SHARDS = 16;

/** The largest Aurora class: one writer's ceiling. */
const LARGEST = DB_INSTANCE_CLASSES[DB_INSTANCE_CLASSES.length - 1];

/** Write queries/s one writer on the largest class carries at the target CPU. */
export function perWriterCapacityQps(model: Capacity): number {
  return LARGEST.vcpu * model.policy.dbWriteQpsPerVcpu * (model.policy.dbTargetCpuPct / 100);
}

/** The smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, n)));
}

/** The SSM path of a service's shard map. */
export function shardMapPrefix(serviceName: string): string {
  return `/${serviceName}/shards`;
}

/**
 * Plans the shard count and one shard's cluster. Starts at the count the writes need and doubles while a shard is
 * over a database limit, up to MAX_SHARDS (where the phase's feasibility check then fails, naming the limit).
 */
export function planSharding(
  model: Capacity,
  multiplier: number,
  traffic: TrafficPlan,
  api: ApiPlan,
  totalWriteQps: number,
  totalWriteWhy: string,
): { sharding: ShardingPlan; database: DatabasePlan; warnings: string[] } {
  const capacity = perWriterCapacityQps(model);
  const forWrites = Math.ceil(totalWriteQps / capacity);
  const start = Math.min(MAX_SHARDS, nextPowerOfTwo(forWrites));
  let shards = start;
  let planned = planDatabase(model, multiplier, traffic, api, { shards, totalWriteQps, totalWriteWhy });
  const doubledFor: string[] = [];
  while (shards < MAX_SHARDS) {
    const over = blockingVerdicts(databaseVerdicts(planned.database, model.policy));
    if (!over.length) break;
    doubledFor.push(over.map((v) => v.component).join(', '));
    shards *= 2;
    planned = planDatabase(model, multiplier, traffic, api, { shards, totalWriteQps, totalWriteWhy });
  }
  const { workload, policy } = model;
  const db = planned.database;
  // Shard 0 keeps the readers the whole read load needs on its class (never fewer than the other shards).
  const allReads = db.readQps.value * shards;
  const zero = shards === 1
    ? { readers: db.readers.value, why: db.readers.why }
    : (() => {
        const rule = readerRule({ readQps: allReads, writeQps: db.writeQps.value, vcpu: db.instanceVcpu.value, readQpsPerVcpu: policy.dbReadQpsPerVcpu, writeQpsPerVcpu: policy.dbWriteQpsPerVcpu, targetCpuPct: policy.dbTargetCpuPct });
        const readers = Math.min(AURORA_MAX_READERS, Math.max(db.readers.value, rule.readers));
        return { readers, why: `shard 0 serves every read of the ranges not yet cut over (and the shared reads): the reader rule on all ${fmt(allReads)} read QPS: ${rule.why}` };
      })();
  const why =
    `ceil(write QPS ${fmt(totalWriteQps)} / ${fmt(capacity)} per writer) = ${forWrites}, rounded up to a power of two = ${start}` +
    (doubledFor.length ? `; doubled to ${shards} because one shard was over: ${doubledFor.join('; ')}` : '') +
    (shards === 1 ? ': one writer carries every write, no sharding' : '');
  return {
    warnings: planned.warnings,
    database: planned.database,
    sharding: {
      shards: sized(shards, why),
      table: sized(workload.primaryTable, 'workload.primaryTable'),
      shardKey: sized(workload.partitionKey, `workload.partitionKey: shard = hash(${workload.partitionKey}) mod ${shards}`),
      perWriterCapacityQps: sized(capacity, `${LARGEST.name} ${LARGEST.vcpu} vCPU x ${fmt(model.policy.dbWriteQpsPerVcpu)} write QPS/vCPU at ${model.policy.dbTargetCpuPct} % CPU`),
      totalWriteQps: sized(totalWriteQps, totalWriteWhy),
      writeQpsPerShard: sized(planned.database.writeQps.value, planned.database.writeQps.why),
      readQpsPerShard: sized(planned.database.readQps.value, planned.database.readQps.why),
      shardZeroReaders: sized(zero.readers, zero.why),
      ssmPrefix: sized(shardMapPrefix(model.service.name), 'one SSM parameter per shard endpoint, under the service name'),
    },
  };
}
