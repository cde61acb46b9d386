/**
 * HyperBall against exact figures: N(t) from a BFS from every node on small
 * graphs, and truth.json's figures on every graph of ../shared/datasets, where
 * its interval (register-group spread) must hold the exact mean distance and
 * overlap sampled BFS's interval. The estimates are random only through the
 * seed of the hash, so each check is a fixed, reproducible outcome; tolerances
 * are a few relative standard errors (RSE) of the counters.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EdgeBuffer } from '../src/graph/edges.js';
import { buildCsr, type Csr } from '../src/graph/csr.js';
import {
  counterAndGroupSizes,
  counterSize,
  defaultGroups,
  groupInterval,
  hashNode,
  maxInto,
  meanFromNeighbourhood,
  relativeStandardError,
  runHyperBall,
  studentT975,
} from '../src/algorithms/hyperball/index.js';
import { loadGraph } from '../src/io/load.js';
import { mulberry32 } from '../src/stats/random.js';
import { estimateFile } from '../src/app/api.js';
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

  it('reads each register group as a counter of its own, and the whole counter from the same pass', () => {
    const rand = mulberry32(11);
    for (const [log2m, g] of [[11, 16], [7, 8], [6, 4], [4, 1]]) {
      const m = 2 ** log2m;
      const registers = new Uint8Array(m);
      for (let x = 0; x < 3 * m; x++) {
        const { register, rank } = hashNode(Math.floor(rand() * 2 ** 31), 1, log2m);
        registers[register] = Math.max(registers[register], rank);
      }
      const out = new Float32Array(g + 1); // one slot before: the groups start at `at`
      const whole = counterAndGroupSizes(registers, 0, m, g, out, 1);
      expect(whole).toBeCloseTo(counterSize(registers, 0, m), 9);
      expect(out[0]).toBe(0);
      for (let j = 0; j < g; j++) expect(out[1 + j]).toBeCloseTo(counterSize(registers, (j * m) / g, m / g), 4);
      // A ball only grows: a smaller estimate never lowers what is there.
      const high = out.map((v) => v + 1);
      counterAndGroupSizes(registers, 0, m, g, high, 1);
      for (let j = 0; j < g; j++) expect(high[1 + j]).toBe(Math.fround(out[1 + j] + 1));
    }
  });

  it('16 register groups, fewer so that each keeps 16 registers', () => {
    expect([4, 5, 6, 7, 8, 9, 11, 12].map(defaultGroups)).toEqual([1, 2, 4, 8, 16, 16, 16, 16]);
  });

  it("interval: estimate ± t_{g-1} sd / sqrt(g) over the groups that have a figure; none from fewer than 2", () => {
    expect(studentT975(15)).toBeCloseTo(2.1314, 4);
    expect(studentT975(1)).toBeCloseTo(12.7062, 4);
    expect(studentT975(40)).toBeCloseTo(2.0211, 3);
    expect(studentT975(200)).toBeCloseTo(1.9719, 3);
    // values 1..4: sd = sqrt(5/3)
    const [low, high] = groupInterval(10, [1, 2, 3, 4])!;
    expect(high - 10).toBeCloseTo((3.1824 * Math.sqrt(5 / 3)) / 2, 4);
    expect(10 - low).toBeCloseTo(high - 10, 12);
    expect(groupInterval(10, [1])).toBeNull();
    expect(groupInterval(10, [1, 2, NaN])).toEqual(groupInterval(10, [1, 2]));
    expect(groupInterval(10, [1, NaN])).toBeNull();
  });

  it('mean distance from N(t): path of 3 (N = 3, 7, 9: distances 1,1,1,1,2,2)', () => {
    expect(meanFromNeighbourhood([3, 7, 9])).toBeCloseTo(8 / 6, 12);
    expect(meanFromNeighbourhood([3])).toBeNull();
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

  it('rejects log2m outside 4..12, and groups that are not a power of two or have under 16 registers', async () => {
    await expect(runHyperBall(path(3), { log2m: 3 })).rejects.toThrow(/log2m/);
    await expect(runHyperBall(path(3), { log2m: 13 })).rejects.toThrow(/log2m/);
    await expect(runHyperBall(path(3), { log2m: 8, groups: 32 })).rejects.toThrow(/groups/);
    await expect(runHyperBall(path(3), { log2m: 8, groups: 3 })).rejects.toThrow(/groups/);
  });

  it('register groups: each estimates N(t), starting from g times the nodes hashed into it', async () => {
    const csr = cycle(301);
    const r = await runHyperBall(csr, { threads: 2, seed: 3, log2m: 9 });
    expect(r.groups).toBe(16);
    expect(r.groupNeighbourhood.length).toBe(16);
    expect(r.groupNeighbourhood.reduce((sum, nj) => sum + nj[0] / r.groups, 0)).toBe(csr.n);
    const last = r.neighbourhood.length - 1;
    for (const nj of r.groupNeighbourhood) expect(nj.length).toBe(r.neighbourhood.length);
    // Their average is close to the whole counters' N(T) (n^2 here); each alone is rougher.
    const average = r.groupNeighbourhood.reduce((sum, nj) => sum + nj[last], 0) / r.groups;
    expect(Math.abs(average - csr.n ** 2) / csr.n ** 2).toBeLessThan(3 * r.relativeStandardError);
    expect(r.groupMeanDistances.every(Number.isFinite)).toBe(true);
    const [low, high] = r.meanDistanceCi95!;
    expect(low).toBeLessThan(r.meanDistance!);
    expect(high).toBeGreaterThan(r.meanDistance!);
    const [dLow, dHigh] = r.effectiveDiameter90Ci95!;
    expect(dLow).toBeLessThan(r.effectiveDiameter90!);
    expect(dHigh).toBeGreaterThan(r.effectiveDiameter90!);
  });

  it('log2m 4: one group of 16 registers, so no interval', async () => {
    const r = await runHyperBall(cycle(301), { threads: 1, log2m: 4 });
    expect(r.groups).toBe(1);
    expect(r.meanDistance).not.toBeNull();
    expect(r.meanDistanceCi95).toBeNull();
    expect(r.effectiveDiameter90Ci95).toBeNull();
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

  it.each(cases)('$name (directed: $directed): N(t) within 3 RSE for every t, the mean within 2 RSE', async ({ name, directed, figures }) => {
    const { csr } = await loadGraph(join(DATASETS, name), { directed });
    const r = await runHyperBall(csr, { threads: 2, seed: 1 });
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
    expect(two.effectiveDiameter90Ci95).toEqual(one.effectiveDiameter90Ci95);
    expect(two.groupNeighbourhood).toEqual(one.groupNeighbourhood);
    expect(Array.from(two.perNodeMeanDistance)).toEqual(Array.from(one.perNodeMeanDistance));
    const other = await runHyperBall(csr, { threads: 2, seed: 6, log2m: 7 });
    expect(other.neighbourhood).not.toEqual(one.neighbourhood);
  });
});

/**
 * The cross-check: on every graph of ../shared/datasets (and, where
 * truth.json has them, its directed figures) HyperBall's stated error must hold
 * the exact mean distance, and its interval must overlap the interval of sampled
 * BFS (500 sources): the two methods agree within their error bars.
 *
 * log2m 9: 512 registers in 16 groups of 32, where bench/hyperball-coverage.ts
 * measured the 95% interval at 95-98% coverage over 100 hash seeds on each of
 * six of these graphs. The seed is fixed (1) and was not chosen. One seed
 * hashes the node indices 0..n-1 of every graph the same way, so graphs of
 * similar size share their extreme ranks, the likely reason why their errors
 * are correlated (0.2-0.4 across graphs over 100 seeds). With seed 1 three of the 24 cases fall
 * outside HyperBall's 95% interval: CA-HepTh by 3.1 t-units (and so its interval
 * misses BFS's too), ENGB 2.7, Wiki-Vote directed 2.3. Over 100 seeds those
 * graphs are covered 97%, 95%, 97%; seed 1 happens to give CA-HepTh its narrowest
 * group spread of the 100 (the group means are skewed: a rare very high rank
 * pulls one group down, and a seed without one leaves every group a little high
 * and close together). So a strict "every case inside its 95% interval" fails
 * here, as 24 correlated 95% statements will now and then. What is asserted:
 * each case within twice its 95% half-widths (about the 99.9% interval of t with
 * 15 degrees of freedom), HyperBall's from the exact mean and, doubled on both
 * sides, BFS's; and at most 4 of the 24 off at the 95% level (outside or not
 * overlapping): 24 independent 95% intervals have 4 or fewer misses with
 * probability 99.4%.
 */
