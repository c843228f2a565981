import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { buildReport } from '../../lib/report/report';
import { renderMarkdown } from '../../lib/report/render-markdown';

/** Section 6 of the Markdown report. */
const section6 = (markdown: string) => markdown.slice(markdown.indexOf('## 6. Load testing plan'), markdown.indexOf('## 7. '));

describe('report section 6 reads the load-test plan', () => {
  test('default model: targets, 3x ramp, VUs, chaos window, gates, the k6 scripts and the gate command', () => {
    const report = buildReport(parseCapacity(DEFAULT_MODEL));
    const text = section6(renderMarkdown(report));
    expect(report.loadTests.map((t) => t.phase)).toEqual([1, 2, 3]);
    expect(text).toContain('| Phase 1 (2x) | 1,600 / 1,082 | 4,800 / 3,246 | 3,840 | 351 / 4,800 | 2,520-2,820 s | p95 < 500 ms, errors < 0.5 % |');
    expect(text).toContain('| ramp | 15 min -> 4,800 RPS | 15 min -> 24,000 RPS | 15 min -> 240,000 RPS |');
    expect(text).toContain('| soak | 30 min -> 1,600 RPS |');
    expect(text).toContain('`cdk.out/k6/phase<N>.js`');
    expect(text).toMatch(/npx scaling-roadmap gate --phase 2 --target \S+ --scale 0\.01 --duration 600/);
    expect(text).toContain('k6 run -e BASE_URL=');
  });

  test('a model with other numbers changes every number of the section (nothing is fixed in the text)', () => {
    // GIVEN a smaller service with a stricter SLO and slower task startup (scale-out cooldown 150 s)
    const report = buildReport(
      parseCapacity({
        ...DEFAULT_MODEL,
        service: { name: 'menu-api', costCentre: 'food', taskStartupSec: 120 },
        current: { ...DEFAULT_MODEL.current, peakRps: 250 },
        slo: { p95Ms: 200, errorRatePct: 1 },
      }),
    );
    const text = section6(renderMarkdown(report));
    const [t1] = report.loadTests;
    expect(t1.profiles.edge.targetRps.value).toBe(500);
    expect(text).toContain(`| Phase 1 (2x) | 500 / ${t1.profiles.origin.targetRps.value.toLocaleString('en-US')} | 1,500 / `);
    expect(text).toContain('p95 < 200 ms, errors < 1 %');
    expect(text).toContain('| ramp | 25 min -> 1,500 RPS |');
    expect(text).toContain(`${t1.profiles.edge.preAllocatedVUs.value} / ${t1.profiles.edge.maxVUs.value.toLocaleString('en-US')}`);
    expect(text).not.toContain('4,800');
  });
});
