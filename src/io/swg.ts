/**
 * .swg: a loaded graph saved as one binary file, so that a graph converted once
 * loads at the speed of reading its bytes (no parsing, no id interning for
 * numeric ids, no CSR build).
 *
 * Layout, version 2. Every number little-endian; u64 fields hold integers below 2^53.
 *
 *   offset  size  field
 *        0     8  magic "SMALLWLD"
 *        8     4  u32 format version (1)
 *       12     4  u32 flags: bit 0 directed, bit 1 string ids (else numeric); other bits 0
 *       16     8  u64 n (nodes)
 *       24     8  u64 arcs (stored adjacency entries = length of neighbours)
 *       32    48  u64 x 6 load statistics: lines, edgeLines, edges, selfLoops, duplicates, badLines
 *       80    64  u64 x 2 per section (byte offset, byte length): offsets, neighbours, ids, meta
 *      144     8  u64 file size in bytes
 *      152    16  u32 x 4 CRC-32 of each section's bytes: offsets, neighbours, ids, meta
 *      168     4  reserved, 0
 *      172     4  u32 CRC-32 of header bytes 0..171
 *      176        sections, in this order, each starting at a multiple of 8 (zero padding between)
 *
 *   offsets     u32 x (n + 1)   the CSR offsets (src/graph.ts)
 *   neighbours  u32 x arcs      the CSR neighbours: sorted, distinct lists
 *   ids         numeric ids: u32 x n, node i's id, ascending;
 *               string ids: each node's token as UTF-8 followed by '\n', node 0 first
 *               (tokens never contain '\n'; the loader splits lines on it)
 *   meta        UTF-8 JSON object for the small facts of variable size:
 *               {"badLineExamples": [{"line": 12, "reason": "..."}, ...]}; readers ignore other keys
 *
 * The file ends right after the meta section. Padding bytes are not checksummed.
 *
 * Safety: the writer writes to `<path>.tmp-<pid>` and renames it into place, so a
 * file at `path` is always complete. The reader checks the header checksum, the
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
 * Little-endian machines only (x86, ARM): the sections are the in-memory arrays
 * byte for byte, read straight into SharedArrayBuffers without conversion.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { InputError, describeFsError } from '../errors.js';
import type { EdgeListFormat } from './sniff.js';
import type { Csr } from '../graph/csr.js';
import { IdTable } from '../graph/id-table.js';
import type { LoadedGraph, LoadStats } from './loaded-graph.js';
import { NumericIds, StringIds, type NodeIds } from '../graph/node-ids.js';
import { crc32 } from 'node:zlib';

export const SWG_MAGIC = new TextEncoder().encode('SMALLWLD');
export const SWG_VERSION = 2; // 2: CRC-32 checksums (1 had XXH32)
export const SWG_HEADER_BYTES = 176;

const FLAG_DIRECTED = 1;
const FLAG_STRING_IDS = 2;
const KNOWN_FLAGS = FLAG_DIRECTED | FLAG_STRING_IDS;

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
  sections: 80, // 4 x (offset, length)
  fileBytes: 144,
  checksums: 152, // 4 x u32
  headerChecksum: 172,
} as const;

const SECTION_NAMES = ['offsets', 'neighbours', 'ids', 'meta'] as const;

/** Reads and writes go in pieces of this size. */
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

/** Saves `graph` as a .swg file at `path`, replacing it atomically. */
export async function writeSwg(graph: LoadedGraph, path: string): Promise<void> {
  if (!LITTLE_ENDIAN) throw new Error('.swg files can only be written on a little-endian machine');
  const { csr, ids, stats } = graph;
  if (ids.size !== csr.n) throw new Error(`writeSwg: ${ids.size} ids for ${csr.n} nodes`);
  if (csr.offsets.length !== csr.n + 1 || csr.offsets[csr.n] !== csr.neighbours.length)
    throw new Error('writeSwg: offsets and neighbours disagree');

  const meta = new TextEncoder().encode(JSON.stringify({ badLineExamples: stats.badLineExamples }));
  const bodies = [bytesOf(csr.offsets), bytesOf(csr.neighbours), idBytes(ids), meta];
  const sections: Section[] = [];
  let end = SWG_HEADER_BYTES;
  for (const body of bodies) {
    const offset = align8(end);
    sections.push({ offset, length: body.length });
    end = offset + body.length;
  }
  const checksums = bodies.map((body) => checksum(body));
  const header = encodeHeader(csr, !(ids instanceof NumericIds), stats, sections, end, checksums);

  const temp = `${path}.tmp-${process.pid}`;
  const handle = await fsp.open(temp, 'w');
  try {
    await writeAt(handle, header, 0);
    // Gaps between sections are left unwritten: they read back as zeros.
    for (let s = 0; s < bodies.length; s++) await writeAt(handle, bodies[s], sections[s].offset);
    await handle.close();
    await fsp.rename(temp, path);
  } catch (err) {
    await handle.close().catch(() => {});
    await fsp.rm(temp, { force: true });
    throw err;
  }
}

function encodeHeader(
  csr: Csr,
  stringIds: boolean,
  stats: LoadStats,
  sections: Section[],
  fileBytes: number,
  checksums: number[],
): Uint8Array {
  const header = new Uint8Array(SWG_HEADER_BYTES);
  const view = new DataView(header.buffer);
  header.set(SWG_MAGIC, 0);
  view.setUint32(AT.version, SWG_VERSION, true);
  view.setUint32(AT.flags, (csr.directed ? FLAG_DIRECTED : 0) | (stringIds ? FLAG_STRING_IDS : 0), true);
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
function idBytes(ids: NodeIds): Uint8Array {
  if (ids instanceof NumericIds) return bytesOf(ids.values);
  // Tokens never hold a line feed: the loader splits lines on it.
  return (ids as StringIds).table.joinedBytes(LF);
}

async function writeAt(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const length = Math.min(IO_CHUNK, bytes.length - done);
    const { bytesWritten } = await handle.write(bytes, done, length, position + done);
    done += bytesWritten;
  }
}

