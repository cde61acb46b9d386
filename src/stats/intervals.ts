/**
 * 95% intervals of the figures a sample of BFS sources gives: ratio estimators
 * with delta-method standard errors and the finite-population correction.
 */
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

/** Wilson score interval for x successes out of n (95%). */
export function wilson(x: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 1];
  const p = x / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  // At x = 0 or x = n the interval ends exactly at 0 or 1 (not a rounding error away).
  return [x === 0 ? 0 : Math.max(0, centre - half), x === n ? 1 : Math.min(1, centre + half)];
}
