import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, runCli, tempFile } from './helpers.js';

const sample = join(ROOT, 'data/sample-social.tsv');

describe('smallworld convert and .swg input', () => {
  it('an .swg gives the same estimate as its edge list, wherever an edge list is accepted', () => {
    const out = tempFile('sample.swg', '');
    const c = runCli(['convert', sample, out, '--quiet']);
    expect(c.status).toBe(0);
    expect(c.stdout).toMatch(/20000 nodes, 79990 edges/);
    expect(readdirSync(dirname(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const args = ['--samples', '40', '--json', '--threads', '2'];
    const fromText = JSON.parse(runCli(['estimate', sample, ...args]).stdout);
    const fromSwg = JSON.parse(runCli(['estimate', out, ...args]).stdout);
    for (const key of ['meanDistance', 'meanDistanceCi95', 'distanceHistogram', 'nodes', 'edges', 'selfLoops', 'duplicateEdges', 'edgeLines'])
      expect(fromSwg[key], key).toEqual(fromText[key]);
  });

  it('is decided by content, not by name, and refuses a direction mismatch', () => {
    const out = tempFile('looks-like-text.txt', '');
    expect(runCli(['convert', sample, out, '--quiet', '--directed']).status).toBe(0);
    const r = runCli(['estimate', out, '--samples', '5', '--json', '--directed']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).directed).toBe(true);
    const wrong = runCli(['estimate', out, '--samples', '5']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/converted as directed/);
  });

  it('refuses a damaged file with one line', () => {
    const out = tempFile('damaged.swg', '');
    runCli(['convert', sample, out, '--quiet']);
    const bytes = readFileSync(out);
    writeFileSync(out, bytes.subarray(0, bytes.length - 1000));
    const r = runCli(['estimate', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^smallworld: ${out}: truncated .swg file`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(true);
  });
});
