/**
 * Output formats of `estimate --format table|json|csv|markdown`, and the flat
 * CSV columns that `batch` writes to results.csv. Every format is built from
 * the JSON objects (report.ts: toJson / outcomeJson), so `--format csv` and
 * `--json` cannot disagree, and batch can rebuild results.csv from results.jsonl.
 */
import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../errors.js';
import { formatSummary, formatTable, outcomeJson, type EstimateFailure, type EstimateReport, type FileOutcome } from './report.js';

export const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** One dataset as JSON, optionally with its name: a `--json` entry, or a line of results.jsonl. */
export type ResultRecord = (EstimateReport | EstimateFailure) & { name?: string };

/** Within-h fractions given as columns withinHops1..withinHops8. */
export const WITHIN_HOPS_COLUMNS = 8;

/** The flat columns of `--format csv` and of batch's results.csv, in order. */
export const CSV_COLUMNS = [
  'name',
  'file',
  'status',
  'error',
  'nodes',
  'edges',
  'directed',
  'sources',
  'seed',
  'meanDistance',
  'meanDistanceCiLow',
  'meanDistanceCiHigh',
  'degreesOfSeparation',
  'medianDistance',
  'effectiveDiameter90',
  'effectiveDiameter90CiLow',
  'effectiveDiameter90CiHigh',
  'diameter',
  'reachablePairFraction',
  ...Array.from({ length: WITHIN_HOPS_COLUMNS }, (_, i) => `withinHops${i + 1}`),
  'seconds',
  'peakRssBytes',
] as const;

export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type FlatRow = Record<CsvColumn, string | number | boolean | null>;

/** Known edge-list extensions (each optionally followed by .gz). */
export const EDGE_LIST_EXTENSIONS = ['.txt', '.tsv', '.csv', '.edges', '.el', '.swg'] as const;

/** A dataset's default name: the file name without its extensions (`facebook_combined.txt.gz` -> `facebook_combined`). */
export function nameOfFile(file: string): string {
  let name = basename(file);
  if (name === '-' || name === '') return name || file;
  if (name.toLowerCase().endsWith('.gz')) name = name.slice(0, -3);
  const ext = EDGE_LIST_EXTENSIONS.find((e) => name.toLowerCase().endsWith(e));
  if (ext) name = name.slice(0, -ext.length);
  else if (name.lastIndexOf('.') > 0) name = name.slice(0, name.lastIndexOf('.'));
  return name || basename(file);
}

/**
 * Share of reachable pairs within h hops. Past the largest distance seen every
 * reachable pair is within h, so the last element carries on; null when no pair
 * was found at all.
 */
function withinHops(fractions: number[], h: number): number | null {
  if (fractions.length <= 1) return null;
  return fractions[Math.min(h, fractions.length - 1)];
}

/** One dataset as the flat CSV columns (an error row has name, file, status and error only). */
export function flatRow(record: ResultRecord): FlatRow {
  const row = Object.fromEntries(CSV_COLUMNS.map((c) => [c, null])) as FlatRow;
  row.name = record.name ?? nameOfFile(record.file);
  row.file = record.file;
  row.status = record.status;
  if (record.status === 'error') {
    row.error = record.error;
    return row;
  }
  const r = record;
  Object.assign(row, {
    nodes: r.nodes,
    edges: r.edges,
    directed: r.directed,
    sources: r.sources,
    seed: r.seed,
    meanDistance: r.meanDistance,
    meanDistanceCiLow: r.meanDistanceCi95?.[0] ?? null,
    meanDistanceCiHigh: r.meanDistanceCi95?.[1] ?? null,
    degreesOfSeparation: r.degreesOfSeparation,
    medianDistance: r.medianDistance,
    effectiveDiameter90: r.effectiveDiameter90,
    effectiveDiameter90CiLow: r.effectiveDiameter90Ci95?.[0] ?? null,
    effectiveDiameter90CiHigh: r.effectiveDiameter90Ci95?.[1] ?? null,
    diameter: r.diameter,
    reachablePairFraction: r.reachablePairFraction,
    seconds: r.timings.totalSeconds,
    peakRssBytes: r.timings.peakRssBytes,
  });
  for (let h = 1; h <= WITHIN_HOPS_COLUMNS; h++) row[`withinHops${h}` as CsvColumn] = withinHops(r.withinHopsFraction, h);
  return row;
}

