/**
 * The CI guard's rule, pure (bench/ci.ts measures, this judges): each guarded
 * figure is compared with its committed baseline (bench/baseline.json) and its
 * floor.
 *
 *  - "higher is better" (speed-ups): fails when measured < baseline * (1 - maxDrop),
 *    or below its floor;
 *  - "lower is better" (bytes per edge, the bad-lines time ratio): the sense is
 *    inverted, the figure's goodness is 1 / value, so it fails when
 *    baseline / measured < 1 - maxDrop (measured > baseline / 0.75 with the
 *    default 25%), or above its floor (for these the floor is a ceiling).
 *
 * "change" is the change in goodness against the baseline: +10% is better, -30%
 * is a regression whichever way the figure points.
 */

export type Better = 'higher' | 'lower';

export interface GuardSpec {
  /** Name shown in the table and used as the key in bench/baseline.json. */
  name: string;
  better: Better;
  /** Hard limit regardless of the baseline: a minimum when higher is better, a maximum when lower is better. */
  floor: number;
  /** Shown after the figures, e.g. "x" or " B". */
  unit: string;
}

export type Verdict = 'ok' | 'REGRESSION' | 'BELOW FLOOR' | 'ABOVE CEILING' | 'NO BASELINE' | 'MISSING';

export interface GuardRow {
  spec: GuardSpec;
  measured: number | null;
  baseline: number | null;
  /** Goodness vs baseline: measured/baseline - 1 (higher better) or baseline/measured - 1 (lower better). */
  change: number | null;
  verdict: Verdict;
  /** Why it failed, one line, or null. */
  reason: string | null;
}

/** Default largest allowed drop against the baseline. */
export const MAX_DROP = 0.25;

export function judge(specs: GuardSpec[], measured: Record<string, number>, baseline: Record<string, number>, maxDrop = MAX_DROP): GuardRow[] {
  return specs.map((spec) => {
    const m = measured[spec.name];
    const b = baseline[spec.name];
    const hasM = typeof m === 'number' && Number.isFinite(m);
    const hasB = typeof b === 'number' && Number.isFinite(b) && b > 0;
    const fmt = (x: number) => `${x.toFixed(2)}${spec.unit}`;
    if (!hasM) return { spec, measured: null, baseline: hasB ? b : null, change: null, verdict: 'MISSING', reason: `${spec.name}: not measured` };
    const change = !hasB ? null : spec.better === 'higher' ? m / b - 1 : m > 0 ? b / m - 1 : Infinity;
    let verdict: Verdict = 'ok';
    let reason: string | null = null;
    if (spec.better === 'higher' && m < spec.floor) {
      verdict = 'BELOW FLOOR';
      reason = `${spec.name}: ${fmt(m)} is below its floor ${fmt(spec.floor)}`;
    } else if (spec.better === 'lower' && m > spec.floor) {
      verdict = 'ABOVE CEILING';
      reason = `${spec.name}: ${fmt(m)} is above its ceiling ${fmt(spec.floor)}`;
    } else if (change === null) {
      verdict = 'NO BASELINE';
      reason = `${spec.name}: no baseline in bench/baseline.json (npm run bench:ci -- --write-baseline)`;
    } else if (change < -maxDrop) {
      verdict = 'REGRESSION';
      reason = `${spec.name}: ${fmt(m)} against baseline ${fmt(b)} is ${(-change * 100).toFixed(0)}% worse (more than ${(maxDrop * 100).toFixed(0)}% allowed)`;
    }
    return { spec, measured: m, baseline: hasB ? b : null, change, verdict, reason };
  });
}

export function formatGuardTable(rows: GuardRow[], maxDrop = MAX_DROP): string {
  const header = ['guarded figure', 'better', 'measured', 'baseline', 'floor', 'change', 'verdict'];
  const num = (x: number | null, unit: string) => (x === null ? '-' : `${x.toFixed(2)}${unit}`);
  const cells = rows.map((r) => [
    r.spec.name,
    r.spec.better,
    num(r.measured, r.spec.unit),
    num(r.baseline, r.spec.unit),
    `${r.spec.better === 'higher' ? '>=' : '<='} ${num(r.spec.floor, r.spec.unit)}`,
    r.change === null ? '-' : `${r.change >= 0 ? '+' : ''}${(r.change * 100).toFixed(1)}%`,
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 || i === 1 || i === 6 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
    `change = against the baseline, + is better (lower-is-better figures inverted); fails below -${(maxDrop * 100).toFixed(0)}% or past the floor`,
  ].join('\n');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * The baseline of a figure from several runs: the 25th percentile of its goodness
 * (the second worst of 5 runs, the worst of up to 4), so the noise of a shared
 * machine sits mostly above it, yet a real 2x regression still falls far below it.
 */
export function conservative(values: number[], better: Better): number {
  const sorted = [...values].sort((a, b) => (better === 'higher' ? a - b : b - a)); // worst first
  return sorted[Math.floor((sorted.length - 1) / 4)];
}
