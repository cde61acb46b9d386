/**
 * From per-batch BFS results to the figures users quote: mean distance, the
 * within-h fractions and the effective diameter, each with a 95% interval, then
 * degrees of separation and the distance distribution. Batches are merged in
 * batch order (= source order) and every sum runs over sources in that order, so
 * the answer does not depend on which thread ran which batch, or on how many threads there were.
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
  /**
   * Element h = 95% interval [low, high] for withinHopsFraction[h] from the variation between sources
   * (zero width when exact); null when there is no interval (fewer than 2 sources). Absent with HyperBall (not computed from its groups yet).
   */
  withinHopsFractionCi95?: [number, number][] | null;
  /** 90-percentile effective diameter, linearly interpolated between hop counts (SNAP). */
  effectiveDiameter90: number | null;
  /** 95% interval for effectiveDiameter90, as withinHopsFractionCi95; with HyperBall, from its register groups. */
  effectiveDiameter90Ci95?: [number, number] | null;
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
  hyperBall?: { log2m: number; relativeStandardError: number; iterations: number; converged: boolean; memoryBytes: number; groups: number };
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

/*
 * Intervals. Every figure is a function of ratio estimators sum_s y_s / sum_s x_s over
 * the k sampled sources s, where x_s = nodes s reaches and y_s = the distance sum
 * (mean distance) or the nodes within h hops (within-h fraction F(h)). A ratio's
 * delta-method linearization gives each source an influence value
 * z_s = (y_s - R x_s) / mean(x); a smooth function of ratios has influence
 * sum_j (df/dR_j) z_js. The estimate's variance is then
 * (1 - k/n) * sum_s z_s^2 / (k - 1) / k: sampling without replacement from n
 * people, with the finite-population correction, so exact (zero width) at k = n.
 * The mean's interval is estimate ± 1.96 standard errors; the within-h fractions and
 * the effective diameter use the same standard errors on a better-suited scale (hopIntervals).
 * Sums run over the sources in sample order: the same bits at any thread count.
 */

/** 95% half-width from per-source influence values (they sum to zero), k of `population` sampled; null below 2 sources. */
function halfWidth(influence: ArrayLike<number>, population: number): number | null {
  const k = influence.length;
  if (k >= population) return 0;
  if (k < 2) return null;
  let ss = 0;
  for (let i = 0; i < k; i++) ss += influence[i] * influence[i];
  return Z95 * Math.sqrt(((1 - k / population) * ss) / (k - 1) / k);
}

/** Ratio estimator sum(y) / sum(x) and its per-source influence values (y_s - R x_s) / mean(x); null ratio when sum(x) = 0. */
function ratioInfluence(y: ArrayLike<number>, x: ArrayLike<number>, influence: Float64Array): number | null {
  const k = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < k; i++) {
    sx += x[i];
    sy += y[i];
  }
  if (sx === 0) return null;
  const ratio = sy / sx;
  const xbar = sx / k;
  for (let i = 0; i < k; i++) influence[i] = (y[i] - ratio * x[i]) / xbar;
  return ratio;
}

/**
 * A ratio estimator over sampled sources, sum(y_s) / sum(x_s), with its 95% interval: delta-method
 * standard error, finite-population correction (1 - k/n), so zero width when k = n. The mean distance
 * is one (y = distance sum, x = nodes reached); hopIntervals computes each within-h fraction's standard
 * error with the same two pieces (ratioInfluence, halfWidth) as one more (y = nodes within h hops).
 */
export function ratioWithInterval(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  population: number,
): { ratio: number | null; ci: [number, number] | null } {
  const influence = new Float64Array(x.length);
  const ratio = ratioInfluence(y, x, influence);
  if (ratio === null) return { ratio: null, ci: null };
  const half = halfWidth(influence, population);
  return { ratio, ci: half === null ? null : [ratio - half, ratio + half] };
}

/** The mean distance: ratio of distance sums to reachable counts (ratioWithInterval). */
export function meanWithInterval(
  reached: ArrayLike<number>,
  distanceSum: ArrayLike<number>,
  population: number,
): { mean: number | null; ci: [number, number] | null } {
  const { ratio, ci } = ratioWithInterval(distanceSum, reached, population);
  return { mean: ratio, ci };
}

