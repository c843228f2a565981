/**
 * Queue-based load levelling: the writes the model marks asynchronous go through SQS to a worker service whose
 * drain rate, not the flash-sale peak, is what the database sees from them.
 *
 *   producer (design peak)  = design writes/s x workload.asyncWriteShare
 *   consumer (max workers)  = producer at the daily peak x max(safety margin, 1.25)   (the levelled rate)
 *   backlog after a burst   = (producer - consumer) x peakPattern.flashSaleBurstMinutes
 *   drain time              = backlog / (consumer - daily-peak producer)
 *   backlog per task target = workload.asyncLatencySec / processing time per message x messages in flight per task
 *                             (AWS's backlog-per-instance rule, for a worker that works on several messages at once)
 */
import { fargateMemoryMiB } from './api-sizing';
import { sized, TrafficPlan, WriteQueuePlan } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/**
 * Messages one worker task (1 vCPU, one Node process) works on at once: the time per message is mostly waiting on
 * the database and downstream calls, so one event loop keeps five SQS receive batches of 10 in flight.
 */
export const WORKER_IN_FLIGHT_PER_TASK = 50;
/** vCPU of a worker task: one Node process. */
export const WORKER_VCPU = 1;
/** A message failing this many receives is poison (a bug, not load): it moves to the dead-letter queue. */
export const QUEUE_MAX_RECEIVE_COUNT = 5;
/** SQS's longest retention (14 days): the dead-letter queue keeps failed messages for investigation that long. */
export const SQS_MAX_RETENTION_SEC = 14 * 86_400;
/** SQS's default retention (4 days): the queue keeps at least this much, more when a burst's backlog ages longer. */
const SQS_DEFAULT_RETENTION_SEC = 4 * 86_400;
/** The consumer runs at least this far above the daily-peak producer rate, so a burst's backlog drains. */
const MIN_DRAIN_HEADROOM = 1.25;

/**
 * Whether a phase levels its writes through the queue: the model allows asynchronous writes and, without the queue,
 * one writer on the largest class could not carry the phase's writes (the queue is cheaper than another shard).
 */
export function queueNeeded(model: Capacity, fullWriteQps: number, perWriterCapacityQps: number): boolean {
  return model.workload.asyncWriteShare > 0 && fullWriteQps > perWriterCapacityQps;
}

