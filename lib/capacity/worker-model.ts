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
 *   the CPU work of the requests that arrived while it waited and was served (cpuTimeOf has the closed form).
 *
 * The database/cache time is exponential with the plan's mean; the p95 of the sum is computed exactly (a convolution),
 * not as a sum of p95s. `simulation.ts` (simulateTask) checks both models against a discrete-event simulation.
 */
import { erlangC, solveTail } from './queueing';

// Local aliases: inside a vm context (Jest runs every test file in one) each lookup of the global `Math` is slow, and
// these run in the planner's inner loops.
const { abs, exp, expm1, min, sqrt } = Math;

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
  const cpu = cpuTimeOf(workerModel, arrivalRatePerSec, vcpu, serviceTimeSec, ioMeanSec > 0);
  const cpuTail = (t: number) => mixtureTail(cpu.terms, t);
  // An I/O time below a nanosecond (or a denormal one, whose rate overflows) adds nothing measurable.
  const total = ioMeanSec > 1e-9 ? (t: number) => withExponentialTail(cpu.terms, 1 / ioMeanSec, t) : cpuTail;
  return {
    utilization: cpu.utilization,
    probWait: cpu.probWait,
    cpuP95Sec: solveTail(0.05, cpuTail, cpu.meanSec),
    p95Sec: ioMeanSec > 1e-9 ? solveTail(0.05, total, cpu.meanSec + ioMeanSec) : solveTail(0.05, cpuTail, cpu.meanSec),
    queue:
      workerModel === 'per-worker'
        ? `${vcpu} x M/M/1 (one queue per Node worker, 1/${vcpu} of the requests each; the response after I/O queues again)`
        : `M/M/${vcpu} (one shared queue, Erlang C)`,
  };
}

/** The task's whole p95 when every vCPU is `utilization` busy on average. */
export function p95AtUtilizationSec(workerModel: WorkerModel, utilization: number, vcpu: number, serviceTimeSec: number, ioMeanSec: number): number {
  return responseP95Sec(workerModel, (utilization * vcpu) / serviceTimeSec, vcpu, serviceTimeSec, ioMeanSec);
}

/** The whole p95 only (what the planner's searches need), without the CPU-only p95 taskResponse also reports. */
export function responseP95Sec(workerModel: WorkerModel, arrivalRatePerSec: number, vcpu: number, serviceTimeSec: number, ioMeanSec: number): number {
  const cpu = cpuTimeOf(workerModel, arrivalRatePerSec, vcpu, serviceTimeSec, ioMeanSec > 0);
  return ioMeanSec > 1e-9
    ? solveTail(0.05, (t) => withExponentialTail(cpu.terms, 1 / ioMeanSec, t), cpu.meanSec + ioMeanSec)
    : solveTail(0.05, (t) => mixtureTail(cpu.terms, t), cpu.meanSec);
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

/** A tail written as a sum of exponentials: P(X > t) = Σ a·e^{−r·t}, with Σ a = 1. */
type Mixture = ReadonlyArray<{ readonly a: number; readonly r: number }>;

interface CpuTime {
  readonly terms: Mixture;
  readonly meanSec: number;
  readonly utilization: number;
  readonly probWait: number;
}

/** The time a request spends on the task's CPUs, as a sum of exponentials; `requeue`: the response is written after I/O. */
function cpuTimeOf(workerModel: WorkerModel, lambda: number, vcpu: number, serviceTimeSec: number, requeue: boolean): CpuTime {
  const mu = 1 / serviceTimeSec;
  if (workerModel === 'shared-queue') {
    // Erlang C (throws when the load reaches the servers). Response = S with probability 1 − C, else W + S with
    // W ~ Exp(θ), θ = vμ − λ (queueing.ts derives it): P(T > t) = (1 − C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ).
    // At θ = μ the two terms cancel; θ is nudged by one part in a million there (the tail is continuous in θ).
    const c = erlangC(vcpu, lambda * serviceTimeSec);
    const exactTheta = vcpu * mu - lambda;
    const theta = abs(exactTheta - mu) < 1e-6 * mu ? mu * (1 + 1e-6) : exactTheta;
    return {
      terms: [
        { a: 1 - c + (c * theta) / (theta - mu), r: mu },
        { a: (-c * mu) / (theta - mu), r: theta },
      ],
      meanSec: c / exactTheta + serviceTimeSec,
      utilization: (lambda * serviceTimeSec) / vcpu,
      probWait: c,
    };
  }
  // One worker: M/M/1 at λ/v; Erlang C with one server is ρ, and throws when ρ >= 1.
  const arrivals = lambda / vcpu;
  const rho = erlangC(1, arrivals * serviceTimeSec);
  const theta = mu - arrivals;
  if (!requeue) {
    // Without I/O the response is written in the first callback: the M/M/1 response time, Exp(θ).
    return { terms: [{ a: 1, r: theta }], meanSec: 1 / theta, utilization: rho, probWait: rho };
  }
  // With I/O, the callback that writes the response queues behind the requests that arrived at this worker while the
  // request itself was waiting and in service: T1 ~ Exp(θ), then W2 = the CPU work of Poisson(λ·T1) arrivals, each
  // Exp(μ). (The queue drains a little during the I/O, so this over-states W2 slightly when the I/O is long next to
  // the service time; the simulation measured up to ~10 % on the p95 then, and a match for short I/O.)
  // Laplace transform of T1 + W2: θ(μ + z) / (z² + (θ + μ + λ)z + θμ); with roots −r1, −r2 of the denominator the
  // tail is θ[(μ − r1)/r1 · e^{−r1 t} − (μ − r2)/r2 · e^{−r2 t}] / (r2 − r1).
  const b = theta + mu + arrivals;
  const r2 = (b + sqrt(b * b - 4 * theta * mu)) / 2;
  const r1 = (theta * mu) / r2; // the product of the roots, without the cancellation of (b − sqrt(...)) / 2
  return {
    terms: [
      { a: (theta * (mu - r1)) / (r1 * (r2 - r1)), r: r1 },
      { a: (-theta * (mu - r2)) / (r2 * (r2 - r1)), r: r2 },
    ],
    meanSec: (1 + rho) / theta,
    utilization: rho,
    probWait: rho,
  };
}

function mixtureTail(terms: Mixture, t: number): number {
  let sum = 0;
  for (const { a, r } of terms) sum += a * exp(-r * t);
  return sum;
}

/**
 * P(X + Y > t) for Y ~ Exp(β) independent of X with P(X > t) = Σ a·e^{−rt}: conditioning on Y,
 *   e^{−βt} + Σ a ∫_0^t β e^{−βy} e^{−r(t−y)} dy = e^{−βt} + Σ a β (e^{−rt} − e^{−βt}) / (β − r),
 * and (e^{−rt} − e^{−βt}) / (β − r) = e^{−min(r,β)t} · t · g(|β − r| t) with g(x) = (1 − e^{−x})/x, which has no
 * cancellation when r is close to β (g(0) = 1 gives the equal-rates case).
 */
function withExponentialTail(terms: Mixture, beta: number, t: number): number {
  let sum = exp(-beta * t);
  for (const { a, r } of terms) {
    const x = abs(beta - r) * t;
    const g = x === 0 ? 1 : -expm1(-x) / x;
    sum += a * beta * exp(-min(r, beta) * t) * t * g;
  }
  return sum;
}

