import { CfnParameter, CfnRule, Fn, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { Capacity, PhaseNumber } from '../lib/capacity';

/**
 * The phase a model deploys: the one its `current.deployedPhase` names (the PR that promotes a phase moves that
 * number), or Phase 1 while nothing is live yet (deployedPhase 0).
 */
export function targetPhase(model: Capacity): PhaseNumber {
  return Math.max(1, model.current.deployedPhase) as PhaseNumber;
}

/**
 * The live phases that phase `phase` may replace: its predecessor (a promotion), itself (a re-deploy) and its successor
 * (a deliberate one-step rollback). Never two steps: 1 -> 3 skips the soak of phase 2, 3 -> 1 undoes two promotions.
 */
export function allowedLivePhases(phase: PhaseNumber): PhaseNumber[] {
  return ([phase - 1, phase, phase + 1] as number[]).filter((p): p is PhaseNumber => p >= 1 && p <= 3);
}

/** Where a stack records the phase it runs: one SSM parameter per CloudFormation stack (so per region). */
export function livePhaseParameterName(stackName: string): string {
  return `/scaling-roadmap/${stackName}/live-phase`;
}

/** Logical ids in the template: stable and short, since an operator may name the parameter in `--parameters`. */
export const DEPLOY_GUARD_IDS = {
  /** The AWS::SSM::Parameter the stack writes with its phase. */
  record: 'LivePhaseRecord',
  /** The template parameter that reads the live phase at deploy time (phases 2 and 3). */
  livePhase: 'LivePhase',
  /**
   * The template parameter naming the phase the model deploys, e.g. `ModelPhase2`: its only allowed value is its
   * default. The target is in its name because the CDK CLI re-sends a parameter's previous value on an update, which
   * would be the old target after the model moves on.
   */
  modelPhase: (target: PhaseNumber) => `ModelPhase${target}`,
  /** Rule: the model deploys this phase. */
  modelRule: 'ModelDeploysThisPhase',
  /** Rule: the live phase is this phase's neighbour. */
  liveRule: 'LivePhaseIsANeighbour',
} as const;

/** Properties of {@link DeployGuard}. */
export interface DeployGuardProps {
  /** The phase this stack deploys. */
  readonly phase: PhaseNumber;
  /** The only phase the model allows to deploy (see {@link targetPhase}). */
  readonly targetPhase: PhaseNumber;
  /** Why that phase: shown by CloudFormation when the rule stops a deploy. */
  readonly targetReason: string;
}

/**
 * A deploy-time guard inside the template, which no `cdk deploy` selection can bypass.
 *
 * Every phase stack (and edge stack) is a version of one CloudFormation stack, so `cdk deploy --all`,
 * `cdk deploy 'Phase*Stack'` or `cdk deploy Phase1Stack Phase3Stack` would walk the live stack through several phases.
 * The CDK CLI cannot stop that before the first stack: the app never learns which stacks are selected (the CLI passes
 * the selection to the app only with `--exclusively`). So each template checks for itself, in its `Rules`, which
 * CloudFormation evaluates before it creates or changes any resource:
 *
 * - `ModelDeploysThisPhase`: only the model's target phase may deploy. In one command, every other phase fails, so
 *   several phases can never deploy in a row, whatever the selection or the order.
 * - `LivePhaseIsANeighbour` (phases 2 and 3): the phase the stack recorded at its last deployment, read from SSM
 *   through an `AWS::SSM::Parameter::Value<String>` parameter, must be this phase, its predecessor or its successor.
 *   Phase 1 has no such read: on the first deployment the record does not exist, and CloudFormation refuses a
 *   template whose SSM parameter it cannot fetch ("Unable to fetch parameters [...] from parameter store"), which is
 *   also what stops a phase 2 or 3 from being the first deployment.
 *
 * The record is written by the same update that changes the phase: if the update fails and rolls back, the record rolls
 * back with it, so it never names a phase the stack does not run.
 */
export class DeployGuard extends Construct {
  /** The SSM parameter holding the phase this stack runs. */
  public readonly record: ssm.StringParameter;
  /** The deploy-time read of the live phase (phases 2 and 3 only). */
  public readonly livePhase?: CfnParameter;

  constructor(scope: Stack, id: string, props: DeployGuardProps) {
    super(scope, id);
    const { phase, targetPhase: target } = props;
    const stackName = scope.stackName;
    const name = livePhaseParameterName(stackName);

    this.record = new ssm.StringParameter(this, 'Record', {
      parameterName: name,
      stringValue: String(phase),
      allowedPattern: '^[123]$',
      description: `The scaling-roadmap phase this stack runs; the next phase's template reads it before deploying`,
    });
    (this.record.node.defaultChild as ssm.CfnParameter).overrideLogicalId(DEPLOY_GUARD_IDS.record);

    // A rule must compare a parameter (cfn-lint W8003 flags a comparison of two literals); this one cannot be overridden
    // (its only allowed value is the target), so `--parameters` cannot make another phase deployable either.
    const modelPhase = new CfnParameter(this, 'ModelPhase', {
      type: 'String',
      default: String(target),
      allowedValues: [String(target)],
      description: `The phase the model deploys (${props.targetReason}); fixed by the model, not an input [cdk:skip]`,
    });
    modelPhase.overrideLogicalId(DEPLOY_GUARD_IDS.modelPhase(target));
    const modelRule = new CfnRule(this, 'ModelDeploysThisPhase', {
      assertions: [
        {
          assert: Fn.conditionEquals(modelPhase.valueAsString, String(phase)),
          assertDescription:
            `${props.targetReason}: the model deploys Phase ${target}, not Phase ${phase}. Deploy one phase per command ` +
            `(cdk deploy Phase${target}Stack); to promote, move current.deployedPhase in the model first.`,
        },
      ],
    });
    modelRule.overrideLogicalId(DEPLOY_GUARD_IDS.modelRule);

    if (phase === 1) return;
    const allowed = allowedLivePhases(phase);
    this.livePhase = new CfnParameter(this, 'LivePhase', {
      type: 'AWS::SSM::Parameter::Value<String>',
      default: name,
      // [cdk:skip]: the CLI may skip a deploy whose template is unchanged (same phase: nothing to guard); otherwise
      // every deploy would create an empty change set.
      description: `The phase ${stackName} runs now (SSM parameter ${name}, written by every phase) [cdk:skip]`,
    });
    this.livePhase.overrideLogicalId(DEPLOY_GUARD_IDS.livePhase);
    const liveRule = new CfnRule(this, 'LivePhaseIsANeighbour', {
      assertions: [
        {
          assert: Fn.conditionContains(allowed.map(String), this.livePhase.valueAsString),
          assertDescription:
            `Phase ${phase} may replace only Phase ${allowed.join(', ')} (one step at a time): the live phase in ` +
            `${name} is another. Promote or roll back through the phases in between.`,
        },
      ],
    });
    liveRule.overrideLogicalId(DEPLOY_GUARD_IDS.liveRule);
  }
}

/** Why the model deploys its target phase, in its own words. */
export function targetReason(model: Capacity): string {
  const deployed = model.current.deployedPhase;
  return deployed === 0 ? 'current.deployedPhase is 0 (nothing live yet)' : `current.deployedPhase is ${deployed}`;
}
