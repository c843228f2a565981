import { Annotations, AspectPriority, Aspects, Duration, IAspect, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { SUBNET_GROUPS } from './network';
import { StableSecurityGroup } from './stable-security-group';
import { firstSubnetsOf } from './subnets';
import { requireInteger, requireWholeDuration } from './validation';

/** Properties of {@link WriteQueue}. */
export interface WriteQueueProps {
  /** The ECS cluster the workers run in (usually the API tier's, so Container Insights reports their task count). */
  readonly cluster: ecs.ICluster;

  /**
   * The worker image (usually the API image started in worker mode through `environment`).
   * @default ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable') - a public placeholder
   */
  readonly image?: ecs.ContainerImage;

  /**
   * Fargate CPU units per worker task.
   * @default 1024
   */
  readonly cpu?: number;

  /**
   * Memory per worker task, in MiB.
   * @default 2048
   */
  readonly memoryLimitMiB?: number;

  /**
   * The fewest workers. One or more: the backlog-per-task metric divides by the running task count.
   * @default 2
   */
  readonly minTasks?: number;

  /**
   * The most workers.
   * @default 10
   */
  readonly maxTasks?: number;

  /**
   * Visible messages per running worker that target tracking keeps (AWS: acceptable latency / processing time per message).
   * @default 100
   */
  readonly backlogPerTaskTarget?: number;

  /**
   * Receives after which a message moves to the dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;

  /**
   * How long the queue keeps a message (SQS: 60 s to 14 days).
   * @default Duration.days(4)
   */
  readonly retention?: Duration;

  /**
   * How long the dead-letter queue keeps a message.
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;

  /**
   * How long a received message stays invisible to other workers (SQS: up to 12 h).
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * Time between scale-out steps.
   * @default Duration.seconds(60)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Time between scale-in steps.
   * @default Duration.seconds(300)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long the workers' log group keeps events.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Plain environment variables of the worker container (non-secret configuration only).
   * @default - none besides QUEUE_URL, which the construct sets
   */
  readonly environment?: Record<string, string>;

  /**
   * Secrets of the worker container.
   * @default - none
   */
  readonly secrets?: Record<string, ecs.Secret>;
}

const DEFAULTS = {
  image: 'public.ecr.aws/nginx/nginx:stable',
  cpu: 1024,
  memoryLimitMiB: 2048,
  minTasks: 2,
  maxTasks: 10,
  backlogPerTaskTarget: 100,
  maxReceiveCount: 5,
  retention: Duration.days(4),
  deadLetterRetention: Duration.days(14),
  visibilityTimeout: Duration.seconds(30),
  scaleOutCooldown: Duration.seconds(60),
  scaleInCooldown: Duration.seconds(300),
} as const;

/**
 * Queue-based load levelling: an SQS queue (KMS-encrypted, TLS only) with a dead-letter queue, and a Fargate worker
 * service that scales on backlog per task (visible messages / running tasks) with target tracking.
 *
 * The L2 target tracking rejects a MathExpression (aws-cdk#34072), so the policy is the L1 `CfnScalingPolicy` with a
 * `CustomizedMetricSpecification` whose metric math divides the queue's visible messages by the service's running
 * task count (Container Insights).
 */
export class WriteQueue extends Construct {
  /** The queue producers send to. */
  public readonly queue: sqs.Queue;
  /** Messages that failed `maxReceiveCount` receives. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The customer-managed key of both queues. */
  public readonly encryptionKey: kms.Key;
  /** The worker task definition (its task role consumes the queue). */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The worker container, with QUEUE_URL set. */
  public readonly container: ecs.ContainerDefinition;
  /** The Fargate service of the workers. */
  public readonly service: ecs.FargateService;
  /** The workers' log group. */
  public readonly logGroup: logs.LogGroup;
  /** The service's desired count, between `minTasks` and `maxTasks`. */
  public readonly scalableTarget: appscaling.CfnScalableTarget;
  /** Target tracking on backlog per task. */
  public readonly scalingPolicy: appscaling.CfnScalingPolicy;

  constructor(scope: Construct, id: string, props: WriteQueueProps) {
    super(scope, id);
    const minTasks = props.minTasks ?? DEFAULTS.minTasks;
    const maxTasks = props.maxTasks ?? DEFAULTS.maxTasks;
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULTS.maxReceiveCount;
    const backlogTarget = props.backlogPerTaskTarget ?? DEFAULTS.backlogPerTaskTarget;
    const retention = props.retention ?? DEFAULTS.retention;
    const deadLetterRetention = props.deadLetterRetention ?? DEFAULTS.deadLetterRetention;
    const visibilityTimeout = props.visibilityTimeout ?? DEFAULTS.visibilityTimeout;
    requireInteger(this, 'minTasks', minTasks, 1, 1000, 'the backlog metric divides by the running task count, so at least one worker runs');
    requireInteger(this, 'maxTasks', maxTasks, minTasks, 1000, `at least 'minTasks' (${minTasks})`);
    requireInteger(this, 'backlogPerTaskTarget', backlogTarget, 1, 1e9);
    requireInteger(this, 'maxReceiveCount', maxReceiveCount, 1, 1000);
    requireWholeDuration(this, 'retention', retention, 'seconds', 60, 1_209_600);
    requireWholeDuration(this, 'deadLetterRetention', deadLetterRetention, 'seconds', 60, 1_209_600);
    requireWholeDuration(this, 'visibilityTimeout', visibilityTimeout, 'seconds', 0, 43_200);
    const scaleOut = requireWholeDuration(this, 'scaleOutCooldown', props.scaleOutCooldown ?? DEFAULTS.scaleOutCooldown, 'seconds', 0, 86_400);
    const scaleIn = requireWholeDuration(this, 'scaleInCooldown', props.scaleInCooldown ?? DEFAULTS.scaleInCooldown, 'seconds', 0, 86_400);

    this.encryptionKey = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      description: 'Write queue and its dead-letter queue',
      // Queued writes are unreadable without the key: keep it when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: deadLetterRetention,
      // Failed writes are evidence and replayable: keep them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue = new sqs.Queue(this, 'Resource', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.encryptionKey,
      enforceSSL: true,
      retentionPeriod: retention,
      visibilityTimeout,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      // From the stack name and the path inside it (not the stack's construct id), so every phase keeps it.
      family: Names.uniqueResourceName(this, { separator: '-', maxLength: 200 }),
      cpu: props.cpu ?? DEFAULTS.cpu,
      memoryLimitMiB: props.memoryLimitMiB ?? DEFAULTS.memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    this.container = this.taskDefinition.addContainer('Container', {
      image: props.image ?? ecs.ContainerImage.fromRegistry(DEFAULTS.image),
      essential: true,
      environment: { ...props.environment, QUEUE_URL: this.queue.queueUrl },
      secrets: props.secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'worker' }),
    });
    this.queue.grantConsumeMessages(this.taskDefinition.taskRole);
    // Read-only aspects run last at synthesis, so a variable the caller adds later (addEnvironment) is seen too.
    const cfnTaskDefinition = this.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition;
    Aspects.of(cfnTaskDefinition).add(new AcknowledgeQueueUrlOnly(cfnTaskDefinition), { priority: AspectPriority.READONLY });

    const vpc = props.cluster.vpc;
    // RunningTaskCount exists only with Container Insights: without it the backlog metric has no data and the policy
    // never scales. A cluster created in this app shows its setting; an imported one is the caller's to check.
    const cfnCluster = props.cluster.node.defaultChild as ecs.CfnCluster | undefined;
    if (cfnCluster instanceof ecs.CfnCluster) {
      const settings = (Stack.of(this).resolve(cfnCluster.clusterSettings) ?? []) as Array<{ name: string; value: string }>;
      const insights = settings.find((setting) => setting.name === 'containerInsights')?.value;
      if (insights !== 'enabled' && insights !== 'enhanced') {
        Annotations.of(this).addWarningV2('@scaling-roadmap/write-queue:containerInsights',
          `'cluster' (${props.cluster.node.path}) has Container Insights off: the backlog-per-task policy divides by ECS/ContainerInsights RunningTaskCount, which then has no data, so the workers never scale. Create the cluster with containerInsightsV2: ecs.ContainerInsights.ENHANCED (or ENABLED)`);
      }
    }
    this.service = new ecs.FargateService(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      securityGroups: [new StableSecurityGroup(this, 'SecurityGroup', { vpc, description: 'Write queue workers: no ingress' })],
      circuitBreaker: { enable: true, rollback: true },
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      assignPublicIp: false,
      vpcSubnets: firstSubnetsOf(vpc, [{ subnetGroupName: SUBNET_GROUPS.application }]) ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    });

    this.scalableTarget = new appscaling.CfnScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.cluster.clusterName}/${this.service.serviceName}`,
      minCapacity: minTasks,
      maxCapacity: maxTasks,
    });
    this.scalingPolicy = new appscaling.CfnScalingPolicy(this, 'BacklogPerTask', {
      policyName: 'backlog-per-task',
      policyType: 'TargetTrackingScaling',
      scalingTargetId: this.scalableTarget.ref,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: backlogTarget,
        scaleOutCooldown: scaleOut,
        scaleInCooldown: scaleIn,
        customizedMetricSpecification: {
          metrics: [
            {
              id: 'visible',
              returnData: false,
              metricStat: {
                metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: this.queue.queueName }] },
                stat: 'Sum',
              },
            },
            {
              id: 'tasks',
              returnData: false,
              metricStat: {
                metric: {
                  namespace: 'ECS/ContainerInsights',
                  metricName: 'RunningTaskCount',
                  dimensions: [
                    { name: 'ClusterName', value: props.cluster.clusterName },
                    { name: 'ServiceName', value: this.service.serviceName },
                  ],
                },
                stat: 'Average',
              },
            },
            { id: 'backlog', expression: 'visible / tasks', label: 'Backlog per task', returnData: true },
          ],
        },
      },
    });
  }

  /**
   * Lets `grantee` send messages and use the key for them. Narrower than `queue.grantSendMessages`, whose KMS grant
   * adds `kms:ReEncrypt*` and `kms:GenerateDataKey*` wildcards: an SQS producer needs GenerateDataKey and Decrypt.
   */
  public grantSendMessages(grantee: iam.IGrantable): iam.Grant {
    this.encryptionKey.grant(grantee, 'kms:GenerateDataKey', 'kms:Decrypt');
    return iam.Grant.addToPrincipalOrResource({
      grantee,
      actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      resourceArns: [this.queue.queueArn],
      resource: this.queue,
    });
  }

  /** Age of the oldest message in the queue, in seconds (Maximum). */
  public metricOldestMessageAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.queue.metricApproximateAgeOfOldestMessage({ statistic: 'Maximum', ...props });
  }

  /** Messages waiting in the dead-letter queue (Maximum). */
  public metricDeadLetterMessages(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }
}

/**
 * Acknowledges AwsSolutions-ECS2 on the worker task definition while QUEUE_URL, which the construct sets and which is
 * not a secret, is its only plain environment variable. Any variable the caller adds is the caller's to review, so
 * the finding comes back with it.
 */
class AcknowledgeQueueUrlOnly implements IAspect {
  constructor(private readonly taskDefinition: ecs.CfnTaskDefinition) {}

  public visit(node: IConstruct): void {
    if (node !== this.taskDefinition) return;
    const stack = Stack.of(node);
    const containers = (stack.resolve(this.taskDefinition.containerDefinitions) ?? []) as Array<{ environment?: Array<{ name: string }> }>;
    const names = containers.flatMap((c) => (c.environment ?? []).map((e) => e.name));
    if (names.length !== 1 || names[0] !== 'QUEUE_URL') return;
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason: 'The only plain environment variable is QUEUE_URL, the URL of the queue the workers consume: an address, not a secret (secrets go through the secrets prop as ECS secrets)',
    });
  }
}
