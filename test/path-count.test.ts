/**
 * `smallworld path`'s chain count and alternatives: the number of distinct
 * shortest chains against independent counts (karate: brute-force enumeration
 * of every walk of the shortest length by DFS; facebook_combined: a forward
 * dynamic program in BigInt from A over the file read again into an
 * ngraph.graph), 100 seeded random pairs each; counts past 2^53; directed
 * graphs; the alternatives are real shortest chains through different introducers.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Graph as NGraph } from 'ngraph.graph';
import { loadGraph, shortestPath } from '../src/index.js';
import { mulberry32 } from '../src/stats/random.js';
import { DATASETS, haveShared, runCli, tempFile } from './helpers.js';
import { oracleDistances, readOracle } from './oracle-graph.js';

const shared = haveShared();

function neighboursOf(g: NGraph, v: string): string[] {
  const out: string[] = [];
  g.forEachLinkedNode(v, (o) => {
    out.push(String(o.id));
  });
  return out;
}

/** Walks of exactly `len` hops from a to b, by DFS (every one is a shortest chain when len = dist(a, b)). */
function enumerate(g: NGraph, a: string, b: string, len: number): number {
  if (len === 0) return a === b ? 1 : 0;
  let total = 0;
  for (const w of neighboursOf(g, a)) total += enumerate(g, w, b, len - 1);
  return total;
}

/** Shortest chains from a to b by a forward dynamic program from a, layer by layer, in BigInt. */
function forwardCount(g: NGraph, a: string, b: string): bigint {
  const dist = new Map<string, number>([[a, 0]]);
  const sigma = new Map<string, bigint>([[a, 1n]]);
  let layer = [a];
  while (layer.length > 0 && !dist.has(b)) {
    const next: string[] = [];
    for (const u of layer)
      for (const v of neighboursOf(g, u)) {
        if (!dist.has(v)) {
          dist.set(v, dist.get(u)! + 1);
          sigma.set(v, 0n);
          next.push(v);
        }
        if (dist.get(v) === dist.get(u)! + 1) sigma.set(v, sigma.get(v)! + sigma.get(u)!);
      }
    layer = next;
  }
  return sigma.get(b) ?? 0n;
}

function nodeIds(g: NGraph): string[] {
  const ids: string[] = [];
  g.forEachNode((n) => {
    ids.push(String(n.id));
  });
  return ids;
}

describe.skipIf(!shared)('path: shortest chain counts equal independent counts', () => {
  it('karate: 100 random pairs, brute-force enumeration', async () => {
    const file = join(DATASETS, 'karate.txt.gz');
    const oracle = readOracle(file);
    const ids = nodeIds(oracle);
    const graph = await loadGraph(file);
    const rand = mulberry32(21);
    let many = 0;
    for (let k = 0; k < 100; k++) {
      const a = ids[Math.floor(rand() * ids.length)];
      const b = ids[Math.floor(rand() * ids.length)];
      const d = oracleDistances(oracle, a).get(b)!;
      const r = await shortestPath(graph, a, b, { alternatives: 100 });
      expect(r.hops).toBe(d);
      const expected = enumerate(oracle, a, b, d);
      expect(r.chains, `${a} -> ${b}`).toBe(String(expected));
      if (expected > 1) many++;
      checkAlternatives(oracle, r, d);
    }
    expect(many).toBeGreaterThan(30);
  });

  it('facebook_combined: 100 random pairs, a forward dynamic program in BigInt', async () => {
    const file = join(DATASETS, 'facebook_combined.txt.gz');
    const oracle = readOracle(file);
    const ids = nodeIds(oracle);
    const graph = await loadGraph(file);
    const rand = mulberry32(22);
    let largest = 0n;
    for (let k = 0; k < 100; k++) {
      const a = ids[Math.floor(rand() * ids.length)];
      const b = ids[Math.floor(rand() * ids.length)];
      const r = await shortestPath(graph, a, b, { alternatives: 5 });
      const expected = forwardCount(oracle, a, b);
      expect(r.chains, `${a} -> ${b}`).toBe(expected.toString());
      if (expected > largest) largest = expected;
      checkAlternatives(oracle, r, r.hops!);
    }
    expect(largest).toBeGreaterThan(100n);
  });
});