/** Per sampled source, in sample order: what the kernels return (types.ts). */
export interface PerSourceHops {
  reached: ArrayLike<number>;
  eccentricity: ArrayLike<number>;
  /** Each source's nodes at distance 1 .. eccentricity, one source after another. */
  hopCounts: ArrayLike<number>;
}

export interface HopIntervals {
  /** Element h = F(h), the share of the pairs found within h hops (element 0 is 0). */
  withinHopsFraction: number[];
  withinHopsFractionCi95: [number, number][] | null;
  effectiveDiameter: number | null;
  effectiveDiameterCi95: [number, number] | null;
}

/**
 * The within-h fractions F(h) = sum_s c_s(h) / sum_s x_s (c_s(h) = nodes within h hops of s) and
 * SNAP's interpolated effective diameter, with 95% intervals, from each source's hop counts; k of
 * `population` sampled. The figures equal those from the merged histogram (the same exact integer sums).
 *
 * F(h): a ratio estimator, standard error by the delta method with the finite-population correction
 * (as ratioWithInterval), interval taken on the logit scale: logit(F) ± 1.96 SE / (F (1 - F)), mapped
 * back. Near 0 and 1 the distribution of F is skewed (a few far-off sources pull it down); the logit
 * interval stays inside (0, 1) and reaches further on the long side. Coverage on facebook_combined,
 * seeds 1..2000, plain -> logit: k = 200, F(1) = 0.011: 0.939 -> 0.948, F(5) = 0.94: 0.927 -> 0.941,
 * F(6) = 0.98: 0.928 -> 0.943; k = 400: 0.945 -> 0.947, 0.933 -> 0.938, 0.939 -> 0.945; middle h
 * unchanged (0.95). Still short in the far tail of graphs with long thin arms: ENGB_edges F(5) = 0.98
 * covers 0.902 at k = 400 and 0.932 at k = 1000, CA-GrQc F(9) = 0.978 0.913 and 0.933 (1000 seeds).
 *
 * Effective diameter: the q-quantile of the distance distribution with linear interpolation between
 * hop counts, so its interval is Woodruff's (1952) for a quantile: the delta-method standard error
 * of the interpolated within-fraction at the estimate, se = SE of (1 - t) F(D-1) + t F(D) (t the
 * fractional part), then the interval is [G^-1(q - 1.96 se), G^-1(q + 1.96 se)], G^-1 the same
 * interpolation. Where the ends stay between D - 1 and D this is exactly the delta method for the
 * interpolation formula (slope dED/dF = 1 / (F(D) - F(D-1))); where an end crosses an integer it uses
 * the next segment's slope, the kink the plain delta method ignores. Measured (k = 400, seeds 1..500)
 * on ca-AstroPh, effective diameter 5.007 (F(5) = 0.9749 just past 0.9): coverage 0.954 Woodruff,
 * 0.934 plain delta, 0.894 delete-a-group jackknife (20 groups by sample position); on facebook_combined
 * (4.757, 1000 seeds) 0.930, 0.930 and 0.922. Deterministic, one pass over the sources, no groups to choose.
 */
