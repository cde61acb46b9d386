/**
 * Source batches on BullMQ over a real redis-server (README "Operations").
 *
 * The tests start redis-server on a free loopback port with persistence off and
 * stop it by its process id. With CI=true a missing redis-server is a failure
 * (.ci/run installs it); elsewhere the tests are skipped with the reason printed.
 * Workers are real `smallworld worker` processes with one thread each and short
 * locks (SMALLWORLD_QUEUE_LOCK_MS=2000, SMALLWORLD_QUEUE_STALLED_MS=1000), so a
 * job whose worker was killed is taken over within a few seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, DATASETS, haveShared, loadTruth, ROOT } from './helpers.js';
import { writeRmat } from '../src/graph/rmat.js';
import { readSwg, writeSwg } from '../src/io/swg.js';
import { loadGraph } from '../src/io/load.js';
import { BfsPool } from '../src/parallel/bfs-pool.js';
import { summarize } from '../src/stats/estimate.js';
import { sampleSources } from '../src/stats/random.js';
import { redactText, redactUrl } from '../src/app/queue-url.js';
import { graphHash, QUEUE_NAME, RUNS_QUEUE } from '../src/app/queue.js';

function findRedis(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  return which.status === 0 && path !== '' ? path : existsSync('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}
const REDIS = findRedis();
const inCi = process.env.CI === 'true';
if (!REDIS && !inCi) console.warn('skipping the queue tests: redis-server not found (apt-get install redis-server; .ci/run installs it)');

/** R-MAT scale of the acceptance graph: 18 as the issue asks (~4 s to make and convert). */
const SCALE = Number(process.env.SMALLWORLD_QUEUE_TEST_SCALE ?? 18);
const LOCKS = { SMALLWORLD_QUEUE_LOCK_MS: '2000', SMALLWORLD_QUEUE_STALLED_MS: '1000' };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => boolean, timeoutMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

interface Proc {
  child: ChildProcess;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

function start(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, ...LOCKS, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const p: Proc = { child, out: '', err: '', exit: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (p.out += d));
  child.stderr!.on('data', (d) => (p.err += d));
  return p;
}

/** Runs the CLI to the end: exit code, stdout, stderr and wall seconds. */
async function run(args: string[]): Promise<{ status: number | null; out: string; err: string; seconds: number }> {
  const t0 = performance.now();
  const p = start(args);
  const status = await p.exit;
  return { status, out: p.out, err: p.err, seconds: (performance.now() - t0) / 1000 };
}

/** Job ids a worker computed (its "computed ID" log lines). */
const computed = (p: Proc) => [...p.err.matchAll(/computed (\S+)/g)].map((m) => m[1]);

describe.skipIf(!REDIS && !inCi)('estimate --queue with smallworld workers on a real redis-server', () => {
  let redis: ChildProcess | null = null;
  let url = '';
  let dir = '';
  let graph = '';
  const workers: Proc[] = [];
  const worker = () => {
    const w = start(['worker', '--queue', url, '--threads', '1']);
    workers.push(w);
    return w;
  };
  const flush = async () => {
    const { Redis } = await import('ioredis');
    const c = new Redis(url);
    await c.flushdb();
    c.disconnect();
  };
  const figures = (json: string) => {
    const r = JSON.parse(json);
    return { distanceHistogram: r.distanceHistogram, meanDistance: r.meanDistance, meanDistanceCi95: r.meanDistanceCi95, sums: r.sums, withinHopsFractionCi95: r.withinHopsFractionCi95, diameter: r.diameter };
  };

  beforeAll(async () => {
    if (!REDIS) throw new Error('CI=true but redis-server is missing: .ci/run installs it with apt-get');
    const port = await freePort();
    redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    redis.stdout!.on('data', (d) => (log += d));
    await until('redis-server to start', () => log.includes('Ready to accept connections'), 20_000);
    url = `redis://127.0.0.1:${port}`;
    dir = mkdtempSync(join(tmpdir(), 'smallworld-queue-'));
    const t0 = performance.now();
    const tsv = join(dir, `rmat-${SCALE}.tsv`);
    writeRmat(SCALE, 1, tsv);
    graph = join(dir, `rmat-${SCALE}.swg`);
    await writeSwg(await loadGraph(tsv, { threads: 2 }), graph);
    console.log(`R-MAT scale ${SCALE} as .swg in ${((performance.now() - t0) / 1000).toFixed(1)} s; redis-server pid ${redis.pid} on ${url}`);
    worker();
    worker();
    await until('two workers', () => workers.every((w) => w.err.includes('waiting for batches')), 20_000);
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => Promise.race([w.exit, sleep(10_000)])));
    if (redis?.pid) process.kill(redis.pid, 'SIGTERM');
  });

