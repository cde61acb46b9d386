/**
 * Seeded randomness. The sources of an estimate depend only on the seed and the
 * node count, never on the number of threads, so the same seed gives the same answer.
 */

/** mulberry32: a small, fast 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, bound) for bound up to 2^32, from two draws (no modulo bias worth noting). */
function uniformBelow(rand: () => number, bound: number): number {
  return Math.floor((rand() + rand() / 4294967296) * bound);
}

/**
 * k distinct nodes of 0..n-1, uniformly without replacement, in sampling order.
 * Small k: Floyd-style rejection into a Set (memory O(k)); large k: a partial
 * Fisher-Yates shuffle over an index array.
 */
export function sampleSources(n: number, k: number, seed: number): Uint32Array {
  const take = Math.min(k, n);
  const rand = mulberry32(seed);
  const out = new Uint32Array(take);
  if (take * 4 < n && take < 1 << 22) {
    const seen = new Set<number>();
    for (let i = 0; i < take; ) {
      const x = uniformBelow(rand, n);
      if (!seen.has(x)) {
        seen.add(x);
        out[i++] = x;
      }
    }
    return out;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = 0; i < take; i++) {
    const j = i + uniformBelow(rand, n - i);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
    out[i] = order[i];
  }
  return out;
}
