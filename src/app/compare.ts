/**
 * `smallworld compare A B [C...]` and the library's compare(): differences between estimates with 95%
 * intervals (src/stats/compare.ts), for every pair of the datasets given.
 *
 * Inputs, any mix:
 *   - an edge list or .swg file: estimated here with the estimate options (each file independently);
 *   - a results.jsonl (smallworld batch): every dataset in it with status ok; `results.jsonl:NAME` picks one
 *     by its name (repeat the argument for more);
 *   - an `estimate --json` file (.json: one object, or an array for several files);
 *   - (library) an estimate's JSON object itself, e.g. a parsed results.jsonl line.
 * Results read back are not computed again: their `sums` hold everything the intervals need, so they are
 * the same bits as when computed fresh. HyperBall results have no per-source sums and are refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeFsError, InputError, throwIfAborted, UsageError } from '../errors.js';
import type { EstimateSums } from '../stats/estimate.js';
import { compareAll, DEFAULT_RESOLUTION, type Difference, type PairComparison } from '../stats/compare.js';
import { checkEstimateOptions, type EstimateOptions, type LongCallOptions } from './options.js';
import { toJson, type EstimateReport } from './report.js';
import { estimatePath } from './run.js';

/** An estimate's JSON (what `estimate --json` prints, or a results.jsonl line with its `name`). */
export type ComparableReport = Pick<EstimateReport, 'file'> &
  Partial<Pick<EstimateReport, 'meanDistance' | 'meanDistanceCi95' | 'sources' | 'seed' | 'exact' | 'method' | 'populationNodes' | 'directed'>> & {
    name?: string;
    status?: string;
    sums?: EstimateSums;
  };

/** A path (edge list, .swg, results.jsonl[:NAME], estimate --json output) or an estimate's JSON. */
export type CompareInput = string | ComparableReport;

export interface CompareOptions extends EstimateOptions, LongCallOptions {
  /** The difference in mean distance (hops) the "sources would resolve" sentence aims at (default 0.01). */
  resolution?: number | string;
}

/** One dataset as compare saw it. */
export interface CompareDataset {
  name: string;
  file: string;
  /** 'estimated': an edge list estimated by this call; 'read': a result read back (results.jsonl, .json, an object). */
  origin: 'estimated' | 'read';
  sources: number;
  /** The population the sources were drawn from (k = n: exact). */
  population: number;
  exact: boolean;
  seed: number | null;
  directed: boolean | null;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
}

/** What `smallworld compare --json` prints. */
export interface CompareReport {
  datasets: CompareDataset[];
  /** Every pair i < j in the order given: each figure's difference (i minus j) with its 95% interval, and a sentence. */
  pairs: PairComparison[];
  resolution: number;
  /** Entries of a results.jsonl or .json that took no part, and why (a failed dataset). */
  skipped: Array<{ name: string; file: string; reason: string }>;
  /** Caveats about the inputs, one sentence each (e.g. two samples drawn with the same seed). */
  notes: string[];
}

const RESULT_SUFFIX = /\.jsonl$/i;

/** A dataset name from a file name: the base name without .gz and one more extension. */
export function datasetName(file: string): string {
  return basename(file).replace(/\.gz$/i, '').replace(/\.(txt|tsv|csv|edges|el|swg|json|jsonl)$/i, '');
}

function checkResolution(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_RESOLUTION;
  const x = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(x) || x <= 0) throw new UsageError(`--resolution ${String(value)}: expected a number of hops > 0`);
  return x;
}

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const numbers = (x: unknown): x is number[] => Array.isArray(x) && x.every(isNumber);
const numbersOrNull = (x: unknown): boolean => x === null || numbers(x);

