/**
 * What the loader does with one parsed record (a line's fields, from csv-parse):
 * comments, the header row, the column-count check, empty ids, then the edge.
 * Shared by the streaming csv-parse path and by the scanner's line fallback
 * (lines the byte scanner cannot take, read with csv-parse one run at a time),
 * so both apply the same rules and give the same messages.
 */
import { CsvError, parse, type Options as CsvOptions } from 'csv-parse';
import { InputError } from '../errors.js';
import type { IdCollector } from '../graph/node-ids.js';
import type { EdgeListFormat } from './sniff.js';

const BAD_LINE_EXAMPLES = 5;

export interface BadLines {
  count: number;
  examples: Array<{ line: number; reason: string }>;
}

/** csv-parse options for a format (the same for the streaming path and the fallback). */
export function csvOptions(format: EdgeListFormat): CsvOptions {
  const whitespace = format.delimiter === 'whitespace';
  return {
    bom: true,
    delimiter: whitespace ? [' ', '\t'] : format.delimiter,
    quote: whitespace ? false : '"',
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    comment: '#',
    comment_no_infix: true,
    trim: !whitespace,
  };
}

/**
 * csv-parse builds an error object (with a copy of its whole state) for every
 * record whose field count differs from its *first* record's, even with
 * relax_column_count, only to drop it: after a one-column bad line at the start
 * of a parse, that is every row. The loader checks column counts itself
 * (RecordSink), so after each record it tells csv-parse to expect that record's
 * width: an error object is then built only where the width changes (around a
 * bad line), not for every row after one. (A plain property write: an accessor
 * on csv-parse's state would slow its whole parse loop.)
 */
export function expectWidth(state: unknown, width: number): void {
  (state as { expectedRecordLength?: number }).expectedRecordLength = width;
}

export class RecordSink {
  edgeLines = 0;
  /** The line of the last record handled. */
  lastLine = 0;
  readonly badLines: BadLines = { count: 0, examples: [] };
  private readonly whitespace: boolean;
  private readonly need: number;

  constructor(
    readonly file: string,
    private readonly format: EdgeListFormat,
    private readonly ids: IdCollector,
    private readonly skipBadLines: boolean,
    /** True until the header row (when there is one) has been read. */
    public headerPending: boolean,
    /** Columns every data line must have; 0 until the first data line sets it. */
    public columns: number,
  ) {
    this.whitespace = format.delimiter === 'whitespace';
    this.need = Math.max(format.sourceIndex, format.targetIndex) + 1;
  }

  bad(line: number, reason: string): void {
    if (!this.skipBadLines) throw new InputError(this.file, line, reason);
    this.badLines.count++;
    if (this.badLines.examples.length < BAD_LINE_EXAMPLES) this.badLines.examples.push({ line, reason });
  }

  /** One record (csv-parse's fields) read at `line`. */
  handle(record: string[], line: number): void {
    this.lastLine = line;
    let fields = record;
    if (this.whitespace) fields = fields.filter((f) => f !== '' && f !== '\r');
    if (fields.length === 0) return;
    const lead = fields[0].charCodeAt(0);
    if (lead === 35 /* # */ || lead === 37 /* % */) return; // comment (KONECT, Matrix Market use %)
    if (this.headerPending) {
      this.headerPending = false;
      return;
    }
    if (this.columns === 0) this.columns = Math.max(fields.length, this.need);
    if (fields.length !== this.columns) return this.bad(line, `expected ${this.columns} columns, found ${fields.length}`);
    const { sourceIndex, targetIndex } = this.format;
    const a = fields[sourceIndex];
    let b = fields[targetIndex];
    if (this.whitespace && b.endsWith('\r')) b = b.slice(0, -1); // a stray CR in mixed line endings
    if (a === '' || b === '') return this.bad(line, `empty node id in column ${a === '' ? sourceIndex + 1 : targetIndex + 1}`);
    this.edgeLines++;
    this.ids.addEdge(a, b);
  }
}

/** A csv-parse error as the user sees it; `lineOffset` is the line before the parse's first. */
export function csvInputError(file: string, err: CsvError, lineOffset: number, lastLine: number): InputError {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return new InputError(file, lastLine + 1, 'unterminated quoted field');
  const at = (err as CsvError & { lines?: number }).lines;
  return new InputError(file, at === undefined ? lastLine + 1 : lineOffset + at, err.message.replace(/^Invalid[^:]*: /, ''));
}

