/**
 * .swg: a loaded graph saved as one binary file, so that a graph converted once
 * loads at the speed of reading its bytes (no parsing, no id interning for
 * numeric ids, no CSR build).
 *
 * Layout, version 3. Every number little-endian; u64 fields hold integers below 2^53.
 *
 *   offset  size  field
 *        0     8  magic "SMALLWLD"
 *        8     4  u32 format version (3)
 *       12     4  u32 flags: bit 0 directed, bit 1 string ids (else numeric), bit 2 renumbered; other bits 0
 *       16     8  u64 n (nodes)
 *       24     8  u64 arcs (stored adjacency entries = length of neighbours)
 *       32    48  u64 x 6 load statistics: lines, edgeLines, edges, selfLoops, duplicates, badLines
 *       80    80  u64 x 2 per section (byte offset, byte length): offsets, neighbours, ids, meta, order
 *      160     8  u64 file size in bytes
 *      168    20  u32 x 5 CRC-32 of each section's bytes: offsets, neighbours, ids, meta, order
 *      188     8  reserved, 0
 *      196     4  u32 CRC-32 of header bytes 0..195
 *      200        sections, in this order, each starting at a multiple of 8 (zero padding between)
 *
 *   offsets     u32 x (n + 1)   the CSR offsets (src/graph/csr.ts), in internal node numbers
 *   neighbours  u32 x arcs      the CSR neighbours: sorted, distinct lists, in internal node numbers
 *   ids         numeric ids: u32 x n, original node i's id, ascending;
 *               string ids: each node's token as UTF-8 followed by '\n', original node 0 first
 *               (tokens never contain '\n'; the loader splits lines on it)
 *   meta        UTF-8 JSON object for the small facts of variable size:
 *               {"badLineExamples": [{"line": 12, "reason": "..."}, ...]}; readers ignore other keys
 *   order       renumbered (flag bit 2): u32 x n, internal node i's original number, a permutation
 *               of 0..n-1 (src/graph/renumber.ts); otherwise empty, and internal = original numbers
 *
 * Version 3 added the order section: `convert` saves large graphs renumbered
 * for locality, so the estimate reads them ready to run. A version-2 file is
 * refused with a line asking to convert again, rather than read on a second
 * code path: it holds no more than its edge list, and converting is one command.
 *
 * The file ends right after the order section. Padding bytes are not checksummed.
 *
 * Safety: the writer replaces only regular files (checkSwgTarget: never a device,
 * directory, FIFO or symbolic link, and an existing file only with `force`). It
 * writes to `<path>.tmp-<pid>` beside the target and renames (or, without
 * `force`, hard-links) it into place, so a file at `path` is always complete;
 * the temporary file is removed on error, SIGINT and SIGTERM. The reader checks the header checksum, the
 * layout and the sizes against the file's, every section checksum, and the shape
 * the kernels rely on (offsets from 0 to arcs, never decreasing; every neighbour
 * below n; numeric ids ascending; string ids distinct), so a truncated or damaged
 * file is an InputError, never a wrong graph. The writer does not fsync: after a
 * power cut a half-written file fails its checksums.
 *
 * Cost of the checks, scale-20 R-MAT (131 MB file) on the 2-core benchmark VM:
 * CRC-32 ~125 ms and the neighbour range check ~50 ms (each one more pass over
 * memory), next to ~400 ms for fs.readFileSync of the same file; they run while
 * the next chunk is read (see readSection), so readSwg takes ~1.2x readFileSync.
 *
 * Size: up to the CSR's limit (src/graph/limits.ts: 2^32 - 1 arcs). Sections
 * larger than 4 GiB (above 2^30 arcs) are fine: they are read, written and
 * checksummed through byte views of one IO_CHUNK at a time, never one view of
 * the whole array (a Uint8Array spans at most 4 GiB).
 *
 * Little-endian machines only (x86, ARM): the sections are the in-memory arrays
 * byte for byte, read straight into SharedArrayBuffers without conversion.
 */
