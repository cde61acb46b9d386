/**
 * The options of every command, checked in one place before a byte is read.
 * The CLI passes commander's raw strings, the library passes numbers and
 * booleans; both go through the same checks and get the same messages, so a
 * bad value or a conflicting combination is a UsageError (exit 2) that says
 * what to do instead, never a surprise after minutes of loading.
 */
import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { kernelNames } from '../algorithms/kernels/index.js';
import { MAX_LOG2M, MIN_LOG2M } from '../algorithms/hyperball/hll.js';
import { MILGRAM_STRATEGIES, type MilgramStrategy } from '../algorithms/milgram.js';
import type { Delimiter } from '../io/sniff.js';
import type { LoadOptions } from '../io/load.js';
import { checkQueueUrl } from './queue-url.js';

export const DEFAULT_SEED = 1;
export const DEFAULT_SAMPLES = 1000;
export const DEFAULT_DIAMETER_BUDGET_SECONDS = 60;

/** Delimiter names as users give them (`--delimiter tab`). */
export const DELIMITERS: Record<string, Delimiter> = { tab: '\t', comma: ',', semicolon: ';', space: 'whitespace', whitespace: 'whitespace' };
export type DelimiterName = 'tab' | 'comma' | 'semicolon' | 'space';

/** What one progress report says: which stage, how far, in what unit. */
export interface ProgressEvent {
  /** The file (or stream name) being worked on. */
  file: string;
  stage: 'load' | 'bfs' | 'hyperball' | 'diameter' | 'person' | 'path' | 'chains' | 'snapshots';
  done: number;
  /** Null when the end is not known in advance (HyperBall's hops, stdin's bytes). */
  total: number | null;
  unit: 'bytes' | 'sources' | 'hops' | 'bfs runs' | 'chains' | 'snapshots';
}

/** Every long call takes these. */
export interface LongCallOptions {
  /** Aborting rejects the call promptly with an AbortError and stops its worker threads. */
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

/** How to read an edge list. */
export interface InputOptions {
  /** Follow edges from the first column to the second only (follows). Default false. */
  directed?: boolean;
  /** Header name or 1-based column number. Default: column 1. */
  sourceColumn?: string | number;
  /** Header name or 1-based column number. Default: column 2. */
  targetColumn?: string | number;
  /** Default: detected. */
  delimiter?: DelimiterName;
  /** true: the first data line is a header; false: it is data. Default: detected. */
  header?: boolean;
  /** Count and skip malformed lines instead of stopping at the first. */
  skipBadLines?: boolean;
  /** 'auto' (default): the byte scanner, csv-parse where needed; 'csv': csv-parse only. */
  parser?: 'auto' | 'csv';
  /** Worker threads (default: os.availableParallelism()). */
  threads?: number | string;
}

export interface EstimateOptions extends InputOptions {
  /** BFS sources sampled uniformly without replacement. Default 1000. */
  samples?: number | string;
  /** Seed of the sampling (and of HyperBall's hash). Default 1. */
  seed?: number | string;
  /** Every node a source: exact figures. */
  exact?: boolean;
  /** Sample in rounds until the 95% half-width of the mean distance is at most this. */
  precision?: number | string;
  method?: 'bfs' | 'hyperball';
  /** HyperBall: 2^registers registers per counter (4-12). */
  registers?: number | string;
  /** Only pairs within the largest connected component (weakly connected when directed). */
  largestComponent?: boolean;
  /** Also this person's exact figures. */
  person?: string;
  /** Seconds for the exact diameter; 0 skips it. Default 60. */
  diameterBudgetSeconds?: number | string;
  /** BFS kernel (default: the fastest). */
  kernel?: string;
  /** Run the BFS batches on the workers of this Redis queue (redis:// or rediss:// URL; the input must be a .swg file). */
  queue?: string;
}

/** The options after checking: every default filled in, nothing left to interpret. */
export interface EstimateSettings {
  samples: number;
  seed: number;
  threads: number;
  exact: boolean;
  precision: number | null;
  method: 'bfs' | 'hyperball';
  log2m: number | null;
  largestComponent: boolean;
  person: string | null;
  diameterBudgetSeconds: number;
  kernel: string | null;
  input: LoadOptions;
  /** --queue: the Redis URL of the queue the batches go through; null runs them here. */
  queue?: string | null;
}

function integer(name: string, value: number | string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const x = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(x) || x < min || x > max)
    throw new UsageError(`${name} ${String(value)}: expected an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}`);
  return x;
}

