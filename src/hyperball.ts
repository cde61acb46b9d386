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
 * Memory: two copies (current, next) of m one-byte registers per node in
 * SharedArrayBuffer, plus 26 bytes per node of bookkeeping. The Piscina workers
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
const DEFAULT_MAX_ITERATIONS = 10_000;

export interface HyperBallOptions {
  /** Registers per counter = 2^log2m, 4..12 (default 11). */
  log2m?: number;
  threads?: number;
  /** Seeds the hash of node ids into registers (default 1). */
  seed?: number;
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
  /** Conservative 95% interval for meanDistance from the counters' stated error (see meanInterval). */
  meanDistanceCi95: [number, number] | null;
  /** 90-percentile effective diameter of distanceHistogram (SNAP's interpolation). */
  effectiveDiameter90: number | null;
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

function alpha(m: number): number {
  if (m === 16) return 0.673;
  if (m === 32) return 0.697;
  if (m === 64) return 0.709;
  return 0.7213 / (1 + 1.079 / m);
}

/** HyperLogLog's estimate of one counter, with linear counting for small sets (Flajolet et al. 2007, fig. 3). */
export function counterSize(registers: Uint8Array, start: number, m: number): number {
  let inverseSum = 0;
  let zeros = 0;
  for (let i = start, end = start + m; i < end; i++) {
    const r = registers[i];
    inverseSum += INVERSE_POWERS[r];
    if (r === 0) zeros++;
  }
  const raw = (alpha(m) * m * m) / inverseSum;
  if (raw <= 2.5 * m && zeros > 0) return m * Math.log(m / zeros);
  return raw;
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
      // A ball only grows; keep its estimate from dipping where the small-set correction hands over.
      ballSize[x] = Math.max(ballSize[x], counterSize(nextBytes, x * m, m));
    } else {
      changedNow[x] = 0;
    }
    ballSum += ballSize[x];
  }
  prefetched = warm; // keeps the early reads from being optimised away
  return { ballSum, changedNodes };
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

  const { n } = csr;
  const m = 2 ** log2m;
  const state: HyperBallState = {
    log2m,
    registers: [allocate(n * m, 'counters', log2m), allocate(n * m, 'counters', log2m)],
    changed: [new SharedArrayBuffer(n), new SharedArrayBuffer(n)],
    ballSize: new SharedArrayBuffer(8 * n),
    ballSizeSum: new SharedArrayBuffer(8 * n),
    lastChange: new SharedArrayBuffer(4 * n),
    ownRegister: new SharedArrayBuffer(4 * n),
  };
  const memoryBytes = 2 * n * m + 2 * n + 8 * n + 8 * n + 4 * n + 4 * n;

  // Hop 0: each ball is the node itself, exactly 1, and every counter is new.
  const registers0 = new Uint8Array(state.registers[0]);
  const ownRegister = new Uint32Array(state.ownRegister);
  for (let x = 0; x < n; x++) {
    const { register, rank } = hashNode(x, seed, log2m);
    ownRegister[x] = (register << 8) | rank;
    registers0[x * m + register] = rank;
  }
  new Uint8Array(state.changed[0]).fill(1);
  new Float64Array(state.ballSize).fill(1);

  const neighbourhood = [n];
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
      neighbourhood.push(results.reduce((sum, r) => sum + r.ballSum, 0));
    }
  } finally {
    await pool.destroy();
  }

  const distanceHistogram = [0];
  for (let t = 1; t < neighbourhood.length; t++) distanceHistogram.push(neighbourhood[t] - neighbourhood[t - 1]);
  const epsilon = relativeStandardError(log2m);
  const distances = perNodeDistances(state, n, iterations, epsilon);
  const reachablePairs = neighbourhood[neighbourhood.length - 1] - n;
  const meanDistance = reachablePairs > 0 ? distances.distanceSum / reachablePairs : null;

  return {
    neighbourhood,
    distanceHistogram,
    meanDistance,
    meanDistanceCi95: meanDistance === null ? null : meanInterval(meanDistance, distances, reachablePairs),
    effectiveDiameter90: effectiveDiameter(distanceHistogram, 0.9),
    reachablePairs,
    iterations,
    converged,
    log2m,
    registersPerCounter: m,
    relativeStandardError: epsilon,
    seed,
    threads,
    perNodeMeanDistance: distances.perNode,
    seconds: (performance.now() - started) / 1000,
    memoryBytes,
  };
}

