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

export const defaultKernel = 'reference';

export function kernelNames(): string[] {
  return Object.keys(kernels);
}
