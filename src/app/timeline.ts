/**
 * `smallworld timeline FILE --time-column COL`: how the world shrank. The file
 * is read from disk once (decompressed once, in memory); the loader parses its
 * edges from those bytes (every reading option applies) and a second, simple
 * pass over the same bytes reads each edge line's time (epoch seconds or ISO
 * dates) with the source and target, looked up in the loader's id table. Each
 * cumulative snapshot (every edge with time <= its cut) is a CSR built from
 * those in-memory arrays, nodes numbered in the full graph's order, and gets one
 * seeded estimate: same seed, same sources drawn per snapshot size, so the
 * last snapshot (every edge) is exactly `estimate` of the whole file.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describeFsError, InputError, throwIfAborted, UsageError } from '../errors.js';
import { buildCsr } from '../graph/csr.js';
import { EdgeBuffer } from '../graph/edges.js';
import type { NodeIds } from '../graph/node-ids.js';
import { isSwg } from '../io/swg.js';
import { isCommentOrBlank } from '../io/sniff.js';
import type { LoadedGraph } from '../io/load.js';
import { estimateLoaded, loadWithHooks } from './run.js';
import type { LongCallOptions, TimelineSettings } from './options.js';

export interface TimelineSnapshot {
  /** Edge lines with time <= `until` (seconds since the epoch; `untilIso` the same as an ISO date). */
  until: number;
  untilIso: string | null;
  edgeLines: number;
  nodes: number;
  edges: number;
  sources: number;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
  degreesOfSeparation: number | null;
  distanceHistogram: number[];
  withinHopsFraction: number[];
  withinHopsFractionCi95: [number, number][] | null;
  effectiveDiameter90: number | null;
  effectiveDiameter90Ci95: [number, number] | null;
  medianDistance: number | null;
  reachablePairFraction: number;
}

export interface TimelineReport {
  file: string;
  timeColumn: string;
  directed: boolean;
  seed: number;
  /** Sources per snapshot asked for (null with --exact or --precision). */
  samples: number | null;
  exact: boolean;
  /** The first and last time in the file. */
  from: number;
  to: number;
  /** --every in seconds, or null with --snapshots. */
  everySeconds: number | null;
  snapshots: TimelineSnapshot[];
}

interface TimedEdges {
  u: Uint32Array;
  v: Uint32Array;
  t: Float64Array;
}

function parseTime(s: string): number {
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? ms / 1000 : NaN;
}

function splitFields(line: string, delimiter: string): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/[ \t]+/);
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** The second pass: each edge line's ends (as node indices) and time. */
function readTimes(bytes: Buffer, graph: LoadedGraph, timeColumn: string, skipBadLines: boolean): TimedEdges {
  const { format } = graph;
  let timeIndex: number;
  if (/^\d+$/.test(timeColumn)) timeIndex = Number(timeColumn) - 1;
  else {
    timeIndex = format.header ? format.headerFields.indexOf(timeColumn) : -1;
    if (timeIndex < 0)
      throw new UsageError(
        `--time-column ${timeColumn}: ${format.header ? `no such column in the header of ${graph.file} (columns: ${format.headerFields.join(', ')})` : `${graph.file} has no header row: give the column number`}`,
      );
  }
  // Growable typed arrays (a plain number[] costs 8+ bytes per element and more to grow).
  let cap = 1 << 16;
  let u = new Uint32Array(cap);
  let v = new Uint32Array(cap);
  let t = new Float64Array(cap);
  let m = 0;
  let headerPending = format.header;
  let lineNo = 0;
  let start = 0;
  // Line by line over the bytes: a file past V8's largest string (~512 MB) never becomes one string.
  while (start < bytes.length) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const line = bytes.toString('utf8', start, end).replace(/\r$/, '');
    start = end + 1;
    lineNo++;
    if (isCommentOrBlank(line)) continue;
    if (headerPending) {
      headerPending = false;
      continue;
    }
    const f = splitFields(line, format.delimiter);
    const bad = (reason: string) => {
      if (!skipBadLines) throw new InputError(graph.file, lineNo, reason);
    };
    if (f.length <= Math.max(format.sourceIndex, format.targetIndex, timeIndex)) {
      bad(`--time-column ${timeColumn}: expected at least ${Math.max(format.sourceIndex, format.targetIndex, timeIndex) + 1} columns, found ${f.length}`);
      continue;
    }
    const a = graph.ids.lookup(f[format.sourceIndex]);
    const b = graph.ids.lookup(f[format.targetIndex]);
    const time = parseTime(f[timeIndex]);
    if (a < 0 || b < 0) {
      bad('an edge the loader did not keep');
      continue;
    }
    if (Number.isNaN(time)) {
      bad(`time ${JSON.stringify(f[timeIndex])} is neither epoch seconds nor an ISO date`);
      continue;
    }
    if (m === cap) {
      cap *= 2;
      const u2 = new Uint32Array(cap);
      u2.set(u);
      u = u2;
      const v2 = new Uint32Array(cap);
      v2.set(v);
      v = v2;
      const t2 = new Float64Array(cap);
      t2.set(t);
      t = t2;
    }
    u[m] = a;
    v[m] = b;
    t[m] = time;
    m++;
  }
  if (m === 0) throw new InputError(graph.file, undefined, 'no timed edges');
  return { u: u.subarray(0, m), v: v.subarray(0, m), t: t.subarray(0, m) };
}