import { promises as fsp, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InputError, describeFsError } from '../errors.js';
import { checkArcs, checkNodes, count, MAX_VIEW_BYTES } from '../graph/limits.js';
import type { EdgeListFormat } from './sniff.js';
import type { Csr } from '../graph/csr.js';
import { IdTable } from '../graph/id-table.js';
import type { LoadedGraph, LoadStats } from './loaded-graph.js';
import { NumericIds, StringIds, type NodeIds } from '../graph/node-ids.js';
import { isPermutation, nodeOrder, type NodeOrder } from '../graph/renumber.js';
import { crc32 } from 'node:zlib';

export const SWG_MAGIC = new TextEncoder().encode('SMALLWLD');
export const SWG_VERSION = 3; // 3: the order section (2 had none; 1 had XXH32 checksums)
export const SWG_HEADER_BYTES = 200;

const FLAG_DIRECTED = 1;
const FLAG_STRING_IDS = 2;
const FLAG_RENUMBERED = 4;
const KNOWN_FLAGS = FLAG_DIRECTED | FLAG_STRING_IDS | FLAG_RENUMBERED;

/** Field positions in the header (see the table above). */
const AT = {
  version: 8,
  flags: 12,
  n: 16,
  arcs: 24,
  lines: 32,
  edgeLines: 40,
  edges: 48,
  selfLoops: 56,
  duplicates: 64,
  badLines: 72,
  sections: 80, // 5 x (offset, length)
  fileBytes: 160,
  checksums: 168, // 5 x u32
  headerChecksum: 196,
} as const;

const SECTION_NAMES = ['offsets', 'neighbours', 'ids', 'meta', 'order'] as const;

/** Reads and writes go in pieces of this size, each through its own byte view (well below MAX_VIEW_BYTES). */
const IO_CHUNK = 8 << 20;
/** Checksum and range check walk a chunk in pieces this small, so the second pass finds it in cache. */
const CHECK_PIECE = 256 << 10;
const LF = 10;

/** What a text edge list would have been read as; a .swg has no text format of its own. */
const SWG_FORMAT: EdgeListFormat = { delimiter: 'whitespace', header: false, headerFields: [], sourceIndex: 0, targetIndex: 1 };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface Section {
  offset: number;
  length: number;
}

