/**
 * Source batches on BullMQ over Redis (README "Operations").
 *
 * The coordinator (`estimate FILE.swg --queue URL`) draws the sources exactly as a
 * local run does and hands the batches to the queue as one BullMQ flow (a parent
 * job per run in RUNS_QUEUE, the batches its children), each a job whose id is
 * derived from a run id (a hash of the graph's content hash, the seed, the sources
 * asked for and the options that change the figures) and the batch's place in the
 * source order. Before it loads the graph itself it announces it (announceGraph),
 * so idle workers load it meanwhile. Workers (`smallworld worker --queue URL`) run the batches on their
 * own Piscina pool (BfsPool) over the .swg file the job names, after checking
 * its content hash (graphHash) against the job's. Only batch descriptions (path, hash, kernel,
 * source ids) and the per-batch BatchResult (small integers) go through Redis.
 *
 * The figures do not depend on where batches ran or how the sources were cut
 * into batches: summarize() sums histograms (integers, exact) and takes every
 * per-source value in source order, so the merged estimate is the same bits as
 * a local run's. Results are kept by batch index, so a batch computed twice
 * counts once; finished jobs stay in Redis (removeOnComplete: false), so a
 * coordinator started again with the same command finds them and waits only for
 * the rest.
 */
import { createHash } from 'node:crypto';
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { SWG_HEADER_BYTES } from '../io/swg.js';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { BatchResult } from '../algorithms/kernels/types.js';
import { defaultKernel, kernelLanes } from '../algorithms/kernels/index.js';
import { BfsPool, type DiameterTask, type RunOptions } from '../parallel/bfs-pool.js';
import type { DiameterResult } from '../algorithms/diameter.js';
import type { LoadedGraph } from '../io/load.js';

export { QUEUE_ENV, QUEUE_NAME, checkQueueUrl, redactText, redactUrl } from './queue-url.js';
import { QUEUE_NAME, redactText, redactUrl } from './queue-url.js';

/** Timings of BullMQ's locks and stalled-job checks; tests lower them through the environment. */
export function lockSettings(): { lockDuration: number; stalledInterval: number } {
  const ms = (name: string, fallback: number) => {
    const v = Number(process.env[name]);
    return Number.isFinite(v) && v > 0 ? v : fallback;
  };
  return { lockDuration: ms('SMALLWORLD_QUEUE_LOCK_MS', 30_000), stalledInterval: ms('SMALLWORLD_QUEUE_STALLED_MS', 15_000) };
}

/** A Redis connection from a checked URL (maxRetriesPerRequest: null, as BullMQ's workers need). */
async function connect(url: string) {
  const { Redis } = await import('ioredis');
  const connection = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // ioredis reports connection trouble as 'error' events; show them once each, redacted, never the URL's password.
  let last = '';
  connection.on('error', (err: Error) => {
    const line = `smallworld: queue ${redactUrl(url)}: ${redactText(err.message)}`;
    if (line !== last) process.stderr.write(line + '\n');
    last = line;
  });
  return connection;
}

/**
 * The graph's content hash: sha256 of the .swg file's 176-byte header, hex. The header holds the
 * sizes and counts, the file size and the CRC-32 of every section (and its own CRC-32), and readSwg
 * checks every section's bytes against those CRCs when it loads the file, so two files with the same
 * hash load as the same graph (a changed section would need all four CRC-32s to collide by chance:
 * 2^-128). One 176-byte read instead of hashing every byte (31 MB at R-MAT scale 18); cached by
 * path, size and mtime all the same. Copying the file elsewhere keeps its hash (no times in it).
 */
const hashCache = new Map<string, { size: number; mtimeMs: number; hash: string }>();
export async function graphHash(path: string): Promise<string> {
  const full = resolve(path);
  const st = statSync(full);
  const cached = hashCache.get(full);
  if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.hash;
  const header = Buffer.alloc(SWG_HEADER_BYTES);
  const fd = openSync(full, 'r');
  try {
    if (readSync(fd, header, 0, SWG_HEADER_BYTES, 0) !== SWG_HEADER_BYTES || header.toString('latin1', 0, 8) !== 'SMALLWLD')
      throw new InputError(full, undefined, 'not a .swg file (convert the edge list first: smallworld convert EDGES FILE.swg)');
  } finally {
    closeSync(fd);
  }
  const hash = createHash('sha256').update(header).digest('hex');
  hashCache.set(full, { size: st.size, mtimeMs: st.mtimeMs, hash });
  return hash;
}

