import type { KernelFactory } from './types.js';
import { referenceKernel } from './reference.js';
import { dobfsKernel } from './dobfs.js';
import { msbfs32, msbfs64, msbfs128 } from './msbfs.js';

export type { BatchResult, KernelFactory, KernelRunOptions } from './types.js';

/** Every BFS kernel by name; all must return identical results (test/kernels.test.ts). */
export const kernels: Record<string, KernelFactory> = {
  reference: referenceKernel,
  dobfs: dobfsKernel,
  msbfs32,
  msbfs64,
  msbfs128,
};

/**
 * Sources one pass of a kernel takes at once. A multi-source pass with 8
 * sources costs about two thirds of one with 32 (R-MAT above), so batches
 * should be multiples of this.
 */
export const kernelLanes: Record<string, number> = {
  reference: 1,
  dobfs: 1,
  msbfs32: 32,
  msbfs64: 64,
  msbfs128: 128,
};

/**
 * Measured on a 646k-node, 15.7M-edge R-MAT graph (2-core VM shared with other
 * jobs; best of 5 to 7): single thread, batches of 64, msbfs32 and msbfs64 are
 * 40-60x reference, within noise of each other (msbfs64 ahead by 5-15% on quiet
 * runs and on small graphs such as soc-Slashdot0902), dobfs 7-10x. Through the
 * CLI with 2 threads (2048 samples) msbfs32 was faster in 3 runs out of 3
 * (by 2-27%): two workers share the cache, which favours the smaller bit sets.
 * Full 128-lane passes (msbfs128, batches of 128+) are 2x slower per source.
 */
export const defaultKernel = 'msbfs32';

export function kernelNames(): string[] {
  return Object.keys(kernels);
}
