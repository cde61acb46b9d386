import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { InputError } from '../src/errors.js';
import { loadGraph, type LoadedGraph } from '../src/io/load.js';
import { ROOT, arcs, runCli, tempFile } from './helpers.js';

async function load(name: string, text: string | Buffer, opts = {}): Promise<LoadedGraph> {
  return loadGraph(tempFile(name, text), opts);
}

async function loadError(name: string, text: string | Buffer, opts = {}): Promise<InputError> {
  const err = await load(name, text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('formats', () => {
  it('reads SNAP-style lists with # and % comments, tabs and runs of spaces', async () => {
    const g = await load('snap.txt', '# Nodes: 3\n% konect style\n1\t2\n2   3  \n\n  3 1\n');
    expect(g.stats).toMatchObject({ nodes: 3, edges: 3, edgeLines: 3, selfLoops: 0, duplicates: 0 });
    expect(g.format.header).toBe(false);
    expect(arcs(g)).toEqual(['1-2', '1-3', '2-1', '2-3', '3-1', '3-2']);
  });

  it('detects a header row in CSV and reads columns by name', async () => {
    const g = await load('h.csv', 'node_1,node_2\n0,1\n1,2\n');
    expect(g.format.header).toBe(true);
    expect(g.format.headerFields).toEqual(['node_1', 'node_2']);
    expect(g.stats).toMatchObject({ nodes: 3, edges: 2, edgeLines: 2 });

    const text = 'when,follower,followed\n2020,alice,bob\n2021,"smith, jane",alice\n';
    const d = await load('named.csv', text, { sourceColumn: 'follower', targetColumn: 'followed', directed: true });
    expect(arcs(d)).toEqual(['alice-bob', 'smith, jane-alice']);
    const byNumber = await load('numbered.csv', text, { sourceColumn: '2', targetColumn: '3', directed: true });
    expect(arcs(byNumber)).toEqual(arcs(d));
  });

  it('ignores extra columns (weights, timestamps)', async () => {
    const g = await load('w.txt', '1 2 1082008561\n2 3 1082155839\n');
    expect(g.stats).toMatchObject({ nodes: 3, edges: 2 });
  });

  it('decides gzip by the magic bytes, not the name', async () => {
    const text = '1 2\n2 3\n';
    const gz = await load('looks-plain.txt', gzipSync(text));
    const plain = await load('looks-gzipped.gz', text);
    expect(gz.compressed).toBe(true);
    expect(plain.compressed).toBe(false);
    expect(arcs(gz)).toEqual(arcs(plain));
  });

  it('reads LF, CRLF and CR-only line endings, with or without a final newline', async () => {
    const lf = arcs(await load('lf.txt', '# c\n1\t2\n2\t3\n3\t4\n'));
    for (const [name, text] of [
      ['crlf.txt', '# c\r\n1\t2\r\n2\t3\r\n3\t4\r\n'],
      ['cr.txt', '# c\r1\t2\r2\t3\r3\t4\r'],
      ['noeol.txt', '# c\n1\t2\n2\t3\n3\t4'],
    ])
      expect(arcs(await load(name, text)), name).toEqual(lf);
  });

  it('reads a BOM-prefixed CSV', async () => {
    const g = await load('bom.csv', '\ufeffa,b\nx,y\n', { header: true });
    expect(g.format.headerFields[0]).toBe('a');
    expect(arcs(g)).toEqual(['x-y', 'y-x']);
  });
});

describe('edges', () => {
  it('collapses duplicate and reverse-duplicate edges and counts them', async () => {
    const text = '1 2\n2 1\n1 2\n2 3\n';
    const u = await load('dup.txt', text);
    expect(u.stats).toMatchObject({ nodes: 3, edges: 2, duplicates: 2, edgeLines: 4 });
    const d = await load('dup.txt', text, { directed: true });
    expect(d.stats).toMatchObject({ nodes: 3, edges: 3, duplicates: 1 });
    expect(arcs(d)).toEqual(['1-2', '2-1', '2-3']);
  });

  it('drops and counts self-loops, keeping a person seen only in a self-loop', async () => {
    const g = await load('loops.txt', '7 7\n1 2\n1 1\n');
    expect(g.stats).toMatchObject({ nodes: 3, edges: 1, selfLoops: 2 });
    expect(g.ids.lookup('7')).toBeGreaterThanOrEqual(0);
    expect(g.csr.offsets[g.ids.lookup('7') + 1] - g.csr.offsets[g.ids.lookup('7')]).toBe(0);
  });

  it('keeps ids beyond 2^53 distinct (they are tokens, not numbers)', async () => {
    expect(1234567890123456789 === 1234567890123456788).toBe(true); // why it matters
    const g = await load('big.txt', '1234567890123456789 1234567890123456788\n1234567890123456788 5\n');
    expect(g.stats).toMatchObject({ nodes: 3, edges: 2 });
    expect(arcs(g)).toContain('1234567890123456789-1234567890123456788');
  });

  it('stores sorted adjacency, both ways when undirected', async () => {
    const g = await load('sorted.txt', '5 1\n5 3\n5 2\n1 3\n');
    const { offsets, neighbours } = g.csr;
    for (let u = 0; u < g.csr.n; u++) {
      const list = Array.from(neighbours.subarray(offsets[u], offsets[u + 1]));
      expect(list).toEqual([...list].sort((a, b) => a - b));
    }
    expect(offsets[g.csr.n]).toBe(8);
    expect(neighbours.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('bad input stops with file and line', () => {
  it('a line with one column', async () => {
    const err = await loadError('short.txt', '# header\n1 2\n3 4\n5\n6 7\n');
    expect(err.line).toBe(4);
    expect(err.reason).toBe('expected 2 columns, found 1');
  });

  it('an empty id', async () => {
    const err = await loadError('empty-id.csv', 'a,b\nx,y\nz,\n', { header: true });
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/empty node id in column 2/);
  });

  it('an unterminated quote', async () => {
    const err = await loadError('quote.csv', 'a,b\nx,y\n"z,w\nu,v\n', { header: true });
    expect(err.line).toBe(3);
    expect(err.reason).toMatch(/unterminated quote/);
  });

  it('a truncated gzip file', async () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `${i} ${i + 1}`).join('\n');
    const gz = gzipSync(lines);
    const err = await loadError('cut.gz', gz.subarray(0, gz.length >> 1));
    expect(err.reason).toMatch(/gzip data ends early/);
    expect(err.line).toBeGreaterThan(1);
  });

  it('binary garbage, an empty file, a comment-only file', async () => {
    expect((await loadError('bin.dat', Buffer.from([1, 2, 0, 3, 10, 4]))).reason).toMatch(/binary/);
    expect((await loadError('empty.txt', '')).reason).toMatch(/empty/);
    expect((await loadError('comments.txt', '# only\n# comments\n')).reason).toMatch(/no edges/);
  });

  it('a missing file and a directory', async () => {
    const missing = await loadGraph('/nonexistent/edges.txt').catch((e: unknown) => e);
    expect((missing as InputError).reason).toBe('no such file');
    const dir = await loadGraph('/tmp').catch((e: unknown) => e);
    expect((dir as InputError).reason).toMatch(/is a directory/);
  });
});

describe('--skip-bad-lines', () => {
  it('counts malformed lines, keeps the first few with their numbers, and loads the rest', async () => {
    const lines = ['1 2', 'x', '2 3', ...Array.from({ length: 7 }, () => 'lonely'), '3 4'];
    const g = await load('skippy.txt', lines.join('\n') + '\n', { skipBadLines: true });
    expect(g.stats).toMatchObject({ nodes: 4, edges: 3, edgeLines: 3, badLines: 8, lines: 11 });
    expect(g.stats.badLineExamples).toEqual([2, 4, 5, 6, 7].map((line) => ({ line, reason: 'expected 2 columns, found 1' })));
  });

  it('shows them in the summary and in JSON', () => {
    const file = tempFile('skippy.csv', 'a,b\n1,2\n,3\n2,3\n');
    const text = runCli(['estimate', file, '--skip-bad-lines', '--exact']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/bad lines skipped +1 \(line 3: empty node id in column 1\)/);
    const json = JSON.parse(runCli(['estimate', file, '--skip-bad-lines', '--exact', '--json']).stdout);
    expect(json.badLinesSkipped).toBe(1);
    expect(json.badLineExamples).toEqual([{ line: 3, reason: 'empty node id in column 1' }]);
    expect(json.edges).toBe(2);
  });
});

describe('every bad input: one line with file, line and reason, exit code 1', () => {
  const lines = Array.from({ length: 30000 }, (_, i) => `${i} ${i + 1}`).join('\n');
  const gz = gzipSync(lines);
  const cases: Array<[string, () => string, string]> = [
    ['missing column', () => tempFile('c1.txt', '1 2\n3\n'), ':2: expected 2 columns, found 1'],
    ['empty id', () => tempFile('c2.csv', 'a,b\n1,2\n3,\n'), ':3: empty node id in column 2'],
    ['unterminated quote', () => tempFile('c3.csv', 'a,b\n"x,y\n1,2\n'), ':2: unterminated quoted field'],
    ['binary garbage', () => tempFile('c4.bin', Buffer.from('1 2\n\u0000\u0001\u0002')), ':2: binary data, not a text edge list'],
    ['gzip ending early', () => tempFile('c5.gz', gz.subarray(0, gz.length >> 1)), 'gzip data ends early (truncated file?)'],
    ['empty file', () => tempFile('c6.txt', ''), ': empty file: no edges'],
    ['no such file', () => '/nonexistent/edges.txt', ': no such file'],
    ['a directory', () => ROOT, ': is a directory, not an edge list'],
    ['cannot be read', () => '/etc/hostname/edges.txt', ': cannot be read: a part of the path is not a directory'],
  ];
  it.each(cases)('%s', (_, makeFile, expected) => {
    const file = makeFile();
    const r = runCli(['estimate', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`smallworld: ${file}`)).toBe(true);
    expect(lines[0]).toContain(expected);
    if (expected.startsWith(':')) expect(lines[0]).toBe(`smallworld: ${file}${expected}`);
    if (file.endsWith('c5.gz')) expect(lines[0]).toMatch(/c5\.gz:\d{3,}: gzip data ends early/);
  });
});

describe('the CLI on bad input', () => {
  it('prints one line with file and line, exits non-zero, no stack trace', () => {
    const file = tempFile('edges.csv', 'a,b\n1,2\n3\n');
    const r = runCli(['estimate', file, '--header']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`smallworld: ${file}:3: expected 2 columns, found 1\n`);
  });

  it('reports a missing file the same way', () => {
    const r = runCli(['estimate', '/nonexistent/edges.txt']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('smallworld: /nonexistent/edges.txt: no such file\n');
  });

  it('rejects a bad option value with one line', () => {
    const r = runCli(['estimate', 'x.txt', '--samples', 'many']);
    expect(r.status).toBe(2); // a usage error, found before x.txt (which does not exist) is read
    expect(r.stderr).toBe('smallworld: --samples many: expected an integer >= 1\n');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
