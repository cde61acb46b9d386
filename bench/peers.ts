/**
 * Peer comparison (issue 4): smallworld against the tools a user would
 * otherwise pick, on the same edge list with the same number of sources, in
 * one run.
 *
 *   node dist/bench/peers.js [--scale 20 | --file PATH] [--samples 1000] [--threads 2] [--seed 1]
 *                            [--peers igraph,graphtool,naive] [--timeout 3600] [--kernel NAME]
 *
 * The peers are the scripts in ../shared/peers/ (see its README): python-igraph,
 * graph-tool and networkx through Debian's /usr/bin/python3, and a naive
 * single-threaded Node.js BFS. Each prints one JSON line with load_s, bfs_s,
 * teps, mean_dist, eff_diam, hist and peak_rss_kb.
 *
 * Every tool runs in its own child process, one after the other (two at once
 * would share this machine's 2 cores and spoil both timings), and each child's
 * peak RSS is then its own. smallworld runs first: it is the baseline of the
 * ratios, and its node count decides whether networkx is worth starting.
 * A python peer whose module does not import is skipped with the reason; a
 * peer that exceeds --timeout is killed and reported as '>timeout'.
 *
 * --scale uses the R-MAT graph of bench/graphs.ts (graph seed 1, like the other
 * benchmarks; --seed only seeds the source sampling). --file takes any
 * whitespace-separated integer edge list; a gzip file is first decompressed to
 * a temporary file, which every tool then reads (smallworld included, so no
 * tool pays for gunzip).
 *
 * Prints a table and writes the raw JSON of every tool plus machine info to
 * bench/results/peers-<timestamp>.json (rewritten after each tool, so a long
 * run that dies keeps what it measured).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import { ensureRmat, projectRoot } from './graphs.js';
import { binEnv, cpuPressureMicros, machineInfo } from './machine.js';

/** The peers' README insists on Debian's interpreter: the python3-* packages are installed for it only. */
const PYTHON = '/usr/bin/python3';

/** networkx needs ~1 KB per edge and hours of pure Python beyond this. */
const NETWORKX_MAX_NODES = 100_000;

/**
 * Sampled mean distances of different tools should agree this closely; more is
 * flagged. With few sources the sampling noise is larger: two independent
 * estimates differ by up to sqrt(2) x the 95% half-width of one (smallworld
 * reports its interval), so the flag threshold is the larger of the two.
 */
const MEAN_TOLERANCE = 0.01;

// ---------------------------------------------------------------------------
// The tools

interface PeerSpec {
  name: string;
  /** How the peer runs: a python script (module checked by import first) or a Node.js script. */
  runtime: 'python' | 'node';
  script: string;
  /** Python modules the script imports; the version is read from the first. */
  modules?: string[];
  /** Expression that prints the version, for python peers. */
  versionExpr?: string;
  /** Threads the peer uses given --threads: only graph-tool is parallel (OpenMP). */
  threadsFor: (threads: number) => number;
  /** Extra environment given --threads. */
  env?: (threads: number) => Record<string, string>;
}

const PEERS: Record<string, PeerSpec> = {
  igraph: {
    name: 'igraph',
    runtime: 'python',
    script: 'igraph_sep.py',
    modules: ['igraph', 'numpy'],
    versionExpr: 'igraph.__version__',
    threadsFor: () => 1,
  },
  graphtool: {
    name: 'graph-tool',
    runtime: 'python',
    script: 'graphtool_sep.py',
    modules: ['graph_tool', 'numpy'],
    versionExpr: 'graph_tool.__version__.split()[0]',
    threadsFor: (threads) => threads,
    env: (threads) => ({ OMP_NUM_THREADS: String(threads) }),
  },
  networkx: {
    name: 'networkx',
    runtime: 'python',
    script: 'networkx_sep.py',
    modules: ['networkx', 'numpy'],
    versionExpr: 'networkx.__version__',
    threadsFor: () => 1,
  },
  naive: {
    name: 'node-naive',
    runtime: 'node',
    script: 'naive_bfs.mjs',
    threadsFor: () => 1,
  },
};

