/**
 * The compact graph: CSR (compressed sparse row) in typed arrays over
 * SharedArrayBuffer, so every worker thread reads the same memory.
 *
 *   neighbours[offsets[v] .. offsets[v+1]) = the sorted, distinct neighbours of v
 *
 * Undirected graphs store each edge both ways; directed graphs store out-arcs.
 * Cost: 4 bytes per stored adjacency entry + 4 bytes per node (+ the id table).
 */
import type { EdgeBuffer } from './edges.js';
import { checkArcs, checkNodes, MAX_ARCS } from './limits.js';

export interface Csr {
  /** Number of nodes. */
  n: number;
  directed: boolean;
  /** Length n + 1. */
  offsets: Uint32Array;
  /** Length offsets[n] (number of stored arcs). */
  neighbours: Uint32Array;
}

/** What a worker thread receives once: the shared buffers, never a copy. */
export interface SharedCsr {
  n: number;
  directed: boolean;
  offsets: SharedArrayBuffer;
  neighbours: SharedArrayBuffer;
}

export interface BuildStats {
  /** Distinct edges kept: undirected pairs {u,v}, or arcs (u,v) when directed. */
  edges: number;
  /** Input edges dropped because they repeat a kept edge (a reverse pair counts as a repeat when undirected). */
  duplicates: number;
  /** Input edges dropped because both ends are the same node. */
  selfLoops: number;
}

/** Lists up to this length are sorted by insertion sort in place; longer ones by TypedArray sort. */
const INSERTION_MAX = 48;

/**
 * Builds the CSR from index pairs: count degrees, scatter each arc into its
 * source's list, then make each list sorted and distinct. Lists that arrive
 * sorted (files sorted by source, as SNAP and most exports are) only get a
 * linear check; short ones are insertion-sorted; long ones use the native
 * TypedArray sort. Self-loops are counted and skipped. The edge buffer is
 * released right after the scatter, so the raw pairs and the lists are the only
 * big arrays alive together.
 *
 * Limits (src/graph/limits.ts): at most MAX_ARCS = 2^32 - 1 adjacency entries
 * before repeats are removed (offsets and positions are u32). The entries are
 * counted in a JS number, exact to 2^53, before the u32 degree counts could
 * wrap and before the neighbour array is allocated; beyond the limit a
 * LimitError names it (`file`, when given, names the input). `maxArcs` is
 * for tests only.
 */
export function buildCsr(
  edges: EdgeBuffer,
  n: number,
  directed: boolean,
  file?: string,
  maxArcs = MAX_ARCS,
): { csr: Csr; stats: BuildStats } {
  checkNodes(n, file);
  const pieces = edges.pieces();
  checkPairs(pieces, directed, file, maxArcs);
  const start = new Uint32Array(n + 1);
  const selfLoops = countDegrees(pieces, start, directed);
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const raw = start[n]; // below 2^32: checked above, so no count wrapped

  // One range holding every node: the parallel build's task, done here.
  const neighbours = new Uint32Array(new SharedArrayBuffer(4 * raw));
  const offsets = new Uint32Array(new SharedArrayBuffer(4 * (n + 1)));
  const write = buildRange(pieces, start, neighbours, offsets, 0, n, directed);
  offsets[n] = write;
  edges.release();

  return finished(n, directed, offsets, neighbours, raw, write, selfLoops);
}

/** The arcs `pieces` will give (every pair but the self-loops, twice when undirected) must fit the limit; counted in a type that cannot wrap. Returns the pairs. */
function checkPairs(pieces: ReadonlyArray<readonly [Uint32Array, number]>, directed: boolean, file: string | undefined, maxArcs: number): number {
  let pairsTotal = 0;
  for (const [, pairs] of pieces) pairsTotal += pairs;
  if ((directed ? 1 : 2) * pairsTotal <= maxArcs) return pairsTotal;
  // Only now are self-loops worth counting: they are dropped, so they do not count against the limit.
  let loops = 0;
  for (const [chunk, pairs] of pieces) for (let i = 0; i < pairs * 2; i += 2) if (chunk[i] === chunk[i + 1]) loops++;
  checkArcs((directed ? 1 : 2) * (pairsTotal - loops), 'the edge list (repeated edges included) gives', file, maxArcs);
  return pairsTotal;
}

/** Builds with more than one thread from this many stored arcs (repeats included) on. */
export const PARALLEL_BUILD_MIN_ARCS = 1 << 20;

/** One thread's share of a parallel build: the lists of nodes [lo, hi). */
export interface BuildRangeTask {
  kind: 'build';
  /** The raw pairs, in file order: [buffer, byteOffset, pairs]. */
  pieces: Array<[SharedArrayBuffer, number, number]>;
  /** Length n + 1: where each node's list starts before repeats are removed. */
  start: SharedArrayBuffer;
  neighbours: SharedArrayBuffer;
  offsets: SharedArrayBuffer;
  lo: number;
  hi: number;
  directed: boolean;
}

