/**
 * `smallworld batch`: many datasets into one folder of results, resumable.
 *
 *   inputs (files, folders, a manifest) -> datasets (name, file, checked settings)
 *     -> for each: skip if results.jsonl already holds it with the same fingerprint
 *        and options, else estimate -> append one line to results.jsonl (fsync'd)
 *        -> rewrite results.csv from results.jsonl
 *
 * Every option of every dataset (manifest rows included) is checked before the
 * first dataset runs. A dataset that fails gets an error line and the batch goes
 * on. results.jsonl is the record: a truncated last line (a killed run) is
 * dropped and the file rewritten; for each name the latest line wins.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AbortError, errorLine, exitCodeOf, EXIT, UsageError } from '../errors.js';
import { checkEstimateOptions, DELIMITERS, type DelimiterName, type EstimateOptions, type EstimateSettings, type LongCallOptions, type ProgressEvent } from './options.js';
import { toJson, type EstimateReport } from './report.js';
import { EDGE_LIST_EXTENSIONS, formatCsv, nameOfFile, type ResultRecord } from './formats.js';

export const RESULTS_JSONL = 'results.jsonl';
export const RESULTS_CSV = 'results.csv';
export const REPORT_HTML = 'report.html';

/** What identifies an input file's content (see fingerprintOf). */
export interface Fingerprint {
  /** 'content': sha256 of every byte; 'ends': sha256 of size, mtime and the first and last MiB. */
  over: 'content' | 'ends';
  size: number;
  mtimeMs: number;
  sha256: string;
}

/** The resolved settings that can change a dataset's figures (threads, kernel and parser cannot: same seed, same answer). */
export interface BatchDatasetOptions {
  method: 'bfs' | 'hyperball';
  /** Sources asked for; null with --exact, --precision or HyperBall, which choose their own. */
  samples: number | null;
  seed: number;
  exact: boolean;
  precision: number | null;
  /** HyperBall's log2m when given; null: chosen from the graph's size. */
  registers: number | null;
  largestComponent: boolean;
  person: string | null;
  diameterBudgetSeconds: number;
  directed: boolean;
  sourceColumn: string | null;
  targetColumn: string | null;
  /** null: detected. */
  delimiter: DelimiterName | null;
  /** null: detected. */
  header: boolean | null;
  skipBadLines: boolean;
}

interface RecordBase {
  name: string;
  file: string;
  /** Null when the file could not be read at all. */
  fingerprint: Fingerprint | null;
  options: BatchDatasetOptions;
  /** When this dataset finished (ISO 8601). */
  finishedAt: string;
}

/** A line of results.jsonl: the dataset, how it was run, and every `estimate --json` field. */
export type BatchRecord =
  | (RecordBase & Omit<EstimateReport, 'file' | 'status'> & { status: 'ok' })
  | (RecordBase & { status: 'error'; error: string; exitCode: number });

/** One dataset to run. */
export interface BatchDataset {
  name: string;
  file: string;
  settings: EstimateSettings;
  /** Where it came from: 'argument', 'folder DIR' or 'manifest FILE row N'. */
  origin: string;
}

export interface BatchOptions extends EstimateOptions, LongCallOptions {
  /** The output folder (created if missing). */
  out: string;
  /** CSV files with columns name, path and optional directed, source_column, target_column, delimiter, samples. */
  manifest?: string | string[];
  /** Redo datasets already done with the same fingerprint and options. */
  force?: boolean;
  /** Called as each dataset starts, is skipped or finishes. */
  onDataset?: (event: BatchEvent) => void;
}

export type BatchEvent =
  | { type: 'start'; index: number; total: number; name: string; file: string }
  | { type: 'skip'; index: number; total: number; name: string; file: string; record: BatchRecord }
  | { type: 'done'; index: number; total: number; name: string; file: string; record: BatchRecord };

export interface BatchSummary {
  out: string;
  jsonl: string;
  csv: string;
  /** report.html: the HTML report of every dataset in results.jsonl. */
  report: string;
  /** Every dataset of this batch, in order. */
  datasets: Array<{ name: string; file: string }>;
  /** Names run this time. */
  ran: string[];
  /** Names skipped: already done with the same fingerprint and options. */
  alreadyDone: string[];
  /** Files in the folders given that are not edge lists, with why. */
  skippedFiles: Array<{ file: string; reason: string }>;
  ok: number;
  failed: number;
  /** This batch's datasets as results.jsonl now holds them (the latest line of each). */
  records: BatchRecord[];
  /** 0 all ok; 1 some dataset failed; 3 some dataset failed with an internal error. */
  exitCode: number;
}

