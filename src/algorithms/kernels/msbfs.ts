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
 * seen and next of a node share one record of 2K words (8 to 32 bytes, within
 * one cache line), so the random access per arc touches one line.
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
 * 32 lanes count at once) read out once per level, and kept per lane and level
 * for the per-source hop counts (types.ts). arcsScanned is what plain
 * BFSs would read (see types.ts): new lanes at v times v's out-degree.
 *
 * A pass with few sources uses fewer words (up to 32 sources: one word): fewer
 * bytes for each arc to touch. Once the bit sets outgrow the CPU cache that
 * decides the speed, so which width is fastest for full passes depends on the
 * graph's size against the cache, and on other threads sharing it (measured in
 * src/kernels/index.ts).
 *
 * Scratch per worker: 12 * wordsPerNode bytes per node plus two node lists.
 */
import type { Csr } from '../../graph/csr.js';
import type { BatchResult, KernelFactory, KernelRunOptions } from './types.js';

/**
 * Bottom-up when the frontier's arcs times this exceed the arcs of nodes that
 * some lane has not reached (best of 1, 2, 4, 8, 16 on a scale-20 R-MAT graph).
 */
const BOTTOM_UP_RATIO = 4;

export interface MsbfsOptions {
  /**
   * 32-bit words per node per bit set (1, 2 or 4): up to 32 * wordsPerNode
   * sources per pass. A pass with fewer sources uses the fewest words that fit.
   */
  wordsPerNode: number;
  /** Allow bottom-up levels (undirected graphs only). */
  bottomUp: boolean;
}

export function msbfsKernel(options: MsbfsOptions): KernelFactory {
  return (csr: Csr) => {
    const bfs = new MultiSourceBfs(csr, options.wordsPerNode, options.bottomUp && !csr.directed);
    return (sources, runOptions) => bfs.run(sources, runOptions?.farthest === true);
  };
}

class MultiSourceBfs {
  readonly n: number;
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  /** Sources per pass at most. */
  private readonly lanes: number;
  /** Words per node in the current pass (1, 2 or 4). */
  K = 1;
  /** Per node: K words seen, then K words next. */
  readonly state: Uint32Array;
  readonly visit: Uint32Array;
  frontier: Uint32Array;
  /** The nodes given a nonzero next in this level's step: the next frontier. */
  reachedNow: Uint32Array;
  /** slices[w * 32 + b] holds bit b of this level's new-node count for each lane of word w. */
  private readonly slices: Uint32Array;
  private readonly levelCount: Float64Array;
  private readonly laneReached: Float64Array;
  private readonly laneSum: Float64Array;
  /** laneHops[(level - 1) * lanes + lane]: the lane's new nodes at that level (grows with the levels). */
  private laneHops: Float64Array;
  /** Per lane: the last level at which it found new nodes (its eccentricity). */
  private readonly laneEccentricity: Float64Array;
  /** Per lane: a node at the last level where it found new nodes (kept only when asked for). */
  private readonly laneFarthest: Float64Array;
  /** Lanes not yet given a node at this level (scratch for advance, when tracking the farthest nodes). */
  private readonly want: Uint32Array;
  private trackFarthest = false;
  /** Lanes whose BFS has ended, per word, already marked seen everywhere. */
  private readonly retired: Uint32Array;
  /** Lanes that ended at this level (scratch for retireEndedLanes). */
  private readonly ended: Uint32Array;
  /** Out-arcs of every (source, node reached) pair: what plain BFSs would read. */
  private plainArcs = 0;
  /** Adjacency entries the steps actually read (public: the step functions add to it). */
  arcsRead = 0;
  /** Out-arcs of nodes that some lane has not reached: what a bottom-up step may read. */
  private remainingArcs = 0;
  private topDownStep: Step = oneWordSteps.topDown;
  private bottomUpStep: Step = oneWordSteps.bottomUp;

