/**
 * The fast path of the loader: a byte scanner for the common numeric edge list
 * ("123<TAB>456", "123 456 1082008561", "123,456"). It takes lines while they
 * are plain: comment and blank lines, and data lines whose endpoint columns are
 * canonical unsigned decimals. At the first line it cannot take (a quote, a
 * name, a short line, an empty field...) it stops at that line's first byte and
 * the caller reads that line (and any like it that follow) with csv-parse, which
 * either reads it or reports the exact error, then scans again from the next
 * line. A data line whose column count differs from `columns` (the first data
 * line's) is not taken either: it is a bad line. So both paths accept the same
 * files, give the same messages, and build the same graph (values go through
 * the same IdCollector rules).
 *
 * Runs on the main thread for small inputs and in parse workers on byte ranges
 * of a SharedArrayBuffer for large ones.
 *
 * String mode (given an interner): endpoint fields are any tokens of printable
 * ASCII, interned from the bytes (ids like `user_17`, 64-bit numbers), source
 * then target, once the line is taken; pairs then hold what the interner
 * returns. On the main thread that is the id table itself; on parse workers
 * src/io/intern-scan.ts records the tokens and interns them by hash shard.
 */
import { MAX_NUMERIC } from '../graph/node-ids.js';

/** What string mode interns into (an IdTable, or the sharded ids of src/graph/intern.ts). */
export interface ByteInterner {
  internBytes(bytes: Uint8Array, start: number, end: number): number;
}

export interface ScanParams {
  /** Char code of the delimiter, or 0 for runs of spaces/tabs. */
  delimiter: number;
  sourceIndex: number;
  targetIndex: number;
  /** Skip the first data line (a header row). */
  skipFirstDataLine: boolean;
  /**
   * Columns every data line must have (those of the first data line); a line with
   * another count is not taken. 0 while unknown: no data line is taken.
   */
  columns: number;
}

export interface ScanResult {
  /** Raw numeric ids, two per edge line (over a SharedArrayBuffer). */
  pairs: Uint32Array;
  count: number;
  maxValue: number;
  /** Line terminators consumed. */
  lines: number;
  edgeLines: number;
  headerSkipped: boolean;
  /** Where scanning stopped: `end`, or the first byte of the first line not taken. */
  stop: number;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Lines in bytes[start, end): an upper bound on the pairs a range can yield. A CRLF is one
 * line end (LF, and CR not followed by LF), so a CRLF file sizes its pair buffer as LF's does.
 */
export function countLines(bytes: Uint8Array, start: number, end: number): number {
  let lines = 1;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === LF || (c === CR && (i + 1 >= end || bytes[i + 1] !== LF))) lines++;
  }
  return lines;
}

/** Bytes sampled at a range's start to size its pair buffer. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * About the lines in bytes[start, end), from those of its first SAMPLE_BYTES (all
 * of it when shorter: then countLines' bound exactly), with 5% and 64 to spare.
 */
export function estimateLines(bytes: Uint8Array, start: number, end: number): number {
  const sampleEnd = Math.min(end, start + SAMPLE_BYTES);
  const sampled = countLines(bytes, start, sampleEnd);
  if (sampleEnd === end) return sampled;
  return Math.ceil((sampled * (end - start)) / (sampleEnd - start) * 1.05) + 64;
}

/** A bigger pair buffer holding `pairs`: room for the lines in bytes[pos, end) as estimated, and at least double. */
function grown(pairs: Uint32Array, bytes: Uint8Array, pos: number, end: number): Uint32Array {
  const more = Math.max(pairs.length, 2 * estimateLines(bytes, pos, end));
  const bigger = new Uint32Array(new SharedArrayBuffer(4 * (pairs.length + more)));
  bigger.set(pairs);
  return bigger;
}

/**
 * Scans bytes[start, end). The range must begin at a line start and, unless it
 * ends the input, end just after a line terminator.
 */