  const common = ['--samples', '512', '--seed', '3', '--diameter-budget', '0', '--json', '-q'];
  /** The acceptance runs: the usual options, so with the exact diameter (a job of its own on the queue). */
  const defaults = ['--samples', '512', '--seed', '3', '--json', '-q'];

  it('R-MAT: the same figures as a local --threads 2, at most 1.5x its wall time (two workers, one thread each)', async () => {
    // Three pairs, local then queue, with the default exact diameter (a worker runs it as one more
    // job); the first queue run finds the workers without the graph (they load it on the
    // coordinator's announcement). The machine is shared (other test files run beside this one), so
    // the assertion is on the median pair's ratio; every ratio is printed. bench/queue-cold.sh
    // measures every pair with freshly started workers.
    const ratios: number[] = [];
    const lines: string[] = [];
    let reference = '';
    const marks = workers.map((w) => w.err.length);
    for (let i = 0; i < 3; i++) {
      const a = await run(['estimate', graph, ...defaults, '--threads', '2']);
      expect(a.status, a.err).toBe(0);
      await flush(); // a fresh queue: nothing to resume
      const b = await run(['estimate', graph, ...defaults, '--queue', url]);
      expect(b.status, b.err).toBe(0);
      expect(figures(b.out)).toEqual(figures(a.out));
      expect(JSON.parse(b.out).diameter).toBeGreaterThan(0);
      reference = a.out;
      ratios.push(b.seconds / a.seconds);
      lines.push(`local ${a.seconds.toFixed(2)} s, queue ${b.seconds.toFixed(2)} s (${(b.seconds / a.seconds).toFixed(2)}x)`);
      if (i === 0) {
        // One flow: a parent job for the run, with the 16 batches of 32 as its children, all processed.
        const { Queue } = await import('bullmq');
        const { Redis } = await import('ioredis');
        const connection = new Redis(url, { maxRetriesPerRequest: null });
        const runs = new Queue(RUNS_QUEUE, { connection });
        try {
          const parents = await runs.getJobs();
          expect(parents.length).toBe(1);
          expect(await parents[0].getDependenciesCount()).toMatchObject({ processed: 16, unprocessed: 0 });
        } finally {
          await runs.close();
          connection.disconnect();
        }
        // Both workers loaded the graph on the coordinator's announcement, before their first job,
        // and one of them computed the exact diameter.
        workers.forEach((w, k) => expect(w.err.slice(marks[k])).toMatch(/loaded \S+ \(\d+ nodes, hash [0-9a-f]+…\) in [\d.]+ s, announced by a coordinator\n(.|\n)*running /));
        const diameterLines = workers.flatMap((w, k) => w.err.slice(marks[k]).match(/computed diameter-\S+ \(diameter \d+, /g) ?? []);
        expect(diameterLines.length).toBe(1);
        expect(diameterLines[0]).toContain(`(diameter ${JSON.parse(b.out).diameter}, `);
      }
    }
    const median = [...ratios].sort((x, y) => x - y)[1];
    console.log(`scale ${SCALE}, 512 sources, seed 3, local --threads 2 vs --queue (2 workers x 1 thread): ${lines.join('; ')}; median ${median.toFixed(2)}x`);
    expect(JSON.parse(reference).sources).toBe(512);
    expect(median).toBeLessThanOrEqual(1.5);
  });

  it('a worker killed with SIGKILL in the middle of a batch: its job is taken over, the figures are identical', async () => {
    await flush();
    const local = await run(['estimate', graph, ...defaults, '--threads', '2']);
    const victim = workers[0];
    const before = victim.err.length;
    const otherBefore = workers[1].err.length;
    const coordinator = start(['estimate', graph, ...defaults, '--queue', url]);
    await until('the victim to start a batch', () => /running (\S+)/.test(victim.err.slice(before)), 60_000);
    const jobId = /running (\S+)/.exec(victim.err.slice(before))![1];
    victim.child.kill('SIGKILL');
    const status = await coordinator.exit;
    expect(status, coordinator.err).toBe(0);
    const since = (p: Proc, at: number) => computed({ ...p, err: p.err.slice(at) });
    expect(since(victim, before)).not.toContain(jobId); // killed mid-batch
    expect(since(workers[1], otherBefore)).toContain(jobId); // taken over by the other worker
    expect(figures(coordinator.out)).toEqual(figures(local.out));
    console.log(`killed worker ${victim.child.pid} in the middle of ${jobId}: taken over, identical figures`);
    worker(); // two workers again for the next tests
    await until('the replacement worker', () => workers.at(-1)!.err.includes('waiting for batches'), 20_000);
  });

  it('a coordinator killed mid-run and started again resumes without recomputing finished batches', async () => {
    await flush();
    const args = ['estimate', graph, '--samples', '4000', '--seed', '3', '--diameter-budget', '0', '--json', '-q'];
    const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const mark = live.map((w) => computed(w).length);
    const doneNow = () => live.reduce((s, w, i) => s + computed(w).length - mark[i], 0);
    const first = start([...args, '--queue', url]);
    await until('a few finished batches', () => doneNow() >= 8, 60_000);
    first.child.kill('SIGKILL');
    await first.exit;
    const doneAtKill = doneNow();
    const second = await run([...args, '--queue', url]);
    expect(second.status, second.err).toBe(0);
    const m = /resumed: (\d+) of (\d+) batches already done/.exec(second.err);
    expect(m, second.err).not.toBeNull();
    const [already, total] = [Number(m![1]), Number(m![2])];
    const ids = live.flatMap((w, i) => computed(w).slice(mark[i]));
    expect(new Set(ids).size).toBe(ids.length); // no batch computed twice
    expect(ids.length).toBe(total);
    expect(already).toBeGreaterThanOrEqual(doneAtKill);
    console.log(`coordinator killed after ${doneAtKill} of ${total} batches; the restart found ${already} done, ${total - already} left; ${ids.length} computations for ${total} batches`);
    const local = await run([...args, '--threads', '2']);
    expect(figures(second.out)).toEqual(figures(local.out));
  });

  it.skipIf(!haveShared())('--exact through the queue on email-Eu-core equals truth.json', async () => {
    const t = loadTruth()['email-Eu-core.txt.gz'];
    const swg = join(dir, 'email-Eu-core.swg');
    await writeSwg(await loadGraph(join(DATASETS, 'email-Eu-core.txt.gz'), { threads: 2 }), swg);
    // With the default exact diameter, which a worker computes as a job of its own.
    const r = await run(['estimate', swg, '--exact', '--json', '-q', '--queue', url]);
    expect(r.status, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.exact).toBe(true);
    expect(j.nodes).toBe(t.nodes);
    expect(j.distanceHistogram).toEqual(t.distanceHistogram);
    expect(Math.abs(j.meanDistance - t.meanDistance)).toBeLessThan(1e-9);
    expect(j.maxDistanceSeen).toBe(t.diameter);
    expect(j.diameter).toBe(t.diameter);
    expect(Math.abs(j.effectiveDiameter90 - t.effectiveDiameter90)).toBeLessThanOrEqual(5e-5);
  });

  it('--precision and --person through the queue give the local figures', async () => {
    const args = ['estimate', graph, '--precision', '0.02', '--seed', '5', '--person', '7', '--diameter-budget', '0', '--json', '-q'];
    const [a, b] = [await run([...args, '--threads', '2']), await run([...args, '--queue', url])];
    expect(b.status, b.err).toBe(0);
    const [ja, jb] = [JSON.parse(a.out), JSON.parse(b.out)];
    expect(figures(b.out)).toEqual(figures(a.out));
    expect(jb.sources).toBe(ja.sources);
    expect(jb.person).toEqual(ja.person);
  });

  it('a worker whose file does not match the job refuses it at once (no retry) with a clear message', async () => {
    const { Queue } = await import('bullmq');
    const { Redis } = await import('ioredis');
    const connection = new Redis(url, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUE_NAME, { connection });
    try {
      const job = await queue.add(
        'batch',
        { runId: 'test', batch: 0, graph, hash: '0'.repeat(64), directed: false, kernel: 'msbfs32', keepHopCounts: true, sources: [0, 1, 2] },
        { jobId: 'mismatch-test', attempts: 5, backoff: { type: 'fixed', delay: 100 } },
      );
      for (let i = 0; i < 300 && !(await job.isFailed()); i++) await sleep(50);
      const failed = await queue.getJob('mismatch-test');
      expect(await failed!.isFailed()).toBe(true);
      expect(failed!.failedReason).toMatch(/content hash mismatch/);
      expect(failed!.attemptsMade).toBe(1);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it("the coordinator reports a worker's hash refusal as one line, and stops", async () => {
    const { QueueRunner } = await import('../src/app/queue.js');
    const g = await readSwg(graph);
    const runner = await QueueRunner.open({ url, graph: g, path: graph, hash: 'f'.repeat(64), key: { seed: 1, draw: 'samples 3', largestComponent: false } });
    try {
      await expect(runner.run(Uint32Array.from([0, 1, 2]), { kernel: 'msbfs32', batchSize: 3 })).rejects.toThrow(/queue job \S+ failed: .*content hash mismatch: the job is for graph hash ffffffffffffffff/);
    } finally {
      await runner.close();
    }
  });

  it('SIGTERM stops a worker cleanly (exit 0, after its current batch)', async () => {
    const w = worker();
    await until('the worker', () => w.err.includes('waiting for batches'), 20_000);
    w.child.kill('SIGTERM');
    expect(await w.exit).toBe(0);
    expect(w.err).toContain('stopped');
  });

  it('the Redis password never appears in output', async () => {
    expect(redactUrl('redis://:s3cret@example:6379/2')).toBe('redis://***@example:6379/2');
    expect(redactText('connect to rediss://user:s3cret@host:1 failed')).not.toContain('s3cret');
    const port = await freePort(); // nothing listens there
    const r = await run(['estimate', graph, '--samples', '10', '-q', '--queue', `redis://:s3cret@127.0.0.1:${port}/0`]);
    expect(r.status).not.toBe(0);
    expect(r.out + r.err).not.toContain('s3cret');
    expect(r.err).toContain('***@127.0.0.1');
  });
});

describe('batch boundaries do not change the figures', () => {
  it('summarize gives the same bits for batches of 1, 7, 32 and 100 sources', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smallworld-queue-'));
    const tsv = join(dir, 'rmat-12.tsv');
    writeRmat(12, 2, tsv);
    const swg = join(dir, 'rmat-12.swg');
    await writeSwg(await loadGraph(tsv, { threads: 1 }), swg);
    const g = await readSwg(swg);
    expect(await graphHash(swg)).toMatch(/^[0-9a-f]{64}$/);
    const sources = sampleSources(g.csr.n, 300, 3);
    const pool = new BfsPool(g.csr, 2);
    try {
      const results = [];
      for (const batchSize of [1, 7, 32, 100]) {
        const { arcsRead: _timing, ...figures } = summarize(await pool.run(sources, { kernel: 'msbfs32', batchSize }), g.csr.n);
        results.push(JSON.stringify(figures));
      }
      expect(new Set(results).size).toBe(1);
    } finally {
      await pool.close();
    }
  });
});

describe("a queue worker's pool, started before any graph", () => {
  it('warms up, then gives the same bits as a pool given its graph at start, across a switch of graphs and back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smallworld-queue-'));
    const graphs = [];
    for (const seed of [4, 5]) {
      const tsv = join(dir, `rmat-12-${seed}.tsv`);
      writeRmat(12, seed, tsv);
      graphs.push((await loadGraph(tsv, { threads: 1 })).csr);
    }
    const expected = [];
    for (const csr of graphs) {
      const fixed = new BfsPool(csr, 2);
      try {
        const sources = sampleSources(csr.n, 100, 7);
        expected.push({
          batches: JSON.stringify(await fixed.run(sources, { kernel: 'msbfs32', batchSize: 32, farthest: true })),
          diameter: JSON.stringify(await fixed.diameter({})),
        });
      } finally {
        await fixed.close();
      }
    }
    const late = new BfsPool(null, 2);
    try {
      await late.warm('msbfs32');
      await expect(late.run(Uint32Array.of(0), { kernel: 'msbfs32', batchSize: 1 })).rejects.toThrow(/no graph/);
      for (const k of [0, 1, 0]) {
        late.setGraph(graphs[k]);
        expect(late.nodes).toBe(graphs[k].n);
        const sources = sampleSources(graphs[k].n, 100, 7);
        // Batches for two graphs in flight at once: each task carries its own.
        const [batches, other] = await Promise.all([
          late.run(sources, { kernel: 'msbfs32', batchSize: 32, farthest: true }),
          (() => {
            late.setGraph(graphs[1 - k]);
            return late.run(sampleSources(graphs[1 - k].n, 100, 7), { kernel: 'msbfs32', batchSize: 32, farthest: true });
          })(),
        ]);
        expect(JSON.stringify(batches)).toBe(expected[k].batches);
        expect(JSON.stringify(other)).toBe(expected[1 - k].batches);
        late.setGraph(graphs[k]);
        expect(JSON.stringify(await late.diameter({}))).toBe(expected[k].diameter);
      }
    } finally {
      await late.close();
    }
  });
});
