/**
 * One estimate, end to end, on checked settings (options.ts): load the edge
 * list, look up --person, BFS from sampled sources (or HyperBall) on a pool
 * over the shared CSR, merge, then the exact diameter in a worker thread. The
 * library API (api.ts) and the CLI both run estimates through here.
 *
 * Every stage takes the caller's AbortSignal: Piscina stops the threads of the
 * stage running when it fires, each stage's pool is destroyed in a finally, and
 * the call rejects with AbortError.
 */
import { resolve as resolvePath } from 'node:path';
import { AbortError, throwIfAborted, UsageError } from '../errors.js';
import { summarize, type Estimate } from '../stats/estimate.js';
import { estimateFromHyperBall } from '../stats/from-hyperball.js';
import { seedsFromBatches, type DiameterResult, type DiameterSeeds } from '../algorithms/diameter.js';
import { largestComponent } from '../graph/components.js';
import { inOriginalOrder, internalOf, originalOf, renumbered, worthRenumbering, type NodeOrder } from '../graph/renumber.js';
import { csrBytes, shareCsr, type Csr } from '../graph/csr.js';
import { DEFAULT_LOG2M, MIN_LOG2M, runHyperBall } from '../algorithms/hyperball/index.js';
import { defaultKernel, kernelLanes } from '../algorithms/kernels/index.js';
import { referenceKernel } from '../algorithms/kernels/reference.js';
import { loadGraph as readGraph, type LoadedGraph, type LoadOptions } from '../io/load.js';
import { BfsPool, chooseBatchSize, type SourceRunner } from '../parallel/bfs-pool.js';
import { createPool, destroyPool } from '../parallel/pool.js';
import type { BatchResult } from '../algorithms/kernels/types.js';
import { sampleSources } from '../stats/random.js';
import type { EstimateSettings, LongCallOptions, ProgressEvent } from './options.js';

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
  /** The BFS kernel; null with HyperBall, which runs none. */
  kernel: string | null;
  graphBytes: number;
  /** The --precision asked for, if any (sources then says how many it took). */
  precisionTarget: number | null;
  /** The exact diameter (largest finite distance), or null when only bounds are known or it was skipped. */
  diameter: number | null;
  /** [low, high] when only bounds are known; null otherwise. */
  diameterBounds: [number, number] | null;
  /** Why only bounds are known: 'time budget' or 'too large for a BFS from every node' (directed). */
  diameterBoundsReason: DiameterResult['boundsReason'];
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
    /** Of loadSeconds: renumbering the CSR for locality (0 when it was not, or a .swg came renumbered). */
    renumberSeconds: number;
    estimateSeconds: number;
    diameterSeconds: number;
    totalSeconds: number;
    peakRssBytes: number;
    /** Peak RSS of the whole process per kept edge. */
    peakRssBytesPerEdge: number;
    /** Bytes of the CSR arrays per kept edge. */
    graphBytesPerEdge: number;
    /** Plain-BFS adjacency entries (arcsScanned) per second of BFS time: comparable across kernels, like TEPS. Null with HyperBall. */
    arcsPerSecond: number | null;
    /** Adjacency entries the kernel actually read, and per second. Null with HyperBall. */
    arcsRead: number | null;
    arcsReadPerSecond: number | null;
  };
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

/** Reports progress of one file's stages to the caller, if it listens. */
type Report = (stage: ProgressEvent['stage'], done: number, total: number | null, unit: ProgressEvent['unit']) => void;

function reporter(file: string, hooks: LongCallOptions): Report {
  const listener = hooks.onProgress;
  return listener ? (stage, done, total, unit) => listener({ file, stage, done, total, unit }) : () => {};
}

/** Runs `work`; if the signal fired meanwhile, whatever it threw becomes an AbortError. */
async function abortable<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  throwIfAborted(signal);
  try {
    return await work();
  } catch (err) {
    if (signal?.aborted) throw new AbortError(signal.reason);
    throw err;
  }
}

