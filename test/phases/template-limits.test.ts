/**
 * CloudFormation's own limits on a template: 1 MB for a template the CLI uploads to S3 (cfn-lint's E1002 counts
 * 1,000,000 bytes of the file as synthesized) and 500 resources. A template over either cannot deploy at all.
 */
import * as fs from 'node:fs';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { DOMAIN_MODEL } from '../support/domain-model';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { NOTHING_TO_CACHE } from '../support/regional-model';
import { SynthesizedApp, synthesizedPhases } from '../support/synthesized-phases';

const MAX_TEMPLATE_BYTES = 1_000_000;
const MAX_RESOURCES = 500;

const stacksOf = ({ phases }: SynthesizedApp) => phases.flatMap((p) => [p.stack, ...(p.edge ? [p.edge] : []), ...p.secondaries]);
const sizes = (app: SynthesizedApp) =>
  stacksOf(app).map((s) => ({ stack: s.artifactId, bytes: fs.statSync(s.templateFile).size, resources: Object.keys(s.template.Resources).length }));

test.each([
  ['the embedded model', DEFAULT_MODEL],
  ['a REGIONAL model', NOTHING_TO_CACHE],
  ['a model with a domain', DOMAIN_MODEL],
] as const)('%s: every template is within 1 MB and 500 resources', (_name, model) => {
  const all = sizes(synthesizedPhases(model));
  expect(all.length).toBeGreaterThanOrEqual(4);
  // The stacks over a limit, with their numbers (none).
  expect(all.filter((s) => s.bytes > MAX_TEMPLATE_BYTES || s.resources > MAX_RESOURCES)).toEqual([]);
});

/**
 * KNOWN BUG (pinned: this passes while the bug exists and fails once it is fixed; then drop `.failing`).
 * The off-default model's phase 3 runs its cache in cluster mode with 38 shards of 5 nodes: three alarms per shard
 * (hit rate, memory, evictions; 111 alarms, ~510 KB, each naming every node's metrics) and a dashboard graph per
 * alarm (~235 KB) take its template to ~1.05 MB, which CloudFormation refuses. A fix: one SEARCH-based dashboard
 * graph per cache metric instead of one per shard, and per-shard alarms that name fewer metrics, or a nested stack
 * for the per-shard monitoring; and a synthesis-time check of the limits.
 */
test.failing("the off-default model's templates are within 1 MB", () => {
  expect(sizes(synthesizedPhases(OFF_DEFAULT_MODEL)).filter((s) => s.bytes > MAX_TEMPLATE_BYTES)).toEqual([]);
});
