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
import type { EdgeBuffer } from '../graph/edges.js';
import { releaseNow, rewriteRange, spreadBytes, spreadLengths, type ShardedIds } from '../graph/intern.js';
import { createPool, destroyPool } from '../parallel/pool.js';
import { scanRange, splitRanges, type ScanParams, type ScanResult } from './scan.js';

export interface TokenTask {
  kind: 'tokens';
  block: SharedArrayBuffer;
  start: number;
  end: number;
  params: ScanParams;
  /** Arrays from an earlier block to fill again, when big enough (shared: the worker writes into them). */
  reuse?: TokenArrays;
}

interface TokenArrays {
  starts: Uint32Array;
  ends: Uint32Array;
  hashes: Int32Array;
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
  /** How many ids (and bytes of them) the shard is expected to end with: its arrays grow towards that (IdTable.expect). */
  expect?: { count: number; bytes: number };
}

export interface InternResult {
  state: IdTableState;
}

export interface RenumberTask {
  kind: 'renumber';
  chunk: Uint32Array;
  from: number;
  to: number;
  maps: Uint32Array[];
  bits: number;
}

/** Round 3, once at the end, in a worker: raw values to node indices (the random reads of the maps), a slice of one chunk. */
export function renumberTask(task: RenumberTask): number {
  rewriteRange(task.chunk, task.from, task.to, task.maps, task.bits);
  return task.to - task.from;
}

/** The ids' bytes in node order, one shard per task: first the lengths (returns the shard's bytes), then, with `arena`, the bytes. */
export interface SpreadTask {
  kind: 'spread';
  ends: Uint32Array;
  map: Uint32Array;
  tokenEnds: Uint32Array;
  bytes: Uint8Array;
  arena?: Uint8Array;
}

export function spreadTask(task: SpreadTask): number {
  if (!task.arena) return spreadLengths(task.ends, task.tokenEnds, task.map);
  spreadBytes(task.arena, task.ends, task.bytes, task.tokenEnds, task.map);
  return 0;
}

function shared<T extends Uint32Array | Int32Array>(ctor: { new (b: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, n: number): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, n) * ctor.BYTES_PER_ELEMENT));
}

