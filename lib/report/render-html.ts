/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts, fonts, images or
 * anything else fetched when it is viewed, so it reads the same offline, attached to a ticket or e-mailed.
 *
 * It draws the same blocks as the Markdown renderer (sections.ts), plus a header with an "at a glance" strip.
 * Everything from the model is escaped first; only `**bold**` and `code` spans become markup.
 */
import { Block, money, num, Section } from './blocks';
import type { RoadmapReport } from './report';
import { reportSections } from './sections';
import { escapeXml as escapeHtml, PHASE_COLORS, renderChart } from './svg-charts';

export { escapeHtml };

/** Paragraph and list text: escaped, then `code` spans and **bold** (the only markup the blocks use). */
export function inlineMarkup(text: string): string {
  return escapeHtml(text)
    .split(/(`[^`]+`)/)
    .map((part) => (part.length > 2 && part.startsWith('`') && part.endsWith('`') ? `<code>${part.slice(1, -1)}</code>` : part.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>').replace(/ -&gt; /g, ' \u2192 ')))
    .join('');
}

/** A table cell that reads as a number (with a unit or a second number after a slash): right-aligned. */
const NUMBER = String.raw`[<>~]?\s?[-+]?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|x|ms|s|GB|vCPU|RPS|months?|weeks?|[A-Z]{3}))?`;
const NUMERIC_CELL = new RegExp(`^${NUMBER}(?:\\s?/\\s?${NUMBER})?$`);

function columnAlign(block: Extract<Block, { kind: 'table' }>): Array<'left' | 'right'> {
  return block.header.map((_, c) => {
    const given = block.align?.[c];
    if (given) return given;
    const cells = block.rows.map((r) => (r[c] ?? '').trim()).filter((v) => v !== '' && v !== '-');
    const numeric = cells.filter((v) => NUMERIC_CELL.test(v)).length;
    return cells.length > 0 && numeric / cells.length >= 0.6 ? 'right' : 'left';
  });
}

function renderTable(block: Extract<Block, { kind: 'table' }>): string {
  const align = columnAlign(block);
  const cls = (c: number) => (align[c] === 'right' ? ' class="num"' : '');
  const head = block.header.map((h, c) => `<th scope="col"${cls(c)}>${inlineMarkup(h)}</th>`).join('');
  const rows = block.rows
    .map((row) => {
      const total = /^total\b/i.test(row[0] ?? '') ? ' class="total"' : '';
      const cells = row
        .map((cell, c) => {
          const flags = [align[c] === 'right' ? 'num' : '', cell === 'NO' ? 'bad' : ''].filter(Boolean).join(' ');
          return `<td${flags ? ` class="${flags}"` : ''}>${inlineMarkup(cell)}</td>`;
        })
        .join('');
      return `<tr${total}>${cells}</tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table></div>`;
}

function renderBlock(block: Block, report: RoadmapReport): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${inlineMarkup(block.text)}</p>`;
    case 'list':
      return `<ul>\n${block.items.map((item) => `<li${/^(Limit|Budget):/.test(item) ? ' class="warn"' : ''}>${inlineMarkup(item)}</li>`).join('\n')}\n</ul>`;
    case 'code':
      return `<pre class="code"><code class="language-${escapeHtml(block.language)}">${block.text
        .split('\n')
        .map((l) => (/^\s*#/.test(l) ? `<span class="comment">${escapeHtml(l)}</span>` : escapeHtml(l)))
        .join('\n')}</code></pre>`;
    case 'table':
      return renderTable(block);
    case 'chart':
      return `<figure class="chart-figure">\n${renderChart(block.chart, report, block.caption)}\n<figcaption>${inlineMarkup(block.caption)}</figcaption>\n</figure>`;
  }
}

function renderSection(section: Section, report: RoadmapReport): string {
  const id = escapeHtml(section.id);
  return [
    `<section id="${id}">`,
    `<h2><a class="anchor" href="#${id}">${escapeHtml(section.title)}</a></h2>`,
    ...section.blocks.map((b) => renderBlock(b, report)),
    '</section>',
  ].join('\n');
}

const STATUS_LABEL: Record<string, string> = { live: 'live', overdue: 'overdue', 'start now': 'start now', planned: 'planned', outgrown: 'outgrown', unknown: 'unknown' };

