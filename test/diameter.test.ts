/**
 * exactDiameter against hand-made graphs, against a BFS from every node on
 * seeded random graphs (mulberry32: a failure names its seed), and against the
 * diameters of truth.json for every dataset in ../shared.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DIRECTED_ALL_SOURCES_LIMIT, DIRECTED_SWEEPS, exactDiameter, seedsFromBatches, type DiameterResult, type DiameterSeeds } from '../src/algorithms/diameter.js';
import { EdgeBuffer } from '../src/graph/edges.js';
import { buildCsr, type Csr } from '../src/graph/csr.js';
import { defaultKernel, kernels, type BatchResult } from '../src/algorithms/kernels/index.js';
import { loadGraph } from '../src/io/load.js';
import { rmatEdges } from '../src/graph/rmat.js';
import { mulberry32, sampleSources } from '../src/stats/random.js';
import { DATASETS, haveShared, loadTruth, type Truth } from './helpers.js';

function graph(n: number, edges: Array<[number, number]>, directed = false): Csr {
  const buffer = new EdgeBuffer();
  for (const [u, v] of edges) buffer.push(u, v);
  return buildCsr(buffer, n, directed).csr;
}

/** The largest finite distance, by a BFS from every node: the definition, slowly. */
function bruteDiameter(csr: Csr): number {
  const { n, offsets, neighbours } = csr;
  const dist = new Int32Array(n);
  const queue = new Uint32Array(n);
  let best = 0;
  for (let s = 0; s < n; s++) {
    dist.fill(-1);
    dist[s] = 0;
    queue[0] = s;
    let head = 0;
    let tail = 1;
    while (head < tail) {
      const u = queue[head++];
      for (let j = offsets[u]; j < offsets[u + 1]; j++) {
        const v = neighbours[j];
        if (dist[v] < 0) {
          dist[v] = dist[u] + 1;
          queue[tail++] = v;
        }
      }
    }
    best = Math.max(best, dist[queue[tail - 1]]);
  }
  return best;
}

function expectExact(r: DiameterResult, diameter: number): void {
  expect(r.exact).toBe(true);
  expect(r.diameter).toBe(diameter);
  expect(r.bounds).toEqual([diameter, diameter]);
}

const path = (n: number, from = 0) => Array.from({ length: n - 1 }, (_, i) => [from + i, from + i + 1] as [number, number]);

describe('hand-made graphs', () => {
  it('path of 7: 6', () => expectExact(exactDiameter(graph(7, path(7))), 6));
  it('cycle of 8: 4', () => expectExact(exactDiameter(graph(8, [...path(8), [7, 0]])), 4));
  it('star: 2', () => expectExact(exactDiameter(graph(6, [1, 2, 3, 4, 5].map((v) => [0, v] as [number, number]))), 2));
  it('path of 5 + triangle: 4', () =>
    expectExact(exactDiameter(graph(8, [...path(5), [5, 6], [6, 7], [7, 5]])), 4));
  it('triangle + path of 5 (the longer component last): 4', () =>
    expectExact(exactDiameter(graph(8, [[0, 1], [1, 2], [2, 0], ...path(5, 3)])), 4));
  it('a single edge: 1', () => expectExact(exactDiameter(graph(2, [[0, 1]])), 1));
  it('isolated nodes only: 0', () => expectExact(exactDiameter(graph(5, [])), 0));
  it('no nodes: 0', () => expectExact(exactDiameter(graph(0, [])), 0));
  it('long path beside a big component: the path wins', () => {
    const edges = path(40); // nodes 0..39, diameter 39, bigger than SMALL_COMPONENT
    for (let v = 41; v < 100; v++) edges.push([40, v], [v, v === 99 ? 41 : v + 1]); // a wheel: diameter 2
    expectExact(exactDiameter(graph(100, edges)), 39);
  });
  it('directed path of 4 and a directed 3-cycle', () => {
    expectExact(exactDiameter(graph(4, path(4), true)), 3);
    expectExact(exactDiameter(graph(3, [[0, 1], [1, 2], [2, 0]], true)), 2);
  });
  it('directed, too large for a BFS from every node: sweeps give bounds', () => {
    // n * arcs >= DIRECTED_ALL_SOURCES_LIMIT. A path from node 0: the first sweep meets the bound n - 1.
    const n = 80_000;
    expect(n * (n - 1)).toBeGreaterThanOrEqual(DIRECTED_ALL_SOURCES_LIMIT);
    expectExact(exactDiameter(graph(n, path(n), true)), n - 1);
    // 400 disjoint paths of 200: the sweeps find 199, but nothing cheap rules out more.
    const pieces = Array.from({ length: 400 }, (_, k) => path(200, 200 * k)).flat();
    const r = exactDiameter(graph(n, pieces, true));
    expect(r.exact).toBe(false);
    expect(r.diameter).toBeNull();
    expect(r.bounds).toEqual([199, n - 1]);
    expect(r.bfsRuns).toBe(DIRECTED_SWEEPS);
  });
  it('counts BFS runs and reports progress', () => {
    const seen: number[] = [];
    const r = exactDiameter(graph(7, path(7)), { onProgress: (k) => seen.push(k) });
    expect(seen).toEqual(Array.from({ length: r.bfsRuns }, (_, i) => i + 1));
  });
  it('a spent time budget gives bounds, not a diameter', () => {
    // A cycle of 200: the component sweep alone gives only 100 <= diameter <= 199.
    const r = exactDiameter(graph(200, [...path(200), [199, 0]]), { timeBudgetSeconds: 0 });
    expect(r.exact).toBe(false);
    expect(r.diameter).toBeNull();
    expect(r.bounds[0]).toBeLessThanOrEqual(100);
    expect(r.bounds[1]).toBeGreaterThanOrEqual(100);
    expect(r.bounds[1]).toBeLessThanOrEqual(199);
  });
});