/** True when the file starts with the .swg magic. */
export function looksLikeSwg(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(8);
      readSync(fd, b, 0, 8, 0);
      return b.toString('latin1') === 'SMALLWLD';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The queue of the flows' parent jobs, one per run: no worker takes them (they only group the batches). */
export const RUNS_QUEUE = `${QUEUE_NAME}-runs`;

/** The QueueEvents event a coordinator publishes to announce the graph of the run it is starting. */
const GRAPH_EVENT = 'smallworld-graph';
/**
 * The Redis stream QueueEvents reads: BullMQ's key for the queue's events (prefix 'bull', QueueKeys).
 * The announce writes it with ioredis alone, as QueueEventsProducer.publishEvent does (XADD, fields
 * `event` and the event's own, trimmed to about 10,000 entries like BullMQ's), because importing
 * BullMQ costs the coordinator ~0.15 s before the workers hear of the graph. test/queue.test.ts checks
 * that workers hear it.
 */
const EVENTS_STREAM = `bull:${QUEUE_NAME}:events`;

/**
 * Tells idle workers which graph is coming (its path and hash), before the coordinator loads the
 * graph itself, draws its sources and enqueues: they load it meanwhile, so the first batches do not
 * wait for it. Only a hint: it is silent on failure (the run itself reports Redis trouble), and a
 * worker that missed it loads the graph when its first job comes.
 */
export async function announceGraph(url: string, file: string): Promise<void> {
  if (!looksLikeSwg(file)) return;
  const { Redis } = await import('ioredis');
  const connection = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 2000 });
  connection.on('error', () => {});
  let timer: NodeJS.Timeout | undefined;
  try {
    const path = resolve(file);
    const hash = await graphHash(path);
    // At most 2 s: an unreachable server is reported by the run itself.
    await Promise.race([
      connection.xadd(EVENTS_STREAM, 'MAXLEN', '~', '10000', '*', 'event', GRAPH_EVENT, 'path', path, 'hash', hash),
      new Promise((r) => (timer = setTimeout(r, 2000))),
    ]);
  } catch {
    // a hint only
  } finally {
    clearTimeout(timer);
    connection.disconnect();
  }
}

/** What one job carries: the batch description, nothing of the graph itself. */
export interface BatchJob {
  runId: string;
  /** Index of the batch in the run's source order. */
  batch: number;
  /** Absolute path of the .swg file, as the workers see it. */
  graph: string;
  /** The file's content hash (graphHash: sha256 of the .swg header, which holds every section's CRC-32). */
  hash: string;
  directed: boolean;
  kernel: string;
  keepHopCounts: boolean;
  /**
   * Also return each source's farthest node (BatchResult.farthest), where the exact diameter starts.
   * In the .swg's own node numbers, which the coordinator holds too: the hash says it is the same file.
   */
  farthest?: boolean;
  /** Node indices, in source order. */
  sources: number[];
}

/** The exact diameter as a job (QueueRunner.diameter): seeds in the .swg's own node numbers. */
export interface DiameterJob {
  graph: string;
  hash: string;
  directed: boolean;
  diameter: { timeBudgetSeconds?: number; seeds?: { lower: number; periphery: number[] } };
}

/** Every job: retried with backoff, kept after it ends so a coordinator started again finds it. */
const JOB_OPTIONS = { attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: false, removeOnFail: false } as const;

/** What identifies a run: everything that changes which sources are drawn or what a batch computes. */
export interface RunKey {
  hash: string;
  seed: number;
  /** 'samples K', 'exact', or 'order' (--precision draws one fixed order of every node). */
  draw: string;
  largestComponent: boolean;
  directed: boolean;
  kernel: string;
}

export function runIdOf(key: RunKey): string {
  return createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 20);
}

/** Job ids: the run id, the batch's source range and whether hop counts are kept. BullMQ ids may not contain ':'. */
export function jobIdOf(runId: string, start: number, end: number, keepHopCounts: boolean): string {
  return `${runId}-${start}-${end}-${keepHopCounts ? 'h' : 'n'}`;
}

