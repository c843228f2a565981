/**
 * Today's measurement against the queueing model: the model is asked what p95 it predicts for today's service at
 * today's peak and CPU utilisation, and the difference from the measured p95 is either explained (a saturated CPU
 * queue), carried into every phase (non-CPU latency the model does not know about), or flagged (the inputs cannot
 * both be true).
 *
 * Pure numbers, no CDK; the API sizing (api-sizing.ts) adds `extraIoMeanMs` to its database/cache time, so the
 * SLO-derived CPU target, the task counts and every predicted p95 use the calibrated latency.
 */
import { downstreamLatencyMs, rpsPerVcpuOf } from './api-sizing';
import { sized, Sized } from './plan-types';
import type { Capacity } from './schema';
import { fmt, planTraffic } from './traffic';
import { maxUtilizationWithin, p95AtUtilizationSec } from './worker-model';

/** From this API CPU on, today's queue is treated as saturated: the model's p95 grows without bound there. */
export const SATURATED_CPU = 0.99;

/**
 * A measured p95 this much below the model's (as a share of the model's) is noise in the measurement (a p95 read off
 * one day's dashboard, minute-level percentiles); further below, the inputs contradict each other.
 */
export const CONTRADICTION_TOLERANCE = 0.1;

/** What today's measurement says about the model. */
export type ReconciliationStatus = 'calibrated' | 'saturated' | 'contradiction' | 'unknown';

/** The reconciliation of today's measured p95 with the model. */
export interface TodayReconciliation {
  readonly status: ReconciliationStatus;
  readonly measuredP95Ms: Sized;
  /** The API CPU measured at today's peak (0-1), when current.metrics gives it. */
  readonly cpuUtilization?: Sized;
  /** vCPUs busy-equivalent today: peak RPS x CPU per request / utilisation (one Node worker each). */
  readonly workers?: Sized;
  /** Database and cache time per request the model assumes today (mean, no calibration). */
  readonly downstreamMeanMs: Sized;
  /** What an idle worker answers in (CPU time + database/cache p95 convolved): the least any measurement can be. */
  readonly idleP95Ms: Sized;
  /** The model's p95 at today's peak and measured CPU, before calibration (undefined when unknown or saturated). */
  readonly modelledP95Ms?: Sized;
  /** The CPU utilisation at which the model gives the measured p95 (saturated case: the queue explains it). */
  readonly impliedUtilization?: Sized;
  /** Non-CPU time per request (exponential mean) added to every phase's database/cache time. */
  readonly extraIoMeanMs: Sized;
  /** Inputs that cannot both be true, with the numbers. */
  readonly warnings: readonly string[];
}

