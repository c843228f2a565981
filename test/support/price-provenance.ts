/**
 * Checks that every price in the price table says where it came from: each numeric value in PRICE_TABLE must appear
 * in prices.ts on a line `key: value, // source|derived|estimate: ...`, source and derived lines must cite a tag
 * ([S12]) that PRICE_SOURCES defines, and every source must carry an ISO date no later than the table's version.
 */
import type { PriceSource, PriceTable } from '../../lib/capacity/prices';

/** One problem, naming the price (region.path) or the source tag. */
export type ProvenanceProblem = string;

/** Every numeric leaf of the table as [path, key, value]. */
function leaves(value: unknown, path: string[] = []): Array<[string, string, number]> {
  if (typeof value === 'number') return [[path.join('.'), path[path.length - 1], value]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Problems with the provenance of `table`, whose source text is `text`; [] when every price is sourced and dated. */
export function priceProvenanceProblems(text: string, table: PriceTable, sources: Readonly<Record<string, PriceSource>>): ProvenanceProblem[] {
  const problems: ProvenanceProblem[] = [];
  for (const [tag, source] of Object.entries(sources)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(source.date) || Number.isNaN(Date.parse(source.date))) problems.push(`${tag}: date '${source.date}' is not an ISO date`);
    else if (source.date > table.version) problems.push(`${tag}: date ${source.date} is after the table version ${table.version}`);
    if (source.what.length < 20) problems.push(`${tag}: says too little about what it is`);
  }
  // A price is looked up in its own region's block of the table, or in the shared constants above the table (which
  // region blocks spread or reference): never in another region's block, whose line could carry the same value.
  const allLines = text.split('\n');
  const tableStart = allLines.findIndex((line) => line.startsWith('export const PRICE_TABLE'));
  const shared = allLines.slice(0, tableStart);
  const blocks = new Map<string, string[]>();
  let current: string | undefined;
  for (const line of allLines.slice(tableStart)) {
    const header = /^ {4}'([a-z]{2}-[a-z]+-\d)': \{/.exec(line);
    if (header) blocks.set((current = header[1]), []);
    else if (current) blocks.get(current)!.push(line);
  }
  for (const [path, key, value] of leaves(table.regions)) {
    const region = path.split('.')[0];
    if (!blocks.has(region)) {
      problems.push(`${region}: no block '${region}': { ... } in prices.ts`);
      continue;
    }
    const lines = [...blocks.get(region)!, ...shared];
    // The key may be quoted ('db.r7g.large'); the value is written as JavaScript prints it.
    const pattern = new RegExp(`(^|[\\s{,'])${escape(key)}'?: ${escape(String(value))}(,|\\s|$)`);
    const candidates = lines.filter((line) => pattern.test(line.split('//')[0]));
    if (candidates.length === 0) {
      problems.push(`${path} = ${value}: no line '${key}: ${value}' in prices.ts`);
      continue;
    }
    const explained = candidates.filter((line) => {
      const comment = line.includes('//') ? line.slice(line.indexOf('//')) : '';
      const kind = /\/\/ (source|derived|estimate):/.exec(comment)?.[1];
      if (!kind) return false;
      const tags = [...comment.matchAll(/\[(S\d+)\]/g)].map((m) => m[1]);
      if (tags.some((t) => !(t in sources))) return false;
      return kind === 'estimate' || tags.length > 0;
    });
    if (explained.length === 0) problems.push(`${path} = ${value}: its line has no 'source: [Sx]', 'derived: ... [Sx]' or 'estimate: ...' comment citing defined sources`);
  }
  return problems;
}
