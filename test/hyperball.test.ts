/**
 * HyperBall against exact figures: N(t) from a BFS from every node on small
 * graphs, and truth.json's mean distances on the small graphs of
 * ../shared/datasets. The estimates are random only through the seed of the
 * hash, so each check is a fixed, reproducible outcome; tolerances are a few
 * relative standard errors (RSE) of the counters.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeBuffer } from '../src/edges.js';
import { buildCsr, type Csr } from '../src/graph.js';
import { counterSize, hashNode, maxInto, relativeStandardError, runHyperBall } from '../src/hyperball.js';
import { loadGraph } from '../src/load.js';
import { mulberry32 } from '../src/random.js';
import { DATASETS, haveShared, loadTruth, type Truth } from './helpers.js';

const shared = haveShared();

function graph(n: number, pairs: Array<[number, number]>, directed = false): Csr {
  const edges = new EdgeBuffer();
  for (const [u, v] of pairs) edges.push(u, v);
  return buildCsr(edges, n, directed).csr;
}

const path = (n: number) => graph(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
const cycle = (n: number) => graph(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]));

/** Exact N(t), t = 0..diameter, from a BFS from every node along out-arcs. */
function exactNeighbourhood(csr: Csr): number[] {
  const counts = [0];
  const dist = new Int32Array(csr.n);
  const queue = new Uint32Array(csr.n);
  for (let s = 0; s < csr.n; s++) {
    dist.fill(-1);
    dist[s] = 0;
    counts[0]++;
    let head = 0;
    let tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const u = queue[head++];
      for (let j = csr.offsets[u]; j < csr.offsets[u + 1]; j++) {
        const v = csr.neighbours[j];
        if (dist[v] >= 0) continue;
        dist[v] = dist[u] + 1;
        counts[dist[v]] = (counts[dist[v]] ?? 0) + 1;
        queue[tail++] = v;
      }
    }
  }
  for (let t = 1; t < counts.length; t++) counts[t] += counts[t - 1];
  return counts;
}

/** N(t) as a function of t: the last value holds beyond the end. */
const at = (values: number[], t: number) => values[Math.min(t, values.length - 1)];

function expectNeighbourhoodClose(estimate: number[], exact: number[], rse: number, label: string): void {
  for (let t = 0; t < Math.max(estimate.length, exact.length); t++) {
    const relative = Math.abs(at(estimate, t) - at(exact, t)) / at(exact, t);
    expect(relative, `${label}: N(${t}) ${at(estimate, t)} vs ${at(exact, t)}`).toBeLessThan(3 * rse);
  }
}

describe('counters', () => {
  it('estimate sets of known size within 3 RSE, nearly exactly when small', () => {
    for (const log2m of [4, 8, 11]) {
      const m = 2 ** log2m;
      const rse = relativeStandardError(log2m);
      const registers = new Uint8Array(m);
      let next = 0;
      for (const size of [1, 10, 100, 1000, 10_000, 100_000]) {
        for (; next < size; next++) {
          const { register, rank } = hashNode(next, 7, log2m);
          registers[register] = Math.max(registers[register], rank);
        }
        const estimate = counterSize(registers, 0, m);
        const tolerance = size <= m / 8 ? Math.max(0.5, 0.05 * size) : 3 * rse * size;
        expect(Math.abs(estimate - size), `m=${m} size ${size}: ${estimate}`).toBeLessThan(tolerance);
      }
    }
  });

  it('states the HyperLogLog error: 1.04 / sqrt(m) for large m', () => {
    expect(relativeStandardError(11)).toBeCloseTo(1.04 / Math.sqrt(2048), 12);
    expect(relativeStandardError(4)).toBeCloseTo(1.106 / 4, 12);
  });

  it('the word-wise max equals the register-wise max', () => {
    const rand = mulberry32(3);
    const a = new Uint8Array(256).map(() => Math.floor(rand() * 64));
    const b = new Uint8Array(256).map(() => Math.floor(rand() * 64));
    const expected = a.map((x, i) => Math.max(x, b[i]));
    const dst = new Int32Array(a.slice().buffer);
    expect(maxInto(dst, 0, new Int32Array(b.slice().buffer), 0, 64)).not.toBe(0);
    expect(Array.from(new Uint8Array(dst.buffer))).toEqual(Array.from(expected));
    expect(maxInto(dst, 0, new Int32Array(b.slice().buffer), 0, 64)).toBe(0); // nothing left to change
  });
});