/** G(n, p) by drawing each pair once. */
function erdosRenyi(n: number, p: number, seed: number, directed: boolean): Csr {
  const rand = mulberry32(seed);
  const edges: Array<[number, number]> = [];
  for (let u = 0; u < n; u++)
    for (let v = directed ? 0 : u + 1; v < n; v++) if (u !== v && rand() < p) edges.push([u, v]);
  return graph(n, edges, directed);
}

/** A random forest: each node hangs from an earlier one, or (now and then) starts a new tree. */
function randomForest(n: number, seed: number): Csr {
  const rand = mulberry32(seed);
  const edges: Array<[number, number]> = [];
  for (let v = 1; v < n; v++) if (rand() < 0.95) edges.push([Math.floor(rand() * v), v]);
  return graph(n, edges);
}

/** Several components of random sizes, each a sparse G(n, p) or a tree with chords: odd and even diameters, hubs, whiskers. */
function mixedGraph(seed: number): Csr {
  const rand = mulberry32(seed);
  const edges: Array<[number, number]> = [];
  let n = 0;
  const parts = 1 + Math.floor(rand() * 6);
  for (let c = 0; c < parts; c++) {
    const size = 1 + Math.floor(rand() * (rand() < 0.5 ? 20 : 300));
    const base = n;
    n += size;
    if (rand() < 0.5) {
      const p = (1 + rand() * 2) / size;
      for (let u = 0; u < size; u++) for (let v = u + 1; v < size; v++) if (rand() < p) edges.push([base + u, base + v]);
    } else {
      for (let v = 1; v < size; v++) edges.push([base + Math.floor(rand() * v), base + v]);
      const chords = Math.floor(rand() * size * 0.1);
      for (let k = 0; k < chords; k++) edges.push([base + Math.floor(rand() * size), base + Math.floor(rand() * size)]);
    }
  }
  return graph(n, edges);
}

