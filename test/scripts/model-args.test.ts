import { MODEL_FLAGS, parseModelArgs, UsageError } from '../../scripts/model-args';
import { cdkJsonContext, unknownContextKeys } from '../../scripts/cdk-json';

const parse = (...args: string[]) => parseModelArgs('npm run synth', args);

/** The UsageError message of `args`, or a failure when they parse. */
function usageError(...args: string[]): string {
  try {
    parse(...args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(args)} to be refused`);
}

describe('npm run synth / diff-phases: one way to name the model, nothing silently ignored', () => {
  test.each([
    [[], undefined],
    [['--model', 'x.json'], 'x.json'],
    [['--model=x.json'], 'x.json'],
    [['-c', 'capacity=x.json'], 'x.json'],
    [['--context', 'capacity=x.json'], 'x.json'],
    [['--model', 'x.json', '-c', 'capacity=x.json'], 'x.json'],
  ])('%j names the model %j', (args, model) => {
    expect(parse(...args)).toEqual({ model, context: {}, help: false });
  });

  test("CDK's own context keys and cdk.json's pass through to the CDK", () => {
    expect(parse('-c', '@aws-cdk/core:newStyleStackSynthesis=true', '-c', 'aws:cdk:enable-path-metadata=false', '-c', 'cli-telemetry=false').context).toEqual({
      '@aws-cdk/core:newStyleStackSynthesis': 'true',
      'aws:cdk:enable-path-metadata': 'false',
      'cli-telemetry': 'false',
    });
  });

  test.each([
    [['-c', 'model=x.json'], "unknown context key 'model': the model is named with -c capacity=path/to/model.json"],
    [['--modle', 'x.json'], "unknown flag '--modle' (did you mean --model?)"],
    [['--format', 'json'], "unknown flag '--format'"],
    [['Phase2Stack'], "unexpected argument 'Phase2Stack': this command covers every phase (for one stack: npx cdk synth Phase2Stack)"],
    [['x.json'], "unexpected argument 'x.json': name the model with --model x.json"],
    [['--model'], "'--model' needs a value"],
    [['--model', '-c', 'capacity=x.json'], "'--model' needs a value"],
    [['-c', 'capacity'], "'-c capacity' must be key=value"],
    [['--model', 'a.json', '-c', 'capacity=b.json'], "the model is named twice, differently: 'a.json' and 'b.json'"],
  ])('%j is refused: %s', (args, reason) => {
    const message = usageError(...args);
    expect(message).toContain(`npm run synth: ${reason}`);
    // Every refusal lists the flags the command does know.
    expect(message).toContain(`Known flags: ${MODEL_FLAGS.join(', ')}`);
  });
});

describe('context keys the app does not know', () => {
  test('every key cdk.json sets is known, and so are the CDK CLI settings, feature flags and lookup caches', () => {
    expect(unknownContextKeys(Object.keys(cdkJsonContext()))).toEqual([]);
    expect(unknownContextKeys([
      'capacity', 'aws:cdk:version-reporting', 'aws:cdk:bundling-stacks', '@aws-cdk/core:newFlag', '@aws-cdk-containers/ecs-service-extensions:x',
      'availability-zones:account=123456789012:region=eu-central-1', 'acknowledged-issue-numbers',
    ])).toEqual([]);
  });

  test('a misspelt or invented key is named with the fix', () => {
    expect(unknownContextKeys(['model', 'capacity', 'capacty'])).toEqual([
      "unknown context key 'model': the model is named with -c capacity=path/to/model.json (the app reads no other context key)",
      "unknown context key 'capacty': the model is named with -c capacity=path/to/model.json (the app reads no other context key)",
    ]);
    // Only cdk.json's keys are known, not any key that merely looks like a setting.
    expect(unknownContextKeys(['cli-telemetry'], [])).toHaveLength(1);
  });
});
