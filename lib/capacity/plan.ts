/**
 * planPhases: the pure function from a capacity model to one PhasePlan per phase (2x, 10x, 100x of today's peak).
 *
 * Formulas (from the seeds, also in the README):
 *   required capacity = peak x growth x safety margin           (traffic.ts, api-sizing.ts)
 *   readers           = ceil(read QPS / per-reader capacity)     (database-sizing.ts)
 *   DB pool           = cores x 2 + effective spindles           (database-sizing.ts)
 *   cache memory      = working set x 1.5                        (cache-sizing.ts)
 *   shards            = next power of two >= write QPS / one largest writer at target   (sharding.ts)
 *   queue workers     = daily-peak async writes x safety / messages per task             (queue-sizing.ts)
 * and no phase has a component over its limit at the design peak (feasibility.ts).
 */
import { planApi } from './api-sizing';
import { reconcileToday, TodayReconciliation } from './calibration';
import { planCache } from './cache-sizing';
import { cacheVerdicts } from './cache-verdicts';
import { planChaos } from './chaos-sizing';
import { planCost } from './cost';
import { decideEdge } from './edge-decision';
import { planCdn, planWaf } from './edge-sizing';
import { apiVerdicts, assertFeasible, databaseVerdicts, queueVerdicts } from './feasibility';
import { parseCapacity } from './load';
import { planMonitoring } from './monitoring';
import { planPeaks } from './peak-sizing';
import { EdgeMode, NetworkPlan, PhaseNumber, PhasePlan, sized } from './plan-types';
import { planQueue, queueNeeded } from './queue-sizing';
import type { Capacity } from './schema';
import { planRegions } from './regions';
import { planSecondaryMonitoring } from './secondary-monitoring';
import { perWriterCapacityQps, planSharding } from './sharding';
import { fmt, planTraffic } from './traffic';

/** The roadmap's phases and their traffic multiples of today's peak. */
export const PHASES: ReadonlyArray<{ readonly phase: PhaseNumber; readonly multiplier: number }> = [
  { phase: 1, multiplier: 2 },
  { phase: 2, multiplier: 10 },
  { phase: 3, multiplier: 100 },
];

/** Rate-based rules the web ACL carries: all requests, writes, logins. */
export const RATE_RULE_COUNT = 3;

/**
 * The plan of one phase. It is priced both with CloudFront and with the ALB serving the internet (each sized for
 * the origin load it would carry), and the edge decision (edge-decision.ts) picks one; the other is dropped. Only
 * the chosen variant must be feasible: the other is a price comparison, never deployed.
 */
export function planPhase(model: Capacity, phase: PhaseNumber, multiplier: number, today: TodayReconciliation = reconcileToday(model)): PhasePlan {
  const withCloudFront = planPhaseVia(model, phase, multiplier, today, 'CLOUDFRONT');
  const direct = planPhaseVia(model, phase, multiplier, today, 'REGIONAL');
  const edge = decideEdge(model, withCloudFront.traffic.cdnOffloadShare.value, withCloudFront.cost, direct.cost);
  const chosen = edge.mode.value === 'CLOUDFRONT' ? withCloudFront : direct;
  assertFeasible(chosen.label, chosen.feasibility);
  return { ...chosen, edge };
}

function planPhaseVia(model: Capacity, phase: PhaseNumber, multiplier: number, today: TodayReconciliation, edgeMode: EdgeMode): Omit<PhasePlan, 'edge'> {
  const traffic = planTraffic(model, multiplier, edgeMode === 'CLOUDFRONT');
  const { api, warnings: apiWarnings } = planApi(model, traffic, today);
  // The writes first go through the queue where the model allows it and one writer could not carry them all; the
  // shards then size for what reaches the database: the synchronous writes plus the workers' levelled rate.
  const q = model.current.dbQueriesPerWrite;
  const fullWriteQps = traffic.designWriteRps.value * q;
  const queue = queueNeeded(model, fullWriteQps, perWriterCapacityQps(model)) ? planQueue(model, traffic) : undefined;
  const totalWriteQps = queue ? (queue.syncWriteRps.value + queue.consumerRatePerSec.value) * q : fullWriteQps;
  const totalWriteWhy = queue
    ? `(synchronous writes ${fmt(queue.syncWriteRps.value)}/s + queue workers ${fmt(queue.consumerRatePerSec.value)}/s) x ${q} queries`
    : `design writes ${fmt(traffic.designWriteRps.value)}/s x ${q} queries`;
  const { sharding, database, warnings: dbWarnings } = planSharding(model, multiplier, traffic, api, totalWriteQps, totalWriteWhy);
  const { cache, warnings: cacheWarnings } = planCache(model, multiplier, traffic);
  const feasibility = [
    ...databaseVerdicts(database, model.policy),
    ...apiVerdicts(api, model.policy),
    ...(queue ? queueVerdicts(queue, model.policy) : []),
    ...cacheVerdicts(cache, model.policy),
  ];
  const cdn = planCdn(model);
  const waf = planWaf(model);
  const azs = model.aws.availabilityZones;
  const network: NetworkPlan = {
    availabilityZones: sized(azs, 'aws.availabilityZones: Aurora and Redis fail over across them'),
    natGateways: sized(azs, 'one per AZ: egress survives the loss of an AZ'),
  };
  const { monitoring, warnings: monitoringWarnings } = planMonitoring(model, api, database, cache, queue, sharding.shards.value);
  const { peaks, warnings: peakWarnings } = planPeaks(model, traffic, api, monitoring);
  const regionsWithoutAlarms = planRegions(model, phase);
  const secondaryMonitoring = planSecondaryMonitoring(monitoring, regionsWithoutAlarms, cache);
  const regions = secondaryMonitoring ? { ...regionsWithoutAlarms, monitoring: secondaryMonitoring } : regionsWithoutAlarms;
  const cost = planCost({
    model, multiplier, traffic, api, database, sharding, queue, cache, waf, network, monitoring, edgeMode, regions,
    wafRuleCount: RATE_RULE_COUNT + waf.managedRuleGroups.value.length,
  });
  return {
    phase,
    label: `Phase ${phase} (${multiplier}x)`,
    multiplier,
    traffic,
    api,
    peaks,
    database,
    sharding,
    ...(queue ? { queue } : {}),
    cache,
    cdn,
    waf,
    network,
    monitoring,
    chaos: planChaos(api, monitoring),
    regions,
    cost,
    feasibility,
    warnings: [...today.warnings, ...apiWarnings, ...dbWarnings, ...cacheWarnings, ...monitoringWarnings, ...peakWarnings],
  };
}

/** Plans all three phases of an already validated model. */
export function planModel(model: Capacity): PhasePlan[] {
  const today = reconcileToday(model);
  return PHASES.map(({ phase, multiplier }) => planPhase(model, phase, multiplier, today));
}

/** Validates `input` (throws CapacityError naming each bad field) and plans all three phases. */
export function planPhases(input: unknown): PhasePlan[] {
  return planModel(parseCapacity(input));
}
