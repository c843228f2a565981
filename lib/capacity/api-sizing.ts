/**
 * Sizing of the API tier: task size, min/max tasks, autoscaling targets and cooldowns.
 */
import { FARGATE_MEMORY_MIB, FARGATE_VCPU_SIZES } from './catalog';
import { ApiPlan, sized, TrafficPlan } from './plan-types';
import { maxUtilizationWithin, p95AtUtilizationSec, responseP95Sec, taskResponse, WorkerModel } from './worker-model';
import type { Capacity } from './schema';
import { fmt } from './traffic';
import type { TodayReconciliation } from './calibration';

/** How often the load balancer checks a task, and how many passes make it healthy (ApiTier uses the same). */
export const HEALTH_CHECK = { healthyThreshold: 2 } as const;

/** Requests/s one vCPU serves at 100 % CPU, from either form the model accepts. */
export function rpsPerVcpuOf(current: Capacity['current']): number {
  return current.rpsPerVcpu ?? 1000 / current.cpuMsPerRequest!;
}

/** The memory Fargate allows for `vcpu` closest to `vcpu x perVcpuMiB` (rounded up to its step, clamped to its range). */
export function fargateMemoryMiB(vcpu: number, perVcpuMiB: number): number {
  const [min, max, step] = FARGATE_MEMORY_MIB[vcpu];
  return Math.min(max, Math.max(min, Math.ceil((vcpu * perVcpuMiB) / step) * step));
}

/** The lowest CPU target the plan sets (ApiTier accepts 10-95 %): below it a task mostly idles, and a warning says why. */
export const MIN_TARGET_CPU_PCT = 10;

/** A phase's CPU target for target tracking: the policy ceiling, lowered until the p95 at that CPU meets the SLO. */
export interface CpuTarget {
  /** Whole percent handed to target tracking. */
  readonly pct: number;
  /** Highest utilisation (0..1) at which the predicted p95 meets the SLO, before the margin; 0 when none does. */
  readonly sloMaxUtilization: number;
  readonly why: string;
}

/**
 * The CPU target of tasks of `vcpu` workers: min(policy.apiTargetCpuPct, floor(highest CPU % whose p95 meets the SLO
 * - policy.apiSloCpuMarginPct)). Per task the p95 depends only on its utilisation, and target tracking holds every task
 * at or below the target whatever the load, so a target whose p95 meets the SLO keeps the SLO at every load the fleet
 * can scale to.
 */
export function cpuTargetFor(model: Capacity, vcpu: number, serviceTimeSec: number, ioMeanSec: number): CpuTarget {
  const { policy, service } = model;
  const sloMax = maxUtilizationWithin(service.workerModel, vcpu, serviceTimeSec, ioMeanSec, model.slo.p95Ms / 1000);
  if (sloMax === 0) {
    return { pct: policy.apiTargetCpuPct, sloMaxUtilization: 0, why: `policy.apiTargetCpuPct ${policy.apiTargetCpuPct} %: no CPU level meets the p95 SLO (see warnings), sized for CPU only` };
  }
  const fromSlo = Math.floor(sloMax * 100 - policy.apiSloCpuMarginPct);
  const pct = Math.max(MIN_TARGET_CPU_PCT, Math.min(policy.apiTargetCpuPct, fromSlo));
  const limit = `p95 meets the SLO up to ${fmt(sloMax * 100)} % CPU (${service.workerModel}), less the ${policy.apiSloCpuMarginPct}-point margin for target-tracking overshoot = ${fromSlo} %`;
  const why =
    pct === policy.apiTargetCpuPct
      ? `policy.apiTargetCpuPct ${pct} % (headroom for the minute autoscaling takes to react); ${limit}`
      : `${limit}, below policy.apiTargetCpuPct ${policy.apiTargetCpuPct} %${pct > fromSlo ? `; raised to the floor ${MIN_TARGET_CPU_PCT} %` : ''}`;
  return { pct, sloMaxUtilization: sloMax, why };
}

/**
 * Sizes the API tier for one phase's traffic; returns the plan and any limits it ran into. `today` (calibration.ts)
 * adds the non-CPU latency today's measured p95 shows to the database/cache time, so the CPU target, the task counts
 * and every predicted p95 include it.
 */
