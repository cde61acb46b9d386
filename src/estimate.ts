/**
 * From per-batch BFS results to the figures users quote: mean distance with a
 * 95% interval, degrees of separation, the distance distribution, the effective
 * diameter. Only sums of exact integers are merged, so the answer does not depend
 * on which thread ran which batch.
 */
import type { BatchResult } from './kernels/types.js';

export interface Estimate {
  /** Mean distance over reachable ordered pairs (s, t), s != t. */
  meanDistance: number | null;
  /** 95% interval for meanDistance from the variation between sources (zero width when exact). */
  meanDistanceCi95: [number, number] | null;
  /** meanDistance - 1: intermediaries between two people (Facebook's "degrees"). */
  degreesOfSeparation: number | null;
  /** Element d = ordered pairs found at distance d from the sources; element 0 is 0. */
  distanceHistogram: number[];
  /** Element h = share of the reachable pairs found that are within h hops. */
  withinHopsFraction: number[];
  /** 90-percentile effective diameter, linearly interpolated between hop counts (SNAP). */
  effectiveDiameter90: number | null;
  /** The integer 90th percentile: smallest d with at least 90% of the pairs within d hops. */
  effectiveDiameter90Integer: number | null;
  /** Smallest d with at least half of the pairs within d hops. */
  medianDistance: number | null;
  /** spid: variance / mean of the distance distribution (Backstrom et al.; < 1 "small world"). */
  spid: number | null;
  /** Each sampled person's own average distance to the people they reach: percentiles. */
  perPersonMeanDistance: { p10: number; p25: number; p50: number; p75: number; p90: number; histogram: PerPersonBin[] } | null;
  /** Largest distance seen: a lower bound on the diameter (the diameter itself when exact). */
  maxDistanceSeen: number;
  /** Share of ordered pairs (s, t), s != t, with t reachable from s. */
  reachablePairFraction: number;
  sources: number;
  exact: boolean;
  arcsScanned: number;
  /** Adjacency entries the kernel actually read (work, depends on batching: a timing figure). */
  arcsRead: number;
  /** Set when the figures come from HyperBall (--method hyperball) rather than BFS. */
  hyperBall?: { log2m: number; relativeStandardError: number; iterations: number; converged: boolean; memoryBytes: number };
}

/** Sums histograms of different lengths element by element. */
export function mergeHistograms(histograms: number[][]): number[] {
  const out: number[] = [0];
  for (const h of histograms) {
    while (out.length < h.length) out.push(0);
    for (let d = 1; d < h.length; d++) out[d] += h[d];
  }
  return out;
}

/**
 * SNAP's effective diameter: with g(d) the share of pairs at distance <= d and D
 * the smallest d with g(D) >= q, (D - 1) + (q - g(D-1)) / (g(D) - g(D-1)).
 */
export function effectiveDiameter(histogram: number[], q = 0.9): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let below = 0;
  for (let d = 1; d < histogram.length; d++) {
    const upTo = below + histogram[d];
    if (upTo / total >= q) return d - 1 + (q - below / total) / (histogram[d] / total);
    below = upTo;
  }
  return histogram.length - 1;
}

/** Smallest d with at least share q of the pairs within d hops. */
export function distanceQuantile(histogram: number[], q: number): number | null {
  const total = histogram.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let cumulative = 0;
  for (let d = 1; d < histogram.length; d++) {
    cumulative += histogram[d];
    if (cumulative >= q * total) return d;
  }
  return histogram.length - 1;
}

/** Variance / mean of the distance distribution. */
export function spid(histogram: number[]): number | null {
  let pairs = 0;
  let sum = 0;
  let squares = 0;
  for (let d = 1; d < histogram.length; d++) {
    pairs += histogram[d];
    sum += d * histogram[d];
    squares += d * d * histogram[d];
  }
  if (pairs === 0) return null;
  const mean = sum / pairs;
  return (squares / pairs - mean * mean) / mean;
}

