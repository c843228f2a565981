import { Duration, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ruleIds, stack } from './support';

/** What to get wrong in an otherwise well-built load-balanced Fargate service. */
interface ApiOptions {
  readonly autoscale?: boolean;
  readonly minTasks?: number;
  readonly maxTasks?: number;
  readonly desiredCount?: number;
  readonly circuitBreaker?: boolean;
  readonly oneSubnet?: boolean;
  readonly gracePeriodSec?: number;
  readonly startPeriodSec?: number;
  readonly deregistrationDelaySec?: number;
  readonly idleTimeoutSec?: number;
  readonly cpuTarget?: number;
  readonly scaleInCooldownSec?: number;
  readonly scaleOutCooldownSec?: number;
}

/** An internal ALB in front of an auto-scaled Fargate service across two AZs, with every scaling setting right. */
function api(options: ApiOptions = {}): Stack {
  const s = stack();
  const vpc = new ec2.Vpc(s, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  const cluster = new ecs.Cluster(s, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(s, 'Task');
  taskDefinition.addContainer('App', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest'),
    portMappings: [{ containerPort: 80 }],
    healthCheck: options.startPeriodSec === undefined ? undefined : {
      command: ['CMD-SHELL', 'true'],
      startPeriod: Duration.seconds(options.startPeriodSec),
    },
  });
  const service = new ecs.FargateService(s, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: options.desiredCount,
    circuitBreaker: options.circuitBreaker === false ? undefined : { enable: true, rollback: true },
    vpcSubnets: options.oneSubnet ? { subnets: [vpc.isolatedSubnets[0]] } : undefined,
    healthCheckGracePeriod: Duration.seconds(options.gracePeriodSec ?? 60),
  });
  const lb = new elbv2.ApplicationLoadBalancer(s, 'Lb', {
    vpc,
    internetFacing: false,
    idleTimeout: options.idleTimeoutSec === undefined ? undefined : Duration.seconds(options.idleTimeoutSec),
  });
  const group = new elbv2.ApplicationTargetGroup(s, 'Targets', {
    vpc,
    port: 80,
    targetType: elbv2.TargetType.IP,
    deregistrationDelay: Duration.seconds(options.deregistrationDelaySec ?? 65),
    targets: [service],
  });
  lb.addListener('Http', { port: 80, open: false, defaultTargetGroups: [group] });
  if (options.autoscale !== false) {
    const scaling = service.autoScaleTaskCount({ minCapacity: options.minTasks ?? 2, maxCapacity: options.maxTasks ?? 10 });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: options.cpuTarget ?? 60,
      scaleInCooldown: Duration.seconds(options.scaleInCooldownSec ?? 300),
      scaleOutCooldown: Duration.seconds(options.scaleOutCooldownSec ?? 60),
    });
  }
  return s;
}

