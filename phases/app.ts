import type { Construct } from 'constructs';
import type { Capacity, PhasePlan } from '../lib/capacity';
import { DeployGuard, targetPhase, targetReason } from './deploy-guard';
import { acknowledgeNistFindings } from './nist-acknowledgements';
import { EdgeStack } from './edge-stack';
import { acknowledgePhaseFindings, addNagChecks, checkAgainstPlan } from './nag';
import { Phase1Stack } from './phase1-stack';
import { Phase2Stack } from './phase2-stack';
import { Phase3Stack } from './phase3-stack';
import type { PhaseStack } from './phase-stack';
import { SecondaryRegionStack } from './secondary-region-stack';

/** The phase stack classes, in roadmap order. */
export const PHASE_STACKS = [Phase1Stack, Phase2Stack, Phase3Stack] as const;

/** The stacks of one phase. */
export interface PhaseStacks {
  readonly plan: PhasePlan;
  /** The us-east-1 web ACL stack, only when the plan keeps CloudFront (plan.edge.mode CLOUDFRONT). */
  readonly edge?: EdgeStack;
  readonly stack: PhaseStack;
  /** One stack per secondary region the phase deploys (none before aws.secondaryRegionsFromPhase). */
  readonly secondaries: SecondaryRegionStack[];
}

/**
 * Adds every phase (its us-east-1 edge stack and its regional stack) to `app` (an App, or a Stage of a CDK Pipelines
 * app), each with its deploy guard (template rules: only the model's target phase deploys, and only next to the live
 * phase; see deploy-guard.ts).
 * bin/app.ts and the tests both build the app through here, so they synthesize the same templates, under the same
 * cdk-nag checks.
 */
export function addPhaseStacks(app: Construct, model: Capacity, plans: readonly PhasePlan[]): PhaseStacks[] {
  // cdk-nag's AwsSolutions and our Scalability pack check every stack of the app: an unacknowledged finding fails synthesis.
  addNagChecks(app);
  const guard = { targetPhase: targetPhase(model), targetReason: targetReason(model) };
  const stacks = PHASE_STACKS.map((StackClass, index) => {
    const plan = plans[index];
    const edge = plan.edge.mode.value === 'CLOUDFRONT' ? new EdgeStack(app, `Phase${plan.phase}Edge`, { model, plan }) : undefined;
    const stack = new StackClass(app, { model, plan, edge });
    if (edge) new DeployGuard(edge, 'DeployGuard', { ...guard, phase: plan.phase });
    new DeployGuard(stack, 'DeployGuard', { ...guard, phase: plan.phase });
    acknowledgePhaseFindings(stack);
    // After both stacks are complete: the acknowledgements name resources by path.
    acknowledgeNistFindings(stack);
    if (edge) acknowledgeNistFindings(edge);
    checkAgainstPlan(stack, model);
    const secondaries = plan.regions.secondaries.value.map((region) => {
      const secondary = new SecondaryRegionStack(app, { model, plan, region, primary: stack });
      // Its own CloudFormation stack (per region), so its own record of the live phase and the same rules.
      new DeployGuard(secondary, 'DeployGuard', { ...guard, phase: plan.phase });
      acknowledgeNistFindings(secondary);
      acknowledgePhaseFindings(secondary);
      checkAgainstPlan(secondary, model);
      return secondary;
    });
    return { plan, edge, stack, secondaries };
  });
  return stacks;
}
