/**
 * Generates data/sample-social.tsv, the sample graph `npm start` measures.
 *
 * Model: Holme-Kim (2002), preferential attachment with triad formation, the
 * simplest growth model with both a heavy-tailed degree distribution and the
 * high clustering of real friendship networks. Each newcomer links to M people:
 * the first chosen in proportion to degree, each further one, with probability
 * P_TRIAD, a friend of the previous choice ("a friend of a friend"), else again
 * by degree. Seeded (mulberry32), so the file is the same on every machine:
 *
 *   node dist/data/generate-sample.js [OUT] [--nodes N] [--seed S]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../src/stats/random.js';

export const SAMPLE = { nodes: 20_000, edgesPerNode: 4, triadProbability: 0.6, seed: 20111121 };

export function holmeKim(nodes: number, m: number, pTriad: number, seed: number): Array<[number, number]> {
  const rand = mulberry32(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const friends: Set<number>[] = [];
  const endpoints: number[] = []; // every edge endpoint once: uniform pick = pick by degree
  const edges: Array<[number, number]> = [];
  const link = (u: number, v: number) => {
    friends[u].add(v);
    friends[v].add(u);
    endpoints.push(u, v);
    edges.push([u, v]);
  };
  // A small complete core to attach to.
  for (let v = 0; v <= m; v++) {
    friends.push(new Set());
    for (let u = 0; u < v; u++) link(u, v);
  }
  for (let v = m + 1; v < nodes; v++) {
    friends.push(new Set());
    let previous = -1;
    while (friends[v].size < m) {
      let w = -1;
      if (previous >= 0 && rand() < pTriad) {
        const candidates = [...friends[previous]].filter((x) => x !== v && !friends[v].has(x));
        if (candidates.length > 0) w = candidates[pick(candidates.length)];
      }
      if (w < 0) {
        w = endpoints[pick(endpoints.length)];
        if (w === v || friends[v].has(w)) continue;
        previous = w;
      }
      link(v, w);
    }
  }
  return edges;
}

export function sampleText(nodes = SAMPLE.nodes, seed = SAMPLE.seed): string {
  const edges = holmeKim(nodes, SAMPLE.edgesPerNode, SAMPLE.triadProbability, seed);
  const head =
    `# smallworld sample social graph: Holme-Kim model, ${nodes} people, ${edges.length} friendships\n` +
    `# (m=${SAMPLE.edgesPerNode}, triad probability ${SAMPLE.triadProbability}, seed ${seed}); made by data/generate-sample.ts\n`;
  return head + edges.map(([u, v]) => `${u}\t${v}\n`).join('');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { nodes: { type: 'string' }, seed: { type: 'string' } },
  });
  const out = positionals[0] ?? 'data/sample-social.tsv';
  writeFileSync(out, sampleText(Number(values.nodes ?? SAMPLE.nodes), Number(values.seed ?? SAMPLE.seed)));
  process.stderr.write(`wrote ${out}\n`);
}
