import { CfnResource, Duration, FeatureFlags, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { Network, SUBNET_GROUPS } from './network';
import { StableSecurityGroup } from './stable-security-group';
import { firstSubnetsOf } from './subnets';
import { requireInteger, requireNumber } from './validation';

/** Properties of {@link ApiTier}. Every prop is optional: `new ApiTier(stack, 'Api')` is a complete, safe API tier. */
export interface ApiTierProps {
  /**
   * The VPC to run in. Tasks go in the `Application` subnet group and the load balancer in `Public`
   * (internet-facing) or `Application` (internal); a VPC without those group names falls back to
   * private-with-egress and public subnets.
   * @default - a new {@link Network} with id 'Network'
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The container image to run.
   * @default ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx-unprivileged:stable') - a public placeholder that runs as a non-root user, no Docker build at synth
   */
  readonly image?: ecs.ContainerImage;

  /**
   * The port the container listens on; the target group sends traffic to it. A non-root process needs one >= 1024.
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * The user the container runs as (uid, uid:gid or a user name in the image). Root ('0', 'root') is refused.
   * @default '101' - nginx-unprivileged's user
   */
  readonly containerUser?: string;

  /**
   * Whether the container's root filesystem is read-only. Give the paths the process writes to as `writablePaths`.
   * @default true
   */
  readonly readonlyRootFilesystem?: boolean;

  /**
   * Writable directories, each an ephemeral task volume mounted read-write (the rest of the filesystem is read-only).
   * @default ['/tmp', '/var/cache/nginx', '/var/run'] - what nginx writes (pid file, caches, temporary files)
   */
  readonly writablePaths?: string[];

  /**
   * The HTTP path the load balancer probes to decide whether a task is healthy.
   * @default '/'
   */
  readonly healthCheckPath?: string;

  /**
   * Fargate CPU units per task (1024 = 1 vCPU). Must form a valid Fargate combination with `memoryLimitMiB`.
   * @default 1024
   */
  readonly cpu?: number;

  /**
   * Memory per task, in MiB. Must form a valid Fargate combination with `cpu`.
   * @default 2048
   */
  readonly memoryLimitMiB?: number;

  /**
   * The CPU architecture the image is built for.
   * @default ecs.CpuArchitecture.X86_64
   */
  readonly cpuArchitecture?: ecs.CpuArchitecture;

  /**
   * The fewest tasks auto scaling keeps running. Two or more keep the tier up when an AZ or a task fails.
   * @default 2
   */
  readonly minTasks?: number;

  /**
   * The most tasks auto scaling may run.
   * @default 4
   */
  readonly maxTasks?: number;

  /**
   * Average service CPU utilization, in percent, that target tracking keeps the service at.
   * @default 65
   */
  readonly targetCpuPercent?: number;

  /**
   * ALB requests per task per minute that target tracking (ALBRequestCountPerTarget) keeps the service at.
   * @default 3000
   */
  readonly requestsPerTargetPerMinute?: number;

  /**
   * Seconds after a scale-out before another scale-out may start.
   * @default 60
   */
  readonly scaleOutCooldownSec?: number;

  /**
   * Seconds after a scale-in before another scale-in may start. Longer than scale-out, so a dip does not remove tasks a spike needs.
   * @default 300
   */
  readonly scaleInCooldownSec?: number;

  /**
   * Seconds the load balancer keeps sending in-flight requests to a deregistering task before it is stopped.
   * @default 30
   */
  readonly deregistrationDelaySec?: number;

  /**
   * Seconds between load-balancer health checks; a task is healthy after 2 passes and out after 3 failures.
   * @default 15
   */
  readonly healthCheckIntervalSec?: number;

  /**
   * Seconds ECS ignores failing load-balancer health checks of a new task: at least its start-up time, or ECS stops
   * tasks that are still booting (0 to 2,147,483,647).
   * @default 60
   */
  readonly healthCheckGracePeriodSec?: number;

  /**
   * Plain environment variables for the container.
   * @default - none
   */
  readonly environment?: Record<string, string>;

  /**
   * Secrets (Secrets Manager or SSM parameters) injected into the container as environment variables.
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;

  /**
   * Whether the load balancer is internet-facing. The default is internal, because CloudFront reaches
   * it through a CloudFront VPC origin; its security group then admits only the VPC CIDR.
   * @default false
   */
  readonly internetFacing?: boolean;

  /**
   * A certificate for an HTTPS listener on 443 (TLS 1.2+). An ACM `ICertificate` fits this type as is.
   * @default - no certificate: an HTTP listener on 80
   */
  readonly certificate?: elbv2.IListenerCertificate;

  /**
   * Where the load balancer writes its access logs (always on). ALB log delivery needs S3-managed
   * encryption: a bucket with SSE-KMS receives no logs.
   * @default - a new bucket with id 'AccessLogs': S3-managed encryption, SSL only, no public access, versioned, objects expire after 365 days, retained on stack deletion
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * How long container logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * A customer-managed KMS key for the container log group (its key policy must let the CloudWatch Logs service
   * principal of the region use it).
   * @default - CloudWatch Logs' own encryption at rest
   */
  readonly logEncryptionKey?: kms.IKey;

  /**
   * Days an overwritten or deleted access log stays recoverable as a noncurrent version of the default access-log
   * bucket (versioning is on so a log cannot be silently replaced or removed).
   * @default 90
   */
  readonly accessLogNoncurrentVersionDays?: number;

  /**
   * Whether the load balancer has deletion protection on (turn off only to tear down a test environment).
   * @default true
   */
  readonly loadBalancerDeletionProtection?: boolean;
}

/** The defaults of {@link ApiTierProps}, in one place. */
export const API_TIER_DEFAULTS = {
  image: 'public.ecr.aws/nginx/nginx-unprivileged:stable',
  containerPort: 8080,
  containerUser: '101',
  readonlyRootFilesystem: true,
  writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] as readonly string[],
  healthCheckPath: '/',
  cpu: 1024,
  memoryLimitMiB: 2048,
  minTasks: 2,
  maxTasks: 4,
  targetCpuPercent: 65,
  requestsPerTargetPerMinute: 3000,
  scaleOutCooldownSec: 60,
  scaleInCooldownSec: 300,
  deregistrationDelaySec: 30,
  healthCheckIntervalSec: 15,
  healthCheckGracePeriodSec: 60,
  internetFacing: false,
  loadBalancerDeletionProtection: true,
  logRetention: logs.RetentionDays.ONE_MONTH,
  accessLogExpirationDays: 365,
  accessLogNoncurrentVersionDays: 90,
} as const;

