/**
 * What promoting a phase changes, as AWS's own diff engine (`fullDiff` from `@aws-cdk/cloudformation-diff`, the code
 * behind `cdk diff`) sees it: one phase template deployed onto the stack that runs the previous one.
 *
 * Templates in, plain data out: no CDK app is built here. `@aws-cdk/cloudformation-diff` is a devDependency, so only
 * scripts and tests import this module (lib/index.ts does not export it).
 */
import { fullDiff, ResourceImpact, type ResourceDifference, type TemplateDiff } from '@aws-cdk/cloudformation-diff';
import { formatValue, leafChanges, type LeafChange } from './values';

export { ResourceImpact } from '@aws-cdk/cloudformation-diff';

/** A CloudFormation template as JSON. */
export type CfnTemplate = Record<string, any>;

/**
 * Resource types whose replacement or removal loses data, credentials or history, or takes everything inside down:
 *
 * - `AWS::RDS::DBCluster`, `AWS::RDS::DBInstance`: the database (the writer; readers are added freely, and a reader
 *   removed or replaced is a failover target lost, so it is flagged too: that must be a deliberate, reviewed act).
 * - `AWS::ElastiCache::ReplicationGroup`: the cache, its data and its endpoints.
 * - `AWS::SecretsManager::Secret`: a new secret is a new password / AUTH token, which the running tasks do not have.
 * - `AWS::KMS::Key`: a new key cannot decrypt what the old one encrypted (snapshots, secrets).
 * - `AWS::S3::Bucket`: the access-log buckets (ALB, CloudFront): audit history.
 * - `AWS::Logs::LogGroup`: flow logs, application and slow logs, WAF logs: history a new group does not have.
 * - `AWS::EC2::VPC`: holds no data itself, but a replaced VPC replaces every subnet, subnet group and security group
 *   in it, and with them the database cluster and the cache (their subnet groups cannot move between VPCs). The
 *   engine propagates replacements only through references it can see, so the VPC is checked directly.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::ElastiCache::ReplicationGroup',
  'AWS::SecretsManager::Secret',
  'AWS::KMS::Key',
  'AWS::S3::Bucket',
  'AWS::Logs::LogGroup',
  'AWS::EC2::VPC',
];

/**
 * Tags whose values change on every promotion (the phase's cost-allocation tags, see phases/cost-tags.ts): a change
 * to only these is churn, summarized once instead of listed per resource.
 */
export const DEFAULT_CHURN_TAG_KEYS: readonly string[] = ['phase', 'projected-monthly-cost-usd'];

/**
 * What happens to a resource:
 * - `added`: created;
 * - `modified`: updated in place;
 * - `replaced`: a new physical resource is created and the old one deleted (`WILL_REPLACE`);
 * - `may-be-replaced`: replaced depending on the values (`MAY_REPLACE`);
 * - `removed`: deleted (`WILL_DESTROY`), or left behind unmanaged if its DeletionPolicy is Retain (`WILL_ORPHAN`).
 */
export type ResourceAction = 'added' | 'modified' | 'replaced' | 'may-be-replaced' | 'removed';

/** A changed property of a resource. */
export interface PropertyChange {
  /** The top-level property, e.g. `DBInstanceClass`. */
  readonly property: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
  /** The engine's impact of this property change (from the CloudFormation resource spec). */
  readonly impact: ResourceImpact;
  /** The change replaces the resource (`WILL_REPLACE`) or may (`MAY_REPLACE`). */
  readonly causesReplacement: boolean;
  /** Where inside the property the values differ (for a scalar property, the property itself). */
  readonly leaves: readonly LeafChange[];
}

