/**
 * The seeds' capacity formulas, each as a small pure function so it can be checked against the seeds' worked examples.
 */

/** Required capacity = peak traffic x growth factor x safety margin (seeds: 1,000 x 3 x 1.5 = 4,500 req/s). */
export function requiredCapacity(peak: number, growthFactor: number, safetyMargin: number): number {
  return peak * growthFactor * safetyMargin;
}

/** Replicas = ceiling(read traffic / single-replica capacity) (seeds: ceil(10,000 / 3,000) = 4). */
export function replicasFor(readTraffic: number, perReplicaCapacity: number): number {
  return Math.ceil(readTraffic / perReplicaCapacity);
}

/** Connections = cores x 2 + effective spindle count (seeds: 8 cores, SSD -> 17 per instance). */
export function poolSize(cores: number, effectiveSpindles: number): number {
  return cores * 2 + effectiveSpindles;
}

/** Cache memory = working set x overhead (seeds: 10 GB x 1.5 = 15 GB for Redis data structures). */
export function cacheMemory(workingSet: number, overheadFactor: number): number {
  return workingSet * overheadFactor;
}

/** Little's law: items in the system = arrival rate x time in the system (e.g. concurrent queries = QPS x seconds per query). */
export function littlesLaw(arrivalRatePerSec: number, secondsInSystem: number): number {
  return arrivalRatePerSec * secondsInSystem;
}
