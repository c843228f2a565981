/**
 * The load test that gates each phase (seeds: "k6 ramp to 3x target RPS, 30-min soak, then a chaos run killing one
 * replica mid-test; SLO gates p95 < 500 ms, error rate < 0.5 %"), as pure numbers with reasons.
 *
 * The k6 scripts (lib/loadtest/k6-script.ts), the Node gate (lib/loadtest/gate.ts) and the report read this plan,
 * so the stages a reviewer reads are the stages that run.
 */
import { PhaseNumber, PhasePlan, Sized, sized } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/** Where the load generator points: the CloudFront URL (edge) or the load balancer (origin). */
export type LoadTestEntry = 'edge' | 'origin';

/** The entries, edge first (the default). */
export const LOAD_TEST_ENTRIES: readonly LoadTestEntry[] = ['edge', 'origin'];

/** The part of the run a stage belongs to. */
export type LoadStageName = 'warm-up' | 'ramp' | 'hold' | 'settle' | 'soak' | 'cool-down';

/** One stage of a ramping-arrival-rate run: the rate moves linearly to `targetRps` over `durationSec`. */
export interface LoadStage {
  readonly name: LoadStageName;
  readonly durationSec: Sized;
  readonly targetRps: Sized;
}

/** The arrival-rate profile for one entry point. */
export interface LoadProfile {
  readonly entry: LoadTestEntry;
  /** The phase's target RPS as this entry sees it. */
  readonly targetRps: Sized;
  /** The top of the ramp: target x peakMultiple. */
  readonly peakRps: Sized;
  readonly stages: readonly LoadStage[];
  /** Share of requests that are reads (GETs) at this entry. */
  readonly readShare: Sized;
  /** k6 preAllocatedVUs: Little's law at the peak with the predicted p95. */
  readonly preAllocatedVUs: Sized;
  /** k6 maxVUs: Little's law at the peak if latency reaches the SLO. */
  readonly maxVUs: Sized;
}

/** The SLO gates: k6 thresholds, and the Node gate's pass/fail. */
export interface LoadTestThresholds {
  readonly p95Ms: Sized;
  /** Failed requests / all requests, as a fraction (k6 `rate<X`). */
  readonly errorRate: Sized;
  /** k6 delayAbortEval: seconds from the start before a failing p95 aborts the run. */
  readonly delayAbortEvalSec: Sized;
}

/** When, inside the soak, one API task is stopped. */
export interface ChaosWindow {
  /** Seconds from the start of the run. */
  readonly startSec: Sized;
  readonly endSec: Sized;
  readonly action: Sized<string>;
}

/** The load test of one phase. */
export interface LoadTestPlan {
  readonly phase: PhaseNumber;
  readonly label: string;
  /** The entry a run uses unless told otherwise. */
  readonly defaultEntry: Sized<LoadTestEntry>;
  readonly profiles: { readonly [E in LoadTestEntry]: LoadProfile };
  /** The ramp goes to this multiple of the target RPS. */
  readonly peakMultiple: Sized;
  readonly soakSec: Sized;
  readonly totalSec: Sized;
  readonly chaos: ChaosWindow;
  /** Concurrency margin over Little's law (L = lambda x W). */
  readonly vuMargin: Sized;
  /** GET path patterns; `*` is replaced by an item number per request so the cache sees many keys. */
  readonly readPaths: Sized<readonly string[]>;
  /** POST paths. */
  readonly writePaths: Sized<readonly string[]>;
  readonly thresholds: LoadTestThresholds;
  /** A request that takes longer counts as failed. */
  readonly requestTimeoutSec: Sized;
}

/** Seeds: "ramp to 3x target RPS". */
export const LOAD_TEST_PEAK_MULTIPLE = 3;
/** Seeds: "30-min soak". */
export const LOAD_TEST_SOAK_SEC = 30 * 60;
/** Concurrency margin over Little's law. */
export const LOAD_TEST_VU_MARGIN = 2;
/** The model names no write endpoints: a guess from the table that takes most writes (the seeds: /api/orders). */
export function defaultWritePaths(model: Capacity): readonly string[] {
  return [`/api/${model.workload.primaryTable}`];
}

