/**
 * HyperBall (Boldi, Rosa, Vigna: "HyperANF: approximating the neighbourhood
 * function of very large graphs on a budget", WWW 2011; "In-core computation of
 * geometric centralities with HyperBall", 2013): one HyperLogLog counter per
 * node holds an estimate of the ball B(x, t) = {y : d(x, y) <= t}; each
 * iteration grows every ball by one hop,
 *
 *   B(x, t) = B(x, t-1) ∪ (∪ over out-neighbours y of x: B(y, t-1)),
 *
 * which for counters is a register-wise max. The neighbourhood function
 * N(t) = sum over x of |B(x, t)| (ordered pairs within distance t, x itself
 * included) comes out for every t at once, from every node, in a few passes over
 * the arcs, instead of one BFS per source.
 *
 * Error bars: each counter's m registers are also read as g smaller counters
 * (register groups), which give g nearly independent estimates of N(t) in the
 * same run; their spread is the interval (see groupInterval).
 *
 * Memory: two copies (current, next) of m one-byte registers per node in
 * SharedArrayBuffer, plus 26 + 4g bytes per node of bookkeeping. The Piscina workers
 * (workers/hyperball-worker.ts) each update a fixed range of nodes of `next`
 * from `current`; ranges depend only on the graph, and their sums are added in
 * range order, so the result does not depend on the number of threads.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { UsageError } from './errors.js';
import { effectiveDiameter } from './estimate.js';
import { shareCsr, type Csr, type SharedCsr } from './graph.js';

/**
 * 2^11 = 2048 registers: relative standard error 1.04 / sqrt(2048) = 2.3% per
 * counter (2^12 would give 1.6%, for twice the memory and time). Memory is
 * 2 * 2^log2m bytes per node: 4 KiB per node at the default, so graphs of a
 * million nodes want log2m 6 to 8.
 */
export const DEFAULT_LOG2M = 11;
export const MIN_LOG2M = 4;
export const MAX_LOG2M = 12;
/** Register groups for the interval: 16, or fewer so that each group keeps 16 registers. */
export const DEFAULT_GROUPS = 16;
export const MIN_GROUP_REGISTERS = 16;
const DEFAULT_MAX_ITERATIONS = 10_000;

export interface HyperBallOptions {
  /** Registers per counter = 2^log2m, 4..12 (default 11). */
  log2m?: number;
  threads?: number;
  /** Seeds the hash of node ids into registers (default 1). */
  seed?: number;
  /** Register groups for the interval (a power of two, at least 16 registers each; default defaultGroups(log2m)). */
  groups?: number;
  /** Stop after this many hops even if counters still change (then converged is false). */
  maxIterations?: number;
  /** Called after each iteration with the number of hops done. */
  onProgress?: (t: number) => void;
}

export interface HyperBallResult {
  /** Element t = estimated N(t), ordered pairs (x, y) with d(x, y) <= t, each node paired with itself included; N(0) = n exactly. Ends at the last t where a counter changed. */
  neighbourhood: number[];
  /** Element t = N(t) - N(t-1) for t >= 1: estimated ordered pairs at distance exactly t; element 0 is 0. */
  distanceHistogram: number[];
  /** Mean distance over reachable ordered pairs (x, y), x != y. */
  meanDistance: number | null;
  /** 95% interval for meanDistance from the spread of the register groups' estimates (see groupInterval); null with fewer than 2 groups. */
  meanDistanceCi95: [number, number] | null;
  /** 90-percentile effective diameter of distanceHistogram (SNAP's interpolation). */
  effectiveDiameter90: number | null;
  /** 95% interval for effectiveDiameter90, the same way as meanDistanceCi95. */
  effectiveDiameter90Ci95: [number, number] | null;
  /** Register groups g behind the intervals (each a counter of 2^log2m / g registers). */
  groups: number;
  /** Per group j: its own estimate of N(t) for every t, scaled by g (element 0 counts the nodes hashed into group j, times g). */
  groupNeighbourhood: number[][];
  /** Per group j: the mean distance from its N_j(t). */
  groupMeanDistances: number[];
  /** Per group j: the effective diameter from its N_j(t). */
  groupEffectiveDiameters: number[];
  /** Estimated ordered pairs (x, y), x != y, with y reachable from x: N(last) - n. */
  reachablePairs: number;
  /** Hops computed, the last one included (it is the one that changed nothing when converged). */
  iterations: number;
  /** False when maxIterations stopped the run while counters were still changing. */
  converged: boolean;
  log2m: number;
  registersPerCounter: number;
  /** The per-counter relative standard error, beta_m / sqrt(m). */
  relativeStandardError: number;
  seed: number;
  threads: number;
  /** Per node: mean distance to the nodes it reaches (NaN when it reaches none). */
  perNodeMeanDistance: Float64Array;
  seconds: number;
  /** Bytes of the counters and bookkeeping arrays (the graph itself not included). */
  memoryBytes: number;
}

