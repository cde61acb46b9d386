/**
 * Does HyperBall's interval say its real error? Runs HyperBall with many hash
 * seeds on graphs of ../shared/datasets whose exact figures truth.json holds, and
 * compares the actual spread of the estimates around the exact mean distance
 * (and effective diameter) with the spread the intervals claim.
 *
 *   node dist/bench/hyperball-coverage.js [--datasets facebook_combined.txt.gz,CA-GrQc.txt.gz,ENGB_edges.csv.gz,email-Eu-core.txt.gz:directed]
 *        [--log2m 6,7,8,9,11] [--seeds 100] [--groups G] [--threads 2]
 *
 * The defaults take about 25 minutes on 2 cores.
 *
 * A dataset name may end in ":directed" (its truth.json `directed` figures).
 * Per dataset and log2m it prints: the exact mean; the average estimate and its
 * bias (in units of the sd over seeds); the sd of the estimate over seeds (the
 * real error); the root-mean-square of the stated sd (half-width / t_{g-1}); their
 * ratio; the coverage of the 95% interval; and the same for the effective
 * diameter. Results go to bench/results/hyperball-coverage-<timestamp>.json.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runHyperBall, studentT975 } from '../src/algorithms/hyperball/index.js';
import { loadGraph } from '../src/io/load.js';
import { projectRoot } from './graphs.js';
import { cpuPressureMicros, machineInfo, positiveInt, writeResult } from './machine.js';

interface Figures {
  meanDistance: number;
  effectiveDiameter90: number;
}

interface Summary {
  dataset: string;
  directed: boolean;
  nodes: number;
  log2m: number;
  groups: number;
  seeds: number;
  secondsPerRun: number;
  exactMean: number;
  averageMean: number;
  /** (average - exact) / sd over seeds. */
  biasInSds: number;
  /** Standard deviation of the estimate over seeds: the real error. */
  sdOverSeeds: number;
  /** Root-mean-square distance of the estimate from the exact figure (bias included). */
  rmsError: number;
  /** Root-mean-square of the stated sd, half-width / t_{g-1,0.975}. */
  statedSd: number;
  /** statedSd / rmsError: 1 is honest, above 1 conservative. */
  statedOverActual: number;
  coverage: number;
  /** sd over seeds of the average of the group means (should match sdOverSeeds if the groups average like the whole counter). */
  sdOfGroupAverage: number;
  exactEffectiveDiameter: number;
  effectiveDiameterBias: number;
  effectiveDiameterSdOverSeeds: number;
  effectiveDiameterStatedSd: number;
  effectiveDiameterCoverage: number;
  /** The seeds whose mean interval missed the exact mean. */
  missedSeeds: number[];
  /** Per seed (1, 2, ...): the estimate, its interval, and the group means, for further analysis. */
  perSeed: Array<{ seed: number; mean: number; ci: [number, number]; groupMeans: number[]; effectiveDiameter: number; effectiveDiameterCi: [number, number]; neighbourhood: number[]; groupNeighbourhood: number[][] }>;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const rms = (xs: number[]) => Math.sqrt(mean(xs.map((x) => x * x)));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      datasets: { type: 'string', default: 'facebook_combined.txt.gz,CA-GrQc.txt.gz,ENGB_edges.csv.gz,email-Eu-core.txt.gz:directed' },
      log2m: { type: 'string', default: '6,7,8,9,11' },
      seeds: { type: 'string', default: '100' },
      groups: { type: 'string' },
      threads: { type: 'string', default: '2' },
    },
  });
  const root = projectRoot();
  const datasetsDir = join(root, '../shared/datasets');
  const truth = JSON.parse(readFileSync(join(datasetsDir, 'truth.json'), 'utf8')).datasets as Record<string, Figures & { directed?: Figures }>;
  const seeds = positiveInt('seeds', values.seeds);
  const threads = positiveInt('threads', values.threads);
  const groups = values.groups === undefined ? undefined : positiveInt('groups', values.groups);
  const log2ms = values.log2m.split(',').map((v) => positiveInt('log2m', v.trim()));
  const pressureBefore = cpuPressureMicros();
  const started = performance.now();

  const summaries: Summary[] = [];
  for (const spec of values.datasets.split(',').map((d) => d.trim())) {
    const [name, flag] = spec.split(':');
    const directed = flag === 'directed';
    const exact = directed ? truth[name]?.directed : truth[name];
    if (!exact) throw new Error(`no truth.json figures for ${spec}`);
    const { csr } = await loadGraph(join(datasetsDir, name), { directed });
    for (const log2m of log2ms) {
      const means: number[] = [];
      const statedSds: number[] = [];
      const groupAverages: number[] = [];
      const diameters: number[] = [];
      const diameterSds: number[] = [];
      const missedSeeds: number[] = [];
      const perSeed: Summary['perSeed'] = [];
      let covered = 0;
      let diameterCovered = 0;
      let seconds = 0;
      let g = 0;
      for (let seed = 1; seed <= seeds; seed++) {
        const r = await runHyperBall(csr, { log2m, seed, threads, groups });
        g = r.groups;
        seconds += r.seconds;
        const [low, high] = r.meanDistanceCi95!;
        const [dLow, dHigh] = r.effectiveDiameter90Ci95!;
        const t = studentT975(g - 1);
        means.push(r.meanDistance!);
        statedSds.push((high - low) / 2 / t);
        groupAverages.push(mean(r.groupMeanDistances));
        diameters.push(r.effectiveDiameter90!);
        diameterSds.push((dHigh - dLow) / 2 / t);
        perSeed.push({ seed, mean: r.meanDistance!, ci: [low, high], groupMeans: r.groupMeanDistances, effectiveDiameter: r.effectiveDiameter90!, effectiveDiameterCi: [dLow, dHigh], neighbourhood: r.neighbourhood, groupNeighbourhood: r.groupNeighbourhood });
        if (low <= exact.meanDistance && exact.meanDistance <= high) covered++;
        else missedSeeds.push(seed);
        if (dLow <= exact.effectiveDiameter90 && exact.effectiveDiameter90 <= dHigh) diameterCovered++;
      }
      const sdOverSeeds = sd(means);
      const rmsError = rms(means.map((x) => x - exact.meanDistance));
      const s: Summary = {
        dataset: name,
        directed,
        nodes: csr.n,
        log2m,
        groups: g,
        seeds,
        secondsPerRun: seconds / seeds,
        exactMean: exact.meanDistance,
        averageMean: mean(means),
        biasInSds: (mean(means) - exact.meanDistance) / sdOverSeeds,
        sdOverSeeds,
        rmsError,
        statedSd: rms(statedSds),
        statedOverActual: rms(statedSds) / rmsError,
        coverage: covered / seeds,
        sdOfGroupAverage: sd(groupAverages),
        exactEffectiveDiameter: exact.effectiveDiameter90,
        effectiveDiameterBias: mean(diameters) - exact.effectiveDiameter90,
        effectiveDiameterSdOverSeeds: sd(diameters),
        effectiveDiameterStatedSd: rms(diameterSds),
        effectiveDiameterCoverage: diameterCovered / seeds,
        missedSeeds,
        perSeed,
      };
      summaries.push(s);
      process.stdout.write(
        `${name}${directed ? ' (directed)' : ''} log2m ${log2m} g ${g}, ${seeds} seeds, ${s.secondsPerRun.toFixed(2)} s/run: ` +
          `exact ${s.exactMean.toFixed(4)}, average ${s.averageMean.toFixed(4)} (bias ${s.biasInSds.toFixed(2)} sd), ` +
          `sd ${s.sdOverSeeds.toFixed(4)}, rms error ${s.rmsError.toFixed(4)}, stated sd ${s.statedSd.toFixed(4)} (${s.statedOverActual.toFixed(2)}x), ` +
          `coverage ${(100 * s.coverage).toFixed(0)}%; sd of group average ${s.sdOfGroupAverage.toFixed(4)}; ` +
          `eff. diameter: exact ${s.exactEffectiveDiameter}, bias ${s.effectiveDiameterBias.toFixed(4)}, sd ${s.effectiveDiameterSdOverSeeds.toFixed(4)}, ` +
          `stated sd ${s.effectiveDiameterStatedSd.toFixed(4)}, coverage ${(100 * s.effectiveDiameterCoverage).toFixed(0)}%\n`,
      );
    }
  }
  const pressureAfter = cpuPressureMicros();
  const out = writeResult(root, 'hyperball-coverage', {
    benchmark: 'hyperball-coverage',
    date: new Date().toISOString(),
    machine: machineInfo(root),
    seconds: (performance.now() - started) / 1000,
    cpuPressureMicros: pressureBefore !== null && pressureAfter !== null ? pressureAfter - pressureBefore : null,
    threads,
    summaries,
  });
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/hyperball-coverage: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 2;
});
