import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MODEL, planPhases, PRICE_SOURCES, PRICE_TABLE, pricesFor } from '../../lib/capacity';
import { priceProvenanceProblems } from '../support/price-provenance';

const text = fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'capacity', 'prices.ts'), 'utf8');

describe('price provenance', () => {
  test('every price has a source (or a stated derivation or estimate) and every source a date', () => {
    expect(priceProvenanceProblems(text, PRICE_TABLE, PRICE_SOURCES)).toEqual([]);
  });

  test('the check fails on an unsourced price, an undefined source tag and an undated source', () => {
    const unsourced = text.replace(/(vcpuHour: 0\.04656,) \/\/ source: [^\n]*/, '$1');
    expect(priceProvenanceProblems(unsourced, PRICE_TABLE, PRICE_SOURCES)).toEqual([
      expect.stringMatching(/^eu-central-1\.fargate\.x86\.vcpuHour = 0\.04656: its line has no/),
    ]);
    const unknownTag = text.replace('lcuHour: 0.008, // source: [S5]', 'lcuHour: 0.008, // source: [S99]');
    expect(priceProvenanceProblems(unknownTag, PRICE_TABLE, PRICE_SOURCES).join('\n')).toMatch(/eu-central-1\.alb\.lcuHour = 0\.008/);
    const undated = { ...PRICE_SOURCES, S1: { ...PRICE_SOURCES.S1, date: 'recently' } };
    expect(priceProvenanceProblems(text, PRICE_TABLE, undated)).toEqual(["S1: date 'recently' is not an ISO date"]);
    const changed = { ...PRICE_TABLE, regions: { ...PRICE_TABLE.regions, 'eu-west-1': { ...PRICE_TABLE.regions['eu-west-1'], s3: { standardGbMonth: 0.0199 } } } };
    expect(priceProvenanceProblems(text, changed, PRICE_SOURCES)).toEqual(["eu-west-1.s3.standardGbMonth = 0.0199: no line 'standardGbMonth: 0.0199' in prices.ts"]);
  });
});

describe('CloudFront HTTPS requests (AWS Price List API)', () => {
  test.each([
    ['eu-central-1', 0.012],
    ['eu-west-1', 0.012],
    ['us-east-1', 0.01],
    ['us-west-2', 0.01],
  ])('%s: %d USD per 10,000', (region, price) => {
    expect(pricesFor(region).cloudfront.httpsRequestsPer10k).toBe(price);
  });

  test("the default (eu-central-1) plan's CloudFront request line uses the European rate", () => {
    for (const plan of planPhases(DEFAULT_MODEL)) {
      const line = plan.cost.lines.find((l) => l.item === 'CloudFront requests')!;
      const requests = Number(/([\d,.]+) M HTTPS requests/.exec(line.basis)![1].replace(/,/g, '')) * 1e6;
      expect(line.usd).toBeCloseTo((requests / 1e4) * 0.012, -1);
    }
  });
});
