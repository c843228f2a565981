import { erlangB, erlangC, mmc, smallestServers } from '../../lib/capacity/queueing';

/** The textbook sums with factorials, kept deliberately naive: only safe for small c. */
function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

function directErlangB(c: number, a: number): number {
  let sum = 0;
  for (let k = 0; k <= c; k++) sum += a ** k / factorial(k);
  return a ** c / factorial(c) / sum;
}

function directErlangC(c: number, a: number): number {
  let sum = 0;
  for (let k = 0; k < c; k++) sum += a ** k / factorial(k);
  const top = (a ** c / factorial(c)) * (c / (c - a));
  return top / (sum + top);
}

/** The same sum in log space (log-sum-exp), which stays finite for c in the thousands: an independent large-c check. */
function logSpaceErlangC(c: number, a: number): number {
  const logTerms: number[] = [0];
  for (let k = 1; k <= c; k++) logTerms.push(logTerms[k - 1] + Math.log(a) - Math.log(k));
  const logTop = logTerms[c] + Math.log(c / (c - a));
  const max = Math.max(...logTerms.slice(0, c), logTop);
  let sum = Math.exp(logTop - max);
  for (let k = 0; k < c; k++) sum += Math.exp(logTerms[k] - max);
  return Math.exp(logTop - max) / sum;
}

const relErr = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

describe('Erlang B', () => {
  test('matches published table values: B(5, 2) = 0.0367, B(10, 5) = 0.0184', () => {
    expect(erlangB(5, 2)).toBeCloseTo(0.0367, 4);
    expect(erlangB(10, 5)).toBeCloseTo(0.0184, 4);
  });

  test('one server: B = a / (1 + a)', () => {
    expect(erlangB(1, 3)).toBeCloseTo(0.75, 15);
  });

  test.each([1, 2, 5, 10, 20, 30])('matches the factorial sum for c = %i over a range of loads', (c) => {
    for (const a of [0.1, 0.5 * c, c, 2 * c]) {
      expect(relErr(erlangB(c, a), directErlangB(c, a))).toBeLessThan(1e-12);
    }
  });
});

describe('Erlang C', () => {
  test('matches the classic table: 10 servers at 8 Erlangs wait with probability 0.409', () => {
    expect(erlangC(10, 8)).toBeCloseTo(0.409, 3);
  });

  test('one server: C = ρ (an M/M/1 arrival waits whenever the server is busy)', () => {
    for (const rho of [0.1, 0.5, 0.7, 0.99]) expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
  });

  test('two servers at one Erlang: C = 1/3 exactly', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 15);
  });

  test.each([1, 2, 3, 5, 8, 10, 16, 25, 30])('matches the factorial sum for c = %i over a grid of loads', (c) => {
    for (const fraction of [0.05, 0.3, 0.5, 0.8, 0.95, 0.999]) {
      const a = fraction * c;
      expect(relErr(erlangC(c, a), directErlangC(c, a))).toBeLessThan(1e-11);
    }
  });
});

describe('large systems', () => {
  test('c = 5000 at 4800 Erlangs is finite and matches a log-space sum', () => {
    const probWait = erlangC(5000, 4800);
    expect(Number.isFinite(probWait)).toBe(true);
    expect(probWait).toBeGreaterThan(0);
    expect(probWait).toBeLessThan(1);
    expect(relErr(probWait, logSpaceErlangC(5000, 4800))).toBeLessThan(1e-9);

    const result = mmc({ arrivalRatePerSec: 4800, serviceTimeSec: 1, servers: 5000 });
    for (const value of [result.probWait, result.meanWaitSec, result.meanResponseSec, result.p95ResponseSec, result.waitQuantileSec(0.999)]) {
      expect(Number.isFinite(value)).toBe(true);
    }
  });

  test('c = 10,000 with loads in the thousands neither overflows nor turns into NaN', () => {
    for (const a of [1, 3000, 9000, 9999]) {
      const blocking = erlangB(10_000, a);
      const probWait = erlangC(10_000, a);
      expect(blocking).toBeGreaterThanOrEqual(0);
      expect(blocking).toBeLessThanOrEqual(1);
      expect(probWait).toBeGreaterThanOrEqual(0);
      expect(probWait).toBeLessThanOrEqual(1);
    }
  });
});

