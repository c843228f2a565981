import { CfnElement, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';

/** The logical id of a construct's primary resource (or of a CfnElement itself). */
export function logicalId(construct: { node: { defaultChild?: unknown } } | CfnElement): string {
  const element = (construct instanceof CfnElement ? construct : construct.node.defaultChild) as CfnElement;
  return Stack.of(element).getLogicalId(element);
}

/** Every ingress rule (inline or standalone) that targets the security group with logical id `sgId`. */
export function ingressRulesOf(template: Template, sgId: string): Record<string, unknown>[] {
  const inline = (template.findResources('AWS::EC2::SecurityGroup')[sgId]?.Properties?.SecurityGroupIngress ?? []) as Record<string, unknown>[];
  const standalone = Object.values(
    template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } },
    }),
  ).map((r) => r.Properties as Record<string, unknown>);
  return [...inline, ...standalone];
}
