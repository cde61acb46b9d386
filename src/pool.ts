/**
 * The BFS worker pool: a Piscina pool whose threads share the CSR's memory.
 * The graph goes to each worker once through workerData (a SharedArrayBuffer is
 * shared, never copied); each task carries only a batch of source ids.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { shareCsr, type Csr } from './graph.js';
import type { BatchResult } from './kernels/types.js';

/** A built worker file: beside dist/src when running built code, or in dist/ when tests run the sources. */
export function builtWorker(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const built = here.endsWith('.ts') ? resolve(dirname(here), '../dist/workers', name) : resolve(dirname(here), '../workers', name);
  if (!existsSync(built)) throw new Error(`worker ${built} is missing: run 'npm run build'`);
  return built;
}

export interface RunOptions {
  kernel: string;
  /** Sources per task. */
  batchSize: number;
  /** Keep each source's hop counts (default true; false for runs over every node: see workers/bfs-worker.ts). */
  hopCounts?: boolean;
  /** Called after each finished batch with the number of sources done so far. */
  onProgress?: (sourcesDone: number) => void;
}

export class BfsPool {
  private readonly pool: Piscina;

  readonly nodes: number;

  constructor(csr: Csr, readonly threads: number) {
    this.nodes = csr.n;
    this.pool = new Piscina({
      filename: builtWorker('bfs-worker.js'),
      minThreads: threads,
      maxThreads: threads,
      // Each worker holds O(n) scratch per kernel; keep them alive for the whole run.
      idleTimeout: 60_000,
      workerData: { graph: shareCsr(csr) },
    });
  }

  /** Runs all sources in batches; results come back in batch order whatever thread ran them. */
  async run(sources: Uint32Array, opts: RunOptions): Promise<BatchResult[]> {
    const batches: Promise<BatchResult>[] = [];
    let done = 0;
    for (let start = 0; start < sources.length; start += opts.batchSize) {
      const batch = sources.slice(start, start + opts.batchSize);
      batches.push(
        this.pool.run({ kernel: opts.kernel, sources: batch, hopCounts: opts.hopCounts ?? true }).then((r: BatchResult) => {
          done += batch.length;
          opts.onProgress?.(done);
          return r;
        }),
      );
    }
    return Promise.all(batches);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/**
 * Sources per task. A multi-source kernel does a pass for `lanes` sources at
 * about the cost of one, so a batch is a whole number of passes when there are
 * enough sources for every thread to get at least 4 batches (2 threads and
 * 1000 sources: 16 batches of 64 with 32 lanes); otherwise batches shrink so
 * that all threads stay busy (16 threads and 1000 sources: 63 batches of 16).
 */
export function chooseBatchSize(sources: number, threads: number, lanes = 1): number {
  const unit = Math.max(lanes, 32);
  const perThread = 4;
  const fits = Math.floor(sources / (threads * perThread * unit));
  if (fits >= 2) return 2 * unit;
  if (fits >= 1) return unit;
  return Math.max(1, Math.ceil(sources / (threads * perThread)));
}
