/**
 * Issue 11, part 2: `smallworld compare` and the sums every BFS estimate keeps. Differences with 95%
 * intervals from the sums (independent samples, var(A - B) = var(A) + var(B)), the same bits from a
 * results.jsonl as computed fresh, the sentences, and coverage of the exact difference over 100 seeds.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compare, estimate, loadGraph, type EstimateReport } from '../src/index.js';
import { comparePair, effectiveDiameterFromSums, meanFromSums, sourcesToResolve, withinFromSums } from '../src/stats/compare.js';
import { effectiveDiameter, withinFractions } from '../src/stats/distribution.js';
import { DATASETS, haveShared, loadTruth, ROOT, runCli, tempFile } from './helpers.js';

const Z95 = 1.959963984540054;
const sample = join(ROOT, 'data/sample-social.tsv');
const fb = join(DATASETS, 'facebook_combined.txt.gz');
const eu = join(DATASETS, 'email-Eu-core.txt.gz');
const grqc = join(DATASETS, 'CA-GrQc.txt.gz');
const shared = haveShared();

/** A results.jsonl as batch writes it: one `{ name, file, status, fingerprint, options, ...toJson }` per line. */
function resultsJsonl(entries: Array<{ name: string; report: EstimateReport | null; error?: string; file?: string }>): string {
  const lines = entries.map((e) =>
    JSON.stringify(
      e.report
        ? { name: e.name, fingerprint: `fp-${e.name}`, options: { samples: e.report.sources }, ...e.report }
        : { name: e.name, file: e.file ?? `${e.name}.txt`, status: 'error', error: e.error, fingerprint: null, options: {} },
    ),
  );
  return lines.join('\n') + '\n';
}

describe('the sums kept in every BFS estimate', () => {
  it('give the intervals the per-source values give, and match the figures', async () => {
    const r = await estimate(sample, { samples: 300, seed: 4, threads: 2, diameterBudgetSeconds: 0 });
    const s = r.sums!;
    expect(s.k).toBe(300);
    expect(s.n).toBe(r.populationNodes);
    expect(s.x).toBe(r.distanceHistogram.reduce((a, b) => a + b, 0));
    expect(s.withinHops.y.length).toBe(r.distanceHistogram.length);
    expect(s.withinHops.yy!.length).toBe(r.distanceHistogram.length);
    expect(s.withinHops.yNext!.length).toBe(r.distanceHistogram.length - 1);
    // y[h] = pairs within h hops: the cumulative histogram.
    let c = 0;
    expect(s.withinHops.y).toEqual(r.distanceHistogram.map((p, d) => (d === 0 ? 0 : (c += p))));
    // The figures from the sums are the JSON's, bit for bit.
    const mean = meanFromSums(s);
    expect(mean.value).toBe(r.meanDistance);
    expect(effectiveDiameterFromSums(s).value).toBe(r.effectiveDiameter90);
    r.withinHopsFraction.forEach((f, h) => expect(withinFromSums(s, h).value).toBe(f));
    // Standard errors from the sums = the per-source ones (intervals.ts) up to rounding.
    const half = (r.meanDistanceCi95![1] - r.meanDistanceCi95![0]) / 2;
    expect(Z95 * mean.standardError!).toBeCloseTo(half, 10);
    for (let h = 1; h < r.withinHopsFraction.length; h++) {
      const f = r.withinHopsFraction[h];
      if (f <= 0 || f >= 1) continue;
      // The within-h interval is on the logit scale: logit(high) - logit(f) = 1.96 SE / (f (1 - f)).
      const logit = (p: number) => Math.log(p / (1 - p));
      const [, high] = r.withinHopsFractionCi95![h];
      const ratio = (logit(high) - logit(f)) / ((Z95 * withinFromSums(s, h).standardError!) / (f * (1 - f)));
      expect(Math.abs(ratio - 1), `within ${h}`).toBeLessThan(1e-6); // logit() near 1 loses digits
    }
    // Woodruff's interval for the effective diameter: while its upper end stays below the next integer,
    // it is the estimate + 1.96 SE(interpolated F) / slope, the delta-method SE compare uses.
    const ed = effectiveDiameterFromSums(s);
    const [, edHigh] = r.effectiveDiameter90Ci95!;
    expect(edHigh).toBeLessThan(Math.ceil(r.effectiveDiameter90!));
    expect(edHigh - r.effectiveDiameter90!).toBeCloseTo(Z95 * ed.standardError!, 10);
    console.log(
      `sums of 300 sources of ${sample}: k ${s.k}, n ${s.n}, x ${s.x}, ${s.withinHops.y.length} levels; mean ${mean.value!.toFixed(4)} ± ${(Z95 * mean.standardError!).toFixed(4)} (interval's half-width ${half.toFixed(4)})`,
    );
  });

  it('are the same bits at 1 and 2 threads, exact with --exact (no hop second moments), absent with HyperBall', async () => {
    const one = await estimate(sample, { samples: 200, seed: 9, threads: 1, diameterBudgetSeconds: 0 });
    const two = await estimate(sample, { samples: 200, seed: 9, threads: 2, diameterBudgetSeconds: 0 });
    expect(two.sums).toStrictEqual(one.sums);
    const karate = join(DATASETS, 'karate.txt.gz');
    if (shared) {
      const exact = await estimate(karate, { exact: true, diameterBudgetSeconds: 0 });
      expect(exact.sums!.k).toBe(34);
      expect(exact.sums!.n).toBe(34);
      expect(exact.sums!.withinHops.yy).toBeNull();
      expect(meanFromSums(exact.sums!)).toEqual({ value: exact.meanDistance, standardError: 0, exact: true });
      const hb = await estimate(karate, { method: 'hyperball', registers: 6, diameterBudgetSeconds: 0 });
      expect(hb.sums).toBeUndefined();
      expect('sums' in hb).toBe(false);
    }
  });
});

