/**
 * Node ids: the user's tokens <-> dense indices 0..n-1.
 *
 * While parsing, each endpoint becomes a raw value in the EdgeBuffer:
 *  - numeric mode (every token so far a canonical unsigned decimal below 2^32-1,
 *    as in SNAP files): the number itself, no table at all;
 *  - string mode (any other token, e.g. `user_17`, `007`, 64-bit ids): an
 *    IdTable index, in order of first appearance.
 * The first non-numeric token switches modes, re-interning the numbers seen so
 * far in file order, so the result never depends on where the switch happened.
 *
 * finish() then fixes node order: numeric ids ascending (a dense rank array when
 * ids are dense, a sorted list and a hash map when sparse), string ids by first
 * appearance; and rewrites the buffer to indices. Every parser (csv-parse or the
 * fast scanner) goes through here, so they build identical graphs.
 */
import type { EdgeBuffer } from './edges.js';
import type { IdTable } from './id-table.js';
import { ShardedIds } from './intern.js';

export const MAX_NUMERIC = 0xfffffffe;

/** The value of a canonical unsigned decimal token (no sign, no leading zero) up to 2^32-2, else -1. */
export function canonicalNumber(token: string): number {
  const len = token.length;
  if (len === 0 || len > 10) return -1;
  const first = token.charCodeAt(0);
  if (first === 48 /* 0 */) return len === 1 ? 0 : -1;
  let value = 0;
  for (let i = 0; i < len; i++) {
    const c = token.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value <= MAX_NUMERIC ? value : -1;
}

/** Finished id mapping, as the rest of the program sees it. */
export interface NodeIds {
  readonly size: number;
  readonly kind: 'numeric' | 'string';
  token(index: number): string;
  /** Index of a token, or -1. */
  lookup(token: string): number;
}

export class NumericIds implements NodeIds {
  readonly kind = 'numeric';
  /** values[i] = the id of node i; ascending. */
  constructor(readonly values: Uint32Array) {}
  get size(): number {
    return this.values.length;
  }
  token(index: number): string {
    return String(this.values[index]);
  }
  lookup(token: string): number {
    const x = canonicalNumber(token);
    if (x < 0) return -1;
    let lo = 0;
    let hi = this.values.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.values[mid];
      if (v === x) return mid;
      if (v < x) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

export class StringIds implements NodeIds {
  readonly kind = 'string';
  constructor(readonly table: IdTable) {}
  get size(): number {
    return this.table.size;
  }
  token(index: number): string {
    return this.table.token(index);
  }
  lookup(token: string): number {
    return this.table.lookup(token);
  }
}

export class IdCollector {
  private strings: ShardedIds | null = null;
  /** Shards of the string table when one is made (see src/graph/intern.ts); more than one lets parse workers intern. */
  private shards = 1;
  /** Largest numeric value seen (numeric mode). */
  maxValue = -1;

  constructor(private readonly edges: EdgeBuffer) {}

  /** Stores the edge (a, b) in the buffer as raw values. */
  addEdge(a: string, b: string): void {
    if (this.strings === null) {
      const x = canonicalNumber(a);
      const y = canonicalNumber(b);
      if (x >= 0 && y >= 0) {
        if (x > this.maxValue) this.maxValue = x;
        if (y > this.maxValue) this.maxValue = y;
        this.edges.push(x, y);
        return;
      }
      this.switchToStrings();
    }
    const table = this.strings!;
    const u = table.intern(a); // a before b: first-appearance order within the line too
    this.edges.push(u, table.intern(b));
  }

  /** True once a token that is not a canonical number has been seen. */
  get stringMode(): boolean {
    return this.strings !== null;
  }

  /** Splits the string table (if one is ever made) into up to `shards` shards, for that many parse workers. */
  shardStrings(shards: number): void {
    if (!this.strings) this.shards = Math.max(1, shards);
  }

  /** The string table, switching to string mode first if needed (the byte scanner interns into it directly). */
  stringTable(): ShardedIds {
    this.switchToStrings();
    return this.strings!;
  }

  /** Records the largest value of pairs appended in numeric mode by someone else (a parse worker). */
  noteMax(value: number): void {
    if (value > this.maxValue) this.maxValue = value;
  }

  /** Re-interns the numbers stored so far as strings, in file order. */
  private switchToStrings(): void {
    if (this.strings) return;
    const table = new ShardedIds(this.shards);
    for (const [chunk, pairs] of this.edges.pieces())
      for (let i = 0; i < pairs * 2; i++) chunk[i] = table.intern(String(chunk[i]));
    this.strings = table;
  }

  /** Fixes node order, rewrites the buffer to node indices, and returns the mapping. */
  finish(): NodeIds {
    if (this.strings) return new StringIds(this.strings.finish(this.edges));
    const pieces = this.edges.pieces();
    const limit = this.maxValue + 1;
    // Dense ids (the common case) get a direct rank array; 4 bytes per possible id.
    if (limit <= Math.max(1 << 24, 4 * this.edges.length)) {
      const rank = new Int32Array(limit);
      for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i++) rank[chunk[i]] = 1;
      let n = 0;
      for (let x = 0; x < limit; x++) if (rank[x]) rank[x] = ++n;
      const values = new Uint32Array(n);
      for (let x = 0; x < limit; x++) if (rank[x]) values[rank[x] - 1] = x;
      for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i++) chunk[i] = rank[chunk[i]] - 1;
      return new NumericIds(values);
    }
    // Sparse ids: a hash set of the distinct values, sorted, then value -> rank through the same table.
    const map = new U32Map();
    for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i++) map.add(chunk[i]);
    const values = map.keys().sort();
    for (let i = 0; i < values.length; i++) map.set(values[i], i);
    for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i++) chunk[i] = map.get(chunk[i]);
    return new NumericIds(values);
  }
}

/** Open-addressing map from u32 keys (below 2^32-1) to u32 values, no entry ceiling. */
class U32Map {
  private static readonly EMPTY = 0xffffffff;
  private keysArr = new Uint32Array(1 << 16).fill(U32Map.EMPTY);
  private vals = new Uint32Array(1 << 16);
  private count = 0;

  private slot(key: number): number {
    const mask = this.keysArr.length - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    while (this.keysArr[i] !== U32Map.EMPTY && this.keysArr[i] !== key) i = (i + 1) & mask;
    return i;
  }

  add(key: number): void {
    const i = this.slot(key);
    if (this.keysArr[i] === U32Map.EMPTY) {
      this.keysArr[i] = key;
      if (++this.count * 2 > this.keysArr.length) this.grow();
    }
  }

  set(key: number, value: number): void {
    this.vals[this.slot(key)] = value;
  }

  get(key: number): number {
    return this.vals[this.slot(key)];
  }

  keys(): Uint32Array {
    const out = new Uint32Array(this.count);
    let k = 0;
    for (const key of this.keysArr) if (key !== U32Map.EMPTY) out[k++] = key;
    return out;
  }

  private grow(): void {
    const old = this.keysArr;
    this.keysArr = new Uint32Array(old.length * 2).fill(U32Map.EMPTY);
    this.vals = new Uint32Array(old.length * 2);
    for (const key of old) if (key !== U32Map.EMPTY) this.keysArr[this.slot(key)] = key;
  }
}