/**
 * Reads an edge list or .swg file, with progress and abort. `numbering`:
 * 'original' (default) hands back the CSR in original numbers (a renumbered
 * .swg is numbered back), for every command whose output depends on the order
 * of neighbour lists; 'locality' (estimate, convert) renumbers a large graph for
 * locality (src/graph/renumber.ts) and keeps a renumbered .swg as it is.
 * `renumberSeconds` is the part of `seconds` spent renumbering either way.
 */
export async function loadWithHooks(
  file: string,
  input: LoadOptions,
  hooks: LongCallOptions,
  numbering: 'original' | 'locality' = 'original',
): Promise<{ graph: LoadedGraph; seconds: number; renumberSeconds: number }> {
  const report = reporter(file, hooks);
  const t0 = performance.now();
  let graph = await abortable(hooks.signal, () =>
    readGraph(file, { ...input, signal: hooks.signal, onProgress: (done, total) => report('load', done, total > 0 ? total : null, 'bytes') }),
  );
  throwIfAborted(hooks.signal);
  const t1 = performance.now();
  const work = numbering === 'original' ? graph.order !== undefined : !graph.order && worthRenumbering(graph.csr);
  if (work) graph = numbering === 'original' ? inOriginalOrder(graph) : renumbered(graph);
  const t2 = performance.now();
  return { graph, seconds: (t2 - t0) / 1000, renumberSeconds: work ? (t2 - t1) / 1000 : 0 };
}

/** A node's index, or a UsageError naming the file (checked right after the load, before any estimate). */
export function lookupNode(graph: LoadedGraph, token: string, what: string): number {
  const index = graph.ids.lookup(token);
  if (index < 0) throw new UsageError(`${what} ${token}: no such node id in ${graph.file}`);
  return internalOf(graph.order, index);
}

/** Loads `file` and estimates: what the CLI runs per file. */
export async function estimatePath(file: string, s: EstimateSettings, hooks: LongCallOptions = {}): Promise<EstimateResult> {
  // --queue: idle workers start loading the graph while this process loads it and draws the sources.
  // Announced first, not beside the load: the Redis client and BullMQ take ~0.3 s of this thread to
  // import, which the run needs anyway, and the workers then start that much sooner.
  if (s.queue && s.method !== 'hyperball') {
    await (await import('./queue.js')).announceGraph(s.queue, file);
    // BullMQ is needed once the graph is in: its import (~0.15 s) fills the load's waits for the disk.
    void import('bullmq').catch(() => {});
  }
  const { graph, seconds, renumberSeconds } = await loadWithHooks(file, s.input, hooks, 'locality');
  return estimateLoaded(graph, seconds, s, hooks, renumberSeconds);
}

