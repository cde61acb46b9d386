/**
 * Connected components by union-find over the arcs: the components of an
 * undirected graph, the weakly connected components of a directed one (a
 * directed CSR stores out-arcs only, and union-find needs no in-arcs).
 */
import type { Csr } from './csr.js';

/** The members of the largest (weakly) connected component, ascending; ties go to the one with the smallest node. */
export function largestComponent(csr: Csr): Uint32Array {
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
  for (let v = 0; v < n; v++) size[find(v)]++;
  let best = 0;
  for (let v = 1; v < n; v++) if (size[v] > size[best]) best = v;
  const members = new Uint32Array(size[best]);
  let k = 0;
  for (let v = 0; v < n; v++) if (parent[v] === best || find(v) === best) members[k++] = v;
  return members;
}
