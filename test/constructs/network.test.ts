import { Match, Template } from 'aws-cdk-lib/assertions';
import { Network } from '../../lib/constructs/network';
import { testStack } from '../support/test-stack';

describe('Network', () => {
  test('defaults: three AZs, one NAT per AZ, three subnet tiers, flow logs kept', () => {
    const stack = testStack();
    new Network(stack, 'Network');
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
  });

  test('props: two AZs, one NAT, custom CIDR', () => {
    const stack = testStack();
    new Network(stack, 'Network', { maxAzs: 2, natGateways: 1, cidr: '10.20.0.0/16' });
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    template.hasResourceProperties('AWS::EC2::Subnet', Match.objectLike({ MapPublicIpOnLaunch: false }));
  });

  test.each([
    [{ maxAzs: 1 }, /'maxAzs' \(1\) must be an integer from 2 to 6/],
    [{ maxAzs: 3, natGateways: 4 }, /'natGateways' \(4\) must be an integer from 1 to 'maxAzs' \(3\)/],
    [{ natGateways: 0 }, /'natGateways' \(0\)/],
  ])('rejects %j', (props, message) => {
    expect(() => new Network(testStack(), 'Network', props)).toThrow(message);
  });
});
