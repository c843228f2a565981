import { CfnElement, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * A security group whose rules keep their identity when the stack's construct id changes.
 *
 * Phase1Stack, Phase2Stack and Phase3Stack deploy as one CloudFormation stack. CDK names each rule between two
 * groups after the peer group's path from the app root (its `uniqueId`), which includes the stack's construct id:
 * a rule from Phase1Stack would get a new logical id in Phase2Stack, CloudFormation would create it before
 * deleting the old one, and EC2 would reject the duplicate, failing the promotion. This group's `uniqueId` is
 * its logical id inside the stack, the same in every phase. (Give it an explicit description too: the default
 * is the construct path, and a changed description replaces the group.)
 */
export class StableSecurityGroup extends ec2.SecurityGroup {
  public get uniqueId(): string {
    const resource = this.node.defaultChild as CfnElement | undefined;
    return resource ? Stack.of(this).getLogicalId(resource) : super.uniqueId;
  }
}