describe('random graphs against a BFS from every node', () => {
  it('mixed components, 60 seeds', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const g = mixedGraph(seed);
      const r = exactDiameter(g);
      expect({ seed, diameter: r.diameter }).toEqual({ seed, diameter: bruteDiameter(g) });
    }
  });
  // Dense enough that the sweeps often miss the diameter by one, so the fringe
  // search itself decides (a stopping rule off by one fails here).
  it('Erdős–Rényi with diameters 3 to 7, 100 seeds per shape', () => {
    for (const [n, p] of [
      [30, 0.3],
      [50, 0.2],
      [60, 0.08],
      [100, 0.05],
      [100, 0.1],
      [200, 0.03],
    ])
      for (let seed = 1; seed <= 100; seed++) {
        const g = erdosRenyi(n, p, seed * 7 + n, false);
        expect({ n, p, seed, diameter: exactDiameter(g).diameter }).toEqual({ n, p, seed, diameter: bruteDiameter(g) });
      }
  });
  it('bounds hold when the time budget is spent at once', () => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const g of [mixedGraph(seed), erdosRenyi(150, 0.015, seed, true)]) {
        const r = exactDiameter(g, { timeBudgetSeconds: 0 });
        const d = bruteDiameter(g);
        expect(r.bounds[0]).toBeLessThanOrEqual(d);
        expect(r.bounds[1]).toBeGreaterThanOrEqual(d);
        expect(r.diameter).toBe(r.exact ? d : null);
      }
    }
  });
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(seeds)('Erdős–Rényi, sparse and dense, seed %i', (seed) => {
    for (const [n, p] of [
      [60, 0.02],
      [200, 0.008],
      [300, 0.02],
      [120, 0.2],
    ]) {
      const g = erdosRenyi(n, p, seed * 1000 + n, false);
      expectExact(exactDiameter(g), bruteDiameter(g));
    }
  });
  it.each(seeds)('random trees and forests, seed %i', (seed) => {
    for (const n of [2, 10, 50, 400]) {
      const g = randomForest(n, seed * 1000 + n);
      expectExact(exactDiameter(g), bruteDiameter(g));
    }
  });
  it.each(seeds)('directed Erdős–Rényi, seed %i', (seed) => {
    for (const [n, p] of [
      [80, 0.02],
      [200, 0.01],
    ]) {
      const g = erdosRenyi(n, p, seed * 1000 + n, true);
      expectExact(exactDiameter(g), bruteDiameter(g));
    }
  });
  it('a large random tree takes a handful of BFS, not one per node', () => {
    const g = randomForest(3000, 42);
    const r = exactDiameter(g);
    expectExact(r, bruteDiameter(g));
    expect(r.bfsRuns).toBeLessThan(60);
  });
});

describe('R-MAT graphs (the benchmark generator) against every source', () => {
  /** The graph bench/rmat.ts writes for (scale, seed), built in memory; ids are already 0..2^scale-1. */
  function rmat(scale: number, seed: number): Csr {
    const { keys } = rmatEdges(scale, seed);
    const buffer = new EdgeBuffer();
    const n = 2 ** scale;
    for (const key of keys) buffer.push(Math.floor(key / n), key % n);
    return buildCsr(buffer, n, false).csr;
  }
  it('scale 12: the plain BFS from every node', () => {
    const g = rmat(12, 1);
    expectExact(exactDiameter(g), bruteDiameter(g));
  });
  it('scale 14: the multi-source kernel from every node', () => {
    const g = rmat(14, 1);
    const run = kernels[defaultKernel](g);
    let largest = 0;
    const batch = 256;
    for (let first = 0; first < g.n; first += batch) {
      const sources = Array.from({ length: Math.min(batch, g.n - first) }, (_, i) => first + i);
      largest = Math.max(largest, run(sources).maxDistance);
    }
    const r = exactDiameter(g);
    expectExact(r, largest);
    expect(r.bfsRuns).toBeLessThan(100);
  });
});

const shared = haveShared();
const truth: Record<string, Truth> = shared ? loadTruth() : {};
const names = Object.keys(truth).sort((a, b) => truth[a].nodes - truth[b].nodes);
const directedNames = names.filter((name) => truth[name].directed);

describe.skipIf(!shared)('diameters of ../shared/datasets', () => {
  it.each(names)('%s (undirected)', async (name) => {
    const { csr } = await loadGraph(join(DATASETS, name));
    const r = exactDiameter(csr);
    expectExact(r, truth[name].diameter);
    expect(r.bfsRuns).toBeLessThan(Math.max(50, csr.n / 10)); // iFUB's point: far from one BFS per node
  });
  it.each(directedNames)('%s (directed)', async (name) => {
    const { csr } = await loadGraph(join(DATASETS, name), { directed: true });
    expectExact(exactDiameter(csr), truth[name].directed!.diameter);
  });
});

