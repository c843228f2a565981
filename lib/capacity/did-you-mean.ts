/**
 * "Did you mean ...?" for near-miss names (model fields, CLI flags, context keys): a typo should cost the user
 * one glance, not a trip to the README.
 */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive: `peakRPS` is 0 from `peakRps`. */
export function editDistance(a: string, b: string): number {
  const [s, t] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[t.length];
}

/**
 * The candidate closest to `word`, if it is close enough to be a typo: at most a third of the word's length
 * (at least 1, at most 3) edits away. Ties go to the earlier candidate, so the answer is stable.
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: a far longer word (a 100k-character key) costs nothing.
    if (candidate === word || Math.abs(candidate.length - word.length) > limit) continue;
    const distance = editDistance(word, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}