/** Plans the gate's load test for one phase; reads the phase plan's numbers and recomputes none of them. */
export function planLoadTest(model: Capacity, plan: PhasePlan): LoadTestPlan {
  const { traffic, api } = plan;
  const peakMultiple = sized(LOAD_TEST_PEAK_MULTIPLE, 'seeds: ramp to 3x the target RPS before each promotion');
  const vuMargin = sized(
    LOAD_TEST_VU_MARGIN,
    'p95 instead of the mean latency already overstates concurrency; x2 more covers the slowdown above the design peak, GC pauses and the chaos window',
  );
  const stageTimes = stageDurations(plan);
  const soak = stageTimes.find((s) => s.name === 'soak')!;
  const soakStartSec = sumUntil(stageTimes, 'soak');
  const totalSec = stageTimes.reduce((sum, s) => sum + s.durationSec.value, 0);

  const edgeTarget = sized(
    Math.ceil(traffic.peakRps.value),
    `the phase's daily peak (${traffic.peakRps.why}): a run against the CloudFront URL sees every request, cached or not`,
  );
  const originTarget = sized(
    Math.ceil(traffic.peakRps.value * (1 - traffic.cdnOffloadShare.value)),
    `daily peak ${fmt(traffic.peakRps.value)} minus what CloudFront answers (${fmt(traffic.cdnOffloadShare.value * 100)} %): a run against the load balancer skips the edge cache`,
  );
  const originReadShare = sized(
    traffic.originDesignReadRps.value / traffic.originDesignRps.value,
    'reads that reach the origin / origin requests (cache hits never arrive; every write does)',
  );

  const profile = (entry: LoadTestEntry, target: Sized, readShare: Sized): LoadProfile => {
    const peak = sized(
      target.value * peakMultiple.value,
      `target ${fmt(target.value)} RPS x ${peakMultiple.value} (the phase is sized for ${fmt(traffic.requiredCapacityRps.value)} RPS at the edge: ${traffic.requiredCapacityRps.why})`,
    );
    const littleVus = (latencyMs: number, what: string) =>
      sized(
        Math.max(1, Math.ceil(peak.value * (latencyMs / 1000) * vuMargin.value)),
        `Little's law: ${fmt(peak.value)} RPS x ${fmt(latencyMs)} ms (${what}) x margin ${vuMargin.value}`,
      );
    const pre = littleVus(api.predictedP95Ms.value, 'predicted p95');
    const max = littleVus(Math.max(api.predictedP95Ms.value, model.slo.p95Ms), 'SLO p95: when latency reaches the SLO the generator still sends the planned rate, so the threshold fails the run, not a starved generator');
    return {
      entry,
      targetRps: target,
      peakRps: peak,
      stages: stageTimes.map((s) => ({
        name: s.name,
        durationSec: s.durationSec,
        targetRps: sized(target.value * s.multiple, s.multiple === 0 ? 'zero: the end of the run' : s.multiple === 1 ? 'the target RPS' : `${s.multiple} x the target RPS`),
      })),
      readShare,
      preAllocatedVUs: pre,
      maxVUs: sized(Math.max(pre.value, max.value), max.why),
    };
  };

  const chaosLengthSec = Math.min(soak.durationSec.value / 2, Math.max(300, 3 * api.scaleOutCooldownSec.value));
  const chaosStart = soakStartSec + soak.durationSec.value / 2;
  const warmUp = stageTimes[0].durationSec.value;
  return {
    phase: plan.phase,
    label: plan.label,
    defaultEntry: sized<LoadTestEntry>(
      'edge',
      'the path users take (WAF, CloudFront, ALB); the ALB is internal (VPC origin), so an origin run needs a generator inside the VPC. Exempt the generators\' IPs from the WAF per-IP rate rules or the edge run measures 429s',
    ),
    profiles: {
      edge: profile('edge', edgeTarget, traffic.readShare),
      origin: profile('origin', originTarget, originReadShare),
    },
    peakMultiple,
    soakSec: soak.durationSec,
    totalSec: sized(totalSec, 'the sum of the stages'),
    chaos: {
      startSec: sized(chaosStart, 'the middle of the soak (seeds: kill one replica mid-test), after scale-in from the 3x stage has settled'),
      endSec: sized(
        chaosStart + chaosLengthSec,
        `3 x the time ECS needs to replace a task (${api.scaleOutCooldownSec.why}), at least 5 minutes, inside the soak`,
      ),
      action: sized(
        'stop one API task (aws ecs stop-task, or an AWS FIS aws:ecs:stop-task experiment)',
        'seeds: a chaos run killing one replica; the service must hold the SLO on the remaining tasks while ECS replaces it',
      ),
    },
    vuMargin,
    readPaths: sized(
      [...plan.cdn.cacheableApiPathPatterns.value, ...plan.cdn.staticPathPatterns.value],
      "the model's cacheable API and static path patterns (cdn.cacheableApiPathPatterns, cdn.staticPathPatterns), in turn",
    ),
    writePaths: sized(
      defaultWritePaths(model),
      `the model names no write endpoints: POST /api/${model.workload.primaryTable} (workload.primaryTable) is a guess; writes create data, so run against a copy of the phase`,
    ),
    thresholds: {
      p95Ms: sized(model.slo.p95Ms, 'slo.p95Ms: the p95 gate'),
      errorRate: sized(model.slo.errorRatePct / 100, `slo.errorRatePct ${model.slo.errorRatePct} %: the error gate (HTTP >= 400, timeouts and connection errors)`),
      delayAbortEvalSec: sized(warmUp, 'the warm-up: cold pools and caches do not abort the run, a slow ramp does'),
    },
    requestTimeoutSec: sized(model.service.requestTimeoutSec, 'service.requestTimeoutSec: the load balancer gives up after this too'),
  };
}

