#!/usr/bin/env node
/**
 * `npm run bench [-- --runs 5]`: how long synthesis takes, against the floor of an empty CDK app.
 * A benchmark, not a test: it prints numbers and fails only when a synthesis fails.
 *
 * Scenarios, each synthesizing every stack the app has (three phases, their edge stacks, the deploy guard):
 *   default  the embedded default model (what `npm run synth` / `cdk synth` builds)
 *   large    the largest model the schema allows that still plans: peak RPS at the schema's maximum (10,000,000,
 *            i.e. 12,500x the default, so phase 3 is 1e9 RPS) and the working set and database size at theirs
 *            (100,000 GB, 128,000 GB); the bench checks that it plans before timing it (see largeModel())
 *   floor    an app with one stack holding one S3 bucket, under the same cdk.json context
 *   default, no built-in validation
 *            the default model with CDK's built-in CloudFormation validation off (CDK_VALIDATION=false): that
 *            validation runs on every synth by default (the cdk.json flag @aws-cdk/core:validateAgainstDefaultRules
 *            only decides whether its findings are errors or warnings), and this row shows what it costs
 *
 * Two modes:
 *   process     each run is a fresh `node` process, timed from spawn to exit, so module loading counts as in a real
 *               `cdk synth`. default/large run dist/bin/app.js exactly as the CDK CLI does (context from cdk.json in
 *               CDK_CONTEXT_JSON, output dir in CDK_OUTDIR; a model file as `-c capacity=...` would give).
 *   in-process  the same steps as bin/app.ts (load the model, plan, add the stacks, synth) in this process after
 *               a warm-up: what synthesis costs once modules are loaded (e.g. in the jest suites).
 * Each scenario and mode: one warm-up run, then N timed runs (default 5); the table shows min and median seconds
 * and the median's ratio to the floor's median in the same mode.
 *
 * Then the reference service (scripts/reference-bench.ts): measured p95 of a Node cluster service at ~40/65/85 % CPU
 * against the plan's prediction, about 80 s (`--no-reference` skips it, `--reference-seconds N` sets each level's length).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CapacityInput, DEFAULT_MODEL, loadModel, parseCapacity, planModel, planPhases } from '../lib/capacity';
import { addPhaseStacks } from '../phases/app';
import { cdkJsonContext, repoRoot } from './cdk-json';
import { parseBenchArgs } from './bench-args';
import { UsageError } from './model-args';
import { REFERENCE_TOLERANCE, referenceTable, runReferenceBench } from './reference-bench';

const root = repoRoot();
const appEntry = path.join(root, 'dist', 'bin', 'app.js');
const cdkContext = cdkJsonContext();

/** The largest sizes the schema allows (schema.ts): peakRps <= 10,000,000, workingSetGb <= 100,000, databaseSizeGb <= 128,000. */
const SCHEMA_MAX = { peakRps: 10_000_000, workingSetGb: 100_000, databaseSizeGb: 128_000 } as const;

/**
 * The LARGE model: the default model at the schema's largest traffic and data sizes, if that plans.
 * Candidates go down from the schema maximum until planPhases returns within 10 s; with the default model's
 * 500 ms p95 SLO the maximum itself plans (in ~20 ms). With a tight SLO it would not: the API sizing searches
 * task counts one at a time, so planning grows with traffic (minutes at these sizes).
 */
