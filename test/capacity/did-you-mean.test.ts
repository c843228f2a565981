import { closestMatch, editDistance } from '../../lib/capacity';

describe('near-miss names', () => {
  test.each([
    ['peakRps', 'peakRps', 0],
    ['peakRPS', 'peakRps', 0],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['capacty', 'capacity', 1],
  ])('editDistance(%j, %j) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  test('the closest candidate within reach, else nothing', () => {
    expect(closestMatch('peakRpz', ['p95LatencyMs', 'peakRps', 'readsPerWrite'])).toBe('peakRps');
    expect(closestMatch('model', ['capacity', 'cli-telemetry'])).toBeUndefined();
    // Short words allow one edit only: "ab" is not a typo of "xy".
    expect(closestMatch('ab', ['xy', 'ax'])).toBe('ax');
    expect(closestMatch('ab', ['xy'])).toBeUndefined();
  });
});
