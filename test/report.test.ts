/**
 * Issue 11, part 4: the HTML report without a browser. It is self-contained (no
 * script source, no stylesheet link, no URL but the specs' $schema), every user
 * string is escaped in HTML, in the SVG and in the embedded JSON, each chart has
 * its Vega-Lite spec beside it, and the comparison table's arithmetic is right.
 * Issue 14, item 4: a `timeline --json` object (or results.jsonl line) draws the trend.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimate, InputError, readReportInput as readResults, renderReport, timeline, type TimelineReport } from '../src/index.js';
import { checkSvg, renderSvg, forestSpec } from '../src/app/charts.js';
import { jsonForScript } from '../src/app/html-report.js';
import { DATASETS, haveShared, ROOT, runCli, tempFile } from './helpers.js';

const XSS = '<img src=x onerror=alert(1)>';
const SCHEMA_LINE = '"$schema": "https://vega.github.io/schema/vega-lite/v6.json"';
const SAMPLE = join(ROOT, 'data/sample-social.tsv');

/** The contents of every <script> element, with its attributes. */
function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].map((m) => ({ attrs: m[1], body: m[2] }));
}

/** Every tag of the page with its attribute names (attribute values are always double-quoted here). */
function tags(html: string): { name: string; attributes: string[] }[] {
  const out: { name: string; attributes: string[] }[] = [];
  const body = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '<script>').replace(/<style>[\s\S]*?<\/style>/, '<style>');
  for (const m of body.matchAll(/<([a-zA-Z][\w:-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    out.push({ name: m[1], attributes: [...m[2].matchAll(/\s+([^\s=/>]+)(?:="[^"]*")?/g)].map((a) => a[1]) });
  }
  return out;
}

describe('HTML report (no browser)', () => {
  let results: object[];
  let html: string;

  beforeAll(async () => {
    // Two real estimates of the sample graph (different seeds), one renamed to the injection,
    // with an injected file name and person id, plus a failure whose message tries to close a script.
    const a = await estimate(SAMPLE, { samples: 100, seed: 1, threads: 1, person: '42' });
    const b = await estimate(SAMPLE, { samples: 100, seed: 2, threads: 1 });
    results = [
      { name: 'sample seed 1', fingerprint: 'f1', options: {}, ...a, person: { ...a.person!, id: `${XSS}"'` } },
      { name: XSS, fingerprint: 'f2', options: {}, ...b, file: `/data/${XSS}.tsv` },
      { name: `broken ${XSS}`, file: `/data/${XSS}.csv`, status: 'error', error: `/data/${XSS}.csv:3: expected 2 columns, found 1 </script><script>alert(2)</script>` },
    ];
    html = await renderReport(results, { generatedAt: '2026-01-01T00:00:00Z' });
  });

  it('is self-contained: no script source, no link, no image, no URL but the specs\' $schema', () => {
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|image|use)\b/i);
    expect(html).not.toMatch(/url\s*\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(html.split(SCHEMA_LINE).length - 1).toBe(3 * 2 + 2); // one per chart
    expect(html.split(SCHEMA_LINE).join('')).not.toMatch(/https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('has one chart per figure (3 per dataset, 2 across), each with its Vega-Lite spec beside it, and no executable script', () => {
    const svgs = html.match(/<svg\b/g) ?? [];
    expect(svgs).toHaveLength(3 * 2 + 2);
    const all = scripts(html);
    expect(all).toHaveLength(svgs.length);
    for (const s of all) {
      expect(s.attrs).toBe(' type="application/json" class="vega-lite-spec"');
      const spec = JSON.parse(s.body);
      expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v6.json');
    }
    // Each spec follows its own SVG inside one <figure>.
    expect(html.match(/<figure class="chart"><svg[\s\S]*?<\/svg><figcaption>[\s\S]*?<\/figcaption><script type="application\/json" class="vega-lite-spec">[^<]*<\/script><\/figure>/g)).toHaveLength(svgs.length);
  });

  it('escapes user strings in HTML text, attributes, SVG and JSON', () => {
    expect(html).not.toContain(XSS);
    expect(html).not.toContain('<script>alert(2)');
    expect(html).not.toMatch(/<img/i);
    const attributes = tags(html).flatMap((t) => t.attributes);
    expect(attributes.length).toBeGreaterThan(1000);
    expect(attributes.filter((a) => /^on|href$|^src$/i.test(a))).toEqual(['href', 'href']); // no handler, no source, no link...
    expect(html.match(/ href="[^"]*"/g)).toEqual([' href="#dataset-1"', ' href="#dataset-2"']); // ...but the contents' links within the page
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    expect(html).toContain(`<h2>${escaped}</h2>`); // heading
    expect(html).toContain(`<code>/data/${escaped}.tsv</code>`); // file name
    expect(html).toContain(`person ${escaped}&quot;&#39;`); // person id
    expect(html).toContain('found 1 &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;'); // error message
    // In the SVG: Vega's text labels and aria-labels.
    const svgText = (html.match(/<svg[\s\S]*?<\/svg>/g) ?? []).join('');
    expect(svgText).toContain(`>${escaped}</text>`);
    expect(svgText).not.toContain(XSS);
    // In the JSON: no '<' at all, and the name comes back intact when parsed.
    for (const s of scripts(html)) expect(s.body).not.toMatch(/[<>&]/);
    const specs = scripts(html).map((s) => JSON.parse(s.body));
    expect(JSON.stringify(specs)).toContain(XSS);
  });

  it('lists failed datasets with their message', () => {
    expect(html).toMatch(/<section id="failed"><h2>Failed datasets \(1\)<\/h2><ul><li><b>broken &lt;img[^<]*<\/b> \(<code>\/data\/&lt;img src=x onerror=alert\(1\)&gt;\.csv<\/code>\): <span class="error">[^<]*expected 2 columns, found 1/);
  });

  it('shows the key figures of each dataset', () => {
    const first = results[0] as { meanDistance: number; nodes: number; seed: number };
    expect(html).toContain(`<th>mean distance</th><td>${first.meanDistance.toFixed(3)} <span class="ci">(95% CI `);
    for (const k of ['degrees of separation', 'median distance', 'effective diameter (90%)', 'diameter', 'nodes', 'edges (undirected)', 'sources', 'seed'])
      expect(html).toContain(`<th>${k}</th>`);
    expect(html).toContain('<td>20,000</td>');
  });

  it('compares means: difference with sqrt(h1^2 + h2^2) half-width', async () => {
    const fake = (name: string, m: number, h: number) => ({ name, status: 'ok', meanDistance: m, meanDistanceCi95: [m - h, m + h], distanceHistogram: [0, 1, 2], withinHopsFraction: [0, 1 / 3, 1] });
    const page = await renderReport([fake('A', 3, 0.3), fake('B', 4, 0.4)]);
    expect(page).toContain('<tr><td>A</td><td>B</td><td class="n">-1.000</td><td class="n">-1.500 to -0.500</td><td>B&#39;s is longer</td></tr>');
    const close = await renderReport([fake('A', 3, 0.3), fake('B', 3.2, 0.4)]);
    expect(close).toContain('<td class="n">-0.200</td><td class="n">-0.700 to 0.300</td><td>no difference detectable</td>');
  });

  it('one dataset: no across-datasets section; no result at all: still a page', async () => {
    const one = await renderReport([results[0]]);
    expect(one.match(/<svg\b/g)).toHaveLength(3);
    expect(one).not.toContain('id="across"');
    const none = await renderReport([]);
    expect(none).toContain('No dataset was measured.');
    expect(none).not.toContain('<svg');
  });

  it('jsonForScript cannot close its element; checkSvg refuses markup that is not SVG', async () => {
    expect(jsonForScript({ a: '</script><!--&\u2028' })).toBe('{\n "a": "\\u003c/script\\u003e\\u003c!--\\u0026\\u2028"\n}');
    expect(JSON.parse(jsonForScript({ a: '</script>' }))).toEqual({ a: '</script>' });
    expect(() => checkSvg('<svg><img src=x onerror=alert(1)></svg>')).toThrow(/markup|element/);
    expect(() => checkSvg('<svg><g onclick="alert(1)"></g></svg>')).toThrow(/attribute onclick/);
    expect(() => checkSvg('<svg><text>a > b</text></svg>')).toThrow(/'>'/);
    const svg = await renderSvg(forestSpec([{ label: XSS, shares: [], shareCi95: null, within: [], withinCi95: null, meanDistance: 3, meanDistanceCi95: [2.9, 3.1], effectiveDiameter90: null, perPerson: null }]));
    expect(checkSvg(svg)).toBe(svg);
    expect(svg).toMatch(/<path [^>]*aria-label="[^"]*&lt;img src=x onerror=alert\(1\)&gt;/);
    expect(svg).toMatch(/^<svg [^>]*class="marks"/);
    expect(svg).not.toMatch(/xmlns|http/); // no namespace URLs inline
  });

  it('reads JSON Lines and estimate --json output; a bad line names its number', async () => {
    const lines = tempFile('results.jsonl', results.map((r) => JSON.stringify(r)).join('\n') + '\n\n');
    expect(await readResults(lines)).toHaveLength(3);
    const array = tempFile('estimate.json', JSON.stringify(results.slice(0, 2), null, 2));
    expect(await readResults(array)).toHaveLength(2);
    const single = tempFile('one.json', JSON.stringify(results[0], null, 2));
    expect(await readResults(single)).toHaveLength(1);
    const bad = tempFile('bad.jsonl', `${JSON.stringify(results[0])}\n{"name": \n`);
    const err = await readResults(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).line).toBe(2);
  });

  it('CLI: report writes the page (default beside the results), exit 1 on a missing or bad file', () => {
    const lines = tempFile('cli-results.jsonl', results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const out = tempFile('cli-report.html', '');
    const r = runCli(['report', lines, '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${out}: 2 datasets, 1 failed\n`);
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
    const byDefault = runCli(['report', lines]);
    expect(byDefault.status).toBe(0);
    expect(byDefault.stdout).toBe(`${join(lines, '..', 'report.html')}: 2 datasets, 1 failed\n`);
    const missing = runCli(['report', '/no/such/results.jsonl', '-o', out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('smallworld: /no/such/results.jsonl: no such file\n');
    const badFile = tempFile('cli-bad.jsonl', 'not json\n');
    writeFileSync(badFile, 'not json\n');
    const bad = runCli(['report', badFile, '-o', out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^smallworld: .*cli-bad\.jsonl:1: not a JSON line/);
  });
});

describe.skipIf(!haveShared())('HTML report of a timeline (CollegeMsg, 5 snapshots)', () => {
  let r: TimelineReport;
  let html: string;
  let injected: string;

  beforeAll(async () => {
    // A real timeline of CollegeMsg read under an injected file name (gzip is read by its magic bytes).
    injected = tempFile(`${XSS}.txt.gz`, readFileSync(join(DATASETS, 'CollegeMsg.txt.gz')));
    r = await timeline(injected, { timeColumn: '3', snapshots: 5, samples: 100, threads: 1 });
    html = await renderReport([r], { generatedAt: '2026-01-01T00:00:00Z' });
  }, 120_000);

  it('draws the trend: mean distance, nodes and edges, effective diameter by time, each chart with its spec', () => {
    expect(r.snapshots).toHaveLength(5);
    expect(html.match(/<section class="timeline" id="timeline-1">/g)).toHaveLength(1);
    expect(html.match(/<svg\b/g)).toHaveLength(3);
    const specs = scripts(html).map((s) => JSON.parse(s.body));
    expect(specs).toHaveLength(3);
    expect(html.match(/<figure class="chart"><svg[\s\S]*?<\/svg><figcaption>[\s\S]*?<\/figcaption><script type="application\/json" class="vega-lite-spec">[^<]*<\/script><\/figure>/g)).toHaveLength(3);
    for (const spec of specs) {
      const x = spec.layer ? spec.layer[spec.layer.length - 1].encoding.x : spec.encoding.x;
      expect(x).toMatchObject({ field: 'time', type: 'temporal' });
    }
    // (1) mean distance with its band, (3) effective diameter with its band: the snapshots' figures, time in ms.
    const band = (ci: [number, number] | null) => ({ low: ci![0], high: ci![1] });
    expect(specs[0].data.values).toEqual(r.snapshots.map((s) => ({ time: s.until * 1000, value: s.meanDistance, ...band(s.meanDistanceCi95) })));
    expect(specs[0].layer[0].mark.type).toBe('area');
    expect(specs[2].data.values).toEqual(r.snapshots.map((s) => ({ time: s.until * 1000, value: s.effectiveDiameter90, ...band(s.effectiveDiameter90Ci95) })));
    expect(specs[2].layer[0].mark.type).toBe('area');
    // (2) nodes and edges on a log scale.
    expect(specs[1].encoding.y.scale).toEqual({ type: 'log' });
    expect(specs[1].data.values).toEqual(r.snapshots.flatMap((s) => [{ time: s.until * 1000, series: 'nodes', count: s.nodes }, { time: s.until * 1000, series: 'edges', count: s.edges }]));
    expect(html).toContain('<b>Mean distance over time.</b>');
    expect(html).toContain('<b>Growth.</b> Nodes and edges');
    expect(html).toContain('<b>Effective diameter over time.</b>');
    expect(html).toContain('1 timeline · generated');
  });

  it("the table's rows are the snapshots' figures", () => {
    const table = html.match(/<table class="timeline">[\s\S]*?<\/table>/)![0];
    const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => c[1].replace(/<[^>]+>/g, '')));
    expect(rows[0]).toEqual(['time (until)', 'nodes', 'edges', 'mean distance [95% CI]', 'effective diameter (90%) [95% CI]']);
    const ci = (c: [number, number] | null) => `(95% CI ${c![0].toFixed(3)} to ${c![1].toFixed(3)})`;
    expect(rows.slice(1)).toEqual(
      r.snapshots.map((s) => [
        s.untilIso,
        s.nodes.toLocaleString('en-US'),
        s.edges.toLocaleString('en-US'),
        `${s.meanDistance!.toFixed(3)} ${ci(s.meanDistanceCi95)}`,
        `${s.effectiveDiameter90!.toFixed(3)} ${ci(s.effectiveDiameter90Ci95)}`,
      ]),
    );
    expect(rows.at(-1)![1]).toBe('1,899'); // the last snapshot: every edge of CollegeMsg
  });

  it('escapes the injected file name in HTML, SVG and JSON', () => {
    expect(html).not.toContain(XSS);
    expect(html).not.toMatch(/<img/i);
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    expect(html).toContain(`<h2>Over time: ${escaped}.txt.gz</h2>`);
    expect(html).toContain(`<code>${escapeHtmlPath(injected)}</code>`);
    expect(tags(html).flatMap((t) => t.attributes).filter((a) => /^on|^src$/i.test(a))).toEqual([]);
    for (const s of scripts(html)) expect(s.body).not.toMatch(/[<>&]/);
    expect(JSON.stringify(scripts(html).map((s) => JSON.parse(s.body)))).toContain(XSS); // in the specs' descriptions, intact
  });

  it('reads a timeline --json file, and a results.jsonl line holding one beside an estimate', async () => {
    const file = tempFile('timeline.json', JSON.stringify(r));
    const read = await readResults(file);
    expect(read).toEqual([JSON.parse(JSON.stringify(r))]);
    const estimateLine = { name: 'CollegeMsg', ...(await estimate(join(DATASETS, 'CollegeMsg.txt.gz'), { samples: 100, threads: 1 })) };
    const lines = tempFile('mixed.jsonl', `${JSON.stringify(r)}\n${JSON.stringify(estimateLine)}\n`);
    const both = await readResults(lines);
    expect(both).toHaveLength(2);
    const page = await renderReport(both);
    expect(page.match(/<svg\b/g)).toHaveLength(3 + 3); // the trend, and the estimate's three (one dataset: no across section)
    expect(page).toContain('1 dataset measured, 1 timeline');
    expect(page.match(/ href="[^"]*"/g)).toEqual([' href="#timeline-1"', ' href="#dataset-1"']);
  }, 60_000);

  it('CLI: report of the output of timeline --json', () => {
    const t = runCli(['timeline', join(DATASETS, 'CollegeMsg.txt.gz'), '--time-column', '3', '--snapshots', '5', '--samples', '100', '--json', '-q']);
    expect(t.status).toBe(0);
    const json = tempFile('cli-timeline.json', t.stdout);
    const out = tempFile('cli-timeline.html', '');
    const rep = runCli(['report', json, '-o', out]);
    expect(rep.stderr).toBe('');
    expect(rep.status).toBe(0);
    expect(rep.stdout).toBe(`${out}: 1 timeline\n`);
    const page = readFileSync(out, 'utf8');
    expect(page.match(/<svg\b/g)).toHaveLength(3);
    expect(page).toContain('<h2>Over time: CollegeMsg.txt.gz</h2>');
    // Same seed and samples as the function above: the same figures in the table.
    const rows = page.match(/<table class="timeline">[\s\S]*?<\/table>/)![0].match(/<tr>/g);
    expect(rows).toHaveLength(1 + 5);
    expect(JSON.parse(t.stdout).snapshots.map((s: { meanDistance: number }) => s.meanDistance)).toEqual(r.snapshots.map((s) => s.meanDistance));
  }, 120_000);
});

function escapeHtmlPath(p: string): string {
  return p.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
