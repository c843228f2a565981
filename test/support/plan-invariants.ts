/**
 * Invariants every PhasePlan must satisfy, whatever (valid) model it came from.
 *
 * Used by the property-based tests (test/capacity/fuzz.test.ts) and reusable anywhere a plan is at hand:
 * `checkPlanInvariants(plan)` throws one Error listing every violation; `planViolations(plan)` returns them.
 *
 * To add invariants (e.g. for new parts of the plan), add a function to PLAN_INVARIANTS: it receives the plan
 * and a `fail(message)` callback, and calls `fail` once per violation. Messages should name the plan field
 * and the offending values, so a fast-check counterexample is readable without a debugger.
 */
import { CACHE_MAX_REPLICAS, CACHE_NODE_TYPES, DB_INSTANCE_CLASSES, FARGATE_VCPU_SIZES } from '../../lib/capacity';
import type { PhasePlan, Sized } from '../../lib/capacity';
import { usableCacheMemoryGiB } from '../../lib/capacity/cache-sizing';

/** One group of invariants: calls `fail` for each violation it finds. */
export type PlanInvariant = (plan: PhasePlan, fail: (message: string) => void) => void;

/** Relative tolerance for comparisons of floating-point results computed along different paths. */
const EPSILON = 1e-9;

const isSized = (node: unknown): node is Sized<unknown> =>
  node !== null && typeof node === 'object' && !Array.isArray(node) && 'value' in node && 'why' in node;

/** Calls `visit` for every value in `node` (depth first), with its dotted path. */
function walk(node: unknown, path: string, visit: (value: unknown, path: string) => void): void {
  visit(node, path);
  if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) walk(child, path ? `${path}.${key}` : key, visit);
  }
}

/** The plan sections sized by this library today: their numbers must all be finite. */
const FINITE_SECTIONS = ['traffic', 'api', 'database', 'cache', 'cdn', 'waf', 'network', 'cost'] as const;

