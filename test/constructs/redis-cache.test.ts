import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Network } from '../../lib/constructs/network';
import { RedisCache, RedisCacheProps } from '../../lib/constructs/redis-cache';
import { resolveMetric } from '../support/metric-helpers';
import { ingressRulesOf, logicalId } from '../support/template-helpers';
import { testStack } from '../support/test-stack';

/** Synthesizes one RedisCache in a fresh stack. */
function synth(props: Partial<RedisCacheProps> = {}): { stack: Stack; cache: RedisCache; template: Template } {
  const stack = testStack();
  const cache = new RedisCache(stack, 'Cache', { vpc: props.vpc ?? new Network(stack, 'Network').vpc, ...props });
  return { stack, cache, template: Template.fromStack(stack) };
}



describe('RedisCache', () => {
  describe('defaults', () => {
    // GIVEN no props WHEN synthesized
    let stack: Stack;
    let cache: RedisCache;
    let template: Template;
    beforeAll(() => {
      ({ stack, cache, template } = synth());
    });

    test('Redis 7.1, cluster mode disabled, primary + 1 replica of cache.r7g.large, Multi-AZ failover', () => {
      template.resourceCountIs('AWS::ElastiCache::ReplicationGroup', 1);
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        Engine: 'redis',
        EngineVersion: '7.1',
        ClusterMode: 'disabled',
        CacheNodeType: 'cache.r7g.large',
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        Port: 6380,
        AutoMinorVersionUpgrade: true,
        ReplicationGroupId: Match.absent(),
      }));
    });

    test("the parameter group sets maxmemory-policy to 'allkeys-lru' in family redis7", () => {
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
        CacheParameterGroupFamily: 'redis7',
        Description: Match.anyValue(),
        Properties: { 'maxmemory-policy': 'allkeys-lru' },
      });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        CacheParameterGroupName: { Ref: logicalId(cache.parameterGroup) },
      }));
    });

    test('encrypted at rest with a rotating, retained customer-managed key and in transit', () => {
      const keyId = logicalId(cache.encryptionKey as kms.Key);
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        AtRestEncryptionEnabled: true,
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        TransitEncryptionEnabled: true,
      }));
    });

    test('the AUTH token comes from a generated secret by dynamic reference, never in clear', () => {
      const secretId = logicalId(cache.authToken);
      template.hasResourceProperties('AWS::SecretsManager::Secret', Match.objectLike({
        GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false }),
        KmsKeyId: { 'Fn::GetAtt': [logicalId(cache.encryptionKey as kms.Key), 'Arn'] },
      }));
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        AuthToken: { 'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']] },
      }));
    });

    test('never lost: 7 days of snapshots and Snapshot on delete and replace', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        SnapshotRetentionLimit: 7,
        SnapshotWindow: '03:00-04:00',
        PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      }));
      template.hasResource('AWS::ElastiCache::ReplicationGroup', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('slow log goes to a CloudWatch log group kept for a month', () => {
      template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        LogDeliveryConfigurations: [{
          DestinationType: 'cloudwatch-logs',
          DestinationDetails: { CloudWatchLogsDetails: { LogGroup: { Ref: logicalId(cache.slowLogGroup) } } },
          LogFormat: 'json',
          LogType: 'slow-log',
        }],
      }));
    });

    test('placed in the Data subnets', () => {
      const dataSubnets = cache.vpc.selectSubnets({ subnetGroupName: 'Data' }).subnets.map((s) => ({ Ref: logicalId(s) }));
      template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', Match.objectLike({ SubnetIds: dataSubnets }));
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        CacheSubnetGroupName: { Ref: logicalId(cache.subnetGroup) },
        SecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(cache.securityGroup), 'GroupId'] }],
      }));
    });

    test('endpoint attributes and port', () => {
      const id = logicalId(cache.replicationGroup);
      expect(stack.resolve(cache.primaryEndpointAddress)).toEqual({ 'Fn::GetAtt': [id, 'PrimaryEndPoint.Address'] });
      expect(stack.resolve(cache.readerEndpointAddress)).toEqual({ 'Fn::GetAtt': [id, 'ReaderEndPoint.Address'] });
      expect(cache.port).toBe(6380);
      expect(cache.connections.defaultPort?.toString()).toBe('6380');
    });

    test('synthesizes without warning annotations', () => {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('metrics', () => {
    // GIVEN a primary and 2 replicas WHEN the metric methods are called THEN they cover the 3 nodes ElastiCache publishes under
    let stack: Stack;
    let cache: RedisCache;
    const node = (n: number, metricName: string, statistic: string) => ({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensions: { CacheClusterId: { 'Fn::Join': ['', [{ Ref: logicalId(cache.replicationGroup) }, `-00${n}`]] } },
      statistic,
      periodSec: 300,
    });
    beforeAll(() => {
      ({ stack, cache } = synth({ replicas: 2 }));
    });

    test('the node ids are the replication group id plus -001..-003', () => {
      expect(stack.resolve(cache.cacheClusterIds)).toEqual([1, 2, 3].map((n) => node(n, 'x', 'x').dimensions.CacheClusterId));
    });

    test('memory: MAX over the nodes of DatabaseMemoryUsagePercentage (Maximum)', () => {
      expect(resolveMetric(stack, cache.metricMemoryUsagePercent())).toEqual({
        expression: 'MAX([redisMem1, redisMem2, redisMem3])',
        periodSec: 300,
        metrics: { redisMem1: node(1, 'DatabaseMemoryUsagePercentage', 'Maximum'), redisMem2: node(2, 'DatabaseMemoryUsagePercentage', 'Maximum'), redisMem3: node(3, 'DatabaseMemoryUsagePercentage', 'Maximum') },
      });
    });

    test('evictions: SUM over the nodes of Evictions (Sum); a period given reaches every node metric', () => {
      const resolved = resolveMetric(stack, cache.metricEvictions({ period: Duration.minutes(1) }));
      expect(resolved).toMatchObject({ expression: 'SUM([redisEvict1, redisEvict2, redisEvict3])', periodSec: 60 });
      expect(Object.values((resolved as { metrics: Record<string, unknown> }).metrics)).toEqual(
        [1, 2, 3].map((n) => ({ ...node(n, 'Evictions', 'Sum'), periodSec: 60 })));
    });

    test('engine CPU: MAX over the nodes of EngineCPUUtilization (Average)', () => {
      expect(resolveMetric(stack, cache.metricEngineCpuUtilization())).toMatchObject({
        expression: 'MAX([redisCpu1, redisCpu2, redisCpu3])',
        metrics: { redisCpu1: node(1, 'EngineCPUUtilization', 'Average'), redisCpu3: node(3, 'EngineCPUUtilization', 'Average') },
      });
    });

    test('hit rate: 100 x hits / (hits + misses), summed over the nodes', () => {
      const resolved = resolveMetric(stack, cache.metricCacheHitRate()) as { expression: string; metrics: Record<string, unknown> };
      expect(resolved.expression).toBe('100 * SUM([redisHits1, redisHits2, redisHits3]) / (SUM([redisHits1, redisHits2, redisHits3]) + SUM([redisMisses1, redisMisses2, redisMisses3]))');
      expect(resolved.metrics.redisHits2).toEqual(node(2, 'CacheHits', 'Sum'));
      expect(resolved.metrics.redisMisses3).toEqual(node(3, 'CacheMisses', 'Sum'));
    });
  });

  describe('all props', () => {
    // GIVEN every prop set
    let key: kms.Key;
    let template: Template;
    beforeAll(() => {
      const stack = testStack();
      const vpc = new Network(stack, 'Net', { maxAzs: 2, natGateways: 1 }).vpc;
      key = new kms.Key(stack, 'OwnKey', { enableKeyRotation: true });
      new RedisCache(stack, 'Cache', {
        vpc,
        nodeType: 'cache.r7g.xlarge',
        replicas: 5,
        engineVersion: '6.2',
        port: 6390,
        maxmemoryPolicy: 'volatile-lfu',
        snapshotRetention: Duration.days(35),
        encryptionKey: key,
        logRetention: logs.RetentionDays.ONE_WEEK,
      });
      template = Template.fromStack(stack);
    });

    test('the numbers reach the template', () => {
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
        CacheNodeType: 'cache.r7g.xlarge',
        NumCacheClusters: 6,
        EngineVersion: '6.2',
        Port: 6390,
        SnapshotRetentionLimit: 35,
        KmsKeyId: { 'Fn::GetAtt': [logicalId(key), 'Arn'] },
        TransitEncryptionEnabled: true,
      }));
      template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', Match.objectLike({
        CacheParameterGroupFamily: 'redis6.x',
        Properties: { 'maxmemory-policy': 'volatile-lfu' },
      }));
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('the given key is used and no key is created', () => {
      template.resourceCountIs('AWS::KMS::Key', 1);
    });
  });

  describe('network access', () => {
    test('no ingress and no egress by default', () => {
      const { cache, template } = synth();
      const sgId = logicalId(cache.securityGroup);
      expect(ingressRulesOf(template, sgId)).toHaveLength(0);
      // allowAllOutbound false: CDK's placeholder rule that matches no traffic.
      template.hasResourceProperties('AWS::EC2::SecurityGroup', Match.objectLike({
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      }));
      template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
    });

    test('allowConnectionsFrom opens exactly one ingress, from that peer, on 6380', () => {
      const stack = testStack();
      const cache = new RedisCache(stack, 'Cache', { vpc: new Network(stack, 'Network').vpc });
      const app = new ec2.SecurityGroup(stack, 'App', { vpc: cache.vpc });
      cache.allowConnectionsFrom(app);

      const rules = ingressRulesOf(Template.fromStack(stack), logicalId(cache.securityGroup));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ IpProtocol: 'tcp', FromPort: 6380, ToPort: 6380, SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(app), 'GroupId'] } });
    });

    test('connections.allowDefaultPortFrom works the same way (ec2.IConnectable)', () => {
      const stack = testStack();
      const cache = new RedisCache(stack, 'Cache', { vpc: new Network(stack, 'Network').vpc });
      cache.connections.allowDefaultPortFrom(ec2.Peer.ipv4('10.0.16.0/20'));
      const rules = ingressRulesOf(Template.fromStack(stack), logicalId(cache.securityGroup));
      expect(rules).toEqual([expect.objectContaining({ CidrIp: '10.0.16.0/20', FromPort: 6380, ToPort: 6380 })]);
    });
  });

  describe('grantReadAuthToken', () => {
    test('grants reading the secret and decrypting it with the key', () => {
      const stack = testStack();
      const cache = new RedisCache(stack, 'Cache', { vpc: new Network(stack, 'Network').vpc });
      const role = new iam.Role(stack, 'Task', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      cache.grantReadAuthToken(role);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::IAM::Policy', Match.objectLike({
        Roles: [{ Ref: logicalId(role) }],
        PolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({
            Action: Match.arrayWith(['secretsmanager:GetSecretValue']),
            Resource: { Ref: logicalId(cache.authToken) },
          })],
        }),
      }));
      // The key is in the same stack, so CDK grants decrypt (through Secrets Manager only) in the key policy.
      template.hasResourceProperties('AWS::KMS::Key', Match.objectLike({
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Action: 'kms:Decrypt',
            Principal: { AWS: { 'Fn::GetAtt': [logicalId(role), 'Arn'] } },
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
          })]),
        }),
      }));
    });
  });

  describe('bring your own VPC, subnets and security groups', () => {
    // GIVEN a VPC with CDK's default groups, two of its private subnets and an existing security group
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
    const group = new ec2.SecurityGroup(stack, 'CacheGroup', { vpc, allowAllOutbound: false });
    const vpcSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['eu-central-1b', 'eu-central-1c'] };
    // WHEN
    const cache = new RedisCache(stack, 'Cache', { vpc, vpcSubnets, securityGroups: [group] });
    const template = Template.fromStack(stack);

    test('the subnet group holds the given subnets', () => {
      const refs = vpc.selectSubnets(vpcSubnets).subnetIds.map((id) => stack.resolve(id));
      expect(refs).toHaveLength(2);
      template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: refs });
    });

    test('the replication group uses the given security group and creates none; allowConnectionsFrom opens it', () => {
      expect(cache.securityGroup).toBe(group);
      template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { SecurityGroupIds: [{ 'Fn::GetAtt': [logicalId(group), 'GroupId'] }] });
      template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
      const stack2 = testStack();
      const vpc2 = new ec2.Vpc(stack2, 'Vpc', { maxAzs: 3 });
      const group2 = new ec2.SecurityGroup(stack2, 'CacheGroup', { vpc: vpc2 });
      const cache2 = new RedisCache(stack2, 'Cache', { vpc: vpc2, securityGroups: [group2] });
      const app = new ec2.SecurityGroup(stack2, 'App', { vpc: vpc2 });
      cache2.allowConnectionsFrom(app);
      expect(ingressRulesOf(Template.fromStack(stack2), logicalId(group2))).toEqual([
        expect.objectContaining({ FromPort: 6380, ToPort: 6380, SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(app), 'GroupId'] } }),
      ]);
    });
  });

  describe('rejects bad input', () => {
    test.each<[Omit<RedisCacheProps, 'vpc'>, RegExp]>([
      [{ replicas: 0 }, /'replicas' \(0\) must be an integer from 1 to 5: Multi-AZ automatic failover needs at least one replica/],
      [{ replicas: 6 }, /'replicas' \(6\) must be an integer from 1 to 5/],
      [{ maxmemoryPolicy: 'allkeys-lru ' }, /'maxmemoryPolicy' \(allkeys-lru \) must be one of volatile-lru, allkeys-lru/],
      [{ maxmemoryPolicy: 'lru' }, /'maxmemoryPolicy' \(lru\)/],
      [{ snapshotRetention: Duration.days(0) }, /'snapshotRetention' \(Duration.days\(0\)\) must be a whole number of days from 1 to 35/],
      [{ snapshotRetention: Duration.days(36) }, /'snapshotRetention' \(Duration.days\(36\)\)/],
      [{ snapshotRetention: Duration.hours(12) }, /'snapshotRetention' \(Duration.hours\(12\)\) must be a whole number of days/],
      [{ securityGroups: [] }, /'securityGroups' \(\[\]\) must hold at least one security group/],
      [{ engineVersion: '5.0.6' }, /'engineVersion' \(5.0.6\) must be a Redis 6.x or 7.x version/],
      [{ nodeType: 'r7g.large' }, /'nodeType' \(r7g.large\) must be an ElastiCache node type/],
      [{ port: 80 }, /'port' \(80\) must be an integer from 1024 to 65535/],
    ])('%j, naming the construct path', (props, message) => {
      const stack = testStack();
      const vpc = new Network(stack, 'Network').vpc;
      expect(() => new RedisCache(stack, 'Cache', { vpc, ...props })).toThrow(message);
      expect(() => new RedisCache(stack, 'Cache2', { vpc, ...props })).toThrow(/^TestStack\/Cache2: /);
    });

    test("no hidden VPC: a JavaScript caller without 'vpc' gets an error naming the construct path and the prop", () => {
      expect(() => new RedisCache(testStack(), 'Cache', {} as RedisCacheProps)).toThrow(/^TestStack\/Cache: 'vpc' is required: pass the VPC to place the cache in/);
    });

    test("'vpcSubnets' in a single AZ", () => {
      const stack = testStack();
      const vpc = new Network(stack, 'Network').vpc;
      expect(() => new RedisCache(stack, 'Cache', { vpc, vpcSubnets: { subnetGroupName: 'Data', availabilityZones: ['eu-central-1a'] } }))
        .toThrow(/^TestStack\/Cache: 'vpcSubnets' offers 1 data subnet\(s\)/);
    });

    test('a VPC with a single data subnet', () => {
      const stack = testStack();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      expect(() => new RedisCache(stack, 'Cache', { vpc })).toThrow(/'vpc' offers 1 data subnet\(s\): Multi-AZ failover needs subnets in at least 2 AZs/);
    });
  });

  describe('stability across phases (updated in place)', () => {
    function resourceTypes(props: Partial<RedisCacheProps>): { types: Record<string, string>; groupId: string; group: unknown } {
      const { cache, template } = synth(props);
      const resources = template.toJSON().Resources as Record<string, { Type: string }>;
      return {
        types: Object.fromEntries(Object.entries(resources).map(([id, r]) => [id, r.Type])),
        groupId: logicalId(cache.replicationGroup),
        group: resources[logicalId(cache.replicationGroup)],
      };
    }

    test('1 -> 3 replicas and large -> xlarge keep every logical id, and change only NumCacheClusters and CacheNodeType', () => {
      const phase1 = resourceTypes({ replicas: 1, nodeType: 'cache.r7g.large' });
      const phase3 = resourceTypes({ replicas: 3, nodeType: 'cache.r7g.xlarge' });

      expect(phase3.groupId).toBe(phase1.groupId);
      expect(phase3.types).toEqual(phase1.types);

      // Both properties update in place (no replacement); everything else on the group is identical.
      const strip = (group: unknown) => {
        const { Properties, ...rest } = group as { Properties: Record<string, unknown> };
        const { NumCacheClusters: _n, CacheNodeType: _c, ...others } = Properties;
        return { ...rest, Properties: others };
      };
      expect(strip(phase3.group)).toEqual(strip(phase1.group));
    });
  });
});

