/**
 * The compact graph: CSR (compressed sparse row) in typed arrays over
 * SharedArrayBuffer, so every worker thread reads the same memory.
 *
 *   neighbours[offsets[v] .. offsets[v+1]) = the sorted, distinct neighbours of v
 *
 * Undirected graphs store each edge both ways; directed graphs store out-arcs.
 * Cost: 4 bytes per stored adjacency entry + 4 bytes per node (+ the id table).
 */
import type { EdgeBuffer } from './edges.js';

export interface Csr {
  /** Number of nodes. */
  n: number;
  directed: boolean;
  /** Length n + 1. */
  offsets: Uint32Array;
  /** Length offsets[n] (number of stored arcs). */
  neighbours: Uint32Array;
}

/** What a worker thread receives once: the shared buffers, never a copy. */
export interface SharedCsr {
  n: number;
  directed: boolean;
  offsets: SharedArrayBuffer;
  neighbours: SharedArrayBuffer;
}

export interface BuildStats {
  /** Distinct edges kept: undirected pairs {u,v}, or arcs (u,v) when directed. */
  edges: number;
  /** Input edges dropped because they repeat a kept edge (a reverse pair counts as a repeat when undirected). */
  duplicates: number;
}

const MAX_ARCS = 0xffffffff;

/**
 * Builds the CSR from raw index pairs (self-loops must already be removed).
 * Steps: count degrees, fill, sort each list, drop repeats, and copy into an
 * exactly-sized buffer only when repeats were found.
 */
export function buildCsr(edges: EdgeBuffer, n: number, directed: boolean): { csr: Csr; stats: BuildStats } {
  const raw = directed ? edges.length : edges.length * 2;
  if (raw > MAX_ARCS) throw new Error(`graph too large: ${raw} adjacency entries (limit 2^32 - 1)`);

  const offsets = new Uint32Array(new SharedArrayBuffer(4 * (n + 1)));
  for (const [chunk, pairs] of edges.pieces()) {
    for (let i = 0; i < pairs * 2; i += 2) {
      offsets[chunk[i] + 1]++;
      if (!directed) offsets[chunk[i + 1] + 1]++;
    }
  }
  for (let v = 0; v < n; v++) offsets[v + 1] += offsets[v];

  let neighbours = new Uint32Array(new SharedArrayBuffer(4 * raw));
  const cursor = offsets.slice(0, n); // a private copy: next free place per node
  for (const [chunk, pairs] of edges.pieces()) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      neighbours[cursor[u]++] = v;
      if (!directed) neighbours[cursor[v]++] = u;
    }
  }
  edges.release();

  // Sort each list and squeeze out repeats, moving lists left in place.
  let write = 0;
  let start = 0;
  for (let v = 0; v < n; v++) {
    const end = offsets[v + 1];
    if (end - start > 1) neighbours.subarray(start, end).sort();
    offsets[v] = write;
    let prev = -1;
    for (let j = start; j < end; j++) {
      const x = neighbours[j];
      if (x !== prev) {
        neighbours[write++] = x;
        prev = x;
      }
    }
    start = end;
  }
  offsets[n] = write;

  const removed = raw - write;
  if (removed > 0) {
    const exact = new Uint32Array(new SharedArrayBuffer(4 * write));
    exact.set(neighbours.subarray(0, write));
    neighbours = exact;
  }
  const csr: Csr = { n, directed, offsets, neighbours };
  return {
    csr,
    stats: {
      edges: directed ? write : write / 2,
      duplicates: directed ? removed : removed / 2,
    },
  };
}

export function shareCsr(csr: Csr): SharedCsr {
  return {
    n: csr.n,
    directed: csr.directed,
    offsets: csr.offsets.buffer as SharedArrayBuffer,
    neighbours: csr.neighbours.buffer as SharedArrayBuffer,
  };
}

export function csrFromShared(shared: SharedCsr): Csr {
  return {
    n: shared.n,
    directed: shared.directed,
    offsets: new Uint32Array(shared.offsets),
    neighbours: new Uint32Array(shared.neighbours),
  };
}

/** Bytes held by the graph arrays themselves (what the memory target is about). */
export function csrBytes(csr: Csr): number {
  return csr.offsets.byteLength + csr.neighbours.byteLength;
}
