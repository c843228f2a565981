/**
 * How one API task queues its requests, which decides its p95 at a given CPU utilisation.
 *
 * - 'shared-queue': one queue in front of all v vCPUs (a multi-threaded server, or one event loop per vCPU taking
 *   requests from a shared accept queue): an M/M/v queue, Erlang C.
 * - 'per-worker': Node's `cluster` module (the seeds' Phase 1) hands each new *connection* round-robin to a
 *   single-threaded worker, and every request on that connection queues behind that worker only. With many
 *   keep-alive connections (the load balancer keeps dozens per target) each request lands on a worker with
 *   probability 1/v independently of the others, so each worker is an M/M/1 queue fed λ/v. A worker can be busy
 *   while another idles, so at the same utilisation the p95 is far higher than a shared queue's.
 *
 * `simulation.ts` (simulateTask) checks both against a discrete-event simulation of connections pinned to workers.
 */
import { mmc, MmcResult } from './queueing';

/** The two ways a task can queue requests on its vCPUs. */
export const WORKER_MODELS = ['per-worker', 'shared-queue'] as const;
/** How a task queues requests: one queue per single-threaded worker (Node cluster) or one shared queue (M/M/v). */
export type WorkerModel = (typeof WORKER_MODELS)[number];

/** Queueing measures of one task (CPU only: no database or cache time). */
export interface TaskQueueResult {
  /** Fraction of time an average vCPU is busy. */
  readonly utilization: number;
  /** Probability that a request waits for its worker (per-worker) or for any vCPU (shared queue). */
  readonly probWait: number;
  readonly meanResponseSec: number;
  readonly p95ResponseSec: number;
  /** The queue that was solved, for the plan's reasons: 'M/M/4' or '4 x M/M/1'. */
  readonly queue: string;
}

/** Solves one task with `vcpu` workers receiving `arrivalRatePerSec`, each request costing `serviceTimeSec` of CPU. */
export function taskQueue(workerModel: WorkerModel, arrivalRatePerSec: number, vcpu: number, serviceTimeSec: number): TaskQueueResult {
  const r: MmcResult =
    workerModel === 'per-worker'
      ? mmc({ arrivalRatePerSec: arrivalRatePerSec / vcpu, serviceTimeSec, servers: 1 })
      : mmc({ arrivalRatePerSec, serviceTimeSec, servers: vcpu });
  return {
    utilization: r.utilization,
    probWait: r.probWait,
    meanResponseSec: r.meanResponseSec,
    p95ResponseSec: r.p95ResponseSec,
    queue: workerModel === 'per-worker' ? `${vcpu} x M/M/1 (one per worker, 1/${vcpu} of the requests each)` : `M/M/${vcpu}`,
  };
}

/** The task's p95 (CPU queue plus service) when every vCPU is `utilization` busy on average. */
export function p95AtUtilizationSec(workerModel: WorkerModel, utilization: number, vcpu: number, serviceTimeSec: number): number {
  return taskQueue(workerModel, (utilization * vcpu) / serviceTimeSec, vcpu, serviceTimeSec).p95ResponseSec;
}

/**
 * The highest utilisation (0..1, to 1e-6) at which the task's p95 stays within `p95BudgetSec`, or 0 when even an idle
 * task misses it (the service time alone has p95 ln 20 x its mean). The p95 rises with utilisation, so bisection finds it.
 */
export function maxUtilizationWithin(workerModel: WorkerModel, vcpu: number, serviceTimeSec: number, p95BudgetSec: number): number {
  if (!(p95BudgetSec > serviceTimeSec * Math.log(20))) return 0;
  let ok = 0;
  let bad = 1;
  while (bad - ok > 1e-6) {
    const mid = (ok + bad) / 2;
    if (p95AtUtilizationSec(workerModel, mid, vcpu, serviceTimeSec) <= p95BudgetSec) ok = mid;
    else bad = mid;
  }
  return ok;
}
