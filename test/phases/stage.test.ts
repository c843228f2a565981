import { App, Stage } from 'aws-cdk-lib';
import { DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { addPhaseStacks } from '../../phases/app';
import { DeployGuard, targetPhase, targetReason } from '../../phases/deploy-guard';
import { EdgeStack } from '../../phases/edge-stack';
import { Phase2Stack } from '../../phases/phase2-stack';
import { reviewableTemplate, synthPhases } from '../support/phase-app';
import { cdkJsonContext } from '../support/test-stack';
import baseline from '../review/stateful-baseline.json';

/**
 * Phase stacks take any Construct scope, so they work inside a Stage (what CDK Pipelines deploys per environment).
 * A phase synthesized in a Stage must be the same template as at the top of the app: the stack name, every logical id
 * and every property, so a pipeline promotes the same stack in place.
 */
describe('a phase inside a Stage (CDK Pipelines)', () => {
  const model = parseCapacity(DEFAULT_MODEL);
  const plans = planModel(model);
  const topLevel = synthPhases(DEFAULT_MODEL).assembly.getStackArtifact('Phase2Stack');

  test('GIVEN a Phase2Stack and its edge stack built directly in a Stage THEN the template equals the top-level one, stateful ids included', () => {
    // GIVEN
    const app = new App({ context: cdkJsonContext(), analyticsReporting: true });
    const stage = new Stage(app, 'Prod');
    const plan = plans[1];
    // WHEN
    const edge = new EdgeStack(stage, 'Phase2Edge', { model, plan });
    const stack = new Phase2Stack(stage, { model, plan, edge });
    // The guard addPhaseStacks adds to every phase stack (template rules), as at the top level.
    new DeployGuard(stack, 'DeployGuard', { phase: plan.phase, targetPhase: targetPhase(model), targetReason: targetReason(model) });
    const artifact = stage.synth().getStackArtifact(stack.artifactId);
    // THEN
    expect(stack.node.path).toBe('Prod/Phase2Stack');
    expect(artifact.stackName).toBe(topLevel.stackName);
    expect(artifact.stackName).toBe(model.service.name);
    const resources = artifact.template.Resources as Record<string, { Type: string }>;
    for (const [logicalId, type] of Object.entries(baseline.Phase2Stack)) expect({ logicalId, type: resources[logicalId]?.Type }).toEqual({ logicalId, type });
    expect(reviewableTemplate(artifact.template)).toEqual(reviewableTemplate(topLevel.template));
  });

  test('addPhaseStacks accepts a Stage: every phase, edge stack and secondary-region stack land in it', () => {
    const app = new App({ context: cdkJsonContext(), analyticsReporting: true });
    const stage = new Stage(app, 'Staging');
    const phases = addPhaseStacks(stage, model, plans);
    const assembly = stage.synth();
    expect(phases.map((p) => p.stack.node.path)).toEqual(['Staging/Phase1Stack', 'Staging/Phase2Stack', 'Staging/Phase3Stack']);
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual([
      `${model.service.name}`, `${model.service.name}`, `${model.service.name}`,
      `${model.service.name}-edge`, `${model.service.name}-edge`, `${model.service.name}-edge`,
      `${model.service.name}-${model.aws.secondaryRegions[0]}`,
    ].sort());
    expect(reviewableTemplate(assembly.getStackArtifact(phases[1].stack.artifactId).template)).toEqual(reviewableTemplate(topLevel.template));
  });
});