describe('mean times', () => {
  test('M/M/1: W = ρ/(μ − λ) and T = 1/(μ − λ)', () => {
    const result = mmc({ arrivalRatePerSec: 7, serviceTimeSec: 0.1, servers: 1 });
    expect(result.utilization).toBeCloseTo(0.7, 14);
    expect(result.meanWaitSec).toBeCloseTo(0.7 / 3, 12);
    expect(result.meanResponseSec).toBeCloseTo(1 / 3, 12);
  });

  test('the response-time tail integrates to the mean response time', () => {
    // An independent check of the tail formula: E[T] = ∫_0^∞ P(T > t) dt (Simpson's rule, far past the tail).
    const result = mmc({ arrivalRatePerSec: 3.2, serviceTimeSec: 1, servers: 4 });
    const end = 80;
    const steps = 20_000;
    const h = end / steps;
    let integral = result.probResponseExceeds(0) + result.probResponseExceeds(end);
    for (let i = 1; i < steps; i++) integral += (i % 2 ? 4 : 2) * result.probResponseExceeds(i * h);
    expect(relErr((integral * h) / 3, result.meanResponseSec)).toBeLessThan(1e-9);
  });
});

describe('quantiles', () => {
  test('M/M/1: the response time is Exp(μ − λ), so p95 = −ln(0.05)/(μ − λ)', () => {
    const result = mmc({ arrivalRatePerSec: 0.7, serviceTimeSec: 1, servers: 1 });
    expect(relErr(result.p95ResponseSec, -Math.log(0.05) / 0.3)).toBeLessThan(2e-9);
    expect(relErr(result.responseQuantileSec(0.99), -Math.log(0.01) / 0.3)).toBeLessThan(2e-9);
  });

  test('the quantile solves P(T > t) = 1 − p', () => {
    const result = mmc({ arrivalRatePerSec: 8, serviceTimeSec: 1, servers: 10 });
    for (const p of [0.5, 0.9, 0.95, 0.999]) {
      expect(result.probResponseExceeds(result.responseQuantileSec(p))).toBeCloseTo(1 - p, 8);
    }
  });

  test('the tail matches the hypoexponential formula when cμ − λ ≠ μ', () => {
    // c = 4, μ = 1, λ = 3.2: θ = cμ − λ = 0.8.
    const result = mmc({ arrivalRatePerSec: 3.2, serviceTimeSec: 1, servers: 4 });
    const [mu, theta, c] = [1, 0.8, result.probWait];
    for (const t of [0, 0.5, 2, 10, 40]) {
      const expected = (1 - c) * Math.exp(-mu * t) + (c * (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t))) / (theta - mu);
      expect(relErr(result.probResponseExceeds(t), expected)).toBeLessThan(1e-12);
    }
  });

  test('the equal-rates case (cμ − λ = μ) matches (1 − C)e^{−μt} + C(1 + μt)e^{−μt}', () => {
    // c = 2, μ = 1, λ = 1: θ = 2 − 1 = μ, and C = 1/3.
    const result = mmc({ arrivalRatePerSec: 1, serviceTimeSec: 1, servers: 2 });
    for (const t of [0, 0.5, 2, 10]) {
      const expected = (2 / 3) * Math.exp(-t) + (1 / 3) * (1 + t) * Math.exp(-t);
      expect(relErr(result.probResponseExceeds(t), expected)).toBeLessThan(1e-12);
    }
  });

  test('the tail and p95 are continuous through the equal-rates case', () => {
    const at = (lambda: number) => mmc({ arrivalRatePerSec: lambda, serviceTimeSec: 1, servers: 2 });
    const equal = at(1);
    for (const lambda of [1 - 1e-9, 1 + 1e-9, 1 - 1e-6, 1 + 1e-6]) {
      const near = at(lambda);
      expect(relErr(near.p95ResponseSec, equal.p95ResponseSec)).toBeLessThan(10 * Math.abs(lambda - 1) + 2e-9);
      expect(relErr(near.probResponseExceeds(3), equal.probResponseExceeds(3))).toBeLessThan(10 * Math.abs(lambda - 1) + 1e-12);
    }
  });

  test('waiting-time quantiles: 0 inside the no-wait mass, C·e^{−θt} = 1 − p beyond it', () => {
    const result = mmc({ arrivalRatePerSec: 8, serviceTimeSec: 1, servers: 10 }); // C ≈ 0.409, θ = 2
    expect(result.waitQuantileSec(0.5)).toBe(0);
    expect(result.waitQuantileSec(0.95)).toBeCloseTo(Math.log(result.probWait / 0.05) / 2, 12);
  });
});

