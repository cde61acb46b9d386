/**
 * The loader's fast path over a byte stream: fills blocks of whole lines in a
 * SharedArrayBuffer, scans each block's ranges in parallel parse workers (or
 * inline when small), and appends their pairs in file order. While workers scan
 * one block, the next is read into a second buffer. Lines the scanner cannot take
 * (a quote, a non-ASCII id, a bad line...) are read with csv-parse, a run of them
 * at a time, through the same RecordSink as the csv-parse path; the scanner then
 * goes on from the next line. A quoted field still open at a block's end is
 * read again from its line at the start of the next block; only one open over
 * more than 1 MB (an unterminated quote, say) hands the rest of the input over
 * to streaming csv-parse.
 */
import type { Piscina } from 'piscina';
import type { EdgeBuffer } from '../graph/edges.js';
import { IdTable } from '../graph/id-table.js';
import type { ShardedIds } from '../graph/intern.js';
import type { IdCollector } from '../graph/node-ids.js';
import { createPool, destroyPool } from '../parallel/pool.js';
import { readWindow, splitPlainLine, type RecordSink } from './records.js';
import { ShardScanner } from './intern-scan.js';
import { lastLineEnd, scanRange, splitRanges, type ScanParams, type ScanResult } from './scan.js';
import type { EdgeListFormat } from './sniff.js';

const BLOCK_BYTES = 16 << 20;
/** Below this a block is scanned on the main thread: a worker round trip costs more. */
const PARALLEL_MIN_BYTES = 1 << 20;
/** The first block's size (see scanStream). */
const FIRST_BLOCK_BYTES = 2 << 20;

export interface FastResult {
  lines: number;
  edgeLines: number;
  headerSkipped: boolean;
  /** Bytes not taken (from the first line the scanner stopped at), then `rest`; null when all was read. */
  handover: { bytes: Buffer; rest: AsyncIterator<Buffer> } | null;
}

/** A regular file read straight into the caller's memory at its current position (see FileBytes in load.ts). */
export interface DirectSource {
  /** Reads up to `length` bytes into target[offset...]; 0 at the end of the input. */
  readInto(target: Uint8Array, offset: number, length: number): Promise<number>;
  /** The input's size in bytes (a regular file's): lets string mode size its id tables ahead (ShardScanner). */
  readonly size?: number;
}

/**
 * Pulls chunks from a stream into fixed SharedArrayBuffer blocks, ending each at a line end.
 * With a DirectSource (a regular file), once the head chunks are used, the file is read
 * straight into the block: no chunk Buffers to allocate (fresh pages are slow to touch) and no copy.
 */
class BlockReader {
  private pending: Buffer | null = null;
  ended = false;
  /** An error met while reading ahead; thrown once the lines before it are scanned. */
  error: unknown = undefined;

  constructor(
    private readonly head: Buffer[],
    private readonly source: AsyncIterator<Buffer>,
    private readonly direct?: DirectSource,
  ) {}

  private async nextChunk(): Promise<Buffer | null> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    if (this.head.length > 0) return this.head.shift()!;
    const r = await this.source.next();
    return r.done ? null : r.value;
  }

  /**
   * Fills `block` starting with `carry`; returns the bytes used and the cut (end of the last whole line,
   * or everything at the end of input). Grows the block when one line is longer than it.
   */
  async fill(block: Uint8Array, carry: Uint8Array): Promise<{ block: Uint8Array; used: number; cut: number }> {
    block.set(carry, 0);
    let used = carry.length;
    for (;;) {
      while (used < block.length) {
        if (this.direct && !this.pending && this.head.length === 0) {
          let n: number;
          try {
            n = await this.direct.readInto(block, used, block.length - used);
          } catch (err) {
            this.error = err;
            this.ended = true;
            return { block, used, cut: lastLineEnd(block, 0, used) };
          }
          if (n === 0) {
            this.ended = true;
            return { block, used, cut: used };
          }
          used += n;
          continue;
        }
        let chunk: Buffer | null;
        try {
          chunk = await this.nextChunk();
        } catch (err) {
          // A read or gunzip error: keep the whole lines read so far, report after scanning them.
          this.error = err;
          this.ended = true;
          return { block, used, cut: lastLineEnd(block, 0, used) };
        }
        if (!chunk) {
          this.ended = true;
          return { block, used, cut: used };
        }
        const take = Math.min(chunk.length, block.length - used);
        block.set(chunk.subarray(0, take), used);
        used += take;
        if (take < chunk.length) this.pending = chunk.subarray(take);
      }
      const cut = lastLineEnd(block, 0, used);
      if (cut > 0) return { block, used, cut };
      const bigger = new Uint8Array(new SharedArrayBuffer(block.length * 2));
      bigger.set(block);
      block = bigger;
    }
  }

  /** The iterator over what this reader has not consumed yet. */
  async *remaining(): AsyncGenerator<Buffer> {
    for (let c = await this.nextChunk(); c; c = await this.nextChunk()) yield c;
  }
}

