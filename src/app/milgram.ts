/**
 * `smallworld milgram FILE`: the chain-letter experiment replayed on a graph
 * (the rules and the chains themselves: src/algorithms/milgram.ts): pairs,
 * the chains, and the report with Dodds et al.'s attrition correction.
 *
 * Attrition correction (Dodds et al. 2003): a completed chain of length L
 * stands for 1 / (1 − P)^L chains that would have completed without drop-outs,
 * so the corrected mean and median weight each completed chain by that.
 */
import { readFileSync } from 'node:fs';
import { InputError, throwIfAborted, UsageError } from '../errors.js';
import { largestComponent } from '../graph/components.js';
import type { Csr } from '../graph/csr.js';
import type { LoadedGraph } from '../io/load.js';
import { transpose } from '../algorithms/chains.js';
import { mulberry32 } from '../stats/random.js';
import { chainRandom, hopsBetween, runChain, type ChainOutcome, type ChainResult } from '../algorithms/milgram.js';
import type { LongCallOptions, MilgramSettings, MilgramStrategy } from './options.js';

export type { ChainOutcome, ChainResult } from '../algorithms/milgram.js';

export interface MilgramReport {
  file: string;
  nodes: number;
  directed: boolean;
  strategy: MilgramStrategy;
  attrition: number;
  maxSteps: number;
  seed: number;
  /** 'random pairs from the largest component' or the pairs file. */
  pairsFrom: string;
  started: number;
  completed: number;
  completionRate: number;
  outcomes: { completed: number; dropped: number; deadEnd: number; tooLong: number };
  /** Pairs whose target cannot be reached at all (pairs files only). */
  unreachablePairs: number;
  /** Lengths (hops) of the completed chains; intermediaries = length − 1. */
  completedLength: { mean: number | null; median: number | null; histogram: number[] };
  /** True shortest distances of every pair (reachable ones) and of the completed ones. */
  shortestDistance: { mean: number | null; median: number | null; completedMean: number | null; completedMedian: number | null };
  /** Dodds et al.: completed chains of length L weighted by 1 / (1 − P)^L (equal to completedLength when P = 0). */
  corrected: { mean: number | null; median: number | null };
  /** Decentralized search against the shortest path, over completed chains: mean of length / shortest, and of length − shortest. */
  stretch: { meanRatio: number | null; meanExcess: number | null };
  /** By the pair's shortest distance: chains started, completed, the rate, and the mean completed length. */
  byDistance: Array<{ distance: number; started: number; completed: number; rate: number; meanLength: number | null }>;
  /** Each chain (with chains: true only). */
  chains?: Array<{ from: string; to: string; outcome: ChainOutcome; steps: number; shortest: number | null }>;
}

/** Pairs from a file: two ids per line (blank lines and # comments skipped); unknown ids are usage errors naming the line. */
export function readPairs(graph: LoadedGraph, file: string): Array<[number, number]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(file, undefined, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message));
  }
  const pairs: Array<[number, number]> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || /^\s*#/.test(line)) return;
    const f = line.trim().split(/[\s,;]+/);
    if (f.length !== 2) throw new InputError(file, i + 1, `expected two ids (starter and target), found ${f.length} field${f.length === 1 ? '' : 's'}`);
    const ends = f.map((id) => {
      const v = graph.ids.lookup(id);
      if (v < 0) throw new UsageError(`--pairs-file ${file}:${i + 1}: ${id}: no such node id in ${graph.file}`);
      return v;
    });
    pairs.push([ends[0], ends[1]]);
  });
  if (pairs.length === 0) throw new InputError(file, undefined, 'no pairs in the file');
  return pairs;
}

/** Seeded random pairs (starter ≠ target) from the largest component. */
export function randomPairs(csr: Csr, count: number, seed: number): Array<[number, number]> {
  const members = largestComponent(csr);
  if (members.length < 2) throw new UsageError('milgram: the largest component has fewer than 2 people: no pairs to draw');
  const rand = mulberry32(seed);
  const pick = () => members[Math.min(members.length - 1, Math.floor(rand() * members.length))];
  const pairs: Array<[number, number]> = [];
  while (pairs.length < count) {
    const s = pick();
    const t = pick();
    if (s !== t) pairs.push([s, t]);
  }
  return pairs;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** The smallest value with at least half of the total weight at or below it. */
function weightedMedian(values: number[], weights: number[]): number | null {
  if (values.length === 0) return null;
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const i of order) {
    acc += weights[i];
    if (acc >= total / 2 - 1e-12 * total) return values[i];
  }
  return values[order[order.length - 1]];
}

const median = (xs: number[]) => weightedMedian(xs, xs.map(() => 1));

export async function milgramLoaded(graph: LoadedGraph, s: MilgramSettings, hooks: LongCallOptions & { chains?: boolean } = {}): Promise<MilgramReport> {
  const { csr } = graph;
  const back = csr.directed ? transpose(csr) : csr;
  const pairs = s.pairsFile !== null ? readPairs(graph, s.pairsFile) : randomPairs(csr, s.pairs, s.seed);
  const knowsTarget = new Uint8Array(csr.n);
  const held = new Uint8Array(csr.n);
  const dist = new Int32Array(csr.n);
  const queue = new Uint32Array(csr.n);
  const results: ChainResult[] = [];
  const report = hooks.onProgress;
  report?.({ file: graph.file, stage: 'chains', done: 0, total: pairs.length, unit: 'chains' });
  for (const [i, [from, to]] of pairs.entries()) {
    const shortest = hopsBetween(back, from, to, dist, queue);
    const r = runChain(csr, back, from, to, s.strategy, s.attrition, s.maxSteps, chainRandom(s.seed, i), knowsTarget, held);
    results.push({ from, to, shortest, ...r });
    if ((i & 63) === 63 || i === pairs.length - 1) {
      report?.({ file: graph.file, stage: 'chains', done: i + 1, total: pairs.length, unit: 'chains' });
      throwIfAborted(hooks.signal);
      await new Promise<void>((resolve) => setImmediate(resolve)); // lets an abort or a progress redraw in
    }
  }
  return summarizeChains(graph, s, results, hooks.chains ?? false);
}

