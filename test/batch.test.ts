/**
 * Issue 11 part 1: smallworld batch. On a folder of five real shared datasets, a
 * malformed file and a README: six rows (five ok, one error), the README listed
 * as skipped, exit 1; a rerun skips all six in a fraction of the time; a run
 * killed midway resumes without redoing what finished. Manifests carry
 * per-dataset options, checked before anything runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { collectDatasets, runBatch, UsageError, type BatchRecord } from '../src/index.js';
import { CLI, DATASETS, haveShared, loadTruth, ROOT, runCli } from './helpers.js';

const shared = haveShared();
// Big enough that a first run takes seconds even on a quiet machine, so the rerun's share measures skipping, not Node's start-up.
const FIVE = ['karate', 'Email-Enron', 'CA-CondMat', 'facebook_combined', 'soc-Slashdot0902'];
const BAD = 'bad.tsv';
const BAD_TEXT = '1\t2\n2\t3\n4\n';

function scratch(label: string): string {
  return mkdtempSync(join(tmpdir(), `smallworld-batch-${label}-`));
}

/** A folder with the five datasets (symlinks), a malformed edge list and a README. */
function acceptanceFolder(): string {
  const dir = scratch('in');
  for (const name of FIVE) symlinkSync(join(DATASETS, `${name}.txt.gz`), join(dir, `${name}.txt.gz`));
  writeFileSync(join(dir, BAD), BAD_TEXT);
  writeFileSync(join(dir, 'README.md'), '# what these files are\n');
  return dir;
}

function jsonlLines(out: string): string[] {
  return readFileSync(join(out, 'results.jsonl'), 'utf8').split('\n').filter((l) => l !== '');
}

function csvRows(out: string): Array<Record<string, string>> {
  return parse(readFileSync(join(out, 'results.csv'), 'utf8'), { columns: true });
}

function timed(args: string[]) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

/** The checks every finished acceptance batch passes: six rows, five ok with the truth's sizes, one error with its message. */
function checkSixRows(out: string, input: string) {
  const rows = csvRows(out);
  expect(rows).toHaveLength(6);
  expect(rows.map((r) => r.name).sort()).toEqual([...FIVE, 'bad'].sort());
  expect(rows.filter((r) => r.status === 'ok')).toHaveLength(5);
  const bad = rows.find((r) => r.name === 'bad')!;
  expect(bad).toMatchObject({ status: 'error', error: `${join(input, BAD)}:3: expected 2 columns, found 1`, nodes: '' });
  const truth = loadTruth();
  for (const name of FIVE) {
    const row = rows.find((r) => r.name === name)!;
    const t = truth[`${name}.txt.gz`];
    expect(Number(row.nodes), name).toBe(t.nodes);
    expect(Number(row.edges), name).toBe(t.undirectedEdges);
    expect(row.directed).toBe('false');
    expect(Number(row.seed)).toBe(1);
    expect(Number(row.diameter), name).toBe(t.diameter);
    // Seed 1, 1000 sources (all 34 of karate's: exact): the interval holds the exact mean.
    expect(Number(row.meanDistanceCiLow), name).toBeLessThanOrEqual(t.meanDistance + 1e-9);
    expect(Number(row.meanDistanceCiHigh), name).toBeGreaterThanOrEqual(t.meanDistance - 1e-9);
  }
  expect(Number(rows.find((r) => r.name === 'karate')!.meanDistance)).toBeCloseTo(truth['karate.txt.gz'].meanDistance, 9);
}

