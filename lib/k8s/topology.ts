/** Topology spread over zones, then nodes: preferred (ScheduleAnyway), so a lost zone never leaves pods Pending. */
export function zoneSpread(labels: Record<string, string>) {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: labels },
  }));
}
