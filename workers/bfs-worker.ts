/**
 * Piscina worker: receives the shared CSR once (workerData), then runs batches
 * of BFS sources with the requested kernel. Only small histograms travel back.
 */
import { workerData } from 'node:worker_threads';
import { csrFromShared, type SharedCsr } from '../src/graph.js';
import { kernels } from '../src/kernels/index.js';
import type { BatchResult } from '../src/kernels/types.js';

export interface BfsTask {
  kernel: string;
  sources: Uint32Array;
  /**
   * Keep the per-source hop counts (default true). False when every node is a
   * source: the intervals are then zero-width without them, and n sources'
   * counts would cost ~8 bytes times n times the eccentricity on the main thread.
   */
  hopCounts?: boolean;
}

const csr = csrFromShared((workerData as { graph: SharedCsr }).graph);
const ready = new Map<string, (sources: ArrayLike<number>) => BatchResult>();

export default function runBatch(task: BfsTask): BatchResult {
  let run = ready.get(task.kernel);
  if (!run) {
    const factory = kernels[task.kernel];
    if (!factory) throw new Error(`unknown kernel '${task.kernel}'`);
    run = factory(csr);
    ready.set(task.kernel, run);
  }
  const result = run(task.sources);
  if (task.hopCounts === false) {
    result.eccentricity = [];
    result.hopCounts = [];
  }
  return result;
}
