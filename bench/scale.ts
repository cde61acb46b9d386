/**
 * Scaling benchmark (`npm run bench:scale`): one whole `smallworld estimate` on
 * Graph500 R-MAT graphs of scale 16 to 22 (to 24 with --max-scale 24), each in a
 * child process of its own so that its peak RSS is its own.
 *
 *   node dist/bench/scale.js [--min-scale 16] [--max-scale 22] [--samples 1000] [--threads 2]
 *                            [--chart bench/results/scale.svg]
 *   node dist/bench/scale.js --from-json bench/results/scale-<time>.json [--chart FILE]   redraw the chart only
 *
 * Per scale: the TSV bench/graphs/rmat-<scale>-s1.tsv is generated if missing (in
 * a child, `node dist/bench/rmat.js`), read once so the run finds it in the page
 * cache, then `smallworld estimate FILE --json --quiet --samples N --threads T`
 * runs with the default (exact) diameter. From its JSON: load time, estimate time
 * (the N-source BFS), diameter time, and peak RSS (the child's
 * process.resourceUsage().maxRSS, worker threads included).
 *
 * Writes bench/results/scale-<timestamp>.json and the chart (an SVG, drawn with
 * Vega-Lite by src/app/charts.ts renderSvg): load, estimate and diameter time,
 * and peak RSS, against distinct edges, log-log.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../src/app/charts.js';
import { projectRoot, rmatFile } from './graphs.js';
import { binEnv, cpuPressureMicros, machineInfo, positiveInt, runChild, warmFile, writeResult } from './machine.js';

interface Point {
  scale: number;
  file: string;
  fileBytes: number;
  nodes: number;
  edges: number;
  samples: number;
  threads: number;
  kernel: string | null;
  loadSeconds: number;
  estimateSeconds: number;
  diameterSeconds: number;
  totalSeconds: number;
  wallSeconds: number;
  peakRssBytes: number;
  arcsPerSecond: number | null;
  diameter: number | null;
  meanDistance: number | null;
  /** Share of the child's wall time in which some task waited for a CPU (Linux PSI), or null. */
  cpuWait: number | null;
}

async function measureScale(root: string, scale: number, samples: number, threads: number): Promise<Point> {
  const file = rmatFile(scale, 1);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    await runChild(root, [join(root, 'dist/bench/rmat.js'), '--scale', String(scale), '--seed', '1', '--out', file], binEnv(root), `generating R-MAT scale ${scale}`);
  }
  await warmFile(file);
  process.stderr.write(`scale ${scale}: smallworld estimate --samples ${samples} --threads ${threads} ...\n`);
  const pressureBefore = cpuPressureMicros();
  const started = performance.now();
  const text = await runChild(
    root,
    [join(root, 'dist/src/app/cli.js'), 'estimate', file, '--json', '--quiet', '--samples', String(samples), '--threads', String(threads)],
    binEnv(root),
    `smallworld estimate at scale ${scale}`,
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const pressureAfter = cpuPressureMicros();
  const r = JSON.parse(text) as {
    nodes: number;
    edges: number;
    sources: number;
    kernel: string | null;
    diameter: number | null;
    meanDistance: number | null;
    timings: { loadSeconds: number; estimateSeconds: number; diameterSeconds: number; totalSeconds: number; peakRssBytes: number; arcsPerSecond: number | null };
  };
  return {
    scale,
    file,
    fileBytes: statSync(file).size,
    nodes: r.nodes,
    edges: r.edges,
    samples: r.sources,
    threads,
    kernel: r.kernel,
    loadSeconds: r.timings.loadSeconds,
    estimateSeconds: r.timings.estimateSeconds,
    diameterSeconds: r.timings.diameterSeconds,
    totalSeconds: r.timings.totalSeconds,
    wallSeconds,
    peakRssBytes: r.timings.peakRssBytes,
    arcsPerSecond: r.timings.arcsPerSecond,
    diameter: r.diameter,
    meanDistance: r.meanDistance,
    cpuWait: pressureBefore === null || pressureAfter === null ? null : (pressureAfter - pressureBefore) / (wallSeconds * 1e6),
  };
}

/** Two log-log panels against distinct edges: the phases' seconds, and peak RSS. */
export function scaleChartSpec(points: Point[], subtitle: string): TopLevelSpec {
  const times = points.flatMap((p) => [
    { edges: p.edges, scale: p.scale, phase: 'load (TSV)', seconds: p.loadSeconds },
    { edges: p.edges, scale: p.scale, phase: `estimate (${p.samples} sources)`, seconds: p.estimateSeconds },
    { edges: p.edges, scale: p.scale, phase: 'exact diameter', seconds: p.diameterSeconds },
  ]).filter((v) => v.seconds > 0);
  const samples = points[0]?.samples ?? 0;
  const phases = ['load (TSV)', `estimate (${samples} sources)`, 'exact diameter'];
  const rss = points.map((p) => ({ edges: p.edges, scale: `scale ${p.scale}`, mib: p.peakRssBytes / 2 ** 20 }));
  const x = { field: 'edges', type: 'quantitative' as const, title: 'distinct edges (log)', scale: { type: 'log' as const }, axis: { format: '~s' } };
  const config = {
    font: 'sans-serif',
    axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const },
    legend: { labelFontSize: 11, titleFontSize: 12, orient: 'top-left' as const, labelLimit: 300 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'smallworld on R-MAT graphs: load, estimate and diameter time, and peak RSS, against edges, log-log',
    title: { text: 'smallworld estimate on Graph500 R-MAT graphs', subtitle, fontSize: 14, subtitleFontSize: 11 },
    config,
    hconcat: [
      {
        width: 300,
        height: 220,
        data: { values: times },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'seconds', type: 'quantitative', title: 'seconds (log)', scale: { type: 'log' }, axis: { format: '~g' } },
          color: { field: 'phase', type: 'nominal', title: null, sort: phases, scale: { domain: phases, range: ['#4c78a8', '#f58518', '#54a24b'] } },
        },
      },
      {
        width: 300,
        height: 220,
        layer: [
          { data: { values: rss }, mark: { type: 'line', point: true, color: '#e45756' }, encoding: { x, y: { field: 'mib', type: 'quantitative', title: 'peak RSS, MiB (log)', scale: { type: 'log' }, axis: { format: '~g' } } } },
          {
            data: { values: rss },
            mark: { type: 'text', dy: -9, fontSize: 10, color: '#666' },
            encoding: { x, y: { field: 'mib', type: 'quantitative' }, text: { field: 'scale', type: 'nominal' } },
          },
        ],
      },
    ],
  } as TopLevelSpec;
}