/** One estimate on a loaded graph. `loadSeconds` goes into the timings. */
export async function estimateLoaded(
  graph: LoadedGraph,
  loadSeconds: number,
  s: EstimateSettings,
  hooks: LongCallOptions = {},
  renumberSeconds = 0,
): Promise<EstimateResult> {
  const { csr, stats, format, order } = graph;
  const { signal } = hooks;
  const report = reporter(graph.file, hooks);
  if (s.input.directed !== csr.directed) throw new UsageError(`${graph.file} was loaded ${csr.directed ? 'directed' : 'undirected'}, but this estimate asks for ${s.input.directed ? 'directed' : 'undirected'}`);
  const personIndex = s.person === null ? -1 : lookupNode(graph, s.person, '--person');
  const kernel = s.method === 'hyperball' ? null : (s.kernel ?? defaultKernel);
  throwIfAborted(signal);
  const t1 = performance.now();

  // The population: every node, or the largest component's members (sources are drawn from it, and a
  // BFS from a member reaches only members, so every pair counted lies inside it).
  // Members in original numbers, ascending: the draw below picks positions in this list, as without renumbering.
  const members = s.largestComponent ? largestComponent(csr, order?.toOriginal) : null;
  const population = members ? (csr.directed ? 'largest weakly connected component' : 'largest connected component') : 'all nodes';
  let estimate: Estimate;
  // What the sampled BFS learnt about eccentricities: where the exact diameter starts.
  let seeds: DiameterSeeds | null = null;
  let pool: SourceRunner | null = null;
  let person: PersonFigures | null;
  let diameter: DiameterResult | null;
  let t2: number;
  let t3 = 0;
  try {
    if (s.method === 'hyperball') {
      // HyperBall hashes node numbers and sums per node in CSR order: it runs in original numbers.
      estimate = await estimateByHyperBall(inOriginalOrder(graph).csr, s, report, signal);
    } else {
      // --queue: the batches run on the queue's workers (src/app/queue.ts), the rest stays here.
      pool = s.queue ? await openQueueRunner(graph, s) : new BfsPool(csr, s.threads);
      const runner = pool;
      const sampled = await abortable(signal, () =>
        s.precision !== null && !s.exact
          ? sampleToPrecision(runner, members, order, s.seed, s.precision, kernel!, report, signal)
          : sampleOnce(runner, members, order, s.exact ? (members ? members.length : csr.n) : s.samples, s.seed, kernel!, report, signal),
      );
      estimate = sampled.estimate;
      seeds = sampled.seeds;
    }
    person = personIndex < 0 ? null : personFigures(graph, personIndex);
    t2 = performance.now();

    // The exact diameter follows the estimate, starting from what the sampled BFS found: on a thread of
    // the BFS pool (warm, graph mapped), or with --queue as one more job, on a worker's pool the batches
    // have just warmed. (Run here beside the queue's batches instead, unseeded, it made a two-core
    // machine running its own workers slower.)
    diameter = s.diameterBudgetSeconds > 0 ? await runDiameter(csr, pool, s.diameterBudgetSeconds, seeds, report, signal) : null;
  } finally {
    t3 = performance.now();
    if (pool) await pool.close();
  }
  // Closing the pool counts with the estimate, as when it closed before the diameter.
  const closeSeconds = (performance.now() - t3) / 1000;
  const t4 = performance.now();
  const bfsSeconds = Math.max((t2 - t1) / 1000, 1e-9);
  const peakRss = process.resourceUsage().maxRSS * 1024;

  return {
    file: graph.file,
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
    seed: s.seed,
    threads: s.threads,
    kernel,
    graphBytes: csrBytes(csr),
    precisionTarget: s.exact ? null : s.precision,
    diameter: diameter?.exact ? diameter.diameter : null,
    diameterBounds: diameter && !diameter.exact ? diameter.bounds : null,
    diameterBoundsReason: diameter?.boundsReason ?? null,
    diameterBfsRuns: diameter?.bfsRuns ?? 0,
    person,
    population,
    populationNodes: members ? members.length : csr.n,
    timings: {
      loadSeconds,
      renumberSeconds,
      estimateSeconds: (t2 - t1) / 1000 + closeSeconds,
      diameterSeconds: diameter ? (t3 - t2) / 1000 : 0,
      totalSeconds: loadSeconds + (t4 - t1) / 1000,
      peakRssBytes: peakRss,
      peakRssBytesPerEdge: peakRss / Math.max(stats.edges, 1),
      graphBytesPerEdge: csrBytes(csr) / Math.max(stats.edges, 1),
      arcsPerSecond: kernel === null ? null : estimate.arcsScanned / bfsSeconds,
      arcsRead: kernel === null ? null : estimate.arcsRead,
      arcsReadPerSecond: kernel === null ? null : estimate.arcsRead / bfsSeconds,
    },
  };
}

/**
 * Sources from the population: node indices, or positions in `members` mapped
 * to nodes, drawn in original numbers and then mapped to the CSR's (`order`),
 * so a seed draws the same people whether or not the CSR was renumbered.
 */
