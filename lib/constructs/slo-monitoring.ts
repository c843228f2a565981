import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { stableName } from './stable-name';
import { propError, requireInteger } from './validation';

// Plain aws-cloudwatch L2s, not cdk-monitoring-constructs: that library has no SLO or burn-rate alarms, and its
// facade adds its own alarm naming, actions and dashboard layout, so the part that would fit (the dashboard
// factories) would cost a runtime dependency for rows laid out here in a few lines from the caller's own metrics.

/** Who is told when an alarm fires: `page` wakes someone now, `ticket` is for working hours. */
export type AlertSeverity = 'page' | 'ticket';

/** The dashboard rows, in order from the viewer inwards; the SLO row comes last. */
export const MONITORED_TIERS = ['edge', 'api', 'database', 'cache'] as const;

/** A tier of the service: one dashboard row each. */
export type MonitoredTier = (typeof MONITORED_TIERS)[number];

/**
 * One multi-window burn-rate alert: fires when the error ratio over BOTH windows exceeds `burnRate` times the error
 * budget. The long window makes it significant, the short one makes it stop soon after the burning stops.
 */
export interface BurnRateWindow {
  /** Which topic the alert goes to. */
  readonly severity: AlertSeverity;
  /** The long window (the alarm period): a multiple of 1 minute, at most 7 days. */
  readonly longWindow: Duration;
  /** The short window: a multiple of 1 minute, shorter than `longWindow`. */
  readonly shortWindow: Duration;
  /** How many times faster than "exactly spent at the end of the SLO period" the budget burns; > 0. */
  readonly burnRate: number;
}

/**
 * The Google SRE workbook's multi-window, multi-burn-rate table for a 30-day SLO (chapter "Alerting on SLOs"):
 * page at 14.4x over 1 h and 5 min (2 % of the budget gone), page at 6x over 6 h and 30 min (5 %),
 * ticket at 1x over 3 days and 6 h (10 %).
 */
export const SRE_WORKBOOK_BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { severity: 'page', longWindow: Duration.hours(1), shortWindow: Duration.minutes(5), burnRate: 14.4 },
  { severity: 'page', longWindow: Duration.hours(6), shortWindow: Duration.minutes(30), burnRate: 6 },
  { severity: 'ticket', longWindow: Duration.days(3), shortWindow: Duration.hours(6), burnRate: 1 },
];

/** A saturation alarm whose threshold the caller decides (the capacity plan gives them per phase). */
export interface SaturationAlarm {
  /** Construct id of the alarm, unique in this construct: letters and digits, starting with a letter. */
  readonly id: string;
  /** The dashboard row its graph goes in. */
  readonly tier: MonitoredTier;
  /** The metric watched, with the statistic and period to evaluate, e.g. `db.metricWriterCpuUtilization()`. */
  readonly metric: cloudwatch.IMetric;
  /** The value that fires the alarm, in the metric's unit. */
  readonly threshold: number;
  /** How the metric compares to the threshold, e.g. GREATER_THAN_THRESHOLD. */
  readonly comparison: cloudwatch.ComparisonOperator;
  /** Periods looked at; period x evaluationPeriods must stay within CloudWatch's limits (see README). */
  readonly evaluationPeriods: number;
  /**
   * How many of those periods must breach ("M out of N").
   * @default evaluationPeriods
   */
  readonly datapointsToAlarm?: number;
  /** Which topic is told. */
  readonly severity: AlertSeverity;
  /** What it means and what to do: the alarm description the on-call engineer reads. */
  readonly description: string;
  /**
   * How periods without data count.
   * @default cloudwatch.TreatMissingData.MISSING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /**
   * How the dashboard shows it: 'graph', a graph of its own in its tier's row, or 'status', only its line in the
   * dashboard's alarm-status widget (where every alarm is listed). Use 'status' for alarms that come in large groups,
   * such as one per cache shard: a graph each would fill the dashboard and, each naming every metric, the template.
   * @default 'graph'
   */
  readonly dashboard?: 'graph' | 'status';
}