/** The sums of a result read from a file, checked: a damaged file is bad input (exit 1), never a crash. */
function checkSums(s: unknown, where: string): EstimateSums {
  const o = s as Partial<EstimateSums> | null;
  const w = o?.withinHops;
  const ok =
    o !== null &&
    typeof o === 'object' &&
    [o.k, o.n, o.x, o.xx].every(isNumber) &&
    o.distance !== undefined &&
    [o.distance.y, o.distance.yy, o.distance.xy].every(isNumber) &&
    w !== undefined &&
    numbers(w.y) &&
    numbersOrNull(w.yy) &&
    numbersOrNull(w.xy) &&
    numbersOrNull(w.yNext) &&
    (w.yy === null || w.yy.length === w.y.length) &&
    (w.xy === null || w.xy.length === w.y.length) &&
    (w.yNext === null || w.yNext.length === Math.max(w.y.length - 1, 0));
  if (!ok) throw new InputError(where, undefined, "its 'sums' object is malformed (see the README's Comparing estimates)");
  return o as EstimateSums;
}

interface Entry {
  name: string;
  report: ComparableReport;
  origin: CompareDataset['origin'];
  where: string;
}

/** Entries of a results.jsonl, or of an `estimate --json` file (one object or an array). */
async function readResults(path: string, jsonl: boolean): Promise<{ entries: Entry[]; skipped: CompareReport['skipped'] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(path, undefined, describeFsError(err, jsonl ? 'a results.jsonl' : 'an estimate --json file'));
  }
  const objects: Array<{ value: unknown; line: number | undefined }> = [];
  if (jsonl) {
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        objects.push({ value: JSON.parse(line), line: i + 1 });
      } catch {
        throw new InputError(path, i + 1, 'not a JSON object (results.jsonl holds one per line)');
      }
    });
  } else {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new InputError(path, undefined, 'not JSON (expected the output of estimate --json)');
    }
    for (const v of Array.isArray(value) ? value : [value]) objects.push({ value: v, line: undefined });
  }
  const entries: Entry[] = [];
  const skipped: CompareReport['skipped'] = [];
  for (const { value, line } of objects) {
    const where = line === undefined ? path : `${path}:${line}`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(path, line, 'not a JSON object');
    const r = value as ComparableReport;
    if (typeof r.file !== 'string') throw new InputError(path, line, "an entry without its 'file'");
    const name = typeof r.name === 'string' && r.name !== '' ? r.name : datasetName(r.file);
    if (r.status === 'error') {
      skipped.push({ name, file: r.file, reason: `failed: ${String((r as { error?: unknown }).error ?? 'error')}` });
      continue;
    }
    entries.push({ name, report: r, origin: 'read', where });
  }
  return { entries, skipped };
}

/** `results.jsonl:NAME` -> the file and the name, when the file part is a .jsonl that exists. */
async function splitSelection(input: string): Promise<{ path: string; select: string | null }> {
  const at = input.search(/\.jsonl:/i);
  if (at >= 0) {
    const path = input.slice(0, at + '.jsonl'.length);
    const exists = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (exists) return { path, select: input.slice(at + '.jsonl:'.length) };
  }
  return { path: input, select: null };
}

/** The sums of an entry, or a usage error saying why it cannot take part. */
function sumsOf(e: Entry): EstimateSums {
  const r = e.report;
  if (r.method === 'hyperball' || (r as { hyperBall?: unknown }).hyperBall !== undefined)
    throw new UsageError(
      `${e.name} (${e.where}) is a HyperBall estimate: it keeps no per-source sums, so its differences get no interval here; estimate it with --method bfs (the default) to compare it`,
    );
  if (r.sums === undefined)
    throw new UsageError(`${e.name} (${e.where}) has no 'sums' (written by a smallworld before compare existed?): estimate it again to compare it`);
  return e.origin === 'read' ? checkSums(r.sums, e.where) : r.sums;
}

/** Distinct names for the sentences: a repeated name gets its seed, or its position, added. */
function distinctNames(entries: Entry[]): string[] {
  const count = (names: string[], n: string) => names.filter((m) => m === n).length;
  const base = entries.map((e) => e.name);
  const withSeed = entries.map((e, i) => (count(base, base[i]) > 1 && e.report.seed !== undefined && !e.report.exact ? `${e.name} (seed ${e.report.seed})` : e.name));
  return withSeed.map((n, i) => (count(withSeed, n) > 1 ? `${n} #${i + 1}` : n));
}