export function hopIntervals(per: PerSourceHops, population: number, q = 0.9): HopIntervals | null {
  const { reached, eccentricity, hopCounts } = per;
  const k = reached.length;
  if (eccentricity.length !== k) return null;
  let sx = 0;
  let levels = 0;
  const start = new Float64Array(k);
  for (let i = 0, at = 0; i < k; i++) {
    sx += reached[i];
    start[i] = at;
    at += eccentricity[i];
    if (eccentricity[i] > levels) levels = eccentricity[i];
  }
  if (sx === 0) return null;
  const within = new Float64Array(k); // c_s(h), h the current level
  let now = new Float64Array(k); // influence values of F(h)
  let previous = new Float64Array(k); // ... of F(h - 1) (zero at h = 0: F(0) = 0 exactly)
  const withinHopsFraction = [0];
  const ci: [number, number][] | null = k >= 2 || k >= population ? [[0, 0]] : null; // as halfWidth: none from one source of many
  let effectiveDiameter: number | null = null;
  let spread: Float64Array | null = null; // influence values of the interpolated F at the effective diameter
  let below = 0; // sum_s c_s(h - 1): pairs within h - 1 hops
  for (let h = 1; h <= levels; h++) {
    for (let i = 0; i < k; i++) if (eccentricity[i] >= h) within[i] += hopCounts[start[i] + h - 1];
    const f = ratioInfluence(within, reached, now)!;
    withinHopsFraction.push(f);
    if (ci) ci.push(logitInterval(f, halfWidth(now, population)!));
    let upTo = 0;
    for (let i = 0; i < k; i++) upTo += within[i];
    if (effectiveDiameter === null && upTo / sx >= q) {
      // As effectiveDiameter(histogram) computes it: the same integers, the same operations.
      const t = (q - below / sx) / ((upTo - below) / sx);
      effectiveDiameter = h - 1 + t;
      spread = new Float64Array(k);
      for (let i = 0; i < k; i++) spread[i] = (1 - t) * previous[i] + t * now[i];
    }
    below = upTo;
    [previous, now] = [now, previous];
  }
  let effectiveDiameterCi95: [number, number] | null = null;
  const half = spread ? halfWidth(spread, population) : null;
  if (effectiveDiameter !== null && half !== null) {
    effectiveDiameterCi95 =
      half === 0
        ? [effectiveDiameter, effectiveDiameter]
        : [
            Math.min(effectiveDiameter, interpolatedQuantile(withinHopsFraction, q - half)),
            Math.max(effectiveDiameter, interpolatedQuantile(withinHopsFraction, q + half)),
          ];
  }
  return { withinHopsFraction, withinHopsFractionCi95: ci, effectiveDiameter, effectiveDiameterCi95 };
}

/** [low, high] for a fraction f with 95% half-width `half` on its own scale, taken on the logit scale; [f, f] at 0, 1 or no spread. */
function logitInterval(f: number, half: number): [number, number] {
  if (half === 0 || f <= 0 || f >= 1) return [f, f];
  const logit = Math.log(f / (1 - f));
  const spread = half / (f * (1 - f));
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  return [expit(logit - spread), expit(logit + spread)];
}

/** SNAP's interpolation at level p (clipped to [0, 1]) over within-fractions F (F[0] = 0): (d - 1) + (p - F(d-1)) / (F(d) - F(d-1)), d the first with F(d) >= p. */
function interpolatedQuantile(within: number[], p: number): number {
  const level = Math.min(1, Math.max(0, p));
  for (let d = 1; d < within.length; d++) if (within[d] >= level) return d - 1 + (level - within[d - 1]) / (within[d] - within[d - 1]);
  return within.length - 1;
}

/**
 * Merges batches (in batch order, which is source order) into the estimate. `nodes`: the population
 * sources were drawn from. Batches run without hop counts (every node a source) give zero-width
 * intervals from the histogram; a sample needs every source's hop counts for the within-h and
 * effective-diameter intervals (null otherwise).
 */
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
  const effectiveDiameter90 = effectiveDiameter(histogram, 0.9);
  let withinHopsFractionCi95: [number, number][] | null = null;
  let effectiveDiameter90Ci95: [number, number] | null = null;
  if (sources >= nodes && pairs > 0) {
    withinHopsFractionCi95 = withinHopsFraction.map((f) => [f, f]);
    effectiveDiameter90Ci95 = effectiveDiameter90 === null ? null : [effectiveDiameter90, effectiveDiameter90];
  } else if (pairs > 0) {
    const eccentricity = batches.flatMap((b) => b.eccentricity);
    const hops = hopIntervals({ reached, eccentricity, hopCounts: batches.flatMap((b) => b.hopCounts) }, nodes, 0.9);
    withinHopsFractionCi95 = hops?.withinHopsFractionCi95 ?? null;
    effectiveDiameter90Ci95 = hops?.effectiveDiameterCi95 ?? null;
  }
  return {
    meanDistance: mean,
    meanDistanceCi95: ci,
    degreesOfSeparation: mean === null ? null : mean - 1,
    distanceHistogram: histogram,
    withinHopsFraction,
    withinHopsFractionCi95,
    effectiveDiameter90,
    effectiveDiameter90Ci95,
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
