/**
 * Traffic per phase: the load every other sizing starts from.
 */
import type { Capacity } from './schema';
import { formatNumber } from './format-number';
import { requiredCapacity } from './formulas';
import { sized, TrafficPlan } from './plan-types';

/** Rounds for display in reasons (keeps one decimal below 10). */
export function fmt(n: number): string {
  return formatNumber(n, n < 10 ? 2 : 0);
}

/** Share of requests that are reads: readsPerWrite / (readsPerWrite + 1). */
export function readShareOf(readsPerWrite: number): number {
  return readsPerWrite / (readsPerWrite + 1);
}

/** The traffic a phase at `multiplier` x today's peak must carry; without CloudFront (`viaCloudFront` false) the origin takes it all. */
export function planTraffic(model: Capacity, multiplier: number, viaCloudFront = true): TrafficPlan {
  const { current, peakPattern, policy } = model;
  const peak = current.peakRps * multiplier;
  const baseline = peak / peakPattern.dailyPeakToAverage;
  const flash = baseline * peakPattern.flashSaleMultiplier;
  const design = Math.max(peak, flash);
  const readShare = readShareOf(current.readsPerWrite);
  const cdnOffload = viaCloudFront ? readShare * current.cdnCacheableGetShare * policy.cdnHitRatio : 0;
  const origin = design * (1 - cdnOffload);
  return {
    peakRps: sized(peak, `today's peak ${fmt(current.peakRps)} RPS x ${multiplier}`),
    baselineRps: sized(baseline, `daily peak / peak-to-average ${peakPattern.dailyPeakToAverage}`),
    flashSaleRps: sized(flash, `baseline x flash-sale multiplier ${peakPattern.flashSaleMultiplier}`),
    designPeakRps: sized(
      design,
      flash > peak ? 'flash-sale peak, above the daily peak: capacity must hold it' : 'daily peak, above the flash-sale peak',
    ),
    requiredCapacityRps: sized(
      requiredCapacity(current.peakRps, design / current.peakRps, policy.safetyMargin),
      `seeds' formula: today's peak ${fmt(current.peakRps)} x growth ${fmt(design / current.peakRps)} (phase x flash sale) x safety margin ${policy.safetyMargin}`,
    ),
    readShare: sized(readShare, `${current.readsPerWrite} reads per write`),
    cdnOffloadShare: sized(
      cdnOffload,
      !viaCloudFront ? 'no CloudFront in this phase (edge decision): the origin answers every request' : `reads ${fmt(readShare * 100)} % x cacheable ${fmt(current.cdnCacheableGetShare * 100)} % x CDN hit ratio ${fmt(policy.cdnHitRatio * 100)} %`,
    ),
    originDesignRps: sized(origin, 'design peak minus what CloudFront answers'),
    originBaselineRps: sized(baseline * (1 - cdnOffload), 'baseline minus what CloudFront answers'),
    originDesignReadRps: sized(origin - design * (1 - readShare), 'origin requests that are reads'),
    designWriteRps: sized(design * (1 - readShare), 'writes are never cached: design peak x write share'),
  };
}