/** True when `firstBytes` start with the .swg magic: lets a loader decide by content, not by name. */
export function isSwg(firstBytes: Uint8Array): boolean {
  if (firstBytes.length < SWG_MAGIC.length) return false;
  for (let i = 0; i < SWG_MAGIC.length; i++) if (firstBytes[i] !== SWG_MAGIC[i]) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Writing

export interface SwgWriteOptions {
  /** Replace an existing regular file (never anything else). Default false: an existing file is refused. */
  force?: boolean;
  /** Bytes per read, write and checksum view (default 8 MiB); tests use small ones. */
  chunkBytes?: number;
}

/**
 * Checks that `path` can take a .swg file, before any work is done: it must not
 * exist, or be a regular file and `force` be set, and its directory must
 * exist. Anything else (a device such as /dev/full, a directory, a FIFO, a
 * socket, a symbolic link, a missing directory) is an InputError naming `path`
 * with one line. convert calls it before loading the input, and writeSwg again
 * before writing.
 */
export async function checkSwgTarget(path: string, opts: { force?: boolean } = {}): Promise<void> {
  const fail = (reason: string): never => {
    throw new InputError(path, undefined, reason);
  };
  let stat;
  try {
    stat = await fsp.lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code !== 'ENOENT') return fail(describeWriteError(err));
  }
  if (stat) {
    if (!stat.isFile()) fail(`is ${kindOf(stat)}, not a regular file: convert writes only regular files`);
    if (!opts.force) fail('already exists (use --force to replace it)');
    return;
  }
  const dir = dirname(path);
  let dirStat;
  try {
    dirStat = await fsp.stat(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    return fail(code === 'ENOENT' ? `cannot be written: directory ${dir} does not exist` : describeWriteError(err));
  }
  if (!dirStat.isDirectory()) fail(`cannot be written: ${dir} is not a directory`);
}

function kindOf(stat: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean; isSymbolicLink(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** A file-system error while writing, as a short reason. */
function describeWriteError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be written: permission denied';
  if (code === 'ENOSPC') return 'cannot be written: no space left on device';
  if (code === 'EDQUOT') return 'cannot be written: disk quota exceeded';
  if (code === 'EROFS') return 'cannot be written: read-only file system';
  if (code === 'ENOTDIR') return 'cannot be written: a part of the path is not a directory';
  if (code === 'EISDIR') return 'is a directory, not a regular file: convert writes only regular files';
  if (code === 'ENAMETOOLONG') return 'cannot be written: file name too long';
  if (code === 'EIO') return 'cannot be written: input/output error';
  if (code === 'EFBIG') return 'cannot be written: file too large for this file system';
  return `cannot be written: ${(err as Error)?.message ?? String(err)}`;
}

/**
 * Saves `graph` as a .swg file at `path`, atomically: a temporary file beside
 * it, then renamed into place. Refuses what checkSwgTarget refuses (an existing
 * file unless `force`); every failure is an InputError naming `path`, and the
 * temporary file is removed on error, SIGINT and SIGTERM.
 */
export async function writeSwg(graph: LoadedGraph, path: string, opts: SwgWriteOptions = {}): Promise<void> {
  if (!LITTLE_ENDIAN) throw new Error('.swg files can only be written on a little-endian machine');
  const { csr, ids, stats } = graph;
  const chunk = checkChunk(opts.chunkBytes);
  if (ids.size !== csr.n) throw new Error(`writeSwg: ${ids.size} ids for ${csr.n} nodes`);
  if (csr.offsets.length !== csr.n + 1 || csr.offsets[csr.n] !== csr.neighbours.length)
    throw new Error('writeSwg: offsets and neighbours disagree');
  await checkSwgTarget(path, opts);

  const meta = new TextEncoder().encode(JSON.stringify({ badLineExamples: stats.badLineExamples }));
  if (graph.order && graph.order.toOriginal.length !== csr.n) throw new Error('writeSwg: the order does not match the nodes');
  const bodies: Bytes[] = [csr.offsets, csr.neighbours, idBytes(ids), meta, graph.order?.toOriginal ?? new Uint32Array(0)];
  const sections: Section[] = [];
  let end = SWG_HEADER_BYTES;
  for (const body of bodies) {
    const offset = align8(end);
    sections.push({ offset, length: body.byteLength });
    end = offset + body.byteLength;
  }
  const checksums = bodies.map((body) => checksum(body, chunk));
  const header = encodeHeader(csr, !(ids instanceof NumericIds), graph.order !== undefined, stats, sections, end, checksums);

  const fail = (err: unknown): never => {
    throw err instanceof InputError ? err : new InputError(path, undefined, describeWriteError(err));
  };
  const temp = `${path}.tmp-${process.pid}`;
  // A signal while the temporary file exists: remove it, then let the signal do what it would have done.
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(temp, { force: true });
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  // Listening before the file exists, so no moment is left where a signal would leave it behind.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(temp, 'wx');
    await writeAt(handle, header, 0, chunk);
    // Gaps between sections are left unwritten: they read back as zeros.
    for (let s = 0; s < bodies.length; s++) await writeAt(handle, bodies[s], sections[s].offset, chunk);
    await handle.truncate(end); // the padding before an empty last section (no order) is part of the file
    await handle.close();
    handle = undefined;
    await moveIntoPlace(temp, path, opts.force ?? false);
  } catch (err) {
    await handle?.close().catch(() => {});
    await fsp.rm(temp, { force: true });
    fail(err);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * Puts the finished temporary file at `path`. Without `force`, a hard link,
 * which fails if something appeared at `path` meanwhile (rename would replace
 * it); file systems without hard links get a last check and a rename. With
 * `force`, a last check that `path` is still absent or a regular file, then a rename.
 */
async function moveIntoPlace(temp: string, path: string, force: boolean): Promise<void> {
  if (!force) {
    try {
      await fsp.link(temp, path);
      await fsp.rm(temp, { force: true });
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'EEXIST') await checkSwgTarget(path, { force }); // throws the right message
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw err;
    }
  }
  await checkSwgTarget(path, { force });
  await fsp.rename(temp, path);
}

function encodeHeader(
  csr: Csr,
  stringIds: boolean,
  renumbered: boolean,
  stats: LoadStats,
  sections: Section[],
  fileBytes: number,
  checksums: number[],
): Uint8Array {
  const header = new Uint8Array(SWG_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(SWG_MAGIC, 0);
  view.setUint32(AT.version, SWG_VERSION, true);
  view.setUint32(AT.flags, (csr.directed ? FLAG_DIRECTED : 0) | (stringIds ? FLAG_STRING_IDS : 0) | (renumbered ? FLAG_RENUMBERED : 0), true);
  const u64 = (at: number, value: number) => view.setBigUint64(at, BigInt(value), true);
  u64(AT.n, csr.n);
  u64(AT.arcs, csr.neighbours.length);
  u64(AT.lines, stats.lines);
  u64(AT.edgeLines, stats.edgeLines);
  u64(AT.edges, stats.edges);
  u64(AT.selfLoops, stats.selfLoops);
  u64(AT.duplicates, stats.duplicates);
  u64(AT.badLines, stats.badLines);
  sections.forEach((s, i) => {
    u64(AT.sections + 16 * i, s.offset);
    u64(AT.sections + 16 * i + 8, s.length);
  });
  u64(AT.fileBytes, fileBytes);
  checksums.forEach((c, i) => view.setUint32(AT.checksums + 4 * i, c, true));
  view.setUint32(AT.headerChecksum, checksum(header.subarray(0, AT.headerChecksum)), true);
  return header;
}

/** The ids section: numeric ids as their u32 array, string ids as '\n'-terminated UTF-8 lines. */
function idBytes(ids: NodeIds): Bytes {
  if (ids instanceof NumericIds) return ids.values;
  // Tokens never hold a line feed: the loader splits lines on it.
  return (ids as StringIds).table.joinedBytes(LF);
}

async function writeAt(handle: FileHandle, body: Bytes, position: number, chunk: number): Promise<void> {
  for (let done = 0; done < body.byteLength; ) {
    const piece = byteView(body, done, Math.min(done + chunk, body.byteLength));
    const { bytesWritten } = await handle.write(piece, 0, piece.length, position + done);
    done += bytesWritten;
  }
}

// ---------------------------------------------------------------------------
// Reading

interface Header {
  directed: boolean;
  stringIds: boolean;
  renumbered: boolean;
  n: number;
  arcs: number;
  stats: Omit<LoadStats, 'nodes' | 'badLineExamples'>;
  sections: Section[];
  fileBytes: number;
  checksums: number[];
}

/**
 * Loads a .swg file written by writeSwg; any problem with the file is an
 * InputError naming it. `chunkBytes` (bytes per read and check view, default
 * 8 MiB) is for tests.
 */
export async function readSwg(path: string, opts: { chunkBytes?: number } = {}): Promise<LoadedGraph> {
  const chunk = checkChunk(opts.chunkBytes);
  const fail = (reason: string): never => {
    throw new InputError(path, undefined, reason);
  };
  if (!LITTLE_ENDIAN) fail('.swg files can only be read on a little-endian machine');
  let handle: FileHandle;
  try {
    handle = await fsp.open(path, 'r');
  } catch (err) {
    return fail(describeFsError(err, 'a .swg file'));
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) fail('is a directory, not a .swg file');
    const size = stat.size;
    const head = new Uint8Array(Math.min(size, SWG_HEADER_BYTES));
    await readFully(handle, head, 0, path);
    const header = decodeHeader(head, size, fail, path);

    // The CSR arrays go straight into shared memory: no intermediate copy.
    const [offsetsAt, neighboursAt, idsAt, metaAt, orderAt] = header.sections;
    const offsets = new Uint32Array(allocateShared(4 * (header.n + 1), 'offsets', fail));
    await readSection(handle, offsets, offsetsAt.offset, false, header.checksums[0], 'offsets', path, chunk);
    checkOffsets(offsets, header.n, header.arcs, fail);

    const neighbours = new Uint32Array(allocateShared(4 * header.arcs, 'neighbours', fail));
    const maxNeighbour = await readSection(handle, neighbours, neighboursAt.offset, true, header.checksums[1], 'neighbours', path, chunk);
    if (header.arcs > 0 && maxNeighbour >= header.n) fail(`corrupt .swg file (neighbour ${maxNeighbour} of ${header.n} nodes)`);

    // Numeric ids are a u32 array like the CSR's; string ids a UTF-8 text, which the IdTable keeps under 4 GiB anyway.
    if (header.stringIds && idsAt.length > MAX_VIEW_BYTES)
      fail(`the .swg file has ${count(idsAt.length)} bytes of string ids; smallworld holds at most ${count(MAX_VIEW_BYTES)} (4 GiB)`);
    const idsRaw = header.stringIds ? new Uint8Array(idsAt.length) : new Uint8Array(0);
    const idValues = header.stringIds ? new Uint32Array(0) : new Uint32Array(header.n);
    await readSection(handle, header.stringIds ? idsRaw : idValues, idsAt.offset, false, header.checksums[2], 'ids', path, chunk);
    const ids = header.stringIds ? decodeStringIds(idsRaw, header.n, fail) : decodeNumericIds(idValues, fail);

    const metaRaw = new Uint8Array(metaAt.length);
    await readSection(handle, metaRaw, metaAt.offset, false, header.checksums[3], 'meta', path, chunk);
    const { badLineExamples } = decodeMeta(metaRaw, fail);

    let order: NodeOrder | undefined;
    if (header.renumbered) {
      const toOriginal = new Uint32Array(header.n);
      await readSection(handle, toOriginal, orderAt.offset, false, header.checksums[4], 'order', path, chunk);
      if (!isPermutation(toOriginal)) fail('corrupt .swg file (the order section is not a permutation of the nodes)');
      order = nodeOrder(toOriginal);
    }

    return {
      file: path,
      csr: { n: header.n, directed: header.directed, offsets, neighbours },
      ids,
      format: SWG_FORMAT,
      compressed: false,
      stats: { ...header.stats, nodes: header.n, badLineExamples },
      ...(order ? { order } : {}),
    };
  } catch (err) {
    // A failing disk or the like: still one line naming the file.
    if (err instanceof InputError || typeof (err as NodeJS.ErrnoException)?.code !== 'string') throw err;
    return fail(describeFsError(err, 'a .swg file'));
  } finally {
    await handle.close();
  }
}

/** Checks everything the header says before a byte of the sections is read. */
function decodeHeader(head: Uint8Array, size: number, fail: (reason: string) => never, path: string): Header {
  const truncated = (expected: string) => fail(`truncated .swg file (expected ${expected} bytes, found ${size})`);
  const magicPrefix = head.length > 0 && head.every((b, i) => i >= SWG_MAGIC.length || b === SWG_MAGIC[i]);
  if (!magicPrefix) fail('not a smallworld graph file');
  if (head.length < SWG_MAGIC.length) truncated(`at least ${SWG_HEADER_BYTES}`);
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  if (head.length >= AT.version + 4) {
    const version = view.getUint32(AT.version, true);
    if (version !== SWG_VERSION)
      fail(
        `unsupported .swg version ${version} (this smallworld reads version ${SWG_VERSION})` +
          (version < SWG_VERSION ? ': convert the edge list again (smallworld convert EDGES FILE.swg)' : ''),
      );
  }
  if (head.length < SWG_HEADER_BYTES) truncated(`at least ${SWG_HEADER_BYTES}`);
  if (checksum(head.subarray(0, AT.headerChecksum)) !== view.getUint32(AT.headerChecksum, true))
    fail('corrupt .swg file (header checksum mismatch)');

  const u64 = (at: number): number => {
    const value = view.getBigUint64(at, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail('corrupt .swg file (a size field is out of range)');
    return Number(value);
  };
  const flags = view.getUint32(AT.flags, true);
  if (flags & ~KNOWN_FLAGS) fail(`corrupt .swg file (unknown flags 0x${flags.toString(16)})`);
  const directed = (flags & FLAG_DIRECTED) !== 0;
  const stringIds = (flags & FLAG_STRING_IDS) !== 0;
  const renumbered = (flags & FLAG_RENUMBERED) !== 0;
  const n = u64(AT.n);
  const arcs = u64(AT.arcs);
  // Beyond what the writer makes: refused with the limit, before anything is allocated.
  checkNodes(n, path);
  checkArcs(arcs, 'the .swg file has', path);
  const sections = SECTION_NAMES.map((_, i) => ({ offset: u64(AT.sections + 16 * i), length: u64(AT.sections + 16 * i + 8) }));
  const fileBytes = u64(AT.fileBytes);

  // The layout is fully determined by n, arcs and the ids length: check it is exactly that.
  const lengthOk = [
    sections[0].length === 4 * (n + 1),
    sections[1].length === 4 * arcs,
    stringIds ? sections[2].length >= n : sections[2].length === 4 * n,
    true, // meta: any length
    sections[4].length === (renumbered ? 4 * n : 0),
  ];
  let end = SWG_HEADER_BYTES;
  sections.forEach((s, i) => {
    if (s.offset !== align8(end) || !lengthOk[i]) fail(`corrupt .swg file (inconsistent size of the ${SECTION_NAMES[i]} section)`);
    end = s.offset + s.length;
  });
  if (fileBytes !== end) fail('corrupt .swg file (inconsistent file size)');
  if (size < fileBytes) truncated(String(fileBytes));
  if (size > fileBytes) fail(`corrupt .swg file (expected ${fileBytes} bytes, found ${size}: data after the end)`);

  const stats = {
    lines: u64(AT.lines),
    edgeLines: u64(AT.edgeLines),
    edges: u64(AT.edges),
    selfLoops: u64(AT.selfLoops),
    duplicates: u64(AT.duplicates),
    badLines: u64(AT.badLines),
  };
  if (stats.edges !== (directed ? arcs : arcs / 2)) fail('corrupt .swg file (edge count disagrees with the arcs)');
  const checksums = SECTION_NAMES.map((_, i) => view.getUint32(AT.checksums + 4 * i, true));
  return { directed, stringIds, renumbered, n, arcs, stats, sections, fileBytes, checksums };
}

/**
 * Reads `target.length` bytes at `position` into `target`, a chunk at a time,
 * checksumming each chunk (and, with `findMax`, finding its largest u32 word)
 * while the next chunk is being read: the read runs on libuv's thread pool, so
 * the kernel's copy and the checks use both cores. Returns that largest word (0
 * without `findMax`).
 *
 * Measured on the 2-core benchmark VM, scale-20 R-MAT (131 MB): a plain read
 * into shared memory takes ~400 ms, the same as fs.readFileSync; the checks
 * read every byte once more from memory (~1 GB/s here: CRC-32 ~125 ms, the
 * range check ~50 ms). Done one after the other they made readSwg 1.45-1.52x
 * readFileSync; overlapped with the reads, ~1.2x. Checks walk each chunk in
 * CHECK_PIECE pieces so the range check finds the bytes the CRC just read in cache.
 */
async function readSection(
  handle: FileHandle,
  target: Bytes,
  position: number,
  findMax: boolean,
  expectedChecksum: number,
  name: string,
  path: string,
  chunk: number,
): Promise<number> {
  let crc = 0;
  let max = 0;
  const total = target.byteLength;
  const piece = Math.min(CHECK_PIECE, chunk);
  const readChunk = (from: number) => readFully(handle, byteView(target, from, Math.min(from + chunk, total)), position + from, path);
  let reading = total > 0 ? readChunk(0) : Promise.resolve();
  for (let from = 0; from < total; from += chunk) {
    const to = Math.min(from + chunk, total);
    await reading;
    if (to < total) reading = readChunk(to);
    for (let at = from; at < to; at += piece) {
      const bytes = byteView(target, at, Math.min(at + piece, to));
      crc = crc32(bytes, crc);
      if (findMax) max = Math.max(max, maxWord(bytes));
    }
  }
  if (crc >>> 0 !== expectedChecksum) throw new InputError(path, undefined, `corrupt .swg file (checksum mismatch in the ${name} section)`);
  return max;
}

/** A SharedArrayBuffer for a section; a machine without the memory gets one line saying how much was needed. */
function allocateShared(bytes: number, name: string, fail: (reason: string) => never): SharedArrayBuffer {
  try {
    return new SharedArrayBuffer(bytes);
  } catch {
    return fail(`cannot allocate ${(bytes / 2 ** 30).toFixed(1)} GiB for the ${name} (not enough memory)`);
  }
}

/** Fills `target` from `position`; a file that ends first has shrunk since its size was checked. */
async function readFully(handle: FileHandle, target: Uint8Array, position: number, path: string): Promise<void> {
  for (let done = 0; done < target.length; ) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    if (bytesRead === 0) throw new InputError(path, undefined, `truncated .swg file (ends at byte ${position + done} while reading)`);
    done += bytesRead;
  }
}

function maxWord(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  let max = 0;
  for (let i = 0; i < words.length; i++) if (words[i] > max) max = words[i];
  return max;
}

function checkOffsets(offsets: Uint32Array, n: number, arcs: number, fail: (reason: string) => never): void {
  if (offsets[0] !== 0 || offsets[n] !== arcs) fail('corrupt .swg file (offsets do not span the neighbours)');
  for (let v = 0; v < n; v++) if (offsets[v + 1] < offsets[v]) fail(`corrupt .swg file (offsets decrease at node ${v})`);
}

function decodeNumericIds(values: Uint32Array, fail: (reason: string) => never): NumericIds {
  for (let i = 1; i < values.length; i++) if (values[i] <= values[i - 1]) fail('corrupt .swg file (numeric ids not ascending)');
  return new NumericIds(values);
}

function decodeMeta(raw: Uint8Array, fail: (reason: string) => never): Pick<LoadStats, 'badLineExamples'> {
  let meta: unknown;
  try {
    meta = JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('utf8'));
  } catch {
    return fail('corrupt .swg file (meta section is not JSON)');
  }
  const examples = (meta as { badLineExamples?: unknown })?.badLineExamples ?? [];
  if (!Array.isArray(examples)) return fail('corrupt .swg file (badLineExamples is not a list)');
  return { badLineExamples: examples as LoadStats['badLineExamples'] };
}

/** Interns the '\n'-terminated tokens in order, so token i gets index i. */
function decodeStringIds(raw: Uint8Array, n: number, fail: (reason: string) => never): StringIds {
  if (raw.length > 0 && raw[raw.length - 1] !== LF) fail('corrupt .swg file (ids section does not end with a line feed)');
  const table = new IdTable(n);
  for (let from = 0; from < raw.length; ) {
    const to = raw.indexOf(LF, from);
    const expected = table.size;
    if (expected === n) fail(`corrupt .swg file (more than ${n} ids)`);
    const index = table.internBytes(raw, from, to);
    if (index !== expected) fail(`corrupt .swg file (node id ${JSON.stringify(table.token(index))} appears twice)`);
    from = to + 1;
  }
  if (table.size !== n) fail(`corrupt .swg file (${table.size} ids for ${n} nodes)`);
  return new StringIds(table);
}

// ---------------------------------------------------------------------------
// Shared helpers

/** A section's contents: a typed array whose bytes are written or read as they are in memory. */
type Bytes = Uint8Array | Uint32Array;

/**
 * Bytes [from, to) of a typed array, without copying. Always a piece: one view
 * of a whole array above 4 GiB is beyond what a Uint8Array can span.
 */
function byteView(array: Bytes, from: number, to: number): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset + from, to - from);
}

/** The chunk size to use: IO_CHUNK, or a test's, which must keep u32 words whole. */
function checkChunk(chunkBytes: number | undefined): number {
  if (chunkBytes === undefined) return IO_CHUNK;
  if (!Number.isInteger(chunkBytes) || chunkBytes < 8 || chunkBytes % 8 !== 0 || chunkBytes > MAX_VIEW_BYTES)
    throw new Error(`chunkBytes must be a multiple of 8 from 8 to 2^32 (got ${chunkBytes})`);
  return chunkBytes;
}

/** CRC-32 (zlib's, native: ~5 GB/s here, twice as fast as a JS hash) as an unsigned number, a chunk at a time. */
function checksum(body: Bytes, chunk = IO_CHUNK): number {
  let crc = 0;
  for (let from = 0; from < body.byteLength; from += chunk) crc = crc32(byteView(body, from, Math.min(from + chunk, body.byteLength)), crc);
  return crc >>> 0;
}

function align8(x: number): number {
  return Math.ceil(x / 8) * 8;
}
