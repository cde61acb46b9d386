/**
 * exactDiameter against hand-made graphs, against a BFS from every node on
 * seeded random graphs (mulberry32: a failure names its seed), and against the
 * diameters of truth.json for every dataset in ../shared.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DIRECTED_ALL_SOURCES_LIMIT, DIRECTED_SWEEPS, exactDiameter, type DiameterResult } from '../src/algorithms/diameter.js';
import { EdgeBuffer } from '../src/graph/edges.js';
import { buildCsr, type Csr } from '../src/graph/csr.js';
import { defaultKernel, kernels } from '../src/algorithms/kernels/index.js';
import { loadGraph } from '../src/io/load.js';
import { rmatEdges } from '../src/graph/rmat.js';
import { mulberry32 } from '../src/stats/random.js';
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
