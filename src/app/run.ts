/**
 * One estimate, end to end: load the edge list, start the pool over the shared
 * CSR, BFS from sampled sources, merge. This is what the CLI calls per file.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { summarize, type Estimate } from '../stats/estimate.js';
import { estimateFromHyperBall } from '../stats/from-hyperball.js';
import type { FormatOptions, EdgeListFormat } from '../io/sniff.js';
import { exactDiameter, type DiameterResult } from '../algorithms/diameter.js';
import { largestComponent } from '../graph/components.js';
import { csrBytes, type Csr } from '../graph/csr.js';
import { DEFAULT_LOG2M, MIN_LOG2M, runHyperBall } from '../algorithms/hyperball/index.js';
import { defaultKernel, kernelLanes, kernels } from '../algorithms/kernels/index.js';
import { loadGraph, type LoadedGraph, type LoadStats } from '../io/load.js';
import { referenceKernel } from '../algorithms/kernels/reference.js';
import { BfsPool, chooseBatchSize } from '../parallel/bfs-pool.js';
import { createProgress, type Progress } from './progress.js';
import type { BatchResult } from '../algorithms/kernels/types.js';
import { sampleSources } from '../stats/random.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_SAMPLES = 1000;

export interface EstimateOptions extends FormatOptions {
  samples?: number;
  seed?: number;
  threads?: number;
  exact?: boolean;
  directed?: boolean;
  kernel?: string;
  /** 'bfs' (default): BFS from sampled sources; 'hyperball': HyperLogLog counters for every node at once. */
  method?: 'bfs' | 'hyperball';
  /** HyperBall: log2 of the registers per counter (default: 11, less when n is large, to stay near 1 GB). */
  log2m?: number;
  /** Only pairs within the largest connected component (weakly connected when directed). */
  largestComponent?: boolean;
  /** Also report this person's exact distances (their own BFS): the user's token for them. */
  person?: string;
  /** Compute the exact diameter (iFUB) within this many seconds; 0 skips it. Default 60. */
  diameterBudgetSeconds?: number;
  /** Keep sampling in rounds until the 95% half-width of the mean distance is at most this (or every node is a source). */
  precision?: number;
  /** Count and skip malformed lines instead of stopping at the first. */
  skipBadLines?: boolean;
  /** Loader parser: 'auto' (fast scanner, csv-parse where needed) or 'csv' (csv-parse only). */
  parser?: 'auto' | 'csv';
  /** Show progress bars on stderr when it is a terminal. */
  progress?: boolean;
}

export interface EstimateResult extends Estimate {
  file: string;
  nodes: number;
  edges: number;
  directed: boolean;
  selfLoops: number;
  duplicateEdges: number;
  linesRead: number;
  edgeLines: number;
  badLinesSkipped: number;
  badLineExamples: Array<{ line: number; reason: string }>;
  header: string[] | null;
  /** How `header` was decided: 'detected: column names', 'forced by --header', 'none: first line is data (...)'...; null for a .swg input. */
  headerDecision: string | null;
  seed: number;
  threads: number;
  kernel: string;
  graphBytes: number;
  /** The --precision asked for, if any (sources then says how many it took). */
  precisionTarget: number | null;
  /** The exact diameter (largest finite distance), or null when only bounds are known or it was skipped. */
  diameter: number | null;
  /** [low, high] when the time budget ran out before the diameter was exact; null otherwise. */
  diameterBounds: [number, number] | null;
  /** BFS runs the diameter took (iFUB needs few on social graphs). */
  diameterBfsRuns: number;
  /** --person: that person's exact figures. */
  person: PersonFigures | null;
  /** Whose pairs the figures are about. */
  population: 'all nodes' | 'largest connected component' | 'largest weakly connected component';
  /** Nodes in that population. */
  populationNodes: number;
  timings: {
    loadSeconds: number;
    estimateSeconds: number;
    diameterSeconds: number;
    totalSeconds: number;
    peakRssBytes: number;
    /** Peak RSS of the whole process per kept edge. */
    peakRssBytesPerEdge: number;
    /** Bytes of the CSR arrays per kept edge. */
    graphBytesPerEdge: number;
    /** Plain-BFS adjacency entries (arcsScanned) per second of BFS time: comparable across kernels, like TEPS. */
    arcsPerSecond: number;
    /** Adjacency entries the kernel actually read, and per second. */
    arcsRead: number;
    arcsReadPerSecond: number;
  };
}

