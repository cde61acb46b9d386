/**
 * `smallworld timeline`: on CollegeMsg (timestamps in column 3), 10 cumulative
 * snapshots whose node and edge counts never fall, the last one equal to a plain
 * estimate of the whole file with the same seed (undirected and directed);
 * ISO dates and --every on a small CSV; the errors.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { estimate, timeline } from '../src/index.js';
import { cuts } from '../src/app/timeline.js';
import { DATASETS, haveShared, runCli, tempFile } from './helpers.js';

const shared = haveShared();

describe.skipIf(!shared)('timeline on CollegeMsg', () => {
  const file = join(DATASETS, 'CollegeMsg.txt.gz');
  for (const directed of [false, true]) {
    it(`10 snapshots (${directed ? 'directed' : 'undirected'}): counts never fall, the last equals estimate with the same seed`, async () => {
      const r = await timeline(file, { timeColumn: '3', snapshots: 10, seed: 5, samples: 300, directed });
      expect(r.snapshots).toHaveLength(10);
      for (let i = 1; i < r.snapshots.length; i++) {
        expect(r.snapshots[i].nodes).toBeGreaterThanOrEqual(r.snapshots[i - 1].nodes);
        expect(r.snapshots[i].edges).toBeGreaterThanOrEqual(r.snapshots[i - 1].edges);
        expect(r.snapshots[i].edgeLines).toBeGreaterThan(r.snapshots[i - 1].edgeLines);
        expect(r.snapshots[i].until).toBeGreaterThan(r.snapshots[i - 1].until);
      }
      for (const s of r.snapshots) {
        expect(s.meanDistanceCi95![0]).toBeLessThanOrEqual(s.meanDistance!);
        expect(s.meanDistanceCi95![1]).toBeGreaterThanOrEqual(s.meanDistance!);
        expect(s.effectiveDiameter90).not.toBeNull();
      }
      const whole = await estimate(file, { seed: 5, samples: 300, directed, diameterBudgetSeconds: 0 });
      const last = r.snapshots[9];
      expect(last.nodes).toBe(whole.nodes);
      expect(last.edges).toBe(whole.edges);
      expect(last.meanDistance).toBe(whole.meanDistance);
      expect(last.distanceHistogram).toEqual(whole.distanceHistogram);
      expect(last.withinHopsFraction).toEqual(whole.withinHopsFraction);
      expect(last.effectiveDiameter90).toBe(whole.effectiveDiameter90);
      expect(last.meanDistanceCi95).toEqual(whole.meanDistanceCi95);
      expect(last.edgeLines).toBe(59835);
      console.log(
        `CollegeMsg ${directed ? 'directed' : 'undirected'}: nodes ${r.snapshots.map((s) => s.nodes).join(' ')}; mean distance ${r.snapshots.map((s) => s.meanDistance!.toFixed(3)).join(' ')}; ` +
          `estimate ${whole.meanDistance} = last ${last.meanDistance}`,
      );
    });
  }

  it('CLI: text and --every 30d', () => {
    const r = runCli(['timeline', file, '--time-column', '3', '--every', '30d', '--samples', '100', '--json']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.everySeconds).toBe(30 * 86400);
    expect(j.snapshots.length).toBe(Math.ceil((j.to - j.from) / (30 * 86400)));
    const text = runCli(['timeline', file, '--time-column', '3', '--snapshots', '3', '--samples', '100']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/3 cumulative snapshots by 3, undirected, seed 1, 100 sources each/);
    expect(text.stdout.trim().split('\n')).toHaveLength(5);
  });
});

describe('timeline on small files', () => {
  const csv = tempFile(
    'timed.csv',
    'from,to,when\na,b,2020-01-01\nb,c,2020-01-15T12:00:00Z\nc,d,2020-02-01\nd,e,2020-03-01\na,e,2020-03-02\n',
  );

  it('ISO dates by header name; snapshots grow', async () => {
    const r = await timeline(csv, { timeColumn: 'when', snapshots: 4, exact: true });
    // Cuts at 15.25, 30.5, 45.75 and 61 days after 2020-01-01.
    expect(r.snapshots.map((s) => [s.nodes, s.edges])).toEqual([
      [3, 2],
      [3, 2],
      [4, 3],
      [5, 5],
    ]);
    // a-b-c: distances 1, 1, 2 each way.
    expect(r.snapshots[0].meanDistance).toBeCloseTo(4 / 3, 12);
    // The 5-cycle: mean distance 1.5.
    expect(r.snapshots[3].meanDistance).toBeCloseTo(1.5, 12);
    expect(r.snapshots[3].untilIso).toBe('2020-03-02T00:00:00.000Z');
  });

  it('cuts', () => {
    expect(cuts(0, 100, 4, null)).toEqual([25, 50, 75, 100]);
    expect(cuts(0, 100, null, 30)).toEqual([30, 60, 90, 100]);
    expect(cuts(0, 90, null, 30)).toEqual([30, 60, 90]);
  });

  it('errors: exit codes', () => {
    expect(runCli(['timeline', csv]).status).toBe(2); // no --time-column
    expect(runCli(['timeline', csv, '--time-column', 'when', '--snapshots', '3', '--every', '1d']).status).toBe(2);
    expect(runCli(['timeline', csv, '--time-column', 'when', '--every', '3 years']).status).toBe(2);
    const unknown = runCli(['timeline', csv, '--time-column', 'date']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/--time-column date: no such column in the header/);
    const bad = runCli(['timeline', tempFile('bad-time.txt', '1 2 100\n2 3 soon\n'), '--time-column', '3']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/bad-time.txt:2: time "soon" is neither epoch seconds nor an ISO date/);
    expect(runCli(['timeline', '/no/such/file', '--time-column', '3']).status).toBe(1);
  });

  it('a .swg is refused (it keeps no time column); stdin works', () => {
    const swg = tempFile('t.swg', '');
    const conv = runCli(['convert', '-q', '--force', csv, swg]);
    expect(conv.status).toBe(0);
    const r = runCli(['timeline', swg, '--time-column', '3']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/keeps no time column/);
    const s = runCli(['timeline', '-', '--time-column', '3', '--exact', '--json'], '1 2 10\n2 3 20\n');
    expect(s.status).toBe(0);
    expect(JSON.parse(s.stdout).snapshots.at(-1)).toMatchObject({ nodes: 3, edges: 2 });
  });
});
