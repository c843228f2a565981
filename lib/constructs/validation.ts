/** Prop checks shared by the constructs: errors name the prop, its value and the allowed range. */

/** Throws unless `value` is an integer from `min` to `max`, e.g. "'readers' (16) must be an integer from 0 to 15". */
export function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER, why?: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new Error(`'${name}' (${value}) must be an integer ${range}${why ? `: ${why}` : ''}`);
  }
}

/** Throws unless `value` is a finite number from `min` to `max`. */
export function requireNumber(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`'${name}' (${value}) must be from ${min} to ${max}`);
  }
}
