/**
 * Multi-source bit-parallel BFS (MS-BFS: Then et al., "The More the Merrier:
 * Efficient Multi-Source Graph Traversal", VLDB 2015).
 *
 * Up to `lanes` sources run together, one bit ("lane") per source in per-node
 * words, so an adjacency list is read once per level for all lanes instead of
 * once per source. With 32 * K lanes a node has K words in each bit set:
 *
 *   seen[v]  lanes that have reached v (at this level or before)
 *   next[v]  lanes reaching v for the first time at this level
 *   visit[v] lanes whose frontier holds v (reached at the previous level)
 *
 * seen and next of a node share one record of 2K words (one cache line for
 * K <= 8), so the random access per arc touches one line.
 *
 * A level is a top-down step (each frontier node ORs its visit bits, minus what
 * the neighbour has seen, into the neighbour's next) or a bottom-up step (each
 * node not yet seen by every lane ORs its neighbours' visit bits, and stops as
 * soon as every lane has reached it). Bottom-up reads a node's in-arcs; an
 * undirected CSR has them, a directed one stores out-arcs only, so directed
 * graphs stay top-down. Per level the cheaper step is guessed from arc counts.
 *
 * Counting: histogram[d] = bits first set at level d. Each lane's new nodes per
 * level come from bit-sliced counters (a ripple-carry adder over whole words, so
 * 32 lanes count at once) read out once per level.
 *
 * Scratch per worker: 12 * K bytes per node plus two node lists.
 */
import type { Csr } from '../graph.js';
import type { BatchResult, KernelFactory } from './types.js';

/**
 * Bottom-up when the frontier's arcs times this exceed the arcs of nodes that
 * some lane has not reached (measured on R-MAT and SNAP social graphs).
 */
const BOTTOM_UP_RATIO = 4;

export interface MsbfsOptions {
  /** 32-bit words per node per bit set: 32 * wordsPerNode lanes. */
  wordsPerNode: number;
  /** Allow bottom-up levels (undirected graphs only). */
  bottomUp: boolean;
}

export function msbfsKernel(options: MsbfsOptions): KernelFactory {
  return (csr: Csr) => {
    const bfs = new MultiSourceBfs(csr, options.wordsPerNode, options.bottomUp && !csr.directed);
    return (sources) => bfs.run(sources);
  };
}

class MultiSourceBfs {
  private readonly n: number;
  private readonly offsets: Uint32Array;
  private readonly neighbours: Uint32Array;
  private readonly lanes: number;
  /** Per node: K words seen, then K words next. */
  private readonly state: Uint32Array;
  private readonly visit: Uint32Array;
  private frontier: Uint32Array;
  /** The nodes given a nonzero next in this level's step: the next frontier. */
  private reachedNow: Uint32Array;
  /** slices[w * 32 + b] holds bit b of this level's new-node count for each lane of word w. */
  private readonly slices: Uint32Array;
  private readonly levelCount: Float64Array;
  private readonly laneReached: Float64Array;
  private readonly laneSum: Float64Array;
  /** Lanes whose BFS has ended, per word, already marked seen everywhere. */
  private readonly retired: Uint32Array;
  private arcsScanned = 0;
  /** Out-arcs of nodes that some lane has not reached: what a bottom-up step may read. */
  private remainingArcs = 0;

  constructor(
    csr: Csr,
    private readonly K: number,
    private readonly canBottomUp: boolean,
  ) {
    this.n = csr.n;
    this.offsets = csr.offsets;
    this.neighbours = csr.neighbours;
    this.lanes = 32 * K;
    this.state = new Uint32Array(csr.n * 2 * K);
    this.visit = new Uint32Array(csr.n * K);
    this.frontier = new Uint32Array(csr.n);
    this.reachedNow = new Uint32Array(csr.n);
    this.slices = new Uint32Array(K * 32);
    this.levelCount = new Float64Array(this.lanes);
    this.laneReached = new Float64Array(this.lanes);
    this.laneSum = new Float64Array(this.lanes);
    this.retired = new Uint32Array(K);
  }

  run(sources: ArrayLike<number>): BatchResult {
    const result: BatchResult = { histogram: [0], reached: [], distanceSum: [], maxDistance: 0, arcsScanned: 0 };
    this.arcsScanned = 0;
    for (let first = 0; first < sources.length; first += this.lanes) {
      const active = Math.min(this.lanes, sources.length - first);
      this.traverse(sources, first, active, result);
      for (let lane = 0; lane < active; lane++) {
        result.reached.push(this.laneReached[lane]);
        result.distanceSum.push(this.laneSum[lane]);
      }
    }
    result.arcsScanned = this.arcsScanned;
    return result;
  }

