/**
 * The chaos run of each phase's gate (seeds: "a chaos run that kills one replica mid-test"): how much of each tier an
 * experiment may break while the SLO should still hold, derived from the headroom the same plan sized in.
 */
import type { ApiPlan, ChaosPlan, MonitoringPlan } from './plan-types';
import { saturationAlarmFor } from './monitoring';
import { sized } from './plan-types';

/** ElastiCache fails a Multi-AZ group over in well under a minute; ten minutes also covers client reconnects and a full burn-rate short window. */
const CACHE_INTERRUPTION_MIN = 10;

/** Plans the FIS experiments of one phase. */
export function planChaos(api: ApiPlan, monitoring: MonitoringPlan): ChaosPlan {
  const target = api.targetCpuPercent.value;
  const ceiling = saturationAlarmFor(monitoring, 'apiCpuPct').threshold.value;
  // Losing a share s of the tasks raises the rest from the target t to t / (1 - s): keep that below the CPU alarm.
  const share = Math.max(1, Math.floor(100 * (1 - target / ceiling)));
  return {
    apiTaskStopPercent: sized(
      share,
      `1 - target ${target} % / CPU alarm ${ceiling} %: the remaining tasks stay under the alarm until the autoscaler replaces the stopped ones (FIS stops at most 5 tasks per run unless quota L-48D12416 is raised)`,
    ),
    databaseFailure: sized('cluster-failover', 'a reader is promoted, as in a writer failure; the readers include one spare for exactly this, so read capacity survives it'),
    cacheInterruptionMinutes: sized(CACHE_INTERRUPTION_MIN, 'one AZ of the cache loses power: the replica in another AZ is promoted (< 1 min); 10 min covers reconnects and a 5-min burn-rate window'),
  };
}
