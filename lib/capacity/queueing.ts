/**
 * M/M/c queueing maths for sizing a tier: Poisson arrivals, exponential service, c identical servers, first come first served.
 * Pure numbers, no dependencies; `simulation.ts` checks these formulas against a discrete-event simulation.
 */

/** Inputs of an M/M/c queue, in requests per second and seconds. */
export interface MmcInput {
  /** Mean arrival rate λ (requests per second, Poisson). */
  readonly arrivalRatePerSec: number;
  /** Mean service time 1/μ of one request on one server (seconds, exponential). */
  readonly serviceTimeSec: number;
  /** Number of identical servers c (a whole number >= 1). */
  readonly servers: number;
}

/** Steady-state measures of an M/M/c queue; times are in seconds and exclude network and client time. */
export interface MmcResult {
  /** Offered load a = λ/μ in Erlangs (the average number of busy servers). */
  readonly offeredLoadErlangs: number;
  /** Utilization ρ = a/c: the fraction of time an average server is busy. */
  readonly utilization: number;
  /** Erlang C: the probability that an arriving request finds every server busy and has to wait. */
  readonly probWait: number;
  /** Mean time in the queue before service starts, C/(cμ − λ). */
  readonly meanWaitSec: number;
  /** Mean time in the system, queue plus service. */
  readonly meanResponseSec: number;
  /** The p-quantile (0 < p < 1) of the time in the queue; 0 when p <= 1 − probWait. */
  waitQuantileSec(p: number): number;
  /** The p-quantile (0 < p < 1) of the response time (queue plus service), to a relative precision of 1e-9. */
  responseQuantileSec(p: number): number;
  /** P(response time > t) for t >= 0 seconds. */
  probResponseExceeds(tSec: number): number;
  /** The 95th percentile of the response time, `responseQuantileSec(0.95)`. */
  readonly p95ResponseSec: number;
}

/** Options of {@link smallestServers}. */
export interface SmallestServersOptions {
  /** Mean arrival rate λ (requests per second). */
  readonly arrivalRatePerSec: number;
  /** Mean service time 1/μ (seconds). */
  readonly serviceTimeSec: number;
  /** Highest acceptable utilization, 0 < u < 1 (e.g. 0.65 to leave headroom for bursts and a lost server). */
  readonly maxUtilization: number;
  /** Budget for the 95th percentile of the response time (seconds). */
  readonly p95BudgetSec: number;
  /** Give up above this many servers. @default 100000 */
  readonly maxServers?: number;
}

/**
 * Erlang B: the probability that an arrival is blocked in an M/M/c/c loss system (no queue).
 * Uses the recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which stays in [0, 1] at every step,
 * so it neither overflows (as a^c/c! does for c in the hundreds) nor loses precision for c in the tens of thousands.
 */
export function erlangB(servers: number, offeredLoad: number): number {
  requireWholeAtLeast('servers', servers, 1);
  requirePositive('offeredLoad', offeredLoad);
  return erlangBUnchecked(servers, offeredLoad);
}

/**
 * Erlang C: the probability that an arrival has to wait in an M/M/c queue, C = c·B / (c − a·(1 − B)).
 * `offeredLoad` a = λ/μ in Erlangs must be below `servers`: at or above it the queue grows without bound.
 */
export function erlangC(servers: number, offeredLoad: number): number {
  requireWholeAtLeast('servers', servers, 1);
  requirePositive('offeredLoad', offeredLoad);
  if (offeredLoad >= servers) {
    throw new RangeError(
      `'offeredLoad' (${offeredLoad}) must be < 'servers' (${servers}): at or above it the queue grows without bound`,
    );
  }
  return erlangCFromB(servers, offeredLoad, erlangBUnchecked(servers, offeredLoad));
}

/** Steady-state waiting and response times of an M/M/c FCFS queue; throws when the load reaches the servers' capacity. */
export function mmc(input: MmcInput): MmcResult {
  const { arrivalRatePerSec: lambda, serviceTimeSec, servers } = input;
  requirePositive('arrivalRatePerSec', lambda);
  requirePositive('serviceTimeSec', serviceTimeSec);
  requireWholeAtLeast('servers', servers, 1);
  const offered = lambda * serviceTimeSec;
  if (offered >= servers) {
    throw new RangeError(
      `offered load 'arrivalRatePerSec' x 'serviceTimeSec' (${lambda} x ${serviceTimeSec} = ${offered} Erlangs) ` +
        `must be < 'servers' (${servers}): at or above it the queue grows without bound`,
    );
  }
  return resultFor(lambda, serviceTimeSec, servers, erlangBUnchecked(servers, offered));
}

/**
 * The fewest servers that keep utilization <= `maxUtilization` and the p95 response time <= `p95BudgetSec`,
 * or undefined when no count up to `maxServers` does (e.g. the service time alone exceeds the budget).
 */
