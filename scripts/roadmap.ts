#!/usr/bin/env node
/**
 * scaling-roadmap: prints the scalability roadmap of a capacity model.
 *
 *   scaling-roadmap plan [--model file] [--format md|json|html] [--out dir]
 *   scaling-roadmap gate --phase 1-3 --target url [--scale f] [--duration s] [--profile edge|origin] [--model file]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapacityError, FeasibilityError, describeModelSource, describeRange, LOAD_TEST_ENTRIES, LoadTestEntry, loadModel, planLoadTest, planPhase, PHASES } from '../lib/capacity';
import { DEFAULT_MAX_REQUESTS, GateError, renderGateResult, runGate } from '../lib/loadtest/gate';
import { buildReport } from '../lib/report/report';
import { renderJson } from '../lib/report/render-json';
import { renderMarkdown } from '../lib/report/render-markdown';

const FORMATS = ['md', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: scaling-roadmap plan [--model <file>] [--format md|json|html] [--out <dir>]
       scaling-roadmap gate --phase <1-3> --target <url> [--scale <f>] [--duration <s>] [--profile edge|origin]
                            [--model <file>] [--max-requests <n>]

Prints the 2x/10x/100x scalability roadmap of a capacity model: ranked bottlenecks, the three phases and
when each is needed, database, caching, load tests, autoscaling, traffic management, CDN, SLOs and alerts,
cost per phase against the budget, and a manual-scaling runbook, with the values the CDK stacks deploy.

Options:
  --model <file>   the capacity model (JSON); default: the embedded order-management model
  --format <f>     md (default), json (machine-readable plan) or html (with charts)
  --out <dir>      write roadmap.<format> into <dir> instead of printing it
  -h, --help       this text

gate: the phase's load test (the stages of cdk.out/k6/phase<N>.js: ramp to 3x the target, soak, chaos window)
from this machine with an open-loop generator; prints p95 and error rate against the SLO; exits 0 on pass,
99 when a threshold fails (like k6), 2 on a bad command line.
  --phase <n>          1, 2 or 3
  --target <url>       base URL: the CloudFront URL (edge profile) or the load balancer (origin profile)
  --scale <f>          multiply every rate by f (> 0, default 1)
  --duration <s>       compress or stretch the stages to last s seconds (default: the plan's length)
  --profile <p>        edge (default: rates as CloudFront sees them) or origin (what reaches the load balancer)
  --max-requests <n>   refuse a run that would send more (default ${DEFAULT_MAX_REQUESTS.toLocaleString('en-US')})
`;

/** Parsed `plan` command line. */
export interface Options {
  readonly command: 'plan';
  readonly model?: string;
  readonly format: Format;
  readonly out?: string;
}

/** Parsed `gate` command line. */
export interface GateArgs {
  readonly command: 'gate';
  readonly phase: 1 | 2 | 3;
  readonly target: string;
  readonly scale: number;
  readonly durationSec?: number;
  readonly profile?: LoadTestEntry;
  readonly model?: string;
  readonly maxRequests: number;
}

type GateNumberFlag = '--scale' | '--duration' | '--max-requests';
const GATE_RANGES: Record<GateNumberFlag, Parameters<typeof describeRange>[0]> = {
  '--scale': { min: 0, minExclusive: true, max: 1000 },
  '--duration': { min: 0, minExclusive: true, max: 86_400, unit: 's' },
  '--max-requests': { min: 1, max: 10_000_000, int: true },
};

/** Parses `plan [options]` or `gate [options]`; throws a one-line Error for a bad command line. */
export function parseArgs(args: readonly string[]): Options | GateArgs | 'help' {
  if (args.includes('-h') || args.includes('--help') || args.length === 0) return 'help';
  const [command, ...rest] = args;
  if (command === 'gate') return parseGateArgs(rest);
  if (command !== 'plan') throw new Error(`unknown command '${command}' (the commands are 'plan' and 'gate')`);
  const options: { command: 'plan'; model?: string; format: Format; out?: string } = { command: 'plan', format: 'md' };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    positional(flag);
    if (value === undefined || value.startsWith('--')) throw new Error(`'${flag}' needs a value`);
    if (flag === '--model') options.model = value;
    else if (flag === '--out') options.out = value;
    else if (flag === '--format') {
      if (!(FORMATS as readonly string[]).includes(value)) throw new Error(`--format must be one of ${FORMATS.join(', ')} (got '${value}')`);
      options.format = value as Format;
    } else throw new Error(`unknown option '${flag}'`);
  }
  return options;
}

/** A bare word where a flag goes is most likely the model file: say how to name it, instead of "unknown option". */
function positional(arg: string): void {
  if (!arg.startsWith('-')) throw new Error(`unexpected argument '${arg}': name the model with --model ${arg}`);
}

