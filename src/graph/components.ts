/**
 * Connected components by union-find over the arcs: the components of an
 * undirected graph, the weakly connected components of a directed one (a
 * directed CSR stores out-arcs only, and union-find needs no in-arcs).
 */
import type { Csr } from './csr.js';

/**
 * The members of the largest (weakly) connected component, ascending; ties go to the one with the
 * smallest node. With `toOriginal` (a renumbered CSR, src/graph/renumber.ts) "smallest" and the
 * members are in original numbers, so the answer is the one the unrenumbered graph gives.
 */
export function largestComponent(csr: Csr, toOriginal?: Uint32Array): Uint32Array {
  const { n, offsets, neighbours } = csr;
  const parent = new Int32Array(n);
  for (let v = 0; v < n; v++) parent[v] = v;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]]; // path halving
      x = parent[x];
    }
    return x;
  };
  for (let u = 0; u < n; u++) {
    for (let j = offsets[u]; j < offsets[u + 1]; j++) {
      const a = find(u);
      const b = find(neighbours[j]);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b; // the smaller root wins: a deterministic result
    }
  }
  const size = new Uint32Array(n);
  // Per root, its smallest original node; without toOriginal the root is its component's smallest node.
  const smallest = toOriginal ? new Uint32Array(n).fill(0xffffffff) : null;
  for (let v = 0; v < n; v++) {
    const r = find(v);
    size[r]++;
    if (smallest && toOriginal![v] < smallest[r]) smallest[r] = toOriginal![v];
  }
  const rank = (r: number) => (smallest ? smallest[r] : r);
  let best = -1;
  for (let r = 0; r < n; r++) {
    if (parent[r] !== r) continue;
    if (best < 0 || size[r] > size[best] || (size[r] === size[best] && rank(r) < rank(best))) best = r;
  }
  const members = new Uint32Array(best < 0 ? 0 : size[best]);
  let k = 0;
  for (let v = 0; v < n; v++) if (find(v) === best) members[k++] = toOriginal ? toOriginal[v] : v;
  return toOriginal ? members.sort() : members;
}