/**
 * The lists of nodes [lo, hi) of a parallel build: scatters the arcs whose
 * list is in the range (reading every pair, in file order, so each list gets
 * its entries in the same order as the one-thread build), then sorts each list
 * and drops repeats, packing the range's lists from start[lo] on. Sets
 * offsets[lo..hi) relative to that packed layout (as if the range began the
 * array) and returns the number of entries kept. Only neighbours[start[lo],
 * start[hi]) and offsets[lo, hi) are written, so ranges run side by side.
 */
export function buildRange(
  pieces: ReadonlyArray<readonly [Uint32Array, number]>,
  start: Uint32Array,
  neighbours: Uint32Array,
  offsets: Uint32Array,
  lo: number,
  hi: number,
  directed: boolean,
): number {
  const base = start[lo];
  const fill = start.slice(lo, hi);
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) continue;
      if (u >= lo && u < hi) neighbours[fill[u - lo]++] = v;
      if (!directed && v >= lo && v < hi) neighbours[fill[v - lo]++] = u;
    }
  }
  let write = base;
  for (let u = lo; u < hi; u++) {
    const from = start[u];
    const to = start[u + 1];
    offsets[u] = write - base;
    if (to - from > 1) sortList(neighbours, from, to);
    let prev = -1;
    for (let j = from; j < to; j++) {
      const x = neighbours[j];
      if (x !== prev) {
        neighbours[write++] = x;
        prev = x;
      }
    }
  }
  return write - base;
}

/** One thread's share of the degree count of a parallel build: some of the pieces. */
export interface CountTask {
  kind: 'count';
  pieces: Array<[SharedArrayBuffer, number, number]>;
  /** Length n + 1, zeros: degrees[v + 1] gets v's arcs (buildCsr's `start` layout). */
  degrees: SharedArrayBuffer;
  directed: boolean;
}

/** Counts the arcs of `pieces` into degrees[v + 1], self-loops left out; returns the self-loops. */
export function countDegrees(pieces: ReadonlyArray<readonly [Uint32Array, number]>, degrees: Uint32Array, directed: boolean): number {
  let selfLoops = 0;
  for (const [chunk, pairs] of pieces) {
    for (let i = 0; i < pairs * 2; i += 2) {
      const u = chunk[i];
      const v = chunk[i + 1];
      if (u === v) {
        selfLoops++;
        continue;
      }
      degrees[u + 1]++;
      if (!directed) degrees[v + 1]++;
    }
  }
  return selfLoops;
}

/** Does one task of a parallel build where it is received (a parse worker, or inline in tests). */
export function runBuildTask(task: BuildRangeTask | CountTask): number {
  const pieces = task.pieces.map(([buffer, byteOffset, pairs]) => [new Uint32Array(buffer, byteOffset, 2 * pairs), pairs] as const);
  if (task.kind === 'count') return countDegrees(pieces, new Uint32Array(task.degrees), task.directed);
  return buildRange(pieces, new Uint32Array(task.start), new Uint32Array(task.neighbours), new Uint32Array(task.offsets), task.lo, task.hi, task.directed);
}

/** Runs one task of a parallel build somewhere (a worker pool, or inline in tests); both kinds answer a count. */
export type RunBuildRange = (task: BuildRangeTask | CountTask) => Promise<number>;

/**
 * buildCsr on `parts` threads: the same graph and stats, bit for bit. Each
 * thread counts the degrees of a run of the pairs (countDegrees; summed here),
 * then scatters, sorts and packs the lists of a
 * range of nodes holding about 1/parts of the arcs (buildRange), so the random
 * writes into the new neighbour array, and the first touch of its pages (slow
 * on a VM), are shared out; the ranges are then moved together (one memmove
 * each). The pairs must be in SharedArrayBuffers (the parse workers' are);
 * any that are not are copied into one.
 */
