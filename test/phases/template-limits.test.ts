/**
 * CloudFormation's own limits on a template: 1 MB for a template the CLI uploads to S3 (cfn-lint's E1002 counts
 * 1,000,000 bytes of the file as synthesized) and 500 resources. A template over either cannot deploy at all.
 */
import * as fs from 'node:fs';
import { DEFAULT_MODEL } from '../../lib/capacity';
import { DOMAIN_MODEL } from '../support/domain-model';
import { OFF_DEFAULT_MODEL } from '../support/off-default-model';
import { NOTHING_TO_CACHE } from '../support/regional-model';
import { MAX_GRAPHED_SHARDS } from '../../phases/monitoring';
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

test("the off-default model's phase 3 (38 cache shards, 114 per-shard alarms) fits: its per-shard alarms are status lines, not graphs", () => {
  const { phases } = synthesizedPhases(OFF_DEFAULT_MODEL);
  const p3 = phases[2];
  expect(p3.plan.cache.shards.value).toBeGreaterThan(MAX_GRAPHED_SHARDS);
  expect(sizes(synthesizedPhases(OFF_DEFAULT_MODEL)).filter((s) => s.bytes > MAX_TEMPLATE_BYTES || s.resources > MAX_RESOURCES)).toEqual([]);
  const [dashboard] = Object.values(p3.stack.template.Resources as Record<string, { Type: string; Properties: any }>).filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
  // The body is an Fn::Join of JSON text and tokens (alarm ARNs, inside JSON strings): a placeholder keeps it JSON.
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const widgets = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join('')).widgets as Array<{ type: string; properties: any }>;
  const titles = widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title as string);
  // No cache graph at all (38 shards is over MAX_GRAPHED_SHARDS); the database and API graphs stay.
  expect(titles.filter((t) => /^Cache/.test(t))).toEqual([]);
  expect(titles).toContain('DbWriterCpuPct');
  // Every per-shard alarm is a line of the alarm-status widget: 3 signals x 38 shards.
  const [status] = widgets.filter((w) => w.type === 'alarm');
  expect(status.properties.alarms.length).toBeGreaterThanOrEqual(3 * p3.plan.cache.shards.value);
});
