/**
 * A small discrete-event simulation of the M/M/c FCFS queue, so the closed forms in `queueing.ts` can be checked
 * against something that does not share their derivation. Deterministic for a seed: no Math.random.
 */

// Local aliases for the hot loop: inside a vm context (Jest runs every test file in one) each lookup of a global such
// as `Math` goes through an interceptor the JIT cannot optimise, which made a million-customer run ten times slower.
const { floor, imul, log, max } = Math;

/** Options of {@link simulateMmc}. */
export interface SimulateMmcOptions {
  /** Mean arrival rate λ (requests per second, Poisson). */
  readonly arrivalRatePerSec: number;
  /** Mean service time 1/μ (seconds, exponential). */
  readonly serviceTimeSec: number;
  /** Number of identical servers c (a whole number >= 1). */
  readonly servers: number;
  /** Number of customers to simulate, warm-up included (a whole number >= 2). */
  readonly customers: number;
  /** Seed of the PRNG, a whole number in [0, 2^32 − 1]; the same seed gives the same samples. */
  readonly seed: number;
  /** Customers discarded at the start, while the empty system fills towards steady state. @default 10 % of `customers`, rounded down */
  readonly warmup?: number;
}

/** What one simulation run measured over the customers after the warm-up. */
export interface SimulateMmcResult {
  /** Time in the system (queue plus service) of each measured customer, in arrival order (seconds). */
  readonly responseTimesSec: Float64Array;
  /** Time in the queue of each measured customer, in arrival order (seconds). */
  readonly waitTimesSec: Float64Array;
  /** Offered work over offered capacity: the measured customers' service time / (c × the span of their arrivals). */
  readonly utilization: number;
  /** Fraction of measured customers that waited at all (found every server busy). */
  readonly probWait: number;
}

/**
 * Simulates `customers` arrivals to an M/M/c FCFS queue in O(n log c): a min-heap holds when each server next falls free,
 * and each arrival, in order, takes the earliest-free server. Under FCFS with identical servers that is exactly the queue:
 * service starts in arrival order, each at max(arrival, earliest free time).
 */
export function simulateMmc(opts: SimulateMmcOptions): SimulateMmcResult {
  const { arrivalRatePerSec: lambda, serviceTimeSec, servers, customers, seed } = opts;
  requirePositive('arrivalRatePerSec', lambda);
  requirePositive('serviceTimeSec', serviceTimeSec);
  requireWholeIn('servers', servers, 1, Number.MAX_SAFE_INTEGER);
  requireWholeIn('customers', customers, 2, Number.MAX_SAFE_INTEGER);
  requireWholeIn('seed', seed, 0, 0xffffffff);
  const warmup = opts.warmup ?? Math.floor(customers / 10);
  // At least two measured customers, so the span of their arrivals (the utilization's denominator) is not empty.
  requireWholeIn('warmup', warmup, 0, customers - 2);

  const random = mulberry32(seed);
  const exponential = (rate: number): number => -log(1 - random()) / rate; // inversion; 1 − u is in (0, 1]
  const freeAt = new Float64Array(servers); // a min-heap; every server starts free at time 0

  const measured = customers - warmup;
  const responseTimesSec = new Float64Array(measured);
  const waitTimesSec = new Float64Array(measured);
  let now = 0;
  let firstArrival = 0;
  let busySec = 0;
  let waited = 0;
  for (let i = 0; i < customers; i++) {
    now += exponential(lambda);
    const start = max(now, freeAt[0]);
    const service = exponential(1 / serviceTimeSec);
    replaceTop(freeAt, start + service);
    if (i < warmup) continue;
    const j = i - warmup;
    if (j === 0) firstArrival = now;
    waitTimesSec[j] = start - now;
    responseTimesSec[j] = start - now + service;
    busySec += service;
    if (start > now) waited++;
  }
  return {
    responseTimesSec,
    waitTimesSec,
    utilization: busySec / (servers * (now - firstArrival)),
    probWait: waited / measured,
  };
}