type Planned =
  | { kind: 'object'; entry: Entry }
  | { kind: 'results'; path: string; jsonl: boolean; select: string | null }
  | { kind: 'estimate'; path: string };

/**
 * Compares two or more estimates: every pair's difference in mean distance, within-h fractions and
 * effective diameter with 95% intervals, and a sentence each. Edge lists are estimated with `options`
 * (the estimate options; the diameter is skipped unless diameterBudgetSeconds is given, as compare does
 * not use it); results read back are used as they are.
 */
export async function compare(inputs: CompareInput[], options: CompareOptions = {}): Promise<CompareReport> {
  const resolution = checkResolution(options.resolution);
  if (options.method === 'hyperball')
    throw new UsageError('compare works with sampled BFS estimates only (HyperBall keeps no per-source sums): drop --method hyperball');
  const settings = checkEstimateOptions({ ...options, diameterBudgetSeconds: options.diameterBudgetSeconds ?? 0 });
  // Where each input's datasets come from, all checked before anything is estimated.
  const plan: Planned[] = [];
  for (const input of inputs) {
    if (typeof input !== 'string') {
      plan.push({ kind: 'object', entry: { name: input.name ?? datasetName(input.file), report: input, origin: 'read', where: input.file } });
      continue;
    }
    const { path, select } = await splitSelection(input);
    if (RESULT_SUFFIX.test(path)) plan.push({ kind: 'results', path, jsonl: true, select });
    else if (/\.json$/i.test(path)) plan.push({ kind: 'results', path, jsonl: false, select: null });
    else plan.push({ kind: 'estimate', path });
  }
  const fromResults = new Map<number, Entry[]>();
  const skipped: CompareReport['skipped'] = [];
  for (const [i, p] of plan.entries()) {
    if (p.kind !== 'results') continue;
    const read = await readResults(p.path, p.jsonl);
    if (p.select !== null) {
      const picked = read.entries.filter((e) => e.name === p.select);
      if (picked.length === 0) {
        const failed = read.skipped.find((s) => s.name === p.select);
        if (failed) throw new UsageError(`${p.path}:${p.select}: that dataset ${failed.reason}`);
        throw new UsageError(`${p.path} has no dataset named ${p.select}; it has: ${read.entries.map((e) => e.name).join(', ') || 'none with status ok'}`);
      }
      fromResults.set(i, picked);
    } else {
      fromResults.set(i, read.entries);
      skipped.push(...read.skipped);
    }
  }
  const given = plan.reduce((t, p, i) => t + (p.kind === 'results' ? fromResults.get(i)!.length : 1), 0);
  if (given < 2)
    throw new UsageError(
      `compare needs two or more datasets (edge lists, .swg files, a results.jsonl); ${given === 0 ? 'none was' : 'only one was'} given` +
        (skipped.length ? ` (skipped: ${skipped.map((s) => `${s.name} ${s.reason}`).join('; ')})` : ''),
    );
  // Results read back are checked first: a HyperBall or sum-less one is refused before minutes of estimating.
  for (const [i, p] of plan.entries()) {
    if (p.kind === 'object') sumsOf(p.entry);
    if (p.kind === 'results') fromResults.get(i)!.forEach(sumsOf);
  }
  const ordered: Entry[] = [];
  let estimated = 0;
  for (const [i, p] of plan.entries()) {
    throwIfAborted(options.signal);
    if (p.kind === 'object') ordered.push(p.entry);
    else if (p.kind === 'results') ordered.push(...fromResults.get(i)!);
    else {
      // The j-th edge list gets seed + j: one seed for all would draw the same positions in every node
      // order, and graphs whose orders are alike (snapshots of one network) would get alike samples,
      // which the interval (independent samples) does not assume.
      const seed = (settings.seed + estimated++) % 2 ** 32;
      const report = toJson(await estimatePath(p.path, { ...settings, seed }, options));
      ordered.push({ name: datasetName(p.path), report, origin: 'estimated', where: p.path });
    }
  }
  const names = distinctNames(ordered);
  const sums = ordered.map(sumsOf);
  const datasets: CompareDataset[] = ordered.map((e, i) => ({
    name: names[i],
    file: e.report.file,
    origin: e.origin,
    sources: sums[i].k,
    population: sums[i].n,
    exact: sums[i].k >= sums[i].n,
    seed: sums[i].k >= sums[i].n || e.report.seed === undefined ? null : e.report.seed,
    directed: e.report.directed ?? null,
    meanDistance: e.report.meanDistance ?? null,
    meanDistanceCi95: e.report.meanDistanceCi95 ?? null,
  }));
  const pairs = compareAll(
    ordered.map((_, i) => ({ name: names[i], sums: sums[i] })),
    { resolution },
  );
  const notes: string[] = [];
  for (let i = 0; i < datasets.length; i++)
    for (let j = i + 1; j < datasets.length; j++) {
      const [a, b] = [datasets[i], datasets[j]];
      if (!a.exact && !b.exact && a.seed !== null && a.seed === b.seed)
        notes.push(
          `${a.name} and ${b.name} were sampled with the same seed (${a.seed}): if their node orders are alike (snapshots of one network), so are their samples, ` +
            'and the interval of their difference, which assumes independent samples, is then off (too wide when the samples are alike); estimate them with different seeds',
        );
    }
  return { datasets, pairs, resolution, skipped, notes };
}

