/**
 * Which locality numbering helps the BFS estimate most: the same sources (drawn
 * in original numbers, mapped in) on the graph as loaded, by degree, and in BFS
 * order; prints arcs/s and checks the figures are identical.
 *
 *   node dist/bench/renumber.js FILE [--samples 256] [--threads 2] [--methods none,degree,bfs]
 */
import { parseArgs } from 'node:util';
import { loadGraph } from '../src/io/load.js';
import { BfsPool, chooseBatchSize } from '../src/parallel/bfs-pool.js';
import { defaultKernel, kernelLanes } from '../src/algorithms/kernels/index.js';
import { sampleSources } from '../src/stats/random.js';
import { summarize } from '../src/stats/estimate.js';
import { computeOrder, permuteCsr, type RenumberMethod } from '../src/graph/renumber.js';
import type { Csr } from '../src/graph/csr.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { samples: { type: 'string', default: '256' }, threads: { type: 'string', default: '2' }, methods: { type: 'string', default: 'none,degree,bfs' } },
});
const file = positionals[0];
const samples = Number(values.samples);
const threads = Number(values.threads);
const t0 = performance.now();
const graph = await loadGraph(file);
console.log(`${file}: loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s, n ${graph.csr.n}, arcs ${graph.csr.neighbours.length}`);
const original = sampleSources(graph.csr.n, samples, 1);
let reference = '';
for (const method of values.methods.split(',')) {
  let csr: Csr = graph.csr;
  let sources = original;
  const t1 = performance.now();
  if (method !== 'none') {
    const order = computeOrder(graph.csr, method as RenumberMethod);
    csr = permuteCsr(graph.csr, order);
    sources = original.map((v) => order.toInternal[v]);
  }
  const renumberSeconds = (performance.now() - t1) / 1000;
  const pool = new BfsPool(csr, threads);
  const t2 = performance.now();
  const batches = await pool.run(sources, { kernel: defaultKernel, batchSize: chooseBatchSize(sources.length, threads, kernelLanes[defaultKernel] ?? 1), keepHopCounts: true });
  const seconds = (performance.now() - t2) / 1000;
  await pool.close();
  const est = summarize(batches, csr.n);
  const figures = JSON.stringify({ ...est, arcsRead: 0 });
  if (!reference) reference = figures;
  console.log(
    `${method.padEnd(6)} renumber ${renumberSeconds.toFixed(2)} s, bfs ${seconds.toFixed(2)} s, ${(est.arcsScanned / seconds / 1e9).toFixed(2)}G plain arcs/s, ` +
      `mean ${est.meanDistance}, identical ${figures === reference}`,
  );
}
