import type { CfnResource } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { resolve, resolveBoolean, resolveNumber } from './resolve';
import type { ScalabilityRule } from './rule';

export const SCALABLE_TARGET = 'AWS::ApplicationAutoScaling::ScalableTarget';
export const SCALING_POLICY = 'AWS::ApplicationAutoScaling::ScalingPolicy';

/**
 * Application Auto Scaling's cooldown when a target-tracking policy gives none (ECS, DynamoDB, Aurora replicas and
 * most other namespaces: 300 s).
 */
const DEFAULT_COOLDOWN_SEC = 300;
/** Shortest scale-in cooldown that still outlasts a metric's 1-minute noise and a new task's warm-up. */
const MIN_SCALE_IN_COOLDOWN_SEC = 60;

/** The target-tracking configuration of a scaling policy, resolved (undefined for step scaling). */
function targetTracking(node: CfnResource): appscaling.CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty | undefined {
  if (node.cfnResourceType !== SCALING_POLICY) return undefined;
  const policy = node as appscaling.CfnScalingPolicy;
  if (resolve(node, policy.policyType) !== 'TargetTrackingScaling') return undefined;
  return resolve(node, policy.targetTrackingScalingPolicyConfiguration);
}

export const AUTOSCALING_RULES: readonly ScalabilityRule[] = [
  {
    id: 'AS1',
    level: NagMessageLevel.ERROR,
    info: 'The scalable target cannot scale: its MinCapacity is not below its MaxCapacity.',
    explanation: 'A target whose minimum equals its maximum is a fixed size with an auto scaling policy that can never act: load above that size queues and times out instead of adding capacity.',
    fix: 'Set MaxCapacity above MinCapacity (the planned peak with headroom), e.g. autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 }).',
    check: (node) => {
      if (node.cfnResourceType !== SCALABLE_TARGET) return NagRuleCompliance.NOT_APPLICABLE;
      const target = node as appscaling.CfnScalableTarget;
      const min = resolveNumber(node, target.minCapacity);
      const max = resolveNumber(node, target.maxCapacity);
      if (min === undefined || max === undefined) throw new Error('MinCapacity or MaxCapacity is not a literal number');
      return min >= max ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'AS2',
    level: NagMessageLevel.WARN,
    info: 'The target-tracking policy scales in faster than it scales out (ScaleInCooldown below ScaleOutCooldown or under 60 s).',
    explanation: 'Removing capacity sooner than it is added makes the policy flap: each dip in the metric removes tasks that the next minute adds back, paying start-up time and cold caches on every cycle.',
    fix: `Set ScaleInCooldown to at least the ScaleOutCooldown and at least ${MIN_SCALE_IN_COOLDOWN_SEC} s (300 s, the default, or 3 x the scale-out cooldown), or DisableScaleIn where another policy scales in.`,
    check: (node) => {
      const config = targetTracking(node);
      if (config === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      if (resolveBoolean(node, config.disableScaleIn) === true) return NagRuleCompliance.COMPLIANT;
      const scaleIn = config.scaleInCooldown === undefined ? DEFAULT_COOLDOWN_SEC : resolveNumber(node, config.scaleInCooldown);
      const scaleOut = config.scaleOutCooldown === undefined ? DEFAULT_COOLDOWN_SEC : resolveNumber(node, config.scaleOutCooldown);
      if (scaleIn === undefined || scaleOut === undefined) throw new Error('a cooldown is not a literal number');
      return scaleIn < Math.max(scaleOut, MIN_SCALE_IN_COOLDOWN_SEC) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
  {
    id: 'AS3',
    level: NagMessageLevel.WARN,
    info: 'The target-tracking policy keeps ECS service CPU above what the service can hold (TargetValue above the pack\'s maxTargetCpuPercent, 75 % by default).',
    explanation: 'New tasks take minutes to start and pass health checks; a CPU target near saturation leaves no headroom for that time, and queueing delay grows steeply above about 75 % utilization, so latency breaks the SLO before capacity arrives.',
    fix: 'Lower TargetValue (scaleOnCpuUtilization targetUtilizationPercent) to 50-70 %, or pass maxTargetCpuPercent to the pack if load tests show the service holds more.',
    check: (node, { maxTargetCpuPercent }) => {
      const config = targetTracking(node);
      if (config === undefined) return NagRuleCompliance.NOT_APPLICABLE;
      const predefined = (config.predefinedMetricSpecification as any)?.predefinedMetricType;
      const custom = config.customizedMetricSpecification as any;
      const isEcsCpu = predefined === 'ECSServiceAverageCPUUtilization' || (custom?.namespace === 'AWS/ECS' && custom?.metricName === 'CPUUtilization');
      if (!isEcsCpu) return NagRuleCompliance.NOT_APPLICABLE;
      const target = resolveNumber(node, config.targetValue);
      if (target === undefined) throw new Error('TargetValue is not a literal number');
      return target > maxTargetCpuPercent ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
];
