import type { CfnResource } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { SCALABLE_TARGET } from './autoscaling';
import { loadBalancersInFrontOf, elbAttribute } from './elb';
import { referencedResources, references, resolve, resolveNumber, resolveString, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

export const ECS_SERVICE = 'AWS::ECS::Service';

/** ECS's DesiredCount when a service gives none. */
const DEFAULT_DESIRED_COUNT = 1;
/** ELBv2's deregistration_delay.timeout_seconds and idle_timeout.timeout_seconds defaults. */
const DEFAULT_DEREGISTRATION_DELAY_SEC = 300;
const DEFAULT_IDLE_TIMEOUT_SEC = 60;

/** The service when `node` is a replica ECS service (daemons run one task per instance and do not scale by count). */
function replicaService(node: CfnResource): ecs.CfnService | undefined {
  if (node.cfnResourceType !== ECS_SERVICE) return undefined;
  const service = node as ecs.CfnService;
  return resolve(node, service.schedulingStrategy) === 'DAEMON' ? undefined : service;
}

/**
 * The scalable targets of a service: `ecs` targets whose ResourceId references it (CDK writes
 * `service/<cluster>/<Fn::GetAtt Service.Name>`), or names it literally when both are plain strings.
 */
export function scalableTargetsOf(service: ecs.CfnService): appscaling.CfnScalableTarget[] {
  const serviceName = resolveString(service, service.serviceName);
  return resourcesOfType(service, SCALABLE_TARGET)
    .map((r) => r as appscaling.CfnScalableTarget)
    .filter((target) => resolve(target, target.serviceNamespace) === 'ecs')
    .filter((target) => {
      if (references(target, target.resourceId, service)) return true;
      const resourceId = resolveString(target, target.resourceId);
      return serviceName !== undefined && resourceId !== undefined && resourceId.endsWith(`/${serviceName}`);
    });
}

/** The target groups a service registers its tasks with (those of the same stack). */
function targetGroupsOf(service: ecs.CfnService): CfnResource[] {
  const loadBalancers = (resolve(service, service.loadBalancers) ?? []) as Array<{ targetGroupArn?: unknown }>;
  return loadBalancers.flatMap((lb) => referencedResources(service, lb.targetGroupArn))
    .filter((r) => r.cfnResourceType === 'AWS::ElasticLoadBalancingV2::TargetGroup');
}

/** The containers of the service's task definition (same stack), resolved; [] when it cannot be found. */
function containersOf(service: ecs.CfnService): ecs.CfnTaskDefinition.ContainerDefinitionProperty[] {
  const [taskDefinition] = referencedResources(service, service.taskDefinition).filter((r) => r.cfnResourceType === 'AWS::ECS::TaskDefinition');
  if (taskDefinition === undefined) return [];
  return resolve(taskDefinition, (taskDefinition as ecs.CfnTaskDefinition).containerDefinitions) ?? [];
}

export const ECS_RULES: readonly ScalabilityRule[] = [
  {
    id: 'ECS1',
    level: NagMessageLevel.ERROR,
    info: 'The ECS service has no scalable target: its task count never changes with load.',
    explanation: 'A service without Application Auto Scaling runs DesiredCount tasks whatever the traffic: a peak above what they hold saturates them, and CPU or request-count policies have nothing to act on.',
    fix: 'Register a scalable target and a target-tracking policy: service.autoScaleTaskCount({ minCapacity, maxCapacity }).scaleOnCpuUtilization(...) (and scaleOnRequestCount behind an ALB).',
    check: (node) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      return scalableTargetsOf(service).length === 0 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'ECS2',
    level: NagMessageLevel.WARN,
    info: 'The ECS service can run fewer than 2 tasks (MinCapacity of its scalable target, or DesiredCount without one).',
    explanation: 'With one task, a deployment, a task failure or the loss of its Availability Zone takes the whole service down, and that single task absorbs every spike until scale-out catches up.',
    fix: 'Keep at least 2 tasks, in different Availability Zones: minCapacity >= 2 (or desiredCount >= 2 without auto scaling).',
    check: (node) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const targets = scalableTargetsOf(service);
      const minimums = targets.length === 0
        ? [service.desiredCount === undefined ? DEFAULT_DESIRED_COUNT : resolveNumber(node, service.desiredCount)]
        : targets.map((t) => resolveNumber(t, t.minCapacity));
      if (minimums.some((m) => m === undefined)) throw new Error('the task count is not a literal number');
      return Math.min(...(minimums as number[])) < 2 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'ECS3',
    level: NagMessageLevel.ERROR,
    info: 'The ECS service has no deployment circuit breaker.',
    explanation: 'Without it, a deployment whose tasks never become healthy keeps replacing them for hours while the old tasks carry all the load, and a scale-out in that time launches the broken revision.',
    fix: 'Enable the circuit breaker with rollback: circuitBreaker: { enable: true, rollback: true } (DeploymentConfiguration.DeploymentCircuitBreaker).',
    check: (node) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const controller = resolve(node, service.deploymentController)?.type ?? 'ECS';
      // CODE_DEPLOY and EXTERNAL controllers roll back with their own mechanisms; the circuit breaker applies to ECS's.
      if (controller !== 'ECS') return NagRuleCompliance.NOT_APPLICABLE;
      const breaker = resolve(node, service.deploymentConfiguration)?.deploymentCircuitBreaker;
      return breaker?.enable === true ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
  {
    id: 'ECS4',
    level: NagMessageLevel.WARN,
    info: 'The ECS service places its tasks in a single subnet or Availability Zone.',
    explanation: 'All tasks share one failure domain: an AZ outage stops the service, and the tasks left cannot be rescheduled elsewhere.',
    fix: 'Give the service subnets in at least 2 Availability Zones (vpcSubnets spanning the VPC\'s AZs, maxAzs >= 2).',
    check: (node) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const subnets = resolve(node, service.networkConfiguration)?.awsvpcConfiguration?.subnets;
      // Bridge/host networking: placement follows the cluster's instances, which this rule does not see.
      if (subnets === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      if (!Array.isArray(subnets)) throw new Error('the subnets are not a literal list');
      if (subnets.length < 2) return NagRuleCompliance.NON_COMPLIANT;
      // Subnets of this stack with known AZs: several subnets in one AZ are still one AZ.
      const zones = subnets.map((subnet) => {
        const [resource] = referencedResources(node, subnet).filter((r) => r.cfnResourceType === 'AWS::EC2::Subnet');
        return resource === undefined ? undefined : JSON.stringify(resolve(resource, (resource as ec2.CfnSubnet).availabilityZone));
      });
      if (zones.every((z) => z !== undefined) && new Set(zones).size < 2) return NagRuleCompliance.NON_COMPLIANT;
      return NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'ECS5',
    level: NagMessageLevel.ERROR,
    info: 'The load-balanced ECS service\'s health-check grace period is shorter than its tasks\' start-up (container health-check start period, or the plan\'s task start-up time), or zero.',
    explanation: 'ECS replaces a task that the load balancer reports unhealthy once the grace period is over; a task still starting is killed and replaced in a loop, exactly when a scale-out needs it.',
    fix: 'Set healthCheckGracePeriod to at least the start-up time (HealthCheckGracePeriodSeconds), e.g. Duration.seconds(60) for a 45-second start.',
    check: (node, { plan }) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const loadBalancers = resolve(node, service.loadBalancers);
      if (!Array.isArray(loadBalancers) || loadBalancers.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
      const grace = service.healthCheckGracePeriodSeconds === undefined ? 0 : resolveNumber(node, service.healthCheckGracePeriodSeconds);
      if (grace === undefined) throw new Error('HealthCheckGracePeriodSeconds is not a literal number');
      const startPeriods = containersOf(service).map((c) => Number((c.healthCheck as any)?.startPeriod ?? 0));
      const startup = Math.max(0, plan?.taskStartupSec ?? 0, ...startPeriods.filter(Number.isFinite));
      return grace === 0 || grace < startup ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'ECS6',
    level: NagMessageLevel.ERROR,
    info: 'The target group\'s deregistration delay is shorter than the request timeout (the plan\'s, or else the load balancer\'s idle timeout).',
    explanation: 'On every scale-in and deployment ECS deregisters a task and stops it once the delay is over: requests still running then are cut off, so each scale-in turns into client errors.',
    fix: 'Set deregistrationDelay to at least the longest request (request timeout + a few seconds); keep the ALB idle timeout at the request timeout.',
    check: (node, { plan }) => {
      const service = replicaService(node);
      if (service === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const groups = targetGroupsOf(service);
      if (groups.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
      for (const group of groups) {
        const delay = elbAttribute(group, 'deregistration_delay.timeout_seconds') ?? DEFAULT_DEREGISTRATION_DELAY_SEC;
        const idleTimeouts = loadBalancersInFrontOf(group).map((lb) => elbAttribute(lb, 'idle_timeout.timeout_seconds') ?? DEFAULT_IDLE_TIMEOUT_SEC);
        const requestTimeout = plan?.requestTimeoutSec ?? (idleTimeouts.length > 0 ? Math.max(...idleTimeouts) : undefined);
        if (requestTimeout !== undefined && delay < requestTimeout) return NagRuleCompliance.NON_COMPLIANT;
      }
      return NagRuleCompliance.COMPLIANT;
    },
  },
];
