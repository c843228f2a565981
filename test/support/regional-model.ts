import { CapacityInput, DEFAULT_MODEL } from '../../lib/capacity';

/** The embedded model with nothing for CloudFront to cache (no cacheable GETs, no static paths): every phase goes REGIONAL. */
export const NOTHING_TO_CACHE: CapacityInput = {
  ...DEFAULT_MODEL,
  current: { ...DEFAULT_MODEL.current, cdnCacheableGetShare: 0 },
  cdn: { staticPathPatterns: [] },
};