  constructor(
    csr: Csr,
    private readonly maxWords: number,
    private readonly canBottomUp: boolean,
  ) {
    if (!stepsByWords[maxWords]) throw new Error(`msbfs: wordsPerNode must be 1, 2 or 4, not ${maxWords}`);
    const K = maxWords;
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
    this.laneHops = new Float64Array(this.lanes * 16);
    this.laneEccentricity = new Float64Array(this.lanes);
    this.laneFarthest = new Float64Array(this.lanes);
    this.want = new Uint32Array(K);
    this.retired = new Uint32Array(K);
    this.ended = new Uint32Array(K);
  }

  run(sources: ArrayLike<number>, farthest = false): BatchResult {
    const result: BatchResult = { histogram: [0], reached: [], distanceSum: [], eccentricity: [], hopCounts: [], maxDistance: 0, arcsScanned: 0, arcsRead: 0 };
    if (farthest) result.farthest = [];
    this.trackFarthest = farthest;
    this.plainArcs = 0;
    this.arcsRead = 0;
    for (let first = 0; first < sources.length; first += this.lanes) {
      const active = Math.min(this.lanes, sources.length - first);
      this.traverse(sources, first, active, result);
      const { lanes, laneHops } = this;
      for (let lane = 0; lane < active; lane++) {
        result.reached.push(this.laneReached[lane]);
        result.distanceSum.push(this.laneSum[lane]);
        const far = this.laneEccentricity[lane];
        result.eccentricity.push(far);
        if (farthest) result.farthest!.push(this.laneFarthest[lane]);
        for (let level = 1; level <= far; level++) result.hopCounts.push(laneHops[(level - 1) * lanes + lane]);
      }
    }
    result.arcsScanned = this.plainArcs;
    result.arcsRead = this.arcsRead;
    return result;
  }

  /** One BFS for sources[first .. first + active), one lane each. */
  private traverse(sources: ArrayLike<number>, first: number, active: number, result: BatchResult): void {
    // The fewest words that hold the lanes: less memory for every arc to touch.
    this.K = active <= 32 ? 1 : active <= 64 ? 2 : 4;
    const steps = stepsByWords[this.K];
    this.topDownStep = steps.topDown;
    this.bottomUpStep = steps.bottomUp;
    const { K, state, visit, offsets } = this;
    // Unused lanes count as seen everywhere, so "seen by all lanes" means done.
    for (let w = 0; w < K; w++) {
      const used = Math.max(0, Math.min(32, active - 32 * w));
      this.retired[w] = used === 32 ? 0 : ~((1 << used) - 1);
    }
    this.retireLanes(this.retired, true);
    this.laneReached.fill(0);
    this.laneSum.fill(0);
    this.laneEccentricity.fill(0);

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
      this.plainArcs += offsets[s + 1] - offsets[s];
      const bit = 1 << (lane & 31);
      this.laneFarthest[lane] = s;
      visit[s * K + (lane >>> 5)] |= bit;
      state[s * 2 * K + (lane >>> 5)] |= bit;
    }
    for (let i = 0; i < frontierSize; i++) {
      const s = this.frontier[i];
      if (this.seenByAll(s)) this.remainingArcs -= offsets[s + 1] - offsets[s];
    }

