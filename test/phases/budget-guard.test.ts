import { DEFAULT_MODEL, formatNumber } from '../../lib/capacity';
import { SynthesizedStack, synthesizedPhases } from '../support/synthesized-phases';

/** The default model with a budget that fits Phase 1 (7,000 EUR) but grows more slowly than Phases 2 and 3 cost. */
const tightBudget = (allowOverrun: boolean) => ({
  ...DEFAULT_MODEL,
  budget: { ...DEFAULT_MODEL.budget, monthlyCeiling: 7000, costPer1000PeakRps: 2000, allowOverrun },
});

/** The stack's synthesis messages at `level` whose text matches `data` (every one without it). */
const messagesOf = (stack: SynthesizedStack, level: 'error' | 'warning', data?: RegExp) =>
  stack.messages.filter((m) => m.level === level && (!data || data.test(m.data)));

describe('budget guard', () => {
  test('each phase over its ceiling carries an error naming the phase, cost, ceiling and biggest items; a phase within it does not', () => {
    const { phases } = synthesizedPhases(tightBudget(false));
    const [p1, p2, p3] = phases;
    const errors = messagesOf(p3.stack, 'error', /^Budget: /);
    expect(errors).toHaveLength(1);
    const message = errors[0].data;
    expect(message).toMatch(
      /^Budget: Phase 3 \(100x\) projected \d{3},\d{3} EUR\/month is above the ceiling of 160,000 EUR \(budget\.costPer1000PeakRps 2,000 EUR x 80k peak RPS\); biggest items: CloudFront requests [\d,]+ USD, WAF [\d,]+ USD, Aurora instances [\d,]+ USD\. .*budget\.allowOverrun: true/,
    );
    expect(p3.plan.cost.overrun).toBeDefined();
    expect(p1.plan.cost.overrun).toBeUndefined();
    expect(messagesOf(p1.stack, 'error')).toHaveLength(0);
    expect(messagesOf(p2.stack, 'error', new RegExp(`^Budget: Phase 2 \\(10x\\) projected ${formatNumber(p2.plan.cost.totalInCurrency)} EUR/month is above the ceiling of 16,000 EUR`))).toHaveLength(1);
  });

  test('budget.allowOverrun: true turns the error into a warning', () => {
    const { phases } = synthesizedPhases(tightBudget(true));
    const p3 = phases[2].stack;
    expect(messagesOf(p3, 'error')).toHaveLength(0);
    expect(messagesOf(p3, 'warning', /^Budget: Phase 3 \(100x\) projected/)).toHaveLength(1);
  });

  test('the default model fits every ceiling', () => {
    for (const { plan, stack } of synthesizedPhases().phases) {
      expect(plan.cost.totalUsd).toBeLessThan(plan.cost.ceilingUsd.value);
      expect(messagesOf(stack, 'error')).toHaveLength(0);
    }
  });
});
