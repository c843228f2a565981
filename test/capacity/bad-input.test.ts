import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CapacityError, CapacityInput, DEFAULT_MODEL, loadCapacityFile, parseCapacity, planPhases } from '../../lib/capacity';
import { problemsOf } from '../support/capacity-problems';

/** A deep copy of the default model with one change applied. */
function modelWith(change: (model: any) => void): unknown {
  const model = structuredClone(DEFAULT_MODEL) as any;
  change(model);
  return model;
}


describe('bad input fails at the boundary, naming the field, the value and the allowed range', () => {
  test.each<[string, (m: any) => void, string]>([
    ['negative RPS', (m) => (m.current.peakRps = -5), 'current.peakRps: must be a number > 0 and <= 10,000,000 requests/s (got -5)'],
    ['growth of 5000 %', (m) => (m.growth.monthlyGrowthPct = 5000), 'growth.monthlyGrowthPct: must be a number > 0 and <= 1,000 % per month (got 5000)'],
    ['budget of zero', (m) => (m.budget.monthlyCeiling = 0), 'budget.monthlyCeiling: must be a number > 0 and <= 1,000,000,000 (got 0)'],
    ['a string where a number goes', (m) => (m.current.peakRps = '800'), 'current.peakRps: must be a number > 0 and <= 10,000,000 requests/s (got "800")'],
    [
      'a cache that never evicts',
      (m) => (m.policy = { cacheEvictionPolicy: 'noeviction' }),
      'policy.cacheEvictionPolicy: must be one of allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl (a cache must evict: noeviction turns a full cache into errors) (got "noeviction")',
    ],
    ['a health check faster than the ALB allows', (m) => (m.service.healthCheckIntervalSec = 2), 'service.healthCheckIntervalSec: must be a whole number >= 6 and <= 300 s (got 2)'],
    ['NaN', (m) => (m.slo.p95Ms = NaN), 'slo.p95Ms: must be a number > 0 and <= 60,000 ms (got NaN)'],
    ['Infinity', (m) => (m.current.avgResponseKb = Infinity), 'current.avgResponseKb: must be a number > 0 and <= 102,400 KB (got Infinity)'],
    ['a fraction where a whole number goes', (m) => (m.aws.availabilityZones = 2.5), 'aws.availabilityZones: must be a whole number >= 2 and <= 3 (got 2.5)'],
    ['a share above 1', (m) => (m.current.cdnCacheableGetShare = 1.2), 'current.cdnCacheableGetShare: must be a number >= 0 and <= 1 (a fraction, 0.25 = 25 %) (got 1.2)'],
    ['a missing field', (m) => delete m.current.peakRps, 'current.peakRps: must be a number > 0 and <= 10,000,000 requests/s (got nothing (the field is missing))'],
  ])('%s', (_name, change, expected) => {
    expect(problemsOf(modelWith(change))).toEqual([expected]);
  });

  test('an unknown region lists the allowed ones', () => {
    const [problem] = problemsOf(modelWith((m) => (m.aws.region = 'mars-north-1')));
    expect(problem).toMatch(/^aws\.region: must be one of the regions with a price table: .*eu-central-1.* \(got "mars-north-1"\)$/);
  });

  test('a missing section is named', () => {
    expect(problemsOf(modelWith((m) => delete m.slo))).toEqual(['slo: required section is missing']);
  });

  test('an unknown (misspelt) field is rejected, not ignored, with the near miss from the same object', () => {
    expect(problemsOf(modelWith((m) => (m.current.peakRPS = 900)))).toEqual(['current: unknown field "peakRPS" (did you mean `peakRps`?)']);
    expect(problemsOf(modelWith((m) => (m.slo.p95ms = 300)))).toEqual(['slo: unknown field "p95ms" (did you mean `p95Ms`?)']);
    expect(problemsOf(modelWith((m) => (m.policy = { safetyMargn: 1.5 })))).toEqual(['policy: unknown field "safetyMargn" (did you mean `safetyMargin`?)']);
  });

  test('a field of another object is not suggested: no near miss lists the small object\'s fields, a big one points to the README', () => {
    // `peakRps` lives in `current`, not in `slo`: suggesting it there would send the user to the wrong place.
    expect(problemsOf(modelWith((m) => (m.slo.peakRps = 900)))).toEqual(['slo: unknown field "peakRps" (allowed here: p95Ms, errorRatePct, availabilityPct)']);
    expect(problemsOf(modelWith((m) => (m.policy = { colour: 'red' })))).toEqual([
      'policy: unknown field "colour" (check the spelling; allowed fields are in the README)',
    ]);
    expect(problemsOf(modelWith((m) => (m.sevice = {})))[0]).toBe('(the model): unknown field "sevice" (did you mean `service`?)');
  });

  test('cross-field rules name the field: both CPU forms, working set above DB size, EUR without a rate', () => {
    expect(problemsOf(modelWith((m) => (m.current.rpsPerVcpu = 700)))[0]).toMatch(/^current\.cpuMsPerRequest: give exactly one of .* got both/);
    expect(problemsOf(modelWith((m) => (m.current.workingSetGb = 500)))[0]).toMatch(/^current\.workingSetGb: must be <= current\.databaseSizeGb \(120\)/);
    expect(problemsOf(modelWith((m) => delete m.budget.usdPerUnit))[0]).toMatch(/^budget\.usdPerUnit: is required when currency is EUR/);
  });

  test('every problem is reported at once', () => {
    const problems = problemsOf(modelWith((m) => {
      m.current.peakRps = 0;
      m.slo.errorRatePct = -1;
      m.service.name = 'Order Management';
    }));
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/service\.name: must be lowercase letters/);
  });

  test('not an object at all', () => {
    expect(problemsOf(null)[0]).toMatch(/^\(the model\): /);
    expect(problemsOf([1, 2])[0]).toMatch(/^\(the model\): /);
  });

  test('planPhases throws before planning anything', () => {
    expect(() => planPhases(modelWith((m) => (m.current.peakRps = -1)))).toThrow(CapacityError);
  });

  test('defaults fill policy fields the user leaves out', () => {
    const model = parseCapacity(DEFAULT_MODEL satisfies CapacityInput);
    expect(model.policy.safetyMargin).toBe(1.5);
    expect(model.clients.rateWindowSec).toBe(300);
    expect(model.cdn.apiStalenessSec).toBe(60);
  });
});

