/**
 * .swg files: graphs loaded from text survive writeSwg + readSwg exactly, and
 * every kind of damaged file is an InputError that says what is wrong.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { loadGraph, type LoadedGraph, type LoadOptions } from '../src/io/load.js';
import { NumericIds } from '../src/graph/node-ids.js';
import { isSwg, readSwg, SWG_HEADER_BYTES, SWG_VERSION, writeSwg } from '../src/io/swg.js';
import { DATASETS, tempFile } from './helpers.js';

const outDir = mkdtempSync(join(tmpdir(), 'smallworld-swg-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));
let fileCount = 0;
/** A fresh path for an output file. */
function outPath(name = 'graph.swg'): string {
  const dir = join(outDir, String(fileCount++));
  mkdirSync(dir);
  return join(dir, name);
}

function bytes(a: Uint32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes `g`, reads it back, and checks that nothing changed. */
async function roundTrip(g: LoadedGraph): Promise<LoadedGraph> {
  const path = outPath();
  await writeSwg(g, path);
  const back = await readSwg(path);

  expect(back.file).toBe(path);
  expect(back.csr.n).toBe(g.csr.n);
  expect(back.csr.directed).toBe(g.csr.directed);
  expect(back.csr.offsets.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(back.csr.neighbours.buffer).toBeInstanceOf(SharedArrayBuffer);
  expect(bytes(back.csr.offsets).equals(bytes(g.csr.offsets))).toBe(true);
  expect(bytes(back.csr.neighbours).equals(bytes(g.csr.neighbours))).toBe(true);
  expect(back.ids.kind).toBe(g.ids.kind);
  expect(back.ids.size).toBe(g.ids.size);
  for (let i = 0; i < g.ids.size; i++) {
    if (back.ids.token(i) !== g.ids.token(i)) expect(back.ids.token(i)).toBe(g.ids.token(i)); // one failing expect, not n passing ones
  }
  for (const i of [0, g.ids.size >> 1, g.ids.size - 1]) expect(back.ids.lookup(g.ids.token(i))).toBe(i);
  expect(back.stats).toEqual(g.stats);
  expect(back.compressed).toBe(false);
  expect(back.format).toEqual({ delimiter: 'whitespace', header: false, headerFields: [], sourceIndex: 0, targetIndex: 1 });
  return back;
}

async function loadText(name: string, text: string, opts: LoadOptions = {}): Promise<LoadedGraph> {
  return loadGraph(tempFile(name, text), { threads: 1, ...opts });
}

async function readError(path: string): Promise<InputError> {
  const err = await readSwg(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).file).toBe(path);
  expect((err as InputError).line).toBeUndefined();
  return err as InputError;
}

/** A small valid .swg file's bytes (numeric ids, a few dozen arcs). */
async function sampleSwg(): Promise<Buffer> {
  const lines = Array.from({ length: 40 }, (_, i) => `${i} ${(i * 7 + 3) % 40}`).join('\n');
  const path = outPath();
  await writeSwg(await loadText('sample.txt', lines + '\n'), path);
  return readFileSync(path);
}

/** Byte offset of a section, from the header's section table. */
function sectionOffset(file: Buffer, index: number): number {
  return Number(file.readBigUInt64LE(80 + 16 * index));
}

function saved(content: Buffer | string, name = 'damaged.swg'): string {
  const path = outPath(name);
  writeFileSync(path, content);
  return path;
}

describe('writeSwg + readSwg round trip', () => {
  const text = '# comment\n1 2\n2 3\n3 1\n1 1\n2 1\n10 20\n20 10\n4000000000 3\n';

  it('numeric ids, undirected (self-loop, duplicates, sparse ids)', async () => {
    const g = await loadText('numeric.txt', text);
    expect(g.ids.kind).toBe('numeric');
    await roundTrip(g);
  });

  it('numeric ids, directed', async () => {
    const g = await loadText('numeric-directed.txt', text, { directed: true });
    await roundTrip(g);
  });

  it('string ids (UTF-8 beyond ASCII), undirected and directed', async () => {
    const users = 'user_1 user_2\nuser_2 user_3\nuser_3 user_1\nuser_2 user_1\nzoë_é 😀\n😀 user_1\n007 7\n';
    const g = await loadText('users.txt', users);
    expect(g.ids.kind).toBe('string');
    expect(g.ids.lookup('😀')).toBeGreaterThanOrEqual(0);
    await roundTrip(g);
    await roundTrip(await loadText('users-directed.txt', users, { directed: true }));
  });

  it('a CSV with a header and skipped bad lines keeps its counts and examples', async () => {
    const csv = 'source,target\nuser_1,user_2\nbroken\nuser_2,user_3\n';
    const g = await loadText('bad.csv', csv, { skipBadLines: true });
    expect(g.stats.badLines).toBe(1);
    const back = await roundTrip(g);
    expect(back.stats.badLineExamples).toEqual(g.stats.badLineExamples);
  });

  it('string ids longer than one decoding piece (4 MiB)', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(`person_${i}_${'x'.repeat(i % 300)} person_${(i * 31 + 1) % 60_000}_${'x'.repeat(((i * 31 + 1) % 60_000) % 300)}`);
    await roundTrip(await loadText('many.txt', lines.join('\n') + '\n'));
  });

  const datasets = ['CA-GrQc.txt.gz', 'facebook_combined.txt.gz'].filter((f) => existsSync(join(DATASETS, f)));
  it.skipIf(datasets.length === 0)(`real graphs from ../shared/datasets (${datasets.join(', ') || 'none found'})`, async () => {
    for (const name of datasets) {
      await roundTrip(await loadGraph(join(DATASETS, name), { threads: 2 }));
      await roundTrip(await loadGraph(join(DATASETS, name), { threads: 2, directed: true }));
    }
  });

  it('leaves no temporary file behind, and replaces an existing file only with force', async () => {
    const g = await loadText('small.txt', '1 2\n2 3\n');
    const path = outPath();
    writeFileSync(path, 'old content');
    const refused = await writeSwg(g, path).then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as InputError).message).toBe(`${path}: already exists (use --force to replace it)`);
    expect(readFileSync(path, 'utf8')).toBe('old content');
    await writeSwg(g, path, { force: true });
    await writeSwg(g, path, { force: true });
    expect(readdirSync(join(path, '..'))).toEqual(['graph.swg']);
    expect((await readSwg(path)).stats.edges).toBe(2);
  });

  it('removes the temporary file when the write fails', async () => {
    const g = await loadText('small2.txt', '1 2\n');
    const target = outPath('a-directory');
    mkdirSync(target);
    await expect(writeSwg(g, target)).rejects.toThrow();
    expect(readdirSync(join(target, '..'))).toEqual(['a-directory']);
  });
});

