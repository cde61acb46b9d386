/**
 * Streaming edge-list loader: file or stdin -> (gunzip, by magic bytes) -> csv-parse
 * -> node ids -> raw edge pairs -> CSR.
 *
 * Strict: the first malformed line stops the load with an InputError naming the
 * file and line. Nothing is dropped silently: self-loops and duplicate edges are
 * counted and reported, and a header row is reported as such.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse, CsvError } from 'csv-parse';
import { describeFsError, InputError, UsageError } from '../errors.js';
import { isSwg, readSwg, SWG_MAGIC } from './swg.js';
import { EdgeBuffer } from '../graph/edges.js';
import { detectFormat, type EdgeListFormat, type FormatOptions } from './sniff.js';
import { buildCsr, buildCsrParallel, PARALLEL_BUILD_MIN_ARCS } from '../graph/csr.js';
import type { Piscina } from 'piscina';
import { createPool, destroyPool } from '../parallel/pool.js';
import { scanStream, type FastResult } from './fastload.js';
import { csvInputError, csvOptions, expectWidth, RecordSink, type BadLines } from './records.js';
import { expectedColumns, notAnEdgeList } from './shape.js';
import { IdCollector } from '../graph/node-ids.js';
import type { LoadedGraph } from './loaded-graph.js';
import { availableParallelism } from 'node:os';

export type { LoadedGraph, LoadStats } from './loaded-graph.js';

export interface LoadOptions extends FormatOptions {
  directed?: boolean;
  /** 'auto' (default): the fast numeric scanner, handing over to csv-parse at the first line it cannot take; 'csv': csv-parse only. */
  parser?: 'auto' | 'csv';
  /** Threads for parsing large inputs (default: available parallelism). */
  threads?: number;
  /** Count malformed lines (and keep the first few) instead of stopping at the first. */
  skipBadLines?: boolean;
  /** Called as input bytes (compressed bytes for .gz) are consumed. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read this stream instead of opening `file` (which then only names it in messages). */
  stream?: Readable;
  /** Stops the read: the load then rejects (the caller turns that into an AbortError). */
  signal?: AbortSignal;
}

const SNIFF_BYTES = 64 * 1024;

interface ByteSource {
  chunks: AsyncIterable<Buffer>;
  /** Closes the file (a no-op for stdin); safe to call twice. */
  close: () => void;
  compressed: boolean;
  totalBytes: number;
  /** An uncompressed regular file: the fast path reads its blocks straight into their memory (`chunks` reads the same file, at the same position). */
  direct?: FileBytes;
}

const FILE_CHUNK_BYTES = 1 << 20;

/**
 * A regular file read at an explicit position, either as chunks (an async
 * iterator of fresh 1 MiB Buffers, for sniffing, csv-parse and gunzip) or
 * straight into the caller's memory (readInto: the fast path's blocks, no
 * chunk allocated and no copy). Both advance the same position; reads happen
 * only when asked for, so the two can take turns.
 */
class FileBytes implements AsyncIterator<Buffer>, AsyncIterable<Buffer> {
  private position = 0;
  private closed = false;