/** Seeds as the estimate makes them: a sampled BFS with the default kernel, its eccentricities and farthest nodes. */
function seedsOf(csr: Csr, count: number, seed: number, batch = 64): DiameterSeeds | null {
  const run = kernels[defaultKernel](csr);
  const sources = sampleSources(csr.n, Math.min(count, csr.n), seed);
  const batches: BatchResult[] = [];
  for (let i = 0; i < sources.length; i += batch) batches.push(run(sources.subarray(i, i + batch), { farthest: true }));
  return seedsFromBatches(batches);
}

/** BFS distances from s (-1 where unreached). */
function distancesFrom(csr: Csr, s: number): Int32Array {
  const { offsets, neighbours } = csr;
  const dist = new Int32Array(csr.n).fill(-1);
  const queue = [s];
  dist[s] = 0;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    for (let j = offsets[u]; j < offsets[u + 1]; j++) if (dist[neighbours[j]] < 0) (dist[neighbours[j]] = dist[u] + 1), queue.push(neighbours[j]);
  }
  return dist;
}

/** A big component of known diameter (a long cycle with chords, plus a tail) and many small ones: paths, stars, triangles. */
function giantAndDust(seed: number): Csr {
  const rand = mulberry32(seed);
  const edges: Array<[number, number]> = [];
  const ring = 60 + Math.floor(rand() * 60);
  for (let v = 0; v < ring; v++) edges.push([v, (v + 1) % ring]);
  for (let k = 0; k < ring / 10; k++) edges.push([Math.floor(rand() * ring), Math.floor(rand() * ring)]);
  let n = ring;
  const tail = 3 + Math.floor(rand() * 8);
  for (let i = 0; i < tail; i++) edges.push([i === 0 ? 0 : n + i - 1, n + i]);
  n += tail;
  const parts = 20 + Math.floor(rand() * 40);
  for (let c = 0; c < parts; c++) {
    const size = 1 + Math.floor(rand() * 7);
    const kind = Math.floor(rand() * 3);
    for (let i = 1; i < size; i++) edges.push([kind === 1 ? n : n + i - 1, n + i]);
    if (kind === 2 && size >= 3) edges.push([n, n + size - 1]);
    n += size;
  }
  return graph(n, edges.filter(([u, v]) => u !== v));
}

describe('kernels report each source\'s farthest node', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('at its eccentricity, the same node in every kernel and batching, seed %i', (seed) => {
    {
      const g = seed % 3 === 0 ? randomForest(300, seed) : seed % 3 === 1 ? mixedGraph(seed) : erdosRenyi(200, 0.012, seed, seed % 2 === 0);
      const sources = sampleSources(g.n, Math.min(100, g.n), seed);
      const expected = kernels.reference(g)(sources, { farthest: true });
      for (const s of [0, 7, sources.length - 1].filter((i) => i < sources.length)) {
        const dist = distancesFrom(g, sources[s]);
        const far = expected.farthest![s];
        expect(dist[far], `seed ${seed} source ${s}`).toBe(expected.eccentricity[s]);
        for (let v = 0; v < far; v++) expect(dist[v] === expected.eccentricity[s] && v < far).toBe(false); // the smallest such node
      }
      for (const name of Object.keys(kernels)) {
        for (const batch of [1, 5, 32, 33, 64, 100]) {
          const run = kernels[name](g);
          const farthest: number[] = [];
          for (let i = 0; i < sources.length; i += batch) farthest.push(...run(sources.subarray(i, i + batch), { farthest: true }).farthest!);
          expect(farthest, `${name}, batches of ${batch}, seed ${seed}`).toEqual(expected.farthest);
        }
        expect(kernels[name](g)(sources).farthest, `${name} without the option`).toBeUndefined();
      }
    }
  });
});

