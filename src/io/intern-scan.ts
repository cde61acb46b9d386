/**
 * String mode of the loader's fast path on several threads: each parse worker
 * scans a whole block (the same rules as scanRange, so all stop at the same
 * line) and interns only the tokens of its own shard of the ids (see
 * src/graph/intern.ts); the main thread then takes, for each endpoint, the
 * value from the shard that owns it. Scanning and hashing are done by every
 * worker, the interning (the cost: random reads of a table of millions of ids)
 * by one worker per token.
 */
import type { Piscina } from 'piscina';
import { hashBytes, IdTable, type IdTableState } from '../graph/id-table.js';
import type { ShardedIds } from '../graph/intern.js';
import { createPool, destroyPool } from '../parallel/pool.js';
import { scanRange, type ScanParams, type ScanResult } from './scan.js';

/** A token of another shard (no raw value is this: a shard holds under 2^31 ids). */
const FOREIGN = 0xffffffff;

export interface ShardScanTask {
  block: SharedArrayBuffer;
  cut: number;
  params: ScanParams;
  shard: number;
  shards: number;
  bits: number;
  state: IdTableState;
}

export interface ShardScanResult {
  result: ScanResult;
  state: IdTableState;
}

/** In a worker: scans block[0, cut) and interns the tokens of `shard` into its table. */
export function scanShard(task: ShardScanTask): ShardScanResult {
  const table = IdTable.fromState(task.state);
  const { shard, shards } = task;
  const shift = 32 - task.bits;
  const interner = {
    internBytes(bytes: Uint8Array, start: number, end: number): number {
      const h = hashBytes(bytes, start, end);
      if (h >>> shift !== shard) return FOREIGN;
      return table.internHashed(bytes, start, end, h) * shards + shard;
    },
  };
  const result = scanRange(new Uint8Array(task.block), 0, task.cut, task.params, interner);
  return { result, state: table.state() };
}

/** Scans whole blocks in string mode, one task per shard, on a pool of its own. */
export class ShardScanner {
  private pool: Piscina | undefined;

  constructor(private readonly threads: number) {}

  /** Whether `ids` has shards for workers to fill. */
  static usable(ids: ShardedIds | null, threads: number): ids is ShardedIds {
    return ids !== null && threads > 1 && ids.shards > 1;
  }

  /** Scans block[0, cut) (block over a SharedArrayBuffer, from offset 0); the ids' shards are updated. */
  async scan(block: Uint8Array, cut: number, params: ScanParams, ids: ShardedIds): Promise<ScanResult> {
    this.pool ??= createPool('intern-worker.js', { threads: this.threads });
    const pool = this.pool;
    const buffer = block.buffer as SharedArrayBuffer;
    const tasks: Array<Promise<ShardScanResult>> = [];
    for (let shard = 0; shard < ids.shards; shard++) {
      const task: ShardScanTask = { block: buffer, cut, params, shard, shards: ids.shards, bits: ids.bits, state: ids.state(shard) };
      tasks.push(pool.run(task) as Promise<ShardScanResult>);
    }
    const done = await Promise.all(tasks);
    for (let shard = 0; shard < done.length; shard++) ids.adopt(shard, done[shard].state);
    const first = done[0].result;
    const pairs = first.pairs;
    const n = first.count * 2;
    for (let shard = 1; shard < done.length; shard++) {
      const r = done[shard].result;
      if (r.stop !== first.stop || r.count !== first.count || r.lines !== first.lines)
        throw new Error('internal error: the shard scans stopped at different lines');
      const theirs = r.pairs;
      for (let i = 0; i < n; i++) if (pairs[i] === FOREIGN) pairs[i] = theirs[i];
    }
    return { ...first, maxValue: -1 };
  }

  async close(): Promise<void> {
    if (this.pool) await destroyPool(this.pool);
    this.pool = undefined;
  }
}
