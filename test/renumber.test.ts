import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { bfsOrder, computeOrder, degreeOrder, inOriginalOrder, isPermutation, permuteCsr, renumbered, worthRenumbering } from '../src/graph/renumber.js';
import type { Csr } from '../src/graph/csr.js';
import { loadGraph } from '../src/io/load.js';
import { readSwg, writeSwg } from '../src/io/swg.js';
import { estimateLoaded, loadWithHooks, lookupNode, personFigures } from '../src/app/run.js';
import { checkEstimateOptions } from '../src/app/options.js';
import { toJson } from '../src/app/report.js';
import { shortestPath } from '../src/algorithms/path.js';
import { ROOT, tempFile } from './helpers.js';

const SAMPLE = join(ROOT, 'data/sample-social.tsv');

/** Every list of `b` is the mapped list of `a`, sorted: the two CSRs are the same graph. */
function expectIsomorphic(a: Csr, b: Csr, toInternal: Uint32Array): void {
  expect(b.n).toBe(a.n);
  expect(b.neighbours.length).toBe(a.neighbours.length);
  for (let u = 0; u < a.n; u++) {
    const i = toInternal[u];
    const mapped = Array.from(a.neighbours.subarray(a.offsets[u], a.offsets[u + 1]), (v) => toInternal[v]).sort((x, y) => x - y);
    expect(Array.from(b.neighbours.subarray(b.offsets[i], b.offsets[i + 1]))).toEqual(mapped);
  }
}

/** The figures of an estimate, without what is measured (times, memory) rather than computed. */
function figures(r: Awaited<ReturnType<typeof estimateLoaded>>): unknown {
  // The file name and its text header differ between an edge list and its .swg; the rest must not.
  const { timings: _t, file: _f, header: _h, headerDecision: _d, ...rest } = toJson(r) as Record<string, unknown>;
  return rest;
}

// Two components of 4 people each (a tie: the one holding the first id read wins), a hub, string ids.
const TIE = ['p9 p3', 'p3 p4', 'p4 p5', 'hub a', 'hub b', 'hub c', 'p5 p9', 'a b'].join('\n') + '\n';