const DEFAULT_PEERS = 'igraph,graphtool,naive';

/** The fields of smallworld's JSON (src/report.ts toJson) read here. */
interface SmallworldJson {
  nodes: number;
  edges: number;
  sources: number;
  threads: number;
  kernel: string;
  arcsScanned: number;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
  effectiveDiameter90: number | null;
  distanceHistogram: number[];
  timings: { loadSeconds: number; estimateSeconds: number; diameterSeconds: number; totalSeconds: number; peakRssBytes: number };
  diameter: number | null;
  diameterBounds?: [number, number];
}

/** The JSON line of a ../shared/peers script (fields common to all of them). */
interface PeerJson {
  tool: string;
  version: string;
  nodes: number;
  edges: number;
  k: number;
  load_s: number;
  bfs_s: number;
  teps: number;
  peak_rss_kb: number;
  mean_dist: number | null;
  eff_diam: number | null;
  hist: number[];
}

/** One tool's measurement, the same shape for smallworld and the peers. */
interface Row {
  tool: string;
  version: string;
  threads: number;
  sources: number;
  loadSeconds: number;
  bfsSeconds: number;
  totalSeconds: number;
  /** Wall time of the child process: interpreter start-up, imports and bookkeeping included. */
  wallSeconds: number;
  /** Arcs (adjacency entries) of each source's component per BFS second, Graph500 TEPS style: smallworld's arcsScanned, the peers' own teps. */
  arcsPerSecond: number;
  peakRssBytes: number;
  meanDistance: number | null;
  effectiveDiameter: number | null;
}

/**
 * How contended the CPU was during a run: this machine is shared, and a busy
 * neighbour slows any tool. cpuWait is Linux PSI (/proc/pressure/cpu, "some"):
 * the share of the run's wall time in which some runnable task waited for a
 * CPU (the tool's own extra threads count too); null without PSI.
 */
interface Contention {
  loadAverage1m: [before: number, after: number];
  cpuWait: number | null;
}

type Outcome = { contention?: Contention } &
  (
    | { tool: string; status: 'ok'; command: string[]; row: Row; raw: unknown }
    | { tool: string; status: 'timeout'; command: string[]; threads: number; wallSeconds: number }
    | { tool: string; status: 'failed'; command: string[]; reason: string }
    | { tool: string; status: 'skipped'; reason: string }
  );

// ---------------------------------------------------------------------------
// Child processes

interface ChildRun {
  stdout: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  wallSeconds: number;
}

/** Runs one command to completion (stderr passes through), killing it after timeoutSeconds. */
function runChild(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutSeconds: number }): Promise<ChildRun> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutSeconds * 1000);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ stdout: Buffer.concat(out).toString('utf8'), code, signal, timedOut, wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}


async function withContention<T>(run: () => Promise<T>): Promise<T & { contention: Contention }> {
  const loadBefore = loadavg()[0];
  const pressureBefore = cpuPressureMicros();
  const started = performance.now();
  const result = await run();
  const wallMicros = (performance.now() - started) * 1000;
  const pressureAfter = cpuPressureMicros();
  const cpuWait = pressureBefore === null || pressureAfter === null ? null : (pressureAfter - pressureBefore) / wallMicros;
  return { ...result, contention: { loadAverage1m: [loadBefore, loadavg()[0]], cpuWait } };
}

function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new Error('no output');
  return JSON.parse(lines[lines.length - 1]) as T;
}

interface Options {
  samples: number;
  seed: number;
  threads: number;
  timeoutSeconds: number;
  kernel?: string;
}

