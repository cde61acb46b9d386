/**
 * Direction-optimizing BFS, one source at a time (Beamer, Asanović and
 * Patterson, SC 2012; the switching rule of gapbs src/bfs.cc).
 *
 * Top-down steps scan the frontier's arcs. When the arcs out of the frontier
 * exceed the arcs not yet checked divided by ALPHA, bottom-up steps take over:
 * every unreached node looks for any neighbour in the frontier and stops at the
 * first, which on the big middle levels of a small-world graph skips most arcs.
 * Once the frontier shrinks again (smaller than n / BETA and shrinking) it goes
 * back to top-down.
 *
 * Bottom-up needs a node's in-arcs. An undirected CSR stores both directions, so
 * its lists serve; a directed CSR stores out-arcs only and a transpose would
 * double the graph's memory, so directed graphs run top-down at every level.
 *
 * Distances are never stored: levels are counted as they complete, so "reached"
 * is one bit per node (n / 8 bytes, which stays in cache far longer than the
 * reference's 4-byte distances).
 */
import type { Csr } from '../../graph/csr.js';
import type { BatchResult, KernelFactory, KernelRunOptions } from './types.js';

/** gapbs defaults. */
const ALPHA = 15;
const BETA = 18;

export const dobfsKernel: KernelFactory = (csr: Csr) => {
  const { n, offsets, neighbours } = csr;
  const canBottomUp = !csr.directed;
  const totalArcs = offsets[n];
  const bitmapWords = (n + 31) >>> 5;
  const visited = new Uint32Array(bitmapWords);
  // The frontier as a list (top-down) and as a bitmap (bottom-up), current and next.
  let queue = new Uint32Array(n);
  let nextQueue = new Uint32Array(n);
  let front = new Uint32Array(bitmapWords);
  let nextFront = new Uint32Array(bitmapWords);
  // Bits past n in the last word count as visited, so bottom-up never looks at them.
  const tailMask = n % 32 === 0 ? 0 : ~((1 << n % 32) - 1);

  return (sources: ArrayLike<number>, options?: KernelRunOptions): BatchResult => {
    const histogram: number[] = [0];
    const reached: number[] = [];
    const distanceSum: number[] = [];
    const eccentricity: number[] = [];
    const hopCounts: number[] = [];
    const farthest: number[] = [];
    let maxDistance = 0;
    let arcsScanned = 0; // what a plain BFS would read: out-arcs of every node reached
    let arcsRead = 0; // what this kernel reads

    for (let k = 0; k < sources.length; k++) {
      const s = sources[k];
      visited.fill(0);
      visited[bitmapWords - 1] = tailMask;
      visited[s >>> 5] |= 1 << (s & 31);
      queue[0] = s;
      let queueSize = 1;
      let reachedCount = 0;
      let sum = 0;
      let far = 0;
      let farNode = s;
      let edgesToCheck = totalArcs;
      let scoutCount = offsets[s + 1] - offsets[s]; // arcs out of the current frontier
      arcsScanned += scoutCount;
      let bottomUpMode = false;
      let previousSize = 0;

      for (let level = 1; queueSize > 0; level++) {
        let nextSize = 0;
        if (canBottomUp && !bottomUpMode && scoutCount > edgesToCheck / ALPHA) {
          // Switch to bottom-up: the frontier list becomes a bitmap.
          bottomUpMode = true;
          front.fill(0);
          for (let i = 0; i < queueSize; i++) front[queue[i] >>> 5] |= 1 << (queue[i] & 31);
          previousSize = queueSize;
        }

        if (bottomUpMode) {
          nextFront.fill(0);
          for (let word = 0; word < bitmapWords; word++) {
            let unvisited = ~visited[word];
            if (unvisited === 0) continue; // 32 nodes already reached: skipped at once
            for (; unvisited !== 0; unvisited &= unvisited - 1) {
              const bit = unvisited & -unvisited;
              const v = (word << 5) | (31 - Math.clz32(bit));
              const start = offsets[v];
              const end = offsets[v + 1];
              let j = start;
              for (; j < end; j++) {
                const u = neighbours[j];
                if ((front[u >>> 5] & (1 << (u & 31))) !== 0) break;
              }
              arcsRead += (j < end ? j + 1 : end) - start;
              if (j < end) {
                visited[word] |= bit;
                nextFront[word] |= bit;
                nextQueue[nextSize++] = v;
                arcsScanned += end - start;
              }
            }
          }
          const swap = front;
          front = nextFront;
          nextFront = swap;
          // gapbs: stay bottom-up while the frontier grows or is still large.
          if (nextSize < previousSize && nextSize <= n / BETA) {
            bottomUpMode = false;
            scoutCount = 1;
          }
          previousSize = nextSize;
        } else {
          edgesToCheck -= scoutCount;
          scoutCount = 0;
          for (let i = 0; i < queueSize; i++) {
            const u = queue[i];
            const end = offsets[u + 1];
            arcsRead += end - offsets[u];
            for (let j = offsets[u]; j < end; j++) {
              const v = neighbours[j];
              const bit = 1 << (v & 31);
              if ((visited[v >>> 5] & bit) === 0) {
                visited[v >>> 5] |= bit;
                nextQueue[nextSize++] = v;
                scoutCount += offsets[v + 1] - offsets[v];
              }
            }
          }
          arcsScanned += scoutCount;
        }

        const swap = queue;
        queue = nextQueue;
        nextQueue = swap;
        queueSize = nextSize;
        if (nextSize > 0) {
          while (histogram.length <= level) histogram.push(0);
          histogram[level] += nextSize;
          reachedCount += nextSize;
          sum += nextSize * level;
          hopCounts.push(nextSize);
          far = level;
          farNode = queue[0]; // the smallest node of the level (every kernel reports the same one)
          for (let i = 1; i < nextSize; i++) if (queue[i] < farNode) farNode = queue[i];
          if (level > maxDistance) maxDistance = level;
        }
      }
      reached.push(reachedCount);
      distanceSum.push(sum);
      eccentricity.push(far);
      farthest.push(farNode);
    }
    const result: BatchResult = { histogram, reached, distanceSum, eccentricity, hopCounts, maxDistance, arcsScanned, arcsRead };
    if (options?.farthest) result.farthest = farthest;
    return result;
  };
};
