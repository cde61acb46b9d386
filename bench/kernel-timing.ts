/**
 * Times every BFS kernel on the same graph and sources in this process, one
 * thread, and checks each against the reference kernel. Used by `npm run bench`
 * and by the CI guard (bench/ci.ts): ratios within one run are what count on a
 * shared machine.
 */
import type { Csr } from '../src/graph/csr.js';
import { kernels } from '../src/algorithms/kernels/index.js';
import type { BatchResult } from '../src/algorithms/kernels/types.js';

export interface KernelTiming {
  kernel: string;
  seconds: number;
  /** Adjacency entries this kernel actually read, per second. */
  arcsReadPerSecond: number;
  /** Adjacency entries a plain BFS from the same sources reads, per second of this kernel's time. */
  arcsPerSecond: number;
  /** Graph500-style TEPS: edges of the traversed components (as the reference counts them) per second. */
  teps: number;
  /** Reference time / this kernel's time for the same sources. */
  speedup: number;
  /** Histogram and every per-source figure equal to the reference's. */
  agrees: boolean;
}

/**
 * What a kernel's time is measured with: 'wall' (performance.now), or 'cpu', this
 * process's user + system CPU time (process.cpuUsage): on a shared machine the
 * time another process holds the core is not counted, so a 0.2 s kernel run
 * preempted for half its wall time still measures 0.2 s (the CI guard uses it;
 * the kernels run on this thread only, so the process's CPU time is theirs).
 */
export type Clock = 'wall' | 'cpu';

function now(clock: Clock): number {
  if (clock === 'wall') return performance.now() / 1000;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Runs `sources` through a kernel in batches of `batch`, as a worker would. */
function runAll(csr: Csr, name: string, sources: Uint32Array, batch: number, clock: Clock): { seconds: number; results: BatchResult[] } {
  const run = kernels[name](csr);
  run(sources.subarray(0, Math.min(batch, sources.length))); // warm up (JIT, scratch pages)
  const t0 = now(clock);
  const results: BatchResult[] = [];
  for (let i = 0; i < sources.length; i += batch) results.push(run(sources.subarray(i, i + batch)));
  return { seconds: now(clock) - t0, results };
}

function sameFigures(a: BatchResult[], b: BatchResult[]): boolean {
  const strip = (rs: BatchResult[]) => JSON.stringify(rs.map(({ arcsRead: _, ...rest }) => rest));
  return strip(a) === strip(b);
}

/** The fastest of `repeats` runs (noise on a shared machine only ever adds time); the figures of the first. */
function bestOf(csr: Csr, name: string, sources: Uint32Array, batch: number, clock: Clock, repeats: number): { seconds: number; results: BatchResult[] } {
  const first = runAll(csr, name, sources, batch, clock);
  let seconds = first.seconds;
  for (let r = 1; r < repeats; r++) seconds = Math.min(seconds, runAll(csr, name, sources, batch, clock).seconds);
  return { seconds, results: first.results };
}

/**
 * Times the reference and every kernel of `names` on the same sources; `repeats`
 * > 1 takes each kernel's fastest run (the CI guard: 3, in CPU time).
 */
export function timeKernels(csr: Csr, sources: Uint32Array, names: string[], batch = 128, clock: Clock = 'wall', repeats = 1): KernelTiming[] {
  const reference = bestOf(csr, 'reference', sources, batch, clock, repeats);
  // The reference scans each reached node's list once: half of that is the component's edges (undirected).
  const referenceArcs = reference.results.reduce((s, r) => s + r.arcsScanned, 0);
  const componentEdges = csr.directed ? referenceArcs : referenceArcs / 2;
  const rows: KernelTiming[] = [];
  for (const name of ['reference', ...names.filter((n) => n !== 'reference')]) {
    const timed = name === 'reference' ? reference : bestOf(csr, name, sources, batch, clock, repeats);
    const read = timed.results.reduce((s, r) => s + r.arcsRead, 0);
    rows.push({
      kernel: name,
      seconds: timed.seconds,
      arcsReadPerSecond: read / timed.seconds,
      arcsPerSecond: referenceArcs / timed.seconds,
      teps: componentEdges / timed.seconds,
      speedup: reference.seconds / timed.seconds,
      agrees: sameFigures(timed.results, reference.results),
    });
  }
  return rows;
}

export function formatKernelTable(rows: KernelTiming[]): string {
  const lines = ['kernel        seconds   arcs read/s   plain-BFS arcs/s   TEPS (Graph500)   speed-up   agrees'];
  for (const r of rows)
    lines.push(
      `${r.kernel.padEnd(12)} ${r.seconds.toFixed(3).padStart(8)}   ${(r.arcsReadPerSecond / 1e6).toFixed(0).padStart(10)}M   ${(r.arcsPerSecond / 1e6).toFixed(0).padStart(15)}M   ${(r.teps / 1e6).toFixed(0).padStart(14)}M   ${r.speedup.toFixed(1).padStart(7)}x   ${r.agrees ? 'yes' : 'NO'}`,
    );
  return lines.join('\n');
}
