/**
 * `smallworld path` on a big graph (issue #10): loads it once, draws seeded
 * random pairs of people, and for each runs our shortestPath (ngraph.path over
 * the CSR view), checks the chain is a real path (every consecutive pair an
 * arc) whose length is the BFS distance from a plain typed-array BFS, and
 * prints hops and milliseconds per pair, the total, and peak RSS.
 *
 *   npm run bench:path -- [--graph bench/graphs/rmat-22-s1.swg] [--pairs 20] [--seed 1] [--directed]
 *
 * Make the graph with `node dist/bench/rmat.js --scale 22` and, for fast loads,
 * `node dist/src/app/cli.js convert bench/graphs/rmat-22-s1.tsv bench/graphs/rmat-22-s1.swg`.
 * Exit code 1 when a chain is wrong.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { shortestPath } from '../src/algorithms/path.js';
import type { Csr } from '../src/graph/csr.js';
import { loadGraph } from '../src/io/load.js';
import { inOriginalOrder } from '../src/graph/renumber.js';
import { mulberry32 } from '../src/stats/random.js';
import { projectRoot } from './graphs.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';

interface PairResult {
  from: string;
  to: string;
  /** Hops of the chain found by shortestPath; null when it found none. */
  hops: number | null;
  /** Plain BFS distance; null when unreachable. */
  bfsHops: number | null;
  ms: number;
  bfsMs: number;
  ok: boolean;
  problem?: string;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
/** process.resourceUsage().maxRSS is in KiB. */
const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** Distance from a to b by a plain top-down BFS over typed arrays, stopping at b; -1 when unreachable. */
function bfsDistance(csr: Csr, a: number, b: number, dist: Int32Array, queue: Uint32Array): number {
  const { offsets, neighbours } = csr;
  dist[a] = 0;
  queue[0] = a;
  let head = 0;
  let tail = 1;
  let found = a === b ? 0 : -1;
  while (head < tail && found < 0) {
    const u = queue[head++];
    const du = dist[u] + 1;
    for (let j = offsets[u], end = offsets[u + 1]; j < end; j++) {
      const v = neighbours[j];
      if (dist[v] < 0) {
        dist[v] = du;
        queue[tail++] = v;
        if (v === b) {
          found = du;
          break;
        }
      }
    }
  }
  for (let k = 0; k < tail; k++) dist[queue[k]] = -1; // reset only what was touched
  return found;
}

/** True when u -> v is an arc (the lists are sorted: binary search). */
function isArc(csr: Csr, u: number, v: number): boolean {
  let lo = csr.offsets[u];
  let hi = csr.offsets[u + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = csr.neighbours[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      graph: { type: 'string' },
      pairs: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      directed: { type: 'boolean', default: false },
    },
  });
  const root = projectRoot();
  const file = values.graph ?? join(root, 'bench/graphs/rmat-22-s1.swg');
  if (!existsSync(file))
    throw new Error(`${file} is missing: node dist/bench/rmat.js --scale 22, then node dist/src/app/cli.js convert bench/graphs/rmat-22-s1.tsv ${file}`);
  const pairCount = positiveInt('pairs', values.pairs);
  const seed = Number(values.seed);

  const t0 = performance.now();
  // As `smallworld path` does: a renumbered .swg is numbered back (src/graph/renumber.ts), timed as part of the load.
  const graph = inOriginalOrder(await loadGraph(file, { directed: values.directed }));
  const loadSeconds = (performance.now() - t0) / 1000;
  const { csr, ids } = graph;
  const rssAfterLoad = peakRssBytes();
  process.stdout.write(
    `${file}: ${csr.n.toLocaleString('en-US')} nodes, ${graph.stats.edges.toLocaleString('en-US')} ${csr.directed ? 'arcs' : 'edges'}, ` +
      `loaded in ${loadSeconds.toFixed(2)} s, peak RSS after load ${mib(rssAfterLoad)}\n`,
  );

  const rand = mulberry32(seed);
  const dist = new Int32Array(csr.n).fill(-1);
  const queue = new Uint32Array(csr.n);
  const results: PairResult[] = [];
  for (let k = 0; k < pairCount; k++) {
    const a = Math.floor(rand() * csr.n);
    const b = Math.floor(rand() * csr.n);
    const from = ids.token(a);
    const to = ids.token(b);
    const s = performance.now();
    const chain = shortestPath(graph, from, to);
    const ms = performance.now() - s;
    const s2 = performance.now();
    const d = bfsDistance(csr, a, b, dist, queue);
    const bfsMs = performance.now() - s2;

    const hops = chain ? chain.length - 1 : null;
    const bfsHops = d < 0 ? null : d;
    let problem: string | undefined;
    if (hops !== bfsHops) problem = `chain of ${hops} hops, BFS distance ${bfsHops}`;
    else if (chain) {
      const nodes = chain.map((t) => ids.lookup(t));
      if (nodes[0] !== a || nodes[nodes.length - 1] !== b) problem = 'chain does not join the pair';
      for (let i = 0; i + 1 < nodes.length && !problem; i++) if (!isArc(csr, nodes[i], nodes[i + 1])) problem = `${chain[i]} -> ${chain[i + 1]} is not an arc`;
    }
    const r: PairResult = { from, to, hops, bfsHops, ms, bfsMs, ok: problem === undefined, ...(problem ? { problem } : {}) };
    results.push(r);
    process.stdout.write(
      `pair ${String(k + 1).padStart(2)}: ${from} -> ${to}: ${hops === null ? 'unreachable' : `${hops} hops`} in ${ms.toFixed(0)} ms ` +
        `(BFS ${bfsHops === null ? 'unreachable' : bfsHops}, ${bfsMs.toFixed(0)} ms) ${r.ok ? 'ok' : `WRONG: ${problem}`}\n`,
    );
  }

  const totalMs = results.reduce((sum, r) => sum + r.ms, 0);
  const wrong = results.filter((r) => !r.ok).length;
  const peak = peakRssBytes();
  process.stdout.write(
    `${results.length - wrong} of ${results.length} chains agree with BFS; path total ${(totalMs / 1000).toFixed(2)} s ` +
      `(max ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms); peak RSS ${mib(peak)} (${mib(rssAfterLoad)} after load)\n`,
  );
  const out = writeResult(root, 'path', {
    machine: machineInfo(root),
    file,
    nodes: csr.n,
    edges: graph.stats.edges,
    directed: csr.directed,
    seed,
    loadSeconds,
    pairs: results,
    totalPathSeconds: totalMs / 1000,
    peakRssBytes: peak,
    peakRssAfterLoadBytes: rssAfterLoad,
  });
  process.stdout.write(`results: ${out}\n`);
  if (wrong > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/path: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
