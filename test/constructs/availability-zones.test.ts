import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { pinAvailabilityZones } from '../../lib/constructs/availability-zones';
import { Network } from '../../lib/constructs/network';
import { cdkJsonContext } from '../support/test-stack';

const ENV = { account: '123456789012', region: 'eu-central-1' };

/** What `cdk synth` would have to look up: the cloud assembly's missing context keys. */
function missingContext(app: App): string[] {
  return (app.synth().manifest.missing ?? []).map((m) => m.key);
}

describe('pinAvailabilityZones: an environment-specific stack synthesizes with no AZ lookup', () => {
  test('GIVEN no pinning THEN the assembly asks the CLI to look the AZs up (what fails offline without credentials)', () => {
    const app = new App({ context: cdkJsonContext() });
    const stack = new Stack(app, 'Data', { env: ENV });
    new Network(stack, 'Network');
    expect(missingContext(app)).toEqual([`availability-zones:account=${ENV.account}:region=${ENV.region}`]);
  });

  test('GIVEN pinned AZs THEN nothing is missing and the subnets use exactly those AZs', () => {
    const app = new App({ context: cdkJsonContext() });
    const stack = new Stack(app, 'Data', { env: ENV });
    pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1c']);
    new Network(stack, 'Network');
    expect(missingContext(app)).toEqual([]);
    const azs = Object.values(Template.fromStack(stack).findResources('AWS::EC2::Subnet')).map((r) => r.Properties.AvailabilityZone);
    expect(new Set(azs)).toEqual(new Set(['eu-central-1a', 'eu-central-1c']));
    expect(azs).toHaveLength(6); // 3 subnet groups x 2 AZs
  });

  test.each<[string, (stack: Stack) => void, RegExp]>([
    ['one AZ', (stack) => pinAvailabilityZones(stack, ['eu-central-1a']), /^Data: 'availabilityZones' \(\["eu-central-1a"\]\) must hold at least 2 distinct AZ names/],
    ['the same AZ twice', (stack) => pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1a']), /at least 2 distinct AZ names/],
    ['another region\'s AZ', (stack) => pinAvailabilityZones(stack, ['eu-central-1a', 'us-east-1b']),
      /^Data: 'availabilityZones' \(.*\) must be AZ names of the stack's region eu-central-1, such as 'eu-central-1a' \(not \["us-east-1b"\]\)/],
    ['after a VPC was created', (stack) => {
      new ec2.Vpc(stack, 'Early');
      pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1b']);
    }, /^Data: pinAvailabilityZones must run before any VPC is created in the stack \(Data\/Early already read the AZs\)/],
  ])('refuses %s, naming the stack and the fix', (_name, act, message) => {
    const stack = new Stack(new App(), 'Data', { env: ENV });
    expect(() => act(stack)).toThrow(message);
  });

  test('an environment-agnostic stack: a clear error (no pinning is needed there)', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(() => pinAvailabilityZones(stack, ['eu-central-1a', 'eu-central-1b'])).toThrow(/^Agnostic: pinAvailabilityZones needs a stack with an explicit region/);
  });

  test('a Network in an environment-agnostic stack warns that it spans 2 AZs, not 3; with maxAzs 2 it does not', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new Network(stack, 'Network');
    Annotations.fromStack(stack).hasWarning('/Agnostic/Network', Match.stringLikeRegexp("^'maxAzs' \\(3\\): an environment-agnostic stack spans only 2 AZs"));
    const two = new Stack(new App(), 'Agnostic2');
    new Network(two, 'Network', { maxAzs: 2, natGateways: 2 });
    Annotations.fromStack(two).hasNoWarning('*', Match.anyValue());
  });
});
