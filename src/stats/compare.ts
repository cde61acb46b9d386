/**
 * Differences between two estimates, with 95% intervals, from the sums each BFS estimate keeps
 * (EstimateSums, the `sums` of its JSON): the mean distance, every within-h fraction and the effective
 * diameter, one plain sentence per pair, and how many sources would resolve a given difference.
 *
 * Two estimates come from independent samples (different graphs, or the same graph with different seeds),
 * so var(A - B) = var(A) + var(B), each variance the delta-method one of its ratio estimator with its own
 * finite-population correction, exactly as src/stats/intervals.ts computes it, but from sums:
 *   sum_s (y_s - R x_s)^2 = yy - 2 R xy + R^2 xx,   var(R) = (1 - k/n) sum_s (y_s - R x_s)^2 / (k - 1) / k / mean(x)^2.
 * The difference's interval is (A - B) ± 1.96 sqrt(var(A) + var(B)) for every figure. An exact estimate
 * (k = n) has variance 0; two exact ones give an exact difference.
 *
 * Pure functions: the same sums give the same bits, whether fresh or read back from results.jsonl.
 */
import type { EstimateSums } from './estimate.js';

const Z95 = 1.959963984540054;

/** What a comparison needs of an estimate: a name for the sentence and its sums. */
export interface ComparableEstimate {
  name: string;
  sums: EstimateSums;
}

/** One figure of one estimate, from its sums: the value, its standard error (0 when exact; null with fewer than 2 sources). */
export interface FigureFromSums {
  value: number | null;
  standardError: number | null;
  /** Every node was a source (k = n): the value is exact. */
  exact: boolean;
}

/** One figure's difference A - B. */
export interface Difference {
  /** The figure in A and in B (null when undefined, e.g. no reachable pairs). */
  a: number | null;
  b: number | null;
  /** A - B. */
  difference: number | null;
  /** sqrt(var(A) + var(B)); 0 when both are exact; null when either has no standard error. */
  standardError: number | null;
  /** 95% interval of A - B: difference ± 1.96 standardError. */
  ci95: [number, number] | null;
  /** Both estimates exact (every node a source): the difference is exact. */
  exact: boolean;
  /** The interval excludes 0 (for exact figures: the difference is not 0). */
  detectable: boolean;
}

export interface PairComparison {
  a: string;
  b: string;
  meanDistance: Difference;
  /** One entry per h = 1 .. the larger of the two largest distances: the within-h fractions' difference (shares, not percent). */
  withinHopsFraction: Array<Difference & { hops: number }>;
  effectiveDiameter90: Difference;
  /**
   * When the mean distance's difference is not detectable: the sources per dataset (same sampling as now,
   * the finite-population correction included) at which its 95% half-width would be `resolution` hops.
   * A dataset whose count would reach its population is exact there (count = n). Null otherwise.
   */
  sourcesToResolve: { resolution: number; a: number; b: number } | null;
  /** One plain sentence about the mean distance. */
  sentence: string;
}

export interface CompareStatsOptions {
  /** The difference in mean distance (hops) the "sources would resolve" sentence aims at. Default 0.01. */
  resolution?: number;
}

export const DEFAULT_RESOLUTION = 0.01;

/**
 * Sum of squares about the ratios, sum_s (y1_s - R1 x_s)(y2_s - R2 x_s), from sums (a variance when
 * y1 = y2); divided by mean(x)^2 it is the sum of products of influence values.
 */
function centredProduct(y1y2: number, xy1: number, xy2: number, r1: number, r2: number, xx: number): number {
  return y1y2 - r2 * xy1 - r1 * xy2 + r1 * r2 * xx;
}

/** var(R) from the centred sum of squares, as intervals.ts's halfWidth: 0 at k >= n, null below 2 sources. */
function ratioVariance(centred: number, s: EstimateSums): number | null {
  const { k, n } = s;
  if (k >= n) return 0;
  if (k < 2 || s.x === 0) return null;
  const xbar = s.x / k;
  const ss = Math.max(0, centred) / (xbar * xbar);
  return ((1 - k / n) * ss) / (k - 1) / k;
}

/** Per-source variance of the mean distance's influence values, s^2, so that var = s^2 (1/k - 1/n); null below 2 sources. */
function meanUnitVariance(s: EstimateSums): number | null {
  if (s.k < 2 || s.x === 0) return null;
  const r = s.distance.y / s.x;
  const xbar = s.x / s.k;
  return Math.max(0, centredProduct(s.distance.yy, s.distance.xy, s.distance.xy, r, r, s.xx)) / (xbar * xbar) / (s.k - 1);
}

/** The mean distance and its standard error from the sums. */
export function meanFromSums(s: EstimateSums): FigureFromSums {
  const exact = s.k >= s.n;
  if (s.x === 0) return { value: null, standardError: null, exact };
  const r = s.distance.y / s.x;
  const v = ratioVariance(centredProduct(s.distance.yy, s.distance.xy, s.distance.xy, r, r, s.xx), s);
  return { value: r, standardError: v === null ? null : Math.sqrt(v), exact };
}

