/**
 * Load benchmark: how fast one R-MAT graph loads from each input form.
 *
 *   node dist/bench/load.js [--scale 20] [--repeats 3] [--threads 2]
 *
 * Inputs, all of the graph of bench/graphs.ts (ensureRmat, seed 1), made in
 * bench/graphs/ on first use and reused (the .swg is rewritten every run, since
 * its format may have changed, and the write is timed):
 *   rmat-S-s1.tsv            the plain TSV ("u<TAB>v")
 *   rmat-S-s1-users.csv      the same edges as CSV, header "source,target", ids "user_<n>"
 *   rmat-S-s1.tsv.gz         the TSV through gzip level 1
 *   rmat-S-s1.swg            the TSV's graph written by writeSwg
 *
 * Every case runs in its own child process (bench/load-case.ts), --repeats
 * times, the cases interleaved round by round; a case's time is its median run
 * and its peak RSS the largest. Times are of the load call alone, inside the
 * child. Every input is read once first, so all cases read from the page cache:
 * this measures parsing and building, not the disk.
 *
 * "csv-parse floor script" is issue #12's yardstick for the text loader:
 * `node ../shared/peers/csvparse_floor.mjs FILE`, run from the project root as
 * a child process, exactly as the shared script is meant to be run; its time
 * is the one it prints (its own clock, started after csv-parse is imported), and
 * "vs floor" divides it by each case's time. The loader cases' time is the
 * loadGraph call inside their child (modules imported before the clock starts);
 * the "process s" column is each child's whole wall time, node start-up
 * included, for the floor script too. With --floor-only only the TSV fast path
 * (threads as given, and 1) and the floor script run: the acceptance check of
 * issue #12 part 1, without making the other inputs.
 *
 * "readFileSync" is the floor for any loader of the .swg: the kernel copying
 * the file into fresh memory. "readFileSync + touch" adds one read per 4 KiB
 * page: on some VMs the first user access to pages the kernel just filled costs
 * a fault of its own, which any real use of the bytes pays too (informational).
 *
 * Prints a table and writes everything to bench/results/load-<timestamp>.json.
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { loadGraph } from '../src/io/load.js';
import { writeSwg } from '../src/io/swg.js';
import type { CaseResult, CaseSpec } from './load-case.js';
import { ensureRmat, projectRoot } from './graphs.js';
import { binEnv, cpuPressureMicros, machineInfo, positiveInt, writeResult } from './machine.js';

interface Case {
  name: string;
  /** The csv-parse baseline every ratio is taken against. */
  baseline?: boolean;
  /** Run ../shared/peers/csvparse_floor.mjs on spec.file instead of bench/load-case.ts. */
  floor?: boolean;
  spec: CaseSpec;
}

interface Run extends CaseResult {
  /** Share of the run's wall time in which some task waited for a CPU (/proc/pressure/cpu), or null. */
  cpuWait: number | null;
  /** The child process's whole wall time (start-up, imports and exit included). */
  processSeconds: number;
}

/** The shared csv-parse floor script, relative to the project root (it is run from there). */
const FLOOR_SCRIPT = '../shared/peers/csvparse_floor.mjs';

interface Summary {
  name: string;
  kind: CaseSpec['kind'];
  file: string;
  inputBytes: number;
  medianSeconds: number;
  mbPerSecond: number;
  edgesPerSecond: number | null;
  peakRssBytes: number;
  speedupVsCsvParse: number;
  /** The floor script's median seconds / this case's (null without the floor case). */
  speedupVsFloor: number | null;
  medianProcessSeconds: number;
  nodes: number | null;
  edges: number | null;
  runs: Run[];
}

// ---------------------------------------------------------------------------
// Inputs

/** Writes `file` through `write` to a temporary name, then renames it: a killed run leaves no half file to reuse. */
async function makeOnce(file: string, what: string, write: (temp: string) => Promise<void>): Promise<void> {
  if (existsSync(file)) return;
  process.stderr.write(`making ${file} (${what}) ...\n`);
  const temp = `${file}.tmp-${process.pid}`;
  try {
    await write(temp);
    renameSync(temp, file);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The TSV's edges as CSV with a header and string ids: "user_<u>,user_<v>", comments dropped. */
function tsvToUserCsv(): Transform {
  let rest = '';
  let first = true;
  const convert = (lines: string[]): string => {
    let out = first ? 'source,target\n' : '';
    first = false;
    for (const line of lines) {
      if (line === '' || line.startsWith('#')) continue;
      const tab = line.indexOf('\t');
      out += `user_${line.slice(0, tab)},user_${line.slice(tab + 1)}\n`;
    }
    return out;
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop()!;
      done(null, convert(lines));
    },
    flush(done) {
      done(null, convert([rest]));
    },
  });
}

