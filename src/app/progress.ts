/**
 * Progress on stderr, only when stderr is a terminal (and not --quiet): a bar
 * per phase from cli-progress. Elsewhere every call is a no-op.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(label: string, total: number, unit: 'bytes' | 'sources'): void;
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
  let unit: 'bytes' | 'sources' = 'sources';
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
            const width = options.barsize ?? 30;
            const filled = Math.round(params.progress * width);
            const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
            const seconds = (performance.now() - began) / 1000;
            const count =
              unit === 'bytes'
                ? `${mb(params.value)}/${params.total ? mb(params.total) : '?'} MB, ${mb(params.value / Math.max(seconds, 1e-3))} MB/s`
                : `${params.value}/${params.total} sources, ${(params.value / Math.max(seconds, 1e-3)).toFixed(1)}/s`;
            return `${payload.label} ${bar} ${Math.round(params.progress * 100)}% | ${count}`;
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