/**
 * HyperLogLog's relative standard error beta_m / sqrt(m), with beta_m from
 * Flajolet et al. (2007), table of section 4 (1.106, 1.070, 1.054, 1.046 for
 * m = 16..128, tending to 1.03896; 1.04 above).
 */
export function relativeStandardError(log2m: number): number {
  const beta = [1.106, 1.07, 1.054, 1.046][log2m - 4] ?? 1.04;
  return beta / Math.sqrt(2 ** log2m);
}

/** The shared arrays; one object per run, handed to each worker once through workerData. */
export interface HyperBallState {
  log2m: number;
  /** Register groups: group j is registers [j m/g, (j+1) m/g) of every counter. */
  groups: number;
  /** Register copies: the counters of hop t-1 in one, hop t written into the other, alternating. */
  registers: [SharedArrayBuffer, SharedArrayBuffer];
  /** Uint8 per node: counter changed in the last hop; alternates with registers. */
  changed: [SharedArrayBuffer, SharedArrayBuffer];
  /** Float64 per node: current estimate of |B(x, t)|. */
  ballSize: SharedArrayBuffer;
  /** Float64 per node: sum over the hops s < t of |B(x, s)|, for per-node distances. */
  ballSizeSum: SharedArrayBuffer;
  /** Uint32 per node: last hop at which the counter changed (0: never). */
  lastChange: SharedArrayBuffer;
  /** Uint32 per node: register << 8 | rank of the node's own hash, all its hop-0 counter holds. */
  ownRegister: SharedArrayBuffer;
  /** Float32 per node and group: group j's estimate of the elements of B(x, t) hashed into it (unscaled). */
  groupSize: SharedArrayBuffer;
}

export interface HyperBallTask {
  from: number;
  to: number;
  /** Hop being computed, 1..; registers[(t - 1) % 2] holds hop t-1. */
  t: number;
}

export interface RangeResult {
  /** Sum of |B(x, t)| over the range, in node order. */
  ballSum: number;
  /** Per group j: sum over the range, in node order, of group j's (unscaled) estimate. */
  groupBallSums: Float64Array;
  changedNodes: number;
}

// ---------------------------------------------------------------- counters

/**
 * A 64-bit-ish hash of a node id in two 32-bit halves, both from Chris
 * Wellons's lowbias32 mixer (a bijection with good avalanche): the top log2m
 * bits of `high` pick the register, the leading zeros of `low` (then of the
 * rest of `high`) give the rank. Register values stay below 64, so a byte
 * holds one with its top bit clear, which the word-wise max relies on.
 */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hashNode(x: number, seed: number, log2m: number): { register: number; rank: number } {
  const key1 = mix32(seed ^ 0x9e3779b9);
  const key2 = mix32((seed + 0x6a09e667) >>> 0);
  const high = mix32((x ^ key1) >>> 0);
  const low = mix32((high ^ key2 ^ Math.imul(x, 0x85ebca6b)) >>> 0);
  const register = high >>> (32 - log2m);
  if (low !== 0) return { register, rank: Math.clz32(low) + 1 };
  const rest = (high << log2m) >>> 0;
  return { register, rank: 33 + (rest === 0 ? 32 - log2m : Math.clz32(rest)) };
}

/** 2^-r for every register value r. */
const INVERSE_POWERS = Float64Array.from({ length: 65 }, (_, r) => 2 ** -r);

/** alpha_infinity = 1 / (2 ln 2), HyperLogLog's constant for m -> infinity. */
const ALPHA_INFINITY = 1 / (2 * Math.LN2);

