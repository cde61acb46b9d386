/**
 * Piscina worker for the loader: scans one byte range of a block held in a
 * SharedArrayBuffer (no copy in; its pairs come back in a SharedArrayBuffer,
 * no copy out), or does a share of a parallel CSR build over the shared pairs:
 * counts degrees (countDegrees) or builds the lists of a range of nodes
 * (buildRange), through runBuildTask.
 */
import { runBuildTask, type BuildRangeTask, type CountTask } from '../src/graph/csr.js';
import { scanRange, type ScanParams, type ScanResult } from '../src/io/scan.js';

export interface ScanTask {
  kind?: 'scan';
  block: SharedArrayBuffer;
  start: number;
  end: number;
  params: ScanParams;
}

export default function parseTask(task: ScanTask | BuildRangeTask | CountTask): ScanResult | number {
  if (task.kind === 'count' || task.kind === 'build') return runBuildTask(task);
  return scanRange(new Uint8Array(task.block), task.start, task.end, task.params);
}
