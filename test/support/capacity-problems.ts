import { CapacityError, parseCapacity } from '../../lib/capacity';

/** The problems `parseCapacity` reports for `input`; fails the test when it accepts it or throws anything else. */
export function problemsOf(input: unknown): string[] {
  try {
    parseCapacity(input);
  } catch (error) {
    expect(error).toBeInstanceOf(CapacityError);
    return [...(error as CapacityError).problems];
  }
  throw new Error('expected a CapacityError');
}