/** Reconciles `current.p95LatencyMs` with the worker model at today's peak and utilisation. */
export function reconcileToday(model: Capacity): TodayReconciliation {
  const { current, service } = model;
  const workerModel = service.workerModel;
  const serviceSec = 1 / rpsPerVcpuOf(current);
  const measured = current.p95LatencyMs;
  // Today's cache hit rate, when measured, instead of the plan's target (today may have no cache at all).
  const hitPct = current.metrics?.cacheHitRatePct;
  const asToday = hitPct === undefined ? model : { ...model, policy: { ...model.policy, cacheHitRatio: hitPct / 100 } };
  const downstream = downstreamLatencyMs(asToday, planTraffic(model, 1));
  const ioSec = downstream.meanMs / 1000;
  const measuredP95Ms = sized(measured, `current.p95LatencyMs at today's peak ${fmt(current.peakRps)} RPS`);
  const downstreamMeanMs = sized(downstream.meanMs, `the model's database/cache time today: ${downstream.why}`);
  const apiCpuPct = current.metrics?.apiCpuPct;
  const busyVcpu = current.peakRps * serviceSec;
  const workers = apiCpuPct === undefined ? 1 : Math.max(1, Math.round(busyVcpu / (apiCpuPct / 100)));
  const idleMs = p95AtUtilizationSec(workerModel, 1e-5, workers, serviceSec, ioSec) * 1000;
  const idleP95Ms = sized(idleMs, `${fmt(serviceSec * 1000)} ms CPU + database/cache (mean ${fmt(downstream.meanMs)} ms) on an idle ${workerModel} task`);
  const none = sized(0, 'nothing carried: see the status');
  const base = { measuredP95Ms, downstreamMeanMs, idleP95Ms };

  // The measured p95 can never be below an idle worker's: then the CPU cost or the database/cache times are too high.
  if (measured < idleMs * (1 - CONTRADICTION_TOLERANCE)) {
    return {
      ...base,
      status: 'contradiction',
      extraIoMeanMs: none,
      warnings: [
        `Today: measured p95 ${fmt(measured)} ms is below ${fmt(idleMs)} ms, what an idle worker answers in with ${fmt(serviceSec * 1000)} ms CPU per request and ` +
          `${fmt(downstream.meanMs)} ms mean database/cache time: current.cpuMsPerRequest (or rpsPerVcpu), dbQueriesPerRead/Write or dbQueryMs overstate the cost; the plan keeps the model's numbers`,
      ],
    };
  }
  if (apiCpuPct === undefined) {
    return { ...base, status: 'unknown', extraIoMeanMs: sized(0, 'no current.metrics.apiCpuPct: without today\'s utilisation the measured p95 cannot be split into queueing and other latency'), warnings: [] };
  }
  const u = apiCpuPct / 100;
  const cpuUtilization = sized(u, `current.metrics.apiCpuPct ${fmt(apiCpuPct)} % at today's peak`);
  const workersSized = sized(workers, `${fmt(current.peakRps)} RPS x ${fmt(serviceSec * 1000)} ms CPU = ${fmt(busyVcpu)} vCPU busy / ${fmt(apiCpuPct)} % CPU, rounded (at least 1)`);
  const withCpu = { ...base, cpuUtilization, workers: workersSized };
  // The utilisation at which the model's p95 equals the measurement (the model's p95 rises with utilisation).
  const implied = maxUtilizationWithin(workerModel, workers, serviceSec, ioSec, measured / 1000);

  if (u >= SATURATED_CPU) {
    return {
      ...withCpu,
      status: 'saturated',
      impliedUtilization: sized(implied, `the model reaches the measured ${fmt(measured)} ms at ${fmt(implied * 100)} % CPU: today's p95 is CPU queueing, which the phases remove by scaling out`),
      extraIoMeanMs: sized(0, `API CPU ${fmt(apiCpuPct)} % is saturated: the queue explains the measured p95 (the model gives it at ${fmt(implied * 100)} % CPU), so no other latency is inferred`),
      warnings: [],
    };
  }
  const modelledMs = p95AtUtilizationSec(workerModel, u, workers, serviceSec, ioSec) * 1000;
  const modelledP95Ms = sized(modelledMs, `${workerModel} worker model at ${fmt(apiCpuPct)} % CPU on ${workers} worker(s), database/cache mean ${fmt(downstream.meanMs)} ms`);
  if (measured < modelledMs * (1 - CONTRADICTION_TOLERANCE)) {
    return {
      ...withCpu,
      status: 'contradiction',
      modelledP95Ms,
      impliedUtilization: sized(implied, `the model gives the measured ${fmt(measured)} ms only at ${fmt(implied * 100)} % CPU`),
      extraIoMeanMs: none,
      warnings: [
        `Today: measured p95 ${fmt(measured)} ms at ${fmt(apiCpuPct)} % API CPU cannot both be true with the model: at that CPU the ${workerModel} queue alone gives ${fmt(modelledMs)} ms ` +
          `(the measured p95 fits ${fmt(implied * 100)} % CPU); check current.metrics.apiCpuPct, current.p95LatencyMs and the CPU per request. The plan keeps the model's numbers`,
      ],
    };
  }
  // Calibrate: the extra mean non-CPU time x >= 0 with which the model reproduces the measured p95 today.
  const p95With = (extraSec: number) => p95AtUtilizationSec(workerModel, u, workers, serviceSec, ioSec + extraSec) * 1000;
  let extraSec = 0;
  if (p95With(0) < measured) {
    let low = 0;
    let high = measured / 1000;
    while (high - low > 1e-6) {
      const mid = (low + high) / 2;
      if (p95With(mid) < measured) low = mid;
      else high = mid;
    }
    extraSec = (low + high) / 2;
  }
  const dbCpuPct = current.metrics?.dbCpuPct;
  const dbNote =
    dbCpuPct === undefined
      ? ''
      : dbCpuPct > model.policy.dbTargetCpuPct
        ? `; database CPU today ${fmt(dbCpuPct)} % is above the plan's ${model.policy.dbTargetCpuPct} % target, so part of it may be database queueing the phases remove (carrying it all is conservative)`
        : `; database CPU today ${fmt(dbCpuPct)} % is within the plan's ${model.policy.dbTargetCpuPct} % target, so it is not database queueing the phases remove`;
  return {
    ...withCpu,
    status: 'calibrated',
    modelledP95Ms,
    impliedUtilization: sized(implied, `the model alone gives the measured ${fmt(measured)} ms at ${fmt(implied * 100)} % CPU`),
    extraIoMeanMs: sized(
      extraSec * 1000,
      `measured ${fmt(measured)} ms - modelled ${fmt(modelledMs)} ms at ${fmt(apiCpuPct)} % CPU: a non-CPU wait of mean ${fmt(extraSec * 1000)} ms ` +
        `(exponential, p95 ~${fmt(extraSec * 1000 * Math.log(20))} ms) makes the model match today, carried into every phase${dbNote}`,
    ),
    warnings: [],
  };
}
