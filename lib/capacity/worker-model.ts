/**
 * How one API task queues its requests, which decides its p95 at a given CPU utilisation.
 *
 * - 'shared-queue': one queue in front of all v vCPUs (a multi-threaded server whose threads block on I/O): an M/M/v
 *   queue (Erlang C) for the CPU work, then the database/cache time.
 * - 'per-worker': Node's `cluster` module (the seeds' Phase 1) hands each new *connection* round-robin to a
 *   single-threaded worker, and every request on that connection queues behind that worker only. With many
 *   keep-alive connections (the load balancer keeps dozens per target) each request lands on a worker with
 *   probability 1/v independently of the others, so each worker is an M/M/1 queue fed λ/v: a worker can be busy while
 *   another idles. And a Node request needs its event loop twice: after the database/cache answers, the callback that
 *   writes the response waits behind the work already queued on that loop (measured on the reference service,
 *   scripts/reference-bench.ts). So a request's time is T1 + I/O + W2: T1 ~ Exp(μ − λ) is the M/M/1 response, and W2
 *   the CPU work of the requests that arrived while it waited and was served (cpuTailOf has the closed form).
 *
 * The database/cache time is exponential with the plan's mean; the p95 of the sum is computed exactly (a convolution),
 * not as a sum of p95s. `simulation.ts` (simulateTask) checks both models against a discrete-event simulation.
 */
import { mmc } from './queueing';

/** The two ways a task can queue requests on its vCPUs. */
export const WORKER_MODELS = ['per-worker', 'shared-queue'] as const;
/** How a task queues requests: one queue per single-threaded worker (Node cluster) or one shared queue (M/M/v). */
export type WorkerModel = (typeof WORKER_MODELS)[number];

/** Queueing measures of one task. */
export interface TaskResponse {
  /** Fraction of time an average vCPU is busy. */
  readonly utilization: number;
  /** Probability that a request waits for its worker (per-worker) or for any vCPU (shared queue). */
  readonly probWait: number;
  /** p95 of the time spent on the task's CPUs: queue, service and (per-worker) the wait to write the response. */
  readonly cpuP95Sec: number;
  /** p95 of the whole response: CPU time as above plus the exponential database/cache time. */
  readonly p95Sec: number;
  /** The queue that was solved, for the plan's reasons. */
  readonly queue: string;
}

/**
 * Solves one task with `vcpu` workers receiving `arrivalRatePerSec`, each request costing `serviceTimeSec` of CPU and
 * waiting `ioMeanSec` on average (exponential) for the database and cache. Throws when the CPU load reaches capacity.
 */
export function taskResponse(workerModel: WorkerModel, arrivalRatePerSec: number, vcpu: number, serviceTimeSec: number, ioMeanSec: number): TaskResponse {
  const cpuTail = cpuTailOf(workerModel, arrivalRatePerSec, vcpu, serviceTimeSec, ioMeanSec > 0);
  const total = ioMeanSec > 0 ? withExponential(cpuTail.tail, 1 / ioMeanSec) : cpuTail.tail;
  return {
    utilization: cpuTail.utilization,
    probWait: cpuTail.probWait,
    cpuP95Sec: solveTail(0.05, cpuTail.tail, cpuTail.meanSec),
    p95Sec: solveTail(0.05, total, cpuTail.meanSec + ioMeanSec),
    queue:
      workerModel === 'per-worker'
        ? `${vcpu} x M/M/1 (one queue per Node worker, 1/${vcpu} of the requests each; the response after I/O queues again)`
        : `M/M/${vcpu} (one shared queue, Erlang C)`,
  };
}

/** The task's whole p95 when every vCPU is `utilization` busy on average. */
export function p95AtUtilizationSec(workerModel: WorkerModel, utilization: number, vcpu: number, serviceTimeSec: number, ioMeanSec: number): number {
  return taskResponse(workerModel, (utilization * vcpu) / serviceTimeSec, vcpu, serviceTimeSec, ioMeanSec).p95Sec;
}

/**
 * The highest utilisation (0..1, to 1e-5) at which the task's p95 stays within `p95BudgetSec`, or 0 when even a
 * nearly idle task misses it. The p95 rises with utilisation, so bisection finds it.
 */