export async function buildCsrParallel(
  edges: EdgeBuffer,
  n: number,
  directed: boolean,
  run: RunBuildRange,
  parts: number,
  file?: string,
  maxArcs = MAX_ARCS,
): Promise<{ csr: Csr; stats: BuildStats }> {
  checkNodes(n, file);
  const pieces = edges.pieces();
  const pairsTotal = checkPairs(pieces, directed, file, maxArcs);
  const shared: Array<[SharedArrayBuffer, number, number]> = pieces.map(([chunk, pairs]) => {
    if (chunk.buffer instanceof SharedArrayBuffer) return [chunk.buffer, chunk.byteOffset, pairs];
    const copy = new Uint32Array(new SharedArrayBuffer(8 * pairs));
    copy.set(chunk.subarray(0, 2 * pairs));
    return [copy.buffer as SharedArrayBuffer, 0, pairs];
  });

  // Degrees: each thread counts a run of the pieces (about 1/parts of the pairs) into its own array; summed here.
  const groups: Array<Array<[SharedArrayBuffer, number, number]>> = [];
  let taken = 0;
  for (const piece of shared) {
    const group = Math.min(parts - 1, Math.floor((taken * parts) / Math.max(1, pairsTotal)));
    while (groups.length <= group) groups.push([]);
    groups[group].push(piece);
    taken += piece[2];
  }
  const counts = groups.map(() => new SharedArrayBuffer(4 * (n + 1)));
  const loopsByGroup = await Promise.all(groups.map((group, g) => run({ kind: 'count', pieces: group, degrees: counts[g], directed })));
  let selfLoops = 0;
  for (const loops of loopsByGroup) selfLoops += loops;
  const startBuffer = counts[0] ?? new SharedArrayBuffer(4 * (n + 1));
  const start = new Uint32Array(startBuffer);
  for (let g = 1; g < counts.length; g++) {
    const more = new Uint32Array(counts[g]);
    for (let v = 1; v <= n; v++) start[v] += more[v]; // below 2^32: the total is (checked above)
  }
  for (let v = 0; v < n; v++) start[v + 1] += start[v];
  const raw = start[n]; // below 2^32: checked above, so no count wrapped
  const neighboursBuffer = new SharedArrayBuffer(4 * raw);
  let neighbours = new Uint32Array(neighboursBuffer);
  const offsetsBuffer = new SharedArrayBuffer(4 * (n + 1));
  const offsets = new Uint32Array(offsetsBuffer);

  // Node ranges with about raw/parts arcs each (binary search on start).
  const bounds = [0];
  for (let p = 1; p < parts; p++) {
    const target = Math.floor((raw * p) / parts);
    let lo = bounds[bounds.length - 1];
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (start[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo > bounds[bounds.length - 1] && lo < n) bounds.push(lo);
  }
  bounds.push(n);
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < bounds.length; i++) ranges.push([bounds[i], bounds[i + 1]]);
  const kept = await Promise.all(
    ranges.map(([lo, hi]) =>
      run({ kind: 'build', pieces: shared, start: startBuffer, neighbours: neighboursBuffer, offsets: offsetsBuffer, lo, hi, directed }),
    ),
  );
  edges.release();

  // Move the packed ranges together and make their offsets absolute.
  let write = 0;
  for (let r = 0; r < ranges.length; r++) {
    const [lo, hi] = ranges[r];
    const from = start[lo];
    if (write !== from) neighbours.copyWithin(write, from, from + kept[r]);
    for (let u = lo; u < hi; u++) offsets[u] += write;
    write += kept[r];
  }
  offsets[n] = write;

  return finished(n, directed, offsets, neighbours, raw, write, selfLoops);
}

/** The CSR once its lists are deduplicated in place: `write` of `raw` arcs kept, the array cut to size. */
function finished(n: number, directed: boolean, offsets: Uint32Array, neighbours: Uint32Array, raw: number, write: number, selfLoops: number): { csr: Csr; stats: BuildStats } {
  const removed = raw - write;
  if (removed > 0) {
    const exact = new Uint32Array(new SharedArrayBuffer(4 * write));
    exact.set(neighbours.subarray(0, write));
    neighbours = exact;
  }
  return {
    csr: { n, directed, offsets, neighbours },
    stats: {
      edges: directed ? write : write / 2,
      duplicates: directed ? removed : removed / 2,
      selfLoops,
    },
  };
}

/** Sorts a[from, to) ascending, cheaply when it is already sorted or short. */
export function sortList(a: Uint32Array, from: number, to: number): void {
  let sorted = true;
  for (let j = from + 1; j < to; j++) {
    if (a[j] < a[j - 1]) {
      sorted = false;
      break;
    }
  }
  if (sorted) return;
  if (to - from > INSERTION_MAX) {
    a.subarray(from, to).sort();
    return;
  }
  for (let j = from + 1; j < to; j++) {
    const x = a[j];
    let k = j - 1;
    while (k >= from && a[k] > x) {
      a[k + 1] = a[k];
      k--;
    }
    a[k + 1] = x;
  }
}

export function shareCsr(csr: Csr): SharedCsr {
  return {
    n: csr.n,
    directed: csr.directed,
    offsets: csr.offsets.buffer as SharedArrayBuffer,
    neighbours: csr.neighbours.buffer as SharedArrayBuffer,
  };
}

export function csrFromShared(shared: SharedCsr): Csr {
  return {
    n: shared.n,
    directed: shared.directed,
    offsets: new Uint32Array(shared.offsets),
    neighbours: new Uint32Array(shared.neighbours),
  };
}

/** Bytes held by the graph arrays themselves (what the memory target is about). */
export function csrBytes(csr: Csr): number {
  return csr.offsets.byteLength + csr.neighbours.byteLength;
}
