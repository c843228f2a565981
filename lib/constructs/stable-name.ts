import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * `<stack name><sep><path inside the stack>`, e.g. 'order-management/Network/Resource/DataSubnet1'.
 *
 * CDK's generated physical names and tags include the stack's construct id (Phase1Stack, Phase2Stack...), so a name
 * derived from them changes when the same deployed stack moves to the next phase, and a name change replaces the
 * resource. This one is the same in every phase and unique per account and region (stack names are).
 */
export function stableName(construct: IConstruct, separator = '/'): string {
  const stack = Stack.of(construct);
  const inStack = construct.node.scopes.slice(construct.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  return [stack.stackName, ...inStack].join(separator);
}
