import * as fs from 'node:fs';
import * as path from 'node:path';
import { STATEFUL_RESOURCE_TYPES } from '../../lib/review/phase-diff';
import { synthesizedPhases } from '../support/synthesized-phases';

/**
 * The logical ids of stateful resources are a contract with every stack already deployed: a renamed construct id
 * (say `Database` -> `Db`) changes them in every phase at once, so phase-to-phase diffs stay clean while a live
 * stack would lose its database. stateful-baseline.json records the ids a deployed stack has; each phase must keep
 * every one of them (adding is fine: a new reader). Change the file only for a deliberate migration:
 * `UPDATE_STATEFUL_BASELINE=1 npx jest test/review/stateful-baseline.test.ts`, and say why in the PR.
 */
const BASELINE_FILE = path.join(__dirname, 'stateful-baseline.json');
type Baseline = Record<string, Record<string, string>>;

const { phases } = synthesizedPhases();
const current: Baseline = {};
for (const { stack, edge, secondaries } of phases) {
  for (const s of [stack, ...(edge ? [edge] : []), ...secondaries]) {
    const resources = s.template.Resources as Record<string, { Type: string }>;
    current[s.artifactId] = Object.fromEntries(
      Object.entries(resources).filter(([, r]) => STATEFUL_RESOURCE_TYPES.includes(r.Type)).map(([id, r]) => [id, r.Type]).sort(),
    );
  }
}

if (process.env.UPDATE_STATEFUL_BASELINE === '1') fs.writeFileSync(BASELINE_FILE, `${JSON.stringify(current, null, 2)}\n`);
const baseline: Baseline = JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8'));

/** What a deployed stack would lose: baseline ids missing (or of another type) now, with the likely cause. */
function lostStatefulResources(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.entries(before)
    .filter(([id, type]) => after[id] !== type)
    .map(([id, type]) => {
      const newOfType = Object.entries(after).filter(([newId, t]) => t === type && !(newId in before)).map(([newId]) => newId);
      return `${id} (${type}) is deployed but no longer in the template: CloudFormation would delete it` + (newOfType.length ? ` and create ${newOfType.join(', ')} instead (a renamed construct id?)` : '');
    });
}

describe('stateful logical ids of deployed stacks are kept', () => {
  test.each(Object.keys(baseline))('%s keeps every stateful resource of the baseline', (artifactId) => {
    expect(current[artifactId]).toBeDefined();
    expect(lostStatefulResources(baseline[artifactId], current[artifactId])).toEqual([]);
  });

  test('the baseline covers the database, its instances, the cache, secrets and keys of every phase', () => {
    for (const { stack } of phases) {
      const types = Object.values(baseline[stack.artifactId]);
      for (const type of ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::ElastiCache::ReplicationGroup', 'AWS::SecretsManager::Secret', 'AWS::KMS::Key']) {
        expect({ stack: stack.artifactId, type, present: types.includes(type) }).toEqual({ stack: stack.artifactId, type, present: true });
      }
    }
  });

  test('a rename is caught with the resource named (negative test)', () => {
    const renamed = Object.fromEntries(Object.entries(baseline.Phase2Stack).map(([id, type]) => [id.replace(/^Database/, 'Db'), type]));
    const lost = lostStatefulResources(baseline.Phase2Stack, renamed);
    expect(lost.some((l) => /^DatabaseF44359DD \(AWS::RDS::DBCluster\) is deployed but no longer in the template: .* \(a renamed construct id\?\)$/.test(l))).toBe(true);
  });
});
