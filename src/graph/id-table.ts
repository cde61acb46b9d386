/**
 * IdTable: maps the user's node tokens to dense indices 0..n-1 in order of first
 * appearance, and back.
 *
 * Why not a Map: a V8 Map holds at most 2^24 (16,777,216) entries and costs
 * ~80 bytes per entry plus a JS string per token; social exports have more
 * people than that. This is an open-addressing hash table over typed arrays,
 * keyed by the token's UTF-8 bytes, which live one after another in a byte
 * arena: about 16 to 30 bytes per id plus the token's own bytes, no ceiling below
 * 2^31 ids (or 4 GiB of token bytes), and no string objects for the garbage
 * collector to walk. The loader's byte scanner interns straight from the input
 * bytes (internBytes); csv-parse's strings go through intern(), which encodes
 * them, so both paths give a token the same index.
 * Tokens are compared as bytes, so "1234567890123456789" and
 * "1234567890123456788" (equal as doubles) stay two nodes.
 *
 * A shared table keeps its arrays in SharedArrayBuffers, so a worker can intern
 * into it (src/graph/intern.ts hands one shard of the ids to each parse worker)
 * and hand back its state(); a table made fromParts() (the merged ids) builds
 * its hash slots only when first asked to look a token up.
 */
export interface IdTableState {
  slots: Int32Array | null;
  ends: Uint32Array;
  arena: Uint8Array;
  arenaUsed: number;
  count: number;
  mask: number;
  shared: boolean;
}

export class IdTable {
  /** Pairs (index + 1, hash) per slot, index + 1 = 0 when empty: a probe reads one cache line. Null until needed (fromParts). */
  private slots: Int32Array | null;
  /** Token i is arena[ends[i - 1] .. ends[i]) (ends[-1] = 0). */
  private ends: Uint32Array;
  private arena: Uint8Array;
  private arenaUsed = 0;
  private count = 0;
  private mask: number;
  /** Arrays in SharedArrayBuffers (a worker may intern into them). */
  private readonly shared: boolean;
  /** Scratch for encoding a string token. */
  private scratch = new Uint8Array(256);
  /** What the table is expected to hold in the end (expect()): it grows towards that, not by doubling. */
  private expectedCount = 0;
  private expectedBytes = 0;

  constructor(expected = 1024, shared = false) {
    this.shared = shared;
    let cap = 1024;
    while (cap * MAX_LOAD < expected) cap *= 2;
    this.slots = alloc(Int32Array, 2 * cap, shared);
    this.mask = cap - 1;
    const ids = Math.max(16, expected);
    this.ends = alloc(Uint32Array, ids, shared);
    this.arena = alloc(Uint8Array, Math.max(1024, ids * 8), shared);
  }

  /** A table over existing state (a worker's view of a shared table). */
  static fromState(state: IdTableState): IdTable {
    const table = new IdTable(0, false);
    Object.assign(table, { slots: state.slots, ends: state.ends, arena: state.arena, arenaUsed: state.arenaUsed, count: state.count, mask: state.mask, shared: state.shared });
    return table;
  }

  /** Tokens already numbered: token i is arena[ends[i - 1] .. ends[i]). The hash slots are built on the first lookup or intern. */
  static fromParts(arena: Uint8Array, ends: Uint32Array, count: number): IdTable {
    const table = new IdTable(0, false);
    Object.assign(table, { slots: null, ends, arena, arenaUsed: count === 0 ? 0 : ends[count - 1], count });
    return table;
  }

  /** The arrays and counters, for fromState() in another thread (shared tables only, so no copy). */
  state(): IdTableState {
    return { slots: this.slots, ends: this.ends, arena: this.arena, arenaUsed: this.arenaUsed, count: this.count, mask: this.mask, shared: this.shared };
  }

  /**
   * The ids (and their bytes) this table is expected to end with, from the input still to come
   * (src/io/intern-scan.ts): when full, the offsets and bytes grow straight to that (written in
   * order, their untouched pages cost no memory), the hash slots up to 4x at once (every slot gets
   * touched, so an estimate too high would cost memory). Only a hint: the table grows past it.
   */
  expect(count: number, bytes: number): void {
    this.expectedCount = Math.min(0x7fffffff, Math.max(0, count));
    this.expectedBytes = Math.min(0xffffffff, Math.max(0, bytes));
  }