describe.runIf(shared)('batch acceptance: five shared datasets, a malformed file, a README', () => {
  const input = acceptanceFolder();
  const out = join(scratch('out'), 'results'); // created by batch
  const args = ['batch', input, '--out', out, '--threads', '2'];
  let first: ReturnType<typeof timed>;

  let reportMtime = 0;
  it('first run: 6 rows in results.csv (5 ok, 1 error with its message), README listed as skipped, exit 1', () => {
    first = timed(args);
    expect(first.status, first.stderr).toBe(1);
    expect(first.stderr).toContain(`skipped ${join(input, 'README.md')}: not an edge list`);
    expect(first.stderr).toContain(`smallworld: bad: ${join(input, BAD)}:3: expected 2 columns, found 1`);
    expect(first.stdout).toContain('6 datasets: 5 ok, 1 failed (6 run now, 0 already done)');
    checkSixRows(out, input);
    const records = jsonlLines(out).map((l) => JSON.parse(l) as BatchRecord);
    expect(records).toHaveLength(6);
    const karate = records.find((r) => r.name === 'karate')!;
    expect(karate).toMatchObject({ status: 'ok', file: join(input, 'karate.txt.gz'), nodes: 34, edges: 78, method: 'bfs' });
    expect(karate.fingerprint).toMatchObject({ over: 'content', size: 178 });
    expect(karate.options).toMatchObject({ method: 'bfs', samples: 1000, seed: 1, exact: false, directed: false, sourceColumn: null });
    const bad = records.find((r) => r.name === 'bad')!;
    expect(bad).toMatchObject({ status: 'error', error: `${join(input, BAD)}:3: expected 2 columns, found 1`, exitCode: 1 });
    // report.html: every dataset's section, the failure listed, nothing loaded from outside.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    for (const name of FIVE) expect(html, name).toContain(`>${name}<`);
    expect(html).toContain('expected 2 columns, found 1');
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
    reportMtime = statSync(join(out, 'report.html')).mtimeMs;
  });

  it('second run: skips all 6, says so, same exit code, under 10% of the first run\'s time', () => {
    const before = readFileSync(join(out, 'results.jsonl'), 'utf8');
    const second = timed(args);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('skipped 6 datasets already done (use --force to redo)');
    expect(second.stdout).toContain('6 datasets: 5 ok, 1 failed (0 run now, 6 already done)');
    expect(statSync(join(out, 'report.html')).mtimeMs, 'nothing ran: report.html is not redrawn').toBe(reportMtime);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(before);
    checkSixRows(out, input);
    console.log(`batch acceptance: first run ${first.seconds.toFixed(2)} s, second run ${second.seconds.toFixed(2)} s (${((100 * second.seconds) / first.seconds).toFixed(1)}%)`);
    expect(second.seconds).toBeLessThan(0.1 * first.seconds);
  });

  it('killed midway (SIGKILL after the first results.jsonl line) and started again: the rest completes, nothing finished is redone', async () => {
    const out2 = join(scratch('killed'), 'results');
    const jsonl = join(out2, 'results.jsonl');
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, 'batch', input, '--out', out2, '--threads', '2'], { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let linesAtKill: string[] = [];
    for (;;) {
      await new Promise((r) => setTimeout(r, 20));
      if (existsSync(jsonl) && readFileSync(jsonl, 'utf8').includes('\n')) {
        child.kill('SIGKILL');
        break;
      }
      if (child.exitCode !== null) break;
    }
    await exited;
    const killedAfter = (performance.now() - t0) / 1000;
    linesAtKill = jsonlLines(out2);
    expect(linesAtKill.length).toBeGreaterThanOrEqual(1);
    expect(linesAtKill.length, 'the kill came before the batch finished').toBeLessThan(6);
    // As if the kill had landed mid-write: a torn last line with no newline.
    appendFileSync(jsonl, '{"name":"Wiki-Vote","file":"/torn');

    const resumed = timed(['batch', input, '--out', out2, '--threads', '2']);
    expect(resumed.status).toBe(1);
    const n = linesAtKill.length;
    expect(resumed.stderr).toContain(`skipped ${n} dataset${n === 1 ? '' : 's'} already done (use --force to redo)`);
    expect(resumed.stdout).toContain(`6 datasets: 5 ok, 1 failed (${6 - n} run now, ${n} already done)`);
    const lines = jsonlLines(out2);
    // Every dataset once, the finished ones first and byte for byte unchanged; the torn line is gone.
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, n)).toEqual(linesAtKill);
    const names = lines.map((l) => (JSON.parse(l) as BatchRecord).name);
    expect(new Set(names).size).toBe(6);
    expect(readFileSync(jsonl, 'utf8').endsWith('}\n')).toBe(true);
    const finished = lines.map((l) => Date.parse((JSON.parse(l) as BatchRecord).finishedAt));
    for (let i = n; i < 6; i++) expect(finished[i]).toBeGreaterThan(finished[n - 1]);
    checkSixRows(out2, input);
    console.log(
      `batch killed after ${killedAfter.toFixed(2)} s with ${n} dataset${n === 1 ? '' : 's'} done (${names.slice(0, n).join(', ')}); ` +
        `resumed run ${resumed.seconds.toFixed(2)} s for the other ${6 - n}`,
    );
  });
});

