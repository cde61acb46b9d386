/**
 * The one place Piscina pools are made. Every pool here (BFS, HyperBall, the
 * loader's parse workers) runs built JavaScript from dist/workers and is sized
 * to a fixed thread count, so results never depend on scheduling.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';
import type { Worker } from 'node:worker_threads';

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

/** Worker threads started by our pools that have not exited yet. */
const liveThreads = new Set<Worker>();
/** Per pool: its threads that have not exited yet (an aborted task's thread leaves the pool before it exits). */
const poolThreads = new WeakMap<Piscina, Set<Worker>>();

/**
 * Worker threads of smallworld's pools still running. Every long call destroys
 * its pools when it ends, aborted or not, so this is 0 between calls (tested).
 */
export function liveWorkerThreads(): number {
  return liveThreads.size;
}

/** A pool of exactly `threads` workers running dist/workers/`worker`, kept alive for the whole run. */
export function createPool(worker: string, opts: PoolOptions): Piscina {
  const pool = new Piscina({
    filename: workerPath(worker),
    minThreads: opts.threads,
    maxThreads: opts.threads,
    // Workers hold O(n) scratch; keep them for the whole run rather than re-creating it.
    idleTimeout: 60_000,
    workerData: opts.workerData,
  });
  const mine = new Set<Worker>();
  poolThreads.set(pool, mine);
  const track = () => {
    for (const thread of pool.threads) {
      if (liveThreads.has(thread)) continue;
      liveThreads.add(thread);
      mine.add(thread);
      thread.once('exit', () => {
        liveThreads.delete(thread);
        mine.delete(thread);
      });
    }
  };
  track();
  pool.on('workerCreate', track);
  // Piscina emits 'error' for what no task can receive: a worker answering a task that was
  // just aborted (a race of abort() against the task's end). An unheld 'error' event would
  // throw in the caller's process; the tasks themselves reject with their own errors.
  pool.on('error', (err: unknown) => {
    if (process.env.SMALLWORLD_DEBUG) process.stderr.write(`smallworld: pool ${worker}: ${(err as Error)?.message ?? String(err)}\n`);
  });
  return pool;
}

/**
 * One signal for the many tasks of a run: Piscina adds a listener per task, so the
 * caller's signal is relayed through a private one that may have any number of
 * listeners (Node would otherwise warn past 10). `release` drops the relay.
 */
export function taskSignal(signal: AbortSignal | undefined): { signal: AbortSignal | undefined; release: () => void } {
  if (!signal) return { signal: undefined, release: () => {} };
  const relay = new AbortController();
  setMaxListeners(0, relay.signal);
  const forward = () => relay.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  return { signal: relay.signal, release: () => signal.removeEventListener('abort', forward) };
}

/**
 * Destroys a pool and waits until every thread it ever started has exited.
 * Piscina's destroy() waits only for the threads still in the pool. A thread
 * whose task was aborted has left it and is still exiting; when it exits,
 * Piscina starts a replacement unless the pool is being destroyed at that very
 * moment, so a replacement could outlive a destroy() that came first. Hence:
 * let leaving threads exit, then destroy, and repeat until no thread is left.
 */
export async function destroyPool(pool: Piscina): Promise<void> {
  const mine = poolThreads.get(pool) ?? new Set<Worker>();
  const exited = (thread: Worker) =>
    new Promise<void>((resolve) => {
      if (!mine.has(thread)) return resolve();
      thread.once('exit', () => resolve());
    });
  for (let round = 0; round < 100; round++) {
    await Promise.all([...mine].filter((t) => !pool.threads.includes(t)).map(exited));
    await pool.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    if (mine.size === 0 && pool.threads.length === 0) return;
  }
  throw new Error(`worker pool: ${mine.size} threads still running after destroy`);
}
