/**
 * Deterministic uniform number in [0, 1) from a string key (FNV-1a 32-bit, then a murmur-style
 * finaliser to spread close keys). Splits and A/B tests use hash(customer, node) so a replay, a
 * restart or the editor's simulation picks the same branch for the same customer.
 */
export function hashToUnit(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

/** Picks an index from weights (any non-negative numbers, not all zero) with a unit number u ∈ [0,1). */
export function pickWeighted(weights: readonly number[], u: number): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (!(total > 0)) throw new Error('pickWeighted: weights must sum to more than zero');
  let threshold = u * total;
  for (let i = 0; i < weights.length; i++) {
    threshold -= weights[i] as number;
    if (threshold < 0) return i;
  }
  return weights.length - 1;
}