export function summarizeChains(graph: LoadedGraph, s: MilgramSettings, results: ChainResult[], keepChains: boolean): MilgramReport {
  const done = results.filter((r) => r.outcome === 'completed');
  const lengths = done.map((r) => r.steps);
  const histogram: number[] = [0];
  for (const L of lengths) {
    while (histogram.length <= L) histogram.push(0);
    histogram[L]++;
  }
  const weights = lengths.map((L) => Math.pow(1 - s.attrition, -L));
  const wTotal = weights.reduce((a, b) => a + b, 0);
  const reachable = results.filter((r) => r.shortest !== null);
  const byD = new Map<number, { started: number; completed: number; lengthSum: number }>();
  for (const r of reachable) {
    const e = byD.get(r.shortest!) ?? { started: 0, completed: 0, lengthSum: 0 };
    e.started++;
    if (r.outcome === 'completed') {
      e.completed++;
      e.lengthSum += r.steps;
    }
    byD.set(r.shortest!, e);
  }
  const withHops = done.filter((r) => r.shortest! > 0);
  const count = (o: ChainOutcome) => results.filter((r) => r.outcome === o).length;
  return {
    file: graph.file,
    nodes: graph.csr.n,
    directed: graph.csr.directed,
    strategy: s.strategy,
    attrition: s.attrition,
    maxSteps: s.maxSteps,
    seed: s.seed,
    pairsFrom: s.pairsFile ?? 'random pairs from the largest component',
    started: results.length,
    completed: done.length,
    completionRate: results.length === 0 ? 0 : done.length / results.length,
    outcomes: { completed: done.length, dropped: count('dropped'), deadEnd: count('dead end'), tooLong: count('too long') },
    unreachablePairs: results.length - reachable.length,
    completedLength: { mean: mean(lengths), median: median(lengths), histogram },
    shortestDistance: {
      mean: mean(reachable.map((r) => r.shortest!)),
      median: median(reachable.map((r) => r.shortest!)),
      completedMean: mean(done.map((r) => r.shortest!)),
      completedMedian: median(done.map((r) => r.shortest!)),
    },
    corrected: {
      mean: lengths.length === 0 ? null : lengths.reduce((a, L, i) => a + L * weights[i], 0) / wTotal,
      median: weightedMedian(lengths, weights),
    },
    stretch: {
      meanRatio: mean(withHops.map((r) => r.steps / r.shortest!)),
      meanExcess: mean(done.map((r) => r.steps - r.shortest!)),
    },
    byDistance: [...byD.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([distance, e]) => ({ distance, started: e.started, completed: e.completed, rate: e.completed / e.started, meanLength: e.completed > 0 ? e.lengthSum / e.completed : null })),
    ...(keepChains
      ? { chains: results.map((r) => ({ from: graph.ids.token(r.from), to: graph.ids.token(r.to), outcome: r.outcome, steps: r.steps, shortest: r.shortest })) }
      : {}),
  };
}

const f2 = (x: number | null) => (x === null ? '-' : x.toFixed(2));

export function formatMilgram(r: MilgramReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  const lines = [
    `${r.file}: ${r.started} letters (${r.pairsFrom}), strategy ${r.strategy}, attrition ${r.attrition}, at most ${r.maxSteps} steps, seed ${r.seed}`,
    `  completed ${r.completed} of ${r.started} (${pct(r.completionRate)}); dropped ${r.outcomes.dropped}, dead ends ${r.outcomes.deadEnd}, too long ${r.outcomes.tooLong}` +
      (r.unreachablePairs > 0 ? `; ${r.unreachablePairs} targets unreachable` : ''),
    `  completed chains: mean ${f2(r.completedLength.mean)} hops, median ${r.completedLength.median ?? '-'} (intermediaries: length - 1)`,
    `  shortest paths of the same pairs: mean ${f2(r.shortestDistance.mean)}, median ${r.shortestDistance.median ?? '-'} (completed pairs: mean ${f2(r.shortestDistance.completedMean)})`,
  ];
  if (r.attrition > 0) lines.push(`  corrected for drop-outs (weight 1/(1-P)^L): mean ${f2(r.corrected.mean)}, median ${r.corrected.median ?? '-'}`);
  lines.push(`  decentralized search vs shortest path: ${f2(r.stretch.meanRatio)}x as long, ${f2(r.stretch.meanExcess)} extra hops on average`);
  lines.push('  shortest  started  completed   rate  mean length');
  for (const d of r.byDistance)
    lines.push(`  ${String(d.distance).padStart(8)}  ${String(d.started).padStart(7)}  ${String(d.completed).padStart(9)}  ${pct(d.rate).padStart(6)}  ${f2(d.meanLength).padStart(11)}`);
  return lines.join('\n') + '\n';
}
