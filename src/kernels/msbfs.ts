/**
 * Multi-source bit-parallel BFS (MS-BFS: Then et al., "The More the Merrier:
 * Efficient Multi-Source Graph Traversal", VLDB 2015).
 *
 * Up to `lanes` sources run together, one bit ("lane") per source in per-node
 * words, so each adjacency list is read once per level for every lane at once
 * instead of once per source. With 32 * wordsPerNode lanes a node has
 * wordsPerNode words in each bit set, stored side by side.
 *
 *   seen[v]  lanes that have reached v (at this level or earlier)
 *   visit[v] lanes whose frontier holds v at the current level
 *   next[v]  lanes reaching v for the first time at the next level
 *
 * A level is either a top-down step (each frontier node ORs its visit bits,
 * minus what the target has seen, into next of its neighbours) or a bottom-up
 * step (each not yet fully seen node ORs the visit bits of its neighbours, and
 * stops as soon as every lane has reached it). Bottom-up needs in-arcs, which an
 * undirected CSR has and a directed one does not, so directed graphs stay
 * top-down. The choice per level compares the arcs each would read.
 *
 * Counting: histogram[d] is the popcount of the bits first seen at level d, and
 * each lane's count of new nodes per level comes from bit-sliced counters
 * (a ripple-carry adder over words, 32 lanes added per instruction) read out
 * once per level, so per-node counting costs a few word operations, not a loop
 * over set bits.
 *
 * Memory per worker: 12 * wordsPerNode bytes per node plus two node lists.
 */
import type { Csr } from '../graph.js';
import type { BatchResult, KernelFactory } from './types.js';

const ALL = 0xffffffff;

/**
 * Bottom-up when the frontier's out-arcs exceed the arcs of nodes some lane has
 * not yet reached divided by this (bottom-up stops early on most of them).
 */
const BOTTOM_UP_RATIO = 4;

export interface MsbfsOptions {
  /** 32-bit words per node per bit set: lanes = 32 * wordsPerNode. */
  wordsPerNode: number;
  /** Allow bottom-up levels on undirected graphs. */
  bottomUp: boolean;
}

