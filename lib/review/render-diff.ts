/**
 * The promotion review as Markdown for a PR comment: for each step (Phase 1 → 2, Phase 2 → 3), what `cdk deploy` of
 * the next phase changes on the running stacks, whether stateful resources survive, security changes, the edge
 * stack's WAF limits and the cost and plan deltas. Takes templates and plans; builds no CDK app.
 */
import type { PhasePlan } from '../capacity/plan-types';
import { VERDICT_COLUMNS, verdictRow } from '../capacity/feasibility';
import { formatNumber } from '../capacity/format-number';
import {
  CfnTemplate,
  diffPhaseTemplates,
  PhaseDiff,
  PhaseDiffOptions,
  ResourceChange,
  STATEFUL_RESOURCE_TYPES,
  statefulViolations,
} from './phase-diff';
import { formatValue, LeafChange, leafChanges } from './values';

/** One synthesized stack: the CloudFormation stack it deploys as, and its template. */
export interface StackTemplate {
  /** The CDK artifact (what `cdk deploy` selects), e.g. `Phase2Stack`. */
  readonly artifactId: string;
  /** The CloudFormation stack name, e.g. `order-management`. */
  readonly stackName: string;
  readonly region: string;
  readonly template: CfnTemplate;
}

/** A phase: its plan, its regional stack and its us-east-1 edge stack. */
export interface PhaseTemplates {
  readonly plan: PhasePlan;
  readonly regional: StackTemplate;
  readonly edge: StackTemplate;
}

/** What the report is about. */
export interface PromotionReportInput {
  /** The phases in roadmap order. */
  readonly phases: readonly PhaseTemplates[];
  /** Where the model came from, e.g. `the embedded default model` or `'models/shop.json'`. */
  readonly modelSource?: string;
}

/** One promotion step, diffed. */
export interface Promotion {
  readonly from: PhaseTemplates;
  readonly to: PhaseTemplates;
  readonly regional: PhaseDiff;
  readonly edge: PhaseDiff;
  /** {@link statefulViolations} of both stacks. */
  readonly violations: readonly string[];
}

/** Every promotion step (phase N → N+1) of `phases`, diffed with the engine behind `cdk diff`. */
export function promotions(phases: readonly PhaseTemplates[], options: PhaseDiffOptions = {}): Promotion[] {
  return phases.slice(1).map((to, i) => {
    const from = phases[i];
    const regional = diffPhaseTemplates(from.regional.template, to.regional.template, options);
    const edge = diffPhaseTemplates(from.edge.template, to.edge.template, options);
    return { from, to, regional, edge, violations: [...statefulViolations(regional), ...statefulViolations(edge)] };
  });
}

