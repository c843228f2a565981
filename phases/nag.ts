import { App, AspectPriority, Aspects, IAspect, Stack, Validations } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { CACHE_NODE_TYPES, Capacity } from '../lib/capacity';
import { PlanMinimums, planMinimums, ScalabilityChecks } from '../lib/rules';
import type { PhaseStack } from './phase-stack';

/** Apps that already carry the packs: registering them twice would report every finding twice. */
const checkedApps = new WeakSet<App>();

/** Each phase stack's plan numbers, read by the Scalability pack when it checks that stack. */
const phaseMinimums = new WeakMap<Stack, PlanMinimums>();

/**
 * Registers cdk-nag's AwsSolutions pack and this library's Scalability pack (lib/rules) as validation plugins of
 * `app` (once per App, however often it is called). The Scalability pack also checks each phase stack against its
 * plan (max tasks, readers, cache memory and replicas) once `checkAgainstPlan` has registered it.
 *
 * The plugin walks every stack of the app after synthesis. Any unacknowledged finding, error or warning, makes the
 * report fail, and CDK then fails synthesis: `app.synth()` throws under jest, and the app exits non-zero under
 * `cdk synth`/`cdk deploy`, whichever stacks are selected. Acknowledge a finding only where it cannot be fixed, on
 * the resource itself, with `Validations.of(resource).acknowledge({ id, reason })`, and list it in docs/cdk-nag.md.
 */
export function addNagChecks(app: App): void {
  if (checkedApps.has(app)) return;
  checkedApps.add(app);
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new NIST80053R5Checks(app),
    new ScalabilityChecks(app, { plan: (stack) => phaseMinimums.get(stack) }),
  );
}

/** Makes the Scalability pack check `stack` against its phase's plan and the model's service timings. */
export function checkAgainstPlan(stack: PhaseStack, model: Capacity): void {
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
];

/** Acknowledgements that depend on how a phase uses the constructs (the constructs acknowledge their own). */
export function acknowledgePhaseFindings(stack: PhaseStack): void {
  const taskDefinition = stack.api.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
  // Checked when the app is synthesized (read-only aspects run last), so a variable added later is seen too.
  Aspects.of(taskDefinition).add(new AcknowledgeReviewedEnvironment(taskDefinition), { priority: AspectPriority.READONLY });
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
      reason: 'Plain environment variables carry only reviewed, non-secret configuration (endpoints, port, phase, pool size, a Cache-Control value; ' +
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