export function msbfsKernel({ wordsPerNode, bottomUp }: MsbfsOptions): KernelFactory {
  const K = wordsPerNode;
  const lanes = 32 * K;
  return (csr: Csr) => {
    const { n, offsets, neighbours } = csr;
    const canBottomUp = bottomUp && !csr.directed;
    // seen and next of a node share one record (stride 2K) so the top-down inner
    // loop's check and update touch one cache line.
    const state = new Uint32Array(n * 2 * K);
    const visit = new Uint32Array(n * K);
    let frontier = new Uint32Array(n);
    let reachedNow = new Uint32Array(n); // nodes with a nonzero next: the next frontier
    const frontierBits = new Uint32Array(K);
    const gathered = new Uint32Array(K);
    // slices[w * 32 + b] holds bit b of each lane's count (lanes of word w) for this level.
    const slices = new Uint32Array(K * 32);
    const levelCount = new Float64Array(lanes);
    const laneReached = new Float64Array(lanes);
    const laneSum = new Float64Array(lanes);

    /** Adds 1 to the level counter of every lane set in word w of a node. */
    const countNew = (w: number, bits: number): void => {
      let carry = bits;
      for (let b = w * 32; carry !== 0; b++) {
        const s = slices[b];
        slices[b] = s ^ carry;
        carry = s & carry;
      }
    };

    /** Moves this level's bit-sliced counters into levelCount; returns the total. */
    const drainCounters = (): number => {
      let total = 0;
      levelCount.fill(0);
      for (let w = 0; w < K; w++) {
        for (let b = 0; b < 32; b++) {
          let s = slices[w * 32 + b];
          if (s === 0) continue;
          slices[w * 32 + b] = 0;
          const weight = 2 ** b;
          while (s !== 0) {
            const lane = 31 - Math.clz32(s & -s);
            levelCount[w * 32 + lane] += weight;
            total += weight;
            s &= s - 1;
          }
        }
      }
      return total;
    };

    return (sources: ArrayLike<number>): BatchResult => {
      const histogram: number[] = [0];
      const reached: number[] = [];
      const distanceSum: number[] = [];
      let maxDistance = 0;
      let arcsScanned = 0;

      for (let first = 0; first < sources.length; first += lanes) {
        const active = Math.min(lanes, sources.length - first);

        // Unused lanes start as seen everywhere, so a node is done when all its seen words are ALL.
        let remainingArcs = 0; // out-arcs of nodes some lane has not reached
        for (let w = 0; w < K; w++) {
          const used = Math.max(0, Math.min(32, active - 32 * w));
          const unusedMask = used === 32 ? 0 : ~((1 << used) - 1) >>> 0;
          for (let v = 0, at = w; v < n; v++, at += 2 * K) state[at] = unusedMask;
        }
        if (canBottomUp) remainingArcs = offsets[n];

        let frontierSize = 0;
        let frontierArcs = 0;
        for (let lane = 0; lane < active; lane++) {
          const s = sources[first + lane];
          const w = lane >>> 5;
          const bit = 1 << (lane & 31);
          let empty = true;
          for (let x = 0; x < K; x++) if (visit[s * K + x] !== 0) empty = false;
          if (empty) {
            frontier[frontierSize++] = s;
            frontierArcs += offsets[s + 1] - offsets[s];
          }
          visit[s * K + w] |= bit;
          state[s * 2 * K + w] |= bit;
          laneReached[lane] = 0;
          laneSum[lane] = 0;
        }
        if (canBottomUp) {
          for (let i = 0; i < frontierSize; i++) {
            const s = frontier[i];
            if (isFull(state, s * 2 * K, K)) remainingArcs -= offsets[s + 1] - offsets[s];
          }
        }

        for (let level = 1; frontierSize > 0; level++) {
          let reachedSize = 0;
          if (canBottomUp && frontierArcs * BOTTOM_UP_RATIO > remainingArcs) {
            // Bottom-up: every node not yet seen by all lanes gathers its neighbours' visit bits.
            for (let v = 0; v < n; v++) {
              const base = v * 2 * K;
              if (isFull(state, base, K)) continue;
              gathered.fill(0);
              const end = offsets[v + 1];
              let j = offsets[v];
              for (; j < end; j++) {
                const u = neighbours[j] * K;
                let done = true;
                for (let w = 0; w < K; w++) {
                  const g = gathered[w] | visit[u + w];
                  gathered[w] = g;
                  if (~(g | state[base + w]) !== 0) done = false;
                }
                if (done) {
                  j++;
                  break;
                }
              }
              arcsScanned += j - offsets[v];
              let any = 0;
              for (let w = 0; w < K; w++) {
                const fresh = (gathered[w] & ~state[base + w]) >>> 0;
                state[base + K + w] = fresh;
                any |= fresh;
              }
              if (any !== 0) reachedNow[reachedSize++] = v;
            }
          } else {
            // Top-down: each frontier node pushes its visit bits to its neighbours.
            for (let i = 0; i < frontierSize; i++) {
              const u = frontier[i];
              for (let w = 0; w < K; w++) frontierBits[w] = visit[u * K + w];
              const end = offsets[u + 1];
              arcsScanned += end - offsets[u];
              for (let j = offsets[u]; j < end; j++) {
                const base = neighbours[j] * 2 * K;
                let fresh = 0;
                let before = 0;
                for (let w = 0; w < K; w++) {
                  const bits = frontierBits[w] & ~state[base + w];
                  const next = state[base + K + w];
                  before |= next;
                  state[base + K + w] = next | bits;
                  fresh |= bits;
                }
                if (fresh !== 0 && before === 0) reachedNow[reachedSize++] = neighbours[j];
              }
            }
          }

          // The old frontier's visit bits are spent; the nodes just reached become the frontier.
          for (let i = 0; i < frontierSize; i++) {
            const u = frontier[i] * K;
            for (let w = 0; w < K; w++) visit[u + w] = 0;
          }
          frontierArcs = 0;
          for (let i = 0; i < reachedSize; i++) {
            const v = reachedNow[i];
            const base = v * 2 * K;
            let seenAll = ALL;
            for (let w = 0; w < K; w++) {
              const fresh = state[base + K + w];
              state[base + K + w] = 0;
              const seen = (state[base + w] | fresh) >>> 0;
              state[base + w] = seen;
              seenAll &= seen;
              visit[v * K + w] = fresh;
              if (fresh !== 0) countNew(w, fresh);
            }
            const degree = offsets[v + 1] - offsets[v];
            frontierArcs += degree;
            if (seenAll === -1) remainingArcs -= degree;
          }
          const swap = frontier;
          frontier = reachedNow;
          reachedNow = swap;
          frontierSize = reachedSize;

          if (reachedSize === 0) break;
          const total = drainCounters();
          while (histogram.length <= level) histogram.push(0);
          histogram[level] += total;
          if (level > maxDistance) maxDistance = level;
          for (let lane = 0; lane < active; lane++) {
            const c = levelCount[lane];
            laneReached[lane] += c;
            laneSum[lane] += c * level;
          }
        }

        for (let lane = 0; lane < active; lane++) {
          reached.push(laneReached[lane]);
          distanceSum.push(laneSum[lane]);
        }
      }
      return { histogram, reached, distanceSum, maxDistance, arcsScanned };
    };
  };
}

/** Whether every lane has seen the node whose record starts at base. */
function isFull(state: Uint32Array, base: number, words: number): boolean {
  for (let w = 0; w < words; w++) if (state[base + w] !== ALL) return false;
  return true;
}

export const msbfs32 = msbfsKernel({ wordsPerNode: 1, bottomUp: true });
export const msbfs64 = msbfsKernel({ wordsPerNode: 2, bottomUp: true });
export const msbfs128 = msbfsKernel({ wordsPerNode: 4, bottomUp: true });