/** An extra graph on the dashboard, e.g. CloudFront metrics, which live in us-east-1 and cannot be alarmed on elsewhere. */
export interface SloDashboardGraph {
  /** The row it goes in. */
  readonly tier: MonitoredTier;
  /** The graph's title. */
  readonly title: string;
  /** The metrics drawn (left axis). */
  readonly metrics: cloudwatch.IMetric[];
}

/** Properties of {@link SloMonitoring}. Every prop is optional; a latency SLO, an availability SLO or saturation alarms make it useful. */
export interface SloMonitoringProps {
  /**
   * The topic 'page' alarms notify.
   * @default - a new topic encrypted with {@link SloMonitoring.encryptionKey}, SSL-only publishing
   */
  readonly pageTopic?: sns.ITopic;

  /**
   * The topic 'ticket' alarms notify.
   * @default - a new topic encrypted with {@link SloMonitoring.encryptionKey}, SSL-only publishing
   */
  readonly ticketTopic?: sns.ITopic;

  /**
   * The latency SLI, e.g. `api.metricTargetResponseTimeP95()`. Needs `latencyThresholdMs`.
   * @default - no latency SLO alarm
   */
  readonly latencyMetric?: cloudwatch.IMetric;

  /**
   * The latency objective, in milliseconds: the alarm fires above it.
   * @default - required with `latencyMetric`
   */
  readonly latencyThresholdMs?: number;

  /**
   * The unit `latencyMetric` is published in (ALB TargetResponseTime: seconds; CloudFront OriginLatency: milliseconds).
   * @default 'seconds'
   */
  readonly latencyMetricUnit?: 'seconds' | 'milliseconds';

  /**
   * Periods of `latencyMetric` the latency alarm looks at.
   * @default 5
   */
  readonly latencyEvaluationPeriods?: number;

  /**
   * How many of them must be above the threshold.
   * @default 3, or `latencyEvaluationPeriods` when that is smaller
   */
  readonly latencyDatapointsToAlarm?: number;

  /**
   * Who the latency alarm tells.
   * @default 'page'
   */
  readonly latencySeverity?: AlertSeverity;

  /**
   * Count of bad events (Sum), e.g. `api.metric5xxCount()`. Needs `validEventsMetric` and `availabilityTargetPercent`.
   * @default - no availability SLO alarms
   */
  readonly badEventsMetric?: cloudwatch.IMetric;

  /**
   * Count of all valid events (Sum), bad ones included, e.g. `api.metricRequestCount()`.
   * @default - required with `badEventsMetric`
   */
  readonly validEventsMetric?: cloudwatch.IMetric;

  /**
   * The availability objective in percent, e.g. 99.5: the error budget is 100 - target (0.5 %).
   * @default - required with `badEventsMetric`
   */
  readonly availabilityTargetPercent?: number;

  /**
   * The burn-rate alerts: each pair becomes two metric-math alarms and an AllOf composite alarm.
   * @default SRE_WORKBOOK_BURN_RATE_WINDOWS (14.4x 1 h/5 min page, 6x 6 h/30 min page, 1x 3 d/6 h ticket)
   */
  readonly burnRateWindows?: readonly BurnRateWindow[];

  /**
   * Saturation alarms, each also drawn on its tier's row with its threshold.
   * @default - none
   */
  readonly saturationAlarms?: readonly SaturationAlarm[];

  /**
   * Extra graphs without alarms (e.g. CloudFront's, which live in us-east-1).
   * @default - none
   */
  readonly dashboardGraphs?: readonly SloDashboardGraph[];

  /**
   * Name of the CloudWatch dashboard (unique per account and region).
   * @default - generated by CloudFormation
   */
  readonly dashboardName?: string;

  /**
   * Whether to create the dashboard. Turn it off for alarms whose graphs another dashboard already draws
   * (e.g. us-east-1 edge alarms, graphed cross-region on the service's dashboard).
   * @default true
   */
  readonly createDashboard?: boolean;
}