function real(name: string, value: number | string, min: number, strict: boolean): number {
  const x = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(x) || (strict ? x <= min : x < min)) throw new UsageError(`${name} ${String(value)}: expected a number ${strict ? '>' : '>='} ${min}`);
  return x;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`${name} ${value}: expected one of ${allowed.join(', ')}`);
  return value as T;
}

function column(name: string, value: string | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  const s = String(value).trim();
  if (s === '') throw new UsageError(`${name}: expected a header name or a 1-based column number`);
  if (/^\d+$/.test(s) && Number(s) < 1) throw new UsageError(`${name} ${s}: columns are numbered from 1`);
  return s;
}

/** Input options as the loader takes them. */
export function checkInputOptions(o: InputOptions): LoadOptions {
  const delimiter = o.delimiter === undefined ? undefined : DELIMITERS[oneOf('--delimiter', o.delimiter, ['tab', 'comma', 'semicolon', 'space', 'whitespace'])];
  const parser = o.parser === undefined ? 'auto' : oneOf('--parser', o.parser, ['auto', 'csv'] as const);
  const sourceColumn = column('--source-column', o.sourceColumn);
  const targetColumn = column('--target-column', o.targetColumn);
  if (sourceColumn !== undefined && sourceColumn === targetColumn) throw new UsageError('--source-column and --target-column name the same column');
  const byName = [sourceColumn, targetColumn].some((c) => c !== undefined && !/^\d+$/.test(c));
  if (byName && o.header === false) throw new UsageError('a column named by its header needs a header row: drop --no-header, or give the column number');
  return {
    directed: o.directed ?? false,
    sourceColumn,
    targetColumn,
    delimiter,
    header: o.header,
    skipBadLines: o.skipBadLines ?? false,
    parser,
    threads: o.threads === undefined ? availableParallelism() : integer('--threads', o.threads, 1, 1024),
  };
}

/**
 * Checks an estimate's options and resolves every default. Conflicting or
 * ignored combinations are usage errors that say what to do instead.
 */
