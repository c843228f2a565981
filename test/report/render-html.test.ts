import { CapacityInput, DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { buildReport, RoadmapReport } from '../../lib/report/report';
import { escapeHtml, inlineMarkup, renderHtml } from '../../lib/report/render-html';
import { reportSections } from '../../lib/report/sections';
import { costChart, logTicks, niceTicks, shortNumber, trafficChart } from '../../lib/report/svg-charts';

/**
 * The HTML report: one self-contained page with the twelve sections, two hand-drawn SVG charts, and every piece of
 * model text escaped. Parsed loosely with regexes: the point is what a reader gets, not the exact markup.
 */
const report = buildReport(parseCapacity(DEFAULT_MODEL));
const html = renderHtml(report);

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`)) ?? []).length;
const svgs = (page: string) => page.match(/<svg\b[\s\S]*?<\/svg>/g) ?? [];
const chartOf = (page: string, kind: string) => svgs(page).find((s) => s.includes(`data-chart="${kind}"`))!;

/** The default model with a tighter budget: Phase 1 costs more than its ceiling, Phases 2 and 3 fit. */
function overBudgetReport(): RoadmapReport {
  const input = JSON.parse(JSON.stringify(DEFAULT_MODEL)) as CapacityInput & { budget: { costPer1000PeakRps: number } };
  // Phase 1 over (6,555 > 6,080 EUR); phase 2 (28,844 < 30,400) and phase 3 (two regions, 294,132 < 304,000) under.
  input.budget.costPer1000PeakRps = 3800;
  return buildReport(parseCapacity(input));
}

describe('renderHtml: the page', () => {
  test('is one HTML document with a title naming the service and region', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(count(html, /<html\b/)).toBe(1);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain(`<title>Scalability roadmap: ${report.service} (${report.region})</title>`);
  });

  test('has all twelve section titles, each a section the table of contents links to', () => {
    const sections = reportSections(report);
    expect(sections).toHaveLength(12);
    const toc = html.match(/<nav class="toc"[\s\S]*?<\/nav>/)![0];
    for (const s of sections) {
      expect(html).toContain(`<h2><a class="anchor" href="#${s.id}">${escapeHtml(s.title)}</a></h2>`);
      expect(html).toContain(`<section id="${s.id}">`);
      expect(toc).toContain(`<a href="#${s.id}">${escapeHtml(s.title)}</a>`);
    }
    expect(count(toc, /<li>/)).toBe(12);
    expect(count(html, /<section id=/)).toBe(12);
  });

  test('the header shows service, region, price table version and one at-a-glance card per phase', () => {
    const header = html.match(/<header class="top">[\s\S]*?<\/header>/)![0];
    expect(header).toContain(report.service);
    expect(header).toContain(report.region);
    expect(header).toContain(report.plans[0].cost.priceTableVersion);
    const cards = header.match(/<div class="card"[\s\S]*?<\/dl>/g)!;
    expect(cards).toHaveLength(report.plans.length);
    report.plans.forEach((p, i) => {
      const card = cards[i];
      expect(card).toContain(p.label);
      expect(card).toContain(`${p.api.minTasks.value}-${p.api.maxTasks.value}`);
      expect(card).toContain(`${p.database.readers.value} readers`);
      expect(card).toContain(`${p.cache.nodeType.value} x ${p.cache.nodes.value}`);
      expect(card).toContain(`${Math.round(p.cost.totalInCurrency).toLocaleString('en-US')} EUR`);
      expect(card).toContain(`of ${p.cost.ceiling.value.toLocaleString('en-US')} EUR`);
      expect(card).toMatch(/Needed by<\/dt><dd>(now|\d{4}-\d{2}-\d{2})/);
    });
    // Phase 1 is overdue in the default model (today's system is saturated).
    expect(cards[0]).toContain('status-overdue');
  });

  test('tables: header row, zebra rows and right-aligned number columns', () => {
    expect(count(html, /<table>/)).toBeGreaterThan(10);
    expect(html).toMatch(/tbody tr:nth-child\(even\)/);
    expect(html).toMatch(/td\.num, th\.num \{ text-align: right;/);
    // The cost table: every phase column is numbers, so right-aligned; 'NO'/'yes' do not change that.
    const cost = html.match(/<section id="cost">[\s\S]*?<\/section>/)![0];
    const costTable = cost.match(/<table>[\s\S]*?<\/table>/)![0];
    expect(costTable).toMatch(/<th scope="col">Line item \(USD\/month\)<\/th>(<th scope="col" class="num">[^<]+<\/th>){3}/);
    expect(costTable).toMatch(/<tr class="total"><td>Total \(USD\)<\/td><td class="num">/);
    // Text columns stay left-aligned.
    const caching = html.match(/<section id="caching">[\s\S]*?<\/section>/)![0];
    expect(caching).not.toContain('class="num"');
  });

  test('code blocks are escaped <pre><code>, with comment lines marked', () => {
    const runbook = html.match(/<section id="runbook">[\s\S]*?<\/section>/)![0];
    // One block reading the stack outputs, one per phase, the Redis cluster-mode cut-over check and the region
    // failover (both from phase 3 of the default model).
    const extra = (report.plans.some((p) => p.cache.clusterMode.value) ? 1 : 0) + (report.plans.some((p) => p.regions.secondaries.value.length) ? 1 : 0);
    expect(extra).toBe(2);
    expect(count(runbook, /<pre class="code"><code class="language-sh">/)).toBe(report.plans.length + 1 + extra);
    expect(runbook).toContain('aws rds failover-global-cluster --region eu-west-1 --global-cluster-identifier &quot;$GLOBAL&quot; --target-db-cluster-identifier &quot;$TARGET_ARN&quot; --allow-data-loss');
    expect(runbook).toContain('DB_CLUSTER=$(out DbClusterIdentifier)');
    expect(runbook).toMatch(/Outputs\[\?OutputKey==(&#39;|&#x27;|')\$1(&#39;|&#x27;|')\]/);
    expect(runbook).toContain('--query &quot;Stacks[0]');
    expect(runbook).toContain('<span class="comment"># Phase 1 (2x): when autoscaling is stuck');
    expect(runbook).not.toMatch(/<cluster>/);
  });

  test('**bold** and `code` in paragraph and list text become markup, after escaping', () => {
    expect(html).toContain(`<strong>${report.plans[0].label}</strong>: daily peak`);
    expect(html).toContain(`<code>maxmemory-policy ${report.plans[0].cache.maxmemoryPolicy.value}</code>`);
    expect(html).not.toMatch(/\*\*[^*]+\*\*/);
    expect(inlineMarkup('a **b** `c **d** <e>` & <i>f</i>')).toBe('a <strong>b</strong> <code>c **d** &lt;e&gt;</code> &amp; &lt;i&gt;f&lt;/i&gt;');
  });

  test('is self-contained: no scripts, external resources, fonts, images or url() in CSS', () => {
    for (const page of [html, renderHtml(overBudgetReport())]) {
      expect(page).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
      expect(page).not.toMatch(/\b(?:src|href)\s*=\s*["']?\s*https?:/i);
      expect(page).not.toMatch(/url\s*\(/i);
      expect(page).not.toMatch(/@import|@font-face/i);
      expect(page).not.toMatch(/<(script|link|img|iframe|object|embed|image)\b/i);
      // Every link is to a section on this page.
      for (const [, target] of page.matchAll(/href="([^"]*)"/g)) expect(target).toMatch(/^#[a-z-]+$/);
    }
    // A system font stack, no web fonts.
    expect(html).toMatch(/--sans: system-ui, -apple-system/);
  });

  test('escapes user input: a <script> in the service name and other model text comes out as text', () => {
    const evil = '<script>alert("x")</script>';
    const hostile: RoadmapReport = {
      ...report,
      service: evil,
      region: `eu-central-1"><img src=x onerror=alert(1)>`,
      model: { ...report.model, service: { ...report.model.service, name: evil } },
      plans: report.plans.map((p) => ({ ...p, label: `${p.label} <b onmouseover=alert(1)>` })),
    };
    const page = renderHtml(hostile);
    expect(page).not.toContain('<script');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b onmouseover');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('eu-central-1&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    // In the header, the title, the runbook text and inside the SVG charts.
    expect(page).toContain(`<title>Scalability roadmap: &lt;script&gt;`);
    expect(chartOf(page, 'cost')).toContain('Phase 1 (2x) &lt;b onmouseover=alert(1)&gt;');
    expect(chartOf(page, 'traffic')).toContain('Phase 2 (10x) &lt;b onmouseover=alert(1)&gt;');
  });
});

