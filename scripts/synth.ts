#!/usr/bin/env node
/**
 * `npm run synth [-- --model path/to/model.json]` (or `-c capacity=path/to/model.json`): synthesizes every phase with the CDK CLI (offline),
 * writes the Kubernetes manifests of every phase (one folder per phase, strictly validated) and each phase's k6
 * script to cdk.out/k6/, then prints the one-screen plan summary for the same model.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapacityError, describeModelSource, loadModel, PhasePlan, planLoadTests, planModel, renderSummary } from '../lib/capacity';
import { synthPhaseCharts } from '../lib/k8s/phase-chart';
import { writeK6Scripts } from '../lib/loadtest/k6-script';
import { validateManifests } from '../lib/review/k8s-validate';
import { regionId } from '../phases/secondary-region-stack';
import { MODEL_ANNOUNCED_ENV, MODEL_CONTEXT_KEY } from './cdk-json';
import { MODEL_FLAGS, parseModelArgs, UsageError } from './model-args';

const PHASE_STACKS = ['Phase1Stack', 'Phase2Stack', 'Phase3Stack'];
const root = path.join(__dirname, '..', '..');
const outdir = path.join(root, 'cdk.out');
/** Where `npm run synth` writes the Kubernetes manifests: k8s.out/phase1, phase2, phase3 (`kubectl apply -f k8s.out/phase2`). */
export const K8S_OUTDIR = path.join(root, 'k8s.out');

const USAGE = `Usage: npm run synth [-- --model <file>]\nSynthesizes every phase (CloudFormation, Kubernetes, k6) for the model.\nFlags: ${MODEL_FLAGS.join(', ')}\n`;

function main(args: string[]): number {
  let options;
  try {
    options = parseModelArgs('npm run synth', args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  // The model is checked before the CDK CLI starts, so a bad model reads as one line, without the CLI's
  // "Subprocess exited with error 1" and the app's location lines in front of it.
  let model;
  try {
    model = loadModel(options.model);
  } catch (error) {
    if (error instanceof CapacityError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  console.error(describeModelSource(options.model));

  const context = { ...options.context, ...(options.model ? { [MODEL_CONTEXT_KEY]: options.model } : {}) };
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const started = Date.now();
  // `cdk synth <stacks>` adds what they depend on, not what depends on them: name each secondary-region stack too.
  const secondaryStacks = planModel(model).flatMap((p) => p.regions.secondaries.value.map((region) => `Phase${p.phase}Secondary${regionId(region)}`));
  const result = spawnSync(cdk, ['synth', ...PHASE_STACKS, ...secondaryStacks, '--quiet', ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
    cwd: root,
    stdio: 'inherit',
    // No version check, notices or telemetry: synthesis must work offline (cdk.json turns off the rest).
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', [MODEL_ANNOUNCED_ENV]: '1' },
  });
  const plans = planModel(model);
  const overBudget = model.budget.allowOverrun ? [] : plans.filter((p) => p.cost.overrun);
  if (result.status !== 0) {
    // The CLI refused an over-budget phase: still show the plan, so the user sees which phase and by how much.
    if (overBudget.length) {
      console.log(renderSummary(model, plans));
      console.error(`\n${overBudgetError(overBudget)}`);
    }
    return result.status ?? 1;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);

  console.log(renderSummary(model, plans));
  console.log(`\nSynthesized in ${seconds} s (offline, no credentials):`);
  for (const file of fs.readdirSync(outdir).filter((f) => /^Phase\d(Stack|Edge|Secondary\w+)\.template\.json$/.test(f)).sort()) {
    const resources = Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, file), 'utf8')).Resources).length;
    console.log(`  cdk.out/${file}  ${resources} resources`);
  }
  for (const file of writeK6Scripts(outdir, planLoadTests(model, plans), model.service.name)) {
    console.log(`  ${path.relative(root, file)}  k6 load test (the promotion gate)`);
  }
  fs.rmSync(K8S_OUTDIR, { recursive: true, force: true });
  const charts = synthPhaseCharts(model, plans, K8S_OUTDIR);
  const invalid = charts.flatMap(({ chart }) => validateManifests(chart.toJson()));
  if (invalid.length) {
    console.error(`Invalid Kubernetes manifests (strict Kubernetes 1.28 schemas):\n  ${invalid.join('\n  ')}`);
    return 1;
  }
  console.log('\nKubernetes manifests (valid against the strict Kubernetes 1.28 schemas):');
  for (const { folder, chart } of charts) {
    const kinds = chart.toJson().map((m: { kind: string }) => m.kind);
    console.log(`  ${path.relative(root, folder)}/  ${kinds.length} objects (${[...new Set(kinds)].join(', ')}): kubectl apply -f ${path.relative(root, folder)}`);
  }
  console.log(`\nAll phases deploy as stack '${model.service.name}': review one with \`npx cdk synth Phase2Stack\`, promote with \`npx cdk deploy Phase2Stack\`.`);
  if (secondaryStacks.length) {
    console.log(`Secondary regions deploy after their phase stack, as '${model.service.name}-<region>': \`npx cdk deploy ${secondaryStacks.join(' ')}\`.`);
  }
  return 0;
}

/** The closing line when phases are over budget: which, and the budget fields that change it. */
export function overBudgetError(over: readonly PhasePlan[]): string {
  const per1000 = Math.max(...over.map((p) => Math.ceil(p.cost.totalInCurrency / (p.traffic.peakRps.value / 1000))));
  const currency = over[0].cost.currency;
  return (
    `Not synthesized: ${over.map((p) => p.label).join(', ')} ${over.length > 1 ? 'are' : 'is'} over budget (marked above). ` +
    `budget.costPer1000PeakRps >= ${per1000.toLocaleString('en-US')} ${currency} fits ${over.length > 1 ? 'them' : 'it'} (the ceiling grows with traffic), ` +
    'or set budget.allowOverrun: true to synthesize anyway.'
  );
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