describe.skipIf(!shared)('compare on real datasets', () => {
  it('covers the exact difference in mean distance 93-97% of the time over 100 seeds (facebook_combined vs email-Eu-core, 300 sources each)', async () => {
    const truth = loadTruth();
    const tA = truth['facebook_combined.txt.gz'];
    const tB = truth['email-Eu-core.txt.gz'];
    const exactMean = tA.meanDistance - tB.meanDistance;
    const exactWithin = withinFractions(tA.distanceHistogram).map((f, h) => f - (withinFractions(tB.distanceHistogram)[h] ?? 1));
    const exactEd = effectiveDiameter(tA.distanceHistogram)! - effectiveDiameter(tB.distanceHistogram)!;
    // Each graph loaded once, estimated with 100 seeds through the library (pool, kernels, summarize, toJson).
    const a = await loadGraph(fb);
    const b = await loadGraph(eu);
    const seeds = 100;
    const k = 300;
    let covered = 0;
    let width = 0;
    let edCovered = 0;
    let edWidth = 0;
    const withinCovered = new Map<number, number>();
    const t0 = performance.now();
    for (let seed = 1; seed <= seeds; seed++) {
      // Seeds s and s + 1, as `compare A B --seed s` draws them: independent samples (with one seed for both,
      // the same positions in both node orders are drawn, and here those correlate: 0.13 over 2000 seeds).
      const ra = await estimate(a, { samples: k, seed, diameterBudgetSeconds: 0 });
      const rb = await estimate(b, { samples: k, seed: seed + 1, diameterBudgetSeconds: 0 });
      const report = await compare([{ ...ra, name: 'facebook_combined' }, { ...rb, name: 'email-Eu-core' }]);
      expect(report.notes).toEqual([]);
      const p = report.pairs[0];
      const [low, high] = p.meanDistance.ci95!;
      if (low <= exactMean && exactMean <= high) covered++;
      width += high - low;
      const [el, eh] = p.effectiveDiameter90.ci95!;
      if (el <= exactEd && exactEd <= eh) edCovered++;
      edWidth += eh - el;
      for (const w of p.withinHopsFraction) {
        const ex = exactWithin[w.hops] ?? 0;
        if (w.ci95![0] <= ex && ex <= w.ci95![1]) withinCovered.set(w.hops, (withinCovered.get(w.hops) ?? 0) + 1);
      }
      if (seed === 1) {
        // The acceptance's single run: the interval holds the exact difference.
        expect(low).toBeLessThanOrEqual(exactMean);
        expect(high).toBeGreaterThanOrEqual(exactMean);
        expect(p.sentence).toMatch(/^facebook_combined's mean distance is 1\.\d\d hops longer than email-Eu-core's \(95% CI 1\.\d\d to 1\.\d\d\)$/);
      }
    }
    a.close();
    b.close();
    const hops = [...withinCovered.keys()].filter((h) => Math.abs(exactWithin[h]) > 1e-3).sort((x, y) => x - y);
    console.log(
      `compare facebook_combined - email-Eu-core, ${k} sources each, seeds 1..${seeds} (${((performance.now() - t0) / 1000).toFixed(1)} s):\n` +
        `  mean distance: exact difference ${exactMean.toFixed(4)}, coverage ${(covered / seeds).toFixed(2)}, mean interval width ${(width / seeds).toFixed(4)}\n` +
        `  effective diameter: exact difference ${exactEd.toFixed(4)}, coverage ${(edCovered / seeds).toFixed(2)}, mean width ${(edWidth / seeds).toFixed(4)}\n` +
        `  within h: ${hops.map((h) => `${h}: ${((withinCovered.get(h) ?? 0) / seeds).toFixed(2)}`).join(', ')}`,
    );
    expect(covered / seeds).toBeGreaterThanOrEqual(0.93);
    expect(covered / seeds).toBeLessThanOrEqual(0.97);
  }, 240_000);

  it('from results.jsonl gives the same intervals, bit for bit, as computed fresh; results.jsonl:NAME picks one; failed rows are skipped', async () => {
    const fresh = runCli(['compare', fb, eu, '--samples', '250', '--seed', '5', '--json', '-q']);
    expect(fresh.stderr).toBe('');
    expect(fresh.status).toBe(0);
    const freshJson = JSON.parse(fresh.stdout);
    // The same estimates as batch would keep them (library, another thread count), then read back.
    // compare gives the second edge list seed + 1.
    const ra = await estimate(fb, { samples: 250, seed: 5, threads: 1, diameterBudgetSeconds: 0 });
    const rb = await estimate(eu, { samples: 250, seed: 6, threads: 1, diameterBudgetSeconds: 0 });
    const results = tempFile('results.jsonl', resultsJsonl([
      { name: 'facebook_combined', report: ra },
      { name: 'broken', report: null, error: 'broken.txt:3: expected 2 columns, found 1' },
      { name: 'email-Eu-core', report: rb },
    ]));
    const read = runCli(['compare', results, '--json']);
    expect(read.status).toBe(0);
    const readJson = JSON.parse(read.stdout);
    expect(readJson.pairs).toStrictEqual(freshJson.pairs);
    expect(readJson.pairs).toHaveLength(1);
    expect(readJson.skipped).toEqual([{ name: 'broken', file: 'broken.txt', reason: 'failed: broken.txt:3: expected 2 columns, found 1' }]);
    expect(readJson.datasets.map((d: { origin: string; seed: number }) => [d.origin, d.seed])).toEqual([['read', 5], ['read', 6]]);
    expect(freshJson.datasets.map((d: { origin: string; seed: number }) => [d.origin, d.seed])).toEqual([['estimated', 5], ['estimated', 6]]);
    // Picked by name, in the order given: B - A, the same interval turned round.
    const picked = JSON.parse(runCli(['compare', `${results}:email-Eu-core`, `${results}:facebook_combined`, '--json']).stdout);
    const m = picked.pairs[0].meanDistance;
    expect(m.difference).toBe(-freshJson.pairs[0].meanDistance.difference);
    expect(m.standardError).toBe(freshJson.pairs[0].meanDistance.standardError);
    // Mixed: one read back, one estimated now with the same options: the same bits again.
    const mixed = JSON.parse(runCli(['compare', `${results}:facebook_combined`, eu, '--samples', '250', '--seed', '6', '--json', '-q']).stdout);
    expect(mixed.pairs).toStrictEqual(freshJson.pairs);
    // Unknown name: a usage error listing what is there.
    const unknown = runCli(['compare', `${results}:nope`, eu]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('has no dataset named nope; it has: facebook_combined, email-Eu-core');
    // The text: a table per pair with every figure, and the sentence.
    const text = runCli(['compare', results]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/facebook_combined vs email-Eu-core\n {2}figure +facebook_combined +email-Eu-core +difference +95% CI of the difference\n {2}mean distance +3\.\d{4} +2\.\d{4} +\+1\.\d{4} +\+1\.\d{4} to \+1\.\d{4}\n/);
    expect(text.stdout).toMatch(/ {2}within 3 hops +\d+\.\d\d% +9\d\.\d\d% +-\d+\.\d\d pts +-\d+\.\d\d to -\d+\.\d\d pts\n/);
    expect(text.stdout).toMatch(/ {2}effective diameter 90% +4\.\d{4} +2\.\d{4} +\+1\.\d{4} +\+1\.\d{4} to \+1\.\d{4}\n/);
    expect(text.stdout).toContain("facebook_combined's mean distance is 1.");
    expect(text.stdout).toContain('skipped broken (broken.txt): failed: broken.txt:3');
  }, 120_000);

  it('within-h fractions and the effective diameter: differences with intervals that hold the exact ones', async () => {
    const truth = loadTruth();
    const ra = await estimate(fb, { samples: 400, seed: 2, diameterBudgetSeconds: 0 });
    const rb = await estimate(eu, { samples: 400, seed: 3, diameterBudgetSeconds: 0 });
    const p = comparePair({ name: 'fb', sums: ra.sums! }, { name: 'eu', sums: rb.sums! });
    const wa = withinFractions(truth['facebook_combined.txt.gz'].distanceHistogram);
    const wb = withinFractions(truth['email-Eu-core.txt.gz'].distanceHistogram);
    expect(p.withinHopsFraction.map((w) => w.hops)).toEqual(Array.from({ length: Math.max(ra.distanceHistogram.length, rb.distanceHistogram.length) - 1 }, (_, i) => i + 1));
    const missed: number[] = [];
    for (const w of p.withinHopsFraction) {
      expect(w.difference).toBe(w.a! - w.b!);
      expect(w.ci95).not.toBeNull();
      expect(w.ci95![0]).toBeLessThanOrEqual(w.difference!);
      expect(w.ci95![1]).toBeGreaterThanOrEqual(w.difference!);
      const exact = (wa[w.hops] ?? 1) - (wb[w.hops] ?? 1);
      // Where either fraction is below 1 the interval has width; each holds the exact difference 95% of the time.
      if (w.a! < 1 || w.b! < 1) expect(w.ci95![1] - w.ci95![0], `within ${w.hops}`).toBeGreaterThan(0);
      if (!(w.ci95![0] <= exact && exact <= w.ci95![1])) missed.push(w.hops);
    }
    console.log(`within-h intervals that miss the exact difference: ${missed.length ? missed.join(', ') : 'none'} of ${p.withinHopsFraction.length}`);
    expect(missed.length).toBeLessThanOrEqual(1);
    // Within 2 hops: 17.7% against 46.1%, a difference of -28 points, plainly detectable.
    expect(p.withinHopsFraction[1].detectable).toBe(true);
    expect(p.withinHopsFraction[1].difference!).toBeCloseTo(wa[2] - wb[2], 1);
    const ed = p.effectiveDiameter90;
    const exactEd = truth['facebook_combined.txt.gz'].effectiveDiameter90 - truth['email-Eu-core.txt.gz'].effectiveDiameter90;
    expect(ed.a).toBe(ra.effectiveDiameter90);
    expect(ed.b).toBe(rb.effectiveDiameter90);
    expect(ed.ci95![0]).toBeLessThan(exactEd);
    expect(ed.ci95![1]).toBeGreaterThan(exactEd);
    expect(ed.detectable).toBe(true);
    console.log(
      `fb - eu, 400 sources, seed 2: effective diameter ${ed.difference!.toFixed(4)} [${ed.ci95![0].toFixed(4)}, ${ed.ci95![1].toFixed(4)}] (exact ${exactEd.toFixed(4)}); ` +
        p.withinHopsFraction
          .slice(0, 5)
          .map((w) => `within ${w.hops}: ${(100 * w.difference!).toFixed(2)} pts [${(100 * w.ci95![0]).toFixed(2)}, ${(100 * w.ci95![1]).toFixed(2)}]`)
          .join('; '),
    );
  });

  it('says "no difference detectable" for one dataset under two seeds, with the sources that would resolve 0.01', async () => {
    const g = await loadGraph(grqc);
    const r1 = await estimate(g, { samples: 300, seed: 1, diameterBudgetSeconds: 0 });
    const r2 = await estimate(g, { samples: 300, seed: 2, diameterBudgetSeconds: 0 });
    g.close();
    const report = await compare([{ ...r1, name: 'CA-GrQc' }, { ...r2, name: 'CA-GrQc' }]);
    // A repeated name gets its seed.
    expect(report.datasets.map((d) => d.name)).toEqual(['CA-GrQc (seed 1)', 'CA-GrQc (seed 2)']);
    const p = report.pairs[0];
    expect(p.meanDistance.detectable).toBe(false);
    expect(p.meanDistance.ci95![0]).toBeLessThan(0);
    expect(p.meanDistance.ci95![1]).toBeGreaterThan(0);
    // K: the sources per dataset at which 1.96 sqrt(s_A^2 (1/K - 1/n) + s_B^2 (1/K - 1/n)) = 0.01, s^2 each
    // sample's per-source variance (var = s^2 (1/k - 1/n), so s^2 = SE^2 / (1/k - 1/n)).
    const n = r1.sums!.n;
    const unit = (r: EstimateReport) => meanFromSums(r.sums!).standardError! ** 2 / (1 / 300 - 1 / n);
    const s2 = unit(r1) + unit(r2);
    const exactK = s2 / ((0.01 / Z95) ** 2 + s2 / n);
    console.log(`CA-GrQc seeds 1 and 2, 300 sources each: ${p.sentence}; K solved exactly ${exactK.toFixed(1)} of n = ${n}`);
    const K = p.sourcesToResolve!;
    expect(K.resolution).toBe(0.01);
    // CA-GrQc's per-source variance is large: thousands of its 5,242 people would be needed, same count for both.
    expect(K.a).toBe(K.b);
    expect(K.a).toBeGreaterThanOrEqual(Math.ceil(exactK));
    expect(K.a).toBeLessThan(exactK * 1.1 + 1); // rounded up to two significant digits
    expect(String(K.a)).toMatch(/^\d\d0+$/);
    expect(K.a).toBeLessThan(n);
    // At K the half-width is at most 0.01 (K rounded up to two significant digits).
    // At K the half-width is at most 0.01, and K is the smallest count with two significant digits that gets there.
    const halfAt = (k: number) => Z95 * Math.sqrt(s2 * (1 / k - 1 / n));
    const step = 10 ** (Math.floor(Math.log10(K.a)) - 1);
    expect(halfAt(K.a)).toBeLessThanOrEqual(0.01);
    expect(halfAt(K.a - step)).toBeGreaterThan(0.01);
    const d = p.meanDistance;
    const digits = 2;
    expect(p.sentence).toBe(
      `CA-GrQc (seed 1) vs CA-GrQc (seed 2): no difference in mean distance detectable at this sample size ` +
        `(CA-GrQc (seed 1) - CA-GrQc (seed 2) = ${d.difference! >= 0 ? '+' : ''}${d.difference!.toFixed(digits)} hops, 95% CI ${d.ci95![0].toFixed(digits)} to ${d.ci95![1].toFixed(digits)}); ` +
        `about ${K.a.toLocaleString('en-US')} sources per dataset would resolve 0.01 hops`,
    );
    // A coarser resolution needs far fewer sources; one the sample already resolves says so.
    const coarse = sourcesToResolve(r1.sums!, r2.sums!, 0.1)!;
    const coarseK = s2 / ((0.1 / Z95) ** 2 + s2 / n);
    expect(coarse.a).toBeGreaterThanOrEqual(coarseK);
    expect(coarse.a).toBeLessThan(coarseK * 1.1 + 1);
    expect(coarse.a).toBeLessThan(K.a / 5);
    const wide = comparePair({ name: 'one', sums: r1.sums! }, { name: 'two', sums: r2.sums! }, { resolution: 1 });
    expect(wide.sentence).toMatch(/; the interval already rules out differences beyond 0\.\d\d hops$/);
    // The CLI on the same file twice: seeds 1 and 2, the same sentence.
    const cli = runCli(['compare', grqc, grqc, '--samples', '300', '--json', '-q']);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout).pairs[0].sentence).toBe(p.sentence);
    // Two results drawn with one seed: a note says their samples may be alike.
    const same = await compare([{ ...r1, name: 'x' }, { ...r1, name: 'y' }]);
    expect(same.notes).toEqual([expect.stringMatching(/^x and y were sampled with the same seed \(1\): if their node orders are alike/)]);
  });

  it('exact estimates give an exact difference, said so', async () => {
    const karate = join(DATASETS, 'karate.txt.gz');
    const truth = loadTruth()['karate.txt.gz'];
    const edges = tempFile('ring.tsv', Array.from({ length: 12 }, (_, i) => `${i}\t${(i + 1) % 12}`).join('\n') + '\n');
    const run = runCli(['compare', karate, edges, '--exact', '--json']);
    expect(run.status).toBe(0);
    const p = JSON.parse(run.stdout).pairs[0];
    // A 12-cycle: distances 1..5 twice each and 6 once: mean 36/11.
    expect(p.meanDistance.exact).toBe(true);
    expect(p.meanDistance.standardError).toBe(0);
    expect(p.meanDistance.difference).toBeCloseTo(truth.meanDistance - 36 / 11, 9);
    expect(p.meanDistance.ci95).toEqual([p.meanDistance.difference, p.meanDistance.difference]);
    expect(p.sentence).toBe(`karate's mean distance is ${(36 / 11 - truth.meanDistance).toFixed(4)} hops shorter than ring's (exact: every node a source in both)`);
    expect(p.sourcesToResolve).toBeNull();
    const text = runCli(['compare', karate, edges, '--exact']);
    expect(text.stdout).toMatch(/ {2}mean distance +2\.4082 +3\.2727 +-0\.8645 +exact\n/);
  });

  it('refuses HyperBall results and results without sums (exit 2), malformed sums (exit 1), and HyperBall as a method (exit 2)', async () => {
    const karate = join(DATASETS, 'karate.txt.gz');
    const hb = await estimate(karate, { method: 'hyperball', registers: 6, diameterBudgetSeconds: 0 });
    const bfs = await estimate(karate, { samples: 20, diameterBudgetSeconds: 0 });
    const withHb = tempFile('hb.jsonl', resultsJsonl([{ name: 'karate-bfs', report: bfs }, { name: 'karate-hb', report: hb }]));
    const refused = runCli(['compare', withHb]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^smallworld: karate-hb \(.*hb\.jsonl:2\) is a HyperBall estimate: it keeps no per-source sums, so its differences get no interval here; estimate it with --method bfs/);
    const { sums: _dropped, ...old } = bfs;
    const noSums = tempFile('old.json', JSON.stringify([bfs, old]));
    const r2 = runCli(['compare', noSums]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain("has no 'sums'");
    const bad = tempFile('bad.jsonl', resultsJsonl([{ name: 'a', report: bfs }, { name: 'b', report: { ...bfs, sums: { ...bfs.sums!, x: 'many' } } as unknown as EstimateReport }]));
    const r3 = runCli(['compare', bad]);
    expect(r3.status).toBe(1);
    expect(r3.stderr).toMatch(/bad\.jsonl:2: its 'sums' object is malformed/);
    const r4 = runCli(['compare', karate, karate, '--method', 'hyperball']);
    expect(r4.status).not.toBe(0);
    const one = runCli(['compare', karate]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain('compare needs two or more datasets');
    await expect(compare([karate, karate], { method: 'hyperball' })).rejects.toThrow(/compare works with sampled BFS estimates only/);
    await expect(compare([karate, karate], { resolution: 0 })).rejects.toThrow(/--resolution 0: expected a number of hops > 0/);
  });
});

describe('difference arithmetic', () => {
  it('var(A - B) = var(A) + var(B) from the sums, with each side\'s finite-population correction', () => {
    // Three sources each: A reaches 4, 4, 4 nodes with distance sums 8, 10, 12 of n = 10; B 2, 2, 2 with 2, 2, 4 of n = 20.
    const sums = (ys: number[], xs: number[], n: number) => ({
      k: xs.length,
      n,
      x: xs.reduce((a, b) => a + b, 0),
      xx: xs.reduce((a, b) => a + b * b, 0),
      distance: { y: ys.reduce((a, b) => a + b, 0), yy: ys.reduce((a, b) => a + b * b, 0), xy: ys.reduce((a, y, i) => a + y * xs[i], 0) },
      withinHops: { y: [0, xs.reduce((a, b) => a + b, 0)], yy: [0, xs.reduce((a, b) => a + b * b, 0)], xy: [0, xs.reduce((a, b) => a + b * b, 0)], yNext: [0] },
    });
    const a = sums([8, 10, 12], [4, 4, 4], 10);
    const b = sums([2, 2, 4], [2, 2, 2], 20);
    // A: R = 30/12 = 2.5, influence (y - R x)/mean(x) = (-2, 0, 2)/4, sum of squares 0.5; var = (1 - 3/10) 0.5 / 2 / 3.
    // B: R = 8/6, influence (2 - 8/3, 2 - 8/3, 4 - 8/3)/2 = (-1/3, -1/3, 2/3), sum of squares 2/3; var = (1 - 3/20) (2/3) / 2 / 3.
    const varA = (0.7 * 0.5) / 6;
    const varB = (0.85 * (2 / 3)) / 6;
    expect(meanFromSums(a).standardError!).toBeCloseTo(Math.sqrt(varA), 14);
    expect(meanFromSums(b).standardError!).toBeCloseTo(Math.sqrt(varB), 14);
    const p = comparePair({ name: 'A', sums: a }, { name: 'B', sums: b });
    expect(p.meanDistance.difference).toBeCloseTo(2.5 - 8 / 6, 14);
    expect(p.meanDistance.standardError!).toBeCloseTo(Math.sqrt(varA + varB), 14);
    expect(p.meanDistance.ci95![0]).toBeCloseTo(2.5 - 8 / 6 - Z95 * Math.sqrt(varA + varB), 12);
    expect(p.sentence).toMatch(/^A's mean distance is 1\.\d+ hops longer than B's \(95% CI \d\.\d+ to \d\.\d+\)$/);
    // Every node a source on one side: its variance is 0 and only the other's remains.
    const whole = { ...a, n: 3 };
    expect(comparePair({ name: 'A', sums: whole }, { name: 'B', sums: b }).meanDistance.standardError!).toBeCloseTo(Math.sqrt(varB), 14);
    // B reversed: "shorter", the interval turned round.
    expect(comparePair({ name: 'B', sums: b }, { name: 'A', sums: a }).sentence).toMatch(/^B's mean distance is 1\.\d+ hops shorter than A's \(95% CI \d\.\d+ to \d\.\d+\)$/);
  });
});
