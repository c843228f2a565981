import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The cdk-nag finding id of a wildcard resource in an IAM policy, e.g.
 * `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:eu-central-1:123456789012:task/<ApiCluster1234>/*]`.
 *
 * An acknowledgement names one finding, so a wildcard added later to the same policy is still reported. cdk-nag
 * flattens the resolved resource (Ref -> `<Id>`, Fn::GetAtt -> `<Id.Attr>`, Fn::Join -> the joined parts); this
 * mirrors it, and the construct tests fail if the two ever differ (the finding would show up unacknowledged).
 */
export function iamWildcardFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** A resolved CloudFormation value as one string, the way cdk-nag names it: `{ Ref: 'X' }` -> `<X>`. */
export function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const value = node as Record<string, any>;
  if (value['Fn::Join']) {
    const [delimiter, parts] = value['Fn::Join'] as [string, unknown[]];
    return parts.map(flatten).join(delimiter);
  }
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) {
    const [resource, attribute] = value['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(node);
}