describe('HyperBall on small graphs', () => {
  const cases: Array<[string, () => Promise<Csr> | Csr]> = [
    ['path of 200', () => path(200)],
    ['cycle of 301', () => cycle(301)],
    ['directed cycle of 50', () => graph(50, Array.from({ length: 50 }, (_, i) => [i, (i + 1) % 50] as [number, number]), true)],
  ];
  if (shared) cases.push(['karate', async () => (await loadGraph(join(DATASETS, 'karate.txt.gz'))).csr]);

  it.each(cases)('%s: N(t) within 3 RSE of the exact N(t) for every t', async (label, make) => {
    const csr = await make();
    const r = await runHyperBall(csr, { threads: 2, seed: 1 });
    const exact = exactNeighbourhood(csr);
    expect(r.neighbourhood[0]).toBe(csr.n);
    expect(r.converged).toBe(true);
    expectNeighbourhoodClose(r.neighbourhood, exact, r.relativeStandardError, label);
    expect(r.distanceHistogram[0]).toBe(0);
    expect(r.distanceHistogram.reduce((a, b) => a + b, 0)).toBeCloseTo(r.reachablePairs, 6);
  });

  it('per-node mean distances on a path: about (i^2 + (n-1-i)^2 + n - 1) / (2 (n - 1))', async () => {
    const n = 101;
    const r = await runHyperBall(path(n), { threads: 1 });
    for (const i of [0, 30, 50, 100]) {
      const exact = (i * (i + 1) + (n - 1 - i) * (n - i)) / 2 / (n - 1);
      expect(Math.abs(r.perNodeMeanDistance[i] - exact) / exact, `node ${i}`).toBeLessThan(0.05);
    }
  });

  it('a graph without edges: nothing reached, no mean', async () => {
    const r = await runHyperBall(graph(5, []), { threads: 1 });
    expect(r.neighbourhood).toEqual([5]);
    expect(r.meanDistance).toBeNull();
    expect(r.meanDistanceCi95).toBeNull();
    expect(r.reachablePairs).toBe(0);
    expect(Array.from(r.perNodeMeanDistance).every(Number.isNaN)).toBe(true);
  });

  it('maxIterations stops early and says so', async () => {
    const r = await runHyperBall(path(100), { threads: 1, maxIterations: 3 });
    expect(r.iterations).toBe(3);
    expect(r.converged).toBe(false);
    expect(r.neighbourhood.length).toBe(4);
  });

  it('rejects log2m outside 4..12', async () => {
    await expect(runHyperBall(path(3), { log2m: 3 })).rejects.toThrow(/log2m/);
    await expect(runHyperBall(path(3), { log2m: 13 })).rejects.toThrow(/log2m/);
  });
});

describe.skipIf(!shared)('HyperBall on the small graphs of ../shared/datasets', () => {
  const truth: Record<string, Truth> = shared ? loadTruth() : {};
  const small = ['karate.txt.gz', 'email-Eu-core.txt.gz', 'facebook_combined.txt.gz', 'CA-GrQc.txt.gz'];
  const cases = shared
    ? [
        ...small.map((name) => ({ name, directed: false, figures: truth[name] })),
        { name: 'email-Eu-core.txt.gz', directed: true, figures: truth['email-Eu-core.txt.gz'].directed! },
      ]
    : [];

  it.each(cases)('$name (directed: $directed): mean distance within its interval, N(t) within 3 RSE', async ({ name, directed, figures }) => {
    const { csr } = await loadGraph(join(DATASETS, name), { directed });
    const r = await runHyperBall(csr, { threads: 2, seed: 1 });
    const [low, high] = r.meanDistanceCi95!;
    expect(low, `${name}: ${r.meanDistance} in [${low}, ${high}] vs ${figures.meanDistance}`).toBeLessThanOrEqual(figures.meanDistance);
    expect(high).toBeGreaterThanOrEqual(figures.meanDistance);
    // The interval is a worst case; the estimate itself is much closer.
    expect(Math.abs(r.meanDistance! - figures.meanDistance) / figures.meanDistance).toBeLessThan(2 * r.relativeStandardError);
    const exact = [csr.n];
    for (let t = 1; t < figures.distanceHistogram.length; t++) exact.push(exact[t - 1] + figures.distanceHistogram[t]);
    expectNeighbourhoodClose(r.neighbourhood, exact, r.relativeStandardError, name);
    expect(Math.abs(r.effectiveDiameter90! - figures.effectiveDiameter90)).toBeLessThan(0.25);
  });

  it('facebook_combined: the same result with 1 and 2 threads, another with another seed', async () => {
    const { csr } = await loadGraph(join(DATASETS, 'facebook_combined.txt.gz'));
    const one = await runHyperBall(csr, { threads: 1, seed: 5, log2m: 7 });
    const two = await runHyperBall(csr, { threads: 2, seed: 5, log2m: 7 });
    expect(two.neighbourhood).toEqual(one.neighbourhood);
    expect(two.meanDistance).toBe(one.meanDistance);
    expect(two.meanDistanceCi95).toEqual(one.meanDistanceCi95);
    expect(Array.from(two.perNodeMeanDistance)).toEqual(Array.from(one.perNodeMeanDistance));
    const other = await runHyperBall(csr, { threads: 2, seed: 6, log2m: 7 });
    expect(other.neighbourhood).not.toEqual(one.neighbourhood);
  });
});
