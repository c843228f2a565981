import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { SCALABLE_TARGET } from './autoscaling';
import { references, resolve, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

export const DYNAMODB_RULES: readonly ScalabilityRule[] = [
  {
    id: 'DDB1',
    level: NagMessageLevel.ERROR,
    info: 'The DynamoDB table uses provisioned capacity without auto scaling of both reads and writes.',
    explanation: 'Provisioned capacity is a hard ceiling: traffic above it is throttled (ProvisionedThroughputExceededException) until someone raises it by hand, while capacity bought for the peak is paid for all day.',
    fix: 'Use billingMode PAY_PER_REQUEST, or autoScaleReadCapacity/autoScaleWriteCapacity with scaleOnUtilization({ targetUtilizationPercent: 70 }).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::DynamoDB::Table') return NagRuleCompliance.NOT_APPLICABLE;
      const table = node as dynamodb.CfnTable;
      // CloudFormation's default billing mode is PROVISIONED.
      if ((resolve(node, table.billingMode) ?? 'PROVISIONED') !== 'PROVISIONED') return NagRuleCompliance.NOT_APPLICABLE;
      const dimensions = new Set(resourcesOfType(node, SCALABLE_TARGET)
        .filter((t) => resolve(t, (t as any).serviceNamespace) === 'dynamodb' && references(t, (t as any).resourceId, node))
        .map((t) => resolve(t, (t as any).scalableDimension)));
      const scaled = dimensions.has('dynamodb:table:ReadCapacityUnits') && dimensions.has('dynamodb:table:WriteCapacityUnits');
      return scaled ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
