/**
 * Benchmark of one whole estimate (load + BFS or HyperBall) on a Graph500 R-MAT
 * graph, at 1 and 2 worker threads.
 *
 *   node dist/bench/estimate.js [--scale 20] [--samples 1000] [--kernel NAME] [--threads 1,2]
 *                               [--methods bfs,hyperball] [--registers LOG2M]
 *
 * Each method and thread count runs `smallworld estimate --json` (the CLI over
 * estimateFile from src/run.ts) in its own child process: peak RSS only ever
 * grows within a process, so this is the only way each run reports its own
 * peak. `--methods bfs,hyperball` puts sampled BFS (--samples sources) and
 * HyperBall (every node; --registers, default the CLI's choice) side by side.
 * Prints a table and writes everything to bench/results/estimate-<timestamp>.json.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureRmat, projectRoot } from './graphs.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';

interface ChildTimings {
  loadSeconds: number;
  estimateSeconds: number;
  totalSeconds: number;
  peakRssBytes: number;
  arcsPerSecond: number;
}

/** The fields of the CLI's JSON (src/report.ts toJson) that this benchmark reads. */
interface ChildResult {
  nodes: number;
  edges: number;
  sources: number;
  threads: number;
  kernel: string;
  graphBytes: number;
  arcsScanned: number;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
  effectiveDiameter90: number | null;
  method?: 'bfs' | 'hyperball';
  hyperBall?: { log2m: number; groups?: number; iterations: number; memoryBytes: number; effectiveDiameter90Ci95?: [number, number] | null };
  timings: ChildTimings;
}

type Method = 'bfs' | 'hyperball';

interface Run {
  method: Method;
  threads: number;
  /** Wall time of the child, node start-up included. */
  wallSeconds: number;
  result: ChildResult;
}

function runCli(root: string, file: string, method: Method, threads: number, samples: number, kernel?: string, registers?: number): Promise<Run> {
  const cli = join(root, 'dist/src/app/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npm run build'`);
  const args = [cli, 'estimate', file, '--json', '--quiet', '--threads', String(threads)];
  if (method === 'hyperball') {
    args.push('--method', 'hyperball');
    if (registers !== undefined) args.push('--registers', String(registers));
  } else {
    args.push('--samples', String(samples));
    if (kernel) args.push('--kernel', kernel);
  }
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`smallworld estimate --threads ${threads} failed (${signal ?? `exit ${code}`})`));
      try {
        const result = JSON.parse(Buffer.concat(out).toString('utf8')) as ChildResult;
        resolve({ method, threads, wallSeconds: (performance.now() - started) / 1000, result });
      } catch (err) {
        reject(new Error(`unreadable JSON from smallworld estimate: ${(err as Error).message}`));
      }
    });
  });
}

const ci = (c: [number, number] | null | undefined) => (c ? `${c[0].toFixed(4)}..${c[1].toFixed(4)}` : 'n/a');

function formatTable(runs: Run[]): string {
  const header = ['method', 'threads', 'load s', 'estimate s', 'M arcs/s', 'speedup', 'peak RSS MiB', 'wall s', 'mean dist', '95% CI'];
  const rows = runs.map(({ method, threads, wallSeconds, result: r }) => {
    const base = runs.find((b) => b.method === method && b.threads === 1);
    return [
      method === 'hyperball' ? `hyperball 2^${r.hyperBall?.log2m}` : `bfs ${r.sources}`,
      String(threads),
      r.timings.loadSeconds.toFixed(2),
      r.timings.estimateSeconds.toFixed(2),
      method === 'bfs' ? (r.timings.arcsPerSecond / 1e6).toFixed(1) : '-',
      base ? (base.result.timings.estimateSeconds / r.timings.estimateSeconds).toFixed(2) + 'x' : '-',
      (r.timings.peakRssBytes / 2 ** 20).toFixed(0),
      wallSeconds.toFixed(2),
      r.meanDistance === null ? 'n/a' : r.meanDistance.toFixed(4),
      ci(r.meanDistanceCi95),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '20' },
      samples: { type: 'string', default: '1000' },
      kernel: { type: 'string' },
      threads: { type: 'string', default: '1,2' },
      methods: { type: 'string', default: 'bfs' },
      registers: { type: 'string' },
    },
  });
  const methods = values.methods.split(',').map((m) => m.trim());
  for (const m of methods) if (m !== 'bfs' && m !== 'hyperball') throw new Error(`--methods: unknown method '${m}' (bfs, hyperball)`);
  const registers = values.registers === undefined ? undefined : positiveInt('registers', values.registers);
  const scale = positiveInt('scale', values.scale);
  const samples = positiveInt('samples', values.samples);
  const threadCounts = values.threads.split(',').map((t) => positiveInt('threads', t.trim()));
  const root = projectRoot();
  const machine = machineInfo(root);
  const file = await ensureRmat(scale);

  const loadAverageBefore = loadavg();
  const runs: Run[] = [];
  for (const method of methods as Method[])
    for (const threads of threadCounts) {
      const what = method === 'bfs' ? `${samples} sources` : 'HyperBall';
      process.stderr.write(`R-MAT scale ${scale}, ${what}, ${threads} thread${threads === 1 ? '' : 's'} ...\n`);
      runs.push(await runCli(root, file, method, threads, samples, values.kernel, registers));
    }
  const loadAverage = loadavg();

  const first = runs[0].result;
  process.stdout.write(
    `\nR-MAT scale ${scale} (${file}): ${first.nodes.toLocaleString('en-US')} nodes, ${first.edges.toLocaleString('en-US')} edges; ` +
      `${samples} BFS sources, kernel ${first.kernel}\n` +
      `${machine.cpu}, ${machine.cores} cores, node ${machine.node}, commit ${machine.commit?.slice(0, 12) ?? 'unknown'}${machine.dirty ? ' (dirty)' : ''}; ` +
      `load average before ${loadAverageBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAverage.map((l) => l.toFixed(2)).join(' ')}\n\n` +
      formatTable(runs) +
      '\n',
  );

  const startedAt = new Date();
  const report = {
    benchmark: 'estimate',
    date: startedAt.toISOString(),
    machine,
    graph: { kind: 'rmat', scale, seed: 1, file, nodes: first.nodes, edges: first.edges, graphBytes: first.graphBytes },
    samples,
    kernel: first.kernel,
    loadAverageBefore,
    loadAverageAfter: loadAverage,
    runs: runs.map(({ method, threads, wallSeconds, result: r }) => ({
      method,
      threads,
      wallSeconds,
      loadSeconds: r.timings.loadSeconds,
      estimateSeconds: r.timings.estimateSeconds,
      ...(method === 'bfs' ? { bfsSeconds: r.timings.estimateSeconds } : {}),
      totalSeconds: r.timings.totalSeconds,
      arcsScanned: r.arcsScanned,
      arcsPerSecond: r.timings.arcsPerSecond,
      peakRssBytes: r.timings.peakRssBytes,
      meanDistance: r.meanDistance,
      meanDistanceCi95: r.meanDistanceCi95,
      effectiveDiameter90: r.effectiveDiameter90,
      ...(r.hyperBall ? { hyperBall: r.hyperBall } : { sources: r.sources }),
    })),
  };
  const out = writeResult(root, 'estimate', report);
  process.stdout.write(`\nwrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/estimate: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
