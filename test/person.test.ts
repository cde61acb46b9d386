/**
 * `smallworld person`: the counts at each hop against an independent BFS (the
 * file read again by the test into an ngraph.graph) for 50 seeded random people
 * on three shared datasets; the standing among sampled people; --list; the
 * unknown person and the person outside the largest component; the CLI.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadGraph, personReport } from '../src/index.js';
import { mulberry32 } from '../src/stats/random.js';
import { wilson } from '../src/stats/intervals.js';
import { DATASETS, haveShared, runCli, tempFile } from './helpers.js';
import { oracleDistances, readOracle } from './oracle-graph.js';

const shared = haveShared();

describe.skipIf(!shared)('person: counts at each hop equal an independent BFS', () => {
  for (const name of ['karate.txt.gz', 'facebook_combined.txt.gz', 'CA-GrQc.txt.gz']) {
    it(`${name}: 50 random people`, async () => {
      const file = join(DATASETS, name);
      const oracle = readOracle(file);
      const ids: string[] = [];
      oracle.forEachNode((node) => {
        ids.push(String(node.id));
      });
      const graph = await loadGraph(file);
      expect(graph.nodes).toBe(ids.length);
      const rand = mulberry32(14);
      for (let k = 0; k < 50; k++) {
        const id = ids[Math.floor(rand() * ids.length)];
        const r = await personReport(graph, id, { samples: 0 });
        const expected: number[] = [0];
        for (const d of oracleDistances(oracle, id).values()) {
          if (d === 0) continue;
          while (expected.length <= d) expected.push(0);
          expected[d]++;
        }
        expect(r.hopCounts, `${name} person ${id}`).toEqual(expected);
        expect(r.reached).toBe(expected.reduce((a, b) => a + b, 0));
        expect(r.withinHops[r.withinHops.length - 1]).toBe(r.reached);
      }
      graph.close();
    });
  }

  it('facebook_combined: the standing among 400 sampled people, with a Wilson interval', async () => {
    const file = join(DATASETS, 'facebook_combined.txt.gz');
    const r = await personReport(file, '107', { samples: 400, seed: 3 });
    // 107 is the best-connected person (degree 1045): closer to everyone than almost anyone.
    expect(r.hopCounts[1]).toBe(1045);
    expect(r.standing!.sampled).toBe(400);
    expect(r.standing!.closerThan).toBeGreaterThan(0.95);
    expect(r.standing!.closerThanCi95[0]).toBeLessThan(r.standing!.closerThan);
    expect(r.standing!.closerThanCi95[1]).toBeGreaterThanOrEqual(r.standing!.closerThan);
    // Same seed, same answer.
    const again = await personReport(file, '107', { samples: 400, seed: 3 });
    expect(again.standing).toEqual(r.standing);
  });

  it('CLI: --list, --json, outside the largest component, unknown person (exit 2)', () => {
    const file = join(DATASETS, 'karate.txt.gz');
    const r = runCli(['person', file, '1', '--list', '3', '--json', '--samples', '0']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.hopCounts).toEqual([0, 16, 9, 8]);
    expect(j.list).toEqual([
      { hops: 1, people: 16, ids: ['2', '3', '4'] },
      { hops: 2, people: 9, ids: ['10', '17', '25'] },
      { hops: 3, people: 8, ids: ['15', '16', '19'] },
    ]);
    const text = runCli(['person', file, '34', '--samples', '50']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/1st degree|closer to everyone than \d+\.\d% of people \(95% CI/);
    const unknown = runCli(['person', file, 'nobody']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/nobody: no such node id/);
    const bad = runCli(['person', file, '1', '--list', '-1']);
    expect(bad.status).toBe(2);
  });
});

describe('person on a small file', () => {
  it('outside the largest component: says so, and no standing', () => {
    const file = tempFile('two-parts.tsv', 'a\tb\nb\tc\nc\td\nx\ty\n');
    const r = runCli(['person', file, 'x', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.note).toBe('x reaches only 1 person: outside the largest component of 4');
    expect(j.standing).toBeNull();
    const text = runCli(['person', file, 'x']);
    expect(text.stdout).toContain('x reaches only 1 person: outside the largest component of 4');
    const inside = JSON.parse(runCli(['person', file, 'b', '--json']).stdout);
    expect(inside.hopCounts).toEqual([0, 2, 1]);
    expect(inside.meanDistance).toBeCloseTo(4 / 3, 12);
    // a, c, d sampled: means 2, 4/3, 2; b (4/3) is closer than a and d, tied with c.
    expect(inside.standing).toMatchObject({ sampled: 3, fartherCount: 2, tiedCount: 1 });
    const bad = runCli(['person', file]);
    expect(bad.status).toBe(2);
    const missing = runCli(['person', '/no/such.tsv', 'a']);
    expect(missing.status).toBe(1);
  });

  it('.swg input: person, path --alternatives and milgram read it as they read the edge list', () => {
    const edges = tempFile('swg-people.tsv', 'a\tb\nb\tc\nc\td\na\te\ne\td\n');
    const swg = tempFile('swg-people.swg', '');
    expect(runCli(['convert', '-q', '--force', edges, swg]).status).toBe(0);
    for (const args of [['person', 'a', '--json', '--list', '2'], ['path', 'a', 'd', '--json', '--alternatives', '2'], ['milgram', '--pairs', '5', '--json']]) {
      const fromText = runCli([args[0], '-q', edges, ...args.slice(1)]);
      const fromSwg = runCli([args[0], '-q', swg, ...args.slice(1)]);
      expect(fromSwg.status, fromSwg.stderr).toBe(0);
      const strip = (o: Record<string, unknown>) => ({ ...o, file: undefined });
      expect(strip(JSON.parse(fromSwg.stdout))).toEqual(strip(JSON.parse(fromText.stdout)));
    }
  });

  it('wilson', () => {
    const [lo, hi] = wilson(80, 100);
    expect(lo).toBeCloseTo(0.7112, 3);
    expect(hi).toBeCloseTo(0.8666, 3);
  });
});
