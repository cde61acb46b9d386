/**
 * `smallworld path` (ngraph.path over the CSR view) against BFS distances from
 * the reference kernel: the chain must be a real path and a shortest one.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadGraph, type LoadedGraph } from '../src/io/load.js';
import { shortestPath } from '../src/algorithms/path.js';
import { mulberry32 } from '../src/stats/random.js';
import { DATASETS, haveShared, ROOT, runCli, tempFile } from './helpers.js';

/** Distances from `from` to every node by a plain BFS. */
function bfsDistances(g: LoadedGraph, from: number): Int32Array {
  const { n, offsets, neighbours } = g.csr;
  const dist = new Int32Array(n).fill(-1);
  const queue = [from];
  dist[from] = 0;
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    for (let j = offsets[u]; j < offsets[u + 1]; j++)
      if (dist[neighbours[j]] < 0) {
        dist[neighbours[j]] = dist[u] + 1;
        queue.push(neighbours[j]);
      }
  }
  return dist;
}

function isArc(g: LoadedGraph, a: string, b: string): boolean {
  const u = g.ids.lookup(a);
  const v = g.ids.lookup(b);
  return Array.from(g.csr.neighbours.subarray(g.csr.offsets[u], g.csr.offsets[u + 1])).includes(v);
}

function checkPairs(g: LoadedGraph, pairs: number, seed: number): void {
  const rand = mulberry32(seed);
  for (let k = 0; k < pairs; k++) {
    const a = Math.floor(rand() * g.csr.n);
    const b = Math.floor(rand() * g.csr.n);
    const chain = shortestPath(g, g.ids.token(a), g.ids.token(b));
    const d = bfsDistances(g, a)[b];
    if (d < 0) {
      expect(chain).toBeNull();
      continue;
    }
    expect(chain).not.toBeNull();
    expect(chain!.length - 1, `${g.ids.token(a)} -> ${g.ids.token(b)}`).toBe(d);
    expect(chain![0]).toBe(g.ids.token(a));
    expect(chain![chain!.length - 1]).toBe(g.ids.token(b));
    for (let i = 0; i + 1 < chain!.length; i++) expect(isArc(g, chain![i], chain![i + 1])).toBe(true);
  }
}

describe('shortest chain of introductions', () => {
  it('on the sample graph, undirected and directed', async () => {
    const file = join(ROOT, 'data/sample-social.tsv');
    checkPairs(await loadGraph(file), 40, 1);
    checkPairs(await loadGraph(file, { directed: true }), 40, 2);
  });

  it('between components: no chain', async () => {
    const g = await loadGraph(tempFile('islands.txt', 'a b\nb c\nx y\n'));
    expect(shortestPath(g, 'a', 'y')).toBeNull();
    expect(shortestPath(g, 'a', 'c')).toEqual(['a', 'b', 'c']);
    expect(shortestPath(g, 'a', 'a')).toEqual(['a']);
    expect(() => shortestPath(g, 'a', 'nobody')).toThrow(/no such node id 'nobody'/);
  });

  it.skipIf(!haveShared())('on CA-GrQc (many components)', async () => {
    checkPairs(await loadGraph(join(DATASETS, 'CA-GrQc.txt.gz')), 60, 3);
  });

  it('through the CLI', () => {
    const file = tempFile('cli-path.txt', 'ann bob\nbob cat\ncat dan\nann eve\n');
    const r = runCli(['path', file, 'eve', 'dan']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("eve -> ann -> bob -> cat -> dan\n4 hops: 3 introducers between them\n1 shortest chain through 1 introducer (eve's friends on a shortest chain)\n");
    expect(JSON.parse(runCli(['path', file, 'dan', 'eve', '--json']).stdout)).toEqual({ from: 'dan', to: 'eve', hops: 4, path: ['dan', 'cat', 'bob', 'ann', 'eve'], chains: '1', introducers: 1, alternatives: null });
  });
});