/** The parts of csv-parse's Parser that readWindow uses (public properties, not in its typings). */
interface CsvApi {
  api: { parse(buf: Buffer, end: boolean, push: (record: string[]) => void, close: () => void): unknown };
  state: unknown;
  info: { lines: number };
}

export type WindowResult =
  | { kind: 'read' }
  /** A quoted field is still open at the end of the bytes given: more lines are needed. */
  | { kind: 'open' };

/**
 * Reads `bytes` (whole lines, the first at line `lineOffset + 1`) with csv-parse
 * in one synchronous call and hands its records to `sink`. Nothing reaches the
 * sink when a quoted field is still open at the end, unless `final` (the end of
 * the input: then it is reported): the caller retries with more lines.
 */
export function readWindow(bytes: Uint8Array, format: EdgeListFormat, sink: RecordSink, lineOffset: number, final: boolean): WindowResult {
  const records: Array<[string[], number]> = [];
  // The streaming parser's own synchronous API (what csv-parse/sync uses), so that the live
  // line count gives each record's line without a copied info object per record.
  const parser = parse(csvOptions(format)) as unknown as CsvApi;
  const failure: unknown = parser.api.parse(
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    true,
    (record: string[]) => {
      expectWidth(parser.state, record.length);
      records.push([record, lineOffset + parser.info.lines]);
    },
    () => {},
  );
  if (failure instanceof CsvError && failure.code === 'CSV_QUOTE_NOT_CLOSED' && !final) return { kind: 'open' };
  for (const [record, line] of records) sink.handle(record, line);
  if (failure !== undefined) {
    if (failure instanceof CsvError) throw csvInputError(sink.file, failure, lineOffset, Math.max(lineOffset, sink.lastLine));
    throw failure;
  }
  return { kind: 'read' };
}

/** Bytes csv-parse's `trim` drops before a field (after a closing quote too) unless they are the delimiter: space, tab, form feed (CR and LF end lines here). */
function trimmable(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

/**
 * The fields csv-parse reads from one line, bytes[start, end) without its
 * terminator, when that is easy to do the same way: a line without quotes, or
 * whose quotes only enclose whole fields on this line (no `""` escapes, nothing
 * but blanks after a closing quote). Returns null otherwise (csv-parse reads it).
 * Whitespace mode: every space or tab ends a field (runs give empty fields, as
 * with csv-parse, and quotes are plain characters). Delimited mode, as csv-parse
 * with `trim`: space, tab and form feed dropped before a field, JavaScript
 * whitespace after an unquoted one, quoted contents kept as they are; a line of
 * nothing but those blanks, or a `#` after them (a comment), is no record at all ([]).
 */
export function splitPlainLine(bytes: Uint8Array, start: number, end: number, format: EdgeListFormat): string[] | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: string[] = [];
  if (format.delimiter === 'whitespace') {
    let from = start;
    for (let i = start; i < end; i++) {
      const c = bytes[i];
      if (c === 32 || c === 9) {
        fields.push(buf.toString('utf8', from, i));
        from = i + 1;
      }
    }
    fields.push(buf.toString('utf8', from, end));
    return fields;
  }
  const delimiter = format.delimiter.charCodeAt(0);
  let pos = start;
  for (;;) {
    while (pos < end && trimmable(bytes[pos]) && bytes[pos] !== delimiter) pos++;
    if (fields.length === 0 && (pos >= end || bytes[pos] === 35)) return []; // only blanks (an empty line), or a comment
    if (pos < end && bytes[pos] === 34) {
      const open = pos + 1;
      let close = open;
      while (close < end && bytes[close] !== 34) close++;
      if (close >= end) return null; // not closed on this line
      fields.push(buf.toString('utf8', open, close));
      pos = close + 1;
      while (pos < end && trimmable(bytes[pos]) && bytes[pos] !== delimiter) pos++;
      if (pos >= end) return fields;
      if (bytes[pos] !== delimiter) return null; // `""`, or text after the closing quote
      pos++;
      continue;
    }
    const from = pos;
    while (pos < end && bytes[pos] !== delimiter) {
      if (bytes[pos] === 34) return null; // a quote inside a field
      pos++;
    }
    fields.push(buf.toString('utf8', from, pos).trimEnd());
    if (pos >= end) return fields;
    pos++;
  }
}
