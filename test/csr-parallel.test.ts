/**
 * The parallel CSR build (buildCsrParallel: node ranges built side by side,
 * then moved together) gives the one-thread build's graph and stats exactly,
 * whatever the number of ranges; and the loader, which uses it from 2^20
 * stored arcs on with 2 threads, builds the same graph as with 1 thread.
 * Also: the scanner's pair buffer, sized from a sample, grows when the sample
 * had long lines and the rest short ones.
 */
import { describe, expect, it } from 'vitest';
import { buildCsr, buildCsrParallel, PARALLEL_BUILD_MIN_ARCS, runBuildTask, type BuildRangeTask, type CountTask } from '../src/graph/csr.js';
import { EdgeBuffer } from '../src/graph/edges.js';
import { loadGraph } from '../src/io/load.js';
import { estimateLines, scanRange } from '../src/io/scan.js';
import { mulberry32 } from '../src/stats/random.js';
import { tempFile } from './helpers.js';

/** Edges with repeats (both ways), self-loops, a hub, and isolated numbers; as [u, v] pairs. */
function randomPairs(n: number, m: number, seed: number): Array<[number, number]> {
  const rand = mulberry32(seed);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < m; i++) {
    const r = rand();
    const u = r < 0.2 ? 3 : Math.floor(rand() * n); // node 3 is a hub
    const v = rand() < 0.03 ? u : Math.floor(rand() * n);
    pairs.push([u, v]);
    if (rand() < 0.1) pairs.push(rand() < 0.5 ? [u, v] : [v, u]);
  }
  return pairs;
}

function bufferOf(pairs: Array<[number, number]>, shared: boolean): EdgeBuffer {
  const edges = new EdgeBuffer();
  if (shared) for (const [u, v] of pairs) edges.push(u, v);
  else {
    // Pairs in a plain ArrayBuffer (buildCsrParallel must copy them into shared memory).
    const data = new Uint32Array(pairs.length * 2);
    pairs.forEach(([u, v], i) => {
      data[2 * i] = u;
      data[2 * i + 1] = v;
    });
    edges.appendChunk(data, pairs.length);
  }
  return edges;
}

/** Runs the ranges here, in reverse order, so nothing depends on ranges finishing in order. */
function inline(): (task: BuildRangeTask | CountTask) => Promise<number> {
  const queue: Array<() => void> = [];
  return (task) =>
    new Promise((resolve) => {
      queue.unshift(() => resolve(runBuildTask(task)));
      setImmediate(() => queue.shift()?.());
    });
}

describe('buildCsrParallel', () => {
  for (const directed of [false, true]) {
    it(`gives buildCsr's CSR and stats with 1 to 5 ranges (${directed ? 'directed' : 'undirected'})`, async () => {
      const n = 500;
      const pairs = randomPairs(n, 6000, directed ? 7 : 11);
      const expected = buildCsr(bufferOf(pairs, true), n, directed);
      expect(expected.stats.duplicates).toBeGreaterThan(100);
      expect(expected.stats.selfLoops).toBeGreaterThan(50);
      for (const parts of [1, 2, 3, 5]) {
        for (const shared of [true, false]) {
          const got = await buildCsrParallel(bufferOf(pairs, shared), n, directed, inline(), parts);
          expect(got.stats).toEqual(expected.stats);
          expect(Array.from(got.csr.offsets)).toEqual(Array.from(expected.csr.offsets));
          expect(Array.from(got.csr.neighbours)).toEqual(Array.from(expected.csr.neighbours));
          expect(got.csr.neighbours.buffer.byteLength).toBe(4 * expected.csr.neighbours.length); // exact size, as workers see it
        }
      }
    });
  }

  it('handles more ranges than nodes with arcs, and nodes without arcs at both ends', async () => {
    const pairs: Array<[number, number]> = [[2, 3], [3, 2], [2, 2], [3, 4]];
    const expected = buildCsr(bufferOf(pairs, true), 7, false);
    const got = await buildCsrParallel(bufferOf(pairs, true), 7, false, inline(), 6);
    expect(got.stats).toEqual(expected.stats);
    expect(Array.from(got.csr.offsets)).toEqual([0, 0, 0, 1, 3, 4, 4, 4]);
    expect(Array.from(got.csr.neighbours)).toEqual([3, 2, 4, 3]);
  });
});

describe('the loader builds large graphs in parallel, identically', () => {
  it('2 threads (parallel build) and 1 thread give the same graph and stats', async () => {
    const rand = mulberry32(5);
    const lines: string[] = ['# over 2^20 stored arcs: the 2-thread load builds the CSR in its parse workers'];
    const m = PARALLEL_BUILD_MIN_ARCS + 10_000; // directed too
    for (let i = 0; i < m; i++) {
      const u = 1 + Math.floor(rand() * 200_000);
      const v = rand() < 0.01 ? u : 1 + Math.floor(rand() * 200_000);
      lines.push(`${u}\t${v}`);
      if (rand() < 0.05) lines.push(`${v}\t${u}`);
      if (rand() < 0.03) lines.push(`${u}\t${v}`);
    }
    const file = tempFile('parallel-build.tsv', lines.join('\n') + '\n');
    for (const directed of [false, true]) {
      const two = await loadGraph(file, { threads: 2, directed });
      const one = await loadGraph(file, { threads: 1, directed });
      expect(two.stats).toEqual(one.stats);
      expect(two.stats.selfLoops).toBeGreaterThan(1000);
      expect(two.stats.duplicates).toBeGreaterThan(1000);
      expect(Buffer.from(two.csr.offsets.buffer).equals(Buffer.from(one.csr.offsets.buffer))).toBe(true);
      expect(Buffer.from(two.csr.neighbours.buffer).equals(Buffer.from(one.csr.neighbours.buffer))).toBe(true);
    }
  });
});

describe('scanRange: the pair buffer is sized from a sample and grows', () => {
  it('keeps every pair when the first 64 KiB are long comment lines and the rest short edges', () => {
    const head = Array.from({ length: 700 }, (_, i) => `# ${'x'.repeat(95)} ${i}`).join('\n') + '\n';
    const body = Array.from({ length: 50_000 }, (_, i) => `${i % 10} ${(i * 7) % 10}`).join('\n') + '\n';
    const bytes = new TextEncoder().encode(head + body);
    const estimate = estimateLines(bytes, 0, bytes.length);
    expect(estimate).toBeLessThan(50_000); // the sample saw long lines: too few for the edges, so the buffer must grow
    const r = scanRange(bytes, 0, bytes.length, { delimiter: 0, sourceIndex: 0, targetIndex: 1, skipFirstDataLine: false, columns: 2 });
    expect(r.stop).toBe(bytes.length);
    expect([r.count, r.edgeLines, r.lines]).toEqual([50_000, 50_000, 50_700]);
    expect(r.pairs.length).toBeGreaterThanOrEqual(100_000);
    for (const i of [0, 1, 12_345, 49_999]) expect([r.pairs[2 * i], r.pairs[2 * i + 1]]).toEqual([i % 10, (i * 7) % 10]);
  });
});