/**
 * Valid Fargate memory sizes (MiB) per CPU size (units), from the ECS task-size table:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
const FARGATE_MEMORY_BY_CPU: Record<number, { min: number; max: number; step: number; values?: readonly number[] }> = {
  256: { min: 512, max: 2048, step: 512, values: [512, 1024, 2048] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

/** Seconds a container gets between SIGTERM and SIGKILL. */
const STOP_TIMEOUT_SEC = 30;

/**
 * An ECS cluster running a Fargate service behind an Application Load Balancer, auto scaled on both CPU and
 * requests per task.
 *
 * Defaults are production-safe: an internal ALB reachable only from inside the VPC (CloudFront VPC origin),
 * access logs on, at least two tasks, deployments that roll back on failure and never drop below full
 * capacity, Container Insights (enhanced), and container logs kept for a month.
 */
export class ApiTier extends Construct implements ec2.IConnectable {
  /** The ECS cluster. */
  public readonly cluster: ecs.Cluster;
  /** The Fargate service. Its task count is owned by {@link scaling}. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The Application Load Balancer in front of the service. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener: HTTPS on 443 with a certificate, else HTTP on 80. */
  public readonly listener: elbv2.ApplicationListener;
  /** The target group the service's tasks register in. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The service's scalable task count, with CPU and request-count target tracking attached. */
  public readonly scaling: ecs.ScalableTaskCount;
  /** The container's log group. */
  public readonly logGroup: logs.LogGroup;
  /** The bucket receiving the load balancer's access logs. */
  public readonly accessLogBucket: s3.IBucket;
  /** The VPC the tier runs in. */
  public readonly vpc: ec2.IVpc;
  /** The tasks' network connections: allow them to reach a database with `db.connections.allowDefaultPortFrom(apiTier)`. */
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: ApiTierProps = {}) {
    super(scope, id);
    const d = API_TIER_DEFAULTS;
    const containerPort = props.containerPort ?? d.containerPort;
    const healthCheckPath = props.healthCheckPath ?? d.healthCheckPath;
    const cpu = props.cpu ?? d.cpu;
    const memoryLimitMiB = props.memoryLimitMiB ?? d.memoryLimitMiB;
    const minTasks = props.minTasks ?? d.minTasks;
    const maxTasks = props.maxTasks ?? d.maxTasks;
    const targetCpuPercent = props.targetCpuPercent ?? d.targetCpuPercent;
    const requestsPerTarget = props.requestsPerTargetPerMinute ?? d.requestsPerTargetPerMinute;
    const scaleOutCooldownSec = props.scaleOutCooldownSec ?? d.scaleOutCooldownSec;
    const scaleInCooldownSec = props.scaleInCooldownSec ?? d.scaleInCooldownSec;
    const deregistrationDelaySec = props.deregistrationDelaySec ?? d.deregistrationDelaySec;
    const healthCheckIntervalSec = props.healthCheckIntervalSec ?? d.healthCheckIntervalSec;
    const healthCheckGracePeriodSec = props.healthCheckGracePeriodSec ?? d.healthCheckGracePeriodSec;
    const internetFacing = props.internetFacing ?? d.internetFacing;
    const containerUser = props.containerUser ?? d.containerUser;
    const writablePaths = props.writablePaths ?? [...d.writablePaths];

    requireInteger('containerPort', containerPort, 1, 65535);
    if (/^(0|root)(:.*)?$/.test(containerUser) || !/^[A-Za-z0-9_-]{1,32}(:[A-Za-z0-9_-]{1,32})?$/.test(containerUser)) {
      throw new Error(`'containerUser' (${containerUser}) must be a non-root user: a uid, uid:gid or user name other than 0 or root`);
    }
    for (const p of writablePaths) {
      if (!/^\/[A-Za-z0-9_\-./]{0,254}$/.test(p) || p === '/') throw new Error(`'writablePaths' contains '${p}': each must be an absolute directory other than '/'`);
    }
    if (new Set(writablePaths).size !== writablePaths.length) throw new Error(`'writablePaths' (${JSON.stringify(writablePaths)}) lists a path twice`);
    if (!healthCheckPath.startsWith('/') || healthCheckPath.length > 1024) {
      throw new Error(`'healthCheckPath' (${healthCheckPath}) must start with '/' and be at most 1024 characters`);
    }
    validateFargateSize(cpu, memoryLimitMiB);
    requireInteger('minTasks', minTasks, 1, Number.MAX_SAFE_INTEGER);
    requireInteger('maxTasks', maxTasks, 1, Number.MAX_SAFE_INTEGER);
    if (minTasks > maxTasks) {
      throw new Error(`'minTasks' (${minTasks}) must be <= 'maxTasks' (${maxTasks})`);
    }
    // Below 10% the service scales out on noise; above 95% there is no headroom left while new tasks start.
    requireNumber('targetCpuPercent', targetCpuPercent, 10, 95);
    requireNumber('requestsPerTargetPerMinute', requestsPerTarget, 1, Number.MAX_SAFE_INTEGER);
    requireInteger('scaleOutCooldownSec', scaleOutCooldownSec, 0, 86400);
    requireInteger('scaleInCooldownSec', scaleInCooldownSec, 0, 86400);
    // The ELB API's own range for deregistration_delay.timeout_seconds.
    requireInteger('deregistrationDelaySec', deregistrationDelaySec, 0, 3600);
    // ELB's range for the interval; the 5 s timeout must stay below it.
    requireInteger('healthCheckIntervalSec', healthCheckIntervalSec, 6, 300);
    requireInteger('healthCheckGracePeriodSec', healthCheckGracePeriodSec, 0, 2_147_483_647);
    if (Token.isUnresolved(Stack.of(this).region)) {
      // ALB log delivery is granted to the region's ELB account, which an environment-agnostic stack cannot name.
      throw new Error(`ApiTier '${id}' needs a stack with an explicit region (env: { region }): ALB access logs are always on and their bucket policy depends on the region`);
    }

    this.vpc = props.vpc ?? new Network(this, 'Network').vpc;
    const taskSubnets = firstSubnetsOf(this.vpc, [{ subnetGroupName: SUBNET_GROUPS.application }]) ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const loadBalancerSubnets = internetFacing
      ? firstSubnetsOf(this.vpc, [{ subnetGroupName: SUBNET_GROUPS.public }]) ?? { subnetType: ec2.SubnetType.PUBLIC }
      : taskSubnets;

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: this.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? d.logRetention,
      encryptionKey: props.logEncryptionKey,
      // Application logs are incident evidence: keep them when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Names from the stack name and the path inside the stack (not the construct path from the app root), so the
    // same tier synthesized under another stack id, as the phases are, keeps its names and rules.
    const baseName = Names.uniqueResourceName(this, { separator: '-', maxLength: 200 });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: baseName,
      cpu,
      memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: props.cpuArchitecture ?? ecs.CpuArchitecture.X86_64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });

    this.container = this.taskDefinition.addContainer('Container', {
      image: props.image ?? ecs.ContainerImage.fromRegistry(d.image),
      essential: true,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      environment: props.environment,
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'api' }),
      // Time between SIGTERM and SIGKILL. ECS sends SIGTERM only after the deregistration delay, so new traffic has
      // stopped; this lets the process finish what it still holds and shut down cleanly (Fargate allows up to 120 s).
      // No container health check: the image may lack curl, and the ALB health check already decides.
      stopTimeout: Duration.seconds(STOP_TIMEOUT_SEC),
      // Least privilege inside the task: never root, and nothing writable but the volumes below.
      user: containerUser,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? d.readonlyRootFilesystem,
    });
    // Fargate bind-mount volumes without a host path: ephemeral task storage, gone with the task.
    writablePaths.forEach((containerPath, i) => {
      const sourceVolume = `writable${i + 1}`;
      this.taskDefinition.addVolume({ name: sourceVolume });
      this.container.addMountPoints({ containerPath, sourceVolume, readOnly: false });
    });

    // Egress is opened per need: the database and cache add their ports (allowConnectionsFrom), and HTTPS goes out
    // through the NAT for the AWS APIs a task calls (ECR image pulls, CloudWatch Logs, Secrets Manager, STS/RDS
    // tokens). Those APIs have no fixed addresses, so 443 is open to any IPv4; nothing else leaves the tasks.
    // (The description is unchanged: a new one would replace the group.)
    const serviceSecurityGroup = new StableSecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'API tasks: ingress from their load balancer only',
      allowAllOutbound: false,
    });
    serviceSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager) through the NAT');
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      securityGroups: [serviceSecurityGroup],
      taskDefinition: this.taskDefinition,
      // No desiredCount: auto scaling owns the task count, and a fixed value would reset it on every deploy.
      circuitBreaker: { enable: true, rollback: true },
      // Start new tasks before stopping old ones, so a deployment never lowers capacity.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      assignPublicIp: false,
      vpcSubnets: taskSubnets,
      // Time for a new task to start and pass its first ALB health checks before ECS may replace it.
      healthCheckGracePeriod: Duration.seconds(healthCheckGracePeriodSec),
    });
    this.connections = this.service.connections;

    const noncurrentDays = props.accessLogNoncurrentVersionDays ?? d.accessLogNoncurrentVersionDays;
    requireInteger('accessLogNoncurrentVersionDays', noncurrentDays, 1, 3650);
    this.accessLogBucket = props.accessLogBucket ?? this.createAccessLogBucket(noncurrentDays);

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      securityGroup: new StableSecurityGroup(this, 'LoadBalancerSecurityGroup', {
        vpc: this.vpc,
        description: 'API load balancer: listener ingress, egress to its tasks',
        allowAllOutbound: false,
      }),
      internetFacing,
      vpcSubnets: loadBalancerSubnets,
      // Requests with malformed headers are dropped rather than forwarded (HTTP desync protection).
      dropInvalidHeaderFields: true,
      deletionProtection: props.loadBalancerDeletionProtection ?? d.loadBalancerDeletionProtection,
    });
    this.loadBalancer.logAccessLogs(this.accessLogBucket);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay: Duration.seconds(deregistrationDelaySec),
      healthCheck: {
        path: healthCheckPath,
        protocol: elbv2.Protocol.HTTP,
        healthyHttpCodes: '200-399',
        // A task is in service after 2 good answers and out after 3 bad ones.
        interval: Duration.seconds(healthCheckIntervalSec),
        timeout: Duration.seconds(5),
        healthyThresholdCount: 2,
        unhealthyThresholdCount: 3,
      },
    });
    this.service.attachToApplicationTargetGroup(this.targetGroup);

    const https = props.certificate !== undefined;
    this.listener = this.loadBalancer.addListener('Listener', {
      protocol: https ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
      port: https ? 443 : 80,
      certificates: props.certificate ? [props.certificate] : undefined,
      // TLS 1.2+; with the usePostQuantumTlsPolicy feature flag CDK picks the post-quantum variant itself.
      sslPolicy: https && !FeatureFlags.of(this).isEnabled(cxapi.ELB_USE_POST_QUANTUM_TLS_POLICY)
        ? elbv2.SslPolicy.RECOMMENDED_TLS
        : undefined,
      // Ingress is added below: an internal ALB only admits the VPC (where CloudFront's VPC origin ENIs live).
      open: false,
      defaultTargetGroups: [this.targetGroup],
    });
    this.listener.connections.allowDefaultPortFrom(
      internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(vpcCidr(this.vpc)),
      internetFacing ? 'Listener from the internet' : 'Listener from inside the VPC (CloudFront VPC origin)',
    );

    this.scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
    const cooldowns = {
      scaleOutCooldown: Duration.seconds(scaleOutCooldownSec),
      scaleInCooldown: Duration.seconds(scaleInCooldownSec),
    };
    // Two policies: CPU catches expensive requests, request count catches I/O-bound load that leaves CPU idle.
    // Application Auto Scaling scales out if either asks to, and in only when both allow it.
    this.scaling.scaleOnCpuUtilization('CpuScaling', { policyName: `${baseName}-cpu`, targetUtilizationPercent: targetCpuPercent, ...cooldowns });
    this.scaling.scaleOnRequestCount('RequestCountScaling', {
      policyName: `${baseName}-requests`,
      requestsPerTarget,
      targetGroup: this.targetGroup,
      ...cooldowns,
    });
  }

  /** The default access-log bucket: S3-managed encryption, SSL only, no public access, versioned, objects kept a year, retained. */
  private createAccessLogBucket(noncurrentDays: number): s3.Bucket {
    const d = API_TIER_DEFAULTS;
    const bucket = new s3.Bucket(this, 'AccessLogs', {
      // ALB log delivery supports only SSE-S3, not SSE-KMS.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      versioned: true,
      lifecycleRules: [{
        expiration: Duration.days(d.accessLogExpirationDays),
        // Versioning keeps an overwritten or deleted log recoverable for this long (audit evidence), then frees it:
        // expiry only adds a delete marker, so without this nothing would ever be freed.
        noncurrentVersionExpiration: Duration.days(noncurrentDays),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(bucket.node.defaultChild as CfnResource).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This bucket is itself an access-log destination (ALB access logs): server access logs of it would need another log bucket, ' +
        'which would need one in turn. It is SSL-only, versioned, never public and retained; reads and deletes of its objects are audited by CloudTrail S3 data events on the account trail, not by this stack',
    });
    return bucket;
  }

  /** Average CPU utilization of the service's tasks, in percent. */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** Requests per task, as the request-count scaling policy sees them. */
  public metricRequestCountPerTarget(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCountPerTarget(props);
  }

  /** Time from the load balancer sending a request to a task until the response starts. */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime(props);
  }

  /** 95th percentile of the target response time, in seconds (ALB publishes TargetResponseTime in seconds): the usual latency SLI. */
  public metricTargetResponseTimeP95(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime({ statistic: 'p95', ...props });
  }

  /** 99th percentile of the target response time, in seconds: the tail the slowest 1 % of requests see. */
  public metricTargetResponseTimeP99(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime({ statistic: 'p99', ...props });
  }

  /** Requests the load balancer handled (Sum), the "valid events" of an availability SLO. */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.loadBalancer.metrics.requestCount(props);
  }

  /**
   * Server errors the clients saw (Sum): 5xx answered by the tasks plus 5xx the load balancer generated itself
   * (502/503/504 when no task is healthy or a task hangs up), the "bad events" of an availability SLO.
   * ELB publishes a 5xx count only when it is non-zero, so each side is filled with 0: otherwise a period with
   * errors on one side only would have no sum at all.
   */
  public metric5xxCount(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const period = props?.period;
    return new cloudwatch.MathExpression({
      expression: 'FILL(api5xxTarget, 0) + FILL(api5xxElb, 0)',
      usingMetrics: {
        api5xxTarget: this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }),
        api5xxElb: this.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum', period }),
      },
      label: 'API 5xx (target + load balancer)',
      ...props,
    });
  }

  /**
   * Server errors as a percentage of requests: 100 x {@link metric5xxCount} / {@link metricRequestCount}, in percent like
   * CloudFront's 5xxErrorRate. ELB counts requests it rejected before choosing a target (503 with no healthy task)
   * in the 5xx but not in RequestCount, so in a total outage this can exceed 100: it errs towards alarming.
   */
  public metric5xxRate(props?: cloudwatch.MathExpressionOptions): cloudwatch.MathExpression {
    const period = props?.period;
    return new cloudwatch.MathExpression({
      expression: '100 * (FILL(api5xxTarget, 0) + FILL(api5xxElb, 0)) / apiRequests',
      usingMetrics: {
        api5xxTarget: this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: 'Sum', period }),
        api5xxElb: this.loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: 'Sum', period }),
        apiRequests: this.loadBalancer.metrics.requestCount({ statistic: 'Sum', period }),
      },
      label: 'API 5xx rate (%)',
      ...props,
    });
  }

  /** Average memory utilization of the service's tasks, in percent of the task's memory. */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }
}

