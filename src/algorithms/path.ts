/**
 * A shortest chain of introductions between two people, found by ngraph.path
 * over the CSR view: NBA* (bidirectional) on undirected graphs, A* on directed
 * ones (a backward search would need in-arcs, which the CSR does not store).
 *
 * Memory and time: ngraph.path keeps a search state per node touched, in a Map
 * (V8: at most 2^24 entries; past that a LimitError says so). Measured on
 * R-MAT scale 22 (2.4M people, 64M edges; bench/path.ts): 20 random pairs at
 * 3-5 hops touched at most 295k nodes, took at most 2.5 s, and raised peak RSS
 * from 560 MiB (the loaded graph) to ~720 MiB.
 */
import ngraphPath from 'ngraph.path';
import type { Graph } from 'ngraph.graph';
import { UsageError } from '../errors.js';
import { count, LimitError, MAX_MAP_ENTRIES } from '../graph/limits.js';
import type { LoadedGraph } from '../io/load.js';
import { ngraphView } from './ngraph-view.js';
import { internalOf, originalOf } from '../graph/renumber.js';

/** The tokens along a shortest path from `from` to `to`, both included; null when `to` cannot be reached. */
export function shortestPath(graph: LoadedGraph, from: string, to: string): string[] | null {
  // A renumbered CSR (graph.order, src/graph/renumber.ts): ids map in and out. The CLI and the API hand
  // this the graph in original numbers, so the chain picked among equally short ones is the same as ever.
  const fromIndex = graph.ids.lookup(from);
  const toIndex = graph.ids.lookup(to);
  if (fromIndex < 0) throw new UsageError(`no such node id '${from}' in ${graph.file}`);
  if (toIndex < 0) throw new UsageError(`no such node id '${to}' in ${graph.file}`);
  const a = internalOf(graph.order, fromIndex);
  const b = internalOf(graph.order, toIndex);
  if (a === b) return [from];
  // The view implements only the part of ngraph.graph's interface that the path finders use.
  const view = ngraphView(graph.csr) as unknown as Graph;
  const finder = graph.csr.directed ? ngraphPath.aStar(view, { oriented: true }) : ngraphPath.nba(view);
  let nodes;
  try {
    nodes = finder.find(a, b); // ngraph.path returns the path from `to` back to `from`
  } catch (err) {
    // ngraph.path keeps one Map entry per node its search touches; V8's Map stops at 2^24 entries.
    if (err instanceof RangeError && /Map maximum size/.test(err.message))
      throw new LimitError(
        `the search for a chain from ${from} to ${to} touched more than ${count(MAX_MAP_ENTRIES)} people, ` +
          "the most ngraph.path's Map holds (a V8 limit); smallworld path cannot answer for this pair",
        graph.file,
      );
    throw err;
  }
  if (nodes.length === 0) return null;
  return nodes.reverse().map((node) => graph.ids.token(originalOf(graph.order, node.id as number)));
}
