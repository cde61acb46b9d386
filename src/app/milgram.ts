/**
 * `smallworld milgram FILE`: Milgram's chain-letter experiment (Travers &
 * Milgram 1969), and the Columbia e-mail version with drop-outs (Dodds, Muhamad
 * & Watts 2003), replayed on a graph.
 *
 * Rules, for a letter from a starter s to a target t (steps = hops so far):
 *   1. a chain still going after --max-steps steps is given up ("too long");
 *   2. the holder drops the letter with probability --attrition P ("dropped"),
 *      so a chain of L steps survives all its L hand-overs with probability (1 − P)^L;
 *   3. a holder who knows the target (an arc holder → t) hands it over: done;
 *   4. otherwise the holder forwards it to one friend (out-neighbour) who has
 *      not held it yet; if every friend has, the chain dies ("dead end").
 *      Which friend (--strategy), using only what the holder can see — their
 *      friends and their friends' friend lists, and who knows the target:
 *        common: a friend who knows the target, when there is one (the holder
 *                sees the target in that friend's list); else the friend with
 *                the most friends who know the target, the largest
 *                |N(f) ∩ N⁻(t)| (N⁻(t): people with an arc to t; t's friends
 *                when undirected) — among several who know the target, also
 *                the one with the largest |N(f) ∩ N⁻(t)|;
 *        degree: the friend with the most friends (out-degree);
 *        random: any friend, uniformly.
 *      Ties (and "common" when no friend's friend knows the target) are broken
 *      by a seeded random choice among the best.
 * Every chain has its own random stream (the seed and the pair's number), so
 * the same seed replays the same chains.
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
import type { LongCallOptions, MilgramSettings, MilgramStrategy } from './options.js';

/** Ranks a friend who knows the target above every friend who does not (more than any count of common friends). */
const TARGET_IN_VIEW = 2 ** 32;

export type ChainOutcome = 'completed' | 'dropped' | 'dead end' | 'too long';

export interface ChainResult {
  from: number;
  to: number;
  outcome: ChainOutcome;
  /** Hand-overs made (the length of the chain when completed). */
  steps: number;
  /** The true shortest distance; null when t cannot be reached from s. */
  shortest: number | null;
}

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

/** Hops from a to b along the arcs (BFS from b against them, stopping at a); null when unreachable. */
export function hopsBetween(back: Csr, a: number, b: number, dist: Int32Array, queue: Uint32Array): number | null {
  if (a === b) return 0;
  dist.fill(-1);
  dist[b] = 0;
  queue[0] = b;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const u = queue[head];
    for (let j = back.offsets[u]; j < back.offsets[u + 1]; j++) {
      const v = back.neighbours[j];
      if (dist[v] < 0) {
        dist[v] = dist[u] + 1;
        if (v === a) return dist[v];
        queue[tail++] = v;
      }
    }
  }
  return null;
}

/** One chain from s to t under the rules above. `knowsTarget` and `held` are scratch (all zero on entry and exit). */
export function runChain(
  csr: Csr,
  back: Csr,
  s: number,
  t: number,
  strategy: MilgramStrategy,
  attrition: number,
  maxSteps: number,
  rand: () => number,
  knowsTarget: Uint8Array,
  held: Uint8Array,
): { outcome: ChainOutcome; steps: number } {
  const { offsets, neighbours } = csr;
  for (let j = back.offsets[t]; j < back.offsets[t + 1]; j++) knowsTarget[back.neighbours[j]] = 1;
  const touched: number[] = [s];
  held[s] = 1;
  let holder = s;
  let steps = 0;
  let outcome: ChainOutcome;
  const best: number[] = [];
  for (;;) {
    if (holder === t) {
      outcome = 'completed';
      break;
    }
    if (steps >= maxSteps) {
      outcome = 'too long';
      break;
    }
    if (attrition > 0 && rand() < attrition) {
      outcome = 'dropped';
      break;
    }
    if (knowsTarget[holder]) {
      holder = t;
      steps++;
      continue;
    }
    best.length = 0;
    let bestScore = -1;
    for (let j = offsets[holder]; j < offsets[holder + 1]; j++) {
      const f = neighbours[j];
      if (held[f]) continue;
      let score = 0;
      if (strategy === 'common') {
        for (let k = offsets[f]; k < offsets[f + 1]; k++) score += knowsTarget[neighbours[k]];
        if (knowsTarget[f]) score += TARGET_IN_VIEW; // the holder sees the target in this friend's list
      } else if (strategy === 'degree') {
        score = offsets[f + 1] - offsets[f];
      }
      if (score > bestScore) {
        bestScore = score;
        best.length = 0;
      }
      if (score === bestScore) best.push(f);
    }
    if (best.length === 0) {
      outcome = 'dead end';
      break;
    }
    const next = best.length === 1 ? best[0] : best[Math.min(best.length - 1, Math.floor(rand() * best.length))];
    held[next] = 1;
    touched.push(next);
    holder = next;
    steps++;
  }
  for (const v of touched) held[v] = 0;
  for (let j = back.offsets[t]; j < back.offsets[t + 1]; j++) knowsTarget[back.neighbours[j]] = 0;
  return { outcome, steps };
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

/** The chain's own random stream: the seed and the pair's number. */
function chainRandom(seed: number, i: number): () => number {
  return mulberry32((seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0);
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
