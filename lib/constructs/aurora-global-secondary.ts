import { Arn, ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { StableSecurityGroup } from './stable-security-group';
import { dataSubnets } from './subnets';
import { propError, requireInteger } from './validation';

const POSTGRES_PORT = 5432;

/** Properties of {@link AuroraGlobalSecondary}. */
export interface AuroraGlobalSecondaryProps {
  /**
   * The `AWS::RDS::GlobalCluster` identifier this cluster joins (created in the primary region, e.g. with
   * `SourceDBClusterIdentifier` so the primary cluster is adopted, not replaced). A plain string: no cross-region lookup.
   */
  readonly globalClusterIdentifier: string;

  /**
   * The VPC; the cluster goes into its `Data` subnets (else isolated, else private with egress). Required, as for
   * `rds.DatabaseCluster`: a construct that made its own would give the region's tiers two VPCs that cannot reach each other.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Aurora PostgreSQL engine version: the primary cluster's exact version (Aurora requires it).
   * @default '16.13' (what {@link AuroraPostgres} deploys by default)
   */
  readonly engineVersion?: string;

  /**
   * Instance class of every instance: the primary writer's, so a promoted secondary carries the full write load.
   * @default 'db.r7g.large'
   */
  readonly instanceClass?: string;

  /**
   * Instances (1 to 16): after promotion one becomes the writer, the rest readers.
   * @default 2
   */
  readonly instances?: number;

  /**
   * Global write forwarding (Aurora PostgreSQL 16+, 15.4+, 14.9+): writes sent to this cluster run on the primary's
   * writer, so applications in this region need no second write path.
   * @default true
   */
  readonly writeForwarding?: boolean;

  /**
   * Deletion protection on the cluster.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Key that encrypts the cluster in this region (a global database must be encrypted everywhere if the primary is).
   * @default - a new key with rotation on, kept (RemovalPolicy.RETAIN) when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * A read-only Aurora PostgreSQL cluster in a secondary region of an Aurora Global Database (L1: CDK has no L2 for
 * global databases, aws-cdk#22212). Replicated by storage (typically under 1 s behind), promotable by
 * `aws rds failover-global-cluster`. No credentials of its own (they replicate from the primary); applications log
 * in with IAM database authentication to {@link readerEndpointAddress}.
 *
 * Instance ids are fixed (`Instance1`..), never derived from a count, so adding one leaves the others untouched.
 */
export class AuroraGlobalSecondary extends Construct implements ec2.IConnectable {
  /** The VPC the cluster is in. */
  public readonly vpc: ec2.IVpc;
  /** The secondary cluster. */
  public readonly cluster: rds.CfnDBCluster;
  /** Its instances (one becomes the writer after a promotion). */
  public readonly instances: rds.CfnDBInstance[];
  /** The cluster's security group: ingress only from allowed peers. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Connections on the PostgreSQL port. */
  public readonly connections: ec2.Connections;
  /** The key that encrypts the cluster in this region. */
  public readonly encryptionKey: kms.IKey;
  /** Host name of the reader endpoint: reads, and writes too with write forwarding. */
  public readonly readerEndpointAddress: string;
  /** The cluster identifier (aws rds --db-cluster-identifier). */
  public readonly clusterIdentifier: string;

  constructor(scope: Construct, id: string, props: AuroraGlobalSecondaryProps) {
    super(scope, id);
    const engineVersion = props.engineVersion ?? '16.13';
    const instanceClass = props.instanceClass ?? 'db.r7g.large';
    const count = props.instances ?? 2;
    if (!/^[a-zA-Z](?:-?[a-zA-Z0-9]){0,62}$/.test(props.globalClusterIdentifier)) {
      throw propError(this, `'globalClusterIdentifier' (${props.globalClusterIdentifier}) must be 1 to 63 letters, digits or single dashes, starting with a letter`);
    }
    if (!/^\d+\.\d+$/.test(engineVersion)) throw propError(this, `'engineVersion' (${engineVersion}) must be an Aurora PostgreSQL version such as '16.13'`);
    if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) throw propError(this, `'instanceClass' (${instanceClass}) must be an RDS class such as 'db.r7g.large'`);
    requireInteger(this, 'instances', count, 1, 16, 'Aurora allows a writer and 15 readers');

    if (!props.vpc) {
      throw propError(this, `'vpc' is required: pass the VPC to place the cluster in, e.g. { vpc: new Network(stack, 'Network').vpc } (one VPC shared by every tier of the stack)`);
    }
    this.vpc = props.vpc;
    const subnets = this.vpc.selectSubnets(dataSubnets(this, this.vpc, 'a database'));
    if (subnets.subnetIds.length < 2) {
      throw propError(this, `'vpc' offers ${subnets.subnetIds.length} data subnet(s): Aurora needs subnets in at least 2 AZs`);
    }

    this.encryptionKey =
      props.encryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'Aurora PostgreSQL global secondary: storage and Performance Insights',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    this.securityGroup = new StableSecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'Aurora PostgreSQL global secondary: ingress from allowed applications',
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({ securityGroups: [this.securityGroup], defaultPort: ec2.Port.tcp(POSTGRES_PORT) });

    const subnetGroup = new rds.CfnDBSubnetGroup(this, 'Subnets', {
      dbSubnetGroupDescription: 'Aurora PostgreSQL global secondary: data-tier subnets',
      subnetIds: subnets.subnetIds,
    });

    // No MasterUsername/MasterUserPassword: a secondary takes the primary's users; no DatabaseName either.
    this.cluster = new rds.CfnDBCluster(this, 'Resource', {
      engine: 'aurora-postgresql',
      engineVersion,
      globalClusterIdentifier: props.globalClusterIdentifier,
      enableGlobalWriteForwarding: props.writeForwarding ?? true,
      dbSubnetGroupName: subnetGroup.ref,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      port: POSTGRES_PORT,
      storageEncrypted: true,
      kmsKeyId: this.encryptionKey.keyArn,
      enableIamDatabaseAuthentication: true,
      deletionProtection: props.deletionProtection ?? true,
      // Backups apply after a promotion; until then the primary's backups cover the data.
      backupRetentionPeriod: 14,
      preferredBackupWindow: '02:00-03:00',
      preferredMaintenanceWindow: 'sun:04:00-sun:05:00',
      enableCloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    this.cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);

    this.instances = Array.from({ length: count }, (_, i) => {
      const instance = new rds.CfnDBInstance(this, `Instance${i + 1}`, {
        engine: 'aurora-postgresql',
        dbClusterIdentifier: this.cluster.ref,
        dbInstanceClass: instanceClass,
        dbSubnetGroupName: subnetGroup.ref,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: this.encryptionKey.keyArn,
        // Instance1 is the first choice when this cluster is promoted.
        promotionTier: i === 0 ? 1 : 2,
      });
      // Instances hold no data of their own (the cluster volume does, kept by the cluster's Snapshot policy).
      instance.applyRemovalPolicy(RemovalPolicy.DESTROY);
      return instance;
    });

    this.clusterIdentifier = this.cluster.ref;
    this.readerEndpointAddress = this.cluster.attrReadEndpointAddress;
  }

  /** Opens the PostgreSQL port to `peer`. */
  /**
   * How far this cluster trails the primary, in milliseconds (AuroraGlobalDBReplicationLag, Maximum by default): the
   * writes a region failure would lose right now, to alarm on against the RPO.
   */
  public metricGlobalReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBReplicationLag',
      dimensionsMap: { DBClusterIdentifier: this.clusterIdentifier },
      statistic: 'Maximum',
      ...props,
    });
  }

  public allowConnectionsFrom(peer: ec2.IConnectable, description = 'PostgreSQL (global secondary)'): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  /** Lets `grantee` log in as `dbUser` with an IAM token (rds-db:connect on this cluster). */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['rds-db:connect'],
      resourceArns: [
        Arn.format({ service: 'rds-db', resource: 'dbuser', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: `${this.cluster.attrDbClusterResourceId}/${dbUser}` }, Stack.of(this)),
      ],
    });
  }
}