/** Several batches' results as one (per-source arrays in order, histograms and counts added). */
export function concatBatches(parts: BatchResult[]): BatchResult {
  const histogram: number[] = [];
  const out: BatchResult = { histogram, reached: [], distanceSum: [], eccentricity: [], hopCounts: [], maxDistance: 0, arcsScanned: 0, arcsRead: 0 };
  if (parts.length > 0 && parts.every((p) => p.farthest)) out.farthest = parts.flatMap((p) => p.farthest!);
  for (const p of parts) {
    for (let d = 0; d < p.histogram.length; d++) histogram[d] = (histogram[d] ?? 0) + p.histogram[d];
    out.reached.push(...p.reached);
    out.distanceSum.push(...p.distanceSum);
    out.eccentricity.push(...p.eccentricity);
    out.hopCounts.push(...p.hopCounts);
    out.maxDistance = Math.max(out.maxDistance, p.maxDistance);
    out.arcsScanned += p.arcsScanned;
    out.arcsRead += p.arcsRead;
  }
  return out;
}

/** Checks a worker's diameter before it is reported. */
function checkDiameter(r: unknown, jobId: string): DiameterResult {
  const d = r as DiameterResult;
  const int = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!d || !(d.diameter === null || int(d.diameter)) || !Array.isArray(d.bounds) || d.bounds.length !== 2 || !d.bounds.every(int) || !int(d.bfsRuns) || typeof d.exact !== 'boolean')
    throw new Error(`queue job ${jobId}: the worker's diameter is malformed`);
  return d;
}

/** Checks a worker's answer before it is merged: the right number of sources, integers only. */
function checkResult(r: unknown, count: number, jobId: string): BatchResult {
  const b = r as BatchResult;
  const ints = (a: unknown) => Array.isArray(a) && a.every((x) => Number.isSafeInteger(x) && x >= 0);
  if (!b || !ints(b.histogram) || !ints(b.reached) || !ints(b.distanceSum) || !ints(b.eccentricity) || !ints(b.hopCounts) || b.reached.length !== count || b.distanceSum.length !== count)
    throw new Error(`queue job ${jobId}: the worker's result is malformed`);
  // Farthest nodes only seed the diameter's search: a result without them (or with odd ones) is still exact.
  if (b.farthest !== undefined && !(ints(b.farthest) && b.farthest.length === count)) delete b.farthest;
  return b;
}

export interface QueueRunnerOptions {
  url: string;
  graph: LoadedGraph;
  /** Absolute path of the .swg file (what workers open). */
  path: string;
  hash: string;
  key: Omit<RunKey, 'hash' | 'kernel' | 'directed'>;
  /** A line for the user (stderr in the CLI): "resumed: ...". */
  note?: (line: string) => void;
}

/**
 * The coordinator's side: the same run() as BfsPool (sources in, BatchResults in batch order out),
 * but the batches are jobs on the queue. `threads` only shapes the batches (as for a two-thread pool).
 */
export class QueueRunner {
  readonly nodes: number;
  /**
   * Batches are cut as for a pool of this many threads (chooseBatchSize): 512 sources make 16 jobs of
   * 32 (one pass of the 32-lane kernel), so two or three workers share them evenly; any cut gives the
   * same figures.
   */
  readonly threads = 4;
  private readonly connection: Awaited<ReturnType<typeof connect>>;
  private queue: import('bullmq').Queue | null = null;
  private runs: import('bullmq').Queue | null = null;
  private flows: import('bullmq').FlowProducer | null = null;
  private events: import('bullmq').QueueEvents | null = null;
  private eventsConnection: Awaited<ReturnType<typeof connect>> | null = null;
  /** Batches run so far in this process, and of those, found already done in Redis. */
  batchesTotal = 0;
  batchesAlreadyDone = 0;

  private constructor(
    private readonly o: QueueRunnerOptions,
    connection: Awaited<ReturnType<typeof connect>>,
  ) {
    this.nodes = o.graph.csr.n;
    this.connection = connection;
  }