/** Plans the load test of every phase. */
export function planLoadTests(model: Capacity, plans: readonly PhasePlan[]): LoadTestPlan[] {
  return plans.map((plan) => planLoadTest(model, plan));
}

interface StageTime {
  readonly name: LoadStageName;
  readonly durationSec: Sized;
  /** The rate at the end of the stage, in multiples of the target. */
  readonly multiple: number;
}

function stageDurations(plan: PhasePlan): StageTime[] {
  const cooldown = plan.api.scaleOutCooldownSec.value;
  const peak = LOAD_TEST_PEAK_MULTIPLE;
  return [
    { name: 'warm-up', multiple: 1, durationSec: sized(Math.max(300, 2 * cooldown), 'at least 5 minutes and two scale-out cooldowns: pools, caches and task count reach the target first') },
    {
      name: 'ramp',
      multiple: peak,
      durationSec: sized(10 * cooldown, `ten scale-out cooldowns (${cooldown} s): target tracking can keep adding tasks; a faster ramp is a spike test`),
    },
    { name: 'hold', multiple: peak, durationSec: sized(300, 'five minutes at the peak: enough samples for a p95 at the top of the ramp') },
    { name: 'settle', multiple: 1, durationSec: sized(120, 'two minutes back down to the target before the soak') },
    { name: 'soak', multiple: 1, durationSec: sized(LOAD_TEST_SOAK_SEC, 'seeds: a 30-minute soak at the target shows leaks, pool exhaustion and replica lag') },
    { name: 'cool-down', multiple: 0, durationSec: sized(60, 'one minute down to zero: in-flight requests finish inside the run') },
  ];
}

function sumUntil(stages: readonly StageTime[], name: LoadStageName): number {
  let sum = 0;
  for (const s of stages) {
    if (s.name === name) return sum;
    sum += s.durationSec.value;
  }
  return sum;
}