describe('seeded by the sampled BFS: the same diameter as unseeded and as a BFS from every node', () => {
  it.each([1, 6, 11, 16, 21, 26, 31, 36])('mixed components, forests and Erdős–Rényi, seeded and unseeded, with and without multi-source passes, seeds %i..+4', (first) => {
    for (let seed = first; seed < first + 5; seed++) {
      for (const g of [mixedGraph(seed), randomForest(200 + seed * 10, seed), erdosRenyi(120, 0.03 + (seed % 4) * 0.02, seed, false)]) {
        const truthValue = bruteDiameter(g);
        const seeds = seedsOf(g, 1 + (seed % 5) * 20, seed);
        for (const opts of [{}, { seeds: seeds! }, { seeds: seeds!, multiSource: false }, { multiSource: false }]) {
          const r = exactDiameter(g, opts);
          expect({ seed, seeded: 'seeds' in opts, diameter: r.diameter, exact: r.exact }).toEqual({ seed, seeded: 'seeds' in opts, diameter: truthValue, exact: true });
        }
      }
    }
  });
  it.each([1, 11, 21])('a big component and many small ones: the small ones are skipped, the answer is exact, seeds %i..+9', (first) => {
    for (let seed = first; seed < first + 10; seed++) {
      const g = giantAndDust(seed);
      const d = bruteDiameter(g);
      const unseeded = exactDiameter(g);
      const seeded = exactDiameter(g, { seeds: seedsOf(g, 40, seed)! });
      expectExact(unseeded, d);
      expectExact(seeded, d);
      expect(unseeded.componentsSkipped, `seed ${seed}`).toBeGreaterThan(10);
      expect(seeded.componentsSkipped, `seed ${seed}`).toBeGreaterThan(10);
    }
  });
  it('the skip rule: a component of k nodes is never searched once lower >= k - 1', () => {
    // A path of 30 (diameter 29) and 50 paths of 10 nodes (diameter 9 each) whose first node sits in the
    // middle, so the sweep leaves them open (ecc 5 < 9 = k - 1): one search, 50 skips.
    const edges = path(30);
    for (let c = 0; c < 50; c++) {
      const base = 30 + 10 * c;
      const order = [1, 2, 3, 4, 0, 5, 6, 7, 8, 9].map((i) => base + i);
      for (let i = 0; i + 1 < order.length; i++) edges.push([order[i], order[i + 1]]);
    }
    const g = graph(530, edges);
    const r = exactDiameter(g);
    expectExact(r, 29);
    expect(r.componentsSkipped).toBe(50);
  });
  it('seeds with a periphery from another component, or out of range, change nothing', () => {
    const g = giantAndDust(3);
    const d = bruteDiameter(g);
    expectExact(exactDiameter(g, { seeds: { lower: 0, periphery: [g.n - 1, g.n + 5, -1, 0.5] } }), d);
    expectExact(exactDiameter(g, { seeds: { lower: 2, periphery: [] } }), d);
  });
  it('R-MAT scale 12 with 256 sampled sources: one or two BFS beyond the hub', () => {
    const { keys } = rmatEdges(12, 2);
    const buffer = new EdgeBuffer();
    for (const key of keys) buffer.push(Math.floor(key / 2 ** 12), key % 2 ** 12);
    const g = buildCsr(buffer, 2 ** 12, false).csr;
    const d = bruteDiameter(g);
    const seeded = exactDiameter(g, { seeds: seedsOf(g, 256, 1)! });
    expectExact(seeded, d);
    expectExact(exactDiameter(g), d);
    expect(seeded.bfsRuns).toBeLessThan(40);
  });
  it('directed: the seeds\' lower bound is kept, the answer unchanged', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const g = erdosRenyi(150, 0.012, seed, true);
      expectExact(exactDiameter(g, { seeds: seedsOf(g, 30, seed)! }), bruteDiameter(g));
    }
  });
});

describe.skipIf(!shared)('seeded diameters of ../shared/datasets equal truth.json', () => {
  it.each(names)('%s', async (name) => {
    const { csr } = await loadGraph(join(DATASETS, name));
    const seeds = seedsOf(csr, 256, 1);
    const seeded = exactDiameter(csr, { seeds: seeds! });
    expectExact(seeded, truth[name].diameter);
    const single = exactDiameter(csr, { seeds: seeds!, multiSource: false });
    expectExact(single, truth[name].diameter);
  });
});
