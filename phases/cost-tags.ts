import { Tags } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Capacity, PhasePlan } from '../lib/capacity';

/** Cost-allocation tag keys every resource of a phase carries (activate them in the Billing console). */
export const COST_TAGS = {
  service: 'service',
  phase: 'phase',
  costCentre: 'cost-centre',
  projectedMonthlyCostUsd: 'projected-monthly-cost-usd',
  managedBy: 'managed-by',
} as const;

/** The tag values of one phase, from the model and the plan. */
export function costTagValues(model: Capacity, plan: PhasePlan): Record<string, string> {
  return {
    [COST_TAGS.service]: model.service.name,
    [COST_TAGS.phase]: String(plan.phase),
    [COST_TAGS.costCentre]: model.service.costCentre,
    [COST_TAGS.projectedMonthlyCostUsd]: String(Math.round(plan.cost.totalUsd)),
    [COST_TAGS.managedBy]: 'scaling-roadmap',
  };
}

/**
 * Resource types left untagged: they are billed as part of their parent (or not at all), and the
 * CloudFormation schema bundled with cfn-lint 1.51 does not accept Tags on them yet, although
 * aws-cdk-lib's newer schema does: tagging them would buy nothing and risk a deploy-time error.
 */
export const UNTAGGED_RESOURCE_TYPES: readonly string[] = [
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::CloudWatch::Dashboard',
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::RDS::DBProxyTargetGroup',
];

/**
 * Resource types kept out of the cost tags on purpose: an FIS experiment template costs nothing until it runs, and
 * the CloudFormation spec cloudformation-diff reads marks its Tags as forcing replacement, so tags that change with
 * the phase (phase, projected cost) would replace every template, and change its id, at each promotion.
 */
export const COST_UNTAGGED_RESOURCE_TYPES: readonly string[] = ['AWS::FIS::ExperimentTemplate'];

/** Tags every taggable resource under `scope` with the phase's cost tags. */
export function applyCostTags(scope: IConstruct, model: Capacity, plan: PhasePlan): void {
  for (const [key, value] of Object.entries(costTagValues(model, plan))) {
    Tags.of(scope).add(key, value, { excludeResourceTypes: [...UNTAGGED_RESOURCE_TYPES, ...COST_UNTAGGED_RESOURCE_TYPES] });
  }
}