/** The cuts: equal steps from the first time to the last, or every `step` seconds, the last cut taking every edge. */
export function cuts(from: number, to: number, snapshots: number | null, everySeconds: number | null): number[] {
  const out: number[] = [];
  if (everySeconds !== null) {
    for (let k = 1; from + k * everySeconds < to && out.length < 100_000; k++) out.push(from + k * everySeconds);
    out.push(to);
    return out;
  }
  const n = snapshots ?? 10;
  for (let k = 1; k < n; k++) out.push(from + ((to - from) * k) / n);
  out.push(to);
  return out;
}

class SubsetIds implements NodeIds {
  constructor(
    private readonly full: NodeIds,
    private readonly nodes: Uint32Array,
    private readonly index: Int32Array,
  ) {}
  lookup(token: string): number {
    const x = this.full.lookup(token);
    return x < 0 ? -1 : this.index[x];
  }
  token(i: number): string {
    return this.full.token(this.nodes[i]);
  }
  get size(): number {
    return this.nodes.length;
  }
  get kind(): NodeIds['kind'] {
    return this.full.kind;
  }
}

/** The snapshot of edges with time <= cut: a LoadedGraph whose nodes are those on its edges, in the full graph's order. */
function snapshotGraph(graph: LoadedGraph, e: TimedEdges, cut: number): { snap: LoadedGraph; edgeLines: number } {
  const n = graph.csr.n;
  const present = new Uint8Array(n);
  let edgeLines = 0;
  for (let i = 0; i < e.t.length; i++)
    if (e.t[i] <= cut) {
      present[e.u[i]] = 1;
      present[e.v[i]] = 1;
      edgeLines++;
    }
  const index = new Int32Array(n).fill(-1);
  let m = 0;
  for (let x = 0; x < n; x++) if (present[x]) index[x] = m++;
  const nodes = new Uint32Array(m);
  for (let x = 0; x < n; x++) if (present[x]) nodes[index[x]] = x;
  const buffer = new EdgeBuffer();
  for (let i = 0; i < e.t.length; i++) if (e.t[i] <= cut) buffer.push(index[e.u[i]], index[e.v[i]]);
  const { csr, stats } = buildCsr(buffer, m, graph.csr.directed, graph.file);
  buffer.release();
  const snap: LoadedGraph = {
    file: graph.file,
    csr,
    ids: new SubsetIds(graph.ids, nodes, index),
    format: graph.format,
    compressed: graph.compressed,
    stats: { ...graph.stats, edgeLines, nodes: m, edges: stats.edges, selfLoops: stats.selfLoops, duplicates: stats.duplicates },
  };
  return { snap, edgeLines };
}