/** The alarms of one burn-rate window pair. */
export interface BurnRateAlarm {
  /** The pair these alarms implement. */
  readonly window: BurnRateWindow;
  /** The error ratio that fires both alarms: error budget x burn rate. */
  readonly threshold: number;
  /** bad/valid over the long window. */
  readonly longWindowAlarm: cloudwatch.Alarm;
  /** bad/valid over the short window. */
  readonly shortWindowAlarm: cloudwatch.Alarm;
  /** AllOf(long, short): the alarm that notifies. */
  readonly compositeAlarm: cloudwatch.CompositeAlarm;
}

/** The defaults of {@link SloMonitoringProps}, in one place. */
export const SLO_MONITORING_DEFAULTS = {
  latencyMetricUnit: 'seconds',
  latencyEvaluationPeriods: 5,
  latencyDatapointsToAlarm: 3,
  latencySeverity: 'page',
  burnRateWindows: SRE_WORKBOOK_BURN_RATE_WINDOWS,
  /** Period of the error-ratio graph on the dashboard. */
  dashboardPeriod: Duration.minutes(5),
} as const;

/** CloudWatch's alarm limits: period x evaluation periods at most 7 days, and at most 1 day when the period is under 1 hour. */
const MAX_ALARM_SPAN_SEC = 7 * 86_400;
const MAX_SHORT_PERIOD_ALARM_SPAN_SEC = 86_400;
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * SLO alarms, saturation alarms and a dashboard for a service, wired to a paging and a ticketing SNS topic.
 *
 * - latency SLO: one alarm on the latency metric above `latencyThresholdMs`, M of N periods;
 * - availability SLO: multi-window burn-rate alerts on bad/valid (Google SRE workbook), each pair two metric-math
 *   alarms (period = window, 1 evaluation period, missing data not breaching) under an AllOf composite alarm;
 * - saturation alarms with the caller's thresholds;
 * - a dashboard with one row per tier (edge, API, database, cache) and an SLO row, thresholds drawn as annotations.
 *
 * The topics it creates are encrypted with a customer-managed KMS key CloudWatch may use, and accept only SSL.
 */
