/**
 * The boundary: untrusted input (an object or a JSON file) becomes a parsed Capacity, or a CapacityError.
 */
import * as fs from 'node:fs';
import { DEFAULT_MODEL } from './defaults';
import { CapacityError, describeIssues } from './errors';
import { Capacity, CapacitySchema } from './schema';

/** Validates a capacity model; throws CapacityError naming every bad field. */
export function parseCapacity(input: unknown, source?: string): Capacity {
  const result = CapacitySchema.safeParse(input);
  if (!result.success) throw new CapacityError(describeIssues(result.error, input, CapacitySchema), source);
  return result.data;
}

/** Reads and validates a model file; unreadable files and bad JSON become one-line CapacityErrors. */
export function loadCapacityFile(path: string): Capacity {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CapacityError([`cannot read model file '${path}' (${reason})`]);
  }
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const json = text.replace(/^\uFEFF/, '');
  if (json.trim() === '') throw new CapacityError([`model file '${path}' is empty (write a model like examples/order-management.json)`]);
  return parseCapacity(parseJson(json, path), `'${path}'`);
}

/** JSON.parse, with its error as one short line ending in the line and column (an editor's terms, not an offset). */
function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    // Node 20 says "at position N" (nothing at all for a truncated file); Node 22 adds "(line L column C)".
    const offset = /at position (\d+)/.exec(message)?.[1];
    const position = offset !== undefined ? Number(offset) : /Unexpected end/.test(message) ? text.length : undefined;
    const stripped = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+| at position \d+/, '');
    // JSON.parse may quote the file; keep the message one short line whatever the file holds.
    const reason = stripped.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const where = position === undefined ? '' : ` at ${lineAndColumn(text, position)}`;
    throw new CapacityError([`model file '${path}' is not valid JSON${where}: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}`]);
  }
}

/** "line 3, column 1" (both from 1) of a character offset in `text`. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** How every command names the model it used: the path as given, or the embedded default. */
export function describeModelSource(path?: string): string {
  return `Model: ${path ?? 'the embedded default (lib/capacity/defaults.ts)'}`;
}

/** The model from a file path, or the embedded default model when no path is given. */
export function loadModel(path?: string): Capacity {
  return path ? loadCapacityFile(path) : parseCapacity(DEFAULT_MODEL, 'the embedded default model');
}
