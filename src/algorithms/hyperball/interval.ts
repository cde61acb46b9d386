/**
 * HyperBall's 95% intervals: from the spread of the register groups' own
 * estimates within one run (Student's t over g groups).
 */
/** Student's t 0.975 quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.093, 2.086,
  2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];
const Z975 = 1.959963984540054;

/** The 0.975 quantile of Student's t with df degrees of freedom (table to 30, then the Cornish-Fisher expansion, within 1e-4). */
export function studentT975(df: number): number {
  if (df <= T975.length) return T975[df - 1];
  const z = Z975;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df * df);
}

/**
 * The 95% interval of an estimate from the g register groups: estimate ± t_{g-1, 0.975} sd(x_j) / sqrt(g),
 * x_j the same figure computed from group j's neighbourhood function alone.
 *
 * Why this is the error of the full estimate. Group j (registers [j m/g, (j+1) m/g)
 * of every counter) is a HyperLogLog counter of m/g registers over the elements of
 * B(x, t) whose hash falls in its range, that is over B(x, t) ∩ S_j, S_j the ~n/g
 * nodes hashed into group j; so N_j(t) = g Σ_x |B(x, t) ∩ S_j|-estimate is an
 * estimate of N(t), and x_j is the figure over the pairs (x, y) with y in S_j.
 * Groups share no register and no node, and given the split into S_j the hash bits
 * that decide each group's registers are independent: the x_j are close to
 * independent and identically distributed, and sd(x_j) / sqrt(g) estimates the sd
 * of their average. The full counter is HyperLogLog's stochastic averaging over all
 * m registers: to first order its estimate is the average of the group
 * estimates (a harmonic instead of an arithmetic mean over the groups, both with
 * relative error beta / sqrt(m)), so the full estimate's error is that of the
 * group average. Two things the full estimate has and the spread does not, or
 * the reverse: the spread also contains the variation from splitting the
 * targets into S_j (absent in the full estimate: conservative, noticeable when n/g
 * is small and nodes' distances differ widely), and the full estimate has
 * HyperLogLog's bias, which the spread cannot see.
 *
 * Measured (bench/hyperball-coverage.ts, 100 hash seeds each, against
 * truth.json, on facebook_combined, CA-GrQc, ENGB and directed email-Eu-core):
 * the sd of the full estimate over seeds equals that of the group average to a
 * few per cent from 2^9 registers on, and up to 8% larger below. Stated sd
 * (half-width / t) over the real rms error: 0.94-1.27 at 2^9 (coverage 95-98%;
 * also 97% on CA-HepTh and directed Wiki-Vote), 1.01-2.0 at 2^11 (94-100%; 2.0
 * on email-Eu-core's 1,005 nodes, where the split into groups dominates); at
 * 2^6..2^8 registers 0.80-1.06, coverage 87-97%, 92.5% on average: there the
 * estimate has a small negative bias (-0.1 to -0.3 sd) and the group means are
 * skewed (a rare very high rank pulls one group down; a seed without one
 * leaves all groups a little high and close together), which a t interval from
 * 4-16 groups cannot fully see. Tried without gain there: groups of 32
 * registers instead of 16, a delete-a-group jackknife of the pooled N(t), and
 * a Richardson bias correction from the group average.
 */
export function groupInterval(estimate: number, groupValues: number[]): [number, number] | null {
  // A group without a figure (no reachable pair among its targets: graphs of a few dozen nodes) is left
  // out; the others are still exchangeable replicates.
  const values = groupValues.filter(Number.isFinite);
  const g = values.length;
  if (g < 2) return null;
  const average = values.reduce((a, b) => a + b, 0) / g;
  const variance = values.reduce((a, v) => a + (v - average) ** 2, 0) / (g - 1);
  const half = (studentT975(g - 1) * Math.sqrt(variance)) / Math.sqrt(g);
  return [estimate - half, estimate + half];
}