export function planApi(model: Capacity, traffic: TrafficPlan, today?: TodayReconciliation): { api: ApiPlan; warnings: string[] } {
  const { policy, service } = model;
  const { workerModel } = service;
  const warnings: string[] = [];
  const rpsPerVcpu = rpsPerVcpuOf(model.current);
  const serviceTimeSec = 1 / rpsPerVcpu;
  const origin = traffic.originDesignRps.value;
  const baseline = traffic.originBaselineRps.value;
  const modelled = downstreamLatencyMs(model, traffic);
  const extraMs = today?.extraIoMeanMs.value ?? 0;
  const downstream =
    extraMs > 0
      ? { meanMs: modelled.meanMs + extraMs, p95Ms: (modelled.meanMs + extraMs) * Math.log(20), why: `(${modelled.why.replace(/ x ln 20$/, '')} + ${fmt(extraMs)} ms calibrated from today's p95) x ln 20` }
      : modelled;
  const ioMeanSec = downstream.meanMs / 1000;
  const sloSec = model.slo.p95Ms / 1000;
  // An idle task answers in CPU time + database/cache time: if even that misses the SLO, no task count meets it.
  const idleP95Ms = p95AtUtilizationSec(workerModel, 1e-5, 1, serviceTimeSec, ioMeanSec) * 1000;
  if (downstream.p95Ms >= model.slo.p95Ms) {
    warnings.push(`API: database and cache time alone (p95 ~${fmt(downstream.p95Ms)} ms) exceeds the p95 SLO ${model.slo.p95Ms} ms: no task count can meet it`);
  } else if (idleP95Ms > model.slo.p95Ms) {
    warnings.push(
      `API: CPU time per request (${fmt(1000 * serviceTimeSec)} ms mean) + database and cache (p95 ~${fmt(downstream.p95Ms)} ms) give a p95 of ${fmt(idleP95Ms)} ms on an idle task, above the p95 SLO ${model.slo.p95Ms} ms: no task count can meet it; sized for CPU only`,
    );
  }

  // The smallest task that keeps max tasks under the ceiling: small tasks scale in fine steps and
  // lose little capacity when one dies; the ceiling keeps DB client pools and deployments manageable.
  // The CPU target depends on the task size (a shared queue pools its vCPUs), so each size gets its own.
  const fits = (vcpu: number) => {
    const target = cpuTargetFor(model, vcpu, serviceTimeSec, ioMeanSec);
    const atPeak = Math.max(policy.minTasks, tasksForSlo(origin, vcpu, serviceTimeSec, target.pct / 100, sloSec, workerModel, ioMeanSec));
    return { vcpu, target, atPeak, max: Math.ceil(atPeak * policy.safetyMargin) };
  };
  let choice = FARGATE_VCPU_SIZES.map(fits).find((c) => c.max <= policy.maxTasksPerService);
  if (!choice) {
    choice = fits(FARGATE_VCPU_SIZES[FARGATE_VCPU_SIZES.length - 1]);
    warnings.push(
      `API: even ${choice.vcpu}-vCPU tasks need ${choice.max} tasks, above policy.maxTasksPerService ${policy.maxTasksPerService}; raise it or cut CPU per request`,
    );
  }
  const { vcpu, atPeak, target } = choice;
  const maxTasks = choice.max;
  const targetPct = target.pct;
  if (target.sloMaxUtilization > 0 && targetPct > Math.floor(target.sloMaxUtilization * 100 - policy.apiSloCpuMarginPct)) {
    warnings.push(
      `API: the p95 SLO needs CPU below ${fmt(target.sloMaxUtilization * 100)} % (${workerModel}, ${vcpu} vCPU); the target stays at the floor ${MIN_TARGET_CPU_PCT} %, without the ${policy.apiSloCpuMarginPct}-point margin: cut CPU per request or relax the SLO`,
    );
  }
  const queue = taskResponse(workerModel, origin / atPeak, vcpu, serviceTimeSec, ioMeanSec);
  const predictedMs = queue.p95Sec * 1000;
  if (predictedMs > model.slo.p95Ms) {
    warnings.push(`API: predicted p95 ${fmt(predictedMs)} ms at design peak is above the SLO ${model.slo.p95Ms} ms`);
  }
  const rpsPerTask = rpsPerVcpu * vcpu * (targetPct / 100);
  const minTasks = Math.min(maxTasks, Math.max(policy.minTasks, Math.ceil(baseline / rpsPerTask)));
  const atBaseline = taskResponse(workerModel, baseline / minTasks, vcpu, serviceTimeSec, ioMeanSec);
  const baselineMs = atBaseline.p95Sec * 1000;
  const atTargetMs = p95AtUtilizationSec(workerModel, targetPct / 100, vcpu, serviceTimeSec, ioMeanSec) * 1000;
  if (target.sloMaxUtilization > 0 && atTargetMs > model.slo.p95Ms) {
    warnings.push(`API: predicted p95 ${fmt(atTargetMs)} ms with tasks held at the ${targetPct} % CPU target is above the SLO ${model.slo.p95Ms} ms`);
  }
  const scaleOut = Math.ceil(service.taskStartupSec + service.healthCheckIntervalSec * HEALTH_CHECK.healthyThreshold);
  const scaleIn = Math.max(300, 3 * scaleOut);
  const memory = fargateMemoryMiB(vcpu, policy.memoryMiBPerVcpu);
  const modelName = queue.queue;

  return {
    warnings,
    api: {
      workerModel: sized(
        workerModel,
        workerModel === 'per-worker'
          ? 'service.workerModel: Node cluster hands connections round-robin to single-threaded workers, each an M/M/1 queue; the response after I/O queues on the same worker again'
          : 'service.workerModel: one queue for all vCPUs of a task (multi-threaded server), an M/M/v queue',
      ),
      rpsPerVcpu: sized(
        rpsPerVcpu,
        model.current.rpsPerVcpu !== undefined ? 'measured RPS per vCPU (model)' : `1000 ms / ${fmt(model.current.cpuMsPerRequest!)} CPU ms per request`,
      ),
      taskVcpu: sized(vcpu, `smallest Fargate size whose max tasks (${maxTasks}) fit policy.maxTasksPerService ${policy.maxTasksPerService}`),
      taskCpuUnits: sized(vcpu * 1024, `${vcpu} vCPU x 1024 units`),
      taskMemoryMiB: sized(memory, `${vcpu} vCPU x ${policy.memoryMiBPerVcpu} MiB (one Node worker per vCPU), within Fargate's range`),
      rpsPerTaskAtTarget: sized(rpsPerTask, `${fmt(rpsPerVcpu)} RPS/vCPU x ${vcpu} vCPU x target ${targetPct} % CPU`),
      tasksAtDesignPeak: sized(
        atPeak,
        `smallest count whose tasks (${modelName}) stay <= ${targetPct} % busy with p95 within the SLO at ${fmt(origin)} origin RPS`,
      ),
      minTasks: sized(
        minTasks,
        `daily baseline ${fmt(baseline)} origin RPS / ${fmt(rpsPerTask)} RPS per task at the ${targetPct} % target, at least policy.minTasks ${policy.minTasks}: the baseline runs at or below the target`,
      ),
      maxTasks: sized(maxTasks, `tasks at design peak ${atPeak} x safety margin ${policy.safetyMargin} (seeds' capacity formula)`),
      sloMaxCpuPercent: sized(
        target.sloMaxUtilization * 100,
        target.sloMaxUtilization > 0
          ? `highest CPU at which the p95 of ${modelName} plus database/cache time (mean ${fmt(downstream.meanMs)} ms) meets the SLO ${model.slo.p95Ms} ms`
          : `no CPU level meets the SLO ${model.slo.p95Ms} ms (an idle task's p95 is ${fmt(idleP95Ms)} ms)`,
      ),
      targetCpuPercent: sized(targetPct, target.why),
      requestsPerTargetPerMinute: sized(
        Math.round(rpsPerTask * 60),
        `${fmt(rpsPerTask)} RPS per task at target x 60 s: scales on load even when CPU lags`,
      ),
      scaleOutCooldownSec: sized(
        scaleOut,
        `task startup ${service.taskStartupSec} s + ${HEALTH_CHECK.healthyThreshold} health checks x ${service.healthCheckIntervalSec} s: new tasks serve before the next step`,
      ),
      scaleInCooldownSec: sized(scaleIn, 'max(300 s, 3 x scale-out cooldown): scale in slowly so a lull between bursts does not flap'),
      deregistrationDelaySec: sized(service.requestTimeoutSec + 5, `request timeout ${service.requestTimeoutSec} s + 5 s: in-flight requests finish before a task stops`),
      healthCheckIntervalSec: sized(
        service.healthCheckIntervalSec,
        `service.healthCheckIntervalSec; healthy after ${HEALTH_CHECK.healthyThreshold} passes: a new task serves ~${service.healthCheckIntervalSec * HEALTH_CHECK.healthyThreshold} s after it starts`,
      ),
      healthCheckGracePeriodSec: sized(
        scaleOut,
        `task startup ${service.taskStartupSec} s + ${HEALTH_CHECK.healthyThreshold} health checks x ${service.healthCheckIntervalSec} s: ECS waits until a new task can have passed its checks before counting failures`,
      ),
      downstreamP95Ms: sized(downstream.p95Ms, downstream.why),
      calibratedExtraMs: today?.extraIoMeanMs ?? sized(0, 'no reconciliation with today\'s measurement was given to the planner'),
      cpuQueueP95Ms: sized(
        queue.cpuP95Sec * 1000,
        `${modelName} per task at ${fmt(origin / atPeak)} RPS, ${fmt(1000 / rpsPerVcpu)} ms CPU per request, P(wait) ${fmt(queue.probWait * 100)} %`,
      ),
      predictedP95Ms: sized(
        predictedMs,
        `p95 of CPU queue time + exponential database/cache time (mean ${fmt(downstream.meanMs)} ms), convolved exactly (worker-model.ts), at design peak`,
      ),
      p95HeadroomMs: sized(model.slo.p95Ms - predictedMs, `SLO ${model.slo.p95Ms} ms - predicted p95`),
      p95AtBaselineMs: sized(
        baselineMs,
        `daily baseline ${fmt(baseline)} origin RPS on ${minTasks} min tasks (${fmt(atBaseline.utilization * 100)} % CPU), CPU queue and database/cache time`,
      ),
      p95AtTargetMs: sized(
        atTargetMs,
        `every task at exactly the ${targetPct} % target: the worst steady state target tracking allows at any load from the baseline ` +
          `(${fmt(baseline)} RPS on ${minTasks} tasks, p95 ${fmt(baselineMs)} ms) to the design peak (${fmt(origin)} RPS on ${atPeak} of max ${maxTasks} tasks, p95 ${fmt(predictedMs)} ms); SLO ${model.slo.p95Ms} ms`,
      ),
      utilizationAtDesignPeak: sized(
        traffic.originDesignRps.value / (atPeak * vcpu * rpsPerVcpu),
        `origin design peak / (${atPeak} tasks x ${vcpu} vCPU x ${fmt(rpsPerVcpu)} RPS/vCPU)`,
      ),
    },
  };
}