  constructor(
    private readonly handle: FileHandle,
    private readonly totalBytes: number,
    private readonly onProgress?: (bytesRead: number, totalBytes: number) => void,
    private readonly signal?: AbortSignal,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  get size(): number {
    return this.totalBytes;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    const chunk = Buffer.allocUnsafe(FILE_CHUNK_BYTES);
    const n = await this.readInto(chunk, 0, chunk.length);
    if (n === 0) return { done: true, value: undefined };
    return { done: false, value: n < chunk.length ? chunk.subarray(0, n) : chunk };
  }

  /** Reads up to `length` bytes into target[offset...]; 0 at the end of the file. */
  async readInto(target: Uint8Array, offset: number, length: number): Promise<number> {
    if (this.signal?.aborted || this.closed) throw new Error('aborted');
    const { bytesRead } = await this.handle.read(target, offset, length, this.position);
    this.position += bytesRead;
    if (bytesRead > 0) this.onProgress?.(this.position, this.totalBytes);
    return bytesRead;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.close().catch(() => {});
  }
}

/** Opens a file (or stdin for "-") as a stream of decompressed bytes. */
async function openBytes(file: string, opts: LoadOptions): Promise<ByteSource> {
  const { onProgress, signal } = opts;
  let raw: Readable;
  let totalBytes = 0;
  if (opts.stream) {
    raw = opts.stream;
  } else if (file === '-') {
    raw = process.stdin;
  } else {
    let stat;
    try {
      stat = await fsp.stat(file);
    } catch (err) {
      throw new InputError(file, undefined, describeFsError(err));
    }
    if (stat.isDirectory()) throw new InputError(file, undefined, 'is a directory, not an edge list');
    totalBytes = stat.size;
    let handle: FileHandle;
    try {
      // Open now so that permission problems surface here, with the file name.
      handle = await fsp.open(file, 'r');
    } catch (err) {
      throw new InputError(file, undefined, describeFsError(err));
    }
    if (stat.isFile()) return openFile(file, new FileBytes(handle, totalBytes, onProgress, signal), totalBytes);
    raw = handle.createReadStream({ highWaterMark: 1 << 20 }); // a FIFO or a device: read as a stream
  }

  if (signal) {
    if (signal.aborted) raw.destroy(new Error('aborted'));
    else signal.addEventListener('abort', () => raw.destroy(new Error('aborted')), { once: true });
  }
  const iterator = raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let read = 0;
  const counted = async function* (first: IteratorResult<Buffer>): AsyncGenerator<Buffer> {
    let r = first;
    while (!r.done) {
      read += r.value.length;
      onProgress?.(read, totalBytes);
      yield r.value;
      r = await iterator.next();
    }
  };
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (err) {
    throw new InputError(file, undefined, describeFsError(err));
  }
  const compressed = !first.done && first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  const close = () => {
    if (raw !== process.stdin && raw !== opts.stream) raw.destroy();
  };
  if (!compressed) return { chunks: counted(first), compressed, totalBytes, close };
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(counted(first)), gunzip);
  feeding.catch(() => {}); // the error also reaches whoever reads `gunzip`
  return { chunks: gunzip, compressed, totalBytes, close };
}

/** A regular file: read by position (gunzipped when its first bytes say so). */
async function openFile(file: string, bytes: FileBytes, totalBytes: number): Promise<ByteSource> {
  const close = () => bytes.close();
  let first: IteratorResult<Buffer>;
  try {
    first = await bytes.next();
  } catch (err) {
    close();
    throw new InputError(file, undefined, describeFsError(err));
  }
  const compressed = !first.done && first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  const replay = async function* (): AsyncGenerator<Buffer> {
    if (first.done) return;
    yield first.value;
    for (let r = await bytes.next(); !r.done; r = await bytes.next()) yield r.value;
  };
  if (!compressed) return { chunks: replay(), compressed, totalBytes, close, direct: bytes };
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(replay()), gunzip);
  feeding.catch(() => {}); // the error also reaches whoever reads `gunzip`
  return { chunks: gunzip, compressed, totalBytes, close };
}