/** F(h) = share of the pairs within h hops, and its standard error, for h = 0 .. levels (beyond the last level F = 1, exactly). */
export function withinFromSums(s: EstimateSums, h: number): FigureFromSums {
  const w = s.withinHops;
  const last = w.y.length - 1;
  const exact = s.k >= s.n;
  if (s.x === 0) return { value: null, standardError: null, exact };
  if (h > last) return { value: 1, standardError: 0, exact };
  const f = w.y[h] / s.x;
  if (exact) return { value: f, standardError: 0, exact };
  if (!w.yy || !w.xy) return { value: f, standardError: null, exact };
  const v = ratioVariance(centredProduct(w.yy[h], w.xy[h], w.xy[h], f, f, s.xx), s);
  return { value: f, standardError: v === null ? null : Math.sqrt(v), exact };
}

/**
 * SNAP's interpolated q-effective diameter (as effectiveDiameter(histogram): the same integers, the same
 * operations) and its delta-method standard error: the standard error of the interpolated within-fraction
 * (1 - t) F(D-1) + t F(D) at the estimate, divided by the slope F(D) - F(D-1).
 */
export function effectiveDiameterFromSums(s: EstimateSums, q = 0.9): FigureFromSums {
  const w = s.withinHops;
  const sx = s.x;
  const exact = s.k >= s.n;
  if (sx === 0 || w.y.length < 2) return { value: null, standardError: null, exact };
  let d = 1;
  while (d < w.y.length - 1 && w.y[d] / sx < q) d++;
  const below = w.y[d - 1];
  const slope = (w.y[d] - below) / sx;
  const t = (q - below / sx) / slope;
  const value = d - 1 + t;
  if (exact) return { value, standardError: 0, exact };
  if (!w.yy || !w.xy || !w.yNext) return { value, standardError: null, exact };
  const f0 = below / sx;
  const f1 = w.y[d] / sx;
  const c00 = centredProduct(w.yy[d - 1], w.xy[d - 1], w.xy[d - 1], f0, f0, s.xx);
  const c11 = centredProduct(w.yy[d], w.xy[d], w.xy[d], f1, f1, s.xx);
  const c01 = centredProduct(w.yNext[d - 1], w.xy[d - 1], w.xy[d], f0, f1, s.xx);
  const v = ratioVariance((1 - t) * (1 - t) * c00 + 2 * t * (1 - t) * c01 + t * t * c11, s);
  return { value, standardError: v === null ? null : Math.sqrt(v) / slope, exact };
}

/** A - B with its 95% interval, from two figures with standard errors. */
export function difference(a: FigureFromSums, b: FigureFromSums): Difference {
  const exact = a.exact && b.exact;
  if (a.value === null || b.value === null) return { a: a.value, b: b.value, difference: null, standardError: null, ci95: null, exact, detectable: false };
  const d = a.value - b.value;
  if (a.standardError === null || b.standardError === null) return { a: a.value, b: b.value, difference: d, standardError: null, ci95: null, exact: false, detectable: false };
  const se = Math.sqrt(a.standardError * a.standardError + b.standardError * b.standardError);
  const ci95: [number, number] = [d - Z95 * se, d + Z95 * se];
  return { a: a.value, b: b.value, difference: d, standardError: se, ci95, exact, detectable: exact ? d !== 0 : ci95[0] > 0 || ci95[1] < 0 };
}

/** Rounds up to two significant digits: "about" 13,000 rather than 12,345. */
function roundUp2(x: number): number {
  if (x <= 100) return Math.ceil(x);
  const unit = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / unit) * unit;
}

/**
 * Sources per dataset at which the 95% half-width of the mean distance's difference would be `resolution`:
 * 1.96^2 (sa2 (1/k - 1/na) + sb2 (1/k - 1/nb)) = resolution^2 with the same k for both, each s^2 the
 * per-source variance seen in its sample; a dataset whose k would reach its n is taken whole (exact,
 * variance 0) and k is solved again for the other. Null when a per-source variance is unknown.
 */
export function sourcesToResolve(a: EstimateSums, b: EstimateSums, resolution: number): { a: number; b: number } | null {
  const sa = meanUnitVariance(a);
  const sb = meanUnitVariance(b);
  if (sa === null || sb === null || !(resolution > 0)) return null;
  const target = (resolution / Z95) ** 2;
  const solve = (parts: Array<{ s2: number; n: number }>) => parts.reduce((t, p) => t + p.s2, 0) / (target + parts.reduce((t, p) => t + p.s2 / p.n, 0));
  let k = solve([{ s2: sa, n: a.n }, { s2: sb, n: b.n }]);
  const wholeA = k >= a.n;
  const wholeB = k >= b.n;
  if (wholeA && !wholeB) k = solve([{ s2: sb, n: b.n }]);
  else if (wholeB && !wholeA) k = solve([{ s2: sa, n: a.n }]);
  const count = (n: number, whole: boolean) => (whole ? n : Math.min(n, Math.max(2, roundUp2(k))));
  return { a: count(a.n, wholeA || k >= a.n), b: count(b.n, wholeB || k >= b.n) };
}

