/**
 * An over-budget phase must say which budget values would make it fit (a flat ceiling never grows with traffic;
 * budget.costPer1000PeakRps does), mark itself in the summary and list itself in the summary's warnings.
 */
import { DEFAULT_MODEL, parseCapacity, planModel, renderSummary } from '../../lib/capacity';
import { overBudgetError } from '../../scripts/synth';

/** The default model with a flat ceiling (no costPer1000PeakRps): Phase 1 fits 10,000 EUR, Phases 2 and 3 do not. */
function flatCeiling(allowOverrun?: boolean) {
  const { costPer1000PeakRps: _unit, ...budget } = DEFAULT_MODEL.budget as Record<string, unknown>;
  return parseCapacity({ ...DEFAULT_MODEL, budget: { ...budget, monthlyCeiling: 10000, ...(allowOverrun === undefined ? {} : { allowOverrun }) } });
}

describe('budget errors that help', () => {
  const model = flatCeiling();
  const plans = planModel(model);
  const [p1, p2, p3] = plans;

  test('a flat ceiling: phases 2 and 3 over, phase 1 within', () => {
    expect(p1.cost.overrun).toBeUndefined();
    expect(p2.cost.overrun).toBeDefined();
    expect(p3.cost.overrun).toBeDefined();
  });

  test.each([
    ['Phase 2', 1],
    ['Phase 3', 2],
  ])('%s: the error names costPer1000PeakRps and monthlyCeiling with the values that fit', (_label, index) => {
    const plan = plans[index];
    const { totalInCurrency, currency } = plan.cost;
    const per1000 = Math.ceil(totalInCurrency / (plan.traffic.peakRps.value / 1000));
    expect(plan.cost.overrun).toContain(`budget.costPer1000PeakRps >= ${per1000.toLocaleString('en-US')} ${currency}`);
    expect(plan.cost.overrun).toContain(`budget.monthlyCeiling >= ${Math.ceil(totalInCurrency).toLocaleString('en-US')} ${currency}`);
    expect(plan.cost.overrun).toContain('set budget.allowOverrun: true to synthesize it anyway');
    // The values it names do fit: the same model with that unit target has no overrun in this phase.
    const fixed = parseCapacity({ ...DEFAULT_MODEL, budget: { ...DEFAULT_MODEL.budget, monthlyCeiling: 10000, costPer1000PeakRps: per1000 } });
    expect(planModel(fixed)[index].cost.overrun).toBeUndefined();
    const justUnder = parseCapacity({ ...DEFAULT_MODEL, budget: { ...DEFAULT_MODEL.budget, monthlyCeiling: 10000, costPer1000PeakRps: per1000 - 2 } });
    expect(planModel(justUnder)[index].cost.overrun).toBeDefined();
  });

  test('the summary marks the over-budget phases in their cost cell and lists each overrun in its warnings', () => {
    const summary = renderSummary(model, plans);
    const costRow = summary.split('\n').find((l) => l.startsWith('Monthly cost'))!;
    expect(costRow.match(/OVER BUDGET/g)).toHaveLength(2);
    expect(summary).toContain(`! ${p2.label}: over budget: projected`);
    expect(summary).toContain(`! ${p3.label}: over budget: projected`);
    expect(summary).not.toContain(`! ${p1.label}: over budget`);
  });

  test('within budget, nothing is marked', () => {
    const summary = renderSummary(parseCapacity(DEFAULT_MODEL), planModel(parseCapacity(DEFAULT_MODEL)));
    expect(summary).not.toMatch(/OVER BUDGET|over budget/);
  });

  test('npm run synth closes with the phases, the unit target that fits all of them and allowOverrun', () => {
    const worst = Math.max(...[p2, p3].map((p) => Math.ceil(p.cost.totalInCurrency / (p.traffic.peakRps.value / 1000))));
    expect(overBudgetError([p2, p3])).toBe(
      `Not synthesized: ${p2.label}, ${p3.label} are over budget (marked above). budget.costPer1000PeakRps >= ` +
        `${worst.toLocaleString('en-US')} EUR fits them (the ceiling grows with traffic), or set budget.allowOverrun: true to synthesize anyway.`,
    );
  });

  test('allowOverrun already set: the warning says so instead of suggesting it', () => {
    const allowed = planModel(flatCeiling(true))[2].cost.overrun!;
    expect(allowed).toContain('Synthesized anyway because budget.allowOverrun is true');
    expect(allowed).not.toContain('set budget.allowOverrun: true');
    expect(allowed).toContain('budget.costPer1000PeakRps >= ');
  });
});
