/**
 * Issue 9: the library API. Graphs load from paths and streams and serve many
 * calls; options are checked before a byte is read; aborting any long call
 * rejects promptly with AbortError and leaves no worker thread running.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AbortError, estimate, Graph, loadGraph, personFigures, shortestPath, UsageError, type ProgressEvent } from '../src/index.js';
import { liveWorkerThreads } from '../src/parallel/pool.js';
import { writeRmat } from '../src/graph/rmat.js';
import { ROOT, runCli, tempFile } from './helpers.js';

const SAMPLE = join(ROOT, 'data/sample-social.tsv');

/** Starts `call` with a signal, aborts it once `when` says so (or after `ms`), and measures how long the rejection took. */
async function abortDuring(call: (signal: AbortSignal, onProgress: (e: ProgressEvent) => void) => Promise<unknown>, when: (e: ProgressEvent) => boolean) {
  const controller = new AbortController();
  let abortedAt = 0;
  const onProgress = (e: ProgressEvent) => {
    if (!controller.signal.aborted && when(e)) {
      abortedAt = performance.now();
      controller.abort();
    }
  };
  const error = await call(controller.signal, onProgress).then(
    () => null,
    (err: unknown) => err,
  );
  return { error, latencyMs: performance.now() - abortedAt, aborted: controller.signal.aborted };
}

describe('library API', () => {
  it('loadGraph + estimate give what the CLI prints, and one graph serves many calls', async () => {
    const graph = await loadGraph(SAMPLE);
    expect(graph).toBeInstanceOf(Graph);
    expect(graph.nodes).toBe(20_000);
    const a = await estimate(graph, { seed: 7, samples: 200, diameterBudgetSeconds: 0 });
    const b = await estimate(graph, { seed: 8, samples: 200, diameterBudgetSeconds: 0 });
    const cli = JSON.parse(runCli(['estimate', 'data/sample-social.tsv', '--seed', '7', '--samples', '200', '--diameter-budget', '0', '--json', '--quiet']).stdout);
    expect(a.meanDistance).toBe(cli.meanDistance);
    expect(a.distanceHistogram).toEqual(cli.distanceHistogram);
    expect(b.meanDistance).not.toBe(a.meanDistance);
    const path = await shortestPath(graph, '0', '19999');
    expect(path.hops).toBe(path.path!.length - 1);
    const person = await personFigures(graph, '0');
    expect(person.reached).toBe(19_999);
    graph.close();
    expect(graph.closed).toBe(true);
    await expect(estimate(graph, { samples: 10 })).rejects.toThrow(/closed/);
  });

  it('loads from a stream exactly as from the path', async () => {
    const fromPath = await estimate(SAMPLE, { seed: 3, samples: 100, diameterBudgetSeconds: 0 });
    const graph = await loadGraph(createReadStream(SAMPLE), { name: 'sample' });
    const fromStream = await estimate(graph, { seed: 3, samples: 100, diameterBudgetSeconds: 0 });
    expect(fromStream.file).toBe('sample');
    expect(fromStream.meanDistance).toBe(fromPath.meanDistance);
    expect(fromStream.nodes).toBe(fromPath.nodes);
    const gz = await loadGraph(Readable.from([readFileSync(tempFile('tiny.txt.gz', 'a b\nb c\n', true))]));
    expect(gz.nodes).toBe(3);
  });

  it('checks options before a byte is read: a conflict on a missing file is a usage error, not a file error', async () => {
    await expect(estimate('/no/such/file', { exact: true, samples: 10 })).rejects.toThrow(UsageError);
    await expect(estimate('/no/such/file', { method: 'hyperball', precision: 0.01 })).rejects.toThrow(/--precision works with sampled BFS only/);
    await expect(estimate('/no/such/file', { registers: 8 })).rejects.toThrow(/--registers/);
    await expect(estimate('/no/such/file', { samples: 0 })).rejects.toThrow(/--samples 0/);
    await expect(loadGraph('/no/such/file', { threads: 0 })).rejects.toThrow(UsageError);
    const graph = await loadGraph(SAMPLE);
    await expect(estimate(graph, { header: true })).rejects.toThrow(/loadGraph/);
    await expect(estimate(graph, { directed: true })).rejects.toThrow(/loaded undirected/);
    await expect(shortestPath(graph, '0', 'nobody')).rejects.toThrow(/no such node id/);
    graph.close();
  });
});

describe('AbortSignal', () => {
  it('an already-aborted signal rejects at once with AbortError', async () => {
    const signal = AbortSignal.abort();
    await expect(estimate(SAMPLE, { signal })).rejects.toBeInstanceOf(AbortError);
    await expect(loadGraph(SAMPLE, { signal })).rejects.toHaveProperty('name', 'AbortError');
  });

  it('aborting the BFS rejects promptly with AbortError and leaves no worker threads', async () => {
    const r = await abortDuring(
      (signal, onProgress) => estimate(SAMPLE, { exact: true, threads: 2, signal, onProgress }),
      (e) => e.stage === 'bfs' && e.done > 0,
    );
    expect(r.aborted).toBe(true);
    expect(r.error).toBeInstanceOf(AbortError);
    expect((r.error as Error).name).toBe('AbortError');
    console.log(`BFS abort: rejected ${r.latencyMs.toFixed(0)} ms after abort()`);
    expect(r.latencyMs).toBeLessThan(1000);
    expect(liveWorkerThreads()).toBe(0);
  });

  it('aborts at any moment of the BFS: never an uncaught error from a task that ended as it was aborted', async () => {
    // Abort after the i-th finished batch, i = 1..12: some aborts land while other batches are finishing.
    for (let i = 1; i <= 12; i++) {
      let batches = 0;
      const r = await abortDuring(
        (signal, onProgress) => estimate(SAMPLE, { samples: 2000, threads: 2, diameterBudgetSeconds: 0, signal, onProgress }),
        (e) => e.stage === 'bfs' && e.done > 0 && ++batches >= i,
      );
      if (r.aborted) expect(r.error, `abort after batch ${i}`).toBeInstanceOf(AbortError);
      expect(liveWorkerThreads()).toBe(0);
    }
    // An uncaught 'error' event would surface as an unhandled error and fail the run; give it time to.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  it('aborting the load, HyperBall and the diameter does the same', async () => {
    // A directed R-MAT graph small enough for the exact all-sources diameter, which then takes seconds.
    const file = tempFile('rmat-13.tsv', '');
    writeRmat(13, 1, file);
    const cases: Array<[string, (e: ProgressEvent) => boolean, Parameters<typeof estimate>[1]]> = [
      ['load', (e) => e.stage === 'load', { samples: 10 }],
      ['hyperball', (e) => e.stage === 'hyperball' && e.done >= 1, { method: 'hyperball', registers: 8 }],
      ['diameter', (e) => e.stage === 'diameter', { samples: 10, directed: true }],
    ];
    for (const [stage, when, options] of cases) {
      const r = await abortDuring((signal, onProgress) => estimate(file, { ...options, threads: 2, signal, onProgress }), when);
      expect(r.aborted, stage).toBe(true);
      expect(r.error, stage).toBeInstanceOf(AbortError);
      console.log(`${stage} abort: rejected ${r.latencyMs.toFixed(0)} ms after abort()`);
      expect(r.latencyMs, stage).toBeLessThan(1000);
      expect(liveWorkerThreads(), stage).toBe(0);
    }
  });
});
