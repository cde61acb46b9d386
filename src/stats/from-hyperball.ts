/**
 * HyperBall's neighbourhood function as the same Estimate a BFS sample gives,
 * so one report serves both methods.
 */
import { groupInterval, type HyperBallResult } from '../algorithms/hyperball/index.js';
import { distanceQuantile, perPersonPercentiles, spid, withinFractions } from './distribution.js';
import type { Estimate } from './estimate.js';

/** `n`: nodes of the graph HyperBall ran on (every node is a source). */
export function estimateFromHyperBall(hb: HyperBallResult, n: number): Estimate {
  const histogram = hb.distanceHistogram;
  const withinHopsFraction = withinFractions(histogram);
  const withinHopsFractionCi95 = groupWithinIntervals(hb, withinHopsFraction);
  let maxDistance = histogram.length - 1;
  while (maxDistance > 0 && histogram[maxDistance] <= 0) maxDistance--;
  const means = Array.from(hb.perNodeMeanDistance).filter((x) => Number.isFinite(x));
  // The JSON's hyperBall object also carries the register groups behind the intervals.
  const { log2m: usedLog2m, relativeStandardError, iterations, converged, memoryBytes, groups } = hb;
  const hyperBall = { log2m: usedLog2m, relativeStandardError, iterations, converged, memoryBytes, groups };
  return {
    meanDistance: hb.meanDistance,
    meanDistanceCi95: hb.meanDistanceCi95,
    degreesOfSeparation: hb.meanDistance === null ? null : hb.meanDistance - 1,
    distanceHistogram: histogram,
    withinHopsFraction,
    withinHopsFractionCi95,
    effectiveDiameter90: hb.effectiveDiameter90,
    effectiveDiameter90Ci95: hb.effectiveDiameter90Ci95,
    effectiveDiameter90Integer: distanceQuantile(histogram, 0.9),
    medianDistance: distanceQuantile(histogram, 0.5),
    spid: spid(histogram),
    perPersonMeanDistance: perPersonPercentiles(means.map(() => 1), means),
    maxDistanceSeen: maxDistance,
    // HyperLogLog counts can overshoot n - 1 per node: a share is clipped to [0, 1].
    reachablePairFraction: n > 1 ? Math.min(1, Math.max(0, hb.reachablePairs / (n * (n - 1)))) : 0,
    sources: n,
    exact: false,
    arcsScanned: 0,
    arcsRead: 0,
    hyperBall,
  };
}

/**
 * 95% intervals of the within-h fractions from the register groups, as the
 * mean distance's: each group's own F_j(h) from its neighbourhood function is a
 * replicate; the spread gives the interval, clipped to [0, 1].
 */
function groupWithinIntervals(hb: HyperBallResult, within: number[]): [number, number][] | null {
  const perGroup = hb.groupNeighbourhood.map((nj) => {
    const histogram = [0];
    for (let t = 1; t < nj.length; t++) histogram.push(nj[t] - nj[t - 1]);
    return withinFractions(histogram);
  });
  const intervals: [number, number][] = [];
  for (let h = 0; h < within.length; h++) {
    // A group whose counters stopped changing earlier has all its pairs within h hops by then.
    const ci = groupInterval(within[h], perGroup.map((f) => (f.length > 1 ? (f[Math.min(h, f.length - 1)] ?? NaN) : NaN)));
    if (ci === null) return null;
    intervals.push([Math.max(0, ci[0]), Math.min(1, ci[1])]);
  }
  return intervals;
}
