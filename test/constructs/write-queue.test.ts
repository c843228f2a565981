import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Network } from '../../lib/constructs/network';
import { WriteQueue, WriteQueueProps } from '../../lib/constructs/write-queue';
import { resolveMetric } from '../support/metric-helpers';
import { logicalId } from '../support/template-helpers';
import { clusterIn, OFF_DEFAULT } from '../support/write-queue-fixtures';
import { testStack } from '../support/test-stack';

/** Synthesizes one WriteQueue in a fresh test stack. */
function synth(props: Partial<WriteQueueProps> = {}, stack: Stack = testStack()): { stack: Stack; wq: WriteQueue; template: Template } {
  const wq = new WriteQueue(stack, 'WriteQueue', { cluster: props.cluster ?? clusterIn(stack), ...props });
  return { stack, wq, template: Template.fromStack(stack) };
}

/** The one scaling policy's CustomizedMetricSpecification.Metrics, by Id. */
function policyMetrics(template: Template): Record<string, Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'));
  expect(policies).toHaveLength(1);
  const metrics = policies[0].Properties.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification.Metrics as Record<string, unknown>[];
  return Object.fromEntries(metrics.map((m) => [m.Id as string, m]));
}

describe('WriteQueue', () => {
  describe('defaults', () => {
    // GIVEN a stack with a Network and a cluster, WHEN a WriteQueue is added with only the required cluster
    let stack: Stack;
    let wq: WriteQueue;
    let template: Template;
    beforeAll(() => {
      ({ stack, wq, template } = synth());
    });

    test('queue and dead-letter queue share one rotating, retained customer-managed key', () => {
      const keyArn = { 'Fn::GetAtt': [logicalId(wq.encryptionKey), 'Arn'] };
      template.resourceCountIs('AWS::KMS::Key', 1);
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: Match.objectLike({ EnableKeyRotation: true }) });
      template.resourceCountIs('AWS::SQS::Queue', 2);
      for (const queue of [wq.queue, wq.deadLetterQueue]) {
        expect(template.findResources('AWS::SQS::Queue')[logicalId(queue)].Properties.KmsMasterKeyId).toEqual(keyArn);
      }
    });

    test('queue: 4 days retention, 30 s visibility, redrive to the DLQ after 5 receives; DLQ: 14 days', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        MessageRetentionPeriod: 345_600,
        VisibilityTimeout: 30,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(wq.deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
        KmsMasterKeyId: Match.anyValue(),
      });
      const dlq = template.findResources('AWS::SQS::Queue')[logicalId(wq.deadLetterQueue)];
      expect(dlq.Properties.MessageRetentionPeriod).toBe(1_209_600);
      expect(dlq.Properties.RedrivePolicy).toBeUndefined();
    });

    test('both queues are kept when the stack is deleted or the queue replaced (RETAIN)', () => {
      for (const queue of [wq.queue, wq.deadLetterQueue]) {
        expect(template.findResources('AWS::SQS::Queue')[logicalId(queue)]).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      }
    });

    test('both queues deny any request not sent over TLS', () => {
      for (const queue of [wq.queue, wq.deadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(queue) }],
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            })]),
          }),
        });
      }
    });

    test('the worker task: 1024 CPU units, 2048 MiB, the placeholder image, QUEUE_URL set, logs to a retained log group', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', Match.objectLike({
        Cpu: '1024',
        Memory: '2048',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [Match.objectLike({
          Image: 'public.ecr.aws/nginx/nginx:stable',
          Essential: true,
          Environment: [{ Name: 'QUEUE_URL', Value: { Ref: logicalId(wq.queue) } }],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs', Options: Match.objectLike({ 'awslogs-group': { Ref: logicalId(wq.logGroup) } }) }),
        })],
      }));
      template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 }, DeletionPolicy: 'Retain' });
    });

    test('the task role consumes the queue and decrypts with the key, nothing more on SQS', () => {
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(wq.taskDefinition.taskRole as iam.Role) }]));
      const statements = policy!.Properties.PolicyDocument.Statement as Array<{ Action: string[]; Resource: unknown }>;
      const sqsStatement = statements.find((s) => [s.Action].flat().some((a) => a.startsWith('sqs:')))!;
      expect([sqsStatement.Action].flat().sort()).toEqual(['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage']);
      expect(sqsStatement.Resource).toEqual({ 'Fn::GetAtt': [logicalId(wq.queue), 'Arn'] });
      expect(statements.some((s) => [s.Action].flat().includes('kms:Decrypt'))).toBe(true);
    });

    test('the worker service: Fargate in the application subnets, no public IP, circuit breaker with rollback', () => {
      template.hasResourceProperties('AWS::ECS::Service', Match.objectLike({
        LaunchType: 'FARGATE',
        Cluster: { Ref: Match.stringLikeRegexp('^Cluster') },
        TaskDefinition: { Ref: logicalId(wq.taskDefinition) },
        DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
        NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED', Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^NetworkApplicationSubnet\\dSubnet') }]) }) },
      }));
    });

    test('the scalable target: the service desired count, 2 to 10 tasks', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'ecs',
        ScalableDimension: 'ecs:service:DesiredCount',
        MinCapacity: 2,
        MaxCapacity: 10,
        ResourceId: { 'Fn::Join': ['', ['service/', { Ref: Match.stringLikeRegexp('^Cluster') }, '/', { 'Fn::GetAtt': [logicalId(wq.service), 'Name'] }]] },
      });
    });

    test('target tracking on backlog per task: 100 visible messages per running task, cooldowns 60 s out / 300 s in', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: logicalId(wq.scalableTarget) },
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 100, ScaleOutCooldown: 60, ScaleInCooldown: 300 }),
      });
    });

    test('the metric math: visible messages (Sum, by QueueName) / running tasks (Average, Container Insights, by cluster and service)', () => {
      const metrics = policyMetrics(template);
      expect(Object.keys(metrics).sort()).toEqual(['backlog', 'tasks', 'visible']);
      // Only the expression returns data: the policy tracks exactly one time series (AWS's backlog-per-task example).
      expect(metrics.backlog).toEqual({ Id: 'backlog', Expression: 'visible / tasks', Label: 'Backlog per task', ReturnData: true });
      expect(metrics.visible).toEqual({
        Id: 'visible',
        ReturnData: false,
        MetricStat: {
          Metric: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(wq.queue), 'QueueName'] } }] },
          Stat: 'Sum',
        },
      });
      expect(metrics.tasks).toEqual({
        Id: 'tasks',
        ReturnData: false,
        MetricStat: {
          Metric: {
            Namespace: 'ECS/ContainerInsights',
            MetricName: 'RunningTaskCount',
            Dimensions: [
              { Name: 'ClusterName', Value: { Ref: logicalId(wq.service.cluster as ecs.Cluster) } },
              { Name: 'ServiceName', Value: { 'Fn::GetAtt': [logicalId(wq.service), 'Name'] } },
            ],
          },
          Stat: 'Average',
        },
      });
      // Every id the expression names is a metric of the specification, and ids start lower-case (CloudWatch's rule).
      const named = (metrics.backlog.Expression as string).match(/[a-z]\w*/g)!;
      for (const id of named) expect(metrics[id]?.MetricStat).toBeDefined();
      for (const id of Object.keys(metrics)) expect(id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
    });

    test('metric methods: age of the oldest message and DLQ depth, both Maximum', () => {
      expect(resolveMetric(stack, wq.metricOldestMessageAge())).toMatchObject({
        namespace: 'AWS/SQS', metricName: 'ApproximateAgeOfOldestMessage', statistic: 'Maximum',
        dimensions: { QueueName: { 'Fn::GetAtt': [logicalId(wq.queue), 'QueueName'] } },
      });
      expect(resolveMetric(stack, wq.metricDeadLetterMessages())).toMatchObject({
        namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', statistic: 'Maximum',
        dimensions: { QueueName: { 'Fn::GetAtt': [logicalId(wq.deadLetterQueue), 'QueueName'] } },
      });
    });

    test('synthesizes without warning annotations', () => {
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('props reach the template (every value off its default)', () => {
    let wq: WriteQueue;
    let template: Template;
    beforeAll(() => {
      ({ wq, template } = synth({ ...OFF_DEFAULT, environment: { WORKER_MODE: 'write-queue' } }));
    });

    test('queue retention, visibility, max receives; DLQ retention', () => {
      const queues = template.findResources('AWS::SQS::Queue');
      expect(queues[logicalId(wq.queue)].Properties).toMatchObject({
        MessageRetentionPeriod: 172_800, VisibilityTimeout: 90, RedrivePolicy: { maxReceiveCount: 7 },
      });
      expect(queues[logicalId(wq.deadLetterQueue)].Properties.MessageRetentionPeriod).toBe(864_000);
    });

    test('task cpu and memory, the caller\'s environment beside QUEUE_URL', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', Match.objectLike({
        Cpu: '2048',
        Memory: '4096',
        ContainerDefinitions: [Match.objectLike({
          Environment: [{ Name: 'WORKER_MODE', Value: 'write-queue' }, { Name: 'QUEUE_URL', Value: { Ref: logicalId(wq.queue) } }],
        })],
      }));
    });

    test('capacity, target and cooldowns', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', Match.objectLike({ MinCapacity: 3, MaxCapacity: 17 }));
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', Match.objectLike({
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 40, ScaleOutCooldown: 45, ScaleInCooldown: 600 }),
      }));
    });

    test('QUEUE_URL is the construct\'s: a caller value of the same name does not replace it', () => {
      const { template: t, wq: w } = synth({ environment: { QUEUE_URL: 'https://example.invalid/other' } });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', Match.objectLike({
        ContainerDefinitions: [Match.objectLike({ Environment: [{ Name: 'QUEUE_URL', Value: { Ref: logicalId(w.queue) } }] })],
      }));
    });
  });

  describe('Container Insights (the task count of the backlog metric)', () => {
    test('a cluster without Container Insights gets a warning naming the prop and the fix', () => {
      const stack = testStack();
      const cluster = new ecs.Cluster(stack, 'Plain', { vpc: new Network(stack, 'Network').vpc });
      new WriteQueue(stack, 'WriteQueue', { cluster });
      expect(Annotations.fromStack(stack).findWarning('/TestStack/WriteQueue', Match.stringLikeRegexp(
        "^'cluster' \\(TestStack/Plain\\) has Container Insights off: .*RunningTaskCount.*containerInsightsV2: ecs.ContainerInsights.ENHANCED"))).toHaveLength(1);
    });

    test.each([ecs.ContainerInsights.ENABLED, ecs.ContainerInsights.ENHANCED])('a cluster with Container Insights %s: no warning', (insights) => {
      const stack = testStack();
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new Network(stack, 'Network').vpc, containerInsightsV2: insights });
      new WriteQueue(stack, 'WriteQueue', { cluster });
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });
  });

  describe('grantSendMessages', () => {
    test('sends to the queue only, with GenerateDataKey and Decrypt on the key (no ReEncrypt or GenerateDataKey* wildcards)', () => {
      const stack = testStack();
      const wq = new WriteQueue(stack, 'WriteQueue', { cluster: clusterIn(stack) });
      const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
      wq.grantSendMessages(producer);
      const template = Template.fromStack(stack);
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: logicalId(producer) }]))!;
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: { 'Fn::GetAtt': [logicalId(wq.encryptionKey), 'Arn'] } },
        { Effect: 'Allow', Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'], Resource: { 'Fn::GetAtt': [logicalId(wq.queue), 'Arn'] } },
      ]);
    });
  });

  describe('prop validation: errors name the construct path, the prop, the value and the range', () => {
    test.each([
      ['minTasks', { minTasks: 0 }, "TestStack/WriteQueue: 'minTasks' (0) must be an integer from 1 to 1000: the backlog metric divides by the running task count, so at least one worker runs"],
      ['minTasks', { minTasks: 1.5 }, "TestStack/WriteQueue: 'minTasks' (1.5) must be an integer from 1 to 1000"],
      ['maxTasks', { minTasks: 6, maxTasks: 4 }, "TestStack/WriteQueue: 'maxTasks' (4) must be an integer from 6 to 1000: at least 'minTasks' (6)"],
      ['backlogPerTaskTarget', { backlogPerTaskTarget: 0 }, "TestStack/WriteQueue: 'backlogPerTaskTarget' (0) must be an integer from 1 to 1000000000"],
      ['maxReceiveCount', { maxReceiveCount: 1001 }, "TestStack/WriteQueue: 'maxReceiveCount' (1001) must be an integer from 1 to 1000"],
      ['retention', { retention: Duration.days(15) }, "TestStack/WriteQueue: 'retention' (Duration.days(15)) must be a whole number of seconds from 60 to 1209600"],
      ['retention', { retention: Duration.seconds(59) }, "TestStack/WriteQueue: 'retention' (Duration.seconds(59)) must be a whole number of seconds from 60 to 1209600"],
      ['deadLetterRetention', { deadLetterRetention: Duration.days(15) }, "TestStack/WriteQueue: 'deadLetterRetention' (Duration.days(15)) must be a whole number of seconds from 60 to 1209600"],
      ['visibilityTimeout', { visibilityTimeout: Duration.hours(13) }, "TestStack/WriteQueue: 'visibilityTimeout' (Duration.hours(13)) must be a whole number of seconds from 0 to 43200"],
      ['scaleOutCooldown', { scaleOutCooldown: Duration.millis(1500) }, "TestStack/WriteQueue: 'scaleOutCooldown' (Duration.millis(1500)) must be a whole number of seconds from 0 to 86400"],
      ['scaleInCooldown', { scaleInCooldown: Duration.days(2) }, "TestStack/WriteQueue: 'scaleInCooldown' (Duration.days(2)) must be a whole number of seconds from 0 to 86400"],
    ] as const)('%s: %j', (_prop, props, message) => {
      const stack = testStack();
      const cluster = clusterIn(stack);
      expect(() => new WriteQueue(stack, 'WriteQueue', { cluster, ...props })).toThrow(message);
    });

    test('the limits themselves are accepted (1 task, 14 days, 12 h visibility, zero cooldowns)', () => {
      const { template } = synth({
        minTasks: 1, maxTasks: 1, retention: Duration.days(14), deadLetterRetention: Duration.seconds(60),
        visibilityTimeout: Duration.hours(12), scaleOutCooldown: Duration.seconds(0), scaleInCooldown: Duration.seconds(0),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', Match.objectLike({ MinCapacity: 1, MaxCapacity: 1 }));
      template.hasResourceProperties('AWS::SQS::Queue', Match.objectLike({ MessageRetentionPeriod: 1_209_600, VisibilityTimeout: 43_200 }));
    });
  });

  describe('checks: cdk-nag AwsSolutions on the synthesized test stack (cfn-lint: test/constructs/cfn-lint.slow.test.ts)', () => {
    const stack = testStack('WriteQueueStack');
    new WriteQueue(stack, 'WriteQueue', { cluster: clusterIn(stack), ...OFF_DEFAULT });
    // Synthesized first, as `cdk synth` runs cdk-nag: the acknowledgements the construct adds while preparing count.
    Template.fromStack(stack);

    function findings(scope: Stack): string[] {
      return new AwsSolutionsChecks().validateScope(scope).violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}`));
    }

    test('cdk-nag AwsSolutions: nothing unacknowledged', () => {
      expect(findings(stack)).toEqual([]);
    });

    test('cdk-nag is live: a caller variable nobody reviewed brings AwsSolutions-ECS2 back', () => {
      const other = testStack();
      const wq = new WriteQueue(other, 'WriteQueue', { cluster: clusterIn(other) });
      wq.container.addEnvironment('PAYMENT_API_KEY', 'not-a-secret-place');
      Template.fromStack(other);
      expect(findings(other)).toEqual(['error AwsSolutions-ECS2 at TestStack/WriteQueue/TaskDefinition/Resource']);
    });
  });
});