/** Ertl's sigma(x) = x + sum over k >= 1 of x^(2^k) 2^(k-1), for 0 <= x < 1 (the series ends when it stops changing). */
function sigma(x: number): number {
  if (x === 1) return Infinity;
  let power = x;
  let weight = 1;
  let sum = x;
  let previous;
  do {
    power *= power;
    previous = sum;
    sum += power * weight;
    weight += weight;
  } while (sum !== previous);
  return sum;
}

/**
 * The cardinality estimate of m registers from their sum of 2^-r and count of
 * zeros: Ertl's improved raw estimator (O. Ertl, "New cardinality estimation
 * algorithms for HyperLogLog sketches", 2017, eq. 24 / algorithm 6),
 *
 *   alpha_inf m^2 / (m sigma(zeros / m) + sum over non-zero registers of 2^-r),
 *
 * in place of Flajolet et al.'s raw estimate with linear counting below 2.5 m.
 * The sigma term is the small-range correction in closed form: it tends to
 * linear counting m ln(m / zeros) for small sets and to the raw estimate for
 * large ones, with no threshold in between, so the whole counter and its
 * 16-register groups (whose thresholds fall at other ball sizes) use one
 * estimator without a seam. Measured over 100 hash seeds
 * (bench/hyperball-coverage.ts): at 2^11 registers the mean distance's error
 * fell by a third on facebook_combined and CA-GrQc (sd 0.026 -> 0.017 and
 * 0.031 -> 0.022), whose balls stay below the old 2.5 m switch; at 2^6..2^9 it
 * is unchanged, and so is the small negative bias there (-0.1 to -0.3 sd at
 * 2^6..2^8): that one does not come from the estimator. Ertl's estimate is
 * monotone in the registers, so a ball's estimate never dips. (His tau term for
 * registers at the maximum rank, 65 - log2m, matters beyond 2^60 elements and
 * is left out.)
 */
function hllEstimate(inverseSum: number, zeros: number, m: number): number {
  if (zeros === m) return 0;
  return (ALPHA_INFINITY * m * m) / (inverseSum - zeros + m * sigma(zeros / m));
}

/** HyperLogLog's estimate of one counter of m registers starting at `start`. */
export function counterSize(registers: Uint8Array, start: number, m: number): number {
  let inverseSum = 0;
  let zeros = 0;
  for (let i = start, end = start + m; i < end; i++) {
    const r = registers[i];
    inverseSum += INVERSE_POWERS[r];
    if (r === 0) zeros++;
  }
  return hllEstimate(inverseSum, zeros, m);
}

/**
 * One pass over a counter's m registers: each group of m/g contiguous registers
 * is a counter of its own, whose estimate raises `out[at + j]` (a ball only
 * grows, as for the whole counter); returns the whole counter's estimate,
 * from the same sums.
 */
export function counterAndGroupSizes(registers: Uint8Array, start: number, m: number, g: number, out: Float32Array, at: number): number {
  const size = m / g;
  let inverseSum = 0;
  let zeros = 0;
  for (let j = 0, i = start; j < g; j++) {
    let groupInverse = 0;
    let groupZeros = 0;
    for (const end = i + size; i < end; i++) {
      const r = registers[i];
      groupInverse += INVERSE_POWERS[r];
      if (r === 0) groupZeros++;
    }
    const estimate = hllEstimate(groupInverse, groupZeros, size);
    if (estimate > out[at + j]) out[at + j] = estimate;
    inverseSum += groupInverse;
    zeros += groupZeros;
  }
  return hllEstimate(inverseSum, zeros, m);
}

/** Register groups for the interval at this log2m: 16, fewer when groups would have under 16 registers (1 at log2m 4: no interval). */
export function defaultGroups(log2m: number): number {
  return Math.max(1, Math.min(DEFAULT_GROUPS, 2 ** log2m / MIN_GROUP_REGISTERS));
}

/**
 * dst = max(dst, src) register-wise, 4 one-byte registers per 32-bit word
 * (SWAR, about twice as fast as a byte loop here). Each byte is below 0x80, so
 * (a | 0x80) - b never borrows into the next byte and its top bit says a >= b;
 * `keep` turns that bit into 0x7f where a wins. Returns non-zero if dst changed.
 */
