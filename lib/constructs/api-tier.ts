import { Annotations, CfnResource, Duration, FeatureFlags, Names, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { SUBNET_GROUPS } from './network';
import { StableSecurityGroup } from './stable-security-group';
import { firstSubnetsOf } from './subnets';
import { propError, requireInteger, requireNumber, requireWholeDuration } from './validation';

/** A scheduled change of the fewest tasks (e.g. raised ahead of a known sale, lowered after it). */
export interface ApiScheduledMinTasks {
  /** Construct id of the scheduled action: letters and digits, unique in the tier. */
  readonly id: string;
  /** When: `appscaling.Schedule.at(date)` (UTC) for one event, `Schedule.cron(...)` for a recurring one. */
  readonly schedule: appscaling.Schedule;
  /** The fewest tasks from then on (1 to `maxTasks`). */
  readonly minTasks: number;
}

/** One step of the burst policy: from this service CPU % up, add this % of the running tasks. */
export interface ApiBurstStep {
  /** Average service CPU % (1-minute) from which the step applies, 1 to 99. */
  readonly lowerCpuPercent: number;
  /** Tasks added, as a % of the running tasks (at least one task), 1 to 1000. */
  readonly changePercent: number;
}

/**
 * Properties of {@link ApiTier}. Only `vpc` is required (as for `rds.DatabaseCluster`): a construct that made its
 * own VPC would give two tiers in one stack two overlapping VPCs that cannot reach each other.
 */
export interface ApiTierProps {
  /**
   * The VPC to run in, e.g. `new Network(stack, 'Network').vpc`. Tasks go in the `Application` subnet group and the
   * load balancer in `Public` (internet-facing) or `Application` (internal); a VPC without those group names falls
   * back to private-with-egress and public subnets.
   */
  readonly vpc: ec2.IVpc;

  /**
   * An existing ECS cluster to run the service in (as `ecs_patterns.ApplicationLoadBalancedFargateService` accepts).
   * It must be in `vpc`. Its settings (Container Insights) are the owner's.
   * @default - a new cluster with id 'Cluster', Container Insights (enhanced)
   */
  readonly cluster?: ecs.ICluster;

  /**
   * Security groups of the tasks. The load balancer's group is allowed in on the container port of each.
   * @default - a new group with id 'ServiceSecurityGroup' (all egress; ingress from the load balancer only)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Subnets the tasks run in.
   * @default - the `Application` subnet group, else private subnets with egress
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * Subnets of the load balancer.
   * @default - internal: the task subnets; internet-facing: the `Public` subnet group, else public subnets
   */
  readonly loadBalancerSubnets?: ec2.SubnetSelection;

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
   * Scheduled changes of the fewest tasks, e.g. raised ahead of each known event and lowered after it.
   * @default - none
   */
  readonly scheduledMinTasks?: ApiScheduledMinTasks[];

  /**
   * A step-scaling policy on service CPU beside target tracking, for bursts: it alarms on one 1-minute datapoint
   * (target tracking waits for three) and adds a % of the running tasks per step. Steps in ascending CPU order, 1 to 5.
   * The scalable target takes the largest capacity any policy asks for; the step policy never scales in.
   * @default - none: target tracking only
   */
  readonly burstScalingSteps?: ApiBurstStep[];

  /**
   * How long after a scale-out before another scale-out may start (whole seconds, 0 to 86,400).
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * How long after a scale-in before another scale-in may start (whole seconds, 0 to 86,400). Longer than scale-out, so a dip does not remove tasks a spike needs.
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long the load balancer keeps sending in-flight requests to a deregistering task before it is stopped (whole seconds, 0 to 3,600).
   * @default Duration.seconds(30)
   */
  readonly deregistrationDelay?: Duration;

  /**
   * Time between load-balancer health checks (whole seconds, 6 to 300); a task is healthy after 2 passes and out after 3 failures.
   * @default Duration.seconds(15)
   */
  readonly healthCheckInterval?: Duration;

  /**
   * How long ECS ignores failing load-balancer health checks of a new task: at least its start-up time, or ECS stops tasks that are still booting (whole seconds, 0 to 2,147,483,647).
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

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
  scaleOutCooldown: Duration.seconds(60),
  scaleInCooldown: Duration.seconds(300),
  deregistrationDelay: Duration.seconds(30),
  healthCheckInterval: Duration.seconds(15),
  healthCheckGracePeriod: Duration.seconds(60),
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
  /** The ECS cluster (the given one, or the one created here). */
  public readonly cluster: ecs.ICluster;
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

  constructor(scope: Construct, id: string, props: ApiTierProps) {
    super(scope, id);
    requireVpc(this, props);
    const d = API_TIER_DEFAULTS;
    const containerPort = props.containerPort ?? d.containerPort;
    const healthCheckPath = props.healthCheckPath ?? d.healthCheckPath;
    const cpu = props.cpu ?? d.cpu;
    const memoryLimitMiB = props.memoryLimitMiB ?? d.memoryLimitMiB;
    const minTasks = props.minTasks ?? d.minTasks;
    const maxTasks = props.maxTasks ?? d.maxTasks;
    const targetCpuPercent = props.targetCpuPercent ?? d.targetCpuPercent;
    const requestsPerTarget = props.requestsPerTargetPerMinute ?? d.requestsPerTargetPerMinute;
    const internetFacing = props.internetFacing ?? d.internetFacing;
    const containerUser = props.containerUser ?? d.containerUser;
    const writablePaths = props.writablePaths ?? [...d.writablePaths];

    requireInteger(this, 'containerPort', containerPort, 1, 65535);
    if (/^(0|root)(:.*)?$/.test(containerUser) || !/^[A-Za-z0-9_-]{1,32}(:[A-Za-z0-9_-]{1,32})?$/.test(containerUser)) {
      throw propError(this, `'containerUser' (${containerUser}) must be a non-root user: a uid, uid:gid or user name other than 0 or root`);
    }
    for (const p of writablePaths) {
      if (!/^\/[A-Za-z0-9_\-./]{0,254}$/.test(p) || p === '/') throw propError(this, `'writablePaths' contains '${p}': each must be an absolute directory other than '/'`);
    }
    if (new Set(writablePaths).size !== writablePaths.length) throw propError(this, `'writablePaths' (${JSON.stringify(writablePaths)}) lists a path twice`);
    if (!healthCheckPath.startsWith('/') || healthCheckPath.length > 1024) {
      throw propError(this, `'healthCheckPath' (${healthCheckPath}) must start with '/' and be at most 1024 characters`);
    }
    validateFargateSize(this, cpu, memoryLimitMiB);
    requireInteger(this, 'minTasks', minTasks, 1, Number.MAX_SAFE_INTEGER);
    requireInteger(this, 'maxTasks', maxTasks, 1, Number.MAX_SAFE_INTEGER);
    if (minTasks > maxTasks) {
      throw propError(this, `'minTasks' (${minTasks}) must be <= 'maxTasks' (${maxTasks})`);
    }
    // Below 10% the service scales out on noise; above 95% there is no headroom left while new tasks start.
    requireNumber(this, 'targetCpuPercent', targetCpuPercent, 10, 95);
    requireNumber(this, 'requestsPerTargetPerMinute', requestsPerTarget, 1, Number.MAX_SAFE_INTEGER);
    // Application Auto Scaling's range for cooldowns.
    const scaleOutCooldown = Duration.seconds(requireWholeDuration(this, 'scaleOutCooldown', props.scaleOutCooldown ?? d.scaleOutCooldown, 'seconds', 0, 86400));
    const scaleInCooldown = Duration.seconds(requireWholeDuration(this, 'scaleInCooldown', props.scaleInCooldown ?? d.scaleInCooldown, 'seconds', 0, 86400));
    validateScheduledMinTasks(this, props.scheduledMinTasks ?? [], maxTasks);
    validateBurstSteps(this, props.burstScalingSteps ?? []);
    // The ELB API's own range for deregistration_delay.timeout_seconds.
    const deregistrationDelay = Duration.seconds(requireWholeDuration(this, 'deregistrationDelay', props.deregistrationDelay ?? d.deregistrationDelay, 'seconds', 0, 3600));
    // ELB's range for the interval; the 5 s timeout must stay below it.
    const healthCheckInterval = Duration.seconds(requireWholeDuration(this, 'healthCheckInterval', props.healthCheckInterval ?? d.healthCheckInterval, 'seconds', 6, 300));
    const healthCheckGracePeriod = Duration.seconds(
      requireWholeDuration(this, 'healthCheckGracePeriod', props.healthCheckGracePeriod ?? d.healthCheckGracePeriod, 'seconds', 0, 2_147_483_647));
    // ALB log delivery is granted to the region's ELB account, which an environment-agnostic stack cannot name. An
    // error annotation, not a throw: `cdk synth` then prints this message (no stack trace) and refuses the stack.
    const regionKnown = !Token.isUnresolved(Stack.of(this).region);
    if (!regionKnown) {
      Annotations.of(this).addError('ApiTier needs a stack with an explicit region (env: { account, region }): ALB access logs are always on and their bucket policy depends on the region');
    }

    this.vpc = props.vpc;
    if (props.cluster && !sameVpc(props.cluster.vpc, this.vpc)) {
      throw propError(this, `'cluster' is in VPC ${props.cluster.vpc.node.path}, not in 'vpc' (${this.vpc.node.path}): the tasks, the load balancer and the cluster must share one VPC`);
    }
    if (props.securityGroups !== undefined && props.securityGroups.length === 0) {
      throw propError(this, `'securityGroups' ([]) must hold at least one security group, or be left out for the default one`);
    }
    const taskSubnets = props.taskSubnets
      ?? firstSubnetsOf(this.vpc, [{ subnetGroupName: SUBNET_GROUPS.application }])
      ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const loadBalancerSubnets = props.loadBalancerSubnets ?? (internetFacing
      ? firstSubnetsOf(this.vpc, [{ subnetGroupName: SUBNET_GROUPS.public }]) ?? { subnetType: ec2.SubnetType.PUBLIC }
      : taskSubnets);

    this.cluster = props.cluster ?? new ecs.Cluster(this, 'Cluster', {
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
    // (The description is unchanged: a new one would replace the group.) Groups you bring keep their own rules.
    const serviceSecurityGroups = props.securityGroups ?? [this.createServiceSecurityGroup()];
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      securityGroups: serviceSecurityGroups,
      taskDefinition: this.taskDefinition,
      // No desiredCount: auto scaling owns the task count, and a fixed value would reset it on every deploy.
      circuitBreaker: { enable: true, rollback: true },
      // Start new tasks before stopping old ones, so a deployment never lowers capacity.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      assignPublicIp: false,
      vpcSubnets: taskSubnets,
      // Time for a new task to start and pass its first ALB health checks before ECS may replace it.
      healthCheckGracePeriod,
    });
    this.connections = this.service.connections;

    const noncurrentDays = props.accessLogNoncurrentVersionDays ?? d.accessLogNoncurrentVersionDays;
    requireInteger(this, 'accessLogNoncurrentVersionDays', noncurrentDays, 1, 3650);
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
    if (regionKnown) this.loadBalancer.logAccessLogs(this.accessLogBucket);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc: this.vpc,
      targetType: elbv2.TargetType.IP,
      protocol: elbv2.ApplicationProtocol.HTTP,
      port: containerPort,
      deregistrationDelay,
      healthCheck: {
        path: healthCheckPath,
        protocol: elbv2.Protocol.HTTP,
        healthyHttpCodes: '200-399',
        // A task is in service after 2 good answers and out after 3 bad ones.
        interval: healthCheckInterval,
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
    const cooldowns = { scaleOutCooldown, scaleInCooldown };
    // Two policies: CPU catches expensive requests, request count catches I/O-bound load that leaves CPU idle.
    // Application Auto Scaling scales out if either asks to, and in only when both allow it.
    this.scaling.scaleOnCpuUtilization('CpuScaling', { policyName: `${baseName}-cpu`, targetUtilizationPercent: targetCpuPercent, ...cooldowns });
    this.scaling.scaleOnRequestCount('RequestCountScaling', {
      policyName: `${baseName}-requests`,
      requestsPerTarget,
      targetGroup: this.targetGroup,
      ...cooldowns,
    });
    for (const action of props.scheduledMinTasks ?? []) {
      this.scaling.scaleOnSchedule(action.id, { schedule: action.schedule, minCapacity: action.minTasks });
    }
    const burst = props.burstScalingSteps;
    if (burst && burst.length > 0) {
      // Below the first step nothing changes; no negative step, so scale-in stays with target tracking.
      this.scaling.scaleOnMetric('BurstScaling', {
        metric: this.service.metricCpuUtilization({ period: Duration.minutes(1), statistic: 'Average' }),
        scalingSteps: [{ upper: burst[0].lowerCpuPercent, change: 0 }, ...burst.map((s) => ({ lower: s.lowerCpuPercent, change: s.changePercent }))],
        adjustmentType: appscaling.AdjustmentType.PERCENT_CHANGE_IN_CAPACITY,
        minAdjustmentMagnitude: 1,
        cooldown: scaleOutCooldown,
        evaluationPeriods: 1,
      });
      // A stack-relative name like the target-tracking policies' (CDK's default embeds the construct path, which
      // differs between phase stacks and would replace the policy on every promotion).
      const burstPolicy = this.scaling.node.findAll().find((c) => c.node.id === 'BurstScaling') as appscaling.StepScalingPolicy;
      (burstPolicy.upperAction!.node.defaultChild as appscaling.CfnScalingPolicy).policyName = `${baseName}-burst`;
    }
  }

  /** The default task security group: ingress from the load balancer only, egress HTTPS plus what peers open. */
  private createServiceSecurityGroup(): ec2.ISecurityGroup {
    const group = new StableSecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: this.vpc,
      description: 'API tasks: ingress from their load balancer only',
      allowAllOutbound: false,
    });
    group.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to AWS APIs (ECR, CloudWatch Logs, Secrets Manager) through the NAT');
    return group;
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

/** Whether two VPCs are the same one (the same object, or the same VPC id). */
function sameVpc(a: ec2.IVpc, b: ec2.IVpc): boolean {
  return a === b || a.vpcId === b.vpcId;
}

/** Fails, naming the construct path, when a JavaScript caller (no type check) leaves out the required 'vpc'. */
function requireVpc(scope: Construct, props: ApiTierProps | undefined): void {
  if (props?.vpc === undefined) {
    throw propError(scope, `'vpc' is required: pass the VPC to run in, e.g. { vpc: new Network(stack, 'Network').vpc } (one VPC shared by every tier of the stack)`);
  }
}

function validateFargateSize(scope: Construct, cpu: number, memoryLimitMiB: number): void {
  const sizes = FARGATE_MEMORY_BY_CPU[cpu];
  if (sizes === undefined) {
    throw propError(scope, `'cpu' (${cpu}) must be a Fargate CPU size: ${Object.keys(FARGATE_MEMORY_BY_CPU).join(', ')}`);
  }
  const valid = sizes.values
    ? sizes.values.includes(memoryLimitMiB)
    : memoryLimitMiB >= sizes.min && memoryLimitMiB <= sizes.max && (memoryLimitMiB - sizes.min) % sizes.step === 0;
  if (!valid) {
    const allowed = sizes.values ? sizes.values.join(', ') : `${sizes.min} to ${sizes.max} in steps of ${sizes.step}`;
    throw propError(scope, `'memoryLimitMiB' (${memoryLimitMiB}) is not valid with 'cpu' (${cpu}): Fargate allows ${allowed} MiB`);
  }
}

function validateScheduledMinTasks(scope: IConstruct, actions: ApiScheduledMinTasks[], maxTasks: number): void {
  const ids = new Set<string>();
  actions.forEach((action, i) => {
    if (!/^[A-Za-z][A-Za-z0-9]{0,99}$/.test(action.id) || ids.has(action.id)) {
      throw propError(scope, `'scheduledMinTasks[${i}].id' (${JSON.stringify(action.id)}) must be 1-100 letters and digits, starting with a letter, unique in the tier`);
    }
    ids.add(action.id);
    requireInteger(scope, `scheduledMinTasks[${i}].minTasks`, action.minTasks, 1, maxTasks, `at most 'maxTasks' (${maxTasks})`);
  });
}

function validateBurstSteps(scope: IConstruct, steps: ApiBurstStep[]): void {
  if (steps.length > 5) throw propError(scope, `'burstScalingSteps' (${steps.length} steps) must have at most 5 steps`);
  steps.forEach((step, i) => {
    requireNumber(scope, `burstScalingSteps[${i}].lowerCpuPercent`, step.lowerCpuPercent, 1, 99);
    requireInteger(scope, `burstScalingSteps[${i}].changePercent`, step.changePercent, 1, 1000);
    if (i > 0 && step.lowerCpuPercent <= steps[i - 1].lowerCpuPercent) {
      throw propError(scope, `'burstScalingSteps[${i}].lowerCpuPercent' (${step.lowerCpuPercent}) must be above step ${i - 1}'s (${steps[i - 1].lowerCpuPercent}): steps go in ascending CPU order`);
    }
  });
}