export function smallestServers(opts: SmallestServersOptions): { servers: number; result: MmcResult } | undefined {
  const { arrivalRatePerSec: lambda, serviceTimeSec, maxUtilization, p95BudgetSec, maxServers = 100_000 } = opts;
  requirePositive('arrivalRatePerSec', lambda);
  requirePositive('serviceTimeSec', serviceTimeSec);
  requireOpenUnit('maxUtilization', maxUtilization);
  requirePositive('p95BudgetSec', p95BudgetSec);
  requireWholeAtLeast('maxServers', maxServers, 1);

  // With unlimited servers nobody waits and the response time is the service time alone, whose p95 is
  // −ln(0.05)/μ; every finite c does worse (C > 0), so no count can meet a budget at or below that.
  if (-Math.log(0.05) * serviceTimeSec >= p95BudgetSec) return undefined;

  const offered = lambda * serviceTimeSec;
  // The utilization cap is the binding lower bound; a/c < 1 also follows from it, so the queue is stable.
  // Start one below ceil(a/u) and step: rounding in the division can land either side of a whole number,
  // and the cap is checked exactly as `utilization` will report it.
  let servers = Math.max(1, Math.ceil(offered / maxUtilization) - 1);
  while (offered / servers > maxUtilization) servers++;
  if (servers > maxServers) return undefined;

  // Walk c upwards from the cap, extending Erlang B one step at a time instead of recomputing it:
  // the p95 falls monotonically in c, so the first count within budget is the smallest.
  let blocking = erlangBUnchecked(servers, offered);
  for (;;) {
    const result = resultFor(lambda, serviceTimeSec, servers, blocking);
    if (result.p95ResponseSec <= p95BudgetSec) return { servers, result };
    if (servers >= maxServers) return undefined;
    servers++;
    blocking = (offered * blocking) / (servers + offered * blocking);
  }
}

function erlangBUnchecked(servers: number, offered: number): number {
  let blocking = 1;
  for (let k = 1; k <= servers; k++) blocking = (offered * blocking) / (k + offered * blocking);
  return blocking;
}

function erlangCFromB(servers: number, offered: number, blocking: number): number {
  return (servers * blocking) / (servers - offered * (1 - blocking));
}

/** Builds the result from Erlang B, so `smallestServers` can reuse its incremental B. */
function resultFor(lambda: number, serviceTimeSec: number, servers: number, blocking: number): MmcResult {
  const mu = 1 / serviceTimeSec;
  const offered = lambda * serviceTimeSec;
  const probWait = erlangCFromB(servers, offered, blocking);
  // A waiting request leaves the queue at the rate the c busy servers drain it, less the arrivals: θ = cμ − λ.
  const theta = servers * mu - lambda;
  const meanWaitSec = probWait / theta;

  const probResponseExceeds = (tSec: number): number => {
    requireNonNegative('tSec', tSec);
    return responseTail(tSec, probWait, mu, theta);
  };

  const waitQuantileSec = (p: number): number => {
    requireOpenUnit('p', p);
    // P(W > t) = C·e^{−θt}; below the atom at 0 (mass 1 − C) the quantile is 0.
    if (1 - p >= probWait) return 0;
    return Math.log(probWait / (1 - p)) / theta;
  };

  const responseQuantileSec = (p: number): number => {
    requireOpenUnit('p', p);
    return solveTail(1 - p, (t) => responseTail(t, probWait, mu, theta), meanWaitSec + serviceTimeSec);
  };

  return {
    offeredLoadErlangs: offered,
    utilization: offered / servers,
    probWait,
    meanWaitSec,
    meanResponseSec: meanWaitSec + serviceTimeSec,
    waitQuantileSec,
    responseQuantileSec,
    probResponseExceeds,
    p95ResponseSec: responseQuantileSec(0.95),
  };
}

/**
 * P(T > t) for the response time T = W + S, with W = 0 (probability 1 − C) or Exp(θ) (probability C), S ~ Exp(μ) independent.
 *
 * Derivation: condition on W. With W = 0, P(S > t) = e^{−μt}. With W ~ Exp(θ), W + S is hypoexponential:
 *   P(W + S > t) = P(S > t) + ∫_0^t μe^{−μs}·e^{−θ(t−s)} ds = e^{−μt} + μ·(e^{−μt} − e^{−θt})/(θ − μ)
 *                = (θ·e^{−μt} − μ·e^{−θt}) / (θ − μ)                  for θ ≠ μ,
 * and as θ → μ the difference quotient becomes t·e^{−μt}, giving the Erlang-2 tail (1 + μt)·e^{−μt}.
 * So P(T > t) = (1 − C)·e^{−μt} + C·P(W + S > t).
 *
 * The θ ≠ μ form cancels catastrophically when θ ≈ μ, and e^{−θt} with θ < μ is awkward for large t. Both vanish after
 * factoring out the slower rate lo = min(θ, μ), with d = |θ − μ| (the sum is symmetric in its two rates):
 *   P(W + S > t) = e^{−lo·t}·(1 + lo·t·g(d·t)),   g(x) = (1 − e^{−x})/x = −expm1(−x)/x,  g(0) = 1,
 * which is the equal-rates formula exactly at d = 0 and continuous through it.
 */
function responseTail(t: number, probWait: number, mu: number, theta: number): number {
  const lo = Math.min(mu, theta);
  const x = Math.abs(theta - mu) * t;
  const g = x === 0 ? 1 : -Math.expm1(-x) / x;
  const afterWait = Math.exp(-lo * t) * (1 + lo * t * g);
  return (1 - probWait) * Math.exp(-mu * t) + probWait * afterWait;
}

/** Finds t with tail(t) = target for a decreasing tail with tail(0) = 1 > target, by bracketing then bisection. */
export function solveTail(target: number, tail: (t: number) => number, scaleSec: number): number {
  let lo = 0;
  let hi = scaleSec;
  while (tail(hi) > target) {
    lo = hi;
    hi *= 2;
  }
  // Bisection halves the bracket each step, so about 30 steps past the bracket reach 1e-9 relative.
  while (hi - lo > 1e-9 * hi) {
    const mid = (lo + hi) / 2;
    if (tail(mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function requirePositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`'${name}' (${String(value)}) must be a finite number > 0`);
  }
}

function requireNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`'${name}' (${String(value)}) must be a finite number >= 0`);
  }
}

function requireWholeAtLeast(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`'${name}' (${String(value)}) must be a whole number >= ${min}`);
  }
}

function requireOpenUnit(name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new RangeError(`'${name}' (${String(value)}) must be a number with 0 < ${name} < 1`);
  }
}