const n = (x: number) => formatNumber(Math.round(x));
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${n(Math.abs(x))}`;

/** Text safe inside a Markdown table cell (or a list item): no column breaks, HTML tags or emphasis. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\*/g, '\\*');
}

function short(value: unknown): string {
  return formatValue(value, { maxLength: 48 });
}

/** `old → new`, or `value (unchanged)`. */
function delta(before: string, after: string): string {
  return before === after ? `${before} (unchanged)` : `${before} → ${after}`;
}

/** The monthly cost delta, e.g. `+20,953 EUR/month (6,211 → 27,164)`, from the plans. */
export function costDelta(from: PhasePlan, to: PhasePlan): string {
  const [before, after] = [Math.round(from.cost.totalInCurrency), Math.round(to.cost.totalInCurrency)];
  return `${signed(after - before)} ${to.cost.currency}/month (${n(before)} → ${n(after)})`;
}

/** The plan values a reviewer checks first, old → new. */
export function planDeltas(from: PhasePlan, to: PhasePlan): Array<[string, string]> {
  const rows: Array<[string, (p: PhasePlan) => string]> = [
    ['API max tasks', (p) => n(p.api.maxTasks.value)],
    ['API min tasks', (p) => n(p.api.minTasks.value)],
    ['Task size', (p) => `${p.api.taskVcpu.value} vCPU / ${n(p.api.taskMemoryMiB.value / 1024)} GB`],
    ['Aurora shards', (p) => `${p.sharding.shards.value} (${p.sharding.table.value} by ${p.sharding.shardKey.value})`],
    ['Aurora class', (p) => p.database.instanceClass.value],
    ['Aurora readers', (p) => n(p.sharding.shardZeroReaders.value)],
    ['Aurora readers per other shard', (p) => (p.sharding.shards.value > 1 ? n(p.database.readers.value) : 'no other shard')],
    ['RDS Proxy max connections', (p) => `${p.database.proxyMaxConnectionsPercent.value} %`],
    ['Write queue workers', (p) => (p.queue ? `${p.queue.minWorkers.value}-${p.queue.maxWorkers.value}` : 'none')],
    ['Redis node × nodes', (p) => `${p.cache.nodeType.value} × ${p.cache.nodes.value}${p.cache.clusterMode.value ? ` (${p.cache.shards.value} shards)` : ''}`],
    ['WAF per IP all / writes / login', (p) => `${n(p.waf.perIpAllLimit.value)} / ${n(p.waf.perIpWriteLimit.value)} / ${n(p.waf.perIpLoginLimit.value)} per ${p.waf.windowSec.value / 60} min`],
    ['Monthly cost', (p) => `${n(p.cost.totalInCurrency)} ${p.cost.currency}`],
    ['Budget ceiling', (p) => `${n(p.cost.ceiling.value)} ${p.cost.currency}`],
  ];
  return rows.map(([label, value]) => [label, delta(value(from), value(to))]);
}

/** `N added, N modified, N replaced, N removed` (tag-only churn excluded). */
export function summaryLine(diff: PhaseDiff): string {
  const { added, modified, replaced, mayBeReplaced, removed } = diff.counts;
  const maybe = mayBeReplaced ? ` (${mayBeReplaced} may be)` : '';
  return `${added} added, ${modified} modified, ${replaced} replaced${maybe}, ${removed} removed`;
}

/** Replacements that are routine, with what they mean for the service. */
const REPLACEMENT_NOTES: Record<string, string> = {
  'AWS::ECS::TaskDefinition': 'new revision; the service rolls its stateless tasks',
};

function actionText(r: ResourceChange): string {
  switch (r.action) {
    case 'replaced':
    case 'may-be-replaced': {
      const label = r.action === 'replaced' ? '**replaced**' : '**may be replaced**';
      const note = REPLACEMENT_NOTES[r.type];
      return note ? `${label}: ${note}` : label;
    }
    case 'removed':
      return r.impact === 'WILL_ORPHAN' ? '**removed** (orphaned: Retain keeps it, unmanaged)' : '**removed** (deleted)';
    default:
      return r.action;
  }
}

const MAX_LINES_PER_RESOURCE = 8;

function leafText(leaf: LeafChange, replaces: boolean): string {
  const text = leaf.oldValue === undefined
    ? `${leaf.path}: + ${short(leaf.newValue)}`
    : leaf.newValue === undefined
      ? `${leaf.path}: − ${short(leaf.oldValue)}`
      : `${leaf.path}: ${short(leaf.oldValue)} → ${short(leaf.newValue)}`;
  return replaces ? `${text} (forces replacement)` : text;
}

/** `+a, −b` for lists of names such as DependsOn. */
function listDelta(before: unknown, after: unknown): string | undefined {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : undefined);
  const [a, b] = [list(before), list(after)];
  if (!a || !b) return undefined;
  return [...b.filter((x) => !a.includes(x)).map((x) => `+ ${x}`), ...a.filter((x) => !b.includes(x)).map((x) => `− ${x}`)].join(', ');
}

function changeLines(r: ResourceChange, template: CfnTemplate | undefined): string[] {
  if (r.action === 'added') {
    const props = (template?.Resources?.[r.logicalId]?.Properties ?? {}) as Record<string, unknown>;
    // The properties that say what was added (class, type, size, tier...) first, then the other plain values.
    const scalars = Object.entries(props).filter(([k, v]) => k !== 'Tags' && (typeof v === 'string' || typeof v === 'number'));
    const telling = (k: string) => (/Class|Type|Size|Tier|Engine|Capacity|Name/.test(k) ? 0 : 1);
    scalars.sort(([a], [b]) => telling(a) - telling(b));
    return ['new', ...scalars.slice(0, 4).map(([k, v]) => `${k}: ${short(v)}`)];
  }
  if (r.action === 'removed') return [`DeletionPolicy ${r.policies.deletion[0] ?? 'Delete'}`];
  const lines = r.properties.flatMap((p) => p.leaves.map((leaf) => leafText(leaf, p.causesReplacement)));
  for (const a of r.attributes) {
    const list = a.attribute === 'DependsOn' ? listDelta(a.oldValue, a.newValue) : undefined;
    lines.push(list ? `${a.attribute}: ${list}` : `${a.attribute}: ${short(a.oldValue)} → ${short(a.newValue)}`);
  }
  if (r.typeChanged) lines.unshift('type changes (forces replacement)');
  if (lines.length > MAX_LINES_PER_RESOURCE) {
    const rest = lines.length - (MAX_LINES_PER_RESOURCE - 1);
    return [...lines.slice(0, MAX_LINES_PER_RESOURCE - 1), `… and ${rest} more`];
  }
  return lines;
}

function resourceTable(diff: PhaseDiff, newTemplate: CfnTemplate): string[] {
  const rows = diff.resources.filter((r) => !r.tagOnly);
  if (rows.length === 0) return [];
  return [
    '| Resource | Type | Action | Changes |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${cell(r.logicalId)} | ${cell(r.type.replace(/^AWS::/, ''))} | ${actionText(r)} | ${changeLines(r, newTemplate).map(cell).join('<br>')} |`),
  ];
}

