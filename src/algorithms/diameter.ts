/**
 * The exact diameter of a graph without a BFS from every node.
 *
 * Undirected graphs: iFUB (Crescenzi, Grossi, Habib, Lanzi, Marino, "On
 * computing the diameter of real-world undirected graphs", TCS 2013), run per
 * connected component. The diameter is the largest eccentricity over all
 * components (distances are finite only within one).
 *
 *   1. One sweep over the whole graph finds the components (a BFS from the
 *      first unseen node of each). It also gives each component a cheap bound:
 *      ecc(first) <= diameter <= min(size - 1, 2 * ecc(first)).
 *   2. Components are taken in order of falling upper bound; one whose upper
 *      bound cannot beat the diameter found so far is skipped without a BFS.
 *      That prunes the thousands of small components of a social graph.
 *   3. In a component that may still matter: a 4-sweep from its highest-degree
 *      node gives good lower bounds (ecc of the far ends) and candidate centres
 *      (the hub and the two midpoints); the centre with the fewest deep nodes
 *      is taken, and its BFS gives levels. Any two nodes at levels <= i are at
 *      most 2i apart (through the centre). So the nodes of the deepest level
 *      are BFSed first, then the next level up, and so on: once the diameter
 *      found is at least 2 * (i - 1), no node above level i can beat it, and
 *      the search stops.
 *   4. Three additions to the paper's iFUB, all plain bounds or heuristics:
 *      the centre is chosen among three candidates as above (the paper takes
 *      the 4-sweep midpoint); every BFS from w shows ecc(v) <= d(v, w) + ecc(w)
 *      for every v it reaches, so a fringe node already bounded by the
 *      diameter found needs no BFS of its own; and before BFSing a fringe
 *      node, its ancestor two levels up is BFSed, since a more central node
 *      bounds a whole cluster of the fringe at once. They matter on graphs of
 *      odd diameter 2i - 1, where iFUB must clear every node of level i:
 *      p2p-Gnutella31 takes ~8000 BFS with the first bound alone, ~2500 with
 *      the centre choice, ~500 with all three. Social graphs and R-MAT stop
 *      after a dozen BFS or fewer.
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
 * bfsRuns counts full BFS traversals; the component-finding sweep of step 1
 * counts as one, whatever the number of components.
 */
import type { Csr } from '../graph/csr.js';
import { mulberry32 } from '../stats/random.js';

export interface DiameterOptions {
  /** Stop after this many seconds (checked between BFS runs) and return bounds only. */
  timeBudgetSeconds?: number;
  /** Called after each BFS run with the number done so far. */
  onProgress?: (bfsDone: number) => void;
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
}

/** Components this small are solved by a BFS from each node: cheaper than 4-sweep + iFUB. */
const SMALL_COMPONENT = 16;
/** Directed graphs with n * arcs below this get a BFS from every node (exact). */
export const DIRECTED_ALL_SOURCES_LIMIT = 5e9;
/** Forward sweeps for the lower bound of larger directed graphs (or fewer, if the budget runs out). */
export const DIRECTED_SWEEPS = 32;
const DIRECTED_SEED = 1;

/**
 * Plain top-down BFS with scratch allocated once. After run(s), dist holds the
 * distances from s of the nodes reached (-1 elsewhere) and queue[0 .. reached)
 * lists those nodes by distance, so queue[reached - 1] is a farthest node. Both
 * stay valid until the next run, which first clears only what this one touched
 * (a BFS inside a small component costs the component, not n).
 */
class Bfs {
  readonly dist: Int32Array;
  readonly queue: Uint32Array;
  reached = 0;
  runs = 0;
  private readonly started = performance.now();

  constructor(
    private readonly csr: Csr,
    private readonly budgetMs: number,
    private readonly onProgress?: (bfsDone: number) => void,
  ) {
    this.dist = new Int32Array(csr.n).fill(-1);
    this.queue = new Uint32Array(csr.n);
  }

