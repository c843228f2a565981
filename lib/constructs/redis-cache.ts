import { CfnResource, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { StableSecurityGroup } from './stable-security-group';
import { dataSubnets } from './subnets';
import { propError, requireInteger, requireWholeDuration } from './validation';

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

/** CloudWatch's limit on the metrics one alarm's math expression may read. */
const MAX_METRICS_PER_ALARM = 10;

/**
 * Properties of {@link RedisCache}. Only `vpc` is required (as for `rds.DatabaseCluster`); every other prop has a
 * safe default: `new RedisCache(stack, 'Cache', { vpc })` synthesizes.
 */
export interface RedisCacheProps {
  /**
   * The VPC to place the cache in, e.g. `new Network(stack, 'Network').vpc`.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the cache (at least 2 AZs, for Multi-AZ failover). ElastiCache replaces the replication group when its
   * subnet group is replaced: choose them before the first deployment.
   * @default - the subnet group named `SUBNET_GROUPS.data` ('Data'), else the VPC's isolated subnets, else its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the cache; {@link RedisCache.allowConnectionsFrom} opens the cache's port on them. Share one
   * with another group the same clients reach during a cut-over (the clients' rules then already allow it).
   * @default - a new group with id 'SecurityGroup' (no egress, no ingress until allowed)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * ElastiCache node type of the primary and of every replica. Changing it scales the nodes in place.
   * @default 'cache.r7g.large'
   */
  readonly nodeType?: string;

  /**
   * Number of read replicas beside the primary (1 to 5), per shard in cluster mode. Multi-AZ automatic failover needs
   * at least one. Without cluster mode, changing it adds or removes nodes in place; in cluster mode it is create-only
   * (ReplicasPerNodeGroup): a change replaces the group.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Cluster mode: keys hash over `shards` node groups, each with its own primary, so writes and memory scale out.
   * CloudFormation cannot move a cluster-mode-disabled group to a sharded one in place (ReplicasPerNodeGroup is
   * create-only), so create a cluster-mode group beside an existing one and cut over; never flip this on a deployed group.
   * Clients must use cluster-aware drivers and {@link RedisCache.configurationEndpointAddress}.
   * @default false
   */
  readonly clusterMode?: boolean;

  /**
   * Shards (node groups) in cluster mode, 1 to 500 (ElastiCache's node limit caps shards x (1 + replicas) at 500).
   * Changing it reshards online. More than 1 requires `clusterMode`.
   * @default 1
   */
  readonly shards?: number;

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
   * How long daily snapshots are kept: whole days, 1 to 35 (ElastiCache's SnapshotRetentionLimit).
   * @default Duration.days(7)
   */
  readonly snapshotRetention?: Duration;

  /**
   * The AUTH token, e.g. shared with another group the same clients reach during a cut-over (no new secret to grant).
   * @default - a new 64-character random token, encrypted with `encryptionKey`
   */
  readonly authToken?: secretsmanager.ISecret;

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
 *
 * With `clusterMode` the keys hash over `shards` node groups (a primary and `replicas` each); the `metric*()` methods
 * take an optional 1-based `shard`, so per-shard alarms stay within CloudWatch's 10 metrics per alarm.
 */
export class RedisCache extends Construct implements ec2.IConnectable {
  /** The VPC the cache is in. */
  public readonly vpc: ec2.IVpc;

  /** The replication group. */
  public readonly replicationGroup: elasticache.CfnReplicationGroup;

  /** The parameter group that sets `maxmemory-policy`. */
  public readonly parameterGroup: elasticache.CfnParameterGroup;

  /** The cache subnet group (the data tier). */
  public readonly subnetGroup: elasticache.CfnSubnetGroup;

  /** The cache's (first) security group: no ingress and no egress until you allow a peer. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Connections with the cache's port as default port. */
  public readonly connections: ec2.Connections;

  /** The Redis AUTH token (a plain string secret). */
  public readonly authToken: secretsmanager.ISecret;

  /** The key that encrypts data at rest, snapshots and the AUTH token. */
  public readonly encryptionKey: kms.IKey;

  /** Where the slow log goes. */
  public readonly slowLogGroup: logs.LogGroup;

  /** TCP port of the cache. */
  public readonly port: number;

  /** Host name of the primary endpoint (reads and writes; follows failover). Undefined in cluster mode. */
  public readonly primaryEndpointAddress?: string;

  /** Host name of the reader endpoint (spreads reads over the replicas). Undefined in cluster mode. */
  public readonly readerEndpointAddress?: string;

  /** Host name of the configuration endpoint a cluster-aware client discovers the shards from. Cluster mode only. */
  public readonly configurationEndpointAddress?: string;

  /** Whether the group runs in cluster mode. */
  public readonly clusterMode: boolean;

  /** Shards (node groups): 1 without cluster mode. */
  public readonly shards: number;

  /** The cache cluster ids of each shard's nodes (one shard without cluster mode): per-shard metrics and alarms. */
  public readonly shardCacheClusterIds: string[][];

  /**
   * The cache cluster id of every node, `<replication group id>-001` to `-00N` (primary and replicas; a failover
   * swaps roles, not ids). ElastiCache publishes its metrics per node under these ids (dimension CacheClusterId),
   * never per replication group, so the `metric*()` methods aggregate over them.
   */
  public readonly cacheClusterIds: string[];

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    if (props?.vpc === undefined) {
      throw propError(this, `'vpc' is required: pass the VPC to place the cache in, e.g. { vpc: new Network(stack, 'Network').vpc } (one VPC shared by every tier of the stack)`);
    }

    const nodeType = props.nodeType ?? 'cache.r7g.large';
    const replicas = props.replicas ?? 1;
    this.clusterMode = props.clusterMode ?? false;
    this.shards = props.shards ?? 1;
    const engineVersion = props.engineVersion ?? '7.1';
    const maxmemoryPolicy = props.maxmemoryPolicy ?? 'allkeys-lru';
    this.port = props.port ?? 6380;

    if (!/^cache\.[a-z0-9-]+\.[a-z0-9]+$/.test(nodeType)) {
      throw propError(this, `'nodeType' (${nodeType}) must be an ElastiCache node type such as 'cache.r7g.large'`);
    }
    requireInteger(this, 'replicas', replicas, 1, 5, 'Multi-AZ automatic failover needs at least one replica; ElastiCache allows up to 5');
    requireInteger(this, 'shards', this.shards, 1, Math.floor(500 / (1 + replicas)), `ElastiCache allows 500 nodes per cluster, ${1 + replicas} per shard here`);
    if (this.shards > 1 && !this.clusterMode) {
      throw propError(this, `'shards' (${this.shards}) must be 1 unless 'clusterMode' is true: only cluster mode splits keys over shards`);
    }
    const family = parameterGroupFamily(this, engineVersion);
    requireInteger(this, 'port', this.port, 1024, 65535);
    if (!(REDIS_MAXMEMORY_POLICIES as readonly string[]).includes(maxmemoryPolicy)) {
      throw propError(this, `'maxmemoryPolicy' (${maxmemoryPolicy}) must be one of ${REDIS_MAXMEMORY_POLICIES.join(', ')}`);
    }
    const snapshotRetentionDays = requireWholeDuration(this, 'snapshotRetention', props.snapshotRetention ?? Duration.days(7), 'days', 1, 35,
      '0 would turn backups off; 35 is the ElastiCache maximum');
    if (props.securityGroups !== undefined && props.securityGroups.length === 0) {
      throw propError(this, `'securityGroups' ([]) must hold at least one security group, or be left out for the default one`);
    }

    this.vpc = props.vpc;
    const vpc = this.vpc;
    const subnets = vpc.selectSubnets(props.vpcSubnets ?? dataSubnets(this, vpc, 'a cache'));
    if (subnets.subnetIds.length < 2) {
      throw propError(this, `'${props.vpcSubnets ? 'vpcSubnets' : 'vpc'}' offers ${subnets.subnetIds.length} data subnet(s): Multi-AZ failover needs subnets in at least 2 AZs`);
    }

    // Losing this key makes every snapshot unreadable, so it outlives the stack.
    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'ElastiCache Redis data at rest, snapshots and AUTH token',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    if (props.authToken) {
      this.authToken = props.authToken;
    } else {
      // Redis AUTH accepts 16-128 printable characters except '@', '"' and '/': letters and digits only is simplest.
      const token = new secretsmanager.Secret(this, 'AuthToken', {
        description: 'Redis AUTH token',
        encryptionKey: this.encryptionKey,
        generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
        // Kept when the stack is deleted, with the final snapshot: a restored cache is reached with this token.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      this.authToken = token;
      Validations.of(token.node.defaultChild as CfnResource).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'No Secrets Manager rotation function exists for ElastiCache AUTH tokens: rotating one takes ModifyReplicationGroup with ' +
          'AuthTokenUpdateStrategy ROTATE then SET, and CloudFormation passes this token to the replication group by dynamic reference. ' +
          'Compensating controls: isolated data subnets, ingress only from explicitly allowed security groups, TLS in transit, ' +
          'a 64-character random token encrypted with a customer-managed KMS key',
      });
    }

    // No egress: Redis never opens connections. No ingress until the user allows a peer.
    const securityGroups = props.securityGroups ?? [new StableSecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'ElastiCache Redis: ingress only from explicitly allowed peers',
      allowAllOutbound: false,
    })];
    this.securityGroup = securityGroups[0];
    this.connections = new ec2.Connections({
      securityGroups,
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
      // A cluster-mode group requires a parameter group with cluster-enabled yes (and rejects one without).
      properties: { 'maxmemory-policy': maxmemoryPolicy, ...(this.clusterMode ? { 'cluster-enabled': 'yes' } : {}) },
    });

    this.slowLogGroup = new logs.LogGroup(this, 'SlowLog', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logEncryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Nothing here names a physical resource or depends on replica count beyond NumCacheClusters, so scaling nodes
    // or replicas updates the group in place. Port, KMS key, subnet group and encryption flags force replacement.
    this.replicationGroup = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupDescription: `ElastiCache Redis, cluster mode ${this.clusterMode ? 'enabled' : 'disabled'}, Multi-AZ`,
      engine: 'redis',
      engineVersion,
      cacheNodeType: nodeType,
      ...(this.clusterMode
        ? { clusterMode: 'enabled', numNodeGroups: this.shards, replicasPerNodeGroup: replicas }
        : { clusterMode: 'disabled', numCacheClusters: 1 + replicas }),
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      port: this.port,
      cacheParameterGroupName: this.parameterGroup.ref,
      cacheSubnetGroupName: this.subnetGroup.ref,
      securityGroupIds: securityGroups.map((group) => group.securityGroupId),
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

    const group = this.replicationGroup.ref;
    const nodeIds = (prefix: string) => Array.from({ length: 1 + replicas }, (_, i) => `${prefix}-${String(i + 1).padStart(3, '0')}`);
    if (this.clusterMode) {
      this.configurationEndpointAddress = this.replicationGroup.attrConfigurationEndPointAddress;
      // Cluster mode: ElastiCache names the nodes <group>-<shard, 4 digits>-<node, 3 digits>.
      this.shardCacheClusterIds = Array.from({ length: this.shards }, (_, s) => nodeIds(`${group}-${String(s + 1).padStart(4, '0')}`));
    } else {
      this.primaryEndpointAddress = this.replicationGroup.attrPrimaryEndPointAddress;
      this.readerEndpointAddress = this.replicationGroup.attrReaderEndPointAddress;
      // Cluster mode disabled: ElastiCache names the member clusters after the group, numbered from 001.
      this.shardCacheClusterIds = [nodeIds(group)];
    }
    this.cacheClusterIds = this.shardCacheClusterIds.flat();
  }

  /**
   * Memory used for data, in percent of `maxmemory` (DatabaseMemoryUsagePercentage), on the fullest node: evictions
   * start on the primary at 100 %. Per-node Maximum, then MAX over the nodes.
   */
  public metricMemoryUsagePercent(props?: cloudwatch.MathExpressionOptions, shard?: number): cloudwatch.MathExpression {
    return this.overNodes('MAX', 'redisMem', 'DatabaseMemoryUsagePercentage', 'Maximum', `Redis memory used (%, fullest node${shardLabel(shard)})`, props, shard);
  }

  /** Keys evicted because memory was full (Sum over the nodes; with `allkeys-lru` only the primary evicts). */
  public metricEvictions(props?: cloudwatch.MathExpressionOptions, shard?: number): cloudwatch.MathExpression {
    return this.overNodes('SUM', 'redisEvict', 'Evictions', 'Sum', `Redis evictions${shardLabel(shard)}`, props, shard);
  }

  /**
   * Engine (Redis main thread) CPU utilization, in percent, on the busiest node: Redis runs commands on one
   * thread, so this saturates long before the host's CPUUtilization does.
   */
  public metricEngineCpuUtilization(props?: cloudwatch.MathExpressionOptions, shard?: number): cloudwatch.MathExpression {
    return this.overNodes('MAX', 'redisCpu', 'EngineCPUUtilization', 'Average', `Redis engine CPU (%, busiest node${shardLabel(shard)})`, props, shard);
  }

  /**
   * Share of key lookups that hit, in percent, over all nodes: 100 x hits / (hits + misses), weighted by traffic
   * (an average of the per-node CacheHitRate would count an idle replica as much as the busy primary).
   * A CloudWatch alarm reads at most 10 metrics, so with more than 5 nodes this is the average of the nodes'
   * CacheHitRate instead (reads spread evenly over the replicas, so the two differ little).
   */
  public metricCacheHitRate(props?: cloudwatch.MathExpressionOptions, shard?: number): cloudwatch.MathExpression {
    const period = props?.period;
    const ids = this.nodesOf(shard);
    if (ids.length * 2 > MAX_METRICS_PER_ALARM) {
      return this.overNodes('AVG', 'redisHitRate', 'CacheHitRate', 'Average', `Redis cache hit rate (%, average of nodes${shardLabel(shard)})`, props, shard);
    }
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    ids.forEach((id, i) => {
      usingMetrics[`redisHits${i + 1}`] = this.nodeMetric(id, 'CacheHits', 'Sum', period);
      usingMetrics[`redisMisses${i + 1}`] = this.nodeMetric(id, 'CacheMisses', 'Sum', period);
    });
    const hits = `SUM([${ids.map((_, i) => `redisHits${i + 1}`).join(', ')}])`;
    const misses = `SUM([${ids.map((_, i) => `redisMisses${i + 1}`).join(', ')}])`;
    return new cloudwatch.MathExpression({
      expression: `100 * ${hits} / (${hits} + ${misses})`,
      usingMetrics,
      label: `Redis cache hit rate (%${shardLabel(shard)})`,
      ...props,
    });
  }

  /** `fn` (MAX, SUM or AVG) over one per-node metric of every node: a time series, one value per period. */
  private overNodes(fn: 'MAX' | 'SUM' | 'AVG', idPrefix: string, metricName: string, statistic: string, label: string,
    props?: cloudwatch.MathExpressionOptions, shard?: number): cloudwatch.MathExpression {
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.nodesOf(shard).forEach((id, i) => {
      usingMetrics[`${idPrefix}${i + 1}`] = this.nodeMetric(id, metricName, statistic, props?.period);
    });
    return new cloudwatch.MathExpression({
      expression: `${fn}([${Object.keys(usingMetrics).join(', ')}])`,
      usingMetrics,
      label,
      ...props,
    });
  }

  /** The nodes of shard `shard` (1-based), or of every shard. */
  private nodesOf(shard?: number): string[] {
    if (shard === undefined) return this.cacheClusterIds;
    requireInteger(this, 'shard', shard, 1, this.shards);
    return this.shardCacheClusterIds[shard - 1];
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
function parameterGroupFamily(scope: Construct, engineVersion: string): string {
  const match = /^(\d+)\.(\d+)(\.\d+)?$/.exec(engineVersion);
  const major = match ? Number(match[1]) : NaN;
  if (major === 7) return 'redis7';
  if (major === 6) return 'redis6.x';
  throw propError(scope, `'engineVersion' (${engineVersion}) must be a Redis 6.x or 7.x version such as '7.1'`);
}

/** ', shard 2' for a shard's metric label; nothing for the whole group. */
function shardLabel(shard?: number): string {
  return shard === undefined ? '' : `, shard ${shard}`;
}
