import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Capacity, PhasePlan } from '../lib/capacity';
import type { ApiTierProps } from '../lib/constructs/api-tier';

/**
 * The ApiTier props a phase's plan decides, for every region the phase runs in (the primary stack and each secondary
 * one): the container, the task size, scaling and its timings, known events and bursts. What differs per stack (the
 * VPC, TLS, internet-facing, the backends' environment) each stack adds itself.
 */
export function plannedApiTierProps(model: Capacity, plan: PhasePlan, logRetention: logs.RetentionDays): Omit<ApiTierProps, 'vpc'> {
  const api = plan.api;
  return {
    image: ecs.ContainerImage.fromRegistry(model.service.containerImage),
    containerPort: model.service.containerPort,
    containerUser: model.service.containerUser,
    writablePaths: [...model.service.writablePaths],
    healthCheckPath: model.service.healthCheckPath,
    logRetention,
    cpu: api.taskCpuUnits.value,
    memoryLimitMiB: api.taskMemoryMiB.value,
    minTasks: api.minTasks.value,
    maxTasks: api.maxTasks.value,
    targetCpuPercent: api.targetCpuPercent.value,
    requestsPerTargetPerMinute: api.requestsPerTargetPerMinute.value,
    scaleOutCooldown: Duration.seconds(api.scaleOutCooldownSec.value),
    scaleInCooldown: Duration.seconds(api.scaleInCooldownSec.value),
    deregistrationDelay: Duration.seconds(api.deregistrationDelaySec.value),
    healthCheckInterval: Duration.seconds(api.healthCheckIntervalSec.value),
    healthCheckGracePeriod: Duration.seconds(api.healthCheckGracePeriodSec.value),
    // Known events: min tasks raised ahead of each and lowered after (plan.peaks); the burst policy beside target tracking.
    scheduledMinTasks: plan.peaks.scheduled.value.flatMap((event, i) => [
      { id: `Event${i + 1}Raise`, schedule: appscaling.Schedule.at(new Date(event.raiseAtUtc.value.replace('Z', ':00Z'))), minTasks: event.minTasks.value },
      { id: `Event${i + 1}Lower`, schedule: appscaling.Schedule.at(new Date(event.lowerAtUtc.value.replace('Z', ':00Z'))), minTasks: api.minTasks.value },
    ]),
    burstScalingSteps: plan.peaks.burstSteps.value.map((step) => ({ ...step })),
  };
}