export function maxInto(dst: Int32Array, d: number, src: Int32Array, s: number, words: number): number {
  let changed = 0;
  for (let i = 0; i < words; i++) {
    const a = dst[d + i];
    const b = src[s + i];
    const aWins = (((a | -0x7f7f7f80) - b) | 0) & -0x7f7f7f80; // -0x7f7f7f80 is 0x80808080 as int32
    const keep = (aWins - (aWins >>> 7)) | 0;
    const max = (a & keep) | (b & ~keep);
    changed |= max ^ a;
    dst[d + i] = max;
  }
  return changed;
}

/** Neighbour counters read ahead of merging them (see updateRange). */
const PREFETCH = 16;
let prefetched = 0;

/**
 * One hop for nodes [from, to): what a worker runs. Only neighbours whose
 * counter changed in the last hop are merged: an unchanged neighbour y has
 * B(y, t-1) = B(y, t-2), already inside B(x, t-1) (HyperBall's observation),
 * so a node with no changed neighbour keeps its counter. That also means the
 * `next` copy (written two hops ago) is still right for a node that did not
 * change in the last hop, and is only refreshed for nodes that did.
 */
export function updateRange(csr: Csr, state: HyperBallState, task: HyperBallTask): RangeResult {
  const { offsets, neighbours } = csr;
  const m = 2 ** state.log2m;
  const words = m / 4;
  const current = new Int32Array(state.registers[(task.t - 1) % 2]);
  const nextWords = new Int32Array(state.registers[task.t % 2]);
  const nextBytes = new Uint8Array(state.registers[task.t % 2]);
  const changedBefore = new Uint8Array(state.changed[(task.t - 1) % 2]);
  const changedNow = new Uint8Array(state.changed[task.t % 2]);
  const ballSize = new Float64Array(state.ballSize);
  const ballSizeSum = new Float64Array(state.ballSizeSum);
  const lastChange = new Uint32Array(state.lastChange);
  const ownRegister = new Uint32Array(state.ownRegister);
  const g = state.groups;
  const groupSize = new Float32Array(state.groupSize);
  const groupBallSums = new Float64Array(g);

  let ballSum = 0;
  let changedNodes = 0;
  let warm = 0;
  for (let x = task.from; x < task.to; x++) {
    ballSizeSum[x] += ballSize[x];
    const base = x * words;
    if (changedBefore[x]) nextWords.set(current.subarray(base, base + words), base);
    let changed = 0;
    if (task.t === 1) {
      // Hop 1: a neighbour's counter holds one register, so set that register alone.
      for (let j = offsets[x], end = offsets[x + 1]; j < end; j++) {
        const own = ownRegister[neighbours[j]];
        const i = x * m + (own >>> 8);
        if ((own & 0xff) > nextBytes[i]) {
          nextBytes[i] = own & 0xff;
          changed = 1;
        }
      }
    } else {
      for (let from = offsets[x], end = offsets[x + 1]; from < end; from += PREFETCH) {
        const to = Math.min(end, from + PREFETCH);
        // Reading one word of each counter first lets the cache misses overlap; merging at once
        // would wait for them one by one (1.5x faster on R-MAT scale 20, whose ids are shuffled).
        for (let j = from; j < to; j++) if (changedBefore[neighbours[j]]) warm ^= current[neighbours[j] * words];
        for (let j = from; j < to; j++) {
          const y = neighbours[j];
          if (changedBefore[y]) changed |= maxInto(nextWords, base, current, y * words, words);
        }
      }
    }
    if (changed !== 0) {
      changedNow[x] = 1;
      changedNodes++;
      lastChange[x] = task.t;
      // A ball only grows (the estimate is monotone in the registers; max() also keeps hop 0's exact 1).
      ballSize[x] = Math.max(ballSize[x], counterAndGroupSizes(nextBytes, x * m, m, g, groupSize, x * g));
    } else {
      changedNow[x] = 0;
    }
    ballSum += ballSize[x];
    for (let j = 0; j < g; j++) groupBallSums[j] += groupSize[x * g + j];
  }
  prefetched = warm; // keeps the early reads from being optimised away
  return { ballSum, groupBallSums, changedNodes };
}

// ---------------------------------------------------------------- the run

