import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { distanceQuantile, effectiveDiameter, meanWithInterval, mergeHistograms, perPersonPercentiles, spid } from '../src/estimate.js';
import { referenceKernel } from '../src/kernels/reference.js';
import { loadGraph } from '../src/load.js';
import { sampleSources } from '../src/random.js';
import { toJson } from '../src/report.js';
import { estimateFile } from '../src/run.js';
import { DATASETS, haveShared, loadTruth, ROOT, runCli } from './helpers.js';

describe('pieces of the estimator', () => {
  it('merges histograms of different lengths', () => {
    expect(mergeHistograms([[0, 1, 2], [0, 3], [0, 0, 0, 4]])).toEqual([0, 4, 2, 4]);
  });

  it('interpolates the effective diameter as SNAP does', () => {
    // g(1) = 0.5, g(2) = 0.8, g(3) = 1: D = 3, value 2 + (0.9 - 0.8) / 0.2 = 2.5
    expect(effectiveDiameter([0, 5, 3, 2])).toBeCloseTo(2.5, 12);
    // reached exactly at a hop count
    expect(effectiveDiameter([0, 9, 1])).toBeCloseTo(1, 12);
  });

  it('gives a zero-width interval when every source is used, none for one source', () => {
    expect(meanWithInterval([3, 3], [6, 9], 2).ci).toEqual([2.5, 2.5]);
    expect(meanWithInterval([3], [6], 10).ci).toBeNull();
    const { mean, ci } = meanWithInterval([3, 3, 3], [6, 9, 12], 1000);
    expect(mean).toBe(3);
    expect(ci![0]).toBeLessThan(3);
    expect(ci![1]).toBeGreaterThan(3);
  });

  it('samples distinct sources, reproducibly, for small and large shares', () => {
    for (const [n, k] of [[1000, 10], [1000, 900], [5, 5]]) {
      const a = sampleSources(n, k, 42);
      expect(new Set(a).size).toBe(k);
      expect(Math.max(...a)).toBeLessThan(n);
      expect(Array.from(sampleSources(n, k, 42))).toEqual(Array.from(a));
    }
    expect(Array.from(sampleSources(1000, 10, 43))).not.toEqual(Array.from(sampleSources(1000, 10, 42)));
  });
});

const sample = join(ROOT, 'data/sample-social.tsv');

describe('distribution figures', () => {
  it('median, integer effective diameter, spid and per-person percentiles', () => {
    const h = [0, 8, 6, 4, 2]; // path of 5
    expect(distanceQuantile(h, 0.5)).toBe(2);
    expect(distanceQuantile(h, 0.9)).toBe(3);
    // mean 2, E[d^2] = (8 + 24 + 36 + 32) / 20 = 5, variance 1, spid 0.5
    expect(spid(h)).toBeCloseTo(0.5, 12);
    const p = perPersonPercentiles([4, 4, 4, 4, 4, 0], [10, 7, 6, 7, 10, 0])!;
    expect(p.p50).toBeCloseTo(7 / 4, 12);
    expect(p.p10).toBeCloseTo(6 / 4, 12);
    expect(p.p90).toBeCloseTo(10 / 4, 12);
    expect(p.histogram).toEqual([{ from: 1.5, people: 1 }, { from: 1.75, people: 2 }, { from: 2.5, people: 2 }]);
  });
});