describe('RedisCache in cluster mode', () => {
  // GIVEN cluster mode with 3 shards of 1 primary + 2 replicas WHEN synthesized
  let stack: Stack;
  let cache: RedisCache;
  let template: Template;
  beforeAll(() => {
    ({ stack, cache, template } = synth({ clusterMode: true, shards: 3, replicas: 2 }));
  });

  test('node groups and replicas per group instead of NumCacheClusters, Multi-AZ failover', () => {
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', Match.objectLike({
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 2,
      NumCacheClusters: Match.absent(),
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    }));
  });

  test('the parameter group enables cluster mode (ElastiCache rejects a cluster-mode group without it)', () => {
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'redis7',
      Properties: { 'maxmemory-policy': 'allkeys-lru', 'cluster-enabled': 'yes' },
    });
  });

  test('clients get the configuration endpoint; there is no primary or reader endpoint', () => {
    expect(stack.resolve(cache.configurationEndpointAddress)).toEqual({ 'Fn::GetAtt': [logicalId(cache.replicationGroup), 'ConfigurationEndPoint.Address'] });
    expect([cache.primaryEndpointAddress, cache.readerEndpointAddress]).toEqual([undefined, undefined]);
  });

  test('node ids are <group>-<shard 0001..>-<node 001..>, per shard', () => {
    const ref = { Ref: logicalId(cache.replicationGroup) };
    expect(stack.resolve(cache.shardCacheClusterIds)).toEqual(
      [1, 2, 3].map((s) => [1, 2, 3].map((n) => ({ 'Fn::Join': ['', [ref, `-000${s}-00${n}`]] }))),
    );
    expect(cache.cacheClusterIds).toHaveLength(9);
  });

  test('a shard\'s metric reads only that shard\'s 3 nodes (within an alarm\'s 10 metrics)', () => {
    const metric = resolveMetric(stack, cache.metricMemoryUsagePercent({ period: Duration.minutes(5) }, 2)) as { expression: string };
    expect(metric.expression).toBe('MAX([redisMem1, redisMem2, redisMem3])');
    expect(JSON.stringify(metric)).toContain('-0002-00');
    expect(JSON.stringify(metric)).not.toContain('-0001-00');
    expect((resolveMetric(stack, cache.metricCacheHitRate(undefined, 3)) as { expression: string }).expression).toMatch(/^100 \* SUM\(\[redisHits1, redisHits2, redisHits3\]\)/);
    expect(() => cache.metricEvictions(undefined, 4)).toThrow(/'shard' \(4\) must be/);
  });
});