  /** BFS from source; returns its eccentricity (within what it reaches). */
  run(source: number, counted = true): number {
    const { offsets, neighbours } = this.csr;
    const dist = this.dist;
    const queue = this.queue;
    for (let i = 0; i < this.reached; i++) dist[queue[i]] = -1;
    dist[source] = 0;
    queue[0] = source;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const u = queue[head++];
      const next = dist[u] + 1;
      const end = offsets[u + 1];
      for (let j = offsets[u]; j < end; j++) {
        const v = neighbours[j];
        if (dist[v] < 0) {
          dist[v] = next;
          queue[tail++] = v;
        }
      }
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
  if (csr.n === 0) return { diameter: 0, bounds: [0, 0], bfsRuns: 0, exact: true, boundsReason: null };
  const bfs = new Bfs(csr, budgetMs, opts.onProgress);
  return csr.directed ? directedDiameter(csr, bfs) : undirectedDiameter(csr, bfs);
}

function finish(lower: number, upper: number, bfs: Bfs, why: DiameterResult['boundsReason'] = 'time budget'): DiameterResult {
  const exact = lower >= upper;
  return { diameter: exact ? lower : null, bounds: [lower, exact ? lower : upper], bfsRuns: bfs.runs, exact, boundsReason: exact ? null : why };
}

/** A component that may hold the diameter: a node of it, its size, its highest-degree node, its upper bound. */
interface Component {
  start: number;
  size: number;
  hub: number;
  upper: number;
}

function undirectedDiameter(csr: Csr, bfs: Bfs): DiameterResult {
  const { open, lower: firstLower } = findComponents(csr, bfs);
  let lower = firstLower;
  // Most promising first: once one cannot beat `lower`, neither can any after it.
  open.sort((a, b) => b.upper - a.upper);
  const search = new FringeSearch(csr, bfs);
  for (let c = 0; c < open.length && open[c].upper > lower; c++) {
    const comp = open[c];
    lower = comp.size <= SMALL_COMPONENT ? search.everyNode(comp, lower) : search.ifub(comp, lower);
    if (comp.upper > lower) {
      // Out of time: this component and the next (the largest bound left) may still beat `lower`.
      const next = c + 1 < open.length ? open[c + 1].upper : 0;
      return finish(lower, Math.max(comp.upper, next), bfs);
    }
  }
  return finish(lower, lower, bfs);
}

/**
 * One sweep over the graph: a BFS from the first unseen node of each component.
 * Components that the sweep settles (ecc(first) = its upper bound, as for every
 * component of one or two nodes and every path seen from an end) only raise
 * `lower`; the others are returned to be searched.
 */
function findComponents(csr: Csr, bfs: Bfs): { open: Component[]; lower: number } {
  const { n, offsets } = csr;
  const queue = bfs.queue;
  const seen = new Uint8Array(n);
  const open: Component[] = [];
  let lower = 0;
  for (let start = 0; start < n; start++) {
    if (seen[start]) continue;
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
  }
  bfs.count();
  return { open, lower };
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

  constructor(
    private readonly csr: Csr,
    private readonly bfs: Bfs,
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
   */
  ifub(comp: Component, lower: number): number {
    const { bfs, levels, levelOf, eccUpper } = this;
    const { dist, queue } = bfs;

    // 4-sweep: hub -> a1 -> b1, midpoint r2 -> a2 -> b2, midpoint u4. The hub,
    // r2 and u4 are the candidate centres; ecc(a1), ecc(a2) are lower bounds.
    const centres: Array<{ node: number; starts: number[] }> = [];
    let candidate = comp.hub;
    for (let round = 0; ; round++) {
      if (bfs.outOfTime()) return lower;
      this.source(candidate);
      centres.push({ node: candidate, starts: bfs.levelStarts() });
      if (round === 2) break;
      if (bfs.outOfTime()) return lower;
      lower = Math.max(lower, this.source(bfs.farthest()));
      candidate = bfs.midpoint(bfs.farthest());
    }
    const u4 = candidate;

    // The fringe search from a centre must visit every node deeper than
    // floor(lower / 2) + 1 levels (see below), so take the centre with the fewest.
    const firstSkipped = (lower >> 1) + 1;
    const work = (starts: number[]) => comp.size - (starts[firstSkipped] ?? comp.size);
    let centre = centres[centres.length - 1];
    for (const c of centres) if (work(c.starts) < work(centre.starts)) centre = c;
    if (centre.node !== u4) {
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
      for (let i = starts[level]; i < starts[level + 1] && lower < comp.upper; i++) {
        const x = levels[i];
        if (eccUpper[x] <= lower) continue;
        if (bfs.outOfTime()) return lower;
        // First try x's ancestor two levels up: more central, so its BFS often
        // bounds x and a whole cluster of its fringe neighbours at once.
        const ancestor = this.parent(this.parent(x));
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

function directedDiameter(csr: Csr, bfs: Bfs): DiameterResult {
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

  // Too large for every source: sweeps give a lower bound only.
  let hub = 0;
  for (let v = 1; v < n; v++) if (offsets[v + 1] - offsets[v] > offsets[hub + 1] - offsets[hub]) hub = v;
  const rand = mulberry32(DIRECTED_SEED);
  let source = hub;
  for (let sweep = 0; sweep < DIRECTED_SWEEPS; sweep++) {
    if (bfs.outOfTime()) break;
    lower = Math.max(lower, bfs.run(source));
    source = sweep % 2 === 0 ? bfs.farthest() : Math.floor(rand() * n);
  }
  return finish(lower, Math.max(lower, n - 1), bfs, bfs.outOfTime() ? 'time budget' : 'too large for a BFS from every node');
}