export class SloMonitoring extends Construct {
  /** The topic 'page' alarms notify. */
  public readonly pageTopic: sns.ITopic;
  /** The topic 'ticket' alarms notify. */
  public readonly ticketTopic: sns.ITopic;
  /** The key encrypting the topics created here (undefined when both topics were given). */
  public readonly encryptionKey?: kms.Key;
  /** The latency SLO alarm, when `latencyMetric` is given. */
  public readonly latencyAlarm?: cloudwatch.Alarm;
  /** The burn-rate alarms, one entry per window pair, in the order given. */
  public readonly burnRateAlarms: BurnRateAlarm[];
  /** The composite alarms of the burn-rate pairs (the ones that notify). */
  public readonly compositeAlarms: cloudwatch.CompositeAlarm[];
  /** The saturation alarms by their id. */
  public readonly saturationAlarms: Record<string, cloudwatch.Alarm>;
  /** The dashboard (a row per tier, then the SLOs), unless `createDashboard` is false. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: SloMonitoringProps = {}) {
    super(scope, id);
    const d = SLO_MONITORING_DEFAULTS;
    const windows = props.burnRateWindows ?? d.burnRateWindows;
    const saturation = props.saturationAlarms ?? [];
    validateProps(this, props, windows, saturation);

    if (!props.pageTopic || !props.ticketTopic) {
      this.encryptionKey = new kms.Key(this, 'TopicKey', {
        description: 'SLO alarm topics',
        enableKeyRotation: true,
        // Kept like every key of this library: a message still queued for a subscriber when the stack is deleted
        // can only be read with it, and a kept key costs far less than a lost page.
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // CloudWatch publishes alarm notifications to an encrypted topic only with the key's permission; the AWS-managed
      // SNS key's policy cannot grant it, hence a customer-managed key.
      this.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }));
    }
    this.pageTopic = props.pageTopic ?? this.createTopic('PageTopic', 'SLO alarms: page the on-call engineer');
    this.ticketTopic = props.ticketTopic ?? this.createTopic('TicketTopic', 'SLO alarms: open a ticket');

    if (props.latencyMetric && props.latencyThresholdMs !== undefined) {
      const seconds = (props.latencyMetricUnit ?? d.latencyMetricUnit) === 'seconds';
      const evaluationPeriods = props.latencyEvaluationPeriods ?? d.latencyEvaluationPeriods;
      const datapointsToAlarm = props.latencyDatapointsToAlarm ?? Math.min(d.latencyDatapointsToAlarm, evaluationPeriods);
      this.latencyAlarm = new cloudwatch.Alarm(this, 'LatencyAlarm', {
        metric: props.latencyMetric,
        threshold: seconds ? props.latencyThresholdMs / 1000 : props.latencyThresholdMs,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods,
        datapointsToAlarm,
        // No requests, no latency: silence is not a breach (the availability alarms watch for errors).
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Latency SLO: above ${props.latencyThresholdMs} ms in ${datapointsToAlarm} of ${evaluationPeriods} periods`,
      });
      this.notify(this.latencyAlarm, props.latencySeverity ?? d.latencySeverity);
    }

    this.burnRateAlarms = [];
    if (props.badEventsMetric && props.validEventsMetric && props.availabilityTargetPercent !== undefined) {
      const budget = errorBudget(props.availabilityTargetPercent);
      for (const window of windows) {
        this.burnRateAlarms.push(this.createBurnRateAlarm(window, budget, props.badEventsMetric, props.validEventsMetric, props.availabilityTargetPercent));
      }
    }
    this.compositeAlarms = this.burnRateAlarms.map((b) => b.compositeAlarm);

    this.saturationAlarms = {};
    for (const s of saturation) {
      const alarm = new cloudwatch.Alarm(this, s.id, {
        metric: s.metric,
        threshold: s.threshold,
        comparisonOperator: s.comparison,
        evaluationPeriods: s.evaluationPeriods,
        datapointsToAlarm: s.datapointsToAlarm ?? s.evaluationPeriods,
        treatMissingData: s.treatMissingData ?? cloudwatch.TreatMissingData.MISSING,
        alarmDescription: s.description,
      });
      this.notify(alarm, s.severity);
      this.saturationAlarms[s.id] = alarm;
    }

    if (props.createDashboard ?? true) {
      this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
        dashboardName: props.dashboardName,
        defaultInterval: Duration.days(1),
      });
      this.layOutDashboard(this.dashboard, props, saturation);
    }
  }

  /**
   * The SLO alarms (latency and the burn-rate composites): what an AWS FIS experiment should stop on, as
   * `StopConditions: [{ Source: 'aws:cloudwatch:alarm', Value: alarm.alarmArn }]`. FIS allows 5 stop conditions.
   */
  public get stopConditionAlarms(): cloudwatch.IAlarm[] {
    return [...(this.latencyAlarm ? [this.latencyAlarm] : []), ...this.compositeAlarms];
  }

  /** Every alarm created here: latency, burn-rate (window and composite) and saturation. */
  public get alarms(): cloudwatch.AlarmBase[] {
    return [
      ...(this.latencyAlarm ? [this.latencyAlarm] : []),
      ...this.burnRateAlarms.flatMap((b) => [b.longWindowAlarm, b.shortWindowAlarm, b.compositeAlarm]),
      ...Object.values(this.saturationAlarms),
    ];
  }

  private createTopic(id: string, displayName: string): sns.Topic {
    return new sns.Topic(this, id, { displayName, masterKey: this.encryptionKey, enforceSSL: true });
  }

