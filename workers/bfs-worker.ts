/**
 * Piscina worker: receives the shared CSR once (workerData), then runs batches
 * of BFS sources with the requested kernel. Only small histograms travel back.
 * A pool started without a graph (BfsPool.setGraph) sends it with each task instead.
 */
import { workerData } from 'node:worker_threads';
import { buildCsr, csrFromShared, type Csr, type SharedCsr } from '../src/graph/csr.js';
import { EdgeBuffer } from '../src/graph/edges.js';
import { kernelLanes, kernels } from '../src/algorithms/kernels/index.js';
import type { BatchResult, KernelRunOptions } from '../src/algorithms/kernels/types.js';
import type { BfsTask, DiameterTask, GraphRef, WarmTask } from '../src/parallel/bfs-pool.js';
import { exactDiameter, type DiameterResult } from '../src/algorithms/diameter.js';
import { rmatEdges } from '../src/graph/rmat.js';

const initial = (workerData as { graph: SharedCsr | null } | null)?.graph ?? null;
let csr: Csr | null = initial ? csrFromShared(initial) : null;
let graphId = 0;
const ready = new Map<string, (sources: ArrayLike<number>, options?: KernelRunOptions) => BatchResult>();

export default function runBatch(task: (BfsTask | DiameterTask | WarmTask) & GraphRef): BatchResult | DiameterResult | null {
  if (task.graph && task.graphId !== graphId) {
    csr = csrFromShared(task.graph);
    graphId = task.graphId ?? 0;
    ready.clear(); // the kernels' scratch is sized for the old graph
  }
  if ('warm' in task) return warmUp(task.warm);
  if (!csr) throw new Error('no graph given to this pool yet');
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

/**
 * A few passes of `kernel` and one exact diameter on a small R-MAT graph (2^11 ids, ~30k arcs): V8
 * compiles the code here, before a queue worker's first real batch, and keeps it for the real graph.
 */
function warmUp(kernel: string): null {
  const factory = kernels[kernel];
  if (!factory) throw new Error(`unknown kernel '${kernel}'`);
  const g = smallGraph(11);
  const run = factory(g);
  const lanes = kernelLanes[kernel] ?? 1;
  for (let round = 0; round < 4; round++) run(Array.from({ length: lanes }, (_, i) => (i * 61 + round * 7) % g.n), { farthest: true });
  exactDiameter(g, {});
  return null;
}

function smallGraph(scale: number): Csr {
  const n = 2 ** scale;
  const { keys } = rmatEdges(scale, 1);
  const edges = new EdgeBuffer();
  for (let i = 0; i < keys.length; i++) edges.push(Math.floor(keys[i] / n), keys[i] % n);
  return buildCsr(edges, n, false).csr;
}
