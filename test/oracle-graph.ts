/**
 * An independent reading of a shared dataset for oracle tests: gunzip, split
 * lines on whitespace/commas, skip comments and a non-numeric header, and put
 * every edge into an ngraph.graph (nothing of smallworld's loader or CSR).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import createGraph, { type Graph } from 'ngraph.graph';

export function readOracle(path: string): Graph {
  const g = createGraph();
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('%')) continue;
    const f = line.trim().split(/[\s,]+/);
    if (!/^\d+$/.test(f[0])) continue; // a header
    if (f[0] === f[1]) {
      g.addNode(f[0]);
      continue;
    }
    if (!g.hasLink(f[0], f[1]) && !g.hasLink(f[1], f[0])) g.addLink(f[0], f[1]);
  }
  return g;
}

/** Hop distances from `from` over undirected links. */
export function oracleDistances(g: Graph, from: string): Map<string, number> {
  const dist = new Map<string, number>([[from, 0]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    const du = dist.get(u)!;
    g.forEachLinkedNode(u, (other) => {
      const v = String(other.id);
      if (!dist.has(v)) {
        dist.set(v, du + 1);
        queue.push(v);
      }
    });
  }
  return dist;
}
