/**
 * String ids interned on several threads, numbered as if interned on one.
 *
 * The ids are split into `shards` (a power of two) by the top bits of their
 * hash; each shard is an IdTable in SharedArrayBuffers, numbering its own ids
 * in the order it meets them. The loader's parse workers each scan a whole block
 * and intern only the tokens of their own shard (src/io/intern-scan.ts), so the
 * shards fill in parallel with no locks; the main thread interns the few lines
 * the scanner does not take into the same shards, between the workers' turns.
 * A token's raw value in the edge buffer is local * shards + shard.
 *
 * Every token is interned in file order within its shard, and every interned
 * token is in the edge buffer (a line's tokens are interned only once the line
 * is taken), so a shard's local number l first appears in the buffer after
 * l - 1 did. finish() walks the buffer once in file order: the first time it
 * meets shard s's next local number, that token is the next new id overall.
 * That gives exactly the serial numbering (node i = the i-th distinct id in file
 * order) and rewrites the buffer to node indices in the same pass. Then the
 * ids' bytes are copied into one arena in node order (StringIds stays one byte
 * buffer plus offsets); the lookup hash is built only if someone looks a token up.
 *
 * With one shard a raw value is the node index already and finish() does nothing.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { EdgeBuffer } from './edges.js';
import { encodeToken, hashBytes, IdTable, type IdTableState } from './id-table.js';

export class ShardedIds {
  readonly shards: number;
  /** log2(shards). */
  readonly bits: number;
  readonly tables: IdTable[];
  private scratch = new Uint8Array(256);

  constructor(shards = 1) {
    let bits = 0;
    while (2 ** (bits + 1) <= shards) bits++;
    this.bits = bits;
    this.shards = 2 ** bits;
    this.tables = [];
    for (let s = 0; s < this.shards; s++) this.tables.push(new IdTable(1024, this.shards > 1));
  }

  get size(): number {
    let n = 0;
    for (const t of this.tables) n += t.size;
    return n;
  }

  /** The raw value (local * shards + shard) of the token in bytes[start, end), adding it if new. */
  internBytes(bytes: Uint8Array, start: number, end: number): number {
    if (this.bits === 0) return this.tables[0].internBytes(bytes, start, end);
    const h = hashBytes(bytes, start, end);
    const shard = h >>> (32 - this.bits);
    return this.tables[shard].internHashed(bytes, start, end, h) * this.shards + shard;
  }

  intern(token: string): number {
    if (token.length * 3 > this.scratch.length) this.scratch = new Uint8Array(token.length * 3);
    return this.internBytes(this.scratch, 0, encodeToken(token, this.scratch));
  }

  /** Shard s's state, for a worker (the arrays are shared, not copied). */
  state(shard: number): IdTableState {
    return this.tables[shard].state();
  }

  /** Takes back shard s's state after a worker interned into it (its arrays may have grown). */
  adopt(shard: number, state: IdTableState): void {
    this.tables[shard] = IdTable.fromState(state);
  }

  /** Set by number(): the node index of each shard's local ids, and the pairs the edge buffer held then. */
  private numbered: { maps: Uint32Array[]; pairs: number; rewritten: boolean } | null = null;

  /** number()'s pass so far: where it stopped in the buffer, the next new id, each shard's next local number. */
  private progress: { maps: Uint32Array[]; next: Float64Array; g: number; piece: number; value: number; shared: boolean } | null = null;

  /**
   * The node index of each shard's ids (maps[s][l]), by first appearance in `edges`: one
   * sequential pass that only reads the buffer. rewrite() (here or in workers) then applies them.
   * The pass goes on from where numberSoFar() stopped, if it ran.
   */
  number(edges: EdgeBuffer, shared = false): Uint32Array[] {
    const p = this.advance(edges, shared);
    let pairsSeen = 0;
    for (const [, pairs] of edges.pieces()) pairsSeen += pairs;
    const n = this.size;
    if (p.g !== n) throw new Error(`internal error: ${n - p.g} interned string ids are in no edge`);
    const maps = p.maps.map((m, s) => m.subarray(0, this.tables[s].size));
    this.numbered = { maps, pairs: pairsSeen, rewritten: false };
    return maps;
  }

  /**
   * number()'s pass over what the buffer holds so far, to be finished by number(): the loader runs
   * it while the workers scan the next block, so that the pass (~0.6 s at 20M ids) is not left to
   * the end. Values must not change once passed (they are only appended after).
   */
  numberSoFar(edges: EdgeBuffer): void {
    this.advance(edges, true);
  }

  private advance(edges: EdgeBuffer, shared: boolean) {
    const shards = this.shards;
    const bits = this.bits;
    const low = shards - 1;
    const p = (this.progress ??= { maps: this.tables.map(() => new Uint32Array(0)), next: new Float64Array(shards), g: 0, piece: 0, value: 0, shared });
    // Room for every id interned so far (a value in the buffer is one of them).
    for (let s = 0; s < shards; s++) {
      const size = this.tables[s].size;
      if (p.maps[s].length >= size) continue;
      const length = Math.max(size, 2 * p.maps[s].length);
      const bigger = p.shared ? new Uint32Array(new SharedArrayBuffer(4 * Math.max(1, length))) : new Uint32Array(length);
      bigger.set(p.maps[s]);
      p.maps[s] = bigger;
    }
    const maps = p.maps;
    const next = p.next;
    let g = p.g;
    const pieces = edges.pieces();
    for (let k = p.piece; k < pieces.length; k++) {
      const [chunk, pairs] = pieces[k];
      const n = pairs * 2;
      for (let i = k === p.piece ? p.value : 0; i < n; i++) {
        const r = chunk[i];
        const s = r & low;
        const l = r >>> bits;
        if (l === next[s]) {
          maps[s][l] = g++;
          next[s] = l + 1;
        } else if (l > next[s]) {
          throw new Error(`internal error: string id ${l} of shard ${s} met before ${next[s]}`);
        }
      }
      // The last piece may still grow (lines this thread appends): the pass goes on from here.
      p.piece = k;
      p.value = n;
    }
    p.g = g;
    return p;
  }

  /** Records that the caller rewrote every value number() saw (in workers, with rewriteRange), and merged the bytes if `merged`. */
  markRewritten(merged?: IdTable): void {
    if (this.numbered) {
      this.numbered.rewritten = true;
      this.merged = merged ?? null;
    }
  }

  /** The ids in node order, when built by the workers (markRewritten). */
  private merged: IdTable | null = null;

  /**
   * Rewrites the raw values in `edges` to node indices in order of first
   * appearance (unless done already) and returns the ids in that order, as one table.
   */
  finish(edges: EdgeBuffer): IdTable {
    if (this.bits === 0) return this.tables[0];
    const shards = this.shards;
    for (const t of this.tables) t.releaseSlots(); // only the bytes are merged
    let pairsNow = 0;
    for (const [, pairs] of edges.pieces()) pairsNow += pairs;
    if (this.numbered && this.numbered.pairs !== pairsNow) {
      if (this.numbered.rewritten) throw new Error('internal error: edges added after the string ids were renumbered');
      this.numbered = null; // edges came after: number again
    }
    if (!this.numbered || !this.numbered.rewritten) {
      const maps = this.numbered?.maps ?? this.number(edges);
      for (const [chunk, pairs] of edges.pieces()) rewriteRange(chunk, 0, pairs * 2, maps, this.bits);
    }
    const maps = this.numbered!.maps;
    this.numbered = null;
    const n0 = this.size;
    if (this.merged) {
      const merged = this.merged;
      this.merged = null;
      this.tables.length = 0;
      releaseNow(n0);
      return merged;
    }
    const n = this.size;

    // Lengths in node order (each shard's nodes ascend, so these writes are sequential per shard), then offsets, then the bytes.
    const ends = new Uint32Array(Math.max(16, n));
    let total = 0;
    for (let s = 0; s < shards; s++) total += spreadLengths(ends, this.tables[s].tokenEnds, maps[s]);
    if (total > 0xffffffff) throw new Error('node ids take more than 4 GiB');
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += ends[i];
      ends[i] = at;
    }
    const arena = new Uint8Array(Math.max(1024, total));
    for (let s = 0; s < shards; s++) spreadBytes(arena, ends, this.tables[s].arenaBytes, this.tables[s].tokenEnds, maps[s]);
    this.tables.length = 0; // the shards' memory can go
    const table = IdTable.fromParts(arena, ends, n);
    releaseNow(n);
    return table;
  }
}

