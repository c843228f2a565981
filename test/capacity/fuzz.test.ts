/**
 * Property-based tests of the capacity model's boundary and planner (fast-check).
 *
 * Reproducible: every property runs with a fixed seed (FUZZ_SEED, default 42), so CI sees the same inputs on every run.
 * For a deeper local search, vary the seed and scale the run counts:
 *   FUZZ_SEED=$RANDOM FUZZ_RUNS=10 npx jest test/capacity/fuzz.test.ts
 * A failure prints the seed, the shrunk counterexample and the `path` to replay it (`fc.assert(..., { seed, path })`).
 *
 * Run counts (N) are chosen so the whole file takes ~10 s on 2 cores in `npm run test:slow`, which runs them in full
 * (`npm test` runs a fifth of each): an invalid input costs ~0.2 ms (it stops
 * at the schema), a valid one ~10 ms (three phases planned, each with an Erlang C search over task counts and
 * ~250 `toLocaleString` calls, then the invariants walk the plan), a partial-synthesis check ~5 ms. The invalid-input properties get thousands of runs because
 * the space is wide (84 fields and sections x ~20 kinds of bad value); the valid-model properties get hundreds, which
 * with fast-check's bias towards range bounds covers every range edge many times.
 *
 * KNOWN BUGS found by these properties are pinned as `test.failing` at the end, each with its minimal input:
 * they pass while the bug exists and start failing once it is fixed (then drop `.failing`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import fc from 'fast-check';
import {
  CapacityError,
  CapacityInput,
  CapacitySchema,
  DEFAULT_MODEL,
  FeasibilityError,
  loadCapacityFile,
  loadModel,
  parseCapacity,
  planModel,
  planPhases,
  PhasePlan,
  PRICED_REGIONS,
} from '../../lib/capacity';
import { addPhaseStacks } from '../../phases/app';
import { checkPlanInvariants, planViolations } from '../support/plan-invariants';

const SEED = Number(process.env.FUZZ_SEED ?? 42);
/** `npm test` runs a fifth of each count (a quick pass on every property); `npm run test:slow` runs them all. */
const RUNS = Number(process.env.FUZZ_RUNS ?? (process.env.JEST_SUITE === 'slow' ? 1 : 0.2));
const runs = (n: number) => ({ seed: SEED, numRuns: Math.max(1, Math.round(n * RUNS)), endOnFailure: process.env.FUZZ_NO_SHRINK === '1' });

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'capacity-fuzz-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------------------
// The schema's fields, read from the zod schema itself, so new fields are fuzzed without editing this file.
// ---------------------------------------------------------------------------------------------------------------

type Kind = 'number' | 'string' | 'boolean' | 'array' | 'tuple' | 'object' | 'record';
interface Field {
  readonly path: readonly string[];
  readonly kind: Kind;
}

/** Strips optional / default / prefault wrappers. */
function unwrap(schema: any): any {
  let s = schema;
  while (['optional', 'default', 'prefault', 'nullable', 'readonly'].includes(s.def.type)) s = s.def.innerType;
  return s;
}

function kindOf(schema: any): Kind {
  const type = unwrap(schema).def.type;
  if (type === 'number' || type === 'union' || type === 'literal') return 'number'; // the only union is rateWindowSec (numbers)
  if (type === 'string' || type === 'enum') return 'string';
  if (type === 'boolean' || type === 'array' || type === 'tuple' || type === 'object' || type === 'record') return type;
  throw new Error(`fuzz.test.ts does not know how to break a zod '${type}' field: teach kindOf about it`);
}

function fieldsOf(schema: any, prefix: readonly string[] = []): Field[] {
  const fields: Field[] = [];
  for (const [key, child] of Object.entries<any>(unwrap(schema).shape)) {
    const p = [...prefix, key];
    const kind = kindOf(child);
    fields.push({ path: p, kind });
    if (kind === 'object') fields.push(...fieldsOf(child, p));
  }
  return fields;
}

const FIELDS = fieldsOf(CapacitySchema);
const OBJECT_FIELDS = FIELDS.filter((f) => f.kind === 'object');

/**
 * The required fields, as the README's model reference lists them (not read from the schema: this is the spec).
 * `current.cpuMsPerRequest` is "one of cpuMsPerRequest / rpsPerVcpu" (the default model gives cpuMsPerRequest);
 * `budget.usdPerUnit` is required unless the currency is USD (the default model uses EUR).
 */
const REQUIRED: readonly string[] = [
  'service', 'service.name', 'service.costCentre',
  'aws', 'aws.region',
  'current', 'current.peakRps', 'current.p95LatencyMs', 'current.readsPerWrite', 'current.cpuMsPerRequest', 'current.avgResponseKb',
  'current.cdnCacheableGetShare', 'current.workingSetGb', 'current.databaseSizeGb',
  'growth', 'growth.monthlyGrowthPct',
  'peakPattern', 'peakPattern.dailyPeakToAverage', 'peakPattern.flashSaleMultiplier',
  'slo', 'slo.p95Ms', 'slo.errorRatePct',
  'budget', 'budget.currency', 'budget.monthlyCeiling', 'budget.usdPerUnit',
];

// ---------------------------------------------------------------------------------------------------------------
// Invalid inputs: the default model with one thing broken.
// ---------------------------------------------------------------------------------------------------------------

