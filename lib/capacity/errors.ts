/**
 * Errors of the capacity model: one line per problem, naming the field, the value and what is allowed.
 */
import type { z } from 'zod';

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

/** Turns zod's issues into "field: message (got value)" lines. */
export function describeIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(the model)';
    if (issue.code === 'unrecognized_keys') {
      const shown = issue.keys.slice(0, 5).map(quoted);
      const keys = `${shown.join(', ')}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}`;
      return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} (check the spelling; allowed fields are in the README)`;
    }
    const value = valueAt(input, issue.path);
    if (issue.code === 'invalid_type' && value === undefined && issue.expected === 'object') {
      return `${field}: required section is missing`;
    }
    return `${field}: ${issue.message} (got ${preview(value)})`;
  });
}
