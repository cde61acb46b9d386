/**
 * Issue #10, "No silent damage at the edges": files that are not edge lists are
 * refused (they used to load as a few odd edges, exit 0); a line with another
 * column count than the first data line is a bad line; and a bad line or a line
 * the scanner cannot take no longer sends the rest of the file to csv-parse (the
 * 60x cliff): the scanner resumes at the next plain line.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { loadGraph, type LoadOptions } from '../src/io/load.js';
import { csvOptions, expectWidth, splitPlainLine } from '../src/io/records.js';
import type { EdgeListFormat } from '../src/io/sniff.js';
import { mulberry32 } from '../src/stats/random.js';
import { ROOT, runCli, tempFile } from './helpers.js';

/** Runs `estimate --exact` on `text` and expects the one-line refusal, exit 1, nothing on stdout. */
function expectRefused(name: string, text: string, reason: RegExp, extra: string[] = []): void {
  const file = tempFile(name, text);
  const r = runCli(['estimate', file, '--exact', ...extra]);
  expect(r.stdout).toBe('');
  expect(r.status).toBe(1);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`smallworld: ${file}: does not look like an edge list (`)).toBe(true);
  expect(lines[0]).toMatch(reason);
}

function randomPairs(n: number, seed: number, nodes = 5000): string[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, () => `${Math.floor(rand() * nodes)}\t${Math.floor(rand() * nodes)}`);
}

describe('not an edge list', () => {
  it('not an edge list: a Markdown README is refused', () => {
    // This project's README (it used to load as a graph, mean distance and all, exit 0).
    expectRefused('README.md', readFileSync(join(ROOT, 'README.md'), 'utf8'), /Markdown at line 1: '# smallworld'/);
    // A tiny one: "hello world" used to be 2 nodes and 1 edge, mean distance 1.0.
    expectRefused('NOTES.md', '# notes\n\nhello world\n', /Markdown at line 1/);
    expectRefused('NOTES2.md', '# notes\n\nhello world\n', /Markdown/, ['--skip-bad-lines']);
    expectRefused('CHANGES.md', 'Changes\n\n## 1.2\n\n- faster loading of big files\n- fewer bugs\n', /Markdown at line 3: '## 1.2'/);
  });

  it('not an edge list: JSON is refused', () => {
    expectRefused('edges.json', '{"edges": [[1, 2], [2, 3]]}\n', /starts with '\{': JSON\?/);
    expectRefused('edges2.json', '[\n  {"source": 1, "target": 2},\n  {"source": 2, "target": 3}\n]\n', /starts with '\[': JSON\?/);
  });

  it('not an edge list: HTML is refused', () => {
    expectRefused('page.html', '<!DOCTYPE html>\n<html><body>\n<p>1 2</p>\n</body></html>\n', /starts with '<!DOCTYPE': HTML\?/);
    expectRefused('page2.html', '<html>\n<body>1 2</body>\n</html>\n', /starts with '<': HTML or XML\?/);
  });

  it('not an edge list: prose is refused', () => {
    const prose = [
      'Dear all,',
      'the network we collected last spring is attached, as promised.',
      'It has about two thousand people in it and the friendships between them.',
      'Let me know if anything looks wrong.',
      'Best,',
      'Sam',
    ].join('\n');
    expectRefused('letter.txt', prose + '\n', /lines 1, 2 and 3 have .* columns: text, not id pairs\?/);
    expectRefused('letter2.txt', prose + '\n', /text, not id pairs/, ['--skip-bad-lines']);
  });

  it('a line with another column count is a bad line: strict mode stops at it, with its line number', () => {
    const file = tempFile('width.txt', '# c\n1 2\n2 3\n3 4 5\n4 1\n');
    const r = runCli(['estimate', file, '--exact']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`smallworld: ${file}:4: expected 2 columns, found 3\n`);
    const skipped = JSON.parse(runCli(['estimate', file, '--exact', '--json', '--skip-bad-lines']).stdout);
    expect(skipped.badLinesSkipped).toBe(1);
    expect(skipped.badLineExamples).toEqual([{ line: 4, reason: 'expected 2 columns, found 3' }]);
    expect(skipped.edges).toBe(3);
  });

  it('a consistent extra column still loads', async () => {
    const weighted = await loadGraph(tempFile('weights.txt', '1 2 0.5\n2 3 1.5\n3 4 7\n4 1 2\n'));
    expect(weighted.stats).toMatchObject({ edges: 4, edgeLines: 4, badLines: 0 });
    const csv = await loadGraph(tempFile('times.csv', 'src,dst,when\nann,bob,2020\nbob,cy,2021\ncy,"smith, jo",2022\n'));
    expect(csv.stats).toMatchObject({ nodes: 4, edges: 3, badLines: 0 });
    const r = runCli(['estimate', tempFile('weights2.txt', '1 2 0.5\n2 3 1.5\n3 4 7\n'), '--exact', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).edges).toBe(3);
  });

  it('SNAP files with # comment headers and whitespace columns still load', async () => {
    const snap = '# Directed graph (each unordered pair of nodes is saved once): x.txt\n# Nodes: 4 Edges: 4\n# FromNodeId\tToNodeId\n0\t1\n1\t2\n2\t3\n3\t0\n';
    expect((await loadGraph(tempFile('snap.txt', snap))).stats).toMatchObject({ edges: 4, badLines: 0 });
    const spaced = '# Title of the data\n\n0    1   1082008561\n1 2  1082008562\n  2 3 1082008563\n';
    expect((await loadGraph(tempFile('snap-spaced.txt', spaced))).stats).toMatchObject({ edges: 3, badLines: 0 });
  });
});

