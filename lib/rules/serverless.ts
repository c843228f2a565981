import type { CfnResource } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { SCALABLE_TARGET } from './autoscaling';
import { DB_CLUSTER, DB_INSTANCE, DB_PROXY } from './rds';
import { logicalIdOf, referencedIds, referencedResources, references, resolve, resolveNumber, resourcesOfType } from './resolve';
import type { ScalabilityRule } from './rule';

const QUEUE = 'AWS::SQS::Queue';
const DATABASES = [DB_CLUSTER, DB_INSTANCE, DB_PROXY];

/** Logical ids of the security groups of every relational database and proxy in the stack of `node`. */
function databaseSecurityGroupIds(node: CfnResource): Set<string> {
  const ids = new Set<string>();
  for (const db of resourcesOfType(node, DB_CLUSTER).concat(resourcesOfType(node, DB_INSTANCE))) {
    referencedIds(resolve(db, (db as rds.CfnDBCluster).vpcSecurityGroupIds), ids);
  }
  for (const proxy of resourcesOfType(node, DB_PROXY)) referencedIds(resolve(proxy, (proxy as rds.CfnDBProxy).vpcSecurityGroupIds), ids);
  return ids;
}

/**
 * Whether a function reaches a relational database of its stack: its environment names a cluster, instance or proxy
 * (an endpoint), or a security group of the database admits one of the function's security groups.
 */
function reachesDatabase(fn: lambda.CfnFunction): boolean {
  if (referencedResources(fn, fn.environment).some((r) => DATABASES.includes(r.cfnResourceType))) return true;
  const own = referencedIds(resolve(fn, fn.vpcConfig)?.securityGroupIds ?? []);
  if (own.size === 0) return false;
  const dbGroups = databaseSecurityGroupIds(fn);
  const admits = (source: unknown) => [...referencedIds(resolve(fn, source))].some((id) => own.has(id));
  for (const ingress of resourcesOfType(fn, 'AWS::EC2::SecurityGroupIngress')) {
    const rule = ingress as ec2.CfnSecurityGroupIngress;
    const target = [...referencedIds(resolve(ingress, rule.groupId))];
    if (target.some((id) => dbGroups.has(id)) && admits(rule.sourceSecurityGroupId)) return true;
  }
  for (const group of resourcesOfType(fn, 'AWS::EC2::SecurityGroup')) {
    if (!dbGroups.has(logicalIdOf(group))) continue;
    const inline = resolve(group, (group as ec2.CfnSecurityGroup).securityGroupIngress) ?? [];
    if (Array.isArray(inline) && inline.some((i: any) => admits(i?.sourceSecurityGroupId))) return true;
  }
  return false;
}

export const SERVERLESS_RULES: readonly ScalabilityRule[] = [
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
  {
    id: 'LMB1',
    level: NagMessageLevel.WARN,
    info: 'The Lambda function reaches a relational database but has no reserved concurrency.',
    explanation: 'Lambda scales to the account\'s concurrency limit (1,000 by default) in seconds, one database connection per instance: a traffic spike becomes a connection storm that exhausts max_connections and takes the database down for every other client.',
    fix: 'Set reservedConcurrentExecutions to what the database\'s connection budget allows (and connect through RDS Proxy).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
      const fn = node as lambda.CfnFunction;
      if (!reachesDatabase(fn)) return NagRuleCompliance.NOT_APPLICABLE;
      const reserved = resolveNumber(node, fn.reservedConcurrentExecutions);
      return reserved !== undefined && reserved > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
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
  {
    id: 'LOG1',
    level: NagMessageLevel.WARN,
    info: 'The log group has no retention (logs are kept forever).',
    explanation: 'Log volume grows with traffic; without retention the stored bytes, and their bill, grow with every month of it and never shrink.',
    fix: 'Set retention (logs.RetentionDays.ONE_MONTH for application logs, longer only where an audit needs it).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
      return (node as logs.CfnLogGroup).retentionInDays === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
];
