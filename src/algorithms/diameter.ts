/**
 * The exact diameter of a graph without a BFS from every node.
 *
 * Undirected graphs: iFUB (Crescenzi, Grossi, Habib, Lanzi, Marino, "On
 * computing the diameter of real-world undirected graphs", TCS 2013), run per
 * connected component. The diameter is the largest eccentricity over all
 * components (distances are finite only within one).
 *
 *   0. Seeds (optional, from the estimate's sampled BFS: seedsFromBatches): the
 *      largest eccentricity of the sampled sources is a lower bound from the
 *      start, and their farthest nodes are periphery candidates.
 *   1. The component of the highest-degree node goes first. Its BFS from the hub
 *      gives ecc(hub) <= diameter <= min(size - 1, 2 * ecc(hub)) and levels; if
 *      the hub leaves little fringe (see 4) it is the centre at once. Otherwise
 *      sweeps find better centres: a BFS from the periphery seed deepest from the
 *      hub (else the hub's farthest node), the midpoint of that longest path, and
 *      so on (the 4-sweep); the search stops as soon as the bounds meet or one
 *      candidate leaves little fringe. Every BFS is direction-optimizing.
 *   2. One sweep over the nodes not yet seen finds the other components (a BFS
 *      from the first unseen node of each) with a cheap bound each:
 *      ecc(first) <= diameter <= min(size - 1, 2 * ecc(first)). Components are
 *      taken in order of falling upper bound; one whose bound cannot beat the
 *      diameter found so far is skipped without a search (a component of k nodes
 *      has diameter <= k - 1). That prunes the thousands of small components of
 *      a social graph, and the seeds' lower bound prunes more.
 *   3. In a component that may still matter without seeds, the 4-sweep from
 *      its hub (hub -> a1 -> b1, midpoint r2 -> a2 -> b2, midpoint u4).
 *   4. From the centre's levels: any two nodes at levels <= i are at most 2i
 *      apart (through the centre). So the nodes of the deepest level are BFSed
 *      first, then the next level up, and so on: once the diameter found is at
 *      least 2 * (i - 1), no node above level i can beat it, and the search
 *      stops. The centre is the candidate with the fewest nodes left to do.
 *   5. Additions to the paper's iFUB, all plain bounds or heuristics: every BFS
 *      from w shows ecc(v) <= d(v, w) + ecc(w) for every v it reaches, so a
 *      fringe node already bounded by the diameter found needs no BFS of its
 *      own; before BFSing a fringe node of a level with several open ones, its
 *      ancestor two levels up is BFSed, since a more central node bounds a whole
 *      cluster of the fringe at once; and after a few such tries, the rest of a
 *      level's open nodes go 32 at a time through the bit-parallel multi-source
 *      kernel (msbfs32: a pass costs a few single BFS), with spare lanes taking
 *      unused periphery seeds. They matter on graphs of odd diameter 2i - 1,
 *      where iFUB must clear every node of level i (p2p-Gnutella31). R-MAT and
 *      social graphs stop after a handful of BFS.
 *
 * Directed graphs (largest finite distance over ordered pairs (s, t) with t
 * reachable from s): the bounds of iFUB / DiFUB only hold inside one strongly
 * connected component, and the largest finite distance often runs between
 * components, so there is no cheap exact method here. When n * arcs is below
 * DIRECTED_ALL_SOURCES_LIMIT (seconds of BFS), every node with an
 * out-arc is BFSed and the answer is exact. Larger directed graphs get a lower
 * bound from DIRECTED_SWEEPS forward sweeps (the highest out-degree node, then
 * the farthest node each sweep reached, alternating with seeded random nodes),
 * the upper bound n - 1 (a shortest path visits distinct nodes), and
 * exact = false.
 *
 * bfsRuns counts BFS sources (each lane of a multi-source pass is one); the
 * component-finding sweep of step 2 counts as one, whatever the number of
 * components.
 */
