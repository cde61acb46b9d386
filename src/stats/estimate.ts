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
  /** Set when the figures come from HyperBall (--method hyperball) rather than BFS. */
  hyperBall?: { log2m: number; relativeStandardError: number; iterations: number; converged: boolean; memoryBytes: number; groups: number };
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