  /** Alarm and recovery both go to the severity's topic, so a page resolves itself. */
  private notify(alarm: cloudwatch.AlarmBase, severity: AlertSeverity): void {
    const action = new cloudwatchActions.SnsAction(severity === 'page' ? this.pageTopic : this.ticketTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }

  private createBurnRateAlarm(window: BurnRateWindow, budget: number, bad: cloudwatch.IMetric, valid: cloudwatch.IMetric,
    targetPercent: number): BurnRateAlarm {
    const threshold = Number((budget * window.burnRate).toPrecision(12));
    const name = burnRateId(window);
    const group = new Construct(this, name);
    const ratioAlarm = (id: string, period: Duration) => new cloudwatch.Alarm(group, id, {
      metric: errorRatio(bad, valid, period),
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      // No traffic in the window: no budget spent.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `Error ratio over ${formatDuration(period)} above ${threshold} (${window.burnRate}x the ${round(100 - targetPercent)} % error budget)`,
    });
    const longWindowAlarm = ratioAlarm('LongWindowAlarm', window.longWindow);
    const shortWindowAlarm = ratioAlarm('ShortWindowAlarm', window.shortWindow);
    const compositeAlarm = new cloudwatch.CompositeAlarm(group, 'Alarm', {
      // CDK's generated name includes the stack's construct id; a stable one keeps the alarm when a stack changes id.
      compositeAlarmName: stableName(group, '-').slice(0, 255),
      alarmRule: cloudwatch.AlarmRule.allOf(longWindowAlarm, shortWindowAlarm),
      alarmDescription: `Availability SLO ${targetPercent} %: error budget burning at ${window.burnRate}x over ` +
        `${formatDuration(window.longWindow)} and ${formatDuration(window.shortWindow)} (${window.severity})`,
    });
    this.notify(compositeAlarm, window.severity);
    return { window, threshold, longWindowAlarm, shortWindowAlarm, compositeAlarm };
  }

  private layOutDashboard(dashboard: cloudwatch.Dashboard, props: SloMonitoringProps, saturation: readonly SaturationAlarm[]): void {
    const rowTitles: Record<MonitoredTier, string> = { edge: 'Edge', api: 'API', database: 'Database', cache: 'Cache' };
    for (const tier of MONITORED_TIERS) {
      const graphs: cloudwatch.IWidget[] = [
        ...saturation.filter((s) => s.tier === tier && s.dashboard !== 'status').map((s) => new cloudwatch.GraphWidget({
          title: s.id,
          left: [s.metric],
          leftAnnotations: [{ value: s.threshold, label: `${s.severity} threshold`, color: severityColor(s.severity) }],
          width: 8,
        })),
        ...(props.dashboardGraphs ?? []).filter((g) => g.tier === tier).map((g) => new cloudwatch.GraphWidget({
          title: g.title,
          left: g.metrics,
          width: 8,
        })),
      ];
      if (graphs.length === 0) continue;
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: `## ${rowTitles[tier]}`, width: 24, height: 1 }));
      dashboard.addWidgets(...graphs);
    }

    const slo: cloudwatch.IWidget[] = [];
    if (props.latencyMetric && props.latencyThresholdMs !== undefined) {
      const seconds = (props.latencyMetricUnit ?? SLO_MONITORING_DEFAULTS.latencyMetricUnit) === 'seconds';
      slo.push(new cloudwatch.GraphWidget({
        title: `Latency SLO (${props.latencyThresholdMs} ms)`,
        left: [props.latencyMetric],
        leftAnnotations: [{
          value: seconds ? props.latencyThresholdMs / 1000 : props.latencyThresholdMs,
          label: `SLO ${props.latencyThresholdMs} ms`,
          color: severityColor(props.latencySeverity ?? SLO_MONITORING_DEFAULTS.latencySeverity),
        }],
        width: 8,
      }));
    }
    if (this.burnRateAlarms.length > 0 && props.badEventsMetric && props.validEventsMetric) {
      const budget = errorBudget(props.availabilityTargetPercent!);
      slo.push(new cloudwatch.GraphWidget({
        title: `Error ratio (SLO ${props.availabilityTargetPercent} %)`,
        left: [errorRatio(props.badEventsMetric, props.validEventsMetric, SLO_MONITORING_DEFAULTS.dashboardPeriod)],
        leftAnnotations: [
          { value: budget, label: 'error budget (1x)', color: cloudwatch.Color.GREY },
          ...this.burnRateAlarms.map((b) => ({
            value: b.threshold,
            label: `${b.window.burnRate}x ${formatDuration(b.window.longWindow)} (${b.window.severity})`,
            color: severityColor(b.window.severity),
          })),
        ],
        width: 8,
      }));
    }
    const alarms = this.alarms;
    if (alarms.length > 0) {
      slo.push(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms, width: 8, height: 6 }));
    }
    if (slo.length > 0) {
      dashboard.addWidgets(new cloudwatch.TextWidget({ markdown: '## SLOs', width: 24, height: 1 }));
      dashboard.addWidgets(...slo);
    }
  }
}