/**
 * The fewest tasks of `vcpu` workers that carry `originRps` with every task at most `maxUtilization` busy and
 * its p95 response (CPU queue plus database/cache time of mean `ioMeanSec`) within `p95BudgetSec`. The load balancer spreads requests evenly, so each task is its own
 * queue with originRps / tasks arrivals (not one M/M/c over all vCPUs, which would be optimistic), queued as
 * `workerModel` says.
 */
export function tasksForSlo(
  originRps: number,
  vcpu: number,
  serviceTimeSec: number,
  maxUtilization: number,
  p95BudgetSec: number,
  workerModel: WorkerModel,
  ioMeanSec: number,
): number {
  const cpuBound = Math.max(1, Math.ceil((originRps * serviceTimeSec) / (vcpu * maxUtilization)));
  // With ever more tasks the response time tends to an idle task's (service + database/cache time): a budget at or
  // below that is unreachable, and more tasks would only burn money (the plan warns instead).
  if (p95AtUtilizationSec(workerModel, 1e-5, vcpu, serviceTimeSec, ioMeanSec) >= p95BudgetSec) return cpuBound;
  const withinBudget = (n: number) => responseP95Sec(workerModel, originRps / n, vcpu, serviceTimeSec, ioMeanSec) <= p95BudgetSec;
  if (withinBudget(cpuBound)) return cpuBound;
  // The p95 falls as tasks are added: double until within budget, then bisect for the fewest.
  let low = cpuBound;
  let high = cpuBound * 2;
  while (!withinBudget(high)) [low, high] = [high, high * 2];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (withinBudget(mid)) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * Time a request spends on the database and cache, which the CPU queue does not see: the origin mix of reads
 * (each query a cache lookup, and a database query on a miss) and writes (database queries). Its p95 takes the
 * time as exponential with that mean: p95 = mean x ln 20 (about 3x).
 */
export function downstreamLatencyMs(model: Capacity, traffic: TrafficPlan): { meanMs: number; p95Ms: number; why: string } {
  const { current, policy } = model;
  const origin = traffic.originDesignRps.value;
  const readShare = traffic.originDesignReadRps.value / origin;
  const perRead = current.dbQueriesPerRead * ((1 - policy.cacheHitRatio) * current.dbQueryMs + policy.cacheHitRatio * policy.cacheLatencyMs);
  const perWrite = current.dbQueriesPerWrite * current.dbQueryMs;
  const meanMs = readShare * perRead + (1 - readShare) * perWrite;
  return {
    meanMs,
    p95Ms: meanMs * Math.log(20),
    why: `mean ${fmt(meanMs)} ms (reads ${fmt(readShare * 100)} % x ${fmt(perRead)} ms, writes x ${fmt(perWrite)} ms) x ln 20`,
  };
}