import type { Csr } from '../graph/csr.js';
import { mulberry32 } from '../stats/random.js';
import { kernels } from './kernels/index.js';
import type { BatchResult } from './kernels/types.js';

export interface DiameterOptions {
  /** Stop after this many seconds (checked between BFS runs) and return bounds only. */
  timeBudgetSeconds?: number;
  /** Called after each BFS run with the number done so far. */
  onProgress?: (bfsDone: number) => void;
  /** What the sampled BFS already knows (seedsFromBatches): a lower bound and where to start. */
  seeds?: DiameterSeeds;
  /** Run iFUB's larger batches of fringe nodes on the multi-source kernel (default true). */
  multiSource?: boolean;
}

/**
 * The sampled BFS's knowledge: eccentricities of its sources are lower bounds on
 * the diameter, and their farthest nodes lie on the periphery, where longest
 * shortest paths start.
 */
export interface DiameterSeeds {
  /** The largest eccentricity of the sampled sources. */
  lower: number;
  /** Farthest nodes of the sampled sources, most promising first. */
  periphery: ArrayLike<number>;
}

export interface DiameterResult {
  /** The diameter when exact; null when only bounds are known. */
  diameter: number | null;
  /** [lower, upper]; equal when exact. */
  bounds: [number, number];
  bfsRuns: number;
  exact: boolean;
  /** Why only bounds are known: the time budget ran out, or (directed) the graph is too large for a BFS from every node. Null when exact. */
  boundsReason: 'time budget' | 'too large for a BFS from every node' | null;
  /** Components that could not hold the diameter and got no search (their size or sweep bounds them); undirected only. */
  componentsSkipped: number;
}

/** Components this small are solved by a BFS from each node: cheaper than 4-sweep + iFUB. */
const SMALL_COMPONENT = 16;
/** The centre search stops at a centre that leaves at most this many fringe nodes (about one multi-source pass). */
const ENOUGH_WORK = 32;
/** Periphery seeds kept from the sampled BFS. */
const SEED_PERIPHERY = 64;
/** Fringe nodes of a level BFSed one at a time (with the ancestor rule) before the rest go in multi-source passes. */
const SEQUENTIAL_TRIES = 4;
/** Levels with at most this many open fringe nodes BFS them directly, without the ancestor rule. */
const DIRECT_ONLY = 2;
const BATCH_KERNEL = 'msbfs32';
const BATCH_LANES = 32;
const DEBUG = process.env.SMALLWORLD_DEBUG_DIAMETER === '1';
function debug(line: string): void {
  process.stderr.write(`diameter: ${line}\n`);
}
function levelSizes(starts: number[]): string {
  return starts.slice(1).map((s, i) => s - starts[i]).join(',');
}
/** Directed graphs with n * arcs below this get a BFS from every node (exact). */
export const DIRECTED_ALL_SOURCES_LIMIT = 5e9;
/** Forward sweeps for the lower bound of larger directed graphs (or fewer, if the budget runs out). */
export const DIRECTED_SWEEPS = 32;
const DIRECTED_SEED = 1;
/** Direction-optimizing switch (gapbs defaults, as kernels/dobfs.ts). */
const DO_ALPHA = 15;
const DO_BETA = 18;

/**
 * Direction-optimizing BFS (top-down, and bottom-up on the big middle levels of
 * an undirected graph: the switching rule of gapbs, as in kernels/dobfs.ts)
 * with scratch allocated once. After run(s), dist holds the distances from s of
 * the nodes reached (-1 elsewhere) and queue[0 .. reached) lists those nodes by
 * distance, so queue[reached - 1] is a farthest node. Both stay valid until the
 * next run, which first clears only what this one touched (a BFS inside a small
 * component costs the component, not n).
 */
class Bfs {
  readonly dist: Int32Array;
  readonly queue: Uint32Array;
  reached = 0;
  runs = 0;
  /** The source of the last run (dist and queue are its). */
  lastSource = -1;
  private readonly started = performance.now();
  /** Reached nodes, and the current level as a bitmap (bottom-up steps). */
  private readonly visited: Uint32Array;
  private front: Uint32Array;
  private nextFront: Uint32Array;
  private readonly tailMask: number;
  private readonly canBottomUp: boolean;