async function ensureUserCsv(tsv: string): Promise<string> {
  const csv = tsv.replace(/\.tsv$/, '-users.csv');
  await makeOnce(csv, 'CSV, string ids', (temp) => pipeline(createReadStream(tsv), tsvToUserCsv(), createWriteStream(temp)));
  return csv;
}

async function ensureGzip(tsv: string): Promise<string> {
  const gz = `${tsv}.gz`;
  await makeOnce(gz, 'gzip -1', (temp) => pipeline(createReadStream(tsv), createGzip({ level: 1 }), createWriteStream(temp)));
  return gz;
}

/** Converts the TSV to .swg in this process; returns the path and the seconds writeSwg took. */
async function writeSwgOf(tsv: string, threads: number): Promise<{ file: string; writeSeconds: number }> {
  const file = tsv.replace(/\.tsv$/, '.swg');
  process.stderr.write(`writing ${file} ...\n`);
  const graph = await loadGraph(tsv, { threads });
  const started = performance.now();
  await writeSwg(graph, file, { force: true }); // the benchmark's own file, rewritten every run
  return { file, writeSeconds: (performance.now() - started) / 1000 };
}

/** Reads a file to nowhere, so that the measured runs find it in the page cache. */
async function warm(file: string): Promise<void> {
  await pipeline(createReadStream(file, { highWaterMark: 8 << 20 }), new Writable({ write: (_chunk, _encoding, done) => done() }));
}

// ---------------------------------------------------------------------------
// Runs


