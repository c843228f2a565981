/**
 * Sizing of the API tier: task size, min/max tasks, autoscaling targets and cooldowns.
 */
import { FARGATE_MEMORY_MIB, FARGATE_VCPU_SIZES } from './catalog';
import { ApiPlan, sized, TrafficPlan } from './plan-types';
import type { Capacity } from './schema';
import { fmt } from './traffic';

/** How often the load balancer checks a task, and how many passes make it healthy (ApiTier uses the same). */
export const HEALTH_CHECK = { intervalSec: 15, healthyThreshold: 2 } as const;

/** Requests/s one vCPU serves at 100 % CPU, from either form the model accepts. */
export function rpsPerVcpuOf(current: Capacity['current']): number {
  return current.rpsPerVcpu ?? 1000 / current.cpuMsPerRequest!;
}

/** The memory Fargate allows for `vcpu` closest to `vcpu x perVcpuMiB` (rounded up to its step, clamped to its range). */
export function fargateMemoryMiB(vcpu: number, perVcpuMiB: number): number {
  const [min, max, step] = FARGATE_MEMORY_MIB[vcpu];
  return Math.min(max, Math.max(min, Math.ceil((vcpu * perVcpuMiB) / step) * step));
}

/** Sizes the API tier for one phase's traffic; returns the plan and any limits it ran into. */
export function planApi(model: Capacity, traffic: TrafficPlan): { api: ApiPlan; warnings: string[] } {
  const { policy, service } = model;
  const warnings: string[] = [];
  const rpsPerVcpu = rpsPerVcpuOf(model.current);
  const target = policy.apiTargetCpuPct / 100;
  const vcpuNeeded = traffic.originDesignRps.value / (rpsPerVcpu * target);

  // The smallest task that keeps max tasks under the ceiling: small tasks scale in fine steps and
  // lose little capacity when one dies; the ceiling keeps DB client pools and deployments manageable.
  const fits = (vcpu: number) => {
    const atPeak = Math.max(policy.minTasks, Math.ceil(vcpuNeeded / vcpu));
    return { vcpu, atPeak, max: Math.ceil(atPeak * policy.safetyMargin) };
  };
  let choice = FARGATE_VCPU_SIZES.map(fits).find((c) => c.max <= policy.maxTasksPerService);
  if (!choice) {
    choice = fits(FARGATE_VCPU_SIZES[FARGATE_VCPU_SIZES.length - 1]);
    warnings.push(
      `API: even ${choice.vcpu}-vCPU tasks need ${choice.max} tasks, above policy.maxTasksPerService ${policy.maxTasksPerService}; raise it or cut CPU per request`,
    );
  }
  const { vcpu, atPeak } = choice;
  const maxTasks = choice.max;
  const rpsPerTask = rpsPerVcpu * vcpu * target;
  const minTasks = Math.min(maxTasks, Math.max(policy.minTasks, Math.ceil(traffic.originBaselineRps.value / rpsPerTask)));
  const scaleOut = Math.ceil(service.taskStartupSec + HEALTH_CHECK.intervalSec * HEALTH_CHECK.healthyThreshold);
  const scaleIn = Math.max(300, 3 * scaleOut);
  const memory = fargateMemoryMiB(vcpu, policy.memoryMiBPerVcpu);

  return {
    warnings,
    api: {
      rpsPerVcpu: sized(
        rpsPerVcpu,
        model.current.rpsPerVcpu !== undefined ? 'measured RPS per vCPU (model)' : `1000 ms / ${fmt(model.current.cpuMsPerRequest!)} CPU ms per request`,
      ),
      taskVcpu: sized(vcpu, `smallest Fargate size whose max tasks (${maxTasks}) fit policy.maxTasksPerService ${policy.maxTasksPerService}`),
      taskCpuUnits: sized(vcpu * 1024, `${vcpu} vCPU x 1024 units`),
      taskMemoryMiB: sized(memory, `${vcpu} vCPU x ${policy.memoryMiBPerVcpu} MiB (one Node worker per vCPU), within Fargate's range`),
      rpsPerTaskAtTarget: sized(rpsPerTask, `${fmt(rpsPerVcpu)} RPS/vCPU x ${vcpu} vCPU x target ${policy.apiTargetCpuPct} % CPU`),
      tasksAtDesignPeak: sized(atPeak, `origin design peak ${fmt(traffic.originDesignRps.value)} RPS / ${fmt(rpsPerTask)} RPS per task`),
      minTasks: sized(
        minTasks,
        `daily baseline ${fmt(traffic.originBaselineRps.value)} origin RPS / ${fmt(rpsPerTask)} RPS per task, at least policy.minTasks ${policy.minTasks}`,
      ),
      maxTasks: sized(maxTasks, `tasks at design peak ${atPeak} x safety margin ${policy.safetyMargin} (seeds' capacity formula)`),
      targetCpuPercent: sized(policy.apiTargetCpuPct, 'policy.apiTargetCpuPct: headroom for the minute autoscaling takes to react'),
      requestsPerTargetPerMinute: sized(
        Math.round(rpsPerTask * 60),
        `${fmt(rpsPerTask)} RPS per task at target x 60 s: scales on load even when CPU lags`,
      ),
      scaleOutCooldownSec: sized(
        scaleOut,
        `task startup ${service.taskStartupSec} s + ${HEALTH_CHECK.healthyThreshold} health checks x ${HEALTH_CHECK.intervalSec} s: new tasks serve before the next step`,
      ),
      scaleInCooldownSec: sized(scaleIn, 'max(300 s, 3 x scale-out cooldown): scale in slowly so a lull between bursts does not flap'),
      deregistrationDelaySec: sized(service.requestTimeoutSec + 5, `request timeout ${service.requestTimeoutSec} s + 5 s: in-flight requests finish before a task stops`),
      healthCheckIntervalSec: sized(HEALTH_CHECK.intervalSec, `healthy after ${HEALTH_CHECK.healthyThreshold} passes: a new task serves ~${HEALTH_CHECK.intervalSec * HEALTH_CHECK.healthyThreshold} s after it starts`),
      utilizationAtDesignPeak: sized(
        traffic.originDesignRps.value / (atPeak * vcpu * rpsPerVcpu),
        `origin design peak / (${atPeak} tasks x ${vcpu} vCPU x ${fmt(rpsPerVcpu)} RPS/vCPU)`,
      ),
    },
  };
}
