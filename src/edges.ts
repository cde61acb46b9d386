/**
 * EdgeBuffer: the raw (source, target) index pairs read from a file, kept in
 * fixed-size Uint32Array chunks so growing never copies what is already there
 * (a doubling array would briefly hold 3x the edges). Freed once the CSR is built.
 */
const CHUNK_PAIRS = 1 << 20;

export class EdgeBuffer {
  private chunks: Uint32Array[] = [];
  private current = new Uint32Array(0);
  private fill = 0; // pairs used in `current`
  private full = 0; // pairs in earlier chunks

  get length(): number {
    return this.full + this.fill;
  }

  push(u: number, v: number): void {
    if (this.fill * 2 === this.current.length) {
      if (this.current.length > 0) this.full += this.fill;
      this.current = new Uint32Array(CHUNK_PAIRS * 2);
      this.chunks.push(this.current);
      this.fill = 0;
    }
    const at = this.fill * 2;
    this.current[at] = u;
    this.current[at + 1] = v;
    this.fill++;
  }

  /** Calls fn(u, v) for every pair in insertion order. */
  forEach(fn: (u: number, v: number) => void): void {
    const last = this.chunks.length - 1;
    for (let c = 0; c <= last; c++) {
      const chunk = this.chunks[c];
      const pairs = c === last ? this.fill : CHUNK_PAIRS;
      for (let i = 0; i < pairs * 2; i += 2) fn(chunk[i], chunk[i + 1]);
    }
  }

  /** The chunks with their used pair counts, for hot loops that avoid a callback. */
  *pieces(): Generator<[Uint32Array, number]> {
    const last = this.chunks.length - 1;
    for (let c = 0; c <= last; c++) yield [this.chunks[c], c === last ? this.fill : CHUNK_PAIRS];
  }

  /** Drops the storage so the GC can take it back before the BFS starts. */
  release(): void {
    this.chunks = [];
    this.current = new Uint32Array(0);
    this.fill = 0;
    this.full = 0;
  }
}