/** Round 1, in a worker: the endpoint tokens of block[start, end), as scanRange takes them. */
export function tokenTask(task: TokenTask): TokenResult {
  const bytes = new Uint8Array(task.block);
  // A data line takes at least 4 bytes ("a b\n"): room for its 2 tokens without counting lines first (untouched pages cost nothing).
  const capacity = ((task.end - task.start) >>> 1) + 2;
  const fits = task.reuse !== undefined && task.reuse.starts.length >= capacity;
  const starts = fits ? task.reuse!.starts : shared(Uint32Array, capacity);
  const ends = fits ? task.reuse!.ends : shared(Uint32Array, capacity);
  const hashes = fits ? task.reuse!.hashes : shared(Int32Array, capacity);
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
  if (task.expect) table.expect(task.expect.count, task.expect.bytes);
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

/** Scans whole blocks in string mode on a pool of its own: tokens by range, then ids by shard. */
export class ShardScanner {
  private pool: Piscina | undefined;
  /**
   * Two sets of token arrays (per range), used by alternate blocks: a block's tokens are read while
   * the block before is still being interned from the other set (fewer fresh pages, less garbage).
   */
  private spares: TokenArrays[][] = [[], []];
  private spareTurn = 0;
  /** The next block's tokens round, started early (prefetch) so the workers have it while they intern this one. */
  private ahead: { block: Uint8Array; cut: number; params: ScanParams; found: Promise<{ ranges: Array<[number, number]>; found: TokenResult[] }> } | null = null;
  /** Input bytes and each shard's id count when the last block started: the rate of new ids. */
  private last: { done: number; counts: number[] } = { done: 0, counts: [] };

  constructor(private readonly threads: number) {}

  /** Whether `ids` has shards for workers to fill. */
  static usable(ids: ShardedIds | null, threads: number): ids is ShardedIds {
    return ids !== null && threads > 1 && ids.shards > 1;
  }

  /**
   * Scans block[0, cut) (a view of a whole SharedArrayBuffer) and interns its ids into `ids`.
   * The result covers the lines up to the first one the scanner does not take (its `stop`).
   */
  async scan(block: Uint8Array, cut: number, params: ScanParams, ids: ShardedIds, input?: { done: number; total: number }): Promise<ScanResult> {
    const pool = (this.pool ??= createPool('intern-worker.js', { threads: this.threads }));
    const buffer = block.buffer as SharedArrayBuffer;
    const early = this.ahead;
    this.ahead = null;
    const same = early !== null && early.block === block && early.cut === cut && early.params === params;
    if (early && !same) await early.found.catch(() => null); // its token arrays are free once it is done
    const { ranges, found } = same ? await early.found : await this.tokens(block, cut, params);
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
    const expect = input ? this.expected(ids, input) : [];
    const done = (await Promise.all(
      Array.from({ length: ids.shards }, (_, shard) =>
        pool.run({ kind: 'intern', block: buffer, ranges: parts, shard, bits: ids.bits, state: ids.state(shard), out, expect: expect[shard] } satisfies InternTask),
      ),
    )) as InternResult[];
    let grew = false;
    for (let shard = 0; shard < done.length; shard++) {
      const before = ids.state(shard);
      const after = done[shard].state;
      grew ||= before.slots !== after.slots || before.ends !== after.ends || before.arena !== after.arena;
      ids.adopt(shard, after);
    }
    if (grew) releaseNow(ids.size); // the arrays grown out of can go now
    merged.count = tokens / 2;
    return { ...merged, pairs: out };
  }

  /**
   * Starts the tokens round of the block after the one being scanned (the same block, cut and params
   * must then come to scan(), else it is dropped): on two threads, one can read the next block's
   * tokens while the other still interns its shard of this one. Only the intern round must keep
   * file order; reading tokens interns nothing.
   */
  prefetch(block: Uint8Array, cut: number, params: ScanParams): void {
    if (this.ahead) return;
    const found = this.tokens(block, cut, params);
    found.catch(() => {}); // a dropped prefetch must not be an unhandled rejection
    this.ahead = { block, cut, params, found };
  }

  private async tokens(block: Uint8Array, cut: number, params: ScanParams): Promise<{ ranges: Array<[number, number]>; found: TokenResult[] }> {
    const pool = (this.pool ??= createPool('intern-worker.js', { threads: this.threads }));
    const buffer = block.buffer as SharedArrayBuffer;
    const spare = this.spares[this.spareTurn];
    this.spareTurn ^= 1;
    const ranges = splitRanges(block, cut, this.threads);
    const found = (await Promise.all(
      ranges.map(([start, end], i) => pool.run({ kind: 'tokens', block: buffer, start, end, params, reuse: spare[i] } satisfies TokenTask)),
    )) as TokenResult[];
    found.forEach(({ starts, ends, hashes }, i) => (spare[i] = { starts, ends, hashes }));
    return { ranges, found };
  }

  /**
   * Each shard's expected final size: its ids now, plus new ids at the rate the last block brought
   * them (the first time: the input so far), over the bytes still to come. New ids thin out as a
   * file goes on, so this starts high and comes down (20M distinct ids: 19.5M per shard after the
   * first block, 10.05M before the last, 10M in the end). Growing the tables by doubling cost that
   * load ~2-3 s of ~14 (the hash rehashed, the ids' bytes copied, a full GC after each), so they
   * grow towards this instead (IdTable.expect: the hash slots at most 4x at once, the arrays written
   * in order fully, as their untouched pages cost no memory).
   */
  private expected(ids: ShardedIds, input: { done: number; total: number }): Array<{ count: number; bytes: number }> {
    const remaining = Math.max(0, input.total - input.done);
    const span = input.done - this.last.done;
    const result = ids.tables.map((table, shard) => {
      const state = table.state();
      const added = state.count - (this.last.counts[shard] ?? 0);
      const count = span > 0 ? Math.ceil(state.count + (added / span) * remaining) : state.count;
      const bytesPerId = state.count > 0 ? state.arenaUsed / state.count : 0;
      return { count, bytes: Math.ceil(count * bytesPerId * 1.05) };
    });
    this.last = { done: input.done, counts: ids.tables.map((t) => t.size) };
    return result;
  }

  /**
   * Numbers the ids by first appearance (ShardedIds.number) and rewrites the edge buffer
   * to node indices: chunks in SharedArrayBuffers (the workers' pairs) on the workers,
   * the others here meanwhile. Only when no more edges will come.
   */
  async renumber(ids: ShardedIds, edges: EdgeBuffer): Promise<void> {
    let sharedValues = 0;
    for (const [chunk, pairs] of edges.pieces()) if (chunk.buffer instanceof SharedArrayBuffer) sharedValues += pairs * 2;
    if (sharedValues < 1 << 18) return; // not worth the workers: finish() rewrites on this thread
    this.pool ??= createPool('intern-worker.js', { threads: this.threads });
    const pool = this.pool;
    for (const table of ids.tables) table.releaseSlots(); // from here on only the bytes matter (the workers let go of them too)
    releaseNow(ids.size);
    const maps = ids.number(edges, true);
    const tasks: Array<Promise<unknown>> = [];
    const local: Array<[Uint32Array, number]> = [];
    for (const [chunk, pairs] of edges.pieces()) {
      const n = pairs * 2;
      if (!(chunk.buffer instanceof SharedArrayBuffer)) {
        local.push([chunk, n]);
        continue;
      }
      const step = Math.ceil(n / this.threads);
      for (let from = 0; from < n; from += step)
        tasks.push(pool.run({ kind: 'renumber', chunk, from, to: Math.min(n, from + step), maps, bits: ids.bits } satisfies RenumberTask));
    }
    // The bytes in node order, by shard: lengths into `ends`, offsets here, then the bytes into `arena`.
    const n = ids.size;
    const ends = new Uint32Array(new SharedArrayBuffer(4 * Math.max(16, n)));
    const spread = (shard: number, arena?: Uint8Array) =>
      pool.run({ kind: 'spread', ends, map: maps[shard], tokenEnds: ids.tables[shard].tokenEnds, bytes: ids.tables[shard].arenaBytes, arena } satisfies SpreadTask) as Promise<number>;
    const lengths = Promise.all(ids.tables.map((_, shard) => spread(shard)));
    for (const [chunk, n] of local) rewriteRange(chunk, 0, n, maps, ids.bits);
    let total = 0;
    for (const bytes of await lengths) total += bytes;
    if (total > 0xffffffff) throw new Error('node ids take more than 4 GiB');
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += ends[i];
      ends[i] = at;
    }
    const arena = new Uint8Array(new SharedArrayBuffer(Math.max(1024, total)));
    await Promise.all([...tasks, ...ids.tables.map((_, shard) => spread(shard, arena))]);
    ids.markRewritten(IdTable.fromParts(arena, ends, n));
  }

  async close(): Promise<void> {
    if (this.pool) await destroyPool(this.pool);
    this.pool = undefined;
  }
}