/** Copied from src/pool.ts builtWorker: beside dist/src when running built code, or in dist/ when tests run the sources. */
function builtWorker(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const built = here.endsWith('.ts') ? resolve(dirname(here), '../dist/workers', name) : resolve(dirname(here), '../workers', name);
  if (!existsSync(built)) throw new Error(`worker ${built} is missing: run 'npm run build'`);
  return built;
}

/**
 * Node ranges of about equal work (arcs + nodes), from the graph alone so that
 * sums are added in the same order whatever the thread count: up to 256
 * ranges, at most one per 64 nodes.
 */
export function nodeRanges(csr: Csr): Array<[number, number]> {
  const { n, offsets } = csr;
  const count = Math.max(1, Math.min(256, Math.floor(n / 64)));
  const total = offsets[n] + n;
  const ranges: Array<[number, number]> = [];
  let from = 0;
  for (let k = 1; k <= count && from < n; k++) {
    const target = (total * k) / count;
    let to = from + 1;
    while (to < n && offsets[to] + to < target) to++;
    if (k === count) to = n;
    ranges.push([from, to]);
    from = to;
  }
  return ranges;
}

function allocate(bytes: number, what: string, log2m: number): SharedArrayBuffer {
  try {
    return new SharedArrayBuffer(bytes);
  } catch {
    throw new UsageError(`HyperBall needs ${(bytes / 2 ** 30).toFixed(1)} GiB for ${what} with log2m ${log2m}: use a smaller log2m`);
  }
}

export async function runHyperBall(csr: Csr, opts: HyperBallOptions = {}): Promise<HyperBallResult> {
  const started = performance.now();
  const log2m = opts.log2m ?? DEFAULT_LOG2M;
  const threads = opts.threads ?? availableParallelism();
  const seed = opts.seed ?? 1;
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!Number.isInteger(log2m) || log2m < MIN_LOG2M || log2m > MAX_LOG2M)
    throw new UsageError(`log2m must be an integer from ${MIN_LOG2M} to ${MAX_LOG2M}`);
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError('threads must be a positive integer');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new UsageError('maxIterations must be a positive integer');
  const m = 2 ** log2m;
  const g = opts.groups ?? defaultGroups(log2m);
  if (!Number.isInteger(g) || g < 1 || (g & (g - 1)) !== 0 || m / g < MIN_GROUP_REGISTERS)
    throw new UsageError(`groups must be a power of two with at least ${MIN_GROUP_REGISTERS} registers each (at most ${m / MIN_GROUP_REGISTERS} at log2m ${log2m})`);

  const { n } = csr;
  const state: HyperBallState = {
    log2m,
    groups: g,
    registers: [allocate(n * m, 'counters', log2m), allocate(n * m, 'counters', log2m)],
    changed: [new SharedArrayBuffer(n), new SharedArrayBuffer(n)],
    ballSize: new SharedArrayBuffer(8 * n),
    ballSizeSum: new SharedArrayBuffer(8 * n),
    lastChange: new SharedArrayBuffer(4 * n),
    ownRegister: new SharedArrayBuffer(4 * n),
    groupSize: allocate(4 * g * n, 'register-group estimates', log2m),
  };
  const memoryBytes = 2 * n * m + 2 * n + 8 * n + 8 * n + 4 * n + 4 * n + 4 * g * n;

  // Hop 0: each ball is the node itself, exactly 1 (in the group its register falls in), and every counter is new.
  const registers0 = new Uint8Array(state.registers[0]);
  const ownRegister = new Uint32Array(state.ownRegister);
  const groupSize = new Float32Array(state.groupSize);
  const groupShift = log2m - Math.log2(g);
  const groupNodes = new Array<number>(g).fill(0);
  for (let x = 0; x < n; x++) {
    const { register, rank } = hashNode(x, seed, log2m);
    ownRegister[x] = (register << 8) | rank;
    registers0[x * m + register] = rank;
    groupSize[x * g + (register >>> groupShift)] = 1;
    groupNodes[register >>> groupShift]++;
  }
  new Uint8Array(state.changed[0]).fill(1);
  new Float64Array(state.ballSize).fill(1);

  const neighbourhood = [n];
  const groupNeighbourhood = groupNodes.map((count) => [g * count]);
  const ranges = nodeRanges(csr);
  const pool = new Piscina({
    filename: builtWorker('hyperball-worker.js'),
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 60_000,
    workerData: { graph: shareCsr(csr) satisfies SharedCsr, state },
  });
  let iterations = 0;
  let converged = false;
  try {
    while (iterations < maxIterations) {
      const t = iterations + 1;
      const results: RangeResult[] = await Promise.all(ranges.map(([from, to]) => pool.run({ from, to, t } satisfies HyperBallTask)));
      iterations = t;
      opts.onProgress?.(t);
      if (results.every((r) => r.changedNodes === 0)) {
        converged = true;
        break;
      }
      // Range order, whatever the thread count: the same sums bit for bit.
      neighbourhood.push(results.reduce((sum, r) => sum + r.ballSum, 0));
      for (let j = 0; j < g; j++) groupNeighbourhood[j].push(g * results.reduce((sum, r) => sum + r.groupBallSums[j], 0));
    }
  } finally {
    await pool.destroy();
  }

  const distanceHistogram = histogramOf(neighbourhood);
  const distances = perNodeDistances(state, n, iterations);
  const reachablePairs = neighbourhood[neighbourhood.length - 1] - n;
  const meanDistance = reachablePairs > 0 ? distances.distanceSum / reachablePairs : null;
  const effectiveDiameter90 = effectiveDiameter(distanceHistogram, 0.9);
  const groupMeanDistances = groupNeighbourhood.map((nj) => meanFromNeighbourhood(nj) ?? NaN);
  const groupEffectiveDiameters = groupNeighbourhood.map((nj) => effectiveDiameter(histogramOf(nj)) ?? NaN);

  return {
    neighbourhood,
    distanceHistogram,
    meanDistance,
    meanDistanceCi95: meanDistance === null ? null : groupInterval(meanDistance, groupMeanDistances),
    effectiveDiameter90,
    effectiveDiameter90Ci95: effectiveDiameter90 === null ? null : groupInterval(effectiveDiameter90, groupEffectiveDiameters),
    groups: g,
    groupNeighbourhood,
    groupMeanDistances,
    groupEffectiveDiameters,
    reachablePairs,
    iterations,
    converged,
    log2m,
    registersPerCounter: m,
    relativeStandardError: relativeStandardError(log2m),
    seed,
    threads,
    perNodeMeanDistance: distances.perNode,
    seconds: (performance.now() - started) / 1000,
    memoryBytes,
  };
}