async function runSmallworld(root: string, file: string, o: Options): Promise<Outcome & { status: 'ok' }> {
  const cli = join(root, 'dist/src/app/cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npx tsc -p .'`);
  const args = [cli, 'estimate', file, '--json', '--quiet', '--samples', String(o.samples), '--seed', String(o.seed), '--threads', String(o.threads)];
  if (o.kernel) args.push('--kernel', o.kernel);
  const run = await runChild(process.execPath, args, { timeoutSeconds: o.timeoutSeconds, env: binEnv(root) });
  if (run.timedOut) throw new Error(`smallworld exceeded --timeout ${o.timeoutSeconds} s: no baseline for the ratios`);
  if (run.code !== 0) throw new Error(`smallworld estimate failed (${run.signal ?? `exit ${run.code}`})`);
  const r = JSON.parse(run.stdout) as SmallworldJson; // one pretty-printed object
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  return {
    tool: 'smallworld',
    status: 'ok',
    command: [process.execPath, ...args],
    raw: r,
    row: {
      tool: 'smallworld',
      version: `${version} (${r.kernel})`,
      threads: r.threads,
      sources: r.sources,
      loadSeconds: r.timings.loadSeconds,
      bfsSeconds: r.timings.estimateSeconds,
      totalSeconds: r.timings.totalSeconds,
      wallSeconds: run.wallSeconds,
      arcsPerSecond: r.arcsScanned / r.timings.estimateSeconds,
      peakRssBytes: r.timings.peakRssBytes,
      meanDistance: r.meanDistance,
      effectiveDiameter: r.effectiveDiameter90,
    },
  };
}

/** The peer's version, or why it cannot run: tries the imports in Debian's python first. */
function peerVersion(peer: PeerSpec): { version: string } | { reason: string } {
  if (peer.runtime === 'node') return { version: process.version };
  if (!existsSync(PYTHON)) return { reason: `${PYTHON} not found` };
  const modules = peer.modules ?? [];
  try {
    const version = execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}; print(${peer.versionExpr})`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
    return { version };
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim().split('\n').pop();
    return { reason: `${PYTHON} cannot import ${modules.join(', ')} (${stderr || 'import failed'}): apt-get install python3-${modules[0].replace('_', '-')}` };
  }
}

async function runPeer(peer: PeerSpec, peersDir: string, file: string, o: Options): Promise<Outcome> {
  const script = join(peersDir, peer.script);
  const interpreter = peer.runtime === 'python' ? PYTHON : process.execPath;
  const args = [script, file, String(o.samples), String(o.seed)];
  const command = [interpreter, ...args];
  // cwd and PYTHONPATH at the peers' folder, so `import sepcommon` works
  const env = { ...process.env, PYTHONPATH: peersDir, ...(peer.env?.(o.threads) ?? {}) };
  const run = await runChild(interpreter, args, { cwd: peersDir, env, timeoutSeconds: o.timeoutSeconds });
  const threads = peer.threadsFor(o.threads);
  if (run.timedOut) return { tool: peer.name, status: 'timeout', command, threads, wallSeconds: run.wallSeconds };
  if (run.code !== 0) return { tool: peer.name, status: 'failed', command, reason: `${run.signal ?? `exit ${run.code}`}` };
  let r: PeerJson;
  try {
    r = lastJsonLine<PeerJson>(run.stdout);
  } catch (err) {
    return { tool: peer.name, status: 'failed', command, reason: `unreadable JSON: ${(err as Error).message}` };
  }
  return {
    tool: peer.name,
    status: 'ok',
    command,
    raw: r,
    row: {
      tool: peer.name,
      version: r.version,
      threads,
      sources: r.k,
      loadSeconds: r.load_s,
      bfsSeconds: r.bfs_s,
      totalSeconds: r.load_s + r.bfs_s,
      wallSeconds: run.wallSeconds,
      arcsPerSecond: r.teps,
      peakRssBytes: r.peak_rss_kb * 1024, // ru_maxrss / resourceUsage().maxRSS are in KiB on Linux
      meanDistance: r.mean_dist,
      effectiveDiameter: r.eff_diam,
    },
  };
}

