/**
 * The one place Piscina pools are made. Every pool here (BFS, HyperBall, the
 * loader's parse workers) runs built JavaScript from dist/workers and is sized
 * to a fixed thread count, so results never depend on scheduling.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

/**
 * A built worker file. From built code (dist/src/parallel) it is dist/workers;
 * when tests run the TypeScript sources (src/parallel) it is the built copy in dist/ too.
 */
export function workerPath(name: string): string {
  const here = fileURLToPath(import.meta.url);
  const root = resolve(dirname(here), '../..');
  const built = here.endsWith('.ts') ? resolve(root, 'dist/workers', name) : resolve(root, 'workers', name);
  if (!existsSync(built)) throw new Error(`worker ${built} is missing: run 'npm run build'`);
  return built;
}

export interface PoolOptions {
  threads: number;
  /** Passed once to every worker; SharedArrayBuffers in it are shared, never copied. */
  workerData?: unknown;
}

/** A pool of exactly `threads` workers running dist/workers/`worker`, kept alive for the whole run. */
export function createPool(worker: string, opts: PoolOptions): Piscina {
  return new Piscina({
    filename: workerPath(worker),
    minThreads: opts.threads,
    maxThreads: opts.threads,
    // Workers hold O(n) scratch; keep them for the whole run rather than re-creating it.
    idleTimeout: 60_000,
    workerData: opts.workerData,
  });
}
