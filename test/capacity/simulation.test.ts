import { mmc } from '../../lib/capacity/queueing';
import { quantile, simulateMmc } from '../../lib/capacity/simulation';

const mean = (samples: Float64Array): number => samples.reduce((sum, x) => sum + x, 0) / samples.length;
const relErr = (actual: number, expected: number): number => Math.abs(actual / expected - 1);

/**
 * Why 1,000,000 customers and these tolerances: queue lengths are strongly autocorrelated near saturation, so a run's
 * estimates scatter far more than n independent samples would. Over 40 seeds per case, 900,000 measured customers gave
 * the standard deviations in `sd` below (relative for mean and p95, absolute for P(wait)); with 200,000 the M/M/1 p95
 * scattered by 2 % (1 sd), which would have needed an 8 % tolerance. Each check allows 4 sd: a correct model fails
 * with odds of about 1 in 15,000 per check for a fresh seed, while the wrong answers in the negative test miss by 10 sd or more.
 * The model's bias against the simulation was below 0.2 % in every case. Each run takes about 0.2 s.
 */
const CUSTOMERS = 1_000_000;
const SDS = 4;

const cases = [
  { name: 'M/M/1 at ρ = 0.7', servers: 1, arrivalRatePerSec: 0.7, seed: 11, sd: { probWait: 0.0012, meanRel: 0.0055, p95Rel: 0.0072 } },
  { name: 'M/M/4 at ρ = 0.8', servers: 4, arrivalRatePerSec: 3.2, seed: 22, sd: { probWait: 0.0023, meanRel: 0.0062, p95Rel: 0.0073 } },
  { name: 'M/M/10 at 8 Erlangs', servers: 10, arrivalRatePerSec: 8, seed: 33, sd: { probWait: 0.0029, meanRel: 0.0036, p95Rel: 0.0039 } },
  { name: 'M/M/32 at ρ = 0.65', servers: 32, arrivalRatePerSec: 20.8, seed: 44, sd: { probWait: 0.0006, meanRel: 0.0011, p95Rel: 0.0017 } },
];
/** Utilization (offered work over the run) scattered by 0.16 % in every case. */
const UTILIZATION_SD_REL = 0.0016;

type Case = (typeof cases)[number];
const runs = new Map<Case, ReturnType<typeof simulateMmc>>();
/** One run per case, shared by its checks and the negative test. */
function runOf(c: Case): ReturnType<typeof simulateMmc> {
  if (!runs.has(c)) runs.set(c, simulateMmc({ servers: c.servers, arrivalRatePerSec: c.arrivalRatePerSec, serviceTimeSec: 1, customers: CUSTOMERS, seed: c.seed }));
  return runs.get(c)!;
}

describe('the simulation agrees with the M/M/c formulas', () => {
  describe.each(cases)('$name', (c) => {
    const { sd } = c;
    const model = mmc({ servers: c.servers, arrivalRatePerSec: c.arrivalRatePerSec, serviceTimeSec: 1 });
    let run: ReturnType<typeof simulateMmc>;
    beforeAll(() => {
      run = runOf(c);
    });

    test(`P(wait) within ${SDS} sd`, () => {
      expect(Math.abs(run.probWait - model.probWait)).toBeLessThan(SDS * sd.probWait);
    });

    test(`mean response time within ${SDS} sd`, () => {
      expect(relErr(mean(run.responseTimesSec), model.meanResponseSec)).toBeLessThan(SDS * sd.meanRel);
    });

    test(`p95 response time within ${SDS} sd`, () => {
      expect(relErr(quantile(run.responseTimesSec, 0.95), model.p95ResponseSec)).toBeLessThan(SDS * sd.p95Rel);
    });

    test('utilization and mean wait', () => {
      expect(relErr(run.utilization, model.utilization)).toBeLessThan(SDS * UTILIZATION_SD_REL);
      // The mean wait is the mean response less the mean service (whose own error, ~0.1 %, is small next to the queue's),
      // so it is held to the mean response's band in seconds.
      expect(Math.abs(mean(run.waitTimesSec) - model.meanWaitSec)).toBeLessThan(SDS * sd.meanRel * model.meanResponseSec);
    });
  });

  test('the tolerance is tight enough to reject plausible wrong p95 formulas', () => {
    // M/M/4 at ρ = 0.8, where waiting matters: the right p95 is 4.74 s. Each wrong answer below is what a slip
    // in the derivation would give, and each must fall outside the band that the simulation has to meet.
    const c = cases[1];
    const model = mmc({ servers: c.servers, arrivalRatePerSec: c.arrivalRatePerSec, serviceTimeSec: 1 });
    const simulated = quantile(runOf(c).responseTimesSec, 0.95);
    const band = SDS * c.sd.p95Rel;
    const wrong = {
      serviceOnly: -Math.log(0.05) * 1, // p95 of Exp(μ): ignores queueing (3.00 s)
      exponentialWithTheMean: -Math.log(0.05) * model.meanResponseSec, // M/M/1 shape with the right mean (5.23 s)
      sumOfQuantiles: model.waitQuantileSec(0.95) + -Math.log(0.05), // p95(W) + p95(S) (6.09 s)
    };
    expect(relErr(simulated, model.p95ResponseSec)).toBeLessThan(band);
    for (const value of Object.values(wrong)) expect(relErr(simulated, value)).toBeGreaterThan(2 * band);
  });
});