describe.runIf(shared)('batch --force and what counts as already done', () => {
  it('--force redoes every dataset; a changed file or changed options redo only what they touch', async () => {
    const dir = scratch('force');
    const out = join(dir, 'out');
    symlinkSync(join(DATASETS, 'karate.txt.gz'), join(dir, 'karate.txt.gz'));
    writeFileSync(join(dir, 'triangle.tsv'), '1\t2\n2\t3\n3\t1\n');
    const options = { out, threads: 2, diameterBudgetSeconds: 5 };
    const first = await runBatch([dir], options);
    expect(first.ran).toEqual(['karate', 'triangle']);
    expect(first.exitCode).toBe(0);
    expect((await runBatch([dir], options)).alreadyDone).toEqual(['karate', 'triangle']);
    const forced = await runBatch([dir], { ...options, force: true });
    expect(forced.ran).toEqual(['karate', 'triangle']);
    // The --out folder inside the input folder is not read as input.
    expect(forced.skippedFiles).toEqual([{ file: out, reason: 'the --out folder' }]);
    expect(jsonlLines(out)).toHaveLength(4);
    expect(csvRows(out)).toHaveLength(2); // the latest line of each name

    writeFileSync(join(dir, 'triangle.tsv'), '1\t2\n2\t3\n3\t4\n'); // now a path: mean distance 5/3
    const changed = await runBatch([dir], options);
    expect(changed.ran).toEqual(['triangle']);
    expect(changed.alreadyDone).toEqual(['karate']);
    const triangle = changed.records.find((r) => r.name === 'triangle')!;
    expect(triangle.status === 'ok' && triangle.meanDistance).toBeCloseTo(5 / 3, 12);

    const reseeded = await runBatch([dir], { ...options, seed: 2 });
    expect(reseeded.ran).toEqual(['karate', 'triangle']);
    // Threads do not change the figures (same seed, same answer), so they do not count.
    expect((await runBatch([dir], { ...options, seed: 2, threads: 1 })).ran).toEqual([]);
  });
});

