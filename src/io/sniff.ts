/**
 * Format detection for edge lists: delimiter, header row and which columns hold
 * the two endpoints, decided from the first lines of the (decompressed) text.
 */
import { UsageError } from '../errors.js';

export type Delimiter = ',' | ';' | '\t' | 'whitespace';

export interface FormatOptions {
  /** Force a delimiter; default: detected. */
  delimiter?: Delimiter;
  /** true/false force; undefined = detect. */
  header?: boolean;
  /** Column name (needs a header) or 1-based column number; default: first column. */
  sourceColumn?: string;
  /** Column name (needs a header) or 1-based column number; default: second column. */
  targetColumn?: string;
}

export interface EdgeListFormat {
  delimiter: Delimiter;
  header: boolean;
  /** The header's fields when there is one. */
  headerFields: string[];
  /**
   * How `header` was decided, for the summary and JSON: 'detected: ...', 'forced by --header',
   * 'implied by --source-column NAME', or, when the first line is data, 'none: ...'.
   * Absent for a graph read from a .swg file (its text format is not kept).
   */
  headerDecision?: string;
  /** 0-based column indexes. */
  sourceIndex: number;
  targetIndex: number;
}

const COMMENT = /^\s*[#%]/;

export function isCommentOrBlank(line: string): boolean {
  return line.trim() === '' || COMMENT.test(line);
}

/** Splits one line the way the parser will (for sniffing only; no quote handling needed there). */
function splitLine(line: string, delimiter: Delimiter): string[] {
  if (delimiter === 'whitespace') return line.trim().split(/[ \t]+/);
  return line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

const NUMERIC = /^[+-]?\d+$/;

/** Words that name an endpoint column; see COLUMN_NAME. */
const ENDPOINT_WORDS = [
  'source', 'target', 'from', 'to', 'src', 'dst', 'dest', 'destination', 'sender', 'receiver', 'recipient',
  'user', 'friend', 'follower', 'followee', 'followed', 'person', 'people', 'member', 'account',
  'node', 'vertex', 'id', 'u', 'v', 'head', 'tail', 'start', 'end', 'in', 'out',
].join('|');

/**
 * A typical endpoint column name, case-insensitive: `source`, `Target`, `from`, `src`, `user_id`,
 * `userId`, `FromNodeId`, `from_user`, `node_1`, `id2`, `to node`...: an optional from/to/source/target
 * prefix, one of ENDPOINT_WORDS, an optional `id`/`key`/`name` suffix, an optional 1-digit number.
 */
const COLUMN_NAME = new RegExp(
  `^(?:(?:from|to|source|target|src|dst)[ _-]?)?(?:${ENDPOINT_WORDS})(?:[ _-]?(?:id|key|name))?(?:[ _-]?\\d)?$`,
  'i',
);

export function looksLikeColumnName(token: string): boolean {
  return COLUMN_NAME.test(token);
}

/** A token's shape with each run of digits as '#': `node_1` and `node_7` have the same shape. */
const shape = (token: string): string => token.replace(/\d+/g, '#');

/** Sampled data rows whose endpoint fields show whether line 1 is a header (the first 50 decide "numeric"). */
const NUMERIC_ROWS = 50;

/**
 * Decides the format from a sample of the text (the first 64 KB).
 * Delimiter: the first of tab, comma, semicolon present in most sampled data lines; else runs of spaces.
 * Header: forced by the caller (or implied by a column given by name); else line 1 is a header
 * only on evidence: neither of its endpoint tokens occurs again as an id in the sample, AND
 * either both look like column names (COLUMN_NAME; one with digits only when no sampled id has
 * the same shape) or both are non-numeric while every following sampled row's are numeric.
 * Without that evidence line 1 is data. `headerDecision` says which rule decided.
 */
export function detectFormat(sample: string, opts: FormatOptions = {}): EdgeListFormat {
  const lines = sample.split(/\r\n|\r|\n/);
  // The last line of a sample may be cut short; drop it unless it is the whole text.
  if (lines.length > 1) lines.pop();
  const allData = lines.filter((l) => !isCommentOrBlank(l));
  const data = allData.slice(0, NUMERIC_ROWS);

  let delimiter = opts.delimiter;
  if (!delimiter) {
    // The first candidate found in most sampled lines (a malformed line must not change the verdict).
    const candidates: Delimiter[] = ['\t', ',', ';'];
    const share = (d: string) => data.filter((l) => l.includes(d)).length / Math.max(data.length, 1);
    delimiter = candidates.find((d) => share(d) > 0.5) ?? 'whitespace';
  }

  const rows = data.map((l) => splitLine(l, delimiter!));
  const named = (['source', 'target'] as const)
    .map((what) => ({ what, spec: what === 'source' ? opts.sourceColumn : opts.targetColumn }))
    .find((c) => c.spec !== undefined && !/^\d+$/.test(c.spec));
  let header = opts.header;
  let headerDecision: string;
  if (header === true) headerDecision = 'forced by --header';
  else if (header === false) headerDecision = 'none: forced by --no-header';
  else if (named) {
    header = true;
    headerDecision = `implied by --${named.what}-column ${named.spec}`;
  } else {
    const evidence = headerEvidence(rows, allData, delimiter, numberedColumn(opts.sourceColumn, 0), numberedColumn(opts.targetColumn, 1));
    header = evidence.header;
    headerDecision = evidence.decision;
  }
  const headerFields = header && rows.length > 0 ? rows[0] : [];

  const resolve = (spec: string | undefined, fallback: number, what: string): number => {
    if (spec === undefined) return fallback;
    const byName = headerFields.indexOf(spec);
    if (byName >= 0) return byName;
    if (/^\d+$/.test(spec) && Number(spec) >= 1) return Number(spec) - 1;
    throw new UsageError(
      headerFields.length > 0
        ? `${what} column '${spec}' is not in the header (${headerFields.join(', ')})`
        : `${what} column '${spec}': give a 1-based column number, or a name when the file has a header`,
    );
  };
  const sourceIndex = resolve(opts.sourceColumn, 0, 'source');
  const targetIndex = resolve(opts.targetColumn, 1, 'target');
  if (sourceIndex === targetIndex) throw new UsageError('source and target columns are the same column');
  return { delimiter, header, headerFields, headerDecision, sourceIndex, targetIndex };
}

/** A column given by 1-based number (or not given: `fallback`) as a 0-based index; -1 for a name. */
function numberedColumn(spec: string | undefined, fallback: number): number {
  if (spec === undefined) return fallback;
  return /^\d+$/.test(spec) && Number(spec) >= 1 ? Number(spec) - 1 : -1;
}

/**
 * Whether line 1 (rows[0]) is a header, on evidence only (see detectFormat). `rows` are the first
 * sampled data rows; `allData` is every data line of the sample, searched for line 1's tokens.
 */
function headerEvidence(
  rows: string[][],
  allData: string[],
  delimiter: Delimiter,
  sourceIndex: number,
  targetIndex: number,
): { header: boolean; decision: string } {
  const none = { header: false, decision: 'none: first line is data (no sign of a header)' };
  if (rows.length === 0 || sourceIndex < 0 || targetIndex < 0) return none;
  const ends = (row: string[]) => [row[sourceIndex], row[targetIndex]].filter((t): t is string => t !== undefined && t !== '');
  const first = ends(rows[0]);
  if (first.length < 2) return none; // a short line: not a header's shape; read as data, where it is reported
  if (first.every((t) => NUMERIC.test(t))) return none;

  // Does a token of line 1 occur again as an id? A substring test first, so most lines are not split.
  const recurs = allData.some((line, i) => i > 0 && first.some((t) => line.includes(t)) && ends(splitLine(line, delimiter)).some((t) => first.includes(t)));
  if (recurs) return { header: false, decision: 'none: first line is data (an id on it occurs again)' };

  // A column-like token with digits (node_1) is not a column name when a later id has its shape (node_7).
  const sameShape = (token: string): boolean => {
    const literal = token.split(/\d+/).reduce((a, b) => (b.length > a.length ? b : a), '');
    return allData.some((line, i) => i > 0 && line.includes(literal) && ends(splitLine(line, delimiter)).some((t) => shape(t) === shape(token)));
  };
  if (first.every((t) => looksLikeColumnName(t)) && !first.some((t) => /\d/.test(t) && sameShape(t)))
    return { header: true, decision: 'detected: column names' };
  const rest = rows.slice(1).map(ends);
  if (rest.length > 0 && first.every((t) => !NUMERIC.test(t)) && rest.every((r) => r.every((t) => NUMERIC.test(t))))
    return { header: true, decision: 'detected: first row non-numeric, rest numeric' };
  return none;
}