async function writeChart(chart: string, points: Point[], subtitle: string): Promise<void> {
  // A file of its own: standalone SVG needs its namespace (renderSvg drops it for inline HTML).
  const svg = (await renderSvg(scaleChartSpec(points, subtitle))).replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
  mkdirSync(dirname(chart), { recursive: true });
  writeFileSync(chart, svg + '\n');
}

function formatTable(points: Point[]): string {
  const header = ['scale', 'nodes', 'edges', 'TSV MB', 'load s', 'MB/s', 'estimate s', 'M arcs/s', 'diameter s', 'peak RSS MiB', 'cpu wait'];
  const cells = points.map((p) => [
    String(p.scale),
    String(p.nodes),
    String(p.edges),
    (p.fileBytes / 1e6).toFixed(0),
    p.loadSeconds.toFixed(2),
    (p.fileBytes / 1e6 / p.loadSeconds).toFixed(0),
    p.estimateSeconds.toFixed(2),
    p.arcsPerSecond === null ? '-' : (p.arcsPerSecond / 1e6).toFixed(0),
    p.diameterSeconds.toFixed(2),
    (p.peakRssBytes / 2 ** 20).toFixed(0),
    p.cpuWait === null ? 'n/a' : `${(p.cpuWait * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padStart(widths[i])).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'min-scale': { type: 'string', default: '16' },
      'max-scale': { type: 'string', default: '22' },
      samples: { type: 'string', default: '1000' },
      threads: { type: 'string', default: '2' },
      chart: { type: 'string', default: 'bench/results/scale.svg' },
      'from-json': { type: 'string' },
    },
  });
  const root = projectRoot();
  const chart = isAbsolute(values.chart!) ? values.chart! : resolve(root, values.chart!);
  if (values['from-json']) {
    const saved = JSON.parse(readFileSync(values['from-json'], 'utf8')) as { subtitle: string; points: Point[] };
    await writeChart(chart, saved.points, saved.subtitle);
    process.stdout.write(`wrote ${chart}\n`);
    return;
  }
  const minScale = positiveInt('min-scale', values['min-scale']!);
  const maxScale = positiveInt('max-scale', values['max-scale']!);
  if (maxScale < minScale || maxScale > 26) throw new Error('--max-scale must be from --min-scale to 26');
  const samples = positiveInt('samples', values.samples!);
  const threads = positiveInt('threads', values.threads!);
  for (const f of ['dist/src/app/cli.js', 'dist/bench/rmat.js']) if (!existsSync(join(root, f))) throw new Error(`${join(root, f)} is missing: run 'npm run build'`);
  const machine = machineInfo(root);
  const startedAt = new Date();
  const loadBefore = loadavg();

  const points: Point[] = [];
  for (let scale = minScale; scale <= maxScale; scale++) {
    const p = await measureScale(root, scale, samples, threads);
    points.push(p);
    process.stderr.write(`  ${p.edges} edges: load ${p.loadSeconds.toFixed(2)} s, estimate ${p.estimateSeconds.toFixed(2)} s, diameter ${p.diameterSeconds.toFixed(2)} s, peak RSS ${(p.peakRssBytes / 2 ** 20).toFixed(0)} MiB\n`);
  }
  const loadAfter = loadavg();

  const day = startedAt.toISOString().slice(0, 10);
  const subtitle = `${samples} sources, ${threads} threads, default exact diameter; ${machine.cpu}, ${machine.cores} cores, load average ${loadBefore[0].toFixed(0)} to ${loadAfter[0].toFixed(0)}; node ${machine.node}, ${day}, commit ${machine.commit?.slice(0, 8) ?? '?'}`;
  const result = writeResult(root, 'scale', {
    benchmark: 'scale',
    date: startedAt.toISOString(),
    machine,
    loadAverage: { before: loadBefore, after: loadAfter },
    samples,
    threads,
    chart,
    subtitle,
    points,
  });
  await writeChart(chart, points, subtitle);
  process.stdout.write(
    `\nbench:scale  R-MAT scales ${minScale}-${maxScale}, ${samples} sources, ${threads} threads; ${machine.cpu}, ${machine.cores} cores, ` +
      `load average ${loadBefore[0].toFixed(1)} -> ${loadAfter[0].toFixed(1)}\n\n${formatTable(points)}\n\nwrote ${result}\nwrote ${chart}\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:scale: ${(err as Error).message}\n`);
    process.exitCode = 2;
  });
}
