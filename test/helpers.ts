/**
 * Test helpers: where ../shared is, its truth.json, temporary input files, and
 * running the built CLI as a user would.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { LoadedGraph } from '../src/io/load.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DATASETS = resolve(ROOT, '../shared/datasets');
export const CLI = join(ROOT, 'dist/src/app/cli.js');

/**
 * True when ../shared/datasets is here. In CI (CI=true) its absence is a failure;
 * elsewhere tests that need it are skipped, with the reason printed once.
 */
export function haveShared(): boolean {
  if (existsSync(join(DATASETS, 'truth.json'))) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${DATASETS} is missing: the truth tests cannot run`);
  console.warn(`skipping tests that need ${DATASETS}: not found (they run in CI)`);
  return false;
}

export interface Truth {
  nodes: number;
  undirectedEdges: number;
  selfLoopLines: number;
  meanDistance: number;
  diameter: number;
  effectiveDiameter90: number;
  distanceHistogram: number[];
  connectedOrderedPairs: number;
  unconnectedOrderedPairs: number;
  directed?: {
    arcs: number;
    reachablePairFraction: number;
    meanDistance: number;
    diameter: number;
    effectiveDiameter90: number;
    distanceHistogram: number[];
  };
}

export function loadTruth(): Record<string, Truth> {
  return JSON.parse(readFileSync(join(DATASETS, 'truth.json'), 'utf8')).datasets;
}

let scratch: string | undefined;
/** Writes `content` to a fresh temporary file (gzip-compressed when asked) and returns its path. */
export function tempFile(name: string, content: string | Buffer, gzip = false): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'smallworld-test-'));
  const path = join(scratch, name);
  writeFileSync(path, gzip ? gzipSync(content) : content);
  return path;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], input?: string | Buffer): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'utf8', cwd: ROOT, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The graph as a sorted list of "token-token" arcs, so two loads can be compared by value. */
export function arcs(g: LoadedGraph): string[] {
  const out: string[] = [];
  const { offsets, neighbours, n } = g.csr;
  for (let u = 0; u < n; u++)
    for (let j = offsets[u]; j < offsets[u + 1]; j++) out.push(`${g.ids.token(u)}-${g.ids.token(neighbours[j])}`);
  return out.sort();
}