export function checkEstimateOptions(o: EstimateOptions): EstimateSettings {
  const input = checkInputOptions(o);
  const method = o.method === undefined ? 'bfs' : oneOf('--method', o.method, ['bfs', 'hyperball'] as const);
  const conflict = (message: string) => {
    throw new UsageError(message);
  };
  if (method === 'hyperball') {
    if (o.exact) conflict('--exact and --method hyperball conflict: HyperBall is approximate; for exact figures use --exact alone (a BFS from every node)');
    if (o.precision !== undefined) conflict("--precision works with sampled BFS only: HyperBall's interval width is set by --registers");
    if (o.samples !== undefined) conflict('--samples works with sampled BFS only: HyperBall covers every node; drop --samples');
    if (o.kernel !== undefined) conflict('--kernel picks a BFS kernel, and HyperBall runs none: drop --kernel');
    if (o.largestComponent) conflict('--largest-component works with --method bfs only: drop one of them');
  } else if (o.registers !== undefined) {
    conflict("--registers sets HyperBall's counters: add --method hyperball, or drop --registers");
  }
  if (o.exact) {
    if (o.samples !== undefined) conflict('--samples and --exact conflict: --exact already uses every node as a source; drop one');
    if (o.precision !== undefined) conflict('--precision and --exact conflict: --exact is already exact; drop --precision');
    if (o.seed !== undefined) conflict('--seed has no effect with --exact (every node is a source, nothing is sampled): drop --seed');
  }
  if (o.precision !== undefined && o.samples !== undefined) conflict('--precision chooses the number of sources itself: drop --samples, or drop --precision');
  const kernels = kernelNames();
  if (o.kernel !== undefined && !kernels.includes(o.kernel)) conflict(`--kernel ${o.kernel}: expected one of ${kernels.join(', ')}`);
  if (o.queue !== undefined && method === 'hyperball') conflict('--queue runs BFS batches on workers, and HyperBall runs none: drop --queue, or --method hyperball');
  const queue = o.queue === undefined ? null : checkQueueUrl(o.queue);
  const person = o.person === undefined ? null : String(o.person);
  if (person !== null && person.trim() === '') conflict('--person: expected a node id');
  return {
    samples: o.samples === undefined ? DEFAULT_SAMPLES : integer('--samples', o.samples, 1),
    seed: o.seed === undefined ? DEFAULT_SEED : integer('--seed', o.seed, 0, 0xffffffff),
    threads: input.threads!,
    exact: o.exact ?? false,
    precision: o.precision === undefined ? null : real('--precision', o.precision, 0, true),
    method,
    log2m: o.registers === undefined ? null : integer('--registers', o.registers, MIN_LOG2M, MAX_LOG2M),
    largestComponent: o.largestComponent ?? false,
    person,
    diameterBudgetSeconds: o.diameterBudgetSeconds === undefined ? DEFAULT_DIAMETER_BUDGET_SECONDS : real('--diameter-budget', o.diameterBudgetSeconds, 0, false),
    kernel: o.kernel ?? null,
    input,
    queue,
  };
}

/** Node ids given on the command line (path endpoints, a person): non-empty. */
export function checkNodeId(what: string, id: unknown): string {
  if (typeof id !== 'string' && typeof id !== 'number') throw new UsageError(`${what}: expected a node id`);
  const s = String(id);
  if (s.trim() === '') throw new UsageError(`${what}: expected a node id, got an empty string`);
  return s;
}

/** `smallworld person`'s options. */
export interface PersonOptions extends InputOptions {
  /** People of the largest component sampled for the standing among per-person averages (default 1000; 0 skips it). */
  samples?: number | string;
  /** Seed of that sample (default 1). */
  seed?: number | string;
  /** Show up to this many ids at each of the first three hops. */
  list?: number | string;
}

export interface PersonSettings {
  samples: number;
  seed: number;
  threads: number;
  list: number | null;
  input: LoadOptions;
}

export function checkPersonOptions(o: PersonOptions): PersonSettings {
  const input = checkInputOptions(o);
  return {
    samples: o.samples === undefined ? DEFAULT_SAMPLES : integer('--samples', o.samples, 0),
    seed: o.seed === undefined ? DEFAULT_SEED : integer('--seed', o.seed, 0, 0xffffffff),
    threads: input.threads!,
    list: o.list === undefined ? null : integer('--list', o.list, 0),
    input,
  };
}

/** `smallworld path`'s options. */
export interface PathOptions extends InputOptions {
  /** Up to this many shortest chains through different introducers (A's friends on a shortest chain). */
  alternatives?: number | string;
}

export function checkPathOptions(o: PathOptions): { input: LoadOptions; alternatives: number | null } {
  return { input: checkInputOptions(o), alternatives: o.alternatives === undefined ? null : integer('--alternatives', o.alternatives, 0) };
}

export { MILGRAM_STRATEGIES, type MilgramStrategy } from '../algorithms/milgram.js';

