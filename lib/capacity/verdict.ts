/**
 * One component's verdict: its load at the design peak against its limit (the shape every feasibility check reports in).
 */
import type { ComponentVerdict, Sized } from './plan-types';

/** Builds a verdict; ok when the load is at most the limit (a zero limit is ok only for zero load). */
export function verdict(component: string, unit: string, load: Sized, limit: Sized): ComponentVerdict {
  const utilisation = limit.value > 0 ? load.value / limit.value : load.value > 0 ? Infinity : 0;
  return { component, unit, load, limit, utilisation, ok: utilisation <= 1 };
}
