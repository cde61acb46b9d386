/**
 * Figures of a distance distribution (histogram[d] = ordered pairs at distance
 * d, element 0 unused): the within-h fractions, quantiles, SNAP's effective
 * diameter, spid, and the per-person percentiles. Shared by every method, so a
 * figure means the same thing whether BFS or HyperBall produced the histogram.
 */

/** Sums histograms of different lengths element by element. */
export function mergeHistograms(histograms: number[][]): number[] {
  const out: number[] = [0];
  for (const h of histograms) {
    while (out.length < h.length) out.push(0);
    for (let d = 1; d < h.length; d++) out[d] += h[d];
  }
  return out;
}

/** Element h = share of the pairs within h hops (element 0 is 0); all zeros when there are no pairs. */
export function withinFractions(histogram: number[]): number[] {
  const pairs = histogram.reduce((a, b) => a + Math.max(b, 0), 0);
  const out = [0];
  let cumulative = 0;
  for (let d = 1; d < histogram.length; d++) {
    cumulative += Math.max(histogram[d], 0);
    out.push(pairs > 0 ? cumulative / pairs : 0);
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
/** Percentiles of each sampled person's own mean distance, and their histogram. */
export interface PerPersonMeanDistance {
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
  histogram: PerPersonBin[];
}

export function perPersonPercentiles(reached: number[], distanceSum: number[]): PerPersonMeanDistance | null {
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
