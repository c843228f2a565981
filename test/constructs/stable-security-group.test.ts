import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { StableSecurityGroup } from '../../lib/constructs/stable-security-group';
import { cdkJsonContext } from '../support/test-stack';

/** Two groups in a stack with construct id `stackId`, one allowing the other; returns the template's rule ids. */
function ruleIds(stackId: string, Group: typeof ec2.SecurityGroup): string[] {
  const app = new App({ context: cdkJsonContext() });
  const stack = new Stack(app, stackId, { stackName: 'same-cloudformation-stack', env: { account: '123456789012', region: 'eu-central-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const db = new Group(stack, 'Db', { vpc, description: 'db', allowAllOutbound: false });
  const app1 = new Group(stack, 'App', { vpc, description: 'app', allowAllOutbound: false });
  db.connections.allowFrom(app1, ec2.Port.tcp(5432));
  const template = Template.fromStack(stack);
  return [
    ...Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress')),
    ...Object.keys(template.findResources('AWS::EC2::SecurityGroupEgress')),
  ].sort();
}

describe('StableSecurityGroup', () => {
  test('rules between groups keep their logical ids when the stack construct id changes', () => {
    expect(ruleIds('Phase1Stack', StableSecurityGroup)).toEqual(ruleIds('Phase2Stack', StableSecurityGroup));
    expect(ruleIds('Phase1Stack', StableSecurityGroup)).toHaveLength(2);
  });

  test('(why it exists) with plain security groups the same rules get new ids in another stack', () => {
    expect(ruleIds('Phase1Stack', ec2.SecurityGroup)).not.toEqual(ruleIds('Phase2Stack', ec2.SecurityGroup));
  });
});
