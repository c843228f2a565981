import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SaturationAlarm, SloMonitoringProps } from '../../lib/constructs/slo-monitoring';

/** Plain metrics stand in for the constructs' ones: the SLO logic does not depend on where a metric comes from. */
export const ns = 'Test/Service';
export const latency = new cloudwatch.Metric({ namespace: ns, metricName: 'LatencySeconds', statistic: 'p95', period: Duration.minutes(1) });
export const bad = new cloudwatch.Metric({ namespace: ns, metricName: 'Errors', statistic: 'Sum' });
export const valid = new cloudwatch.Metric({ namespace: ns, metricName: 'Requests', statistic: 'Sum' });

export function saturation(overrides: Partial<SaturationAlarm> = {}): SaturationAlarm {
  return {
    id: 'WriterCpu',
    tier: 'database',
    metric: new cloudwatch.Metric({ namespace: ns, metricName: 'WriterCpu', statistic: 'Average', period: Duration.minutes(5) }),
    threshold: 70,
    comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 3,
    severity: 'ticket',
    description: 'Writer CPU above 70 % for 15 min: scale the writer class up (see the capacity plan)',
    ...overrides,
  };
}

export const FULL: SloMonitoringProps = {
  latencyMetric: latency,
  latencyThresholdMs: 300,
  badEventsMetric: bad,
  validEventsMetric: valid,
  availabilityTargetPercent: 99.5,
  saturationAlarms: [
    saturation(),
    saturation({ id: 'CacheMemory', tier: 'cache', threshold: 80, severity: 'page', evaluationPeriods: 5, datapointsToAlarm: 3 }),
  ],
};
