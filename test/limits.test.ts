/**
 * Issue #10, "limits fail well": past the largest graph smallworld holds, every
 * guard refuses with one line naming the limit, before the big arrays are
 * allocated. The guards take their limit as a parameter, so most cases run
 * with small mocked sizes; the others fake only the sizes, never the memory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { InputError, UsageError } from '../src/errors.js';
import { buildCsr, type Csr } from '../src/graph/csr.js';
import { EdgeBuffer } from '../src/graph/edges.js';
import { chooseHyperBallLog2m, largestFittingLog2m, LimitError, MAX_ARCS, MAX_VIEW_BYTES } from '../src/graph/limits.js';
import { runHyperBall } from '../src/algorithms/hyperball/index.js';
import { loadGraph } from '../src/io/load.js';
import { readSwg, writeSwg } from '../src/io/swg.js';
import { shortestPath } from '../src/algorithms/path.js';
import { tempFile } from './helpers.js';

// ngraph.path as it fails when a search touches more than 2^24 nodes (V8's Map limit), without
// touching them: only the path test below calls it.
vi.mock('ngraph.path', () => {
  const finder = () => ({
    find: () => {
      throw new RangeError('Map maximum size exceeded');
    },
  });
  return { default: { nba: finder, aStar: finder } };
});

const outDir = mkdtempSync(join(tmpdir(), 'smallworld-limits-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function edgeBuffer(pairs: Array<[number, number]>): EdgeBuffer {
  const edges = new EdgeBuffer();
  for (const [u, v] of pairs) edges.push(u, v);
  return edges;
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

async function rejected(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('limits (issue #10)', () => {
  it('limits: buildCsr counts arcs without wrapping', () => {
    // 2^31 + 2^22 undirected pairs = 2^32 + 2^23 arcs: u32 degree sums would wrap to 2^23 and build
    // a wrong graph. One 32 MB chunk stands for all of them: the count must refuse before reading further.
    const chunk = new Uint32Array(2 * 2 ** 22);
    for (let i = 0; i < chunk.length; i += 2) {
      chunk[i] = i >>> 1;
      chunk[i + 1] = (i >>> 1) + 1;
    }
    const pieces: Array<[Uint32Array, number]> = Array.from({ length: 513 }, () => [chunk, 2 ** 22]);
    const fake = { pieces: () => pieces, release() {} } as unknown as EdgeBuffer;
    const err = thrown(() => buildCsr(fake, 2 ** 22 + 1, false));
    expect(err).toBeInstanceOf(LimitError);
    expect(err).toBeInstanceOf(InputError); // exit code 1, one line
    expect((err as Error).message).toBe(
      'the edge list (repeated edges included) gives 4,303,355,904 arcs; smallworld holds at most 4,294,967,295 arcs (2^32 - 1; an undirected edge is two arcs)',
    );
    // The same pairs directed are 2^31 + 2^22 arcs: within the limit (not built here: 16 GiB).
    expect(MAX_ARCS).toBe(2 ** 32 - 1);
  });

  it('limits: buildCsr refuses past its arc limit with one line naming the file, and self-loops do not count', () => {
    const six: Array<[number, number]> = [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]];
    const err = thrown(() => buildCsr(edgeBuffer(six), 6, false, 'edges.tsv', 11));
    expect(err).toBeInstanceOf(LimitError);
    expect((err as Error).message).toBe('edges.tsv: the edge list (repeated edges included) gives 12 arcs; smallworld holds at most 11 arcs (an undirected edge is two arcs)');
    expect((err as InputError).file).toBe('edges.tsv');
    // Exactly at the limit, and directed: fine.
    expect(buildCsr(edgeBuffer(six), 6, false, 'edges.tsv', 12).csr.neighbours.length).toBe(12);
    expect(buildCsr(edgeBuffer(six), 6, true, 'edges.tsv', 6).csr.neighbours.length).toBe(6);
    // Self-loops are dropped before the count: 6 edges and 3 loops are 12 arcs.
    const loops = edgeBuffer([...six, [1, 1], [2, 2], [3, 3]]);
    expect(buildCsr(loops, 6, false, undefined, 12).stats).toEqual({ edges: 6, duplicates: 0, selfLoops: 3 });
    // Repeats are only found after the scatter, so they count: 7 lines give 14 arcs.
    const err2 = thrown(() => buildCsr(edgeBuffer([...six, [0, 1]]), 6, false, undefined, 12));
    expect((err2 as Error).message).toMatch(/^the edge list \(repeated edges included\) gives 14 arcs; smallworld holds at most 12 arcs/);
  });

  it('limits: a .swg above 2^32 - 1 arcs is refused before allocating', async () => {
    const g = await loadGraph(tempFile('limits-small.txt', '1 2\n2 3\n3 1\n'), { threads: 1 });
    const path = join(outDir, 'huge.swg');
    await writeSwg(g, path);
    const bytes = readFileSync(path);
    // A header that claims 4.4 billion arcs, with a valid header checksum: only the limit can refuse it.
    bytes.writeBigUInt64LE(4_400_000_000n, 24);
    bytes.writeUInt32LE(crc32(bytes.subarray(0, 196)) >>> 0, 196); // the header checksum (.swg version 3)
    writeFileSync(path, bytes);
    const err = await rejected(readSwg(path));
    expect(err).toBeInstanceOf(LimitError);
    expect((err as Error).message).toBe(
      `${path}: the .swg file has 4,400,000,000 arcs; smallworld holds at most 4,294,967,295 arcs (2^32 - 1; an undirected edge is two arcs)`,
    );
  });

  it('limits: .swg sections above 4 GiB (2^30 arcs) go through byte views of one chunk, never one view', async () => {
    // A Uint8Array spans at most 4 GiB, so a neighbours section of more than 2^30 arcs cannot be one view.
    expect(() => new Uint8Array(MAX_VIEW_BYTES + 1)).toThrow(RangeError);
    // The reader and writer cut every section into chunkBytes views; with 8- and 64-byte chunks here
    // every section spans many views, and the file is byte for byte the one written with the default.
    const lines = Array.from({ length: 300 }, (_, i) => `user${i} user${(i * 37 + 11) % 300}`).join('\n');
    const g = await loadGraph(tempFile('limits-chunks.txt', lines + '\n'), { threads: 1 });
    const reference = join(outDir, 'default.swg');
    await writeSwg(g, reference);
    for (const chunkBytes of [8, 64]) {
      const path = join(outDir, `chunk-${chunkBytes}.swg`);
      await writeSwg(g, path, { chunkBytes });
      expect(readFileSync(path).equals(readFileSync(reference))).toBe(true);
      const back = await readSwg(path, { chunkBytes });
      expect(Array.from(back.csr.offsets)).toEqual(Array.from(g.csr.offsets));
      expect(Array.from(back.csr.neighbours)).toEqual(Array.from(g.csr.neighbours));
      expect(back.ids.token(17)).toBe(g.ids.token(17));
    }
  });

  it('limits: HyperBall chooses a smaller log2m when n * 2^log2m passes a typed array, and refuses a given one naming the largest that fits', async () => {
    // Mocked view of 64 KiB: 1000 nodes fit 2^6 registers each.
    expect(largestFittingLog2m(1000, 2 ** 16)).toBe(6);
    expect(chooseHyperBallLog2m(1000, undefined, 11, 4, 2 ** 16)).toBe(6);
    expect(chooseHyperBallLog2m(10, undefined, 11, 4, 2 ** 16)).toBe(11);
    expect(chooseHyperBallLog2m(1000, 6, 11, 4, 2 ** 16)).toBe(6);
    const tooBig = thrown(() => chooseHyperBallLog2m(1000, 8, 11, 4, 2 ** 16));
    expect(tooBig).toBeInstanceOf(UsageError);
    expect((tooBig as Error).message).toMatch(/the largest that fits is --registers 6$/);
    const none = thrown(() => chooseHyperBallLog2m(5000, undefined, 11, 4, 2 ** 16));
    expect(none).toBeInstanceOf(UsageError);
    expect((none as Error).message).toMatch(/^HyperBall cannot run on 5,000 nodes: even 2\^4 .* \(4,096 nodes at 2\^4\); use --method bfs$/);

    // The real limit: 2^21 nodes at 2^12 registers would need 8 GiB per copy. Refused before allocating.
    const n = 2 ** 21;
    const empty: Csr = { n, directed: false, offsets: new Uint32Array(n + 1), neighbours: new Uint32Array(0) };
    const err = await rejected(runHyperBall(empty, { log2m: 12, threads: 1 }));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe(
      'HyperBall with 2^12 registers per counter needs 8.0 GiB per copy of the counters for 2,097,152 nodes; one typed array holds at most 4.0 GiB: the largest that fits is --registers 11',
    );
    expect(largestFittingLog2m(n)).toBe(11);
    expect(largestFittingLog2m(2 ** 28 + 1)).toBe(3); // beyond 2^28 nodes not even 2^4 registers fit
  });

  it('limits: path past the 2^24 nodes ngraph.path can hold in its Map fails with one line', async () => {
    const g = await loadGraph(tempFile('limits-path.txt', 'a b\nb c\n'), { threads: 1 });
    const err = thrown(() => shortestPath(g, 'a', 'c'));
    expect(err).toBeInstanceOf(LimitError);
    expect((err as Error).message).toBe(
      `${g.file}: the search for a chain from a to c touched more than 16,777,216 people, the most ngraph.path's Map holds (a V8 limit); smallworld path cannot answer for this pair`,
    );
  });
});
