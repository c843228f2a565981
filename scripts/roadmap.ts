#!/usr/bin/env node
/**
 * scaling-roadmap: prints the scalability roadmap of a capacity model.
 *
 *   scaling-roadmap plan [--model file] [--format md|json|html] [--out dir]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CapacityError, loadModel } from '../lib/capacity';
import { buildReport } from '../lib/report/report';
import { renderJson } from '../lib/report/render-json';
import { renderMarkdown } from '../lib/report/render-markdown';

const FORMATS = ['md', 'json', 'html'] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: scaling-roadmap plan [--model <file>] [--format md|json|html] [--out <dir>]

Prints the 2x/10x/100x scalability roadmap of a capacity model: ranked bottlenecks, the three phases and
when each is needed, database, caching, load tests, autoscaling, traffic management, CDN, SLOs and alerts,
cost per phase against the budget, and a manual-scaling runbook, with the values the CDK stacks deploy.

Options:
  --model <file>   the capacity model (JSON); default: the embedded order-management model
  --format <f>     md (default), json (machine-readable plan) or html (with charts)
  --out <dir>      write roadmap.<format> into <dir> instead of printing it
  -h, --help       this text
`;

/** Parsed command line, or a usage error. */
export interface Options {
  readonly model?: string;
  readonly format: Format;
  readonly out?: string;
}

/** Parses `plan [options]`; throws a one-line Error for a bad command line. */
export function parseArgs(args: readonly string[]): Options | 'help' {
  if (args.includes('-h') || args.includes('--help') || args.length === 0) return 'help';
  const [command, ...rest] = args;
  if (command !== 'plan') throw new Error(`unknown command '${command}' (the command is 'plan')`);
  const options: { model?: string; format: Format; out?: string } = { format: 'md' };
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
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

/** Runs the CLI; returns the exit code (0 done, 1 bad model, 2 bad command line). */
export function main(args: readonly string[], io: Output = STDIO): number {
  let options: Options | 'help';
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
  try {
    const text = render(options.format, options.model);
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
    if (error instanceof CapacityError) {
      io.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
