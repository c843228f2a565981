import type { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';
import type { PlanMinimums } from './plan-minimums';

/** What every rule may read besides the resource: the pack's thresholds and, when given, the plan's numbers. */
export interface RuleContext {
  /** Highest target-tracking CPU target a service can hold with headroom for scale-out lag, in percent. */
  readonly maxTargetCpuPercent: number;
  /** The plan's numbers for the stack being checked, when the pack was given a plan. */
  readonly plan?: PlanMinimums;
}

/** One scalability rule: what a reviewer reads in the finding, in the README table, and the check itself. */
export interface ScalabilityRule {
  /** The id after the pack name: `ECS1` is reported (and acknowledged) as `Scalability-ECS1`. */
  readonly id: string;
  readonly level: NagMessageLevel.ERROR | NagMessageLevel.WARN;
  /** What was found, one sentence (the finding's description). */
  readonly info: string;
  /** Why it limits scaling. */
  readonly explanation: string;
  /** What to change. */
  readonly fix: string;
  /** COMPLIANT, NON_COMPLIANT or NOT_APPLICABLE for one L1 resource; throwing reports the rule as unverifiable. */
  readonly check: (node: CfnResource, context: RuleContext) => NagRuleResult;
}
