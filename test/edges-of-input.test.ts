/**
 * Issue #10, "No silent damage at the edges": the header rule (a first line is a
 * header only on evidence, and the summary/JSON say how it was decided), CRLF
 * files counted once per line, and messages that say what to do.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { InputError } from '../src/errors.js';
import { loadGraph, type LoadedGraph, type LoadOptions } from '../src/io/load.js';
import { countLines, scanRange } from '../src/io/scan.js';
import { detectFormat } from '../src/io/sniff.js';
import { writeSwg } from '../src/io/swg.js';
import { DATASETS, arcs, haveShared, runCli, tempFile } from './helpers.js';

/** Loads with both parsers; they must agree on the graph, the counts and the header decision. */
async function loadBoth(file: string, opts: LoadOptions = {}): Promise<LoadedGraph> {
  const auto = await loadGraph(file, { ...opts, parser: 'auto' });
  const csv = await loadGraph(file, { ...opts, parser: 'csv' });
  expect(arcs(csv)).toEqual(arcs(auto));
  expect(csv.stats).toEqual(auto.stats);
  expect(csv.format).toEqual(auto.format);
  return auto;
}

function hops(file: string, from: string, to: string, extra: string[] = []): number | null {
  const r = runCli(['path', '-q', '--json', file, from, to, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).hops;
}

function estimateJson(file: string, extra: string[] = []): Record<string, unknown> {
  const r = runCli(['estimate', '-q', '--json', file, ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

function summaryHeaderLine(file: string, extra: string[] = []): string {
  const r = runCli(['estimate', '-q', file, ...extra]);
  expect(r.status).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith('  header '));
  expect(line).toBeDefined();
  return line!.replace(/^ {2}header +/, '');
}

const NIGHTS_WATCH = 'Aemon,Grenn,5\nGrenn,Pyp,3\nPyp,Sam,1\nSam,Jon,2\nJon,Aemon,4\nEdd,Jon,1\n';
const NIGHTS_WATCH_ARCS = 12; // 6 undirected edges, both directions

describe('header: a first line is a header only on evidence', () => {
  it('header: a names CSV without a header keeps its first edge (Aemon,Grenn,5), with both parsers', async () => {
    const file = tempFile('watch.csv', NIGHTS_WATCH);
    const g = await loadBoth(file);
    expect(g.format.header).toBe(false);
    expect(g.format.headerDecision).toBe('none: first line is data (an id on it occurs again)');
    expect(g.stats).toMatchObject({ lines: 6, edgeLines: 6, nodes: 6, edges: 6 });
    expect(arcs(g)).toContain('Aemon-Grenn');
    expect(arcs(g)).toHaveLength(NIGHTS_WATCH_ARCS);
    // The old rule read line 1 as a header: Aemon-Grenn went through Jon, 2 hops.
    expect(hops(file, 'Aemon', 'Grenn')).toBe(1);

    const json = estimateJson(file);
    expect(json).toMatchObject({ nodes: 6, edges: 6, edgeLines: 6, header: null, headerDecision: 'none: first line is data (an id on it occurs again)' });
    expect(summaryHeaderLine(file)).toBe('none: first line is data (an id on it occurs again); --header if it is a header');
  });

  it('header: the same names CSV under a header row (source,target,weight) gives the same graph', async () => {
    const file = tempFile('watch-header.csv', 'source,target,weight\n' + NIGHTS_WATCH);
    const g = await loadBoth(file);
    expect(g.format).toMatchObject({ header: true, headerFields: ['source', 'target', 'weight'], headerDecision: 'detected: column names' });
    expect(g.stats).toMatchObject({ lines: 7, edgeLines: 6, nodes: 6, edges: 6 });
    expect(arcs(g)).toEqual(arcs(await loadGraph(tempFile('watch-again.csv', NIGHTS_WATCH))));
    expect(hops(file, 'Aemon', 'Grenn')).toBe(1);
    expect(estimateJson(file)).toMatchObject({ header: ['source', 'target', 'weight'], headerDecision: 'detected: column names' });
    expect(summaryHeaderLine(file)).toBe('row (source, target, weight), detected: column names; --no-header reads it as data');

    // Semicolons, Gephi's capitalised names, a _id variant: the same.
    for (const head of ['Source;Target;Weight', 'user_id;friend_id;since', 'FromNodeId;ToNodeId;w']) {
      const semi = await loadBoth(tempFile('watch-semi.csv', `${head}\n${NIGHTS_WATCH.replaceAll(',', ';')}`));
      expect(semi.format.headerDecision).toBe('detected: column names');
      expect(semi.stats).toMatchObject({ edgeLines: 6, nodes: 6, edges: 6 });
    }
  });

  it('header: José,Zoë / Zoë,Łukasz (UTF-8 names, no header) keeps every edge, with both parsers', async () => {
    const text = 'José,Zoë\nZoë,Łukasz\nŁukasz,Ana\n';
    const file = tempFile('utf8.csv', text);
    const g = await loadBoth(file);
    expect(g.format.header).toBe(false);
    expect(g.stats).toMatchObject({ lines: 3, edgeLines: 3, nodes: 4, edges: 3 });
    expect(arcs(g)).toContain('José-Zoë');
    expect(hops(file, 'José', 'Zoë')).toBe(1);

    // With a header row: the same graph; gzipped and with a BOM: the same too.
    const withHeader = await loadBoth(tempFile('utf8-header.csv', 'from,to\n' + text));
    expect(withHeader.format.headerDecision).toBe('detected: column names');
    expect(arcs(withHeader)).toEqual(arcs(g));
    const gz = await loadBoth(tempFile('utf8-bom.csv.gz', '\ufeff' + text, true));
    expect(gz.format.header).toBe(false);
    expect(arcs(gz)).toEqual(arcs(g));
  });

  it('header: a first row whose ids never recur and that names no columns is data (no evidence)', async () => {
    // Neither Mance nor Tormund occurs again and neither looks like a column name: data.
    const g = await loadBoth(tempFile('no-evidence.csv', 'Mance,Tormund\nJon,Ygritte\nYgritte,Orell\n'));
    expect(g.format).toMatchObject({ header: false, headerDecision: 'none: first line is data (no sign of a header)' });
    expect(g.stats).toMatchObject({ edgeLines: 3, nodes: 5, edges: 3 });
  });

  it('header: column-like names are data when they occur again (u,v / v,w) or share the ids\' shape (user_1,user_2)', async () => {
    const uv = await loadBoth(tempFile('uv.csv', 'u,v\nv,w\nw,u\n'));
    expect(uv.format.headerDecision).toBe('none: first line is data (an id on it occurs again)');
    expect(uv.stats).toMatchObject({ edgeLines: 3, nodes: 3, edges: 3 });

    const users = await loadBoth(tempFile('users.csv', 'user_1,user_2\nuser_5,user_9\nuser_9,user_7\n'));
    expect(users.format.header).toBe(false);
    expect(users.stats).toMatchObject({ edgeLines: 3, nodes: 5, edges: 3 });
    // node_1,node_2 over numeric ids (the Deezer/MUSAE files): a header.
    const musae = await loadBoth(tempFile('musae.csv', 'node_1,node_2\n0,1\n1,2\n'));
    expect(musae.format).toMatchObject({ header: true, headerDecision: 'detected: column names' });
  });

  it('header: a non-numeric first row over numeric rows is a header; one whose ids recur is data', async () => {
    const g = await loadBoth(tempFile('people.csv', 'Person A,Person B\n1,2\n2,3\n3,1\n'));
    expect(g.format).toMatchObject({ header: true, headerFields: ['Person A', 'Person B'], headerDecision: 'detected: first row non-numeric, rest numeric' });
    expect(g.stats).toMatchObject({ edgeLines: 3, nodes: 3, edges: 3 });
    // Whitespace lists too (the old rule's case); but alice occurring again makes line 1 data.
    const mixed = await loadBoth(tempFile('mixed.txt', 'alice bob\n1 2\n2 alice\n'));
    expect(mixed.format.header).toBe(false);
    expect(mixed.stats).toMatchObject({ edgeLines: 3, nodes: 4, edges: 3 });
  });

  it('header: --header, --no-header and a column given by name decide, and the summary names the flag that reverses it', async () => {
    const named = tempFile('named.csv', 'follower_id,followee_id,since\nAemon,Grenn,2020\nGrenn,Pyp,2021\n');
    const watch = tempFile('watch-forced.csv', NIGHTS_WATCH);
    expect((await loadBoth(watch, { header: true })).format).toMatchObject({ header: true, headerFields: ['Aemon', 'Grenn', '5'], headerDecision: 'forced by --header' });
    expect((await loadBoth(named, { header: false })).format.headerDecision).toBe('none: forced by --no-header');
    const byName = await loadBoth(named, { sourceColumn: 'followee_id', targetColumn: 'follower_id', directed: true });
    expect(byName.format.headerDecision).toBe('implied by --source-column followee_id');
    expect(arcs(byName)).toEqual(['Grenn-Aemon', 'Pyp-Grenn']);

    expect(summaryHeaderLine(watch, ['--header'])).toBe('row (Aemon, Grenn, 5), forced by --header; --no-header reads it as data');
    expect(summaryHeaderLine(named, ['--no-header'])).toBe('none: forced by --no-header; --header if it is a header');
    expect(estimateJson(watch, ['--header'])).toMatchObject({ edgeLines: 5, header: ['Aemon', 'Grenn', '5'], headerDecision: 'forced by --header' });
    expect(estimateJson(named, ['--source-column', 'follower_id'])).toMatchObject({ edgeLines: 2, headerDecision: 'implied by --source-column follower_id' });
  });

  it.skipIf(!haveShared())('header: every shared dataset with a header row (from,to / node_1,node_2 / id_1,id_2) is detected; the others have none', () => {
    const withHeader: Record<string, string[]> = {
      'ENGB_edges.csv.gz': ['from', 'to'],
      'HU_edges.csv.gz': ['node_1', 'node_2'],
      'deezer_europe_edges.csv.gz': ['node_1', 'node_2'],
      'facebook_edges.csv.gz': ['id_1', 'id_2'],
    };
    const others = ['soc-sign-bitcoinalpha.csv.gz', 'CollegeMsg.txt.gz', 'CA-GrQc.txt.gz', 'karate.txt.gz', 'facebook_combined.txt.gz'];
    const sample = (name: string) => gunzipSync(readFileSync(join(DATASETS, name))).subarray(0, 64 * 1024).toString('utf8');
    for (const [name, fields] of Object.entries(withHeader))
      expect(detectFormat(sample(name)), name).toMatchObject({ header: true, headerFields: fields, headerDecision: 'detected: column names' });
    for (const name of others) expect(detectFormat(sample(name)), name).toMatchObject({ header: false });
  });
});

describe('CRLF: a CRLF line end is one line', () => {
  const lf = '# c\n1\t2\n2\t3\n3\t4\n';
  const crlf = lf.replaceAll('\n', '\r\n');
  const cr = lf.replaceAll('\n', '\r');
  const bytes = (s: string) => new TextEncoder().encode(s);
  const params = { delimiter: 0, sourceIndex: 0, targetIndex: 1, skipFirstDataLine: false, columns: 2 };

  it('CRLF: the pair buffer of a CRLF file is sized for its lines once, as for LF (and CR-only)', () => {
    expect(countLines(bytes(lf), 0, lf.length)).toBe(5); // 4 line ends + a possible unterminated last line
    expect(countLines(bytes(crlf), 0, crlf.length)).toBe(5); // was 9: CR and LF each counted
    expect(countLines(bytes(cr), 0, cr.length)).toBe(5);
    const [a, b, c] = [lf, crlf, cr].map((s) => scanRange(bytes(s), 0, bytes(s).length, params));
    expect(b.pairs.length).toBe(a.pairs.length); // capacity: 2 per line
    expect(c.pairs.length).toBe(a.pairs.length);
    expect([b.lines, b.count]).toEqual([a.lines, a.count]);
    // A range that ends between CR and LF still counts that line (an upper bound must stay one).
    expect(countLines(bytes('1 2\r\n3 4\r'), 0, 10)).toBe(3);
  });

  it('CRLF: loading a CRLF file counts the same lines and edges as LF, with both parsers', async () => {
    const a = await loadBoth(tempFile('lf.txt', lf));
    const b = await loadBoth(tempFile('crlf.txt', crlf));
    expect(b.stats).toEqual(a.stats);
    expect(b.stats).toMatchObject({ lines: 4, edgeLines: 3, edges: 3 });
    expect(arcs(b)).toEqual(arcs(a));
  });
});

describe('wording: messages that say what to do', () => {
  async function swgBytes(): Promise<Buffer> {
    const out = tempFile('g.swg', '');
    await writeSwg(await loadGraph(tempFile('for-swg.csv', NIGHTS_WATCH)), out, { force: true });
    return readFileSync(out);
  }

  it('wording: .swg on stdin says to give it by path (exit 1, not "binary data")', async () => {
    const r = runCli(['estimate', '-q', '-'], await swgBytes());
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('smallworld: -: a .swg graph file on standard input: .swg files are read by path, not from stdin; give the file name instead of -\n');
    expect(r.stderr).not.toContain('binary data');
    // By path it reads, with every edge.
    const byPath = tempFile('by-path.swg', await swgBytes());
    expect(hops(byPath, 'Aemon', 'Grenn')).toBe(1);
  });

  it('wording: a gzipped .swg says to gunzip it first (by path and on stdin)', async () => {
    const gz = gzipSync(await swgBytes());
    const file = tempFile('g.swg.gz', gz);
    const r = runCli(['path', '-q', file, 'Aemon', 'Grenn']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`smallworld: ${file}: a gzipped .swg graph file: .swg files are read uncompressed; gunzip it first, then give the .swg path\n`);
    const s = runCli(['estimate', '-q', '-'], gz);
    expect(s.status).toBe(1);
    expect(s.stderr).toBe('smallworld: -: a gzipped .swg graph file on standard input: .swg files are read by path, uncompressed; gunzip it to a file and give its name\n');
    await expect(loadGraph(file)).rejects.toBeInstanceOf(InputError);
  });

  it('wording: --skip-bad-lines where every line is bad says all N data lines were bad, and the first', async () => {
    const file = tempFile('all-bad.csv', 'Aemon\nGrenn\n\nPyp,\n');
    for (const parser of ['auto', 'csv'] as const) {
      const err = await loadGraph(file, { skipBadLines: true, parser }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).reason).toBe('no edges: all 3 data lines were bad (first: line 1: expected 2 columns, found 1)');
    }
    const r = runCli(['estimate', '-q', '--skip-bad-lines', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`smallworld: ${file}: no edges: all 3 data lines were bad (first: line 1: expected 2 columns, found 1)\n`);
    expect(r.stderr).not.toContain('only comments');
    const one = tempFile('one-bad.csv', '# c\nAemon\n');
    expect(runCli(['estimate', '-q', '--skip-bad-lines', one]).stderr).toBe(`smallworld: ${one}: no edges: the one data line was bad (line 2: expected 2 columns, found 1)\n`);
  });

  it('wording: a file with only a header row says so and names --no-header; only comments says that', async () => {
    const head = tempFile('only-header.csv', 'source,target\n');
    const r = runCli(['estimate', '-q', head]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`smallworld: ${head}: no edges: only a header row (source, target), comments or blank lines; --no-header reads that row as data\n`);
    const comments = tempFile('only-comments.txt', '# a\n% b\n\n');
    expect(runCli(['estimate', '-q', comments]).stderr).toBe(`smallworld: ${comments}: no edges: only comments or blank lines\n`);
  });
});
