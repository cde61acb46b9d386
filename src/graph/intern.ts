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
import type { EdgeBuffer } from './edges.js';
import { hashBytes, IdTable, type IdTableState } from './id-table.js';

const encoder = new TextEncoder();

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
    const scratch = this.scratch;
    let length = token.length;
    for (let k = 0; k < token.length; k++) {
      const c = token.charCodeAt(k);
      if (c >= 0x80) {
        length = encoder.encodeInto(token, scratch).written;
        break;
      }
      scratch[k] = c;
    }
    return this.internBytes(scratch, 0, length);
  }

  /** Shard s's state, for a worker (the arrays are shared, not copied). */
  state(shard: number): IdTableState {
    return this.tables[shard].state();
  }

  /** Takes back shard s's state after a worker interned into it (its arrays may have grown). */
  adopt(shard: number, state: IdTableState): void {
    this.tables[shard] = IdTable.fromState(state);
  }

  /**
   * Rewrites the raw values in `edges` to node indices in order of first
   * appearance and returns the ids in that order, as one table.
   */
  finish(edges: EdgeBuffer): IdTable {
    if (this.bits === 0) return this.tables[0];
    const shards = this.shards;
    const bits = this.bits;
    const low = shards - 1;
    const maps: Uint32Array[] = this.tables.map((t) => new Uint32Array(t.size));
    const next = new Float64Array(shards);
    let g = 0;
    for (const [chunk, pairs] of edges.pieces()) {
      const n = pairs * 2;
      for (let i = 0; i < n; i++) {
        const r = chunk[i];
        const s = r & low;
        const l = r >>> bits;
        const map = maps[s];
        if (l === next[s]) {
          map[l] = g++;
          next[s] = l + 1;
        } else if (l > next[s]) {
          throw new Error(`internal error: string id ${l} of shard ${s} met before ${next[s]}`);
        }
        chunk[i] = map[l];
      }
    }
    const n = this.size;
    if (g !== n) throw new Error(`internal error: ${n - g} interned string ids are in no edge`);

    // Lengths in node order (each shard's nodes ascend, so these writes are sequential per shard), then offsets, then the bytes.
    const ends = new Uint32Array(Math.max(16, n));
    let total = 0;
    for (let s = 0; s < shards; s++) {
      const tEnds = this.tables[s].tokenEnds;
      const map = maps[s];
      let from = 0;
      for (let l = 0; l < map.length; l++) {
        const to = tEnds[l];
        ends[map[l]] = to - from;
        from = to;
      }
      total += from;
    }
    if (total > 0xffffffff) throw new Error('node ids take more than 4 GiB');
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += ends[i];
      ends[i] = at;
    }
    const arena = new Uint8Array(Math.max(1024, total));
    for (let s = 0; s < shards; s++) {
      const tEnds = this.tables[s].tokenEnds;
      const bytes = this.tables[s].arenaBytes;
      const map = maps[s];
      let from = 0;
      for (let l = 0; l < map.length; l++) {
        const to = tEnds[l];
        const node = map[l];
        let out = node === 0 ? 0 : ends[node - 1];
        for (let k = from; k < to; k++) arena[out++] = bytes[k];
        from = to;
      }
    }
    this.tables.length = 0; // the shards' memory can go
    return IdTable.fromParts(arena, ends, n);
  }
}