/**
 * CSV with a header row, one row per dataset (csv-stringify: quoting as RFC 4180,
 * numbers at full precision, booleans as true/false, nothing for null).
 */
export function formatCsv(records: ResultRecord[]): string {
  return stringify(records.map(flatRow), {
    header: true,
    columns: [...CSV_COLUMNS],
    cast: { boolean: (b) => (b ? 'true' : 'false') },
  });
}

/** Text in a Markdown table cell: pipes, markup and line breaks cannot break the table or become HTML. */
function cell(text: string): string {
  return text.replace(/[\\|<>`*[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const fixed = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));
const int = (x: number): string => Math.round(x).toLocaleString('en-US');

/** A GitHub Markdown table of the key figures, one row per dataset; a failed one shows its error. */
export function formatMarkdown(records: ResultRecord[]): string {
  const header = ['name', 'nodes', 'edges', 'sources', 'mean distance', '95% CI', 'degrees of separation', 'eff. diameter 90', 'diameter', 'reachable pairs', 'within 6 hops'];
  const rows = records.map((rec) => {
    const name = cell(rec.name ?? nameOfFile(rec.file));
    if (rec.status === 'error') return [name, `error: ${cell(rec.error)}`, ...header.slice(2).map(() => '')];
    const r = rec;
    const diameter = r.diameter !== null ? String(r.diameter) : r.diameterBounds ? `${r.diameterBounds[0]}-${r.diameterBounds[1]}` : `>=${r.maxDistanceSeen}`;
    const within6 = withinHops(r.withinHopsFraction, 6);
    return [
      name,
      int(r.nodes),
      `${int(r.edges)}${r.directed ? ' arcs' : ''}`,
      r.method === 'hyperball' ? 'all (HyperBall)' : r.exact ? `${int(r.sources)} (all)` : int(r.sources),
      fixed(r.meanDistance),
      r.exact ? 'exact' : r.meanDistanceCi95 ? `${fixed(r.meanDistanceCi95[0])} to ${fixed(r.meanDistanceCi95[1])}` : 'n/a',
      fixed(r.degreesOfSeparation),
      fixed(r.effectiveDiameter90),
      diameter,
      `${(100 * r.reachablePairFraction).toFixed(2)}%`,
      within6 === null ? 'n/a' : `${(100 * within6).toFixed(2)}%`,
    ];
  });
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (i === 0 ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n') + '\n';
}

/** The output of `estimate` in the chosen format (table: a summary for one file, a table for several). */
export function formatOutcomes(outcomes: FileOutcome[], format: OutputFormat): string {
  if (format === 'table') {
    if (outcomes.length === 1 && outcomes[0].status === 'ok') return formatSummary(outcomes[0].result) + '\n';
    return formatTable(outcomes) + '\n';
  }
  const records = outcomes.map(outcomeJson);
  if (format === 'json') return JSON.stringify(records.length === 1 ? records[0] : records, null, 2) + '\n';
  if (format === 'csv') return formatCsv(records);
  return formatMarkdown(records);
}

/** `--format` and its shorthand `--json`, checked together: both given and different is a usage error. */
export function checkFormat(format: string | undefined, json: boolean | undefined): OutputFormat {
  if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format ${format}: expected one of ${FORMATS.join(', ')}`);
  if (json && format !== undefined && format !== 'json') throw new UsageError(`--json is short for --format json and conflicts with --format ${format}: drop one of them`);
  return json ? 'json' : ((format as OutputFormat | undefined) ?? 'table');
}

/**
 * `--output FILE`, checked before any input is read: its folder must exist and it
 * must not be a folder itself (an existing file is replaced).
 */
export function checkOutputTarget(file: string): string {
  if (file.trim() === '') throw new UsageError('--output: expected a file name');
  const at = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return null;
    }
  };
  if (at(file)?.isDirectory()) throw new UsageError(`--output ${file}: is a directory; give a file name`);
  const folder = dirname(resolve(file));
  if (!at(folder)?.isDirectory()) throw new UsageError(`--output ${file}: the folder ${dirname(file)} does not exist`);
  return file;
}