function outputLines(diff: PhaseDiff): string[] {
  const lines: string[] = [];
  if (diff.outputs.length) {
    const parts = diff.outputs.map((o) => {
      const leaves = (o.oldValue === undefined || o.newValue === undefined)
        ? [o.oldValue === undefined ? 'added' : 'removed']
        : leafChanges(o.oldValue, o.newValue).map((leaf) => leafText(leaf, false));
      return `\`${o.name}\` (${leaves.join('; ')})`;
    });
    lines.push(`Outputs: ${parts.join(', ')}.`);
  }
  if (diff.description) lines.push('The stack description names the new phase.');
  if (diff.otherSections.length) lines.push(`Other template sections change: ${diff.otherSections.join(', ')}.`);
  return lines;
}

/** The per-IP rate-based rules of the web ACLs in a template: rule name → [limit, window in seconds]. */
export function wafRateLimits(template: CfnTemplate): Map<string, [number, number]> {
  const limits = new Map<string, [number, number]>();
  for (const r of Object.values(template.Resources ?? {}) as any[]) {
    if (r?.Type !== 'AWS::WAFv2::WebACL') continue;
    for (const rule of r.Properties?.Rules ?? []) {
      const rate = rule?.Statement?.RateBasedStatement;
      if (rate) limits.set(rule.Name, [Number(rate.Limit), Number(rate.EvaluationWindowSec ?? 300)]);
    }
  }
  return limits;
}

function wafLine(before: CfnTemplate, after: CfnTemplate): string {
  const [a, b] = [wafRateLimits(before), wafRateLimits(after)];
  if (a.size === 0 && b.size === 0) return 'No WAF rate-based rules.';
  const names = [...new Set([...a.keys(), ...b.keys()])];
  const changed = names.some((name) => JSON.stringify(a.get(name)) !== JSON.stringify(b.get(name)));
  const fmt = (v: [number, number] | undefined) => (v ? `${n(v[0])}/${v[1] / 60} min` : 'none');
  const parts = names.map((name) => {
    const [x, y] = [a.get(name), b.get(name)];
    return JSON.stringify(x) === JSON.stringify(y) ? `${name} ${fmt(y)}` : `${name} **${fmt(x)} → ${fmt(y)}**`;
  });
  return `WAF rate limits per IP: ${parts.join(', ')}${changed ? '' : ' (unchanged)'}.`;
}

function churnLine(p: Promotion): string | undefined {
  const { regional, edge } = p;
  const keys = new Map<string, Set<string>>();
  for (const t of [...regional.tagChurn, ...edge.tagChurn]) {
    const set = keys.get(t.key) ?? new Set<string>();
    for (const [x, y] of t.values) set.add(`${x} → ${y}`);
    keys.set(t.key, set);
  }
  if (keys.size === 0) return undefined;
  const tags = [...keys.entries()].map(([key, values]) => `\`${key}\` ${[...values].join(', ')}`).join(', ');
  return `**Tag-only churn:** ${regional.counts.tagOnly} regional and ${edge.counts.tagOnly} edge resources change only their cost tags ` +
    `(${tags}); every tagged resource gets these, so they are not listed below.`;
}