/** A changed resource attribute outside `Properties`: DeletionPolicy, UpdateReplacePolicy, DependsOn, Metadata... */
export interface AttributeChange {
  readonly attribute: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

/** One resource the deployment touches. */
export interface ResourceChange {
  readonly logicalId: string;
  /** The resource type (the new one if it changed). */
  readonly type: string;
  readonly action: ResourceAction;
  /** The engine's impact for the whole resource. */
  readonly impact: ResourceImpact;
  /** Property changes, not counting churn tags (see `tagChurn`). */
  readonly properties: readonly PropertyChange[];
  readonly attributes: readonly AttributeChange[];
  /** Only churn tags change on this resource (it is counted, not listed). */
  readonly tagOnly: boolean;
  /** The resource's churn tags change (alone or with other changes). */
  readonly tagChurn: boolean;
  /** The type changed (CloudFormation replaces the resource). */
  readonly typeChanged: boolean;
  readonly stateful: boolean;
  /** DeletionPolicy / UpdateReplacePolicy before and after (`undefined`: not set, i.e. Delete). */
  readonly policies: {
    readonly deletion: readonly [string | undefined, string | undefined];
    readonly updateReplace: readonly [string | undefined, string | undefined];
  };
}

/** A churn tag's values across the resources it changes on. */
export interface TagChurn {
  readonly key: string;
  /** Distinct `old → new` pairs, e.g. `[['1', '2']]`. */
  readonly values: ReadonlyArray<readonly [string, string]>;
}

/** A rendered IAM statement (the engine's rendering). */
export interface IamStatementChange {
  readonly change: 'added' | 'removed';
  readonly effect: string;
  readonly actions: string;
  readonly resources: string;
  readonly principals: string;
  readonly condition: string;
  /** Allow added or Deny removed: this statement widens what someone may do. */
  readonly broadens: boolean;
}

/** A managed policy attached to or detached from an identity. */
export interface ManagedPolicyChange {
  readonly change: 'added' | 'removed';
  readonly identity: string;
  readonly policy: string;
}

/** A security-group rule added or removed. */
export interface SecurityGroupRuleChange {
  readonly change: 'added' | 'removed';
  readonly direction: 'ingress' | 'egress';
  readonly group: string;
  readonly protocol: string;
  readonly peer: string;
}

/** Security-relevant changes, from the engine's IAM and security-group analysis. */
export interface SecurityChanges {
  /** Any IAM statement or managed policy changes. */
  readonly iamChanged: boolean;
  /** Any security-group rule changes. */
  readonly securityGroupsChanged: boolean;
  /** The engine's verdict: Allow statements or managed policies added, Deny removed, or security-group rules added. */
  readonly permissionsBroadened: boolean;
  readonly statements: readonly IamStatementChange[];
  readonly managedPolicies: readonly ManagedPolicyChange[];
  readonly securityGroupRules: readonly SecurityGroupRuleChange[];
}

/** A changed output, or the stack description. */
export interface ValueChange {
  readonly name: string;
  readonly oldValue: unknown;
  readonly newValue: unknown;
}

/** Resource counts of a diff. Tag-only resources count only in `tagOnly`. */
export interface DiffCounts {
  readonly added: number;
  readonly modified: number;
  /** `replaced` plus `may-be-replaced`. */
  readonly replaced: number;
  readonly mayBeReplaced: number;
  readonly removed: number;
  readonly tagOnly: number;
}

/** The change from one template to the next, deployed onto the same stack. */
export interface PhaseDiff {
  /** Every changed resource, most dangerous first (replaced, removed, added, modified, tag-only), then by logical id. */
  readonly resources: readonly ResourceChange[];
  readonly counts: DiffCounts;
  /** The churn tag keys that changed, with their values. */
  readonly tagChurn: readonly TagChurn[];
  readonly security: SecurityChanges;
  readonly outputs: readonly ValueChange[];
  readonly description?: ValueChange;
  /** Parameters, conditions, mappings and other template sections that changed (by section name). */
  readonly otherSections: readonly string[];
}

/** Options of {@link diffPhaseTemplates}. */
export interface PhaseDiffOptions {
  /** Tag keys whose changes are churn. Default {@link DEFAULT_CHURN_TAG_KEYS}. */
  readonly churnTagKeys?: readonly string[];
  /** Types checked by {@link statefulViolations}, flagged `stateful` here. Default {@link STATEFUL_RESOURCE_TYPES}. */
  readonly statefulTypes?: readonly string[];
}

/** CDK's version-reporting resource: its analytics string changes with the CDK release, not with the phase. */
const IGNORED_TYPES = ['AWS::CDK::Metadata'];

const ACTION_ORDER: Record<ResourceAction, number> = { replaced: 0, 'may-be-replaced': 1, removed: 2, added: 3, modified: 4 };

function isReplacement(impact: ResourceImpact | undefined): boolean {
  return impact === ResourceImpact.WILL_REPLACE || impact === ResourceImpact.MAY_REPLACE;
}

function withoutIgnored(template: CfnTemplate): CfnTemplate {
  const resources = Object.fromEntries(Object.entries(template.Resources ?? {}).filter(([, r]) => !IGNORED_TYPES.includes((r as any)?.Type)));
  return { ...template, Resources: resources };
}

/**
 * Diffs `oldTemplate` (what the stack runs) against `newTemplate` (what the next phase deploys) with `fullDiff`, the
 * engine `cdk diff` uses, including its replacement analysis (per property, from the CloudFormation resource spec,
 * and propagated to resources that reference a replaced one).
 */
export function diffPhaseTemplates(oldTemplate: CfnTemplate, newTemplate: CfnTemplate, options: PhaseDiffOptions = {}): PhaseDiff {
  const churnKeys = options.churnTagKeys ?? DEFAULT_CHURN_TAG_KEYS;
  const statefulTypes = options.statefulTypes ?? STATEFUL_RESOURCE_TYPES;
  const diff = fullDiff(withoutIgnored(oldTemplate), withoutIgnored(newTemplate));

  const churn = new Map<string, Map<string, [string, string]>>();
  const resources: ResourceChange[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    if (!change.isDifferent) return;
    resources.push(resourceChange(logicalId, change, churnKeys, statefulTypes, churn));
  });
  resources.sort((a, b) => rank(a) - rank(b) || a.logicalId.localeCompare(b.logicalId));

