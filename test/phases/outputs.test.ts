/**
 * Every name the report tells an operator to use is a stack output, in every phase: the runbook, the monitoring
 * section and the chaos instructions name output keys (lib/outputs.ts), and a key with no output would leave the
 * operator guessing.
 */
import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { OUTPUTS } from '../../lib/outputs';
import { renderMarkdown } from '../../lib/report/render-markdown';
import { buildReport } from '../../lib/report/report';
import { synthesizedPhases } from '../support/synthesized-phases';

const { phases } = synthesizedPhases(DEFAULT_MODEL);
const markdown = renderMarkdown(buildReport(parseCapacity(DEFAULT_MODEL)));
const EDGE_KEYS: string[] = [OUTPUTS.edgeTicketTopic];
/** Outputs of the write queue: only in the phases whose plan has a queue (and absent elsewhere). */
const QUEUE_KEYS: string[] = [OUTPUTS.writeQueueUrl, OUTPUTS.deadLetterQueueUrl, OUTPUTS.workerService];

/** Outputs only a phase whose cache runs in cluster mode has (the default model: phase 3). */
const CLUSTER_KEYS: string[] = [OUTPUTS.cacheClusterReplicationGroup, OUTPUTS.cacheClusterConfigurationEndpoint];
/** Outputs of a phase with secondary regions (the default model: phase 3): the global database, and each secondary's cluster ARN. */
const REGION_KEYS: string[] = [OUTPUTS.globalCluster, OUTPUTS.secondaryDbClusterArn];

describe.each(phases.map((p) => [p.plan.label, p] as const))('%s outputs', (_label, { plan, stack, edge, secondaries }) => {
  const regional = Object.keys(stack.template.Outputs ?? {});
  const edgeOutputs = Object.keys(edge!.template.Outputs ?? {});

  test.each(Object.entries(OUTPUTS).filter(([, key]) => !CLUSTER_KEYS.includes(key) && !REGION_KEYS.includes(key)))('%s (%s) is an output of the stack it belongs to', (_name, key) => {
    if (QUEUE_KEYS.includes(key) && !plan.queue) {
      expect(regional).not.toContain(key);
      return;
    }
    expect(EDGE_KEYS.includes(key) ? edgeOutputs : regional).toContain(key);
  });

  test('the cluster-mode cache outputs exist exactly when the plan has a cluster', () => {
    for (const key of CLUSTER_KEYS) expect(regional.includes(key)).toBe(plan.cache.clusterMode.value);
  });

  test('the global database output exists exactly with secondary regions, and each secondary has its cluster ARN', () => {
    const multiRegion = plan.regions.secondaries.value.length > 0;
    expect(regional.includes(OUTPUTS.globalCluster)).toBe(multiRegion);
    expect(secondaries).toHaveLength(plan.regions.secondaries.value.length);
    for (const s of secondaries) expect(Object.keys(s.template.Outputs ?? {})).toContain(OUTPUTS.secondaryDbClusterArn);
  });
});

test('the default model plans cluster mode in phase 3 only, so both branches above run', () => {
  expect(phases.map((p) => p.plan.cache.clusterMode.value)).toEqual([false, false, true]);
});

test('the report names the outputs an operator needs, and only existing ones', () => {
  // The runbook reads outputs with `$(out Key)`; the chaos steps say `<output Key>`.
  const referenced = [...markdown.matchAll(/\$\(out (\w+)\)|<output (\w+)>/g)].map((m) => m[1] ?? m[2]);
  expect(referenced.length).toBeGreaterThan(5);
  for (const key of referenced) expect(Object.values(OUTPUTS)).toContain(key);
  const named = Object.values(OUTPUTS).filter((key) => markdown.includes(key));
  expect(named).toEqual(expect.arrayContaining([OUTPUTS.ecsCluster, OUTPUTS.dbCluster, OUTPUTS.pageTopic, OUTPUTS.dashboard, OUTPUTS.chaosApiTasks, OUTPUTS.chaosDatabase, OUTPUTS.chaosCache]));
});
