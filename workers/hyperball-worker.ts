/**
 * Piscina worker for HyperBall: receives the shared CSR and the shared counters
 * once (workerData), then computes one hop for a range of nodes per task. Only
 * the range's ball-size sum and changed-node count travel back.
 */
import { workerData } from 'node:worker_threads';
import { csrFromShared, type SharedCsr } from '../src/graph/csr.js';
import { updateRange, type HyperBallState, type HyperBallTask, type RangeResult } from '../src/algorithms/hyperball/index.js';

const { graph, state } = workerData as { graph: SharedCsr; state: HyperBallState };
const csr = csrFromShared(graph);

export default function runRange(task: HyperBallTask): RangeResult {
  return updateRange(csr, state, task);
}
