/**
 * Issue 9, acceptance: the packed package works from another project. `npm pack`,
 * install the tarball into an empty temporary project, compile a strict-mode
 * TypeScript file that imports `estimate` and `loadGraph` against the shipped
 * types, run it on the shipped sample with seed 7, and compare with the CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

const project = mkdtempSync(join(tmpdir(), 'smallworld-consumer-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const CONSUMER = `
import { fileURLToPath } from 'node:url';
import { estimate, loadGraph, type EstimateReport, type ProgressEvent } from 'smallworld';

const sample = fileURLToPath(new URL('./node_modules/smallworld/data/sample-social.tsv', import.meta.url));
const stages = new Set<ProgressEvent['stage']>();
const graph = await loadGraph(sample, { onProgress: (e) => stages.add(e.stage) });
const report: EstimateReport = await estimate(graph, { seed: 7, onProgress: (e) => stages.add(e.stage) });
const mean: number | null = report.meanDistance;
graph.close();
console.log(JSON.stringify({ meanDistance: mean, distanceHistogram: report.distanceHistogram, nodes: graph.nodes, stages: [...stages] }));
`;

describe('the packed library, installed into an empty project', () => {
  it('compiles against the shipped types in strict mode and gives the CLI figures for seed 7', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // --ignore-scripts: `prepare` would rebuild dist/ while other test files run workers from it
    // (a worker that read a half-written file crashed Node in CI). pretest has just built dist/.
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', project, '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = readdirSync(project).find((f) => f.endsWith('.tgz'));
    expect(tarball, 'npm pack made a tarball').toBeDefined();
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    execFileSync(npm, ['install', `./${tarball}`, '--no-audit', '--no-fund', '--prefer-offline', '--silent'], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    // The README's library example, verbatim: it must compile and run too.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /## Library API[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme);
    expect(example, "README's Library API example").not.toBeNull();
    writeFileSync(join(project, 'readme-example.ts'), example![1]);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmitOnError: true,
          // The consumer's own @types/node: the project's, so the test downloads nothing more.
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['consumer.ts', 'readme-example.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr, 'strict compile').toBe('');
    expect(tsc.status).toBe(0);

    const run = spawnSync(process.execPath, [join(project, 'consumer.js')], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const fromLibrary = JSON.parse(run.stdout);
    const cli = runCli(['estimate', 'data/sample-social.tsv', '--seed', '7', '--json', '--quiet']);
    expect(cli.status).toBe(0);
    const fromCli = JSON.parse(cli.stdout);
    expect(fromLibrary.meanDistance).toBe(fromCli.meanDistance);
    expect(fromLibrary.distanceHistogram).toEqual(fromCli.distanceHistogram);
    expect(fromLibrary.nodes).toBe(20_000);
    expect(fromLibrary.stages).toEqual(expect.arrayContaining(['load', 'bfs']));

    const readmeRun = spawnSync(process.execPath, [join(project, 'readme-example.js')], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(readmeRun.status, readmeRun.stderr).toBe(0);
    expect(Number(readmeRun.stdout.split(' ')[0])).toBeGreaterThan(3); // the mean distance, then its interval
    expect(readmeRun.stdout).toMatch(/'0'[\s\S]*'19999'/); // the chain
  });
});
