/**
 * Every registered BFS kernel must return exactly what the reference kernel
 * returns for the same sources, arcsScanned included (it counts the arcs a plain
 * BFS reads, whatever the kernel really reads).
 *
 * Property tests on seeded random graphs (mulberry32: a failure names its seed
 * and reproduces), built through EdgeBuffer and buildCsr as the loader does,
 * then the real graphs of ../shared/datasets.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeBuffer } from '../src/graph/edges.js';
import { buildCsr, type Csr } from '../src/graph/csr.js';
import { defaultKernel, kernelNames, kernels, type BatchResult } from '../src/algorithms/kernels/index.js';
import { loadGraph } from '../src/io/load.js';
import { mulberry32, sampleSources } from '../src/stats/random.js';
import { DATASETS, haveShared } from './helpers.js';

type Pair = [number, number];

function graph(n: number, pairs: Pair[], directed = false): Csr {
  const edges = new EdgeBuffer();
  for (const [u, v] of pairs) if (u !== v) edges.push(u, v);
  return buildCsr(edges, n, directed).csr;
}

/** G(n, p): each pair (each ordered pair when directed) with probability p. */
function erdosRenyi(n: number, p: number, seed: number, directed = false): Csr {
  const rand = mulberry32(seed);
  const pairs: Pair[] = [];
  for (let u = 0; u < n; u++)
    for (let v = directed ? 0 : u + 1; v < n; v++) if (u !== v && rand() < p) pairs.push([u, v]);
  return graph(n, pairs, directed);
}

/** Disjoint copies of ER graphs of mixed sizes (1 to 60 nodes), ids shuffled together. */
function components(count: number, seed: number): Csr {
  const rand = mulberry32(seed);
  const pairs: Pair[] = [];
  let n = 0;
  for (let c = 0; c < count; c++) {
    const size = 1 + Math.floor(rand() * 60);
    const p = rand() * 0.3;
    for (let u = 0; u < size; u++) for (let v = u + 1; v < size; v++) if (rand() < p) pairs.push([n + u, n + v]);
    n += size;
  }
  const ids = shuffled(n, rand);
  return graph(n, pairs.map(([u, v]) => [ids[u], ids[v]] as Pair));
}

function path(n: number): Csr {
  return graph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as Pair));
}

function star(n: number): Csr {
  return graph(n, Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as Pair));
}

/** A clique of k nodes with a path of tail nodes hanging off it: dense, then a long thin tail. */
function lollipop(k: number, tail: number): Csr {
  const pairs: Pair[] = [];
  for (let u = 0; u < k; u++) for (let v = u + 1; v < k; v++) pairs.push([u, v]);
  for (let i = 0; i < tail; i++) pairs.push([k - 1 + i, k + i]);
  return graph(k + tail, pairs);
}

/** Sparse random graph with a heavy-tailed degree distribution (Chung-Lu style). */
function powerLaw(n: number, edges: number, seed: number, directed = false): Csr {
  const rand = mulberry32(seed);
  const pick = () => Math.floor(n * rand() ** 3); // low ids are hubs
  const pairs: Pair[] = [];
  for (let e = 0; e < edges; e++) pairs.push([pick(), pick()]);
  return graph(n, pairs, directed);
}

