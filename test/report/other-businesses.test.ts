/**
 * The report for a business that is not the seeds' shop: its words come from the model's `workload` section and its
 * paths from `cdn.*PathPatterns`, so a ticketing plan never talks about orders, checkout or the catalog.
 */
import { CAPACITY_DEFAULTS, CapacityInput, DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { renderHtml } from '../../lib/report/render-html';
import { renderJson } from '../../lib/report/render-json';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';

/** The seeds' shop words and paths: none may appear in another business's report. */
const SEED_WORDS = /\b(orders?\b(?!-)|checkout|catalog|customer_id|customers?|products?|order placement|commerce)|\/api\/(catalog|products|orders)/gi;

const ticketing: CapacityInput = {
  ...DEFAULT_MODEL,
  service: { name: 'ticketing', costCentre: 'live-events' },
  workload: { primaryTable: 'tickets', partitionKey: 'event_id', criticalWrite: 'seat purchase', sharedReads: 'event listings' },
  cdn: { cacheableApiPathPatterns: ['/api/events/*', '/api/venues/*'] },
};

function renders(input: CapacityInput): Record<'md' | 'html' | 'json', string> {
  const report = buildReport(parseCapacity(input));
  return { md: renderMarkdown(report), html: renderHtml(report), json: renderJson(report) };
}

/** The seed words found in `text`, each with a little context (a failure names where). */
function seedWords(text: string): string[] {
  // "second-order bottlenecks", "in order" and CSS's paint-order are English, not the shop's words.
  const prose = text.replace(/second-order|in (arrival )?order|paint-order|border/gi, '');
  return [...prose.matchAll(SEED_WORDS)].map((m) => prose.slice(Math.max(0, m.index! - 40), m.index! + 40));
}

describe('a ticketing plan', () => {
  const out = renders(ticketing);

  test.each(['md', 'html', 'json'] as const)('%s: no word or path of the seeds\' shop', (format) => {
    expect(seedWords(out[format])).toEqual([]);
  });

  test.each(['md', 'html', 'json'] as const)("%s: the model's own words and paths", (format) => {
    for (const word of ['seat purchase', 'event listings', '/api/events/*', '/api/tickets']) expect(out[format]).toContain(word);
  });

  test('Phase 3 shards the primary table by its partition key', () => {
    expect(out.md).toContain('shard tickets by event_id');
  });
});

describe('defaults and the embedded model', () => {
  test("a model that names no workload or paths gets neutral ones (no seed word anywhere)", () => {
    const { workload: _w, cdn: _c, ...rest } = DEFAULT_MODEL;
    const neutral = renders({ ...rest, service: { name: 'telemetry', costCentre: 'platform' } });
    expect(CAPACITY_DEFAULTS.cdn.cacheableApiPathPatterns).toEqual(['/api/public/*']);
    expect(seedWords(neutral.md)).toEqual([]);
    expect(neutral.md).toContain('/api/public/*');
  });

  test("the embedded model keeps the seeds' words", () => {
    const seeds = renders(DEFAULT_MODEL).md;
    for (const word of ['checkout', 'catalog entries', '/api/catalog/*', 'shard orders by customer_id']) expect(seeds).toContain(word);
  });

  test('the check can fail: the seeds\' own report is full of seed words', () => {
    expect(seedWords(renders(DEFAULT_MODEL).md).length).toBeGreaterThan(3);
  });
});
