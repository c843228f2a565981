import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { synthPhases } from '../support/phase-app';

/** The default model with a budget that fits Phase 1 (7,000 EUR) but grows more slowly than Phases 2 and 3 cost. */
const tightBudget = (allowOverrun: boolean) => ({
  ...DEFAULT_MODEL,
  budget: { ...DEFAULT_MODEL.budget, monthlyCeiling: 7000, costPer1000PeakRps: 2000, allowOverrun },
});

describe('budget guard', () => {
  test('each phase over its ceiling carries an error naming the phase, cost, ceiling and biggest items; a phase within it does not', () => {
    const { phases } = synthPhases(tightBudget(false));
    const [p1, p2, p3] = phases;
    const errors = Annotations.fromStack(p3.stack).findError('*', Match.stringLikeRegexp('^Budget: '));
    expect(errors).toHaveLength(1);
    const message = errors[0].entry.data as string;
    expect(message).toMatch(
      /^Budget: Phase 3 \(100x\) projected 236,324 EUR\/month is above the ceiling of 160,000 EUR \(budget\.costPer1000PeakRps 2,000 EUR x 80k peak RPS\); biggest items: CloudFront requests [\d,]+ USD, WAF [\d,]+ USD, Aurora instances [\d,]+ USD\. .*budget\.allowOverrun: true/,
    );
    expect(p3.plan.cost.overrun).toBeDefined();
    expect(p1.plan.cost.overrun).toBeUndefined();
    expect(Annotations.fromStack(p1.stack).findError('*', Match.anyValue())).toHaveLength(0);
    expect(Annotations.fromStack(p2.stack).findError('*', Match.stringLikeRegexp('^Budget: Phase 2 \\(10x\\) projected 28,806 EUR/month is above the ceiling of 16,000 EUR'))).toHaveLength(1);
  });

  test('budget.allowOverrun: true turns the error into a warning', () => {
    const { phases } = synthPhases(tightBudget(true));
    const p3 = phases[2].stack;
    expect(Annotations.fromStack(p3).findError('*', Match.anyValue())).toHaveLength(0);
    expect(Annotations.fromStack(p3).findWarning('*', Match.stringLikeRegexp('^Budget: Phase 3 \\(100x\\) projected'))).toHaveLength(1);
  });

  test('the default model fits every ceiling', () => {
    for (const { plan, stack } of synthPhases().phases) {
      expect(plan.cost.totalUsd).toBeLessThan(plan.cost.ceilingUsd.value);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
    }
  });
});