export function maxUtilizationWithin(workerModel: WorkerModel, vcpu: number, serviceTimeSec: number, ioMeanSec: number, p95BudgetSec: number): number {
  const meets = (u: number) => p95AtUtilizationSec(workerModel, u, vcpu, serviceTimeSec, ioMeanSec) <= p95BudgetSec;
  if (!meets(1e-5)) return 0;
  let ok = 1e-5;
  let bad = 1;
  while (bad - ok > 1e-5) {
    const mid = (ok + bad) / 2;
    if (meets(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}

interface CpuTail {
  readonly tail: (tSec: number) => number;
  readonly meanSec: number;
  readonly utilization: number;
  readonly probWait: number;
}

/** The tail of the time on the CPUs; `requeue`: the response is written from a callback after I/O (per-worker only). */
function cpuTailOf(workerModel: WorkerModel, lambda: number, vcpu: number, serviceTimeSec: number, requeue: boolean): CpuTail {
  if (workerModel === 'shared-queue') {
    const q = mmc({ arrivalRatePerSec: lambda, serviceTimeSec, servers: vcpu });
    return { tail: (t) => q.probResponseExceeds(t), meanSec: q.meanResponseSec, utilization: q.utilization, probWait: q.probWait };
  }
  // One worker: M/M/1 at λ/v, checked (and its stability enforced) by mmc.
  const q = mmc({ arrivalRatePerSec: lambda / vcpu, serviceTimeSec, servers: 1 });
  const mu = 1 / serviceTimeSec;
  const arrivals = lambda / vcpu;
  const theta = mu - arrivals;
  if (!requeue) {
    // Without I/O the response is written in the first callback: the M/M/1 response time, Exp(θ).
    return { tail: (t) => Math.exp(-theta * t), meanSec: 1 / theta, utilization: q.utilization, probWait: q.probWait };
  }
  // With I/O, the callback that writes the response queues behind the requests that arrived at this worker while the
  // request itself was waiting and in service: T1 ~ Exp(θ), then W2 = the CPU work of Poisson(λ·T1) arrivals, each
  // Exp(μ). (The queue drains a little during the I/O, so this over-states W2 slightly when the I/O is long next to
  // the service time; the simulation measured at most ~8 % on the p95 then, and an exact match for short I/O.)
  // Laplace transform of T1 + W2: θ(μ + z) / (z² + (θ + μ + λ)z + θμ); with roots −r1, −r2 of the denominator the
  // tail is θ[(μ − r1)/r1 · e^{−r1 t} − (μ − r2)/r2 · e^{−r2 t}] / (r2 − r1).
  const b = theta + mu + arrivals;
  const r2 = (b + Math.sqrt(b * b - 4 * theta * mu)) / 2;
  const r1 = (theta * mu) / r2; // the product of the roots, without the cancellation of (b − sqrt(...)) / 2
  const a1 = (theta * (mu - r1)) / (r1 * (r2 - r1));
  const a2 = (theta * (mu - r2)) / (r2 * (r2 - r1));
  return {
    tail: (t) => a1 * Math.exp(-r1 * t) - a2 * Math.exp(-r2 * t),
    meanSec: (1 + q.utilization) / theta,
    utilization: q.utilization,
    probWait: q.probWait,
  };
}

/**
 * P(X + Y > t) for Y ~ Exp(β) independent of X: conditioning on Y, P(Y > t) + ∫_0^t β e^{−βy} P(X > t − y) dy.
 * Composite Simpson with 512 panels over [0, min(t, 40/β)]: beyond 40/β the weight is below e^{−40}, and the cut keeps
 * the panels narrow next to 1/β when the I/O is far shorter than t (else a panel would straddle the whole spike).
 */
function withExponential(tailX: (t: number) => number, beta: number): (t: number) => number {
  const panels = 512;
  return (t: number) => {
    if (t <= 0) return 1;
    const upper = Math.min(t, 40 / beta);
    const h = upper / panels;
    const f = (y: number) => beta * Math.exp(-beta * y) * tailX(t - y);
    let sum = f(0) + f(upper);
    for (let k = 1; k < panels; k++) sum += (k % 2 ? 4 : 2) * f(k * h);
    return Math.exp(-beta * t) + (sum * h) / 3;
  };
}

/** t with tail(t) = target for a decreasing tail, by bracketing from `scaleSec` then bisection to 1e-7 relative. */
function solveTail(target: number, tail: (t: number) => number, scaleSec: number): number {
  let lo = 0;
  let hi = scaleSec;
  while (tail(hi) > target) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1e-7 * hi) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
