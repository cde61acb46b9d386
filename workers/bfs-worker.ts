/**
 * Piscina worker: receives the shared CSR once (workerData), then runs batches
 * of BFS sources with the requested kernel. Only small histograms travel back.
 */
import { workerData } from 'node:worker_threads';
import { csrFromShared, type SharedCsr } from '../src/graph/csr.js';
import { kernels } from '../src/algorithms/kernels/index.js';
import type { BatchResult, KernelRunOptions } from '../src/algorithms/kernels/types.js';
import type { BfsTask, DiameterTask } from '../src/parallel/bfs-pool.js';
import { exactDiameter, type DiameterResult } from '../src/algorithms/diameter.js';

const csr = csrFromShared((workerData as { graph: SharedCsr }).graph);
const ready = new Map<string, (sources: ArrayLike<number>, options?: KernelRunOptions) => BatchResult>();

export default function runBatch(task: BfsTask | DiameterTask): BatchResult | DiameterResult {
  // The exact diameter runs here too after the estimate: a warm thread, the CSR already mapped.
  if ('diameter' in task) return exactDiameter(csr, task.diameter);
  let run = ready.get(task.kernel);
  if (!run) {
    const factory = kernels[task.kernel];
    if (!factory) throw new Error(`unknown kernel '${task.kernel}'`);
    run = factory(csr);
    ready.set(task.kernel, run);
  }
  const result = run(task.sourceNodes, { farthest: task.farthest === true && task.keepHopCounts !== false });
  if (task.keepHopCounts === false) {
    result.eccentricity = [];
    result.hopCounts = [];
  }
  return result;
}
