/**
 * Issue 9: the house keeps its shape. src/ is grouped by stage, imports flow one
 * way (input -> graph -> parallel -> algorithms -> stats -> app, with errors.ts for
 * all), there is no import cycle, and no test imports bench/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a file (type-only ones included: they are part of the shape too), as absolute .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
}

const SRC = join(ROOT, 'src');
const rel = (f: string) => relative(ROOT, f);

describe('layout by stage', () => {
  const files = tsFiles(SRC);
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('src/ holds only the stage folders, index.ts and errors.ts', () => {
    const top = readdirSync(SRC).sort();
    expect(top).toEqual(['algorithms', 'app', 'errors.ts', 'graph', 'index.ts', 'io', 'parallel', 'stats']);
  });

  it('no import cycle in src/', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('each stage imports only the stages its table allows (app all of them; errors.ts from anywhere)', () => {
    const order = ['io', 'graph', 'parallel', 'algorithms', 'stats', 'app'];
    // io reads into graph structures, so graph sits below io in practice: a file may import its own
    // stage, errors.ts, and the stages this table allows.
    const allowed: Record<string, string[]> = {
      graph: ['stats'], // rmat.ts draws from the seeded generator in stats/random.ts
      io: ['graph', 'parallel'],
      parallel: ['graph', 'algorithms'],
      algorithms: ['graph', 'parallel', 'stats', 'io'],
      stats: ['algorithms'],
      app: order,
    };
    const wrong: string[] = [];
    for (const [f, targets] of graph) {
      const stage = relative(SRC, f).split('/')[0];
      if (!order.includes(stage)) continue;
      for (const t of targets) {
        const to = relative(SRC, t).split('/')[0];
        if (to === stage || to === 'errors.ts' || allowed[stage].includes(to)) continue;
        wrong.push(`${rel(f)} imports ${rel(t)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the loader does not import the BFS pool', () => {
    const io = files.filter((f) => f.includes('/src/io/'));
    for (const f of io) expect(graph.get(f)!.map(rel), rel(f)).not.toContain('src/parallel/bfs-pool.ts');
  });

  it('no test imports bench/', () => {
    const tests = tsFiles(join(ROOT, 'test'));
    const bad = tests.flatMap((t) => importsOf(t).filter((i) => i.startsWith(join(ROOT, 'bench') + '/')).map((i) => `${rel(t)} imports ${rel(i)}`));
    expect(bad).toEqual([]);
  });
});
