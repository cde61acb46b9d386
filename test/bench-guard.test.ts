/**
 * The CI benchmark guard's rule (bench/ci.ts, bench/guard.ts), through the built
 * script as CI runs it: `node dist/bench/ci.js --measured FILE --baseline FILE`
 * judges fabricated figures without measuring anything. Against the committed
 * baseline's own figures: a 26% drop fails, a 20% drop passes, a figure under
 * its floor fails; for lower-is-better figures (bytes per edge) the sense is
 * inverted. (Tests may not import bench/: the script is run instead.)
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempFile } from './helpers.js';

const SCRIPT = join(ROOT, 'dist/bench/ci.js');
const baseline = JSON.parse(readFileSync(join(ROOT, 'bench/baseline.json'), 'utf8')) as { figures: Record<string, number> };
const SPEEDUP = 'msbfs64 speed-up vs reference';
const BYTES = 'graph bytes per edge';

function judge(figures: Record<string, number>): { status: number | null; stdout: string } {
  const measured = tempFile('measured.json', JSON.stringify({ figures }));
  const base = tempFile('baseline.json', readFileSync(join(ROOT, 'bench/baseline.json'), 'utf8'));
  const r = spawnSync(process.execPath, [SCRIPT, '--measured', measured, '--baseline', base], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

/** The table row of one figure. */
const row = (stdout: string, name: string) => stdout.split('\n').find((l) => l.startsWith(name)) ?? '';

describe('bench:ci guard', () => {
  it('the committed baseline holds every figure, and judging it against itself passes', () => {
    expect(baseline.figures[SPEEDUP]).toBeGreaterThan(0);
    expect(baseline.figures[BYTES]).toBeGreaterThan(0);
    const r = judge({ ...baseline.figures });
    expect(r.stdout).toContain('bench:ci passed');
    expect(r.status).toBe(0);
  });

  it('a speed-up 26% below its baseline fails as a regression; 20% below passes', () => {
    const b = baseline.figures[SPEEDUP];
    const bad = judge({ ...baseline.figures, [SPEEDUP]: b * 0.74 });
    expect(bad.status).toBe(1);
    expect(row(bad.stdout, SPEEDUP)).toMatch(/-26\.0%\s+REGRESSION/);
    expect(bad.stdout).toContain(`FAIL ${SPEEDUP}`);
    const ok = judge({ ...baseline.figures, [SPEEDUP]: b * 0.8 });
    expect(row(ok.stdout, SPEEDUP)).toMatch(/-20\.0%\s+ok/);
    expect(ok.status).toBe(0);
  });

  it('bytes per edge is lower-is-better: 1/0.74 of the baseline fails, 1/0.8 passes, lower passes', () => {
    const b = baseline.figures[BYTES];
    const bad = judge({ ...baseline.figures, [BYTES]: b / 0.74 });
    expect(bad.status).toBe(1);
    expect(row(bad.stdout, BYTES)).toMatch(/-26\.0%\s+REGRESSION/);
    expect(judge({ ...baseline.figures, [BYTES]: b / 0.8 }).status).toBe(0);
    const better = judge({ ...baseline.figures, [BYTES]: b * 0.5 });
    expect(row(better.stdout, BYTES)).toMatch(/\+100\.0%\s+ok/);
    expect(better.status).toBe(0);
  });

  it('a figure past its floor fails even within 25% of its baseline, and a missing figure fails', () => {
    const file = tempFile('tiny-baseline.json', JSON.stringify({ figures: { ...baseline.figures, [SPEEDUP]: 8.5 } }));
    const measured = tempFile('measured-floor.json', JSON.stringify({ figures: { ...baseline.figures, [SPEEDUP]: 7.9 } }));
    const r = spawnSync(process.execPath, [SCRIPT, '--measured', measured, '--baseline', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(row(r.stdout, SPEEDUP)).toContain('BELOW FLOOR');
    const { [BYTES]: _, ...withoutBytes } = baseline.figures;
    const missing = judge(withoutBytes);
    expect(missing.status).toBe(1);
    expect(row(missing.stdout, BYTES)).toContain('MISSING');
  });
});