  constructor(
    private readonly csr: Csr,
    private readonly budgetMs: number,
    private readonly onProgress?: (bfsDone: number) => void,
  ) {
    const words = (csr.n + 31) >>> 5;
    this.dist = new Int32Array(csr.n).fill(-1);
    this.queue = new Uint32Array(csr.n);
    this.visited = new Uint32Array(words);
    this.front = new Uint32Array(words);
    this.nextFront = new Uint32Array(words);
    this.tailMask = csr.n % 32 === 0 ? 0 : ~((1 << csr.n % 32) - 1);
    this.canBottomUp = !csr.directed;
  }

  /** BFS from source; returns its eccentricity (within what it reaches). */
  run(source: number, counted = true): number {
    const { n, offsets, neighbours } = this.csr;
    const { dist, queue, visited } = this;
    const words = visited.length;
    if (this.reached > words) {
      dist.fill(-1);
      visited.fill(0);
    } else {
      for (let i = 0; i < this.reached; i++) {
        dist[queue[i]] = -1;
        visited[queue[i] >>> 5] = 0;
      }
    }
    visited[words - 1] |= this.tailMask;
    this.lastSource = source;
    dist[source] = 0;
    visited[source >>> 5] |= 1 << (source & 31);
    queue[0] = source;
    let head = 0;
    let tail = 1;
    let edgesToCheck = offsets[n];
    let scout = offsets[source + 1] - offsets[source];
    let bottomUp = false;
    let previousSize = 0;
    for (let level = 1; head < tail; level++) {
      const levelEnd = tail;
      if (this.canBottomUp && !bottomUp && scout > edgesToCheck / DO_ALPHA) {
        bottomUp = true;
        this.front.fill(0);
        for (let i = head; i < levelEnd; i++) this.front[queue[i] >>> 5] |= 1 << (queue[i] & 31);
        previousSize = levelEnd - head;
      }
      if (bottomUp) {
        const front = this.front;
        const nextFront = this.nextFront;
        nextFront.fill(0);
        for (let word = 0; word < words; word++) {
          let unvisited = ~visited[word];
          for (; unvisited !== 0; unvisited &= unvisited - 1) {
            const bit = unvisited & -unvisited;
            const v = (word << 5) | (31 - Math.clz32(bit));
            const end = offsets[v + 1];
            for (let j = offsets[v]; j < end; j++) {
              const u = neighbours[j];
              if ((front[u >>> 5] & (1 << (u & 31))) !== 0) {
                visited[word] |= bit;
                nextFront[word] |= bit;
                dist[v] = level;
                queue[tail++] = v;
                break;
              }
            }
          }
        }
        this.front = nextFront;
        this.nextFront = front;
        const size = tail - levelEnd;
        if (size < previousSize && size <= n / DO_BETA) {
          bottomUp = false;
          scout = 1;
        }
        previousSize = size;
      } else {
        edgesToCheck -= scout;
        scout = 0;
        for (let i = head; i < levelEnd; i++) {
          const u = queue[i];
          const end = offsets[u + 1];
          for (let j = offsets[u]; j < end; j++) {
            const v = neighbours[j];
            const bit = 1 << (v & 31);
            if ((visited[v >>> 5] & bit) === 0) {
              visited[v >>> 5] |= bit;
              dist[v] = level;
              queue[tail++] = v;
              scout += offsets[v + 1] - offsets[v];
            }
          }
        }
      }
      head = levelEnd;
    }
    this.reached = tail;
    if (counted) this.count();
    return dist[queue[tail - 1]];
  }

  count(): void {
    this.runs++;
    this.onProgress?.(this.runs);
  }

