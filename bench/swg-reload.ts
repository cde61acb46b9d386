/**
 * Reloading a .swg against reading its bytes, in the same process: a plain
 * read of the whole file into one buffer, in 8 MiB chunks (what any reader
 * must at least do), then readSwg (which also checksums, checks and, for a
 * renumbered file, reads and checks the order), alternating `--repeats` times.
 *
 *   node dist/bench/swg-reload.js FILE [--repeats 2]
 */
import { open } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { readSwg } from '../src/io/swg.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { repeats: { type: 'string', default: '2' } } });
const file = positionals[0];
const CHUNK = 8 << 20;

async function plainRead(): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const buffer = new Uint8Array(new SharedArrayBuffer(size));
    for (let done = 0; done < size; ) {
      const { bytesRead } = await handle.read(buffer, done, Math.min(CHUNK, size - done), done);
      if (bytesRead === 0) throw new Error('file shrank');
      done += bytesRead;
    }
    return buffer.length;
  } finally {
    await handle.close();
  }
}

const rows: Array<{ read: number; reload: number }> = [];
for (let r = 0; r < Number(values.repeats); r++) {
  let t = performance.now();
  await plainRead();
  const read = (performance.now() - t) / 1000;
  t = performance.now();
  const g = await readSwg(file);
  const reload = (performance.now() - t) / 1000;
  rows.push({ read, reload });
  process.stdout.write(`${file}: read ${read.toFixed(2)} s, readSwg ${reload.toFixed(2)} s (${g.csr.n} nodes, renumbered ${g.order !== undefined}): ${(reload / read).toFixed(2)}x\n`);
}
const best = (k: 'read' | 'reload') => Math.min(...rows.map((r) => r[k]));
process.stdout.write(`best of ${rows.length}: read ${best('read').toFixed(2)} s, readSwg ${best('reload').toFixed(2)} s: ${(best('reload') / best('read')).toFixed(2)}x; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`);
