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
  /** Input edges dropped because both ends are the same node. */
  selfLoops: number;
}

const MAX_ARCS = 0xffffffff;

/**
 * Builds the CSR from index pairs, as a two-pass counting sort, which leaves
 * every list sorted without a comparison sort:
 *  1. bucket the arcs by target: byTarget[v] = the sources of arcs into v;
 *  2. walk targets v in ascending order and append v to each source's list, so
 *     lists fill in ascending order and a repeat is always the list's last entry.
 * The edge buffer is released after pass 1, so at most two arc arrays live at once.
 * Self-loops are counted and skipped.
 */
export function buildCsr(edges: EdgeBuffer, n: number, directed: boolean): { csr: Csr; stats: BuildStats } {
  const pieces = edges.pieces();
  const inStart = new Uint32Array(n + 1); // bucket starts for pass 1 (in-degree + 1 shifted)
  const outStart = directed ? new Uint32Array(n + 1) : inStart;
  let selfLoops = 0;
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) {
        selfLoops++;
        continue;
      }
      inStart[v + 1]++;
      if (directed) outStart[u + 1]++;
      else inStart[u + 1]++;
    }
  }
  for (let v = 0; v < n; v++) inStart[v + 1] += inStart[v];
  if (directed) for (let v = 0; v < n; v++) outStart[v + 1] += outStart[v];
  const raw = inStart[n];
  if (raw > MAX_ARCS) throw new Error(`graph too large: ${raw} adjacency entries (limit 2^32 - 1)`);

  // Pass 1: sources bucketed by target (private memory, dropped after pass 2).
  const byTarget = new Uint32Array(raw);
  const cursor = inStart.slice(0, n);
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) continue;
      byTarget[cursor[v]++] = u;
      if (!directed) byTarget[cursor[u]++] = v;
    }
  }
  edges.release();

  // Pass 2: targets in ascending order -> sorted lists; repeats are adjacent.
  let neighbours = new Uint32Array(new SharedArrayBuffer(4 * raw));
  const fill = outStart.slice(0, n);
  for (let v = 0; v < n; v++) {
    const end = inStart[v + 1];
    for (let j = inStart[v]; j < end; j++) {
      const u = byTarget[j];
      const at = fill[u];
      if (at > outStart[u] && neighbours[at - 1] === v) continue;
      neighbours[at] = v;
      fill[u] = at + 1;
    }
  }

  // Squeeze out the gaps left by repeats, moving lists left in place.
  const offsets = new Uint32Array(new SharedArrayBuffer(4 * (n + 1)));
  let write = 0;
  for (let u = 0; u < n; u++) {
    const start = outStart[u];
    const end = fill[u];
    offsets[u] = write;
    if (write !== start) neighbours.copyWithin(write, start, end);
    write += end - start;
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
      selfLoops,
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