const HUGE_LENGTH = 100_000;
/** A 100k-character string made by repeating a short random unit (so "no 51-character window of it" is checkable). */
const hugeString = fc.string({ minLength: 1, maxLength: 8 }).map((unit) => unit.repeat(Math.ceil(HUGE_LENGTH / unit.length)).slice(0, HUGE_LENGTH));
const negative = fc.double({ min: -1e308, max: -1e-6, noNaN: true });
const unknownKeyObject = fc.dictionary(fc.constantFrom('bogus', 'extra', 'Value', 'peakRPS'), fc.jsonValue(), { minKeys: 1, maxKeys: 3 });
const nonNumbers = [fc.constant(''), fc.constant('800'), hugeString, fc.constant(null), fc.boolean(), fc.constant([]), fc.constant([1]), fc.constant({}), unknownKeyObject];
const nonStrings = [fc.constant(0), fc.constant(1), fc.constant(NaN), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant(['a']), fc.constant({}), unknownKeyObject];

/** Values no field of `kind` accepts (every number field has a finite max and a min >= 0; every string needs a character). */
const BAD_VALUES: Record<Kind, fc.Arbitrary<unknown>> = {
  number: fc.oneof(
    fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, Number.MAX_VALUE),
    negative,
    fc.double({ min: 1e16, max: 1e308, noNaN: true }),
    ...nonNumbers,
  ),
  string: fc.oneof(fc.constant(''), hugeString, ...nonStrings),
  boolean: fc.oneof(fc.constant('true'), fc.constant(0), fc.constant(1), fc.constant(null), fc.constant([]), fc.constant({}), hugeString),
  array: fc.oneof(
    fc.constant(null), fc.constant('/static/*'), fc.constant(1), fc.constant({}), hugeString,
    fc.constantFrom<unknown[]>([1], [null], [''], ['no-leading-slash'], ['/ok/*', NaN], Array.from({ length: 21 }, (_, i) => `/p${i}/*`)),
    hugeString.map((s) => [`/${s}`]),
  ),
  tuple: fc.oneof(fc.constant(null), fc.constant('2,6,16'), fc.constantFrom<unknown[]>([], [1, 2], [1, 2, 3, 4], [1, 2, NaN], [1, 2, 'x'], [-1, 2, 3], [1, 2, 1e308])),
  object: fc.oneof(fc.constant(null), fc.constant(1), fc.constant('section'), hugeString, fc.constant([]), fc.constant([{}]), fc.boolean(), unknownKeyObject),
  // A map of region -> value: any key is allowed, so the bad values are the wrong shape or a bad value under a key.
  record: fc.oneof(fc.constant(null), fc.constant(1), fc.constant('section'), hugeString, fc.constant([]), fc.constant({ 'eu-central-1': 5 }), fc.constant({ 'eu-central-1': '' })),
};

/** A deep copy of the default model (structuredClone keeps NaN and friends, unlike JSON). */
const baseModel = () => structuredClone(DEFAULT_MODEL) as Record<string, any>;