/** Parses the options of `gate`: every error names the flag and the allowed values. */
export function parseGateArgs(rest: readonly string[]): GateArgs {
  const given = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    positional(flag);
    if (!['--phase', '--target', '--model', '--profile', ...Object.keys(GATE_RANGES)].includes(flag)) {
      throw new Error(`unknown option '${flag}' for gate (the options are --phase, --target, --scale, --duration, --profile, --model, --max-requests)`);
    }
    if (value === undefined || value.startsWith('--')) throw new Error(`'${flag}' needs a value`);
    given.set(flag, value);
  }
  const phases = PHASES.map((p) => String(p.phase));
  const phase = given.get('--phase');
  if (phase === undefined || !phases.includes(phase)) throw new Error(`--phase must be one of ${phases.join(', ')} (got ${phase === undefined ? 'nothing' : `'${phase}'`})`);
  const target = given.get('--target');
  if (target === undefined) throw new Error('--target must be the base URL to load, e.g. http://127.0.0.1:8080 (got nothing)');
  const profile = given.get('--profile');
  if (profile !== undefined && !(LOAD_TEST_ENTRIES as readonly string[]).includes(profile)) {
    throw new Error(`--profile must be one of ${LOAD_TEST_ENTRIES.join(', ')} (got '${profile}')`);
  }
  const number = (flag: GateNumberFlag): number | undefined => {
    const text = given.get(flag);
    if (text === undefined) return undefined;
    const range = GATE_RANGES[flag];
    const value = Number(text);
    const ok = text.trim() !== '' && Number.isFinite(value) && value <= range.max && (range.minExclusive ? value > range.min : value >= range.min);
    if (!ok || (range.int && !Number.isInteger(value))) throw new Error(`${flag} must be ${describeRange(range)} (got '${text}')`);
    return value;
  };
  return {
    command: 'gate',
    phase: Number(phase) as 1 | 2 | 3,
    target,
    scale: number('--scale') ?? 1,
    durationSec: number('--duration'),
    profile: profile as LoadTestEntry | undefined,
    model: given.get('--model'),
    maxRequests: number('--max-requests') ?? DEFAULT_MAX_REQUESTS,
  };
}

/** Runs `gate`: 0 pass, 99 a threshold failed (k6's code), 2 a run the gate refuses. */
export async function gate(args: GateArgs, io: Output): Promise<number> {
  const model = loadModel(args.model);
  io.err(`${describeModelSource(args.model)}\n`);
  const { phase, multiplier } = PHASES.find((p) => p.phase === args.phase)!;
  const plan = planLoadTest(model, planPhase(model, phase, multiplier));
  try {
    const result = await runGate({ plan, target: args.target, entry: args.profile, scale: args.scale, durationSec: args.durationSec, maxRequests: args.maxRequests });
    io.out(renderGateResult(result));
    return result.passed ? 0 : 99;
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    io.err(`scaling-roadmap gate: ${error.message}\n`);
    return 2;
  }
}

/** Renders the report in `format`. The HTML renderer is loaded only when asked for. */
export function render(format: Format, modelPath?: string): string {
  const report = buildReport(loadModel(modelPath));
  if (format === 'json') return renderJson(report);
  if (format === 'html') return (require('../lib/report/render-html') as typeof import('../lib/report/render-html')).renderHtml(report);
  return renderMarkdown(report);
}

/** Where the CLI writes; a test passes its own. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

const STDIO: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/**
 * Runs the CLI; returns the exit code (0 done, 1 bad model, 2 bad command line; gate: 99 a threshold failed).
 * `plan` answers synchronously, `gate` with a promise.
 */
export function main(args: readonly string[], io: Output = STDIO): number | Promise<number> {
  let options: Options | GateArgs | 'help';
  try {
    options = parseArgs(args);
  } catch (error) {
    io.err(`scaling-roadmap: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (options.command === 'gate') return gate(options, io).catch((error) => badModel(error, io));
  try {
    const text = render(options.format, options.model);
    // stderr, as every command: stdout is the report, which --format json keeps machine-readable.
    io.err(`${describeModelSource(options.model)}\n`);
    if (!options.out) {
      io.out(text);
      return 0;
    }
    fs.mkdirSync(options.out, { recursive: true });
    const file = path.join(options.out, `roadmap.${options.format}`);
    fs.writeFileSync(file, text);
    io.out(`wrote ${file}\n`);
    return 0;
  } catch (error) {
    return badModel(error, io);
  }
}

/** A bad model exits 1 with its one-line error; anything else is a bug and propagates. */
function badModel(error: unknown, io: Output): number {
  if (error instanceof CapacityError || error instanceof FeasibilityError) {
    io.err(`${error.message}\n`);
    return 1;
  }
  throw error;
}

if (require.main === module) void Promise.resolve(main(process.argv.slice(2))).then((code) => process.exit(code));
