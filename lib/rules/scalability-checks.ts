import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagPack, NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { AUTOSCALING_RULES } from './autoscaling';
import { CLOUDFRONT_RULES } from './cloudfront';
import { DYNAMODB_RULES } from './dynamodb';
import { ECS_RULES } from './ecs';
import { ELASTICACHE_RULES } from './elasticache';
import { LAMBDA_RULES } from './lambda';
import { LOGS_RULES } from './logs';
import { PLAN_RULES } from './plan';
import type { PlanMinimums } from './plan-minimums';
import { RDS_RULES } from './rds';
import type { RuleContext, ScalabilityRule } from './rule';
import { SQS_RULES } from './sqs';
import { WAF_RULES } from './waf';

/** The pack's name: findings read `Scalability-ECS1`, acknowledgements use the same id. */
export const SCALABILITY_PACK_NAME = 'Scalability';

/** Every rule, in the order of the README table; the plan rules only act when the pack is given a plan. */
export const SCALABILITY_RULES: readonly ScalabilityRule[] = [
  ...ECS_RULES,
  ...AUTOSCALING_RULES,
  ...RDS_RULES,
  ...ELASTICACHE_RULES,
  ...CLOUDFRONT_RULES,
  ...WAF_RULES,
  ...SQS_RULES,
  ...LAMBDA_RULES,
  ...DYNAMODB_RULES,
  ...LOGS_RULES,
  ...PLAN_RULES,
];

/** Properties of the scalability pack. */
export interface ScalabilityChecksProps extends NagPackProps {
  /**
   * Highest target-tracking CPU target (percent) an ECS service may use (rule AS3).
   * @default 75
   */
  readonly maxTargetCpuPercent?: number;
  /**
   * The plan's numbers each stack must reach (rules PLAN1-3, and the timings of ECS5/ECS6): one set for every stack,
   * or a function of the stack (undefined: that stack has no plan).
   * @default - no plan: only the plan-free rules run
   */
  readonly plan?: PlanMinimums | ((stack: Stack) => PlanMinimums | undefined);
}

/**
 * Scaling mistakes as a cdk-nag pack: an ECS service that cannot scale, a single-instance database with no proxy, a
 * cache with no eviction policy, a CDN that caches nothing, a public endpoint with no rate limit, and more.
 *
 * A cdk-nag 3 `NagPack`, so it is also a CDK policy-validation plugin: `Validations.of(app).addPlugins(new
 * ScalabilityChecks())`. Findings are acknowledged like any cdk-nag finding, on the resource, with
 * `Validations.of(resource).acknowledge({ id: 'Scalability-ECS2', reason })`. Each rule reads L1 properties (so it
 * sees L2-built and L1-built resources alike) and follows `Ref`/`Fn::GetAtt` to related resources of the same stack.
 */
export class ScalabilityChecks extends NagPack {
  public readonly name = SCALABILITY_PACK_NAME;
  /** The ids this pack reports, with the pack prefix (`Scalability-ECS1`, ...). */
  public readonly ruleIds = SCALABILITY_RULES.map((r) => `${SCALABILITY_PACK_NAME}-${r.id}`);
  private readonly maxTargetCpuPercent: number;
  private readonly plan?: ScalabilityChecksProps['plan'];

  /**
   * @param scope only used with `writeSuppressionsToCloudFormation` (as in cdk-nag's own packs)
   * @param props thresholds and the optional plan
   */
  constructor(scope?: IConstruct, props: ScalabilityChecksProps = {}) {
    super(scope, props);
    this.packName = SCALABILITY_PACK_NAME;
    const max = props.maxTargetCpuPercent ?? 75;
    if (!Number.isFinite(max) || max <= 0 || max > 100) {
      throw new Error(`'maxTargetCpuPercent' (${max}) must be a number > 0 and <= 100`);
    }
    this.maxTargetCpuPercent = max;
    this.plan = props.plan;
  }


  protected checkResource(node: CfnResource): void {
    const plan = typeof this.plan === 'function' ? this.plan(Stack.of(node)) : this.plan;
    const context: RuleContext = { maxTargetCpuPercent: this.maxTargetCpuPercent, plan };
    for (const rule of SCALABILITY_RULES) {
      this.applyRule({
        ruleSuffixOverride: rule.id,
        info: rule.info,
        explanation: `${rule.explanation} Fix: ${rule.fix}`,
        level: rule.level,
        rule: (resource: CfnResource) => rule.check(resource, context),
        node,
      });
    }
  }
}
