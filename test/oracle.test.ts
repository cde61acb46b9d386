/**
 * Distances checked against answers computed without any of our code: hand-made
 * graphs with hand-computed figures, and random graphs against an oracle built
 * on ngraph.graph + ngraph.path (A* between every pair).
 */
import { describe, expect, it } from 'vitest';
import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { mulberry32 } from '../src/stats/random.js';
import { estimateFile } from '../src/app/api.js';
import { tempFile } from './helpers.js';

const edgeList = (edges: Array<[string | number, string | number]>) => edges.map(([u, v]) => `${u} ${v}\n`).join('');

async function exact(name: string, edges: Array<[string | number, string | number]>, directed = false) {
  return estimateFile(tempFile(name, edgeList(edges)), { exact: true, directed, threads: 2 });
}

describe('hand-made graphs', () => {
  it('path of 5', async () => {
    const r = await exact('path.txt', [[0, 1], [1, 2], [2, 3], [3, 4]]);
    expect(r.distanceHistogram).toEqual([0, 8, 6, 4, 2]);
    expect(r.meanDistance).toBe(2);
    expect(r.degreesOfSeparation).toBe(1);
    expect(r.maxDistanceSeen).toBe(4);
    expect(r.effectiveDiameter90).toBeCloseTo(3, 12); // g(2) = 0.7, g(3) = 0.9
    expect(r.reachablePairFraction).toBe(1);
    expect(r.meanDistanceCi95).toEqual([2, 2]);
  });

  it('--person: one end of a path of 5, and an unknown id', async () => {
    const file = tempFile('person-path.txt', edgeList([[0, 1], [1, 2], [2, 3], [3, 4]]));
    const r = await estimateFile(file, { samples: 2, person: '0', threads: 1 });
    expect(r.person).toEqual({ id: '0', reached: 4, meanDistance: 2.5, degreesOfSeparation: 1.5, hopCounts: [0, 1, 1, 1, 1], withinHops: [0, 1, 2, 3, 4] });
    await expect(estimateFile(file, { samples: 2, person: 'nobody', threads: 1 })).rejects.toThrow(/no such node id/);
  });

  it('star with 4 leaves', async () => {
    const r = await exact('star.txt', [['hub', 'a'], ['hub', 'b'], ['hub', 'c'], ['hub', 'd']]);
    expect(r.distanceHistogram).toEqual([0, 8, 12]);
    expect(r.meanDistance).toBeCloseTo(1.6, 12);
    expect(r.maxDistanceSeen).toBe(2);
  });

  it('cycle of 6', async () => {
    const r = await exact('cycle.txt', [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 0]]);
    expect(r.distanceHistogram).toEqual([0, 12, 12, 6]);
    expect(r.meanDistance).toBeCloseTo(1.8, 12);
  });

  it('two components: only pairs that can reach each other count', async () => {
    const r = await exact('two.txt', [['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'e']]);
    expect(r.distanceHistogram).toEqual([0, 8]);
    expect(r.meanDistance).toBe(1);
    expect(r.reachablePairFraction).toBeCloseTo(8 / 20, 12);
  });

  it('--largest-component: only pairs inside the biggest component', async () => {
    const file = tempFile('lcc.txt', edgeList([['a', 'b'], ['b', 'c'], ['c', 'a'], ['d', 'e'], ['e', 'f'], ['f', 'g']]));
    const all = await estimateFile(file, { exact: true, threads: 2 });
    expect(all.distanceHistogram).toEqual([0, 12, 4, 2]); // triangle: 6 at 1; path of 4: 6 at 1, 4 at 2, 2 at 3
    const lcc = await estimateFile(file, { exact: true, largestComponent: true, threads: 2 });
    expect(lcc.population).toBe('largest connected component');
    expect(lcc.populationNodes).toBe(4);
    expect(lcc.distanceHistogram).toEqual([0, 6, 4, 2]);
    expect(lcc.meanDistance).toBeCloseTo(20 / 12, 12);
    expect(lcc.reachablePairFraction).toBe(1);
    expect(lcc.sources).toBe(4);
    const directed = await estimateFile(file, { exact: true, largestComponent: true, directed: true, threads: 2 });
    expect(directed.population).toBe('largest weakly connected component');
    expect(directed.distanceHistogram).toEqual([0, 3, 2, 1]); // d->e->f->g
  });

  it('directed cycle and directed path follow arcs; undirected reading ignores direction', async () => {
    const cycle: Array<[number, number]> = [[0, 1], [1, 2], [2, 3], [3, 0]];
    const d = await exact('dcycle.txt', cycle, true);
    expect(d.distanceHistogram).toEqual([0, 4, 4, 4]);
    expect(d.meanDistance).toBe(2);
    expect(d.edges).toBe(4);
    const u = await exact('dcycle.txt', cycle, false);
    expect(u.distanceHistogram).toEqual([0, 8, 4]);

    const path = await exact('dpath.txt', [[0, 1], [1, 2]], true);
    expect(path.distanceHistogram).toEqual([0, 2, 1]);
    expect(path.meanDistance).toBeCloseTo(4 / 3, 12);
    expect(path.reachablePairFraction).toBe(0.5);
  });
});

/** All-pairs distances by ngraph.path's A* (unit lengths), folded into the same figures. */
function oracle(n: number, edges: Array<[number, number]>, directed: boolean) {
  const graph = createGraph();
  for (let v = 0; v < n; v++) graph.addNode(v);
  for (const [u, v] of edges) graph.addLink(u, v);
  const finder = ngraphPath.aStar(graph, { oriented: directed });
  const histogram = [0];
  let sum = 0;
  let pairs = 0;
  for (let s = 0; s < n; s++)
    for (let t = 0; t < n; t++) {
      if (s === t) continue;
      const path = finder.find(s, t);
      if (path.length === 0) continue;
      const d = path.length - 1;
      while (histogram.length <= d) histogram.push(0);
      histogram[d]++;
      sum += d;
      pairs++;
    }
  return { histogram, mean: pairs ? sum / pairs : null, pairs };
}

describe('random graphs against the ngraph.path oracle', () => {
  const rand = mulberry32(7);
  const cases = Array.from({ length: 12 }, (_, i) => {
    const n = 5 + Math.floor(rand() * 40);
    const p = [0.03, 0.06, 0.15][i % 3];
    const edges: Array<[number, number]> = [];
    for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) if (u !== v && rand() < p) edges.push([u, v]);
    // Every node appears in the file: isolated ones through a self-loop (dropped, but still a node).
    for (let v = 0; v < n; v++) edges.push([v, v]);
    return { i, n, edges, directed: i % 2 === 1 };
  });

  it.each(cases)('graph $i: $n nodes, directed=$directed', async ({ i, n, edges, directed }) => {
    const expected = oracle(n, edges, directed);
    const r = await exact(`random-${i}.txt`, edges, directed);
    expect(r.nodes).toBe(n);
    expect(r.distanceHistogram).toEqual(expected.histogram);
    if (expected.mean === null) expect(r.meanDistance).toBeNull();
    else expect(r.meanDistance).toBeCloseTo(expected.mean, 12);
    expect(r.reachablePairFraction).toBeCloseTo(expected.pairs / (n * (n - 1)), 12);
  });
});
