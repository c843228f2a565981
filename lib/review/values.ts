/**
 * Template values for review: where inside a property a change is (leaf paths), and short, readable renderings
 * of CloudFormation values (intrinsics as `!Ref X`, long values cut).
 */
import { deepEqual } from '@aws-cdk/cloudformation-diff';

/** One step into a value: an object property, an array position, or an array element named by its key. */
export type PathSegment = { readonly prop: string } | { readonly index: number } | { readonly key: string };

/** The smallest part of a value that changed, e.g. `Tags[phase]` or `ContainerDefinitions[Api].Environment[DB_POOL_SIZE]`. */
export interface LeafChange {
  /** The path from the property, rendered: `Prop.Sub[Key][0]`. */
  readonly path: string;
  readonly segments: readonly PathSegment[];
  /** `undefined` when the leaf is added. */
  readonly oldValue: unknown;
  /** `undefined` when the leaf is removed. */
  readonly newValue: unknown;
}

/** Fields that name the elements of a list (tags, environment variables, rules, origins...), in order of preference. */
const IDENTITY_FIELDS = ['Key', 'Name', 'Id', 'PathPattern', 'Sid'] as const;

type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ Ref: X }`, `{ 'Fn::GetAtt': [...] }` and the other single-key intrinsics: compared and shown as one value. */
export function isIntrinsic(value: unknown): value is Json {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

function isPrimitive(value: unknown): boolean {
  return value === null || value === undefined || (typeof value !== 'object' && typeof value !== 'function');
}

/** The field that names every element of both lists uniquely, if there is one. */
function identityField(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  const all = [...a, ...b];
  if (all.length === 0 || !all.every((e) => isPlainObject(e) && !isIntrinsic(e))) return undefined;
  return IDENTITY_FIELDS.find((field) =>
    [a, b].every((list) => {
      const names = list.map((e) => (e as Json)[field]);
      return names.every((n) => typeof n === 'string') && new Set(names).size === names.length;
    }),
  );
}

/** `Prop.Sub[Key][0]` */
export function formatPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => ('prop' in s ? (i === 0 ? s.prop : `.${s.prop}`) : 'index' in s ? `[${s.index}]` : `[${s.key}]`))
    .join('');
}

/**
 * The leaf-level changes between two values, with the engine's notion of equality (CloudFormation treats `10`
 * and `"10"` alike). Lists whose elements are named (`Key`, `Name`...) are matched by name, so reordering is no
 * change and `Tags[phase]` is a path; `{ Key, Value }` / `{ Name, Value }` pairs collapse to their value.
 */
export function leafChanges(oldValue: unknown, newValue: unknown, segments: readonly PathSegment[] = []): LeafChange[] {
  const out: LeafChange[] = [];
  collect(oldValue, newValue, segments, out);
  return out;
}

function collect(a: unknown, b: unknown, segments: readonly PathSegment[], out: LeafChange[]): void {
  if (deepEqual(a, b)) return;
  const leaf = () => out.push({ path: formatPath(segments), segments, oldValue: a, newValue: b });
  if (isPlainObject(a) && isPlainObject(b) && !isIntrinsic(a) && !isIntrinsic(b)) {
    for (const key of union(Object.keys(a), Object.keys(b))) collect(a[key], b[key], [...segments, { prop: key }], out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const field = identityField(a, b);
    if (field) {
      const byName = (list: unknown[]) => new Map(list.map((e) => [(e as Json)[field] as string, e as Json]));
      const [before, after] = [byName(a), byName(b)];
      for (const name of union([...before.keys()], [...after.keys()])) {
        const [x, y] = [before.get(name), after.get(name)];
        const pair = (e: Json | undefined) => e === undefined || (Object.keys(e).length === 2 && 'Value' in e);
        if (pair(x) && pair(y)) collect(x?.Value, y?.Value, [...segments, { key: name }], out);
        else collect(x, y, [...segments, { key: name }], out);
      }
      return;
    }
    if (a.every(isPrimitive) && b.every(isPrimitive)) return void leaf();
    for (let i = 0; i < Math.max(a.length, b.length); i++) collect(a[i], b[i], [...segments, { index: i }], out);
    return;
  }
  leaf();
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...a, ...b.filter((k) => !a.includes(k))];
}

/** How to render a value. */
export interface FormatOptions {
  /** Longer renderings are cut with an ellipsis. Default 60. */
  readonly maxLength?: number;
  /** Quote strings (`"app"`), as in one-line messages. Default false (as in a Markdown table). */
  readonly quote?: boolean;
}

/**
 * A short rendering of a template value: `db.r7g.xlarge`, `38`, `!Ref DatabaseF44359DD`,
 * `!GetAtt Key.Arn`, `[a, b]`, `{MaxCapacity: 8, ...}`; `(none)` for a missing value.
 */
export function formatValue(value: unknown, options: FormatOptions = {}): string {
  const { maxLength = 60, quote = false } = options;
  const text = render(value, quote);
  return text.length > maxLength ? `${text.slice(0, Math.max(1, maxLength - 1))}…` : text;
}

function render(value: unknown, quote: boolean): string {
  if (value === undefined) return '(none)';
  if (value === null) return 'null';
  if (typeof value === 'string') return quote ? JSON.stringify(value) : value === '' ? '""' : value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => render(v, quote)).join(', ')}]`;
  if (isIntrinsic(value)) {
    const [fn, arg] = Object.entries(value)[0];
    if (fn === 'Ref') return `!Ref ${render(arg, false)}`;
    if (fn === 'Fn::GetAtt') return `!GetAtt ${Array.isArray(arg) ? arg.join('.') : render(arg, false)}`;
    const short = fn.replace(/^Fn::/, '!');
    return `${short} ${render(arg, quote)}`;
  }
  return `{${Object.entries(value).map(([k, v]) => `${k}: ${render(v, quote)}`).join(', ')}}`;
}
