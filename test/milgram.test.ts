/**
 * `smallworld milgram` on facebook_combined: completed chains are never shorter
 * than the shortest path; `common` beats `random`; with attrition the completion
 * rate falls with distance and the Dodds et al. correction brings the median
 * back within a hop of the attrition-free one (5 seeds). Rules on small graphs.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadGraph, milgram } from '../src/index.js';
import { DATASETS, haveShared, runCli, tempFile } from './helpers.js';
import { oracleDistances, readOracle } from './oracle-graph.js';

const shared = haveShared();

describe.skipIf(!shared)('milgram on facebook_combined', () => {
  const file = join(DATASETS, 'facebook_combined.txt.gz');

  it('attrition 0: every completed chain is at least the shortest distance (checked by an independent BFS); common beats random', async () => {
    const graph = await loadGraph(file);
    const oracle = readOracle(file);
    const common = await milgram(graph, { pairs: 1000, seed: 1, strategy: 'common', chains: true });
    const random = await milgram(graph, { pairs: 1000, seed: 1, strategy: 'random', chains: true });
    const degree = await milgram(graph, { pairs: 1000, seed: 1, strategy: 'degree' });
    for (const r of [common, random]) {
      expect(r.started).toBe(1000);
      expect(r.outcomes.dropped).toBe(0);
      const done = r.chains!.filter((c) => c.outcome === 'completed');
      expect(done.length).toBe(r.completed);
      for (const c of done.slice(0, 200)) expect(c.shortest).toBe(oracleDistances(oracle, c.from).get(c.to));
      for (const c of done) expect(c.steps).toBeGreaterThanOrEqual(c.shortest!);
      expect(r.stretch.meanExcess!).toBeGreaterThanOrEqual(0);
      expect(r.stretch.meanRatio!).toBeGreaterThanOrEqual(1);
    }
    // The same pairs for every strategy (same seed).
    expect(random.chains!.map((c) => [c.from, c.to])).toEqual(common.chains!.map((c) => [c.from, c.to]));
    console.log(
      `facebook_combined, 1000 pairs, seed 1: common completes ${common.completed} (mean ${common.completedLength.mean!.toFixed(2)} hops, median ${common.completedLength.median}), ` +
        `degree ${degree.completed} (mean ${degree.completedLength.mean!.toFixed(2)}), random ${random.completed} (mean ${random.completedLength.mean!.toFixed(2)}, median ${random.completedLength.median}); ` +
        `shortest mean ${common.shortestDistance.mean!.toFixed(2)}`,
    );
    expect(common.completedLength.mean!).toBeLessThan(random.completedLength.mean!);
    expect(common.completionRate).toBeGreaterThan(random.completionRate);
    // Compared on the pairs both completed, too.
    const both = common.chains!.flatMap((c, i) => (c.outcome === 'completed' && random.chains![i].outcome === 'completed' ? [[c.steps, random.chains![i].steps]] : []));
    expect(both.length).toBeGreaterThan(50);
    expect(both.reduce((a, [x]) => a + x, 0)).toBeLessThan(both.reduce((a, [, y]) => a + y, 0));
    graph.close();
  });

  it('attrition 0.25: completion falls with distance; the corrected median is within one hop of the attrition-free one (5 seeds)', async () => {
    const graph = await loadGraph(file);
    for (const seed of [1, 2, 3, 4, 5]) {
      const free = await milgram(graph, { pairs: 1000, seed });
      const lossy = await milgram(graph, { pairs: 1000, seed, attrition: 0.25 });
      expect(lossy.outcomes.dropped).toBeGreaterThan(0);
      expect(lossy.completionRate).toBeLessThan(free.completionRate);
      const rows = lossy.byDistance.filter((d) => d.started >= 40);
      expect(rows.length).toBeGreaterThanOrEqual(3);
      // Strictly falling until it reaches 0.
      for (let i = 1; i < rows.length; i++)
        if (rows[i - 1].rate > 0) expect(rows[i].rate, `seed ${seed} distance ${rows[i].distance}`).toBeLessThan(rows[i - 1].rate);
        else expect(rows[i].rate).toBe(0);
      // Surviving chains are biased short; the weighting 1/(1-P)^L undoes it.
      expect(lossy.corrected.mean!).toBeGreaterThan(lossy.completedLength.mean!);
      console.log(
        `seed ${seed}: attrition-free median ${free.completedLength.median} (completion ${free.completionRate}), with 0.25: completed median ${lossy.completedLength.median}, ` +
          `corrected median ${lossy.corrected.median} mean ${lossy.corrected.mean!.toFixed(2)}, completion ${lossy.completionRate}, rates by distance ${rows.map((d) => `${d.distance}:${d.rate.toFixed(2)}`).join(' ')}`,
      );
      expect(Math.abs(lossy.corrected.median! - free.completedLength.median!)).toBeLessThanOrEqual(1);
    }
    graph.close();
  });
});

describe('milgram rules on small graphs', () => {
  // A path a-b-c-d-e with a shortcut hub h linked to b, d and e.
  const file = tempFile('milgram.txt', 'a b\nb c\nc d\nd e\nh b\nh d\nh e\n');

  it('delivers to the target through whoever knows it; common picks the friend whose friends know the target', async () => {
    const pairs = tempFile('pairs.txt', '# starter target\na e\nb e\ne e\n');
    const r = await milgram(file, { pairsFile: pairs, strategy: 'common', chains: true });
    // a -> b; b's friends c (friends b, d: d knows e) and h (friends b, d, e: d knows e; h knows e itself) -> either scores 1... h knows e directly.
    expect(r.chains!.map((c) => [c.from, c.to, c.outcome, c.steps, c.shortest])).toEqual([
      ['a', 'e', 'completed', 3, 3],
      ['b', 'e', 'completed', 2, 2],
      ['e', 'e', 'completed', 0, 0],
    ]);
    expect(r.completionRate).toBe(1);
    expect(r.corrected.median).toBe(2);
  });

  it('a dead end, too long, and dropped letters', async () => {
    const star = tempFile('star.txt', 'a b\nb c\nc d\nb x\n');
    const dead = await milgram(star, { pairsFile: tempFile('p1.txt', 'x d\n'), strategy: 'degree', seed: 3, chains: true });
    expect(['completed', 'dead end']).toContain(dead.chains![0].outcome);
    const long = await milgram(file, { pairsFile: tempFile('p2.txt', 'a e\n'), maxSteps: 1, chains: true });
    expect(long.chains![0]).toMatchObject({ outcome: 'too long', steps: 1 });
    const dropped = await milgram(file, { pairs: 200, attrition: 0.9, seed: 2 });
    expect(dropped.outcomes.dropped).toBeGreaterThan(150);
  });

  it('CLI: text, --json, exit codes', () => {
    const r = runCli(['milgram', file, '--pairs', '20', '--seed', '4']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/20 letters \(random pairs from the largest component\), strategy common, attrition 0/);
    expect(r.stdout).toMatch(/completed \d+ of 20/);
    const j = JSON.parse(runCli(['milgram', file, '--pairs', '20', '--json', '--attrition', '0.1']).stdout);
    expect(j.started).toBe(20);
    expect(j.corrected.mean).not.toBeNull();
    expect(runCli(['milgram', file, '--attrition', '1']).status).toBe(2);
    expect(runCli(['milgram', file, '--strategy', 'psychic']).status).toBe(2);
    expect(runCli(['milgram', file, '--pairs', '3', '--pairs-file', 'x']).status).toBe(2);
    expect(runCli(['milgram', file, '--pairs-file', tempFile('bad-pairs.txt', 'a e\nnobody e\n')]).status).toBe(2);
    const badLine = runCli(['milgram', file, '--pairs-file', tempFile('bad-line.txt', 'a e\na\n')]);
    expect(badLine.status).toBe(1);
    expect(badLine.stderr).toMatch(/bad-line.txt:2: expected two ids/);
    expect(runCli(['milgram', '/no/such/file', '--pairs', '2']).status).toBe(1);
  });
});
