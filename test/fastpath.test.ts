/**
 * The fast scanner and csv-parse must build byte-identical graphs with the same
 * counts on the same input, wherever the scanner hands over to csv-parse.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadGraph, type LoadedGraph, type LoadOptions } from '../src/io/load.js';
import { mulberry32 } from '../src/stats/random.js';
import { DATASETS, haveShared, tempFile } from './helpers.js';

function fingerprint(g: LoadedGraph) {
  const h = createHash('sha256');
  h.update(new Uint8Array(g.csr.offsets.buffer, g.csr.offsets.byteOffset, g.csr.offsets.byteLength));
  h.update(new Uint8Array(g.csr.neighbours.buffer, g.csr.neighbours.byteOffset, g.csr.neighbours.byteLength));
  const tokens = Array.from({ length: g.ids.size }, (_, i) => g.ids.token(i)).join('\n');
  return { graph: h.digest('hex'), tokens: createHash('sha256').update(tokens).digest('hex'), stats: g.stats, kind: g.ids.kind };
}

async function bothPaths(file: string, opts: LoadOptions = {}) {
  const fast = fingerprint(await loadGraph(file, { ...opts, threads: 2 }));
  const fastOne = fingerprint(await loadGraph(file, { ...opts, threads: 1 }));
  const csv = fingerprint(await loadGraph(file, { ...opts, parser: 'csv' }));
  expect(fast).toEqual(csv);
  expect(fastOne).toEqual(csv);
  return fast;
}

describe('fast scanner and csv-parse build identical graphs', () => {
  const cases: Array<[string, string]> = [
    ['plain tsv', '1\t2\n2\t3\n3\t1\n'],
    ['comments, blanks, spaces, extra columns', '# c\n% k\n\n1  2 99\n  2 3\t7\n3 1 5\n'],
    ['CRLF, no final newline', '# c\r\n1\t2\r\n2\t3\r\n3\t4'],
    ['CR only', '1 2\r2 3\r3 4\r'],
    ['header and commas', 'from,to\n1,2\n2,3\n'],
    ['spaces around commas', '1 , 2\n2,3 \n'],
    ['quoted numbers hand over', '1,2\n"3",4\n4,5\n'],
    ['a name late in the file hands over', '1 2\n2 3\n3 alice\nalice 1\n'],
    ['leading zeros are names', '1 2\n02 3\n2 02\n'],
    ['ids beyond 2^32 are names', '4294967294 1\n4294967295 1\n'],
    ['self-loops and duplicates', '1 1\n1 2\n2 1\n1 2\n'],
    ['string ids', 'user_1 user_2 w\nuser_2\tuser_3 w\n# c\nuser_3 user_1 x\n'],
    ['names with inner spaces in a CSV', 'John Smith,Jane Doe\n Jane Doe , Bob \nBob,John  Smith\n'],
    ['numbers, then names in the second column first', '1 2\n2 bob\nbob 3\n3 1\n'],
    ['64-bit ids', '1234567890123456789 1234567890123456788\n1234567890123456788 7\n'],
    ['a header, then names', 'src,dst\nann,bob\nbob,cy\n'],
    ['non-ASCII ids hand over', 'ana bob\nbob jos\u00e9\njos\u00e9 \u0142ukasz\n'],
    ['a quote after names hands over', 'a,b\nb,c\n"c",d\nd,a\n'],
    ['a control byte in a name hands over', 'a b\nb c\x0bd\nc\x0bd a\n'],
  ];
  it.each(cases)('%s', async (name, text) => {
    for (const directed of [false, true]) await bothPaths(tempFile(`fast-${name.replace(/\W+/g, '-')}.txt`, text), { directed });
  });

  it('a multi-megabyte file split across parse workers, with a hand-over deep inside', async () => {
    const rand = mulberry32(5);
    const lines: string[] = [];
    for (let i = 0; i < 400_000; i++) lines.push(`${Math.floor(rand() * 50_000)}\t${Math.floor(rand() * 50_000)}`);
    const numeric = lines.join('\n') + '\n';
    expect(numeric.length).toBeGreaterThan(4 << 20);
    const a = await bothPaths(tempFile('big.tsv', numeric));
    expect(a.kind).toBe('numeric');
    lines[300_000] = 'u1\tu2';
    const b = await bothPaths(tempFile('big-handover.tsv', lines.join('\n') + '\n'));
    expect(b.kind).toBe('string');
    expect(b.stats.edgeLines).toBe(400_000);
  });

  it('string ids across several blocks stay in the scanner, after numbers in the first lines', async () => {
    const rand = mulberry32(7);
    const lines = ['1\t2', '2\t3'];
    for (let i = 0; i < 1_000_000; i++) lines.push(`user_${Math.floor(rand() * 300_000)}\tuser_${Math.floor(rand() * 300_000)}`);
    const text = lines.join('\n') + '\n';
    expect(text.length).toBeGreaterThan(20 << 20); // more than one 16 MiB block
    const file = tempFile('big-strings.tsv', text);
    const a = await bothPaths(file);
    expect(a.kind).toBe('string');
    const g = await loadGraph(file);
    expect(g.scannerLines).toBe(lines.length);
    expect(g.ids.token(0)).toBe('1');
    expect(g.ids.lookup('user_17')).toBeGreaterThan(2);
  });

  it('bad lines in the middle, skipped, at 1 and 2 threads: same graph and counts, the scanner reads on after each', async () => {
    const rand = mulberry32(8);
    const lines = Array.from({ length: 300_000 }, () => `${Math.floor(rand() * 40_000)}\t${Math.floor(rand() * 40_000)}`);
    lines[1_000] = '17'; // near the start: before the first parallel block is split
    lines[120_000] = '\t5';
    lines[240_000] = '1\t2\t3';
    lines[240_001] = '';
    lines[240_002] = 'x';
    const file = tempFile('bad-middle.tsv', lines.join('\n') + '\n');
    const a = await bothPaths(file, { skipBadLines: true });
    expect(a.stats.badLines).toBe(4);
    expect(a.stats.badLineExamples.map((e) => e.line)).toEqual([1_001, 120_001, 240_001, 240_003]);
    for (const threads of [1, 2]) expect((await loadGraph(file, { skipBadLines: true, threads })).scannerLines).toBe(300_000);
  });

  it.each([
    ['a quoted id', '"7",8'],
    ['a non-ASCII id', 'jos\u00e9,8'],
    ['a quoted field with a line break', '"two\nlines",8'],
  ])('a hand-over line (%s) followed by many plain lines: the scanner takes the lines after it', async (name, odd) => {
    const rand = mulberry32(9);
    const lines = Array.from({ length: 200_000 }, () => `${Math.floor(rand() * 40_000)},${Math.floor(rand() * 40_000)}`);
    lines.splice(10, 0, odd);
    const file = tempFile(`handover-${name.replace(/\W+/g, '-')}.csv`, lines.join('\n') + '\n');
    const a = await bothPaths(file);
    const total = 200_001 + (odd.includes('\n') ? 1 : 0);
    expect(a.stats.lines).toBe(total);
    for (const threads of [1, 2]) expect((await loadGraph(file, { threads })).scannerLines).toBe(total);
  });

  it('a quoted field with line breaks open at a 16 MB block end: read again with the next block, then the scanner goes on', async () => {
    const rand = mulberry32(10);
    const lines = Array.from({ length: 1_500_000 }, () => `${Math.floor(rand() * 300_000)},${Math.floor(rand() * 300_000)}`);
    let bytes = 0;
    let k = 0;
    while (bytes + lines[k].length + 1 < (16 << 20) - 40) bytes += lines[k++].length + 1;
    lines[k] = '"open\n' + 'y\n'.repeat(50) + 'close",5'; // opens 40 bytes before the first block's end
    lines[k + 1000] = '17';
    const file = tempFile('quote-across-blocks.csv', lines.join('\n') + '\n');
    const a = await bothPaths(file, { skipBadLines: true });
    expect(a.stats.badLineExamples).toEqual([{ line: k + 1 + 51 + 1000, reason: 'expected 2 columns, found 1' }]);
    for (const threads of [1, 2]) expect((await loadGraph(file, { skipBadLines: true, threads })).scannerLines).toBe(1_500_051);
  });

  it('the same error, with the same line, from both paths', async () => {
    const rand = mulberry32(6);
    const lines = Array.from({ length: 300_000 }, () => `${Math.floor(rand() * 1000)} ${Math.floor(rand() * 1000)}`);
    lines[250_000] = '17';
    const file = tempFile('bad-late.txt', lines.join('\n'));
    for (const parser of ['auto', 'csv'] as const) {
      const err = await loadGraph(file, { parser, threads: 2 }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`${file}:250001: expected 2 columns, found 1`);
    }
  });

  it.skipIf(!haveShared())('on every file in ../shared/datasets', async () => {
    for (const name of readdirSync(DATASETS).filter((f) => f.endsWith('.gz'))) await bothPaths(join(DATASETS, name));
  });
});