export function largeModel(): { input: CapacityInput; peakRps: number; planMs: number } {
  for (const peakRps of [SCHEMA_MAX.peakRps, 5_000_000, 2_000_000, 1_000_000, 500_000, 100_000]) {
    const input = structuredClone(DEFAULT_MODEL) as any;
    Object.assign(input.current, { peakRps, workingSetGb: SCHEMA_MAX.workingSetGb, databaseSizeGb: SCHEMA_MAX.databaseSizeGb });
    const started = performance.now();
    try {
      planPhases(input);
    } catch (error) {
      console.error(`  peak ${peakRps} RPS does not plan: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const planMs = performance.now() - started;
    if (planMs < 10_000) return { input, peakRps, planMs };
    console.error(`  peak ${peakRps} RPS plans, but takes ${Math.round(planMs)} ms: trying a smaller one`);
  }
  throw new Error('no large model plans');
}

type Scenario = 'default' | 'large' | 'floor' | 'default, no built-in validation';

/** Extra environment of a scenario (for both modes: in-process runs set it around the synthesis). */
const scenarioEnv = (scenario: Scenario): Record<string, string> => (scenario === 'default, no built-in validation' ? { CDK_VALIDATION: 'false' } : {});

/** One in-process synthesis: the body of bin/app.ts, or the floor app. */
function synthInProcess(scenario: Scenario, modelFile: string | undefined, outdir: string): void {
  const saved = { ...process.env };
  Object.assign(process.env, scenarioEnv(scenario));
  try {
    const app = new App({ context: { ...cdkContext, ...(modelFile ? { capacity: modelFile } : {}) }, outdir });
    if (scenario === 'floor') {
      new s3.Bucket(new Stack(app, 'Floor'), 'Bucket');
    } else {
      const model = loadModel(app.node.tryGetContext('capacity'));
      addPhaseStacks(app, model, planModel(model));
    }
    app.synth();
  } finally {
    for (const key of Object.keys(scenarioEnv(scenario))) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
}

/** The floor as its own program: loads only aws-cdk-lib (core and S3), nothing of this repository. */
const FLOOR_APP = [
  "const { App, Stack } = require('aws-cdk-lib');",
  "const s3 = require('aws-cdk-lib/aws-s3');",
  'const app = new App();',
  "new s3.Bucket(new Stack(app, 'Floor'), 'Bucket');",
  'app.synth();',
].join('\n');

/** One synthesis in a fresh node process, as the CDK CLI runs the app. */
function synthInChild(scenario: Scenario, modelFile: string | undefined, outdir: string): void {
  const context = { ...cdkContext, ...(modelFile ? { capacity: modelFile } : {}) };
  const args = scenario === 'floor' ? ['-e', FLOOR_APP] : [appEntry];
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...scenarioEnv(scenario), CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${scenario} synthesis failed (exit ${result.status}):\n${result.stderr}`);
}

interface Timing {
  readonly scenario: Scenario;
  readonly mode: 'process' | 'in-process';
  readonly seconds: readonly number[];
}

function measure(scenario: Scenario, mode: Timing['mode'], runs: number, modelFile?: string): Timing {
  const synth = mode === 'process' ? synthInChild : synthInProcess;
  const seconds: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scenario.replace(/\W+/g, '-')}-`));
    const started = performance.now();
    synth(scenario, modelFile, outdir);
    const elapsed = (performance.now() - started) / 1000;
    fs.rmSync(outdir, { recursive: true, force: true });
    if (i > 0) seconds.push(elapsed); // run 0 is the warm-up
    process.stderr.write(`  ${scenario} ${mode} ${i === 0 ? 'warm-up' : `run ${i}/${runs}`}: ${elapsed.toFixed(2)} s\n`);
  }
  return { scenario, mode, seconds };
}

const min = (xs: readonly number[]) => Math.min(...xs);
function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function table(timings: readonly Timing[]): string {
  const floor = (mode: Timing['mode']) => median(timings.find((t) => t.scenario === 'floor' && t.mode === mode)!.seconds);
  const rows = timings.map((t) => [t.scenario, t.mode, String(t.seconds.length), min(t.seconds).toFixed(2), median(t.seconds).toFixed(2), `${(median(t.seconds) / floor(t.mode)).toFixed(1)}x`]);
  const head = ['scenario', 'mode', 'runs', 'min s', 'median s', 'median / floor'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(args: readonly string[]): Promise<number> {
  const { runs, reference, referenceSeconds: secondsPerLevel } = parseBenchArgs(args);

  const large = largeModel();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const largeFile = path.join(work, 'large-model.json');
  fs.writeFileSync(largeFile, JSON.stringify(large.input, null, 2));
  const plans = planModel(parseCapacity(large.input));
  const p3 = plans[2];
  console.log(
    `large model: peak ${large.peakRps.toLocaleString('en-US')} RPS today (phase 3 design peak ${Math.round(p3.traffic.designPeakRps.value).toLocaleString('en-US')} RPS), ` +
      `working set ${SCHEMA_MAX.workingSetGb.toLocaleString('en-US')} GB, database ${SCHEMA_MAX.databaseSizeGb.toLocaleString('en-US')} GB; ` +
      `plans in ${Math.round(large.planMs)} ms; phase 3: ${p3.api.maxTasks.value.toLocaleString('en-US')} max tasks of ${p3.api.taskVcpu.value} vCPU, ` +
      `${p3.database.instanceClass.value} x ${p3.database.readers.value + 1}, ${p3.warnings.length} plan warnings`,
  );
  console.log(`timing ${runs} runs after one warm-up, per scenario and mode (progress on stderr)...`);

  const timings: Timing[] = [];
  for (const mode of ['process', 'in-process'] as const) {
    timings.push(measure('floor', mode, runs));
    timings.push(measure('default', mode, runs));
    timings.push(measure('large', mode, runs, largeFile));
    timings.push(measure('default, no built-in validation', mode, runs));
  }
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`\n${table(timings)}\n`);
  console.log(`node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  if (reference) {
    console.log(`\nreference service (Node cluster, 1 worker on core 0, load generator on core 1, ${secondsPerLevel} s per level)...`);
    const reference = await runReferenceBench({ secondsPerLevel });
    console.log(`CPU per request calibrated at ${reference.calibratedCpuMs.toFixed(2)} ms; ${reference.realtime ? 'SCHED_FIFO' : 'normal priority (chrt not allowed: expect noise)'}`);
    console.log(`\n${referenceTable(reference.rows)}\n`);
    const outside = reference.rows.filter((r) => !r.withinTolerance).length;
    console.log(
      `measured p95 / plan p95 must be within [${REFERENCE_TOLERANCE.below}, ${REFERENCE_TOLERANCE.above}] (reference-bench.ts says why): ` +
        (outside ? `${outside} level(s) outside` : 'all levels within'),
    );
  }
  return 0;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  // A bad command line exits 2 before anything is measured (main parses the same arguments again).
  try {
    parseBenchArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`bench: ${error.message}`);
    process.exit(2);
  }
  main(args).then((code) => process.exit(code));
}
