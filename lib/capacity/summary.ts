/**
 * A one-screen text summary of the plan: the numbers a reviewer checks before reading any template.
 */
import { formatNumber } from './format-number';
import type { PhasePlan } from './plan-types';
import type { Capacity } from './schema';

// Thousands separators, at most `digits` decimals (the summary, the report and the charts all print numbers so).
export { formatNumber };
const n = formatNumber;

/** Rows of the summary table: a label and one cell per phase. */
export function summaryRows(plans: readonly PhasePlan[]): Array<[string, ...string[]]> {
  const row = (label: string, cell: (p: PhasePlan) => string): [string, ...string[]] => [label, ...plans.map(cell)];
  return [
    row('Daily peak RPS', (p) => n(p.traffic.peakRps.value)),
    row('Design peak RPS (flash sale)', (p) => n(p.traffic.designPeakRps.value)),
    row('Origin RPS after CDN', (p) => n(p.traffic.originDesignRps.value)),
    row('API tasks min-max', (p) => `${p.api.minTasks.value}-${p.api.maxTasks.value}`),
    row('Task size', (p) => `${p.api.taskVcpu.value} vCPU / ${n(p.api.taskMemoryMiB.value / 1024, 1)} GB`),
    row('Scale at CPU / req per task-min', (p) => `${p.api.targetCpuPercent.value} % / ${n(p.api.requestsPerTargetPerMinute.value)}`),
    row('Predicted p95 at design peak', (p) => `${n(p.api.predictedP95Ms.value)} ms`),
    row('Cooldown out / in', (p) => `${p.api.scaleOutCooldownSec.value} s / ${p.api.scaleInCooldownSec.value} s`),
    row('Aurora class', (p) => p.database.instanceClass.value),
    row('Aurora readers', (p) => String(p.database.readers.value)),
    row('Proxy max conn % / pool per task', (p) => `${p.database.proxyMaxConnectionsPercent.value} % / ${p.database.clientPoolPerTask.value}`),
    row('Redis node x nodes', (p) => `${p.cache.nodeType.value.replace('cache.', '')} x ${p.cache.nodes.value}${p.cache.clusterMode.value ? ` (${p.cache.shards.value} shards)` : ''}`),
    row('CDN TTL api / static', (p) => `${p.cdn.apiDefaultTtlSec.value} s / ${n(p.cdn.staticTtlSec.value / 86400)} d`),
    row('WAF per IP all/writes/login', (p) => `${n(p.waf.perIpAllLimit.value)}/${n(p.waf.perIpWriteLimit.value)}/${n(p.waf.perIpLoginLimit.value)} per ${p.waf.windowSec.value / 60} min`),
    // An over-budget phase is marked where the eye lands: its cost cell (the warnings below say why and how to fit).
    row('Monthly cost', (p) => `${n(p.cost.totalInCurrency)} ${p.cost.currency}${p.cost.overrun ? ' OVER BUDGET' : ''}`),
    row('Budget ceiling', (p) => `${n(p.cost.ceiling.value)} ${p.cost.currency}`),
  ];
}

/** Pads rows into aligned columns. */
export function renderTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The summary printed by `npm run synth`. */
export function renderSummary(model: Capacity, plans: readonly PhasePlan[]): string {
  const header = ['', ...plans.map((p) => p.label)];
  const title =
    `Capacity plan for ${model.service.name} (${model.aws.region}): today ${n(model.current.peakRps)} RPS at peak, ` +
    `p95 ${n(model.current.p95LatencyMs)} ms, growing ${n(model.growth.monthlyGrowthPct, 1)} %/month`;
  const warnings = plans.flatMap((p) => [
    ...p.warnings.map((w) => `  ! ${p.label}: ${w}`),
    ...(p.cost.overrun ? [`  ! ${p.label}: over budget: ${p.cost.overrun}`] : []),
  ]);
  return [title, '', renderTable(header, summaryRows(plans)), ...(warnings.length ? ['', 'Warnings:', ...warnings] : [])].join('\n');
}

/** The summary table as Markdown (the README shows the default model's). */
export function renderMarkdownTable(plans: readonly PhasePlan[]): string {
  const header = ['', ...plans.map((p) => p.label)];
  const rows = summaryRows(plans);
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