// ---------------------------------------------------------------- distances and their error

/** Element t = N(t) - N(t-1) for t >= 1 (pairs at distance t); element 0 is 0. */
function histogramOf(neighbourhood: number[]): number[] {
  const histogram = [0];
  for (let t = 1; t < neighbourhood.length; t++) histogram.push(neighbourhood[t] - neighbourhood[t - 1]);
  return histogram;
}

/** mean = sum over t < T of (N(T) - N(t)), over N(T) - N(0): the mean distance from the neighbourhood function alone. */
export function meanFromNeighbourhood(neighbourhood: number[]): number | null {
  const T = neighbourhood.length - 1;
  const reachable = neighbourhood[T] - neighbourhood[0];
  if (!(reachable > 0)) return null;
  let sum = 0;
  for (let t = 0; t < T; t++) sum += neighbourhood[T] - neighbourhood[t];
  return sum / reachable;
}

interface Distances {
  perNode: Float64Array;
  /** Sum over x of D(x), the estimated sum of distances from x to the nodes it reaches. */
  distanceSum: number;
}

/**
 * With c_t = |B(x, t)| and T hops done, the distances from x add up to
 * D(x) = sum over t < T of (c_T - c_t) = T c_T - sum_{t<T} c_t, and x reaches
 * c_T - 1 other nodes. The sum over x of D(x) equals sum_t (N(T) - N(t)).
 */
function perNodeDistances(state: HyperBallState, n: number, hops: number): Distances {
  const ballSize = new Float64Array(state.ballSize);
  const ballSizeSum = new Float64Array(state.ballSizeSum);
  const lastChange = new Uint32Array(state.lastChange);
  const perNode = new Float64Array(n);
  let distanceSum = 0;
  for (let x = 0; x < n; x++) {
    const reached = ballSize[x];
    const sum = hops * reached - ballSizeSum[x];
    perNode[x] = lastChange[x] > 0 ? sum / (reached - 1) : NaN;
    distanceSum += sum;
  }
  return { perNode, distanceSum };
}

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