/** chunk[from, to): raw values (local * shards + shard) to node indices, through number()'s maps. */
export function rewriteRange(chunk: Uint32Array, from: number, to: number, maps: Uint32Array[], bits: number): void {
  const low = (1 << bits) - 1;
  if (maps.length === 2) {
    const m0 = maps[0];
    const m1 = maps[1];
    for (let i = from; i < to; i++) {
      const r = chunk[i];
      chunk[i] = (r & 1) === 0 ? m0[r >>> 1] : m1[r >>> 1];
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const r = chunk[i];
    chunk[i] = maps[r & low][r >>> bits];
  }
}

/** ends[map[l]] = the length of a shard's token l; returns the shard's byte total. */
export function spreadLengths(ends: Uint32Array, tokenEnds: Uint32Array, map: Uint32Array): number {
  let from = 0;
  for (let l = 0; l < map.length; l++) {
    const to = tokenEnds[l];
    ends[map[l]] = to - from;
    from = to;
  }
  return from;
}

/** Copies a shard's tokens to their nodes' places in `arena` (ends: the nodes' end offsets). */
export function spreadBytes(arena: Uint8Array, ends: Uint32Array, bytes: Uint8Array, tokenEnds: Uint32Array, map: Uint32Array): void {
  let from = 0;
  for (let l = 0; l < map.length; l++) {
    const to = tokenEnds[l];
    const node = map[l];
    let out = node === 0 ? 0 : ends[node - 1];
    for (let k = from; k < to; k++) arena[out++] = bytes[k];
    from = to;
  }
}

let gc: (() => void) | null | undefined;

/**
 * A full GC of this thread's heap when `ids` is large: the shards' shared buffers (hundreds
 * of MB at 20M ids) are freed only when every heap that saw them has collected their
 * objects, and this heap barely allocates, so without it arrays a table grew out of, and
 * the shards after a merge, would stay until the load ends and add to its peak.
 */
export function releaseNow(ids: number): void {
  if (ids < 1 << 20) return;
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