function drawSources(members: Uint32Array | null, order: NodeOrder | undefined, n: number, k: number, seed: number): Uint32Array {
  const picks = sampleSources(members ? members.length : n, k, seed);
  if (members) for (let i = 0; i < picks.length; i++) picks[i] = members[picks[i]];
  if (order) for (let i = 0; i < picks.length; i++) picks[i] = order.toInternal[picks[i]];
  return picks;
}

async function sampleOnce(
  pool: SourceRunner,
  members: Uint32Array | null,
  order: NodeOrder | undefined,
  samples: number,
  seed: number,
  kernel: string,
  report: Report,
  signal: AbortSignal | undefined,
): Promise<Sampled> {
  const n = members ? members.length : pool.nodes;
  const sourceNodes = drawSources(members, order, pool.nodes, samples, seed);
  report('bfs', 0, sourceNodes.length, 'sources');
  const batches = await pool.run(sourceNodes, {
    kernel,
    batchSize: chooseBatchSize(sourceNodes.length, pool.threads, kernelLanes[kernel] ?? 1),
    // Every node a source (--exact): the intervals have zero width without per-source hop counts,
    // which would cost 8 bytes per source per hop level here (a 2.4M-node graph: ~200 MB).
    keepHopCounts: sourceNodes.length < n,
    farthest: true,
    onProgress: (done) => report('bfs', done, sourceNodes.length, 'sources'),
    signal,
  });
  const seeds = seedsFromBatches(batches);
  return { estimate: summarize(batches, n), seeds };
}

/** An estimate, and what its BFS runs tell the exact diameter. */
interface Sampled {
  estimate: Estimate;
  seeds: DiameterSeeds | null;
}

/**
 * --precision: sources in rounds, in one fixed random order (so a rerun with the same seed
 * takes the same sources), until the 95% interval's half-width is at most `target`.
 * Rounds double (256, 512, ...) so that few rounds are wasted on an easy target.
 */
async function sampleToPrecision(
  pool: SourceRunner,
  members: Uint32Array | null,
  order: NodeOrder | undefined,
  seed: number,
  target: number,
  kernel: string,
  report: Report,
  signal: AbortSignal | undefined,
): Promise<Sampled> {
  const n = members ? members.length : pool.nodes;
  const draw = drawSources(members, order, pool.nodes, n, seed);
  const batches: BatchResult[] = [];
  let taken = 0;
  let round = Math.min(256, n);
  report('bfs', 0, n, 'sources');
  for (;;) {
    const sourceNodes = draw.subarray(taken, Math.min(n, taken + round));
    const complete = taken + sourceNodes.length >= n;
    batches.push(
      ...(await pool.run(sourceNodes, {
        kernel,
        batchSize: chooseBatchSize(sourceNodes.length, pool.threads, kernelLanes[kernel] ?? 1),
        keepHopCounts: !complete, // as in sampleOnce: not needed once every node is a source
        farthest: true,
        offset: taken,
        onProgress: (done) => report('bfs', taken + done, n, 'sources'),
        signal,
      })),
    );
    taken += sourceNodes.length;
    // Read before a complete run's eccentricities are dropped below.
    const seeds = complete ? seedsFromBatches(batches) : null;
    if (complete) for (const b of batches) b.eccentricity = b.hopCounts = [];
    const estimate = summarize(batches, n);
    const ci = estimate.meanDistanceCi95;
    if (taken >= n || (ci !== null && (ci[1] - ci[0]) / 2 <= target)) return { estimate, seeds: seeds ?? seedsFromBatches(batches) };
    round *= 2;
  }
}

