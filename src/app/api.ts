/**
 * The library API: everything the CLI does, callable from code.
 *
 *   const graph = await loadGraph('friends.csv.gz');
 *   const report = await estimate(graph, { samples: 2000, seed: 7 });
 *   graph.close();
 *
 * Options are checked (options.ts) before a byte is read. Long calls take an
 * AbortSignal and an onProgress callback; an aborted call rejects with
 * AbortError and leaves no worker thread running.
 */
import type { Readable } from 'node:stream';
import { throwIfAborted, UsageError } from '../errors.js';
import type { LoadedGraph } from '../io/load.js';
import { writeSwg } from '../io/swg.js';
import { shortestPath as findPath } from '../algorithms/path.js';
import { countChains } from '../algorithms/chains.js';
import { checkEstimateOptions, checkInputOptions, checkNodeId, checkPersonOptions, checkPathOptions, checkMilgramOptions, type MilgramOptions, checkTimelineOptions, type TimelineOptions, type PathOptions, type PersonOptions, type EstimateOptions, type InputOptions, type LongCallOptions } from './options.js';
import { estimateLoaded, estimatePath, loadWithHooks, lookupNode, personFigures as figuresOf, type EstimateResult, type PersonFigures } from './run.js';
import { toJson, type EstimateReport } from './report.js';
import type { PersonReport } from './people.js';
import type { MilgramReport } from './milgram.js';
import type { TimelineReport } from './timeline.js';

export interface LoadGraphOptions extends InputOptions, LongCallOptions {
  /** With a stream: the name used in messages and results (default '<stream>'). */
  name?: string;
}

/** Loaded graphs' data, out of reach of callers (and of the declared types). */
const loaded = new WeakMap<Graph, { graph: LoadedGraph; seconds: number }>();

/** A graph in memory, for as many calls as needed; close() lets its memory go. */
export class Graph {
  /** The file (or stream name) it was read from. */
  readonly file: string;
  readonly nodes: number;
  /** Distinct edges (undirected) or arcs (directed) kept. */
  readonly edges: number;
  readonly directed: boolean;

  /** @internal Use loadGraph(). */
  constructor(graph: LoadedGraph, seconds: number) {
    this.file = graph.file;
    this.nodes = graph.stats.nodes;
    this.edges = graph.stats.edges;
    this.directed = graph.csr.directed;
    loaded.set(this, { graph, seconds });
  }

  /** True when `id` is a node of the graph. */
  has(id: string): boolean {
    return data(this).graph.ids.lookup(String(id)) >= 0;
  }

  /** Releases the graph; calls with it afterwards throw. Safe to call twice. */
  close(): void {
    loaded.delete(this);
  }

  get closed(): boolean {
    return !loaded.has(this);
  }
}

function data(graph: Graph): { graph: LoadedGraph; seconds: number } {
  const d = loaded.get(graph);
  if (!d) throw new UsageError(`the graph of ${graph.file} is closed`);
  return d;
}

/**
 * Reads an edge list (SNAP-style, CSV; plain or gzip) or a .swg file, from a
 * path, '-' for stdin, or a readable stream of its bytes.
 */
export async function loadGraph(input: string | Readable, options: LoadGraphOptions = {}): Promise<Graph> {
  const settings = checkInputOptions(options);
  const name = typeof input === 'string' ? input : (options.name ?? '<stream>');
  if (typeof input !== 'string') settings.stream = input;
  const { graph, seconds } = await loadWithHooks(name, settings, options);
  return new Graph(graph, seconds);
}

/** Estimate options plus, when a path is given, how to read it. */
export type EstimateCallOptions = EstimateOptions & LongCallOptions;

/** The input options that only make sense when estimate() reads the file itself. */
const INPUT_KEYS = ['sourceColumn', 'targetColumn', 'delimiter', 'header', 'skipBadLines', 'parser'] as const;

/** The full internal result (what the CLI formats); estimate() returns its JSON form. */
export async function estimateFile(graphOrPath: Graph | string, options: EstimateCallOptions = {}): Promise<EstimateResult> {
  if (graphOrPath instanceof Graph) {
    const given = INPUT_KEYS.filter((k) => options[k] !== undefined);
    if (given.length > 0) throw new UsageError(`${given.join(', ')}: reading options go to loadGraph(), not to estimate() on a loaded graph`);
    const directed = options.directed ?? graphOrPath.directed;
    if (directed !== graphOrPath.directed)
      throw new UsageError(`${graphOrPath.file} was loaded ${graphOrPath.directed ? 'directed' : 'undirected'}: load it again with directed: ${directed}`);
    const settings = checkEstimateOptions({ ...options, directed });
    const { graph, seconds } = data(graphOrPath);
    return estimateLoaded(graph, seconds, settings, options);
  }
  return estimatePath(graphOrPath, checkEstimateOptions(options), options);
}

/** Degrees of separation of a graph (or of the file at a path): the same object `smallworld estimate --json` prints. */
export async function estimate(graphOrPath: Graph | string, options: EstimateCallOptions = {}): Promise<EstimateReport> {
  return toJson(await estimateFile(graphOrPath, options));
}