  /** Drops the hash slots (they are rebuilt if the table is used again): a shard being merged needs only its bytes. */
  releaseSlots(): void {
    this.slots = null;
  }

  /** Token i's bytes are arena()[start(i) .. end(i)); arena() may be longer than used. */
  get arenaBytes(): Uint8Array {
    return this.arena;
  }
  get tokenEnds(): Uint32Array {
    return this.ends;
  }

  get size(): number {
    return this.count;
  }

  /** Index of `token`, adding it if new. */
  intern(token: string): number {
    const length = this.encode(token);
    return this.internBytes(this.scratch, 0, length);
  }

  /** Index of the token held in bytes[start, end) (UTF-8), adding it if new. */
  internBytes(bytes: Uint8Array, start: number, end: number): number {
    return this.internHashed(bytes, start, end, hashBytes(bytes, start, end));
  }

  /** internBytes() for a caller that has the hash already (h = hashBytes(bytes, start, end)). */
  internHashed(bytes: Uint8Array, start: number, end: number, h: number): number {
    const slots = this.slots ?? this.buildSlots();
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const s = slots[2 * i];
      if (s === 0) break;
      if (slots[2 * i + 1] === (h | 0) && this.equals(s - 1, bytes, start, end)) return s - 1;
      i = (i + 1) & mask;
    }
    const idx = this.count;
    if (idx >= 0x7fffffff) throw new Error('more than 2^31 distinct node ids');
    if (idx >= this.ends.length) this.ends = grown(this.ends, Math.max(this.ends.length * 2, this.expectedCount), this.shared);
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) this.growArena(this.arenaUsed + length);
    // A byte loop, not arena.set(bytes.subarray(...)): ids are short, and a view per new id cost more than the copy.
    const arena = this.arena;
    let at = this.arenaUsed;
    for (let k = start; k < end; k++) arena[at++] = bytes[k];
    this.arenaUsed = at;
    this.ends[idx] = this.arenaUsed;
    this.count = idx + 1;
    slots[2 * i] = idx + 1;
    slots[2 * i + 1] = h;
    // Load factor at most 0.7: with 8-byte slots a linear probe's next slots are
    // in the same cache line, so probes stay cheap, and 20M ids fit 2^25 slots.
    if (idx + 1 > (mask + 1) * MAX_LOAD) this.grow();
    return idx;
  }

  /**
   * internHashed() for n tokens (bytes[starts[k], ends[k]), hash hashes[k]), indices into out[0, n).
   * First it reads, for every token, the slot its probe starts at, then the candidate's
   * offsets and first byte: independent loads the CPU overlaps, so the interning pass
   * after them finds most of its memory in cache instead of waiting on one miss after another.
   */
  internBatch(bytes: Uint8Array, starts: Uint32Array, ends: Uint32Array, hashes: Int32Array, n: number, out: Int32Array): void {
    const slots = this.slots ?? this.buildSlots();
    const mask = this.mask;
    const tokenEnds = this.ends;
    const arena = this.arena;
    let touch = 0;
    for (let k = 0; k < n; k++) touch += slots[2 * (hashes[k] & mask)];
    for (let k = 0; k < n; k++) {
      const s = slots[2 * (hashes[k] & mask)];
      if (s > 1) touch += tokenEnds[s - 2];
    }
    for (let k = 0; k < n; k++) {
      const s = slots[2 * (hashes[k] & mask)];
      if (s > 1) touch += arena[tokenEnds[s - 2]];
    }
    this.touched = touch;
    for (let k = 0; k < n; k++) out[k] = this.internHashed(bytes, starts[k], ends[k], hashes[k] >>> 0);
  }

  /** Where internBatch() leaves the sum of what it read (so the reads are not optimised away). */
  touched = 0;

  /** Index of `token`, or -1 when it is not a node. */
  lookup(token: string): number {
    const length = this.encode(token);
    const h = hashBytes(this.scratch, 0, length);
    const slots = this.slots ?? this.buildSlots();
    let i = h & this.mask;
    for (;;) {
      const s = slots[2 * i];
      if (s === 0) return -1;
      if (slots[2 * i + 1] === (h | 0) && this.equals(s - 1, this.scratch, 0, length)) return s - 1;
      i = (i + 1) & this.mask;
    }
  }

  token(index: number): string {
    const start = index === 0 ? 0 : this.ends[index - 1];
    return Buffer.from(this.arena.buffer, this.arena.byteOffset, this.arenaUsed).toString('utf8', start, this.ends[index]);
  }

  /** Every token's UTF-8 bytes, each followed by `separator`, in index order (for .swg files). */
  joinedBytes(separator: number): Uint8Array {
    const out = new Uint8Array(this.arenaUsed + this.count);
    let from = 0;
    let at = 0;
    for (let i = 0; i < this.count; i++) {
      const to = this.ends[i];
      out.set(this.arena.subarray(from, to), at);
      at += to - from;
      out[at++] = separator;
      from = to;
    }
    return out;
  }

  private equals(index: number, bytes: Uint8Array, start: number, end: number): boolean {
    const from = index === 0 ? 0 : this.ends[index - 1];
    if (this.ends[index] - from !== end - start) return false;
    const arena = this.arena;
    for (let k = 0; k < end - start; k++) if (arena[from + k] !== bytes[start + k]) return false;
    return true;
  }

  /** UTF-8 of `token` into scratch; returns its length. ASCII (the common case) without TextEncoder. */
  private encode(token: string): number {
    if (token.length * 3 > this.scratch.length) this.scratch = new Uint8Array(token.length * 3);
    return encodeToken(token, this.scratch);
  }

  private growArena(needed: number): void {
    if (needed > 0xffffffff) throw new Error('node ids take more than 4 GiB');
    // By half again, not double: the arena is the table's biggest array, and it is copied sequentially.
    this.arena = grown(this.arena, Math.min(0xffffffff, Math.max(needed, Math.ceil(this.arena.length * 1.5), this.expectedBytes)), this.shared);
  }

  /** Hash slots for the tokens held (a table made fromParts). */
  private buildSlots(): Int32Array {
    let cap = 1024;
    while (cap * MAX_LOAD < this.count + 1) cap *= 2;
    const slots = alloc(Int32Array, 2 * cap, this.shared);
    const mask = cap - 1;
    const ends = this.ends;
    const arena = this.arena;
    let from = 0;
    for (let idx = 0; idx < this.count; idx++) {
      const to = ends[idx];
      const h = hashBytes(arena, from, to);
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = idx + 1;
      slots[2 * i + 1] = h;
      from = to;
    }
    this.slots = slots;
    this.mask = mask;
    return slots;
  }

  private grow(): void {
    const old = this.slots!;
    let cap = (this.mask + 1) * 2;
    // Towards the expected size at a load of up to 0.9 (past 0.7 it grows again as usual): an estimate a
    // little high must not double the slots.
    while (cap < 4 * (this.mask + 1) && cap * 0.9 < this.expectedCount) cap *= 2;
    const slots = alloc(Int32Array, 2 * cap, this.shared);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      const h = old[j + 1];
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = old[j];
      slots[2 * i + 1] = h;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

const MAX_LOAD = 0.7;
const encoder = new TextEncoder();

type Typed = Uint8Array | Uint32Array | Int32Array;
type TypedCtor<T extends Typed> = { new (n: number): T; new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };

function alloc<T extends Typed>(ctor: TypedCtor<T>, length: number, shared: boolean): T {
  return shared ? new ctor(new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT)) : new ctor(length);
}

function grown<T extends Uint8Array | Uint32Array>(array: T, length: number, shared: boolean): T {
  const bigger = alloc(array.constructor as unknown as TypedCtor<T>, length, shared);
  bigger.set(array);
  return bigger;
}

/** 32-bit FNV-1a over bytes[start, end), with a final avalanche (murmur3 fmix). */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Writes `token`'s UTF-8 bytes into `scratch` (3 bytes per UTF-16 unit must fit) and returns their count; ASCII by a plain loop. */
export function encodeToken(token: string, scratch: Uint8Array): number {
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (c >= 0x80) return encoder.encodeInto(token, scratch).written;
    scratch[k] = c;
  }
  return token.length;
}
