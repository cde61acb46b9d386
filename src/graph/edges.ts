/**
 * EdgeBuffer: the raw (source, target) pairs read from a file, in file order,
 * kept in separate Uint32Array chunks so growing never copies what is already
 * there (a doubling array would briefly hold 3x the edges), and so that chunks
 * parsed by other threads can be appended as they are. Self-loops stay in
 * (they name a person); the CSR builder counts and drops them.
 */
const CHUNK_PAIRS = 1 << 20;

interface Chunk {
  data: Uint32Array;
  pairs: number;
}

export class EdgeBuffer {
  private chunks: Chunk[] = [];
  private current: Chunk | undefined;
  private total = 0;

  get length(): number {
    return this.total;
  }

  push(u: number, v: number): void {
    let c = this.current;
    if (!c || c.pairs * 2 === c.data.length) {
      c = { data: new Uint32Array(new SharedArrayBuffer(CHUNK_PAIRS * 8)), pairs: 0 }; // shared: see buildCsrParallel
      this.chunks.push(c);
      this.current = c;
    }
    c.data[c.pairs * 2] = u;
    c.data[c.pairs * 2 + 1] = v;
    c.pairs++;
    this.total++;
  }

  /** Appends pairs produced elsewhere (a parse worker), without copying. */
  appendChunk(data: Uint32Array, pairs: number): void {
    if (pairs === 0) return;
    this.chunks.push({ data, pairs });
    this.current = undefined;
    this.total += pairs;
  }

  /** The chunks with their used pair counts, in order, for hot loops. */
  pieces(): Array<[Uint32Array, number]> {
    return this.chunks.map((c) => [c.data, c.pairs]);
  }

  /** Drops the storage so the GC can take it back before the BFS starts. */
  release(): void {
    this.chunks = [];
    this.current = undefined;
    this.total = 0;
  }
}