describe('RedisCache cluster-mode props are validated', () => {
  test('shards > 1 without cluster mode names the props', () => {
    expect(() => synth({ shards: 2 })).toThrow("'shards' (2) must be 1 unless 'clusterMode' is true");
  });

  test('more nodes than ElastiCache allows per cluster', () => {
    expect(() => synth({ clusterMode: true, shards: 200, replicas: 2 })).toThrow(/'shards' \(200\) must be .*166/);
  });

  test('a shared security group, AUTH token and key are used, not new ones', () => {
    const stack = testStack();
    const first = new RedisCache(stack, 'Single', { vpc: new Network(stack, 'Network').vpc });
    const cluster = new RedisCache(stack, 'Cluster', { vpc: first.vpc, clusterMode: true, shards: 2, securityGroups: [first.securityGroup], authToken: first.authToken, encryptionKey: first.encryptionKey });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    const cacheGroups = Object.values(template.findResources('AWS::EC2::SecurityGroup')).filter((g) => /ElastiCache/.test(g.Properties.GroupDescription));
    expect(cacheGroups).toHaveLength(1);
    expect(stack.resolve(cluster.replicationGroup.securityGroupIds)).toEqual([{ 'Fn::GetAtt': [logicalId(first.securityGroup), 'GroupId'] }]);
  });
});

describe('RedisCache logEncryptionKey', () => {
  test('encrypts the slow-log group with the given key', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'LogKey');
    new RedisCache(stack, 'Cache', { vpc: new Network(stack, 'Network').vpc, logEncryptionKey: key });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] } });
  });
});
