'use strict';
/**
 * mulberry32, the generator lib/capacity/simulation.ts uses: seeded, so a run is repeatable. Shared by the reference
 * service and the load generator, which run as plain JavaScript without a build.
 */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

module.exports = { mulberry32 };