/** Each alternative is a shortest chain through a different introducer; counts add up when all are listed. */
function checkAlternatives(g: NGraph, r: Awaited<ReturnType<typeof shortestPath>>, d: number): void {
  const alts = r.alternatives!;
  expect(new Set(alts.map((x) => x.introducer)).size).toBe(alts.length);
  for (const alt of alts) {
    expect(alt.path.length).toBe(d + 1);
    expect(alt.path[0]).toBe(r.from);
    expect(alt.path[1]).toBe(alt.introducer);
    expect(alt.path[d]).toBe(r.to);
    for (let i = 0; i < d; i++) expect(g.hasLink(alt.path[i], alt.path[i + 1]) || g.hasLink(alt.path[i + 1], alt.path[i])).toBeTruthy();
  }
  for (let i = 1; i < alts.length; i++) expect(BigInt(alts[i - 1].chains) >= BigInt(alts[i].chains)).toBe(true);
  if (alts.length === r.introducers && d >= 2) expect(alts.reduce((s, x) => s + BigInt(x.chains), 0n).toString()).toBe(r.chains);
}

describe('path counts on small files', () => {
  it('60 diamonds in a row: 2^60 chains, exactly (past 2^53)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60; i++) lines.push(`n${i} a${i}`, `n${i} b${i}`, `a${i} n${i + 1}`, `b${i} n${i + 1}`);
    const file = tempFile('diamonds.txt', lines.join('\n') + '\n');
    const r = await shortestPath(file, 'n0', 'n60', { alternatives: 5 });
    expect(r.hops).toBe(120);
    expect(r.chains).toBe((2n ** 60n).toString());
    expect(r.chains).toBe('1152921504606846976');
    expect(r.alternatives!.map((x) => [x.introducer, x.chains])).toEqual([
      ['a0', (2n ** 59n).toString()],
      ['b0', (2n ** 59n).toString()],
    ]);
  });

  it('directed: chains follow the arcs', async () => {
    const file = tempFile('directed.txt', 'a b\na c\nb d\nc d\nd e\nx d\ne a\n');
    const r = await shortestPath(file, 'a', 'e', { directed: true, alternatives: 3 });
    expect(r).toMatchObject({ hops: 3, chains: '2', introducers: 2 });
    expect(r.alternatives).toEqual([
      { introducer: 'b', chains: '1', path: ['a', 'b', 'd', 'e'] },
      { introducer: 'c', chains: '1', path: ['a', 'c', 'd', 'e'] },
    ]);
    const back = await shortestPath(file, 'e', 'd', { directed: true });
    expect(back).toMatchObject({ hops: 3, chains: '2', alternatives: null });
    expect((await shortestPath(file, 'd', 'x', { directed: true })).chains).toBe('0');
  });

  it('CLI: friends, the same person, unreachable, --alternatives text and JSON, bad values', () => {
    const file = tempFile('cli-chains.txt', 'ann bob\nann cat\nbob dan\ncat dan\ndan eve\nzed yan\n');
    const json = (args: string[]) => JSON.parse(runCli(['path', '-q', '--json', file, ...args]).stdout);
    expect(json(['ann', 'bob'])).toEqual({ from: 'ann', to: 'bob', hops: 1, path: ['ann', 'bob'], chains: '1', introducers: 0, alternatives: null });
    expect(json(['ann', 'ann', '--alternatives', '2'])).toMatchObject({ hops: 0, chains: '1', alternatives: [] });
    expect(json(['ann', 'zed'])).toMatchObject({ hops: null, path: null, chains: '0' });
    const r = runCli(['path', file, 'ann', 'eve', '--alternatives', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ann -> (bob|cat) -> dan -> eve\n3 hops: 2 introducers between them\n2 shortest chains through 2 introducers \(ann's friends on a shortest chain\)\n  via bob \(1 chain\): ann -> bob -> dan -> eve\n  \.\.\. and 1 more introducers\n$/);
    expect(runCli(['path', file, 'ann', 'eve', '--alternatives', 'x']).status).toBe(2);
    expect(runCli(['path', file, 'ann', 'nobody', '--alternatives', '2']).status).toBe(2);
  });
});