// ---------------------------------------------------------------------------
// Reading

interface Header {
  directed: boolean;
  stringIds: boolean;
  n: number;
  arcs: number;
  stats: Omit<LoadStats, 'nodes' | 'badLineExamples'>;
  sections: Section[];
  fileBytes: number;
  checksums: number[];
}

/** Loads a .swg file written by writeSwg; any problem with the file is an InputError naming it. */
export async function readSwg(path: string): Promise<LoadedGraph> {
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
    const header = decodeHeader(head, size, fail);

    // The CSR arrays go straight into shared memory: no intermediate copy.
    const [offsetsAt, neighboursAt, idsAt, metaAt] = header.sections;
    const offsets = new Uint32Array(new SharedArrayBuffer(4 * (header.n + 1)));
    await readSection(handle, bytesOf(offsets), offsetsAt.offset, false, header.checksums[0], 'offsets', path);
    checkOffsets(offsets, header.n, header.arcs, fail);

    const neighbours = new Uint32Array(new SharedArrayBuffer(4 * header.arcs));
    const maxNeighbour = await readSection(handle, bytesOf(neighbours), neighboursAt.offset, true, header.checksums[1], 'neighbours', path);
    if (header.arcs > 0 && maxNeighbour >= header.n) fail(`corrupt .swg file (neighbour ${maxNeighbour} of ${header.n} nodes)`);

    const idsRaw = new Uint8Array(idsAt.length);
    await readSection(handle, idsRaw, idsAt.offset, false, header.checksums[2], 'ids', path);
    const ids = header.stringIds ? decodeStringIds(idsRaw, header.n, fail) : decodeNumericIds(idsRaw, fail);

    const metaRaw = new Uint8Array(metaAt.length);
    await readSection(handle, metaRaw, metaAt.offset, false, header.checksums[3], 'meta', path);
    const { badLineExamples } = decodeMeta(metaRaw, fail);

    return {
      file: path,
      csr: { n: header.n, directed: header.directed, offsets, neighbours },
      ids,
      format: SWG_FORMAT,
      compressed: false,
      stats: { ...header.stats, nodes: header.n, badLineExamples },
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
function decodeHeader(head: Uint8Array, size: number, fail: (reason: string) => never): Header {
  const truncated = (expected: string) => fail(`truncated .swg file (expected ${expected} bytes, found ${size})`);
  const magicPrefix = head.length > 0 && head.every((b, i) => i >= SWG_MAGIC.length || b === SWG_MAGIC[i]);
  if (!magicPrefix) fail('not a smallworld graph file');
  if (head.length < SWG_MAGIC.length) truncated(`at least ${SWG_HEADER_BYTES}`);
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  if (head.length >= AT.version + 4) {
    const version = view.getUint32(AT.version, true);
    if (version !== SWG_VERSION) fail(`unsupported .swg version ${version} (this smallworld reads version ${SWG_VERSION})`);
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
  const n = u64(AT.n);
  const arcs = u64(AT.arcs);
  if (n >= 0xffffffff || arcs > 0xffffffff) fail('corrupt .swg file (node or arc count out of range)');
  const sections = SECTION_NAMES.map((_, i) => ({ offset: u64(AT.sections + 16 * i), length: u64(AT.sections + 16 * i + 8) }));
  const fileBytes = u64(AT.fileBytes);

  // The layout is fully determined by n, arcs and the ids length: check it is exactly that.
  const lengthOk = [
    sections[0].length === 4 * (n + 1),
    sections[1].length === 4 * arcs,
    stringIds ? sections[2].length >= n : sections[2].length === 4 * n,
    true, // meta: any length
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
  return { directed, stringIds, n, arcs, stats, sections, fileBytes, checksums };
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
  target: Uint8Array,
  position: number,
  findMax: boolean,
  expectedChecksum: number,
  name: string,
  path: string,
): Promise<number> {
  let crc = 0;
  let max = 0;
  const readChunk = (from: number) => readFully(handle, target.subarray(from, Math.min(from + IO_CHUNK, target.length)), position + from, path);
  let reading = target.length > 0 ? readChunk(0) : Promise.resolve();
  for (let from = 0; from < target.length; from += IO_CHUNK) {
    const to = Math.min(from + IO_CHUNK, target.length);
    await reading;
    if (to < target.length) reading = readChunk(to);
    for (let at = from; at < to; at += CHECK_PIECE) {
      const piece = target.subarray(at, Math.min(at + CHECK_PIECE, to));
      crc = crc32(piece, crc);
      if (findMax) max = Math.max(max, maxWord(piece));
    }
  }
  if (crc >>> 0 !== expectedChecksum) throw new InputError(path, undefined, `corrupt .swg file (checksum mismatch in the ${name} section)`);
  return max;
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

function decodeNumericIds(raw: Uint8Array, fail: (reason: string) => never): NumericIds {
  const values = new Uint32Array(raw.buffer, raw.byteOffset, raw.length / 4);
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

/** The bytes of a typed array, without copying. */
function bytesOf(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** CRC-32 (zlib's, native: ~5 GB/s here, twice as fast as a JS hash) as an unsigned number. */
function checksum(bytes: Uint8Array): number {
  return crc32(bytes) >>> 0;
}

function align8(x: number): number {
  return Math.ceil(x / 8) * 8;
}