function runCase(root: string, c: Case): Promise<Run> {
  const spec = c.spec;
  const script = join(root, 'dist/bench/load-case.js');
  const args = c.floor ? [FLOOR_SCRIPT, spec.file] : [script, JSON.stringify(spec)];
  return new Promise((resolve, reject) => {
    const pressureBefore = cpuPressureMicros();
    const started = performance.now();
    // smallworld's cases run with the environment its command sets itself (binEnv); the floor without.
    const child = spawn(process.execPath, args, { cwd: root, env: c.floor ? process.env : binEnv(root), stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`load case ${JSON.stringify(spec)} failed (${signal ?? `exit ${code}`})`));
      const pressureAfter = cpuPressureMicros();
      const wallMicros = (performance.now() - started) * 1000;
      const cpuWait = pressureBefore === null || pressureAfter === null ? null : (pressureAfter - pressureBefore) / wallMicros;
      const printed = JSON.parse(Buffer.concat(out).toString('utf8'));
      const result: CaseResult = c.floor
        ? { seconds: (printed as { seconds: number }).seconds, nodes: null, edges: null, peakRssBytes: 0 }
        : (printed as CaseResult);
      resolve({ ...result, cpuWait, processSeconds: wallMicros / 1e6 });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function summarize(cases: Case[], runs: Map<Case, Run[]>): Summary[] {
  const baseline = cases.find((c) => c.baseline)!;
  const baselineSeconds = median(runs.get(baseline)!.map((r) => r.seconds));
  const floor = cases.find((c) => c.floor);
  const floorSeconds = floor ? median(runs.get(floor)!.map((r) => r.seconds)) : null;
  return cases.map((c) => {
    const caseRuns = runs.get(c)!;
    const seconds = median(caseRuns.map((r) => r.seconds));
    const inputBytes = statSync(c.spec.file).size;
    const edges = caseRuns[0].edges;
    return {
      name: c.name,
      kind: c.spec.kind,
      file: c.spec.file,
      inputBytes,
      medianSeconds: seconds,
      mbPerSecond: inputBytes / 1e6 / seconds,
      edgesPerSecond: edges === null ? null : edges / seconds,
      peakRssBytes: Math.max(...caseRuns.map((r) => r.peakRssBytes)),
      speedupVsCsvParse: baselineSeconds / seconds,
      speedupVsFloor: floorSeconds === null ? null : floorSeconds / seconds,
      medianProcessSeconds: median(caseRuns.map((r) => r.processSeconds)),
      nodes: caseRuns[0].nodes,
      edges,
      runs: caseRuns,
    };
  });
}

function formatTable(rows: Summary[]): string {
  const header = ['case', 'input MB', 'seconds', 'MB/s', 'M edges/s', 'peak RSS MiB', 'vs csv-parse', 'vs floor', 'process s', 'each run s', 'cpu wait'];
  const cells = rows.map((r) => {
    const waits = r.runs.map((run) => run.cpuWait).filter((w): w is number => w !== null);
    return [
      r.name,
      (r.inputBytes / 1e6).toFixed(1),
      r.medianSeconds.toFixed(3),
      r.mbPerSecond.toFixed(0),
      r.edgesPerSecond === null ? '-' : (r.edgesPerSecond / 1e6).toFixed(2),
      r.peakRssBytes > 0 ? (r.peakRssBytes / 2 ** 20).toFixed(0) : '-',
      `${r.speedupVsCsvParse.toFixed(1)}x`,
      r.speedupVsFloor === null ? '-' : `${r.speedupVsFloor.toFixed(1)}x`,
      r.medianProcessSeconds.toFixed(2),
      r.runs.map((run) => run.seconds.toFixed(2)).join(' '),
      waits.length ? `${(median(waits) * 100).toFixed(0)}%` : 'n/a',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '20' },
      repeats: { type: 'string', default: '3' },
      threads: { type: 'string', default: '2' },
      'floor-only': { type: 'boolean', default: false },
    },
  });
  const floorOnly = values['floor-only'];
  const scale = positiveInt('scale', values.scale);
  const repeats = positiveInt('repeats', values.repeats);
  const threads = positiveInt('threads', values.threads);
  const root = projectRoot();
  if (!existsSync(join(root, 'dist/bench/load-case.js'))) throw new Error(`${join(root, 'dist/bench/load-case.js')} is missing: run 'npm run build'`);
  const machine = machineInfo(root);
  const startedAt = new Date();

  const tsv = await ensureRmat(scale);
  const haveFloor = existsSync(join(root, FLOOR_SCRIPT));
  if (!haveFloor) process.stderr.write(`${join(root, FLOOR_SCRIPT)} is missing: no "vs floor" column\n`);
  if (floorOnly && !haveFloor) throw new Error('--floor-only needs the shared floor script');
  const floorCase: Case[] = haveFloor ? [{ name: 'tsv, csv-parse floor script', floor: true, spec: { kind: 'text', file: tsv } }] : [];

  let cases: Case[];
  let inputs: Record<string, string>;
  let swg: { file: string; writeSeconds: number } | null = null;
  if (floorOnly) {
    cases = [
      { name: `tsv, fast path, ${threads} threads`, spec: { kind: 'text', file: tsv, threads } },
      { name: 'tsv, fast path, 1 thread', spec: { kind: 'text', file: tsv, threads: 1 } },
      { ...floorCase[0], baseline: true },
    ];
    inputs = { tsv };
  } else {
    const csv = await ensureUserCsv(tsv);
    const gz = await ensureGzip(tsv);
    swg = await writeSwgOf(tsv, threads);
    cases = [
      { name: `tsv, fast path, ${threads} threads`, spec: { kind: 'text', file: tsv, threads } },
      { name: 'tsv, fast path, 1 thread', spec: { kind: 'text', file: tsv, threads: 1 } },
      { name: 'tsv, csv-parse (baseline)', baseline: true, spec: { kind: 'text', file: tsv, threads: 1, parser: 'csv' } },
      ...floorCase,
      { name: `csv, string ids, ${threads} threads`, spec: { kind: 'text', file: csv, threads } },
      { name: `tsv.gz, ${threads} threads`, spec: { kind: 'text', file: gz, threads } },
      { name: '.swg, readSwg', spec: { kind: 'swg', file: swg.file } },
      { name: '.swg, readFileSync (floor)', spec: { kind: 'readFileSync', file: swg.file } },
      { name: '.swg, readFileSync + touch', spec: { kind: 'readFileSync+touch', file: swg.file } },
    ];
    inputs = { tsv, csv, gz, swg: swg.file };
  }

  for (const file of Object.values(inputs)) await warm(file);
  const loadAverageBefore = loadavg();
  const runs = new Map<Case, Run[]>(cases.map((c) => [c, []]));
  for (let round = 1; round <= repeats; round++) {
    for (const c of cases) {
      process.stderr.write(`round ${round}/${repeats}: ${c.name} ...\n`);
      runs.get(c)!.push(await runCase(root, c));
    }
  }
  const loadAverageAfter = loadavg();

  const rows = summarize(cases, runs);
  const byName = (name: string) => rows.find((r) => r.name === name);
  const swgRow = byName('.swg, readSwg');
  const floor = byName('.swg, readFileSync (floor)');
  const touched = byName('.swg, readFileSync + touch');
  const ratios = {
    tsvFastPathVsCsvParse: floorOnly ? null : rows[0].speedupVsCsvParse,
    tsvFastPath1ThreadVsCsvParse: floorOnly ? null : rows[1].speedupVsCsvParse,
    tsvFastPathVsFloorScript: rows[0].speedupVsFloor,
    tsvFastPath1ThreadVsFloorScript: rows[1].speedupVsFloor,
    /** Each round's ratio (the same round's floor run / fast path run). */
    tsvFastPathVsFloorScriptByRound: haveFloor
      ? runs.get(cases[0])!.map((r, i) => runs.get(cases.find((c) => c.floor)!)![i].seconds / r.seconds)
      : null,
    swgVsReadFileSync: swgRow && floor ? swgRow.medianSeconds / floor.medianSeconds : null,
    swgVsReadFileSyncTouched: swgRow && touched ? swgRow.medianSeconds / touched.medianSeconds : null,
  };
  const counts = new Set(rows.filter((r) => r.edges !== null).map((r) => `${r.nodes} nodes, ${r.edges} edges`));
  const x = (ratio: number | null, digits = 1) => (ratio === null ? 'n/a' : `${ratio.toFixed(digits)}x`);

  process.stdout.write(
    `\nR-MAT scale ${scale} (${tsv}): ${[...counts].join(' | ')}` +
      `${counts.size > 1 ? '  <- the inputs disagree!' : ''}\n` +
      `${machine.cpu}, ${machine.cores} cores, node ${machine.node}, commit ${machine.commit?.slice(0, 12) ?? 'unknown'}${machine.dirty ? ' (dirty)' : ''}; ` +
      `load average ${loadAverageBefore[0].toFixed(1)} -> ${loadAverageAfter[0].toFixed(1)}\n` +
      `median of ${repeats} runs each; peak RSS is the largest of the runs; cpu wait = share of wall time some task waited for a CPU\n\n` +
      formatTable(rows) +
      `\n\ntsv fast path vs the csv-parse floor script (node ${FLOOR_SCRIPT} FILE): ${x(ratios.tsvFastPathVsFloorScript)} with ${threads} threads ` +
      `(by round: ${ratios.tsvFastPathVsFloorScriptByRound?.map((r) => x(r)).join(', ') ?? 'n/a'}), ` +
      `${x(ratios.tsvFastPath1ThreadVsFloorScript)} with 1 (target >= 5x with ${threads})\n` +
      (floorOnly
        ? ''
        : `tsv fast path vs csv-parse: ${x(ratios.tsvFastPathVsCsvParse)} with ${threads} threads, ${x(ratios.tsvFastPath1ThreadVsCsvParse)} with 1\n` +
          `.swg readSwg / readFileSync: ${ratios.swgVsReadFileSync?.toFixed(2)} (target <= 1.5); ` +
          `/ (readFileSync + touch): ${ratios.swgVsReadFileSyncTouched?.toFixed(2)}\n` +
          `writeSwg: ${swg!.writeSeconds.toFixed(2)} s for ${(statSync(swg!.file).size / 1e6).toFixed(1)} MB\n`),
  );

  const out = writeResult(root, 'load', {
    benchmark: 'load',
    date: startedAt.toISOString(),
    machine,
    loadAverage: { before: loadAverageBefore, after: loadAverageAfter },
    graph: { kind: 'rmat', scale, seed: 1 },
    inputs,
    floorScript: haveFloor ? FLOOR_SCRIPT : null,
    repeats,
    threads,
    writeSwgSeconds: swg?.writeSeconds ?? null,
    ratios,
    cases: rows,
  });
  process.stdout.write(`\nwrote ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/load: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
