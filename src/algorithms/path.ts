/**
 * A shortest chain of introductions between two people, found by ngraph.path
 * over the CSR view: NBA* (bidirectional) on undirected graphs, A* on directed
 * ones (a backward search would need in-arcs, which the CSR does not store).
 */
import ngraphPath from 'ngraph.path';
import type { Graph } from 'ngraph.graph';
import { UsageError } from '../errors.js';
import type { LoadedGraph } from '../io/load.js';
import { ngraphView } from './ngraph-view.js';

/** The tokens along a shortest path from `from` to `to`, both included; null when `to` cannot be reached. */
export function shortestPath(graph: LoadedGraph, from: string, to: string): string[] | null {
  const a = graph.ids.lookup(from);
  const b = graph.ids.lookup(to);
  if (a < 0) throw new UsageError(`no such node id '${from}' in ${graph.file}`);
  if (b < 0) throw new UsageError(`no such node id '${to}' in ${graph.file}`);
  if (a === b) return [from];
  // The view implements only the part of ngraph.graph's interface that the path finders use.
  const view = ngraphView(graph.csr) as unknown as Graph;
  const finder = graph.csr.directed ? ngraphPath.aStar(view, { oriented: true }) : ngraphPath.nba(view);
  const nodes = finder.find(a, b); // ngraph.path returns the path from `to` back to `from`
  if (nodes.length === 0) return null;
  return nodes.reverse().map((node) => graph.ids.token(node.id as number));
}
