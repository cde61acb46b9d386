/**
 * The reference kernel: one plain top-down BFS per source with a FIFO queue.
 * Kept simple on purpose: every faster kernel is tested against it.
 */
import type { Csr } from '../../graph/csr.js';
import type { BatchResult, KernelFactory, KernelRunOptions } from './types.js';

export const referenceKernel: KernelFactory = (csr: Csr) => {
  const { n, offsets, neighbours } = csr;
  const dist = new Int32Array(n);
  const queue = new Uint32Array(n);

  return (sources: ArrayLike<number>, options?: KernelRunOptions): BatchResult => {
    const histogram: number[] = [0];
    const reached: number[] = [];
    const distanceSum: number[] = [];
    const eccentricity: number[] = [];
    const hopCounts: number[] = [];
    const farthest: number[] = [];
    let maxDistance = 0;
    let arcsScanned = 0;

    for (let k = 0; k < sources.length; k++) {
      const s = sources[k];
      dist.fill(-1);
      dist[s] = 0;
      queue[0] = s;
      let head = 0;
      let tail = 1;
      let sum = 0;
      // This source's hop counts: what it adds to the histogram (the loop below stays as it always was).
      const before = histogram.slice();
      while (head < tail) {
        const u = queue[head++];
        const du = dist[u] + 1;
        const end = offsets[u + 1];
        arcsScanned += end - offsets[u];
        for (let j = offsets[u]; j < end; j++) {
          const v = neighbours[j];
          if (dist[v] < 0) {
            dist[v] = du;
            queue[tail++] = v;
            sum += du;
            while (histogram.length <= du) histogram.push(0);
            histogram[du]++;
          }
        }
      }
      const far = dist[queue[tail - 1]];
      if (far > maxDistance) maxDistance = far;
      for (let d = 1; d <= far; d++) hopCounts.push(histogram[d] - (before[d] ?? 0));
      reached.push(tail - 1);
      distanceSum.push(sum);
      eccentricity.push(far);
      // The smallest node at that distance (every kernel reports the same one).
      let farNode = queue[tail - 1];
      for (let i = tail - 1; i >= 0 && dist[queue[i]] === far; i--) if (queue[i] < farNode) farNode = queue[i];
      farthest.push(farNode);
    }
    const result: BatchResult = { histogram, reached, distanceSum, eccentricity, hopCounts, maxDistance, arcsScanned, arcsRead: arcsScanned };
    if (options?.farthest) result.farthest = farthest;
    return result;
  };
};