describe('ECS service and auto scaling rules', () => {
  test('a well-built service (auto scaled 2-10, CPU 60 %, circuit breaker, 2 AZs, 60 s grace, drain >= idle timeout) has no finding', () => {
    expect(ruleIds(api())).toEqual([]);
  });

  test.each<[string, ApiOptions, string[]]>([
    ['ECS1: no scalable target (DesiredCount 2)', { autoscale: false, desiredCount: 2 }, ['ECS1']],
    ['ECS2: MinCapacity 1', { minTasks: 1 }, ['ECS2']],
    ['ECS2 + ECS1: no auto scaling and the default DesiredCount (1)', { autoscale: false }, ['ECS1', 'ECS2']],
    ['ECS3: no deployment circuit breaker', { circuitBreaker: false }, ['ECS3']],
    ['ECS4: tasks in one subnet', { oneSubnet: true }, ['ECS4']],
    ['ECS5: grace period 0', { gracePeriodSec: 0 }, ['ECS5']],
    ['ECS5: grace period 30 s below a 90 s container start period', { gracePeriodSec: 30, startPeriodSec: 90 }, ['ECS5']],
    ['ECS6: deregistration delay 30 s below the ALB idle timeout (60 s default)', { deregistrationDelaySec: 30 }, ['ECS6']],
    ['ECS6: deregistration delay 65 s below a 120 s idle timeout', { idleTimeoutSec: 120 }, ['ECS6']],
    ['AS1: MinCapacity = MaxCapacity', { minTasks: 4, maxTasks: 4 }, ['AS1']],
    ['AS2: scale-in cooldown 30 s, shorter than scale-out 60 s', { scaleInCooldownSec: 30 }, ['AS2']],
    ['AS3: CPU target 90 %', { cpuTarget: 90 }, ['AS3']],
  ])('%s is reported, and only that', (_name, options, expected) => {
    expect(ruleIds(api(options))).toEqual(expected);
  });

  test.each<[string, ApiOptions]>([
    ['ECS5: grace period 90 s covers a 90 s start period', { gracePeriodSec: 90, startPeriodSec: 90 }],
    ['ECS6: deregistration delay 30 s with an idle timeout of 30 s', { deregistrationDelaySec: 30, idleTimeoutSec: 30 }],
    ['AS2: scale-in 120 s, scale-out 120 s (equal is enough)', { scaleInCooldownSec: 120, scaleOutCooldownSec: 120 }],
    ['AS3: CPU target 75 % (the default ceiling itself)', { cpuTarget: 75 }],
  ])('boundary that passes: %s', (_name, options) => {
    expect(ruleIds(api(options))).toEqual([]);
  });

  test('AS3 follows maxTargetCpuPercent, and the pack rejects a ceiling outside (0, 100]', () => {
    expect(ruleIds(api({ cpuTarget: 80 }), { maxTargetCpuPercent: 85 })).toEqual([]);
    expect(ruleIds(api({ cpuTarget: 80 }), { maxTargetCpuPercent: 70 })).toEqual(['AS3']);
    expect(() => ruleIds(stack(), { maxTargetCpuPercent: 120 })).toThrow(/'maxTargetCpuPercent' \(120\) must be a number > 0 and <= 100/);
  });

  test('ECS5/ECS6 use the plan\'s task start-up and request timeout when given', () => {
    expect(ruleIds(api(), { plan: { taskStartupSec: 90 } })).toEqual(['ECS5']);
    expect(ruleIds(api({ deregistrationDelaySec: 35 }), { plan: { requestTimeoutSec: 30 } })).toEqual([]);
    expect(ruleIds(api({ deregistrationDelaySec: 35 }), { plan: { requestTimeoutSec: 40 } })).toEqual(['ECS6']);
  });

  test('L1-built: a CfnService whose scalable target names it literally (service/<cluster>/<name>) counts as scaled', () => {
    const s = stack();
    const service = new ecs.CfnService(s, 'Service', {
      cluster: 'shop',
      serviceName: 'orders',
      taskDefinition: 'arn:aws:ecs:eu-central-1:123456789012:task-definition/orders:1',
      launchType: 'FARGATE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'] } },
    });
    expect(ruleIds(s)).toEqual(['ECS1', 'ECS2']);
    new appscaling.CfnScalableTarget(s, 'Target', {
      serviceNamespace: 'ecs',
      resourceId: 'service/shop/orders',
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 2,
      maxCapacity: 8,
    });
    expect(ruleIds(s)).toEqual([]);
    // The same service in daemon mode is not about task counts at all.
    service.schedulingStrategy = 'DAEMON';
    expect(ruleIds(s)).toEqual([]);
  });

  test('ECS4: two subnets of this stack in the same AZ are still one AZ; in two AZs they pass', () => {
    const build = (zones: [string, string]) => {
      const s = stack();
      const vpc = new ec2.CfnVPC(s, 'Vpc', { cidrBlock: '10.0.0.0/16' });
      const subnets = zones.map((availabilityZone, i) =>
        new ec2.CfnSubnet(s, `Subnet${i}`, { vpcId: vpc.ref, cidrBlock: `10.0.${i}.0/24`, availabilityZone }).ref);
      new ecs.CfnService(s, 'Service', {
        cluster: 'shop', serviceName: 'orders', desiredCount: 2, launchType: 'FARGATE',
        taskDefinition: 'arn:aws:ecs:eu-central-1:123456789012:task-definition/orders:1',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        networkConfiguration: { awsvpcConfiguration: { subnets } },
      });
      new appscaling.CfnScalableTarget(s, 'Target', {
        serviceNamespace: 'ecs', resourceId: 'service/shop/orders', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 2, maxCapacity: 8,
      });
      return s;
    };
    expect(ruleIds(build(['eu-central-1a', 'eu-central-1a']))).toEqual(['ECS4']);
    expect(ruleIds(build(['eu-central-1a', 'eu-central-1b']))).toEqual([]);
  });

  test('a capacity that is a CloudFormation parameter cannot be verified: reported, as cdk-nag does, not passed', () => {
    const s = api();
    const target = s.node.findAll().find((c) => c instanceof appscaling.CfnScalableTarget) as appscaling.CfnScalableTarget;
    target.minCapacity = { Ref: 'MinTasks' } as any;
    expect(ruleIds(s)).toEqual(['AS1', 'ECS2']);
  });
});