/** Options of {@link simulateTask}. */
export interface SimulateTaskOptions {
  /** 'shared-queue': one FCFS queue for all workers (M/M/v); 'per-worker': each connection pinned to one worker. */
  readonly workerModel: 'per-worker' | 'shared-queue';
  /** Mean arrival rate of requests at the task (requests per second, Poisson). */
  readonly arrivalRatePerSec: number;
  /** Mean CPU time of one request on one worker (seconds, exponential). */
  readonly serviceTimeSec: number;
  /** Workers (one per vCPU), a whole number >= 1. */
  readonly workers: number;
  /**
   * Keep-alive connections the load balancer holds to the task (per-worker only); Node's cluster primary hands
   * connection j to worker j mod `workers`, and each request arrives on a connection picked uniformly at random.
   * @default 32 x workers
   */
  readonly connections?: number;
  /**
   * Mean time a request waits on the database and cache after its CPU work (seconds, exponential). The worker is free
   * meanwhile (Node awaits I/O without blocking its event loop), so it adds to the response time, not to the queue.
   * @default 0
   */
  readonly ioMeanSec?: number;
  /** Requests to simulate, warm-up included (a whole number >= 2). */
  readonly customers: number;
  /** Seed of the PRNG, a whole number in [0, 2^32 − 1]. */
  readonly seed: number;
  /** Requests discarded at the start. @default 10 % of `customers`, rounded down */
  readonly warmup?: number;
}

/**
 * Simulates one API task the way it really queues: under 'per-worker', the task's requests arrive on `connections`
 * connections that Node's cluster module dealt round-robin to its workers, so a request waits for its own worker even
 * while another is idle, and after its I/O the callback that writes the response waits its turn on that worker's event
 * loop again (first come, first served with the requests that became ready before it; it costs no CPU here, the
 * request's CPU time covers it). Under 'shared-queue' any free worker takes the next request, and a thread resumes
 * after its I/O without queueing. Response times are CPU wait + CPU service + I/O (+ the second wait, per-worker).
 *
 * Jobs are taken in the order they become ready (arrivals, and I/O completions from a min-heap); each worker serves
 * its jobs first come, first served, so a job's start is max(ready, when its worker falls free).
 */
export function simulateTask(opts: SimulateTaskOptions): SimulateMmcResult {
  const { workerModel, arrivalRatePerSec: lambda, serviceTimeSec, workers, customers, seed } = opts;
  if (workerModel !== 'per-worker' && workerModel !== 'shared-queue') {
    throw new RangeError(`'workerModel' (${String(workerModel)}) must be 'per-worker' or 'shared-queue'`);
  }
  requirePositive('arrivalRatePerSec', lambda);
  requirePositive('serviceTimeSec', serviceTimeSec);
  requireWholeIn('workers', workers, 1, Number.MAX_SAFE_INTEGER);
  requireWholeIn('customers', customers, 2, Number.MAX_SAFE_INTEGER);
  requireWholeIn('seed', seed, 0, 0xffffffff);
  const connections = opts.connections ?? 32 * workers;
  requireWholeIn('connections', connections, 1, Number.MAX_SAFE_INTEGER);
  const ioMeanSec = opts.ioMeanSec ?? 0;
  if (typeof ioMeanSec !== 'number' || !Number.isFinite(ioMeanSec) || ioMeanSec < 0) {
    throw new RangeError(`'ioMeanSec' (${String(ioMeanSec)}) must be a finite number >= 0`);
  }
  const warmup = opts.warmup ?? Math.floor(customers / 10);
  requireWholeIn('warmup', warmup, 0, customers - 2);

  const random = mulberry32(seed);
  const exponential = (rate: number): number => -log(1 - random()) / rate;
  const perWorker = workerModel === 'per-worker';
  const requeue = perWorker && ioMeanSec > 0;
  // Shared queue: a min-heap of free times, the earliest-free worker takes the next request (FCFS).
  // Per worker: each worker's own free time; a request goes to the worker its connection belongs to.
  const freeAt = new Float64Array(workers);
  const arrivedAt = new Float64Array(customers);
  const responseAll = new Float64Array(customers);
  const waitAll = new Float64Array(customers);
  const completions = new CompletionHeap(requeue ? customers : 0);
  let now = 0;
  let busySec = 0;
  let waited = 0;
  let firstMeasured = 0;
  let lastArrival = 0;
  let i = 0;
  let nextArrival = exponential(lambda);
  while (i < customers || completions.size > 0) {
    const arrival = i < customers ? nextArrival : Infinity;
    if (completions.size > 0 && completions.topTime() <= arrival) {
      // The response callback of request j, ready after its I/O, waits for its worker's queued work.
      const ready = completions.topTime();
      const j = completions.topIndex();
      const w = completions.topWorker();
      completions.pop();
      const start = max(ready, freeAt[w]);
      freeAt[w] = start;
      responseAll[j] = start - arrivedAt[j];
      continue;
    }
    now = arrival;
    arrivedAt[i] = now;
    lastArrival = arrival;
    if (i === warmup) firstMeasured = arrival;
    const service = exponential(1 / serviceTimeSec);
    let start: number;
    let worker = 0;
    if (perWorker) {
      worker = floor(random() * connections) % workers;
      start = max(now, freeAt[worker]);
      freeAt[worker] = start + service;
    } else {
      start = max(now, freeAt[0]);
      replaceTop(freeAt, start + service);
    }
    const io = ioMeanSec > 0 ? exponential(1 / ioMeanSec) : 0;
    waitAll[i] = start - now;
    if (requeue) completions.push(start + service + io, i, worker);
    else responseAll[i] = start - now + service + io;
    if (i >= warmup) {
      busySec += service;
      if (start > now) waited++;
    }
    i++;
    nextArrival = now + exponential(lambda);
  }
  return {
    responseTimesSec: responseAll.slice(warmup),
    waitTimesSec: waitAll.slice(warmup),
    utilization: busySec / (workers * (lastArrival - firstMeasured)),
    probWait: waited / (customers - warmup),
  };
}

