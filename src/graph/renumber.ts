/**
 * Locality renumbering: the CSR's nodes get new numbers so that the nodes a
 * BFS touches together sit together in memory (issue #12, part 5). On R-MAT
 * scale 24 (8.9M people) the kernels' per-node state no longer fits any cache
 * and each arc costs a cache miss; numbering the high-degree nodes first puts
 * the state most arcs lead to in a few hot lines, as GAP and Ligra users do.
 *
 * Two numberings, both O(n + m) over typed arrays:
 * - 'degree': by degree descending, ties by original number (a stable counting sort);
 * - 'bfs': breadth-first order from the highest-degree node, each list in CSR
 *   order; the other components after it, from their highest-degree node.
 *
 * The answers never change. The original numbering (node i = the i-th node the
 * loader met) stays the one every output and every random draw speaks:
 * NodeOrder maps both ways, sources are drawn in original numbers and mapped in
 * (src/app/run.ts), ids are looked up and printed through it, and commands that
 * depend on the order of neighbour lists (path, milgram, people) get the graph
 * back in its original numbering (inOriginalOrder). The figures a BFS gives
 * (distances, reached counts, eccentricities, the diameter) do not depend on
 * node numbers at all.
 */
import { sortList, type Csr } from './csr.js';

export type RenumberMethod = 'degree' | 'bfs';

export interface NodeOrder {
  /** Original number -> internal number (the CSR's). */
  toInternal: Uint32Array;
  /** Internal number -> original number. */
  toOriginal: Uint32Array;
}

/** The default numbering (measured on R-MAT scale 22 and 24: see bench notes in the commit). */
export const DEFAULT_RENUMBER: RenumberMethod = 'degree';

/**
 * Graphs with fewer stored arcs than this keep their numbering: their state
 * fits the CPU caches, so renumbering buys nothing there and costs a pass.
 */
export const RENUMBER_MIN_ARCS = 1 << 26;

/** Whether a loaded graph of this size is worth renumbering. */
export function worthRenumbering(csr: Csr, minArcs = RENUMBER_MIN_ARCS): boolean {
  return !csr.directed && csr.neighbours.length >= minArcs;
}

/** Degree of every node (out-degree when directed). */
function degrees(csr: Csr): Uint32Array {
  const { n, offsets } = csr;
  const d = new Uint32Array(n);
  for (let v = 0; v < n; v++) d[v] = offsets[v + 1] - offsets[v];
  return d;
}

/** Internal -> original, highest degree first, ties by original number (counting sort: O(n + max degree)). */
export function degreeOrder(csr: Csr): Uint32Array {
  const { n } = csr;
  const d = degrees(csr);
  let max = 0;
  for (let v = 0; v < n; v++) if (d[v] > max) max = d[v];
  // start[k] = first slot of degree max - k.
  const start = new Float64Array(max + 2);
  for (let v = 0; v < n; v++) start[max - d[v] + 1]++;
  for (let k = 0; k <= max; k++) start[k + 1] += start[k];
  const order = new Uint32Array(n);
  for (let v = 0; v < n; v++) order[start[max - d[v]]++] = v;
  return order;
}

/** Internal -> original, breadth-first from the highest-degree node of each component in turn. */
export function bfsOrder(csr: Csr): Uint32Array {
  const { n, offsets, neighbours } = csr;
  const byDegree = degreeOrder(csr);
  const seen = new Uint8Array(n);
  const order = new Uint32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    const root = byDegree[i];
    if (seen[root]) continue;
    seen[root] = 1;
    let head = tail;
    order[tail++] = root;
    while (head < tail) {
      const u = order[head++];
      for (let j = offsets[u], stop = offsets[u + 1]; j < stop; j++) {
        const v = neighbours[j];
        if (!seen[v]) {
          seen[v] = 1;
          order[tail++] = v;
        }
      }
    }
  }
  return order;
}

