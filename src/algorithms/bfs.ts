/**
 * One plain breadth-first search that keeps what the kernels do not: every
 * node's distance and the order nodes were reached in (`person` lists people
 * by degree from it).
 */
import type { Csr } from '../graph/csr.js';

/** Distances from `s` along the CSR's arcs (-1: unreached), and the BFS order. */
export function bfsFrom(csr: Csr, s: number): { dist: Int32Array; order: Uint32Array; reached: number } {
  const { n, offsets, neighbours } = csr;
  const dist = new Int32Array(n).fill(-1);
  const order = new Uint32Array(n);
  dist[s] = 0;
  order[0] = s;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    const u = order[head];
    const du = dist[u] + 1;
    for (let j = offsets[u]; j < offsets[u + 1]; j++) {
      const v = neighbours[j];
      if (dist[v] < 0) {
        dist[v] = du;
        order[tail++] = v;
      }
    }
  }
  return { dist, order: order.subarray(0, tail), reached: tail - 1 };
}