const isWholeInRange = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** The invariants, by area. Extend this list (or add a group) when the plan grows. */
export const PLAN_INVARIANTS: Record<string, PlanInvariant> = {
  /** No NaN anywhere; no Infinity in the sized sections; every Sized value says why, without NaN/undefined leaking into it. */
  numbersAndReasons(plan, fail) {
    walk(plan, '', (value, path) => {
      if (typeof value === 'number' && Number.isNaN(value)) fail(`${path} is NaN`);
      if (typeof value === 'number' && !Number.isNaN(value) && !Number.isFinite(value) && FINITE_SECTIONS.some((s) => path === s || path.startsWith(`${s}.`))) {
        fail(`${path} is ${value}`);
      }
      if (isSized(value)) {
        if (typeof value.why !== 'string' || value.why.trim() === '') fail(`${path}.why is empty`);
        else if (/\b(NaN|undefined|null)\b/.test(value.why)) fail(`${path}.why shows a broken number: ${JSON.stringify(value.why)}`);
      }
    });
    for (const warning of plan.warnings) {
      if (typeof warning !== 'string' || warning.trim() === '') fail(`empty warning`);
      else if (/\b(NaN|undefined)\b/.test(warning)) fail(`warning shows a broken number: ${JSON.stringify(warning)}`);
    }
  },

  traffic(plan, fail) {
    const t = plan.traffic;
    if (!(t.peakRps.value > 0)) fail(`traffic.peakRps ${t.peakRps.value} must be > 0`);
    if (t.designPeakRps.value < t.peakRps.value) fail(`traffic.designPeakRps ${t.designPeakRps.value} < peakRps ${t.peakRps.value}`);
    if (!(t.originDesignRps.value > 0 && t.originDesignRps.value <= t.designPeakRps.value * (1 + EPSILON))) {
      fail(`traffic.originDesignRps ${t.originDesignRps.value} must be in (0, designPeakRps ${t.designPeakRps.value}]`);
    }
    if (!(t.cdnOffloadShare.value >= 0 && t.cdnOffloadShare.value < 1)) fail(`traffic.cdnOffloadShare ${t.cdnOffloadShare.value} must be in [0, 1)`);
  },

  api(plan, fail) {
    const a = plan.api;
    const hitCeiling = plan.warnings.some((w) => w.startsWith('API: even'));
    if (!Number.isInteger(a.minTasks.value) || a.minTasks.value < 2) fail(`api.minTasks ${a.minTasks.value} must be a whole number >= 2 (one task can fail while another serves)`);
    if (!Number.isInteger(a.maxTasks.value) || a.maxTasks.value < a.minTasks.value) fail(`api.maxTasks ${a.maxTasks.value} must be a whole number >= minTasks ${a.minTasks.value}`);
    if (!Number.isInteger(a.tasksAtDesignPeak.value) || a.tasksAtDesignPeak.value > a.maxTasks.value) {
      fail(`api.tasksAtDesignPeak ${a.tasksAtDesignPeak.value} must be a whole number <= maxTasks ${a.maxTasks.value}`);
    }
    if (!FARGATE_VCPU_SIZES.includes(a.taskVcpu.value)) fail(`api.taskVcpu ${a.taskVcpu.value} is not a Fargate size`);
    if (a.taskCpuUnits.value !== a.taskVcpu.value * 1024) fail(`api.taskCpuUnits ${a.taskCpuUnits.value} != taskVcpu x 1024`);
    const u = a.utilizationAtDesignPeak.value;
    if (!(u > 0 && u < 1)) fail(`api.utilizationAtDesignPeak ${u} must be in (0, 1)`);
    if (!(u <= a.targetCpuPercent.value / 100 + EPSILON) && !hitCeiling) fail(`api.utilizationAtDesignPeak ${u} above the CPU target ${a.targetCpuPercent.value} %`);
    // Capacity covers the load at the CPU target, unless the plan says it hit the task ceiling.
    const capacity = a.tasksAtDesignPeak.value * a.taskVcpu.value * a.rpsPerVcpu.value;
    const needed = plan.traffic.originDesignRps.value / (a.targetCpuPercent.value / 100);
    if (capacity < needed * (1 - EPSILON) && !hitCeiling) {
      fail(`api: ${a.tasksAtDesignPeak.value} tasks x ${a.taskVcpu.value} vCPU x ${a.rpsPerVcpu.value} RPS/vCPU = ${capacity} < origin ${plan.traffic.originDesignRps.value} / target ${a.targetCpuPercent.value} % = ${needed}`);
    }
    if (!isWholeInRange(a.requestsPerTargetPerMinute.value, 1, Number.MAX_SAFE_INTEGER)) fail(`api.requestsPerTargetPerMinute ${a.requestsPerTargetPerMinute.value} must be a whole number >= 1`);
    if (!isWholeInRange(a.scaleOutCooldownSec.value, 0, 86_400) || !isWholeInRange(a.scaleInCooldownSec.value, a.scaleOutCooldownSec.value, 86_400)) {
      fail(`api cooldowns out ${a.scaleOutCooldownSec.value} s / in ${a.scaleInCooldownSec.value} s must be whole seconds, in >= out`);
    }
  },

  /** The queueing prediction (worker-model.ts): a predicted p95 above the SLO is never silent. */
  latency(plan, fail) {
    const a = plan.api;
    if (!(a.cpuQueueP95Ms.value > 0 && a.downstreamP95Ms.value >= 0)) fail(`api.cpuQueueP95Ms ${a.cpuQueueP95Ms.value} must be > 0, downstreamP95Ms ${a.downstreamP95Ms.value} >= 0`);
    // The p95 of a sum of independent times lies between the larger p95 and the sum of the p95s.
    const tolerance = 1e-6 * Math.max(1, a.predictedP95Ms.value);
    if (a.predictedP95Ms.value > a.cpuQueueP95Ms.value + a.downstreamP95Ms.value + tolerance) {
      fail(`api.predictedP95Ms ${a.predictedP95Ms.value} > CPU queue ${a.cpuQueueP95Ms.value} + downstream ${a.downstreamP95Ms.value}`);
    }
    if (a.predictedP95Ms.value < Math.max(a.cpuQueueP95Ms.value, a.downstreamP95Ms.value) - tolerance) {
      fail(`api.predictedP95Ms ${a.predictedP95Ms.value} < max(CPU queue ${a.cpuQueueP95Ms.value}, downstream ${a.downstreamP95Ms.value})`);
    }
    // Target tracking holds tasks at or below the CPU target, and the plan says what the p95 is there.
    if (a.p95AtTargetMs.value > plan.api.p95HeadroomMs.value + a.predictedP95Ms.value && !plan.warnings.some((w) => /SLO/.test(w))) {
      fail(`api.p95AtTargetMs ${a.p95AtTargetMs.value} above the SLO without a warning`);
    }
    if (a.p95AtBaselineMs.value > a.p95AtTargetMs.value + tolerance) {
      fail(`api.p95AtBaselineMs ${a.p95AtBaselineMs.value} > p95AtTargetMs ${a.p95AtTargetMs.value}: the baseline runs above the CPU target`);
    }
    if (a.p95HeadroomMs.value < 0 && !plan.warnings.some((w) => /SLO/.test(w))) {
      fail(`api.p95HeadroomMs ${a.p95HeadroomMs.value} < 0 (predicted p95 ${a.predictedP95Ms.value} ms) without a warning about the SLO`);
    }
  },

  database(plan, fail) {
    const d = plan.database;
    if (!DB_INSTANCE_CLASSES.some((c) => c.name === d.instanceClass.value)) fail(`database.instanceClass ${d.instanceClass.value} is not in the catalog`);
    if (!isWholeInRange(d.readers.value, 1, 15)) fail(`database.readers ${d.readers.value} must be a whole number from 1 to 15`);
    if (!isWholeInRange(d.proxyMaxConnectionsPercent.value, 1, 100)) fail(`database.proxyMaxConnectionsPercent ${d.proxyMaxConnectionsPercent.value} must be a whole number from 1 to 100`);
    if (!isWholeInRange(d.proxyMaxIdleConnectionsPercent.value, 0, d.proxyMaxConnectionsPercent.value)) {
      fail(`database.proxyMaxIdleConnectionsPercent ${d.proxyMaxIdleConnectionsPercent.value} must be a whole number <= max ${d.proxyMaxConnectionsPercent.value}`);
    }
    if (!isWholeInRange(d.clientPoolPerTask.value, 2, Number.MAX_SAFE_INTEGER)) fail(`database.clientPoolPerTask ${d.clientPoolPerTask.value} must be a whole number >= 2`);
    if (!isWholeInRange(d.backupRetentionDays.value, 7, 35)) fail(`database.backupRetentionDays ${d.backupRetentionDays.value} must be 7..35`);
    if (!(d.writeQps.value >= 0 && d.readQps.value >= 0)) fail(`database QPS must be >= 0 (write ${d.writeQps.value}, read ${d.readQps.value})`);
    // The reader rule (lib/capacity/reader-rule.ts): the load's readers + 1 spare, or 1 when the promoted writer can
    // carry the reads (N <= 1), capped at Aurora's 15 only with a warning.
    const n = d.readersForReadLoad.value;
    const capped = plan.warnings.some((w) => w.startsWith('Database: reads need'));
    if (!Number.isInteger(n) || n < 0) fail(`database.readersForReadLoad ${n} must be a whole number >= 0`);
    else if (!(d.readers.value === n + 1 || (d.readers.value === 1 && n <= 1) || (capped && d.readers.value === 15 && n + 1 > 15))) {
      fail(`database.readers ${d.readers.value} breaks the reader rule for ${n} readers for the load (expected ${n + 1}, or 1 when n <= 1)`);
    }
    // Whatever carries the reads after a failover stays within one instance's CPU (the rule holds it at the target, <= 90 %),
    // unless the plan warns that the database outgrows what sizing can do.
    const afterFailover = d.readerUtilizationAfterFailover.value;
    if (!(afterFailover >= 0) || (afterFailover > 0.9 + EPSILON && !plan.warnings.some((w) => w.startsWith('Database:')))) {
      fail(`database.readerUtilizationAfterFailover ${afterFailover} above 90 % CPU without a Database warning`);
    }
    if (d.readers.value > 1 && Math.abs(afterFailover * (d.readers.value - 1) - d.readerUtilization.value * d.readers.value) > EPSILON * Math.max(1, afterFailover)) {
      fail(`database.readerUtilizationAfterFailover ${afterFailover} != readerUtilization ${d.readerUtilization.value} x ${d.readers.value} / ${d.readers.value - 1}`);
    }
  },

  cache(plan, fail) {
    const c = plan.cache;
    if (!CACHE_NODE_TYPES.some((n) => n.name === c.nodeType.value)) fail(`cache.nodeType ${c.nodeType.value} is not in the catalog`);
    if (!isWholeInRange(c.replicas.value, 1, CACHE_MAX_REPLICAS)) fail(`cache.replicas ${c.replicas.value} must be a whole number from 1 to ${CACHE_MAX_REPLICAS}`);
    if (!(c.primaryWriteOpsPerSec.value >= 0 && c.primaryWriteOpsPerSec.value <= c.opsPerSec.value * (1 + EPSILON))) {
      fail(`cache.primaryWriteOpsPerSec ${c.primaryWriteOpsPerSec.value} must be in [0, opsPerSec ${c.opsPerSec.value}]`);
    }
    // Writes cannot be spread over replicas: a primary planned above one node is never silent (the warning fires
    // earlier, at writes x safety margin >= 1 x writes).
    if (c.primaryUtilization.value > 1 + EPSILON && !plan.warnings.some((w) => w.startsWith('Cache: the primary takes'))) {
      fail(`cache.primaryUtilization ${c.primaryUtilization.value} above one node's ops/s without a warning`);
    }
    // Cluster mode: every shard's primary and memory fit one node, and the nodes add up.
    if (c.nodes.value !== c.shards.value * (1 + c.replicas.value)) fail(`cache.nodes ${c.nodes.value} != shards ${c.shards.value} x (1 + ${c.replicas.value})`);
    if (c.clusterMode.value !== c.shards.value > 1) fail(`cache.clusterMode ${c.clusterMode.value} with ${c.shards.value} shard(s)`);
    if (Math.abs(c.primaryWriteOpsPerShard.value * c.shards.value - c.primaryWriteOpsPerSec.value) > EPSILON * Math.max(1, c.primaryWriteOpsPerSec.value)) {
      fail(`cache.primaryWriteOpsPerShard ${c.primaryWriteOpsPerShard.value} x ${c.shards.value} shards != primaryWriteOpsPerSec ${c.primaryWriteOpsPerSec.value}`);
    }
    if (c.memoryPerShardGb.value > usableCacheMemoryGiB(c.nodeMemoryGiB.value) * (1 + EPSILON) && !plan.warnings.some((w) => w.startsWith('Cache:'))) {
      fail(`cache.memoryPerShardGb ${c.memoryPerShardGb.value} above ${c.nodeType.value}'s usable memory without a warning`);
    }
    if ((c.singlePrimaryGroup !== undefined) !== c.clusterMode.value) fail('cache.singlePrimaryGroup must exist exactly in cluster mode');
  },

  edge(plan, fail) {
    const { cdn, waf } = plan;
    if (cdn.apiDefaultTtlSec.value > cdn.apiMaxTtlSec.value) fail(`cdn.apiDefaultTtlSec ${cdn.apiDefaultTtlSec.value} > apiMaxTtlSec ${cdn.apiMaxTtlSec.value}`);
    // WAF rate-based rules accept whole limits from 10 to 2,000,000,000.
    for (const [name, limit] of [['perIpAllLimit', waf.perIpAllLimit], ['perIpWriteLimit', waf.perIpWriteLimit], ['perIpLoginLimit', waf.perIpLoginLimit]] as const) {
      if (!isWholeInRange(limit.value, 10, 2_000_000_000)) fail(`waf.${name} ${limit.value} must be a whole number from 10 to 2,000,000,000`);
    }
  },

  cost(plan, fail) {
    const { cost } = plan;
    for (const line of cost.lines) {
      if (!(Number.isFinite(line.usd) && line.usd >= 0)) fail(`cost line '${line.item}' is ${line.usd} USD (must be finite and >= 0)`);
    }
    const sum = cost.lines.reduce((total, line) => total + line.usd, 0);
    if (!(Math.abs(cost.totalUsd - sum) <= EPSILON * Math.max(1, sum))) fail(`cost.totalUsd ${cost.totalUsd} != sum of lines ${sum}`);
    if (!(cost.totalInCurrency >= 0 && Number.isFinite(cost.totalInCurrency))) fail(`cost.totalInCurrency ${cost.totalInCurrency}`);
    if (!(cost.ceilingUsd.value > 0)) fail(`cost.ceilingUsd ${cost.ceilingUsd.value} must be > 0`);
  },
};

/** Every violated invariant of `plan`, as readable lines. */
export function planViolations(plan: PhasePlan): string[] {
  const violations: string[] = [];
  for (const [group, invariant] of Object.entries(PLAN_INVARIANTS)) {
    invariant(plan, (message) => violations.push(`[${group}] ${message}`));
  }
  return violations;
}

/** Throws one Error listing every violated invariant of `plan` (nothing when the plan is sound). */
export function checkPlanInvariants(plan: PhasePlan): void {
  const violations = planViolations(plan);
  if (violations.length) throw new Error(`${plan.label} violates ${violations.length} invariant(s):\n  - ${violations.join('\n  - ')}`);
}
