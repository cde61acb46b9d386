/**
 * Piscina worker for the loader's fast path: scans one byte range of a block
 * held in a SharedArrayBuffer (no copy in) and moves its pairs back (no copy out).
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { scanRange, type ScanParams, type ScanResult } from '../src/io/scan.js';

export interface ScanTask {
  block: SharedArrayBuffer;
  start: number;
  end: number;
  params: ScanParams;
}

export default function scanTask(task: ScanTask): ScanResult {
  const result = scanRange(new Uint8Array(task.block), task.start, task.end, task.params);
  return move({
    get [transferableSymbol]() {
      return [result.pairs.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  }) as unknown as ScanResult;
}
