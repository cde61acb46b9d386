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

/**
 * Decides the format from a sample of the text (the first few KB).
 * Delimiter: the first of tab, comma, semicolon present in most sampled data lines; else runs of spaces.
 * Header: forced by the caller, or assumed when the first row's endpoint fields
 * are not all integers while the next row's are; for comma/semicolon files whose ids
 * are all non-numeric, CSV convention (a header row) is assumed, and the summary says so.
 */
export function detectFormat(sample: string, opts: FormatOptions = {}): EdgeListFormat {
  const lines = sample.split(/\r\n|\r|\n/);
  // The last line of a sample may be cut short; drop it unless it is the whole text.
  if (lines.length > 1) lines.pop();
  const data = lines.filter((l) => !isCommentOrBlank(l)).slice(0, 50);

  let delimiter = opts.delimiter;
  if (!delimiter) {
    // The first candidate found in most sampled lines (a malformed line must not change the verdict).
    const candidates: Delimiter[] = ['\t', ',', ';'];
    const share = (d: string) => data.filter((l) => l.includes(d)).length / Math.max(data.length, 1);
    delimiter = candidates.find((d) => share(d) > 0.5) ?? 'whitespace';
  }

  const rows = data.map((l) => splitLine(l, delimiter!));
  let header = opts.header;
  if (header === undefined) {
    const wantsName = [opts.sourceColumn, opts.targetColumn].some((c) => c !== undefined && !/^\d+$/.test(c));
    if (wantsName) header = true;
    else if (rows.length === 0) header = false;
    else {
      const first = rows[0].slice(0, 2);
      const firstNumeric = first.every((f) => NUMERIC.test(f));
      const nextNumeric = rows.length > 1 && rows[1].slice(0, 2).every((f) => NUMERIC.test(f));
      if (firstNumeric) header = false;
      else if (nextNumeric) header = true;
      else header = delimiter === ',' || delimiter === ';';
    }
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
  return { delimiter, header: header ?? false, headerFields, sourceIndex, targetIndex };
}
