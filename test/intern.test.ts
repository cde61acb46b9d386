/**
 * String ids interned in hash shards (src/graph/intern.ts) and by the parse
 * workers (src/io/intern-scan.ts) must number nodes exactly as serial interning
 * does: node i = the i-th distinct id in file order.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EdgeBuffer } from '../src/graph/edges.js';
import { ShardedIds } from '../src/graph/intern.js';
import { IdTable } from '../src/graph/id-table.js';
import { loadGraph, type LoadedGraph, type LoadOptions } from '../src/io/load.js';
import { mulberry32 } from '../src/stats/random.js';
import { tempFile } from './helpers.js';

/** First-appearance numbering of the endpoints, the obvious way. */
function oracle(pairs: Array<[string, string]>): { tokens: string[]; edges: number[] } {
  const index = new Map<string, number>();
  const edges: number[] = [];
  for (const [a, b] of pairs)
    for (const t of [a, b]) {
      if (!index.has(t)) index.set(t, index.size);
      edges.push(index.get(t)!);
    }
  return { tokens: [...index.keys()], edges };
}

function fingerprint(g: LoadedGraph) {
  const h = createHash('sha256');
  h.update(new Uint8Array(g.csr.offsets.buffer, g.csr.offsets.byteOffset, g.csr.offsets.byteLength));
  h.update(new Uint8Array(g.csr.neighbours.buffer, g.csr.neighbours.byteOffset, g.csr.neighbours.byteLength));
  return { graph: h.digest('hex'), stats: g.stats, kind: g.ids.kind };
}

function tokensOf(g: LoadedGraph): string[] {
  return Array.from({ length: g.ids.size }, (_, i) => g.ids.token(i));
}

describe('sharded string ids', () => {
  it.each([1, 2, 4])('%i shards number ids by first appearance, like a Map', (shards) => {
    const rand = mulberry32(21);
    const pairs: Array<[string, string]> = [];
    const pick = () => {
      const x = Math.floor(rand() * 30_000);
      return x % 7 === 0 ? `jos\u00e9_${x}` : x % 11 === 0 ? `\u{1F600}${x}` : `user_${x}`;
    };
    for (let i = 0; i < 60_000; i++) pairs.push([pick(), pick()]);
    const edges = new EdgeBuffer();
    const ids = new ShardedIds(shards);
    expect(ids.shards).toBe(shards);
    for (const [a, b] of pairs) {
      const u = ids.intern(a);
      edges.push(u, ids.intern(b));
    }
    const table = ids.finish(edges);
    const want = oracle(pairs);
    expect(table.size).toBe(want.tokens.length);
    expect(Array.from({ length: table.size }, (_, i) => table.token(i))).toEqual(want.tokens);
    const got: number[] = [];
    for (const [chunk, n] of edges.pieces()) for (let i = 0; i < n * 2; i++) got.push(chunk[i]);
    expect(got).toEqual(want.edges);
    // The lookup hash is built on demand from the merged bytes.
    for (let k = 0; k < want.tokens.length; k += 97) expect(table.lookup(want.tokens[k])).toBe(k);
    expect(table.lookup('nobody')).toBe(-1);
    expect(table.joinedBytes(10)).toEqual(new TextEncoder().encode(want.tokens.join('\n') + '\n'));
  });

  it('refuses a buffer whose ids were not interned in file order', () => {
    const edges = new EdgeBuffer();
    const ids = new ShardedIds(2);
    const a = ids.intern('a');
    const b = ids.intern('b');
    const c = ids.intern('c');
    edges.push(c, b);
    edges.push(a, a);
    // Which of these share a shard depends on the hash; with all three in order nothing is refused.
    const sameShard = [a, b, c].filter((r) => (r & 1) === (c & 1)).length > 1;
    if (sameShard) expect(() => ids.finish(edges)).toThrow(/internal error/);
  });
});