const signed = (x: number, digits: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

/** The CLI's text: the datasets, then per pair a table of every figure's difference (first minus second) and the sentence. */
export function formatComparison(report: CompareReport): string {
  const lines: string[] = ['datasets'];
  const nameWidth = Math.max(...report.datasets.map((d) => d.name.length));
  for (const d of report.datasets) {
    const how = d.exact ? `every node a source (exact), ${d.population.toLocaleString('en-US')}` : `${d.sources.toLocaleString('en-US')} of ${d.population.toLocaleString('en-US')} sources, seed ${d.seed ?? 'n/a'}`;
    const mean = d.meanDistance === null ? 'n/a' : d.meanDistance.toFixed(4);
    const ci = d.exact ? 'exact' : d.meanDistanceCi95 ? `95% CI ${d.meanDistanceCi95[0].toFixed(4)} to ${d.meanDistanceCi95[1].toFixed(4)}` : 'no interval';
    lines.push(`  ${d.name.padEnd(nameWidth)}  ${d.file}: ${how}${d.origin === 'read' ? ', read back' : ''}; mean distance ${mean} (${ci})`);
  }
  for (const s of report.skipped) lines.push(`  skipped ${s.name} (${s.file}): ${s.reason}`);
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const p of report.pairs) {
    lines.push('', `${p.a} vs ${p.b}`);
    const rows: string[][] = [['figure', p.a, p.b, 'difference', '95% CI of the difference']];
    const row = (label: string, d: Difference, value: (x: number) => string, diff: (x: number) => string, unit: string) => {
      const ci = d.exact ? 'exact' : d.ci95 ? `${diff(d.ci95[0])} to ${diff(d.ci95[1])}${unit}` : 'n/a';
      rows.push([label, d.a === null ? 'n/a' : value(d.a), d.b === null ? 'n/a' : value(d.b), d.difference === null ? 'n/a' : `${diff(d.difference)}${unit}`, ci]);
    };
    row('mean distance', p.meanDistance, (x) => x.toFixed(4), (x) => signed(x, 4), '');
    for (const w of p.withinHopsFraction) {
      if (w.a !== null && w.b !== null && w.a >= 0.99995 && w.b >= 0.99995) continue; // 100.00% in both: nothing left to show
      row(`within ${w.hops} hop${w.hops === 1 ? '' : 's'}`, w, (x) => `${(100 * x).toFixed(2)}%`, (x) => signed(100 * x, 2), ' pts');
    }
    row('effective diameter 90%', p.effectiveDiameter90, (x) => x.toFixed(4), (x) => signed(x, 4), '');
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) lines.push(`  ${r.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')}`.trimEnd());
    lines.push(`  ${p.sentence}.`);
  }
  lines.push(
    '',
    'differences are first minus second; intervals: independent samples, delta method from each estimate\'s sums, var(A - B) = var(A) + var(B), finite-population correction; "pts": percentage points',
  );
  return lines.join('\n');
}
