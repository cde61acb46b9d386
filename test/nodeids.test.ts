import { describe, expect, it } from 'vitest';
import { EdgeBuffer } from '../src/graph/edges.js';
import { buildCsr } from '../src/graph/csr.js';
import { canonicalNumber, IdCollector } from '../src/graph/node-ids.js';
import { mulberry32 } from '../src/stats/random.js';

function collect(tokens: Array<[string, string]>) {
  const edges = new EdgeBuffer();
  const ids = new IdCollector(edges);
  for (const [a, b] of tokens) ids.addEdge(a, b);
  const nodeIds = ids.finish();
  const pairs: Array<[string, string]> = [];
  for (const [chunk, n] of edges.pieces())
    for (let i = 0; i < n * 2; i += 2) pairs.push([nodeIds.token(chunk[i]), nodeIds.token(chunk[i + 1])]);
  return { nodeIds, pairs };
}

describe('node ids', () => {
  it('recognises canonical unsigned decimals only', () => {
    expect(canonicalNumber('0')).toBe(0);
    expect(canonicalNumber('4294967294')).toBe(4294967294);
    for (const t of ['', '007', '-1', '+1', '1.0', '4294967295', '12345678901', 'a1', ' 1']) expect(canonicalNumber(t), t).toBe(-1);
  });

  it('numbers dense numeric ids in ascending order, with no table', () => {
    const { nodeIds, pairs } = collect([['10', '3'], ['3', '7'], ['7', '7']]);
    expect(nodeIds.kind).toBe('numeric');
    expect([0, 1, 2].map((i) => nodeIds.token(i))).toEqual(['3', '7', '10']);
    expect(pairs).toEqual([['10', '3'], ['3', '7'], ['7', '7']]);
    expect(nodeIds.lookup('7')).toBe(1);
    expect(nodeIds.lookup('8')).toBe(-1);
    expect(nodeIds.lookup('07')).toBe(-1);
  });

  it('handles sparse numeric ids (huge gaps) the same way', () => {
    const { nodeIds, pairs } = collect([['4000000000', '1'], ['1', '2500000000']]);
    expect(nodeIds.kind).toBe('numeric');
    expect([0, 1, 2].map((i) => nodeIds.token(i))).toEqual(['1', '2500000000', '4000000000']);
    expect(pairs).toEqual([['4000000000', '1'], ['1', '2500000000']]);
  });

  it('switches to string ids at the first non-numeric token, keeping first-appearance order', () => {
    const { nodeIds, pairs } = collect([['5', '2'], ['2', '007'], ['7', '5'], ['12345678901234567890', '7']]);
    expect(nodeIds.kind).toBe('string');
    expect([0, 1, 2, 3, 4].map((i) => nodeIds.token(i))).toEqual(['5', '2', '007', '7', '12345678901234567890']);
    expect(pairs).toEqual([['5', '2'], ['2', '007'], ['7', '5'], ['12345678901234567890', '7']]);
  });

  it('builds the same graph whatever the id kind (sorted lists, repeats and loops dropped)', () => {
    const rand = mulberry32(11);
    const raw: Array<[number, number]> = Array.from({ length: 3000 }, () => [Math.floor(rand() * 300), Math.floor(rand() * 300)]);
    for (const directed of [false, true]) {
      const numeric = collect(raw.map(([u, v]) => [String(u), String(v)]));
      const named = collect(raw.map(([u, v]) => [`n${u}`, `n${v}`]));
      const lists = (c: ReturnType<typeof collect>) => {
        const edges = new EdgeBuffer();
        for (const [a, b] of c.pairs) edges.push(c.nodeIds.lookup(a), c.nodeIds.lookup(b));
        const { csr, stats } = buildCsr(edges, c.nodeIds.size, directed);
        const out = new Map<string, string[]>();
        for (let u = 0; u < csr.n; u++) {
          const list = Array.from(csr.neighbours.subarray(csr.offsets[u], csr.offsets[u + 1]));
          expect(list).toEqual([...list].sort((a, b) => a - b));
          expect(new Set(list).size).toBe(list.length);
          out.set(c.nodeIds.token(u).replace('n', ''), list.map((v) => c.nodeIds.token(v).replace('n', '')).sort());
        }
        return { out, stats };
      };
      const a = lists(numeric);
      const b = lists(named);
      expect(b.out).toEqual(a.out);
      expect(b.stats).toEqual(a.stats);
      const expectedLoops = raw.filter(([u, v]) => u === v).length;
      expect(a.stats.selfLoops).toBe(expectedLoops);
      const distinct = new Set(raw.filter(([u, v]) => u !== v).map(([u, v]) => (directed || u < v ? `${u}-${v}` : `${v}-${u}`)));
      expect(a.stats.edges).toBe(distinct.size);
      expect(a.stats.duplicates).toBe(raw.length - expectedLoops - distinct.size);
    }
  });
});
