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
import { checkArcs, checkNodes, MAX_ARCS } from './limits.js';

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

/** Lists up to this length are sorted by insertion sort in place; longer ones by TypedArray sort. */
const INSERTION_MAX = 48;

/**
 * Builds the CSR from index pairs: count degrees, scatter each arc into its
 * source's list, then make each list sorted and distinct. Lists that arrive
 * sorted (files sorted by source, as SNAP and most exports are) only get a
 * linear check; short ones are insertion-sorted; long ones use the native
 * TypedArray sort. Self-loops are counted and skipped. The edge buffer is
 * released right after the scatter, so the raw pairs and the lists are the only
 * big arrays alive together.
 *
 * Limits (src/graph/limits.ts): at most MAX_ARCS = 2^32 - 1 adjacency entries
 * before repeats are removed (offsets and positions are u32). The entries are
 * counted in a JS number, exact to 2^53, before the u32 degree counts could
 * wrap and before the neighbour array is allocated; beyond the limit a
 * LimitError names it (`file`, when given, names the input). `maxArcs` is
 * for tests only.
 */
export function buildCsr(
  edges: EdgeBuffer,
  n: number,
  directed: boolean,
  file?: string,
  maxArcs = MAX_ARCS,
): { csr: Csr; stats: BuildStats } {
  checkNodes(n, file);
  const pieces = edges.pieces();
  // Arcs to scatter, in a type that cannot wrap: every pair but the self-loops, twice when undirected.
  let pairsTotal = 0;
  for (const [, pairs] of pieces) pairsTotal += pairs;
  if ((directed ? 1 : 2) * pairsTotal > maxArcs) {
    // Only now are self-loops worth counting: they are dropped, so they do not count against the limit.
    let loops = 0;
    for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i += 2) if (chunk[i] === chunk[i + 1]) loops++;
    checkArcs((directed ? 1 : 2) * (pairsTotal - loops), 'the edge list (repeated edges included) gives', file, maxArcs);
  }
  const start = new Uint32Array(n + 1);
  let selfLoops = 0;
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) {
        selfLoops++;
        continue;
      }
      start[u + 1]++;
      if (!directed) start[v + 1]++;
    }
  }
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const raw = start[n]; // below 2^32: checked above, so no count wrapped

  let neighbours = new Uint32Array(new SharedArrayBuffer(4 * raw));
  const fill = start.slice(0, n);
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) continue;
      neighbours[fill[u]++] = v;
      if (!directed) neighbours[fill[v]++] = u;
    }
  }
  edges.release();

  // Sort each list, drop repeats, and move lists left over the gaps in one pass.
  const offsets = new Uint32Array(new SharedArrayBuffer(4 * (n + 1)));
  let write = 0;
  for (let u = 0; u < n; u++) {
    const from = start[u];
    const to = start[u + 1];
    offsets[u] = write;
    if (to - from > 1) sortList(neighbours, from, to);
    let prev = -1;
    for (let j = from; j < to; j++) {
      const x = neighbours[j];
      if (x !== prev) {
        neighbours[write++] = x;
        prev = x;
      }
    }
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

/** Sorts a[from, to) ascending, cheaply when it is already sorted or short. */
function sortList(a: Uint32Array, from: number, to: number): void {
  let sorted = true;
  for (let j = from + 1; j < to; j++) {
    if (a[j] < a[j - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from > INSERTION_MAX) {
    a.subarray(from, to).sort();
    return;
  }
  for (let j = from + 1; j < to; j++) {
    const x = a[j];
    let k = j - 1;
    while (k >= from && a[k] > x) {
      a[k + 1] = a[k];
      k--;
    }
    a[k + 1] = x;
  }
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
