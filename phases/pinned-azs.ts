import type { Stack } from 'aws-cdk-lib';
import { pinAvailabilityZones as pinStackAvailabilityZones } from '../lib/constructs/availability-zones';

/** AZ names for a region: the model's count, lettered a, b, c (present in every priced region). */
export function pinnedAzs(region: string, count: number): string[] {
  return ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, count).map((letter) => `${region}${letter}`);
}

/**
 * Pins a phase stack's AZs (the model's count) so CDK never looks them up (synthesis is offline), with the library's
 * helper other CDK apps use too.
 */
export function pinAvailabilityZones(stack: Stack, count: number): void {
  pinStackAvailabilityZones(stack, pinnedAzs(stack.region, count),
    'AZs come from the capacity model, so synthesis needs no AZ lookup and templates are reproducible offline');
}