  /** One BFS for sources[first .. first + active), one lane each. */
  private traverse(sources: ArrayLike<number>, first: number, active: number, result: BatchResult): void {
    const { K, state, visit, offsets } = this;
    // Unused lanes count as seen everywhere, so "seen by all lanes" means done.
    for (let w = 0; w < K; w++) {
      const used = Math.max(0, Math.min(32, active - 32 * w));
      this.retired[w] = used === 32 ? 0 : ~((1 << used) - 1);
    }
    this.retireLanes(this.retired, true);
    this.laneReached.fill(0);
    this.laneSum.fill(0);

    let frontierSize = 0;
    let frontierArcs = 0;
    for (let lane = 0; lane < active; lane++) {
      const s = sources[first + lane];
      let wasEmpty = true;
      for (let w = 0; w < K; w++) if (visit[s * K + w] !== 0) wasEmpty = false;
      if (wasEmpty) {
        this.frontier[frontierSize++] = s;
        frontierArcs += offsets[s + 1] - offsets[s];
      }
      const bit = 1 << (lane & 31);
      visit[s * K + (lane >>> 5)] |= bit;
      state[s * 2 * K + (lane >>> 5)] |= bit;
    }
    for (let i = 0; i < frontierSize; i++) {
      const s = this.frontier[i];
      if (this.seenByAll(s)) this.remainingArcs -= offsets[s + 1] - offsets[s];
    }

    for (let level = 1; frontierSize > 0; level++) {
      const bottomUp = this.canBottomUp && frontierArcs * BOTTOM_UP_RATIO > this.remainingArcs;
      const reachedSize = bottomUp ? this.bottomUpStep() : this.topDownStep(frontierSize);
      frontierArcs = this.advance(frontierSize, reachedSize);
      frontierSize = reachedSize;
      if (reachedSize === 0) break;

      const total = this.drainCounters();
      const { histogram } = result;
      while (histogram.length <= level) histogram.push(0);
      histogram[level] += total;
      if (level > result.maxDistance) result.maxDistance = level;
      let ended = false;
      for (let lane = 0; lane < active; lane++) {
        const count = this.levelCount[lane];
        this.laneReached[lane] += count;
        this.laneSum[lane] += count * level;
        if (count === 0 && (this.retired[lane >>> 5] & (1 << (lane & 31))) === 0) ended = true;
      }
      // A finished lane would keep every node "not seen by all" and disable
      // bottom-up's skips and early exits: mark it seen everywhere.
      if (ended && this.canBottomUp) this.retireEndedLanes(active);
    }
  }

  /** Top-down: each frontier node pushes its visit bits to its neighbours' next. */
  private topDownStep(frontierSize: number): number {
    const { K, state, visit, offsets, neighbours, frontier, reachedNow } = this;
    let reachedSize = 0;
    for (let i = 0; i < frontierSize; i++) {
      const u = frontier[i];
      const from = u * K;
      const end = offsets[u + 1];
      this.arcsScanned += end - offsets[u];
      for (let j = offsets[u]; j < end; j++) {
        const v = neighbours[j];
        const base = v * 2 * K;
        let fresh = 0;
        for (let w = 0; w < K; w++) fresh |= visit[from + w] & ~state[base + w];
        if (fresh === 0) continue;
        let before = 0;
        for (let w = 0; w < K; w++) {
          const next = state[base + K + w];
          before |= next;
          state[base + K + w] = next | (visit[from + w] & ~state[base + w]);
        }
        if (before === 0) reachedNow[reachedSize++] = v;
      }
    }
    return reachedSize;
  }

