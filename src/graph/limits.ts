/**
 * The largest graph smallworld holds, and the guards that refuse anything
 * larger with one line naming the limit, before the big arrays are allocated
 * (issue #10, "no silent damage at the edges").
 *
 * Where the limits come from (Node 20, V8 11.3, 64-bit):
 *
 * - Arcs. The CSR offsets are a Uint32Array, so a graph holds at most
 *   2^32 - 1 stored adjacency entries (each undirected edge counts twice):
 *   2,147,483,647 undirected friendships or 4,294,967,295 directed arcs. The
 *   neighbours array is then a 16 GiB Uint32Array, which V8 allows (a typed
 *   array holds at most 2^32 elements, whatever their size).
 * - Nodes. Node numbers are u32 and offsets has n + 1 entries: n <= 2^32 - 2.
 * - Byte views. Since a typed array holds at most 2^32 elements, a Uint8Array
 *   view spans at most 4 GiB. Code that needs bytes of a bigger array (the .swg
 *   reader and writer) takes views of one chunk at a time; HyperBall's counters
 *   are one-byte registers read through a Uint8Array, so each copy of them must
 *   fit in 4 GiB: n * 2^log2m <= 2^32.
 * - Map entries. A V8 Map holds at most 2^24 entries; ngraph.path (`smallworld
 *   path`) keeps one per node its search touches, so a search touching more
 *   than 16.7M people fails, with one line saying so.
 *
 * The guards take the limit as a parameter (the real one by default) so tests
 * can try them with small sizes.
 */
import { InputError, UsageError } from '../errors.js';

/** Stored adjacency entries: offsets are u32. */
export const MAX_ARCS = 2 ** 32 - 1;
/** Nodes: numbered in u32, with n + 1 offsets. */
export const MAX_NODES = 2 ** 32 - 2;
/** Entries of a V8 Map: ngraph.path's search state holds one per node touched. */
export const MAX_MAP_ENTRIES = 2 ** 24;
/** Elements of one typed array, hence bytes of one Uint8Array view (V8's kMaxLength on 64-bit). */
export const MAX_VIEW_BYTES = 2 ** 32;

/**
 * A graph or file beyond a limit: one line, exit 1 like any other input problem.
 * `file` is the input when known; without it the message is the reason alone.
 */
export class LimitError extends InputError {
  constructor(reason: string, file?: string) {
    super(file ?? '', undefined, reason);
    this.name = 'LimitError';
    if (file === undefined) this.message = reason;
  }
}

/** 4400000000 -> "4,400,000,000". */
export function count(x: number): string {
  return x.toLocaleString('en-US');
}

/** "2^32 - 1" style names for the usual limits; '' otherwise. */
function limitName(limit: number): string {
  if (Number.isInteger(Math.log2(limit + 1))) return `2^${Math.log2(limit + 1)} - 1`;
  if (Number.isInteger(Math.log2(limit))) return `2^${Math.log2(limit)}`;
  return '';
}

/**
 * Refuses more than `limit` stored arcs. `what` says what was counted ("the
 * graph has", "the edge list gives"); `file` names the input when known.
 */
export function checkArcs(arcs: number, what = 'the graph has', file?: string, limit = MAX_ARCS): void {
  if (arcs <= limit) return;
  const name = limitName(limit);
  throw new LimitError(
    `${what} ${count(arcs)} arcs; smallworld holds at most ${count(limit)} arcs (${name ? `${name}; ` : ''}an undirected edge is two arcs)`,
    file,
  );
}

/** Refuses more than `limit` nodes. */
export function checkNodes(n: number, file?: string, limit = MAX_NODES): void {
  if (n <= limit) return;
  throw new LimitError(`the graph has ${count(n)} nodes; smallworld holds at most ${count(limit)} nodes${limitName(limit) ? ` (${limitName(limit)})` : ''}`, file);
}

/**
 * The largest log2m (registers per HyperBall counter = 2^log2m) whose counters
 * for n nodes fit one typed-array view: n * 2^log2m <= viewBytes. -Infinity
 * when not even one register per node fits.
 */
export function largestFittingLog2m(n: number, viewBytes = MAX_VIEW_BYTES): number {
  if (n <= 0) return Infinity;
  return Math.floor(Math.log2(viewBytes / n));
}

/**
 * HyperBall's register count for n nodes. Without `requested`: `preferred`, or
 * the largest below it that fits a view. With it: `requested`, or a UsageError
 * naming the largest log2m that fits. Below `min` nothing is possible: a
 * UsageError saying how many nodes fit at `min`.
 */
export function chooseHyperBallLog2m(
  n: number,
  requested: number | undefined,
  preferred: number,
  min: number,
  viewBytes = MAX_VIEW_BYTES,
): number {
  const fits = largestFittingLog2m(n, viewBytes);
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (fits < min)
    throw new UsageError(
      `HyperBall cannot run on ${count(n)} nodes: even 2^${min} one-byte registers per node need ${gib(n * 2 ** min)} per copy ` +
        `of the counters, and one typed array holds at most ${gib(viewBytes)} (${count(Math.floor(viewBytes / 2 ** min))} nodes at 2^${min}); use --method bfs`,
    );
  if (requested === undefined) return Math.min(preferred, fits);
  if (requested > fits)
    throw new UsageError(
      `HyperBall with 2^${requested} registers per counter needs ${gib(n * 2 ** requested)} per copy of the counters for ` +
        `${count(n)} nodes; one typed array holds at most ${gib(viewBytes)}: the largest that fits is --registers ${fits}`,
    );
  return requested;
}