export function scanRange(bytes: Uint8Array, start: number, end: number, params: ScanParams, strings?: ByteInterner): ScanResult {
  const { delimiter, sourceIndex, targetIndex } = params;
  const lastField = Math.max(sourceIndex, targetIndex);
  const whitespace = delimiter === 0;
  // Shared, so a parallel CSR build reads the pairs where they are (and a worker returns them without a copy).
  // Sized from the lines of a sample at the range's start (no pass over the whole range first); grown if short.
  let pairs: Uint32Array = new Uint32Array(new SharedArrayBuffer(8 * estimateLines(bytes, start, end)));
  let count = 0;
  let maxValue = -1;
  let lines = 0;
  let edgeLines = 0;
  let skipHeader = params.skipFirstDataLine;
  let headerSkipped = false;
  let pos = start;

  lines: while (pos < end) {
    const lineStart = pos;
    let c = bytes[pos];
    while ((c === SPACE || c === TAB) && pos < end) c = bytes[++pos];
    if (pos >= end) break; // trailing blanks at the end of input
    if (c === LF || c === CR || c === 35 /* # */ || c === 37 /* % */) {
      // Blank or comment line: skip to its terminator.
      while (pos < end && c !== LF && c !== CR) c = bytes[++pos];
      if (pos < end) {
        pos++;
        if (c === CR && pos < end && bytes[pos] === LF) pos++;
      }
      lines++; // a last line without terminator counts too (only at the end of input)
      continue;
    }
    if (skipHeader) {
      // The header row: skip it whatever it holds (csv-parse would read quotes in it the same way unless they span lines).
      while (pos < end && c !== LF && c !== CR && c !== 34 /* " */) c = bytes[++pos];
      if (c === 34) return stopAt(lineStart);
      if (pos < end) {
        pos++;
        if (c === CR && pos < end && bytes[pos] === LF) pos++;
      }
      lines++;
      skipHeader = false;
      headerSkipped = true;
      continue;
    }

    let u = -1;
    let v = -1;
    // String mode: the endpoint tokens' ranges, interned (source, then target) once the line is taken.
    let us = 0;
    let ue = 0;
    let vs = 0;
    let ve = 0;
    for (let field = 0; ; field++) {
      // At the first byte of a field (blanks before it skipped).
      if ((field === sourceIndex || field === targetIndex) && strings) {
        // String mode: the token's bytes, interned as they are. Only printable
        // ASCII: anything else (non-ASCII, control bytes) goes to csv-parse, whose
        // decoding and trimming rules this would otherwise have to copy.
        const tokenStart = pos;
        let tokenEnd = pos;
        while (pos < end && c !== LF && c !== CR && (whitespace ? c !== SPACE && c !== TAB : c !== delimiter)) {
          // Blanks inside a delimited field are kept unless trailing (csv-parse trims the ends only).
          if (c !== SPACE && c !== TAB) {
            if (c < 33 || c > 126 || c === 34) return stopAt(lineStart);
            tokenEnd = pos + 1;
          }
          c = bytes[++pos];
        }
        if (tokenEnd === tokenStart) return stopAt(lineStart);
        if (field === sourceIndex) {
          us = tokenStart;
          ue = tokenEnd;
        } else {
          vs = tokenStart;
          ve = tokenEnd;
        }
      } else if (field === sourceIndex || field === targetIndex) {
        const first = c;
        let value = 0;
        let len = 0;
        while (c >= 48 && c <= 57 && pos < end) {
          value = value * 10 + (c - 48);
          len++;
          c = bytes[++pos];
        }
        if (len === 0 || len > 10 || (first === 48 && len > 1) || value > MAX_NUMERIC) return stopAt(lineStart);
        if (field === sourceIndex) u = value;
        else v = value;
      } else {
        while (pos < end && c !== LF && c !== CR && c !== 34 && (whitespace ? c !== SPACE && c !== TAB : c !== delimiter)) c = bytes[++pos];
        if (c === 34 /* a quote: csv-parse's job */) return stopAt(lineStart);
      }
      // After a field: trailing blanks, then a delimiter, a terminator or the end.
      while ((c === SPACE || c === TAB) && c !== delimiter && pos < end) c = bytes[++pos];
      const atEnd = pos >= end || c === LF || c === CR;
      if (field === lastField) {
        // The endpoints are read; count the rest of the line's columns (their values are not used).
        let fields = field + 1;
        if (whitespace) {
          while (pos < end && c !== LF && c !== CR) {
            fields++;
            while (pos < end && c !== LF && c !== CR && c !== SPACE && c !== TAB) {
              if (c === 34) return stopAt(lineStart);
              c = bytes[++pos];
            }
            while ((c === SPACE || c === TAB) && pos < end) c = bytes[++pos];
          }
        } else {
          while (pos < end && c !== LF && c !== CR) {
            if (c === 34) return stopAt(lineStart);
            if (c === delimiter) fields++;
            c = bytes[++pos];
          }
        }
        if (fields !== params.columns) return stopAt(lineStart); // another column count: a bad line (or a header-less first line, at columns 0)
        if (pos < end) {
          pos++;
          if (c === CR && pos < end && bytes[pos] === LF) pos++;
        }
        lines++;
        break;
      }
      if (atEnd) return stopAt(lineStart); // too few columns: csv-parse reports it
      if (!whitespace) {
        if (c !== delimiter) return stopAt(lineStart);
        c = bytes[++pos];
        while ((c === SPACE || c === TAB) && c !== delimiter && pos < end) c = bytes[++pos];
        if (pos >= end || c === LF || c === CR || c === delimiter) return stopAt(lineStart); // empty field
      }
    }
    if (strings) {
      u = strings.internBytes(bytes, us, ue);
      v = strings.internBytes(bytes, vs, ve);
    }
    if (count === pairs.length) pairs = grown(pairs, bytes, pos, end);
    pairs[count++] = u;
    pairs[count++] = v;
    if (u > maxValue) maxValue = u;
    if (v > maxValue) maxValue = v;
    edgeLines++;
    continue lines;
  }
  return { pairs, count: count / 2, maxValue, lines, edgeLines, headerSkipped, stop: end };

  function stopAt(at: number): ScanResult {
    return { pairs, count: count / 2, maxValue, lines, edgeLines, headerSkipped, stop: at };
  }
}

/**
 * Where to cut a buffer so the head holds only whole lines: just after the last LF,
 * or after the last CR (CR-only files) unless it may be the first half of a CRLF.
 * Returns 0 when there is no complete line.
 */
export function lastLineEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (bytes[i] === LF) return i + 1;
  for (let i = end - 2; i >= start; i--) if (bytes[i] === CR) return i + 1;
  return 0;
}

/** Splits [0, cut) into `parts` ranges that each end just after a line end. */
export function splitRanges(block: Uint8Array, cut: number, parts: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let p = 1; p < parts && start < cut; p++) {
    const target = Math.floor((cut * p) / parts);
    if (target <= start) continue;
    const end = lastLineEnd(block, start, target);
    if (end <= start) continue;
    ranges.push([start, end]);
    start = end;
  }
  if (start < cut) ranges.push([start, cut]);
  return ranges;
}
