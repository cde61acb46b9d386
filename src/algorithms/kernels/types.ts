import type { Csr } from '../../graph/csr.js';

/**
 * What one batch of BFS sources yields: small, whatever the graph size.
 * Counts are exact integers held in doubles (exact up to 2^53).
 */
export interface BatchResult {
  /** histogram[d] = ordered pairs (s, t), s in the batch, at distance d >= 1; histogram[0] = 0. */
  histogram: number[];
  /** Per source, in batch order: nodes reachable from it (itself excluded). */
  reached: number[];
  /** Per source, in batch order: sum of distances to those nodes. */
  distanceSum: number[];
  /**
   * Per source, in batch order: its eccentricity within what it reaches (the
   * largest distance to a node it reaches; 0 when it reaches no one).
   */
  eccentricity: number[];
  /**
   * Per source, in batch order, the nodes at distance 1, 2, ..., eccentricity:
   * source i's counts are the eccentricity[i] entries after those of sources
   * 0 .. i-1 (sum of the counts = reached[i]). The per-source variation these
   * give is what the intervals of the within-h fractions and the effective
   * diameter are computed from (src/estimate.ts). A few numbers per source, made
   * once per BFS level, never in the per-arc loops. The worker drops them (both
   * arrays empty) when the run takes every node as a source: see workers/bfs-worker.ts.
   */
  hopCounts: number[];
  /**
   * Per source, in batch order: one node at distance eccentricity[i] from it
   * (the source itself when it reaches no one): the smallest such node, so the
   * same in every kernel and batch. Only when the run was asked for it
   * ({ farthest: true }). The
   * exact diameter starts from these (src/algorithms/diameter.ts).
   */
  farthest?: number[];
  /** Largest distance seen from any source of the batch. */
  maxDistance: number;
  /**
   * Adjacency entries a plain BFS from each source reads: the out-degrees of
   * every node it reaches, itself included. The same for every kernel (the fast
   * ones read far fewer), so edges-per-second figures compare across kernels,
   * threads and batch sizes, like Graph500's TEPS.
   */
  arcsScanned: number;
  /**
   * Adjacency entries this kernel actually read: the work it did. Depends on
   * the kernel and on how sources were batched, so it is a timing figure, not
   * part of the estimate.
   */
  arcsRead: number;
}

/** What a run may report beyond the figures every run reports. */
export interface KernelRunOptions {
  /** Also report each source's farthest node (BatchResult.farthest). */
  farthest?: boolean;
}

/** A kernel is made once per worker (it owns its scratch memory) and then runs batches. */
export type KernelFactory = (csr: Csr) => (sources: ArrayLike<number>, options?: KernelRunOptions) => BatchResult;