/** `smallworld milgram`'s options. */
export interface MilgramOptions extends InputOptions {
  /** Random starter/target pairs from the largest component (default 1000). */
  pairs?: number | string;
  /** A file of pairs instead: two ids per line. */
  pairsFile?: string;
  strategy?: MilgramStrategy;
  /** Each step the letter is dropped with this probability (default 0). */
  attrition?: number | string;
  /** A chain still going after this many steps is given up (default 100). */
  maxSteps?: number | string;
  seed?: number | string;
}

export interface MilgramSettings {
  pairs: number;
  pairsFile: string | null;
  strategy: MilgramStrategy;
  attrition: number;
  maxSteps: number;
  seed: number;
  input: LoadOptions;
}

export function checkMilgramOptions(o: MilgramOptions): MilgramSettings {
  const input = checkInputOptions(o);
  if (o.pairs !== undefined && o.pairsFile !== undefined) throw new UsageError('--pairs and --pairs-file conflict: give random pairs or a file of pairs, not both');
  const attrition = o.attrition === undefined ? 0 : real('--attrition', o.attrition, 0, false);
  if (attrition >= 1) throw new UsageError(`--attrition ${String(o.attrition)}: expected a probability from 0 to below 1`);
  if (o.pairsFile !== undefined && String(o.pairsFile).trim() === '') throw new UsageError('--pairs-file: expected a file name');
  return {
    pairs: o.pairs === undefined ? DEFAULT_SAMPLES : integer('--pairs', o.pairs, 1),
    pairsFile: o.pairsFile === undefined ? null : String(o.pairsFile),
    strategy: o.strategy === undefined ? 'common' : oneOf('--strategy', o.strategy, MILGRAM_STRATEGIES),
    attrition,
    maxSteps: o.maxSteps === undefined ? 100 : integer('--max-steps', o.maxSteps, 1),
    seed: o.seed === undefined ? DEFAULT_SEED : integer('--seed', o.seed, 0, 0xffffffff),
    input,
  };
}

/** `smallworld timeline`'s options: the estimate's (each snapshot gets one), plus time. */
export interface TimelineOptions extends EstimateOptions {
  /** The time column: header name or 1-based number (epoch seconds or ISO dates). */
  timeColumn?: string | number;
  /** Cumulative snapshots at equal steps of time from the first to the last (default 10). */
  snapshots?: number | string;
  /** Or one snapshot every this long: a number and s, m, h, d or w (e.g. 30d). */
  every?: string;
}

export interface TimelineSettings {
  estimate: EstimateSettings;
  timeColumn: string;
  snapshots: number | null;
  everySeconds: number | null;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

export function checkTimelineOptions(o: TimelineOptions): TimelineSettings {
  const timeColumn = column('--time-column', o.timeColumn);
  if (timeColumn === undefined) throw new UsageError('timeline needs --time-column COL: the column of epoch seconds or ISO dates');
  if (o.person !== undefined) throw new UsageError('--person is not offered by timeline: use smallworld person on the file');
  if (o.snapshots !== undefined && o.every !== undefined) throw new UsageError('--snapshots and --every conflict: give a number of snapshots or a time step, not both');
  const byName = !/^\d+$/.test(timeColumn);
  if (byName && o.header === false) throw new UsageError('a column named by its header needs a header row: drop --no-header, or give the column number');
  let everySeconds: number | null = null;
  if (o.every !== undefined) {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/.exec(String(o.every));
    if (!m || Number(m[1]) <= 0) throw new UsageError(`--every ${String(o.every)}: expected a positive number and a unit s, m, h, d or w (e.g. 30d)`);
    everySeconds = Number(m[1]) * UNIT_SECONDS[m[2]];
  }
  return {
    estimate: { ...checkEstimateOptions({ ...o, diameterBudgetSeconds: o.diameterBudgetSeconds ?? 0 }) },
    timeColumn,
    snapshots: everySeconds !== null ? null : o.snapshots === undefined ? 10 : integer('--snapshots', o.snapshots, 1, 100_000),
    everySeconds,
  };
}