function securityLines(p: Promotion): string[] {
  const stacks = [['regional', p.regional], ['edge', p.edge]] as const;
  const changed = stacks.filter(([, d]) => d.security.iamChanged || d.security.securityGroupsChanged);
  if (changed.length === 0) return ['✅ No IAM statement, managed policy or security-group rule changes.'];
  const broadened = changed.some(([, d]) => d.security.permissionsBroadened);
  const lines = [
    broadened
      ? '⚠️ **Permissions broaden**: Allow statements, managed policies or security-group rules are added (or Deny removed). Review them:'
      : '✅ Permissions only narrow (statements or rules removed, none added):',
    '',
  ];
  for (const [kind, d] of changed) {
    const s = d.security;
    if (s.statements.length || s.managedPolicies.length) {
      lines.push(`IAM (${kind} stack):`, '', '| | Effect | Actions | Resources | Principal | Condition |', '|---|---|---|---|---|---|');
      for (const st of s.statements) {
        lines.push(`| ${st.change === 'added' ? '+' : '−'} | ${cell(st.effect)} | ${cell(st.actions)} | ${cell(st.resources)} | ${cell(st.principals)} | ${cell(st.condition)} |`);
      }
      for (const mp of s.managedPolicies) {
        lines.push(`| ${mp.change === 'added' ? '+' : '−'} | managed policy | ${cell(mp.policy)} | | ${cell(mp.identity)} | |`);
      }
      lines.push('');
    }
    if (s.securityGroupRules.length) {
      lines.push(`Security-group rules (${kind} stack):`, '', '| | Direction | Group | Protocol | Peer |', '|---|---|---|---|---|');
      for (const rule of s.securityGroupRules) {
        lines.push(`| ${rule.change === 'added' ? '+' : '−'} | ${rule.direction} | ${cell(rule.group)} | ${cell(rule.protocol)} | ${cell(rule.peer)} |`);
      }
      lines.push('');
    }
  }
  return lines;
}

/** `16 checked: 1 DBCluster, 3 DBInstance, ...`: the stateful resources of the new templates, by type. */
function statefulChecked(p: Promotion): string {
  const types = [p.to.regional.template, p.to.edge.template]
    .flatMap((t) => Object.values(t.Resources ?? {}) as any[])
    .map((r) => r?.Type as string)
    .filter((type) => STATEFUL_RESOURCE_TYPES.includes(type));
  const counts = STATEFUL_RESOURCE_TYPES.map((type) => [type, types.filter((t) => t === type).length] as const).filter(([, c]) => c > 0);
  return `${types.length} checked: ${counts.map(([type, c]) => `${c} ${type.split('::').pop()}`).join(', ')}`;
}

