import type { PhaseTemplates } from '../../lib/review/render-diff';
import type { SynthesizedPhase } from './synthesized-phases';

/** The input of the promotion review (`renderPromotionReport`) from synthesized phases, as scripts/diff-phases.ts builds it. */
export function promotionInput(phases: readonly SynthesizedPhase[]): PhaseTemplates[] {
  return phases.map(({ plan, stack, edge }) => ({
    plan,
    regional: { artifactId: stack.artifactId, stackName: stack.stackName, region: stack.region, template: stack.template },
    edge: { artifactId: edge!.artifactId, stackName: edge!.stackName, region: edge!.region, template: edge!.template },
  }));
}
