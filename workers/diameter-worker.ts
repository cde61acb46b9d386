/**
 * Piscina worker for the exact diameter: iFUB runs here rather than on the main
 * thread, so the caller stays responsive and an AbortSignal can stop it at once
 * (Piscina terminates the thread). The CSR arrives shared through workerData.
 */
import { workerData } from 'node:worker_threads';
import { csrFromShared, type SharedCsr } from '../src/graph/csr.js';
import { exactDiameter, type DiameterOptions, type DiameterResult } from '../src/algorithms/diameter.js';

const csr = csrFromShared((workerData as { graph: SharedCsr }).graph);

export default function runDiameter(opts: Pick<DiameterOptions, 'timeBudgetSeconds' | 'seeds'>): DiameterResult {
  return exactDiameter(csr, opts);
}
