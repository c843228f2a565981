/**
 * ApiTier's scheduled min tasks and burst (step-scaling) policy: off by default, rendered as given, validated with
 * errors naming the prop, the value and the range.
 */
import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiBurstStep, ApiScheduledMinTasks, ApiTier } from '../../lib/constructs/api-tier';
import { Network } from '../../lib/constructs/network';
import { testStack } from '../support/test-stack';

/** A test stack and the VPC an ApiTier requires. */
function stackWithVpc() {
  const stack = testStack();
  return { stack, vpc: new Network(stack, 'Network').vpc };
}

const policies = (t: Template) => Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((r: any) => r.Properties);

describe('ApiTier known peaks and bursts', () => {
  test('by default: no scheduled action and no step policy, only the two target-tracking policies', () => {
    const { stack, vpc } = stackWithVpc();
    new ApiTier(stack, 'Api', { vpc });
    const t = Template.fromStack(stack);
    expect(policies(t).map((p) => p.PolicyType)).toEqual(['TargetTrackingScaling', 'TargetTrackingScaling']);
    expect((Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0] as any).Properties.ScheduledActions).toBeUndefined();
  });

  test('scheduled min tasks and burst steps are rendered as given', () => {
    const { stack, vpc } = stackWithVpc();
    new ApiTier(stack, 'Api', {
      vpc,
      maxTasks: 20,
      scheduledMinTasks: [
        { id: 'SaleRaise', schedule: appscaling.Schedule.at(new Date('2027-03-01T08:45:00Z')), minTasks: 12 },
        { id: 'SaleLower', schedule: appscaling.Schedule.cron({ minute: '0', hour: '10' }), minTasks: 2 },
      ],
      burstScalingSteps: [{ lowerCpuPercent: 80, changePercent: 30 }, { lowerCpuPercent: 95, changePercent: 100 }],
    });
    const t = Template.fromStack(stack);
    const target = (Object.values(t.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0] as any).Properties;
    expect(target.ScheduledActions).toEqual([
      { ScheduledActionName: 'SaleRaise', Schedule: 'at(2027-03-01T08:45:00)', ScalableTargetAction: { MinCapacity: 12 } },
      { ScheduledActionName: 'SaleLower', Schedule: 'cron(0 10 * * ? *)', ScalableTargetAction: { MinCapacity: 2 } },
    ]);
    const [step] = policies(t).filter((p) => p.PolicyType === 'StepScaling');
    expect(step.StepScalingPolicyConfiguration).toMatchObject({
      AdjustmentType: 'PercentChangeInCapacity',
      MinAdjustmentMagnitude: 1,
      Cooldown: 60,
      StepAdjustments: [
        { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 15, ScalingAdjustment: 30 },
        { MetricIntervalLowerBound: 15, ScalingAdjustment: 100 },
      ],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'CPUUtilization', Threshold: 80, EvaluationPeriods: 1, Period: 60 });
  });

  test.each<[string, { scheduledMinTasks?: ApiScheduledMinTasks[]; burstScalingSteps?: ApiBurstStep[] }, RegExp]>([
    ['min tasks above max', { scheduledMinTasks: [{ id: 'Up', schedule: appscaling.Schedule.rate(Duration.days(1)), minTasks: 9 }] }, /'scheduledMinTasks\[0\].minTasks' \(9\) must be an integer from 1 to 4/],
    ['a bad id', { scheduledMinTasks: [{ id: 'up-1', schedule: appscaling.Schedule.cron({ hour: '1' }), minTasks: 2 }] }, /'scheduledMinTasks\[0\].id' \("up-1"\) must be 1-100 letters and digits/],
    ['steps out of order', { burstScalingSteps: [{ lowerCpuPercent: 90, changePercent: 10 }, { lowerCpuPercent: 80, changePercent: 50 }] }, /'burstScalingSteps\[1\].lowerCpuPercent' \(80\) must be above step 0's \(90\)/],
    ['a CPU of 100', { burstScalingSteps: [{ lowerCpuPercent: 100, changePercent: 10 }] }, /'burstScalingSteps\[0\].lowerCpuPercent' \(100\) must be from 1 to 99/],
    ['a change of 0 %', { burstScalingSteps: [{ lowerCpuPercent: 80, changePercent: 0 }] }, /'burstScalingSteps\[0\].changePercent' \(0\) must be an integer from 1 to 1000/],
  ])('rejects %s', (_name, props, message) => {
    const { stack, vpc } = stackWithVpc();
    expect(() => new ApiTier(stack, 'Api', { vpc, ...props })).toThrow(message);
  });
});