/**
 * The VPC's IPv4 CIDR as a literal when the VPC was defined with one (as {@link Network} does), else the token.
 * A literal shows reviewers and checks (cdk-nag AwsSolutions-EC23) that the listener admits the VPC, not the internet.
 */
function vpcCidr(vpc: ec2.IVpc): string {
  if (!Token.isUnresolved(vpc.vpcCidrBlock)) return vpc.vpcCidrBlock;
  const cfnVpc = vpc.node.defaultChild;
  if (cfnVpc instanceof ec2.CfnVPC && typeof cfnVpc.cidrBlock === 'string' && !Token.isUnresolved(cfnVpc.cidrBlock)) return cfnVpc.cidrBlock;
  return vpc.vpcCidrBlock;
}

function validateFargateSize(cpu: number, memoryLimitMiB: number): void {
  const sizes = FARGATE_MEMORY_BY_CPU[cpu];
  if (sizes === undefined) {
    throw new Error(`'cpu' (${cpu}) must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`);
  }
  const valid = sizes.values
    ? sizes.values.includes(memoryLimitMiB)
    : memoryLimitMiB >= sizes.min && memoryLimitMiB <= sizes.max && (memoryLimitMiB - sizes.min) % sizes.step === 0;
  if (!valid) {
    const allowed = sizes.values ? sizes.values.join(', ') : `${sizes.min} to ${sizes.max} in steps of ${sizes.step}`;
    throw new Error(`'memoryLimitMiB' (${memoryLimitMiB}) is not valid with 'cpu' (${cpu}): Fargate allows ${allowed} MiB`);
  }
}
