#!/usr/bin/env node
/**
 * `npm run diff-phases [-- --model path/to/model.json]` (or `-c capacity=path/to/model.json`): prints, as Markdown for a PR comment, what promoting
 * each phase changes on the running stacks (Phase 1 → 2, Phase 2 → 3), computed with the engine behind `cdk diff`.
 *
 * Builds the app exactly like bin/app.ts (cdk.json's context, the same model, `addPhaseStacks`), synthesizes it
 * offline into a temporary directory, and diffs the templates. Exits 1 after printing when a promotion would replace
 * or remove a stateful resource, so CI can gate on it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { CapacityError, FeasibilityError, describeModelSource, loadModel, planModel } from '../lib/capacity';
import { PhaseTemplates, promotions, renderPromotions } from '../lib/review/render-diff';
import { EDGE_REGION, edgeStackName } from '../phases/edge-stack';
import { addPhaseStacks } from '../phases/app';
import { COST_TAGS } from '../phases/cost-tags';
import { cdkJsonContext, MODEL_CONTEXT_KEY } from './cdk-json';
import { MODEL_FLAGS, parseModelArgs, UsageError } from './model-args';

/** The churn tags: the cost tags whose values change with every phase. */
export const CHURN_TAG_KEYS: readonly string[] = [COST_TAGS.phase, COST_TAGS.projectedMonthlyCostUsd];

/**
 * The report for the model named by `args` (`--model` or `-c capacity=`, else the embedded default), and whether it
 * is safe. Throws UsageError for an argument it does not know.
 */
export function diffPhasesReport(args: readonly string[]): { markdown: string; safe: boolean; modelSource: string } {
  const options = parseModelArgs('npm run diff-phases', args);
  const capacity = options.model;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-phases-'));
  try {
    // As bin/app.ts: the CLI would hand the app cdk.json's context plus `-c` values.
    const app = new App({ outdir, context: { ...cdkJsonContext(), ...options.context, ...(capacity ? { [MODEL_CONTEXT_KEY]: capacity } : {}) } });
    const model = loadModel(app.node.tryGetContext('capacity'));
    const stacks = addPhaseStacks(app, model, planModel(model));
    const assembly = app.synth();
    const template = (artifactId: string) => assembly.getStackArtifact(artifactId).template;
    const phases: PhaseTemplates[] = stacks.map(({ plan, stack, edge }) => ({
      plan,
      regional: { artifactId: stack.artifactId, stackName: stack.stackName, region: stack.region, template: template(stack.artifactId) },
      // A phase without CloudFront (plan.edge REGIONAL) has no edge stack: it reads as an empty one, so a promotion
      // that drops CloudFront lists the us-east-1 web ACL's resources as no longer needed.
      edge: edge
        ? { artifactId: edge.artifactId, stackName: edge.stackName, region: edge.region, template: template(edge.artifactId) }
        : { artifactId: `Phase${plan.phase}Edge`, stackName: edgeStackName(model), region: EDGE_REGION, template: { Resources: {} } },
    }));
    const steps = promotions(phases, { churnTagKeys: CHURN_TAG_KEYS });
    const modelSource = capacity ? `\`${capacity}\`` : 'the embedded default model';
    return { markdown: renderPromotions(steps, modelSource), safe: steps.every((p) => p.violations.length === 0), modelSource: describeModelSource(capacity) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main(args: string[]): number {
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(`Usage: npm run diff-phases [-- --model <file>]\nFlags: ${MODEL_FLAGS.join(', ')}\n`);
    return 0;
  }
  try {
    const { markdown, safe, modelSource } = diffPhasesReport(args);
    // stderr: stdout is the Markdown a PR comment takes as is.
    process.stderr.write(`${modelSource}\n`);
    process.stdout.write(markdown);
    return safe ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      return 2;
    }
    if (!(error instanceof CapacityError) && !(error instanceof FeasibilityError)) throw error;
    console.error(error.message);
    return 1;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