describe('simulateMmc', () => {
  const opts = { arrivalRatePerSec: 3, serviceTimeSec: 1, servers: 4, customers: 5000, seed: 7 };

  test('is deterministic for a seed and differs between seeds', () => {
    const first = simulateMmc(opts);
    expect(simulateMmc(opts).responseTimesSec).toEqual(first.responseTimesSec);
    expect(simulateMmc({ ...opts, seed: 8 }).responseTimesSec).not.toEqual(first.responseTimesSec);
  });

  test('discards 10 % of the customers as warm-up unless told otherwise', () => {
    expect(simulateMmc(opts).responseTimesSec.length).toBe(4500);
    expect(simulateMmc({ ...opts, warmup: 0 }).waitTimesSec.length).toBe(5000);
  });

  test('response = wait + service >= wait >= 0, and nobody waits while a server is idle', () => {
    const run = simulateMmc({ ...opts, warmup: 0 });
    let broken = 0;
    for (let i = 0; i < run.waitTimesSec.length; i++) {
      if (!(run.waitTimesSec[i] >= 0 && run.responseTimesSec[i] > run.waitTimesSec[i])) broken++;
    }
    expect(broken).toBe(0);
    // The first `servers` arrivals find a free server.
    expect(Array.from(run.waitTimesSec.slice(0, 4))).toEqual([0, 0, 0, 0]);
  });

  test.each([
    [{ servers: 0 }, "'servers' (0) must be a whole number >= 1"],
    [{ customers: 1 }, "'customers' (1) must be a whole number >= 2"],
    [{ seed: -1 }, "'seed' (-1) must be a whole number in [0, 4294967295]"],
    [{ seed: 1.5 }, "'seed' (1.5)"],
    [{ warmup: 4999 }, "'warmup' (4999) must be a whole number in [0, 4998]"],
    [{ arrivalRatePerSec: 0 }, "'arrivalRatePerSec' (0) must be a finite number > 0"],
    [{ serviceTimeSec: NaN }, "'serviceTimeSec' (NaN) must be a finite number > 0"],
  ])('rejects %p', (override, message) => {
    expect(() => simulateMmc({ ...opts, ...override })).toThrow(message);
  });
});

describe('quantile (linear interpolation between order statistics, type 7)', () => {
  test('interpolates between neighbours and returns the extremes at 0 and 1', () => {
    const samples = Float64Array.from([4, 1, 3, 2]);
    expect(quantile(samples, 0.5)).toBe(2.5);
    expect(quantile(samples, 0)).toBe(1);
    expect(quantile(samples, 1)).toBe(4);
    expect(quantile(samples, 0.95)).toBeCloseTo(3.85, 12); // h = 3 × 0.95 = 2.85 -> 3 + 0.85 × (4 − 3)
  });

  test('sorts numerically and leaves the input alone', () => {
    const samples = Float64Array.from([10, 9, 100, 2]);
    expect(quantile(samples, 1 / 3)).toBe(9);
    expect(Array.from(samples)).toEqual([10, 9, 100, 2]);
  });

  test('rejects empty samples, NaN samples and p outside [0, 1]', () => {
    expect(() => quantile(new Float64Array(0), 0.5)).toThrow("'samples' (empty) must be a non-empty Float64Array");
    expect(() => quantile(Float64Array.from([1, NaN]), 0.5)).toThrow(/must not contain NaN/);
    expect(() => quantile(Float64Array.from([1]), 1.5)).toThrow("'p' (1.5) must be a number with 0 <= p <= 1");
  });
});