describe.runIf(shared)('batch --manifest: per-dataset options', () => {
  it('a directed dataset and one with columns by name (ENGB_edges.csv.gz: from,to) get their own options and the truth\'s sizes', () => {
    const dir = scratch('manifest');
    const rel = (f: string) => relative(dir, join(DATASETS, f));
    const manifest = join(dir, 'datasets.csv');
    writeFileSync(
      manifest,
      ['name,path,directed,source_column,target_column,delimiter,samples', `email directed,${rel('email-Eu-core.txt.gz')},true,,,,300`, `engb,${rel('ENGB_edges.csv.gz')},,from,to,comma,`, ''].join('\n'),
    );
    const out = join(dir, 'out');
    const r = runCli(['batch', '--manifest', manifest, '--out', out, '--threads', '2', '--diameter-budget', '10']);
    expect(r.status, r.stderr).toBe(0);
    const records = jsonlLines(out).map((l) => JSON.parse(l) as BatchRecord);
    expect(records.map((x) => x.name)).toEqual(['email directed', 'engb']);
    const truth = loadTruth();
    const [email, engb] = records;
    if (email.status !== 'ok' || engb.status !== 'ok') throw new Error(JSON.stringify(records));
    expect(email.file).toBe(join(DATASETS, 'email-Eu-core.txt.gz'));
    expect(email.options).toMatchObject({ directed: true, samples: 300 });
    expect(email).toMatchObject({ directed: true, nodes: 1005, edges: truth['email-Eu-core.txt.gz'].directed!.arcs, sources: 300 });
    expect(email.reachablePairFraction).toBeCloseTo(truth['email-Eu-core.txt.gz'].directed!.reachablePairFraction, 1);
    expect(engb.options).toMatchObject({ directed: false, samples: 1000, sourceColumn: 'from', targetColumn: 'to', delimiter: 'comma' });
    expect(engb).toMatchObject({ nodes: truth['ENGB_edges.csv.gz'].nodes, edges: truth['ENGB_edges.csv.gz'].undirectedEdges, header: ['from', 'to'] });
    expect(engb.meanDistanceCi95![0]).toBeLessThanOrEqual(truth['ENGB_edges.csv.gz'].meanDistance);
    expect(engb.meanDistanceCi95![1]).toBeGreaterThanOrEqual(truth['ENGB_edges.csv.gz'].meanDistance);
    const rows = csvRows(out);
    expect(rows.map((x) => [x.name, x.directed, x.nodes])).toEqual([
      ['email directed', 'true', '1005'],
      ['engb', 'false', String(truth['ENGB_edges.csv.gz'].nodes)],
    ]);
  });

  it('a bad row is a usage error naming it, before any dataset runs (exit 2, nothing written)', () => {
    const dir = scratch('badmanifest');
    const manifest = join(dir, 'm.csv');
    const cases: Array<[string, string[], RegExp]> = [
      ['name,path,samples\nok,a.txt,10\nbroken,b.txt,0\n', [], /^smallworld: --manifest .*m\.csv line 3 \(broken\): --samples 0: expected an integer >= 1$/],
      ['name,path,samples\nok,a.txt,10\n', ['--exact'], /^smallworld: --manifest .*m\.csv line 2 \(ok\): --samples and --exact conflict/],
      ['name,path,directed\nok,a.txt,maybe\n', [], /line 2 \(ok\): directed maybe: expected true or false$/],
      ['name,path,colour\nok,a.txt,red\n', [], /unknown column colour/],
      ['name,path\nx,a.txt\nx,b.txt\n', [], /line 3 \(x\): the name x is already used on line 2/],
    ];
    for (const [text, extra, message] of cases) {
      writeFileSync(manifest, text);
      const out = join(dir, 'out');
      const r = runCli(['batch', '--manifest', manifest, '--out', out, ...extra]);
      expect(r.status, text).toBe(2);
      expect(r.stderr.trim()).toMatch(message);
      expect(existsSync(out), text).toBe(false);
    }
  });
});

describe('batch inputs', () => {
  it('folders recursively by extension (.gz too), names without extensions, parent folder in front when two collide', async () => {
    const dir = scratch('names');
    mkdirSync(join(dir, 'a', 'deep'), { recursive: true });
    mkdirSync(join(dir, 'b'));
    mkdirSync(join(dir, 'old-run'));
    for (const f of ['a/graph.txt', 'b/graph.tsv.gz', 'a/deep/x.edges', 'b/y.el', 'b/z.swg', 'notes.txt.bak', 'a/README.md', 'old-run/results.csv', 'old-run/results.jsonl'])
      writeFileSync(join(dir, f), '1 2\n');
    const { datasets, skippedFiles } = await collectDatasets([dir], {});
    expect(datasets.map((d) => [d.name, relative(dir, d.file)])).toEqual([
      ['x', 'a/deep/x.edges'],
      ['a/graph', 'a/graph.txt'],
      ['b/graph', 'b/graph.tsv.gz'],
      ['y', 'b/y.el'],
      ['z', 'b/z.swg'],
    ]);
    expect(skippedFiles.map((s) => relative(dir, s.file))).toEqual(['a/README.md', 'notes.txt.bak', 'old-run/results.csv', 'old-run/results.jsonl']);
    expect(skippedFiles[2].reason).toBe("a batch's results (beside results.jsonl), not an edge list");
  });

  it('nothing to run, or no --out: usage errors', async () => {
    const empty = scratch('empty');
    writeFileSync(join(empty, 'README.md'), 'x');
    await expect(collectDatasets([empty], {})).rejects.toThrow(UsageError);
    await expect(collectDatasets([empty], {})).rejects.toThrow(/no edge lists found in .* \(1 other file skipped\)/);
    const r = runCli(['batch', empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out/);
  });
});