/** What `smallworld path --json` prints. */
export interface PathReport {
  from: string;
  to: string;
  /** Hops along a shortest chain; null when `to` cannot be reached from `from`. */
  hops: number | null;
  /** The ids along it, both ends included; null when unreachable. */
  path: string[] | null;
  /** Distinct shortest chains from `from` to `to`, exactly, as a decimal string (it can pass 2^53): "0" when unreachable, "1" when from = to. */
  chains: string;
  /** Introducers: `from`'s friends on some shortest chain (0 when they are friends, or the same person). */
  introducers: number;
  /** With `alternatives: K`: up to K introducers, most chains through them first (then in node order), each with their chain count and one shortest chain through them; null otherwise. */
  alternatives: Array<{ introducer: string; chains: string; path: string[] }> | null;
}

async function withGraph<T>(graphOrPath: Graph | string, options: InputOptions & LongCallOptions, work: (graph: LoadedGraph) => T): Promise<T> {
  if (graphOrPath instanceof Graph) {
    throwIfAborted(options.signal);
    return work(data(graphOrPath).graph);
  }
  const { graph } = await loadWithHooks(graphOrPath, checkInputOptions(options), options);
  return work(graph);
}

/** A shortest chain of introductions from one person to another (ngraph.path over the CSR), the number of shortest chains, and with `alternatives` up to that many chains through different introducers. */
export async function shortestPath(graphOrPath: Graph | string, from: string, to: string, options: PathOptions & LongCallOptions = {}): Promise<PathReport> {
  const a = checkNodeId('from', from);
  const b = checkNodeId('to', to);
  const { alternatives } = checkPathOptions(options);
  return withGraph(graphOrPath, options, (graph) => pathReport(graph, a, b, alternatives));
}

/** What `smallworld path --json` prints, on a loaded graph (both ids are looked up first: unknown ones are usage errors). */
export function pathReport(graph: LoadedGraph, a: string, b: string, alternatives: number | null): PathReport {
  const ia = lookupNode(graph, a, 'from');
  const ib = lookupNode(graph, b, 'to');
  const chain = findPath(graph, a, b);
  const counted = countChains(graph.csr, ia, ib);
  const token = (v: number) => graph.ids.token(v);
  return {
    from: a,
    to: b,
    hops: chain ? chain.length - 1 : null,
    path: chain,
    chains: counted.chains.toString(),
    alternatives:
      alternatives === null
        ? null
        : counted.introducers.slice(0, alternatives).map((x) => ({ introducer: token(x.node), chains: x.chains.toString(), path: x.path.map(token) })),
    introducers: counted.introducers.length,
  };
}

/** One person's exact figures: people at each hop (1st, 2nd, 3rd-degree...) and their average distance. */
export async function personFigures(graphOrPath: Graph | string, id: string, options: InputOptions & LongCallOptions = {}): Promise<PersonFigures> {
  const token = checkNodeId('person', id);
  return withGraph(graphOrPath, options, (graph) => figuresOf(graph, lookupNode(graph, token, 'person')));
}

/** `smallworld person --json`: people at each hop, the person's average distance and its standing among a seeded sample's, and --list. */
export async function personReport(graphOrPath: Graph | string, id: string, options: PersonOptions & LongCallOptions = {}): Promise<PersonReport> {
  const token = checkNodeId('person', id);
  const settings = checkPersonOptions(options);
  const { personReportLoaded } = await import('./people.js');
  if (graphOrPath instanceof Graph) {
    throwIfAborted(options.signal);
    const { graph } = data(graphOrPath);
    return personReportLoaded(graph, lookupNode(graph, token, 'person'), settings, options);
  }
  const { graph } = await loadWithHooks(graphOrPath, settings.input, options);
  return personReportLoaded(graph, lookupNode(graph, token, 'person'), settings, options);
}

/** `smallworld milgram --json`: the chain-letter experiment replayed on the graph (see README "Milgram's letters"); `chains: true` adds every chain. */
export async function milgram(graphOrPath: Graph | string, options: MilgramOptions & LongCallOptions & { chains?: boolean } = {}): Promise<MilgramReport> {
  const settings = checkMilgramOptions(options);
  const { milgramLoaded } = await import('./milgram.js');
  if (graphOrPath instanceof Graph) {
    throwIfAborted(options.signal);
    return milgramLoaded(data(graphOrPath).graph, settings, options);
  }
  const { graph } = await loadWithHooks(graphOrPath, settings.input, options);
  return milgramLoaded(graph, settings, options);
}

/** `smallworld timeline --json`: cumulative snapshots by a time column, one seeded estimate each, from one read of the file. */
export async function timeline(path: string, options: TimelineOptions & LongCallOptions): Promise<TimelineReport> {
  const settings = checkTimelineOptions(options);
  const { timelinePath } = await import('./timeline.js');
  return timelinePath(path, settings, options);
}

/** Saves a loaded graph as a .swg file, which every call then reads at disk speed. An existing file is replaced only with `force`; only regular files are written. */
export async function saveGraph(graph: Graph, path: string, options: { force?: boolean } = {}): Promise<void> {
  await writeSwg(data(graph).graph, path, { force: options.force ?? false });
}

export type { EstimateReport, PersonFigures, PersonReport, MilgramReport, TimelineReport };
