import { ArnFormat, CfnResource, Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { appUserSql, SQL_IDENTIFIER } from './app-user-sql';
import { SUBNET_GROUPS } from './network';
import { StableSecurityGroup } from './stable-security-group';
import { dataSubnets, firstSubnetsOf } from './subnets';
import { propError, requireInteger, requireWholeDuration } from './validation';

/** The PostgreSQL port on the cluster and on the proxy (RDS Proxy has no default port of its own). */
const POSTGRES_PORT = 5432;

/**
 * The master user of a new cluster: not PostgreSQL's well-known `postgres`, so a guessed name is one less half of a
 * credential. CloudFormation may replace a cluster whose MasterUsername changes (a conditional create-only property),
 * so a cluster that already runs with `postgres` must keep passing `masterUsername: 'postgres'`.
 */
export const DEFAULT_MASTER_USERNAME = 'dbadmin';

/** The application's own least-privilege role (`rds_iam`, DML only). */
export const DEFAULT_APPLICATION_USERNAME = 'app_user';

/** The enhanced-monitoring intervals RDS accepts (0 turns it off). */
const MONITORING_INTERVALS_SEC = [0, 1, 5, 10, 15, 30, 60];

/**
 * Properties of {@link AuroraPostgres}. Only `vpc` is required (as for `rds.DatabaseCluster`); every other prop has a
 * safe default: `new AuroraPostgres(stack, 'Db', { vpc })` synthesizes.
 */
export interface AuroraPostgresProps {
  /**
   * The VPC to place the cluster and its proxy in, e.g. `new Network(stack, 'Network').vpc`.
   */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the cluster, the proxy and its read-only endpoint. CloudFormation replaces the cluster's subnet group
   * when they change: choose them before the first deployment.
   * @default - the subnet group named `SUBNET_GROUPS.data` ('Data'), else the VPC's isolated subnets, else its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the cluster. The proxy and the password rotation function are allowed in on 5432.
   * @default - a new group with id 'SecurityGroup' (no egress, ingress from the proxy and the rotation function only)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Security groups of the RDS Proxy and its read-only endpoint: {@link AuroraPostgres.allowConnectionsFrom} opens them.
   * @default - a new group with id 'ProxySecurityGroup' (egress to the cluster only, no ingress until allowed)
   */
  readonly proxySecurityGroups?: ec2.ISecurityGroup[];

  /**
   * The Aurora PostgreSQL engine version.
   * @default rds.AuroraPostgresEngineVersion.VER_16_13 (the newest 16.x in aws-cdk-lib 2.276; 16 is the family RDS Proxy and most tools support broadly)
   */
  readonly engineVersion?: rds.AuroraPostgresEngineVersion;

  /**
   * Instance class of the writer and of every reader. Readers use the writer's class so any of them can take over
   * as writer without a capacity drop. Changing it modifies the instances in place (no cluster replacement).
   * @default r7g.large
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Number of provisioned reader instances (construct ids 'Reader1'..'ReaderN'). Changing it only adds or removes
   * `AWS::RDS::DBInstance` resources. 0 leaves the cluster without a failover target.
   * @default 1
   */
  readonly readers?: number;

  /**
   * Name of the database created in the cluster. CloudFormation replaces the cluster when this changes:
   * never change it after the first deployment.
   * @default 'app'
   */
  readonly databaseName?: string;

  /**
   * How long automated backups are kept: whole days, 7 to 35.
   * @default Duration.days(14)
   */
  readonly backupRetention?: Duration;

  /**
   * Whether the cluster refuses to be deleted. Turn off only to tear down a test environment.
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Customer-managed KMS key for storage, Performance Insights and the credentials secret.
   * CloudFormation replaces the cluster when the key changes: choose it before the first deployment.
   * @default - a new key with rotation on, kept (RemovalPolicy.RETAIN) when the stack is deleted
   */
  readonly storageEncryptionKey?: kms.IKey;

  /**
   * Percent of the cluster's `max_connections` the proxy may open (1 to 100).
   * @default 90
   */
  readonly proxyMaxConnectionsPercent?: number;

  /**
   * Percent of the cluster's `max_connections` the proxy keeps open while idle (0 to `proxyMaxConnectionsPercent`).
   * @default 50
   */
  readonly proxyMaxIdleConnectionsPercent?: number;

  /**
   * How long a client waits for a pooled connection before the proxy returns an error: whole seconds, 1 to 3,600.
   * @default Duration.seconds(30)
   */
  readonly proxyBorrowTimeout?: Duration;

  /**
   * Statements slower than this many milliseconds are logged (cluster parameter `log_min_duration_statement`); -1
   * turns it off. A number in PostgreSQL's own unit rather than a `Duration`: a Duration cannot say "off".
   * @default 500
   */
  readonly slowQueryLogMs?: number;

  /**
   * Enhanced monitoring interval: 0 (off), 1, 5, 10, 15, 30 or 60 seconds.
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;

  /**
   * Time between automatic rotations of the admin password (whole days, 1 to 365), by a Secrets Manager hosted rotation
   * function (PostgreSQL single user). The RDS Proxy reads the secret whenever it opens a database connection, so
   * a rotation needs no application change; clients authenticate to the proxy with IAM, not with this password.
   * @default Duration.days(30)
   */
  readonly adminPasswordRotationInterval?: Duration;

  /**
   * Where the rotation function runs. It needs a route to the Secrets Manager API and reaches the cluster through
   * {@link AuroraPostgres.rotationSecurityGroup}.
   * @default - the `Application` subnet group, else private subnets with egress; in a VPC with neither, the data
   * subnets plus a Secrets Manager interface endpoint created here (give subnets that reach Secrets Manager instead
   * if the VPC already has such an endpoint with private DNS)
   */
  readonly rotationSubnets?: ec2.SubnetSelection;

  /**
   * The master (admin) user name, stored in the admin secret. Used only for administration, migrations and by the
   * rotation function; applications connect as {@link applicationUsername}. CloudFormation may replace the cluster when
   * this changes: a cluster deployed with another name must keep it.
   * @default 'dbadmin'
   */
  readonly masterUsername?: string;

  /**
   * The application's database role, created at deploy time through the RDS Data API (a custom resource running
   * idempotent SQL as the master user): LOGIN with `rds_iam` (IAM tokens, no password), CONNECT on the database, USAGE
   * on {@link applicationSchema}, SELECT/INSERT/UPDATE/DELETE on its tables and sequences; no DDL, no superuser.
   * @default 'app_user'
   */
  readonly applicationUsername?: string;

  /**
   * The schema the application reads and writes.
   * @default 'public'
   */
  readonly applicationSchema?: string;

  /**
   * How long the cluster's exported PostgreSQL log (`/aws/rds/cluster/<id>/postgresql`) is kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Daily backup window, UTC, `hh:mm-hh:mm` (at least 30 minutes, not overlapping the maintenance window).
   * @default '02:00-03:00'
   */
  readonly preferredBackupWindow?: string;

  /**
   * Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm` (at least 30 minutes).
   * @default 'sun:04:00-sun:05:00'
   */
  readonly preferredMaintenanceWindow?: string;
}

/**
 * An encrypted, multi-AZ Aurora PostgreSQL cluster behind an RDS Proxy that requires TLS and IAM authentication.
 *
 * Stateful and updated in place from phase to phase: construct ids do not depend on counts, the cluster is kept as
 * a snapshot on delete or replacement, deletion protection is on, and its KMS key is retained.
 * Applications reach the database only through the proxy: {@link connections} is the proxy's. The admin password rotates
 * every 30 days (Secrets Manager hosted rotation).
 */
export class AuroraPostgres extends Construct implements ec2.IConnectable {
  /** The VPC the cluster is in. */
  public readonly vpc: ec2.IVpc;

  /** The Aurora cluster. */
  public readonly cluster: rds.DatabaseCluster;

  /** The RDS Proxy in front of the cluster; the only way in for applications. */
  public readonly proxy: rds.DatabaseProxy;

  /** The generated master credentials (`username`, `password`, `host`, ...), encrypted with the storage key. */
  public readonly secret: secretsmanager.ISecret;

  /**
   * The cluster's security group: it admits only the proxy and the admin password rotation function. (Its description
   * still says "from its RDS Proxy only": a changed description would replace the group of a running cluster.)
   */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** The proxy's (first) security group: add application peers with {@link allowConnectionsFrom}. */
  public readonly proxySecurityGroup: ec2.ISecurityGroup;

  /** The proxy's connections, with default port 5432, so `connections.allowDefaultPortFrom(app)` opens the proxy. */
  public readonly connections: ec2.Connections;

  /** The key that encrypts storage, Performance Insights and the secret. */
  public readonly encryptionKey: kms.IKey;

  /** The cluster parameter group (`rds.force_ssl`, `log_min_duration_statement`). */
  public readonly parameterGroup: rds.ParameterGroup;

  /** The proxy's read-only endpoint, spread over the readers (absent when there are none). */
  public readonly readOnlyEndpoint?: rds.DatabaseProxyEndpoint;

  /** The schedule that rotates the admin password. */
  public readonly adminPasswordRotation: secretsmanager.RotationSchedule;

  /** The rotation function's security group: HTTPS out (Secrets Manager) and the cluster port to the cluster. */
  public readonly rotationSecurityGroup: ec2.SecurityGroup;

  /** The Secrets Manager interface endpoint, created only when the VPC has no subnets with a route out (see `rotationSubnets`). */
  public readonly secretsManagerEndpoint?: ec2.InterfaceVpcEndpoint;

  /** The master user's name (administration and rotation only). */
  public readonly masterUsername: string;

  /** The application's database role: what {@link grantConnect} grants by default and what applications log in as. */
  public readonly applicationUsername: string;

  /** The custom resource that creates {@link applicationUsername} through the RDS Data API on every deployment (idempotent SQL). */
  public readonly applicationUser: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: AuroraPostgresProps) {
    super(scope, id);
    requireVpc(this, props);

    const readers = props.readers ?? 1;
    const databaseName = props.databaseName ?? 'app';

    const maxConnectionsPercent = props.proxyMaxConnectionsPercent ?? 90;
    const maxIdleConnectionsPercent = props.proxyMaxIdleConnectionsPercent ?? 50;
    const backupWindow = props.preferredBackupWindow ?? '02:00-03:00';
    const maintenanceWindow = props.preferredMaintenanceWindow ?? 'sun:04:00-sun:05:00';
    this.masterUsername = props.masterUsername ?? DEFAULT_MASTER_USERNAME;
    this.applicationUsername = props.applicationUsername ?? DEFAULT_APPLICATION_USERNAME;
    const applicationSchema = props.applicationSchema ?? 'public';
    for (const [prop, value] of [['masterUsername', this.masterUsername], ['applicationUsername', this.applicationUsername], ['applicationSchema', applicationSchema]]) {
      if (!SQL_IDENTIFIER.test(value)) {
        throw propError(this, `'${prop}' (${value}) must be a lowercase PostgreSQL identifier: a letter or _, then letters, digits or _, at most 63 characters`);
      }
    }
    if (this.applicationUsername === this.masterUsername) {
      throw propError(this, `'applicationUsername' (${this.applicationUsername}) must differ from 'masterUsername': the application must not connect as the master user`);
    }

    const slowQueryLogMs = props.slowQueryLogMs ?? 500;
    validate(this, { readers, databaseName, maxConnectionsPercent, maxIdleConnectionsPercent, slowQueryLogMs });
    const backupRetentionDays = requireWholeDuration(this, 'backupRetention', props.backupRetention ?? Duration.days(14), 'days', 7, 35,
      'a week is the least that survives a bad deploy found late; 35 is the RDS maximum');
    const borrowTimeoutSec = requireWholeDuration(this, 'proxyBorrowTimeout', props.proxyBorrowTimeout ?? Duration.seconds(30), 'seconds', 1, 3600);
    const monitoringIntervalSec = requireWholeDuration(this, 'monitoringInterval', props.monitoringInterval ?? Duration.seconds(60), 'seconds', 0, 60);
    if (!MONITORING_INTERVALS_SEC.includes(monitoringIntervalSec)) {
      throw propError(this, `'monitoringInterval' (${props.monitoringInterval}) must be one of ${MONITORING_INTERVALS_SEC.join(', ')} seconds`);
    }
    const rotationDays = requireWholeDuration(this, 'adminPasswordRotationInterval', props.adminPasswordRotationInterval ?? Duration.days(30), 'days', 1, 365,
      'an admin password must rotate at least yearly');

    this.vpc = props.vpc;
    const vpc = this.vpc;
    const vpcSubnets = props.vpcSubnets ?? dataSubnets(this, vpc, 'a database');
    requireNonEmpty(this, 'securityGroups', props.securityGroups);
    requireNonEmpty(this, 'proxySecurityGroups', props.proxySecurityGroups);
    const engine = rds.DatabaseClusterEngine.auroraPostgres({
      version: props.engineVersion ?? rds.AuroraPostgresEngineVersion.VER_16_13,
    });
    const instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.R7G, ec2.InstanceSize.LARGE);

    // Losing this key makes every snapshot unreadable, so it outlives the stack.
    this.encryptionKey =
      props.storageEncryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'Aurora PostgreSQL storage, Performance Insights and credentials',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });

    // Both groups deny all egress: the data subnets have no route out, and the only flow needed (proxy -> cluster)
    // is opened by addProxy below.
    const clusterSecurityGroups = props.securityGroups ?? [new StableSecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'Aurora PostgreSQL cluster: ingress from its RDS Proxy only',
      allowAllOutbound: false,
    })];
    const proxySecurityGroups = props.proxySecurityGroups ?? [new StableSecurityGroup(this, 'ProxySecurityGroup', {
      vpc,
      description: 'RDS Proxy of the Aurora PostgreSQL cluster: ingress from allowed applications',
      allowAllOutbound: false,
    })];
    this.securityGroup = clusterSecurityGroups[0];
    this.proxySecurityGroup = proxySecurityGroups[0];

    this.parameterGroup = new rds.ParameterGroup(this, 'ClusterParameters', {
      engine,
      description: 'Aurora PostgreSQL cluster parameters: TLS only, slow query log',
      parameters: {
        'rds.force_ssl': '1',
        log_min_duration_statement: String(slowQueryLogMs),
      },
    });

    // Instance ids are fixed names, never derived from a count, so adding Reader3 leaves Writer, Reader1 and Reader2
    // (and the cluster) untouched. Readers share the writer's class so any of them can be promoted.
    // Performance Insights is repeated per instance: CDK turns it on anyway from the cluster, but warns when the
    // instance props say otherwise.
    const instanceProps = {
      instanceType,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
    };
    const readerInstances = Array.from({ length: readers }, (_, i) =>
      rds.ClusterInstance.provisioned(`Reader${i + 1}`, {
        ...instanceProps,
        // Reader1 is the preferred failover target (tier 1; `scaleWithWriter` is the serverless-v2 spelling of the
        // same thing); the others stay in tier 2, CDK's default.
        promotionTier: i === 0 ? 1 : 2,
      }),
    );

    // The admin secret is created here rather than by Credentials.fromGeneratedSecret: that one derives the
    // secret's logical id from the construct path from the app root, which would replace the secret (and
    // rotate the password) whenever the same cluster is synthesized under another stack id, as the phases are.
    const adminSecret = new rds.DatabaseSecret(this, 'Secret', { username: this.masterUsername, encryptionKey: this.encryptionKey });
    // Kept when the stack is deleted, with the cluster's final snapshot: restoring it needs this password.
    adminSecret.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.cluster = new rds.DatabaseCluster(this, 'Resource', {
      engine,
      vpc,
      vpcSubnets,
      securityGroups: clusterSecurityGroups,
      port: POSTGRES_PORT,
      writer: rds.ClusterInstance.provisioned('Writer', instanceProps),
      readers: readerInstances,
      credentials: rds.Credentials.fromSecret(adminSecret, this.masterUsername),
      defaultDatabaseName: databaseName,
      parameterGroup: this.parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      iamAuthentication: true,
      deletionProtection: props.deletionProtection ?? true,
      backup: { retention: Duration.days(backupRetentionDays), preferredWindow: backupWindow },
      // After the backup window, so maintenance never runs while a backup does.
      preferredMaintenanceWindow: maintenanceWindow,
      cloudwatchLogsExports: ['postgresql'],
      // Without a retention the exported log group never expires (and is never cheap).
      cloudwatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      // The Data API lets the deploy-time custom resource create the application's role without network access to the VPC.
      enableDataApi: true,
      monitoringInterval: monitoringIntervalSec > 0 ? Duration.seconds(monitoringIntervalSec) : undefined,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: this.encryptionKey,
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: true,
      // The cluster is kept as a final snapshot on delete or replacement; CDK gives instances what suits them.
      removalPolicy: RemovalPolicy.SNAPSHOT,
    });
    // Always set: the credentials above are generated into a secret.
    this.secret = this.cluster.secret!;

    if (monitoringIntervalSec > 0) {
      // CDK's enhanced-monitoring role, assumable only by monitoring.rds.amazonaws.com.
      const monitoringRole = this.cluster.node.findChild('MonitoringRole').node.defaultChild as CfnResource;
      Validations.of(monitoringRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
        reason: 'RDS enhanced monitoring role (assumable by monitoring.rds.amazonaws.com only) with the AWS-managed service-role policy made for it: ' +
          'it only writes OS metrics to the RDSOSMetrics log group; an own copy would need the same log-stream wildcard (stream names are instance resource ids) and would not follow AWS changes',
      });
    }

    // The admin password rotates on a schedule (hosted rotation: a Lambda in a nested stack that Secrets Manager
    // manages). It logs in to the cluster directly, so the cluster admits it besides the proxy.
    this.rotationSecurityGroup = new StableSecurityGroup(this, 'RotationSecurityGroup', {
      vpc,
      description: 'Admin password rotation function: HTTPS to Secrets Manager, PostgreSQL to the cluster',
      allowAllOutbound: false,
    });
    this.rotationSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Secrets Manager API (HTTPS)');
    this.cluster.connections.allowDefaultPortFrom(this.rotationSecurityGroup, 'Admin password rotation');
    const egressSubnets = props.rotationSubnets ?? firstSubnetsOf(vpc, [
      { subnetGroupName: SUBNET_GROUPS.application },
      { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ]);
    if (!egressSubnets) {
      // No route out of the VPC: reach Secrets Manager through an interface endpoint next to the cluster.
      const endpointSecurityGroup = new StableSecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
        vpc,
        description: 'Secrets Manager interface endpoint: HTTPS from the admin password rotation function',
        allowAllOutbound: false,
      });
      this.secretsManagerEndpoint = new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
        vpc,
        service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
        subnets: vpcSubnets,
        securityGroups: [endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
      this.secretsManagerEndpoint.connections.allowDefaultPortFrom(this.rotationSecurityGroup, 'Admin password rotation');
    }
    this.adminPasswordRotation = this.secret.addRotationSchedule('Rotation', {
      hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({
        // From the stack name and the path inside it (never the stack's construct id), so every phase keeps it.
        functionName: `${Names.uniqueResourceName(this, { maxLength: 64 - '-rotation'.length, separator: '-' })}-rotation`,
        vpc,
        vpcSubnets: egressSubnets ?? vpcSubnets,
        securityGroups: [this.rotationSecurityGroup],
      }),
      automaticallyAfter: Duration.days(rotationDays),
    });

    // End-to-end IAM: clients sign a token for their database user, and the proxy logs in to the cluster as that same
    // user with IAM too. The proxy holds no password, and the master secret is not one of its auth entries.
    this.proxy = this.cluster.addProxy('Proxy', {
      vpc,
      vpcSubnets,
      securityGroups: proxySecurityGroups,
      defaultAuthScheme: rds.DefaultAuthScheme.IAM_AUTH,
      requireTLS: true,
      iamAuth: true,
      maxConnectionsPercent,
      maxIdleConnectionsPercent,
      borrowTimeout: Duration.seconds(borrowTimeoutSec),
    });

    // Readers serve reads only through a read-only endpoint: the proxy's default endpoint routes to the writer.
    // No endpoint without readers: it would have no targets. Its name is left to CloudFormation (no replacement).
    if (readers > 0) {
      this.readOnlyEndpoint = new rds.DatabaseProxyEndpoint(this, 'ProxyReadOnly', {
        dbProxy: this.proxy,
        vpc,
        vpcSubnets,
        securityGroups: proxySecurityGroups,
        targetRole: rds.ProxyEndpointTargetRole.READ_ONLY,
      });
    }

    // With end-to-end IAM the proxy's role signs the token it logs in to the cluster with: only as the application user.
    (this.proxy.node.findChild('IAMRole') as iam.Role).addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['rds-db:connect'],
      resources: [this.clusterDbUserArn(this.applicationUsername)],
    }));

    this.applicationUser = this.createApplicationUser(databaseName, applicationSchema, props.logRetention ?? logs.RetentionDays.ONE_MONTH);
    acknowledgeSingletonFunctions(this);

    // addProxy (ProxyTarget.fromCluster) already opens the cluster's port from the proxy's security group, ingress
    // and egress. The proxy itself has no default port, so our Connections carries 5432 for callers.
    this.connections = new ec2.Connections({
      securityGroups: proxySecurityGroups,
      defaultPort: ec2.Port.tcp(POSTGRES_PORT),
    });
  }

  /** Opens TCP 5432 on the proxy to `peer`; the proxy already reaches the cluster. */
  public allowConnectionsFrom(peer: ec2.IConnectable, description = 'PostgreSQL through the RDS Proxy'): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  /**
   * Lets `grantee` connect through the proxy with IAM authentication as `dbUser` (`rds-db:connect` on the proxy's
   * resource id and that user). The proxy then logs in to the cluster as the same user with IAM (end-to-end IAM), so
   * the user must hold `rds_iam` in the database, as {@link applicationUsername} does.
   * @param dbUser the database user to log in as, by default {@link applicationUsername}
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string = this.applicationUsername): iam.Grant {
    return this.proxy.grantConnect(grantee, dbUser);
  }

  /** `arn:aws:rds-db:<region>:<account>:dbuser:<cluster resource id>/<user>`: a direct IAM login to the cluster as `user`. */
  private clusterDbUserArn(user: string): string {
    return Stack.of(this).formatArn({
      service: 'rds-db',
      resource: 'dbuser',
      resourceName: `${this.cluster.clusterResourceIdentifier}/${user}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /**
   * Runs {@link appUserSql} through the RDS Data API as the master user, on create and on every update (the SQL is
   * idempotent, so a role dropped by hand comes back on the next deployment). The function calls AWS APIs only; it is
   * not in the VPC. It may read the master secret and run statements on this cluster, nothing else.
   */
  private createApplicationUser(databaseName: string, schema: string, logRetention: logs.RetentionDays): cr.AwsCustomResource {
    const call: cr.AwsSdkCall = {
      service: 'RDSData',
      action: 'ExecuteStatement',
      parameters: {
        resourceArn: this.cluster.clusterArn,
        secretArn: this.secret.secretArn,
        database: databaseName,
        sql: appUserSql({ username: this.applicationUsername, databaseName, schema }),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`${this.applicationUsername}-role`),
    };
    const resource = new cr.AwsCustomResource(this, 'ApplicationUser', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['rds-data:ExecuteStatement'], resources: [this.cluster.clusterArn] }),
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [this.secret.secretArn] }),
        new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [this.encryptionKey.keyArn] }),
      ]),
      installLatestAwsSdk: false,
      timeout: Duration.minutes(2),
      // The same retention as the cluster's own log, instead of the provider's default two years.
      logGroup: new logs.LogGroup(this, 'ApplicationUserLog', { retention: logRetention, removalPolicy: RemovalPolicy.RETAIN }),
    });
    // The Data API answers only once an instance is available: wait for the writer and readers, not just the cluster.
    resource.node.addDependency(this.cluster);
    return resource;
  }

  /** Host name of the proxy (read/write, routed to the current writer): what applications connect to. */
  public get proxyEndpoint(): string {
    return this.proxy.endpoint;
  }

  /** Host name of the proxy's read-only endpoint (spread over the readers), or undefined without readers. */
  public get proxyReaderEndpoint(): string | undefined {
    return this.readOnlyEndpoint?.endpoint;
  }

  /** Host name of the cluster's writer endpoint (reachable from the proxy only, unless you open the cluster SG). */
  public get writerEndpoint(): string {
    return this.cluster.clusterEndpoint.hostname;
  }

  /** Host name of the cluster's reader endpoint (reachable from the proxy only, unless you open the cluster SG). */
  public get readerEndpoint(): string {
    return this.cluster.clusterReadEndpoint.hostname;
  }

  /**
   * CPU utilization of the current writer, in percent (DBClusterIdentifier + Role=WRITER: follows a failover,
   * unlike an instance id).
   */
  public metricWriterCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricCPUUtilization({ ...props, dimensionsMap: this.roleDimensions('WRITER') });
  }

  /** CPU utilization of the readers, in percent, averaged over them (DBClusterIdentifier + Role=READER). */
  public metricReaderCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricCPUUtilization({ ...props, dimensionsMap: this.roleDimensions('READER') });
  }

  /** Connections open on the cluster's instances (Average over them): the proxy's pool, plus the rotation function. */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricDatabaseConnections(props);
  }

  /** How far the readers trail the writer, in milliseconds (AuroraReplicaLag, Maximum over the readers). */
  public metricReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('AuroraReplicaLag', { statistic: 'Maximum', ...props, dimensionsMap: this.roleDimensions('READER') });
  }

  /**
   * Client connections open on the RDS Proxy. RDS publishes proxy metrics once a minute per proxy node, so the
   * proxy's total is the Sum over one minute (AWS's recommended statistic).
   */
  public metricProxyClientConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.proxyMetric('ClientConnections', props);
  }

  /** Connections the RDS Proxy holds open to the cluster (its pool), the Sum over its nodes per minute. */
  public metricProxyDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.proxyMetric('DatabaseConnections', props);
  }

  private roleDimensions(role: 'WRITER' | 'READER'): cloudwatch.DimensionsMap {
    return { DBClusterIdentifier: this.cluster.clusterIdentifier, Role: role };
  }

  private proxyMetric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      statistic: 'Sum',
      period: Duration.minutes(1),
      ...props,
      dimensionsMap: { ProxyName: this.proxy.dbProxyName },
    });
  }
}

/** Construct ids aws-cdk-lib gives its stack-wide singleton functions (LogRetention; AwsCustomResource's provider). */
const LOG_RETENTION_FUNCTION_ID = 'LogRetentionaae0aa3c5b4d4f87b02d85b201efdd8a';
const AWS_CUSTOM_RESOURCE_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Acknowledges, with reasons, what cdk-nag finds on the two aws-cdk-lib singleton functions this construct adds to its
 * stack: the log retention setter (cloudwatchLogsRetention on an RDS-owned log group) and the AwsCustomResource provider.
 */
function acknowledgeSingletonFunctions(scope: Construct): void {
  const stack = Stack.of(scope);
  const basicExecution = 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
  const logRetention = stack.node.tryFindChild(LOG_RETENTION_FUNCTION_ID);
  const logRetentionRole = logRetention?.node.tryFindChild('ServiceRole');
  if (logRetentionRole) {
    Validations.of(logRetentionRole.node.defaultChild as CfnResource).acknowledge({
      id: basicExecution,
      reason: 'aws-cdk-lib LogRetention function (sets the retention of the RDS-created PostgreSQL log group, which CloudFormation cannot adopt): ' +
        'the AWS-managed basic execution policy only lets it write its own logs',
    });
    Validations.of(logRetentionRole.node.findChild('DefaultPolicy').node.defaultChild as CfnResource).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'aws-cdk-lib LogRetention function: logs:PutRetentionPolicy and logs:DeleteRetentionPolicy on any log group, because the RDS log group name ' +
        'holds the cluster identifier, known only after deployment; it can change retention settings, not read or delete logs',
    });
  }
  const provider = stack.node.tryFindChild(AWS_CUSTOM_RESOURCE_FUNCTION_ID);
  const providerRole = provider?.node.tryFindChild('ServiceRole');
  if (providerRole) {
    Validations.of(providerRole.node.defaultChild as CfnResource).acknowledge({
      id: basicExecution,
      reason: 'aws-cdk-lib AwsCustomResource provider (creates the application database role through the RDS Data API at deploy time): ' +
        'the AWS-managed basic execution policy only lets it write its own logs; its other permissions are scoped to this cluster, its secret and key',
    });
  }
}

interface ResolvedProps {
  readonly readers: number;
  readonly databaseName: string;
  readonly maxConnectionsPercent: number;
  readonly maxIdleConnectionsPercent: number;
  readonly slowQueryLogMs: number;
}

/** Fails, naming the construct path, when a JavaScript caller (no type check) leaves out the required 'vpc'. */
function requireVpc(scope: Construct, props: AuroraPostgresProps | undefined): void {
  if (props?.vpc === undefined) {
    throw propError(scope, `'vpc' is required: pass the VPC to place the cluster in, e.g. { vpc: new Network(stack, 'Network').vpc } (one VPC shared by every tier of the stack)`);
  }
}

/** An empty list of security groups would leave the resource unreachable: fail rather than deploy that. */
function requireNonEmpty(scope: Construct, name: string, groups: readonly ec2.ISecurityGroup[] | undefined): void {
  if (groups !== undefined && groups.length === 0) {
    throw propError(scope, `'${name}' ([]) must hold at least one security group, or be left out for the default one`);
  }
}

function validate(scope: Construct, p: ResolvedProps): void {
  requireInteger(scope, 'readers', p.readers, 0, 15, 'Aurora allows one writer and up to 15 readers');
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(p.databaseName)) {
    throw propError(scope,
      `'databaseName' (${p.databaseName}) must start with a letter and hold only letters, digits and '_', at most 63 characters`,
    );
  }
  requireInteger(scope, 'proxyMaxConnectionsPercent', p.maxConnectionsPercent, 1, 100);
  requireInteger(
    scope,
    'proxyMaxIdleConnectionsPercent',
    p.maxIdleConnectionsPercent,
    0,
    p.maxConnectionsPercent,
    `idle connections cannot exceed 'proxyMaxConnectionsPercent' (${p.maxConnectionsPercent})`,
  );
  requireInteger(scope, 'slowQueryLogMs', p.slowQueryLogMs, -1, 2_147_483_647, '-1 turns the slow query log off');
}
