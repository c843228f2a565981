import type { Stack } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/** A metric as CloudWatch will receive it, tokens resolved against `stack`: what a metric*() test asserts. */
export interface ResolvedMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly statistic: string;
  readonly periodSec: number;
  /** Set only when it differs from the stack's region. */
  readonly region?: string;
}

/** A math expression with its metrics, by id, resolved. */
export interface ResolvedExpression {
  readonly expression: string;
  readonly periodSec: number;
  readonly metrics: Record<string, ResolvedMetric | ResolvedExpression>;
}

/** Resolves a Metric or MathExpression (via toMetricConfig, as alarms and dashboards render them). */
export function resolveMetric(stack: Stack, metric: cloudwatch.IMetric): ResolvedMetric | ResolvedExpression {
  const config = metric.toMetricConfig();
  if (config.metricStat) {
    const s = config.metricStat;
    return stack.resolve({
      namespace: s.namespace,
      metricName: s.metricName,
      dimensions: Object.fromEntries((s.dimensions ?? []).map((d) => [d.name, d.value])),
      statistic: s.statistic,
      periodSec: s.period.toSeconds(),
      // Only a region other than the stack's: that is where a metric points somewhere unusual (CloudFront, WAF).
      ...(s.region && s.region !== stack.region ? { region: s.region } : {}),
    });
  }
  const m = config.mathExpression!;
  return {
    expression: m.expression,
    periodSec: m.period,
    metrics: Object.fromEntries(Object.entries(m.usingMetrics).map(([id, x]) => [id, resolveMetric(stack, x)])),
  };
}
