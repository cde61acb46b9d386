/**
 * The benchmark graphs on disk (bench/graphs/, gitignored): made on first use,
 * reused afterwards. Generation runs in the calling process, so a caller that
 * measures its own peak RSS should measure in a child process.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRmatFile, writeRmat } from './rmat.js';

/** The project root: the nearest folder above this file with a package.json (works from bench/ and dist/bench/). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above bench/graphs.ts');
    dir = parent;
  }
  return dir;
}

export function rmatFile(scale: number, seed = 1): string {
  return resolve(projectRoot(), defaultRmatFile(scale, seed));
}

/** The absolute path of bench/graphs/rmat-<scale>-s<seed>.tsv, generated first if missing. */
export async function ensureRmat(scale: number, seed = 1): Promise<string> {
  const file = rmatFile(scale, seed);
  if (!existsSync(file)) {
    process.stderr.write(`generating ${file} ...\n`);
    const stats = writeRmat(scale, seed, file);
    process.stderr.write(`  ${stats.nodes} nodes, ${stats.edges} edges in ${stats.seconds.total.toFixed(1)} s\n`);
  }
  return file;
}
