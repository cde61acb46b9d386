/**
 * Writes a Graph500 R-MAT benchmark graph (the generator is src/graph/rmat.ts).
 *
 *   node dist/bench/rmat.js --scale 20 [--seed 1] [--out bench/graphs/rmat-20-s1.tsv] [--json]
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultRmatFile, writeRmat } from '../src/graph/rmat.js';

export { defaultRmatFile, writeRmat } from '../src/graph/rmat.js';

function main(): void {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error('--seed must be an integer from 0 to 4294967295');
  const out = values.out ?? defaultRmatFile(scale, seed);
  const stats = writeRmat(scale, seed, out);
  if (values.json) {
    process.stdout.write(JSON.stringify(stats) + '\n');
  } else {
    const s = stats.seconds;
    process.stdout.write(
      `${out}: ${stats.nodes.toLocaleString('en-US')} nodes, ${stats.edges.toLocaleString('en-US')} edges, ` +
        `${(stats.bytes / 2 ** 20).toFixed(1)} MiB; generate ${s.generate.toFixed(2)} s, ` +
        `write ${s.write.toFixed(2)} s, total ${s.total.toFixed(2)} s\n`,
    );
  }
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`rmat: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
