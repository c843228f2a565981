/**
 * Chart labels must not collide. Each <text> gets a box from its position, anchor and font size (average glyph width
 * 0.6 em, cap height 0.8 em above the baseline, 0.2 em below: generous for the sans-serif the charts use), and no two
 * boxes may intersect, over models whose traffic lines, flash-sale peaks and phase markers crowd each other.
 */
import { CapacityInput, DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { buildReport } from '../../lib/report/report';
import { costChart, trafficChart } from '../../lib/report/svg-charts';

interface Box {
  readonly text: string;
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
}

/** The boxes of every unrotated <text> in an SVG. */
function textBoxes(svg: string): Box[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)]
    .filter(([, attrs]) => !/transform="rotate/.test(attrs))
    .map(([, attrs, content]) => {
      const a = Object.fromEntries([...attrs.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      const size = Number(a['font-size']);
      const width = content.replace(/&[a-z#0-9]+;/g, '_').length * size * 0.6;
      const x = Number(a.x);
      const y = Number(a.y);
      const x0 = a['text-anchor'] === 'end' ? x - width : a['text-anchor'] === 'middle' ? x - width / 2 : x;
      return { text: content, x0, x1: x0 + width, y0: y - size * 0.8, y1: y + size * 0.2 };
    });
}

/** Pairs of labels whose boxes intersect. */
function collisions(svg: string): string[] {
  const boxes = textBoxes(svg);
  const hits: string[] = [];
  boxes.forEach((a, i) =>
    boxes.slice(i + 1).forEach((b) => {
      if (a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1) hits.push(`'${a.text}' x '${b.text}'`);
    }),
  );
  return hits;
}

const D = DEFAULT_MODEL;
const crowded: Array<[string, CapacityInput]> = [
  ['the default model', D],
  ['fast growth (phases needed months apart)', { ...D, growth: { ...D.growth, monthlyGrowthPct: 150 } }],
  ['very fast growth', { ...D, growth: { ...D.growth, monthlyGrowthPct: 400 } }],
  ['slow growth', { ...D, growth: { ...D.growth, monthlyGrowthPct: 1 } }],
  ['flash sale barely above the daily peak (lines close together)', { ...D, peakPattern: { ...D.peakPattern, flashSaleMultiplier: 1 } }],
  ['a tall flash sale', { ...D, peakPattern: { ...D.peakPattern, flashSaleMultiplier: 10 } }],
  ['Phase 2 live', { ...D, current: { ...D.current, deployedPhase: 2 } }],
  ['over budget', { ...D, budget: { ...D.budget, monthlyCeiling: 1000, costPer1000PeakRps: 1000 } }],
];

describe('chart labels do not overlap', () => {
  test.each(crowded)('traffic chart: %s', (_name, input) => {
    expect(collisions(trafficChart(buildReport(parseCapacity(input))))).toEqual([]);
  });

  test.each(crowded)('cost chart: %s', (_name, input) => {
    expect(collisions(costChart(buildReport(parseCapacity(input))))).toEqual([]);
  });

  test('the check can fail: two labels at the same place collide', () => {
    const svg = '<text x="100" y="50" font-size="13">Phase 2 · 8k</text><text x="110" y="55" font-size="13">flash sale · 48k</text>';
    expect(collisions(svg)).toEqual(["'Phase 2 · 8k' x 'flash sale · 48k'"]);
  });
});