/** A min-heap of pending response callbacks: (ready time, request index, worker), in parallel typed arrays. */
class CompletionHeap {
  private readonly time: Float64Array;
  private readonly index: Int32Array;
  private readonly worker: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.index = new Int32Array(capacity);
    this.worker = new Int32Array(capacity);
  }

  topTime(): number {
    return this.time[0];
  }

  topIndex(): number {
    return this.index[0];
  }

  topWorker(): number {
    return this.worker[0];
  }

  push(t: number, j: number, w: number): void {
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (this.time[parent] <= t) break;
      this.time[k] = this.time[parent];
      this.index[k] = this.index[parent];
      this.worker[k] = this.worker[parent];
      k = parent;
    }
    this.time[k] = t;
    this.index[k] = j;
    this.worker[k] = w;
  }

  pop(): void {
    const n = --this.size;
    const t = this.time[n];
    const j = this.index[n];
    const w = this.worker[n];
    let k = 0;
    for (;;) {
      const left = 2 * k + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.time[right] < this.time[left] ? right : left;
      if (this.time[child] >= t) break;
      this.time[k] = this.time[child];
      this.index[k] = this.index[child];
      this.worker[k] = this.worker[child];
      k = child;
    }
    this.time[k] = t;
    this.index[k] = j;
    this.worker[k] = w;
  }
}

/**
 * The p-quantile (0 <= p <= 1) of `samples` by linear interpolation between order statistics
 * (Hyndman–Fan type 7, the default of R and NumPy): h = (n − 1)·p, then x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * Sorts a copy; `samples` is left as it was.
 */
export function quantile(samples: Float64Array, p: number): number {
  if (!(samples instanceof Float64Array) || samples.length === 0) {
    throw new RangeError(`'samples' (${samples instanceof Float64Array ? 'empty' : String(samples)}) must be a non-empty Float64Array`);
  }
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`'p' (${String(p)}) must be a number with 0 <= p <= 1`);
  }
  const sorted = samples.slice().sort(); // typed arrays sort numerically, unlike plain arrays
  if (Number.isNaN(sorted[sorted.length - 1])) {
    throw new RangeError(`'samples' (a Float64Array of ${samples.length}) must not contain NaN`);
  }
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

/**
 * mulberry32 (Tommy Ettinger's public-domain 32-bit generator): one word of state, uniform in [0, 1) at 2^-32 resolution.
 * Its 2^32 period is far beyond the ~10^6 draws of a test run, and it is fast enough to keep those runs in milliseconds.
 */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = imul(z ^ (z >>> 15), z | 1);
    z ^= z + imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces the smallest element of a min-heap with `value` and sifts it down. */
function replaceTop(heap: Float64Array, value: number): void {
  const n = heap.length;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right] < heap[left] ? right : left;
    if (heap[child] >= value) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = value;
}

function requirePositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`'${name}' (${String(value)}) must be a finite number > 0`);
  }
}

function requireWholeIn(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`'${name}' (${String(value)}) must be a whole number ${range}`);
  }
}