/** Decimals that resolve a 95% half-width: at least 2, one more for each tenfold narrower below 0.1 (at most 6). */
function decimalsFor(half: number): number {
  if (!(half > 0)) return 4;
  return Math.min(6, Math.max(2, -Math.floor(Math.log10(half))));
}

const count = (x: number): string => x.toLocaleString('en-US');

/** The sentence about the mean distance. */
export function meanSentence(a: string, b: string, m: Difference, resolve: PairComparison['sourcesToResolve'], sums?: { a: EstimateSums; b: EstimateSums }): string {
  if (m.difference === null) return `${a} vs ${b}: no mean distance to compare (${m.a === null ? a : b} has no reachable pairs)`;
  const d = m.difference;
  if (m.exact) {
    if (d === 0) return `${a} and ${b} have the same mean distance, ${m.a!.toFixed(4)} hops (exact figures: every node a source in both)`;
    return `${a}'s mean distance is ${Math.abs(d).toFixed(4)} hops ${d > 0 ? 'longer' : 'shorter'} than ${b}'s (exact: every node a source in both)`;
  }
  if (m.ci95 === null) return `${a}'s mean distance is ${d.toFixed(4)} hops ${d >= 0 ? 'longer' : 'shorter'} than ${b}'s; no interval (fewer than 2 sources)`;
  const [low, high] = m.ci95;
  const digits = decimalsFor((high - low) / 2);
  const f = (x: number) => x.toFixed(digits);
  if (m.detectable) {
    // As magnitudes: "1.99 hops longer (95% CI 1.95 to 2.03)", or shorter with the interval turned round.
    return d > 0
      ? `${a}'s mean distance is ${f(d)} hops longer than ${b}'s (95% CI ${f(low)} to ${f(high)})`
      : `${a}'s mean distance is ${f(-d)} hops shorter than ${b}'s (95% CI ${f(-high)} to ${f(-low)})`;
  }
  const seen = `${a} - ${b} = ${d >= 0 ? '+' : ''}${f(d)} hops, 95% CI ${f(low)} to ${f(high)}`;
  let how = '';
  if (resolve) {
    const h = resolve.resolution;
    const now = sums ? { a: sums.a.k, b: sums.b.k } : null;
    if (now && resolve.a <= now.a && resolve.b <= now.b) {
      how = `; the interval already rules out differences beyond ${f(Math.max(Math.abs(low), Math.abs(high)))} hops`;
    } else {
      const wholeA = sums !== undefined && resolve.a >= sums.a.n;
      const wholeB = sums !== undefined && resolve.b >= sums.b.n;
      const who =
        wholeA && wholeB
          ? 'only exact figures for both (--exact)'
          : wholeA || wholeB
            ? `about ${count(wholeA ? resolve.b : resolve.a)} sources for ${wholeA ? b : a} and every node of ${wholeA ? a : b} (--exact)`
            : resolve.a === resolve.b
              ? `about ${count(resolve.a)} sources per dataset`
              : `about ${count(resolve.a)} sources for ${a} and ${count(resolve.b)} for ${b}`;
      how = `; ${who} would resolve ${h} hops`;
    }
  }
  return `${a} vs ${b}: no difference in mean distance detectable at this sample size (${seen})${how}`;
}

/** Every figure's difference between two estimates, and the sentence. */
export function comparePair(a: ComparableEstimate, b: ComparableEstimate, options: CompareStatsOptions = {}): PairComparison {
  const resolution = options.resolution ?? DEFAULT_RESOLUTION;
  const meanDistance = difference(meanFromSums(a.sums), meanFromSums(b.sums));
  const levels = Math.max(a.sums.withinHops.y.length, b.sums.withinHops.y.length) - 1;
  const withinHopsFraction: PairComparison['withinHopsFraction'] = [];
  for (let h = 1; h <= levels; h++) withinHopsFraction.push({ hops: h, ...difference(withinFromSums(a.sums, h), withinFromSums(b.sums, h)) });
  const effectiveDiameter90 = difference(effectiveDiameterFromSums(a.sums), effectiveDiameterFromSums(b.sums));
  const k = !meanDistance.detectable && !meanDistance.exact && meanDistance.ci95 !== null ? sourcesToResolve(a.sums, b.sums, resolution) : null;
  const resolve = k ? { resolution, ...k } : null;
  return {
    a: a.name,
    b: b.name,
    meanDistance,
    withinHopsFraction,
    effectiveDiameter90,
    sourcesToResolve: resolve,
    sentence: meanSentence(a.name, b.name, meanDistance, resolve, { a: a.sums, b: b.sums }),
  };
}

/** Every pair (i < j, in the order given) of several estimates. */
export function compareAll(estimates: ComparableEstimate[], options: CompareStatsOptions = {}): PairComparison[] {
  const pairs: PairComparison[] = [];
  for (let i = 0; i < estimates.length; i++) for (let j = i + 1; j < estimates.length; j++) pairs.push(comparePair(estimates[i], estimates[j], options));
  return pairs;
}
