/**
 * planPhases: the pure function from a capacity model to one PhasePlan per phase (2x, 10x, 100x of today's peak).
 *
 * Formulas (from the seeds, also in the README):
 *   required capacity = peak x growth x safety margin           (traffic.ts, api-sizing.ts)
 *   readers           = ceil(read QPS / per-reader capacity)     (database-sizing.ts)
 *   DB pool           = cores x 2 + effective spindles           (database-sizing.ts)
 *   cache memory      = working set x 1.5                        (cache-sizing.ts)
 */
import { planApi } from './api-sizing';
import { planCache } from './cache-sizing';
import { planChaos } from './chaos-sizing';
import { planCost } from './cost';
import { planDatabase } from './database-sizing';
import { planCdn, planWaf } from './edge-sizing';
import { parseCapacity } from './load';
import { planMonitoring } from './monitoring';
import { NetworkPlan, PhaseNumber, PhasePlan, sized } from './plan-types';
import type { Capacity } from './schema';
import { planRegions } from './regions';
import { planTraffic } from './traffic';

/** The roadmap's phases and their traffic multiples of today's peak. */
export const PHASES: ReadonlyArray<{ readonly phase: PhaseNumber; readonly multiplier: number }> = [
  { phase: 1, multiplier: 2 },
  { phase: 2, multiplier: 10 },
  { phase: 3, multiplier: 100 },
];

/** Rate-based rules the web ACL carries: all requests, writes, logins. */
export const RATE_RULE_COUNT = 3;

/** The plan of one phase. */
export function planPhase(model: Capacity, phase: PhaseNumber, multiplier: number): PhasePlan {
  const traffic = planTraffic(model, multiplier);
  const { api, warnings: apiWarnings } = planApi(model, traffic);
  const { database, warnings: dbWarnings } = planDatabase(model, multiplier, traffic, api);
  const { cache, warnings: cacheWarnings } = planCache(model, multiplier, traffic);
  const cdn = planCdn(model);
  const waf = planWaf(model);
  const azs = model.aws.availabilityZones;
  const network: NetworkPlan = {
    availabilityZones: sized(azs, 'aws.availabilityZones: Aurora and Redis fail over across them'),
    natGateways: sized(azs, 'one per AZ: egress survives the loss of an AZ'),
  };
  const { monitoring, warnings: monitoringWarnings } = planMonitoring(model, api, database, cache);
  const regions = planRegions(model, phase);
  const cost = planCost({ model, multiplier, traffic, api, database, cache, waf, network, monitoring, regions, wafRuleCount: RATE_RULE_COUNT + waf.managedRuleGroups.value.length });
  return {
    phase,
    label: `Phase ${phase} (${multiplier}x)`,
    multiplier,
    traffic,
    api,
    database,
    cache,
    cdn,
    waf,
    network,
    monitoring,
    chaos: planChaos(api, monitoring),
    regions,
    cost,
    warnings: [...apiWarnings, ...dbWarnings, ...cacheWarnings, ...monitoringWarnings],
  };
}

/** Plans all three phases of an already validated model. */
export function planModel(model: Capacity): PhasePlan[] {
  return PHASES.map(({ phase, multiplier }) => planPhase(model, phase, multiplier));
}

/** Validates `input` (throws CapacityError naming each bad field) and plans all three phases. */
export function planPhases(input: unknown): PhasePlan[] {
  return planModel(parseCapacity(input));
}