// ---------------------------------------------------------------------------------------------
// Inputs -> datasets

/** True for an edge list by its name: .txt .tsv .csv .edges .el .swg, each optionally .gz. */
export function isEdgeListName(file: string): boolean {
  const name = basename(file).toLowerCase().replace(/\.gz$/, '');
  return EDGE_LIST_EXTENSIONS.some((e) => name.endsWith(e) && name.length > e.length);
}

/**
 * Edge lists under a folder, recursively, sorted; other files listed as skipped.
 * The batch's own --out folder is never read, nor any results.csv beside a
 * results.jsonl (another batch's output, not an edge list).
 */
function walk(folder: string, found: string[], skipped: Array<{ file: string; reason: string }>, out: string | null): void {
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const batchOutput = entries.some((e) => e.name === RESULTS_JSONL);
  for (const e of entries) {
    const path = join(folder, e.name);
    if (out !== null && resolve(path) === out) {
      skipped.push({ file: path, reason: 'the --out folder' });
      continue;
    }
    if (batchOutput && e.name === RESULTS_CSV) {
      skipped.push({ file: path, reason: `a batch's results (beside ${RESULTS_JSONL}), not an edge list` });
      continue;
    }
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(path);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        skipped.push({ file: path, reason: 'a broken symbolic link' });
        continue;
      }
    }
    if (isDir) walk(path, found, skipped, out);
    else if (!isFile) skipped.push({ file: path, reason: 'not a regular file' });
    else if (isEdgeListName(e.name)) found.push(path);
    else skipped.push({ file: path, reason: `not an edge list (${EDGE_LIST_EXTENSIONS.join(' ')}, optionally .gz)` });
  }
}

const MANIFEST_COLUMNS = ['name', 'path', 'directed', 'source_column', 'target_column', 'delimiter', 'samples'] as const;

function manifestBoolean(value: string, where: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (['true', 'yes', '1', 'y'].includes(v)) return true;
  if (['false', 'no', '0', 'n'].includes(v)) return false;
  throw new UsageError(`${where}: directed ${value}: expected true or false`);
}

