/**
 * The alarms of a secondary region (phase 3's eu-west-1 in the embedded model): it serves its share of the traffic
 * and takes all of it on failover, so it gets the primary's SLO alarms (latency, burn rates) and the saturation
 * signals of the tiers it runs (API and cache, with the primary's thresholds, since it is sized the same), and one
 * signal of its own: the global database's replication lag against the RPO target. It has no proxy, no write queue,
 * no web ACL and no writer of its own, so those signals stay in the primary.
 */
import { alarmTotals, BURST_ALARMS } from './monitoring';
import type { CachePlan, MonitoringPlan, RegionsPlan, SaturationAlarmPlan, SecondaryMonitoringPlan } from './plan-types';
import { sized } from './plan-types';

/** Saturation signals of the tiers a secondary region runs (the queue's signals sit on the API row but need its queue). */
const SECONDARY_SIGNALS = new Set(['apiCpuPct', 'apiMemoryPct', 'cacheMemoryPct', 'cacheEvictions', 'cacheHitRatePct']);

export function planSecondaryMonitoring(monitoring: MonitoringPlan, regions: RegionsPlan, cache: CachePlan): SecondaryMonitoringPlan | undefined {
  if (regions.secondaries.value.length === 0) return undefined;
  const rpoMs = regions.rpoTargetSec.value * 1000;
  const lag: SaturationAlarmPlan = {
    metric: 'dbGlobalReplicationLagMs',
    tier: 'database',
    comparison: 'above',
    threshold: sized(rpoMs, `the RPO target (regions.rpoTargetSec ${regions.rpoTargetSec.value} s): writes further behind than this would be lost if the primary region failed now`),
    // The primary's saturation evaluation (period and periods), so a short burst does not open a ticket.
    periodSec: monitoring.saturation[0].periodSec,
    evaluationPeriods: monitoring.saturation[0].evaluationPeriods,
  };
  const saturation = [...monitoring.saturation.filter((s) => SECONDARY_SIGNALS.has(s.metric)), lag];
  const windows = monitoring.burnRateWindows.length;
  // Counted and billed as for the primary (monitoring.ts): burn-rate alarms read 3 metrics, cache alarms every node of a shard.
  const { alarms, saturationAlarms, billedMetrics: billed } = alarmTotals(saturation, windows, 1 + cache.replicas.value);
  return {
    saturation,
    alarmCount: sized(alarms, `per secondary region: ${windows} burn-rate pairs x 2 + 1 latency alarm + ${saturationAlarms} saturation alarms (API, cache${cache.shards.value > 1 ? ' per shard' : ''}, global replication lag) + ${BURST_ALARMS} burst-scaling alarm`),
    billedAlarmMetrics: sized(billed, `metrics in the ${alarms} alarms' expressions, counted as for the primary`),
    compositeAlarmCount: sized(windows, 'one AllOf composite per burn-rate pair, as in the primary'),
    dashboards: sized(1, 'one dashboard per region: the on-call engineer looks at the region that pages'),
  };
}
