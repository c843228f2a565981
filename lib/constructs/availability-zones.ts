import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { propError } from './validation';

/**
 * Gives an environment-specific stack its Availability Zones, so synthesis never looks them up.
 *
 * A stack with `env: { account, region }` reads its AZs from the context key
 * `availability-zones:account=<account>:region=<region>`; when that is missing, `cdk synth` asks EC2 for them and,
 * without AWS credentials, fails with "Need to perform AWS calls for account ..., but no credentials". A VPC (such as
 * {@link Network}'s) reads them when it is created, so call this first, right after creating the stack:
 *
 * ```ts
 * const stack = new Stack(app, 'Data', { env: { account: '123456789012', region: 'eu-central-1' } });
 * pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
 * ```
 *
 * (The alternative is the context key above in cdk.json.) An environment-agnostic stack needs no pinning: CDK uses
 * `Fn::GetAZs` there, which gives two AZs.
 *
 * @param stack an environment-specific stack that holds no VPC yet
 * @param availabilityZones at least two distinct AZ names of the stack's region, e.g. 'eu-central-1a'
 * @param reason why the AZs are fixed, recorded with the acknowledgement of CDK's hard-coded-AZ template check (W3010)
 */
export function pinAvailabilityZones(
  stack: Stack,
  availabilityZones: readonly string[],
  reason = 'AZs are given explicitly, so synthesis needs no AZ lookup and templates are reproducible offline',
): void {
  const region = stack.region;
  if (Token.isUnresolved(region)) {
    throw propError(stack, `pinAvailabilityZones needs a stack with an explicit region (env: { account, region }); an environment-agnostic stack uses Fn::GetAZs and needs no pinning`);
  }
  const shown = JSON.stringify(availabilityZones);
  if (availabilityZones.length < 2 || new Set(availabilityZones).size !== availabilityZones.length) {
    throw propError(stack, `'availabilityZones' (${shown}) must hold at least 2 distinct AZ names: Aurora and Redis failover need two AZs`);
  }
  const foreign = availabilityZones.filter((az) => !new RegExp(`^${region}[a-z]$`).test(az));
  if (foreign.length > 0) {
    throw propError(stack, `'availabilityZones' (${shown}) must be AZ names of the stack's region ${region}, such as '${region}a' (not ${JSON.stringify(foreign)})`);
  }
  const vpcs = stack.node.findAll().filter((c) => c instanceof ec2.Vpc);
  if (vpcs.length > 0) {
    throw propError(stack, `pinAvailabilityZones must run before any VPC is created in the stack (${vpcs[0].node.path} already read the AZs)`);
  }
  const azs = [...availabilityZones];
  // Stack.availabilityZones is a getter (the context lookup): an own property on this instance takes precedence.
  Object.defineProperty(stack, 'availabilityZones', { get: () => azs, configurable: true });
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::W3010', reason });
}