/** The coordinator of `estimate --queue`: the graph must be a .swg file the workers can open by its path. */
async function openQueueRunner(graph: LoadedGraph, s: EstimateSettings): Promise<SourceRunner> {
  const { QueueRunner, graphHash, looksLikeSwg } = await import('./queue.js');
  const path = resolvePath(graph.file);
  if (!looksLikeSwg(path)) throw new UsageError(`--queue needs a .swg file that the workers can read by its path: convert it first (smallworld convert ${graph.file} FILE.swg)`);
  const hash = await graphHash(path);
  const draw = s.exact ? 'exact' : s.precision !== null ? 'order' : `samples ${s.samples}`;
  const runner = await QueueRunner.open({
    url: s.queue!,
    graph,
    path,
    hash,
    key: { seed: s.exact ? 0 : s.seed, draw, largestComponent: s.largestComponent },
    note: (line) => process.stderr.write(`smallworld: ${line}\n`),
  });
  // Jobs carry sources in original numbers, whatever numbering this process holds the graph in;
  // each worker maps them to its CSR's (src/app/queue.ts).
  const order = graph.order;
  if (!order) return runner;
  return {
    nodes: runner.nodes,
    threads: runner.threads,
    run: (sourceNodes, opts) => runner.run(sourceNodes.map((v) => order.toOriginal[v]), opts),
    diameter: (opts, signal) => runner.diameter(opts, signal),
    close: () => runner.close(),
  };
}

/** Registers per counter: the default (~2.3% error per counter) unless two copies of n counters would pass ~1 GB. */
function hyperBallLog2m(n: number): number {
  const fits = Math.floor(Math.log2(1e9 / (2 * Math.max(n, 1))));
  return Math.max(MIN_LOG2M, Math.min(DEFAULT_LOG2M, fits));
}

/** --method hyperball: the same figures from HyperBall's neighbourhood function (all nodes at once, approximate). */
async function estimateByHyperBall(csr: Csr, s: EstimateSettings, report: Report, signal: AbortSignal | undefined): Promise<Estimate> {
  report('hyperball', 0, null, 'hops');
  const hb = await abortable(signal, () =>
    runHyperBall(csr, { threads: s.threads, seed: s.seed, log2m: s.log2m ?? hyperBallLog2m(csr.n), onProgress: (t) => report('hyperball', t, null, 'hops'), signal }),
  );
  return estimateFromHyperBall(hb, csr.n);
}

/**
 * iFUB in a worker thread over the shared CSR: the main thread stays free, and an abort stops it at
 * once. On a thread of the estimate's BFS pool when there is one here, else in a worker of its own.
 */
async function runDiameter(
  csr: Csr,
  runner: SourceRunner | null,
  budgetSeconds: number,
  seeds: DiameterSeeds | null,
  report: Report,
  signal: AbortSignal | undefined,
): Promise<DiameterResult> {
  report('diameter', 0, null, 'bfs runs');
  const task = { timeBudgetSeconds: budgetSeconds, seeds: seeds ? { lower: seeds.lower, periphery: Array.from(seeds.periphery) } : undefined };
  if (runner?.diameter) {
    const run = runner.diameter.bind(runner);
    return abortable(signal, () => run(task, signal));
  }
  const pool = createPool('diameter-worker.js', { threads: 1, workerData: { graph: shareCsr(csr) } });
  try {
    return await abortable(signal, () => pool.run(task, { signal }) as Promise<DiameterResult>);
  } finally {
    await destroyPool(pool);
  }
}

/** One person's exact figures: a single BFS with the reference kernel. `index` is in the CSR's numbers (lookupNode's). */
export function personFigures(graph: LoadedGraph, index: number): PersonFigures {
  const r = referenceKernel(graph.csr)([index]);
  let within = 0;
  return {
    id: graph.ids.token(originalOf(graph.order, index)),
    reached: r.reached[0],
    meanDistance: r.reached[0] > 0 ? r.distanceSum[0] / r.reached[0] : null,
    degreesOfSeparation: r.reached[0] > 0 ? r.distanceSum[0] / r.reached[0] - 1 : null,
    hopCounts: r.histogram,
    withinHops: r.histogram.map((h) => (within += h)),
  };
}