// ---------------------------------------------------------------- distances and their error

interface Distances {
  perNode: Float64Array;
  /** Sum over x of D(x), the estimated sum of distances from x to the nodes it reaches. */
  distanceSum: number;
  /** Upper bound on the standard deviation of distanceSum, over epsilon (see meanInterval). */
  distanceSumError: number;
  /** Upper bound on the standard deviation of the reachable pairs, over epsilon. */
  reachableError: number;
}

/**
 * With c_t = |B(x, t)| and T hops done, the distances from x add up to
 * D(x) = sum over t < T of (c_T - c_t) = T c_T - sum_{t<T} c_t, and x reaches
 * c_T - 1 other nodes. The sum over x of D(x) equals sum_t (N(T) - N(t)).
 */
function perNodeDistances(state: HyperBallState, n: number, hops: number, epsilon: number): Distances {
  const ballSize = new Float64Array(state.ballSize);
  const ballSizeSum = new Float64Array(state.ballSizeSum);
  const lastChange = new Uint32Array(state.lastChange);
  const perNode = new Float64Array(n);
  let distanceSum = 0;
  let distanceSumError = 0;
  let reachableError = 0;
  for (let x = 0; x < n; x++) {
    const reached = ballSize[x];
    const sum = hops * reached - ballSizeSum[x];
    perNode[x] = lastChange[x] > 0 ? sum / (reached - 1) : NaN;
    distanceSum += sum;
    if (lastChange[x] > 0) {
      // sum over t < L of (c_T + c_t) = L c_T + (ballSizeSum - (T - L) c_T), L = last change (c_t = c_T from L on)
      const L = lastChange[x];
      distanceSumError += ballSizeSum[x] + (2 * L - hops) * reached;
      reachableError += reached;
    }
  }
  return { perNode, distanceSum, distanceSumError: distanceSumError * epsilon, reachableError: reachableError * epsilon };
}

const Z95 = 1.959963984540054;

/**
 * A conservative 95% interval for mean = D / R, D = sum_x D(x), R = N(T) - n.
 *
 * What is known: each counter's estimate has relative standard deviation at
 * most epsilon = beta_m / sqrt(m) (HyperLogLog), and so has each N(t)
 * (HyperANF, theorem 1). How the errors of different counters and different
 * hops correlate is not known (they share one hash function, so they are far
 * from independent), so nothing is assumed about it:
 *  - sd(A + B) <= sd(A) + sd(B) for any correlation, hence
 *    sd(D) <= sum_x sum_{t<T} sd(c_T(x) - c_t(x)) <= epsilon * sum_x sum_{t < L(x)} (c_T(x) + c_t(x)),
 *    the terms with t >= L(x), the last hop at which x's counter changed,
 *    being exactly zero (same registers, same estimate); likewise
 *    sd(R) <= epsilon * sum of c_T(x) over the nodes whose counter grew;
 *  - to first order sd(D/R) / (D/R) <= sd(D)/D + sd(R)/R, again for any correlation.
 * Half-width = 1.96 * mean * (sd(D)/D + sd(R)/R). This is a worst case: when
 * the errors move together (as a shared hash makes them do) D/R is far more
 * accurate; runs with different seeds show how much. It also inherits
 * HyperLogLog's small bias around the hand-over to linear counting.
 */
function meanInterval(mean: number, d: Distances, reachable: number): [number, number] {
  const relative = d.distanceSumError / d.distanceSum + d.reachableError / reachable;
  const half = Z95 * mean * relative;
  return [mean - half, mean + half];
}