describe('renderHtml: the charts', () => {
  test('two inline SVG charts, each with a title, an aria-label, a viewBox and a figcaption', () => {
    const charts = svgs(html);
    expect(charts).toHaveLength(2);
    expect(charts.map((c) => c.match(/data-chart="(\w+)"/)![1])).toEqual(['traffic', 'cost']);
    for (const c of charts) {
      expect(c).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
      expect(c).toMatch(/^<svg [^>]*role="img" aria-label="[^"]+"/);
      expect(c).toMatch(/<title>[^<]+<\/title>/);
      expect(c).not.toMatch(/^<svg [^>]*\s(width|height)=/); // scales with the page
      expect(count(c, /<text\b/)).toBeGreaterThan(10);
    }
    expect(html).toContain("<figcaption>Projected daily peak by month against each phase&#39;s design capacity</figcaption>");
    expect(html).toContain('<figcaption>Monthly cost per phase against its budget ceiling</figcaption>');
  });

  test('traffic: the projection, each phase\'s daily peak and flash-sale peak, a marker where each phase is needed, log ticks', () => {
    const svg = chartOf(html, 'traffic');
    const n = report.plans.length;
    expect(count(svg, /data-series="traffic"/)).toBe(1);
    expect(count(svg, /data-series="capacity"/)).toBe(n);
    expect(count(svg, /data-series="design-peak"/)).toBe(n);
    expect(count(svg, /<g class="series"/)).toBe(1 + 2 * n);
    expect(count(svg, /<g class="marker"/)).toBe(report.timeline.length);
    // One point per month of the projection.
    const traffic = svg.match(/<g class="series" data-series="traffic">[\s\S]*?<\/g>/)![0];
    expect(count(traffic, /<circle /)).toBe(report.trafficByMonth.length);
    expect(traffic).toMatch(/<path d="M[\d.]+ [\d.]+( L[\d.]+ [\d.]+)+"/);
    // Round log ticks over 800 -> 150k+ RPS.
    for (const tick of ['1k', '10k', '100k']) expect(svg).toMatch(new RegExp(`>${tick}</text>`));
    expect(svg).toContain('log scale');
    // Labels: each phase's capacity and where it is needed.
    for (const p of report.plans) expect(svg).toContain(`${p.label} · ${shortNumber(p.traffic.peakRps.value)}`);
    expect(svg).toContain('Phase 1 (2x) needed now (overdue)');
    expect(svg).toContain('Phase 2 (10x) needed Feb 2027');
    // The capacity lines sit at the plan's values: higher RPS, smaller y.
    const ys = [...svg.matchAll(/data-series="capacity"[^>]*>(?:<title>[^<]*<\/title>)<line x1="[\d.]+" y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ys).toHaveLength(n);
    expect([...ys].sort((a, b) => b - a)).toEqual(ys);
  });

  test('cost: one stacked bar per phase with its total, a ceiling per phase, labelled in the currency', () => {
    const svg = chartOf(html, 'cost');
    const n = report.plans.length;
    expect(count(svg, /<g class="bar" /)).toBe(n);
    expect(count(svg, /<g class="ceiling" /)).toBe(n);
    expect(count(svg, /class="bar-segment"/)).toBe(n * 5); // 4 biggest line items + Other
    for (const p of report.plans) {
      expect(svg).toContain(`>${Math.round(p.cost.totalInCurrency).toLocaleString('en-US')} EUR</text>`);
      expect(svg).toContain(`>${p.cost.ceiling.value.toLocaleString('en-US')} EUR</text>`);
    }
    // The segments add up to the total (in the budget's currency).
    for (const [, phase, total] of svg.matchAll(/<g class="bar" data-phase="(\d)" data-total="([\d.]+)"/g)) {
      const plan = report.plans[Number(phase) - 1];
      expect(Number(total)).toBeCloseTo(plan.cost.totalInCurrency, 0);
    }
    // Everything fits the budget in the default model.
    expect(svg).not.toContain('data-over-budget="true"');
    expect(svg).not.toContain('over budget');
  });

  test('cost: an over-budget phase is shown in red', () => {
    const over = overBudgetReport();
    const overPhases = over.plans.filter((p) => p.cost.overrun).map((p) => p.phase);
    expect(overPhases.length).toBeGreaterThan(0);
    expect(overPhases.length).toBeLessThan(over.plans.length);
    const svg = costChart(over);
    expect(count(svg, /data-over-budget="true"/)).toBe(overPhases.length);
    expect(count(svg, /class="over-budget"/)).toBe(overPhases.length);
    expect(count(svg, /over budget: \d+ % of the ceiling/)).toBe(overPhases.length);
    for (const phase of overPhases) {
      const bar = svg.match(new RegExp(`<g class="bar" data-phase="${phase}"[\\s\\S]*?</g>`))![0];
      expect(bar).toContain('stroke="#dc2626"');
      // Marked with an outline and a bracket, never a fill over the segments: nothing in the bar but its segments is
      // filled, and each segment keeps its legend colour.
      const filled = [...bar.matchAll(/<(rect|path)\b[^>]*\bfill="([^"]+)"/g)].filter(([, , fill]) => fill !== 'none');
      expect(filled.every(([tag]) => tag.startsWith('<rect class="bar-segment"'))).toBe(true);
    }
    const legend = new Map([...svg.matchAll(/<rect x="4" y="-7" width="18" height="14" rx="2" fill="([^"]+)"\/>/g)].map((m, k) => [k, m[1]]));
    for (const bar of svg.matchAll(/<g class="bar" [\s\S]*?<\/g>/g)) {
      [...bar[0].matchAll(/class="bar-segment"[^>]*fill="([^"]+)"/g)].forEach((m, k) => expect(m[1]).toBe(legend.get(k)));
    }
    // The page says it in the at-a-glance strip too.
    const page = renderHtml(over);
    expect(count(page, /<dd class="meter over"/)).toBe(overPhases.length);
  });

  test('charts render standalone (valid SVG root) for other uses', () => {
    expect(trafficChart(report)).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" /);
    expect(costChart(report)).toMatch(/<\/svg>$/);
  });
});

describe('axis helpers', () => {
  test('shortNumber', () => {
    expect([500, 1000, 2500, 10_000, 100_000, 1_500_000].map(shortNumber)).toEqual(['500', '1k', '2.5k', '10k', '100k', '1.5M']);
  });

  test('logTicks: 1-2-5 steps inside the range, decades only over many decades', () => {
    expect(logTicks(600, 250_000)).toEqual([1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000]);
    expect(logTicks(1, 1e8)).toEqual([1, 10, 100, 1000, 1e4, 1e5, 1e6, 1e7, 1e8]);
  });

  test('niceTicks: round steps from 0 past the maximum', () => {
    expect(niceTicks(8960, 4)).toEqual([0, 2500, 5000, 7500, 10_000]);
    expect(niceTicks(448_000, 4)).toEqual([0, 200_000, 400_000, 600_000]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