/** Sizes the queue, its dead-letter queue and its workers for one phase. */
export function planQueue(model: Capacity, traffic: TrafficPlan): WriteQueuePlan {
  const { workload, policy, peakPattern } = model;
  const share = workload.asyncWriteShare;
  const designWrites = traffic.designWriteRps.value;
  const dailyPeakShare = traffic.peakRps.value / traffic.designPeakRps.value;
  const producer = designWrites * share;
  const dailyPeakProducer = producer * dailyPeakShare;
  const headroom = Math.max(policy.safetyMargin, MIN_DRAIN_HEADROOM);
  const levelled = Math.min(producer, dailyPeakProducer * headroom);
  const perTask = WORKER_IN_FLIGHT_PER_TASK / (workload.asyncMessageMs / 1000);
  const maxWorkers = Math.max(policy.minTasks, Math.ceil(levelled / perTask));
  const consumer = maxWorkers * perTask;
  const baselineProducer = producer * (traffic.baselineRps.value / traffic.designPeakRps.value);
  const minWorkers = Math.min(maxWorkers, Math.max(policy.minTasks, Math.ceil(baselineProducer / perTask)));
  const burstSec = peakPattern.flashSaleBurstMinutes * 60;
  const backlog = Math.max(0, producer - consumer) * burstSec;
  const drainSec = backlog === 0 ? 0 : backlog / (consumer - dailyPeakProducer);
  // The oldest message of a burst waits for the backlog ahead of it: at most the burst plus the drain.
  const worstAgeSec = Math.max(workload.asyncLatencySec, backlog === 0 ? 0 : burstSec + drainSec);
  const retention = Math.min(SQS_MAX_RETENTION_SEC, Math.max(SQS_DEFAULT_RETENTION_SEC, Math.ceil(2 * worstAgeSec)));
  const visibility = Math.min(43_200, Math.max(30, Math.ceil((6 * workload.asyncMessageMs) / 1000)));

  return {
    asyncWrites: sized(workload.asyncWrites, 'workload.asyncWrites'),
    asyncShare: sized(share, 'workload.asyncWriteShare'),
    producerRatePerSec: sized(producer, `design writes ${fmt(designWrites)}/s x async share ${fmt(share * 100)} %`),
    dailyPeakProducerRatePerSec: sized(dailyPeakProducer, `producer at the daily peak ${fmt(traffic.peakRps.value)} RPS (x ${fmt(dailyPeakShare)} of the design peak)`),
    consumerRatePerSec: sized(
      consumer,
      `${maxWorkers} max workers x ${fmt(perTask)} messages/s each: the daily-peak producer rate x ${fmt(headroom)} (max of safety margin and ${MIN_DRAIN_HEADROOM}), at most the design-peak producer rate`,
    ),
    syncWriteRps: sized(designWrites - producer, `design writes ${fmt(designWrites)}/s x (1 - async share ${fmt(share * 100)} %)`),
    messageProcessingMs: sized(workload.asyncMessageMs, 'workload.asyncMessageMs'),
    messagesPerTaskPerSec: sized(perTask, `${WORKER_IN_FLIGHT_PER_TASK} messages in flight per task / ${fmt(workload.asyncMessageMs)} ms each`),
    minWorkers: sized(minWorkers, `producer at the daily average ${fmt(baselineProducer)}/s / ${fmt(perTask)} per task, at least policy.minTasks ${policy.minTasks}`),
    maxWorkers: sized(maxWorkers, `ceil(levelled rate ${fmt(levelled)}/s / ${fmt(perTask)} messages/s per task), at least policy.minTasks ${policy.minTasks}`),
    backlogPerTaskTarget: sized(
      Math.max(1, Math.floor(workload.asyncLatencySec * perTask)),
      `AWS's backlog-per-instance rule: acceptable latency ${workload.asyncLatencySec} s / ${fmt(workload.asyncMessageMs)} ms per message x ${WORKER_IN_FLIGHT_PER_TASK} in flight per task`,
    ),
    burstBacklogMessages: sized(
      backlog,
      backlog === 0
        ? 'the workers keep up with the design-peak producer rate: no backlog builds'
        : `(producer ${fmt(producer)}/s - consumer ${fmt(consumer)}/s) x a ${peakPattern.flashSaleBurstMinutes}-minute flash-sale burst`,
    ),
    drainTimeSec: sized(
      drainSec,
      backlog === 0 ? 'no backlog to drain' : `backlog ${fmt(backlog)} / (consumer ${fmt(consumer)}/s - daily-peak producer ${fmt(dailyPeakProducer)}/s)`,
    ),
    maxReceiveCount: sized(QUEUE_MAX_RECEIVE_COUNT, `a message failing ${QUEUE_MAX_RECEIVE_COUNT} receives is poison, not load: it moves to the dead-letter queue`),
    retentionSec: sized(retention, `2 x the oldest planned message age ${fmt(worstAgeSec)} s, at least SQS's default 4 days, at most its 14`),
    deadLetterRetentionSec: sized(SQS_MAX_RETENTION_SEC, "SQS's maximum, 14 days: failed writes stay for investigation and replay"),
    visibilityTimeoutSec: sized(visibility, `6 x ${fmt(workload.asyncMessageMs)} ms per message, at least 30 s: a slow message is not handed to a second worker`),
    oldestMessageAlarmSec: sized(
      Math.ceil(worstAgeSec),
      backlog === 0
        ? `workload.asyncLatencySec ${workload.asyncLatencySec} s: older means the workers fall behind`
        : `the oldest planned age: a ${peakPattern.flashSaleBurstMinutes}-minute burst + ${fmt(drainSec / 60)} min drain; older means the workers fall behind`,
    ),
    workerCpuUnits: sized(WORKER_VCPU * 1024, `${WORKER_VCPU} vCPU: one Node process per worker task`),
    workerMemoryMiB: sized(fargateMemoryMiB(WORKER_VCPU, policy.memoryMiBPerVcpu), `${WORKER_VCPU} vCPU x policy.memoryMiBPerVcpu ${policy.memoryMiBPerVcpu} MiB, within Fargate's range`),
  };
}