  /** starts[d] = index in queue of the first node at distance d (starts[ecc + 1] = reached). */
  levelStarts(): number[] {
    const ecc = this.dist[this.queue[this.reached - 1]];
    const starts = new Array<number>(ecc + 2).fill(this.reached);
    for (let i = this.reached - 1; i >= 0; i--) starts[this.dist[this.queue[i]]] = i;
    return starts;
  }

  farthest(): number {
    return this.queue[this.reached - 1];
  }

  outOfTime(): boolean {
    return performance.now() - this.started > this.budgetMs;
  }

  /**
   * A node at distance floor(ecc / 2) from the last source on a shortest path
   * to `to` (an undirected graph, and `to` reached by the last run).
   */
  midpoint(to: number): number {
    const { offsets, neighbours } = this.csr;
    const dist = this.dist;
    const target = dist[to] >> 1;
    let x = to;
    while (dist[x] > target) {
      const want = dist[x] - 1;
      for (let j = offsets[x]; ; j++) {
        if (dist[neighbours[j]] === want) {
          x = neighbours[j];
          break;
        }
      }
    }
    return x;
  }
}

export function exactDiameter(csr: Csr, opts: DiameterOptions = {}): DiameterResult {
  const budgetMs = opts.timeBudgetSeconds === undefined ? Infinity : opts.timeBudgetSeconds * 1000;
  if (csr.n === 0) return { diameter: 0, bounds: [0, 0], bfsRuns: 0, exact: true, boundsReason: null, componentsSkipped: 0 };
  const bfs = new Bfs(csr, budgetMs, opts.onProgress);
  const seeds = opts.seeds ? checkedSeeds(csr, opts.seeds) : null;
  return csr.directed ? directedDiameter(csr, bfs, seeds) : undirectedDiameter(csr, bfs, seeds, opts.multiSource ?? true);
}

/**
 * What the sampled BFS knows, for exactDiameter: the largest eccentricity of
 * its sources and the farthest node of each, the periphery taken in falling
 * order of its source's eccentricity (ties by node, so the order does not
 * depend on how the sources were batched), without repeats, at most `limit`.
 * Null when the batches carry no eccentricities.
 */
export function seedsFromBatches(batches: ReadonlyArray<Pick<BatchResult, 'eccentricity' | 'farthest'>>, limit = SEED_PERIPHERY): DiameterSeeds | null {
  let lower = -1;
  const pairs: Array<[number, number]> = [];
  for (const b of batches) {
    for (let i = 0; i < b.eccentricity.length; i++) {
      const ecc = b.eccentricity[i];
      if (ecc > lower) lower = ecc;
      if (b.farthest && ecc > 0) pairs.push([ecc, b.farthest[i]]);
    }
  }
  if (lower < 0) return null;
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const periphery: number[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < pairs.length && periphery.length < limit; i++) {
    if (taken.has(pairs[i][1])) continue;
    taken.add(pairs[i][1]);
    periphery.push(pairs[i][1]);
  }
  return { lower, periphery };
}

/** Seeds as given, minus periphery nodes outside the graph (a bad seed must not break the search; the lower bound is trusted). */
function checkedSeeds(csr: Csr, seeds: DiameterSeeds): DiameterSeeds {
  const periphery: number[] = [];
  for (let i = 0; i < seeds.periphery.length; i++) {
    const v = seeds.periphery[i];
    if (Number.isInteger(v) && v >= 0 && v < csr.n) periphery.push(v);
  }
  return { lower: Math.max(0, Math.floor(seeds.lower) || 0), periphery };
}

function finish(lower: number, upper: number, bfs: Bfs, why: DiameterResult['boundsReason'] = 'time budget', componentsSkipped = 0): DiameterResult {
  const exact = lower >= upper;
  return { diameter: exact ? lower : null, bounds: [lower, exact ? lower : upper], bfsRuns: bfs.runs, exact, boundsReason: exact ? null : why, componentsSkipped };
}

/** A component that may hold the diameter: a node of it, its size, its highest-degree node, its upper bound. */
interface Component {
  start: number;
  size: number;
  hub: number;
  upper: number;
}