/** True when the file begins with the .swg magic bytes (decided by content, not by name). */
async function startsLikeSwg(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return false; // openBytes reports the problem with the usual message
  }
  try {
    const head = new Uint8Array(16);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return isSwg(head.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/** Reads chunks until there is enough text to decide the format; returns them for replay. */
async function sniff(chunks: AsyncIterator<Buffer>): Promise<{ head: Buffer[]; sample: string }> {
  const head: Buffer[] = [];
  let bytes = 0;
  let ended = false;
  while (bytes < SNIFF_BYTES) {
    const r = await chunks.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    bytes += r.value.length;
  }
  const joined = Buffer.concat(head);
  let sample = joined.subarray(0, SNIFF_BYTES * 2).toString('utf8');
  if (sample.charCodeAt(0) === 0xfeff) sample = sample.slice(1);
  if (ended) sample += '\n'; // the whole text: its last line is complete
  return { head, sample };
}

export async function loadGraph(file: string, opts: LoadOptions = {}): Promise<LoadedGraph> {
  if (!opts.stream && file !== '-' && (await startsLikeSwg(file))) {
    const graph = await readSwg(file);
    if ((opts.directed ?? false) !== graph.csr.directed) {
      const was = graph.csr.directed ? 'directed' : 'undirected';
      throw new UsageError(`${file} holds a graph converted as ${was}: convert the edge list again${graph.csr.directed ? ' without' : ' with'} --directed, or ${graph.csr.directed ? 'add' : 'drop'} --directed here`);
    }
    return graph;
  }
  const source = await openBytes(file, opts);
  try {
    return await loadFrom(file, source, opts);
  } finally {
    source.close();
  }
}

async function loadFrom(file: string, source: ByteSource, opts: LoadOptions): Promise<LoadedGraph> {
  // The parse workers, kept from the scan to the CSR build.
  const pools: { pool?: Piscina } = {};
  try {
    return await loadWith(file, source, opts, pools);
  } finally {
    if (pools.pool) await destroyPool(pools.pool);
  }
}

async function loadWith(file: string, source: ByteSource, opts: LoadOptions, pools: { pool?: Piscina }): Promise<LoadedGraph> {
  const threads = opts.threads ?? availableParallelism();
  const iterator = source.chunks[Symbol.asyncIterator]();
  let lastLine = 0; // last line fully read, for errors that come from the stream
  const failOnStream = (err: unknown): never => {
    throw streamError(file, lastLine + 1, err);
  };

  let sniffed;
  try {
    sniffed = await sniff(iterator);
  } catch (err) {
    failOnStream(err);
  }
  const { head, sample } = sniffed!;
  if (sample.trim() === '') throw new InputError(file, undefined, 'empty file: no edges');
  if (isSwg(Buffer.from(sample.slice(0, SWG_MAGIC.length)))) {
    // A .swg reaches here only from stdin or gzipped: readSwg reads it by path, uncompressed (sections by offset).
    const stdin = file === '-';
    throw new InputError(
      file,
      undefined,
      !source.compressed
        ? 'a .swg graph file on standard input: .swg files are read by path, not from stdin; give the file name instead of -'
        : stdin
          ? 'a gzipped .swg graph file on standard input: .swg files are read by path, uncompressed; gunzip it to a file and give its name'
          : 'a gzipped .swg graph file: .swg files are read uncompressed; gunzip it first, then give the .swg path',
    );
  }
  const nul = sample.indexOf('\0');
  if (nul >= 0) {
    const line = sample.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw new InputError(file, line, 'binary data, not a text edge list');
  }
  const format = detectFormat(sample, opts);
  if (head.length > 0 && head[0][0] === 0xef && head[0][1] === 0xbb && head[0][2] === 0xbf) head[0] = head[0].subarray(3); // BOM

  const refusal = notAnEdgeList(sample, format);
  if (refusal) throw new InputError(file, undefined, `does not look like an edge list (${refusal})`);

  const edges = new EdgeBuffer();
  const ids = new IdCollector(edges);
  const sink = new RecordSink(file, format, ids, opts.skipBadLines ?? false, format.header, expectedColumns(sample, format));
  let edgeLines = 0;
  let scannerLines = 0;
  let csvInput: { first: Buffer[]; rest: AsyncIterator<Buffer> } | null = { first: head, rest: iterator };

  if (opts.parser !== 'csv') {
    const fast = { lines: 0, edgeLines: 0, headerSkipped: false, handover: null } as FastResult;
    const params = {
      delimiter: format.delimiter === 'whitespace' ? 0 : format.delimiter.charCodeAt(0),
      sourceIndex: format.sourceIndex,
      targetIndex: format.targetIndex,
    };
    try {
      await scanStream(head, iterator, params, { format, sink, edges, ids }, threads, fast, source.direct, pools);
    } catch (err) {
      lastLine = fast.lines;
      failOnStream(err);
    }
    lastLine = fast.lines;
    scannerLines = fast.lines;
    edgeLines = fast.edgeLines;
    csvInput = fast.handover ? { first: [fast.handover.bytes], rest: fast.handover.rest } : null;
  }

  if (csvInput) {
    const r = await parseWithCsv(file, csvInput.first, csvInput.rest, format, sink, lastLine);
    lastLine = r.lastLine;
  }
  edgeLines += sink.edgeLines;
  const badLines = sink.badLines;
  if (edgeLines === 0) throw new InputError(file, undefined, noEdgesReason(format, badLines));

  const nodeIds = ids.finish();
  const directed = opts.directed ?? false;
  let built;
  if (threads > 1 && (directed ? 1 : 2) * edges.length >= PARALLEL_BUILD_MIN_ARCS) {
    const pool = (pools.pool ??= createPool('parse-worker.js', { threads }));
    built = await buildCsrParallel(edges, nodeIds.size, directed, (task) => pool.run(task) as Promise<number>, threads, file);
  } else {
    built = buildCsr(edges, nodeIds.size, directed, file);
  }
  const { csr, stats } = built;
  return {
    file,
    csr,
    ids: nodeIds,
    format,
    compressed: source.compressed,
    scannerLines,
    stats: {
      lines: lastLine,
      edgeLines,
      nodes: nodeIds.size,
      edges: stats.edges,
      selfLoops: stats.selfLoops,
      duplicates: stats.duplicates,
      badLines: badLines.count,
      badLineExamples: badLines.examples,
    },
  };
}

/**
 * The general path: csv-parse over `first` then `rest` (all of the input, or what
 * the fast scanner handed over), with line numbers continuing from `lineOffset`.
 */
async function parseWithCsv(
  file: string,
  first: Buffer[],
  rest: AsyncIterator<Buffer>,
  format: EdgeListFormat,
  sink: RecordSink,
  lineOffset: number,
): Promise<{ lastLine: number }> {
  const parser = parse(csvOptions(format));
  const replay = async function* (): AsyncGenerator<Buffer> {
    yield* first;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  };
  const feeding = pipeline(Readable.from(replay()), parser);
  feeding.catch(() => {}); // errors reach the parser, which rejects below

  let lastLine = lineOffset;
  // Without csv-parse's `info` option (it copies an object per record, ~40% of the
  // time); 'data' events fire synchronously as records are parsed, so the
  // parser's live line count is the record's line.
  try {
    await new Promise<void>((resolvePromise, reject) => {
      parser.on('data', (row: string[]) => {
        try {
          expectWidth((parser as unknown as { state?: unknown }).state, row.length);
          lastLine = lineOffset + parser.info.lines;
          sink.handle(row, lastLine);
        } catch (err) {
          parser.destroy();
          reject(err);
        }
      });
      parser.on('error', reject);
      parser.on('end', resolvePromise);
    });
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof CsvError) throw csvInputError(file, err, lineOffset, lastLine);
    throw streamError(file, lastLine + 1, err);
  }
  return { lastLine };
}

/** A read or gunzip failure as the user sees it, at the line being read when it happened. */
function streamError(file: string, line: number, err: unknown): InputError {
  if (err instanceof InputError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String((err as Error)?.message)))
    return new InputError(file, line, 'gzip data ends early (truncated file?)');
  if (typeof code === 'string' && code.startsWith('Z_')) return new InputError(file, line, `corrupt gzip data (${(err as Error).message})`);
  return new InputError(file, line, describeFsError(err));
}

/** Why a file gave no edges, and what to do about it. */
function noEdgesReason(format: EdgeListFormat, badLines: BadLines): string {
  if (badLines.count > 0) {
    const first = badLines.examples[0];
    const which = badLines.count === 1 ? 'the one data line was bad (' : `all ${badLines.count} data lines were bad (first: `;
    return `no edges: ${which}line ${first.line}: ${first.reason})`;
  }
  if (format.header) return `no edges: only a header row (${format.headerFields.join(', ')}), comments or blank lines; --no-header reads that row as data`;
  return 'no edges: only comments or blank lines';
}
