/**
 * Do compare's intervals hold the exact difference 95% of the time? For a pair of
 * ../shared/datasets graphs with exact figures in truth.json, one BFS from every
 * node gives each source's figures; each seed then draws k sources per graph
 * (seed s for the first, s + 1 for the second, as `smallworld compare` does), builds
 * the estimates with summarize() (the same sums the library keeps for those
 * sources) and compares them with comparePair().
 *
 *   node dist/bench/compare-coverage.js [--pair facebook_combined.txt.gz,email-Eu-core.txt.gz] [--samples 300] [--seeds 2000] [--offset 1]
 *
 * Prints the coverage of the mean distance's, the effective diameter's and every
 * within-h fraction's difference, and the mean interval widths; --offset 0 draws
 * both graphs with one seed (correlated samples when the node orders are alike).
 * Results go to bench/results/compare-coverage-<timestamp>.json.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadGraph } from '../src/io/load.js';
import { referenceKernel } from '../src/algorithms/kernels/reference.js';
import type { BatchResult } from '../src/algorithms/kernels/types.js';
import { effectiveDiameter, withinFractions } from '../src/stats/distribution.js';
import { summarize } from '../src/stats/estimate.js';
import { sampleSources } from '../src/stats/random.js';
import { comparePair } from '../src/stats/compare.js';
import { projectRoot } from './graphs.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';

interface EveryNode {
  n: number;
  every: BatchResult;
  start: Float64Array;
}

async function everyNode(file: string): Promise<EveryNode> {
  const g = await loadGraph(file);
  const n = g.csr.n;
  const every = referenceKernel(g.csr)(Uint32Array.from({ length: n }, (_, i) => i));
  const start = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + every.eccentricity[i];
  return { n, every, start };
}

/** The estimate of k sources drawn with `seed`: one batch holding their per-source figures, in sample order. */
function draw(p: EveryNode, k: number, seed: number) {
  const sources = Array.from(sampleSources(p.n, k, seed));
  const hopCounts: number[] = [];
  const histogram = [0];
  for (const i of sources)
    for (let d = 0; d < p.every.eccentricity[i]; d++) {
      const c = p.every.hopCounts[p.start[i] + d];
      hopCounts.push(c);
      while (histogram.length <= d + 1) histogram.push(0);
      histogram[d + 1] += c;
    }
  const eccentricity = sources.map((i) => p.every.eccentricity[i]);
  const batch: BatchResult = {
    histogram,
    reached: sources.map((i) => p.every.reached[i]),
    distanceSum: sources.map((i) => p.every.distanceSum[i]),
    eccentricity,
    hopCounts,
    maxDistance: Math.max(0, ...eccentricity),
    arcsScanned: 0,
    arcsRead: 0,
  };
  return summarize([batch], p.n);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pair: { type: 'string', default: 'facebook_combined.txt.gz,email-Eu-core.txt.gz' },
      samples: { type: 'string', default: '300' },
      seeds: { type: 'string', default: '2000' },
      offset: { type: 'string', default: '1' },
    },
  });
  const root = projectRoot();
  const datasets = join(root, '../shared/datasets');
  const truth = JSON.parse(readFileSync(join(datasets, 'truth.json'), 'utf8')).datasets;
  const [nameA, nameB] = values.pair!.split(',');
  const k = positiveInt('samples', values.samples!);
  const seeds = positiveInt('seeds', values.seeds!);
  const offset = Number(values.offset);
  const [a, b] = [await everyNode(join(datasets, nameA)), await everyNode(join(datasets, nameB))];
  const [ha, hb] = [truth[nameA].distanceHistogram as number[], truth[nameB].distanceHistogram as number[]];
  const exactMean = truth[nameA].meanDistance - truth[nameB].meanDistance;
  const exactEd = effectiveDiameter(ha)! - effectiveDiameter(hb)!;
  const [wa, wb] = [withinFractions(ha), withinFractions(hb)];
  const levels = Math.max(wa.length, wb.length) - 1;
  const exactWithin = Array.from({ length: levels + 1 }, (_, h) => (wa[h] ?? 1) - (wb[h] ?? 1));
  const covered = { mean: 0, ed: 0, within: new Array<number>(levels + 1).fill(0) };
  const width = { mean: 0, ed: 0 };
  const t0 = performance.now();
  for (let seed = 1; seed <= seeds; seed++) {
    const p = comparePair({ name: nameA, sums: draw(a, k, seed).sums! }, { name: nameB, sums: draw(b, k, seed + offset).sums! });
    const holds = (ci: [number, number] | null, x: number) => ci !== null && ci[0] <= x && x <= ci[1];
    if (holds(p.meanDistance.ci95, exactMean)) covered.mean++;
    if (holds(p.effectiveDiameter90.ci95, exactEd)) covered.ed++;
    width.mean += p.meanDistance.ci95![1] - p.meanDistance.ci95![0];
    width.ed += p.effectiveDiameter90.ci95![1] - p.effectiveDiameter90.ci95![0];
    for (const w of p.withinHopsFraction) if (w.hops <= levels && holds(w.ci95, exactWithin[w.hops])) covered.within[w.hops]++;
  }
  const summary = {
    pair: [nameA, nameB],
    samples: k,
    seeds,
    seedOffset: offset,
    exactMeanDifference: exactMean,
    meanCoverage: covered.mean / seeds,
    meanWidth: width.mean / seeds,
    exactEffectiveDiameterDifference: exactEd,
    effectiveDiameterCoverage: covered.ed / seeds,
    effectiveDiameterWidth: width.ed / seeds,
    within: exactWithin.slice(1).map((d, i) => ({ hops: i + 1, a: wa[i + 1] ?? 1, b: wb[i + 1] ?? 1, coverage: covered.within[i + 1] / seeds })),
    seconds: (performance.now() - t0) / 1000,
  };
  console.log(
    `${nameA} - ${nameB}, ${k} sources each, seeds 1..${seeds} (second graph seed + ${offset}):\n` +
      `  mean distance: exact difference ${exactMean.toFixed(4)}, coverage ${summary.meanCoverage.toFixed(3)}, mean width ${summary.meanWidth.toFixed(4)}\n` +
      `  effective diameter: exact difference ${exactEd.toFixed(4)}, coverage ${summary.effectiveDiameterCoverage.toFixed(3)}, mean width ${summary.effectiveDiameterWidth.toFixed(4)}\n` +
      summary.within.map((w) => `  within ${w.hops}: ${w.a.toFixed(4)} vs ${w.b.toFixed(4)}, coverage ${w.coverage.toFixed(3)}`).join('\n'),
  );
  console.log(`results: ${writeResult(root, 'compare-coverage', { machine: machineInfo(root), ...summary })}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/compare-coverage: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 2;
});
