/** Prop checks shared by the constructs: errors name the construct path, the prop, its value and the allowed range. */
import { Duration } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * An error about `scope`'s props, prefixed with its construct path (as aws-cdk's own errors locate the construct):
 * "Stack/Db: 'readers' (16) must be an integer from 0 to 15".
 */
export function propError(scope: IConstruct, message: string): Error {
  return new Error(`${scope.node.path}: ${message}`);
}

/** Throws unless `value` is an integer from `min` to `max`, e.g. "Stack/Db: 'readers' (16) must be an integer from 0 to 15". */
export function requireInteger(scope: IConstruct, name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER, why?: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw propError(scope, `'${name}' (${value}) must be an integer ${range}${why ? `: ${why}` : ''}`);
  }
}

/** Throws unless `value` is a finite number from `min` to `max`. */
export function requireNumber(scope: IConstruct, name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw propError(scope, `'${name}' (${value}) must be from ${min} to ${max}`);
  }
}

/** The units a Duration prop is checked in: the unit of the CloudFormation property it becomes. */
export type DurationUnit = 'seconds' | 'days';

/**
 * Throws unless `duration` is a whole number of `unit` from `min` to `max` (the CloudFormation property's unit and
 * range), naming the prop, e.g. "Stack/Api: 'deregistrationDelay' (Duration.seconds(4000)) must be a whole number of seconds from 0 to 3600".
 * Returns the value in that unit. A token (a CloudFormation parameter) passes unchecked.
 */
export function requireWholeDuration(scope: IConstruct, name: string, duration: Duration, unit: DurationUnit, min: number, max: number, why?: string): number {
  if (!(duration instanceof Duration)) {
    throw propError(scope, `'${name}' (${String(duration)}) must be a Duration, e.g. Duration.${unit}(${min})`);
  }
  if (duration.isUnresolved()) return unit === 'days' ? duration.toDays() : duration.toSeconds();
  const value = unit === 'days' ? duration.toDays({ integral: false }) : duration.toSeconds({ integral: false });
  if (!Number.isInteger(value) || value < min || value > max) {
    throw propError(scope, `'${name}' (${duration.toString()}) must be a whole number of ${unit} from ${min} to ${max}${why ? `: ${why}` : ''}`);
  }
  return value;
}
