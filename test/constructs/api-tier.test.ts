import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ApiTier, ApiTierProps } from '../../lib/constructs/api-tier';
import { Network } from '../../lib/constructs/network';
import { resolveMetric } from '../support/metric-helpers';
import { logicalId } from '../support/template-helpers';
import { testApp, testStack } from '../support/test-stack';

/** A Ref to one of the Network's subnets in the given group. */
const subnetRef = (group: string) => ({ Ref: Match.stringLikeRegexp(`^Network${group}Subnet\\dSubnet`) });

/** A test stack with a Network: the VPC every ApiTier needs. */
function stackWithVpc(app?: App): { stack: Stack; vpc: ec2.IVpc } {
  const stack = app ? testStack('TestStack', {}, app) : testStack();
  return { stack, vpc: new Network(stack, 'Network').vpc };
}

describe('ApiTier', () => {
  describe('defaults', () => {
    // GIVEN a stack with a Network, WHEN an ApiTier is added with only the required vpc
    let stack: Stack;
    let apiTier: ApiTier;
    let template: Template;
    beforeAll(() => {
      let vpc: ec2.IVpc;
      ({ stack, vpc } = stackWithVpc());
      apiTier = new ApiTier(stack, 'Api', { vpc });
      template = Template.fromStack(stack);
    });

    test('the service rolls back failed deployments and never drops below full capacity', () => {
      template.hasResourceProperties('AWS::ECS::Service', Match.objectLike({
        LaunchType: 'FARGATE',
        DeploymentConfiguration: {
          DeploymentCircuitBreaker: { Enable: true, Rollback: true },
          MinimumHealthyPercent: 100,
          MaximumPercent: 200,
        },
        DesiredCount: Match.absent(),
        HealthCheckGracePeriodSeconds: 60,
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({
            AssignPublicIp: 'DISABLED',
            Subnets: Match.arrayWith([subnetRef('Application')]),
          }),
        },
      }));
    });

    test('auto scaling keeps 2 to 4 tasks, tracking CPU 65% and 3000 requests per target', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 2,
        MaxCapacity: 4,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
      template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 65,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 3000,
          ScaleOutCooldown: 60,
          ScaleInCooldown: 300,
        }),
      });
    });

    test('the task runs the placeholder image on 1 vCPU / 2 GiB x86_64, logging to a one-month log group', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', Match.objectLike({
        Cpu: '1024',
        Memory: '2048',
        RequiresCompatibilities: ['FARGATE'],
        RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
        ContainerDefinitions: [Match.objectLike({
          Image: 'public.ecr.aws/nginx/nginx-unprivileged:stable',
          Essential: true,
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          StopTimeout: 30,
          HealthCheck: Match.absent(),
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        })],
      }));
      template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 30 } });
    });

    test('the cluster has Container Insights enhanced', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
      });
    });

    test('the ALB is internal, in the application subnets, drops invalid headers and logs access', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internal',
        Type: 'application',
        Subnets: Match.arrayWith([subnetRef('Application')]),
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^ApiAccessLogs') } },
        ]),
      });
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    });

    test('the container runs as uid 101 with a read-only root filesystem; /tmp, /var/cache/nginx and /var/run are ephemeral volumes', () => {
      const [taskDefinition] = Object.values(template.findResources('AWS::ECS::TaskDefinition'));
      const [container] = taskDefinition.Properties.ContainerDefinitions;
      expect(container.User).toBe('101');
      expect(container.ReadonlyRootFilesystem).toBe(true);
      expect(container.MountPoints).toEqual([
        { ContainerPath: '/tmp', ReadOnly: false, SourceVolume: 'writable1' },
        { ContainerPath: '/var/cache/nginx', ReadOnly: false, SourceVolume: 'writable2' },
        { ContainerPath: '/var/run', ReadOnly: false, SourceVolume: 'writable3' },
      ]);
      expect(taskDefinition.Properties.Volumes).toEqual([{ Name: 'writable1' }, { Name: 'writable2' }, { Name: 'writable3' }]);
    });

    test('task egress: HTTPS out only, until a database or cache opens its port', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'API tasks: ingress from their load balancer only',
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.stringLikeRegexp('AWS APIs') }],
      });
    });

    test('the ALB security group admits the listener port only from the VPC CIDR', () => {
      // THEN exactly one rule on the ALB's group: the listener port, from the VPC's CIDR (a literal, not 0.0.0.0/0)
      template.resourcePropertiesCountIs('AWS::EC2::SecurityGroup', { GroupDescription: Match.stringLikeRegexp('^API load balancer') }, 1);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^API load balancer'),
        SecurityGroupIngress: [Match.objectLike({
          CidrIp: '10.0.0.0/16',
          IpProtocol: 'tcp',
          FromPort: 80,
          ToPort: 80,
        })],
      });
      template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', { CidrIp: '0.0.0.0/0' }, 0);
      // The tasks admit only the load balancer, on the container port.
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiLoadBalancerSecurityGroup'), 'GroupId'] },
      });
    });

    test('the target group health-checks / and drains for 30 s', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', Match.objectLike({
        TargetType: 'ip',
        Port: 8080,
        HealthCheckPath: '/',
        HealthCheckIntervalSeconds: 15,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
      }));
    });

    test('the access-log bucket is SSE-S3, SSL-only, private, versioned, expiring after a year and retained', () => {
      template.hasResource('AWS::S3::Bucket', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
          VersioningConfiguration: { Status: 'Enabled' },
          LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 365, Status: 'Enabled' })] },
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          })]),
        }),
      });
    });

    test('exposes the created resources and the tasks\' connections', () => {
      expect(apiTier.connections).toBe(apiTier.service.connections);
      expect(apiTier.accessLogBucket).toBeInstanceOf(s3.Bucket);
      expect(apiTier.node.findChild('Service')).toBe(apiTier.service);
      expect(apiTier.node.findChild('LoadBalancer')).toBe(apiTier.loadBalancer);
      expect(apiTier.node.findChild('TargetGroup')).toBe(apiTier.targetGroup);
      expect(apiTier.metricCpuUtilization().metricName).toBe('CPUUtilization');
      expect(apiTier.metricRequestCountPerTarget().metricName).toBe('RequestCountPerTarget');
    });

    test('synthesizes without warnings', () => {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
      Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    });
  });

  describe('metrics', () => {
    // GIVEN a default tier WHEN its metric methods are called THEN each names the tier's own load balancer / target group / service
    let stack: Stack;
    let api: ApiTier;
    let tg: { 'Fn::GetAtt': string[] };
    let lb: { 'Fn::GetAtt': string[] };
    // Target-group metrics name the load balancer through the listener's ARN (CDK's firstLoadBalancerFullName).
    let tgLb: unknown;
    beforeAll(() => {
      let vpc: ec2.IVpc;
      ({ stack, vpc } = stackWithVpc());
      api = new ApiTier(stack, 'Api', { vpc });
      tg = { 'Fn::GetAtt': [logicalId(api.targetGroup), 'TargetGroupFullName'] };
      lb = { 'Fn::GetAtt': [logicalId(api.loadBalancer), 'LoadBalancerFullName'] };
      tgLb = stack.resolve(api.targetGroup.firstLoadBalancerFullName);
      expect(JSON.stringify(tgLb)).toContain(logicalId(api.listener));
    });

    test.each([['P95', 'p95'], ['P99', 'p99']] as const)('target response time %s: AWS/ApplicationELB TargetResponseTime by target group, %s, 5 min', (which, statistic) => {
      const metric = which === 'P95' ? api.metricTargetResponseTimeP95() : api.metricTargetResponseTimeP99();
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: { LoadBalancer: tgLb, TargetGroup: tg }, statistic, periodSec: 300,
      });
    });

    test('request count: RequestCount by load balancer, Sum; a period given is kept', () => {
      expect(resolveMetric(stack, api.metricRequestCount({ period: Duration.minutes(1) }))).toEqual({
        namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: lb }, statistic: 'Sum', periodSec: 60,
      });
    });

    const target5xx = () => ({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', dimensions: { LoadBalancer: tgLb, TargetGroup: tg }, statistic: 'Sum', periodSec: 300 });
    const elb5xx = () => ({ namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: lb }, statistic: 'Sum', periodSec: 300 });

    test('5xx count: target 5xx + load balancer 5xx, each filled with 0', () => {
      expect(resolveMetric(stack, api.metric5xxCount())).toEqual({
        expression: 'FILL(api5xxTarget, 0) + FILL(api5xxElb, 0)',
        periodSec: 300,
        metrics: { api5xxTarget: target5xx(), api5xxElb: elb5xx() },
      });
    });

    test('5xx rate: 100 x 5xx / requests, in percent', () => {
      expect(resolveMetric(stack, api.metric5xxRate())).toEqual({
        expression: '100 * (FILL(api5xxTarget, 0) + FILL(api5xxElb, 0)) / apiRequests',
        periodSec: 300,
        metrics: {
          api5xxTarget: target5xx(),
          api5xxElb: elb5xx(),
          apiRequests: { namespace: 'AWS/ApplicationELB', metricName: 'RequestCount', dimensions: { LoadBalancer: lb }, statistic: 'Sum', periodSec: 300 },
        },
      });
    });

    test.each(['CPUUtilization', 'MemoryUtilization'])('%s of the service: AWS/ECS by cluster and service, Average', (metricName) => {
      const metric = metricName === 'CPUUtilization' ? api.metricCpuUtilization() : api.metricMemoryUtilization();
      expect(resolveMetric(stack, metric)).toEqual({
        namespace: 'AWS/ECS',
        metricName,
        dimensions: { ClusterName: { Ref: logicalId(api.cluster) }, ServiceName: { 'Fn::GetAtt': [logicalId(api.service), 'Name'] } },
        statistic: 'Average',
        periodSec: 300,
      });
    });
  });

  describe('all props set', () => {
    // GIVEN a VPC with CDK's default subnet groups ('Public', 'Private'), a certificate, a bucket and a secret
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    const bucket = new s3.Bucket(stack, 'Logs', { enforceSSL: true });
    const secret = new secretsmanager.Secret(stack, 'DbSecret');
    const props: ApiTierProps = {
      vpc,
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/api:1.2.3'),
      containerPort: 8080,
      healthCheckPath: '/healthz',
      cpu: 2048,
      memoryLimitMiB: 4096,
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      minTasks: 3,
      maxTasks: 12,
      targetCpuPercent: 50,
      requestsPerTargetPerMinute: 1200,
      scaleOutCooldown: Duration.seconds(30),
      scaleInCooldown: Duration.minutes(10),
      deregistrationDelay: Duration.seconds(10),
      healthCheckInterval: Duration.seconds(20),
      healthCheckGracePeriod: Duration.minutes(2),
      environment: { LOG_LEVEL: 'debug' },
      secrets: { DB_PASSWORD: ecs.Secret.fromSecretsManager(secret, 'password') },
      internetFacing: true,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-central-1:123456789012:certificate/abc'),
      accessLogBucket: bucket,
      logRetention: logs.RetentionDays.ONE_WEEK,
      loadBalancerDeletionProtection: true,
    };
    // WHEN
    const apiTier = new ApiTier(stack, 'Api', props);
    const template = Template.fromStack(stack);
    const privateSubnetRef = { Ref: Match.stringLikeRegexp('^VpcPrivateSubnet') };

    test('no Network and no access-log bucket are created', () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::S3::Bucket', 1);
      expect(apiTier.accessLogBucket).toBe(bucket);
      expect(apiTier.vpc).toBe(vpc);
    });

    test('task size, architecture, image, port, environment, secrets and log retention', () => {
      template.hasResourceProperties('AWS::ECS::TaskDefinition', Match.objectLike({
        Cpu: '2048',
        Memory: '4096',
        RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
        ContainerDefinitions: [Match.objectLike({
          Image: 'public.ecr.aws/example/api:1.2.3',
          PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
          Environment: [{ Name: 'LOG_LEVEL', Value: 'debug' }],
          Secrets: [Match.objectLike({ Name: 'DB_PASSWORD' })],
        })],
      }));
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    });

    test('tasks fall back to private-with-egress subnets', () => {
      template.hasResourceProperties('AWS::ECS::Service', Match.objectLike({
        NetworkConfiguration: {
          AwsvpcConfiguration: Match.objectLike({ Subnets: Match.arrayWith([privateSubnetRef]) }),
        },
      }));
    });

    test('scaling bounds, targets and cooldowns', () => {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 3, MaxCapacity: 12 });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          TargetValue: 50,
          ScaleOutCooldown: 30,
          ScaleInCooldown: 600,
        }),
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }),
          TargetValue: 1200,
          ScaleOutCooldown: 30,
          ScaleInCooldown: 600,
        }),
      });
    });

    test('an internet-facing ALB in public subnets with deletion protection, logging to the given bucket', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Scheme: 'internet-facing',
        Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^VpcPublicSubnet') }]),
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'access_logs.s3.bucket', Value: { Ref: Match.stringLikeRegexp('^Logs') } },
        ]),
      });
    });

    test('an HTTPS listener on 443 with the certificate and a TLS 1.2+ policy, open to the internet', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        Certificates: [{ CertificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/abc' }],
        SslPolicy: Match.stringLikeRegexp('^ELBSecurityPolicy-TLS13-1-2-'),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^API load balancer'),
        SecurityGroupIngress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
      });
    });

    test('health check path, container port and deregistration delay on the target group', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', Match.objectLike({
        Port: 8080,
        HealthCheckPath: '/healthz',
        HealthCheckIntervalSeconds: 20,
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }]),
      }));
      template.hasResourceProperties('AWS::ECS::Service', { HealthCheckGracePeriodSeconds: 120 });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 8080,
        ToPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiLoadBalancerSecurityGroup'), 'GroupId'] },
      });
    });
    test('synthesizes without warnings', () => {
      Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
    });
  });

  describe('bring your own cluster, security groups and subnets (as ecs-patterns accepts them)', () => {
    // GIVEN a VPC with CDK's default subnet groups, an existing cluster and a security group
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 3 });
    const cluster = new ecs.Cluster(stack, 'SharedCluster', { vpc });
    const taskGroup = new ec2.SecurityGroup(stack, 'TaskGroup', { vpc });
    const taskSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['eu-central-1a', 'eu-central-1b'] };
    const loadBalancerSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PUBLIC };
    // WHEN
    const api = new ApiTier(stack, 'Api', { vpc, cluster, securityGroups: [taskGroup], taskSubnets, loadBalancerSubnets });
    const template = Template.fromStack(stack);
    const refs = (selection: ec2.SubnetSelection) => vpc.selectSubnets(selection).subnetIds.map((id) => stack.resolve(id));

    test('the service runs in the given cluster: no cluster of its own', () => {
      expect(api.cluster).toBe(cluster);
      template.resourceCountIs('AWS::ECS::Cluster', 1);
      template.hasResourceProperties('AWS::ECS::Service', { Cluster: { Ref: logicalId(cluster) } });
    });

    test('the tasks use the given security group and subnets; the load balancer is allowed in on the container port', () => {
      expect(refs(taskSubnets)).toHaveLength(2);
      template.hasResourceProperties('AWS::ECS::Service', {
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', SecurityGroups: [{ 'Fn::GetAtt': [logicalId(taskGroup), 'GroupId'] }], Subnets: refs(taskSubnets) } },
      });
      expect(api.connections.securityGroups).toEqual([taskGroup]);
      template.resourceCountIs('AWS::EC2::SecurityGroup', 2); // the given one and the load balancer's
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [logicalId(taskGroup), 'GroupId'] },
        FromPort: 8080,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiLoadBalancerSecurityGroup'), 'GroupId'] },
      });
    });

    test('the load balancer is in the given subnets', () => {
      expect(refs(loadBalancerSubnets)).toHaveLength(3);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: refs(loadBalancerSubnets) });
    });
  });

  describe('TLS policy', () => {
    test('without the post-quantum feature flag, HTTPS still gets the recommended TLS 1.2+ policy', () => {
      // GIVEN an app with usePostQuantumTlsPolicy off
      const app = testApp({ '@aws-cdk/aws-elasticloadbalancingv2:usePostQuantumTlsPolicy': false });
      const { stack, vpc } = stackWithVpc(app);
      // WHEN
      new ApiTier(stack, 'Api', {
        vpc,
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:eu-central-1:123456789012:certificate/abc'),
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      });
    });
  });

  describe('logs', () => {
    test('access-log versions stay recoverable 90 days by default (accessLogNoncurrentVersionDays changes it)', () => {
      const days = (props: Partial<ApiTierProps>) => {
        const { stack, vpc } = stackWithVpc();
        new ApiTier(stack, 'Api', { vpc, ...props });
        return Template.fromStack(stack).findResources('AWS::S3::Bucket');
      };
      const rule = (buckets: Record<string, any>) => Object.values(buckets)[0].Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration;
      expect(rule(days({}))).toEqual({ NoncurrentDays: 90 });
      expect(rule(days({ accessLogNoncurrentVersionDays: 400 }))).toEqual({ NoncurrentDays: 400 });
      expect(() => days({ accessLogNoncurrentVersionDays: 0 })).toThrow(/'accessLogNoncurrentVersionDays' \(0\) must be an integer from 1 to 3650/);
    });

    test('logEncryptionKey encrypts the container log group with the given key', () => {
      const { stack, vpc } = stackWithVpc();
      const key = new kms.Key(stack, 'LogKey');
      new ApiTier(stack, 'Api', { vpc, logEncryptionKey: key });
      Template.fromStack(stack).hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LogKey'), 'Arn'] } });
    });
  });

  describe('refuses to run as root', () => {
    test.each(['0', 'root', '0:0', 'root:wheel'])('containerUser %s', (containerUser) => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new ApiTier(stack, 'Api', { vpc, containerUser })).toThrow(new RegExp(`'containerUser' \\(${containerUser}\\) must be a non-root user`));
    });
    test('writablePaths must be absolute directories other than /', () => {
      const tier = (writablePaths: string[]) => {
        const { stack, vpc } = stackWithVpc();
        return new ApiTier(stack, 'Api', { vpc, writablePaths });
      };
      expect(() => tier(['/'])).toThrow(/'writablePaths' contains '\/'/);
      expect(() => tier(['tmp'])).toThrow(/'writablePaths' contains 'tmp'/);
    });
  });

  describe('rejects invalid props', () => {
    test.each<[Omit<ApiTierProps, 'vpc'>, RegExp]>([
      [{ minTasks: 6 }, /'minTasks' \(6\) must be <= 'maxTasks' \(4\)/],
      [{ minTasks: 0 }, /'minTasks' \(0\) must be an integer >= 1/],
      [{ maxTasks: 2.5 }, /'maxTasks' \(2.5\) must be an integer >= 1/],
      [{ cpu: 1024, memoryLimitMiB: 1024 }, /'memoryLimitMiB' \(1024\) is not valid with 'cpu' \(1024\): Fargate allows 2048 to 8192 in steps of 1024 MiB/],
      [{ cpu: 256, memoryLimitMiB: 1536 }, /'memoryLimitMiB' \(1536\) is not valid with 'cpu' \(256\): Fargate allows 512, 1024, 2048 MiB/],
      [{ cpu: 300 }, /'cpu' \(300\) must be a Fargate CPU size: 256, 512, 1024, 2048, 4096, 8192, 16384/],
      [{ targetCpuPercent: 5 }, /'targetCpuPercent' \(5\) must be from 10 to 95/],
      [{ targetCpuPercent: 99 }, /'targetCpuPercent' \(99\) must be from 10 to 95/],
      [{ requestsPerTargetPerMinute: 0 }, /'requestsPerTargetPerMinute' \(0\) must be from 1/],
      [{ containerPort: 70000 }, /'containerPort' \(70000\) must be an integer from 1 to 65535/],
      [{ healthCheckPath: 'health' }, /'healthCheckPath' \(health\) must start with '\/'/],
      [{ deregistrationDelay: Duration.seconds(4000) }, /'deregistrationDelay' \(Duration.seconds\(4000\)\) must be a whole number of seconds from 0 to 3600/],
      [{ scaleInCooldown: Duration.days(2) }, /'scaleInCooldown' \(Duration.days\(2\)\) must be a whole number of seconds from 0 to 86400/],
      [{ healthCheckInterval: Duration.millis(7500) }, /'healthCheckInterval' \(Duration.millis\(7500\)\) must be a whole number of seconds from 6 to 300/],
      [{ healthCheckGracePeriod: 60 as unknown as Duration }, /'healthCheckGracePeriod' \(60\) must be a Duration, e.g. Duration.seconds\(0\)/],
      [{ securityGroups: [] }, /'securityGroups' \(\[\]\) must hold at least one security group/],
    ])('%j, naming the construct path', (props, message) => {
      const { stack, vpc } = stackWithVpc();
      expect(() => new ApiTier(stack, 'Api', { vpc, ...props })).toThrow(message);
      expect(() => new ApiTier(stack, 'Api2', { vpc, ...props })).toThrow(/^TestStack\/Api2: /);
    });

    test('an environment-agnostic stack: an error annotation on the construct naming the fix (the CLI prints it and stops, no stack trace)', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const vpc = new ec2.Vpc(stack, 'Vpc');
      expect(() => new ApiTier(stack, 'Api', { vpc })).not.toThrow();
      Annotations.fromStack(stack).hasError('/Agnostic/Api', Match.stringLikeRegexp('^ApiTier needs a stack with an explicit region \\(env: \\{ account, region \\}\\)'));
      // A region-specific stack carries no such error.
      const { stack: specific, vpc: specificVpc } = stackWithVpc();
      new ApiTier(specific, 'Api', { vpc: specificVpc });
      Annotations.fromStack(specific).hasNoError('*', Match.anyValue());
    });

    test("no hidden VPC: a JavaScript caller without 'vpc' gets an error naming the construct path and the prop", () => {
      expect(() => new ApiTier(testStack(), 'Api', {} as ApiTierProps)).toThrow(/^TestStack\/Api: 'vpc' is required: pass the VPC to run in/);
      expect(() => new ApiTier(testStack(), 'Api', undefined as unknown as ApiTierProps)).toThrow(/^TestStack\/Api: 'vpc' is required/);
    });

    test("a 'cluster' in another VPC", () => {
      const { stack, vpc } = stackWithVpc();
      const cluster = new ecs.Cluster(stack, 'Other', { vpc: new ec2.Vpc(stack, 'OtherVpc') });
      expect(() => new ApiTier(stack, 'Api', { vpc, cluster })).toThrow(/^TestStack\/Api: 'cluster' is in VPC TestStack\/OtherVpc, not in 'vpc' \(TestStack\/Network\/Resource\)/);
    });
  });
});
