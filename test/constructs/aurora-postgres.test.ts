import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraPostgres, AuroraPostgresProps } from '../../lib/constructs/aurora-postgres';
import { Network } from '../../lib/constructs/network';
import { resolveMetric } from '../support/metric-helpers';
import { ingressRulesOf, logicalId } from '../support/template-helpers';
import { testStack } from '../support/test-stack';

/** Synthesizes one AuroraPostgres in a fresh stack. */
function synth(props: Partial<AuroraPostgresProps> = {}): { stack: Stack; db: AuroraPostgres; template: Template } {
  const stack = testStack();
  const db = new AuroraPostgres(stack, 'Db', { vpc: props.vpc ?? new Network(stack, 'Network').vpc, ...props });
  return { stack, db, template: Template.fromStack(stack) };
}



describe('AuroraPostgres', () => {
  describe('defaults', () => {
    // GIVEN no props WHEN synthesized
    let stack: Stack;
    let db: AuroraPostgres;
    let template: Template;
    beforeAll(() => {
      ({ stack, db, template } = synth());
    });

    test('Aurora PostgreSQL 16.13 with one writer and one reader of class r7g.large', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ Engine: 'aurora-postgresql', EngineVersion: '16.13', DatabaseName: 'app', Port: 5432 }));
      template.resourceCountIs('AWS::RDS::DBCluster', 1);
      template.resourceCountIs('AWS::RDS::DBInstance', 2);
      template.allResourcesProperties('AWS::RDS::DBInstance', Match.objectLike({ DBInstanceClass: 'db.r7g.large', PubliclyAccessible: false }));
    });

    test('writer is promotion tier 0, Reader1 tier 1 (preferred failover target)', () => {
      const instances = template.findResources('AWS::RDS::DBInstance');
      const writer = instances[logicalId(db.cluster.node.findChild('Writer'))];
      const reader1 = instances[logicalId(db.cluster.node.findChild('Reader1'))];
      expect(writer.Properties.PromotionTier).toBe(0);
      expect(reader1.Properties.PromotionTier).toBe(1);
    });

    test('encrypted with a customer-managed key that rotates and is retained', () => {
      const keyId = logicalId(db.encryptionKey as kms.Key);
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        PerformanceInsightsEnabled: true,
        PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      }));
      template.hasResourceProperties('AWS::SecretsManager::Secret', Match.objectLike({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } }));
    });

    test('never lost: backups 14 days, deletion protection, Snapshot on delete and replace', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ BackupRetentionPeriod: 14, DeletionProtection: true, CopyTagsToSnapshot: true }));
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('IAM auth, postgresql log export, TLS forced and slow queries logged at 500 ms', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        MasterUsername: 'dbadmin',
        DBClusterParameterGroupName: { Ref: logicalId(db.parameterGroup) },
      }));
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: { 'rds.force_ssl': '1', log_min_duration_statement: '500' },
      });
    });

    test('enhanced monitoring every 60 s and Performance Insights on every instance', () => {
      template.allResourcesProperties('AWS::RDS::DBInstance', Match.objectLike({
        MonitoringInterval: 60,
        MonitoringRoleArn: Match.anyValue(),
        EnablePerformanceInsights: true,
        PerformanceInsightsRetentionPeriod: 7,
      }));
    });

    test('RDS Proxy requires TLS and end-to-end IAM (no secret), pools at 90/50 % with a 30 s borrow timeout', () => {
      template.resourceCountIs('AWS::RDS::DBProxy', 1);
      template.hasResourceProperties('AWS::RDS::DBProxy', Match.objectLike({
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        DefaultAuthScheme: 'IAM_AUTH',
        Auth: Match.absent(),
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(db.proxySecurityGroup), 'GroupId'] }],
      }));
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', Match.objectLike({
        ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 90, MaxIdleConnectionsPercent: 50, ConnectionBorrowTimeout: 30 },
        DBClusterIdentifiers: [{ Ref: logicalId(db.cluster) }],
      }));
    });

    test('cluster, proxy and subnet group sit in the Data subnets', () => {
      const dataSubnets = db.vpc.selectSubnets({ subnetGroupName: 'Data' }).subnets.map((s) => ({ Ref: logicalId(s) }));
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: dataSubnets });
      template.hasResourceProperties('AWS::RDS::DBProxy', Match.objectLike({ VpcSubnetIds: dataSubnets }));
    });

    test('endpoints resolve to the proxy, the cluster writer and the cluster reader endpoints', () => {
      expect(stack.resolve(db.proxyEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId(db.proxy), 'Endpoint'] });
      expect(stack.resolve(db.writerEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId(db.cluster), 'Endpoint.Address'] });
      expect(stack.resolve(db.readerEndpoint)).toEqual({ 'Fn::GetAtt': [logicalId(db.cluster), 'ReadEndpoint.Address'] });
    });

    test('synthesizes without warning annotations', () => {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('metrics', () => {
    // GIVEN a default cluster WHEN its metric methods are called THEN they name this cluster and this proxy
    let stack: Stack;
    let db: AuroraPostgres;
    let clusterId: unknown;
    beforeAll(() => {
      ({ stack, db } = synth());
      clusterId = { Ref: logicalId(db.cluster) };
    });

    test.each([['writer', 'WRITER'], ['reader', 'READER']] as const)('%s CPU: AWS/RDS CPUUtilization by DBClusterIdentifier + Role=%s, Average, 5 min', (which, role) => {
      const metric = which === 'writer' ? db.metricWriterCpuUtilization() : db.metricReaderCpuUtilization();
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/RDS', metricName: 'CPUUtilization', dimensions: { DBClusterIdentifier: clusterId, Role: role }, statistic: 'Average', periodSec: 300,
      });
    });

    test('a caller\'s dimensionsMap cannot take the role away (it would silently watch another series)', () => {
      const metric = db.metricWriterCpuUtilization({ dimensionsMap: { DBClusterIdentifier: 'other' }, statistic: 'Maximum' });
      expect(resolveMetric(stack, metric)).toMatchObject({ dimensions: { DBClusterIdentifier: clusterId, Role: 'WRITER' }, statistic: 'Maximum' });
    });

    test('database connections: DatabaseConnections by cluster, Average', () => {
      expect(resolveMetric(stack, db.metricDatabaseConnections())).toEqual({
        namespace: 'AWS/RDS', metricName: 'DatabaseConnections', dimensions: { DBClusterIdentifier: clusterId }, statistic: 'Average', periodSec: 300,
      });
    });

    test('replica lag: AuroraReplicaLag of the readers, Maximum', () => {
      expect(resolveMetric(stack, db.metricReplicaLag())).toEqual({
        namespace: 'AWS/RDS', metricName: 'AuroraReplicaLag', dimensions: { DBClusterIdentifier: clusterId, Role: 'READER' }, statistic: 'Maximum', periodSec: 300,
      });
    });

    test.each([['ClientConnections'], ['DatabaseConnections']])('proxy %s: by ProxyName, Sum over 1 minute (one datapoint per proxy node)', (metricName) => {
      const metric = metricName === 'ClientConnections' ? db.metricProxyClientConnections() : db.metricProxyDatabaseConnections();
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/RDS', metricName, dimensions: { ProxyName: { Ref: logicalId(db.proxy) } }, statistic: 'Sum', periodSec: 60,
      });
    });
  });

  describe('all props', () => {
    // GIVEN every prop set
    let key: kms.Key;
    let db: AuroraPostgres;
    let template: Template;
    beforeAll(() => {
      const stack = testStack();
      const vpc = new Network(stack, 'Net', { maxAzs: 2, natGateways: 1 }).vpc;
      key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
      db = new AuroraPostgres(stack, 'Db', {
      vpc,
      engineVersion: rds.AuroraPostgresEngineVersion.VER_16_11,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.XLARGE2),
      readers: 3,
      databaseName: 'orders',
      backupRetention: Duration.days(35),
      deletionProtection: false,
      storageEncryptionKey: key,
      proxyMaxConnectionsPercent: 75,
      proxyMaxIdleConnectionsPercent: 75,
      proxyBorrowTimeout: Duration.seconds(10),
      slowQueryLogMs: 1000,
      monitoringInterval: Duration.seconds(0),
      });
      template = Template.fromStack(stack);
    });

    test('3 readers make 4 instances of the given class, tiers 0, 1, 2, 2', () => {
      template.resourceCountIs('AWS::RDS::DBInstance', 4);
      template.allResourcesProperties('AWS::RDS::DBInstance', Match.objectLike({ DBInstanceClass: 'db.r7g.2xlarge' }));
      const tiers = Object.values(template.findResources('AWS::RDS::DBInstance')).map((r) => r.Properties.PromotionTier);
      expect(tiers.sort()).toEqual([0, 1, 2, 2]);
    });

    test('the numbers reach the template', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({
        EngineVersion: '16.11',
        DatabaseName: 'orders',
        BackupRetentionPeriod: 35,
        DeletionProtection: false,
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
      }));
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', Match.objectLike({
        ConnectionPoolConfigurationInfo: { MaxConnectionsPercent: 75, MaxIdleConnectionsPercent: 75, ConnectionBorrowTimeout: 10 },
      }));
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', Match.objectLike({ Parameters: Match.objectLike({ log_min_duration_statement: '1000' }) }));
    });

    test('the given key is used and no key is created', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
      expect(db.encryptionKey).toBe(key);
    });

    test('monitoringInterval 0 turns enhanced monitoring off', () => {
      template.allResourcesProperties('AWS::RDS::DBInstance', Match.objectLike({ MonitoringInterval: Match.absent() }));
    });

    test('the cluster stays Snapshot on delete even without deletion protection', () => {
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });
  });

  describe('bring your own VPC, subnets and security groups', () => {
    // GIVEN a VPC laid out by someone else (CDK's default groups), chosen subnets and existing security groups
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
    const clusterGroup = new ec2.SecurityGroup(stack, 'ClusterGroup', { vpc, allowAllOutbound: false });
    const proxyGroup = new ec2.SecurityGroup(stack, 'ProxyGroup', { vpc, allowAllOutbound: false });
    const vpcSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['eu-central-1a', 'eu-central-1b'] };
    // WHEN
    const db = new AuroraPostgres(stack, 'Db', { vpc, vpcSubnets, securityGroups: [clusterGroup], proxySecurityGroups: [proxyGroup] });
    const template = Template.fromStack(stack);
    const subnetRefs = vpc.selectSubnets(vpcSubnets).subnetIds.map((id) => stack.resolve(id));
    const groupId = (group: ec2.ISecurityGroup) => ({ 'Fn::GetAtt': [logicalId(group), 'GroupId'] });

    test('cluster and proxy sit in the given subnets (2 of the 3 private ones)', () => {
      expect(subnetRefs).toHaveLength(2);
      template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: subnetRefs });
      template.hasResourceProperties('AWS::RDS::DBProxy', Match.objectLike({ VpcSubnetIds: subnetRefs }));
    });

    test('the given groups are used: no cluster or proxy group of its own; the proxy and rotation reach the cluster through them', () => {
      expect(db.vpc).toBe(vpc);
      expect(db.securityGroup).toBe(clusterGroup);
      expect(db.proxySecurityGroup).toBe(proxyGroup);
      expect(db.connections.securityGroups).toEqual([proxyGroup]);
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ VpcSecurityGroupIds: [groupId(clusterGroup)] }));
      template.hasResourceProperties('AWS::RDS::DBProxy', Match.objectLike({ VpcSecurityGroupIds: [groupId(proxyGroup)] }));
      // Only the given two and the rotation function's group.
      expect(Object.values(template.findResources('AWS::EC2::SecurityGroup')).map((r) => r.Properties.GroupDescription).filter((d) => !/^TestStack\//.test(d)))
        .toEqual([expect.stringMatching(/^Admin password rotation/)]);
      const sources = ingressRulesOf(template, logicalId(clusterGroup)).map((r: any) => r.SourceSecurityGroupId['Fn::GetAtt'][0]).sort();
      expect(sources).toEqual([logicalId(proxyGroup), logicalId(db.rotationSecurityGroup)].sort());
    });
  });

  describe('admin password rotation', () => {
    test('rotates every 30 days by default, hosted PostgreSQL single-user rotation in the application subnets', () => {
      const { stack, db, template } = synth();
      const applicationSubnets = db.vpc.selectSubnets({ subnetGroupName: 'Application' }).subnetIds;
      const rotation = Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'));
      expect(rotation).toHaveLength(1);
      expect(rotation[0].Properties).toMatchObject({
        // The attachment (not the bare secret): the rotation function needs the host it adds.
        SecretId: { Ref: logicalId(db.node.findChild('Secret').node.findChild('Attachment') as never) },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
        HostedRotationLambda: {
          RotationType: 'PostgreSQLSingleUser',
          KmsKeyArn: { 'Fn::GetAtt': [logicalId(db.encryptionKey as kms.Key), 'Arn'] },
          VpcSecurityGroupIds: { 'Fn::GetAtt': [logicalId(db.rotationSecurityGroup), 'GroupId'] },
          VpcSubnetIds: stack.resolve(applicationSubnets.join(',')),
        },
      });
      expect(rotation[0].Properties.HostedRotationLambda.RotationLambdaName).toMatch(/^TestStack-Db-[0-9A-F]{8}-rotation$/);
      expect(template.toJSON().Transform).toBe('AWS::SecretsManager-2024-09-16');
      // No endpoint: the application subnets reach Secrets Manager through NAT.
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    });

    test('the rotation function may only send HTTPS out and PostgreSQL to the cluster', () => {
      const { db, template } = synth();
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Admin password rotation'),
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', Description: 'Secrets Manager API (HTTPS)', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', Match.objectLike({
        GroupId: { 'Fn::GetAtt': [logicalId(db.rotationSecurityGroup), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(db.securityGroup), 'GroupId'] },
      }));
    });

    test('adminPasswordRotationInterval sets the schedule', () => {
      const { template } = synth({ adminPasswordRotationInterval: Duration.days(7) });
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', Match.objectLike({ RotationRules: { ScheduleExpression: 'rate(7 days)' } }));
    });

    test.each([Duration.days(0), Duration.days(366), Duration.hours(36)])('adminPasswordRotationInterval %s is refused', (interval) => {
      expect(() => synth({ adminPasswordRotationInterval: interval })).toThrow(/^TestStack\/Db: 'adminPasswordRotationInterval' \(Duration\.\w+\(\d+\)\) must be a whole number of days from 1 to 365/);
    });

    test('in a VPC with no route out, the function reaches Secrets Manager through an interface endpoint', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const db = new AuroraPostgres(stack, 'Db', { vpc });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', Match.objectLike({
        ServiceName: 'com.amazonaws.eu-central-1.secretsmanager',
        PrivateDnsEnabled: true,
        VpcEndpointType: 'Interface',
      }));
      const endpointSg = db.secretsManagerEndpoint!.connections.securityGroups[0] as ec2.SecurityGroup;
      const rules = ingressRulesOf(template, logicalId(endpointSg));
      expect(rules).toEqual([expect.objectContaining({ FromPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(db.rotationSecurityGroup), 'GroupId'] } })]);
      const dataSubnets = vpc.selectSubnets({ subnetGroupName: 'Data' }).subnetIds;
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', Match.objectLike({
        HostedRotationLambda: Match.objectLike({ VpcSubnetIds: stack.resolve(dataSubnets.join(',')) }),
      }));
    });

    test('rotationSubnets overrides the placement and creates no endpoint', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      new AuroraPostgres(stack, 'Db', { vpc, rotationSubnets: { subnetGroupName: 'Data' } });
      Template.fromStack(stack).resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    });
  });

  describe('subnet placement in a VPC without a Data group', () => {
    test.each([
      ['isolated subnets', ec2.SubnetType.PRIVATE_ISOLATED],
      ['private subnets with egress', ec2.SubnetType.PRIVATE_WITH_EGRESS],
    ])('falls back to %s', (_name, subnetType) => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', {
        maxAzs: 2,
        natGateways: subnetType === ec2.SubnetType.PRIVATE_WITH_EGRESS ? 1 : 0,
        subnetConfiguration: [
          { name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC },
          { name: 'Db', subnetType },
        ],
      });
      new AuroraPostgres(stack, 'Db', { vpc });
      const expected = vpc.selectSubnets({ subnetGroupName: 'Db' }).subnets.map((s) => ({ Ref: logicalId(s) }));
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: expected });
    });

    test('refuses a VPC with public subnets only', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Ingress', subnetType: ec2.SubnetType.PUBLIC }] });
      expect(() => new AuroraPostgres(stack, 'Db', { vpc })).toThrow(/'vpc' has no 'Data' subnet group, no isolated and no private subnets/);
    });
  });

  describe('network access goes through the proxy only', () => {
    test('the cluster admits only the proxy and the password rotation function, on the cluster port', () => {
      const { db, template } = synth();
      const rules = ingressRulesOf(template, logicalId(db.securityGroup));
      expect(rules.map((r) => (r.SourceSecurityGroupId as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).sort())
        .toEqual([logicalId(db.proxySecurityGroup), logicalId(db.rotationSecurityGroup)].sort());
      for (const rule of rules) expect(rule).toMatchObject({ IpProtocol: 'tcp', FromPort: { 'Fn::GetAtt': [logicalId(db.cluster), 'Endpoint.Port'] } });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', Match.objectLike({
        GroupId: { 'Fn::GetAtt': [logicalId(db.proxySecurityGroup), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(db.securityGroup), 'GroupId'] },
      }));
    });

    test('the proxy has no ingress until allowConnectionsFrom, then exactly one on 5432 from the peer', () => {
      // GIVEN a stack with only the database
      const closed = synth();
      expect(ingressRulesOf(closed.template, logicalId(closed.db.proxySecurityGroup))).toHaveLength(0);

      // WHEN an application is allowed in (a second stack: a synthesized tree cannot change)
      const stack = testStack();
      const db = new AuroraPostgres(stack, 'Db', { vpc: new Network(stack, 'Network').vpc });
      const app = new ec2.SecurityGroup(stack, 'App', { vpc: db.cluster.vpc });
      db.allowConnectionsFrom(app);

      // THEN exactly one rule, from that application, on 5432
      const rules = ingressRulesOf(Template.fromStack(stack), logicalId(db.proxySecurityGroup));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(app), 'GroupId'] } });
    });

    test('connections is the proxy security group with default port 5432', () => {
      const { db } = synth();
      expect(db.connections.securityGroups).toEqual([db.proxySecurityGroup]);
      expect(db.connections.defaultPort?.toString()).toBe('5432');
    });
  });

  describe('grantConnect', () => {
    test.each([
      [undefined, 'app_user'],
      ['orders_app', 'orders_app'],
    ])('dbUser %s grants rds-db:connect on the proxy as %s', (dbUser, expectedUser) => {
      const stack = testStack();
      const db = new AuroraPostgres(stack, 'Db', { vpc: new Network(stack, 'Network').vpc });
      const role = new iam.Role(stack, 'Task', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      db.grantConnect(role, dbUser);
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', Match.objectLike({
        Roles: [{ Ref: logicalId(role) }],
        PolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Action: 'rds-db:connect', Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`/${expectedUser}`])] }) })],
        }),
      }));
    });
  });

  describe('application database user (least privilege, not the master)', () => {
    let stack: Stack;
    let db: AuroraPostgres;
    let template: Template;
    beforeAll(() => {
      ({ stack, db, template } = synth());
    });

    test('the master user is dbadmin and the application user app_user: different roles', () => {
      expect(db.masterUsername).toBe('dbadmin');
      expect(db.applicationUsername).toBe('app_user');
    });

    test('the Data API is on and a custom resource runs the role SQL through it as the master secret, on create and update', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ EnableHttpEndpoint: true }));
      const [cr] = Object.values(template.findResources('Custom::AWS'));
      const create = JSON.stringify(stack.resolve(cr.Properties.Create));
      const update = JSON.stringify(stack.resolve(cr.Properties.Update));
      expect(update).toEqual(create);
      for (const fragment of ['RDSData', 'ExecuteStatement', logicalId(db.cluster), 'CREATE ROLE app_user LOGIN NOSUPERUSER', 'GRANT rds_iam TO app_user',
        'GRANT CONNECT ON DATABASE app TO app_user', 'GRANT USAGE ON SCHEMA public TO app_user', 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_user']) {
        expect(create).toContain(fragment);
      }
      // No DDL or ownership for the application.
      expect(create).not.toMatch(/GRANT (ALL|CREATE)|SUPERUSER TO|OWNER TO/);
      expect(cr.DependsOn).toEqual(expect.arrayContaining([logicalId(db.cluster.node.findChild('Writer'))]));
    });

    test("the custom resource may run statements on this cluster and read this secret only", () => {
      const policies = template.findResources('AWS::IAM::Policy', { Properties: { PolicyName: Match.stringLikeRegexp('ApplicationUser') } });
      const statements = Object.values(policies).flatMap((p) => stack.resolve(p.Properties.PolicyDocument.Statement));
      expect(statements.map((s: any) => s.Action)).toEqual(['rds-data:ExecuteStatement', ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], 'kms:Decrypt']);
      for (const s of statements) expect(s.Resource).not.toEqual('*');
    });

    test('the proxy uses end-to-end IAM: no secret auth entry, and its role may log in to the cluster as app_user only', () => {
      template.hasResourceProperties('AWS::RDS::DBProxy', Match.objectLike({ DefaultAuthScheme: 'IAM_AUTH', RequireTLS: true, Auth: Match.absent() }));
      const proxyRole = db.proxy.node.findChild('IAMRole') as iam.Role;
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(proxyRole) }]));
      const statements = stack.resolve(policy!.Properties.PolicyDocument.Statement);
      expect(statements).toHaveLength(1);
      expect(statements[0].Action).toBe('rds-db:connect');
      expect(JSON.stringify(statements[0].Resource)).toContain(`{"Fn::GetAtt":["${logicalId(db.cluster)}","DBClusterResourceId"]},"/app_user"`);
      // The proxy no longer reads the master secret.
      expect(JSON.stringify(statements)).not.toContain('secretsmanager');
    });

    test('the exported PostgreSQL log expires (a month by default; logRetention changes it)', () => {
      template.hasResourceProperties('Custom::LogRetention', Match.objectLike({
        LogGroupName: { 'Fn::Join': ['', ['/aws/rds/cluster/', { Ref: logicalId(db.cluster) }, '/postgresql']] },
        RetentionInDays: 30,
      }));
      const other = synth({ logRetention: 90 as any });
      other.template.hasResourceProperties('Custom::LogRetention', Match.objectLike({ RetentionInDays: 90 }));
    });

    test('masterUsername keeps an existing cluster on its master user (postgres)', () => {
      const { template: legacy, db: legacyDb } = synth({ masterUsername: 'postgres' });
      legacy.hasResourceProperties('AWS::RDS::DBCluster', Match.objectLike({ MasterUsername: 'postgres' }));
      expect(legacyDb.applicationUsername).toBe('app_user');
    });

    test.each<[Partial<AuroraPostgresProps>, RegExp]>([
      [{ masterUsername: 'app_user' }, /'applicationUsername' \(app_user\) must differ from 'masterUsername'/],
      [{ applicationUsername: 'App-User' }, /'applicationUsername' \(App-User\) must be a lowercase PostgreSQL identifier/],
      [{ applicationSchema: 'x;drop' }, /'applicationSchema' \(x;drop\) must be a lowercase PostgreSQL identifier/],
    ])('rejects %j', (props, error) => {
      expect(() => synth(props)).toThrow(error);
    });
  });

  describe('rejects bad input', () => {
    test.each<[Omit<AuroraPostgresProps, 'vpc'>, RegExp]>([
      [{ backupRetention: Duration.days(3) }, /'backupRetention' \(Duration.days\(3\)\) must be a whole number of days from 7 to 35/],
      [{ backupRetention: Duration.days(36) }, /'backupRetention' \(Duration.days\(36\)\) must be a whole number of days from 7 to 35/],
      [{ readers: 16 }, /'readers' \(16\) must be an integer from 0 to 15/],
      [{ readers: 1.5 }, /'readers' \(1.5\)/],
      [{ proxyMaxConnectionsPercent: 0 }, /'proxyMaxConnectionsPercent' \(0\) must be an integer from 1 to 100/],
      [{ proxyMaxConnectionsPercent: 40, proxyMaxIdleConnectionsPercent: 50 }, /'proxyMaxIdleConnectionsPercent' \(50\) must be an integer from 0 to 40/],
      [{ proxyBorrowTimeout: Duration.seconds(0) }, /'proxyBorrowTimeout' \(Duration.seconds\(0\)\) must be a whole number of seconds from 1 to 3600/],
      [{ monitoringInterval: Duration.seconds(20) }, /'monitoringInterval' \(Duration.seconds\(20\)\) must be one of 0, 1, 5, 10, 15, 30, 60 seconds/],
      [{ securityGroups: [] }, /'securityGroups' \(\[\]\) must hold at least one security group/],
      [{ proxySecurityGroups: [] }, /'proxySecurityGroups' \(\[\]\) must hold at least one security group/],
      [{ slowQueryLogMs: -2 }, /'slowQueryLogMs' \(-2\)/],
      [{ databaseName: '1app' }, /'databaseName' \(1app\) must start with a letter/],
    ])('%j, naming the construct path', (props, message) => {
      const stack = testStack();
      const vpc = new Network(stack, 'Network').vpc;
      expect(() => new AuroraPostgres(stack, 'Db', { vpc, ...props })).toThrow(message);
      expect(() => new AuroraPostgres(stack, 'Db2', { vpc, ...props })).toThrow(/^TestStack\/Db2: /);
    });

    test("no hidden VPC: a JavaScript caller without 'vpc' gets an error naming the construct path and the prop", () => {
      expect(() => new AuroraPostgres(testStack(), 'Db', {} as AuroraPostgresProps)).toThrow(/^TestStack\/Db: 'vpc' is required: pass the VPC to place the cluster in/);
    });
  });

  describe('stability across phases (updated in place)', () => {
    function resourceTypes(props: Partial<AuroraPostgresProps>): { types: Record<string, string>; clusterId: string } {
      const { db, template } = synth(props);
      const resources = template.toJSON().Resources as Record<string, { Type: string }>;
      return { types: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type])), clusterId: logicalId(db.cluster) };
    }

    test('1 -> 3 readers and a bigger class keep every logical id and only add DB instances', () => {
      const phase1 = resourceTypes({ readers: 1 });
      const phase3 = resourceTypes({ readers: 3, instanceType: ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.XLARGE4) });

      expect(phase3.clusterId).toBe(phase1.clusterId);
      for (const [id, type] of Object.entries(phase1.types)) {
        expect({ id, type: phase3.types[id] }).toEqual({ id, type });
      }
      const added = Object.keys(phase3.types).filter((id) => !(id in phase1.types));
      expect(added).toHaveLength(2);
      expect(added.map((id) => phase3.types[id])).toEqual(['AWS::RDS::DBInstance', 'AWS::RDS::DBInstance']);
    });

    test('the cluster properties do not change with the reader count', () => {
      const cluster = (props: Partial<AuroraPostgresProps>) => Object.values(synth(props).template.findResources('AWS::RDS::DBCluster'))[0];
      expect(cluster({ readers: 3 })).toEqual(cluster({ readers: 1 }));
    });
  });
  describe('readers serve reads through a read-only proxy endpoint', () => {
    test('with readers: one READ_ONLY endpoint on the proxy, in the proxy security group', () => {
      const { db, template } = synth({ readers: 2 });
      template.resourceCountIs('AWS::RDS::DBProxyEndpoint', 1);
      template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', {
        TargetRole: 'READ_ONLY',
        DBProxyName: { Ref: logicalId(db.proxy) },
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(db.proxySecurityGroup), 'GroupId'] }],
      });
      expect(db.proxyReaderEndpoint).toBeDefined();
    });

    test('without readers: no endpoint (it would have no targets)', () => {
      const { db, template } = synth({ readers: 0 });
      template.resourceCountIs('AWS::RDS::DBProxyEndpoint', 0);
      expect(db.proxyReaderEndpoint).toBeUndefined();
    });
  });
});