describe('sampled estimates', () => {
  it.skipIf(!haveShared())('--precision 0.01 on facebook_combined reaches the target and covers the exact mean', async () => {
    const exact = loadTruth()['facebook_combined.txt.gz'].meanDistance;
    const r = await estimateFile(join(DATASETS, 'facebook_combined.txt.gz'), { precision: 0.01, seed: 1, threads: 2 });
    const [low, high] = r.meanDistanceCi95!;
    console.log(`--precision 0.01: ${r.sources} sources, half-width ${((high - low) / 2).toFixed(4)}, interval [${low.toFixed(4)}, ${high.toFixed(4)}], exact ${exact}`);
    expect((high - low) / 2).toBeLessThanOrEqual(0.01);
    expect(r.sources).toBeLessThan(r.nodes);
    expect(r.precisionTarget).toBe(0.01);
    expect(low).toBeLessThanOrEqual(exact);
    expect(high).toBeGreaterThanOrEqual(exact);
  });

  it('same seed, same figures at 1 and 2 threads', async () => {
    const one = toJson(await estimateFile(sample, { samples: 300, seed: 5, threads: 1 }));
    const two = toJson(await estimateFile(sample, { samples: 300, seed: 5, threads: 2 }));
    const figures = (j: Record<string, unknown>) => ({ ...j, threads: undefined, timings: undefined });
    expect(figures(two)).toEqual(figures(one));
    const other = toJson(await estimateFile(sample, { samples: 300, seed: 6, threads: 2 }));
    expect(other.meanDistance).not.toBe(one.meanDistance);
  });

  it.skipIf(!haveShared())('95% intervals contain the exact mean in about 95% of seeds (facebook_combined)', async () => {
    // One BFS from every node gives each source's figures; a sample is then a choice of sources.
    const file = join(DATASETS, 'facebook_combined.txt.gz');
    const exact = loadTruth()['facebook_combined.txt.gz'].meanDistance;
    const g = await loadGraph(file);
    const every = referenceKernel(g.csr)(Uint32Array.from({ length: g.csr.n }, (_, i) => i));
    const k = 400;
    let covered = 0;
    const seeds = 200;
    for (let seed = 1; seed <= seeds; seed++) {
      const s = Array.from(sampleSources(g.csr.n, k, seed));
      const { ci } = meanWithInterval(s.map((i) => every.reached[i]), s.map((i) => every.distanceSum[i]), g.csr.n);
      if (ci![0] <= exact && exact <= ci![1]) covered++;
    }
    console.log(`coverage of the 95% interval, ${k} sources, ${seeds} seeds: ${(covered / seeds).toFixed(3)}`);
    // Seeds 1..200 are fixed, so this is one deterministic figure (0.950 when written); a 95% interval must land near 95%.
    expect(covered / seeds).toBeGreaterThanOrEqual(0.93);
    expect(covered / seeds).toBeLessThanOrEqual(0.97);

    // The pipeline (pool, batches, merge) gives the interval of the same sources.
    const r = await estimateFile(file, { samples: k, seed: 3, threads: 2 });
    const s = Array.from(sampleSources(g.csr.n, k, 3));
    const direct = meanWithInterval(s.map((i) => every.reached[i]), s.map((i) => every.distanceSum[i]), g.csr.n);
    expect(r.meanDistance).toBeCloseTo(direct.mean!, 12);
    expect(r.meanDistanceCi95![0]).toBeCloseTo(direct.ci![0], 12);
    expect(r.meanDistanceCi95![1]).toBeCloseTo(direct.ci![1], 12);
    expect(r.meanDistanceCi95![1] - r.meanDistanceCi95![0]).toBeLessThan(0.2);
  });
});

describe('the diameter in an estimate', () => {
  it.skipIf(!haveShared())('is exact (truth.json) with a sample, and skipped with --diameter-budget 0', () => {
    const file = join(DATASETS, 'CA-GrQc.txt.gz');
    const j = JSON.parse(runCli(['estimate', file, '--samples', '50', '--json']).stdout);
    expect(j.diameter).toBe(loadTruth()['CA-GrQc.txt.gz'].diameter);
    expect(j.maxDistanceSeen).toBeLessThanOrEqual(j.diameter);
    const skipped = JSON.parse(runCli(['estimate', file, '--samples', '50', '--json', '--diameter-budget', '0']).stdout);
    expect(skipped.diameter).toBeNull();
  });
});

describe('--method hyperball', () => {
  it.skipIf(!haveShared())('estimates facebook_combined over every node, its interval holding the exact mean', () => {
    const t = loadTruth()['facebook_combined.txt.gz'];
    const j = JSON.parse(runCli(['estimate', join(DATASETS, 'facebook_combined.txt.gz'), '--method', 'hyperball', '--json', '--registers', '8']).stdout);
    expect(j.method).toBe('hyperball');
    expect(j.hyperBall.log2m).toBe(8);
    expect(j.meanDistanceCi95[0]).toBeLessThanOrEqual(t.meanDistance);
    expect(j.meanDistanceCi95[1]).toBeGreaterThanOrEqual(t.meanDistance);
    expect(Math.abs(j.meanDistance - t.meanDistance) / t.meanDistance).toBeLessThan(0.05);
    expect(j.distanceHistogram.length - 1).toBeGreaterThanOrEqual(t.diameter - 1);
  });
});

describe('the CLI', () => {
  it('prints one JSON object with every figure for one file', () => {
    const r = runCli(['estimate', sample, '--samples', '50', '--json', '--threads', '2']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const key of [
      'meanDistance', 'meanDistanceCi95', 'degreesOfSeparation', 'distanceHistogram', 'effectiveDiameter90',
      'maxDistanceSeen', 'reachablePairFraction', 'nodes', 'edges', 'sources', 'seed', 'threads',
    ])
      expect(j).toHaveProperty(key);
    expect(Object.keys(j.timings)).toEqual(expect.arrayContaining(['loadSeconds', 'estimateSeconds', 'totalSeconds', 'peakRssBytes']));
    expect(j.nodes).toBe(20000);
    expect(j.sources).toBe(50);
    expect(j.degreesOfSeparation).toBeCloseTo(j.meanDistance - 1, 12);
    expect(j.distanceHistogram[0]).toBe(0);
    expect(j.timings.peakRssBytes).toBeGreaterThan(1e6);
  });

  it('prints an array for several files and a table row per file without --json', () => {
    const json = runCli(['estimate', sample, sample, '--samples', '20', '--json']);
    expect(JSON.parse(json.stdout)).toHaveLength(2);
    const table = runCli(['estimate', sample, sample, '--samples', '20']);
    expect(table.status).toBe(0);
    expect(table.stdout.trim().split('\n')).toHaveLength(4); // header, rule, two rows
  });
});