const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab`;
/** Optional sections the default model leaves out whose fields are required once the section is given. */
const VALID_SECTIONS: Record<string, () => unknown> = {
  domain: () => ({
    name: 'api.example.com', hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com',
    edgeCertificateArn: CERT('us-east-1'), regionalCertificateArns: { [DEFAULT_MODEL.aws.region]: CERT(DEFAULT_MODEL.aws.region) },
  }),
};

/** Sets `value` at `path`, creating valid parent sections that the default model leaves out. */
function setAt(model: Record<string, any>, p: readonly string[], value: unknown): void {
  let node = model;
  for (const key of p.slice(0, -1)) {
    if (node[key] === undefined) node[key] = node === model && VALID_SECTIONS[key] ? VALID_SECTIONS[key]() : {};
    node = node[key];
  }
  node[p[p.length - 1]] = value;
}

function deleteAt(model: Record<string, any>, p: readonly string[]): void {
  let node = model;
  for (const key of p.slice(0, -1)) node = node[key];
  delete node[p[p.length - 1]];
}

/** One broken model and where it was broken. */
interface Broken {
  readonly how: string;
  /** The dotted path of the broken field; '' for the model itself. */
  readonly where: string;
  readonly input: unknown;
  /** The huge string in it, if any (must never be echoed at length). */
  readonly huge?: string;
}

const hugeIn = (value: unknown): string | undefined => {
  if (typeof value === 'string' && value.length >= HUGE_LENGTH) return value;
  if (Array.isArray(value)) for (const v of value) if (typeof v === 'string' && v.length >= HUGE_LENGTH - 1) return v;
  return undefined;
};

const replaced: fc.Arbitrary<Broken> = fc
  .constantFrom(...FIELDS)
  .chain((field) => BAD_VALUES[field.kind].map((value) => ({ field, value })))
  .map(({ field, value }) => {
    const model = baseModel();
    setAt(model, field.path, value);
    return { how: `replaced by ${typeof value === 'string' && value.length > 60 ? `a ${value.length}-char string` : String(JSON.stringify(value) ?? value)}`, where: field.path.join('.'), input: model, huge: hugeIn(value) };
  });

const deleted: fc.Arbitrary<Broken> = fc.constantFrom(...REQUIRED).map((where) => {
  const model = baseModel();
  deleteAt(model, where.split('.'));
  return { how: 'deleted', where, input: model };
});

const fieldNames = new Set(FIELDS.map((f) => f.path[f.path.length - 1]));
/** Printable keys (ASCII and other scripts) that name no field anywhere in the schema. */
const unknownKey = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), fc.constantFrom('peakRPS', 'PeakRps', 'peak_rps', 'region ', 'toString', 'hasOwnProperty', 'valueOf'))
  .filter((key) => !fieldNames.has(key) && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(key));

const withUnknownKey: fc.Arbitrary<Broken> = fc
  .tuple(fc.constantFrom<readonly string[]>([], ...OBJECT_FIELDS.map((f) => f.path)), unknownKey, fc.jsonValue())
  .map(([where, key, value]) => {
    const model = baseModel();
    let node = model;
    for (const k of where) node = node[k] ??= {};
    Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
    return { how: `unknown key ${JSON.stringify(key)}`, where: where.join('.'), input: model };
  });

const anyBroken = fc.oneof({ arbitrary: replaced, weight: 6 }, { arbitrary: deleted, weight: 1 }, { arbitrary: withUnknownKey, weight: 2 });

// ---------------------------------------------------------------------------------------------------------------
// What every rejection must look like.
// ---------------------------------------------------------------------------------------------------------------

/** "field.path: message" (or "(the model): ..." for the model itself): a field path, colon, space, then text. */
const PROBLEM_LINE = /^(\(the model\)|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*): \S/;
const MAX_ECHO = 50;

/** Runs the planner on `input` and returns its CapacityError; anything else (a plan, another error) fails. */
function rejectionOf(input: unknown): CapacityError {
  let plans: unknown;
  try {
    plans = planPhases(input);
  } catch (error) {
    if (error instanceof CapacityError) return error;
    throw new Error(`threw ${(error as Error)?.constructor?.name ?? typeof error} instead of CapacityError: ${(error as Error)?.stack ?? error}`);
  }
  throw new Error(`returned a plan of ${(plans as unknown[]).length} phases for invalid input`);
}

const pathOf = (problem: string) => problem.slice(0, problem.indexOf(': '));
const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

/** Asserts the problems are well-formed lines, name `where` (or its section / an element of it), and echo no huge string. */
function expectWellFormedRejection(error: CapacityError, broken: Broken): void {
  const { problems } = error;
  const context = `${broken.where || '(the model)'} ${broken.how}:\n  ${problems.map((p) => p.slice(0, 300)).join('\n  ')}`;
  if (problems.length === 0) throw new Error(`no problems listed for ${context}`);
  for (const problem of problems) {
    if (!PROBLEM_LINE.test(problem)) throw new Error(`problem does not start with a field path: ${context}`);
    if (/[\u0000-\u001f]/.test(problem)) throw new Error(`problem is not one clean line: ${context}`);
    if (problem.length > 400) throw new Error(`problem is ${problem.length} characters long: ${context}`);
    if (broken.huge) {
      // Values are quoted JSON-style ("\\" for a backslash): count characters of the value, not of its escaping.
      const unescaped = problem.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, c: string) => (c.length > 1 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c));
      // The huge string repeats a unit of <= 8 characters, so checking the windows starting in the first unit covers all.
      for (let start = 0; start < 8; start++) {
        if (unescaped.includes(broken.huge.slice(start, start + MAX_ECHO + 1))) throw new Error(`problem echoes more than ${MAX_ECHO} characters of a huge string: ${context}`);
      }
    }
  }
  const paths = problems.map(pathOf);
  const where = broken.where || '(the model)';
  if (!paths.some((p) => related(p, where))) throw new Error(`no problem names the broken field ${where}: ${context}`);
  // Other lines may come from cross-field rules, but never from another section (a single break is reported where it is).
  const section = where.split('.')[0];
  const stray = paths.filter((p) => p.split('.')[0] !== section);
  if (stray.length) throw new Error(`problems outside the broken section '${section}' (${stray.join(', ')}): ${context}`);
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
function expectPrototypeClean(): void {
  const names = Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  if (names !== PROTOTYPE_NAMES) throw new Error(`Object.prototype was polluted: now has ${names}`);
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin', 'x']) if (key in probe) throw new Error(`Object.prototype was polluted: {}.${key} exists`);
}

describe('invalid input: always one CapacityError naming the broken field, never a plan or another error', () => {
  test('the schema walk found the fields (sanity check of the fuzzer itself)', () => {
    expect(FIELDS.length).toBeGreaterThan(80);
    expect(FIELDS.map((f) => f.path.join('.'))).toEqual(expect.arrayContaining(['current.peakRps', 'policy.minTasks', 'cdn.staticPathPatterns', 'budget.currency']));
    for (const required of REQUIRED) expect(FIELDS.map((f) => f.path.join('.'))).toContain(required);
  });

  // N = 4,000: 84 fields and sections x ~20 kinds of bad value each; ~1.2 s.
  test('a field replaced (at any depth, whole sections too) by a wrong type, NaN, +-Infinity, a negative, 1e308, an empty or 100k-character string, null, an array or an object', () => {
    fc.assert(
      fc.property(replaced, (broken) => {
        expectWellFormedRejection(rejectionOf(broken.input), broken);
        expectPrototypeClean();
      }),
      runs(4000),
    );
  });

  // N = 500: only ~26 required fields and sections, so each is deleted ~20 times.
  test('a required field or section deleted', () => {
    fc.assert(
      fc.property(deleted, (broken) => {
        expectWellFormedRejection(rejectionOf(broken.input), broken);
      }),
      runs(500),
    );
  });

  // N = 1,500: 12 places (the model, 10 sections, current.metrics) x printable ASCII / Unicode keys x any JSON value.
  test('an unknown key added at the top level or in any section', () => {
    fc.assert(
      fc.property(withUnknownKey, (broken) => {
        const error = rejectionOf(broken.input);
        expectWellFormedRejection(error, broken);
        expect(error.problems.some((p) => p.includes('unknown field'))).toBe(true);
      }),
      runs(1500),
    );
  });

  // N = 800: 3 keys x 12 places x 9 payloads (324 combinations), through both entry points (object and file).
  test('prototype-pollution keys (__proto__, constructor, prototype as own keys, via JSON.parse) are rejected and pollute nothing', () => {
    const pollutionKey = fc.constantFrom('__proto__', 'constructor', 'prototype');
    const payload = fc.constantFrom(
      '{"polluted":"yes","isAdmin":true}',
      '{"prototype":{"polluted":"yes"}}',
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"isAdmin":true}}}',
      'null',
      '1',
      '"x"',
      '[{"__proto__":{"polluted":"yes"}}]',
      '{}',
    );
    const file = path.join(tmp, 'polluted.json');
    fc.assert(
      fc.property(fc.constantFrom<readonly string[]>([], ...OBJECT_FIELDS.map((f) => f.path)), pollutionKey, payload, fc.boolean(), (where, key, json, viaFile) => {
        // Build the JSON text with the key spelled literally, so JSON.parse makes it an own property (as a model file would).
        const model = baseModel();
        let node = model;
        for (const k of where) node = node[k] ??= {};
        node.__FUZZ_KEY__ = '__FUZZ_VALUE__';
        const text = JSON.stringify(model).replace('"__FUZZ_KEY__":"__FUZZ_VALUE__"', `${JSON.stringify(key)}:${json}`);
        const input = JSON.parse(text);
        let target = input;
        for (const k of where) target = target[k];
        expect(Object.prototype.hasOwnProperty.call(target, key)).toBe(true); // the fuzzer really built an own key

        let error: CapacityError;
        if (viaFile) {
          fs.writeFileSync(file, text);
          try {
            loadCapacityFile(file);
            throw new Error('loaded a model with a prototype-pollution key');
          } catch (e) {
            if (!(e instanceof CapacityError)) throw e;
            error = e;
          }
        } else {
          error = rejectionOf(input);
        }
        expectWellFormedRejection(error, { how: `own key ${key}: ${json}`, where: where.join('.'), input });
        expect(error.problems.some((p) => p.includes(JSON.stringify(key)))).toBe(true);
        expectPrototypeClean();
      }),
      runs(800),
    );
  });

  // N = 25: each builds a fresh App and loads a file (~5 ms); the point is the order of operations, not the breadth.
  test('synthesis is never partial: the bin/app.ts path (load the model, then build) throws before any stack is added', () => {
    const file = path.join(tmp, 'invalid-model.json');
    const modelsSurvivingJson = anyBroken.filter((b) => {
      // Model files are JSON: NaN and Infinity become null there, which is just as invalid. Skip inputs JSON cannot hold.
      const text = JSON.stringify(b.input);
      return text !== undefined && !parsesOk(JSON.parse(text));
    });
    fc.assert(
      fc.property(modelsSurvivingJson, (broken) => {
        fs.writeFileSync(file, JSON.stringify(broken.input));
        const app = new App({ context: { capacity: file } });
        // The body of bin/app.ts.
        const build = () => {
          const model = loadModel(app.node.tryGetContext('capacity'));
          addPhaseStacks(app, model, planModel(model));
          app.synth();
        };
        expect(build).toThrow(CapacityError);
        expect(app.node.children).toHaveLength(0);
      }),
      runs(25),
    );
  });
});

function parsesOk(input: unknown): boolean {
  try {
    parseCapacity(input);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Valid inputs: random models within the schema's ranges; every plan keeps its invariants.
// ---------------------------------------------------------------------------------------------------------------

/** Log-uniform between min and max (> 0), plus the bounds themselves. */
const logUniform = (min: number, max: number) =>
  fc.oneof(
    { arbitrary: fc.double({ min: Math.log10(min), max: Math.log10(max), noNaN: true }).map((e) => Math.min(max, Math.max(min, 10 ** e))), weight: 8 },
    { arbitrary: fc.constantFrom(min, max), weight: 1 },
  );
const between = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const wholeBetween = (min: number, max: number) => fc.integer({ min, max });
/** Optional fields: each key present or absent at random. */
const partial = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] });

/**
 * A p95 SLO the API tier meets comfortably: above the database/cache time (each query at most max(dbQueryMs, 1 ms
 * cache) per request, p95 ~ ln 20 x mean) plus ten times the p95 of one request's CPU time, so tasks at the CPU
 * target already meet it. Tighter SLOs make the planner search task counts one by one, which takes seconds to
 * minutes at high traffic (reported; KNOWN BUG below): they are fuzzed at small traffic in their own property.
 */
function attainableP95Ms(current: { cpuMsPerRequest?: number; rpsPerVcpu?: number; dbQueriesPerRead?: number; dbQueriesPerWrite?: number; dbQueryMs?: number }): number {
  const cpuMs = current.cpuMsPerRequest ?? 1000 / current.rpsPerVcpu!;
  const queries = Math.max(current.dbQueriesPerRead ?? 4, current.dbQueriesPerWrite ?? 4);
  const perQueryMs = Math.max(current.dbQueryMs ?? 5, 1);
  return Math.log(20) * (queries * perQueryMs + 10 * cpuMs) + 1;
}

/** The ranges the task asks for (realistic models), within the schema's. */
const RANGES = {
  peakRps: [1, 1e6],
  monthlyGrowthPct: [0.1, 100],
  dailyPeakToAverage: [1, 10],
  flashSaleMultiplier: [1, 20],
  cpuMsPerRequest: [0.1, 200],
} as const;

const validModel: fc.Arbitrary<CapacityInput> = fc
  .record({
    service: fc.record(
      {
        name: fc.stringMatching(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/),
        costCentre: fc.stringMatching(/^[\w .:/=+\-@]{1,64}$/),
        containerPort: wholeBetween(1, 65535),
        healthCheckPath: fc.constantFrom('/', '/health', '/api/health'),
        taskStartupSec: between(1, 600),
        requestTimeoutSec: between(1, 300),
      },
      { requiredKeys: ['name', 'costCentre'] },
    ),
    aws: fc.record({ region: fc.constantFrom(...PRICED_REGIONS), availabilityZones: wholeBetween(2, 3) }, { requiredKeys: ['region'] }),
    current: fc
      .record({
        peakRps: logUniform(...RANGES.peakRps),
        p95LatencyMs: logUniform(1, 60_000),
        readsPerWrite: fc.oneof(fc.constant(0), logUniform(0.01, 10_000)),
        cpu: fc.oneof(
          logUniform(...RANGES.cpuMsPerRequest).map((ms) => ({ cpuMsPerRequest: ms })),
          logUniform(1000 / RANGES.cpuMsPerRequest[1], 1000 / RANGES.cpuMsPerRequest[0]).map((rps) => ({ rpsPerVcpu: rps })),
        ),
        avgResponseKb: logUniform(0.1, 10_240),
        cdnCacheableGetShare: between(0, 1),
        databaseSizeGb: logUniform(0.1, 128_000),
        workingSetShare: between(0.001, 1),
        extra: partial({ dbQueriesPerRead: between(0, 20), dbQueriesPerWrite: between(0, 20), dbQueryMs: logUniform(0.1, 100) }),
      })
      .map(({ cpu, workingSetShare, extra, ...rest }) => ({ ...rest, ...cpu, ...extra, workingSetGb: Math.min(100_000, rest.databaseSizeGb * workingSetShare) })),
    growth: fc.record(
      { monthlyGrowthPct: between(...RANGES.monthlyGrowthPct), dataGrowthExponent: between(0, 1), startDate: fc.constantFrom('2026-12-01', '2030-02-28') },
      { requiredKeys: ['monthlyGrowthPct'] },
    ),
    peakPattern: fc.record(
      {
        dailyPeakToAverage: between(...RANGES.dailyPeakToAverage),
        flashSaleMultiplier: between(...RANGES.flashSaleMultiplier),
        flashSaleHoursPerMonth: between(0, 744),
        flashSaleBurstMinutes: between(1, 1440),
      },
      { requiredKeys: ['dailyPeakToAverage', 'flashSaleMultiplier'] },
    ),
    slo: fc.record({ sloSlack: logUniform(1, 100), errorRatePct: logUniform(0.001, 50), availabilityPct: between(90, 99.999) }, { requiredKeys: ['sloSlack', 'errorRatePct'] }),
    budget: fc
      .record({
        currency: fc.constantFrom('USD', 'EUR', 'GBP'),
        monthlyCeiling: logUniform(1, 1e9),
        rate: logUniform(0.01, 10),
        costPer1000PeakRps: fc.option(logUniform(1, 1e6), { nil: undefined }),
      })
      .map(({ currency, rate, costPer1000PeakRps, ...rest }) => ({
        currency,
        ...rest,
        ...(currency === 'USD' ? {} : { usdPerUnit: rate }),
        ...(costPer1000PeakRps === undefined ? {} : { costPer1000PeakRps }),
      })),
    policy: partial({
      safetyMargin: between(1, 5),
      apiTargetCpuPct: between(20, 90),
      maxTasksPerService: wholeBetween(2, 1000),
      memoryMiBPerVcpu: wholeBetween(2048, 8192),
      minTasks: wholeBetween(2, 100),
      dbTargetCpuPct: between(20, 90),
      dbReadQpsPerVcpu: logUniform(1, 100_000),
      dbWriteQpsPerVcpu: logUniform(1, 100_000),
      dbBufferCacheShare: between(0.1, 0.95),
      effectiveSpindles: wholeBetween(0, 64),
      cacheHitRatio: between(0, 0.99),
      cdnHitRatio: between(0, 0.99),
      cacheOverheadFactor: between(1, 4),
      cacheOpsPerSecPerNode: logUniform(1000, 10_000_000),
      backupRetentionDays: wholeBetween(7, 35),
      logBytesPerRequest: between(0, 100_000),
    }),
    clients: partial({
      peakRpsPerClient: logUniform(0.01, 10_000),
      burstFactor: between(1, 100),
      loginAttemptsPerMinute: between(1, 10_000),
      rateWindowSec: fc.constantFrom(60, 120, 300, 600),
    }),
    cdn: partial({ staticTtlSec: wholeBetween(1, 31_536_000), apiStalenessSec: wholeBetween(1, 86_400) }),
    workload: partial({ asyncWriteShare: between(0, 0.9), asyncMessageMs: logUniform(1, 300_000), asyncLatencySec: between(1, 3600) }),
  })
  .map(({ slo: { sloSlack, ...slo }, ...model }) => ({ ...model, slo: { ...slo, p95Ms: Math.min(60_000, attainableP95Ms(model.current) * sloSlack) } }) as unknown as CapacityInput);

/** Models the planner found infeasible (FeasibilityError), each checked to name the phase, the component, the load and the limit. */
let infeasible = 0;
const FEASIBILITY_LINE = /^ {2}- [A-Z][^:]+: load [\d,.]+ \S+ \(.+\) is above the limit [\d,.]+ \S+ \(.+\): [\d,.]+ %$/;

/**
 * Plans `input`; CapacityError counts as a rejection (allowed); a FeasibilityError is allowed only when it names the
 * phase and, per component over its limit, the load and the limit; anything else fails; slow planning fails too.
 * A plan that comes back has every enforced verdict within its limit.
 */
function planOrReject(input: CapacityInput): PhasePlan[] | undefined {
  const started = performance.now();
  let plans: PhasePlan[];
  try {
    plans = planPhases(input);
  } catch (error) {
    if (error instanceof CapacityError) return undefined;
    if (error instanceof FeasibilityError) {
      const [head, ...lines] = error.message.split('\n');
      expect(head).toMatch(/^Feasibility: Phase [123] \((2|10|100)x\) cannot carry its design peak:$/);
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(FEASIBILITY_LINE);
      expect(error.failures.every((v) => !v.ok)).toBe(true);
      infeasible++;
      return undefined;
    }
    throw error;
  }
  for (const plan of plans) {
    expect(plan.feasibility.filter((v) => !v.ok)).toEqual([]);
  }
  const ms = performance.now() - started;
  // ~3-30 ms normally; seconds mean a runaway search (see the KNOWN BUG "unreachable p95 SLO").
  if (ms > 2000) throw new Error(`planPhases took ${Math.round(ms)} ms`);
  expect(plans.map((p) => p.phase)).toEqual([1, 2, 3]);
  for (const plan of plans) checkPlanInvariants(plan);
  // Phases grow with traffic: a later phase never plans for less.
  for (let i = 1; i < plans.length; i++) expect(plans[i].traffic.designPeakRps.value).toBeGreaterThan(plans[i - 1].traffic.designPeakRps.value);
  return plans;
}

describe('valid input: planPhases plans every phase, and every plan keeps its invariants', () => {
  // N = 400 models (1,200 phase plans), ~4 s (planning with the Erlang C search costs ~10 ms a model):
  // fast-check's bias towards range bounds puts every bound in dozens of them.
  test('random models within the schema ranges (peak 1-1e6 RPS, growth 0.1-100 %, peak/avg 1-10, flash sale 1-20, CPU 0.1-200 ms, ...)', () => {
    const rejections: string[] = [];
    infeasible = 0;
    let planned = 0;
    fc.assert(
      fc.property(validModel, (input) => {
        const before = infeasible;
        if (planOrReject(input)) planned++;
        else if (infeasible === before) rejections.push(JSON.stringify(input));
      }),
      runs(400),
    );
    // CapacityError is allowed by planPhases' contract, but these models are valid by the README's ranges: a rejection
    // means the schema and the documented ranges disagree (or this generator is wrong). There are none. Models
    // beyond what the architecture carries (e.g. 1 write/s per vCPU at 1e6 RPS) fail with the named FeasibilityError;
    // the property saw both outcomes.
    expect(rejections.slice(0, 1)).toEqual([]);
    expect(planned).toBeGreaterThan(0);
    expect(infeasible).toBeGreaterThan(0);
  });

  // N = 150: the same models with a tight p95 SLO (from well below one request's CPU time, which no task count can
  // meet, to a few times it), at small traffic (<= 10 RPS today, <= 2 ms CPU): the planner's search is linear in the
  // task count, so tight SLOs at large traffic take seconds to minutes (reported).
  test('a tight or unattainable p95 SLO: still a sound plan; a predicted p95 above the SLO always comes with a warning', () => {
    const unattainable = fc
      .tuple(validModel, logUniform(1, 10), logUniform(0.1, 2), logUniform(0.01, 20))
      .map(([model, peakRps, cpuMsPerRequest, share]) => {
        const current = { ...(model.current as Record<string, unknown>), peakRps, cpuMsPerRequest, rpsPerVcpu: undefined };
        delete current.rpsPerVcpu;
        return { ...model, current, slo: { ...model.slo, p95Ms: Math.log(20) * cpuMsPerRequest * share } } as CapacityInput;
      });
    let planned = 0;
    let missed = 0;
    infeasible = 0;
    fc.assert(
      fc.property(unattainable, (input) => {
        const plans = planOrReject(input);
        if (!plans) return;
        planned++;
        for (const plan of plans) if (plan.api.p95HeadroomMs.value < 0) missed++;
      }),
      runs(150),
    );
    // Since feasibility is a rule, some of these models fail with a FeasibilityError (checked in planOrReject).
    // Shares of the runs (150 in full), so the check holds at any FUZZ_RUNS scale.
    const total = runs(150).numRuns;
    expect(planned + infeasible).toBeGreaterThan(0.93 * total);
    expect(planned).toBeGreaterThan(0.4 * total);
    expect(missed).toBeGreaterThan(0.26 * total); // the property did exercise missed SLOs (the warning itself is a plan invariant)
  });

  test('checkPlanInvariants holds for the default model and catches a broken plan', () => {
    const [p1] = planPhases(DEFAULT_MODEL);
    expect(() => checkPlanInvariants(p1)).not.toThrow();
    const broken = structuredClone(p1) as any;
    broken.api.minTasks = { value: 1, why: '' };
    broken.cost.totalUsd += 1;
    broken.database.readers.value = NaN;
    let message = '';
    try {
      checkPlanInvariants(broken);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const expected of ['api.minTasks 1 must be', 'api.minTasks.why is empty', 'database.readers.value is NaN', 'cost.totalUsd']) expect(message).toContain(expected);
  });

  test('the reader-rule and Redis-primary invariants catch a plan that breaks them', () => {
    const [p1] = planPhases(DEFAULT_MODEL);
    const broken = structuredClone(p1) as any;
    broken.database.readers.value = 3; // the load needs 1 reader: the rule says 2
    broken.database.readerUtilizationAfterFailover.value = 0.95;
    broken.cache.primaryUtilization.value = 1.2; // and no warning names the primary
    broken.cache.primaryWriteOpsPerSec.value = broken.cache.opsPerSec.value * 2;
    const violations = planViolations(broken).join('\n');
    expect(violations).toContain('database.readers 3 breaks the reader rule for 1 readers for the load');
    expect(violations).toContain('database.readerUtilizationAfterFailover 0.95 above 90 % CPU without a Database warning');
    expect(violations).toContain('cache.primaryUtilization 1.2 above one node');
    expect(violations).toContain('cache.primaryWriteOpsPerSec');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Model files: unreadable, empty, not JSON.
// ---------------------------------------------------------------------------------------------------------------

/** Calls loadCapacityFile and returns its CapacityError; anything else fails. */
function fileRejection(file: string): CapacityError {
  try {
    loadCapacityFile(file);
  } catch (error) {
    if (error instanceof CapacityError) return error;
    throw new Error(`threw ${(error as Error)?.constructor?.name} instead of CapacityError: ${(error as Error)?.stack}`);
  }
  throw new Error(`loaded '${file}'`);
}

/** One clear message: names the file, has no stack trace, is short. */
function expectClearFileError(error: CapacityError, file: string): void {
  expect(error.message).toMatch(/^Invalid capacity model/);
  expect(error.message).toContain(`'${file}'`);
  expect(error.message).not.toMatch(/\n\s+at /);
  expect(error.message.length).toBeLessThan(file.length + 400);
  expect(error.problems.length).toBeGreaterThanOrEqual(1);
}

describe('model files that cannot be a model get one line naming the file', () => {
  test.each<[string, () => string, RegExp]>([
    ['a directory', () => tmp, /^Invalid capacity model: cannot read model file '.*' \(EISDIR\)$/],
    ['a missing file', () => path.join(tmp, 'missing.json'), /^Invalid capacity model: cannot read model file '.*missing\.json' \(ENOENT\)$/],
    ['an empty file', () => writeFile('empty.json', ''), /^Invalid capacity model: model file '.*empty\.json' is empty \(.+\)$/],
    ['only whitespace', () => writeFile('blank.json', ' \n\t\n'), /^Invalid capacity model: model file '.*blank\.json' is empty \(.+\)$/],
    ['truncated JSON', () => writeFile('truncated.json', JSON.stringify(DEFAULT_MODEL).slice(0, 120)), /is not valid JSON at line 1, column \d+: /],
    ['JSON with a trailing comma', () => writeFile('comma.json', '{"service": {},}'), /is not valid JSON at line 1, column 16: /],
  ])('%s', (_name, make, expected) => {
    const file = make();
    const error = fileRejection(file);
    expectClearFileError(error, file);
    expect(error.message).toMatch(expected);
    expect(error.problems).toHaveLength(1);
  });

  // N = 300 random byte strings (~0.2 ms each): not JSON (or JSON that is no model), always one CapacityError naming the file.
  test('random bytes as file contents', () => {
    const file = path.join(tmp, 'random.json');
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 50 }).map((s) => new TextEncoder().encode(s))), (bytes) => {
        fs.writeFileSync(file, bytes);
        const error = fileRejection(file);
        expectClearFileError(error, file);
      }),
      runs(300),
    );
  });
});

function writeFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

// ---------------------------------------------------------------------------------------------------------------
// REGRESSIONS: bugs these properties found (each with its minimal input), fixed; kept so they stay fixed.
// ---------------------------------------------------------------------------------------------------------------

describe('regressions found by fuzzing', () => {
  const withChange = (change: (m: Record<string, any>) => void) => {
    const m = baseModel();
    change(m);
    return m;
  };

  test('unknown keys are quoted short and escaped: a 100k-character or multi-line key gives a short one-line problem', () => {
    const huge = 'k'.repeat(HUGE_LENGTH);
    const problems = rejectionOf(withChange((m) => (m.current[huge] = 1))).problems;
    expect(problems.every((p) => p.length < 400)).toBe(true);
    expect(rejectionOf(withChange((m) => (m.current['a\nb'] = 1))).problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  test('an out-of-range current.databaseSizeGb is reported once (cross-field rules compare valid values only)', () => {
    expect(rejectionOf(withChange((m) => (m.current.databaseSizeGb = -1))).problems).toEqual([
      'current.databaseSizeGb: must be a number > 0 and <= 128,000 GB (got -1)',
    ]);
  });

  test('a JSON syntax error is one line: newlines and terminal escapes in the file are escaped', () => {
    const file = writeFile('escape.json', '\u001b[2J\nnot json');
    expect(fileRejection(file).message).not.toMatch(/[\u0000-\u001f]/);
  });

  test('a valid model file saved with a UTF-8 byte-order mark (Windows editors) loads', () => {
    const file = writeFile('bom.json', `\uFEFF${JSON.stringify(DEFAULT_MODEL)}`);
    expect(loadCapacityFile(file).service.name).toBe('order-management');
  });

  test('policy.minTasks 1 is rejected: at least two tasks always run', () => {
    expect(rejectionOf(withChange((m) => (m.policy = { minTasks: 1 }))).problems).toEqual([
      'policy.minTasks: must be a whole number >= 2 and <= 100 (got 1)',
    ]);
  });

  test('an unreachable p95 SLO is a warning and a CPU-sized plan, found fast (not 10x the tasks, not a linear search)', () => {
    // SLO 25 ms: the database/cache time alone is ~27 ms at p95, so no task count meets it; the planner once walked
    // tasks up to 10x the CPU bound, evaluating Erlang C at each step, and planned the 10x count (6.5 % busy).
    // With current.peakRps 800,000 the same model took ~25 s to plan (phase 3: 156,000 tasks). (It used 30 ms while
    // the plan added the p95s of CPU and database time; the exact p95 of their sum meets 30 ms at low CPU.)
    const [p1] = planPhases(withChange((m) => (m.slo.p95Ms = 25)));
    const cpuBound = Math.ceil(p1.traffic.originDesignRps.value / (p1.api.rpsPerVcpu.value * p1.api.taskVcpu.value * (p1.api.targetCpuPercent.value / 100)));
    expect(p1.warnings.join('\n')).toMatch(/SLO/);
    expect(p1.api.tasksAtDesignPeak.value).toBeLessThanOrEqual(Math.max(2, cpuBound) + 1);
    // The same at 1,000x the traffic (it took ~25 s with the linear search; now it returns the CPU bound at once):
    // since feasibility is a rule, that traffic is beyond one stack (tasks, writers, workers), so it fails, by name.
    expect(() => planPhases(withChange((m) => {
      m.slo.p95Ms = 25;
      m.current.peakRps = 800_000;
    }))).toThrow(/^Feasibility: Phase 1 \(2x\)[^]*API max tasks: load \d[\d,]* tasks/);
  });

  test.each<[string, Record<string, unknown>, RegExp]>([
    ['apiStalenessSec 0', { apiStalenessSec: 0 }, /^cdn\.apiStalenessSec: must be a whole number >= 1/],
    ['staticTtlSec 0', { staticTtlSec: 0 }, /^cdn\.staticTtlSec: must be a whole number >= 1/],
    ["'/*' as a static pattern", { staticPathPatterns: ['/*'] }, /^cdn\.staticPathPatterns\.0: must not be '\/\*'/],
    ['a duplicated pattern', { staticPathPatterns: ['/a/*', '/a/*'] }, /^cdn\.staticPathPatterns: must not list a pattern twice/],
    ['one pattern in both lists', { staticPathPatterns: ['/a/*'], cacheableApiPathPatterns: ['/a/*'] }, /^cdn\.cacheableApiPathPatterns: must not repeat staticPathPatterns/],
    ['no cacheable API pattern', { cacheableApiPathPatterns: [] }, /^cdn\.cacheableApiPathPatterns: must list at least one path pattern/],
  ])('cdn %s is rejected at the boundary, before any stack is added', (_name, cdn, message) => {
    const app = new App();
    const input = withChange((m) => (m.cdn = cdn));
    let thrown: unknown;
    try {
      const model = parseCapacity(input);
      addPhaseStacks(app, model, planModel(model));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CapacityError);
    expect((thrown as CapacityError).problems[0]).toMatch(message);
    expect(app.node.children).toHaveLength(0);
  });
});
