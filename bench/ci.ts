/**
 * CI guard for the BFS kernels (`npm run bench:ci`, called by .ci/run).
 * On a small R-MAT graph, in one process: every kernel must return exactly the
 * reference's figures, and each fast kernel's speed-up over the reference,
 * measured in the same run, must stay above its floor. Floors are set well
 * below what was measured here (see README), so only a real regression trips
 * them, not a noisy neighbour. Then the loader's bad-lines guard (bench/bad-lines.ts):
 * a 600k-line TSV with three malformed lines, under --skip-bad-lines, must load in
 * at most 1.5x the time of the same file without them, measured in the same run.
 *
 *   node dist/bench/ci.js [--scale 16] [--samples 256]
 */
import { parseArgs } from 'node:util';
import { loadGraph } from '../src/io/load.js';
import { kernelNames } from '../src/algorithms/kernels/index.js';
import { sampleSources } from '../src/stats/random.js';
import { ensureRmat, projectRoot } from './graphs.js';
import { formatKernelTable, timeKernels } from './kernel-timing.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';
import { measureBadLines } from './bad-lines.js';
import { availableParallelism } from 'node:os';

/** The loader's bad-lines guard (issue #10): a few bad lines under --skip-bad-lines cost at most this times a clean file. */
export const BAD_LINES_MAX_RATIO = 1.5;

/** Minimum speed-up over the reference kernel, per kernel (absent: only agreement is checked). */
export const SPEEDUP_FLOORS: Record<string, number> = {
  // Measured here at scale 16, 256 sources, on a busy 2-core machine: msbfs32 19-21x,
  // msbfs64 23-25x, dobfs 5.6-5.9x. Floors at about 40% of that.
  msbfs32: 8,
  msbfs64: 8,
  dobfs: 2.5,
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '16' }, samples: { type: 'string', default: '256' } } });
  const scale = positiveInt('scale', values.scale!);
  const samples = positiveInt('samples', values.samples!);
  const file = await ensureRmat(scale, 1);
  const { csr } = await loadGraph(file, { threads: 1 });
  const sources = sampleSources(csr.n, samples, 1);
  const rows = timeKernels(csr, sources, kernelNames());
  process.stdout.write(`bench:ci  R-MAT scale ${scale} (${csr.n} nodes, ${csr.offsets[csr.n] / 2} edges), ${samples} sources, 1 thread\n`);
  process.stdout.write(formatKernelTable(rows) + '\n');

  const failures: string[] = [];
  for (const r of rows) {
    if (!r.agrees) failures.push(`${r.kernel}: figures differ from the reference kernel`);
    const floor = SPEEDUP_FLOORS[r.kernel];
    if (floor !== undefined && r.speedup < floor) failures.push(`${r.kernel}: speed-up ${r.speedup.toFixed(2)}x is below its floor ${floor}x`);
  }
  for (const name of Object.keys(SPEEDUP_FLOORS)) if (!rows.some((r) => r.kernel === name)) failures.push(`${name}: kernel missing`);

  // The loader: 600k lines with three bad lines vs without, alternately in this process (about 10 s).
  const bad = await measureBadLines(600_000, 5, availableParallelism());
  process.stdout.write(
    `bench:ci  loader, 600000-line TSV, --skip-bad-lines: clean ${bad.cleanMedian.toFixed(3)} s, with 3 bad lines ${bad.badMedian.toFixed(3)} s (medians of 5), ratio ${bad.ratio.toFixed(2)}\n`,
  );
  if (!(bad.ratio <= BAD_LINES_MAX_RATIO)) failures.push(`loader: 3 bad lines cost ${bad.ratio.toFixed(2)}x a clean file, above ${BAD_LINES_MAX_RATIO}x`);

  writeResult(projectRoot(), 'ci', { benchmark: 'ci', machine: machineInfo(projectRoot()), scale, samples, rows, badLines: bad, failures });
  if (failures.length > 0) {
    for (const f of failures) process.stdout.write(`FAIL ${f}\n`);
    process.exitCode = 1;
  } else process.stdout.write('bench:ci passed\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ci: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