describe('smallestServers', () => {
  const base = { arrivalRatePerSec: 100, serviceTimeSec: 0.05, maxUtilization: 0.65 }; // a = 5 Erlangs

  /** c − 1 servers must break the utilization cap or the p95 budget (or be unstable). */
  function failsWithOneFewer(servers: number, budget: number): boolean {
    if (servers === 1) return true;
    if (base.arrivalRatePerSec * base.serviceTimeSec >= servers - 1) return true;
    const fewer = mmc({ arrivalRatePerSec: base.arrivalRatePerSec, serviceTimeSec: base.serviceTimeSec, servers: servers - 1 });
    return fewer.utilization > base.maxUtilization || fewer.p95ResponseSec > budget;
  }

  test('a tight p95 budget binds: 11 servers, where 10 would miss it', () => {
    const found = smallestServers({ ...base, p95BudgetSec: 0.15 });
    expect(found?.servers).toBe(11);
    expect(found!.result.p95ResponseSec).toBeLessThanOrEqual(0.15);
    expect(found!.result.utilization).toBeLessThanOrEqual(0.65);
    expect(failsWithOneFewer(found!.servers, 0.15)).toBe(true);
  });

  test('a loose budget leaves the utilization cap binding: ceil(5 / 0.65) = 8', () => {
    const found = smallestServers({ ...base, p95BudgetSec: 0.2 });
    expect(found?.servers).toBe(8);
    expect(failsWithOneFewer(8, 0.2)).toBe(true);
  });

  test.each([0.151, 0.155, 0.16, 0.18, 0.25, 1])('agrees with a brute-force scan from one server (budget %p s)', (budget) => {
    const found = smallestServers({ ...base, p95BudgetSec: budget });
    let c = 1;
    for (; ; c++) {
      if (5 >= c) continue;
      const result = mmc({ arrivalRatePerSec: 100, serviceTimeSec: 0.05, servers: c });
      if (result.utilization <= 0.65 && result.p95ResponseSec <= budget) break;
    }
    expect(found?.servers).toBe(c);
  });

  test('a cap that divides the load exactly is met exactly: 6.5 Erlangs at 0.65 -> 10 servers', () => {
    expect(smallestServers({ arrivalRatePerSec: 65, serviceTimeSec: 0.1, maxUtilization: 0.65, p95BudgetSec: 10 })?.servers).toBe(10);
  });

  test('undefined when the service time alone exceeds the budget (p95 of Exp(μ) is 3.0 × the mean)', () => {
    expect(smallestServers({ ...base, p95BudgetSec: 0.12 })).toBeUndefined();
    expect(smallestServers({ ...base, p95BudgetSec: 0.04 })).toBeUndefined();
  });

  test('undefined when the answer is above maxServers', () => {
    expect(smallestServers({ ...base, p95BudgetSec: 0.15, maxServers: 10 })).toBeUndefined();
    expect(smallestServers({ ...base, p95BudgetSec: 0.15, maxServers: 11 })?.servers).toBe(11);
  });

  test('is quick for thousands of servers', () => {
    const started = Date.now();
    const found = smallestServers({ arrivalRatePerSec: 4800, serviceTimeSec: 1, maxUtilization: 0.99, p95BudgetSec: 3 });
    expect(found?.servers).toBeGreaterThan(4848);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('bad arguments', () => {
  test('a load at or above the servers throws, naming both values', () => {
    expect(() => erlangC(10, 12)).toThrow("'offeredLoad' (12) must be < 'servers' (10): at or above it the queue grows without bound");
    expect(() => erlangC(10, 10)).toThrow(/'offeredLoad' \(10\) must be < 'servers' \(10\)/);
    expect(() => mmc({ arrivalRatePerSec: 12, serviceTimeSec: 1, servers: 10 })).toThrow(
      /'arrivalRatePerSec' x 'serviceTimeSec' \(12 x 1 = 12 Erlangs\) must be < 'servers' \(10\)/,
    );
  });

  test.each([
    ['servers 0', () => erlangB(0, 1), "'servers' (0) must be a whole number >= 1"],
    ['servers 2.5', () => erlangC(2.5, 1), "'servers' (2.5) must be a whole number >= 1"],
    ['servers NaN', () => erlangB(NaN, 1), "'servers' (NaN) must be a whole number >= 1"],
    ['offeredLoad 0', () => erlangB(3, 0), "'offeredLoad' (0) must be a finite number > 0"],
    ['offeredLoad -1', () => erlangC(3, -1), "'offeredLoad' (-1) must be a finite number > 0"],
    ['offeredLoad Infinity', () => erlangB(3, Infinity), "'offeredLoad' (Infinity) must be a finite number > 0"],
    ['arrival rate NaN', () => mmc({ arrivalRatePerSec: NaN, serviceTimeSec: 1, servers: 2 }), "'arrivalRatePerSec' (NaN)"],
    ['service time 0', () => mmc({ arrivalRatePerSec: 1, serviceTimeSec: 0, servers: 2 }), "'serviceTimeSec' (0)"],
    ['servers -3', () => mmc({ arrivalRatePerSec: 1, serviceTimeSec: 1, servers: -3 }), "'servers' (-3)"],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  test('quantile levels must lie strictly between 0 and 1', () => {
    const result = mmc({ arrivalRatePerSec: 1, serviceTimeSec: 1, servers: 2 });
    for (const p of [0, 1, -0.1, 1.5, NaN]) {
      expect(() => result.responseQuantileSec(p)).toThrow(`'p' (${p}) must be a number with 0 < p < 1`);
      expect(() => result.waitQuantileSec(p)).toThrow(/'p'/);
    }
    expect(() => result.probResponseExceeds(-1)).toThrow("'tSec' (-1) must be a finite number >= 0");
  });

  test('smallestServers validates its options', () => {
    const ok = { arrivalRatePerSec: 100, serviceTimeSec: 0.05, maxUtilization: 0.65, p95BudgetSec: 0.2 };
    expect(() => smallestServers({ ...ok, maxUtilization: 1 })).toThrow("'maxUtilization' (1) must be a number with 0 < maxUtilization < 1");
    expect(() => smallestServers({ ...ok, maxUtilization: 0 })).toThrow(/'maxUtilization' \(0\)/);
    expect(() => smallestServers({ ...ok, p95BudgetSec: -1 })).toThrow("'p95BudgetSec' (-1) must be a finite number > 0");
    expect(() => smallestServers({ ...ok, maxServers: 0 })).toThrow("'maxServers' (0) must be a whole number >= 1");
    expect(() => smallestServers({ ...ok, arrivalRatePerSec: Infinity })).toThrow(/'arrivalRatePerSec' \(Infinity\)/);
  });
});
