/**
 * Bad-lines benchmark (issue #10, "no cliff"): a TSV of random pairs and the same
 * file with three malformed lines added (a one-column line, an empty id, a line
 * with an extra column), loaded with --skip-bad-lines. The acceptance line: the
 * file with bad lines loads in at most 1.5x the time of the clean one, measured
 * in the same run.
 *
 *   node dist/bench/bad-lines.js [--lines 600000] [--repeats 7] [--threads N] [--max-ratio 1.5]
 *
 * Both files are written to bench/graphs/ (seeded, so always the same bytes),
 * read once to warm up, then loaded alternately in this process, --repeats times
 * each. Prints the medians and the ratio; exits 1 when the ratio is above
 * --max-ratio, or when the two loads do not give the same graph size. Returns
 * its figures from measureBadLines() too, for bench/ci.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadGraph } from '../src/io/load.js';
import { mulberry32 } from '../src/stats/random.js';
import { projectRoot } from './graphs.js';
import { machineInfo, positiveInt, writeResult } from './machine.js';

/** The malformed lines put in, at a quarter, half and three quarters of the file. */
export const BAD_LINES = ['17', '\t42', '5\t6\t7'];

export interface BadLinesResult {
  lines: number;
  threads: number;
  repeats: number;
  cleanSeconds: number[];
  badSeconds: number[];
  cleanMedian: number;
  badMedian: number;
  ratio: number;
  badLinesSkipped: number;
  scannerLinesClean: number;
  scannerLinesBad: number;
}

/** Writes the clean and the bad file (seed 1) for `lines` edge lines; returns their paths. */
export function writeBadLinesFiles(lines: number): { clean: string; bad: string } {
  const dir = join(projectRoot(), 'bench/graphs');
  mkdirSync(dir, { recursive: true });
  const rand = mulberry32(1);
  const nodes = Math.max(2, Math.floor(lines / 8));
  const rows: string[] = [];
  for (let i = 0; i < lines; i++) rows.push(`${Math.floor(rand() * nodes)}\t${Math.floor(rand() * nodes)}`);
  const clean = join(dir, `bad-lines-${lines}-clean.tsv`);
  const bad = join(dir, `bad-lines-${lines}-bad.tsv`);
  writeFileSync(clean, rows.join('\n') + '\n');
  const withBad = rows.slice();
  BAD_LINES.forEach((line, k) => withBad.splice(Math.floor(((k + 1) * withBad.length) / (BAD_LINES.length + 1)), 0, line));
  writeFileSync(bad, withBad.join('\n') + '\n');
  return { clean, bad };
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export async function measureBadLines(lines: number, repeats: number, threads: number): Promise<BadLinesResult> {
  const { clean, bad } = writeBadLinesFiles(lines);
  const load = async (file: string) => {
    const t = performance.now();
    const g = await loadGraph(file, { skipBadLines: true, threads });
    return { seconds: (performance.now() - t) / 1000, g };
  };
  // Warm-up (page cache, JIT), and the check that both give the same graph.
  const a = await load(clean);
  const b = await load(bad);
  if (a.g.stats.edges !== b.g.stats.edges || a.g.stats.nodes !== b.g.stats.nodes || b.g.stats.badLines !== BAD_LINES.length)
    throw new Error(`the two files do not give the same graph: ${JSON.stringify(a.g.stats)} vs ${JSON.stringify(b.g.stats)}`);
  const cleanSeconds: number[] = [];
  const badSeconds: number[] = [];
  for (let r = 0; r < repeats; r++) {
    // Alternate which goes first, so neither always follows the other's garbage.
    const order = r % 2 === 0 ? [clean, bad] : [bad, clean];
    for (const file of order) (file === clean ? cleanSeconds : badSeconds).push((await load(file)).seconds);
  }
  const cleanMedian = median(cleanSeconds);
  const badMedian = median(badSeconds);
  return {
    lines,
    threads,
    repeats,
    cleanSeconds,
    badSeconds,
    cleanMedian,
    badMedian,
    ratio: badMedian / cleanMedian,
    badLinesSkipped: b.g.stats.badLines,
    scannerLinesClean: a.g.scannerLines ?? 0,
    scannerLinesBad: b.g.scannerLines ?? 0,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '600000' },
      repeats: { type: 'string', default: '7' },
      threads: { type: 'string', default: String(availableParallelism()) },
      'max-ratio': { type: 'string', default: '1.5' },
    },
  });
  const maxRatio = Number(values['max-ratio']);
  const r = await measureBadLines(positiveInt('lines', values.lines!), positiveInt('repeats', values.repeats!), positiveInt('threads', values.threads!));
  process.stdout.write(
    `bench:bad-lines  ${r.lines} lines, ${r.threads} threads, ${r.repeats} loads each, --skip-bad-lines\n` +
      `  clean file              median ${r.cleanMedian.toFixed(3)} s  (${r.cleanSeconds.map((s) => s.toFixed(3)).join(' ')})\n` +
      `  with ${r.badLinesSkipped} bad lines       median ${r.badMedian.toFixed(3)} s  (${r.badSeconds.map((s) => s.toFixed(3)).join(' ')})\n` +
      `  ratio ${r.ratio.toFixed(2)} (limit ${maxRatio}); lines read by the scanner: ${r.scannerLinesBad} of ${r.lines + r.badLinesSkipped}\n`,
  );
  writeResult(projectRoot(), 'bad-lines', { benchmark: 'bad-lines', machine: machineInfo(projectRoot()), maxRatio, ...r });
  if (!(r.ratio <= maxRatio)) {
    process.stdout.write(`FAIL ratio ${r.ratio.toFixed(2)} is above ${maxRatio}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench:bad-lines: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