/** The datasets of one manifest, each row's options checked (a bad row is a UsageError naming it). */
async function readManifest(manifest: string, base: EstimateOptions): Promise<BatchDataset[]> {
  let text: string;
  try {
    text = readFileSync(manifest, 'utf8');
  } catch (err) {
    throw new UsageError(`--manifest ${manifest}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const { parse } = await import('csv-parse/sync'); // only with a manifest: a rerun without one starts faster
  let rows: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    rows = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, info: true, comment: '#' });
  } catch (err) {
    throw new UsageError(`--manifest ${manifest}: not a readable CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0) throw new UsageError(`--manifest ${manifest}: no rows (expected a header row with name,path and one row per dataset)`);
  const columns = Object.keys(rows[0].record);
  const unknown = columns.filter((c) => !(MANIFEST_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new UsageError(`--manifest ${manifest}: unknown column ${unknown.join(', ')} (expected ${MANIFEST_COLUMNS.join(', ')})`);
  for (const c of ['name', 'path']) if (!columns.includes(c)) throw new UsageError(`--manifest ${manifest}: no '${c}' column (expected a header row with name,path,...)`);
  const names = new Map<string, number>();
  return rows.map(({ record, info }) => {
    const line = info.lines;
    const where = `--manifest ${manifest} line ${line}${record.name ? ` (${record.name})` : ''}`;
    if (!record.name) throw new UsageError(`${where}: no name`);
    if (!record.path) throw new UsageError(`${where}: no path`);
    if (names.has(record.name)) throw new UsageError(`${where}: the name ${record.name} is already used on line ${names.get(record.name)}`);
    names.set(record.name, line);
    const own: EstimateOptions = { ...base };
    const directed = manifestBoolean(record.directed ?? '', where);
    if (directed !== undefined) own.directed = directed;
    if (record.source_column) own.sourceColumn = record.source_column;
    if (record.target_column) own.targetColumn = record.target_column;
    if (record.delimiter) own.delimiter = record.delimiter as DelimiterName;
    if (record.samples) own.samples = record.samples;
    let settings: EstimateSettings;
    try {
      settings = checkEstimateOptions(own);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`${where}: ${err.message}`);
      throw err;
    }
    return { name: record.name, file: resolve(dirname(manifest), record.path), settings, origin: `manifest ${manifest} line ${line}` };
  });
}

/**
 * Names for datasets that have none from a manifest: the file name without its
 * extensions; when two collide, the parent folder goes in front (`a/graph`,
 * `b/graph`), then a number if they still collide.
 */
function nameDatasets(files: Array<{ file: string; origin: string }>, taken: Set<string>): Array<{ name: string; file: string; origin: string }> {
  const plain = files.map((f) => nameOfFile(f.file));
  const count = new Map<string, number>();
  for (const n of plain) count.set(n, (count.get(n) ?? 0) + 1);
  const used = new Set(taken);
  return files.map((f, i) => {
    let name = plain[i];
    if (count.get(name)! > 1 || used.has(name)) {
      const parent = basename(dirname(resolve(f.file)));
      if (parent) name = `${parent}/${name}`;
    }
    if (used.has(name)) {
      let k = 2;
      while (used.has(`${name}-${k}`)) k++;
      name = `${name}-${k}`;
    }
    used.add(name);
    return { name, file: f.file, origin: f.origin };
  });
}

/**
 * Every dataset of a batch, every option checked, nothing run yet. Files are
 * taken as given; folders contribute their edge lists; the same file reached
 * twice (outside a manifest) runs once.
 */
export async function collectDatasets(
  inputs: string[],
  options: Partial<Pick<BatchOptions, 'manifest' | 'out'>> & EstimateOptions,
): Promise<{ datasets: BatchDataset[]; skippedFiles: Array<{ file: string; reason: string }> }> {
  const settings = checkEstimateOptions(options);
  const manifests = options.manifest === undefined ? [] : Array.isArray(options.manifest) ? options.manifest : [options.manifest];
  const fromManifests: BatchDataset[] = [];
  for (const m of manifests) fromManifests.push(...(await readManifest(m, options)));
  const taken = new Set<string>();
  for (const d of fromManifests) {
    if (taken.has(d.name)) throw new UsageError(`--manifest: the name ${d.name} appears in two manifests`);
    taken.add(d.name);
  }
  const files: Array<{ file: string; origin: string }> = [];
  const skippedFiles: Array<{ file: string; reason: string }> = [];
  const seen = new Set<string>();
  const add = (file: string, origin: string) => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    files.push({ file, origin });
  };
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // A missing file is a dataset that fails with its own row ("no such file"), like in estimate.
    }
    if (isDir) {
      const found: string[] = [];
      walk(input, found, skippedFiles, options.out ? resolve(options.out) : null);
      for (const f of found) add(f, `folder ${input}`);
    } else add(input, 'argument');
  }
  const named = nameDatasets(files, taken).map((d) => ({ ...d, settings }));
  const datasets = [...fromManifests, ...named];
  if (datasets.length === 0) {
    const where = skippedFiles.length > 0 ? ` (${skippedFiles.length} other file${skippedFiles.length === 1 ? '' : 's'} skipped)` : '';
    throw new UsageError(`batch: no edge lists found in ${inputs.join(', ') || 'the manifest'}${where}`);
  }
  return { datasets, skippedFiles };
}

// ---------------------------------------------------------------------------------------------
// Fingerprints and options

/** Files up to this size are hashed whole; larger ones by size, mtime and their two ends. */
export const FULL_HASH_LIMIT = 64 * 2 ** 20;
const END_BYTES = 2 ** 20;

/**
 * The input's fingerprint. Up to 64 MiB: sha256 of every byte (about 0.1 s at
 * worst, so a rerun stays fast, and touching or copying a file does not count as
 * a change). Larger: sha256 of size, mtime and the first and last MiB, since
 * hashing every byte of 50 multi-GB exports would take minutes on a rerun that
 * should take seconds; any rewrite changes the mtime (or the size or the ends).
 */
export function fingerprintOf(file: string): Fingerprint {
  const st = statSync(file);
  if (!st.isFile()) throw new UsageError(`${file}: not a regular file`);
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  try {
    if (st.size <= FULL_HASH_LIMIT) {
      const buf = Buffer.allocUnsafe(Math.min(st.size, 8 * 2 ** 20) || 1);
      let pos = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        hash.update(buf.subarray(0, n));
        pos += n;
      }
      return { over: 'content', size: st.size, mtimeMs: st.mtimeMs, sha256: hash.digest('hex') };
    }
    hash.update(`${st.size} ${st.mtimeMs}\n`);
    const buf = Buffer.allocUnsafe(END_BYTES);
    for (const at of [0, st.size - END_BYTES]) {
      const n = readSync(fd, buf, 0, END_BYTES, at);
      hash.update(buf.subarray(0, n));
    }
    return { over: 'ends', size: st.size, mtimeMs: st.mtimeMs, sha256: hash.digest('hex') };
  } finally {
    closeSync(fd);
  }
}