function shuffled(n: number, rand: () => number): Uint32Array {
  const ids = new Uint32Array(n);
  for (let i = 0; i < n; i++) ids[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids;
}

/**
 * Runs every kernel on the same batches, each kernel made once so that scratch
 * memory is reused across batches as in a worker, and compares with reference.
 */
function expectAllAgree(csr: Csr, batches: ArrayLike<number>[], label: string): void {
  const reference = kernels.reference(csr);
  const expected = batches.map((b) => reference(b));
  expected.forEach((r, i) => expectHopsAddUp(r, `reference ${label} batch ${i}`));
  for (const name of kernelNames()) {
    if (name === 'reference') continue;
    const run = kernels[name](csr);
    batches.forEach((batch, i) => {
      const { arcsRead, ...figures } = run(batch);
      const { arcsRead: _, ...expectedFigures } = expected[i];
      expect(figures, `${name} ${label} batch ${i} (${batch.length} sources)`).toEqual(expectedFigures);
      // Work actually done: the reference reads exactly what a plain BFS reads; the others some, if anything is there to read
      // (a bottom-up step may read more than a plain BFS: it scans unreached nodes of other components too).
      if (name === 'reference') expect(arcsRead).toBe(expected[i].arcsScanned);
      if (expected[i].arcsScanned > 0) expect(arcsRead, `${name} ${label} batch ${i}: arcs read`).toBeGreaterThan(0);
    });
  }
}

/**
 * The per-source hop counts hold the other figures: per source they sum to
 * reached and, weighted by distance, to distanceSum, end at its eccentricity
 * (last count nonzero), and over the batch they sum to the histogram.
 */
function expectHopsAddUp(r: BatchResult, label: string): void {
  expect(r.eccentricity.length, label).toBe(r.reached.length);
  const histogram = [0];
  const reached: number[] = [];
  const distanceSum: number[] = [];
  let zeros = 0;
  let at = 0;
  for (let i = 0; i < r.reached.length; i++) {
    let count = 0;
    let sum = 0;
    for (let d = 1; d <= r.eccentricity[i]; d++) {
      const c = r.hopCounts[at++];
      if (!(c > 0)) zeros++;
      count += c;
      sum += d * c;
      while (histogram.length <= d) histogram.push(0);
      histogram[d] += c;
    }
    reached.push(count);
    distanceSum.push(sum);
  }
  expect(zeros, `${label}: zero counts before an eccentricity`).toBe(0);
  expect(reached, label).toEqual(r.reached);
  expect(distanceSum, label).toEqual(r.distanceSum);
  expect(at, label).toBe(r.hopCounts.length);
  expect(histogram, label).toEqual(r.histogram);
  expect(Math.max(0, ...r.eccentricity), label).toBe(r.maxDistance);
}

/** Batches of 1..200 distinct random sources (capped at n), a few of each kind of size. */
function randomBatches(n: number, seed: number, count = 4): Uint32Array[] {
  const rand = mulberry32(seed);
  const batches: Uint32Array[] = [];
  const sizes = [1, 31, 32, 33, 64, 65, 127, 128, 129, 200];
  for (let i = 0; i < count; i++) {
    const size = i < 2 ? sizes[Math.floor(rand() * sizes.length)] : 1 + Math.floor(rand() * 200);
    batches.push(sampleSources(n, Math.min(size, n), Math.floor(rand() * 2 ** 32)));
  }
  return batches;
}

describe('kernel registry', () => {
  it('keeps reference and the default', () => {
    expect(kernelNames()).toContain('reference');
    expect(kernelNames()).toContain(defaultKernel);
    expect(kernelNames().length).toBeGreaterThan(1);
  });

  it('an empty batch gives the empty result', () => {
    const csr = erdosRenyi(10, 0.3, 1);
    for (const name of kernelNames())
      expect(kernels[name](csr)([]), name).toEqual({ histogram: [0], reached: [], distanceSum: [], eccentricity: [], hopCounts: [], maxDistance: 0, arcsScanned: 0, arcsRead: 0 });
  });
});

describe('every kernel equals reference on random graphs', () => {
  const seeds = Array.from({ length: 12 }, (_, i) => 1000 + i);

  it.each(seeds)('Erdős–Rényi of varying density, seed %i', (seed) => {
    const rand = mulberry32(seed);
    const n = 1 + Math.floor(rand() * 400);
    const p = [0.002, 0.01, 0.05, 0.2, 0.6][seed % 5] * (0.5 + rand());
    expectAllAgree(erdosRenyi(n, p, seed), randomBatches(n, seed), `G(${n}, ${p.toFixed(4)})`);
  });

  it.each(seeds)('directed Erdős–Rényi, seed %i', (seed) => {
    const rand = mulberry32(seed);
    const n = 1 + Math.floor(rand() * 300);
    const p = [0.003, 0.01, 0.04, 0.3][seed % 4] * (0.5 + rand());
    expectAllAgree(erdosRenyi(n, p, seed, true), randomBatches(n, seed), `directed G(${n}, ${p.toFixed(4)})`);
  });

  it.each(seeds)('disconnected: many components of 1 to 60 nodes, seed %i', (seed) => {
    const csr = components(5 + (seed % 20), seed);
    expectAllAgree(csr, randomBatches(csr.n, seed), `components n=${csr.n}`);
  });

  it.each(seeds.slice(0, 6))('heavy-tailed sparse graphs, seed %i', (seed) => {
    const n = 300 + (seed % 6) * 150;
    expectAllAgree(powerLaw(n, 4 * n, seed), randomBatches(n, seed), `power-law n=${n}`);
    expectAllAgree(powerLaw(n, 3 * n, seed, true), randomBatches(n, seed), `directed power-law n=${n}`);
  });

  it('a giant component plus isolated nodes and pairs (sources that end at once)', () => {
    const pairs: Pair[] = [];
    const rand = mulberry32(7);
    for (let e = 0; e < 3000; e++) pairs.push([Math.floor(rand() * 300), Math.floor(rand() * 300)]);
    for (let i = 0; i < 20; i++) pairs.push([300 + 2 * i, 301 + 2 * i]); // 20 two-node components
    const csr = graph(400, pairs); // nodes 340..399 are isolated
    const batches = [Uint32Array.from([300, 5, 6, 350, 7]), Uint32Array.from({ length: 200 }, (_, i) => i * 2)];
    expectAllAgree(csr, [...batches, ...randomBatches(400, 7, 6)], 'giant + small + isolated');
  });

  it('paths, stars, lollipops, a single node, only isolated nodes, a complete graph', () => {
    const cases: [string, Csr][] = [
      ['single node', graph(1, [])],
      ['isolated nodes', graph(50, [])],
      ['two nodes', graph(2, [[0, 1]])],
      ['path 1000', path(1000)],
      ['path 70', path(70)],
      ['star 300', star(300)],
      ['lollipop 60 + 300', lollipop(60, 300)],
      ['complete 80', erdosRenyi(80, 1, 3)],
      ['directed path', graph(100, Array.from({ length: 99 }, (_, i) => [i, i + 1] as Pair), true)],
      ['directed star in', graph(100, Array.from({ length: 99 }, (_, i) => [i + 1, 0] as Pair), true)],
    ];
    for (const [label, csr] of cases) {
      const all = Uint32Array.from({ length: csr.n }, (_, i) => i);
      const batches = [all.subarray(0, 200), all.subarray(Math.max(0, csr.n - 33)), ...randomBatches(csr.n, csr.n, 3)];
      expectAllAgree(csr, batches, label);
    }
  });
});

describe.skipIf(!haveShared())('every kernel equals reference on ../shared/datasets', () => {
  const cases: [string, boolean, number][] = [
    ['karate.txt.gz', false, 34],
    ['facebook_combined.txt.gz', false, 300],
    ['CA-GrQc.txt.gz', false, 300],
    ['Wiki-Vote.txt.gz', false, 300],
    ['Wiki-Vote.txt.gz', true, 300],
  ];
  it.each(cases)('%s (directed: %s), %i sources', async (file, directed, count) => {
    const { csr } = await loadGraph(join(DATASETS, file), { directed });
    const sources = sampleSources(csr.n, count, 42);
    const batches: Uint32Array[] = [];
    for (let start = 0, size = 1; start < sources.length; start += size, size = Math.min(200, size * 2 + 1))
      batches.push(sources.subarray(start, start + size));
    expectAllAgree(csr, batches, `${file}${directed ? ' directed' : ''}`);
  });
});