// ---------------------------------------------------------------------------
// Input

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** The file every tool reads: the file itself, or a decompressed temporary copy (the peers read plain text only). */
async function plainInput(file: string): Promise<{ path: string; cleanup: () => void }> {
  if (!isGzip(file)) return { path: file, cleanup: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'smallworld-peers-'));
  const path = join(dir, basename(file).replace(/\.gz$/i, '') || 'edges.txt');
  process.stderr.write(`decompressing ${file} to ${path} ...\n`);
  await pipeline(createReadStream(file), createGunzip(), createWriteStream(path));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------
// Machine info (as in bench/estimate.ts, plus the files edited but not committed)

function peersMachineInfo(root: string) {
  return { ...machineInfo(root), python: PYTHON };
}

// ---------------------------------------------------------------------------
// Report

function diameterText(j: SmallworldJson): string {
  if (j.diameter !== null) return `${j.diameter}, exact`;
  return j.diameterBounds ? `bounds ${j.diameterBounds[0]}..${j.diameterBounds[1]}` : 'skipped';
}

function ratio(value: number, base: number): string {
  return `${(value / base).toFixed(value / base >= 10 ? 0 : 2)}x`;
}

function meanDifference(row: Row, base: Row): number | null {
  if (row.meanDistance === null || base.meanDistance === null) return null;
  return (row.meanDistance - base.meanDistance) / base.meanDistance;
}

/** The relative difference of mean distances beyond which a peer is flagged (see MEAN_TOLERANCE). */
function meanTolerance(base: SmallworldJson): number {
  const ci = base.meanDistanceCi95;
  if (ci === null || base.meanDistance === null || base.meanDistance === 0) return MEAN_TOLERANCE;
  const halfWidth = (ci[1] - ci[0]) / 2 / base.meanDistance;
  return Math.max(MEAN_TOLERANCE, Math.SQRT2 * halfWidth);
}

function cpuWaitCell(contention: Contention | undefined): string {
  return contention?.cpuWait == null ? 'n/a' : `${(contention.cpuWait * 100).toFixed(0)}%`;
}