  const count = (action: ResourceAction) => resources.filter((r) => r.action === action && !r.tagOnly).length;
  const counts: DiffCounts = {
    added: count('added'),
    modified: count('modified'),
    replaced: count('replaced') + count('may-be-replaced'),
    mayBeReplaced: count('may-be-replaced'),
    removed: count('removed'),
    tagOnly: resources.filter((r) => r.tagOnly).length,
  };

  const outputs = Object.entries(diff.outputs.changes)
    .filter(([, d]) => d.isDifferent)
    .map(([name, d]) => ({ name, oldValue: d.oldValue, newValue: d.newValue }));
  const description = diff.description?.isDifferent
    ? { name: 'Description', oldValue: diff.description.oldValue, newValue: diff.description.newValue }
    : undefined;
  const otherSections = (['awsTemplateFormatVersion', 'transform', 'conditions', 'mappings', 'metadata', 'parameters', 'unknown'] as const).filter((section) => {
    const d = diff[section];
    return d !== undefined && ('differenceCount' in d ? d.differenceCount > 0 : d.isDifferent);
  });

  return {
    resources,
    counts,
    tagChurn: [...churn.entries()].map(([key, pairs]) => ({ key, values: [...pairs.values()] })),
    security: securityChanges(diff),
    outputs,
    description,
    otherSections,
  };
}

function rank(r: ResourceChange): number {
  return r.tagOnly ? 10 : ACTION_ORDER[r.action];
}