function sameFingerprint(a: Fingerprint | null, b: Fingerprint | null): boolean {
  if (a === null || b === null) return false;
  return a.over === b.over && a.size === b.size && a.sha256 === b.sha256;
}

const DELIMITER_NAMES: Record<string, DelimiterName> = Object.fromEntries(
  Object.entries(DELIMITERS)
    .filter(([name]) => name !== 'whitespace')
    .map(([name, d]) => [d, name as DelimiterName]),
);

/** The settings that can change the figures, as recorded in results.jsonl and compared on a rerun. */
export function figureOptions(s: EstimateSettings): BatchDatasetOptions {
  const sampled = s.method === 'bfs' && !s.exact && s.precision === null;
  return {
    method: s.method,
    samples: sampled ? s.samples : null,
    seed: s.seed,
    exact: s.exact,
    precision: s.exact ? null : s.precision,
    registers: s.log2m,
    largestComponent: s.largestComponent,
    person: s.person,
    diameterBudgetSeconds: s.diameterBudgetSeconds,
    directed: s.input.directed ?? false,
    sourceColumn: s.input.sourceColumn ?? null,
    targetColumn: s.input.targetColumn ?? null,
    delimiter: s.input.delimiter === undefined ? null : (DELIMITER_NAMES[s.input.delimiter] ?? null),
    header: s.input.header ?? null,
    skipBadLines: s.input.skipBadLines ?? false,
  };
}

/** JSON with keys sorted: equal objects, equal strings, whatever order the keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

// ---------------------------------------------------------------------------------------------
// results.jsonl and results.csv

/**
 * The lines of results.jsonl that parse as records, in order. A line that does
 * not (the last one of a run killed mid-write) is dropped, and the file is
 * rewritten without it so that the next append starts on a fresh line.
 */
export function readResults(jsonl: string): BatchRecord[] {
  let text: string;
  try {
    text = readFileSync(jsonl, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const records: BatchRecord[] = [];
  const good: string[] = [];
  let dropped = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as BatchRecord;
      if (r && typeof r === 'object' && typeof r.name === 'string' && (r.status === 'ok' || r.status === 'error')) {
        records.push(r);
        good.push(line);
        continue;
      }
    } catch {
      // not JSON: a torn line
    }
    dropped = true;
  }
  if (dropped || (text.length > 0 && !text.endsWith('\n'))) writeAtomic(jsonl, good.map((l) => l + '\n').join(''));
  return records;
}

/** The latest record of each name, in the order names first appear. */
export function latestByName(records: BatchRecord[]): Map<string, BatchRecord> {
  const latest = new Map<string, BatchRecord>();
  for (const r of records) latest.set(r.name, r);
  return latest;
}

/** Writes beside the target, fsyncs, then renames into place: a reader sees the old file or the new one. */
function writeAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