function highestDegree(csr: Csr): number {
  const { n, offsets } = csr;
  let hub = 0;
  for (let v = 1; v < n; v++) if (offsets[v + 1] - offsets[v] > offsets[hub + 1] - offsets[hub]) hub = v;
  return hub;
}

function undirectedDiameter(csr: Csr, bfs: Bfs, seeds: DiameterSeeds | null, multiSource: boolean): DiameterResult {
  let lower = seeds ? seeds.lower : 0;
  const search = new FringeSearch(csr, bfs, seeds ? seeds.periphery : [], multiSource);
  const seen = new Uint8Array(csr.n);

  // 1. First the component most likely to hold the diameter, that of the highest-degree node: its
  // search raises `lower` so far that most other components need no search.
  const first = highestDegree(csr);
  const main: Component = { start: first, size: 0, hub: first, upper: csr.n - 1 };
  lower = search.ifub(main, lower, seen);
  if (main.upper > lower) return finish(lower, Math.max(main.upper, csr.n - main.size - 1), bfs);

  // 2. The other components, found by one sweep over the nodes not yet seen.
  const { open, lower: sweepLower, settled } = findComponents(csr, bfs, seen);
  lower = Math.max(lower, sweepLower);
  let skipped = settled;
  // Most promising first: once one cannot beat `lower`, neither can any after it.
  open.sort((a, b) => b.upper - a.upper);
  let c = 0;
  for (; c < open.length && open[c].upper > lower; c++) {
    const comp = open[c];
    lower = comp.size <= SMALL_COMPONENT ? search.everyNode(comp, lower) : search.ifub(comp, lower);
    if (comp.upper > lower) {
      // Out of time: this component and the next (the largest bound left) may still beat `lower`.
      const next = c + 1 < open.length ? open[c + 1].upper : 0;
      return finish(lower, Math.max(comp.upper, next), bfs, 'time budget', skipped);
    }
  }
  // A component of k nodes has diameter <= k - 1 (and <= 2 ecc of any node): the rest cannot beat `lower`.
  skipped += open.length - c;
  return finish(lower, lower, bfs, 'time budget', skipped);
}

/**
 * One sweep over the nodes not yet seen: a BFS from the first unseen node of
 * each component. Components that the sweep settles (ecc(first) = its upper
 * bound, as for every component of one or two nodes and every path seen from
 * an end) only raise `lower`; the others are returned to be searched.
 */
function findComponents(csr: Csr, bfs: Bfs, seen: Uint8Array): { open: Component[]; lower: number; settled: number } {
  const { n, offsets } = csr;
  const queue = bfs.queue;
  const open: Component[] = [];
  let lower = 0;
  let settled = 0;
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
    if (offsets[start + 1] === offsets[start]) {
      seen[start] = 1; // an isolated node: diameter 0, no BFS needed
      settled++;
      continue;
    }
    const ecc = bfs.run(start, false);
    const size = bfs.reached;
    let hub = start;
    for (let i = 0; i < size; i++) {
      const v = queue[i];
      seen[v] = 1;
      if (offsets[v + 1] - offsets[v] > offsets[hub + 1] - offsets[hub]) hub = v;
    }
    // Every node is within ecc of start, so no two are more than 2 * ecc apart.
    const upper = Math.min(size - 1, 2 * ecc);
    if (ecc > lower) lower = ecc;
    if (upper > ecc) open.push({ start, size, hub, upper });
    else settled++;
  }
  bfs.count();
  return { open, lower, settled };
}

/**
 * The search inside one component, with scratch shared by all components
 * (they are disjoint, so nothing needs clearing between them).
 */