/** Both directions of a numbering given internal -> original. */
export function nodeOrder(toOriginal: Uint32Array): NodeOrder {
  const toInternal = new Uint32Array(toOriginal.length);
  for (let i = 0; i < toOriginal.length; i++) toInternal[toOriginal[i]] = i;
  return { toInternal, toOriginal };
}

/** Checks that `toOriginal` is a permutation of 0..n-1 (a .swg could hold anything). */
export function isPermutation(toOriginal: Uint32Array): boolean {
  const n = toOriginal.length;
  const hit = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = toOriginal[i];
    if (v >= n || hit[v]) return false;
    hit[v] = 1;
  }
  return true;
}

export function computeOrder(csr: Csr, method: RenumberMethod = DEFAULT_RENUMBER): NodeOrder {
  return nodeOrder(method === 'bfs' ? bfsOrder(csr) : degreeOrder(csr));
}

/**
 * The CSR under a numbering: node i of the result is node `from.toOriginal[i]`
 * of `csr` when `direction` is 'in', or the reverse ('out': `csr` is in internal
 * numbers and the result in original ones). Lists stay sorted and distinct, and
 * the result lives in SharedArrayBuffers like every CSR.
 *
 * Each list is copied in its new node's order (sequential writes), mapped,
 * and sorted: short lists by insertion sort, long ones by the native sort. A
 * scatter that needs no sort (append w to each neighbour's list, w ascending)
 * was slower on R-MAT scale 22 (see the commit): one cache miss per arc for the
 * write, where the copy reads and writes in memory order.
 */
export function permuteCsr(csr: Csr, order: NodeOrder, direction: 'in' | 'out' = 'in'): Csr {
  const { n, offsets, neighbours, directed } = csr;
  // newToOld[i] = the node of `csr` that becomes i; oldToNew the reverse.
  const newToOld = direction === 'in' ? order.toOriginal : order.toInternal;
  const oldToNew = direction === 'in' ? order.toInternal : order.toOriginal;
  const out = new Uint32Array(new SharedArrayBuffer(4 * (n + 1)));
  for (let i = 0; i < n; i++) {
    const v = newToOld[i];
    out[i + 1] = out[i] + (offsets[v + 1] - offsets[v]);
  }
  const adj = new Uint32Array(new SharedArrayBuffer(4 * neighbours.length));
  for (let i = 0; i < n; i++) {
    const v = newToOld[i];
    const from = out[i];
    let k = from;
    for (let j = offsets[v], stop = offsets[v + 1]; j < stop; j++) adj[k++] = oldToNew[neighbours[j]];
    sortList(adj, from, k);
  }
  return { n, directed, offsets: out, neighbours: adj };
}

/** A loaded graph's parts renumbering touches (LoadedGraph has them; kept structural so this module imports no io). */
interface Renumberable {
  csr: Csr;
  order?: NodeOrder;
}

/** The graph with its CSR renumbered for locality (`method`), unless it already is. */
export function renumbered<G extends Renumberable>(graph: G, method: RenumberMethod = DEFAULT_RENUMBER): G {
  if (graph.order) return graph;
  const order = computeOrder(graph.csr, method);
  return { ...graph, csr: permuteCsr(graph.csr, order), order };
}

/** The graph in original numbers: as it is, or with its CSR numbered back (O(n + m), a second CSR). */
export function inOriginalOrder<G extends Renumberable>(graph: G): G {
  if (!graph.order) return graph;
  const { order: _order, ...rest } = graph;
  return { ...rest, csr: permuteCsr(graph.csr, graph.order, 'out') } as G;
}

/** Internal number of original node `v`. */
export function internalOf(order: NodeOrder | undefined, v: number): number {
  return order ? order.toInternal[v] : v;
}

/** Original number of internal node `v`. */
export function originalOf(order: NodeOrder | undefined, v: number): number {
  return order ? order.toOriginal[v] : v;
}
