/**
 * Issue 11 part 3: estimate --format table|json|csv|markdown and --output. The CSV
 * parses back (csv-parse) to the very numbers --json prints, error rows included;
 * Markdown is a table a reader can trust; --json and --format agree or refuse.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, formatCsv, formatMarkdown, type EstimateReport, type ResultRecord } from '../src/index.js';
import { DATASETS, haveShared, loadTruth, runCli, tempFile } from './helpers.js';

const shared = haveShared();
const FB = join(DATASETS, 'facebook_combined.txt.gz');
const GRQC = join(DATASETS, 'CA-GrQc.txt.gz');
const KARATE = join(DATASETS, 'karate.txt.gz');

/** A CSV cell as a number (empty: null). */
const num = (s: string): number | null => (s === '' ? null : Number(s));

describe.runIf(shared)('estimate --format csv parses back to the --json numbers', () => {
  const args = ['estimate', FB, GRQC, '/no/such/file.tsv', '--samples', '500', '--seed', '7', '--threads', '2', '-q'];
  const json = runCli([...args, '--json']);
  const out = tempFile('estimate.csv', '');
  const csv = runCli([...args, '--format', 'csv', '--output', out]);

  it('both exit 1 (one file failed), --output leaves stdout empty and says where on stderr', () => {
    expect(json.status).toBe(1);
    expect(csv.status).toBe(1);
    expect(csv.stdout).toBe('');
    expect(csv.stderr).toContain(`smallworld: wrote csv for 3 files to ${out}`);
  });

  it('header + one row per file, the error row with its message, every number equal to --json', () => {
    const reports = JSON.parse(json.stdout) as Array<EstimateReport | { file: string; status: 'error'; error: string }>;
    const text = readFileSync(out, 'utf8');
    const header = parse(text, { to_line: 1 })[0] as string[];
    expect(header).toEqual([...CSV_COLUMNS]);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.name)).toEqual(['facebook_combined', 'CA-GrQc', 'file']);
    expect(rows[2]).toMatchObject({ file: '/no/such/file.tsv', status: 'error', error: '/no/such/file.tsv: no such file', nodes: '', meanDistance: '' });
    const truth = loadTruth();
    for (const [i, key] of ['facebook_combined.txt.gz', 'CA-GrQc.txt.gz'].entries()) {
      const r = reports[i] as EstimateReport;
      const row = rows[i];
      expect(row.status).toBe('ok');
      expect(num(row.nodes)).toBe(truth[key].nodes);
      expect(num(row.edges)).toBe(truth[key].undirectedEdges);
      expect(row.directed).toBe('false');
      expect(num(row.nodes)).toBe(r.nodes);
      expect(num(row.edges)).toBe(r.edges);
      expect(num(row.sources)).toBe(500);
      expect(num(row.seed)).toBe(7);
      // Full precision: the same doubles, not rounded copies.
      expect(num(row.meanDistance)).toBe(r.meanDistance);
      expect(num(row.meanDistanceCiLow)).toBe(r.meanDistanceCi95![0]);
      expect(num(row.meanDistanceCiHigh)).toBe(r.meanDistanceCi95![1]);
      expect(num(row.degreesOfSeparation)).toBe(r.degreesOfSeparation);
      expect(num(row.medianDistance)).toBe(r.medianDistance);
      expect(num(row.effectiveDiameter90)).toBe(r.effectiveDiameter90);
      expect(num(row.effectiveDiameter90CiLow)).toBe(r.effectiveDiameter90Ci95![0]);
      expect(num(row.effectiveDiameter90CiHigh)).toBe(r.effectiveDiameter90Ci95![1]);
      expect(num(row.diameter)).toBe(truth[key].diameter);
      expect(num(row.reachablePairFraction)).toBe(r.reachablePairFraction);
      for (let h = 1; h <= 8; h++) expect(num(row[`withinHops${h}`]), `withinHops${h}`).toBe(r.withinHopsFraction[h]);
      // Timings differ between the two runs; they are there and plausible.
      expect(num(row.seconds)).toBeGreaterThan(0);
      expect(num(row.peakRssBytes)).toBeGreaterThan(2 ** 20);
      // And the figures are the right ones: the 95% interval holds the exact mean (seed 7).
      expect(r.meanDistanceCi95![0]).toBeLessThanOrEqual(truth[key].meanDistance);
      expect(r.meanDistanceCi95![1]).toBeGreaterThanOrEqual(truth[key].meanDistance);
    }
    console.log(`estimate --format csv (seed 7, 500 sources):\n${text}`);
  });
});