function renderPromotion(p: Promotion): string[] {
  const { from, to } = p;
  const regionalStack = `\`${to.regional.stackName}\` (${to.regional.region})`;
  const edgeStack = `\`${to.edge.stackName}\` (${to.edge.region})`;
  const overBudget = to.plan.cost.totalInCurrency > to.plan.cost.ceiling.value ? ' ⚠️ over the budget ceiling' : '';
  const lines: string[] = [
    `### ${from.plan.label} → ${to.plan.label}`,
    '',
    `\`cdk deploy ${to.regional.artifactId}\` on the stacks running ${from.plan.label}: ${regionalStack}, after its edge stack ${edgeStack}.`,
    '',
    `- **Regional stack:** ${summaryLine(p.regional)}`,
    `- **Edge stack:** ${summaryLine(p.edge)}`,
    `- **Monthly cost:** ${costDelta(from.plan, to.plan)}, budget ceiling ${n(to.plan.cost.ceiling.value)} ${to.plan.cost.currency}${overBudget}`,
  ];
  const churn = churnLine(p);
  if (churn) lines.push(`- ${churn}`);
  lines.push('', `| Plan | ${from.plan.label} → ${to.plan.label} |`, '|---|---|', ...planDeltas(from.plan, to.plan).map(([label, value]) => `| ${label} | ${cell(value)} |`));

  lines.push('', `#### Capacity of ${to.plan.label} at its design peak`, '', ...verdictTable(to.plan));

  lines.push('', '#### Stateful resources', '');
  if (p.violations.length === 0) {
    lines.push(`✅ None replaced or removed (${statefulChecked(p)}).`);
  } else {
    lines.push(`❌ ${p.violations.length} stateful change${p.violations.length === 1 ? '' : 's'} would lose data or identity:`, '', ...p.violations.map((v) => `- ${cell(v)}`));
  }
  lines.push(...inPlaceResizeNotes(p));

  lines.push('', '#### Security', '', ...securityLines(p));
  while (lines[lines.length - 1] === '') lines.pop();

  lines.push('', `#### Regional stack ${regionalStack}`, '');
  const regionalTable = resourceTable(p.regional, to.regional.template);
  lines.push(...(regionalTable.length ? regionalTable : ['No resource changes besides the cost tags.']));
  const regionalOutputs = outputLines(p.regional);
  if (regionalOutputs.length) lines.push('', regionalOutputs.join(' '));

  lines.push('', `#### Edge stack ${edgeStack}`, '', wafLine(from.edge.template, to.edge.template));
  const edgeTable = resourceTable(p.edge, to.edge.template);
  lines.push('', ...(edgeTable.length ? edgeTable : ['No resource changes besides the cost tags.']));
  const edgeOutputs = outputLines(p.edge).filter((l) => !l.startsWith('The stack description'));
  if (edgeOutputs.length) lines.push('', edgeOutputs.join(' '));
  return lines;
}

/** The phase's feasibility verdicts as a Markdown table (every enforced one is ok, or the plan would have failed). */
export function verdictTable(plan: PhasePlan): string[] {
  return [
    `| ${VERDICT_COLUMNS.join(' | ')} |`,
    `|${VERDICT_COLUMNS.map((_, i) => (i === 0 || i === 4 ? '---' : '---:')).join('|')}|`,
    ...plan.feasibility.map((v) => `| ${verdictRow(v).map(cell).join(' | ')} |`),
  ];
}

/** The whole review as Markdown. */
export function renderPromotionReport(input: PromotionReportInput, options: PhaseDiffOptions = {}): string {
  return renderPromotions(promotions(input.phases, options), input.modelSource);
}

/** The review of already diffed promotion steps, as Markdown. */
export function renderPromotions(steps: readonly Promotion[], modelSource?: string): string {
  const unsafe = steps.filter((s) => s.violations.length > 0);
  const lines = [
    `## Phase promotion review: \`${steps[0]?.from.regional.stackName ?? 'stack'}\``,
    '',
    'What `cdk deploy` of each phase changes on the stacks running the previous one, computed from the synthesized ' +
      'templates by `@aws-cdk/cloudformation-diff` (the engine behind `cdk diff`), with its replacement analysis' +
      `${modelSource ? `. Model: ${modelSource}` : ''}.`,
    '',
    unsafe.length === 0
      ? '**Verdict:** ✅ every promotion keeps every stateful resource.'
      : `**Verdict:** ❌ ${unsafe.map((s) => `${s.from.plan.label} → ${s.to.plan.label}`).join(' and ')} would replace or remove stateful resources.`,
  ];
  for (const step of steps) lines.push('', ...renderPromotion(step));
  return `${lines.join('\n')}\n`;
}

/**
 * Resizes that keep the data but interrupt service: CloudFormation modifies the Aurora writer first (the readers
 * depend on it) and each instance is unavailable while its class changes, so a class change is done by hand first.
 */
function inPlaceResizeNotes(p: Promotion): string[] {
  const resized = p.regional.resources.filter(
    (r) => r.type === 'AWS::RDS::DBInstance' && r.action === 'modified' && r.properties.some((prop) => prop.property === 'DBInstanceClass'),
  );
  if (resized.length === 0) return [];
  return [
    '',
    `⚠️ ${resized.length} Aurora instance${resized.length === 1 ? '' : 's'} change class in place. CloudFormation would modify the writer first, ` +
      'and an instance is unavailable while its class changes: resize the readers first, fail over to Reader1, resize the old writer, ' +
      'then deploy (the classes already match). The runbook in the roadmap report has the commands.',
  ];
}
