import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import { SUBNET_GROUPS } from './network';
import { propError } from './validation';

/**
 * The first selection that picks at least one subnet of `vpc`, so a construct works both in a {@link Network}
 * (named subnet groups) and in a VPC laid out by someone else (subnet types).
 */
export function firstSubnetsOf(vpc: ec2.IVpc, candidates: readonly ec2.SubnetSelection[]): ec2.SubnetSelection | undefined {
  for (const selection of candidates) {
    try {
      if (vpc.selectSubnets(selection).subnets.length > 0) return selection;
    } catch {
      // selectSubnets throws when the VPC has no such group or type: try the next candidate.
    }
  }
  return undefined;
}

/**
 * The data tier of `vpc`: the 'Data' subnet group when present, else isolated subnets, else private subnets with
 * egress; never public subnets.
 */
export function dataSubnets(scope: IConstruct, vpc: ec2.IVpc, what: string): ec2.SubnetSelection {
  const selection = firstSubnetsOf(vpc, [
    { subnetGroupName: SUBNET_GROUPS.data },
    { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
  ]);
  if (!selection) {
    throw propError(scope, `'vpc' has no '${SUBNET_GROUPS.data}' subnet group, no isolated and no private subnets: ${what} must not be placed in public subnets (or give 'vpcSubnets')`);
  }
  return selection;
}