describe.runIf(shared)('estimate --format markdown, json and table', () => {
  it('markdown: a GitHub table of the key figures, one row per file (karate: exact, so the truth to 4 places)', () => {
    const r = runCli(['estimate', KARATE, FB, '--samples', '300', '--threads', '2', '--format', 'markdown', '-q']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('| name | nodes | edges | sources | mean distance | 95% CI | degrees of separation | eff. diameter 90 | diameter | reachable pairs | within 6 hops |');
    expect(lines[1]).toMatch(/^\| --- \|( ---: \|){10}$/);
    const karate = lines[2].split(' | ');
    const truth = loadTruth()['karate.txt.gz'];
    expect(karate[0]).toBe('| karate');
    expect(karate[1]).toBe(String(truth.nodes));
    expect(karate[4]).toBe(truth.meanDistance.toFixed(4));
    expect(karate[5]).toBe('exact');
    expect(lines[3]).toMatch(/^\| facebook_combined \| 4,039 \| 88,234 \| 300 \| 3\.\d{4} \| 3\.\d{4} to 3\.\d{4} \|/);
  });

  it('--format json prints what --json prints; table is the old human output', () => {
    const base = ['estimate', KARATE, '--threads', '2', '-q'];
    const a = JSON.parse(runCli([...base, '--json']).stdout);
    const b = JSON.parse(runCli([...base, '--format', 'json']).stdout);
    delete a.timings;
    delete b.timings;
    expect(b).toEqual(a);
    const table = runCli([...base, '--format', 'table']);
    expect(table.stdout).toContain('degrees of separation   1.4082');
  });
});

describe('format options are checked before any read', () => {
  it('--json with a different --format, a bad --format, an --output in a missing folder: exit 2, one line', () => {
    const cases: Array<[string[], string]> = [
      [['--json', '--format', 'csv'], 'smallworld: --json is short for --format json and conflicts with --format csv: drop one of them'],
      [['--output', '/no/such/folder/out.csv'], 'smallworld: --output /no/such/folder/out.csv: the folder /no/such/folder does not exist'],
    ];
    for (const [extra, message] of cases) {
      const r = runCli(['estimate', '/no/such/input.tsv', ...extra]);
      expect(r.status, extra.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(message);
    }
    const bad = runCli(['estimate', '/no/such/input.tsv', '--format', 'xml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format.*xml.*table, json, csv, markdown/);
    // --json --format json agree: fine (the input is then read, and missing: exit 1).
    expect(runCli(['estimate', '/no/such/input.tsv', '--json', '--format', 'json']).status).toBe(1);
  });
});

describe('formatCsv and formatMarkdown on awkward names', () => {
  const fake = (file: string, name: string, withinHopsFraction: number[]): ResultRecord =>
    ({
      name,
      file,
      status: 'ok',
      nodes: 3,
      edges: 2,
      directed: false,
      sources: 3,
      seed: 1,
      exact: true,
      method: 'bfs',
      meanDistance: 4 / 3,
      meanDistanceCi95: [4 / 3, 4 / 3],
      degreesOfSeparation: 1 / 3,
      medianDistance: 1,
      effectiveDiameter90: 1.7,
      effectiveDiameter90Ci95: null,
      diameter: 2,
      diameterBounds: undefined,
      maxDistanceSeen: 2,
      reachablePairFraction: 1,
      withinHopsFraction,
      timings: { totalSeconds: 0.5, peakRssBytes: 1000 },
    }) as unknown as ResultRecord;

  it('quotes commas, quotes and line breaks so csv-parse reads the same strings back; within-h past the last distance is 1', () => {
    const file = 'odd, "quoted"\nname.tsv';
    const text = formatCsv([fake(file, 'a,"b"', [0, 2 / 3, 1]), { file: 'x.tsv', status: 'error', error: 'x.tsv:3: expected 2 columns, found 1' }]);
    const rows = parse(text, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    expect(rows[0].file).toBe(file);
    expect(rows[0].name).toBe('a,"b"');
    expect(Number(rows[0].meanDistance)).toBe(4 / 3);
    expect(rows[0].effectiveDiameter90CiLow).toBe('');
    expect([1, 2, 3, 8].map((h) => Number(rows[0][`withinHops${h}`]))).toEqual([2 / 3, 1, 1, 1]);
    expect(rows[1]).toMatchObject({ name: 'x', status: 'error', error: 'x.tsv:3: expected 2 columns, found 1', nodes: '' });
  });

  it('markdown escapes pipes and markup in names: one row stays one row, no HTML', () => {
    const md = formatMarkdown([fake('<img src=x onerror=alert(1)>|x.tsv', '<img src=x onerror=alert(1)>|x', [0, 1])]);
    const row = md.trimEnd().split('\n')[2];
    expect(row.startsWith('| \\<img src=x onerror=alert(1)\\>\\|x | 3 |')).toBe(true);
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(11);
  });
});
