/**
 * String ids against numeric ids: the same edges, once as `user_<n>` tokens and
 * once as the plain numbers <n>, loaded in the same run (issue #12, part 2).
 *
 *   node dist/bench/string-ids.js [--edges 20000000] [--seed 1] [--repeats 2] [--threads 2] [--force]
 *
 * Shape (deterministic from the seed): N = --edges ids; line i is
 * "perm(i)<TAB>t(i)" where perm is a random permutation of 0..N-1 and t(i) is
 * uniform in 0..N-1. So every one of the N ids appears (each as a source exactly
 * once), the N edges form a random functional graph (mean degree 2), and ids
 * first appear in a random order. Files: bench/graphs/strings-<M>m-s<seed>.tsv
 * (`user_<n>`) and bench/graphs/numbers-<M>m-s<seed>.tsv (its numeric twin),
 * written once and reused.
 *
 * Each load runs in a child process of its own (bench/load-case.ts: loadGraph,
 * the load alone, modules imported before the clock starts; peak RSS from
 * process.resourceUsage().maxRSS), numeric and string runs interleaved, both
 * files read once first so both come from the page cache.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CaseResult, CaseSpec } from './load-case.js';
import { projectRoot } from './graphs.js';
import { binEnv, runJsonChild } from './machine.js';

/** xorshift32 over a seed: a deterministic stream of u32. */
function rng(seed: number): () => number {
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Writes both files (strings and numbers) in one pass; returns their paths. */
export function writeStringIdPair(edges: number, seed: number, dir: string, force = false): { strings: string; numbers: string } {
  const tag = `${edges % 1_000_000 === 0 ? `${edges / 1_000_000}m` : String(edges)}-s${seed}`;
  const strings = join(dir, `strings-${tag}.tsv`);
  const numbers = join(dir, `numbers-${tag}.tsv`);
  if (!force && existsSync(strings) && existsSync(numbers)) return { strings, numbers };
  process.stderr.write(`making ${strings} and ${numbers} ...\n`);
  mkdirSync(dir, { recursive: true });
  const next = rng(seed);
  const perm = new Uint32Array(edges);
  for (let i = 0; i < edges; i++) perm[i] = i;
  for (let i = edges - 1; i > 0; i--) {
    const j = next() % (i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const tmpS = `${strings}.tmp-${process.pid}`;
  const tmpN = `${numbers}.tmp-${process.pid}`;
  const fdS = openSync(tmpS, 'w');
  const fdN = openSync(tmpN, 'w');
  const CHUNK = 1 << 22;
  const bufS = Buffer.alloc(CHUNK + 64);
  const bufN = Buffer.alloc(CHUNK + 64);
  let atS = 0;
  let atN = 0;
  const digits = new Uint8Array(12);
  const put = (value: number, prefix: boolean, end: number) => {
    let k = 0;
    do {
      digits[k++] = 48 + (value % 10);
      value = Math.floor(value / 10);
    } while (value > 0);
    if (prefix) {
      bufS[atS++] = 117; // u
      bufS[atS++] = 115; // s
      bufS[atS++] = 101; // e
      bufS[atS++] = 114; // r
      bufS[atS++] = 95; // _
    }
    for (let d = k - 1; d >= 0; d--) {
      bufS[atS++] = digits[d];
      bufN[atN++] = digits[d];
    }
    bufS[atS++] = end;
    bufN[atN++] = end;
  };
  for (let i = 0; i < edges; i++) {
    put(perm[i], true, 9);
    put(next() % edges, true, 10);
    if (atS >= CHUNK) {
      writeSync(fdS, bufS, 0, atS);
      writeSync(fdN, bufN, 0, atN);
      atS = 0;
      atN = 0;
    }
  }
  writeSync(fdS, bufS, 0, atS);
  writeSync(fdN, bufN, 0, atN);
  closeSync(fdS);
  closeSync(fdN);
  renameSync(tmpS, strings);
  renameSync(tmpN, numbers);
  return { strings, numbers };
}

/** One load in a child process of its own, with the environment the smallworld command sets itself. */
function runCase(spec: CaseSpec): Promise<CaseResult> {
  const root = projectRoot();
  return runJsonChild<CaseResult>(root, [join(root, 'dist/bench/load-case.js'), JSON.stringify(spec)], binEnv(root));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      edges: { type: 'string', default: '20000000' },
      seed: { type: 'string', default: '1' },
      repeats: { type: 'string', default: '2' },
      threads: { type: 'string', default: '2' },
      force: { type: 'boolean', default: false },
      'generate-only': { type: 'boolean', default: false },
    },
  });
  const edges = Number(values.edges);
  const seed = Number(values.seed);
  const repeats = Number(values.repeats);
  const threads = Number(values.threads);
  const files = writeStringIdPair(edges, seed, join(projectRoot(), 'bench/graphs'), values.force);
  if (values['generate-only']) return;
  for (const f of [files.numbers, files.strings]) readFileSync(f); // into the page cache
  const gb = (b: number) => (b / 2 ** 30).toFixed(2);
  const ratios: number[] = [];
  process.stdout.write(`edges ${edges}, threads ${threads}, load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  for (let r = 1; r <= repeats; r++) {
    const num = await runCase({ kind: 'text', file: files.numbers, threads });
    const str = await runCase({ kind: 'text', file: files.strings, threads });
    if (num.nodes !== str.nodes || num.edges !== str.edges) throw new Error(`the twins differ: ${num.nodes}/${num.edges} vs ${str.nodes}/${str.edges}`);
    const ratio = str.seconds / num.seconds;
    ratios.push(ratio);
    process.stdout.write(
      `run ${r}: numeric ${num.seconds.toFixed(2)} s (peak RSS ${gb(num.peakRssBytes)} GiB), ` +
        `strings ${str.seconds.toFixed(2)} s (peak RSS ${gb(str.peakRssBytes)} GiB), ratio ${ratio.toFixed(2)}x; ` +
        `${str.nodes} nodes, ${str.edges} edges; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`,
    );
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  process.stdout.write(`median ratio ${sorted[(sorted.length - 1) >> 1].toFixed(2)}x (target: at most 3x)\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/string-ids: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
