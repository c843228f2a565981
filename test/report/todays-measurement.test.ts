/**
 * The report's reconciliation of today's measured p95 with the model, and "unknown" (never "overdue" or a maximum
 * throughput) where the model gives no evidence of today's limit.
 */
import { CapacityInput, DEFAULT_MODEL, parseCapacity, planTimeline, planModel } from '../../lib/capacity';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';
import { trafficChart } from '../../lib/report/svg-charts';

const withMetrics = (metrics: CapacityInput['current']['metrics'], p95LatencyMs = 280) =>
  parseCapacity({ ...DEFAULT_MODEL, current: { ...DEFAULT_MODEL.current, metrics, p95LatencyMs } });
const section1 = (md: string) => md.slice(md.indexOf('1. Scalability assessment'), md.indexOf('2. Scaling phases'));
const section2 = (md: string) => md.slice(md.indexOf('2. Scaling phases'), md.indexOf('3. Horizontal scaling'));

describe("the report's reconciliation with today's measurement", () => {
  test('GIVEN the embedded model THEN it says the saturated CPU queue explains 280 ms and shows the per-phase p95', () => {
    const report = buildReport(parseCapacity(DEFAULT_MODEL));
    const md = section1(renderMarkdown(report));
    expect(md).toMatch(/Today's measurement against the model\*\* \(explained: the CPU queue of a saturated core; nothing carried\)/);
    expect(md).toMatch(/\| Measured p95 today \| 280 ms \|/);
    expect(md).toMatch(/\| Model's p95 at today's load and CPU \| unbounded \(saturated\) \|/);
    expect(md).toMatch(/\| CPU at which the model gives the measured p95 \| 97\.3 % \|/);
    const predicted = report.plans.map((p) => `${p.api.predictedP95Ms.value.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 0 })} ms`);
    expect(md).toContain(`| Predicted p95 at design peak (calibrated) | ${predicted.join(' | ')} |`);
    expect(md).toMatch(/Theoretical maximum throughput of today's setup: 800 RPS/);
  });

  test('GIVEN 50 % API CPU THEN it shows the calibrated latency and phases predicting ~280 ms', () => {
    const report = buildReport(withMetrics({ apiCpuPct: 50 }));
    const md = section1(renderMarkdown(report));
    expect(report.today.status).toBe('calibrated');
    expect(md).toMatch(/\(calibrated: the unexplained part is carried into every phase as non-CPU latency\)/);
    expect(md).toMatch(/\| Non-CPU latency carried into each phase \(mean\) \| 83\.\d ms \|/);
    expect(md).toMatch(/\| Predicted p95 at design peak \(calibrated\) \| 28\d\.\d ms \| 28\d\.\d ms \| 28\d\.\d ms \|/);
  });

  test('GIVEN metrics that contradict the p95 THEN the warning with its numbers is in the section', () => {
    const md = section1(renderMarkdown(buildReport(withMetrics({ apiCpuPct: 95 }, 40))));
    expect(md).toMatch(/contradiction: the inputs cannot both be true/);
    expect(md).toMatch(/measured p95 40 ms at 95 % API CPU cannot both be true/);
  });

  describe('GIVEN no metrics', () => {
    const model = withMetrics(undefined);
    const report = buildReport(model);
    const md = renderMarkdown(report);

    test("THEN Phase 1 is 'unknown', not 'overdue', and no maximum throughput is stated", () => {
      expect(report.todaysLimitMultiple).toBeUndefined();
      expect(report.timeline[0].status).toBe('unknown');
      expect(report.timeline.map((t) => t.status)).not.toContain('overdue');
      expect(section2(md)).toMatch(/\| Phase 1 \(2x\) \| unknown \| unknown \(no metric says where today's system saturates\) \| 2 weeks: start unknown/);
      expect(section1(md)).toMatch(/Theoretical maximum throughput of today's setup: unknown/);
      expect(md).not.toMatch(/Theoretical maximum throughput of today's setup: \d/);
      expect(section1(md)).toMatch(/\(unknown: without today's API CPU/);
      expect(trafficChart(report)).toContain('Phase 1 (2x) needed when: unknown');
    });

    test('THEN a measured limit of 1x still makes it overdue (the evidence decides, not the absence of it)', () => {
      expect(planTimeline(model, planModel(model), 1)[0].status).toBe('overdue');
    });

    test('THEN metrics without a saturation point (only the cache hit rate) leave it unknown too', () => {
      const onlyHitRate = buildReport(withMetrics({ cacheHitRatePct: 50 }));
      expect(onlyHitRate.bottlenecks.length).toBeGreaterThan(0);
      expect(onlyHitRate.timeline[0].status).toBe('unknown');
      expect(renderMarkdown(onlyHitRate)).toMatch(/Theoretical maximum throughput of today's setup: unknown/);
    });
  });
});
