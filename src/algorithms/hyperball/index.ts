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
import { availableParallelism } from 'node:os';
import { createPool, destroyPool, taskSignal } from '../../parallel/pool.js';
import { UsageError } from '../../errors.js';
import { effectiveDiameter } from '../../stats/distribution.js';
import { shareCsr, type Csr, type SharedCsr } from '../../graph/csr.js';
import { DEFAULT_LOG2M, MAX_LOG2M, MIN_GROUP_REGISTERS, MIN_LOG2M, defaultGroups, hashNode, relativeStandardError } from './hll.js';
import type { HyperBallState, HyperBallTask, RangeResult } from './propagate.js';
import { groupInterval } from './interval.js';
import { chooseHyperBallLog2m } from '../../graph/limits.js';

export * from './hll.js';
export * from './propagate.js';
export * from './interval.js';

const DEFAULT_MAX_ITERATIONS = 10_000;

export interface HyperBallOptions {
  /**
   * Registers per counter = 2^log2m, 4..12. Default 11, or the largest below
   * that whose n counters fit one typed array (4 GiB: n * 2^log2m <= 2^32, see
   * src/graph/limits.ts). A given log2m that does not fit is a UsageError
   * naming the largest that does.
   */
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
  /** Stops the run: Piscina stops the threads, and the run rejects. */
  signal?: AbortSignal;
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
  const threads = opts.threads ?? availableParallelism();
  const seed = opts.seed ?? 1;
  const maxIterations = opts.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const requested = opts.log2m;
  if (requested !== undefined && (!Number.isInteger(requested) || requested < MIN_LOG2M || requested > MAX_LOG2M))
    throw new UsageError(`log2m must be an integer from ${MIN_LOG2M} to ${MAX_LOG2M}`);
  // Each copy of the counters is read through one Uint8Array: at most 4 GiB. Checked before allocating.
  const log2m = chooseHyperBallLog2m(csr.n, requested, DEFAULT_LOG2M, MIN_LOG2M);
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
  const pool = createPool('hyperball-worker.js', { threads, workerData: { graph: shareCsr(csr) satisfies SharedCsr, state } });
  let iterations = 0;
  let converged = false;
  const abort = taskSignal(opts.signal);
  try {
    while (iterations < maxIterations) {
      const t = iterations + 1;
      const results: RangeResult[] = await Promise.all(ranges.map(([from, to]) => pool.run({ from, to, t } satisfies HyperBallTask, { signal: abort.signal })));
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
    abort.release();
    await destroyPool(pool);
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
