import { AspectPriority, Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { Construct, IConstruct } from 'constructs';
import { CACHE_NODE_TYPES, Capacity } from '../lib/capacity';
import { PlanMinimums, planMinimums, ScalabilityChecks, TemplateLimits } from '../lib/rules';
import type { WriteQueue } from '../lib/constructs/write-queue';
import type { ApiTier } from '../lib/constructs/api-tier';
import type { PhasePlan } from '../lib/capacity';

/** A stack built from a phase's plan with an API tier: the phase stack, or one of its secondary-region stacks. */
/** A phase stack or a secondary-region stack: what the plan-dependent checks and acknowledgements read. */
type PlannedStack = Stack & { readonly plan: PhasePlan; readonly api: ApiTier; readonly writeQueue?: WriteQueue };

/** Apps (or Stages) that already carry the packs: registering them twice would report every finding twice. */
const checkedApps = new WeakSet<Construct>();

/** Each phase stack's plan numbers, read by the Scalability pack when it checks that stack. */
const phaseMinimums = new WeakMap<Stack, PlanMinimums>();

/**
 * Registers cdk-nag's AwsSolutions and NIST 800-53 R5 packs, this library's Scalability pack and CloudFormation's
 * template limits (lib/rules) as validation plugins of
 * `app` (an App, or a Stage in a CDK Pipelines app; once per scope, however often it is called). The Scalability pack also checks each phase stack against its
 * plan (max tasks, readers, cache memory and replicas) once `checkAgainstPlan` has registered it.
 *
 * The plugin walks every stack of the app after synthesis. Any unacknowledged finding, error or warning, makes the
 * report fail, and CDK then fails synthesis: `app.synth()` throws under jest, and the app exits non-zero under
 * `cdk synth`/`cdk deploy`, whichever stacks are selected. Acknowledge a finding only where it cannot be fixed, on
 * the resource itself, with `Validations.of(resource).acknowledge({ id, reason })`, and list it in docs/cdk-nag.md.
 */
export function addNagChecks(app: Construct): void {
  if (checkedApps.has(app)) return;
  checkedApps.add(app);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new ScalabilityChecks(app, { plan: (stack) => phaseMinimums.get(stack) }),
    // A template over CloudFormation's limits fails here, at synth, rather than at deploy.
    new TemplateLimits(),
  );
}

/** Makes the Scalability pack check `stack` against its phase's plan and the model's service timings. */
export function checkAgainstPlan(stack: PlannedStack, model: Capacity): void {
  phaseMinimums.set(stack, planMinimums(stack.plan, model.service, CACHE_NODE_TYPES));
}

/**
 * The API container's plain environment variables in a phase, all reviewed as non-secret configuration. A variable
 * outside this list leaves AwsSolutions-ECS2 unacknowledged, so synthesis fails until someone reviews it and adds it.
 */
export const REVIEWED_ENVIRONMENT_VARIABLES: readonly string[] = [
  'SCALING_PHASE',
  'DB_PROXY_ENDPOINT',
  'DB_USERNAME',
  'DB_IAM_AUTH',
  'DB_PROXY_READER_ENDPOINT',
  'DB_POOL_SIZE',
  'REDIS_HOST',
  'REDIS_READER_HOST',
  'REDIS_PORT',
  'CACHE_CONTROL_CACHEABLE_GET',
  'SHARD_MAP_PATH',
  'WRITE_QUEUE_URL',
  'WORKER_MODE',
  'QUEUE_URL',
  // A phase whose cache moves to cluster mode: the cluster's endpoint and the cut-over stage (dual-write | cluster).
  'REDIS_CLUSTER_CONFIGURATION_ENDPOINT',
  'REDIS_CUTOVER',
  // A secondary region: the global secondary's endpoint and whether it forwards writes to the primary region.
  'DB_ENDPOINT',
  'DB_WRITE_FORWARDING',
];

/** Acknowledgements that depend on how a phase uses the constructs (the constructs acknowledge their own). */
export function acknowledgePhaseFindings(stack: PlannedStack): void {
  const taskDefinitions = [stack.api.taskDefinition, ...(stack.writeQueue ? [stack.writeQueue.taskDefinition] : [])];
  for (const td of taskDefinitions) {
    const taskDefinition = td.node.defaultChild as ecs.CfnTaskDefinition;
    // Checked when the app is synthesized (read-only aspects run last), so a variable added later is seen too.
    Aspects.of(taskDefinition).add(new AcknowledgeReviewedEnvironment(taskDefinition), { priority: AspectPriority.READONLY });
  }
  if (stack.plan.edge.mode.value === 'REGIONAL') {
    // Only in a phase without CloudFront (plan.edge REGIONAL): the load balancer is the service's public entry point.
    const loadBalancerGroup = stack.api.node.findChild('LoadBalancerSecurityGroup').node.defaultChild as IConstruct;
    Validations.of(loadBalancerGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The plan runs this phase without CloudFront (plan.edge REGIONAL: it would cache nothing), so the internet-facing load balancer is the public entry point and must admit 0.0.0.0/0 on its listener port; ' +
        'the regional web ACL associated with it (rate limits, AWS managed rules) filters every request, and the tasks admit only the load balancer',
    });
  }
}

/** Acknowledges AwsSolutions-ECS2 on one task definition, only while every plain variable is a reviewed one. */
class AcknowledgeReviewedEnvironment implements IAspect {
  constructor(private readonly taskDefinition: ecs.CfnTaskDefinition) {}

  public visit(node: IConstruct): void {
    if (node !== this.taskDefinition) return;
    const names = environmentVariableNames(this.taskDefinition);
    if (names.length === 0 || !names.every((name) => REVIEWED_ENVIRONMENT_VARIABLES.includes(name))) return;
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'Plain environment variables carry only reviewed, non-secret configuration (endpoints, queue URLs, the SSM path of the shard map, port, phase, pool size, a Cache-Control value; ' +
        'the list is REVIEWED_ENVIRONMENT_VARIABLES in phases/nag.ts). The database user is the application role (not a secret: it has no password), the Redis AUTH token comes from Secrets Manager as an ECS secret; the tasks never get a database password (they sign IAM tokens for RDS Proxy)',
    });
  }
}

/** Names of the environment variables of every container of `taskDefinition`. */
export function environmentVariableNames(taskDefinition: ecs.CfnTaskDefinition): string[] {
  const stack = Stack.of(taskDefinition);
  const containers = (stack.resolve(taskDefinition.containerDefinitions) ?? []) as Array<{ environment?: Array<{ name: string }> }>;
  return containers.flatMap((c) => (stack.resolve(c.environment) ?? []).map((e: { name: string }) => e.name));
}
