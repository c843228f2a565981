import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { references, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

const QUEUE = 'AWS::SQS::Queue';

export const SQS_RULES: readonly ScalabilityRule[] = [
  {
    id: 'SQS1',
    level: NagMessageLevel.WARN,
    info: 'The SQS queue has no dead-letter queue (RedrivePolicy), and is not itself one.',
    explanation: 'A message that always fails (a poison message) is retried until it expires, holding consumer capacity the whole time; under load these pile up, the queue backlog grows and queue-depth scaling adds consumers that only retry it.',
    fix: 'Give the queue a deadLetterQueue: { queue: dlq, maxReceiveCount: 3-5 }, and alarm on the DLQ\'s depth.',
    check: (node) => {
      if (node.cfnResourceType !== QUEUE) return NagRuleCompliance.NOT_APPLICABLE;
      const queue = node as sqs.CfnQueue;
      if (queue.redrivePolicy !== undefined || queue.redriveAllowPolicy !== undefined) return NagRuleCompliance.COMPLIANT;
      const isDeadLetterQueue = resourcesOfType(node, QUEUE).some((other) =>
        other !== node && references(other, (other as sqs.CfnQueue).redrivePolicy, node));
      return isDeadLetterQueue ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
