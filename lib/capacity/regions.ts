/**
 * The regions a phase runs in: the primary, and from `aws.secondaryRegionsFromPhase` the secondary regions, each a
 * full stack (API tier, cache, Aurora Global Database secondary) behind latency-based DNS.
 */
import type { PhaseNumber, RegionsPlan } from './plan-types';
import { sized } from './plan-types';
import type { Capacity } from './schema';

/** The Aurora PostgreSQL engine the stacks deploy (lib/constructs/aurora-postgres.ts default, VER_16_13). */
export const AURORA_POSTGRES_ENGINE_VERSION = '16.13';

/** Aurora PostgreSQL global write forwarding: 16.x from 16.0 (AWS also lists 15.4+ and 14.9+). */
function supportsWriteForwarding(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major >= 16 || (major === 15 && minor >= 4) || (major === 14 && minor >= 9);
}

/**
 * AWS's published figures for Aurora Global Database: replication typically under 1 s ("typically under a second"),
 * managed planned failover / unplanned switchover promote a secondary in about a minute (Aurora User Guide,
 * "Using Amazon Aurora Global Database"). Each region's latency record is an alias of its load balancer that evaluates
 * target health: Route 53 drops a region once none of its targets passes the ALB's own health check, which runs
 * inside the VPC (a Route 53 health check could not reach an internal ALB's private addresses at all).
 */
const TYPICAL_LAG_SEC = 1;
const PROMOTION_SEC = 60;
/** Failed checks in a row before the ALB marks a target unhealthy: ApiTier's target group (unhealthyThresholdCount). */
export const ALB_UNHEALTHY_THRESHOLD = 3;
/** TTL of the latency records: alias records to a load balancer have none of their own; resolvers follow the health check. */
const DNS_SETTLE_SEC = 60;

/** Plans the regions of one phase. */
export function planRegions(model: Capacity, phase: PhaseNumber): RegionsPlan {
  const { aws } = model;
  const active = phase >= aws.secondaryRegionsFromPhase ? aws.secondaryRegions : [];
  const regionCount = 1 + active.length;
  const forwarding = supportsWriteForwarding(AURORA_POSTGRES_ENGINE_VERSION);
  const detectSec = model.service.healthCheckIntervalSec * ALB_UNHEALTHY_THRESHOLD;
  return {
    primary: sized(aws.region, 'aws.region: holds the Aurora writer (the global database\'s primary cluster)'),
    secondaries: sized(
      [...active],
      active.length
        ? `aws.secondaryRegions, from phase ${aws.secondaryRegionsFromPhase} (aws.secondaryRegionsFromPhase)`
        : aws.secondaryRegions.length
          ? `none before phase ${aws.secondaryRegionsFromPhase} (aws.secondaryRegionsFromPhase)`
          : 'aws.secondaryRegions is empty: one region',
    ),
    trafficSharePerRegion: sized(
      1 / regionCount,
      regionCount > 1
        ? `latency-based DNS sends each user to the nearest healthy region; planned as an even split over ${regionCount} regions (the model has no per-region user shares)`
        : 'one region serves all traffic',
    ),
    sizedForFailover: sized(
      true,
      regionCount > 1
        ? `every region is sized for the whole design peak (same API tier, cache and instance class as the primary), so any one takes all traffic when the others fail: active-active, N+${regionCount - 1}`
        : 'one region: nothing to fail over to (Multi-AZ only)',
    ),
    writeRouting: sized(
      forwarding ? 'write-forwarding' : 'primary',
      forwarding
        ? `Aurora PostgreSQL ${AURORA_POSTGRES_ENGINE_VERSION} supports global write forwarding (16+, 15.4+, 14.9+): secondaries forward writes to the primary writer (apg_write_forward.consistency_mode SESSION), so the app needs no second write path; each forwarded write pays a round trip to ${aws.region}`
        : `Aurora PostgreSQL ${AURORA_POSTGRES_ENGINE_VERSION} has no write forwarding: the app sends writes to ${aws.region}`,
    ),
    rpoTargetSec: sized(TYPICAL_LAG_SEC * 5, 'target: at most 5 s of committed writes lost when the primary region is lost (5x the typical lag: headroom for write bursts)'),
    rpoAchievedSec: sized(
      regionCount > 1 ? TYPICAL_LAG_SEC : 0,
      regionCount > 1
        ? 'AWS publishes typical Aurora Global Database replication lag under 1 s: an unplanned switchover loses at most the writes not yet replicated (0 with a planned managed failover)'
        : 'one region: the Aurora volume keeps 6 copies over 3 AZs (RPO 0 within the region); a region loss restores from backups (up to the last 5-minute PITR point)',
    ),
    rtoTargetSec: sized(5 * 60, 'target: service restored within 5 minutes of losing a region'),
    rtoAchievedSec: sized(
      regionCount > 1 ? detectSec + DNS_SETTLE_SEC : PROMOTION_SEC,
      regionCount > 1
        ? `reads and forwarded writes keep working in the healthy region after Route 53 drops the lost one (its targets fail ${ALB_UNHEALTHY_THRESHOLD} x ${model.service.healthCheckIntervalSec} s ALB checks) plus ~${DNS_SETTLE_SEC} s for resolvers; writes resume once the secondary is promoted (AWS: managed failover in about a minute), so writes are back within ~${detectSec + DNS_SETTLE_SEC + PROMOTION_SEC} s`
        : `Multi-AZ: Aurora fails over to a reader in about ${PROMOTION_SEC} s; a region loss is not covered`,
    ),
    failoverDetectSec: sized(
      detectSec,
      `the latency records are aliases that evaluate target health: a region leaves DNS once its targets fail ${ALB_UNHEALTHY_THRESHOLD} ALB health checks in a row, every service.healthCheckIntervalSec (${model.service.healthCheckIntervalSec} s); the ALB checks from inside the VPC, which a Route 53 health check of an internal load balancer cannot`,
    ),
  };
}
