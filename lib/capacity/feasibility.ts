/**
 * Feasibility as a rule: every component of a phase at the design peak against what the phase deploys. The planner
 * never returns a phase with a verdict over its limit: sharding.ts and queue-sizing.ts change the architecture
 * first, and what they cannot fix fails here with a FeasibilityError naming the phase, the component, the load and
 * the limit (the way the budget guard names the cost and the ceiling).
 */
import { AURORA_MAX_STORAGE_GB } from './catalog';
import { sized } from './plan-types';
import type { ApiPlan, ComponentVerdict, DatabasePlan, WriteQueuePlan } from './plan-types';
import { SQS_MAX_RETENTION_SEC } from './queue-sizing';
import type { Capacity } from './schema';
import { fmt } from './traffic';
import { verdict } from './verdict';

/** A phase whose architecture cannot carry its design peak: one line per component over its limit. */
export class FeasibilityError extends Error {
  public readonly label: string;
  public readonly failures: readonly ComponentVerdict[];

  constructor(label: string, failures: readonly ComponentVerdict[]) {
    super(`Feasibility: ${label} cannot carry its design peak:\n  - ${failures.map(describeVerdict).join('\n  - ')}`);
    this.name = 'FeasibilityError';
    this.label = label;
    this.failures = failures;
  }
}

/** "Aurora writer CPU (per shard): load 146 vCPU is above the limit 44.8 vCPU (why) - 326 %". */
export function describeVerdict(v: ComponentVerdict): string {
  return `${v.component}: load ${fmt(v.load.value)} ${v.unit} (${v.load.why}) is above the limit ${fmt(v.limit.value)} ${v.unit} (${v.limit.why}): ${fmt(v.utilisation * 100)} %`;
}

/** One shard's writer CPU and memory, reader CPU, storage and connections. */
export function databaseVerdicts(db: DatabasePlan, policy: Capacity['policy']): ComponentVerdict[] {
  const target = policy.dbTargetCpuPct / 100;
  const cls = db.instanceClass.value;
  const vcpu = db.instanceVcpu.value;
  return [
    verdict(
      'Aurora writer CPU (per shard)',
      'vCPU',
      sized(db.writeQps.value / policy.dbWriteQpsPerVcpu, `write QPS ${fmt(db.writeQps.value)} / ${fmt(policy.dbWriteQpsPerVcpu)} per vCPU`),
      sized(vcpu * target, `${cls} ${vcpu} vCPU at policy.dbTargetCpuPct ${policy.dbTargetCpuPct} %`),
    ),
    verdict(
      'Aurora writer memory (per shard)',
      'GiB',
      sized(db.workingSetGb.value / policy.dbBufferCacheShare, `working set ${fmt(db.workingSetGb.value)} GB / buffer-cache share ${policy.dbBufferCacheShare}`),
      sized(db.instanceMemoryGiB.value, cls),
    ),
    verdict(
      'Aurora reader CPU (per shard)',
      'vCPU',
      sized(db.readQps.value / policy.dbReadQpsPerVcpu, `read QPS ${fmt(db.readQps.value)} / ${fmt(policy.dbReadQpsPerVcpu)} per vCPU`),
      sized(db.readers.value * vcpu * target, `${db.readers.value} readers x ${vcpu} vCPU at ${policy.dbTargetCpuPct} %`),
    ),
    verdict('Aurora storage (per shard)', 'GB', sized(db.storageGb.value, db.storageGb.why), sized(AURORA_MAX_STORAGE_GB, "Aurora's 128 TiB cluster volume")),
    verdict(
      'RDS Proxy connections (per shard)',
      'connections',
      sized(db.connectionBudget.value * policy.safetyMargin, `budget ${db.connectionBudget.value} x safety ${policy.safetyMargin}`),
      sized(db.maxConnections.value, db.maxConnections.why),
    ),
  ];
}

/** The API service's max tasks against policy.maxTasksPerService. */
export function apiVerdicts(api: ApiPlan, policy: Capacity['policy']): ComponentVerdict[] {
  return [
    verdict('API max tasks', 'tasks', sized(api.maxTasks.value, api.maxTasks.why), sized(policy.maxTasksPerService, 'policy.maxTasksPerService')),
  ];
}

/** The queue workers' max tasks, and the oldest planned message against SQS's longest retention. */
export function queueVerdicts(queue: WriteQueuePlan, policy: Capacity['policy']): ComponentVerdict[] {
  return [
    verdict('Write queue workers (max tasks)', 'tasks', sized(queue.maxWorkers.value, queue.maxWorkers.why), sized(policy.maxTasksPerService, 'policy.maxTasksPerService')),
    verdict(
      'Write queue oldest message',
      's',
      sized(queue.oldestMessageAlarmSec.value, queue.oldestMessageAlarmSec.why),
      sized(SQS_MAX_RETENTION_SEC, "SQS's longest retention (14 days): older messages are lost"),
    ),
  ];
}

/** The enforced verdicts over their limit. */
export function blockingVerdicts(verdicts: readonly ComponentVerdict[]): ComponentVerdict[] {
  return verdicts.filter((v) => !v.ok);
}

/** Throws a FeasibilityError when an enforced verdict of the phase is over its limit. */
export function assertFeasible(label: string, verdicts: readonly ComponentVerdict[]): void {
  const failures = blockingVerdicts(verdicts);
  if (failures.length) throw new FeasibilityError(label, failures);
}

/** The verdict table's header: the report and diff-phases print the same columns. */
export const VERDICT_COLUMNS = ['Component', 'Load at design peak', 'Limit', 'Utilisation', 'Verdict'] as const;

/** One verdict as a table row: numbers with their unit, utilisation in percent, and ok / over (enforced or not). */
export function verdictRow(v: ComponentVerdict): string[] {
  const status = v.ok ? 'ok' : 'OVER';
  return [v.component, `${fmt(v.load.value)} ${v.unit}`, `${fmt(v.limit.value)} ${v.unit}`, `${fmt(v.utilisation * 100)} %`, status];
}
