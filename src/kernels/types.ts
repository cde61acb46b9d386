import type { Csr } from '../graph.js';

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

/** A kernel is made once per worker (it owns its scratch memory) and then runs batches. */
export type KernelFactory = (csr: Csr) => (sources: ArrayLike<number>) => BatchResult;
