/**
 * The report's charts as inline SVG, drawn by hand (no chart library, nothing fetched when viewed).
 *
 * - traffic: projected daily peak RPS by month on a log scale, against each phase's design capacity.
 * - cost: monthly cost per phase, stacked by the biggest line items, against each phase's budget ceiling.
 *
 * Every chart has a <title>, an aria-label and text labels, and scales with its viewBox. Text that comes from the
 * model is escaped; marks carry data-* attributes so tests (and people reading the source) can find them.
 */
import { num } from './blocks';
import type { RoadmapReport } from './report';

/** Escapes text for HTML and SVG (element content and quoted attribute values). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A round number as a short label: 500, 1k, 2.5k, 10k, 100k, 1M. */
export function shortNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e3) return `${trim(value / 1e3)}k`;
  return trim(value);
}

const trim = (v: number) => String(Number(v.toFixed(1)));

/** Ticks of a log axis between lo and hi: 1-2-5 steps over a few decades, decades only over many. */
export function logTicks(lo: number, hi: number): number[] {
  const decades = Math.log10(hi / lo);
  const mantissas = decades > 4 ? [1] : [1, 2, 5];
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of mantissas) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

/** Round ticks from 0 to at least `max`, about `count` of them (steps of 1, 2, 2.5 or 5 x 10^n). */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Phase colours (blue, teal, violet, then repeats). */
export const PHASE_COLORS = ['#2563eb', '#0d9488', '#7c3aed', '#b45309', '#be185d'];
const phaseColor = (i: number) => PHASE_COLORS[i % PHASE_COLORS.length];
const INK = '#1f2937';
const MUTED = '#6b7280';
const GRID = '#e5e7eb';
const OVER = '#dc2626';
const FONT = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', 'Liberation Sans', sans-serif`;

/** Rough width of a label in viewBox units (for placing labels without overlaps). */
const textWidth = (text: string, size: number) => text.length * size * 0.56;

const f = (v: number) => (Math.round(v * 10) / 10).toString();

interface TextOptions {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly fill?: string;
  readonly weight?: 'bold' | 'normal';
  readonly cls?: string;
  readonly rotate?: number;
  readonly baseline?: 'middle' | 'auto' | 'hanging';
  /** A white outline so the label stays readable over lines. */
  readonly halo?: boolean;
}

function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [
    `x="${f(x)}"`,
    `y="${f(y)}"`,
    `font-size="${o.size ?? 12}"`,
    o.anchor && o.anchor !== 'start' ? `text-anchor="${o.anchor}"` : '',
    `fill="${o.fill ?? INK}"`,
    o.weight === 'bold' ? 'font-weight="600"' : '',
    o.cls ? `class="${o.cls}"` : '',
    o.rotate ? `transform="rotate(${o.rotate} ${f(x)} ${f(y)})"` : '',
    o.baseline && o.baseline !== 'auto' ? `dominant-baseline="${o.baseline}"` : '',
    o.halo ? 'stroke="#fff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"' : '',
  ].filter(Boolean);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, extra = '') =>
  `<line x1="${f(x1)}" y1="${f(y1)}" x2="${f(x2)}" y2="${f(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`;