/** One card per phase: the numbers a reader wants before reading the sections. */
function atAGlance(r: RoadmapReport): string {
  const cards = r.plans.map((p, i) => {
    const t = r.timeline[i];
    const c = p.cost;
    const share = c.ceiling.value > 0 ? c.totalInCurrency / c.ceiling.value : 0;
    const over = c.overrun !== undefined || share > 1;
    const needed = !t ? '-' : t.monthsUntilNeeded.value <= 0 ? 'now' : (t.neededBy ?? `in ${num(t.monthsUntilNeeded.value, 1)} months`);
    const start = !t ? '-' : t.monthsUntilStart.value <= 0 ? 'now' : (t.startBy ?? `in ${num(t.monthsUntilStart.value, 1)} months`);
    const status = t ? `<span class="status status-${escapeHtml(t.status.replace(/\s+/g, '-'))}">${escapeHtml(STATUS_LABEL[t.status] ?? t.status)}</span>` : '';
    return [
      `<div class="card" style="border-top-color:${PHASE_COLORS[i % PHASE_COLORS.length]}">`,
      `<div class="card-head"><span class="card-title">${escapeHtml(p.label)}</span>${status}</div>`,
      '<dl>',
      `<dt>Daily peak</dt><dd>${num(p.traffic.peakRps.value)} RPS <span class="muted">(flash sale ${num(p.traffic.designPeakRps.value)})</span></dd>`,
      `<dt>API tasks</dt><dd>${p.api.minTasks.value}-${p.api.maxTasks.value} <span class="muted">x ${p.api.taskVcpu.value} vCPU</span></dd>`,
      `<dt>Database</dt><dd>${escapeHtml(p.database.instanceClass.value)} + ${p.database.readers.value} readers</dd>`,
      `<dt>Redis</dt><dd>${escapeHtml(p.cache.nodeType.value)} x ${p.cache.nodes.value}${p.cache.clusterMode.value ? ` (${p.cache.shards.value} shards)` : ''}</dd>`,
      `<dt>Cost / month</dt><dd class="${over ? 'bad' : ''}">${escapeHtml(money(c.totalInCurrency, c.currency))} <span class="muted">of ${escapeHtml(money(c.ceiling.value, c.currency))}</span></dd>`,
      `<dd class="meter${over ? ' over' : ''}" aria-hidden="true"><span style="width:${Math.min(100, Math.max(0, share * 100)).toFixed(1)}%"></span></dd>`,
      `<dt>Needed by</dt><dd>${escapeHtml(needed)}</dd>`,
      `<dt>Start work</dt><dd>${escapeHtml(start)} <span class="muted">(${t ? t.leadTimeWeeks.value : '-'} weeks lead)</span></dd>`,
      '</dl>',
      '</div>',
    ].join('\n');
  });
  return `<div class="glance" aria-label="At a glance">\n${cards.join('\n')}\n</div>`;
}