describe('no cliff', () => {
  const lines = randomPairs(200_000, 11);
  const clean = tempFile('cliff-clean.tsv', lines.join('\n') + '\n');
  const withBad = lines.slice();
  // Bad lines in the middle, in different parse ranges: one column, an empty id, an extra column.
  withBad.splice(150_000, 0, '5\t6\t7');
  withBad.splice(100_000, 0, '\t42');
  withBad.splice(50_000, 0, '17');
  const bad = tempFile('cliff-bad.tsv', withBad.join('\n') + '\n');

  it.each([1, 2])('no cliff: the scanner resumes after a bad line (%i threads), no edge lost, exact line numbers', async (threads) => {
    const opts: LoadOptions = { skipBadLines: true, threads };
    const a = await loadGraph(clean, opts);
    const b = await loadGraph(bad, opts);
    expect(b.stats.badLines).toBe(3);
    expect(b.stats.badLineExamples).toEqual([
      { line: 50_001, reason: 'expected 2 columns, found 1' },
      { line: 100_002, reason: 'empty node id in column 1' },
      { line: 150_003, reason: 'expected 2 columns, found 3' },
    ]);
    expect(b.stats.lines).toBe(200_003);
    // Every line went through the scanner or its line fallback: none was left to a streaming csv-parse.
    expect(b.scannerLines).toBe(200_003);
    expect({ ...b.stats, lines: 0, badLines: 0, badLineExamples: [] }).toEqual({ ...a.stats, lines: 0, badLines: 0, badLineExamples: [] });
    expect(Array.from(b.csr.neighbours)).toEqual(Array.from(a.csr.neighbours));
    // Strict mode still stops at the first, with its line.
    await expect(loadGraph(bad, { threads })).rejects.toThrow(`${bad}:50001: expected 2 columns, found 1`);
  });

  it('no cliff: the scanner resumes after a quoted or non-ASCII line', async () => {
    const csvLines = ['source,target', ...randomPairs(50_000, 12).map((l) => l.replace('\t', ','))];
    csvLines.splice(1_000, 0, '"7","8"', 'jos\u00e9,9', '"multi\nline",10');
    const g = await loadGraph(tempFile('quoted.csv', csvLines.join('\n') + '\n'), { threads: 2 });
    const csv = await loadGraph(tempFile('quoted2.csv', csvLines.join('\n') + '\n'), { parser: 'csv' });
    expect(g.stats).toEqual(csv.stats);
    expect(g.ids.lookup('multi\nline')).toBeGreaterThanOrEqual(0);
    expect(g.scannerLines).toBe(50_005); // 50,000 pairs, the header, three odd lines (one of them two lines long)
  });

  it('no cliff: the graph and counts are those of csv-parse alone, wherever the bad lines are', async () => {
    for (const threads of [1, 2]) {
      const fast = await loadGraph(bad, { skipBadLines: true, threads });
      const csv = await loadGraph(bad, { skipBadLines: true, parser: 'csv' });
      expect(fast.stats).toEqual(csv.stats);
      expect(Array.from(fast.csr.offsets)).toEqual(Array.from(csv.csr.offsets));
      expect(Array.from(fast.csr.neighbours)).toEqual(Array.from(csv.csr.neighbours));
    }
  });

  it('no cliff: csv-parse builds an error object only where the width changes, not for every row after a bad line', async () => {
    // csv-parse makes an error (with a copy of its state) for every record whose width differs
    // from its first record's, even with relax_column_count; the loader has it expect the last width.
    const rows: string[][] = [];
    const parser = parse({ delimiter: ' ', relax_column_count: true });
    parser.on('data', (r: string[]) => {
      expectWidth((parser as unknown as { state: unknown }).state, r.length);
      rows.push(r);
    });
    await new Promise<void>((resolve, reject) => {
      parser.on('end', resolve);
      parser.on('error', reject);
      parser.end('17\n1 2\n3 4\n5 6\n7 8 9\n6 7\n8 9\n');
    });
    expect(rows).toEqual([['17'], ['1', '2'], ['3', '4'], ['5', '6'], ['7', '8', '9'], ['6', '7'], ['8', '9']]);
    expect(parser.info.invalid_field_length).toBe(3); // 1 -> 2, 2 -> 3, 3 -> 2 (it was 6: every row after the first)
  });

  it("no cliff: the line fallback splits a line exactly as csv-parse does, or leaves it to csv-parse", () => {
    // Random lines over the characters that matter: delimiters, blanks, quotes, form feed,
    // vertical tab, no-break space, non-ASCII, '#'.
    const alphabet = ['1', '2', 'a', ',', ';', ' ', ' ', '\t', '\t', '"', '"', '\f', '\v', '\u00a0', '\u00e9', '#', 'x'];
    const rand = mulberry32(13);
    let split = 0;
    for (const delimiter of [',', '\t', ';', 'whitespace'] as const) {
      const format: EdgeListFormat = { delimiter, header: false, headerFields: [], sourceIndex: 0, targetIndex: 1 };
      for (let n = 0; n < 4000; n++) {
        let line = '';
        const len = 1 + Math.floor(rand() * 12);
        for (let i = 0; i < len; i++) line += alphabet[Math.floor(rand() * alphabet.length)];
        if (/^[ \t]*#/.test(line)) continue; // comment lines never reach the fallback (the scanner takes them)
        const bytes = Buffer.from(line);
        const fields = splitPlainLine(bytes, 0, bytes.length, format);
        if (fields === null) continue;
        split++;
        let expected: string[][] | string;
        try {
          expected = parseSync(bytes, csvOptions(format)) as string[][];
        } catch (err) {
          expected = (err as Error).message;
        }
        expect([line, fields.length === 0 ? [] : [fields]]).toEqual([line, expected]);
      }
    }
    expect(split).toBeGreaterThan(5000);
  });
});
