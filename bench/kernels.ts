/**
 * The BFS benchmark (`npm run bench`): every kernel on R-MAT scales 16 and 20
 * (and 22 with --full) and on the real graphs in ../shared/datasets, same
 * sources for all, one thread, in one process: seconds, adjacency entries
 * scanned per second, Graph500-style TEPS, speed-up over the reference kernel,
 * agreement with it. Then thread scaling of a whole estimate with the default
 * kernel, 1..availableParallelism() threads, each in its own child process so
 * peak RSS is per run. Table on stdout, JSON in bench/results/bench-*.json.
 *
 *   node dist/bench/kernels.js [--samples 256] [--full] [--no-datasets] [--scales 16,20]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadGraph } from '../src/io/load.js';
import { defaultKernel, kernelNames } from '../src/algorithms/kernels/index.js';
import { sampleSources } from '../src/stats/random.js';
import { ensureRmat, projectRoot } from './graphs.js';
import { formatKernelTable, timeKernels, type KernelTiming } from './kernel-timing.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';

interface GraphRun {
  graph: string;
  nodes: number;
  edges: number;
  sources: number;
  kernels: KernelTiming[];
}

interface ScalingRun {
  threads: number;
  bfsSeconds: number;
  arcsPerSecond: number;
  peakRssBytes: number;
  speedup: number;
}

async function benchGraph(label: string, file: string, samples: number): Promise<GraphRun> {
  const { csr, stats } = await loadGraph(file, { threads: 1 });
  const sources = sampleSources(csr.n, samples, 1);
  const kernels = timeKernels(csr, sources, kernelNames());
  process.stdout.write(`\n${label}: ${stats.nodes} nodes, ${stats.edges} edges, ${sources.length} sources, 1 thread\n${formatKernelTable(kernels)}\n`);
  return { graph: label, nodes: stats.nodes, edges: stats.edges, sources: sources.length, kernels };
}

/** A whole estimate in a child process per thread count: BFS time, arcs/s and that run's own peak RSS. */
function threadScaling(root: string, file: string, samples: number): ScalingRun[] {
  const runs: ScalingRun[] = [];
  for (let threads = 1; threads <= availableParallelism(); threads++) {
    const r = spawnSync(process.execPath, [join(root, 'dist/src/app/cli.js'), 'estimate', file, '--json', '--quiet', '--samples', String(samples), '--threads', String(threads)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`estimate at ${threads} threads failed: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    runs.push({ threads, bfsSeconds: j.timings.estimateSeconds, arcsPerSecond: j.timings.arcsPerSecond, peakRssBytes: j.timings.peakRssBytes, speedup: 0 });
  }
  for (const r of runs) r.speedup = runs[0].bfsSeconds / r.bfsSeconds;
  process.stdout.write(`\nthread scaling (${defaultKernel}, ${samples} sources, ${file}):\nthreads  BFS seconds  speed-up  peak RSS\n`);
  for (const r of runs) process.stdout.write(`${String(r.threads).padStart(7)}  ${r.bfsSeconds.toFixed(2).padStart(11)}  ${r.speedup.toFixed(2).padStart(7)}x  ${(r.peakRssBytes / 2 ** 20).toFixed(0).padStart(5)} MiB\n`);
  return runs;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      samples: { type: 'string', default: '256' },
      scales: { type: 'string' },
      full: { type: 'boolean', default: false },
      'no-datasets': { type: 'boolean', default: false },
    },
  });
  const samples = positiveInt('samples', values.samples!);
  const scales = values.scales ? values.scales.split(',').map((s) => positiveInt('scales', s)) : values.full ? [16, 20, 22] : [16, 20];
  const root = projectRoot();
  const graphs: GraphRun[] = [];
  for (const scale of scales) graphs.push(await benchGraph(`rmat-${scale}`, await ensureRmat(scale, 1), samples));

  const datasets = resolve(root, '../shared/datasets');
  if (values['no-datasets']) process.stdout.write('\n(skipping ../shared/datasets: --no-datasets)\n');
  else if (!existsSync(datasets)) process.stdout.write(`\n(skipping ${datasets}: not found)\n`);
  else for (const name of readdirSync(datasets).filter((f) => f.endsWith('.gz')).sort()) graphs.push(await benchGraph(name, join(datasets, name), samples));

  const scalingScale = Math.max(...scales);
  const scaling = threadScaling(root, await ensureRmat(scalingScale, 1), Math.max(samples, 1000));
  const disagreements = graphs.flatMap((g) => g.kernels.filter((k) => !k.agrees).map((k) => `${g.graph}: ${k.kernel}`));
  if (disagreements.length > 0) {
    process.stdout.write(`\nKERNELS DISAGREE WITH THE REFERENCE: ${disagreements.join(', ')}\n`);
    process.exitCode = 1;
  }
  const out = writeResult(root, 'bench', { benchmark: 'kernels', machine: machineInfo(root), samples, defaultKernel, graphs, scaling: { scale: scalingScale, runs: scaling } });
  process.stdout.write(`\nwrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
