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
  if (!result.success) throw new CapacityError(describeIssues(result.error, input), source);
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
  let json: unknown;
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // JSON.parse quotes the file; keep the message one short line whatever the file holds.
    const reason = (error as Error).message.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    throw new CapacityError([`model file '${path}' is not valid JSON: ${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}`]);
  }
  return parseCapacity(json, `'${path}'`);
}

/** The model from a file path, or the embedded default model when no path is given. */
export function loadModel(path?: string): Capacity {
  return path ? loadCapacityFile(path) : parseCapacity(DEFAULT_MODEL, 'the embedded default model');
}