function resourceChange(
  logicalId: string,
  change: ResourceDifference,
  churnKeys: readonly string[],
  statefulTypes: readonly string[],
  churn: Map<string, Map<string, [string, string]>>,
): ResourceChange {
  const impact = change.changeImpact;
  const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
  const action: ResourceAction = change.isAddition
    ? 'added'
    : change.isRemoval
      ? 'removed'
      : impact === ResourceImpact.WILL_REPLACE
        ? 'replaced'
        : impact === ResourceImpact.MAY_REPLACE
          ? 'may-be-replaced'
          : 'modified';

  let tagChurn = false;
  const properties: PropertyChange[] = [];
  if (change.isUpdate) {
    for (const [property, d] of Object.entries(change.propertyUpdates)) {
      const causesReplacement = isReplacement(d.changeImpact);
      let leaves = leafChanges(d.oldValue, d.newValue, [{ prop: property }]);
      if (property === 'Tags' && !causesReplacement) {
        // `Tags[phase]` (a Key/Value list) or `Tags.phase` (a map): the tag key is the second segment.
        const tagKey = (leaf: LeafChange) => {
          const seg = leaf.segments.length === 2 ? leaf.segments[1] : undefined;
          return seg && ('key' in seg ? seg.key : 'prop' in seg ? seg.prop : undefined);
        };
        const isChurn = (leaf: LeafChange) => churnKeys.includes(tagKey(leaf) ?? '');
        for (const leaf of leaves.filter(isChurn)) {
          tagChurn = true;
          const key = tagKey(leaf)!;
          const pair: [string, string] = [formatValue(leaf.oldValue), formatValue(leaf.newValue)];
          const pairs = churn.get(key) ?? new Map<string, [string, string]>();
          pairs.set(pair.join('\u0000'), pair);
          churn.set(key, pairs);
        }
        leaves = leaves.filter((leaf) => !isChurn(leaf));
        if (leaves.length === 0) continue;
      }
      properties.push({
        property,
        oldValue: d.oldValue,
        newValue: d.newValue,
        impact: d.changeImpact ?? ResourceImpact.WILL_UPDATE,
        causesReplacement,
        leaves,
      });
    }
  }
  const attributes: AttributeChange[] = change.isUpdate
    ? Object.entries(change.otherChanges)
        .filter(([attribute]) => attribute !== 'Type')
        .map(([attribute, d]) => ({ attribute, oldValue: d.oldValue, newValue: d.newValue }))
    : [];
  const typeChanged = change.resourceTypeChanged;
  const tagOnly = action === 'modified' && tagChurn && properties.length === 0 && attributes.length === 0 && !typeChanged;

  return {
    logicalId,
    type,
    action,
    impact,
    properties,
    attributes,
    tagOnly,
    tagChurn,
    typeChanged,
    stateful: statefulTypes.includes(type) || (change.oldResourceType !== undefined && statefulTypes.includes(change.oldResourceType)),
    policies: {
      deletion: [change.oldValue?.DeletionPolicy, change.newValue?.DeletionPolicy],
      updateReplace: [change.oldValue?.UpdateReplacePolicy, change.newValue?.UpdateReplacePolicy],
    },
  };
}

function securityChanges(diff: TemplateDiff): SecurityChanges {
  const iam = diff.iamChanges;
  const statements: IamStatementChange[] = [
    ...iam.statements.additions.map((s) => ({ s, change: 'added' as const, broadens: !s.isNegativeStatement })),
    ...iam.statements.removals.map((s) => ({ s, change: 'removed' as const, broadens: s.isNegativeStatement })),
  ].map(({ s, change, broadens }) => {
    const r = s.render();
    return { change, effect: r.effect, actions: r.action, resources: r.resource, principals: r.principal, condition: r.condition, broadens };
  });
  const managedPolicies: ManagedPolicyChange[] = [
    ...iam.managedPolicies.additions.map((m) => ({ change: 'added' as const, identity: m.identityArn, policy: m.managedPolicyArn })),
    ...iam.managedPolicies.removals.map((m) => ({ change: 'removed' as const, identity: m.identityArn, policy: m.managedPolicyArn })),
  ];
  const sg = diff.securityGroupChanges;
  type Rule = (typeof sg.ingress.additions)[number];
  const rules = (list: Rule[], change: 'added' | 'removed', direction: 'ingress' | 'egress'): SecurityGroupRuleChange[] =>
    list.map((rule) => ({ change, direction, group: rule.groupId, protocol: rule.describeProtocol(), peer: rule.describePeer() }));
  return {
    iamChanged: iam.hasChanges,
    securityGroupsChanged: sg.hasChanges,
    permissionsBroadened: diff.permissionsBroadened,
    statements,
    managedPolicies,
    securityGroupRules: [
      ...rules(sg.ingress.additions, 'added', 'ingress'),
      ...rules(sg.egress.additions, 'added', 'egress'),
      ...rules(sg.ingress.removals, 'removed', 'ingress'),
      ...rules(sg.egress.removals, 'removed', 'egress'),
    ],
  };
}

/** DeletionPolicy / UpdateReplacePolicy values that keep a stateful resource's data. */
export const PROTECTIVE_POLICIES: readonly string[] = ['Snapshot', 'Retain', 'RetainExceptOnCreate'];

