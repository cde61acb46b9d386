/**
 * Progress on stderr, only when stderr is a terminal (and not --quiet): a bar
 * per stage from cli-progress, labelled with the file it is working on.
 * Elsewhere every call is a no-op.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from './options.js';

type Unit = ProgressEvent['unit'];

export interface Progress {
  start(label: string, total: number, unit: Unit): void;
  update(done: number, total?: number): void;
  stop(): void;
}

const silent: Progress = { start() {}, update() {}, stop() {} };

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  let bar: cliProgress.SingleBar | undefined;
  let unit: Unit = 'sources';
  let began = 0;
  return {
    start(label, total, u) {
      unit = u;
      began = performance.now();
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          format: (options, params, payload) => {
            const seconds = (performance.now() - began) / 1000;
            // Hops have no known end: a count, no bar.
            if (unit === 'hops') return `${payload.label} | hop ${params.value}, ${seconds.toFixed(1)} s`;
            const width = options.barsize ?? 30;
            const filled = Math.round(params.progress * width);
            const drawn = '█'.repeat(filled) + '░'.repeat(width - filled);
            const count =
              unit === 'bytes'
                ? `${mb(params.value)}/${params.total ? mb(params.total) : '?'} MB, ${mb(params.value / Math.max(seconds, 1e-3))} MB/s`
                : `${params.value}/${params.total} ${unit}, ${(params.value / Math.max(seconds, 1e-3)).toFixed(1)}/s`;
            return `${payload.label} ${drawn} ${Math.round(params.progress * 100)}% | ${count}`;
          },
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { label });
    },
    update(done, total) {
      if (total !== undefined && total > 0) bar?.setTotal(total);
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

const STAGE_LABELS: Record<ProgressEvent['stage'], string> = {
  load: 'loading',
  bfs: 'BFS',
  hyperball: 'HyperBall',
  diameter: 'diameter',
  person: 'person',
  path: 'path',
  chains: 'chains',
  snapshots: 'snapshots',
};

/**
 * The library's progress events as bars: a new bar when the stage changes, each
 * labelled `prefix stage` ("[2/3] snapshot.csv BFS"). The diameter gets no bar:
 * its work is not known in advance.
 */
export function progressListener(progress: Progress, prefix: string): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  let stage: ProgressEvent['stage'] | null = null;
  return {
    onProgress(e) {
      if (e.stage !== stage) {
        progress.stop();
        stage = e.stage;
        if (e.stage === 'diameter') return;
        progress.start(`${prefix}${STAGE_LABELS[e.stage]}`, e.total ?? 0, e.unit);
      }
      if (e.stage !== 'diameter') progress.update(e.done, e.total ?? undefined);
    },
    stop() {
      progress.stop();
      stage = null;
    },
  };
}
