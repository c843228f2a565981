/**
 * The report's words on feasibility, sharding and the write queue: the verdict table per phase, the shard count
 * and its migration, how cross-shard reads are served, and the queue's rates. Every value comes from the plan, and
 * every name (table, shard key, asynchronous writes) from the model.
 */
import { duration, PhasePlan, VERDICT_COLUMNS, verdictRow } from '../capacity';
import { Block, list, num, paragraph, table } from './blocks';
import type { RoadmapReport } from './report';

/** The verdict table of one phase: every component's load at the design peak against its limit. */
export function verdictBlock(plan: PhasePlan): Block {
  return table([...VERDICT_COLUMNS], plan.feasibility.map(verdictRow), ['left', 'right', 'right', 'right', 'left']);
}

const minutes = (sec: number) => (sec < 120 ? `${num(sec)} s` : `${num(sec / 60)} min`);

/** The database section's sharding and queue paragraphs. */
export function shardingBlocks(r: RoadmapReport): Block[] {
  const { workload, service } = r.model;
  const first = r.plans.find((p) => p.sharding.shards.value > 1);
  const queued = r.plans.find((p) => p.queue);
  const blocks: Block[] = [];
  if (!first) {
    blocks.push(paragraph(`Sharding: not needed within the three phases: one writer per phase carries every write (${r.plans.map((p) => `${p.label}: ${p.sharding.shards.why}`).join('; ')}).`));
  } else {
    const n = first.sharding.shards.value;
    const prefix = first.sharding.ssmPrefix.value;
    const last = r.plans[r.plans.length - 1];
    blocks.push(
      paragraph(
        `**Sharding from ${first.label}:** \`${workload.primaryTable}\` is split by hash of \`${workload.partitionKey}\` over ${n} Aurora clusters ` +
          `(${first.sharding.shards.why}). ${last !== first ? `${last.label}: ${last.sharding.shards.value} shards. ` : ''}` +
          `Each shard is the same cluster: ${first.database.instanceClass.value} writer + ${first.database.readers.value} readers and its own RDS Proxy; ` +
          `shard 0 is the cluster running since phase 1, kept in place. The application reads the shard map from SSM at start: ` +
          `\`${prefix}/count\` and, per shard n, \`${prefix}/<n>/proxy-endpoint\`, \`${prefix}/<n>/proxy-reader-endpoint\`, \`${prefix}/<n>/secret-arn\`; ` +
          `a row lives on shard hash(${workload.partitionKey}) mod ${n}.`,
      ),
      list([
        `Migration from 1 to ${n} shards (logical replication, then a per-range cut-over): deploy ${first.label} (the new clusters start empty; the shard map says count ${n}, but the application keeps routing every ${workload.partitionKey} to shard 0 until its range is cut over).`,
        `Copy: for each new shard, a logical-replication publication on shard 0 for \`${workload.primaryTable}\` (and the tables that hang off it) and a subscription on the new shard; rows of other hash ranges are deleted on the new shard after the initial copy, or filtered with a row filter (PostgreSQL 15+: \`CREATE PUBLICATION ... FOR TABLE ${workload.primaryTable} WHERE (...)\`).`,
        `Cut-over per hash range: block writes of that range for seconds (the application's range flag), wait for replication lag 0, switch the range's route to its shard, unblock. One range at a time, so a mistake affects 1/${n} of the ${workload.partitionKey}s.`,
        `Verify before and after each cut-over: row counts and a checksum per ${workload.partitionKey} range on both sides; afterwards delete the moved range from shard 0 (it keeps its own range).`,
        `Doubling later (${n} -> ${2 * n}): each shard splits its hash range in halves the same way; the other shards are untouched.`,
      ]),
      paragraph(
        `Cross-shard reads: a request for one ${workload.partitionKey} goes to one shard (the common case). ${workload.sharedReads} are not sharded: they stay on shard 0 and are served from Redis and CloudFront. ` +
          `Reads across ${workload.partitionKey}s (reports, search, admin lists) fan out to every shard's reader endpoint in parallel and merge in the application, or come from an analytics copy; they never join across shards inside one query.`,
      ),
    );
  }
  if (queued) {
    const q = queued.queue!;
    blocks.push(
      paragraph(
        `**Write queue from ${queued.label}:** ${workload.asyncWrites} (${num(q.asyncShare.value * 100)} % of writes) go to SQS and a worker service instead of the request path. ` +
          `Producer ${num(q.producerRatePerSec.value)} messages/s at the design peak (${num(q.dailyPeakProducerRatePerSec.value)}/s at the daily peak); ` +
          `consumer ${num(q.consumerRatePerSec.value)}/s (${q.consumerRatePerSec.why}). ` +
          `A ${r.model.peakPattern.flashSaleBurstMinutes}-minute flash-sale burst leaves ${num(q.burstBacklogMessages.value)} messages, drained in ${minutes(q.drainTimeSec.value)} once traffic is back at the daily peak. ` +
          `The writers size for the synchronous ${num(q.syncWriteRps.value)} writes/s plus the workers' ${num(q.consumerRatePerSec.value)}/s, not for the burst. ` +
          `Workers: ${q.minWorkers.value}-${q.maxWorkers.value} tasks scaled on ${num(q.backlogPerTaskTarget.value)} visible messages per task (${q.backlogPerTaskTarget.why}); ` +
          `a message failing ${q.maxReceiveCount.value} times moves to the dead-letter queue (kept ${duration(q.deadLetterRetentionSec.value)}). ` +
          `Phases before ${queued.label} have no queue: one writer carries every write there. ${service.name}'s ${workload.criticalWrite} is never shed.`,
      ),
    );
  } else if (workload.asyncWriteShare === 0) {
    blocks.push(paragraph('Write queue: none. The model marks no writes as asynchronous (workload.asyncWriteShare 0), so every write stays on the request path.'));
  }
  return blocks;
}
