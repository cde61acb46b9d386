import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { holmeKim, sampleText, SAMPLE } from '../data/generate-sample.js';
import { ROOT, runCli } from './helpers.js';

describe('the sample graph in data/', () => {
  it('is exactly what the seeded generator makes', () => {
    expect(readFileSync(join(ROOT, 'data/sample-social.tsv'), 'utf8')).toBe(sampleText());
  });

  it('is a simple graph with the documented size', () => {
    const edges = holmeKim(2000, SAMPLE.edgesPerNode, SAMPLE.triadProbability, 1);
    const keys = new Set(edges.map(([u, v]) => (u < v ? `${u}-${v}` : `${v}-${u}`)));
    expect(keys.size).toBe(edges.length);
    expect(edges.every(([u, v]) => u !== v)).toBe(true);
    expect(edges.length).toBe(10 + (2000 - 5) * 4);
  });

  it('npm start reads it, also from standard input and gzipped', () => {
    const text = readFileSync(join(ROOT, 'data/sample-social.tsv'));
    const args = ['--samples', '30', '--json', '--threads', '1'];
    const file = JSON.parse(runCli(['estimate', 'data/sample-social.tsv', ...args]).stdout);
    const piped = JSON.parse(runCli(['estimate', '-', ...args], gzipSync(text)).stdout);
    expect(piped.nodes).toBe(SAMPLE.nodes);
    expect(piped.meanDistance).toBe(file.meanDistance);
    expect(piped.distanceHistogram).toEqual(file.distanceHistogram);
  });
});
