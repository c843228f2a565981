import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ruleIds, stack } from './support';

describe('SQS1', () => {
  test('a queue without a dead-letter queue is reported', () => {
    const s = stack();
    new sqs.Queue(s, 'Orders', { visibilityTimeout: Duration.seconds(60) });
    expect(ruleIds(s)).toEqual(['SQS1']);
  });

  test('a queue with a DLQ passes, and so does the DLQ itself', () => {
    const s = stack();
    const dlq = new sqs.Queue(s, 'OrdersDlq');
    new sqs.Queue(s, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    expect(ruleIds(s)).toEqual([]);
  });
});

describe('LMB1', () => {
  /** A stack with a small Aurora cluster (and a reader, so only the Lambda rules speak) and a function beside it. */
  function withDatabase(connect: 'environment' | 'security-group' | 'none', reserved?: number) {
    const s = stack();
    const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const instanceType = ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);
    const cluster = new rds.DatabaseCluster(s, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType, enablePerformanceInsights: true }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType, enablePerformanceInsights: true })],
    });
    const fn = new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      reservedConcurrentExecutions: reserved,
      environment: connect === 'environment' ? { DB_HOST: cluster.clusterEndpoint.hostname } : undefined,
    });
    if (connect === 'security-group') cluster.connections.allowDefaultPortFrom(fn);
    return s;
  }
  // RDS2 (no proxy) speaks too whenever the function reaches the database: the two findings go together.
  test.each([['environment'], ['security-group']] as const)('a function reaching the database by %s without reserved concurrency', (connect) => {
    expect(ruleIds(withDatabase(connect))).toEqual(['LMB1', 'RDS2']);
  });

  test('with reserved concurrency it passes; a function that does not reach the database is not concerned', () => {
    expect(ruleIds(withDatabase('security-group', 50))).toEqual(['RDS2']);
    expect(ruleIds(withDatabase('none'))).toEqual([]);
  });
});

describe('DDB1', () => {
  test('a provisioned table without auto scaling, or with reads scaled only, is reported', () => {
    const s = stack();
    new dynamodb.Table(s, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PROVISIONED });
    expect(ruleIds(s)).toEqual(['DDB1']);
    const readsOnly = stack();
    const table = new dynamodb.Table(readsOnly, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PROVISIONED });
    table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    expect(ruleIds(readsOnly)).toEqual(['DDB1']);
  });

  test('reads and writes auto scaled, or on-demand billing, pass', () => {
    const s = stack();
    const table = new dynamodb.Table(s, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, billingMode: dynamodb.BillingMode.PROVISIONED });
    table.autoScaleReadCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    table.autoScaleWriteCapacity({ minCapacity: 5, maxCapacity: 100 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
    expect(ruleIds(s)).toEqual([]);
    const onDemand = stack();
    new dynamodb.CfnTable(onDemand, 'Table', {
      keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    });
    expect(ruleIds(onDemand)).toEqual([]);
  });
});

describe('LOG1', () => {
  test('a log group kept forever is reported; one with a retention passes', () => {
    const s = stack();
    new logs.LogGroup(s, 'Forever', { retention: logs.RetentionDays.INFINITE });
    expect(ruleIds(s)).toEqual(['LOG1']);
    const ok = stack();
    new logs.CfnLogGroup(ok, 'Month', { retentionInDays: 30 });
    expect(ruleIds(ok)).toEqual([]);
  });
});