export async function estimateFile(file: string, opts: EstimateOptions = {}): Promise<EstimateResult> {
  const threads = opts.threads ?? availableParallelism();
  const kernel = opts.kernel ?? defaultKernel;
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(threads) || threads < 1) throw new UsageError(`--threads must be a positive integer`);
  if (!kernels[kernel]) throw new UsageError(`unknown kernel '${kernel}' (have: ${Object.keys(kernels).join(', ')})`);
  const progress = createProgress(opts.progress ?? false);

  const t0 = performance.now();
  progress.start(`loading ${file}`, 0, 'bytes');
  let loaded;
  try {
    loaded = await loadGraph(file, { ...opts, threads, onProgress: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
  const { csr, stats, format } = loaded;
  const t1 = performance.now();

  // The population: every node, or the largest component's members (sources are drawn from it, and a
  // BFS from a member reaches only members, so every pair counted lies inside it).
  if (opts.largestComponent && opts.method === 'hyperball') throw new UsageError('--largest-component works with --method bfs only');
  const members = opts.largestComponent ? largestComponent(csr) : null;
  const population = members ? (csr.directed ? 'largest weakly connected component' : 'largest connected component') : 'all nodes';
  const pool = new BfsPool(csr, threads);
  let estimate: Estimate;
  try {
    estimate =
      opts.method === 'hyperball'
        ? await estimateByHyperBall(csr, threads, seed, opts.log2m, progress)
        : opts.precision !== undefined && !opts.exact
        ? await sampleToPrecision(pool, members, seed, opts.precision, kernel, progress)
        : await sampleOnce(pool, members, opts.exact ? (members ? members.length : csr.n) : (opts.samples ?? DEFAULT_SAMPLES), seed, kernel, progress);
  } finally {
    await pool.close();
  }
  const person = opts.person === undefined ? null : personFigures(loaded, opts.person);
  const t2 = performance.now();

  // The exact diameter: iFUB on undirected graphs, a few BFS runs on social graphs.
  const budget = opts.diameterBudgetSeconds ?? 60;
  let diameter: DiameterResult | null = null;
  if (budget > 0) diameter = exactDiameter(csr, { timeBudgetSeconds: budget });
  const t3 = performance.now();

  return {
    file,
    ...estimate,
    nodes: stats.nodes,
    edges: stats.edges,
    directed: csr.directed,
    selfLoops: stats.selfLoops,
    duplicateEdges: stats.duplicates,
    linesRead: stats.lines,
    edgeLines: stats.edgeLines,
    badLinesSkipped: stats.badLines,
    badLineExamples: stats.badLineExamples,
    header: format.header ? format.headerFields : null,
    headerDecision: format.headerDecision ?? null,
    seed,
    threads,
    kernel,
    graphBytes: csrBytes(csr),
    precisionTarget: opts.exact ? null : (opts.precision ?? null),
    diameter: diameter?.exact ? diameter.diameter : null,
    diameterBounds: diameter && !diameter.exact ? diameter.bounds : null,
    diameterBfsRuns: diameter?.bfsRuns ?? 0,
    person,
    population,
    populationNodes: members ? members.length : csr.n,
    timings: {
      loadSeconds: (t1 - t0) / 1000,
      estimateSeconds: (t2 - t1) / 1000,
      diameterSeconds: (t3 - t2) / 1000,
      totalSeconds: (t3 - t0) / 1000,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      peakRssBytesPerEdge: (process.resourceUsage().maxRSS * 1024) / Math.max(stats.edges, 1),
      graphBytesPerEdge: csrBytes(csr) / Math.max(stats.edges, 1),
      arcsPerSecond: estimate.arcsScanned / Math.max((t2 - t1) / 1000, 1e-9),
      arcsRead: estimate.arcsRead,
      arcsReadPerSecond: estimate.arcsRead / Math.max((t2 - t1) / 1000, 1e-9),
    },
  };
}

/** Sources from the population: node indices, or positions in `members` mapped to nodes. */
function drawSources(members: Uint32Array | null, n: number, k: number, seed: number): Uint32Array {
  const picks = sampleSources(members ? members.length : n, k, seed);
  if (members) for (let i = 0; i < picks.length; i++) picks[i] = members[picks[i]];
  return picks;
}

async function sampleOnce(pool: BfsPool, members: Uint32Array | null, samples: number, seed: number, kernel: string, progress: Progress): Promise<Estimate> {
  if (!Number.isInteger(samples) || samples < 1) throw new UsageError('--samples must be a positive integer');
  const n = members ? members.length : pool.nodes;
  const sources = drawSources(members, pool.nodes, samples, seed);
  progress.start('BFS', sources.length, 'sources');
  try {
    const batches = await pool.run(sources, {
      kernel,
      batchSize: chooseBatchSize(sources.length, pool.threads, kernelLanes[kernel] ?? 1),
      // Every node a source (--exact): the intervals have zero width without per-source hop counts,
      // which would cost 8 bytes per source per hop level here (a 2.4M-node graph: ~200 MB).
      keepHopCounts: sources.length < n,
      onProgress: (done) => progress.update(done),
    });
    return summarize(batches, n);
  } finally {
    progress.stop();
  }
}

/**
 * --precision: sources in rounds, in one fixed random order (so a rerun with the same seed
 * takes the same sources), until the 95% interval's half-width is at most `target`.
 * Rounds double (256, 512, ...) so that few rounds are wasted on an easy target.
 */
async function sampleToPrecision(pool: BfsPool, members: Uint32Array | null, seed: number, target: number, kernel: string, progress: Progress): Promise<Estimate> {
  if (!(target > 0)) throw new UsageError('--precision must be a positive number');
  const n = members ? members.length : pool.nodes;
  const order = drawSources(members, pool.nodes, n, seed);
  const batches: BatchResult[] = [];
  let taken = 0;
  let round = Math.min(256, n);
  progress.start(`BFS to ±${target}`, n, 'sources');
  try {
    for (;;) {
      const sources = order.subarray(taken, Math.min(n, taken + round));
      const complete = taken + sources.length >= n;
      batches.push(
        ...(await pool.run(sources, {
          kernel,
          batchSize: chooseBatchSize(sources.length, pool.threads, kernelLanes[kernel] ?? 1),
          keepHopCounts: !complete, // as in sampleOnce: not needed once every node is a source
          onProgress: (done) => progress.update(taken + done),
        })),
      );
      taken += sources.length;
      if (complete) for (const b of batches) b.eccentricity = b.hopCounts = [];
      const estimate = summarize(batches, n);
      const ci = estimate.meanDistanceCi95;
      if (taken >= n || (ci !== null && (ci[1] - ci[0]) / 2 <= target)) return estimate;
      round *= 2;
    }
  } finally {
    progress.stop();
  }
}

/** Registers per counter: the default (~2.3% error per counter) unless two copies of n counters would pass ~1 GB. */
function hyperBallLog2m(n: number): number {
  const fits = Math.floor(Math.log2(1e9 / (2 * Math.max(n, 1))));
  return Math.max(MIN_LOG2M, Math.min(DEFAULT_LOG2M, fits));
}

/** --method hyperball: the same figures from HyperBall's neighbourhood function (all nodes at once, approximate). */
async function estimateByHyperBall(csr: Csr, threads: number, seed: number, log2m: number | undefined, progress: Progress): Promise<Estimate> {
  progress.start('HyperBall hops', 0, 'sources');
  let hb;
  try {
    hb = await runHyperBall(csr, { threads, seed, log2m: log2m ?? hyperBallLog2m(csr.n), onProgress: (t) => progress.update(t) });
  } finally {
    progress.stop();
  }
  return estimateFromHyperBall(hb, csr.n);
}

export interface PersonFigures {
  id: string;
  /** People this person reaches (themself excluded). */
  reached: number;
  /** Their average distance to those people, and minus one (degrees of separation). */
  meanDistance: number | null;
  degreesOfSeparation: number | null;
  /** Element d = people at exactly d hops (1st, 2nd, 3rd-degree connections...); element 0 is 0. */
  hopCounts: number[];
  /** Element d = people within d hops. */
  withinHops: number[];
}

/** One person's exact figures: a single BFS with the reference kernel. */
function personFigures(graph: LoadedGraph, token: string): PersonFigures {
  const index = graph.ids.lookup(token);
  if (index < 0) throw new UsageError(`--person ${token}: no such node id in ${graph.file}`);
  const r = referenceKernel(graph.csr)([index]);
  let within = 0;
  return {
    id: token,
    reached: r.reached[0],
    meanDistance: r.reached[0] > 0 ? r.distanceSum[0] / r.reached[0] : null,
    degreesOfSeparation: r.reached[0] > 0 ? r.distanceSum[0] / r.reached[0] - 1 : null,
    hopCounts: r.histogram,
    withinHops: r.histogram.map((h) => (within += h)),
  };
}

export type { LoadStats, EdgeListFormat };
