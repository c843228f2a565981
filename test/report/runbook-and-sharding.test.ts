/**
 * The runbook can be followed (issue 12 item 6): every command has real values, none past a limit; and the database
 * section explains the shards and the queue with the model's words.
 */
import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { buildReport } from '../../lib/report/report';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';

const model = parseCapacity(DEFAULT_MODEL);
const report = buildReport(model);
const markdown = renderMarkdown(report);
const runbook = markdown.slice(markdown.indexOf('## 12. Runbook'));
const database = markdown.slice(markdown.indexOf('## 4. Database'), markdown.indexOf('## 5.'));

describe('the runbook', () => {
  test('never raises max tasks above policy.maxTasksPerService', () => {
    const raised = [...runbook.matchAll(/--max-capacity (\d+)/g)].map((m) => Number(m[1]));
    expect(raised.length).toBeGreaterThan(0);
    for (const max of raised) expect(max).toBeLessThanOrEqual(model.policy.maxTasksPerService);
  });

  test('never tells the operator to move to a class that is the current one (phase 3 runs the largest)', () => {
    const p3 = runbook.slice(runbook.indexOf('# Phase 3 (100x)'));
    expect(p3).not.toMatch(/move to the next class \(db\.r7g\.16xlarge\)/);
    expect(p3).toContain('db.r7g.16xlarge is the largest class, there is none to move to');
    for (const [, current, next] of runbook.matchAll(/--db-instance-class (\S+) --db-instance-identifier[\s\S]*?move to the next class \((\S+)\)/g)) {
      expect(next).not.toBe(current);
    }
  });

  test('names the shard map path, the queue URL output and the dead-letter redrive with real values', () => {
    expect(runbook).toContain('aws ssm get-parameters-by-path --path /order-management/shards --recursive');
    expect(runbook).toContain('WRITE_QUEUE_URL=$(out WriteQueueUrl)');
    expect(runbook).toContain('aws sqs get-queue-attributes --queue-url "$WRITE_QUEUE_URL"');
    expect(runbook).toContain('aws sqs start-message-move-task --source-arn "$DLQ_ARN"');
    expect(runbook).toMatch(/--resource-id "service\/\$CLUSTER\/\$WORKER_SERVICE" --min-capacity 13 --max-capacity 96/);
    expect(runbook).not.toMatch(/<N>|Phase<|TODO/);
  });
});

describe('the database section', () => {
  test('states the shard count and why, the migration and cross-shard reads, in the model words', () => {
    expect(database).toContain('**Sharding from Phase 3 (100x):** `orders` is split by hash of `customer_id` over 2 Aurora clusters');
    expect(database).toMatch(/Migration from 1 to 2 shards \(logical replication, then a per-range cut-over\)/);
    expect(database).toMatch(/Verify before and after each cut-over/);
    expect(database).toMatch(/Cross-shard reads:/);
    expect(database).toContain('/order-management/shards/<n>/proxy-endpoint');
  });

  test('states the queue rates and drain time from the plan', () => {
    const q = report.plans[2].queue!;
    expect(database).toContain(`**Write queue from Phase 3 (100x):** checkout fraud checks and confirmations (50 % of writes)`);
    expect(database).toContain(`Producer ${Math.round(q.producerRatePerSec.value).toLocaleString('en-US')} messages/s`);
    expect(database).toContain(`drained in ${Math.round(q.drainTimeSec.value / 60)} min`);
  });

  test('a model with other words never talks about orders or checkout', () => {
    const other = renderMarkdown(buildReport(parseCapacity(OFF_DEFAULT_MODEL)));
    const section = other.slice(other.indexOf('## 4. Database'), other.indexOf('## 5.'));
    expect(section).toContain('`tickets` is split by hash of `event_id`');
    expect(section).not.toMatch(/orders|checkout|customer_id/);
  });
});
