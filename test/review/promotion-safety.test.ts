/**
 * Promoting a phase (`cdk deploy Phase2Stack` on the stack running Phase 1) must never replace or remove a stateful
 * resource. Checked with AWS's own diff engine (the code behind `cdk diff`) on the synthesized templates.
 */
import { App } from 'aws-cdk-lib';
import { DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import {
  CfnTemplate,
  diffPhaseTemplates,
  PhaseDiff,
  ResourceChange,
  STATEFUL_RESOURCE_TYPES,
  statefulViolations,
  unprotectedStatefulResources,
} from '../../lib/review/phase-diff';
import { addPhaseStacks } from '../../phases/app';
import { synthesizedPhases } from '../support/synthesized-phases';
import { cdkJsonContext } from '../support/test-stack';

const { phases } = synthesizedPhases(DEFAULT_MODEL);
const templates = phases.map(({ plan, stack, edge }) => ({
  plan,
  regional: stack.template as CfnTemplate,
  edge: edge!.template as CfnTemplate,
}));

const promotions = [0, 1].flatMap((i) =>
  (['regional', 'edge'] as const).map((kind) => {
    const [from, to] = [templates[i], templates[i + 1]];
    return {
      name: `${from.plan.label} -> ${to.plan.label}, ${kind} stack`,
      from,
      to,
      kind,
      diff: diffPhaseTemplates(from[kind], to[kind]),
    };
  }),
);

/** The changed resource with this logical id (fails the test if the diff does not list it). */
function resource(diff: PhaseDiff, logicalId: string): ResourceChange {
  const found = diff.resources.find((r) => r.logicalId === logicalId);
  if (!found) throw new Error(`the diff does not list ${logicalId}`);
  return found;
}

function logicalIdsOfType(template: CfnTemplate, type: string): string[] {
  return Object.entries(template.Resources).filter(([, r]: [string, any]) => r.Type === type).map(([id]) => id);
}

/** A copy of `template` in which `oldId` is called `newId` everywhere (its key and every Ref/GetAtt/DependsOn). */
function renameLogicalId(template: CfnTemplate, oldId: string, newId: string): CfnTemplate {
  return JSON.parse(JSON.stringify(template).split(oldId).join(newId));
}

/** Whether the promotion adds shards or the write queue (then new grants for the new resources are expected). */
const addsTiers = (p: (typeof promotions)[number]) =>
  p.kind === 'regional' && (p.to.plan.sharding.shards.value > p.from.plan.sharding.shards.value || (!!p.to.plan.queue && !p.from.plan.queue));

describe.each(promotions.map((p) => [p.name, p] as const))('%s', (_name, promotion) => {
  const { diff } = promotion;
  test('replaces and removes no stateful resource', () => {
    // On failure, the lines name the resource, its type, the impact and the property that forces it.
    expect(statefulViolations(diff)).toEqual([]);
  });

  test('broadens no permission and changes no IAM statement or security-group rule (beyond grants on the shards and queue it adds)', () => {
    if (!addsTiers(promotion)) {
      expect(diff.security).toEqual(expect.objectContaining({ iamChanged: false, securityGroupsChanged: false, permissionsBroadened: false }));
      return;
    }
    // Phase 2 -> 3 adds shards and the write queue: every added statement and rule names a resource added by this
    // promotion (the new shard's proxy, the queue and its key, the worker service); nothing existing is widened or removed.
    const addedIds = diff.resources.filter((r) => r.action === 'added').map((r) => r.logicalId);
    const namesAdded = (text: string) => addedIds.some((id) => text.includes(id));
    // The engine renders a policy that gained a principal or statement as statements removed and added: a removed
    // statement must come back with the same effect, actions, resources and condition, for at least its principals.
    const { statements } = diff.security;
    const key = (st: (typeof statements)[number]) => JSON.stringify([st.effect, st.actions, st.condition]);
    const within = (part: string, whole: string) => part.split('\n').every((line) => whole.split('\n').includes(line));
    const added = statements.filter((st) => st.change === 'added');
    const keptStatement = (removed: (typeof statements)[number]) =>
      added.some((a) => key(a) === key(removed) && within(removed.principals, a.principals) && within(removed.resources, a.resources));
    const reAdded = (a: (typeof statements)[number]) =>
      statements.some((r) => r.change === 'removed' && key(r) === key(a) && r.principals === a.principals && r.resources === a.resources);
    expect(statements.filter((st) => st.change === 'removed' && !keptStatement(st))).toEqual([]);
    expect(diff.security.managedPolicies.filter((m) => !namesAdded(m.identity))).toEqual([]);
    expect(added.filter((st) => !reAdded(st) && !namesAdded(`${st.resources} ${st.principals}`))).toEqual([]);
    expect(diff.security.securityGroupRules.filter((r) => r.change === 'removed' || !namesAdded(`${r.group} ${r.peer}`))).toEqual([]);
  });

  test('removes nothing, and only the task definition is replaced (a new revision: ECS rolls the stateless tasks)', () => {
    expect(diff.resources.filter((r) => r.action === 'removed')).toEqual([]);
    for (const r of diff.resources.filter((x) => x.action === 'replaced' || x.action === 'may-be-replaced')) {
      expect(r.type).toBe('AWS::ECS::TaskDefinition');
    }
  });
});

describe('the diff engine reports the planned promotion changes', () => {
  const regional = (i: number) => promotions.find((p) => p.kind === 'regional' && p.from === templates[i])!;

  const steps = [['Phase 1 -> 2', 0], ['Phase 2 -> 3', 1]] as const;

  test.each(steps)('%s: every Aurora instance is resized in place (DBInstanceClass modified, no replacement)', (_step, i) => {
    const { from, to, diff } = regional(i);
    const instances = logicalIdsOfType(from.regional, 'AWS::RDS::DBInstance');
    expect(instances.length).toBe(1 + from.plan.sharding.shardZeroReaders.value);
    for (const id of instances) {
      const change = resource(diff, id);
      expect(change.action).toBe('modified');
      expect(change.properties.find((p) => p.property === 'DBInstanceClass')).toEqual(expect.objectContaining({
        oldValue: from.plan.database.instanceClass.value,
        newValue: to.plan.database.instanceClass.value,
        causesReplacement: false,
      }));
    }
  });

  test.each(steps)('%s: the service scaling target gets the new max tasks', (_step, i) => {
    const { from, to, diff } = regional(i);
    const [target] = logicalIdsOfType(from.regional, 'AWS::ApplicationAutoScaling::ScalableTarget');
    const change = resource(diff, target);
    expect(change.action).toBe('modified');
    expect(change.properties.find((p) => p.property === 'MaxCapacity')).toEqual(expect.objectContaining({
      oldValue: from.plan.api.maxTasks.value,
      newValue: to.plan.api.maxTasks.value,
      causesReplacement: false,
    }));
  });

  test('Phase 2 -> Phase 3 adds a third reader to shard 0, a second shard, the write queue and its workers, the cluster-mode cache beside the old one, its per-shard alarms and the global database; stateful ones only as new resources', () => {
    const { from, to, diff } = regional(1);
    expect(to.plan.sharding.shardZeroReaders.value - from.plan.sharding.shardZeroReaders.value).toBe(1);
    const added = diff.resources.filter((r) => r.action === 'added');
    const addedOf = (type: string) => added.filter((r) => r.type === type).map((r) => r.logicalId);
    const [shard0] = logicalIdsOfType(from.regional, 'AWS::RDS::DBCluster');
    const shard0Instances = addedOf('AWS::RDS::DBInstance').filter((id) => JSON.stringify(to.regional.Resources[id].Properties.DBClusterIdentifier) === JSON.stringify({ Ref: shard0 }));
    expect(shard0Instances).toHaveLength(1);
    expect(addedOf('AWS::RDS::DBCluster')).toHaveLength(to.plan.sharding.shards.value - 1);
    expect(addedOf('AWS::RDS::DBInstance')).toHaveLength(1 + (to.plan.sharding.shards.value - 1) * (1 + to.plan.database.readers.value));
    expect(addedOf('AWS::SQS::Queue')).toHaveLength(2);
    expect(addedOf('AWS::ECS::Service')).toHaveLength(1);
    // Cluster mode cannot be reached in place (ReplicasPerNodeGroup is create-only): a new group, its parameter and
    // subnet groups and slow log (key, token and security group are the old group's), and the shards' extra alarms.
    expect(to.plan.cache.clusterMode.value).toBe(true);
    const cluster = added.filter((r) => r.logicalId.startsWith('ClusterCache'));
    expect(cluster.map((r) => r.type).sort()).toEqual([
      'AWS::ElastiCache::ParameterGroup', 'AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::SubnetGroup', 'AWS::Logs::LogGroup',
    ]);
    const shardAlarms = added.filter((r) => /^SloCache\w+Shard\d/.test(r.logicalId));
    expect(shardAlarms).toHaveLength(3 * (to.plan.cache.shards.value - 1));
    // The default model's second region comes in phase 3: the cluster becomes a global database's primary, adopted by
    // an AWS::RDS::GlobalCluster (SourceDBClusterIdentifier): the DBCluster itself is only tagged.
    expect(addedOf('AWS::RDS::GlobalCluster')).toHaveLength(to.plan.regions.secondaries.value.length > 0 ? 1 : 0);
    expect(statefulViolations(diff)).toEqual([]); // added stateful resources are fine
  });

  test('the cluster and the cache keep their identity: only tags or in-place properties change', () => {
    for (const i of [0, 1]) {
      const { from, diff } = regional(i);
      for (const type of ['AWS::RDS::DBCluster', 'AWS::ElastiCache::ReplicationGroup']) {
        const [id] = logicalIdsOfType(from.regional, type);
        const change = resource(diff, id);
        expect(change.action).toBe('modified');
        expect(change.properties.filter((p) => p.causesReplacement)).toEqual([]);
      }
    }
  });

  test('the cost tags change on every tagged resource and are reported as churn, not as changes', () => {
    for (const { diff, from, to } of promotions) {
      expect(diff.tagChurn.map((t) => t.key).sort()).toEqual(['phase', 'projected-monthly-cost-usd']);
      expect(diff.tagChurn.find((t) => t.key === 'phase')!.values).toEqual([[String(from.plan.phase), String(to.plan.phase)]]);
      expect(diff.counts.tagOnly).toBeGreaterThan(0);
      for (const r of diff.resources) expect(r.properties.map((p) => p.property)).not.toContain('Tags');
    }
  });
});

describe('stateful resources are kept when deleted or replaced', () => {
  /**
   * Stateful resources CDK leaves with DeletionPolicy/UpdateReplacePolicy Delete, and why that is acceptable.
   * Each must be in use (a stale exception fails) and nothing else may be unprotected.
   */
  const EXCEPTIONS: Record<string, string> = {
    'AWS::RDS::DBInstance': "Aurora instances hold no data of their own: the cluster volume does, and the cluster's Snapshot policy keeps it",
    'AWS::EC2::VPC': 'no data: it is checked for replacement (which would take the database with it), but a retained VPC would only leak',
  };

  test.each(templates.flatMap((t) => [[`${t.plan.label} regional`, t.regional], [`${t.plan.label} edge`, t.edge]] as const))(
    '%s: Snapshot or Retain on every stateful resource, except the listed types',
    (_label, template) => {
      const unprotected = unprotectedStatefulResources(template);
      const excepted = Object.keys(EXCEPTIONS).flatMap((type) => logicalIdsOfType(template, type));
      expect(unprotected.filter((r) => !(r.type in EXCEPTIONS))).toEqual([]);
      expect(unprotected.map((r) => r.logicalId).sort()).toEqual(excepted.sort());
    },
  );

  test('each exception is used: the regional templates have DB instances and a VPC', () => {
    for (const t of templates) {
      for (const type of Object.keys(EXCEPTIONS)) expect(logicalIdsOfType(t.regional, type).length).toBeGreaterThan(0);
    }
  });

  test('the stateful types the check covers are all in the templates (the list is not stale)', () => {
    const types = new Set(templates.flatMap((t) => [t.regional, t.edge]).flatMap((t) => Object.values(t.Resources).map((r: any) => r.Type)));
    expect(STATEFUL_RESOURCE_TYPES.filter((type) => !types.has(type))).toEqual([]);
  });
});

describe('the check catches unsafe promotions (negative tests)', () => {
  const [phase1, phase2] = templates;
  const clusterId = logicalIdsOfType(phase2.regional, 'AWS::RDS::DBCluster')[0];
  const writerId = Object.entries(phase2.regional.Resources)
    .find(([, r]: [string, any]) => r.Type === 'AWS::RDS::DBInstance' && r.Properties.PromotionTier === 0)![0];

  test('a renamed Aurora construct id (new logical id) removes the cluster and replaces the writer', () => {
    const renamed = renameLogicalId(phase2.regional, clusterId, 'DbRenamed0A1B2C3D');
    const violations = statefulViolations(diffPhaseTemplates(phase1.regional, renamed));
    expect(violations).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^${clusterId} \\(AWS::RDS::DBCluster\\) would be REMOVED \\(WILL_DESTROY.*adds DbRenamed0A1B2C3D`)),
      expect.stringMatching(new RegExp(`^${writerId} \\(AWS::RDS::DBInstance\\) would be REPLACED: DBClusterIdentifier !Ref ${clusterId} -> !Ref DbRenamed0A1B2C3D forces replacement`)),
    ]));
  });

  test('a synthesized Phase 2 whose cluster has another logical id (as a renamed construct id gives it) is caught', () => {
    // A real synthesis, not edited JSON: CDK resolves every reference to the renamed cluster.
    const app = new App({ context: cdkJsonContext() });
    const model = parseCapacity(DEFAULT_MODEL);
    const variant = addPhaseStacks(app, model, planModel(model))[1].stack;
    variant.renameLogicalId(clusterId, 'DbF00D1234');
    const template = app.synth().getStackArtifact(variant.artifactId).template;
    const violations = statefulViolations(diffPhaseTemplates(phase1.regional, template));
    expect(violations[0]).toMatch(new RegExp(`^${clusterId} \\(AWS::RDS::DBCluster\\) would be REMOVED \\(WILL_DESTROY: DeletionPolicy Snapshot\\).*adds DbF00D1234`));
    expect(violations).toContain(
      `${writerId} (AWS::RDS::DBInstance) would be REPLACED: DBClusterIdentifier !Ref ${clusterId} -> !Ref DbF00D1234 forces replacement`,
    );
  });

  test('a property that forces replacement is named, with its old and new values', () => {
    const changed = structuredClone(phase2.regional);
    changed.Resources[clusterId].Properties.DatabaseName = 'orders';
    const violations = statefulViolations(diffPhaseTemplates(phase1.regional, changed));
    expect(violations).toContain(`${clusterId} (AWS::RDS::DBCluster) would be REPLACED: DatabaseName "app" -> "orders" forces replacement`);
    // The engine propagates the replacement to the instances that reference the cluster.
    expect(violations).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${writerId} \\(AWS::RDS::DBInstance\\) would be REPLACED`))]));
  });

  test('a cache moved to another subnet group would be replaced', () => {
    const cacheId = logicalIdsOfType(phase2.regional, 'AWS::ElastiCache::ReplicationGroup')[0];
    const changed = structuredClone(phase2.regional);
    changed.Resources[cacheId].Properties.CacheSubnetGroupName = 'another-group';
    const violations = statefulViolations(diffPhaseTemplates(phase1.regional, changed));
    expect(violations).toEqual([expect.stringMatching(new RegExp(`^${cacheId} \\(AWS::ElastiCache::ReplicationGroup\\) would be REPLACED: CacheSubnetGroupName !Ref \\w+ -> "another-group" forces replacement$`))]);
  });

  test('dropping the Snapshot policy of the cluster is reported', () => {
    const changed = structuredClone(phase2.regional);
    changed.Resources[clusterId].DeletionPolicy = 'Delete';
    expect(statefulViolations(diffPhaseTemplates(phase1.regional, changed))).toEqual([
      `${clusterId} (AWS::RDS::DBCluster) would lose its data protection: DeletionPolicy "Snapshot" -> "Delete"`,
    ]);
  });

  test('removing a retained log group is reported as orphaned', () => {
    const [logGroup] = logicalIdsOfType(phase2.edge, 'AWS::Logs::LogGroup');
    const changed = structuredClone(phase2.edge);
    delete changed.Resources[logGroup];
    for (const r of Object.values(changed.Resources) as any[]) {
      if (JSON.stringify(r).includes(logGroup)) r.Properties = JSON.parse(JSON.stringify(r.Properties).split(logGroup).join('elsewhere'));
    }
    expect(statefulViolations(diffPhaseTemplates(phase1.edge, changed))).toEqual([
      expect.stringMatching(new RegExp(`^${logGroup} \\(AWS::Logs::LogGroup\\) would be REMOVED from the stack \\(WILL_ORPHAN`)),
    ]);
  });
});