/** Just after the terminator of the line holding byte `at` (CRLF counts as one), or `limit`. */
function lineEndFrom(block: Uint8Array, at: number, limit: number): number {
  let i = at;
  while (i < limit && block[i] !== 10 && block[i] !== 13) i++;
  if (i >= limit) return limit;
  if (block[i] === 13 && i + 1 < limit && block[i + 1] === 10) return i + 2;
  return i + 1;
}

/** Line terminators in block[start, end) (CRLF counts as one), plus one for a last line without one. */
function countTerminators(block: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = block[i];
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (i + 1 < end && block[i + 1] === 10) i++;
    }
  }
  if (end > start && block[end - 1] !== 10 && block[end - 1] !== 13) n++;
  return n;
}

/** Whether string mode takes the line starting at `lineStart` (a dry run with a scratch table). */
function takesAsStrings(block: Uint8Array, lineStart: number, cut: number, params: ScanParams, scratch: { table: IdTable }): boolean {
  const lineEnd = lineEndFrom(block, lineStart, cut);
  if (scratch.table.size > 4096) scratch.table = new IdTable(4);
  return scanRange(block, lineStart, lineEnd, params, scratch.table).stop === lineEnd;
}

/** After a line the scanner did not take, it goes on over this many bytes first, doubling while lines are plain. */
const FIRST_STRETCH = 64;
/** A quoted field open over more bytes than this (unterminated, say) leaves the rest of the input to streaming csv-parse. */
const OPEN_QUOTE_BYTES = 1 << 20;
/** Lines read in one csv-parse call, at most, when many lines in a row need it (escaped quotes, say). */
const CSV_RUN_LINES = 4096;

export interface ScanTarget {
  format: EdgeListFormat;
  /** Header state, column count, and the rules for the lines the scanner does not take. */
  sink: RecordSink;
  edges: EdgeBuffer;
  ids: IdCollector;
}

