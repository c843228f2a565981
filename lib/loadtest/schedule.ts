/**
 * The open-loop schedule the gate sends on: the plan's stages, scaled in rate and compressed in time, turned into
 * the send time of every request. Pure, so the arithmetic is tested without a network.
 */
import { LoadTestEntry, LoadTestPlan } from '../capacity/load-test-plan';

/** One stage as the gate runs it: the rate moves linearly from `fromRps` to `toRps` over `durationSec`. */
export interface GateStage {
  readonly name: string;
  readonly durationSec: number;
  readonly fromRps: number;
  readonly toRps: number;
}

/**
 * The plan's stages for `entry` with every rate x `scale` and every duration x (`durationSec` / plan length),
 * so the run keeps the plan's shape (ramp, hold, soak) in `durationSec` seconds. k6 ramps from 0 (startRate 0).
 */
export function gateStages(plan: LoadTestPlan, entry: LoadTestEntry, scale: number, durationSec: number): GateStage[] {
  const compress = durationSec / plan.totalSec.value;
  let from = 0;
  return plan.profiles[entry].stages.map((s) => {
    const stage = { name: s.name, durationSec: s.durationSec.value * compress, fromRps: from, toRps: s.targetRps.value * scale };
    from = stage.toRps;
    return stage;
  });
}

/** Requests the stages ask for: the area under the rate curve. */
export function plannedRequests(stages: readonly GateStage[]): number {
  return Math.floor(stages.reduce((sum, s) => sum + ((s.fromRps + s.toRps) / 2) * s.durationSec, 1e-9));
}

/**
 * The send time (seconds from the start) of every request: the k-th request (k = 1, 2, ...) goes when the
 * cumulative arrivals N(t) = integral of the rate reach k. Within a linear stage N(t) = a t + (b - a) t^2 / (2 d),
 * solved for t. At most `limit` times.
 */
export function arrivalTimes(stages: readonly GateStage[], limit: number): number[] {
  const times: number[] = [];
  let start = 0;
  let before = 0; // arrivals accumulated before this stage
  for (const s of stages) {
    const a = s.fromRps;
    const c = s.durationSec > 0 ? (s.toRps - a) / (2 * s.durationSec) : 0;
    const area = ((a + s.toRps) / 2) * s.durationSec;
    for (let k = Math.floor(before) + 1; k <= before + area + 1e-9 && times.length < limit; k++) {
      const m = k - before;
      const t = Math.abs(c) < 1e-12 ? m / a : (-a + Math.sqrt(Math.max(0, a * a + 4 * c * m))) / (2 * c);
      times.push(start + Math.min(t, s.durationSec));
    }
    before += area;
    start += s.durationSec;
  }
  return times;
}

/** The p-th percentile (0-100) by nearest rank: always an observed latency, never interpolated below one; NaN for no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}
