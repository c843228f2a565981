import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { findings, ruleIds, stack } from './support';

interface DbOptions {
  readonly readers?: number;
  readonly instanceType?: ec2.InstanceType;
  readonly proxy?: boolean;
  readonly performanceInsights?: boolean;
  /** A Lambda function that the cluster's security group admits: a client whose count follows the load. */
  readonly clients?: boolean;
}

const R7G = ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);

/** An Aurora PostgreSQL cluster, by default with one reader, RDS Proxy and Performance Insights. */
function aurora(options: DbOptions = {}): Stack {
  const s = stack();
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const instanceType = options.instanceType ?? R7G;
  const performanceInsights = options.performanceInsights ?? true;
  const cluster = new rds.DatabaseCluster(s, 'Db', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType, enablePerformanceInsights: performanceInsights }),
    readers: Array.from({ length: options.readers ?? 1 }, (_, i) =>
      rds.ClusterInstance.provisioned(`Reader${i + 1}`, { instanceType, enablePerformanceInsights: performanceInsights })),
  });
  if (options.proxy ?? true) cluster.addProxy('Proxy', { secrets: [cluster.secret!], vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  if (options.clients ?? true) {
    const fn = new lambda.Function(s, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1'),
      reservedConcurrentExecutions: 20,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    cluster.connections.allowDefaultPortFrom(fn);
  }
  return s;
}

/** The RDS rules' findings only (the Lambda's own log group is not what these tests are about). */
const rdsIds = (s: Stack) => ruleIds(s).filter((id) => id.startsWith('RDS'));

describe('RDS/Aurora rules', () => {
  test('writer + reader on r7g, RDS Proxy, Performance Insights: no finding', () => {
    expect(ruleIds(aurora())).toEqual([]);
  });

  test('RDS1: a writer alone is reported', () => {
    expect(rdsIds(aurora({ readers: 0 }))).toEqual(['RDS1']);
  });

  test('RDS2: no proxy while a Lambda function connects to the cluster (admitted by its security group)', () => {
    expect(rdsIds(aurora({ proxy: false }))).toEqual(['RDS2']);
  });

  test('RDS2 does not apply when no ECS service or Lambda function of the stack connects to the database', () => {
    expect(rdsIds(aurora({ proxy: false, clients: false }))).toEqual([]);
  });

  test('RDS3: burstable db.t4g instances are reported on every instance', () => {
    const s = aurora({ instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM) });
    expect(ruleIds(s)).toEqual(['RDS3']);
    expect(ruleIdsAt(s, 'RDS3')).toEqual(['Db/Reader1/Resource', 'Db/Writer/Resource']);
  });

  test('RDS4: instances without Performance Insights', () => {
    expect(rdsIds(aurora({ performanceInsights: false }))).toEqual(['RDS4']);
  });

  test('L1-built: a standalone db.t3 PostgreSQL instance without Performance Insights', () => {
    const s = stack();
    new rds.CfnDBInstance(s, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t3.large', allocatedStorage: '100' });
    expect(ruleIds(s)).toEqual(['RDS3', 'RDS4']);
    const ok = stack();
    new rds.CfnDBInstance(ok, 'Db', { engine: 'postgres', dbInstanceClass: 'db.m7g.large', allocatedStorage: '100', enablePerformanceInsights: true });
    expect(ruleIds(ok)).toEqual([]);
  });

  test('L1-built: Performance Insights on the cluster covers its instances; readers found by literal cluster name', () => {
    const s = stack();
    new rds.CfnDBCluster(s, 'Cluster', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', performanceInsightsEnabled: true });
    new rds.CfnDBInstance(s, 'Writer', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbInstanceClass: 'db.r7g.large' });
    expect(ruleIds(s)).toEqual(['RDS1']);
    new rds.CfnDBInstance(s, 'Reader', { engine: 'aurora-postgresql', dbClusterIdentifier: 'orders', dbInstanceClass: 'db.r7g.large' });
    expect(ruleIds(s)).toEqual([]);
  });
});

/** Paths (inside the stack) reported for one rule. */
function ruleIdsAt(s: Stack, id: string): string[] {
  return findings(s).filter((f) => f.split(' ')[1] === `Scalability-${id}`).map((f) => f.split(' at ')[1]);
}