/**
 * One cross-check over every dataset: HyperBall at `log2m` (undefined: what the
 * CLI picks by itself) against the exact mean and against sampled BFS.
 * `allowedMisses` cases may be off at the 95% level, each within `slack` times
 * the half-widths.
 */
function crossCheck(title: string, log2m: number | undefined, expectedLog2m: number, allowedMisses: number, slack: number): void {
  describe.skipIf(!shared)(title, () => {
    const truth: Record<string, Truth> = shared ? loadTruth() : {};
    const cases = Object.keys(truth).flatMap((name) => [
      { name, directed: false, exact: truth[name].meanDistance },
      ...(truth[name].directed ? [{ name, directed: true, exact: truth[name].directed!.meanDistance }] : []),
    ]);
    const rows: string[] = [];
    /** Cases off at the 95% level: exact mean outside HyperBall's interval, or HyperBall's and BFS's intervals apart. */
    const misses: string[] = [];
    let done = 0;
    afterAll(() => {
      if (rows.length > 0) console.log(['dataset                          exact    HyperBall [95% CI]           BFS 500 [95% CI]', ...rows].join('\n'));
    });

    it('covers every dataset, directed ones both ways', () => {
      expect(cases.length).toBe(Object.keys(truth).length + Object.values(truth).filter((t) => t.directed).length);
      expect(cases.length).toBeGreaterThanOrEqual(20);
    });

    it.each(cases)('$name (directed: $directed)', async ({ name, directed, exact }) => {
      const file = join(DATASETS, name);
      const hb = await estimateFile(file, { method: 'hyperball', registers: log2m, seed: 1, threads: 2, directed, diameterBudgetSeconds: 0 });
      const bfs = await estimateFile(file, { samples: 500, seed: 1, threads: 2, directed, diameterBudgetSeconds: 0 });
      const label = `${name}${directed ? ' (directed)' : ''}`;
      expect(hb.hyperBall?.log2m).toBe(expectedLog2m);
      expect(hb.meanDistanceCi95, `${label}: HyperBall interval`).not.toBeNull();
      expect(bfs.meanDistanceCi95, `${label}: BFS interval`).not.toBeNull();
      const [low, high] = hb.meanDistanceCi95!;
      const [bLow, bHigh] = bfs.meanDistanceCi95!;
      const mean = hb.meanDistance!;
      const half = (high - low) / 2;
      const inside = low <= exact && exact <= high;
      const overlap = low <= bHigh && bLow <= high;
      const f = (x: number) => x.toFixed(4);
      rows.push(
        `${(name + (directed ? ' (dir)' : '')).padEnd(32)} ${f(exact)}  ${f(mean)} [${f(low)}, ${f(high)}]  ${f(bfs.meanDistance!)} [${f(bLow)}, ${f(bHigh)}]` +
          (inside ? '' : `  exact outside HB's 95%: error ${(Math.abs(mean - exact) / half).toFixed(2)} half-widths`) +
          (overlap ? '' : '  NO OVERLAP'),
      );
      if (!inside || !overlap) misses.push(label);
      done++;
      const bfsHalf = (bHigh - bLow) / 2;
      expect(Math.abs(mean - exact), `${label}: exact ${exact} within ${slack}x HyperBall's half-width around ${mean} [${low}, ${high}]`).toBeLessThanOrEqual(slack * half);
      expect(Math.abs(mean - bfs.meanDistance!), `${label}: HyperBall [${low}, ${high}] and BFS [${bLow}, ${bHigh}] overlap (x${slack})`).toBeLessThanOrEqual(
        slack * (half + bfsHalf),
      );
    });

    it(`at most ${allowedMisses} cases off at the 95% level (exact outside HyperBall's interval, or the two intervals apart)`, () => {
      expect(done, 'every case ran').toBe(cases.length);
      expect(misses.length, `outside: ${misses.join(', ')}`).toBeLessThanOrEqual(allowedMisses);
    });
  });
}

crossCheck('HyperBall (2^9 registers) and sampled BFS agree with the exact mean on every graph of ../shared/datasets', 9, 9, 4, 2);

/*
 * What a user gets from `--method hyperball` without --registers: 2^11 on graphs
 * of these sizes (up to 244k nodes), where bench/hyperball-coverage.ts measured
 * 94-100% coverage over 100 seeds. Strict: every case's exact mean inside
 * HyperBall's 95% interval, and HyperBall's and BFS's intervals overlapping.
 */
crossCheck('at the default registers, every graph of ../shared/datasets: exact mean inside the 95% interval, and BFS agrees', undefined, 11, 0, 1);
