/**
 * Graph500 R-MAT benchmark graphs, seeded, as SNAP-style TSV edge lists.
 *
 * (The command line is bench/rmat.ts: node dist/bench/rmat.js --scale 20 [--seed 1] [--out FILE] [--json].)
 *
 * Recipe (the same as ../shared/peers/gen.py, so the figures are comparable):
 * 16 * 2^scale edge samples; each picks one of four quadrants per bit level with
 * probabilities a=0.57 b=0.19 c=0.19 d=0.05. Node ids are shuffled (otherwise
 * low ids would be the hubs), self-loops and repeated edges ({u,v} = {v,u}) are
 * dropped, and the ids are compacted to 0..nodes-1 keeping the shuffled order.
 * Lines are "u<TAB>v" with u < v, sorted, after one "# R-MAT ..." comment line.
 *
 * Randomness: the seed (a 32-bit integer) seeds mulberry32 from src/random.ts,
 * whose first four outputs become the state of xoshiro128**. The bigger
 * generator is there because scale 22 alone takes 1.5e9 draws, a third of
 * mulberry32's 2^32 period (scale 24 would wrap it). The stream draws the id
 * shuffle first, then the samples in order, so (scale, seed) fixes the file.
 *
 * Memory: one Float64Array of 8 bytes per sample (537 MB at scale 22) holding
 * each edge as the number min * 2^scale + max, sorted in place to find repeats.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { mulberry32 } from '../stats/random.js';

export const RMAT = { a: 0.57, b: 0.19, c: 0.19, d: 0.05, edgeFactor: 16 } as const;

/** min * 2^scale + max must stay an exact double (< 2^53), and the sample array must fit. */
export const MAX_SCALE = 26;

