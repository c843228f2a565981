/**
 * Errors of the capacity model: one line per problem, naming the field, the value and what is allowed.
 */
import type { z } from 'zod';
import { closestMatch } from './did-you-mean';

/** Bad capacity input. `problems` holds one line per field; `message` joins them. */
export class CapacityError extends Error {
  public readonly problems: readonly string[];

  constructor(problems: readonly string[], source?: string) {
    const where = source ? ` in ${source}` : '';
    const head = problems.length === 1 ? `Invalid capacity model${where}: ` : `Invalid capacity model${where} (${problems.length} problems):\n  - `;
    super(head + problems.join('\n  - '));
    this.name = 'CapacityError';
    this.problems = problems;
  }
}

/** A short, safe rendering of a user's value for an error message (never the whole of a huge string). */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** A string as a short JSON literal: control characters escaped, at most 40 characters of it shown. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** Reads the value at `path` in `input` without trusting its shape (own properties only). */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Turns zod's issues into "field: message (got value)" lines; with the schema, misspelt fields get "did you mean". */
export function describeIssues(error: z.ZodError, input: unknown, schema?: z.ZodType): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(the model)';
    if (issue.code === 'unrecognized_keys') return `${field}: ${describeUnknownKeys(issue.keys, schema && fieldsAt(schema, issue.path))}`;
    const value = valueAt(input, issue.path);
    if (issue.code === 'invalid_type' && value === undefined && issue.expected === 'object') {
      return `${field}: required section is missing`;
    }
    return `${field}: ${issue.message} (got ${preview(value)})`;
  });
}

/** `unknown field "peakRPS" (did you mean `peakRps`?)`: a suggestion only from the same object's fields. */
function describeUnknownKeys(keys: readonly string[], allowed: readonly string[] | undefined): string {
  const shown = keys.slice(0, 5).map((key) => {
    const match = allowed && closestMatch(key, allowed);
    return match ? `${quoted(key)} (did you mean \`${match}\`?)` : quoted(key);
  });
  const list = `${shown.join(', ')}${keys.length > 5 ? ` and ${keys.length - 5} more` : ''}`;
  const unmatched = keys.some((key) => !(allowed && closestMatch(key, allowed)));
  // A short list of the object's fields helps more than the README; a long one would bury the error.
  const hint = !unmatched ? '' : allowed && allowed.length <= 12 ? ` (allowed here: ${allowed.join(', ')})` : ' (check the spelling; allowed fields are in the README)';
  return `unknown field${keys.length > 1 ? 's' : ''} ${list}${hint}`;
}

/** Minimal view of zod 4's internals: enough to find an object's fields through optional/default/pipe wrappers. */
interface SchemaNode {
  readonly _zod?: { readonly def?: { readonly type?: string; readonly shape?: Record<string, SchemaNode>; readonly innerType?: SchemaNode; readonly in?: SchemaNode } };
}

/** The field names of the object schema at `path` in `schema`, or undefined when the path leads elsewhere. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  const unwrap = (node: SchemaNode | undefined): SchemaNode | undefined => {
    for (let guard = 0; node && guard < 20; guard++) {
      const def = node._zod?.def;
      if (def?.innerType) node = def.innerType;
      else if (def?.type === 'pipe' && def.in) node = def.in;
      else return node;
    }
    return node;
  };
  let node = unwrap(schema as unknown as SchemaNode);
  for (const key of path) node = unwrap(node?._zod?.def?.shape?.[String(key)]);
  const shape = node?._zod?.def?.shape;
  return shape ? Object.keys(shape) : undefined;
}
