/**
 * Backup and maintenance windows in the region's night. AWS takes them in UTC; a fixed UTC hour is evening somewhere
 * (02:00 UTC is 18:00 in us-west-2), so each window is a local night hour converted with the region's standard-time
 * offset. In summer the windows run one hour later locally, still at night.
 */
import { sized, Sized } from './plan-types';

/** Standard-time UTC offset, in hours, of each priced region's location (prices.ts). */
export const REGION_UTC_OFFSET_HOURS: Readonly<Record<string, number>> = {
  'us-east-1': -5, // N. Virginia, US Eastern
  'us-west-2': -8, // Oregon, US Pacific
  'eu-west-1': 0, // Ireland
  'eu-central-1': 1, // Frankfurt, Central European
};

/** Local start hours: Aurora backup, then Redis snapshot, then (Sundays) Aurora and Redis maintenance, one hour each. */
export const LOCAL_WINDOW_START = { auroraBackup: 2, cacheSnapshot: 3, auroraMaintenance: 4, cacheMaintenance: 5 } as const;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const hh = (h: number) => String(h).padStart(2, '0');

/** The windows of one region, each with why. */
export interface MaintenanceWindows {
  /** Aurora daily backup window, `hh:mm-hh:mm` UTC. */
  readonly auroraBackupWindow: Sized<string>;
  /** Aurora weekly maintenance window, `ddd:hh:mm-ddd:hh:mm` UTC. */
  readonly auroraMaintenanceWindow: Sized<string>;
  /** ElastiCache daily snapshot window, `hh:mm-hh:mm` UTC. */
  readonly cacheSnapshotWindow: Sized<string>;
  /** ElastiCache weekly maintenance window, `ddd:hh:mm-ddd:hh:mm` UTC. */
  readonly cacheMaintenanceWindow: Sized<string>;
}

/** A local hour on Sunday as [UTC day, UTC hour]. */
function toUtc(localHour: number, offset: number): [string, number] {
  const h = localHour - offset;
  const dayShift = Math.floor(h / 24);
  return [DAYS[(7 + dayShift) % 7], ((h % 24) + 24) % 24];
}

function daily(localHour: number, offset: number): string {
  const [, h] = toUtc(localHour, offset);
  return `${hh(h)}:00-${hh((h + 1) % 24)}:00`;
}

function weekly(localHour: number, offset: number): string {
  const [day, h] = toUtc(localHour, offset);
  const [endDay, endH] = toUtc(localHour + 1, offset);
  return `${day}:${hh(h)}:00-${endDay}:${hh(endH)}:00`;
}

/** The four windows of `region`; throws for a region without an offset in the table. */
export function planWindows(region: string): MaintenanceWindows {
  const offset = REGION_UTC_OFFSET_HOURS[region];
  if (offset === undefined) throw new Error(`no UTC offset for region '${region}': add it to REGION_UTC_OFFSET_HOURS (lib/capacity/windows.ts)`);
  const zone = `${region} (UTC${offset >= 0 ? '+' : ''}${offset})`;
  const s = LOCAL_WINDOW_START;
  return {
    auroraBackupWindow: sized(daily(s.auroraBackup, offset), `${hh(s.auroraBackup)}:00 local in ${zone}: the quietest hour, before the Redis snapshot`),
    cacheSnapshotWindow: sized(daily(s.cacheSnapshot, offset), `${hh(s.cacheSnapshot)}:00 local in ${zone}, after the Aurora backup`),
    auroraMaintenanceWindow: sized(weekly(s.auroraMaintenance, offset), `Sunday ${hh(s.auroraMaintenance)}:00 local in ${zone}, after the backup window (AWS requires no overlap)`),
    cacheMaintenanceWindow: sized(weekly(s.cacheMaintenance, offset), `Sunday ${hh(s.cacheMaintenance)}:00 local in ${zone}, after the snapshot window (AWS requires no overlap) and the Aurora maintenance`),
  };
}
