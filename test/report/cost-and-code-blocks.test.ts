import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { renderHtml } from '../../lib/report/render-html';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';

const costSection = (markdown: string) => markdown.slice(markdown.indexOf('## 11.'), markdown.indexOf('## 12.'));

describe('cost table totals', () => {
  test('a USD budget prints its total row once', () => {
    const usd = parseCapacity({ ...DEFAULT_MODEL, budget: { currency: 'USD', monthlyCeiling: 8000, costPer1000PeakRps: 6000 } });
    const rows = costSection(renderMarkdown(buildReport(usd))).split('\n').filter((l) => l.startsWith('| Total (USD)'));
    expect(rows).toHaveLength(1);
  });

  test('a EUR budget prints the USD sum and the EUR total', () => {
    const section = costSection(renderMarkdown(buildReport(parseCapacity(DEFAULT_MODEL))));
    expect(section.split('\n').filter((l) => l.startsWith('| Total (USD)'))).toHaveLength(1);
    expect(section.split('\n').filter((l) => l.startsWith('| Total (EUR)'))).toHaveLength(1);
  });
});

test('runbook code blocks wrap long lines instead of hiding flags off to the side', () => {
  const html = renderHtml(buildReport(parseCapacity(DEFAULT_MODEL)));
  const rule = html.match(/pre\.code code \{[^}]*\}/)![0];
  expect(rule).toContain('white-space: pre-wrap');
  expect(rule).not.toMatch(/white-space: pre;/);
});