describe('model files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  test('a valid file loads', () => {
    const file = write('ok.json', JSON.stringify(DEFAULT_MODEL));
    expect(loadCapacityFile(file).service.name).toBe('order-management');
  });

  test('invalid JSON: one line with the path', () => {
    const file = write('broken.json', '{ "service": ');
    expect(() => loadCapacityFile(file)).toThrow(new RegExp(`^Invalid capacity model: model file '${file}' is not valid JSON at line 1, column 14: `));
  });

  test.each([
    ['a trailing comma', '{\n  "service": {},\n}\n', 'line 3, column 1'],
    ['a missing colon', '{\n  "service" {}\n}', 'line 2, column 13'],
    ['text after the object', '{}\n\n  x', 'line 3, column 3'],
  ])('invalid JSON (%s) gives the line and column an editor shows', (_name, text, where) => {
    const file = write('where.json', text);
    expect(() => loadCapacityFile(file)).toThrow(`model file '${file}' is not valid JSON at ${where}: `);
  });

  test.each([['empty', ''], ['blank', ' \n\n'], ['only a byte-order mark', '\uFEFF']])('an %s file says it is empty', (_name, text) => {
    const file = write('empty.json', text);
    expect(() => loadCapacityFile(file)).toThrow(`Invalid capacity model: model file '${file}' is empty (write a model like examples/order-management.json)`);
  });

  test('a missing file: one line with the path and the reason', () => {
    expect(() => loadCapacityFile(path.join(dir, 'nope.json'))).toThrow(/cannot read model file '.*nope\.json' \(ENOENT\)/);
  });

  test('field errors name the file', () => {
    const file = write('bad.json', JSON.stringify(modelWith((m) => (m.current.peakRps = -1))));
    expect(() => loadCapacityFile(file)).toThrow(new RegExp(`^Invalid capacity model in '${file}': current\\.peakRps`));
  });
});