  /**
   * Bottom-up: each node not yet seen by every lane gathers its neighbours'
   * visit bits into its next, stopping once every lane has reached it.
   */
  private bottomUpStep(): number {
    const { K, n, state, visit, offsets, neighbours, reachedNow } = this;
    let reachedSize = 0;
    let scanned = 0;
    for (let v = 0; v < n; v++) {
      const base = v * 2 * K;
      let unseen = 0;
      for (let w = 0; w < K; w++) unseen |= ~state[base + w];
      if (unseen === 0) continue;
      const start = offsets[v];
      const end = offsets[v + 1];
      let j = start;
      while (j < end) {
        const from = neighbours[j++] * K;
        let missing = 0;
        for (let w = 0; w < K; w++) {
          const gathered = state[base + K + w] | visit[from + w];
          state[base + K + w] = gathered;
          missing |= ~(gathered | state[base + w]);
        }
        if (missing === 0) break;
      }
      scanned += j - start;
      let fresh = 0;
      for (let w = 0; w < K; w++) {
        const bits = state[base + K + w] & ~state[base + w];
        state[base + K + w] = bits;
        fresh |= bits;
      }
      if (fresh !== 0) reachedNow[reachedSize++] = v;
    }
    this.arcsScanned += scanned;
    return reachedSize;
  }

  /**
   * Ends a level: the old frontier's visit bits are spent, next becomes seen and
   * the new visit, new bits are counted. Returns the new frontier's out-arcs.
   */
  private advance(frontierSize: number, reachedSize: number): number {
    const { K, state, visit, offsets, frontier, reachedNow, slices } = this;
    for (let i = 0; i < frontierSize; i++) {
      const from = frontier[i] * K;
      for (let w = 0; w < K; w++) visit[from + w] = 0;
    }
    let frontierArcs = 0;
    for (let i = 0; i < reachedSize; i++) {
      const v = reachedNow[i];
      const base = v * 2 * K;
      let unseen = 0;
      for (let w = 0; w < K; w++) {
        const fresh = state[base + K + w];
        state[base + K + w] = 0;
        const seen = state[base + w] | fresh;
        state[base + w] = seen;
        unseen |= ~seen;
        visit[v * K + w] = fresh;
        // Add one to the level count of each lane in fresh (ripple carry).
        let carry = fresh;
        for (let b = w * 32; carry !== 0; b++) {
          const s = slices[b];
          slices[b] = s ^ carry;
          carry = s & carry;
        }
      }
      const degree = offsets[v + 1] - offsets[v];
      frontierArcs += degree;
      if (unseen === 0) this.remainingArcs -= degree;
    }
    this.frontier = reachedNow;
    this.reachedNow = frontier;
    return frontierArcs;
  }

  /** Moves the bit-sliced counters into levelCount (and clears them); returns the total. */
  private drainCounters(): number {
    const { K, slices, levelCount } = this;
    let total = 0;
    levelCount.fill(0);
    for (let w = 0; w < K; w++) {
      for (let b = 0; b < 32; b++) {
        let s = slices[w * 32 + b];
        if (s === 0) continue;
        slices[w * 32 + b] = 0;
        const weight = 2 ** b;
        for (; s !== 0; s &= s - 1) {
          levelCount[w * 32 + 31 - Math.clz32(s & -s)] += weight;
          total += weight;
        }
      }
    }
    return total;
  }

  /** Marks lanes that found nothing new this level as seen everywhere. */
  private retireEndedLanes(active: number): void {
    const ended = new Uint32Array(this.K);
    for (let lane = 0; lane < active; lane++) {
      const bit = 1 << (lane & 31);
      if (this.levelCount[lane] === 0 && (this.retired[lane >>> 5] & bit) === 0) ended[lane >>> 5] |= bit;
    }
    for (let w = 0; w < this.K; w++) this.retired[w] |= ended[w];
    this.retireLanes(ended);
  }

  /** ORs mask into (or with reset: sets it as) every node's seen words; recounts remainingArcs. */
  private retireLanes(mask: Uint32Array, reset = false): void {
    const { K, n, state, offsets } = this;
    let remaining = 0;
    for (let v = 0, base = 0; v < n; v++, base += 2 * K) {
      let unseen = 0;
      for (let w = 0; w < K; w++) {
        const seen = reset ? mask[w] : state[base + w] | mask[w];
        state[base + w] = seen;
        unseen |= ~seen;
      }
      if (unseen !== 0) remaining += offsets[v + 1] - offsets[v];
    }
    this.remainingArcs = remaining;
  }

  private seenByAll(v: number): boolean {
    for (let w = 0; w < this.K; w++) if (~this.state[v * 2 * this.K + w] !== 0) return false;
    return true;
  }
}

export const msbfs32 = msbfsKernel({ wordsPerNode: 1, bottomUp: true });
export const msbfs64 = msbfsKernel({ wordsPerNode: 2, bottomUp: true });
export const msbfs128 = msbfsKernel({ wordsPerNode: 4, bottomUp: true });