describe('damaged or foreign files', () => {
  it('a file cut anywhere is "truncated"', async () => {
    const file = await sampleSwg();
    const neighbours = sectionOffset(file, 1);
    const cuts = [3, 8, 10, 100, SWG_HEADER_BYTES - 1, SWG_HEADER_BYTES, SWG_HEADER_BYTES + 4, neighbours + 5, file.length - 1];
    for (const cut of cuts) {
      const err = await readError(saved(file.subarray(0, cut)));
      expect(err.reason, `cut at ${cut}`).toMatch(/^truncated \.swg file \(expected .* bytes, found \d+\)$/);
    }
    const err = await readError(saved(file.subarray(0, neighbours + 5)));
    expect(err.reason).toBe(`truncated .swg file (expected ${file.length} bytes, found ${neighbours + 5})`);
  });

  it('one flipped byte in a section is a checksum mismatch naming the section', async () => {
    const file = await sampleSwg();
    for (const [index, name] of [[0, 'offsets'], [1, 'neighbours'], [2, 'ids'], [3, 'meta']] as const) {
      const damaged = Buffer.from(file);
      damaged[sectionOffset(file, index) + 2] ^= 0x10;
      const err = await readError(saved(damaged));
      expect(err.reason).toBe(`corrupt .swg file (checksum mismatch in the ${name} section)`);
    }
  });

  it('a flipped byte in the header, extra bytes at the end, another version', async () => {
    const file = await sampleSwg();
    const header = Buffer.from(file);
    header[20] ^= 1; // inside n
    expect((await readError(saved(header))).reason).toBe('corrupt .swg file (header checksum mismatch)');

    const longer = Buffer.concat([file, Buffer.from([0])]);
    expect((await readError(saved(longer))).reason).toMatch(/data after the end/);

    const version = Buffer.from(file);
    version.writeUInt32LE(SWG_VERSION + 1, 8);
    expect((await readError(saved(version))).reason).toBe(`unsupported .swg version ${SWG_VERSION + 1} (this smallworld reads version ${SWG_VERSION})`);
    // A version-2 file (before the order section): asked to convert again.
    version.writeUInt32LE(2, 8);
    expect((await readError(saved(version))).reason).toBe(
      `unsupported .swg version 2 (this smallworld reads version ${SWG_VERSION}): convert the edge list again (smallworld convert EDGES FILE.swg)`,
    );
  });

  it('a graph of the wrong shape behind valid checksums is still refused', async () => {
    const g = await loadText('shape.txt', '1 2\n2 3\n');
    const badNeighbour = new Uint32Array(g.csr.neighbours);
    badNeighbour[0] = g.csr.n + 5;
    const p1 = outPath();
    await writeSwg({ ...g, csr: { ...g.csr, neighbours: badNeighbour } }, p1);
    expect((await readError(p1)).reason).toBe(`corrupt .swg file (neighbour ${g.csr.n + 5} of ${g.csr.n} nodes)`);

    const p2 = outPath();
    await writeSwg({ ...g, ids: new NumericIds(new Uint32Array([3, 1, 2])) }, p2);
    expect((await readError(p2)).reason).toBe('corrupt .swg file (numeric ids not ascending)');
  });

  it('text, gzip and empty files are not .swg files', async () => {
    const text = '1 2\n2 3\n';
    expect(isSwg(Buffer.from(text))).toBe(false);
    expect(isSwg(gzipSync(text))).toBe(false);
    expect(isSwg(Buffer.from('SMALLWL'))).toBe(false);
    expect(isSwg(await sampleSwg())).toBe(true);
    for (const content of [text, gzipSync(text), '']) {
      expect((await readError(saved(content))).reason).toBe('not a smallworld graph file');
    }
    expect((await readError(join(outDir, 'missing.swg'))).reason).toBe('no such file');
    expect((await readError(outDir)).reason).toBe('is a directory, not a .swg file');
  });
});