/** bad / valid over `period`: the error ratio a burn-rate alarm compares with budget x burn rate. */
function errorRatio(bad: cloudwatch.IMetric, valid: cloudwatch.IMetric, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'bad / valid',
    usingMetrics: { bad, valid },
    period,
    label: `Error ratio (${formatDuration(period)})`,
  });
}

function errorBudget(targetPercent: number): number {
  // From the percent, not 1 - target/100: 100 - 99.5 is exactly 0.5, 1 - 0.995 is not exactly 0.005.
  return Number(((100 - targetPercent) / 100).toPrecision(12));
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}

function severityColor(severity: AlertSeverity): string {
  return severity === 'page' ? cloudwatch.Color.RED : cloudwatch.Color.ORANGE;
}

/** '1h', '5m', '3d', '90s': for construct ids and descriptions. */
export function formatDuration(duration: Duration): string {
  const sec = duration.toSeconds();
  if (sec % 86_400 === 0) return `${sec / 86_400}d`;
  if (sec % 3600 === 0) return `${sec / 3600}h`;
  if (sec % 60 === 0) return `${sec / 60}m`;
  return `${sec}s`;
}

/** Construct id of a window pair, e.g. 'BurnRatePage1h5m'. */
function burnRateId(window: BurnRateWindow): string {
  const severity = window.severity === 'page' ? 'Page' : 'Ticket';
  return `BurnRate${severity}${formatDuration(window.longWindow)}${formatDuration(window.shortWindow)}`;
}

/** The period of a Metric or MathExpression (the ones CDK has), undefined for other IMetric implementations. */
function periodOf(metric: cloudwatch.IMetric): Duration | undefined {
  return metric instanceof cloudwatch.Metric || metric instanceof cloudwatch.MathExpression ? metric.period : undefined;
}

/**
 * Throws unless `periodSec` x `evaluationPeriods` fits CloudWatch's alarm limits: a period of 10 s, 30 s or a
 * multiple of 60 s; a span of at most 7 days, and at most 1 day when the period is under 1 hour.
 */
export function validateAlarmWindow(scope: IConstruct, what: string, periodSec: number, evaluationPeriods: number): void {
  if (!(periodSec === 10 || periodSec === 30 || (periodSec >= 60 && periodSec % 60 === 0))) {
    throw propError(scope, `${what}: period (${periodSec} s) must be 10 s, 30 s or a multiple of 60 s`);
  }
  const span = periodSec * evaluationPeriods;
  if (span > MAX_ALARM_SPAN_SEC) {
    throw propError(scope, `${what}: period (${periodSec} s) x evaluation periods (${evaluationPeriods}) = ${span} s exceeds CloudWatch's 7 days (${MAX_ALARM_SPAN_SEC} s)`);
  }
  if (periodSec < 3600 && span > MAX_SHORT_PERIOD_ALARM_SPAN_SEC) {
    throw propError(scope, `${what}: period (${periodSec} s) x evaluation periods (${evaluationPeriods}) = ${span} s exceeds CloudWatch's 1 day (${MAX_SHORT_PERIOD_ALARM_SPAN_SEC} s) for periods under 1 hour`);
  }
}

