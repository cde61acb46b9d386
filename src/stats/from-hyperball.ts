/**
 * HyperBall's neighbourhood function as the same Estimate a BFS sample gives,
 * so one report serves both methods.
 */
import type { HyperBallResult } from '../algorithms/hyperball/index.js';
import { distanceQuantile, perPersonPercentiles, spid, withinFractions } from './distribution.js';
import type { Estimate } from './estimate.js';

/** `n`: nodes of the graph HyperBall ran on (every node is a source). */
export function estimateFromHyperBall(hb: HyperBallResult, n: number): Estimate {
  const histogram = hb.distanceHistogram;
  const withinHopsFraction = withinFractions(histogram);
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
