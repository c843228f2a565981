import { PRICED_REGIONS } from '../../lib/capacity';
import { LOCAL_WINDOW_START, planWindows, REGION_UTC_OFFSET_HOURS } from '../../lib/capacity/windows';

/** Minutes since Sunday 00:00 UTC of a window's start and end (daily windows on Sunday). */
function span(window: string): [number, number] {
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const parts = window.split('-').map((p) => p.split(':'));
  return parts.map((p) => (p.length === 3 ? days.indexOf(p[0]) * 1440 + Number(p[1]) * 60 + Number(p[2]) : Number(p[0]) * 60 + Number(p[1]))) as [number, number];
}

describe('backup and maintenance windows in the region\'s night', () => {
  test('every priced region has a UTC offset', () => {
    expect(Object.keys(REGION_UTC_OFFSET_HOURS).sort()).toEqual([...PRICED_REGIONS].sort());
  });

  test.each([
    ['eu-central-1', '01:00-02:00', 'sun:03:00-sun:04:00', '02:00-03:00', 'sun:04:00-sun:05:00'],
    ['eu-west-1', '02:00-03:00', 'sun:04:00-sun:05:00', '03:00-04:00', 'sun:05:00-sun:06:00'],
    ['us-east-1', '07:00-08:00', 'sun:09:00-sun:10:00', '08:00-09:00', 'sun:10:00-sun:11:00'],
    ['us-west-2', '10:00-11:00', 'sun:12:00-sun:13:00', '11:00-12:00', 'sun:13:00-sun:14:00'],
  ])('%s: Aurora backup %s, maintenance %s; Redis snapshot %s, maintenance %s (UTC)', (region, backup, maintenance, snapshot, cacheMaintenance) => {
    const w = planWindows(region);
    expect([w.auroraBackupWindow.value, w.auroraMaintenanceWindow.value, w.cacheSnapshotWindow.value, w.cacheMaintenanceWindow.value]).toEqual([backup, maintenance, snapshot, cacheMaintenance]);
    expect(w.auroraBackupWindow.why).toContain(region);
  });

  test.each(Object.entries(REGION_UTC_OFFSET_HOURS))('%s: every window starts between 01:00 and 06:00 local time, and backups never overlap maintenance', (region, offset) => {
    const w = planWindows(region);
    for (const window of [w.auroraBackupWindow.value, w.cacheSnapshotWindow.value]) {
      const local = (((span(window)[0] / 60 + offset) % 24) + 24) % 24;
      expect(local).toBeGreaterThanOrEqual(1);
      expect(local).toBeLessThan(6);
    }
    // On Sunday, the daily windows sit before the weekly ones of the same service.
    expect(span(w.auroraBackupWindow.value)[1] % 1440).toBeLessThanOrEqual(span(w.auroraMaintenanceWindow.value)[0] % 1440);
    expect(span(w.cacheSnapshotWindow.value)[1] % 1440).toBeLessThanOrEqual(span(w.cacheMaintenanceWindow.value)[0] % 1440);
    expect(LOCAL_WINDOW_START.auroraBackup).toBeLessThan(LOCAL_WINDOW_START.auroraMaintenance);
  });

  test('a region without an offset fails naming the table', () => {
    expect(() => planWindows('ap-south-1')).toThrow(/no UTC offset for region 'ap-south-1': add it to REGION_UTC_OFFSET_HOURS/);
  });
});
