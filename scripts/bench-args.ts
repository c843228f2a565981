/**
 * The command line of `npm run bench`: `--runs <n>`, `--no-reference`, `--reference-seconds <s>`; anything else is
 * an error (exit 2), never silently ignored.
 */
import { closestMatch } from '../lib/capacity';
import { UsageError } from './model-args';

export interface BenchArgs {
  /** Timed runs per scenario and mode, after one warm-up. */
  readonly runs: number;
  /** Whether to measure the reference service against the plan's p95 (about 80 s). */
  readonly reference: boolean;
  /** Length of each load level of the reference run, in seconds. */
  readonly referenceSeconds: number;
}

const VALUE_FLAGS = ['--runs', '--reference-seconds'];
const FLAGS = [...VALUE_FLAGS, '--no-reference'];
export const BENCH_USAGE = 'npm run bench [-- --runs <n>] [--no-reference] [--reference-seconds <s>]';

export function parseBenchArgs(args: readonly string[]): BenchArgs {
  const values = new Map<string, string>();
  let reference = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--no-reference') {
      reference = false;
    } else if (VALUE_FLAGS.includes(arg)) {
      if (i + 1 >= args.length) throw new UsageError(`${arg} needs a value (usage: ${BENCH_USAGE})`);
      values.set(arg, args[++i]);
    } else {
      const near = arg.startsWith('-') ? closestMatch(arg, FLAGS) : undefined;
      const hint = near ? ` (did you mean ${near}?)` : '';
      throw new UsageError(`unknown ${arg.startsWith('-') ? 'flag' : 'argument'} '${arg}'${hint} (usage: ${BENCH_USAGE})`);
    }
  }
  const whole = (flag: string, fallback: number) => {
    const raw = values.get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UsageError(`${flag} must be a whole number from 1 to 1,000 (got '${raw}')`);
    return n;
  };
  return { runs: whole('--runs', 5), reference, referenceSeconds: whole('--reference-seconds', 20) };
}
