/**
 * Every shortest chain from A to B, counted exactly, and LinkedIn's "people who
 * can introduce you": one shortest chain through each of A's friends who lies on
 * one.
 *
 * One BFS from B against the arcs (the CSR itself when undirected; its
 * transpose when directed) gives distB(v) = hops from v to B, stopping as soon
 * as A is found (the layers nearer B are complete by then). A shortest chain
 * steps only "downhill", from v to an out-neighbour w with distB(w) = distB(v) − 1,
 * so the number of shortest chains from v is
 *
 *   chains(B) = 1,  chains(v) = Σ chains(w) over those w,
 *
 * summed in BigInt (the count grows exponentially with the hops on dense
 * graphs: a double would lose digits past 2^53) over just the nodes downhill of
 * A, nearest B first. The introducers are A's out-neighbours x with
 * distB(x) = distB(A) − 1; chains(A) = Σ chains(x).
 */
import type { Csr } from '../graph/csr.js';

/** The CSR of the reversed arcs (in-arcs as out-arcs). */
export function transpose(csr: Csr): Csr {
  const { n, offsets, neighbours } = csr;
  const inDegree = new Uint32Array(n + 1);
  for (let j = 0; j < neighbours.length; j++) inDegree[neighbours[j] + 1]++;
  const tOffsets = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) tOffsets[v + 1] = tOffsets[v] + inDegree[v + 1];
  const fill = tOffsets.slice(0, n);
  const tNeighbours = new Uint32Array(neighbours.length);
  // Sources in increasing order, so every reversed list comes out sorted.
  for (let u = 0; u < n; u++) for (let j = offsets[u]; j < offsets[u + 1]; j++) tNeighbours[fill[neighbours[j]]++] = u;
  return { n, directed: true, offsets: tOffsets, neighbours: tNeighbours };
}

export interface Introducer {
  /** Node index of A's friend on a shortest chain. */
  node: number;
  /** Shortest chains from A to B through them. */
  chains: bigint;
  /** One shortest chain through them (node indices, A and B included): each step the lowest-numbered downhill friend. */
  path: number[];
}

export interface ChainCount {
  /** Hops of a shortest chain; null when B cannot be reached from A. */
  hops: number | null;
  /** Distinct shortest chains from A to B (0 when unreachable, 1 when A = B). */
  chains: bigint;
  /** Every introducer, most chains first, then by node number (empty when A = B or they are friends). */
  introducers: Introducer[];
}

/** Counts the shortest chains from a to b on `csr`; `reverse` is transpose(csr) for a directed graph (computed when missing). */
export function countChains(csr: Csr, a: number, b: number, reverse?: Csr): ChainCount {
  if (a === b) return { hops: 0, chains: 1n, introducers: [] };
  const back = csr.directed ? (reverse ?? transpose(csr)) : csr;
  const { n, offsets, neighbours } = csr;
  const distB = new Int32Array(n).fill(-1);
  const queue = new Uint32Array(n);
  distB[b] = 0;
  queue[0] = b;
  let tail = 1;
  search: for (let head = 0; head < tail; head++) {
    const u = queue[head];
    for (let j = back.offsets[u]; j < back.offsets[u + 1]; j++) {
      const v = back.neighbours[j];
      if (distB[v] < 0) {
        distB[v] = distB[u] + 1;
        queue[tail++] = v;
        if (v === a) break search;
      }
    }
  }
  if (distB[a] < 0) return { hops: null, chains: 0n, introducers: [] };
  const d = distB[a];

  // The nodes downhill of a (on some shortest chain to b), found by a DFS, then counted nearest b first.
  const onChain: number[] = [];
  const seen = new Uint8Array(n);
  const stack = [a];
  seen[a] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    onChain.push(v);
    const want = distB[v] - 1;
    for (let j = offsets[v]; j < offsets[v + 1]; j++) {
      const w = neighbours[j];
      if (distB[w] === want && want >= 0 && !seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  onChain.sort((x, y) => distB[x] - distB[y]);
  const count = new Map<number, bigint>();
  for (const v of onChain) {
    if (v === b) {
      count.set(v, 1n);
      continue;
    }
    let c = 0n;
    const want = distB[v] - 1;
    for (let j = offsets[v]; j < offsets[v + 1]; j++) {
      const w = neighbours[j];
      if (distB[w] === want) c += count.get(w)!;
    }
    count.set(v, c);
  }

  const introducers: Introducer[] = [];
  if (d >= 2) {
    for (let j = offsets[a]; j < offsets[a + 1]; j++) {
      const x = neighbours[j];
      if (distB[x] !== d - 1) continue;
      const path = [a, x];
      for (let v = x; v !== b; ) {
        const want = distB[v] - 1;
        let next = -1;
        for (let k = offsets[v]; k < offsets[v + 1]; k++)
          if (distB[neighbours[k]] === want) {
            next = neighbours[k];
            break; // lists are sorted: the lowest-numbered downhill friend
          }
        path.push(next);
        v = next;
      }
      introducers.push({ node: x, chains: count.get(x)!, path });
    }
    introducers.sort((p, q) => (p.chains === q.chains ? p.node - q.node : p.chains > q.chains ? -1 : 1));
  }
  return { hops: d, chains: count.get(a)!, introducers };
}