function validateProps(scope: Construct, props: SloMonitoringProps, windows: readonly BurnRateWindow[], saturation: readonly SaturationAlarm[]): void {
  if ((props.latencyMetric === undefined) !== (props.latencyThresholdMs === undefined)) {
    throw propError(scope, `'latencyMetric' (${props.latencyMetric ? 'set' : 'not set'}) and 'latencyThresholdMs' (${props.latencyThresholdMs}) must be given together`);
  }
  if (props.latencyThresholdMs !== undefined && !(Number.isFinite(props.latencyThresholdMs) && props.latencyThresholdMs > 0)) {
    throw propError(scope, `'latencyThresholdMs' (${props.latencyThresholdMs}) must be a number > 0`);
  }
  if (props.latencyMetric) {
    const evaluationPeriods = props.latencyEvaluationPeriods ?? SLO_MONITORING_DEFAULTS.latencyEvaluationPeriods;
    requireInteger(scope, 'latencyEvaluationPeriods', evaluationPeriods, 1);
    if (props.latencyDatapointsToAlarm !== undefined) {
      requireInteger(scope, 'latencyDatapointsToAlarm', props.latencyDatapointsToAlarm, 1, evaluationPeriods, `at most 'latencyEvaluationPeriods' (${evaluationPeriods})`);
    }
    requireSameRegion(scope, "'latencyMetric'", props.latencyMetric);
    const period = periodOf(props.latencyMetric);
    if (period) validateAlarmWindow(scope, "'latencyMetric'", period.toSeconds(), evaluationPeriods);
  }

  const availability = [props.badEventsMetric, props.validEventsMetric, props.availabilityTargetPercent];
  if (availability.some((v) => v !== undefined) && availability.some((v) => v === undefined)) {
    throw propError(scope, `'badEventsMetric' (${props.badEventsMetric ? 'set' : 'not set'}), 'validEventsMetric' (${props.validEventsMetric ? 'set' : 'not set'}) ` +
      `and 'availabilityTargetPercent' (${props.availabilityTargetPercent}) must be given together`);
  }
  const target = props.availabilityTargetPercent;
  if (target !== undefined && !(Number.isFinite(target) && target > 0 && target < 100)) {
    throw propError(scope, `'availabilityTargetPercent' (${target}) must be above 0 and below 100, e.g. 99.5`);
  }
  for (const [name, metric] of [['badEventsMetric', props.badEventsMetric], ['validEventsMetric', props.validEventsMetric]] as const) {
    if (metric instanceof cloudwatch.Metric && metric.statistic.toLowerCase() !== 'sum') {
      throw propError(scope, `'${name}' (${metric.metricName}, ${metric.statistic}) must be a count with statistic 'Sum': the burn-rate alarms divide event counts`);
    }
    if (metric) requireSameRegion(scope, `'${name}'`, metric);
  }

  const budget = target === undefined ? undefined : errorBudget(target);
  const ids = new Set<string>();
  windows.forEach((w, i) => {
    const at = `'burnRateWindows[${i}]' (${w.severity} ${w.burnRate}x over ${formatDuration(w.longWindow)} and ${formatDuration(w.shortWindow)})`;
    if (w.severity !== 'page' && w.severity !== 'ticket') throw propError(scope, `${at}: severity must be 'page' or 'ticket'`);
    if (!(Number.isFinite(w.burnRate) && w.burnRate > 0)) throw propError(scope, `${at}: burnRate (${w.burnRate}) must be a number > 0`);
    if (w.shortWindow.toSeconds() >= w.longWindow.toSeconds()) {
      throw propError(scope, `${at}: shortWindow (${formatDuration(w.shortWindow)}) must be shorter than longWindow (${formatDuration(w.longWindow)})`);
    }
    for (const [name, window] of [['longWindow', w.longWindow], ['shortWindow', w.shortWindow]] as const) {
      const sec = window.toSeconds();
      if (sec < 60 || sec % 60 !== 0) throw propError(scope, `${at}: ${name} (${sec} s) must be a multiple of 60 s`);
      // One evaluation period: the window is the period.
      validateAlarmWindow(scope, `${at} ${name}`, sec, 1);
    }
    if (budget !== undefined && budget * w.burnRate >= 1) {
      throw propError(scope, `${at}: threshold ${round(budget * w.burnRate)} (error budget ${budget} x burnRate ${w.burnRate}) must be below 1, or the error ratio can never reach it`);
    }
    const id = burnRateId(w);
    if (ids.has(id)) throw propError(scope, `${at}: a pair with the same severity and windows is already defined`);
    ids.add(id);
  });

  const seen = new Set<string>(['LatencyAlarm', 'Dashboard', 'TopicKey', 'PageTopic', 'TicketTopic', ...ids]);
  saturation.forEach((s, i) => {
    const at = `'saturationAlarms[${i}]' (${s.id})`;
    if (!ID_PATTERN.test(s.id)) throw propError(scope, `${at}: id must be letters and digits, starting with a letter`);
    if (seen.has(s.id)) throw propError(scope, `${at}: id is already used in this construct`);
    seen.add(s.id);
    if (!(MONITORED_TIERS as readonly string[]).includes(s.tier)) throw propError(scope, `${at}: tier (${s.tier}) must be one of ${MONITORED_TIERS.join(', ')}`);
    if (s.severity !== 'page' && s.severity !== 'ticket') throw propError(scope, `${at}: severity (${s.severity}) must be 'page' or 'ticket'`);
    if (!Number.isFinite(s.threshold)) throw propError(scope, `${at}: threshold (${s.threshold}) must be a finite number`);
    requireInteger(scope, `saturationAlarms[${i}].evaluationPeriods`, s.evaluationPeriods, 1);
    if (s.datapointsToAlarm !== undefined) {
      requireInteger(scope, `saturationAlarms[${i}].datapointsToAlarm`, s.datapointsToAlarm, 1, s.evaluationPeriods, `at most evaluationPeriods (${s.evaluationPeriods})`);
    }
    if (s.description.trim() === '') throw propError(scope, `${at}: description must say what the alarm means`);
    if (s.dashboard !== undefined && s.dashboard !== 'graph' && s.dashboard !== 'status') throw propError(scope, `${at}: dashboard (${s.dashboard}) must be 'graph' or 'status'`);
    requireSameRegion(scope, at, s.metric);
    const period = periodOf(s.metric);
    if (period) validateAlarmWindow(scope, at, period.toSeconds(), s.evaluationPeriods);
  });
  (props.dashboardGraphs ?? []).forEach((g, i) => {
    if (!(MONITORED_TIERS as readonly string[]).includes(g.tier)) {
      throw propError(scope, `'dashboardGraphs[${i}]' (${g.title}): tier (${g.tier}) must be one of ${MONITORED_TIERS.join(', ')}`);
    }
  });
}

/** CloudWatch alarms watch metrics of their own region only (CloudFront's live in us-east-1). */
function requireSameRegion(scope: Construct, what: string, metric: cloudwatch.IMetric): void {
  const stackRegion = Stack.of(scope).region;
  const region = metric instanceof cloudwatch.Metric ? metric.region : undefined;
  if (region !== undefined && !Token.isUnresolved(region) && !Token.isUnresolved(stackRegion) && region !== stackRegion) {
    throw propError(scope, `${what}: the metric is in ${region} but this stack is in ${stackRegion}; a CloudWatch alarm can only watch metrics of its own region. ` +
      `Create the alarm in a ${region} stack, or draw the metric with 'dashboardGraphs'`);
  }
}
