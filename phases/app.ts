import type { App } from 'aws-cdk-lib';
import type { Capacity, PhasePlan } from '../lib/capacity';
import { DeployGuardStack } from './deploy-guard';
import { acknowledgeNistFindings } from './nist-acknowledgements';
import { EdgeStack } from './edge-stack';
import { acknowledgePhaseFindings, addNagChecks, checkAgainstPlan } from './nag';
import { Phase1Stack } from './phase1-stack';
import { Phase2Stack } from './phase2-stack';
import { Phase3Stack } from './phase3-stack';
import type { PhaseStack } from './phase-stack';

/** The phase stack classes, in roadmap order. */
export const PHASE_STACKS = [Phase1Stack, Phase2Stack, Phase3Stack] as const;

/** The stacks of one phase. */
export interface PhaseStacks {
  readonly plan: PhasePlan;
  readonly edge: EdgeStack;
  readonly stack: PhaseStack;
}

/**
 * Adds every phase (its us-east-1 edge stack and its regional stack) and the deploy guard to `app`.
 * bin/app.ts and the tests both build the app through here, so they synthesize the same templates, under the same
 * cdk-nag checks.
 */
export function addPhaseStacks(app: App, model: Capacity, plans: readonly PhasePlan[]): PhaseStacks[] {
  // cdk-nag's AwsSolutions and our Scalability pack check every stack of the app: an unacknowledged finding fails synthesis.
  addNagChecks(app);
  const stacks = PHASE_STACKS.map((StackClass, index) => {
    const plan = plans[index];
    const edge = new EdgeStack(app, `Phase${plan.phase}Edge`, { model, plan });
    const stack = new StackClass(app, { model, plan, edge });
    acknowledgePhaseFindings(stack);
    // After both stacks are complete: the acknowledgements name resources by path.
    acknowledgeNistFindings(stack);
    acknowledgeNistFindings(edge);
    checkAgainstPlan(stack, model);
    return { plan, edge, stack };
  });
  new DeployGuardStack(app, model);
  return stacks;
}
