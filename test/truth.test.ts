/**
 * --exact on the real graphs in ../shared/datasets must reproduce the exact
 * figures of truth.json (computed there by python-igraph, every file read as a
 * simple undirected graph; `directed` holds figures with arcs followed).
 *
 * Cost of an exact run is about nodes x adjacency entries; graphs above
 * SMALLWORLD_TRUTH_BUDGET (default below) are skipped with the reason printed.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { estimateFile } from '../src/app/api.js';
import { DATASETS, haveShared, loadTruth, type Truth } from './helpers.js';

const BUDGET = Number(process.env.SMALLWORLD_TRUTH_BUDGET ?? 1e11); // every shared dataset: ~3 min with the multi-source kernel
const shared = haveShared();
const truth: Record<string, Truth> = shared ? loadTruth() : {};
const cost = (t: Truth) => t.nodes * 2 * t.undirectedEdges;
const names = Object.keys(truth).sort((a, b) => cost(truth[a]) - cost(truth[b]));
const affordable = names.filter((name) => cost(truth[name]) <= BUDGET);
for (const name of names)
  if (cost(truth[name]) > BUDGET)
    console.warn(`truth: skipping ${name}: exact cost ${cost(truth[name]).toExponential(1)} > budget ${BUDGET.toExponential(1)} (set SMALLWORLD_TRUTH_BUDGET to run it)`);

describe.skipIf(!shared)('exact figures of ../shared/datasets (undirected)', () => {
  it('runs at least six datasets', () => {
    expect(affordable.length).toBeGreaterThanOrEqual(6);
  });

  it.each(affordable)('%s', async (name) => {
    const t = truth[name];
    const r = await estimateFile(join(DATASETS, name), { exact: true, threads: 2 });
    expect(r.exact).toBe(true);
    expect(r.nodes).toBe(t.nodes);
    expect(r.edges).toBe(t.undirectedEdges);
    expect(r.selfLoops).toBe(t.selfLoopLines);
    expect(r.distanceHistogram).toEqual(t.distanceHistogram);
    expect(Math.abs(r.meanDistance! - t.meanDistance)).toBeLessThan(1e-9);
    expect(r.maxDistanceSeen).toBe(t.diameter);
    expect(Math.abs(r.effectiveDiameter90! - t.effectiveDiameter90)).toBeLessThanOrEqual(5e-5); // truth has 4 decimals
    const pairs = t.connectedOrderedPairs + t.unconnectedOrderedPairs;
    expect(r.reachablePairFraction).toBeCloseTo(t.connectedOrderedPairs / pairs, 12);
  });
});

const directedNames = names.filter((n) => truth[n].directed && cost(truth[n]) <= BUDGET);

describe.skipIf(!shared)('exact figures of ../shared/datasets (--directed)', () => {
  it.each(directedNames)('%s', async (name) => {
    const t = truth[name].directed!;
    const r = await estimateFile(join(DATASETS, name), { exact: true, directed: true, threads: 2 });
    expect(r.edges).toBe(t.arcs);
    expect(r.distanceHistogram).toEqual(t.distanceHistogram);
    expect(Math.abs(r.meanDistance! - t.meanDistance)).toBeLessThan(1e-9);
    expect(r.maxDistanceSeen).toBe(t.diameter);
    expect(Math.abs(r.effectiveDiameter90! - t.effectiveDiameter90)).toBeLessThanOrEqual(5e-5);
    expect(r.reachablePairFraction).toBeCloseTo(t.reachablePairFraction, 12);
  });
});