function svg(kind: string, width: number, height: number, title: string, description: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-${kind}" data-chart="${kind}" viewBox="0 0 ${width} ${height}" ` +
      `preserveAspectRatio="xMidYMid meet" role="img" aria-label="${escapeXml(title)}" font-family="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(description)}</desc>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Pushes label positions apart (sorted ascending) so no two are closer than `gap`, staying within [min, max]. */
function spread(positions: number[], gap: number, min: number, max: number): number[] {
  const out = positions.map((p) => Math.min(max, Math.max(min, p)));
  for (let i = 1; i < out.length; i++) out[i] = Math.max(out[i], out[i - 1] + gap);
  if (out.length && out[out.length - 1] > max) out[out.length - 1] = max;
  for (let i = out.length - 2; i >= 0; i--) out[i] = Math.min(out[i], out[i + 1] - gap);
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** '2027-02' or '2027-02-19' as 'Feb 2027'. */
function monthName(date: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})/.exec(date ?? '');
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : undefined;
}

/**
 * Projected daily peak RPS by month (log scale) against each phase's daily-peak capacity and flash-sale design peak,
 * with a marker where each phase is needed.
 */
export function trafficChart(report: RoadmapReport, caption = "Projected daily peak by month against each phase's design capacity"): string {
  const W = 960;
  const H = 480;
  const points = report.trafficByMonth;
  const lastMonth = Math.max(1, points[points.length - 1]?.month ?? 1);
  const capacities = report.plans.map((p, i) => ({
    i,
    label: p.label,
    peak: p.traffic.peakRps.value,
    design: p.traffic.designPeakRps.value,
  }));

  // Log y domain: round 1-2-5 values just outside the data.
  const values = [...points.map((p) => p.peakRps), ...capacities.flatMap((c) => [c.peak, c.design])].filter((v) => v > 0 && Number.isFinite(v));
  // Log y domain: a little room around the data (ticks are the round values inside it).
  const lo = Math.min(...values) / 1.35;
  const hi = Math.max(...values) * 1.3;

  // Markers where each phase is needed, their labels placed in rows above the plot without overlapping.
  const left = 70;
  const right = W - 200;
  const x = (month: number) => left + ((right - left) * month) / lastMonth;
  const markers = report.timeline
    .map((t, i) => ({ t, i, month: Math.max(0, t.monthsUntilNeeded.value) }))
    .filter((m) => Number.isFinite(m.month) && m.month <= lastMonth)
    .map((m) => {
      const when =
        m.t.status === 'unknown' ? 'when: unknown' : m.t.monthsUntilNeeded.value <= 0 ? 'now' : (monthName(m.t.neededBy) ?? `in ${num(m.t.monthsUntilNeeded.value, 1)} months`);
      const label = `${m.t.label} needed ${when}${m.t.status === 'overdue' ? ' (overdue)' : ''}`;
      return { ...m, label, x: x(m.month), width: textWidth(label, 13) + 14 };
    });
  const rows: number[] = [];
  const markerRows = markers.map((m) => {
    let row = rows.findIndex((end) => end < m.x);
    if (row < 0) row = rows.push(0) - 1;
    rows[row] = m.x + m.width;
    return row;
  });
  const legendY = 22;
  const rowY = (row: number) => 52 + row * 18;
  const top = rowY(rows.length) + 4;
  const bottom = H - 56;
  const y = (v: number) => bottom - ((bottom - top) * Math.log10(v / lo)) / Math.log10(hi / lo);

  const body: string[] = [];

  // Bands: the stretch of months each phase is the live one.
  markers.forEach((m, k) => {
    const end = k + 1 < markers.length ? markers[k + 1].x : right;
    body.push(`<rect class="band" x="${f(m.x)}" y="${f(top)}" width="${f(Math.max(0, end - m.x))}" height="${f(bottom - top)}" fill="${phaseColor(m.i)}" fill-opacity="0.06"/>`);
  });

  // Y axis: log gridlines, decades stronger.
  const yTicks = logTicks(lo, hi);
  body.push('<g class="axis axis-y">');
  for (const v of yTicks) {
    const decade = Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
    body.push(line(left, y(v), right, y(v), decade ? '#d1d5db' : GRID, decade ? '' : 'stroke-dasharray="2 3"'));
    body.push(text(left - 8, y(v) + 4, shortNumber(v), { anchor: 'end', size: 13, fill: decade ? INK : MUTED, weight: decade ? 'bold' : 'normal' }));
  }
  body.push(text(18, (top + bottom) / 2, 'daily peak requests/s (log scale)', { anchor: 'middle', size: 13, fill: MUTED, rotate: -90 }));
  body.push('</g>');

  // X axis: months, labelled at a step that leaves room for the labels.
  const pxPerMonth = (right - left) / lastMonth;
  const stepMonths = [1, 2, 3, 6, 12, 24, 36, 60].find((s) => s * pxPerMonth >= 70) ?? 120;
  body.push('<g class="axis axis-x">');
  body.push(line(left, bottom, right, bottom, '#9ca3af'));
  for (const p of points) {
    const major = p.month % stepMonths === 0;
    if (!major && pxPerMonth < 6) continue;
    body.push(line(x(p.month), bottom, x(p.month), bottom + (major ? 6 : 3), '#9ca3af'));
    if (major) body.push(text(x(p.month), bottom + 20, monthName(p.date) ?? (p.month === 0 ? 'now' : `+${p.month}`), { anchor: 'middle', size: 13, fill: MUTED }));
  }
  body.push(text((left + right) / 2, bottom + 44, points[0]?.date ? 'month' : 'months from now', { anchor: 'middle', size: 13, fill: MUTED }));
  body.push('</g>');

  // Capacity lines: each phase's daily peak (dashed) and flash-sale design peak (dotted), labelled at the right.
  const labels: Array<{ y: number; text: string; color: string }> = [];
  for (const c of capacities) {
    const color = phaseColor(c.i);
    body.push(
      `<g class="series" data-series="capacity" data-phase="${c.i + 1}">` +
        `<title>${escapeXml(`${c.label}: designed for a daily peak of ${num(c.peak)} RPS`)}</title>` +
        line(left, y(c.peak), right, y(c.peak), color, 'stroke-width="2" stroke-dasharray="8 5"') +
        '</g>',
    );
    body.push(
      `<g class="series" data-series="design-peak" data-phase="${c.i + 1}">` +
        `<title>${escapeXml(`${c.label}: flash-sale design peak ${num(c.design)} RPS`)}</title>` +
        line(left, y(c.design), right, y(c.design), color, 'stroke-width="1.5" stroke-dasharray="2 4" stroke-opacity="0.8"') +
        '</g>',
    );
    labels.push({ y: y(c.peak), text: `${c.label} · ${shortNumber(c.peak)}`, color });
    labels.push({ y: y(c.design), text: `flash sale · ${shortNumber(c.design)}`, color });
  }
  const last = points[points.length - 1];
  if (last) labels.push({ y: y(last.peakRps), text: `projected · ${shortNumber(Number(last.peakRps.toPrecision(2)))}`, color: INK });
  labels.sort((a, b) => a.y - b.y);
  const placed = spread(
    labels.map((l) => l.y),
    17,
    top + 4,
    bottom,
  );
  labels.forEach((l, k) => {
    const ly = placed[k];
    if (Math.abs(ly - l.y) > 1) body.push(line(right, l.y, right + 8, ly, l.color, 'stroke-opacity="0.6"'));
    body.push(text(right + 10, ly + 4, l.text, { size: 13, fill: l.color, weight: l.color === INK || !l.text.startsWith('flash') ? 'bold' : 'normal' }));
  });

  // Where each phase is needed: a vertical marker from its label down to the axis, and a ring where traffic gets there.
  const growth = 1 + report.model.growth.monthlyGrowthPct / 100;
  markers.forEach((m, k) => {
    const color = phaseColor(m.i);
    const ly = rowY(markerRows[k]);
    const atRps = report.model.current.peakRps * growth ** m.month;
    body.push(
      `<g class="marker" data-phase="${m.i + 1}">` +
        line(m.x, ly + 4, m.x, bottom, color, 'stroke-width="1.5" stroke-dasharray="3 3"') +
        text(m.x + 5, ly, m.label, { size: 13, fill: color, weight: 'bold' }) +
        (atRps >= lo && atRps <= hi ? `<circle cx="${f(m.x)}" cy="${f(y(atRps))}" r="6" fill="#fff" stroke="${color}" stroke-width="2.5"/>` : '') +
        '</g>',
    );
  });

  // The projection itself, on top.
  const path = points.map((p, k) => `${k ? 'L' : 'M'}${f(x(p.month))} ${f(y(p.peakRps))}`).join(' ');
  body.push(`<g class="series" data-series="traffic">`);
  body.push(`<path d="${path}" fill="none" stroke="${INK}" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>`);
  const dense = points.length > 40; // one dot per month would smear the line: keep them as hover targets only
  for (const p of points) {
    body.push(`<circle cx="${f(x(p.month))}" cy="${f(y(p.peakRps))}" r="3" fill="${INK}"${dense ? ' fill-opacity="0"' : ''}><title>${escapeXml(`${p.date ?? `+${p.month} months`}: ${num(p.peakRps)} RPS`)}</title></circle>`);
  }
  body.push('</g>');

  // Legend.
  const legend: Array<[string, string]> = [
    [`<line x1="0" y1="0" x2="26" y2="0" stroke="${INK}" stroke-width="3"/>`, 'projected daily peak'],
    [`<line x1="0" y1="0" x2="26" y2="0" stroke="${MUTED}" stroke-width="2" stroke-dasharray="8 5"/>`, 'daily peak each phase is built for'],
    [`<line x1="0" y1="0" x2="26" y2="0" stroke="${MUTED}" stroke-width="1.5" stroke-dasharray="2 4"/>`, 'its flash-sale peak'],
    [`<circle cx="13" cy="0" r="5" fill="#fff" stroke="${MUTED}" stroke-width="2.5"/>`, 'phase needed'],
  ];
  body.push(legendRow(legend, left, legendY));

  const description =
    `${caption}. ` +
    points
      .filter((_, k) => k % stepMonths === 0)
      .map((p) => `${p.date ?? `+${p.month}`}: ${num(p.peakRps)} RPS`)
      .join('; ') +
    '. ' +
    capacities.map((c) => `${c.label}: daily peak ${num(c.peak)} RPS, flash sale ${num(c.design)} RPS`).join('; ') +
    '.';
  return svg('traffic', W, H, caption, description, body);
}

function legendRow(items: ReadonlyArray<readonly [string, string]>, x0: number, y0: number): string {
  let x = x0;
  const out = ['<g class="legend">'];
  for (const [swatch, label] of items) {
    out.push(`<g transform="translate(${f(x)} ${f(y0 - 4)})">${swatch}</g>`);
    out.push(text(x + 32, y0, label, { size: 13, fill: INK }));
    x += 32 + label.length * 13 * 0.5 + 24;
  }
  out.push('</g>');
  return out.join('');
}

const SEGMENT_COLORS = ['#3b82f6', '#14b8a6', '#f59e0b', '#8b5cf6', '#cbd5e1'];

/**
 * Monthly cost per phase, stacked by the biggest line items (converted to the budget's currency), against each
 * phase's budget ceiling. One panel per phase, each on its own scale (the phases differ by two orders of magnitude).
 */
export function costChart(report: RoadmapReport, caption = 'Monthly cost per phase against its budget ceiling', topItems = 4): string {
  const plans = report.plans;
  const currency = plans[0]?.cost.currency ?? '';
  const totals = new Map<string, number>();
  for (const p of plans) for (const l of p.cost.lines) totals.set(l.item, (totals.get(l.item) ?? 0) + l.usd);
  const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, topItems).map(([item]) => item);
  const categories = [...top, 'Other'];

  const W = 960;
  const H = 460;
  const panelW = W / Math.max(1, plans.length);
  const legendY = 22;
  const plotTop = 122;
  const plotBottom = H - 60;
  const body: string[] = [];

  body.push(
    legendRow(
      [
        ...categories.map((c, k) => [`<rect x="4" y="-7" width="18" height="14" rx="2" fill="${SEGMENT_COLORS[k % SEGMENT_COLORS.length]}"/>`, c] as const),
        [`<line x1="0" y1="0" x2="26" y2="0" stroke="${INK}" stroke-width="2" stroke-dasharray="6 4"/>`, 'budget ceiling'],
      ],
      16,
      legendY,
    ),
  );

  plans.forEach((plan, i) => {
    const c = plan.cost;
    const toCurrency = c.totalUsd > 0 ? c.totalInCurrency / c.totalUsd : 1;
    const over = c.totalInCurrency > c.ceiling.value || c.overrun !== undefined;
    const segments = categories.map((cat) => ({
      cat,
      value: (cat === 'Other' ? c.lines.filter((l) => !top.includes(l.item)).reduce((s, l) => s + l.usd, 0) : (c.lines.find((l) => l.item === cat)?.usd ?? 0)) * toCurrency,
    }));
    const ticks = niceTicks(Math.max(c.totalInCurrency, c.ceiling.value) * 1.12, 4);
    const max = ticks[ticks.length - 1];
    const px = i * panelW;
    const axisX = px + 58;
    const plotRight = px + panelW - 16;
    const y = (v: number) => plotBottom - ((plotBottom - plotTop) * v) / max;
    const barW = Math.min(120, (plotRight - axisX) * 0.5);
    const barX = axisX + 16;
    const cx = barX + barW / 2;

    body.push(`<g class="panel" data-phase="${i + 1}">`);
    if (i > 0) body.push(line(px, 46, px, plotBottom + 8, GRID));
    body.push(text(px + 16, 64, plan.label, { size: 16, weight: 'bold', fill: phaseColor(i) }));
    const share = c.ceiling.value > 0 ? c.totalInCurrency / c.ceiling.value : 0;
    body.push(
      text(px + 16, 84, over ? `over budget: ${num(share * 100)} % of the ceiling` : `${num(share * 100)} % of the ceiling`, {
        size: 13,
        fill: over ? OVER : MUTED,
        weight: over ? 'bold' : 'normal',
      }),
    );
    for (const t of ticks) {
      body.push(line(axisX, y(t), plotRight, y(t), t === 0 ? '#9ca3af' : GRID));
      body.push(text(axisX - 6, y(t) + 4, shortNumber(t), { anchor: 'end', size: 12, fill: MUTED }));
    }
    body.push(text(px + 16, plotTop - 16, `${currency} per month`, { size: 12, fill: MUTED }));

    // The stack, biggest item at the bottom.
    body.push(`<g class="bar" data-phase="${i + 1}" data-total="${f(c.totalInCurrency)}" data-over-budget="${over}">`);
    body.push(`<title>${escapeXml(`${plan.label}: ${num(c.totalInCurrency)} ${currency}/month, ceiling ${num(c.ceiling.value)} ${currency}`)}</title>`);
    let base = 0;
    segments.forEach((s, k) => {
      const y0 = y(base + s.value);
      const h = y(base) - y0;
      base += s.value;
      body.push(
        `<rect class="bar-segment" data-item="${escapeXml(s.cat)}" x="${f(barX)}" y="${f(y0)}" width="${f(barW)}" height="${f(Math.max(0, h))}" ` +
          `fill="${SEGMENT_COLORS[k % SEGMENT_COLORS.length]}" stroke="#fff" stroke-width="1"><title>${escapeXml(`${s.cat}: ${num(s.value)} ${currency}`)}</title></rect>`,
      );
      if (h >= 17) body.push(text(cx, y0 + h / 2 + 4, num(s.value), { anchor: 'middle', size: 12, fill: k === categories.length - 1 ? INK : '#fff', weight: 'bold' }));
    });
    if (over) {
      // Marked beside and around the bar, never on it: a tint over the segments would change their colours (they would
      // no longer match the legend) and wash out their labels. A red outline round the whole bar, and a bracket to its
      // right spanning the overrun, from the ceiling up to the total.
      const top = y(c.totalInCurrency);
      const bottom = y(c.ceiling.value);
      const bx = barX + barW + 8;
      body.push(`<rect class="over-budget-outline" x="${f(barX)}" y="${f(top)}" width="${f(barW)}" height="${f(plotBottom - top)}" fill="none" stroke="${OVER}" stroke-width="3"/>`);
      body.push(
        `<path class="over-budget" data-from="${f(bottom)}" data-to="${f(top)}" d="M${f(bx - 4)} ${f(top)}H${f(bx)}V${f(bottom)}H${f(bx - 4)}" fill="none" stroke="${OVER}" stroke-width="2.5">` +
          `<title>${escapeXml(`${num(c.totalInCurrency - c.ceiling.value)} ${currency} over the ceiling`)}</title></path>`,
      );
    }
    body.push('</g>');

    // The ceiling across the panel, labelled at its right end.
    const ceilY = y(c.ceiling.value);
    body.push(
      `<g class="ceiling" data-phase="${i + 1}" data-value="${f(c.ceiling.value)}">` +
        `<title>${escapeXml(`Budget ceiling ${num(c.ceiling.value)} ${currency}/month: ${c.ceiling.why}`)}</title>` +
        line(axisX, ceilY, plotRight, ceilY, over ? OVER : INK, 'stroke-width="2" stroke-dasharray="6 4"') +
        text(plotRight, ceilY - 6, 'ceiling', { anchor: 'end', size: 12, fill: over ? OVER : MUTED, halo: true }) +
        text(plotRight, ceilY + 16, `${num(c.ceiling.value)} ${currency}`, { anchor: 'end', size: 13, weight: 'bold', fill: over ? OVER : INK, halo: true }) +
        '</g>',
    );
    // The total above the bar (over the ceiling line, with a halo); lifted above the ceiling line when the two would touch.
    let totalY = y(c.totalInCurrency) - 8;
    if (!over && totalY - 14 < ceilY + 3 && totalY + 3 > ceilY - 3) totalY = ceilY - 6;
    body.push(text(cx, totalY, `${num(c.totalInCurrency)} ${currency}`, { cls: 'bar-total', anchor: 'middle', size: 14, weight: 'bold', fill: over ? OVER : INK, halo: true }));
    body.push('</g>');
  });

  body.push(text(W / 2, H - 18, `Each phase on its own scale. Line items converted from USD at the model's rate; ${topItems} biggest items shown, the rest in Other.`, { anchor: 'middle', size: 13, fill: MUTED }));

  const description =
    `${caption}. ` +
    plans
      .map((p) => `${p.label}: ${num(p.cost.totalInCurrency)} ${currency} against a ceiling of ${num(p.cost.ceiling.value)} ${currency}${p.cost.overrun ? ' (over budget)' : ''}`)
      .join('; ') +
    '.';
  return svg('cost', W, H, caption, description, body);
}

/** The chart a 'chart' block names. */
export function renderChart(chart: 'traffic' | 'cost', report: RoadmapReport, caption?: string): string {
  return chart === 'traffic' ? trafficChart(report, caption) : costChart(report, caption);
}
