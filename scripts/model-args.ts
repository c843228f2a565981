/**
 * The command line of `npm run synth` and `npm run diff-phases`: one way to name the model (`--model x.json`, or
 * `-c capacity=x.json` as with `npx cdk`), and anything else is an error, never silently ignored.
 */
import { closestMatch } from '../lib/capacity';
import { MODEL_CONTEXT_KEY, unknownContextKeys } from './cdk-json';

/** A command line these scripts refuse: exit code 2, like the roadmap CLI. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The flags both scripts know, as printed in their errors. */
export const MODEL_FLAGS = ['--model <file>', '-c capacity=<file>', '-c <key>=<value> (a key cdk.json or the CDK sets)', '-h, --help'];

/** What the command line asks for. */
export interface ModelArgs {
  /** The model file, from `--model` or `-c capacity=`; undefined means the embedded default. */
  readonly model?: string;
  /** Every `-c key=value` other than `capacity`, to hand on to the CDK. */
  readonly context: Readonly<Record<string, string>>;
  readonly help: boolean;
}

/** Parses `args`; throws UsageError naming the bad argument and listing the known flags. */
export function parseModelArgs(command: string, args: readonly string[], cdkJsonKeys?: readonly string[]): ModelArgs {
  const fail = (problem: string): never => {
    throw new UsageError(`${command}: ${problem}\nKnown flags: ${MODEL_FLAGS.join(', ')}`);
  };
  const context: Record<string, string> = {};
  const models: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    // `--model=x.json` and `--context=k=v` are the same as their two-word forms.
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined || next === '' || (inline === undefined && next.startsWith('-'))) fail(`'${flag}' needs a value`);
      return next;
    };
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--model') models.push(value());
    else if (flag === '-c' || flag === '--context') {
      const pair = value();
      const eq = pair.indexOf('=');
      if (eq <= 0) fail(`'${flag} ${pair}' must be key=value (e.g. -c ${MODEL_CONTEXT_KEY}=model.json)`);
      const [key, text] = [pair.slice(0, eq), pair.slice(eq + 1)];
      const [problem] = unknownContextKeys([key], cdkJsonKeys);
      if (problem) fail(problem);
      if (key === MODEL_CONTEXT_KEY) models.push(text);
      else context[key] = text;
    } else if (!arg.startsWith('-')) {
      fail(`unexpected argument '${arg}': ${/^Phase\dStack$/.test(arg) ? `this command covers every phase (for one stack: npx cdk synth ${arg})` : `name the model with --model ${arg}`}`);
    } else {
      const near = closestMatch(flag, ['--model', '--context', '--help']);
      fail(`unknown flag '${flag}'${near ? ` (did you mean ${near}?)` : ''}`);
    }
  }
  if (new Set(models).size > 1) fail(`the model is named twice, differently: ${models.map((m) => `'${m}'`).join(' and ')}`);
  return { model: models[0], context, help };
}