/** People whose own mean distance lies in [from, from + 0.25). */
export interface PerPersonBin {
  from: number;
  people: number;
}

const PER_PERSON_BIN = 0.25;

/** Percentiles (nearest rank) and a histogram (bins of 0.25 hops) of the sources' own mean distances, over sources that reach anyone. */
export function perPersonPercentiles(reached: number[], distanceSum: number[]): Estimate['perPersonMeanDistance'] {
  const means = reached.flatMap((r, i) => (r > 0 ? [distanceSum[i] / r] : [])).sort((a, b) => a - b);
  if (means.length === 0) return null;
  const at = (q: number) => means[Math.min(means.length - 1, Math.max(0, Math.ceil(q * means.length) - 1))];
  const histogram: PerPersonBin[] = [];
  for (const m of means) {
    const from = Math.floor(m / PER_PERSON_BIN) * PER_PERSON_BIN;
    if (histogram.length > 0 && histogram[histogram.length - 1].from === from) histogram[histogram.length - 1].people++;
    else histogram.push({ from, people: 1 });
  }
  return { p10: at(0.1), p25: at(0.25), p50: at(0.5), p75: at(0.75), p90: at(0.9), histogram };
}

const Z95 = 1.959963984540054;

/**
 * Ratio estimator of the mean distance, sum(y_s) / sum(x_s) with y_s the distance
 * sum and x_s the reachable count of source s, and its delta-method standard
 * error with the finite-population correction (1 - k/n): exact when k = n.
 */
export function meanWithInterval(
  reached: ArrayLike<number>,
  distanceSum: ArrayLike<number>,
  population: number,
): { mean: number | null; ci: [number, number] | null } {
  const k = reached.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sx += reached[i];
    sy += distanceSum[i];
  }
  if (sx === 0) return { mean: null, ci: null };
  const mean = sy / sx;
  if (k >= population) return { mean, ci: [mean, mean] };
  if (k < 2) return { mean, ci: null };
  const xbar = sx / k;
  let ss = 0;
  for (let i = 0; i < k; i++) {
    const r = distanceSum[i] - mean * reached[i];
    ss += r * r;
  }
  const variance = ((1 - k / population) * ss) / (k - 1) / (k * xbar * xbar);
  const half = Z95 * Math.sqrt(variance);
  return { mean, ci: [mean - half, mean + half] };
}

export function summarize(batches: BatchResult[], nodes: number): Estimate {
  const histogram = mergeHistograms(batches.map((b) => b.histogram));
  const reached = batches.flatMap((b) => b.reached);
  const distanceSum = batches.flatMap((b) => b.distanceSum);
  const sources = reached.length;
  const { mean, ci } = meanWithInterval(reached, distanceSum, nodes);
  const pairs = histogram.reduce((a, b) => a + b, 0);
  const withinHopsFraction: number[] = [0];
  let cumulative = 0;
  for (let d = 1; d < histogram.length; d++) {
    cumulative += histogram[d];
    withinHopsFraction.push(cumulative / pairs);
  }
  return {
    meanDistance: mean,
    meanDistanceCi95: ci,
    degreesOfSeparation: mean === null ? null : mean - 1,
    distanceHistogram: histogram,
    withinHopsFraction,
    effectiveDiameter90: effectiveDiameter(histogram, 0.9),
    effectiveDiameter90Integer: distanceQuantile(histogram, 0.9),
    medianDistance: distanceQuantile(histogram, 0.5),
    spid: spid(histogram),
    perPersonMeanDistance: perPersonPercentiles(reached, distanceSum),
    maxDistanceSeen: batches.reduce((m, b) => Math.max(m, b.maxDistance), 0),
    reachablePairFraction: nodes > 1 && sources > 0 ? pairs / (sources * (nodes - 1)) : 0,
    sources,
    exact: sources >= nodes,
    arcsScanned: batches.reduce((s, b) => s + b.arcsScanned, 0),
    arcsRead: batches.reduce((s, b) => s + b.arcsRead, 0),
  };
}