class FringeSearch {
  /** The component's nodes in BFS order from the centre. */
  private readonly levels: Uint32Array;
  /** Distance from the centre. */
  private readonly levelOf: Int32Array;
  /** The least d(v, w) + ecc(w) over the sources w BFSed so far: ecc(v) cannot exceed it. */
  private readonly eccUpper: Int32Array;
  /** 1 once v has been a BFS source. */
  private readonly sourced: Uint8Array;
  /** The multi-source kernel for batches of fringe nodes (made on first use). */
  private batchRun: ((sources: ArrayLike<number>) => BatchResult) | null = null;
  /** Next unused periphery seed (spare lanes of a batch take them). */
  private nextSeed = 0;

  constructor(
    private readonly csr: Csr,
    private readonly bfs: Bfs,
    private readonly periphery: ArrayLike<number>,
    private readonly multiSource: boolean,
  ) {
    this.levels = new Uint32Array(csr.n);
    this.levelOf = new Int32Array(csr.n);
    this.eccUpper = new Int32Array(csr.n).fill(0x7fffffff);
    this.sourced = new Uint8Array(csr.n);
  }

  /** A tiny component: a BFS from each node costs less than the sweeps. */
  everyNode(comp: Component, lower: number): number {
    const { bfs, levels } = this;
    bfs.run(comp.start);
    levels.set(bfs.queue.subarray(0, comp.size));
    for (let i = 0; i < comp.size && lower < comp.upper; i++) {
      if (bfs.outOfTime()) return lower;
      lower = Math.max(lower, bfs.run(levels[i]));
    }
    comp.upper = Math.min(comp.upper, lower);
    return lower;
  }

  /** BFS from v; returns ecc(v) after tightening every reached node's eccUpper. */
  private source(v: number): number {
    const { bfs, eccUpper } = this;
    const { dist, queue } = bfs;
    const ecc = bfs.run(v);
    this.sourced[v] = 1;
    for (let i = 0; i < bfs.reached; i++) {
      const w = queue[i];
      const bound = dist[w] + ecc;
      if (bound < eccUpper[w]) eccUpper[w] = bound;
    }
    return ecc;
  }

