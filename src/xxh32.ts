/**
 * XXH32 (Yann Collet's xxHash, 32-bit, seed 0) in plain JavaScript, fed in
 * pieces: the checksum of .swg sections. The standard algorithm, so a section's
 * checksum can be checked with any xxHash tool (`xxhsum -H0` on the section bytes).
 *
 * Why XXH32: it reads 16 bytes per step in four independent lanes of 32-bit
 * multiply-rotate, which V8 compiles to tight integer code (about 1-1.5 GB/s
 * here, so ~100 ms for a 130 MB section), and unlike a word-wise FNV-1a every
 * bit of the input reaches every bit of the result.
 *
 * Words are read in the machine's byte order; .swg is little-endian only, and
 * on a little-endian machine this is exactly XXH32 of the bytes.
 */
const PRIME1 = 0x9e3779b1 | 0;
const PRIME2 = 0x85ebca77 | 0;
const PRIME3 = 0xc2b2ae3d | 0;
const PRIME4 = 0x27d4eb2f | 0;
const PRIME5 = 0x165667b1 | 0;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

export class Xxh32 {
  private v1 = (PRIME1 + PRIME2) | 0;
  private v2 = PRIME2;
  private v3 = 0;
  private v4 = -PRIME1 | 0;
  private total = 0;
  /** Bytes after the last whole 16-byte stripe; only the last piece may leave some. */
  private tail: Uint8Array | null = null;

  /**
   * Adds `bytes` (its byteOffset a multiple of 4). Every piece but the last must
   * be a multiple of 16 bytes long (pieces cut at 1 MiB boundaries, say).
   */
  update(bytes: Uint8Array): this {
    if (this.tail) throw new Error('Xxh32: only the last piece may end mid-stripe');
    const stripes = Math.floor(bytes.length / 16);
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, stripes * 4);
    let { v1, v2, v3, v4 } = this;
    for (let i = 0; i < words.length; i += 4) {
      v1 = Math.imul(rotl(v1 + Math.imul(words[i], PRIME2), 13), PRIME1);
      v2 = Math.imul(rotl(v2 + Math.imul(words[i + 1], PRIME2), 13), PRIME1);
      v3 = Math.imul(rotl(v3 + Math.imul(words[i + 2], PRIME2), 13), PRIME1);
      v4 = Math.imul(rotl(v4 + Math.imul(words[i + 3], PRIME2), 13), PRIME1);
    }
    this.v1 = v1;
    this.v2 = v2;
    this.v3 = v3;
    this.v4 = v4;
    this.total += bytes.length;
    if (bytes.length > stripes * 16) this.tail = bytes.subarray(stripes * 16);
    return this;
  }

  /** The checksum of everything added, as an unsigned 32-bit number. */
  digest(): number {
    let h =
      this.total >= 16
        ? (rotl(this.v1, 1) + rotl(this.v2, 7) + rotl(this.v3, 12) + rotl(this.v4, 18)) | 0
        : PRIME5;
    h = (h + (this.total % 2 ** 32)) | 0; // the length mod 2^32, as the reference does
    const tail = this.tail ?? new Uint8Array(0);
    let i = 0;
    for (; i + 4 <= tail.length; i += 4) {
      const word = tail[i] | (tail[i + 1] << 8) | (tail[i + 2] << 16) | (tail[i + 3] << 24);
      h = Math.imul(rotl(h + Math.imul(word, PRIME3), 17), PRIME4);
    }
    for (; i < tail.length; i++) h = Math.imul(rotl(h + Math.imul(tail[i], PRIME5), 11), PRIME1);
    h ^= h >>> 15;
    h = Math.imul(h, PRIME2);
    h ^= h >>> 13;
    h = Math.imul(h, PRIME3);
    h ^= h >>> 16;
    return h >>> 0;
  }
}

/** XXH32 of one whole byte array. */
export function xxh32(bytes: Uint8Array): number {
  return new Xxh32().update(bytes).digest();
}
