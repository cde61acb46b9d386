/**
 * IdTable: maps the user's node tokens (opaque strings) to dense indices 0..n-1
 * in order of first appearance, and back.
 *
 * Why not a Map: a V8 Map holds at most 2^24 (16,777,216) entries and costs
 * ~80 bytes per entry; social exports have more people than that. This is an
 * open-addressing hash table over typed arrays (slot -> index, index -> hash)
 * plus one array of the token strings, with no ceiling below 2^31 nodes.
 * Tokens are compared as strings, so "1234567890123456789" and
 * "1234567890123456788" (equal as doubles) stay two nodes.
 */
export class IdTable {
  private slots: Int32Array; // index + 1, 0 = empty
  private hashes: Uint32Array; // hash of each index's token, for rehashing
  private tokens: string[] = [];
  private mask: number;

  constructor(expected = 1024) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap);
    this.mask = cap - 1;
    this.hashes = new Uint32Array(Math.max(16, expected));
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Index of `token`, adding it if new. */
  intern(token: string): number {
    const h = hashString(token);
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (;;) {
      const s = slots[i];
      if (s === 0) break;
      const idx = s - 1;
      if (this.hashes[idx] === h && this.tokens[idx] === token) return idx;
      i = (i + 1) & mask;
    }
    const idx = this.tokens.length;
    if (idx >= 0x7fffffff) throw new Error('more than 2^31 distinct node ids');
    this.tokens.push(token);
    if (idx >= this.hashes.length) {
      const grown = new Uint32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[idx] = h;
    slots[i] = idx + 1;
    // Keep the load factor at or below 1/2 so probes stay short.
    if ((idx + 1) * 2 > slots.length) this.grow();
    return idx;
  }

  /** Index of `token`, or -1 when it is not a node. */
  lookup(token: string): number {
    const h = hashString(token);
    let i = h & this.mask;
    for (;;) {
      const s = this.slots[i];
      if (s === 0) return -1;
      if (this.hashes[s - 1] === h && this.tokens[s - 1] === token) return s - 1;
      i = (i + 1) & this.mask;
    }
  }

  token(index: number): string {
    return this.tokens[index];
  }

  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap);
    const mask = cap - 1;
    const n = this.tokens.length;
    for (let idx = 0; idx < n; idx++) {
      let i = this.hashes[idx] & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = idx + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** 32-bit FNV-1a over UTF-16 code units, with a final avalanche (murmur3 fmix). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