  /**
   * iFUB on one component. Returns the new lower bound; leaves comp.upper at
   * the component's bound (<= the returned value unless time ran out).
   *
   * The first BFS is from comp.hub. seen: mark the component's nodes there, and
   * set comp.size and comp.hub (the first component, found by this search
   * rather than by findComponents).
   */
  ifub(comp: Component, lower: number, seen?: Uint8Array): number {
    const { bfs, levels, levelOf, eccUpper } = this;
    const { dist, queue } = bfs;
    const { offsets } = this.csr;

    // The component from its first BFS (never cut short by the budget: it bounds the rest).
    const firstEcc = this.source(comp.hub);
    if (seen) {
      comp.size = bfs.reached;
      let hub = comp.start;
      for (let i = 0; i < comp.size; i++) {
        const v = queue[i];
        seen[v] = 1;
        if (offsets[v + 1] - offsets[v] > offsets[hub + 1] - offsets[hub]) hub = v;
      }
      comp.hub = hub;
    }
    comp.upper = Math.min(comp.upper, comp.size - 1, 2 * firstEcc);
    lower = Math.max(lower, firstEcc);
    if (comp.upper <= lower) return lower;

    // Sweeps (from the hub: 4-sweep, hub -> a1 -> b1, midpoint r2 -> a2 -> b2, midpoint u4; from a
    // periphery node p: p -> b, midpoint r -> a2 -> b2, midpoint u). The hub, r2 / r and u4 / u are
    // candidate centres; the far ends' eccentricities are lower bounds. The centre search stops as soon
    // as one leaves little fringe (see work below).
    const centres: Array<{ node: number; starts: number[] }> = [];
    const firstSkipped = () => (lower >> 1) + 1;
    // The fringe search from a centre must visit every node at level floor(lower / 2) + 1 or deeper (see
    // below), so take the centre with the fewest.
    const work = (starts: number[]) => comp.size - (starts[firstSkipped()] ?? comp.size);
    let candidate: number;
    // The hub is the first candidate (it was the first BFS); when it leaves too much fringe, sweeps
    // from a periphery seed (or the hub's farthest node) give midpoints as the next candidates.
    centres.push({ node: comp.hub, starts: bfs.levelStarts() });
    if (DEBUG) debug(`hub ${comp.hub} ecc ${firstEcc} lower ${lower} work ${work(centres[0].starts)} levels ${levelSizes(centres[0].starts)}`);
    if (work(centres[0].starts) > ENOUGH_WORK) {
      if (bfs.outOfTime()) return lower;
      // The periphery seed deepest from the hub (the first of them on ties), else the hub's farthest node.
      let far = bfs.farthest();
      let best = -1;
      for (let i = 0; i < this.periphery.length; i++) {
        const p = this.periphery[i];
        if (dist[p] > best && !this.sourced[p]) {
          best = dist[p];
          far = p;
        }
      }
      // A higher lower bound shrinks every candidate's fringe: stop once one leaves little (or none).
      const enough = () => centres.some((c) => work(c.starts) <= ENOUGH_WORK);
      for (;;) {
        lower = Math.max(lower, this.source(centres.length === 1 ? far : bfs.farthest()));
        if (comp.upper <= lower) return lower;
        if (enough()) break;
        candidate = bfs.midpoint(bfs.farthest());
        if (bfs.outOfTime()) return lower;
        const ecc = this.source(candidate);
        centres.push({ node: candidate, starts: bfs.levelStarts() });
        comp.upper = Math.min(comp.upper, 2 * ecc);
        if (DEBUG) debug(`candidate ${candidate} lower ${lower} work ${work(centres[centres.length - 1].starts)} levels ${levelSizes(centres[centres.length - 1].starts)}`);
        if (comp.upper <= lower) return lower;
        if (centres.length === 3 || enough()) break;
        if (bfs.outOfTime()) return lower;
      }
    }
    let centre = centres[centres.length - 1];
    for (const c of centres) if (work(c.starts) < work(centre.starts)) centre = c;
    if (bfs.lastSource !== centre.node) {
      if (bfs.outOfTime()) return lower;
      this.source(centre.node);
    }
    const starts = centre.starts;
    const eccCentre = starts.length - 2;
    levels.set(queue.subarray(0, comp.size));
    for (let i = 0; i < comp.size; i++) levelOf[levels[i]] = dist[levels[i]];
    lower = Math.max(lower, eccCentre);
    comp.upper = Math.min(comp.upper, 2 * eccCentre);

    // Deepest level first. Before level i, every deeper node has ecc <= lower
    // (BFSed, or bounded by eccUpper), and any two nodes at levels <= i are at
    // most 2i apart through the centre; so the component's diameter is at
    // most max(lower, 2i).
    for (let level = eccCentre; level >= 1 && lower < comp.upper; level--) {
      comp.upper = Math.min(comp.upper, Math.max(lower, 2 * level));
      let open = 0;
      for (let i = starts[level]; i < starts[level + 1]; i++) if (eccUpper[levels[i]] > lower) open++;
      if (DEBUG) debug(`level ${level}: ${starts[level + 1] - starts[level]} nodes, ${open} open; lower ${lower} upper ${comp.upper}; ${bfs.runs} runs`);
      // The ancestor rule pays when it bounds several fringe nodes at once, not for one or two.
      const ancestors = open > DIRECT_ONLY;
      let tried = 0;
      for (let i = starts[level]; i < starts[level + 1] && lower < comp.upper; i++) {
        const x = levels[i];
        if (eccUpper[x] <= lower) continue;
        if (bfs.outOfTime()) return lower;
        if (this.multiSource && tried >= SEQUENTIAL_TRIES) {
          // Many nodes of this level are still open: BFS them `lanes` at a time on the multi-source kernel.
          const batchLower = this.batches(levels, i, starts[level + 1], lower, comp.upper);
          if (batchLower === null) return lower;
          lower = batchLower;
          break;
        }
        tried++;
        // First try x's ancestor two levels up: more central, so its BFS often
        // bounds x and a whole cluster of its fringe neighbours at once.
        const ancestor = ancestors ? this.parent(this.parent(x)) : x;
        if (ancestor !== x && !this.sourced[ancestor]) {
          lower = Math.max(lower, this.source(ancestor));
          if (eccUpper[x] <= lower) continue;
          if (bfs.outOfTime()) return lower;
        }
        lower = Math.max(lower, this.source(x));
      }
      comp.upper = Math.min(comp.upper, Math.max(lower, 2 * (level - 1)));
    }
    comp.upper = Math.min(comp.upper, lower);
    return lower;
  }

