/**
 * Issue 10: the CLI's contract at the edges. Each test is named after the issue's
 * item and shows the old behaviour is gone: the message, the exit code, no
 * result lost.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { estimate, type ProgressEvent } from '../src/index.js';
import { ROOT, runCli, tempFile } from './helpers.js';

const SAMPLE = 'data/sample-social.tsv';
const TRIANGLE = tempFile('triangle.txt', '1 2\n2 3\n3 1\n');
const PATH4 = tempFile('path4.txt', 'a b\nb c\nc d\n');
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('(run with --help'));
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  return lines[0];
}

describe('7. exit codes: 0 ok, 1 bad data, 2 usage, 3 internal', () => {
  it('--version prints the package version, exit 0', () => {
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it("commander's own errors (unknown option, missing argument, bad choice) exit 2, not 1", () => {
    for (const args of [['estimate', SAMPLE, '--bogus'], ['estimate'], ['path', SAMPLE, '1'], ['estimate', SAMPLE, '--method', 'magic'], ['frobnicate']]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(/^smallworld: /);
    }
  });

  it('bad values, an unknown person and an unknown column exit 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [['estimate', SAMPLE, '--samples', '0'], /--samples 0: expected an integer >= 1/],
      [['estimate', SAMPLE, '--method', 'hyperball', '--registers', '13'], /--registers 13: expected an integer from 4 to 12/],
      [['estimate', SAMPLE, '--person', 'nobody', '--samples', '10'], /--person nobody: no such node id in data\/sample-social.tsv/],
      [['estimate', SAMPLE, '--source-column', 'user_id'], /source column 'user_id'/],
      [['path', SAMPLE, '0', 'nobody'], /<to> nobody: no such node id/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(message);
    }
  });

  it('bad input data exits 1 with file and line', () => {
    const bad = tempFile('bad.txt', '1 2\n3\n');
    const r = runCli(['estimate', bad]);
    expect(r.status).toBe(1);
    expect(oneLine(r.stderr)).toBe(`smallworld: ${bad}:2: expected 2 columns, found 1`);
  });

  it('an internal error is one line saying so, exit 3; the stack only with SMALLWORLD_DEBUG=1', () => {
    // A broken install: the built BFS worker is missing.
    const copy = mkdtempSync(join(tmpdir(), 'smallworld-broken-'));
    try {
      cpSync(join(ROOT, 'dist'), join(copy, 'dist'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(copy, 'package.json'));
      cpSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), { recursive: true, dereference: false, verbatimSymlinks: true });
      rmSync(join(copy, 'dist/workers/bfs-worker.js'));
      const cli = join(copy, 'dist/src/app/cli.js');
      const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [cli, 'estimate', join(ROOT, SAMPLE), '--samples', '10'], { encoding: 'utf8', env: { ...process.env, ...env } });
      const r = run({ SMALLWORLD_DEBUG: '' });
      expect(r.status).toBe(3);
      expect(oneLine(r.stderr)).toMatch(/^smallworld: internal error: worker .*bfs-worker.js is missing.*this is a bug/);
      const debug = run({ SMALLWORLD_DEBUG: '1' });
      expect(debug.status).toBe(3);
      expect(debug.stderr).toMatch(/\n\s+at /);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('5. conflicting or ignored options are usage errors, before any work', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--method', 'hyperball', '--precision', '0.001'], /--precision works with sampled BFS only/],
    [['--exact', '--method', 'hyperball'], /--exact and --method hyperball conflict/],
    [['--registers', '8'], /--registers sets HyperBall's counters: add --method hyperball/],
    [['--samples', '500', '--exact'], /--samples and --exact conflict/],
    [['--method', 'hyperball', '--largest-component'], /--largest-component works with --method bfs only/],
    [['--precision', '0.01', '--samples', '100'], /--precision chooses the number of sources itself/],
    [['--method', 'hyperball', '--kernel', 'dobfs'], /--kernel picks a BFS kernel/],
  ];
  for (const [flags, message] of cases) {
    it(`${flags.join(' ')}: exit 2, and no file is read (a missing file is not reported)`, () => {
      const r = runCli(['estimate', '/no/such/file.txt', ...flags]);
      expect(r.status).toBe(2);
      expect(oneLine(r.stderr)).toMatch(message);
    });
  }

  it('an unknown --person is found right after the load, before the estimate', async () => {
    const stages: ProgressEvent['stage'][] = [];
    await expect(estimate(SAMPLE, { person: 'nobody', onProgress: (e) => stages.push(e.stage) })).rejects.toThrow(/no such node id/);
    expect(stages).toContain('load');
    expect(stages).not.toContain('bfs');
  });
});

describe('6. a multi-file run goes on after a failure', () => {
  it('estimate a missing b: a row each, the error in its row, exit 1 after doing the others', () => {
    const r = runCli(['estimate', TRIANGLE, '/no/such/file.txt', PATH4, '--exact', '--quiet']);
    expect(r.status).toBe(1);
    const rows = r.stdout.split('\n');
    expect(rows.find((l) => l.startsWith(TRIANGLE))).toMatch(/\bok\b.*3 edges/);
    expect(rows.find((l) => l.startsWith('/no/such/file.txt'))).toMatch(/\berror\b/);
    expect(rows.find((l) => l.startsWith(PATH4))).toMatch(/\bok\b/);
    expect(r.stdout).toContain('error: /no/such/file.txt: no such file');
  });

  it('JSON gets { file, status: "error", error } entries', () => {
    const r = runCli(['estimate', TRIANGLE, '/no/such/file.txt', '--exact', '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toHaveLength(2);
    expect(json[0]).toMatchObject({ file: TRIANGLE, status: 'ok', nodes: 3, meanDistance: 1 });
    expect(json[1]).toEqual({ file: '/no/such/file.txt', status: 'error', error: '/no/such/file.txt: no such file' });
  });

  it('a person missing from one file is reported for that file only', () => {
    const r = runCli(['estimate', TRIANGLE, PATH4, '--person', 'a', '--exact', '--json']);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json[0]).toMatchObject({ status: 'error', error: `--person a: no such node id in ${TRIANGLE}` });
    expect(json[1]).toMatchObject({ status: 'ok', person: { id: 'a', reached: 3, hopCounts: [0, 1, 1, 1] } });
  });

  it('the table shows the exact diameter when known and says arcs for directed graphs', () => {
    const r = runCli(['estimate', TRIANGLE, PATH4, '--exact', '--directed', '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/diameter/);
    const row = r.stdout.split('\n').find((l) => l.startsWith(PATH4))!;
    expect(row).toMatch(/3 arcs/);
    // path4 directed: a -> b -> c -> d, diameter 3
    expect(row.split(/\s{2,}/)).toContain('3');
  });
});

describe('4. HyperBall reports only what it measured', () => {
  it('fractions within [0, 1] with their interval, no kernel and no BFS rate', () => {
    const r = runCli(['estimate', SAMPLE, '--method', 'hyperball', '--registers', '6', '--json', '--diameter-budget', '0']);
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.kernel).toBeNull();
    expect(j.timings.arcsPerSecond).toBeNull();
    expect(j.reachablePairFraction).toBeLessThanOrEqual(1);
    for (const f of j.withinHopsFraction) expect(f >= 0 && f <= 1).toBe(true);
    expect(j.withinHopsFractionCi95).toHaveLength(j.withinHopsFraction.length);
    for (const [lo, hi] of j.withinHopsFractionCi95) expect(0 <= lo && lo <= hi && hi <= 1).toBe(true);
    const text = runCli(['estimate', SAMPLE, '--method', 'hyperball', '--registers', '6', '--diameter-budget', '0']).stdout;
    const time = text.split('\n').find((l) => l.trim().startsWith('time'))!;
    expect(time).toMatch(/HyperBall \d+\.\d\d s \(\d+ hops\)/);
    expect(time).not.toMatch(/BFS|kernel|arcs\/s/);
    const reachable = Number(/reachable pairs\s+([\d.]+)%/.exec(text)![1]);
    expect(reachable).toBeLessThanOrEqual(100);
  });
});

describe('9. wording', () => {
  it('a list with every edge both ways says so instead of "dropped N duplicate edges"', () => {
    const both = tempFile('both-ways.txt', '1 2\n2 1\n2 3\n3 2\n');
    const text = runCli(['estimate', both, '--exact']).stdout;
    expect(text).toMatch(/every edge is listed twice \(symmetric exports give both directions\): 2 second copies merged/);
    expect(text).not.toMatch(/dropped \d+ duplicate/);
  });

  it('directed diameter bounds of a graph too large for a BFS from every node are not blamed on the time budget', async () => {
    const { exactDiameter, DIRECTED_ALL_SOURCES_LIMIT } = await import('../src/algorithms/diameter.js');
    const { loadGraph } = await import('../src/io/load.js');
    // A hub with arcs to and from everyone: diameter 2, but n * arcs above the limit, so only sweeps run.
    const n = Math.ceil(Math.sqrt(DIRECTED_ALL_SOURCES_LIMIT / 2)) + 10;
    const lines: string[] = [];
    for (let i = 1; i < n; i++) lines.push(`0\t${i}`, `${i}\t0`);
    const graph = await loadGraph(tempFile('cycle.tsv', lines.join('\n') + '\n'), { directed: true });
    const d = exactDiameter(graph.csr, { timeBudgetSeconds: 60 });
    expect(d.exact).toBe(false);
    expect(d.bounds[0]).toBe(2);
    expect(d.boundsReason).toBe('too large for a BFS from every node');
  });
});
