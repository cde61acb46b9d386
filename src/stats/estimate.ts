/**
 * From per-batch BFS results to the figures users quote: mean distance, the
 * within-h fractions and the effective diameter, each with a 95% interval, then
 * degrees of separation and the distance distribution. Batches are merged in
 * batch order (= source order) and every sum runs over sources in that order, so
 * the answer does not depend on which thread ran which batch, or on how many threads there were.
 */
import type { BatchResult } from '../algorithms/kernels/types.js';
import { distanceQuantile, effectiveDiameter, mergeHistograms, perPersonPercentiles, spid, withinFractions, type PerPersonMeanDistance } from './distribution.js';
import { hopIntervals, meanWithInterval } from './intervals.js';

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
  perPersonMeanDistance: PerPersonMeanDistance | null;
  /** Largest distance seen: a lower bound on the diameter (the diameter itself when exact). */
  maxDistanceSeen: number;
  /** Share of ordered pairs (s, t), s != t, with t reachable from s. */
  reachablePairFraction: number;
  sources: number;
  exact: boolean;
  arcsScanned: number;
  /** Adjacency entries the kernel actually read (work, depends on batching: a timing figure). */
  arcsRead: number;
  /**
   * The sufficient statistics of the ratio estimators over the sampled sources (EstimateSums): what
   * `smallworld compare` needs for the intervals of differences without the per-source values. BFS only:
   * absent with HyperBall, which has no per-source sums.
   */
  sums?: EstimateSums;
  /** Set when the figures come from HyperBall (--method hyperball) rather than BFS. */
  hyperBall?: { log2m: number; relativeStandardError: number; iterations: number; converged: boolean; memoryBytes: number; groups: number };
}

/**
 * The sums over the k sampled sources s (in sample order) that every figure's 95% interval is a function
 * of. Each figure is a ratio sum(y_s) / sum(x_s), x_s = nodes s reaches; its delta-method variance is
 * (1 - k/n) * sum_s (y_s - R x_s)^2 / (k - 1) / k / mean(x)^2 with
 * sum_s (y_s - R x_s)^2 = yy - 2 R xy + R^2 xx, so these few numbers give the same standard errors as
 * the per-source values (up to rounding). Counts are integers: exact below 2^53, summed in sample order
 * (the same bits at any thread count). O(levels) numbers, whatever k and n.
 */
export interface EstimateSums {
  /** Sources sampled (k). */
  k: number;
  /** The population they were drawn from without replacement (n): k = n is every node, exact figures. */
  n: number;
  /** sum x_s and sum x_s^2, x_s = nodes source s reaches (itself excluded). */
  x: number;
  xx: number;
  /** The mean distance: y_s = the distance sum of source s; sum y, sum y^2, sum x y. */
  distance: { y: number; yy: number; xy: number };
  /**
   * The within-h fractions: element h (0 .. the largest distance seen) of each array is over
   * c_s(h) = nodes within h hops of s (c_s(h) = x_s beyond its eccentricity): y[h] = sum c(h),
   * yy[h] = sum c(h)^2, xy[h] = sum x c(h); yNext[h] = sum c(h) c(h+1) for h < the largest distance
   * (the effective diameter's interpolation mixes two adjacent levels). yy, xy and yNext are null when
   * every node is a source (zero-width intervals; the per-source hop counts are not kept then).
   */
  withinHops: { y: number[]; yy: number[] | null; xy: number[] | null; yNext: number[] | null };
}

/** The sums of EstimateSums from the per-source values, in sample order; hop counts may be absent (every node a source). */
export function estimateSums(
  reached: ArrayLike<number>,
  distanceSum: ArrayLike<number>,
  histogram: number[],
  nodes: number,
  hops: { eccentricity: ArrayLike<number>; hopCounts: ArrayLike<number> } | null,
): EstimateSums {
  const k = reached.length;
  let x = 0;
  let xx = 0;
  let y = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < k; i++) {
    const r = reached[i];
    const d = distanceSum[i];
    x += r;
    xx += r * r;
    y += d;
    yy += d * d;
    xy += r * d;
  }
  const levels = histogram.length - 1;
  // y[h] = pairs within h hops: the same integers whether summed by source or by histogram element.
  const within = [0];
  for (let h = 1, c = 0; h <= levels; h++) within.push((c += histogram[h]));
  let second: Pick<EstimateSums['withinHops'], 'yy' | 'xy' | 'yNext'> = { yy: null, xy: null, yNext: null };
  if (hops && hops.eccentricity.length === k && levels >= 0) {
    const cc = new Array<number>(levels + 1).fill(0);
    const cx = new Array<number>(levels + 1).fill(0);
    const next = new Array<number>(Math.max(levels, 0)).fill(0);
    for (let i = 0, at = 0; i < k; i++) {
      const r = reached[i];
      const e = hops.eccentricity[i];
      let c = 0; // c_s(h - 1)
      for (let h = 1; h <= levels; h++) {
        const previous = c;
        if (h <= e) c += hops.hopCounts[at + h - 1];
        cc[h] += c * c;
        cx[h] += r * c;
        next[h - 1] += previous * c;
      }
      at += e;
    }
    second = { yy: cc, xy: cx, yNext: next };
  }
  return { k, n: nodes, x, xx, distance: { y, yy, xy }, withinHops: { y: within, ...second } };
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
  const withinHopsFraction = withinFractions(histogram);
  const effectiveDiameter90 = effectiveDiameter(histogram, 0.9);
  let withinHopsFractionCi95: [number, number][] | null = null;
  let effectiveDiameter90Ci95: [number, number] | null = null;
  const eccentricity = batches.flatMap((b) => b.eccentricity);
  const hopCounts = batches.flatMap((b) => b.hopCounts);
  const perSourceHops = eccentricity.length === sources && sources < nodes ? { eccentricity, hopCounts } : null;
  if (sources >= nodes && pairs > 0) {
    withinHopsFractionCi95 = withinHopsFraction.map((f) => [f, f]);
    effectiveDiameter90Ci95 = effectiveDiameter90 === null ? null : [effectiveDiameter90, effectiveDiameter90];
  } else if (pairs > 0) {
    const hops = hopIntervals({ reached, eccentricity, hopCounts }, nodes, 0.9);
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
    sums: estimateSums(reached, distanceSum, histogram, nodes, perSourceHops),
  };
}