  /**
   * The open nodes of levels[from .. to) (eccUpper > lower), BFSed in passes of
   * BATCH_LANES on the multi-source kernel; spare lanes of the last pass take
   * unused periphery seeds, whose eccentricities may raise `lower` enough to
   * stop. Returns the new lower bound, or null when time ran out first.
   */
  private batches(levels: Uint32Array, from: number, to: number, lower: number, upper: number): number | null {
    const { bfs, eccUpper, sourced } = this;
    if (!this.batchRun) this.batchRun = kernels[BATCH_KERNEL](this.csr);
    const batch: number[] = [];
    let i = from;
    while (lower < upper) {
      batch.length = 0;
      for (; i < to && batch.length < BATCH_LANES; i++) {
        const x = levels[i];
        if (eccUpper[x] > lower && !sourced[x]) batch.push(x);
      }
      if (batch.length === 0) break;
      while (batch.length < BATCH_LANES && this.nextSeed < this.periphery.length) {
        const p = this.periphery[this.nextSeed++];
        if (!sourced[p]) batch.push(p);
      }
      if (bfs.outOfTime()) return null;
      const r = this.batchRun(batch);
      for (let k = 0; k < batch.length; k++) {
        sourced[batch[k]] = 1;
        if (r.eccentricity[k] < eccUpper[batch[k]]) eccUpper[batch[k]] = r.eccentricity[k];
        bfs.count();
      }
      lower = Math.max(lower, r.maxDistance);
    }
    return lower;
  }

  /** x's highest-degree neighbour one level closer to the centre (x itself for the centre). */
  private parent(x: number): number {
    const { offsets, neighbours } = this.csr;
    const levelOf = this.levelOf;
    let best = x;
    let bestDegree = -1;
    for (let j = offsets[x]; j < offsets[x + 1]; j++) {
      const y = neighbours[j];
      const degree = offsets[y + 1] - offsets[y];
      if (levelOf[y] === levelOf[x] - 1 && degree > bestDegree) {
        best = y;
        bestDegree = degree;
      }
    }
    return best;
  }
}

function directedDiameter(csr: Csr, bfs: Bfs, seeds: DiameterSeeds | null): DiameterResult {
  const { n, offsets } = csr;
  const arcs = offsets[n];
  let lower = 0;

  if (n * arcs < DIRECTED_ALL_SOURCES_LIMIT) {
    for (let s = 0; s < n; s++) {
      if (offsets[s + 1] === offsets[s]) continue; // a sink reaches nothing
      if (bfs.outOfTime()) return finish(lower, n - 1, bfs);
      lower = Math.max(lower, bfs.run(s));
    }
    return finish(lower, lower, bfs);
  }

  // Too large for every source: sweeps give a lower bound only (and the sampled sources' eccentricities).
  if (seeds) lower = seeds.lower;
  const hub = highestDegree(csr);
  const rand = mulberry32(DIRECTED_SEED);
  let source = hub;
  for (let sweep = 0; sweep < DIRECTED_SWEEPS; sweep++) {
    if (bfs.outOfTime()) break;
    lower = Math.max(lower, bfs.run(source));
    source = sweep % 2 === 0 ? bfs.farthest() : Math.floor(rand() * n);
  }
  return finish(lower, Math.max(lower, n - 1), bfs, bfs.outOfTime() ? 'time budget' : 'too large for a BFS from every node');
}
