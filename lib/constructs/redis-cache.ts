import { CfnResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { Network } from './network';
import { StableSecurityGroup } from './stable-security-group';
import { dataSubnets } from './subnets';
import { requireInteger } from './validation';

/** The eviction policies Redis accepts for `maxmemory-policy`. */
export const REDIS_MAXMEMORY_POLICIES = [
  'volatile-lru',
  'allkeys-lru',
  'volatile-lfu',
  'allkeys-lfu',
  'volatile-random',
  'allkeys-random',
  'volatile-ttl',
  'noeviction',
] as const;

/** Properties of {@link RedisCache}. Every prop has a safe default: `new RedisCache(stack, 'Cache')` synthesizes. */
/** CloudWatch's limit on the metrics one alarm's math expression may read. */
const MAX_METRICS_PER_ALARM = 10;

export interface RedisCacheProps {
  /**
   * The VPC to place the cache in. It goes into the subnet group named `SUBNET_GROUPS.data` ('Data'); a VPC
   * without that group falls back to its isolated subnets, then its private subnets with egress.
   * @default - a new {@link Network} with the id 'Network'
   */
  readonly vpc?: ec2.IVpc;

  /**
   * ElastiCache node type of the primary and of every replica. Changing it scales the nodes in place.
   * @default 'cache.r7g.large'
   */
  readonly nodeType?: string;

  /**
   * Number of read replicas beside the primary (1 to 5). Multi-AZ automatic failover needs at least one.
   * Changing it adds or removes nodes in place.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Redis engine version, 6.x or 7.x; the parameter group family follows it ('redis6.x', 'redis7').
   * @default '7.1'
   */
  readonly engineVersion?: string;

  /**
   * TCP port of the cache. A non-default port (cdk-nag AwsSolutions-AEC5). ElastiCache replaces the replication
   * group when the port changes: choose it before the first deployment.
   * @default 6380
   */
  readonly port?: number;

  /**
   * What Redis evicts when memory is full (`maxmemory-policy`). A cache must evict rather than refuse writes.
   * @default 'allkeys-lru'
   */
  readonly maxmemoryPolicy?: string;

  /**
   * How many days daily snapshots are kept (1 to 35).
   * @default 7
   */
  readonly snapshotRetentionDays?: number;

  /**
   * Daily snapshot window, UTC, `hh:mm-hh:mm` (at least 60 minutes, not overlapping the maintenance window).
   * @default '03:00-04:00'
   */
  readonly snapshotWindow?: string;

  /**
   * Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm` (at least 60 minutes).
   * @default 'sun:05:00-sun:06:00'
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * Customer-managed KMS key for data at rest, snapshots and the AUTH token secret.
   * ElastiCache replaces the replication group when the key changes: choose it before the first deployment.
   * @default - a new key with rotation on, kept (RemovalPolicy.RETAIN) when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * How long the slow log is kept in CloudWatch Logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A customer-managed KMS key for the slow-log group (its key policy must let the CloudWatch Logs service principal
   * of the region use it).
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;
}

/**
 * A Multi-AZ ElastiCache for Redis replication group (cluster mode disabled): encrypted at rest with a
 * customer-managed key and in transit, AUTH token from Secrets Manager, slow log to CloudWatch Logs.
 *
 * Stateful and updated in place from phase to phase: construct ids do not depend on counts, no physical names are
 * set, and the replication group is kept as a final snapshot on delete or replacement. Nothing can reach it until
 * you call {@link allowConnectionsFrom} (or `connections.allowDefaultPortFrom`).
 */
export class RedisCache extends Construct implements ec2.IConnectable {
  /** The VPC the cache is in (the given one, or the one of the default {@link Network}). */
  public readonly vpc: ec2.IVpc;

  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;

  /** The parameter group that sets `maxmemory-policy`. */
  public readonly parameterGroup: elasticache.CfnParameterGroup;

  /** The cache subnet group (the data tier). */
  public readonly subnetGroup: elasticache.CfnSubnetGroup;

  /** The cache's security group: no ingress and no egress until you allow a peer. */
  public readonly securityGroup: ec2.SecurityGroup;

  /** Connections with the cache's port as default port. */
  public readonly connections: ec2.Connections;

  /** The Redis AUTH token (a plain string secret). */
  public readonly authToken: secretsmanager.Secret;

  /** The key that encrypts data at rest, snapshots and the AUTH token. */
  public readonly encryptionKey: kms.IKey;

  /** Where the slow log goes. */
  public readonly slowLogGroup: logs.LogGroup;

  /** TCP port of the cache. */
  public readonly port: number;

  /** Host name of the primary endpoint (reads and writes; follows failover). */
  public readonly primaryEndpointAddress: string;

  /** Host name of the reader endpoint (spreads reads over the replicas). */
  public readonly readerEndpointAddress: string;

  /**
   * The cache cluster id of every node, `<replication group id>-001` to `-00N` (primary and replicas; a failover
   * swaps roles, not ids). ElastiCache publishes its metrics per node under these ids (dimension CacheClusterId),
   * never per replication group, so the `metric*()` methods aggregate over them.
   */
  public readonly cacheClusterIds: string[];

  constructor(scope: Construct, id: string, props: RedisCacheProps = {}) {
    super(scope, id);

    const nodeType = props.nodeType ?? 'cache.r7g.large';
    const replicas = props.replicas ?? 1;
    const engineVersion = props.engineVersion ?? '7.1';
    const maxmemoryPolicy = props.maxmemoryPolicy ?? 'allkeys-lru';
    const snapshotRetentionDays = props.snapshotRetentionDays ?? 7;
    this.port = props.port ?? 6380;

    if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(nodeType)) {
      throw new Error(`'nodeType' (${nodeType}) must be an ElastiCache node type such as 'cache.r7g.large'`);
    }
    requireInteger('replicas', replicas, 1, 5, 'Multi-AZ automatic failover needs at least one replica; ElastiCache allows up to 5');
    const family = parameterGroupFamily(engineVersion);
    requireInteger('port', this.port, 1024, 65535);
    if (!(REDIS_MAXMEMORY_POLICIES as readonly string[]).includes(maxmemoryPolicy)) {
      throw new Error(`'maxmemoryPolicy' (${maxmemoryPolicy}) must be one of ${REDIS_MAXMEMORY_POLICIES.join(', ')}`);
    }
    requireInteger('snapshotRetentionDays', snapshotRetentionDays, 1, 35, '0 would turn backups off; 35 is the ElastiCache maximum');

    this.vpc = props.vpc ?? new Network(this, 'Network').vpc;
    const vpc = this.vpc;
    const subnets = vpc.selectSubnets(dataSubnets(vpc, 'a cache'));
    if (subnets.subnetIds.length < 2) {
      throw new Error(`'vpc' offers ${subnets.subnetIds.length} data subnet(s): Multi-AZ failover needs subnets in at least 2 AZs`);
    }

    // Losing this key makes every snapshot unreadable, so it outlives the stack.
    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'ElastiCache Redis data at rest, snapshots and AUTH token',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    // Redis AUTH accepts 16-128 printable characters except '@', '"' and '/': letters and digits only is simplest.
    this.authToken = new secretsmanager.Secret(this, 'AuthToken', {
      description: 'Redis AUTH token',
      encryptionKey: this.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Kept when the stack is deleted, with the final snapshot: a restored cache is reached with this token.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.authToken.node.defaultChild as CfnResource).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'No Secrets Manager rotation function exists for ElastiCache AUTH tokens: rotating one takes ModifyReplicationGroup with ' +
        'AuthTokenUpdateStrategy ROTATE then SET, and CloudFormation passes this token to the replication group by dynamic reference. ' +
        'Compensating controls: isolated data subnets, ingress only from explicitly allowed security groups, TLS in transit, ' +
        'a 64-character random token encrypted with a customer-managed KMS key',
    });

    // No egress: Redis never opens connections. No ingress until the user allows a peer.
    this.securityGroup = new StableSecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'ElastiCache Redis: ingress only from explicitly allowed peers',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      defaultPort: ec2.Port.tcp(this.port),
    });

    this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: 'ElastiCache Redis: data-tier subnets',
      subnetIds: subnets.subnetIds,
    });

    this.parameterGroup = new elasticache.CfnParameterGroup(this, 'ParameterGroup', {
      cacheParameterGroupFamily: family,
      // Constant on purpose: a changed description would replace the group on every policy change.
      description: 'ElastiCache Redis: eviction policy for a cache',
      properties: { 'maxmemory-policy': maxmemoryPolicy },
    });

    this.slowLogGroup = new logs.LogGroup(this, 'SlowLog', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Nothing here names a physical resource or depends on replica count beyond NumCacheClusters, so scaling nodes
    // or replicas updates the group in place. Port, KMS key, subnet group and encryption flags force replacement.
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: 'ElastiCache Redis, cluster mode disabled, Multi-AZ',
      engine: 'redis',
      engineVersion,
      cacheNodeType: nodeType,
      clusterMode: 'disabled',
      numCacheClusters: 1 + replicas,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: this.port,
      cacheParameterGroupName: this.parameterGroup.ref,
      cacheSubnetGroupName: this.subnetGroup.ref,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: true,
      kmsKeyId: this.encryptionKey.keyArn,
      transitEncryptionEnabled: true,
      // A {{resolve:secretsmanager:...}} dynamic reference: the token itself never appears in the template.
      authToken: this.authToken.secretValue.unsafeUnwrap(),
      snapshotRetentionLimit: snapshotRetentionDays,
      // UTC; snapshot first, then maintenance, never overlapping.
      snapshotWindow: props.snapshotWindow ?? '03:00-04:00',
      preferredMaintenanceWindow: props.preferredMaintenanceWindow ?? 'sun:05:00-sun:06:00',
      autoMinorVersionUpgrade: true,
      logDeliveryConfigurations: [
        {
          destinationType: 'cloudwatch-logs',
          destinationDetails: { cloudWatchLogsDetails: { logGroup: this.slowLogGroup.logGroupName } },
          logFormat: 'json',
          logType: 'slow-log',
        },
      ],
    });
    // A final snapshot on delete or replacement (CDK accepts SNAPSHOT for this type).
    this.replicationGroup.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);

    this.primaryEndpointAddress = this.replicationGroup.attrPrimaryEndPointAddress;
    this.readerEndpointAddress = this.replicationGroup.attrReaderEndPointAddress;
    // Cluster mode disabled: ElastiCache names the member clusters after the group, numbered from 001.
    this.cacheClusterIds = Array.from({ length: 1 + replicas }, (_, i) => `${this.replicationGroup.ref}-${String(i + 1).padStart(3, '0')}`);
  }

  /**
   * Memory used for data, in percent of `maxmemory` (DatabaseMemoryUsagePercentage), on the fullest node: evictions
   * start on the primary at 100 %. Per-node Maximum, then MAX over the nodes.
   */
  public metricMemoryUsagePercent(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.overNodes('MAX', 'redisMem', 'DatabaseMemoryUsagePercentage', 'Maximum', 'Redis memory used (%, fullest node)', props);
  }

  /** Keys evicted because memory was full (Sum over the nodes; with `allkeys-lru` only the primary evicts). */
  public metricEvictions(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.overNodes('SUM', 'redisEvict', 'Evictions', 'Sum', 'Redis evictions', props);
  }

  /**
   * Engine (Redis main thread) CPU utilization, in percent, on the busiest node: Redis runs commands on one
   * thread, so this saturates long before the host's CPUUtilization does.
   */
  public metricEngineCpuUtilization(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    return this.overNodes('MAX', 'redisCpu', 'EngineCPUUtilization', 'Average', 'Redis engine CPU (%, busiest node)', props);
  }

  /**
   * Share of key lookups that hit, in percent, over all nodes: 100 x hits / (hits + misses), weighted by traffic
   * (an average of the per-node CacheHitRate would count an idle replica as much as the busy primary).
   * A CloudWatch alarm reads at most 10 metrics, so with more than 5 nodes this is the average of the nodes'
   * CacheHitRate instead (reads spread evenly over the replicas, so the two differ little).
   */
  public metricCacheHitRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const period = props?.period;
    if (this.cacheClusterIds.length * 2 > MAX_METRICS_PER_ALARM) {
      return this.overNodes('AVG', 'redisHitRate', 'CacheHitRate', 'Average', 'Redis cache hit rate (%, average of nodes)', props);
    }
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.cacheClusterIds.forEach((id, i) => {
      usingMetrics[`redisHits${i + 1}`] = this.nodeMetric(id, 'CacheHits', 'Sum', period);
      usingMetrics[`redisMisses${i + 1}`] = this.nodeMetric(id, 'CacheMisses', 'Sum', period);
    });
    const hits = `SUM([${this.cacheClusterIds.map((_, i) => `redisHits${i + 1}`).join(', ')}])`;
    const misses = `SUM([${this.cacheClusterIds.map((_, i) => `redisMisses${i + 1}`).join(', ')}])`;
    return new cloudwatch.MathExpression({
      expression: `100 * ${hits} / (${hits} + ${misses})`,
      usingMetrics,
      label: 'Redis cache hit rate (%)',
      ...props,
    });
  }

  /** `fn` (MAX, SUM or AVG) over one per-node metric of every node: a time series, one value per period. */
  private overNodes(fn: 'MAX' | 'SUM' | 'AVG', idPrefix: string, metricName: string, statistic: string, label: string,
    props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.cacheClusterIds.forEach((id, i) => {
      usingMetrics[`${idPrefix}${i + 1}`] = this.nodeMetric(id, metricName, statistic, props?.period);
    });
    return new cloudwatch.MathExpression({
      expression: `${fn}([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label,
      ...props,
    });
  }

  private nodeMetric(cacheClusterId: string, metricName: string, statistic: string, period?: Duration): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      statistic,
      period,
      dimensionsMap: { CacheClusterId: cacheClusterId },
    });
  }

  /** Opens the cache's port to `peer` (ingress on the cache, egress on the peer if it restricts egress). */
  public allowConnectionsFrom(peer: ec2.IConnectable, description = 'Redis clients'): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  /** Lets `grantee` read the AUTH token (and decrypt it with the key). */
  public grantReadAuthToken(grantee: iam.IGrantable): iam.Grant {
    return this.authToken.grantRead(grantee);
  }
}

/** 'redis7' for 7.x, 'redis6.x' for 6.x: the parameter group family naming ElastiCache uses. */
function parameterGroupFamily(engineVersion: string): string {
  const match = /^(\d+)\.(\d+)(\.\d+)?$/.exec(engineVersion);
  const major = match ? Number(match[1]) : NaN;
  if (major === 7) return 'redis7';
  if (major === 6) return 'redis6.x';
  throw new Error(`'engineVersion' (${engineVersion}) must be a Redis 6.x or 7.x version such as '7.1'`);
}
