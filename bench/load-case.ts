/**
 * One measured load, in a process of its own (bench/load.ts starts one per run,
 * so each run's peak RSS is its own):
 *
 *   node dist/bench/load-case.js '{"kind":"text","file":"g.tsv","threads":2,"parser":"csv"}'
 *
 * kinds: "text" = loadGraph(file, {threads, parser}); "swg" = readSwg(file);
 * "readFileSync" = fs.readFileSync(file) alone; "readFileSync+touch" = the same
 * plus reading one byte per 4 KiB page (what any use of the bytes adds; see
 * bench/load.ts). Prints one JSON line: {seconds, nodes, edges, peakRssBytes}.
 * The modules are imported before the clock starts.
 */
import { readFileSync } from 'node:fs';
import { loadGraph } from '../src/io/load.js';
import { readSwg } from '../src/io/swg.js';

export interface CaseSpec {
  kind: 'text' | 'swg' | 'readFileSync' | 'readFileSync+touch';
  file: string;
  threads?: number;
  parser?: 'auto' | 'csv';
}

export interface CaseResult {
  seconds: number;
  nodes: number | null;
  edges: number | null;
  peakRssBytes: number;
}

async function run(spec: CaseSpec): Promise<CaseResult> {
  let nodes: number | null = null;
  let edges: number | null = null;
  const started = performance.now();
  if (spec.kind === 'text' || spec.kind === 'swg') {
    const g = spec.kind === 'swg' ? await readSwg(spec.file) : await loadGraph(spec.file, { threads: spec.threads, parser: spec.parser });
    nodes = g.stats.nodes;
    edges = g.stats.edges;
  } else {
    const bytes = readFileSync(spec.file);
    if (spec.kind === 'readFileSync+touch') {
      let sum = 0;
      for (let i = 0; i < bytes.length; i += 4096) sum += bytes[i];
      if (sum < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { seconds, nodes, edges, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

run(JSON.parse(process.argv[2]) as CaseSpec).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0); // parse worker pools must not keep the process alive
  },
  (err: unknown) => {
    process.stderr.write(`bench/load-case: ${(err as Error).message}\n`);
    process.exit(1);
  },
);