function formatTable(outcomes: Outcome[], base: Row, tolerance: number, timeoutSeconds: number): string {
  const header = ['tool', 'threads', 'sources', 'load s', 'BFS s', 'total s', 'wall s', 'M arcs/s', 'peak RSS MiB', 'mean dist', 'Δ mean', 'eff. diam', 'CPU wait', 'BFS ratio', 'total ratio', 'wall ratio'];
  const rows: string[][] = [];
  for (const o of outcomes) {
    if (o.status === 'ok') {
      const r = o.row;
      const diff = meanDifference(r, base);
      rows.push([
        r.tool,
        String(r.threads),
        String(r.sources),
        r.loadSeconds.toFixed(2),
        r.bfsSeconds.toFixed(2),
        r.totalSeconds.toFixed(2),
        r.wallSeconds.toFixed(2),
        (r.arcsPerSecond / 1e6).toFixed(1),
        (r.peakRssBytes / 2 ** 20).toFixed(0),
        r.meanDistance === null ? 'n/a' : r.meanDistance.toFixed(4),
        diff === null ? 'n/a' : `${diff >= 0 ? '+' : ''}${(diff * 100).toFixed(2)}%${Math.abs(diff) > tolerance ? ' !' : ''}`,
        r.effectiveDiameter === null ? 'n/a' : r.effectiveDiameter.toFixed(3),
        cpuWaitCell(o.contention),
        ratio(r.bfsSeconds, base.bfsSeconds),
        ratio(r.totalSeconds, base.totalSeconds),
        ratio(r.wallSeconds, base.wallSeconds),
      ]);
    } else if (o.status === 'timeout') {
      // killed before printing anything: only the total is bounded
      rows.push([o.tool, String(o.threads), '', '?', '?', `>${timeoutSeconds}`, `>${timeoutSeconds}`, '?', '?', '?', '', '?', cpuWaitCell(o.contention), '?', `>${ratio(timeoutSeconds, base.totalSeconds)}`, `>${ratio(timeoutSeconds, base.wallSeconds)}`]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatNotes(outcomes: Outcome[], base: Row, tolerance: number): string {
  const notes: string[] = [];
  for (const o of outcomes) {
    if (o.status === 'skipped') notes.push(`${o.tool}: skipped: ${o.reason}`);
    if (o.status === 'failed') notes.push(`${o.tool}: FAILED: ${o.reason} (${o.command.join(' ')})`);
    if (o.status === 'ok') {
      const diff = meanDifference(o.row, base);
      if (diff !== null && Math.abs(diff) > tolerance) {
        notes.push(
          `${o.tool}: mean distance differs from smallworld's by ${(diff * 100).toFixed(2)}%, more than ${(tolerance * 100).toFixed(2)}% ` +
            `(the larger of ${MEAN_TOLERANCE * 100}% and the sampling noise of two estimates): check the input, or rerun with more sources`,
        );
      }
    }
  }
  notes.push(
    'ratios: peer time / smallworld time (above 1: smallworld is faster). total = load + BFS as each tool times them; wall = whole child process ' +
      "(smallworld's includes its default exact diameter, which no peer computes).",
    'CPU wait: share of the wall time in which some runnable task (the tool\'s own extra threads included) waited for a CPU (Linux PSI).',
    'M arcs/s: adjacency entries of each source\'s component per BFS second (smallworld: arcsScanned / BFS s; peers: their teps; graph-tool\'s is an expected value).',
    `mean distances differ slightly: each tool samples its own sources ('!' beyond ${(tolerance * 100).toFixed(2)}%).`,
  );
  return notes.join('\n');
}

/** A warning naming the runs in which tasks waited for a CPU more than a tenth of the time. */
function busyWarning(outcomes: Outcome[]): string {
  const busy = outcomes.filter((o) => (o.contention?.cpuWait ?? 0) > 0.1);
  if (busy.length === 0) return '';
  const waits = busy.map((o) => `${o.tool} ${((o.contention?.cpuWait ?? 0) * 100).toFixed(0)}%`);
  return `\nWARNING: tasks waited for a CPU during: ${waits.join(', ')} of the time: other work shared the cores, those timings are inflated.`;
}

// ---------------------------------------------------------------------------

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      file: { type: 'string' },
      samples: { type: 'string', default: '1000' },
      threads: { type: 'string', default: '2' },
      seed: { type: 'string', default: '1' },
      peers: { type: 'string', default: DEFAULT_PEERS },
      timeout: { type: 'string', default: '3600' },
      kernel: { type: 'string' },
      'peers-dir': { type: 'string' },
    },
  });
  if (values.scale !== undefined && values.file !== undefined) throw new Error('give --scale or --file, not both');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('--seed must be an integer from 0 to 4294967295');
  const options: Options = {
    samples: positiveInt('samples', values.samples),
    threads: positiveInt('threads', values.threads),
    timeoutSeconds: positiveInt('timeout', values.timeout),
    seed,
    kernel: values.kernel,
  };
  const peerKeys = values.peers.split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const key of peerKeys) {
    if (!(key in PEERS)) throw new Error(`unknown peer '${key}' (known: ${Object.keys(PEERS).join(', ')})`);
  }

  const root = projectRoot();
  const peersDir = resolve(values['peers-dir'] ?? join(root, '../shared/peers'));
  if (!existsSync(join(peersDir, 'sepcommon.py'))) throw new Error(`no peer scripts in ${peersDir} (--peers-dir)`);
  const machine = peersMachineInfo(root);
  const scale = values.file === undefined ? positiveInt('scale', values.scale ?? '20') : null;
  const source = scale !== null ? await ensureRmat(scale) : resolve(values.file!);
  const input = await plainInput(source);

  const startedAt = new Date();
  const resultsDir = join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = join(resultsDir, `peers-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const peerVersions: Record<string, string> = {};
  const outcomes: Outcome[] = [];
  const save = () => {
    const report = {
      benchmark: 'peers',
      date: startedAt.toISOString(),
      machine: { ...machine, peerVersions },
      graph: scale !== null ? { kind: 'rmat', scale, seed: 1, file: source } : { kind: 'file', file: source, readFrom: input.path },
      options: { ...options, peers: peerKeys, peersDir },
      results: outcomes,
    };
    writeFileSync(resultsFile, JSON.stringify(report, null, 2) + '\n');
  };

  try {
    process.stderr.write(`smallworld: ${options.samples} sources, ${options.threads} threads ...\n`);
    const smallworld = await withContention(() => runSmallworld(root, input.path, options));
    const base = smallworld.row;
    const baseJson = smallworld.raw as SmallworldJson;
    outcomes.push(smallworld);
    peerVersions.smallworld = base.version;
    save();

    for (const key of peerKeys) {
      const peer = PEERS[key];
      const available = peerVersion(peer);
      if ('reason' in available) {
        outcomes.push({ tool: peer.name, status: 'skipped', reason: available.reason });
      } else if (key === 'networkx' && baseJson.nodes > NETWORKX_MAX_NODES) {
        peerVersions[peer.name] = available.version;
        const reason = `${baseJson.nodes.toLocaleString('en-US')} nodes > ${NETWORKX_MAX_NODES.toLocaleString('en-US')} (pure Python: too slow and ~1 KB per edge)`;
        outcomes.push({ tool: peer.name, status: 'skipped', reason });
      } else {
        peerVersions[peer.name] = available.version;
        process.stderr.write(`${peer.name} ${available.version}: ${options.samples} sources ...\n`);
        outcomes.push(await withContention(() => runPeer(peer, peersDir, input.path, options)));
      }
      const last = outcomes[outcomes.length - 1];
      if (last.status !== 'ok') process.stderr.write(`  ${last.tool}: ${last.status}${'reason' in last ? `: ${last.reason}` : ''}\n`);
      save();
    }

    const tolerance = meanTolerance(baseJson);
    const graphName = scale !== null ? `R-MAT scale ${scale}` : basename(source);
    process.stdout.write(
      `\n${graphName} (${input.path}): ${baseJson.nodes.toLocaleString('en-US')} nodes, ${baseJson.edges.toLocaleString('en-US')} edges; ` +
        `${options.samples} sources, seed ${options.seed}; smallworld kernel ${baseJson.kernel}, ${options.threads} threads\n` +
        `${machine.cpu}, ${machine.cores} cores, node ${machine.node}, commit ${machine.commit?.slice(0, 12) ?? 'unknown'}` +
        `${machine.dirty ? ` (dirty: ${machine.dirtyFiles.join(', ')})` : ''}\n` +
        `versions: ${Object.entries(peerVersions).map(([tool, v]) => `${tool} ${v}`).join(', ')}\n` +
        `smallworld phases: load ${baseJson.timings.loadSeconds.toFixed(2)} s, estimate ${baseJson.timings.estimateSeconds.toFixed(2)} s, ` +
        `exact diameter ${baseJson.timings.diameterSeconds.toFixed(2)} s (${diameterText(baseJson)}; ` +
        `${((100 * baseJson.timings.diameterSeconds) / baseJson.timings.estimateSeconds).toFixed(1)}% of the estimate), whole process ${base.wallSeconds.toFixed(2)} s\n\n` +
        formatTable(outcomes, base, tolerance, options.timeoutSeconds) +
        '\n\n' +
        formatNotes(outcomes, base, tolerance) +
        busyWarning(outcomes) +
        `\n\nwrote ${resultsFile}\n`,
    );
  } finally {
    input.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/peers: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
