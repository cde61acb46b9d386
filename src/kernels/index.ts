import type { KernelFactory } from './types.js';
import { referenceKernel } from './reference.js';
import { dobfsKernel } from './dobfs.js';
import { msbfs32, msbfs64, msbfs128 } from './msbfs.js';

export type { BatchResult, KernelFactory } from './types.js';

/** Every BFS kernel by name; all must return identical results (test/kernels.test.ts). */
export const kernels: Record<string, KernelFactory> = {
  reference: referenceKernel,
  dobfs: dobfsKernel,
  msbfs32,
  msbfs64,
  msbfs128,
};

/**
 * Sources one pass of a kernel takes at once. A multi-source pass costs about
 * the same with 4 sources as with 32, so batches should be multiples of this.
 */
export const kernelLanes: Record<string, number> = {
  reference: 1,
  dobfs: 1,
  msbfs32: 32,
  msbfs64: 64,
  msbfs128: 128,
};

/**
 * Fastest measured, single thread, batches of 64, on a 646k-node, 15.7M-edge
 * R-MAT graph: msbfs32 ~50x reference, msbfs64 about the same or up to 20%
 * slower (faster by ~15% on graphs small enough for its bit sets to stay in
 * cache, e.g. soc-Slashdot0902), msbfs128 2x slower, dobfs ~10x reference.
 */
export const defaultKernel = 'msbfs32';

export function kernelNames(): string[] {
  return Object.keys(kernels);
}
