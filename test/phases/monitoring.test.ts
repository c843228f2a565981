/**
 * The alarms, composites, dashboard and FIS templates each phase deploys equal its monitoring and chaos plan, read
 * from the synthesized templates, for the default model and for one whose thresholds all differ.
 */
import { DEFAULT_MODEL, PhasePlan, USAGE_ASSUMPTIONS } from '../../lib/capacity';
import type { CapacityInput } from '../../lib/capacity';
import { parseCapacity } from '../../lib/capacity';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { synthesizedPhases } from '../support/synthesized-phases';

type Resource = { Type: string; Properties: any };

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type) as Array<[string, Resource]>;

/** Metrics CloudWatch bills for an alarm: each MetricStat in its expression, or its one metric. */
const billedMetrics = (alarm: Resource) => (alarm.Properties.Metrics ? alarm.Properties.Metrics.filter((m: any) => m.MetricStat).length : 1);

/** 'dbWriterCpuPct' -> the logical-id prefix of its alarm, 'SloDbWriterCpuPct'. */
const saturationPrefix = (metric: string) => `Slo${metric.charAt(0).toUpperCase()}${metric.slice(1)}`;

describe.each<[string, CapacityInput]>([
  ['default model', DEFAULT_MODEL],
  ['off-default model', OFF_DEFAULT_MODEL],
])('%s', (_name, input) => {
  const { phases } = synthesizedPhases(input);
  const synthesized = phases.map(({ plan, stack, edge }) => ({
    plan,
    regional: stack.template.Resources as Record<string, Resource>,
    edge: edge!.template.Resources as Record<string, Resource>,
  }));

  test('the report\'s monitoring section counts the alarms the templates hold, and prints their thresholds', () => {
    const markdown = renderMarkdown(buildReport(parseCapacity(input)));
    const section = markdown.slice(markdown.indexOf('## 10.'), markdown.indexOf('## 11.'));
    for (const { plan, regional, edge } of synthesized) {
      const alarms = ofType(regional, 'AWS::CloudWatch::Alarm').length + ofType(edge, 'AWS::CloudWatch::Alarm').length;
      const composites = ofType(regional, 'AWS::CloudWatch::CompositeAlarm').length;
      expect(section).toContain(`${plan.label}: ${alarms} alarms + ${composites} composite`);
    }
    const latency = ofType(synthesized[0].regional, 'AWS::CloudWatch::Alarm').find(([id]) => id.startsWith('SloLatencyAlarm'))![1];
    expect(section).toContain(`p95 > ${latency.Properties.Threshold * 1000} ms`);
  });

  describe.each(synthesized.map((s) => [s.plan.label, s] as const))('%s', (_label, { plan, regional, edge }) => {
    const m = (plan as PhasePlan).monitoring;
    const alarms = [...ofType(regional, 'AWS::CloudWatch::Alarm'), ...ofType(edge, 'AWS::CloudWatch::Alarm')];

    test('alarm, composite and dashboard counts and billed metrics are the plan\'s (what the cost line bills)', () => {
      expect(alarms).toHaveLength(m.alarmCount.value);
      expect(ofType(regional, 'AWS::CloudWatch::CompositeAlarm')).toHaveLength(m.compositeAlarmCount.value);
      expect(ofType(regional, 'AWS::CloudWatch::Dashboard').length + ofType(edge, 'AWS::CloudWatch::Dashboard').length).toBe(m.dashboards.value);
      expect(alarms.reduce((n, [, a]) => n + billedMetrics(a), 0)).toBe(m.billedAlarmMetrics.value);
    });

    test('the bill counts the customer-managed KMS keys both stacks create', () => {
      // Each extra shard brings its own key, the write queue one more (cost.ts counts them the same way).
      const extra = (plan as PhasePlan).sharding.shards.value - 1 + ((plan as PhasePlan).queue ? 1 : 0);
      expect(ofType(regional, 'AWS::KMS::Key').length + ofType(edge, 'AWS::KMS::Key').length).toBe(USAGE_ASSUMPTIONS.kmsKeys + extra);
    });

    test('latency SLO alarm: p95 above the SLO (in seconds) in M of N one-minute periods', () => {
      const [[, latency]] = alarms.filter(([id]) => id.startsWith('SloLatencyAlarm'));
      expect(latency.Properties).toMatchObject({
        MetricName: 'TargetResponseTime',
        ExtendedStatistic: 'p95',
        Threshold: m.latencyP95Ms.value / 1000,
        Period: m.latencyAlarm.periodSec,
        EvaluationPeriods: m.latencyAlarm.evaluationPeriods,
        DatapointsToAlarm: m.latencyAlarm.datapointsToAlarm,
      });
    });

    test('burn-rate alarms: both windows of each pair at budget x burn rate, the window as the period', () => {
      const burn = alarms.filter(([id]) => id.startsWith('SloBurnRate'));
      expect(burn).toHaveLength(2 * m.burnRateWindows.length);
      for (const w of m.burnRateWindows) {
        for (const windowSec of [w.longWindowSec, w.shortWindowSec]) {
          const matching = burn.filter(([, a]) => a.Properties.Threshold === w.errorRatioThreshold.value &&
            a.Properties.Metrics.filter((x: any) => x.MetricStat).every((x: any) => x.MetricStat.Period === windowSec));
          expect(matching.length).toBeGreaterThanOrEqual(1);
        }
      }
    });

    test('each saturation alarm has the plan\'s threshold, comparison and evaluation', () => {
      for (const s of m.saturation) {
        const found = alarms.filter(([id]) => id.startsWith(saturationPrefix(s.metric)));
        // One per shard for the cache signals in cluster mode and the database signals with several Aurora shards
        // (the first shard keeps the signal's id).
        expect(found).toHaveLength(s.perShard ?? 1);
        expect(found[0][1].Properties).toMatchObject({
          Threshold: s.threshold.value,
          ComparisonOperator: s.comparison === 'above' ? 'GreaterThanThreshold' : 'LessThanThreshold',
          EvaluationPeriods: s.evaluationPeriods,
        });
      }
    });

    test('every Aurora shard has its own database alarms, each watching its own cluster', () => {
      const clusters = ofType(regional, 'AWS::RDS::DBCluster').map(([id]) => id).sort();
      expect(clusters).toHaveLength((plan as PhasePlan).sharding.shards.value);
      const database = m.saturation.filter((s) => s.tier === 'database');
      expect(database.map((s) => s.metric)).toEqual(['dbWriterCpuPct', 'dbReaderCpuPct', 'dbConnections', 'dbReplicaLagMs']);
      for (const s of database) {
        const watched = alarms.filter(([id]) => id.startsWith(saturationPrefix(s.metric)))
          .map(([, a]) => (a.Properties.Dimensions as Array<{ Name: string; Value: { Ref: string } }>).find((d) => d.Name === 'DBClusterIdentifier')!.Value.Ref);
        expect(watched.sort()).toEqual(clusters);
      }
    });

    test('FIS: the planned share of API tasks, the cache interruption, and the SLO alarms as stop conditions', () => {
      const fis = ofType(regional, 'AWS::FIS::ExperimentTemplate').map(([, r]) => r.Properties);
      expect(fis).toHaveLength(3);
      const stopTask = fis.find((t) => t.Actions[Object.keys(t.Actions)[0]].ActionId === 'aws:ecs:stop-task')!;
      expect(Object.values(stopTask.Targets).map((t: any) => t.SelectionMode)).toEqual([`PERCENT(${plan.chaos.apiTaskStopPercent.value})`]);
      const cache = fis.find((t) => Object.values(t.Actions).some((a: any) => a.ActionId === 'aws:elasticache:replicationgroup-interrupt-az-power'))!;
      expect(JSON.stringify(cache.Actions)).toContain(`"duration":"PT${plan.chaos.cacheInterruptionMinutes.value}M"`);
      const sloAlarms = 1 + m.compositeAlarmCount.value;
      for (const t of fis) {
        expect(t.StopConditions).toHaveLength(sloAlarms);
        for (const c of t.StopConditions) expect(c.Source).toBe('aws:cloudwatch:alarm');
      }
    });
  });
});