  static async open(o: QueueRunnerOptions): Promise<QueueRunner> {
    const connection = await connect(o.url);
    // Reach the server before any BullMQ object exists, so that a wrong URL ends the run in 10 s
    // with one line instead of reconnecting forever.
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        connection.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new InputError(redactUrl(o.url), undefined, 'cannot reach the Redis server (10 s)')), 10_000))),
      ]);
    } catch (err) {
      connection.disconnect();
      throw err instanceof InputError ? err : new InputError(redactUrl(o.url), undefined, redactText((err as Error).message));
    } finally {
      clearTimeout(timer);
    }
    const runner = new QueueRunner(o, connection);
    const { Queue, QueueEvents, FlowProducer } = await import('bullmq');
    runner.queue = new Queue(QUEUE_NAME, { connection });
    runner.queue.on('error', () => {}); // the connection's own listener reports it
    runner.runs = new Queue(RUNS_QUEUE, { connection });
    runner.runs.on('error', () => {});
    runner.flows = new FlowProducer({ connection });
    runner.flows.on('error', () => {});
    // BullMQ leaves connections it is given open: both are disconnected in close().
    runner.eventsConnection = connection.duplicate();
    runner.eventsConnection.on('error', () => {});
    runner.events = new QueueEvents(QUEUE_NAME, { connection: runner.eventsConnection });
    runner.events.on('error', () => {});
    await Promise.all([runner.queue.waitUntilReady(), runner.runs.waitUntilReady(), runner.flows.waitUntilReady(), runner.events.waitUntilReady()]);
    return runner;
  }

  async run(sourceNodes: Uint32Array, opts: RunOptions): Promise<BatchResult[]> {
    const queue = this.queue!;
    const kernel = opts.kernel;
    const keep = opts.keepHopCounts ?? true;
    const runId = runIdOf({ ...this.o.key, hash: this.o.hash, kernel, directed: this.o.graph.csr.directed });
    // The source range of each batch is counted from the start of the run's source order, so a
    // --precision round's batches have ids of their own (offset: sources already taken).
    const offset = opts.offset ?? 0;
    const batches: Array<{ id: string; index: number; sources: number[] }> = [];
    for (let start = 0, index = 0; start < sourceNodes.length; start += opts.batchSize, index++) {
      const end = Math.min(sourceNodes.length, start + opts.batchSize);
      batches.push({ id: jobIdOf(runId, offset + start, offset + end, keep), index, sources: Array.from(sourceNodes.subarray(start, end)) });
    }
    const results = new Map<number, BatchResult>();
    let done = 0;
    const accept = (index: number, value: unknown) => {
      if (results.has(index)) return; // a batch computed twice counts once
      const b = batches[index];
      results.set(index, checkResult(typeof value === 'string' ? JSON.parse(value) : value, b.sources.length, b.id));
      done += b.sources.length;
      opts.onProgress?.(done);
    };

    // One BullMQ flow per run (per round with --precision): a parent job in RUNS_QUEUE, which no
    // worker takes, with the batches as its children. BullMQ adds a flow atomically, so after a
    // coordinator is killed its batches are all there, done or not. Started again, it takes the
    // finished ones as they are and adds back only what is missing or gave up earlier; jobs still
    // waiting or running are left to the workers.
    const parentId = `run-${jobIdOf(runId, offset, offset + sourceNodes.length, keep)}`;
    const childOf = (b: (typeof batches)[number]) => ({
      name: 'batch',
      queueName: QUEUE_NAME,
      data: { runId, batch: b.index, graph: this.o.path, hash: this.o.hash, directed: this.o.graph.csr.directed, kernel, keepHopCounts: keep, farthest: keep && opts.farthest === true, sources: b.sources } satisfies BatchJob,
      opts: { jobId: b.id, ...JOB_OPTIONS },
    });
    let already = 0;
    if (!(await this.runs!.getJob(parentId))) {
      await this.flows!.add({ name: 'run', queueName: RUNS_QUEUE, data: { runId, graph: this.o.path, batches: batches.length }, opts: { jobId: parentId }, children: batches.map(childOf) });
    } else {
      const parent = { id: parentId, queue: this.runs!.qualifiedName };
      for (const b of batches) {
        const child = childOf(b);
        const found = await this.resume(b.id, () => queue.add(child.name, child.data, { ...child.opts, parent }).then(() => {}));
        if (found !== undefined) {
          accept(b.index, found);
          already++;
        }
      }
    }
    this.batchesTotal += batches.length;
    this.batchesAlreadyDone += already;
    if (already > 0) this.o.note?.(`resumed: ${already} of ${batches.length} batches already done`);
    await this.waitFor(
      batches.map((b) => b.id),
      (index) => results.has(index),
      accept,
      opts.signal,
    );
    return batches.map((b) => results.get(b.index)!);
  }

  /**
   * The exact diameter as one more job ('diameter'), after the batches: a worker runs it on a thread of
   * its pool, which the batches have just warmed, as a local run does on its own pool. The seeds (the
   * batches' largest eccentricity and farthest nodes) are in the .swg's own node numbers, as the
   * batches' results are. Its id hashes the graph, the seeds and the budget, so a coordinator started
   * again finds it done.
   */
  async diameter(opts: DiameterTask['diameter'], signal?: AbortSignal): Promise<DiameterResult> {
    const task = { timeBudgetSeconds: opts.timeBudgetSeconds, seeds: opts.seeds ? { lower: opts.seeds.lower, periphery: Array.from(opts.seeds.periphery) } : undefined };
    const id = `diameter-${createHash('sha256').update(JSON.stringify([this.o.hash, this.o.graph.csr.directed, task])).digest('hex').slice(0, 20)}`;
    const data = { graph: this.o.path, hash: this.o.hash, directed: this.o.graph.csr.directed, diameter: task } satisfies DiameterJob;
    const add = () => this.queue!.add('diameter', data, { jobId: id, ...JOB_OPTIONS }).then(() => {});
    let result: DiameterResult | undefined;
    const accept = (_index: number, value: unknown) => {
      result = checkDiameter(typeof value === 'string' ? JSON.parse(value) : value, id);
    };
    const found = await this.resume(id, add);
    if (found !== undefined) accept(0, found);
    else await this.waitFor([id], () => result !== undefined, accept, signal);
    return result!;
  }

  /**
   * A job of an earlier run with this id: its result when it finished; else it is left to the workers
   * when still waiting or running, or added (again) when missing or given up.
   */
  private async resume(id: string, add: () => Promise<void>): Promise<unknown> {
    const job = await this.queue!.getJob(id);
    if (job && (await job.isCompleted())) return job.returnvalue;
    if (job && !(await job.isFailed())) return undefined; // waiting, delayed or running: the workers have it
    if (job) await job.remove(); // an earlier run gave up on it: try again
    await add();
    return undefined;
  }

  /**
   * Waits for the jobs `ids` (index = place in the list): QueueEvents wakes the loop as jobs finish and
   * brings their results; every few seconds, or on a failure, the pending jobs are read back in chunks
   * in case an event was missed. A failed job ends the run with its recorded reason.
   */
  private async waitFor(ids: string[], has: (index: number) => boolean, accept: (index: number, value: unknown) => void, signal?: AbortSignal): Promise<void> {
    const queue = this.queue!;
    const pending = new Set(ids.map((_, i) => i).filter((i) => !has(i)));
    const byId = new Map(ids.map((id, i) => [id, i]));
    const failure = (index: number, reason: string) => {
      throw new InputError(this.o.path, undefined, `queue job ${ids[index]} failed: ${redactText(reason)}`);
    };
    let wake: (() => void) | null = null;
    let lastPoll = 0;
    let failedSeen = true;
    const onEvent = ({ jobId, returnvalue }: { jobId: string; returnvalue?: unknown }) => {
      const index = byId.get(jobId);
      if (index === undefined) return;
      if (returnvalue !== undefined && pending.has(index)) {
        try {
          accept(index, returnvalue);
          pending.delete(index);
        } catch {
          // left pending: the poll below reads it from the job itself
        }
      }
      wake?.();
    };
    this.events!.on('completed', onEvent);
    const onFailed = ({ jobId }: { jobId: string }) => {
      if (byId.has(jobId)) failedSeen = true;
      onEvent({ jobId });
    };
    this.events!.on('failed', onFailed);
    try {
      while (pending.size > 0) {
        if (signal?.aborted) throw signal.reason;
        if (failedSeen || performance.now() - lastPoll > 3000) {
          failedSeen = false;
          lastPoll = performance.now();
          const indices = [...pending];
          for (let i = 0; i < indices.length; i += 256) {
            const chunk = indices.slice(i, i + 256);
            const jobs = await Promise.all(chunk.map((index) => queue.getJob(ids[index])));
            const states = await Promise.all(jobs.map((job) => (job ? job.getState() : Promise.resolve('missing'))));
            const failed: number[] = [];
            const completed: number[] = [];
            chunk.forEach((index, j) => {
              const job = jobs[j];
              if (!job || !pending.has(index)) return;
              if (states[j] === 'completed') completed.push(index);
              else if (states[j] === 'failed') failed.push(index);
            });
            // A job read before it finished has no result yet: read the finished ones again.
            for (const index of completed) {
              const job = await queue.getJob(ids[index]);
              if (!job || job.returnvalue === undefined || job.returnvalue === null) continue; // next poll
              accept(index, job.returnvalue);
              pending.delete(index);
            }
            // The job was read before its state: read it again for the reason its failure recorded.
            for (const index of failed) failure(index, (await queue.getJob(ids[index]))?.failedReason ?? 'failed (no reason recorded)');
          }
        }
        if (pending.size === 0) break;
        await new Promise<void>((r) => {
          const t = setTimeout(r, 1000);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        wake = null;
      }
    } finally {
      this.events!.off('completed', onEvent);
      this.events!.off('failed', onFailed);
    }
  }

  async close(): Promise<void> {
    await this.events?.close();
    await this.flows?.close();
    await this.runs?.close();
    await this.queue?.close();
    this.eventsConnection?.disconnect();
    this.connection.disconnect();
  }
}

/**
 * How a worker cuts one job among its threads: whole passes of the multi-source kernel (a pass of
 * `lanes` sources costs about as much as one source), as evenly as that allows. chooseBatchSize
 * would cut a 32-source job on one thread into 4 batches of 8: four passes for the work of one.
 */
export function workerBatchSize(sources: number, threads: number, lanes: number): number {
  const passes = Math.ceil(sources / Math.max(lanes, 1));
  return Math.max(1, Math.ceil(passes / threads) * Math.max(lanes, 1));
}

export interface WorkerOptions {
  url: string;
  threads: number;
  /** Lines for the log (stderr in the CLI): one per job, never the URL's password. */
  log?: (line: string) => void;
}

/**
 * A long-running worker: takes batch jobs, runs them on its own BfsPool over the graph the job names
 * (kept loaded while jobs for it keep coming), returns the batch's BatchResult. Resolves when closed;
 * `stop()` finishes the current batch and closes (SIGTERM in the CLI).
 */
export async function startWorker(o: WorkerOptions): Promise<{ stop: () => Promise<void>; closed: Promise<void> }> {
  const { Worker, QueueEvents, UnrecoverableError } = await import('bullmq');
  const { readSwg } = await import('../io/swg.js');
  const log = o.log ?? (() => {});
  const connection = await connect(o.url);

  // One pool for the worker's life, started now, before any job names a graph: its threads load their
  // code and compile the kernel on a small built-in graph while the worker waits, so a graph that
  // arrives costs only its read.
  const pool = new BfsPool(null, o.threads);
  const warmed = pool.warm(defaultKernel).catch((err: Error) => log(`warm-up failed: ${redactText(err.message)}`));

  // The graph in use, or being loaded: one at a time, so a load for another graph waits for the
  // current one and then replaces it. A failed load is forgotten, so the next job tries again.
  type Loaded = { path: string; hash: string; graph: LoadedGraph };
  let current: Promise<Loaded> | null = null;
  let currentKey = '';
  let busy = false;
  const graphFor = (path: string, hash: string, warm: boolean): Promise<Loaded> => {
    const key = `${hash} ${path}`;
    if (current && currentKey === key) return current;
    const previous = current;
    currentKey = key;
    const loading = (async (): Promise<Loaded> => {
      if (previous) await previous.catch(() => null);
      // Before computing anything: the file must be the coordinator's, byte for byte.
      let fileHash: string;
      try {
        fileHash = await graphHash(path);
      } catch (err) {
        throw new UnrecoverableError(`${path}: cannot read the graph on this worker: ${(err as Error).message}`);
      }
      if (fileHash !== hash)
        throw new UnrecoverableError(`${path}: content hash mismatch: the job is for graph hash ${hash.slice(0, 16)}…, this worker's file has ${fileHash.slice(0, 16)}… (a different or changed file)`);
      const t0 = performance.now();
      const graph = await readSwg(path); // checks every section against the CRCs the hash covers
      await warmed;
      pool.setGraph(graph.csr);
      // Announced ahead of its jobs: one source on each thread maps the graph there now.
      if (warm && graph.csr.n > 0) {
        const sources = Uint32Array.from({ length: o.threads }, (_, i) => i % graph.csr.n);
        await pool.run(sources, { kernel: defaultKernel, batchSize: 1, keepHopCounts: false });
      }
      log(`loaded ${path} (${graph.csr.n} nodes, hash ${hash.slice(0, 16)}…) in ${((performance.now() - t0) / 1000).toFixed(2)} s${warm ? ', announced by a coordinator' : ''}`);
      return { path, hash, graph };
    })();
    current = loading;
    loading.catch(() => {
      if (current === loading) {
        current = null;
        currentKey = '';
      }
    });
    return loading;
  };

  // A coordinator announces its graph before it loads the graph itself and enqueues (announceGraph):
  // an idle worker loads it meanwhile, so the first batch does not wait for the load.
  const eventsConnection = connection.duplicate();
  eventsConnection.on('error', () => {}); // the main connection reports trouble
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  events.on('error', () => {});
  // A custom event: QueueEvents emits it as any other, but its typings list only BullMQ's own.
  (events as unknown as NodeJS.EventEmitter).on(GRAPH_EVENT, ({ path, hash }: { path?: unknown; hash?: unknown }) => {
    if (busy || typeof path !== 'string' || typeof hash !== 'string') return;
    graphFor(path, hash, true).catch((err: Error) => log(`announced graph not loaded: ${redactText(err.message)}`));
  });

  const processor = async (job: import('bullmq').Job<BatchJob | DiameterJob>) => {
    busy = true;
    try {
      return job.name === 'diameter' ? await runDiameterJob(job as import('bullmq').Job<DiameterJob>) : await runJob(job as import('bullmq').Job<BatchJob>);
    } finally {
      busy = false;
    }
  };
  const runDiameterJob = async (job: import('bullmq').Job<DiameterJob>) => {
    const d = job.data;
    const loaded = await graphFor(d.graph, d.hash, false);
    if (loaded.graph.csr.directed !== d.directed) throw new UnrecoverableError(`${d.graph}: the job is ${d.directed ? 'directed' : 'undirected'}, the file is not`);
    log(`running ${job.id} (attempt ${job.attemptsMade + 1})`);
    const t0 = performance.now();
    // Seeds outside the graph are dropped by the search itself (checkedSeeds); the answer stays exact.
    const result = await pool.diameter(d.diameter);
    log(`computed ${job.id} (diameter ${result.exact ? result.diameter : `in [${result.bounds.join(', ')}]`}, ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
    return result;
  };
  const runJob = async (job: import('bullmq').Job<BatchJob>) => {
    const d = job.data;
    const loaded = await graphFor(d.graph, d.hash, false);
    if (loaded.graph.csr.directed !== d.directed) throw new UnrecoverableError(`${d.graph}: the job is ${d.directed ? 'directed' : 'undirected'}, the file is not`);
    const sources = Uint32Array.from(d.sources);
    for (const s of sources) if (s >= loaded.graph.csr.n) throw new UnrecoverableError(`source ${s} is not a node of ${d.graph}`);
    // Sources travel in original numbers; a renumbered .swg (src/graph/renumber.ts) runs them in its own.
    const order = loaded.graph.order;
    if (order) for (let i = 0; i < sources.length; i++) sources[i] = order.toInternal[sources[i]];
    log(`running ${job.id} (attempt ${job.attemptsMade + 1})`);
    const t0 = performance.now();
    const parts = await pool.run(sources, {
      kernel: d.kernel,
      batchSize: workerBatchSize(sources.length, o.threads, kernelLanes[d.kernel] ?? 1),
      keepHopCounts: d.keepHopCounts,
      farthest: d.farthest === true,
    });
    log(`computed ${job.id} (${sources.length} sources, ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
    return concatBatches(parts);
  };

  const worker = new Worker<BatchJob | DiameterJob>(QUEUE_NAME, processor, {
    connection,
    concurrency: 1,
    ...lockSettings(),
    maxStalledCount: 10,
  });
  worker.on('error', (err) => log(`error: ${redactText(err.message)}`));
  worker.on('failed', (job, err) => log(`failed ${job?.id ?? '?'}: ${redactText(err.message)}`));
  // "waiting" once the pool is warm too: a worker that says it waits is ready at full speed.
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady(), warmed]);
  log(`waiting for batches on ${redactUrl(o.url)} (queue ${QUEUE_NAME}, ${o.threads} thread${o.threads === 1 ? '' : 's'})`);
  let resolveClosed: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await worker.close(); // waits for the current batch to finish
      await events.close();
      if (current) await current.catch(() => null);
      await pool.close();
      eventsConnection.disconnect();
      connection.disconnect();
      resolveClosed();
    })());
  return { stop, closed };
}
