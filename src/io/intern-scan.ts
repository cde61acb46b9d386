/**
 * String mode of the loader's fast path on several threads, two rounds per block:
 *
 * 1. tokens: each parse worker scans one range of the block (the rules of
 *    scanRange, so it stops where scanRange would) and records each endpoint
 *    token it takes: its byte range and its hash, in file order.
 * 2. intern: each worker owns one shard of the ids (a hash range, see
 *    src/graph/intern.ts) and interns, in file order, the recorded tokens of
 *    its shard, batch by batch (IdTable.internBatch), writing each one's raw
 *    value into a shared pairs array at the token's place.
 *
 * Only the ranges up to the first one that stopped early (a line for csv-parse)
 * are interned; the caller reads on from that line on its own thread, so ids
 * are always interned in file order.
 */
import type { Piscina } from 'piscina';
import { hashBytes, IdTable, type IdTableState } from '../graph/id-table.js';
import type { ShardedIds } from '../graph/intern.js';
import { createPool, destroyPool } from '../parallel/pool.js';
import { countLines, lastLineEnd, scanRange, type ScanParams, type ScanResult } from './scan.js';

export interface TokenTask {
  kind: 'tokens';
  block: SharedArrayBuffer;
  start: number;
  end: number;
  params: ScanParams;
}

export interface TokenResult {
  scan: Omit<ScanResult, 'pairs'>;
  /** Endpoint tokens recorded: 2 per edge line taken. */
  tokens: number;
  starts: Uint32Array;
  ends: Uint32Array;
  hashes: Int32Array;
}

export interface InternTask {
  kind: 'intern';
  block: SharedArrayBuffer;
  ranges: Array<Pick<TokenResult, 'tokens' | 'starts' | 'ends' | 'hashes'>>;
  shard: number;
  bits: number;
  state: IdTableState;
  /** Raw values out, all ranges' tokens one after another (shared; each shard writes its own tokens' places). */
  out: Uint32Array;
}

export interface InternResult {
  state: IdTableState;
}

function shared<T extends Uint32Array | Int32Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT));
}

/** Round 1, in a worker: the endpoint tokens of block[start, end), as scanRange takes them. */
export function tokenTask(task: TokenTask): TokenResult {
  const bytes = new Uint8Array(task.block);
  const capacity = 2 * countLines(bytes, task.start, task.end);
  const starts = shared(Uint32Array, capacity);
  const ends = shared(Uint32Array, capacity);
  const hashes = shared(Int32Array, capacity);
  let tokens = 0;
  const recorder = {
    internBytes(b: Uint8Array, start: number, end: number): number {
      starts[tokens] = start;
      ends[tokens] = end;
      hashes[tokens] = hashBytes(b, start, end);
      return tokens++;
    },
  };
  const { pairs: _pairs, ...scan } = scanRange(bytes, task.start, task.end, task.params, recorder);
  return { scan, tokens, starts, ends, hashes };
}

const BATCH = 64;

/** Round 2, in a worker: interns the recorded tokens of one shard into its table, in file order. */
export function internTask(task: InternTask): InternResult {
  const table = IdTable.fromState(task.state);
  const bytes = new Uint8Array(task.block);
  const { shard, bits, out } = task;
  const shards = 2 ** bits;
  const shift = 32 - bits;
  const bStarts = new Uint32Array(BATCH);
  const bEnds = new Uint32Array(BATCH);
  const bHashes = new Int32Array(BATCH);
  const bPlaces = new Uint32Array(BATCH);
  const bOut = new Int32Array(BATCH);
  let n = 0;
  const flush = () => {
    table.internBatch(bytes, bStarts, bEnds, bHashes, n, bOut);
    for (let k = 0; k < n; k++) out[bPlaces[k]] = bOut[k] * shards + shard;
    n = 0;
  };
  let place = 0;
  for (const r of task.ranges) {
    const { starts, ends, hashes } = r;
    for (let t = 0; t < r.tokens; t++, place++) {
      const h = hashes[t];
      if (h >>> shift !== shard) continue;
      bStarts[n] = starts[t];
      bEnds[n] = ends[t];
      bHashes[n] = h;
      bPlaces[n] = place;
      if (++n === BATCH) flush();
    }
  }
  flush();
  return { state: table.state() };
}

/** Splits [0, cut) into `parts` ranges that each end just after a line end. */
function splitRanges(block: Uint8Array, cut: number, parts: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let p = 1; p < parts && start < cut; p++) {
    const target = Math.floor((cut * p) / parts);
    if (target <= start) continue;
    const end = lastLineEnd(block, start, target);
    if (end <= start) continue;
    ranges.push([start, end]);
    start = end;
  }
  if (start < cut) ranges.push([start, cut]);
  return ranges;
}

/** Scans whole blocks in string mode on a pool of its own: tokens by range, then ids by shard. */
export class ShardScanner {
  private pool: Piscina | undefined;

  constructor(private readonly threads: number) {}

  /** Whether `ids` has shards for workers to fill. */
  static usable(ids: ShardedIds | null, threads: number): ids is ShardedIds {
    return ids !== null && threads > 1 && ids.shards > 1;
  }

  /**
   * Scans block[0, cut) (a view of a whole SharedArrayBuffer) and interns its ids into `ids`.
   * The result covers the lines up to the first one the scanner does not take (its `stop`).
   */
  async scan(block: Uint8Array, cut: number, params: ScanParams, ids: ShardedIds): Promise<ScanResult> {
    this.pool ??= createPool('intern-worker.js', { threads: this.threads });
    const pool = this.pool;
    const buffer = block.buffer as SharedArrayBuffer;
    const ranges = splitRanges(block, cut, this.threads);
    const found = (await Promise.all(
      ranges.map(([start, end]) => pool.run({ kind: 'tokens', block: buffer, start, end, params } satisfies TokenTask)),
    )) as TokenResult[];
    // The ranges up to the first that stopped early: after that line, the caller reads on.
    let used = 0;
    let tokens = 0;
    const merged = { count: 0, maxValue: -1, lines: 0, edgeLines: 0, headerSkipped: false, stop: cut };
    for (; used < found.length; ) {
      const r = found[used++];
      tokens += r.tokens;
      merged.lines += r.scan.lines;
      merged.edgeLines += r.scan.edgeLines;
      if (r.scan.stop !== ranges[used - 1][1]) {
        merged.stop = r.scan.stop;
        break;
      }
    }
    const out = shared(Uint32Array, tokens);
    const parts = found.slice(0, used).map(({ tokens, starts, ends, hashes }) => ({ tokens, starts, ends, hashes }));
    const done = (await Promise.all(
      Array.from({ length: ids.shards }, (_, shard) =>
        pool.run({ kind: 'intern', block: buffer, ranges: parts, shard, bits: ids.bits, state: ids.state(shard), out } satisfies InternTask),
      ),
    )) as InternResult[];
    for (let shard = 0; shard < done.length; shard++) ids.adopt(shard, done[shard].state);
    merged.count = tokens / 2;
    return { ...merged, pairs: out };
  }

  async close(): Promise<void> {
    if (this.pool) await destroyPool(this.pool);
    this.pool = undefined;
  }
}