/** xoshiro128** (Blackman and Vigna): 128-bit state, period 2^128 - 1, uint32 outputs. */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    const seeder = mulberry32(seed);
    const word = () => (seeder() * 4294967296) | 0; // mulberry32 floats are exactly uint32 / 2^32
    this.s0 = word();
    this.s1 = word();
    this.s2 = word();
    this.s3 = word();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one state it can't leave
  }

  /** A uniform integer in [0, 2^32). */
  next(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** A uniform integer in [0, bound), bound <= 2^32 (bias below bound / 2^32: negligible here). */
  below(bound: number): number {
    return Math.floor((this.next() / 4294967296) * bound);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export interface RmatEdges {
  /** Distinct edges, each min * 2^scale + max of shuffled ids, ascending. */
  keys: Float64Array;
  samples: number;
  selfLoops: number;
  duplicates: number;
}

/** Samples the R-MAT edges and returns them deduplicated and sorted (see the file comment). */
export function rmatEdges(scale: number, seed: number): RmatEdges {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) throw new Error(`scale must be an integer from 1 to ${MAX_SCALE}`);
  const n = 2 ** scale;
  const samples = RMAT.edgeFactor * n;
  const rng = new Xoshiro128(seed);

  const shuffled = new Uint32Array(n);
  for (let i = 0; i < n; i++) shuffled[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = shuffled[i];
    shuffled[i] = shuffled[j];
    shuffled[j] = t;
  }

  // Quadrant of one level from one uint32 draw r: q = how many thresholds r reaches,
  // so q = 0 (prob a), 1 (b: v bit), 2 (c: u bit), 3 (d: both bits). Summing the
  // comparisons instead of branching on them runs twice as fast (no mispredictions).
  const A = Math.round(RMAT.a * 2 ** 32);
  const AB = Math.round((RMAT.a + RMAT.b) * 2 ** 32);
  const ABC = Math.round((RMAT.a + RMAT.b + RMAT.c) * 2 ** 32);

  const keys = new Float64Array(samples);
  let kept = 0;
  let selfLoops = 0;
  for (let i = 0; i < samples; i++) {
    let u = 0;
    let v = 0;
    for (let level = 0; level < scale; level++) {
      const r = rng.next();
      const q = +(r >= A) + +(r >= AB) + +(r >= ABC);
      u = (u << 1) | (q >> 1);
      v = (v << 1) | (q & 1);
    }
    u = shuffled[u];
    v = shuffled[v];
    if (u === v) selfLoops++;
    else keys[kept++] = u < v ? u * n + v : v * n + u;
  }

  const sorted = keys.subarray(0, kept).sort();
  let distinct = 0;
  let previous = -1;
  for (let i = 0; i < kept; i++) {
    const key = sorted[i];
    if (key !== previous) sorted[distinct++] = key;
    previous = key;
  }
  return { keys: sorted.subarray(0, distinct), samples, selfLoops, duplicates: kept - distinct };
}

export interface RmatStats {
  file: string;
  scale: number;
  seed: number;
  samples: number;
  selfLoops: number;
  duplicates: number;
  /** Nodes with at least one edge (ids 0..nodes-1 in the file). */
  nodes: number;
  edges: number;
  bytes: number;
  seconds: { generate: number; write: number; total: number };
}

const CHUNK_BYTES = 8 << 20;
const MAX_LINE_BYTES = 2 * 10 + 2; // two ids below 2^31 and two separators
const LOOKUP_BLOCK = 1 << 16;

/** Generates the graph and writes it to `out` (through a temporary file, so a partial file is never seen). */
export function writeRmat(scale: number, seed: number, out: string): RmatStats {
  const t0 = performance.now();
  const { keys, samples, selfLoops, duplicates } = rmatEdges(scale, seed);
  const t1 = performance.now();
  const n = 2 ** scale;

  // Compact the ids to 0..nodes-1 by rank: order-preserving, so the keys stay sorted.
  const rank = new Int32Array(n);
  for (let i = 0; i < keys.length; i++) {
    const lo = Math.floor(keys[i] / n);
    rank[lo] = 1;
    rank[keys[i] - lo * n] = 1;
  }
  let nodes = 0;
  for (let id = 0; id < n; id++) rank[id] = rank[id] ? nodes++ : -1;

  mkdirSync(dirname(resolve(out)), { recursive: true });
  const temporary = resolve(dirname(resolve(out)), `.${basename(out)}.${process.pid}.tmp`);
  const fd = openSync(temporary, 'w');
  let bytes = 0;
  try {
    const header =
      `# R-MAT scale ${scale} seed ${seed}: Graph500 a=${RMAT.a} b=${RMAT.b} c=${RMAT.c} d=${RMAT.d}, ` +
      `edge factor ${RMAT.edgeFactor} (${samples} samples); ${nodes} nodes, ${keys.length} edges ` +
      `(${selfLoops} self-loops and ${duplicates} duplicates dropped, ids shuffled); made by bench/rmat.ts\n`;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let at = chunk.write(header, 0, 'latin1');
    // Look the ids up a block at a time, then format the block: interleaving the
    // cache-missing rank[] reads with the digit loops ran three times slower.
    const ids = new Int32Array(2 * LOOKUP_BLOCK);
    for (let start = 0; start < keys.length; start += LOOKUP_BLOCK) {
      const count = Math.min(LOOKUP_BLOCK, keys.length - start);
      for (let j = 0; j < count; j++) {
        const key = keys[start + j];
        const lo = Math.floor(key / n);
        ids[2 * j] = rank[lo];
        ids[2 * j + 1] = rank[key - lo * n];
      }
      for (let j = 0; j < count; j++) {
        if (at > CHUNK_BYTES - MAX_LINE_BYTES) {
          bytes += writeAll(fd, chunk, at);
          at = 0;
        }
        at = writeUint(chunk, at, ids[2 * j]);
        chunk[at++] = 9; // tab
        at = writeUint(chunk, at, ids[2 * j + 1]);
        chunk[at++] = 10; // newline
      }
    }
    bytes += writeAll(fd, chunk, at);
  } catch (err) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(temporary, out);
  const t2 = performance.now();
  return {
    file: out,
    scale,
    seed,
    samples,
    selfLoops,
    duplicates,
    nodes,
    edges: keys.length,
    bytes,
    seconds: { generate: (t1 - t0) / 1000, write: (t2 - t1) / 1000, total: (t2 - t0) / 1000 },
  };
}

/** Writes the decimal digits of a non-negative integer below 2^31 at `at`; returns the end. */
function writeUint(buf: Buffer, at: number, x: number): number {
  let digits = 1;
  for (let p = 10; p <= x; p *= 10) digits++;
  const end = at + digits;
  for (let i = end - 1; i >= at; i--) {
    const q = (x / 10) | 0;
    buf[i] = 48 + (x - q * 10);
    x = q;
  }
  return end;
}

function writeAll(fd: number, buf: Buffer, length: number): number {
  for (let done = 0; done < length; ) done += writeSync(fd, buf, done, length - done);
  return length;
}

export function defaultRmatFile(scale: number, seed: number): string {
  return `bench/graphs/rmat-${scale}-s${seed}.tsv`;
}
