import { parseBenchArgs } from '../../scripts/bench-args';
import { UsageError } from '../../scripts/model-args';

describe('npm run bench arguments', () => {
  test('defaults: 5 runs, the reference run at 20 s per level', () => {
    expect(parseBenchArgs([])).toEqual({ runs: 5, reference: true, referenceSeconds: 20 });
  });

  test('every flag', () => {
    expect(parseBenchArgs(['--runs', '3', '--no-reference', '--reference-seconds', '7'])).toEqual({ runs: 3, reference: false, referenceSeconds: 7 });
  });

  test.each([
    [['--run', '3'], /unknown flag '--run' \(did you mean --runs\?\)/],
    [['--verbose'], /unknown flag '--verbose' \(usage: npm run bench/],
    [['default'], /unknown argument 'default'/],
    [['--runs'], /--runs needs a value/],
    [['--runs', '0'], /--runs must be a whole number from 1 to 1,000 \(got '0'\)/],
    [['--reference-seconds', 'x'], /--reference-seconds must be a whole number from 1 to 1,000 \(got 'x'\)/],
  ])('%j is refused: %s', (args, message) => {
    expect(() => parseBenchArgs(args)).toThrow(UsageError);
    expect(() => parseBenchArgs(args)).toThrow(message);
  });
});
