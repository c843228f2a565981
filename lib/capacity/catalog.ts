/**
 * The instance shapes the plan chooses from, with the specs the sizing formulas need.
 *
 * Pure data, no CDK: the plan picks a name here, the phase stack turns the name into a CDK type.
 * Specs are AWS's published numbers for each type (vCPU and memory as listed on the instance-type pages).
 */

/** An Aurora PostgreSQL instance class. */
export interface DbInstanceClass {
  /** The RDS name, e.g. 'db.r7g.large'. */
  readonly name: string;
  /** The EC2 size suffix, e.g. 'large' (the class is always r7g here). */
  readonly size: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
}

/**
 * Graviton3 memory-optimised classes: the default for Aurora PostgreSQL in production
 * (burstable t4g classes are excluded: CPU credits make capacity depend on history, which no plan can promise).
 */
export const DB_INSTANCE_CLASSES: readonly DbInstanceClass[] = [
  { name: 'db.r7g.large', size: 'large', vcpu: 2, memoryGiB: 16 },
  { name: 'db.r7g.xlarge', size: 'xlarge', vcpu: 4, memoryGiB: 32 },
  { name: 'db.r7g.2xlarge', size: '2xlarge', vcpu: 8, memoryGiB: 64 },
  { name: 'db.r7g.4xlarge', size: '4xlarge', vcpu: 16, memoryGiB: 128 },
  { name: 'db.r7g.8xlarge', size: '8xlarge', vcpu: 32, memoryGiB: 256 },
  { name: 'db.r7g.12xlarge', size: '12xlarge', vcpu: 48, memoryGiB: 384 },
  { name: 'db.r7g.16xlarge', size: '16xlarge', vcpu: 64, memoryGiB: 512 },
];

/**
 * Aurora PostgreSQL's default `max_connections`: LEAST(DBInstanceClassMemory / 9531392, 5000).
 * DBInstanceClassMemory is a little below the nominal memory; the nominal value is used here,
 * so the result is an upper estimate by at most a few percent.
 */
export function auroraMaxConnections(memoryGiB: number): number {
  return Math.min(5000, Math.floor((memoryGiB * 1024 ** 3) / 9531392));
}

/** An ElastiCache node type. */
export interface CacheNodeType {
  /** e.g. 'cache.r7g.large'. */
  readonly name: string;
  readonly vcpu: number;
  /** Memory as ElastiCache lists it for the node type. */
  readonly memoryGiB: number;
}

/** Graviton3 memory-optimised node types (published node memory). */
export const CACHE_NODE_TYPES: readonly CacheNodeType[] = [
  { name: 'cache.r7g.large', vcpu: 2, memoryGiB: 13.07 },
  { name: 'cache.r7g.xlarge', vcpu: 4, memoryGiB: 26.32 },
  { name: 'cache.r7g.2xlarge', vcpu: 8, memoryGiB: 52.82 },
  { name: 'cache.r7g.4xlarge', vcpu: 16, memoryGiB: 105.81 },
  { name: 'cache.r7g.8xlarge', vcpu: 32, memoryGiB: 209.55 },
  { name: 'cache.r7g.12xlarge', vcpu: 48, memoryGiB: 317.77 },
  { name: 'cache.r7g.16xlarge', vcpu: 64, memoryGiB: 419.09 },
];

/**
 * ElastiCache's default `reserved-memory-percent` (25 %): memory kept back for replication buffers,
 * snapshots (fork copy-on-write) and fragmentation. Only the rest holds data.
 */
export const CACHE_RESERVED_MEMORY_SHARE = 0.25;

/** Fargate task sizes the plan uses, in vCPU. Each must allow `vcpu x memoryMiBPerVcpu` memory. */
export const FARGATE_VCPU_SIZES: readonly number[] = [1, 2, 4, 8, 16];

/** Fargate's allowed memory (MiB) per vCPU size: [min, max, step]. */
export const FARGATE_MEMORY_MIB: Readonly<Record<number, readonly [number, number, number]>> = {
  1: [2048, 8192, 1024],
  2: [4096, 16384, 1024],
  4: [8192, 30720, 1024],
  8: [16384, 61440, 4096],
  16: [32768, 122880, 8192],
};

/** ElastiCache allows at most five read replicas per shard. */
export const CACHE_MAX_REPLICAS = 5;

/** Aurora allows at most fifteen readers per cluster. */
export const AURORA_MAX_READERS = 15;

/** Aurora's largest cluster volume: 128 TiB. */
export const AURORA_MAX_STORAGE_GB = 128 * 1024;

/** Redis maxmemory-policy values that evict (everything but `noeviction`). */
export const CACHE_EVICTION_POLICIES = ['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl'] as const;
export type CacheEvictionPolicy = (typeof CACHE_EVICTION_POLICIES)[number];

/** Stages of a cut-over from a single-primary Redis group to a cluster-mode one (phases/phase-stack.ts, the runbook). */
export const CACHE_CUTOVER_STAGES = ['dual-write', 'cluster'] as const;
export type CacheCutoverStage = (typeof CACHE_CUTOVER_STAGES)[number];
