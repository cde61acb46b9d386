/**
 * `smallworld person FILE ID`: one person's view of the graph. An exact BFS
 * from them gives the people at 1, 2, 3 ... hops (LinkedIn's 1st, 2nd and
 * 3rd-degree connections) and their own average distance; a seeded sample of
 * sources from the largest component (BFS on the worker pool, the estimate's
 * per-source reached / distance sums) gives the population's per-person
 * averages, and where the person's average sits among them, with a Wilson 95%
 * interval for that proportion.
 */
import { largestComponent } from '../graph/components.js';
import type { LoadedGraph } from '../io/load.js';
import { defaultKernel, kernelLanes } from '../algorithms/kernels/index.js';
import { BfsPool, chooseBatchSize } from '../parallel/bfs-pool.js';
import { sampleSources } from '../stats/random.js';
import { throwIfAborted } from '../errors.js';
import { bfsFrom } from '../algorithms/bfs.js';
import { wilson } from '../stats/intervals.js';
import type { LongCallOptions, PersonSettings } from './options.js';

export interface PersonReport {
  file: string;
  id: string;
  nodes: number;
  directed: boolean;
  /** People this person reaches (themself excluded): the total over every hop. */
  reached: number;
  /** Element d = people at exactly d hops; element 0 is 0. */
  hopCounts: number[];
  /** Element d = people within d hops. */
  withinHops: number[];
  /** Their average distance to the people they reach (null when they reach no one), and minus one. */
  meanDistance: number | null;
  degreesOfSeparation: number | null;
  /** The largest (weakly, when directed) connected component: its size, and whether the person is in it. */
  largestComponent: { nodes: number; contains: boolean };
  /**
   * Where the person's average distance sits among the per-person averages of a seeded sample of people
   * of the largest component (the person left out): `closerThan` = the share of sampled people whose own
   * average distance is strictly larger, with a Wilson 95% interval for that proportion. Null when the
   * person is outside the largest component (the averages are not comparable) or reaches no one.
   */
  standing: {
    closerThan: number;
    closerThanCi95: [number, number];
    sampled: number;
    fartherCount: number;
    tiedCount: number;
    seed: number;
    populationMedianMeanDistance: number;
  } | null;
  /** --list K: up to K ids at each of the first three hops, in node order (the order the graph numbered them). */
  list: Array<{ hops: number; people: number; ids: string[] }> | null;
  /** One line when something about this person needs saying (outside the largest component, reaches no one). */
  note: string | null;
}

