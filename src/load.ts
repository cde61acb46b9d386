/**
 * Streaming edge-list loader: file or stdin -> (gunzip, by magic bytes) -> csv-parse
 * -> node ids -> raw edge pairs -> CSR.
 *
 * Strict: the first malformed line stops the load with an InputError naming the
 * file and line. Nothing is dropped silently: self-loops and duplicate edges are
 * counted and reported, and a header row is reported as such.
 */
import { promises as fsp } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse, CsvError, type Options as CsvOptions } from 'csv-parse';
import { InputError } from './errors.js';
import { EdgeBuffer } from './edges.js';
import { detectFormat, type EdgeListFormat, type FormatOptions } from './format.js';
import { buildCsr, type Csr } from './graph.js';
import { IdCollector, type NodeIds } from './nodeids.js';

export interface LoadOptions extends FormatOptions {
  directed?: boolean;
  /** Called as input bytes (compressed bytes for .gz) are consumed. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface LoadStats {
  /** Lines in the text, comments and blanks included. */
  lines: number;
  /** Lines that held an edge (header and comments excluded). */
  edgeLines: number;
  nodes: number;
  /** Distinct edges kept (undirected pairs, or arcs when directed). */
  edges: number;
  selfLoops: number;
  duplicates: number;
}

export interface LoadedGraph {
  file: string;
  csr: Csr;
  ids: NodeIds;
  format: EdgeListFormat;
  compressed: boolean;
  stats: LoadStats;
}

const SNIFF_BYTES = 64 * 1024;

interface ByteSource {
  chunks: AsyncIterable<Buffer>;
  compressed: boolean;
  totalBytes: number;
}

/** Opens a file (or stdin for "-") as a stream of decompressed bytes. */
async function openBytes(file: string, onProgress?: (read: number, total: number) => void): Promise<ByteSource> {
  let raw: Readable;
  let totalBytes = 0;
  if (file === '-') {
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
    try {
      // Open now so that permission problems surface here, with the file name.
      const handle = await fsp.open(file, 'r');
      raw = handle.createReadStream({ highWaterMark: 1 << 20 });
    } catch (err) {
      throw new InputError(file, undefined, describeFsError(err));
    }
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
  if (!compressed) return { chunks: counted(first), compressed, totalBytes };
  const gunzip = createGunzip();
  const feeding = pipeline(Readable.from(counted(first)), gunzip);
  feeding.catch(() => {}); // the error also reaches whoever reads `gunzip`
  return { chunks: gunzip, compressed, totalBytes };
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory, not an edge list';
  return (err as Error)?.message ?? String(err);
}

/** Reads chunks until there is enough text to decide the format; returns them for replay. */
async function sniff(chunks: AsyncIterator<Buffer>): Promise<{ head: Buffer[]; sample: string; ended: boolean }> {
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
  return { head, sample, ended };
}

export async function loadGraph(file: string, opts: LoadOptions = {}): Promise<LoadedGraph> {
  const source = await openBytes(file, opts.onProgress);
  const iterator = source.chunks[Symbol.asyncIterator]();
  let lastLine = 0;
  const failOnStream = (err: unknown): never => {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String((err as Error)?.message)))
      throw new InputError(file, lastLine + 1, 'gzip data ends early (truncated file?)');
    if (typeof code === 'string' && code.startsWith('Z_'))
      throw new InputError(file, lastLine + 1, `corrupt gzip data (${(err as Error).message})`);
    if (err instanceof CsvError) {
      if (err.code === 'CSV_QUOTE_NOT_CLOSED') throw new InputError(file, lastLine + 1, 'unterminated quoted field');
      const line = (err as CsvError & { lines?: number }).lines ?? lastLine + 1;
      throw new InputError(file, line, err.message.replace(/^Invalid[^:]*: /, ''));
    }
    throw new InputError(file, lastLine + 1, describeFsError(err));
  };

  let sniffed;
  try {
    sniffed = await sniff(iterator);
  } catch (err) {
    failOnStream(err);
  }
  const { head, sample, ended } = sniffed!;
  if (sample.trim() === '') throw new InputError(file, undefined, 'empty file: no edges');
  const nul = sample.indexOf('\0');
  if (nul >= 0) {
    const line = sample.slice(0, nul).split(/\r\n|\r|\n/).length;
    throw new InputError(file, line, 'binary data, not a text edge list');
  }
  const format = detectFormat(sample, opts);

  const whitespace = format.delimiter === 'whitespace';
  const csvOptions: CsvOptions = {
    info: true,
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
  const parser = parse(csvOptions);
  const replay = async function* (): AsyncGenerator<Buffer> {
    yield* head;
    if (ended) return;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  };
  const feeding = pipeline(Readable.from(replay()), parser);
  feeding.catch(() => {}); // errors reach the parser, which rejects below

  const edges = new EdgeBuffer();
  const ids = new IdCollector(edges);
  let edgeLines = 0;
  let headerPending = format.header;
  const { sourceIndex, targetIndex } = format;
  const need = Math.max(sourceIndex, targetIndex) + 1;

  // 'data' events (not async iteration) so that every record parsed before an
  // error is handled first, and the error's line number is right.
  const handle = ({ record, info }: { record: string[]; info: { lines: number } }): void => {
    lastLine = info.lines;
    let fields = record;
    if (whitespace) fields = fields.filter((f) => f !== '' && f !== '\r');
    if (fields.length === 0) return;
    if (fields[0].charCodeAt(0) === 37 /* % */) return; // %-comment (KONECT, Matrix Market)
    if (headerPending) {
      headerPending = false;
      return;
    }
    if (fields.length < need) throw new InputError(file, info.lines, `expected ${need} columns, found ${fields.length}`);
    const a = fields[sourceIndex];
    let b = fields[targetIndex];
    if (whitespace && b.endsWith('\r')) b = b.slice(0, -1); // a stray CR in mixed line endings
    if (a === '' || b === '') {
      throw new InputError(file, info.lines, `empty node id in column ${a === '' ? sourceIndex + 1 : targetIndex + 1}`);
    }
    edgeLines++;
    ids.addEdge(a, b);
  };
  try {
    await new Promise<void>((resolvePromise, reject) => {
      parser.on('data', (row) => {
        try {
          handle(row);
        } catch (err) {
          parser.destroy();
          reject(err);
        }
      });
      parser.on('error', reject);
      parser.on('end', resolvePromise);
    });
  } catch (err) {
    failOnStream(err);
  }
  if (edgeLines === 0) throw new InputError(file, undefined, 'no edges found (only comments, blank lines or a header)');

  const nodeIds = ids.finish();
  const { csr, stats } = buildCsr(edges, nodeIds.size, opts.directed ?? false);
  return {
    file,
    csr,
    ids: nodeIds,
    format,
    compressed: source.compressed,
    stats: {
      lines: lastLine,
      edgeLines,
      nodes: nodeIds.size,
      edges: stats.edges,
      selfLoops: stats.selfLoops,
      duplicates: stats.duplicates,
    },
  };
}