describe('an id table told what to expect (IdTable.expect)', () => {
  it('numbers and stores every id as without the hint, and grows its arrays straight to the expected size', () => {
    const random = mulberry32(11);
    const tokens = Array.from({ length: 60_000 }, () => `user_${Math.floor(random() * 40_000)}`);
    const plain = new IdTable(1024, true);
    const told = new IdTable(1024, true);
    told.expect(30_000, 30_000 * 10);
    const lengths = new Set<number>();
    for (const t of tokens) {
      expect(told.intern(t)).toBe(plain.intern(t));
      lengths.add(told.tokenEnds.length);
    }
    expect(told.size).toBe(plain.size);
    expect(told.size).toBeGreaterThan(30_000);
    for (let i = 0; i < told.size; i += 997) expect(told.token(i)).toBe(plain.token(i));
    for (const t of tokens.slice(0, 500)) expect(told.lookup(t)).toBe(plain.lookup(t));
    // 1024 at first, then straight to the 30,000 expected, then doubled past it: three sizes, not six.
    expect([...lengths]).toEqual([1024, 30_000, 60_000]);
  });
});

describe('string ids loaded by the parse workers', () => {
  /** Loads with 2 threads (sharded workers), 1 thread (serial) and csv-parse; all must agree with each other and with the oracle. */
  async function allPaths(file: string, valid: Array<[string, string]>, opts: LoadOptions = {}) {
    const two = await loadGraph(file, { ...opts, threads: 2 });
    const one = await loadGraph(file, { ...opts, threads: 1 });
    const csv = await loadGraph(file, { ...opts, parser: 'csv' });
    const want = oracle(valid);
    expect(tokensOf(two)).toEqual(want.tokens);
    expect(tokensOf(one)).toEqual(want.tokens);
    expect(tokensOf(csv)).toEqual(want.tokens);
    expect(fingerprint(two)).toEqual(fingerprint(csv));
    expect(fingerprint(one)).toEqual(fingerprint(csv));
    return two;
  }

  it('user ids over two 16 MiB blocks (the second interned by the workers) with hand-overs inside: non-ASCII, quoted, a bad line', async () => {
    const rand = mulberry32(22);
    const lines: string[] = [];
    const valid: Array<[string, string]> = [];
    for (let i = 0; i < 900_000; i++) {
      const a = `user_${Math.floor(rand() * 1_200_000)}`;
      const b = `user_${Math.floor(rand() * 1_200_000)}`;
      if ((i < 600_000 && i % 20_011 === 500) || i === 880_000) {
        lines.push(`${a},\u0142ukasz_${i}`); // non-ASCII: csv-parse reads it
        valid.push([a, `\u0142ukasz_${i}`]);
      } else if ((i < 600_000 && i % 30_011 === 700) || i === 885_000) {
        lines.push(`"${a}",${b}`); // quoted
        valid.push([a, b]);
      } else if (i === 890_000) {
        lines.push(`phantom_a,phantom_b,extra`); // a bad line: its ids are no nodes
      } else {
        lines.push(`${a},${b}`);
        valid.push([a, b]);
      }
    }
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(20 << 20); // the first block is read on the main thread, the second by the workers
    const file = tempFile('intern-mixed.csv', text);
    const g = await allPaths(file, valid, { skipBadLines: true });
    expect(g.stats.badLines).toBe(1);
    expect(g.ids.lookup('phantom_a')).toBe(-1);
    expect(g.ids.lookup('\u0142ukasz_500')).toBeGreaterThan(0);
  });

  it('the target column before the source column: ids numbered source first, on every path', async () => {
    const rand = mulberry32(23);
    const lines: string[] = [];
    const valid: Array<[string, string]> = [];
    for (let i = 0; i < 120_000; i++) {
      const a = `a${Math.floor(rand() * 100_000)}`;
      const b = `b${Math.floor(rand() * 100_000)}`;
      lines.push(`${b}\t${a}\tx`); // source = column 2, target = column 1
      valid.push([a, b]);
    }
    const file = tempFile('intern-reversed.tsv', lines.join('\n') + '\n');
    await allPaths(file, valid, { sourceColumn: '2', targetColumn: '1' });
  });
});
