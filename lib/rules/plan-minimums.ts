import type { CacheNodeType, PhasePlan } from '../capacity';

/**
 * The numbers a stack must reach to carry a capacity plan. Plain numbers, so any app can state them without the
 * capacity model; `planMinimums` derives them from a scaling-roadmap PhasePlan.
 */
export interface PlanMinimums {
  /** Maximum tasks each ECS service must be able to scale to. @default - not checked */
  readonly maxTasks?: number;
  /**
   * Maximum tasks of a queue worker service: its scalable target sits under a construct with id
   * WORKER_CONSTRUCT_ID (lib/constructs/write-queue.ts' WriteQueue as the phases add it), and `maxTasks` does not apply to it.
   * @default - not checked
   */
  readonly workerMaxTasks?: number;
  /** Reader instances each Aurora cluster must have. @default - not checked */
  readonly readers?: number;
  /** Memory (GiB) each Redis/Valkey node must have. @default - not checked */
  readonly cacheNodeMemoryGiB?: number;
  /** Replicas each Redis/Valkey replication group must have. @default - not checked */
  readonly cacheReplicas?: number;
  /**
   * Memory (GiB) of the node types the stack may use, to compare with `cacheNodeMemoryGiB`; a node type missing here
   * is reported as unverifiable. @default - only the plan's own node type is known
   */
  readonly cacheNodeTypeMemoryGiB?: Readonly<Record<string, number>>;
  /** The application's request timeout: the shortest deregistration delay (rule ECS6). @default - the ALB idle timeout */
  readonly requestTimeoutSec?: number;
  /** A task's start-up time: the shortest health-check grace period (rule ECS5). @default - the containers' start period */
  readonly taskStartupSec?: number;
}

/** The construct id under which a scalable target is a queue worker's (checked against `workerMaxTasks`). */
export const WORKER_CONSTRUCT_ID = 'WriteQueue';

/** What `planMinimums` needs of the service besides the plan (the model's `service` section has both). */
export interface ServiceTimings {
  readonly requestTimeoutSec?: number;
  readonly taskStartupSec?: number;
}

/**
 * The minimums a phase's plan sets: max tasks, readers, cache node memory and replicas, plus the service timings.
 * Pure: reads the plan's `{ value }` fields and nothing else, so the pack never recomputes what the plan decided.
 * Pass CACHE_NODE_TYPES (or your own list) to let a stack use a bigger node type than the plan's.
 */
export function planMinimums(plan: PhasePlan, service: ServiceTimings = {}, cacheNodeTypes: readonly CacheNodeType[] = []): PlanMinimums {
  const nodeMemory: Record<string, number> = Object.fromEntries(cacheNodeTypes.map((t) => [t.name, t.memoryGiB]));
  nodeMemory[plan.cache.nodeType.value] = plan.cache.nodeMemoryGiB.value;
  return {
    maxTasks: plan.api.maxTasks.value,
    workerMaxTasks: plan.queue?.maxWorkers.value,
    readers: plan.database.readers.value,
    cacheNodeMemoryGiB: plan.cache.nodeMemoryGiB.value,
    cacheReplicas: plan.cache.replicas.value,
    cacheNodeTypeMemoryGiB: nodeMemory,
    requestTimeoutSec: service.requestTimeoutSec,
    taskStartupSec: service.taskStartupSec,
  };
}