export async function scanStream(
  head: Buffer[],
  source: AsyncIterator<Buffer>,
  base: Pick<ScanParams, 'delimiter' | 'sourceIndex' | 'targetIndex'>,
  target: ScanTarget,
  threads: number,
  out: FastResult,
  direct?: DirectSource,
  /** When given, the parse pool is left here for the caller (the CSR build uses it) instead of destroyed. */
  keep?: { pool?: Piscina },
): Promise<FastResult> {
  const { format, sink, edges, ids } = target;
  const reader = new BlockReader(head, source, direct);
  let pool: Piscina | undefined = keep?.pool;
  /** Set once the ids are not all plain numbers: scanning goes on in string mode. */
  let strings: ShardedIds | null = null;
  ids.shardStrings(threads); // string ids, if any, interned by the workers (src/io/intern-scan.ts)
  const shardScanner = new ShardScanner(threads);
  const scratch = { table: new IdTable(4) };
  /** Fallbacks to csv-parse since the scanner last took a line. */
  let csvStreak = 0;
  let current: ScanParams = { ...base, skipFirstDataLine: sink.headerPending, columns: sink.columns };
  /** The scan parameters now (the header and the column count can change as lines are read). */
  const params = (): ScanParams => {
    if (current.skipFirstDataLine !== sink.headerPending || current.columns !== sink.columns)
      current = { ...base, skipFirstDataLine: sink.headerPending, columns: sink.columns };
    return current;
  };
  let carry: Uint8Array = new Uint8Array(0);
  /** Bytes of the input before the block being scanned. */
  let consumed = 0;
  // Two blocks: one being scanned while the other is filled.
  const blocks: Uint8Array[] = [new Uint8Array(new SharedArrayBuffer(BLOCK_BYTES)), new Uint8Array(new SharedArrayBuffer(BLOCK_BYTES))];
  let which = 0;
  // The first block is small: string ids are discovered there, and the rest of the block they are found
  // in is interned on this thread; from the next block on the workers do it (~0.4 s sooner at 16 MiB).
  let filled = await reader.fill(blocks[which].subarray(0, FIRST_BLOCK_BYTES), carry);
  if (filled.block.buffer !== blocks[which].buffer) blocks[which] = filled.block; // grown for a long line

  const take = (r: ScanResult) => {
    edges.appendChunk(r.pairs, r.count);
    if (r.count > 0 && !strings) ids.noteMax(r.maxValue);
    out.lines += r.lines;
    out.edgeLines += r.edgeLines;
    if (r.headerSkipped) {
      out.headerSkipped = true;
      sink.headerPending = false;
    }
  };

  try {
    blocks: for (;;) {
      const { block, used, cut } = filled;
      /** This block ends the input (then `cut` is `used`). */
      const last = reader.ended && reader.error === undefined;
      const startParams = params();
      const startStrings: ShardedIds | null = strings;
      const parallel = threads > 1 && cut >= PARALLEL_MIN_BYTES && !startParams.skipFirstDataLine && startParams.columns > 0 && !strings;
      const sharded = threads > 1 && cut >= PARALLEL_MIN_BYTES && !startParams.skipFirstDataLine && startParams.columns > 0 && ShardScanner.usable(strings, threads);
      const ranges: Array<[number, number]> = parallel ? splitRanges(block, cut, threads * 2) : [[0, cut]];
      let scanning: Promise<ScanResult[]>;
      if (parallel) {
        pool ??= createPool('parse-worker.js', { threads });
        if (keep) keep.pool = pool;
        const p = pool;
        const buffer = block.buffer as SharedArrayBuffer;
        scanning = Promise.all(ranges.map(([start, end]) => p.run({ block: buffer, start, end, params: startParams })));
      } else if (sharded) {
        scanning = shardScanner.scan(block, cut, startParams, strings!, direct?.size === undefined ? undefined : { done: consumed, total: direct.size }).then((r) => [r]);
      } else {
        scanning = Promise.resolve([scanRange(block, 0, cut, startParams, strings ?? undefined)]);
      }
      consumed += cut;
      // The tail after the cut starts the next block; read it while the workers scan.
      carry = block.slice(cut, used);
      which ^= 1;
      const next = reader.ended ? null : reader.fill(blocks[which], carry);
      // String mode: the next block's tokens are read as soon as it is in, while this one is interned.
      if (next && ShardScanner.usable(strings, threads))
        void next.then(
          (f) => {
            const p = params();
            if (f.cut >= PARALLEL_MIN_BYTES && !p.skipFirstDataLine && p.columns > 0) shardScanner.prefetch(f.block, f.cut, p);
          },
          () => {},
        );

      /**
       * The line at `at`, which the scanner cannot take: split here when that is
       * easy (see splitPlainLine), else read with csv-parse, with the lines after
       * it while a quoted field is open, and with more lines (doubling) while
       * line after line needs csv-parse. Returns where the scanner goes on, or
       * -1 when a quoted field is still open at the block's end (then its lines
       * are read again at the start of the next block) or over OPEN_QUOTE_BYTES.
       */
      const fallback = (at: number): number => {
        let end = lineEndFrom(block, at, cut);
        let contentEnd = end;
        while (contentEnd > at && (block[contentEnd - 1] === 10 || block[contentEnd - 1] === 13)) contentEnd--;
        const fields = splitPlainLine(block, at, contentEnd, format);
        if (fields) {
          out.lines++;
          sink.handle(fields, out.lines);
          return end;
        }
        // Lines for csv-parse in a row (none taken by the scanner in between) are read more at a time.
        for (let k = Math.min(2 ** csvStreak, CSV_RUN_LINES) - 1; k > 0 && end < cut; k--) end = lineEndFrom(block, end, cut);
        csvStreak++;
        for (let more = 1; ; more *= 2) {
          const r = readWindow(block.subarray(at, end), format, sink, out.lines, last && end === cut);
          if (r.kind === 'read') break;
          if (end >= cut || end - at > OPEN_QUOTE_BYTES) return -1;
          for (let k = 0; k < more && end < cut; k++) end = lineEndFrom(block, end, cut);
        }
        out.lines += countTerminators(block, at, end);
        return end;
      };

      /** Scans block[pos, limit) on this thread, reading what the scanner cannot take with the fallback. Returns where it ended, or -1 - the hand-over position. */
      const inline = (pos: number, limit: number): number => {
        let stretch = FIRST_STRETCH;
        while (pos < limit) {
          const end = pos + stretch >= limit ? limit : lineEndFrom(block, pos + stretch, limit);
          const r = scanRange(block, pos, end, params(), strings ?? undefined);
          take(r);
          if (r.lines > 0) csvStreak = 0;
          pos = r.stop;
          if (pos === end) {
            stretch = Math.min(stretch * 2, BLOCK_BYTES);
            continue;
          }
          stretch = FIRST_STRETCH;
          if (!strings && takesAsStrings(block, pos, cut, params(), scratch)) {
            // A line with ids that are not plain numbers (names, 64-bit ids): go on in
            // string mode from it, on this thread, through this block and the next ones.
            strings = ids.stringTable();
            limit = cut;
            continue;
          }
          const after = fallback(pos);
          if (after < 0) return -1 - pos;
          pos = after;
          if (!strings && ids.stringMode) {
            strings = ids.stringTable(); // the fallback met a name
            limit = cut;
          }
        }
        return pos;
      };

      // While the workers scan this block: the first-appearance pass over the ids of the blocks before it.
      if (sharded) strings!.numberSoFar(edges);
      const results = await scanning;
      let pos = 0;
      for (let i = 0; i < results.length && pos < cut; i++) {
        const [start, end] = ranges[i];
        if (pos === start && strings === startStrings) {
          const r = results[i];
          take(r);
          pos = r.stop;
          if (pos === end) continue;
        } else if (pos >= end) continue; // read already (a fallback run went past this range)
        // From the first line not taken (or not yet read) on, on this thread; in string mode to the block's end.
        const at = inline(pos, strings ? cut : end);
        if (at < 0) {
          const stop = -1 - at;
          const following = next ? await next : null;
          if (following && cut - stop <= OPEN_QUOTE_BYTES) {
            // A quoted field open at the block's end: its lines on go in front of the next block
            // (which starts at this one's cut), and scanning goes on there.
            const head = block.subarray(stop, cut);
            const joined = new Uint8Array(new SharedArrayBuffer(head.length + following.used));
            joined.set(head, 0);
            joined.set(following.block.subarray(0, following.used), head.length);
            filled = { block: joined, used: joined.length, cut: head.length + following.cut };
            blocks[which] = joined;
            continue blocks;
          }
          // A quoted field open over more than OPEN_QUOTE_BYTES (unterminated, say), or a read error
          // after this block: streaming csv-parse reads everything from the line on (and reports the error).
          const parts = [Buffer.from(block.subarray(stop, following ? cut : used))];
          if (following) parts.push(Buffer.from(following.block.subarray(0, following.used)));
          out.handover = { bytes: Buffer.concat(parts), rest: reader.remaining() };
          return out;
        }
        pos = at;
      }
      if (!next) {
        if (reader.error !== undefined) throw reader.error;
        if (ShardScanner.usable(strings, threads)) await shardScanner.renumber(strings, edges); // all edges are in: string ids to node indices on the workers
        return out;
      }
      filled = await next;
      blocks[which] = filled.block;
    }
  } finally {
    if (pool && !keep) await destroyPool(pool);
    await shardScanner.close();
  }
}
