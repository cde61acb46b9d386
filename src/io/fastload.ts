/**
 * The loader's fast path over a byte stream: fills blocks of whole lines in a
 * SharedArrayBuffer, scans each block's ranges in parallel parse workers (or
 * inline when small), and appends their pairs in file order. While workers scan
 * one block, the next is read into a second buffer. Stops at the first line the
 * scanner cannot take and returns the unread bytes, for csv-parse to continue.
 */
import type { Piscina } from 'piscina';
import type { EdgeBuffer } from '../graph/edges.js';
import { IdTable } from '../graph/id-table.js';
import type { IdCollector } from '../graph/node-ids.js';
import { createPool } from '../parallel/pool.js';
import { lastLineEnd, scanRange, type ScanParams, type ScanResult } from './scan.js';

const BLOCK_BYTES = 16 << 20;
/** Below this a block is scanned on the main thread: a worker round trip costs more. */
const PARALLEL_MIN_BYTES = 1 << 20;

export interface FastResult {
  lines: number;
  edgeLines: number;
  headerSkipped: boolean;
  /** Bytes not taken (from the first line the scanner stopped at), then `rest`; null when all was read. */
  handover: { bytes: Buffer; rest: AsyncIterator<Buffer> } | null;
}

/** Pulls chunks from a stream into fixed SharedArrayBuffer blocks, ending each at a line end. */
class BlockReader {
  private pending: Buffer | null = null;
  ended = false;
  /** An error met while reading ahead; thrown once the lines before it are scanned. */
  error: unknown = undefined;

  constructor(
    private readonly head: Buffer[],
    private readonly source: AsyncIterator<Buffer>,
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

/** Splits [0, cut) into `parts` ranges that each end just after a line end. */
function splitRanges(block: Uint8Array, cut: number, parts: number): Array<[number, number]> {
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

/** Whether string mode takes the line starting at `lineStart` (a dry run with a scratch table). */
function takesAsStrings(block: Uint8Array, lineStart: number, cut: number, params: ScanParams): boolean {
  let lineEnd = lineStart;
  while (lineEnd < cut && block[lineEnd] !== 10 && block[lineEnd] !== 13) lineEnd++;
  if (lineEnd < cut) lineEnd++;
  if (lineEnd < cut && block[lineEnd - 1] === 13 && block[lineEnd] === 10) lineEnd++;
  return scanRange(block, lineStart, lineEnd, params, new IdTable(4)).stop === lineEnd;
}

export async function scanStream(
  head: Buffer[],
  source: AsyncIterator<Buffer>,
  baseParams: ScanParams,
  edges: EdgeBuffer,
  ids: IdCollector,
  threads: number,
  out: FastResult,
): Promise<FastResult> {
  const reader = new BlockReader(head, source);
  let pool: Piscina | undefined;
  let headerPending = baseParams.skipFirstDataLine;
  /** Set once the ids are not all plain numbers: scanning goes on in string mode. */
  let strings: IdTable | null = null;
  let carry: Uint8Array = new Uint8Array(0);
  // Two blocks: one being scanned while the other is filled.
  const blocks: Uint8Array[] = [new Uint8Array(new SharedArrayBuffer(BLOCK_BYTES)), new Uint8Array(new SharedArrayBuffer(BLOCK_BYTES))];
  let which = 0;
  let filled = await reader.fill(blocks[which], carry);
  blocks[which] = filled.block;

  try {
    for (;;) {
      const { block, used, cut } = filled;
      const params = { ...baseParams, skipFirstDataLine: headerPending };
      const parallel = threads > 1 && cut >= PARALLEL_MIN_BYTES && !headerPending && !strings;
      const ranges: Array<[number, number]> = parallel ? splitRanges(block, cut, threads * 2) : [[0, cut]];
      let scanning: Promise<ScanResult[]>;
      if (parallel) {
        pool ??= createPool('parse-worker.js', { threads });
        const p = pool;
        const buffer = block.buffer as SharedArrayBuffer;
        scanning = Promise.all(ranges.map(([start, end]) => p.run({ block: buffer, start, end, params })));
      } else {
        scanning = Promise.resolve([scanRange(block, 0, cut, params, strings ?? undefined)]);
      }
      // The tail after the cut starts the next block; read it while the workers scan.
      carry = block.slice(cut, used);
      which ^= 1;
      const next = reader.ended ? null : reader.fill(blocks[which], carry);

      const results = await scanning;
      const take = (r: ScanResult) => {
        edges.appendChunk(r.pairs, r.count);
        if (r.count > 0 && !strings) ids.noteMax(r.maxValue);
        out.lines += r.lines;
        out.edgeLines += r.edgeLines;
        if (r.headerSkipped) {
          out.headerSkipped = true;
          headerPending = false;
        }
      };
      for (let i = 0; i < results.length; i++) {
        let r = results[i];
        take(r);
        if (r.stop < ranges[i][1] && !strings && takesAsStrings(block, r.stop, cut, { ...baseParams, skipFirstDataLine: headerPending })) {
          // A line with ids that are not plain numbers (names, 64-bit ids): go on in
          // string mode from it, on this thread, through this block and the next ones.
          strings = ids.stringTable();
          r = scanRange(block, r.stop, cut, { ...baseParams, skipFirstDataLine: headerPending }, strings);
          take(r);
          if (r.stop === cut) break; // later ranges were scanned again just now
        }
        if (r.stop < (strings ? cut : ranges[i][1])) {
          // Stopped early: everything from r.stop on goes to csv-parse (later ranges are dropped).
          const following = next ? await next : null;
          const parts = [Buffer.from(block.subarray(r.stop, following ? cut : used))];
          if (following) parts.push(Buffer.from(following.block.subarray(0, following.used)));
          out.handover = { bytes: Buffer.concat(parts), rest: reader.remaining() };
          return out;
        }
      }
      if (!next) {
        if (reader.error !== undefined) throw reader.error;
        return out;
      }
      filled = await next;
      blocks[which] = filled.block;
    }
  } finally {
    await pool?.destroy();
  }
}
