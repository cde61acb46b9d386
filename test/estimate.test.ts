import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { distanceQuantile, effectiveDiameter, mergeHistograms, perPersonPercentiles, spid } from '../src/stats/distribution.js';
import { hopIntervals, meanWithInterval } from '../src/stats/intervals.js';
import { referenceKernel } from '../src/algorithms/kernels/reference.js';
import { loadGraph } from '../src/io/load.js';
import { sampleSources } from '../src/stats/random.js';
import { toJson } from '../src/app/report.js';
import { estimateFile } from '../src/app/api.js';
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

  it('within-h fractions and the effective diameter from per-source hop counts, with intervals', () => {
    // Three sources: hop counts [2, 1], [1, 1, 1], [3] (eccentricities 2, 3, 1), reached 3 each.
    const per = { reached: [3, 3, 3], eccentricity: [2, 3, 1], hopCounts: [2, 1, 1, 1, 1, 3] };
    const histogram = [0, 6, 2, 1];
    const exact = hopIntervals(per, 3)!;
    expect(exact.withinHopsFraction).toEqual(withinFractions(histogram));
    expect(exact.effectiveDiameter).toBe(effectiveDiameter(histogram));
    expect(exact.withinHopsFractionCi95).toEqual(withinFractions(histogram).map((f) => [f, f]));
    expect(exact.effectiveDiameterCi95).toEqual([exact.effectiveDiameter, exact.effectiveDiameter]);
    const sampled = hopIntervals(per, 1000)!;
    expect(sampled.withinHopsFraction).toEqual(exact.withinHopsFraction);
    sampled.withinHopsFractionCi95!.forEach(([low, high], h) => {
      const f = sampled.withinHopsFraction[h];
      expect(low).toBeLessThanOrEqual(f);
      expect(high).toBeGreaterThanOrEqual(f);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      if (f > 0 && f < 1) expect(high - low).toBeGreaterThan(0);
    });
    const [low, high] = sampled.effectiveDiameterCi95!;
    expect(low).toBeLessThan(sampled.effectiveDiameter!);
    expect(high).toBeGreaterThan(sampled.effectiveDiameter!);
    // One source of many: figures, no intervals; hop counts missing: nothing.
    expect(hopIntervals({ reached: [3], eccentricity: [2], hopCounts: [2, 1] }, 10)!.withinHopsFractionCi95).toBeNull();
    expect(hopIntervals({ reached: [3, 3], eccentricity: [], hopCounts: [] }, 10)).toBeNull();
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

/** Element h = share of the histogram's pairs within h hops. */
function withinFractions(histogram: number[]): number[] {
  const total = histogram.reduce((a, b) => a + b, 0);
  let cumulative = 0;
  return histogram.map((c, d) => (d === 0 ? 0 : (cumulative += c) / total));
}

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
    // ... the intervals of every figure included: present, and the same bits.
    for (const key of ['meanDistanceCi95', 'withinHopsFractionCi95', 'effectiveDiameter90Ci95'] as const) {
      expect(one[key], key).not.toBeNull();
      expect(two[key], key).toStrictEqual(one[key]);
    }
    expect((one.withinHopsFractionCi95 as unknown[]).length).toBe((one.withinHopsFraction as unknown[]).length);
    const other = toJson(await estimateFile(sample, { samples: 300, seed: 6, threads: 2 }));
    expect(other.meanDistance).not.toBe(one.meanDistance);
  });

  it.skipIf(!haveShared())('95% intervals contain the exact figures in about 95% of seeds (facebook_combined)', async () => {
    // One BFS from every node gives each source's figures; a sample is then a choice of sources.
    const file = join(DATASETS, 'facebook_combined.txt.gz');
    const truth = loadTruth()['facebook_combined.txt.gz'];
    const exactMean = truth.meanDistance;
    const exactWithin = withinFractions(truth.distanceHistogram);
    const exactDiameter = effectiveDiameter(truth.distanceHistogram)!;
    expect(exactDiameter).toBeCloseTo(truth.effectiveDiameter90, 4);
    const g = await loadGraph(file);
    const n = g.csr.n;
    const every = referenceKernel(g.csr)(Uint32Array.from({ length: n }, (_, i) => i));
    const start = new Float64Array(n);
    for (let i = 1; i < n; i++) start[i] = start[i - 1] + every.eccentricity[i - 1];
    const draw = (k: number, seed: number) => {
      const s = Array.from(sampleSources(n, k, seed));
      const hopCounts: number[] = [];
      for (const i of s) for (let d = 0; d < every.eccentricity[i]; d++) hopCounts.push(every.hopCounts[start[i] + d]);
      const reached = s.map((i) => every.reached[i]);
      return {
        mean: meanWithInterval(reached, s.map((i) => every.distanceSum[i]), n),
        hops: hopIntervals({ reached, eccentricity: s.map((i) => every.eccentricity[i]), hopCounts }, n)!,
      };
    };

    // The figures checked: the mean, within-h for every h with 0.01 < F(h) < 0.99, the effective diameter.
    const hs = exactWithin.flatMap((f, h) => (f > 0.01 && f < 0.99 ? [h] : []));
    const figures = ['mean', ...hs.map((h) => `within ${h}`), 'eff. diameter'];
    const exact = [exactMean, ...hs.map((h) => exactWithin[h]), exactDiameter];
    const k = 400;
    // Seeds 1..2000 in one pass; coverage is reported over the first 200 (the minimum) and over all.
    // Over 200 seeds a coverage figure has a standard error of 1.5 points, so 93-97% is only +-1.3 of
    // them: a well-calibrated interval lands outside for one figure in seven. Over 2000 it is 0.5 points.
    const seeds = 2000;
    const covered200 = new Array<number>(figures.length).fill(0);
    const covered = new Array<number>(figures.length).fill(0);
    for (let seed = 1; seed <= seeds; seed++) {
      const { mean, hops } = draw(k, seed);
      const intervals = [mean.ci!, ...hs.map((h) => hops.withinHopsFractionCi95![h] ?? [1, 1]), hops.effectiveDiameterCi95!];
      intervals.forEach(([low, high], j) => {
        if (low <= exact[j] && exact[j] <= high) {
          covered[j]++;
          if (seed <= 200) covered200[j]++;
        }
      });
    }
    console.log(
      `coverage of the 95% intervals, ${k} sources of ${n}, seeds 1..200 / 1..${seeds}:\n` +
        figures.map((f, j) => `  ${f.padEnd(14)} exact ${exact[j].toFixed(4)}  ${(covered200[j] / 200).toFixed(3)} / ${(covered[j] / seeds).toFixed(3)}`).join('\n'),
    );
    // Seeds are fixed, so these are deterministic figures. When written, seeds 1..200 gave mean 0.950,
    // within 1..6 hops 0.955 0.965 0.975 0.935 0.925 0.940, eff. diameter 0.935; seeds 1..2000: mean 0.947,
    // within 0.947 0.951 0.950 0.945 0.938 0.945, eff. diameter 0.935. The weakest are the far tail
    // (within 5 and 6 hops, F = 0.94 and 0.98) and the effective diameter that depends on F(5): a few far-off
    // sources hold most of the pairs beyond 5 hops, so small samples that miss them look too sure
    // (src/estimate.ts, hopIntervals; 0.946-0.955 from k = 500 up).
    expect(covered200[0] / 200, 'mean, seeds 1..200').toBeGreaterThanOrEqual(0.93);
    expect(covered200[0] / 200, 'mean, seeds 1..200').toBeLessThanOrEqual(0.97);
    figures.forEach((f, j) => {
      expect(covered[j] / seeds, `${f}, seeds 1..${seeds}`).toBeGreaterThanOrEqual(0.93);
      expect(covered[j] / seeds, `${f}, seeds 1..${seeds}`).toBeLessThanOrEqual(0.97);
    });

    // The pipeline (pool, batches, merge) gives the intervals of the same sources.
    const r = await estimateFile(file, { samples: k, seed: 3, threads: 2 });
    const direct = draw(k, 3);
    expect(r.meanDistance).toBeCloseTo(direct.mean.mean!, 12);
    expect(r.meanDistanceCi95![0]).toBeCloseTo(direct.mean.ci![0], 12);
    expect(r.meanDistanceCi95![1]).toBeCloseTo(direct.mean.ci![1], 12);
    expect(r.meanDistanceCi95![1] - r.meanDistanceCi95![0]).toBeLessThan(0.2);
    expect(r.withinHopsFraction).toEqual(direct.hops.withinHopsFraction);
    expect(r.withinHopsFractionCi95).toEqual(direct.hops.withinHopsFractionCi95);
    expect(r.effectiveDiameter90).toBe(direct.hops.effectiveDiameter);
    expect(r.effectiveDiameter90Ci95).toEqual(direct.hops.effectiveDiameterCi95);
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
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^file\s+status\s+nodes/);
    expect(lines.filter((l) => l.startsWith(sample))).toHaveLength(2); // a row per file
    expect(lines.filter((l) => l.startsWith(sample)).every((l) => /\bok\b/.test(l))).toBe(true);
  });
});