/** Appends one record as one line and fsyncs it: once this returns, a crash cannot lose it. */
function appendRecord(jsonl: string, record: BatchRecord): void {
  const fd = openSync(jsonl, 'a');
  try {
    writeSync(fd, JSON.stringify(record) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** results.csv from results.jsonl: one row per name (its latest line), in the order names first appear. */
export function writeResultsCsv(jsonl: string, csv: string): BatchRecord[] {
  const records = [...latestByName(readResults(jsonl)).values()];
  writeAtomic(csv, formatCsv(records.map(csvRecord)));
  return records;
}

/** A record as formatCsv takes it (an --json entry with a name). */
function csvRecord(r: BatchRecord): ResultRecord {
  return r.status === 'ok' ? r : { name: r.name, file: r.file, status: 'error', error: r.error };
}

// ---------------------------------------------------------------------------------------------
// The run

/** One dataset: estimate it, or turn its failure into an error record. AbortError goes up. */
async function runDataset(d: BatchDataset, fingerprint: Fingerprint | null, fingerprintError: unknown, hooks: LongCallOptions): Promise<BatchRecord> {
  const options = figureOptions(d.settings);
  try {
    if (fingerprintError !== undefined) throw fingerprintError;
    // Key order: who, how it went, how it was run, then every other --json field.
    const { estimatePath } = await import('./run.js'); // loaded when a dataset runs: a rerun that skips all starts fast
    const { file: _file, status: _status, ...figures } = toJson(await estimatePath(d.file, d.settings, hooks));
    return { name: d.name, file: d.file, status: 'ok', fingerprint, options, finishedAt: new Date().toISOString(), ...figures };
  } catch (err) {
    if (err instanceof AbortError || hooks.signal?.aborted) throw err instanceof AbortError ? err : new AbortError(hooks.signal?.reason);
    const error = errorLine(err).replace(/^smallworld: /, '');
    return { name: d.name, file: d.file, status: 'error', error, exitCode: exitCodeOf(err), fingerprint, options, finishedAt: new Date().toISOString() };
  }
}

/** A fingerprint, or why the file cannot be read (the dataset then fails with that message). */
function tryFingerprint(file: string): { fingerprint: Fingerprint | null; error?: unknown } {
  try {
    return { fingerprint: fingerprintOf(file) };
  } catch (err) {
    return { fingerprint: null, error: err };
  }
}

/**
 * Runs a batch: every dataset of `inputs` (files and folders) and `options.manifest`
 * into `options.out`. Options are checked, and the datasets found, before the
 * first one runs. Resolves with the summary even when datasets failed (see
 * exitCode); rejects with UsageError for bad options or manifests, AbortError
 * when the signal fires (finished datasets stay recorded).
 */
export async function runBatch(inputs: string[], options: BatchOptions): Promise<BatchSummary> {
  if (!options.out || String(options.out).trim() === '') throw new UsageError('batch: --out DIR is required');
  const { datasets, skippedFiles } = await collectDatasets(inputs, options);
  const out = options.out;
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    throw new UsageError(`--out ${out}: cannot create the folder (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out}: not a folder`);
  const jsonl = join(out, RESULTS_JSONL);
  const csv = join(out, RESULTS_CSV);
  // A run killed while replacing a file leaves its temporary copy behind: not results, so it goes.
  for (const f of readdirSync(out)) if (/^results\.(jsonl|csv)\.\d+\.tmp$/.test(f)) rmSync(join(out, f), { force: true });
  const done = latestByName(readResults(jsonl));
  const ran: string[] = [];
  const alreadyDone: string[] = [];
  const total = datasets.length;
  const hooks = (d: BatchDataset): LongCallOptions => ({
    signal: options.signal,
    onProgress: options.onProgress ? (e: ProgressEvent) => options.onProgress!({ ...e, file: d.file }) : undefined,
  });

  for (const [i, d] of datasets.entries()) {
    const index = i + 1;
    const { fingerprint, error } = tryFingerprint(d.file);
    const previous = done.get(d.name);
    if (!options.force && previous && sameFingerprint(previous.fingerprint, fingerprint) && canonical(previous.options) === canonical(figureOptions(d.settings))) {
      alreadyDone.push(d.name);
      options.onDataset?.({ type: 'skip', index, total, name: d.name, file: d.file, record: previous });
      continue;
    }
    options.onDataset?.({ type: 'start', index, total, name: d.name, file: d.file });
    const record = await runDataset(d, fingerprint, error, hooks(d));
    appendRecord(jsonl, record);
    done.set(d.name, record);
    writeResultsCsv(jsonl, csv);
    ran.push(d.name);
    options.onDataset?.({ type: 'done', index, total, name: d.name, file: d.file, record });
  }
  // results.csv always matches results.jsonl, also when nothing ran (an older version, a hand edit).
  const all = writeResultsCsv(jsonl, csv);
  // report.html from the same rows, redrawn when something ran (or it is missing): a rerun that skips
  // everything stays quick, since drawing loads Vega (~0.4 s) and renders every chart.
  const report = join(out, REPORT_HTML);
  if (ran.length > 0 || !existsSync(report)) {
    const { renderReport } = await import('./html-report.js');
    writeAtomic(report, await renderReport(all, { source: jsonl }));
  }

  const records = datasets.map((d) => done.get(d.name)!);
  const failed = records.filter((r) => r.status === 'error');
  return {
    out,
    jsonl,
    csv,
    report,
    datasets: datasets.map((d) => ({ name: d.name, file: d.file })),
    ran,
    alreadyDone,
    skippedFiles,
    ok: records.length - failed.length,
    failed: failed.length,
    records,
    exitCode: failed.length === 0 ? EXIT.ok : failed.some((r) => r.status === 'error' && r.exitCode === EXIT.internal) ? EXIT.internal : EXIT.badInput,
  };
}
