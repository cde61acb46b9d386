/**
 * Piscina worker for the loader's string mode: scans a whole block held in a
 * SharedArrayBuffer and interns the ids of one shard (src/io/intern-scan.ts);
 * the shard's table is shared, its pairs are moved back (no copy out).
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { scanShard, type ShardScanResult, type ShardScanTask } from '../src/io/intern-scan.js';

export default function internTask(task: ShardScanTask): ShardScanResult {
  const out = scanShard(task);
  return move({
    get [transferableSymbol]() {
      return [out.result.pairs.buffer];
    },
    get [valueSymbol]() {
      return out;
    },
  }) as unknown as ShardScanResult;
}