    for (let level = 1; frontierSize > 0; level++) {
      // Bottom-up reads up to remainingArcs and looks at every node once.
      const bottomUp = this.canBottomUp && frontierArcs * BOTTOM_UP_RATIO > this.remainingArcs + this.n;
      const reachedSize = bottomUp ? this.bottomUpStep(this, frontierSize) : this.topDownStep(this, frontierSize);
      frontierArcs = this.advance(frontierSize, reachedSize, bottomUp);
      frontierSize = reachedSize;
      if (reachedSize === 0) break;

      const total = this.drainCounters();
      const { histogram } = result;
      while (histogram.length <= level) histogram.push(0);
      histogram[level] += total;
      if (level > result.maxDistance) result.maxDistance = level;
      let ended = false;
      const { lanes } = this;
      if (level * lanes > this.laneHops.length) {
        const grown = new Float64Array(this.laneHops.length * 2);
        grown.set(this.laneHops);
        this.laneHops = grown;
      }
      const hops = this.laneHops;
      const row = (level - 1) * lanes;
      for (let lane = 0; lane < active; lane++) {
        const count = this.levelCount[lane];
        this.laneReached[lane] += count;
        this.laneSum[lane] += count * level;
        hops[row + lane] = count;
        if (count !== 0) this.laneEccentricity[lane] = level;
        if (count === 0 && (this.retired[lane >>> 5] & (1 << (lane & 31))) === 0) ended = true;
      }
      // A finished lane would keep every node "not seen by all" and disable
      // bottom-up's skips and early exits: mark it seen everywhere.
      if (ended && this.canBottomUp) this.retireEndedLanes(active);
    }
  }

  /**
   * Ends a level: the old frontier's visit bits are spent, next becomes seen and
   * the new visit, new bits are counted. Returns the new frontier's out-arcs.
   * listSorted: reachedNow is in node order (bottom-up lists it so).
   */
  private advance(frontierSize: number, reachedSize: number, listSorted: boolean): number {
    const { K, n, state, visit, offsets, slices } = this;
    let frontier = this.frontier;
    let reached = this.reachedNow;
    const dense = frontierSize + reachedSize > n >>> 4;
    if (dense) visit.fill(0);
    else {
      for (let i = 0; i < frontierSize; i++) {
        for (let w = 0; w < K; w++) visit[frontier[i] * K + w] = 0;
      }
    }
    if (dense && !listSorted) {
      // Top-down listed the nodes in discovery order; list them again in node
      // order so the loop below and the next step walk memory sequentially.
      let listed = 0;
      for (let v = 0; v < n; v++) {
        let next = 0;
        for (let w = 0; w < K; w++) next |= state[v * 2 * K + K + w];
        if (next !== 0) frontier[listed++] = v;
      }
      const listedNodes = frontier;
      frontier = reached;
      reached = listedNodes;
    }


    const { want, laneFarthest } = this;
    const track = this.trackFarthest;
    // Bottom-up steps and the dense relisting list the nodes in node order.
    const sorted = dense || listSorted;
    if (track) want.fill(0xffffffff);
    let frontierArcs = 0;
    for (let i = 0; i < reachedSize; i++) {
      const v = reached[i];
      const base = v * 2 * K;
      let unseen = 0;
      let lanesNew = 0;
      for (let w = 0; w < K; w++) {
        const fresh = state[base + K + w];
        lanesNew += popcount(fresh);
        state[base + K + w] = 0;
        const seen = state[base + w] | fresh;
        state[base + w] = seen;
        unseen |= ~seen;
        visit[v * K + w] = fresh;
        if (track && fresh !== 0) {
          // Each lane's smallest node of this level: its farthest node if the lane ends here. The
          // smallest, so that it does not depend on which other sources share the pass.
          const first = fresh & want[w];
          want[w] &= ~fresh;
          if (sorted) {
            for (let h = first; h !== 0; h &= h - 1) laneFarthest[w * 32 + 31 - Math.clz32(h & -h)] = v;
          } else {
            for (let h = fresh; h !== 0; h &= h - 1) {
              const bit = h & -h;
              const lane = w * 32 + 31 - Math.clz32(bit);
              if ((first & bit) !== 0 || v < laneFarthest[lane]) laneFarthest[lane] = v;
            }
          }
        }
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
      this.plainArcs += lanesNew * degree;
      if (unseen === 0) this.remainingArcs -= degree;
    }
    this.frontier = reached;
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
    const { ended } = this;
    ended.fill(0);
    for (let lane = 0; lane < active; lane++) {
      const bit = 1 << (lane & 31);
      if (this.levelCount[lane] === 0 && (this.retired[lane >>> 5] & bit) === 0) ended[lane >>> 5] |= bit;
    }
    for (let w = 0; w < this.K; w++) this.retired[w] |= ended[w];
    this.retireLanes(ended);
  }

  /**
   * ORs mask into every node's seen words (with reset: sets seen to mask and
   * next to zero, as a pass starts); recounts remainingArcs.
   */
  private retireLanes(mask: Uint32Array, reset = false): void {
    const { K, n, state, offsets } = this;
    let remaining = 0;
    for (let v = 0, base = 0; v < n; v++, base += 2 * K) {
      let unseen = 0;
      for (let w = 0; w < K; w++) {
        const seen = reset ? mask[w] : state[base + w] | mask[w];
        state[base + w] = seen;
        if (reset) state[base + K + w] = 0;
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

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * A level's step: reads frontier[0 .. frontierSize) (top-down) or scans all
 * nodes (bottom-up), writes the next bits of newly reached nodes, lists those
 * nodes in reachedNow and returns how many.
 * The loops are written out for 1, 2 and 4 words per node: V8 runs these with
 * the words in registers several times faster than a loop over the words.
 */
type Step = (bfs: MultiSourceBfs, frontierSize: number) => number;
interface Steps {
  topDown: Step;
  bottomUp: Step;
}

/** 32 lanes: node record [seen, next]. */
const oneWordSteps: Steps = {
  topDown(bfs, frontierSize) {
    const { state, visit, offsets, neighbours, frontier, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let i = 0; i < frontierSize; i++) {
      const u = frontier[i];
      const bits = visit[u];
      const end = offsets[u + 1];
      read += end - offsets[u];
      for (let j = offsets[u]; j < end; j++) {
        const v = neighbours[j];
        const fresh = bits & ~state[2 * v];
        if (fresh === 0) continue;
        const next = state[2 * v + 1];
        if (next === 0) reachedNow[reachedSize++] = v;
        state[2 * v + 1] = next | fresh;
      }
    }
    bfs.arcsRead += read;
    return reachedSize;
  },

  bottomUp(bfs) {
    const { n, state, visit, offsets, neighbours, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let v = 0; v < n; v++) {
      const seen = state[2 * v];
      if (~seen === 0) continue;
      const start = offsets[v];
      const end = offsets[v + 1];
      let gathered = 0;
      let j = start;
      while (j < end) {
        gathered |= visit[neighbours[j++]];
        if (~(gathered | seen) === 0) break;
      }
      read += j - start;
      const fresh = gathered & ~seen;
      state[2 * v + 1] = fresh;
      if (fresh !== 0) reachedNow[reachedSize++] = v;
    }
    bfs.arcsRead += read;
    return reachedSize;
  },
};

/** 64 lanes: node record [seen0, seen1, next0, next1]. */
const twoWordSteps: Steps = {
  topDown(bfs, frontierSize) {
    const { state, visit, offsets, neighbours, frontier, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let i = 0; i < frontierSize; i++) {
      const u = frontier[i];
      const bits0 = visit[2 * u];
      const bits1 = visit[2 * u + 1];
      const end = offsets[u + 1];
      read += end - offsets[u];
      for (let j = offsets[u]; j < end; j++) {
        const v = neighbours[j];
        const base = 4 * v;
        const fresh0 = bits0 & ~state[base];
        const fresh1 = bits1 & ~state[base + 1];
        if ((fresh0 | fresh1) === 0) continue;
        const next0 = state[base + 2];
        const next1 = state[base + 3];
        if ((next0 | next1) === 0) reachedNow[reachedSize++] = v;
        state[base + 2] = next0 | fresh0;
        state[base + 3] = next1 | fresh1;
      }
    }
    bfs.arcsRead += read;
    return reachedSize;
  },

  bottomUp(bfs) {
    const { n, state, visit, offsets, neighbours, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let v = 0; v < n; v++) {
      const base = 4 * v;
      const seen0 = state[base];
      const seen1 = state[base + 1];
      if ((~seen0 | ~seen1) === 0) continue;
      const start = offsets[v];
      const end = offsets[v + 1];
      let gathered0 = 0;
      let gathered1 = 0;
      let j = start;
      while (j < end) {
        const from = 2 * neighbours[j++];
        gathered0 |= visit[from];
        gathered1 |= visit[from + 1];
        if ((~(gathered0 | seen0) | ~(gathered1 | seen1)) === 0) break;
      }
      read += j - start;
      const fresh0 = gathered0 & ~seen0;
      const fresh1 = gathered1 & ~seen1;
      state[base + 2] = fresh0;
      state[base + 3] = fresh1;
      if ((fresh0 | fresh1) !== 0) reachedNow[reachedSize++] = v;
    }
    bfs.arcsRead += read;
    return reachedSize;
  },
};

/** 128 lanes: node record [seen0..seen3, next0..next3]. */
const fourWordSteps: Steps = {
  topDown(bfs, frontierSize) {
    const { state, visit, offsets, neighbours, frontier, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let i = 0; i < frontierSize; i++) {
      const u = frontier[i];
      const bits0 = visit[4 * u];
      const bits1 = visit[4 * u + 1];
      const bits2 = visit[4 * u + 2];
      const bits3 = visit[4 * u + 3];
      const end = offsets[u + 1];
      read += end - offsets[u];
      for (let j = offsets[u]; j < end; j++) {
        const v = neighbours[j];
        const base = 8 * v;
        const fresh0 = bits0 & ~state[base];
        const fresh1 = bits1 & ~state[base + 1];
        const fresh2 = bits2 & ~state[base + 2];
        const fresh3 = bits3 & ~state[base + 3];
        if ((fresh0 | fresh1 | fresh2 | fresh3) === 0) continue;
        const next0 = state[base + 4];
        const next1 = state[base + 5];
        const next2 = state[base + 6];
        const next3 = state[base + 7];
        if ((next0 | next1 | next2 | next3) === 0) reachedNow[reachedSize++] = v;
        state[base + 4] = next0 | fresh0;
        state[base + 5] = next1 | fresh1;
        state[base + 6] = next2 | fresh2;
        state[base + 7] = next3 | fresh3;
      }
    }
    bfs.arcsRead += read;
    return reachedSize;
  },

  bottomUp(bfs) {
    const { n, state, visit, offsets, neighbours, reachedNow } = bfs;
    let reachedSize = 0;
    let read = 0; // adjacency entries this step reads (the work actually done)
    for (let v = 0; v < n; v++) {
      const base = 8 * v;
      const seen0 = state[base];
      const seen1 = state[base + 1];
      const seen2 = state[base + 2];
      const seen3 = state[base + 3];
      if ((~seen0 | ~seen1 | ~seen2 | ~seen3) === 0) continue;
      const start = offsets[v];
      const end = offsets[v + 1];
      let gathered0 = 0;
      let gathered1 = 0;
      let gathered2 = 0;
      let gathered3 = 0;
      let j = start;
      while (j < end) {
        const from = 4 * neighbours[j++];
        gathered0 |= visit[from];
        gathered1 |= visit[from + 1];
        gathered2 |= visit[from + 2];
        gathered3 |= visit[from + 3];
        if ((~(gathered0 | seen0) | ~(gathered1 | seen1) | ~(gathered2 | seen2) | ~(gathered3 | seen3)) === 0) break;
      }
      read += j - start;
      const fresh0 = gathered0 & ~seen0;
      const fresh1 = gathered1 & ~seen1;
      const fresh2 = gathered2 & ~seen2;
      const fresh3 = gathered3 & ~seen3;
      state[base + 4] = fresh0;
      state[base + 5] = fresh1;
      state[base + 6] = fresh2;
      state[base + 7] = fresh3;
      if ((fresh0 | fresh1 | fresh2 | fresh3) !== 0) reachedNow[reachedSize++] = v;
    }
    bfs.arcsRead += read;
    return reachedSize;
  },
};

const stepsByWords: Record<number, Steps> = { 1: oneWordSteps, 2: twoWordSteps, 4: fourWordSteps };

export const msbfs32 = msbfsKernel({ wordsPerNode: 1, bottomUp: true });
export const msbfs64 = msbfsKernel({ wordsPerNode: 2, bottomUp: true });
export const msbfs128 = msbfsKernel({ wordsPerNode: 4, bottomUp: true });
