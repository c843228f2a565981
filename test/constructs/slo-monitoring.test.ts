import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiTier } from '../../lib/constructs/api-tier';
import { AuroraPostgres } from '../../lib/constructs/aurora-postgres';
import { Network } from '../../lib/constructs/network';
import { RedisCache } from '../../lib/constructs/redis-cache';
import {
  BurnRateWindow, SloMonitoring, SloMonitoringProps, SRE_WORKBOOK_BURN_RATE_WINDOWS, validateAlarmWindow,
} from '../../lib/constructs/slo-monitoring';
import { bad, FULL, latency, ns, saturation, valid } from '../support/slo-fixtures';
import { logicalId } from '../support/template-helpers';
import { testStack } from '../support/test-stack';

function synth(props: SloMonitoringProps = FULL, stack: Stack = testStack()): { stack: Stack; slo: SloMonitoring; template: Template } {
  const slo = new SloMonitoring(stack, 'Slo', props);
  return { stack, slo, template: Template.fromStack(stack) };
}

/** The dashboard body with its Fn::Join tokens flattened to one string. */
function dashboardBody(stack: Stack, slo: SloMonitoring): Record<string, unknown> {
  const body = stack.resolve((slo.dashboard!.node.defaultChild as cloudwatch.CfnDashboard).dashboardBody);
  // Tokens (alarm ARNs) sit inside JSON strings, so a placeholder without quotes keeps the JSON valid.
  const flat = typeof body === 'string' ? body : (body['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('');
  return JSON.parse(flat);
}

describe('SloMonitoring', () => {
  test('createDashboard: false builds the alarms and topics without a dashboard (for alarms graphed elsewhere)', () => {
    const { slo, template } = synth({ ...FULL, createDashboard: false });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(slo.dashboard).toBeUndefined();
    expect(slo.alarms.length).toBeGreaterThan(0);
  });

  test("dashboard: 'status' draws no graph for the alarm, which stays a line of the alarm-status widget; 'graph' is the default", () => {
    const stack = testStack();
    const slo = new SloMonitoring(stack, 'Slo', {
      saturationAlarms: [saturation(), saturation({ id: 'CacheMemoryShard2', tier: 'cache', dashboard: 'status' }), saturation({ id: 'CacheMemoryShard1', tier: 'cache', dashboard: 'graph' })],
    });
    const body = dashboardBody(stack, slo) as { widgets: Array<{ type: string; properties: Record<string, any> }> };
    expect(body.widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title)).toEqual(['WriterCpu', 'CacheMemoryShard1']); // rows: database, then cache
    expect(body.widgets.find((w) => w.type === 'alarm')!.properties.alarms).toHaveLength(3);
    expect(() => new SloMonitoring(testStack('Other'), 'Slo', { saturationAlarms: [saturation({ dashboard: 'table' as any })] }))
      .toThrow(/'saturationAlarms\[0\]' \(WriterCpu\): dashboard \(table\) must be 'graph' or 'status'/);
  });

  describe('latency, availability with the SRE workbook windows, and two saturation alarms', () => {
    let stack: Stack;
    let slo: SloMonitoring;
    let template: Template;
    beforeAll(() => {
      ({ stack, slo, template } = synth());
    });

    test('1 latency + 3 pairs x 2 window alarms + 2 saturation = 9 metric alarms, and 3 composite alarms', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 9);
      template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 3);
      expect(slo.alarms).toHaveLength(12);
      expect(slo.burnRateAlarms.map((b) => b.window)).toEqual(SRE_WORKBOOK_BURN_RATE_WINDOWS);
    });

    test.each([
      // window pair, long period (s), short period (s), threshold = 0.5 % budget x burn rate
      [0, 3600, 300, 0.072],
      [1, 21_600, 1800, 0.03],
      [2, 259_200, 21_600, 0.005],
    ])('pair %i: bad/valid over %i s and %i s, threshold %d, one evaluation period, missing data not breaching', (i, longSec, shortSec, threshold) => {
      const pair = slo.burnRateAlarms[i];
      expect(pair.threshold).toBe(threshold);
      for (const [alarm, period] of [[pair.longWindowAlarm, longSec], [pair.shortWindowAlarm, shortSec]] as const) {
        const props = template.toJSON().Resources[logicalId(alarm)].Properties;
        expect(props).toMatchObject({
          Threshold: threshold,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
        });
        expect(props.Metrics).toEqual([
          { Id: 'expr_1', Expression: 'bad / valid', Label: expect.any(String), ReturnData: true },
          { Id: 'bad', ReturnData: false, MetricStat: { Metric: { Namespace: ns, MetricName: 'Errors' }, Period: period, Stat: 'Sum' } },
          { Id: 'valid', ReturnData: false, MetricStat: { Metric: { Namespace: ns, MetricName: 'Requests' }, Period: period, Stat: 'Sum' } },
        ]);
        // The window alarms notify nobody: only their composite does.
        expect(props.AlarmActions).toBeUndefined();
      }
    });

    test('each composite is AllOf its long- and short-window alarm and notifies the severity\'s topic', () => {
      for (const pair of slo.burnRateAlarms) {
        const props = template.toJSON().Resources[logicalId(pair.compositeAlarm)].Properties;
        const rule = JSON.stringify(props.AlarmRule);
        // ALARM("long") AND ALARM("short"), with the ARNs as references.
        expect(rule).toMatch(new RegExp(`ALARM\\(\\\\"",\\{"Fn::GetAtt":\\["${logicalId(pair.longWindowAlarm)}","Arn"\\]\\},"\\\\"\\) AND ALARM\\(\\\\"",\\{"Fn::GetAtt":\\["${logicalId(pair.shortWindowAlarm)}","Arn"\\]\\}`));
        const topic = pair.window.severity === 'page' ? slo.pageTopic : slo.ticketTopic;
        expect(props.AlarmActions).toEqual([{ Ref: logicalId(topic as sns.Topic) }]);
        expect(props.OKActions).toEqual([{ Ref: logicalId(topic as sns.Topic) }]);
      }
      expect(slo.burnRateAlarms.map((b) => b.window.severity)).toEqual(['page', 'page', 'ticket']);
    });

    test('latency alarm: 300 ms as 0.3 s, 3 of 5 one-minute periods, pages', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'LatencySeconds',
        ExtendedStatistic: 'p95',
        Period: 60,
        Threshold: 0.3,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: logicalId(slo.pageTopic as sns.Topic) }],
      });
    });

    test('saturation alarms take the caller\'s threshold, periods and severity', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'WriterCpu', Threshold: 70, EvaluationPeriods: 3, DatapointsToAlarm: 3, Period: 300,
        AlarmDescription: Match.stringLikeRegexp('scale the writer'),
        AlarmActions: [{ Ref: logicalId(slo.ticketTopic as sns.Topic) }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 80, EvaluationPeriods: 5, DatapointsToAlarm: 3,
        AlarmActions: [{ Ref: logicalId(slo.pageTopic as sns.Topic) }],
      });
      expect(Object.keys(slo.saturationAlarms)).toEqual(['WriterCpu', 'CacheMemory']);
    });

    test('two topics, KMS-encrypted with a rotating key that CloudWatch may use, SSL-only', () => {
      template.resourceCountIs('AWS::SNS::Topic', 2);
      const keyId = logicalId(slo.encryptionKey!);
      for (const topic of [slo.pageTopic, slo.ticketTopic]) {
        const id = logicalId(topic as sns.Topic);
        expect(template.toJSON().Resources[id].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
        template.hasResourceProperties('AWS::SNS::TopicPolicy', {
          Topics: [{ Ref: id }],
          PolicyDocument: Match.objectLike({
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          }),
        });
      }
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          })]),
        }),
      });
    });

    test('FIS stop conditions are the SLO alarms: latency and the three composites', () => {
      expect(slo.stopConditionAlarms).toEqual([slo.latencyAlarm, ...slo.compositeAlarms]);
    });

    test('dashboard: a row per tier with alarms, then the SLO row; thresholds drawn as annotations', () => {
      const body = dashboardBody(stack, slo) as { widgets: Array<{ type: string; properties: Record<string, any> }> };
      const headers = body.widgets.filter((w) => w.type === 'text').map((w) => w.properties.markdown);
      expect(headers).toEqual(['## Database', '## Cache', '## SLOs']);
      const annotations = body.widgets.flatMap((w) => (w.properties.annotations?.horizontal ?? []) as Array<{ value: number; label: string }>);
      expect(annotations.map((a) => a.value)).toEqual([70, 80, 0.3, 0.005, 0.072, 0.03, 0.005]);
      expect(annotations.map((a) => a.label)).toContain('14.4x 1h (page)');
      const alarmWidget = body.widgets.find((w) => w.type === 'alarm');
      expect(alarmWidget?.properties.alarms).toHaveLength(12);
    });
  });

  describe('bring your own topics, custom windows', () => {
    test('given topics are used and no topic or key is created', () => {
      const stack = testStack();
      const page = new sns.Topic(stack, 'Page', { enforceSSL: true });
      const ticket = new sns.Topic(stack, 'Ticket', { enforceSSL: true });
      const windows: BurnRateWindow[] = [{ severity: 'ticket', longWindow: Duration.days(1), shortWindow: Duration.hours(2), burnRate: 3 }];
      const { slo, template } = synth({ ...FULL, pageTopic: page, ticketTopic: ticket, burnRateWindows: windows, availabilityTargetPercent: 99.9 }, stack);
      template.resourceCountIs('AWS::SNS::Topic', 2);
      template.resourceCountIs('AWS::KMS::Key', 0);
      expect(slo.encryptionKey).toBeUndefined();
      template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
      // 0.1 % budget x 3
      expect(slo.burnRateAlarms[0].threshold).toBe(0.003);
      expect(template.toJSON().Resources[logicalId(slo.compositeAlarms[0])].Properties.AlarmActions).toEqual([{ Ref: logicalId(ticket) }]);
      expect(slo.burnRateAlarms[0].compositeAlarm.node.path).toBe('TestStack/Slo/BurnRateTicket1d2h/Alarm');
    });

    test('saturation only: no SLO alarms, no SLO graphs, still the alarm status widget', () => {
      const { stack, slo, template } = synth({ saturationAlarms: [saturation()] });
      template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
      expect(slo.stopConditionAlarms).toEqual([]);
      const body = dashboardBody(stack, slo) as { widgets: Array<{ type: string }> };
      expect(body.widgets.map((w) => w.type)).toEqual(['text', 'metric', 'text', 'alarm']);
    });
  });

  describe('rejects what CloudWatch or the maths would not accept', () => {
    const pair = (w: Partial<BurnRateWindow>): SloMonitoringProps => ({
      ...FULL,
      burnRateWindows: [{ severity: 'page', longWindow: Duration.hours(1), shortWindow: Duration.minutes(5), burnRate: 14.4, ...w }],
    });
    test.each<[string, SloMonitoringProps, RegExp]>([
      ['short window not shorter', pair({ shortWindow: Duration.hours(1) }),
        /'burnRateWindows\[0\]' \(page 14.4x over 1h and 1h\): shortWindow \(1h\) must be shorter than longWindow \(1h\)/],
      ['window not a whole minute', pair({ shortWindow: Duration.seconds(90) }), /'burnRateWindows\[0\]'.*shortWindow \(90 s\) must be a multiple of 60 s/],
      ['long window over 7 days', pair({ longWindow: Duration.days(8), shortWindow: Duration.hours(6) }),
        /'burnRateWindows\[0\]' \(page 14.4x over 8d and 6h\) longWindow: period \(691200 s\) x evaluation periods \(1\) = 691200 s exceeds CloudWatch's 7 days/],
      ['threshold never reachable', { ...FULL, availabilityTargetPercent: 90 }, /threshold 1.44 \(error budget 0.1 x burnRate 14.4\) must be below 1/],
      ['burn rate not positive', pair({ burnRate: 0 }), /burnRate \(0\) must be a number > 0/],
      ['duplicate pair', { ...FULL, burnRateWindows: [SRE_WORKBOOK_BURN_RATE_WINDOWS[0], SRE_WORKBOOK_BURN_RATE_WINDOWS[0]] },
        /'burnRateWindows\[1\]'.*already defined/],
      ['saturation: period under 1 h over more than a day', { saturationAlarms: [saturation({ evaluationPeriods: 289 })] },
        /'saturationAlarms\[0\]' \(WriterCpu\): period \(300 s\) x evaluation periods \(289\) = 86700 s exceeds CloudWatch's 1 day \(86400 s\) for periods under 1 hour/],
      ['saturation: over 7 days', {
        saturationAlarms: [saturation({ metric: new cloudwatch.Metric({ namespace: ns, metricName: 'X', period: Duration.hours(1) }), evaluationPeriods: 169 })],
      }, /'saturationAlarms\[0\]' \(WriterCpu\): period \(3600 s\) x evaluation periods \(169\) = 608400 s exceeds CloudWatch's 7 days/],
      ['saturation: datapoints above evaluation periods', { saturationAlarms: [saturation({ datapointsToAlarm: 4 })] },
        /'saturationAlarms\[0\].datapointsToAlarm' \(4\) must be an integer from 1 to 3/],
      ['saturation: duplicate id', { saturationAlarms: [saturation(), saturation()] }, /'saturationAlarms\[1\]' \(WriterCpu\): id is already used/],
      ['latency metric without a threshold', { latencyMetric: latency }, /'latencyMetric' \(set\) and 'latencyThresholdMs' \(undefined\) must be given together/],
      ['availability without a target', { badEventsMetric: bad, validEventsMetric: valid },
        /'availabilityTargetPercent' \(undefined\) must be given together/],
      ['target of 100 %', { ...FULL, availabilityTargetPercent: 100 }, /'availabilityTargetPercent' \(100\) must be above 0 and below 100/],
      ['bad events not a Sum', { ...FULL, badEventsMetric: bad.with({ statistic: 'Average' }) },
        /'badEventsMetric' \(Errors, Average\) must be a count with statistic 'Sum'/],
      ['a us-east-1 metric in an eu-central-1 alarm', {
        saturationAlarms: [saturation({ id: 'Edge5xx', tier: 'edge', metric: new cloudwatch.Metric({ namespace: 'AWS/CloudFront', metricName: '5xxErrorRate', region: 'us-east-1' }) })],
      }, /'saturationAlarms\[0\]' \(Edge5xx\): the metric is in us-east-1 but this stack is in eu-central-1/],
    ])('%s', (_name, props, error) => {
      expect(() => new SloMonitoring(testStack(), 'Slo', props)).toThrow(error);
    });

    test('the window check accepts the limits themselves', () => {
      expect(() => validateAlarmWindow(testStack(), 'x', 7 * 86_400, 1)).not.toThrow();
      expect(() => validateAlarmWindow(testStack(), 'x', 60, 1440)).not.toThrow();
      expect(() => validateAlarmWindow(testStack(), 'x', 60, 1441)).toThrow(/1 day/);
      expect(() => validateAlarmWindow(testStack(), 'x', 45, 1)).toThrow(/must be 10 s, 30 s or a multiple of 60 s/);
    });
  });
});

describe('SloMonitoring on the real constructs', () => {
  let stack: Stack;
  let template: Template;
  beforeAll(() => {
    stack = testStack();
    const vpc = new Network(stack, 'Network').vpc;
    const api = new ApiTier(stack, 'Api', { vpc });
    const db = new AuroraPostgres(stack, 'Db', { vpc });
    const cache = new RedisCache(stack, 'Cache', { vpc });
    new SloMonitoring(stack, 'Slo', {
      latencyMetric: api.metricTargetResponseTimeP95({ period: Duration.minutes(1) }),
      latencyThresholdMs: 250,
      badEventsMetric: api.metric5xxCount(),
      validEventsMetric: api.metricRequestCount(),
      availabilityTargetPercent: 99.9,
      saturationAlarms: [
        { id: 'ApiCpu', tier: 'api', metric: api.metricCpuUtilization(), threshold: 80, comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3, severity: 'ticket', description: 'API CPU above 80 %: auto scaling is at its maximum or too slow' },
        { id: 'WriterCpu', tier: 'database', metric: db.metricWriterCpuUtilization(), threshold: 75, comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3, severity: 'ticket', description: 'Aurora writer CPU above 75 %: move to the next instance class' },
        { id: 'CacheMemory', tier: 'cache', metric: cache.metricMemoryUsagePercent(), threshold: 85, comparison: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3, severity: 'page', description: 'Redis memory above 85 %: evictions will rise; scale the node type' },
      ],
    });
    template = Template.fromStack(stack);
  });

  test('the burn-rate alarm nests the API\'s 5xx expression: target + ELB 5xx over requests, at the window period', () => {
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { Threshold: 0.0144 } }))[0];
    expect(alarm).toBeDefined();
    const metrics = alarm.Properties.Metrics as Array<Record<string, any>>;
    expect(metrics.map((m) => m.Id).sort()).toEqual(['api5xxElb', 'api5xxTarget', 'bad', 'expr_1', 'valid']);
    expect(metrics.find((m) => m.Id === 'bad')!.Expression).toBe('FILL(api5xxTarget, 0) + FILL(api5xxElb, 0)');
    for (const id of ['api5xxElb', 'api5xxTarget', 'valid']) expect(metrics.find((m) => m.Id === id)!.MetricStat.Period).toBe(3600);
  });

  test('cdk-nag AwsSolutions: no findings', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  test('the nag check is live: a topic without SSL-only publishing given as pageTopic is reported (SNS3)', () => {
    const other = testStack();
    new SloMonitoring(other, 'Slo', { pageTopic: new sns.Topic(other, 'Plain'), saturationAlarms: [saturation()] });
    const report = new AwsSolutionsChecks().validateScope(other);
    const rules = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(rules).toEqual(['AwsSolutions-SNS3 at TestStack/Plain/Resource']);
  });
});
