import { Stack, Validations } from 'aws-cdk-lib';

/** AZ names for a region: the model's count, lettered a, b, c (present in every priced region). */
export function pinnedAzs(region: string, count: number): string[] {
  return ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, count).map((letter) => `${region}${letter}`);
}

/**
 * Pins a stack's AZs so CDK never looks them up (synthesis is offline), and acknowledges the validator's
 * hard-coded-AZ warning for that reason.
 */
export function pinAvailabilityZones(stack: Stack, count: number): void {
  const azs = pinnedAzs(stack.region, count);
  Object.defineProperty(stack, 'availabilityZones', { get: () => azs });
  Validations.of(stack).acknowledge({
    id: 'CloudFormation-Validate::W3010',
    reason: 'AZs come from the capacity model, so synthesis needs no AZ lookup and templates are reproducible offline',
  });
}