export async function timelinePath(file: string, s: TimelineSettings, hooks: LongCallOptions = {}): Promise<TimelineReport> {
  const est = s.estimate;
  let raw: Buffer;
  try {
    raw = file === '-' ? Buffer.concat(await process.stdin.toArray()) : await readFile(file);
  } catch (err) {
    throw new InputError(file, undefined, describeFsError(err));
  }
  if (isSwg(raw.subarray(0, 16))) throw new UsageError(`${file} is a .swg graph, which keeps no time column: give the edge list it was made from`);
  let bytes: Buffer = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (err) {
      throw new InputError(file, undefined, `not a readable gzip file (${(err as Error).message})`);
    }
  }
  // One read of the file: the loader parses the bytes in memory, and so does the time pass.
  const { graph } = await loadWithHooks(file, { ...est.input, stream: Readable.from([bytes]) }, hooks);
  const timed = readTimes(bytes, graph, s.timeColumn, est.input.skipBadLines ?? false);
  let from = Infinity;
  let to = -Infinity;
  for (const x of timed.t) {
    if (x < from) from = x;
    if (x > to) to = x;
  }
  const cutList = cuts(from, to, s.snapshots, s.everySeconds);
  const snapshots: TimelineSnapshot[] = [];
  const report = hooks.onProgress;
  report?.({ file, stage: 'snapshots', done: 0, total: cutList.length, unit: 'snapshots' });
  for (const [k, cut] of cutList.entries()) {
    throwIfAborted(hooks.signal);
    const { snap, edgeLines } = snapshotGraph(graph, timed, cut);
    const iso = Math.abs(cut) < 8.64e12 ? new Date(cut * 1000).toISOString() : null;
    if (snap.csr.n === 0) {
      snapshots.push({ until: cut, untilIso: iso, edgeLines, nodes: 0, edges: 0, sources: 0, meanDistance: null, meanDistanceCi95: null, degreesOfSeparation: null, distanceHistogram: [0], withinHopsFraction: [], withinHopsFractionCi95: null, effectiveDiameter90: null, effectiveDiameter90Ci95: null, medianDistance: null, reachablePairFraction: 0 });
    } else {
      const r = await estimateLoaded(snap, 0, { ...est, person: null }, { signal: hooks.signal });
      snapshots.push({
        until: cut,
        untilIso: iso,
        edgeLines,
        nodes: r.nodes,
        edges: r.edges,
        sources: r.sources,
        meanDistance: r.meanDistance,
        meanDistanceCi95: r.meanDistanceCi95,
        degreesOfSeparation: r.degreesOfSeparation,
        distanceHistogram: r.distanceHistogram,
        withinHopsFraction: r.withinHopsFraction,
        withinHopsFractionCi95: r.withinHopsFractionCi95 ?? null,
        effectiveDiameter90: r.effectiveDiameter90,
        effectiveDiameter90Ci95: r.effectiveDiameter90Ci95 ?? null,
        medianDistance: r.medianDistance,
        reachablePairFraction: r.reachablePairFraction,
      });
    }
    report?.({ file, stage: 'snapshots', done: k + 1, total: cutList.length, unit: 'snapshots' });
  }
  return {
    file,
    timeColumn: s.timeColumn,
    directed: graph.csr.directed,
    seed: est.seed,
    samples: est.exact || est.precision !== null ? null : est.samples,
    exact: est.exact,
    from,
    to,
    everySeconds: s.everySeconds,
    snapshots,
  };
}

const f3 = (x: number | null | undefined) => (x === null || x === undefined ? '-' : x.toFixed(3));

export function formatTimeline(r: TimelineReport): string {
  const lines = [
    `${r.file}: ${r.snapshots.length} cumulative snapshots by ${r.timeColumn}, ${r.directed ? 'directed' : 'undirected'}, seed ${r.seed}${r.exact ? ', exact' : r.samples !== null ? `, ${r.samples} sources each` : ''}`,
    '  until                       nodes     edges  mean distance [95% CI]     within 4  within 6  eff. diameter',
  ];
  for (const s of r.snapshots) {
    const ci = s.meanDistanceCi95 ? `[${f3(s.meanDistanceCi95[0])}, ${f3(s.meanDistanceCi95[1])}]` : '';
    const w = (h: number) => (s.withinHopsFraction.length === 0 ? '-' : `${(100 * s.withinHopsFraction[Math.min(h, s.withinHopsFraction.length - 1)]).toFixed(1)}%`);
    lines.push(
      `  ${(s.untilIso ?? String(s.until)).padEnd(26)}${String(s.nodes).padStart(7)}${String(s.edges).padStart(10)}  ${f3(s.meanDistance).padStart(6)} ${ci.padEnd(18)}  ${w(4).padStart(8)}  ${w(6).padStart(8)}  ${f3(s.effectiveDiameter90).padStart(13)}`,
    );
  }
  return lines.join('\n') + '\n';
}
