/**
 * The BFS worker pool: a Piscina pool whose threads share the CSR's memory.
 * The graph goes to each worker once through workerData (a SharedArrayBuffer is
 * shared, never copied); each task carries only a batch of source ids. A pool
 * started before its graph is known (a queue worker's, which waits for jobs)
 * gets it later through setGraph: then each task also carries the graph's
 * shared memory (references only) and its number, and a thread switches when
 * the number changes.
 */
import type { Piscina } from 'piscina';
import { createPool, destroyPool, taskSignal } from './pool.js';
import { shareCsr, type Csr, type SharedCsr } from '../graph/csr.js';
import type { BatchResult } from '../algorithms/kernels/types.js';
import type { DiameterOptions, DiameterResult } from '../algorithms/diameter.js';

/** The exact diameter as a task for workers/bfs-worker.ts (one thread runs it). */
export interface DiameterTask {
  diameter: Pick<DiameterOptions, 'timeBudgetSeconds' | 'seeds'>;
}

/** Starts a thread and compiles `warm` (a kernel) and the diameter's code on a small built-in graph. */
export interface WarmTask {
  warm: string;
}

/** The graph a pool started without one was given (setGraph), as its tasks carry it. */
export interface GraphRef {
  graph?: SharedCsr;
  graphId?: number;
}

/** One task for workers/bfs-worker.ts. */
export interface BfsTask {
  kernel: string;
  sourceNodes: Uint32Array;
  /**
   * Keep the per-source hop counts (default true). False when every node is a
   * source: the intervals are then zero-width without them, and n sources'
   * counts would cost ~8 bytes times n times the eccentricity on the main thread.
   */
  keepHopCounts?: boolean;
  /** Also report each source's farthest node (BatchResult.farthest): the exact diameter starts from them. */
  farthest?: boolean;
}

export interface RunOptions {
  kernel: string;
  /** Sources per task. */
  batchSize: number;
  /** Keep each source's hop counts (default true; false for runs over every node: see workers/bfs-worker.ts). */
  keepHopCounts?: boolean;
  /** Each source's farthest node too (BatchResult.farthest; not with keepHopCounts false). */
  farthest?: boolean;
  /** Called after each finished batch with the number of sources done so far. */
  onProgress?: (sourcesDone: number) => void;
  /** Aborts the batches: Piscina stops the threads running them. */
  signal?: AbortSignal;
  /** Where these sources start in the run's source order (a --precision round); names queue jobs, ignored here. */
  offset?: number;
}

/** What runs batches of sources: this pool, or the queue's coordinator (src/app/queue.ts). */
export interface SourceRunner {
  readonly nodes: number;
  readonly threads: number;
  run(sourceNodes: Uint32Array, opts: RunOptions): Promise<BatchResult[]>;
  /** The exact diameter on one of the runner's threads, if it has any here (the queue's coordinator sends it to a worker). */
  diameter?(opts: DiameterTask['diameter'], signal?: AbortSignal): Promise<DiameterResult>;
  close(): Promise<void>;
}

export class BfsPool implements SourceRunner {
  private readonly pool: Piscina;
  /** Set by setGraph: what every task carries. */
  private graph: GraphRef = {};

  nodes: number;

  /** `csr` null: no graph yet (setGraph gives one); the threads start now all the same. */
  constructor(csr: Csr | null, readonly threads: number) {
    this.nodes = csr?.n ?? 0;
    this.pool = createPool('bfs-worker.js', { threads, workerData: { graph: csr ? shareCsr(csr) : null } });
  }

  /** The graph of every later task (tasks already sent keep theirs). */
  setGraph(csr: Csr): void {
    this.graph = { graph: shareCsr(csr), graphId: (this.graph.graphId ?? 0) + 1 };
    this.nodes = csr.n;
  }

  /**
   * One warm-up task per thread on a small built-in graph (best effort: a thread still starting may
   * leave its task to another): the threads are up, their modules loaded and the kernel compiled
   * before the first real batch comes.
   */
  async warm(kernel: string): Promise<void> {
    await Promise.all(Array.from({ length: this.threads }, () => this.pool.run({ warm: kernel } satisfies WarmTask)));
  }

  /** Runs all sources in batches; results come back in batch order whatever thread ran them. */
  async run(sourceNodes: Uint32Array, opts: RunOptions): Promise<BatchResult[]> {
    const batches: Promise<BatchResult>[] = [];
    const abort = taskSignal(opts.signal);
    let done = 0;
    for (let start = 0; start < sourceNodes.length; start += opts.batchSize) {
      const batch = sourceNodes.slice(start, start + opts.batchSize);
      batches.push(
        this.pool.run({ ...this.graph, kernel: opts.kernel, sourceNodes: batch, keepHopCounts: opts.keepHopCounts ?? true, farthest: opts.farthest ?? false } satisfies BfsTask & GraphRef, { signal: abort.signal }).then((r: BatchResult) => {
          done += batch.length;
          opts.onProgress?.(done);
          return r;
        }),
      );
    }
    try {
      return await Promise.all(batches);
    } finally {
      abort.release();
    }
  }

  /** The exact diameter on one of the pool's threads (warm, with the graph already there). */
  async diameter(opts: DiameterTask['diameter'], signal?: AbortSignal): Promise<DiameterResult> {
    const abort = taskSignal(signal);
    try {
      return (await this.pool.run({ ...this.graph, diameter: opts } satisfies DiameterTask & GraphRef, { signal: abort.signal })) as DiameterResult;
    } finally {
      abort.release();
    }
  }

  async close(): Promise<void> {
    await destroyPool(this.pool);
  }
}

/**
 * Sources per task. A multi-source kernel does a pass for `lanes` sources at
 * about the cost of one, so a batch is a whole number of passes when there are
 * enough sources for every thread to get at least 4 batches (2 threads and
 * 1000 sources: 16 batches of 64 with 32 lanes); otherwise batches shrink so
 * that all threads stay busy (16 threads and 1000 sources: 63 batches of 16).
 */
export function chooseBatchSize(sourceCount: number, threads: number, lanes = 1): number {
  const unit = Math.max(lanes, 32);
  const perThread = 4;
  const fits = Math.floor(sourceCount / (threads * perThread * unit));
  if (fits >= 2) return 2 * unit;
  if (fits >= 1) return unit;
  return Math.max(1, Math.ceil(sourceCount / (threads * perThread)));
}
