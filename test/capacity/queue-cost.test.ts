import { DEFAULT_MODEL, HOURS_PER_MONTH, parseCapacity, planModel, pricesFor, USAGE_ASSUMPTIONS } from '../../lib/capacity';
import type { PhasePlan } from '../../lib/capacity';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';

/**
 * SQS is billed where a phase has the write queue: the producer's messages over the month x requests per message
 * (send, receive, delete, unbatched) x the region's Standard-queue price per million requests.
 */
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** The month's messages, recomputed from the plan: the design-peak producer scaled to the month's average load. */
function expectedMessages(plan: PhasePlan, model: ReturnType<typeof parseCapacity>): number {
  const { traffic } = plan;
  const flashHours = model.peakPattern.flashSaleHoursPerMonth;
  const requests = traffic.baselineRps.value * SECONDS_PER_MONTH + (traffic.flashSaleRps.value - traffic.baselineRps.value) * Math.max(0, flashHours) * 3600;
  return plan.queue!.producerRatePerSec.value * (requests / traffic.designPeakRps.value);
}

describe.each([
  ['the default model', DEFAULT_MODEL],
  ['the off-default model', OFF_DEFAULT_MODEL],
])('SQS cost line, %s', (_name, input) => {
  const model = parseCapacity(input);
  const plans = planModel(model);
  const price = pricesFor(model.aws.region).sqs.standardRequestsPerMillion;

  test('a phase with a queue has one SQS line; a phase without none', () => {
    expect(plans.some((p) => p.queue)).toBe(true);
    for (const plan of plans) {
      const lines = plan.cost.lines.filter((l) => l.item === 'SQS requests');
      expect({ phase: plan.phase, lines: lines.length }).toEqual({ phase: plan.phase, lines: plan.queue ? 1 : 0 });
    }
  });

  test('messages x 3 requests (send, receive, delete) x the price per million, and the basis says so', () => {
    for (const plan of plans.filter((p) => p.queue)) {
      const line = plan.cost.lines.find((l) => l.item === 'SQS requests')!;
      const messages = expectedMessages(plan, model);
      expect(messages).toBeGreaterThan(1e6);
      expect(line.usd).toBeCloseTo((messages * 3 / 1e6) * price, 6);
      expect(line.basis).toMatch(/ M messages \(producer .*\/s at the design peak x .* average load x 2,628,000 s\) x 3 requests \(send, receive, delete, unbatched\) x 0\.4 USD per M$/);
      // The line is part of the total.
      expect(plan.cost.totalUsd).toBeCloseTo(plan.cost.lines.reduce((sum, l) => sum + l.usd, 0), 6);
    }
  });
});

test('the assumption is stated once, where the cost model keeps its assumptions', () => {
  expect(USAGE_ASSUMPTIONS.sqsRequestsPerMessage).toBe(3);
});

test('every priced region has an SQS Standard price', () => {
  for (const region of ['eu-central-1', 'us-east-1', 'us-west-2', 'eu-west-1']) expect(pricesFor(region).sqs.standardRequestsPerMillion).toBe(0.4);
});