const CSS = `
:root {
  --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #ffffff; --panel: #f8fafc; --accent: #2563eb;
  --bad: #dc2626; --warn-bg: #fff7ed; --warn: #9a3412; --code-bg: #0f172a; --code-ink: #e2e8f0;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--ink); font: 16px/1.6 var(--sans); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: linear-gradient(180deg, #f1f5f9, #ffffff); border-bottom: 1px solid var(--line); }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 28px; }
header.top .wrap { padding-top: 32px; padding-bottom: 24px; }
.kicker { color: var(--muted); font-size: 13px; letter-spacing: .08em; text-transform: uppercase; margin: 0; }
h1 { font-size: 32px; line-height: 1.2; margin: 6px 0 10px; letter-spacing: -.01em; }
.meta { display: flex; flex-wrap: wrap; gap: 2px 24px; margin: 0 0 6px; padding: 0; list-style: none; color: var(--muted); font-size: 14px; }
.meta b { color: var(--ink); font-weight: 600; }
.lede { color: var(--muted); font-size: 14px; margin: 4px 0 0; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(250px, 1fr)); gap: 16px; margin-top: 22px; }
.card { background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 10px; padding: 14px 16px 12px; box-shadow: 0 1px 2px rgba(15, 23, 42, .05); }
.card-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin-bottom: 8px; }
.card-title { font-weight: 700; font-size: 17px; }
.card dl { display: grid; grid-template-columns: auto 1fr; gap: 3px 12px; margin: 0; font-size: 14px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.card dd.meter { grid-column: 1 / -1; height: 6px; background: #eef2f7; border-radius: 3px; overflow: hidden; margin: 0 0 4px; }
.card dd.meter span { display: block; height: 100%; background: #16a34a; border-radius: 3px; }
.card dd.meter.over span { background: var(--bad); }
.status { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 999px; background: #e0e7ff; color: #3730a3; white-space: nowrap; }
.status-overdue { background: #fee2e2; color: #991b1b; }
.status-start-now { background: #ffedd5; color: #9a3412; }
.status-live { background: #dcfce7; color: #166534; }
.status-outgrown { background: #fee2e2; color: #991b1b; }
.status-unknown { background: #f3f4f6; color: #374151; }
.layout { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 40px; padding-top: 28px; padding-bottom: 64px; }
nav.toc { position: sticky; top: 16px; align-self: start; font-size: 14px; max-height: calc(100vh - 32px); overflow: auto; }
nav.toc h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); margin: 0 0 8px; border: 0; padding: 0; }
nav.toc ol { list-style: none; margin: 0; padding: 0; border-left: 2px solid var(--line); }
nav.toc li a { display: block; padding: 4px 0 4px 12px; margin-left: -2px; border-left: 2px solid transparent; color: var(--ink); }
nav.toc li a:hover { border-left-color: var(--accent); color: var(--accent); text-decoration: none; }
main { min-width: 0; max-width: 920px; }
section { margin: 0 0 44px; scroll-margin-top: 16px; }
h2 { font-size: 23px; line-height: 1.3; margin: 0 0 14px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h2 a.anchor { color: inherit; }
p { margin: 0 0 14px; }
ul { margin: 0 0 16px; padding-left: 22px; }
li { margin: 4px 0; }
li.warn { list-style: none; margin-left: -22px; padding: 6px 10px; background: var(--warn-bg); color: var(--warn); border-left: 3px solid #f97316; border-radius: 4px; }
strong { font-weight: 650; }
code { font-family: var(--mono); font-size: .88em; background: #f1f5f9; border: 1px solid #e2e8f0; border-radius: 4px; padding: 1px 5px; overflow-wrap: anywhere; }
pre.code { background: var(--code-bg); color: var(--code-ink); border-radius: 8px; padding: 14px 16px; overflow-x: auto; margin: 0 0 18px; font-size: 13px; line-height: 1.55; }
pre.code .comment { color: #94a3b8; font-style: italic; }
pre.code code { background: none; border: 0; padding: 0; color: inherit; font-size: inherit; overflow-wrap: anywhere; white-space: pre-wrap; }
.table-wrap { overflow-x: auto; margin: 0 0 18px; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; line-height: 1.45; }
th, td { padding: 7px 12px; text-align: left; vertical-align: top; }
thead th { background: #f1f5f9; font-weight: 600; border-bottom: 1px solid #d1d5db; }
td:first-child:not(.num) { min-width: 8.5em; }
tbody tr:nth-child(even) { background: var(--panel); }
tbody tr:hover { background: #eef4ff; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 1px solid #d1d5db; }
td.bad, dd.bad { color: var(--bad); font-weight: 700; }
figure.chart-figure { margin: 8px 0 24px; padding: 16px 16px 10px; border: 1px solid var(--line); border-radius: 10px; background: #fff; }
figure.chart-figure svg { display: block; width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 14px; text-align: center; margin-top: 6px; }
.muted { color: var(--muted); }
footer { color: var(--muted); font-size: 13px; border-top: 1px solid var(--line); padding: 16px 0 32px; }
@media (max-width: 900px) {
  .layout { grid-template-columns: minmax(0, 1fr); gap: 8px; }
  nav.toc { position: static; max-height: none; margin-bottom: 16px; }
  .wrap { padding: 0 16px; }
  h1 { font-size: 26px; }
}
@media print {
  nav.toc { display: none; }
  .layout { grid-template-columns: minmax(0, 1fr); }
  section, figure, .card, tr { break-inside: avoid; }
  header.top { background: none; }
  pre.code { white-space: pre-wrap; background: #f8fafc; color: var(--ink); border: 1px solid var(--line); }
}
`;

/** The whole report as one self-contained HTML document. */
export function renderHtml(report: RoadmapReport): string {
  const sections = reportSections(report);
  const title = `Scalability roadmap: ${report.service} (${report.region})`;
  const first = report.plans[0];
  const m = report.model;
  const meta: Array<[string, string]> = [
    ['Price table', first?.cost.priceTableVersion ?? '-'],
    ['Today', `${num(m.current.peakRps)} RPS peak, p95 ${num(m.current.p95LatencyMs)} ms`],
    ['Growth', `${num(m.growth.monthlyGrowthPct, 1)} % / month${m.growth.startDate ? ` from ${m.growth.startDate}` : ''}`],
    ['SLO', `p95 < ${num(m.slo.p95Ms)} ms, errors < ${m.slo.errorRatePct} %`],
  ];
  const toc = sections.map((s) => `<li><a href="#${escapeHtml(s.id)}">${escapeHtml(s.title)}</a></li>`).join('\n');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<header class="top"><div class="wrap">',
    '<p class="kicker">Scalability roadmap</p>',
    `<h1>${escapeHtml(report.service)} <span class="muted">in ${escapeHtml(report.region)}</span></h1>`,
    `<ul class="meta">${meta.map(([k, v]) => `<li>${escapeHtml(k)}: <b>${escapeHtml(v)}</b></li>`).join('')}</ul>`,
    '<p class="lede">Generated by scaling-roadmap from the capacity model; every number below is also what the CDK stacks deploy.</p>',
    atAGlance(report),
    '</div></header>',
    '<div class="wrap layout">',
    `<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>\n${toc}\n</ol></nav>`,
    '<main>',
    ...sections.map((s) => renderSection(s, report)),
    `<footer>${escapeHtml(title)}. Prices: list prices from price table ${escapeHtml(first?.cost.priceTableVersion ?? '-')}.</footer>`,
    '</main>',
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