describe('renumbering for locality (src/graph/renumber.ts)', () => {
  it('degree order: highest degree first, ties by original number; BFS order: a permutation from the hub', async () => {
    const graph = await loadGraph(tempFile('tie.txt', TIE));
    // Nodes in order met: p9 p3 p4 p5 hub a b c; degrees 2 2 2 2 3 2 2 1.
    expect(Array.from(degreeOrder(graph.csr))).toEqual([4, 0, 1, 2, 3, 5, 6, 7]);
    const bfs = bfsOrder(graph.csr);
    expect(bfs[0]).toBe(4);
    expect(Array.from(bfs)).toEqual([4, 5, 6, 7, 0, 1, 3, 2]);
    expect(isPermutation(bfs)).toBe(true);
    expect(isPermutation(new Uint32Array([0, 0, 1]))).toBe(false);
  });

  it('the renumbered CSR is the same graph (undirected and directed), and numbering back gives the arrays exactly', async () => {
    for (const directed of [false, true]) {
      const graph = await loadGraph(SAMPLE, { directed });
      for (const method of ['degree', 'bfs'] as const) {
        const order = computeOrder(graph.csr, method);
        const csr = permuteCsr(graph.csr, order);
        expectIsomorphic(graph.csr, csr, order.toInternal);
        const back = permuteCsr(csr, order, 'out');
        expect(back.offsets).toEqual(graph.csr.offsets);
        expect(back.neighbours).toEqual(graph.csr.neighbours);
      }
    }
    expect(worthRenumbering((await loadGraph(SAMPLE)).csr)).toBe(false); // 160k arcs: below the threshold
  });

  it('same seed, same estimate bits with and without renumbering: sources, --person, --largest-component, --exact, --precision, HyperBall', async () => {
    const plain = await loadGraph(SAMPLE);
    const cases = [
      { samples: 100, seed: 7, person: '1234', threads: 2 },
      { samples: 50, seed: 3, threads: 1, largestComponent: true },
      { precision: 0.05, seed: 5, threads: 2 },
      { method: 'hyperball' as const, seed: 2, threads: 2, registers: 6 },
    ];
    for (const method of ['degree', 'bfs'] as const) {
      const graph = renumbered(plain, method);
      expect(graph.order).toBeDefined();
      for (const c of cases) {
        const s = checkEstimateOptions({ ...c, diameterBudgetSeconds: 5 });
        const a = figures(await estimateLoaded(plain, 0, s));
        const b = figures(await estimateLoaded(graph, 0, s));
        expect(b).toEqual(a);
      }
    }
    // --exact on a small graph with a tie for the largest component.
    const tie = await loadGraph(tempFile('tie2.txt', TIE));
    const s = checkEstimateOptions({ exact: true, largestComponent: true, threads: 2, diameterBudgetSeconds: 5 });
    const a = await estimateLoaded(tie, 0, s);
    const b = await estimateLoaded(renumbered(tie), 0, s);
    expect(figures(b)).toEqual(figures(a));
    expect(a.populationNodes).toBe(4);
  });

  it('a person by id: the same figures and the same id printed', async () => {
    const plain = await loadGraph(tempFile('tie3.txt', TIE));
    const graph = renumbered(plain);
    for (const id of ['p9', 'hub', 'c']) {
      const i = lookupNode(graph, id, '--person');
      expect(i).toBe(graph.order!.toInternal[plain.ids.lookup(id)]);
      expect(personFigures(graph, i)).toEqual(personFigures(plain, lookupNode(plain, id, '--person')));
      expect(personFigures(graph, i).id).toBe(id);
    }
  });

  it('.swg keeps the renumbered CSR and the order; estimate reads it as saved, other commands get original numbers back', async () => {
    const plain = await loadGraph(SAMPLE);
    const graph = renumbered(plain);
    const file = tempFile('renumbered.swg', '');
    await writeSwg(graph, file, { force: true });
    const read = await readSwg(file, { chunkBytes: 4096 });
    expect(read.order!.toOriginal).toEqual(graph.order!.toOriginal);
    expect(read.order!.toInternal).toEqual(graph.order!.toInternal);
    expect(read.csr.offsets).toEqual(graph.csr.offsets);
    expect(read.csr.neighbours).toEqual(graph.csr.neighbours);

    const forEstimate = await loadWithHooks(file, {}, {}, 'locality');
    expect(forEstimate.graph.order).toBeDefined();
    expect(forEstimate.renumberSeconds).toBe(0);
    const s = checkEstimateOptions({ samples: 64, seed: 11, threads: 2, diameterBudgetSeconds: 5 });
    expect(figures(await estimateLoaded(forEstimate.graph, 0, s))).toEqual(figures(await estimateLoaded(plain, 0, s)));

    const original = (await loadWithHooks(file, {}, {})).graph;
    expect(original.order).toBeUndefined();
    expect(original.csr.offsets).toEqual(plain.csr.offsets);
    expect(original.csr.neighbours).toEqual(plain.csr.neighbours);
    for (const [from, to] of [['0', '19999'], ['17', '4242'], ['100', '101']])
      expect(shortestPath(original, from, to)).toEqual(shortestPath(plain, from, to));
    expect(inOriginalOrder(plain)).toBe(plain);
  });

  it('a damaged order section is refused', async () => {
    const graph = renumbered(await loadGraph(tempFile('tie4.txt', TIE)));
    const file = tempFile('tie4.swg', '');
    await writeSwg(graph, file, { force: true });
    const bytes = readFileSync(file);
    // The order section is last: make its first entry repeat the second (the section's CRC-32 catches it first).
    const n = graph.csr.n;
    const at = bytes.length - 4 * n;
    bytes.writeUInt32LE(bytes.readUInt32LE(at + 4), at);
    writeFileSync(file, bytes);
    await expect(readSwg(file)).rejects.toThrow(/checksum mismatch in the order section/);
  });
});