/** The person's report on a loaded graph; `index` from lookupNode. */
export async function personReportLoaded(graph: LoadedGraph, index: number, s: PersonSettings, hooks: LongCallOptions = {}): Promise<PersonReport> {
  const { csr } = graph;
  const { dist, order, reached } = bfsFrom(csr, index);
  const hopCounts: number[] = [0];
  let sum = 0;
  for (let i = 1; i < order.length; i++) {
    const d = dist[order[i]];
    while (hopCounts.length <= d) hopCounts.push(0);
    hopCounts[d]++;
    sum += d;
  }
  let within = 0;
  const withinHops = hopCounts.map((h) => (within += h));
  const meanDistance = reached > 0 ? sum / reached : null;

  const members = largestComponent(csr);
  const contains = binaryHas(members, index);
  const id = graph.ids.token(index);
  let note: string | null = null;
  if (!contains) note = `${id} reaches only ${reached} ${reached === 1 ? 'person' : 'people'}: outside the largest component of ${members.length}`;
  else if (reached === 0) note = `${id} reaches no one (directed: no arcs out)`;

  let list: PersonReport['list'] = null;
  if (s.list !== null) {
    list = [];
    for (let d = 1; d <= 3; d++) {
      const ids: number[] = [];
      if (d < hopCounts.length && s.list > 0) {
        for (let v = 0; v < csr.n && ids.length < s.list; v++) if (dist[v] === d) ids.push(v);
      }
      list.push({ hops: d, people: hopCounts[d] ?? 0, ids: ids.map((v) => graph.ids.token(v)) });
    }
  }

  let standing: PersonReport['standing'] = null;
  if (contains && meanDistance !== null && s.samples > 0) {
    throwIfAborted(hooks.signal);
    const picks = sampleSources(members.length, s.samples, s.seed);
    const sources: number[] = [];
    for (const p of picks) if (members[p] !== index) sources.push(members[p]);
    const report = hooks.onProgress;
    report?.({ file: graph.file, stage: 'bfs', done: 0, total: sources.length, unit: 'sources' });
    const pool = new BfsPool(csr, s.threads);
    let means: number[];
    try {
      const kernel = defaultKernel;
      const batches = await pool.run(Uint32Array.from(sources), {
        kernel,
        batchSize: chooseBatchSize(sources.length, pool.threads, kernelLanes[kernel] ?? 1),
        keepHopCounts: false,
        onProgress: (done) => report?.({ file: graph.file, stage: 'bfs', done, total: sources.length, unit: 'sources' }),
        signal: hooks.signal,
      });
      means = batches.flatMap((b) => b.reached.flatMap((r, i) => (r > 0 ? [b.distanceSum[i] / r] : [])));
    } finally {
      await pool.close();
    }
    // Averages equal to the person's (within rounding) are ties, not "farther".
    const eps = 1e-12;
    const farther = means.filter((m) => m > meanDistance + eps).length;
    const tied = means.filter((m) => Math.abs(m - meanDistance) <= eps).length;
    const sorted = [...means].sort((a, b) => a - b);
    standing = {
      closerThan: means.length > 0 ? farther / means.length : 0,
      closerThanCi95: wilson(farther, means.length),
      sampled: means.length,
      fartherCount: farther,
      tiedCount: tied,
      seed: s.seed,
      populationMedianMeanDistance: sorted.length > 0 ? sorted[Math.ceil(sorted.length / 2) - 1] : NaN,
    };
  }

  return {
    file: graph.file,
    id,
    nodes: csr.n,
    directed: csr.directed,
    reached,
    hopCounts,
    withinHops,
    meanDistance,
    degreesOfSeparation: meanDistance === null ? null : meanDistance - 1,
    largestComponent: { nodes: members.length, contains },
    standing,
    list,
    note,
  };
}

function binaryHas(sorted: Uint32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] === x) return true;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

const ORDINAL = ['', '1st', '2nd', '3rd'];

/** The readable report. */
export function formatPerson(r: PersonReport): string {
  const lines: string[] = [];
  lines.push(`${r.id} in ${r.file} (${r.nodes} people, ${r.directed ? 'directed' : 'undirected'})`);
  if (r.note) lines.push(r.note);
  lines.push(`  hops  people  within`);
  for (let d = 1; d < r.hopCounts.length; d++) {
    const label = d <= 3 ? ` (${ORDINAL[d]} degree)` : '';
    lines.push(`  ${String(d).padStart(4)}  ${String(r.hopCounts[d]).padStart(6)}  ${String(r.withinHops[d]).padStart(6)}${label}`);
  }
  lines.push(`  total: ${r.reached} ${r.reached === 1 ? 'person' : 'people'} reachable`);
  if (r.meanDistance !== null) lines.push(`  average distance ${r.meanDistance.toFixed(4)} (${r.degreesOfSeparation!.toFixed(2)} degrees of separation)`);
  if (r.standing) {
    const st = r.standing;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    lines.push(
      `  closer to everyone than ${pct(st.closerThan)} of people (95% CI ${pct(st.closerThanCi95[0])} to ${pct(st.closerThanCi95[1])}; ` +
        `${st.sampled} people of the largest component sampled, seed ${st.seed}; their median average distance ${st.populationMedianMeanDistance.toFixed(4)})`,
    );
  }
  if (r.list) {
    for (const g of r.list) {
      const more = g.people - g.ids.length;
      lines.push(`  ${ORDINAL[g.hops]} degree (${g.people}): ${g.ids.join(' ')}${more > 0 ? `${g.ids.length > 0 ? ' ' : ''}... and ${more} more` : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}
