import { App, Stack, StackProps, Validations } from 'aws-cdk-lib';
import { cdkJsonContext as fromCdkJson } from '../../scripts/cdk-json';

/**
 * Tests build their App with cdk.json's context, so templates match the CLI's. One addition: no creation stack trace
 * on every CloudFormation element (metadata a test never reads, and capturing it costs ~10 % of synthesis under jest,
 * whose source maps make each captured stack expensive). Templates are the same with or without.
 */
export function cdkJsonContext(): Record<string, unknown> {
  return { ...fromCdkJson(), 'aws:cdk:disable-creation-stack-traces': true };
}

/** A new App with cdk.json's feature flags, plus any extra context. */
export function testApp(extraContext: Record<string, unknown> = {}): App {
  return new App({ context: { ...cdkJsonContext(), ...extraContext } });
}

/** A stack pinned to one account and region (with fixed AZs, so no lookup happens) for stable templates. */
export function testStack(id = 'TestStack', props: StackProps = {}, app: App = testApp()): Stack {
  const region = props.env?.region ?? 'eu-central-1';
  const stack = new Stack(app, id, { env: { account: '123456789012', region }, ...props });
  Object.defineProperty(stack, 'availabilityZones', { get: () => ['a', 'b', 'c'].map((az) => `${region}${az}`) });
  // AZ names are pinned on purpose (no lookup offline); CDK's built-in validator would warn on each subnet.
  Validations.of(stack).acknowledge({ id: 'CloudFormation-Validate::W3010', reason: 'AZs pinned for offline, reproducible synthesis' });
  return stack;
}