/** `path "old" -> "new"`, for one-line messages. */
function describeLeaf(leaf: LeafChange): string {
  return `${leaf.path} ${formatValue(leaf.oldValue, { quote: true, maxLength: 80 })} -> ${formatValue(leaf.newValue, { quote: true, maxLength: 80 })}`;
}

/**
 * One line per stateful resource the deployment would replace, remove or unprotect, naming the logical id, the type,
 * the impact and what forces it, e.g.
 * `DatabaseF44359DD (AWS::RDS::DBCluster) would be REPLACED: DatabaseName "app" -> "orders" forces replacement`.
 * Adding a stateful resource (a reader instance) is never a violation. Empty when the promotion is safe.
 */
export function statefulViolations(diff: PhaseDiff): string[] {
  const lines: string[] = [];
  const added = diff.resources.filter((r) => r.action === 'added');
  // The most important first: clusters before instances, and so on down STATEFUL_RESOURCE_TYPES.
  const order = (type: string) => (STATEFUL_RESOURCE_TYPES.includes(type) ? STATEFUL_RESOURCE_TYPES.indexOf(type) : STATEFUL_RESOURCE_TYPES.length);
  const stateful = diff.resources.filter((x) => x.stateful).sort((a, b) => order(a.type) - order(b.type) || a.logicalId.localeCompare(b.logicalId));
  for (const r of stateful) {
    const subject = `${r.logicalId} (${r.type})`;
    if (r.action === 'removed') {
      const outcome = r.impact === ResourceImpact.WILL_ORPHAN
        ? `REMOVED from the stack (WILL_ORPHAN: DeletionPolicy ${r.policies.deletion[0]} keeps it, unmanaged)`
        : `REMOVED (WILL_DESTROY: DeletionPolicy ${r.policies.deletion[0] ?? 'Delete'})`;
      const successors = added.filter((a) => a.type === r.type).map((a) => a.logicalId);
      const hint = successors.length ? `; the new template adds ${successors.join(', ')} of the same type instead (a renamed construct id?)` : '';
      lines.push(`${subject} would be ${outcome}: its logical id is no longer in the template${hint}`);
      continue;
    }
    if (r.typeChanged) {
      lines.push(`${subject} would be REPLACED: its type changes`);
    } else if (r.action === 'replaced' || r.action === 'may-be-replaced') {
      const forcing = r.properties.filter((p) => p.causesReplacement);
      const verb = r.action === 'replaced' ? 'forces' : 'may force';
      const reasons = forcing.length
        ? forcing.map((p) => `${p.leaves.map(describeLeaf).join(', ')} ${verb} replacement`).join('; ')
        : `impact ${r.impact}`;
      lines.push(`${subject} would be ${r.action === 'replaced' ? 'REPLACED' : 'MAYBE REPLACED (MAY_REPLACE)'}: ${reasons}`);
    }
    for (const [name, [before, after]] of [['DeletionPolicy', r.policies.deletion], ['UpdateReplacePolicy', r.policies.updateReplace]] as const) {
      if (r.action !== 'added' && before !== undefined && PROTECTIVE_POLICIES.includes(before) && !PROTECTIVE_POLICIES.includes(after ?? 'Delete')) {
        lines.push(`${subject} would lose its data protection: ${name} ${JSON.stringify(before)} -> ${JSON.stringify(after ?? 'Delete')}`);
      }
    }
  }
  return lines;
}

/** A stateful resource of a template whose DeletionPolicy or UpdateReplacePolicy would not keep its data. */
export interface UnprotectedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
}

/** Stateful resources of `template` without a Snapshot/Retain DeletionPolicy and UpdateReplacePolicy. */
export function unprotectedStatefulResources(template: CfnTemplate, statefulTypes: readonly string[] = STATEFUL_RESOURCE_TYPES): UnprotectedResource[] {
  return Object.entries(template.Resources ?? {})
    .filter(([, r]: [string, any]) => statefulTypes.includes(r.Type))
    .filter(([, r]: [string, any]) => !PROTECTIVE_POLICIES.includes(r.DeletionPolicy) || !PROTECTIVE_POLICIES.includes(r.UpdateReplacePolicy))
    .map(([logicalId, r]: [string, any]) => ({ logicalId, type: r.Type, deletionPolicy: r.DeletionPolicy, updateReplacePolicy: r.UpdateReplacePolicy }));
}
