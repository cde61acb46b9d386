/**
 * The HTML report (`smallworld report RESULTS.jsonl`, and the one `batch` writes):
 * one self-contained file, readable offline and by e-mail. No script runs, nothing
 * is fetched (a Content-Security-Policy of default-src 'none' says so to the
 * browser), the charts are inline SVG drawn in Node by Vega (charts.ts), and each
 * chart's Vega-Lite spec sits beside it as JSON so a reader can re-plot it.
 *
 * Every string that comes from a result (dataset and file names, error messages,
 * person ids) is escaped: as HTML text and attributes here, as SVG text by Vega
 * (checked by charts.checkSvg), and as JSON that cannot close its script element.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeFsError, InputError } from '../errors.js';
import { comparePair } from '../stats/compare.js';
import type { EstimateSums } from '../stats/estimate.js';
import {
  distanceDistributionSpec,
  forestSpec,
  overlaidWithinHopsSpec,
  perPersonSpec,
  renderSvg,
  trendEffectiveDiameterSpec,
  trendMeanDistanceSpec,
  trendSizeSpec,
  withinHopsSpec,
  type ChartDataset,
  type TrendPoint,
} from './charts.js';
import type { TopLevelSpec } from 'vega-lite';

export interface ReportOptions {
  /** The page's title and heading (default "smallworld report"). */
  title?: string;
  /** Where the results came from, shown under the heading (writeReport: the results file). */
  source?: string;
  /** The time shown as "generated" (default: now, ISO 8601). */
  generatedAt?: string;
}

/** What writeReport did. */
export interface ReportSummary {
  outPath: string;
  datasets: number;
  /** Results with figures: estimates and timelines. */
  ok: number;
  /** Of the ok results, the timelines (`smallworld timeline --json`). */
  timelines: number;
  failed: number;
}

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** JSON for a <script type="application/json"> element: no '<', '>' or '&' that could end it, no line separators. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Reading results: whatever a line holds, the report shows what it can and never throws on a field.

type Obj = Record<string, unknown>;
type Interval = [number, number];

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const interval = (x: unknown): Interval | null => (Array.isArray(x) && x.length === 2 && num(x[0]) !== null && num(x[1]) !== null ? [x[0] as number, x[1] as number] : null);
const numbers = (x: unknown): number[] => (Array.isArray(x) ? x.map((v) => num(v) ?? 0) : []);
const text = (x: unknown): string | null => (typeof x === 'string' ? x : typeof x === 'number' ? String(x) : null);

interface OkEntry {
  status: 'ok';
  label: string;
  r: Obj;
  chart: ChartDataset;
}
/** A `smallworld timeline --json` object: drawn as a trend, not as one dataset. */
interface TimelineEntry {
  status: 'timeline';
  label: string;
  r: Obj;
  points: TrendPoint[];
}
interface FailedEntry {
  status: 'error';
  label: string;
  file: string | null;
  error: string;
}

function nameOf(r: Obj, i: number): string {
  const file = text(r.file);
  return text(r.name) ?? (file !== null ? basename(file) : `result ${i + 1}`);
}

/** Labels are the charts' category names, so two datasets with one name get "name (2)". */
function uniqueLabels(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k === 1 ? n : `${n} (${k})`;
  });
}

/**
 * The share of pairs at hop d is within[d] - within[d-1]; results keep intervals for
 * the within-h fractions only, so its interval adds the two half-widths in quadrature
 * (each side separately: the logit intervals are asymmetric). See the chart's caption.
 */
function shareIntervals(shares: number[], within: number[], withinCi: (Interval | null)[] | null): (Interval | null)[] | null {
  if (!withinCi) return null;
  return shares.map((share, i) => {
    const d = i + 1;
    const cur = withinCi[d];
    const prev: Interval | null = d === 1 ? [0, 0] : withinCi[d - 1];
    if (!cur || !prev || within[d] === undefined) return null;
    const wPrev = d === 1 ? 0 : within[d - 1];
    const down = Math.hypot(within[d] - cur[0], prev[1] - wPrev);
    const up = Math.hypot(cur[1] - within[d], wPrev - prev[0]);
    return [Math.max(0, share - down), Math.min(1, share + up)];
  });
}

function chartDataset(r: Obj, label: string): ChartDataset {
  const histogram = numbers(r.distanceHistogram);
  let last = histogram.length - 1;
  while (last > 0 && histogram[last] <= 0) last--;
  const total = histogram.slice(1, last + 1).reduce((a, b) => a + Math.max(b, 0), 0);
  const shares = total > 0 ? histogram.slice(1, last + 1).map((h) => Math.max(h, 0) / total) : [];
  const within = numbers(r.withinHopsFraction).slice(0, Math.max(last + 1, 1));
  const withinCi = Array.isArray(r.withinHopsFractionCi95) ? r.withinHopsFractionCi95.slice(0, within.length).map(interval) : null;
  const pp = r.perPersonMeanDistance as Obj | null | undefined;
  const bins = pp && Array.isArray(pp.histogram) ? (pp.histogram as Obj[]).flatMap((b) => (num(b?.from) !== null && num(b?.people) !== null ? [{ from: b.from as number, people: b.people as number }] : [])) : [];
  const binWidth = bins.length > 1 ? Math.min(...bins.slice(1).map((b, i) => b.from - bins[i].from)) : 0.25;
  return {
    label,
    shares,
    shareCi95: shareIntervals(shares, within, withinCi),
    within,
    withinCi95: withinCi,
    meanDistance: num(r.meanDistance),
    meanDistanceCi95: interval(r.meanDistanceCi95),
    effectiveDiameter90: num(r.effectiveDiameter90),
    perPerson: bins.length > 0 && num(pp?.p50) !== null ? { histogram: bins, binWidth: binWidth > 0 ? binWidth : 0.25, p50: pp!.p50 as number } : null,
  };
}

/** A timeline's snapshots as trend points (time: `until` seconds, else `untilIso`; a snapshot with neither is left out). */
function trendPoints(snapshots: unknown[]): TrendPoint[] {
  return snapshots.flatMap((x): TrendPoint[] => {
    if (x === null || typeof x !== 'object') return [];
    const s = x as Obj;
    const seconds = num(s.until);
    const iso = text(s.untilIso);
    const time = seconds !== null ? seconds * 1000 : iso !== null ? Date.parse(iso) : NaN;
    if (!Number.isFinite(time)) return [];
    return [
      {
        time,
        nodes: num(s.nodes) ?? 0,
        edges: num(s.edges) ?? 0,
        meanDistance: num(s.meanDistance),
        meanDistanceCi95: interval(s.meanDistanceCi95),
        effectiveDiameter90: num(s.effectiveDiameter90),
        effectiveDiameter90Ci95: interval(s.effectiveDiameter90Ci95),
      },
    ];
  });
}

type Entry = OkEntry | TimelineEntry | FailedEntry;

function entriesOf(results: object[]): Entry[] {
  const objects = results.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Obj) : null));
  const labels = uniqueLabels(objects.map((r, i) => (r ? nameOf(r, i) : `result ${i + 1}`)));
  return objects.map((r, i): Entry => {
    if (!r) return { status: 'error', label: labels[i], file: null, error: 'not a result object' };
    if (Array.isArray(r.snapshots) && r.status !== 'error') return { status: 'timeline', label: labels[i], r, points: trendPoints(r.snapshots) };
    if (r.status === 'error' || (r.status !== 'ok' && r.meanDistance === undefined))
      return { status: 'error', label: labels[i], file: text(r.file), error: text(r.error) ?? `no figures (status ${JSON.stringify(r.status ?? null)})` };
    return { status: 'ok', label: labels[i], r, chart: chartDataset(r, labels[i]) };
  });
}

// ---------------------------------------------------------------------------------------------
// Numbers as text

const fixed = (x: number | null, digits = 3): string => (x === null ? 'n/a' : x.toFixed(digits));
const int = (x: number | null): string => (x === null ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(100 * x).toFixed(digits)}%`);
const ci = (c: Interval | null, digits = 3): string => (c ? `95% CI ${c[0].toFixed(digits)} to ${c[1].toFixed(digits)}` : 'no interval');

/** A figure with its interval, or "exact" when every node was a source. */
function withInterval(x: number | null, c: Interval | null, exact: boolean): string {
  if (x === null) return 'n/a';
  return `${fixed(x)} <span class="ci">(${exact ? 'exact' : escapeHtml(ci(c))})</span>`;
}

// ---------------------------------------------------------------------------------------------
// The comparison table

interface MeanDifference {
  a: string;
  b: string;
  /** meanDistance(a) - meanDistance(b). */
  difference: number;
  ci95: Interval | null;
  /** compare's plain sentence; null when a result keeps no sums (HyperBall, older results). */
  sentence: string | null;
}

/**
 * Each pair's difference in mean distance. With both results' sums (every BFS
 * estimate keeps them): src/stats/compare.ts, the delta method from the sums,
 * and its sentence, exactly as `smallworld compare` gives them. Without (a
 * HyperBall result): the two 95% half-widths added in quadrature,
 * sqrt(h_a^2 + h_b^2), as for independent samples.
 */
function meanDifferences(entries: OkEntry[]): MeanDifference[] {
  const usable = entries.filter((e) => e.chart.meanDistance !== null);
  const half = (d: ChartDataset) => (d.meanDistanceCi95 ? (d.meanDistanceCi95[1] - d.meanDistanceCi95[0]) / 2 : null);
  return usable.flatMap((ea, i) =>
    usable.slice(i + 1).map((eb) => {
      const [a, b] = [ea.chart, eb.chart];
      const [sa, sb] = [sumsOf(ea.r), sumsOf(eb.r)];
      if (sa && sb) {
        const pair = comparePair({ name: a.label, sums: sa }, { name: b.label, sums: sb });
        const m = pair.meanDistance;
        if (m.difference !== null) return { a: a.label, b: b.label, difference: m.difference, ci95: m.ci95, sentence: pair.sentence };
      }
      const difference = a.meanDistance! - b.meanDistance!;
      const ha = half(a);
      const hb = half(b);
      const h = ha === null || hb === null ? null : Math.hypot(ha, hb);
      return { a: a.label, b: b.label, difference, ci95: h === null ? null : ([difference - h, difference + h] as Interval), sentence: null };
    }),
  );
}

/** A result's sums, when it has usable ones. */
function sumsOf(r: Obj): EstimateSums | null {
  const s = r.sums as EstimateSums | undefined;
  return s && typeof s === 'object' && typeof s.k === 'number' && typeof s.n === 'number' && s.distance ? s : null;
}

function comparisonTable(entries: OkEntry[]): string {
  const rows = meanDifferences(entries).map((p) => {
    const verdict = p.sentence ?? (!p.ci95 ? 'no interval' : p.ci95[0] > 0 || p.ci95[1] < 0 ? (p.difference > 0 ? "A's is longer" : "B's is longer") : 'no difference detectable');
    return `<tr><td>${escapeHtml(p.a)}</td><td>${escapeHtml(p.b)}</td><td class="n">${p.difference >= 0 ? '+' : ''}${p.difference.toFixed(3)}</td><td class="n">${p.ci95 ? `${p.ci95[0].toFixed(3)} to ${p.ci95[1].toFixed(3)}` : 'n/a'}</td><td>${escapeHtml(verdict)}</td></tr>`;
  });
  return (
    '<table class="compare"><thead><tr><th>A</th><th>B</th><th>mean distance A − B (hops)</th><th>95% CI</th><th></th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    '<p class="note">Interval of each difference: the delta method from the sums each estimate keeps, as <code>smallworld compare</code> computes it (independent samples: the two variances add); for a result without sums (HyperBall), the two 95% half-widths added in quadrature. ' +
    'An interval that excludes 0 means the mean distances differ at the 95% level.</p>'
  );
}

// ---------------------------------------------------------------------------------------------
// Pieces of the page

async function figure(spec: TopLevelSpec, caption: string): Promise<string> {
  const svg = await renderSvg(spec);
  return (
    `<figure class="chart">${svg}<figcaption>${caption}</figcaption>` +
    // The spec as data: type="application/json" is never executed, and the JSON cannot close the element.
    `<script type="application/json" class="vega-lite-spec">${jsonForScript(spec)}</script></figure>`
  );
}

function diameterText(r: Obj): string {
  const d = num(r.diameter);
  if (d !== null) return `${d} <span class="ci">(exact)</span>`;
  const b = interval(r.diameterBounds);
  if (b) return `between ${b[0]} and ${b[1]}`;
  const seen = num(r.maxDistanceSeen);
  return seen !== null ? `at least ${seen} <span class="ci">(not computed)</span>` : 'n/a';
}

function sourcesText(r: Obj): string {
  if (r.method === 'hyperball') return 'every node (HyperBall)';
  const k = num(r.sources);
  const n = num(r.populationNodes) ?? num(r.nodes);
  return `${int(k)}${n !== null ? ` of ${int(n)}` : ''}${r.exact === true ? ' (every node: exact)' : ' sampled'}`;
}

function keyFigures(e: OkEntry): string {
  const r = e.r;
  const exact = r.exact === true;
  const pp = r.perPersonMeanDistance as Obj | null | undefined;
  const rows: [string, string][] = [
    ['mean distance', withInterval(num(r.meanDistance), interval(r.meanDistanceCi95), exact)],
    ['degrees of separation', `${fixed(num(r.degreesOfSeparation) ?? (num(r.meanDistance) === null ? null : num(r.meanDistance)! - 1))} <span class="ci">(mean distance − 1)</span>`],
    ['median distance', escapeHtml(num(r.medianDistance) ?? 'n/a')],
    ['effective diameter (90%)', withInterval(num(r.effectiveDiameter90), interval(r.effectiveDiameter90Ci95), exact)],
    ['diameter', diameterText(r)],
    ['reachable pairs', pct(num(r.reachablePairFraction), 2)],
    ['nodes', int(num(r.nodes))],
    [r.directed === true ? 'arcs (directed)' : 'edges (undirected)', int(num(r.edges))],
    ['sources', sourcesText(r)],
    ['seed', escapeHtml(text(r.seed) ?? 'n/a')],
  ];
  if (pp && num(pp.p10) !== null && num(pp.p90) !== null)
    rows.push(["people's own mean distance", `10%: ${fixed(num(pp.p10), 2)}, median ${fixed(num(pp.p50), 2)}, 90%: ${fixed(num(pp.p90), 2)}`]);
  const person = r.person as Obj | undefined;
  if (person && typeof person === 'object')
    rows.push([`person ${escapeHtml(text(person.id) ?? '?')}`, `reaches ${int(num(person.reached))} people, average distance ${fixed(num(person.meanDistance))}`]);
  if (typeof r.population === 'string' && r.population !== 'all nodes') rows.push(['population', escapeHtml(r.population)]);
  return `<table class="figures"><tbody>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

const SHARE_CAPTION_EXACT = 'Exact figures (every node a source): no error bars.';

async function datasetSection(e: OkEntry, index: number): Promise<string> {
  const d = e.chart;
  const exact = e.r.exact === true;
  const parts: string[] = [];
  parts.push(`<section class="dataset" id="dataset-${index + 1}"><h2>${escapeHtml(e.label)}</h2>`);
  const file = text(e.r.file);
  if (file !== null) parts.push(`<p class="file">file: <code>${escapeHtml(file)}</code></p>`);
  parts.push('<div class="charts">', keyFigures(e));
  if (d.shares.length === 0) {
    parts.push('<p class="note">No reachable pairs: nothing to chart.</p>');
  } else {
    parts.push(
      await figure(
        distanceDistributionSpec(d),
        '<b>Distance distribution.</b> Share of reachable pairs at each distance. ' +
          (exact
            ? SHARE_CAPTION_EXACT
            : d.shareCi95
              ? 'Error bars: 95% intervals, derived from the intervals of “within <i>h</i>” and “within <i>h</i>−1” hops by adding their half-widths in quadrature: an approximation, on the wide side (the results keep no interval for the shares themselves).'
              : 'This result has no within-h intervals: no error bars.'),
      ),
      await figure(
        withinHopsSpec(d),
        '<b>Within <i>h</i> hops.</b> Cumulative share of reachable pairs within <i>h</i> hops' +
          (d.withinCi95 && !exact ? ', with its 95% band' : '') +
          `; dashed: 90% of pairs; red: the effective diameter (${fixed(d.effectiveDiameter90, 2)}), where the interpolated curve crosses 90%.`,
      ),
    );
  }
  if (d.perPerson)
    parts.push(
      await figure(
        perPersonSpec(d),
        `<b>Per person.</b> Each sampled person's own mean distance to everyone they can reach, in bins of ${d.perPerson.binWidth} hops (Facebook's 2016 “3.5 degrees” chart); red: the median (${d.perPerson.p50.toFixed(2)} hops, ${(d.perPerson.p50 - 1).toFixed(2)} degrees).`,
      ),
    );
  parts.push('</div></section>');
  return parts.join('');
}

function timelineTable(e: TimelineEntry): string {
  const exact = e.r.exact === true;
  const rows = (e.r.snapshots as unknown[]).map((x) => {
    const s = x !== null && typeof x === 'object' ? (x as Obj) : {};
    const time = text(s.untilIso) ?? text(s.until) ?? 'n/a';
    return (
      `<tr><td>${escapeHtml(time)}</td><td class="n">${int(num(s.nodes))}</td><td class="n">${int(num(s.edges))}</td>` +
      `<td class="n">${withInterval(num(s.meanDistance), interval(s.meanDistanceCi95), exact)}</td>` +
      `<td class="n">${withInterval(num(s.effectiveDiameter90), interval(s.effectiveDiameter90Ci95), exact)}</td></tr>`
    );
  });
  const edges = e.r.directed === true ? 'arcs' : 'edges';
  return (
    `<table class="timeline"><thead><tr><th>time (until)</th><th>nodes</th><th>${edges}</th><th>mean distance [95% CI]</th><th>effective diameter (90%) [95% CI]</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

async function timelineSection(e: TimelineEntry, index: number): Promise<string> {
  const r = e.r;
  const exact = r.exact === true;
  const parts: string[] = [`<section class="timeline" id="timeline-${index + 1}"><h2>Over time: ${escapeHtml(e.label)}</h2>`];
  const file = text(r.file);
  const column = text(r.timeColumn);
  const samples = num(r.samples);
  const seed = text(r.seed);
  parts.push(
    `<p class="file">${file !== null ? `file: <code>${escapeHtml(file)}</code>, ` : ''}${column !== null ? `time column ${escapeHtml(column)}, ` : ''}` +
      `${e.points.length} cumulative snapshot${e.points.length === 1 ? '' : 's'} (each holds every edge with time ≤ its time; the last one, every edge), ` +
      `${r.directed === true ? 'directed' : 'undirected'}, ${exact ? 'exact (every node a source)' : `${samples !== null ? `${int(samples)} sources per snapshot` : 'sampled sources'}${seed !== null ? `, seed ${escapeHtml(seed)}` : ''}`}</p>`,
  );
  const band = exact ? '' : ', with its 95% interval as a band';
  const measured = e.points.filter((p) => p.meanDistance !== null);
  parts.push('<div class="charts">');
  if (measured.length === 0) {
    parts.push('<p class="note">No snapshot has reachable pairs: nothing to chart.</p>');
  } else {
    const first = measured[0];
    const last = measured[measured.length - 1];
    parts.push(
      await figure(
        trendMeanDistanceSpec(e.label, e.points),
        `<b>Mean distance over time.</b> Mean distance of each snapshot by its time${band}: ${fixed(first.meanDistance, 2)} hops at the first snapshot, ${fixed(last.meanDistance, 2)} at the last (as Facebook told its trend: 5.28 in 2008, 4.74 in 2011).`,
      ),
      await figure(trendSizeSpec(e.label, e.points), `<b>Growth.</b> Nodes and ${r.directed === true ? 'arcs' : 'edges'} of each snapshot by its time, on one log scale.`),
      await figure(
        trendEffectiveDiameterSpec(e.label, e.points),
        `<b>Effective diameter over time.</b> The distance within which 90% of reachable pairs lie (interpolated), for each snapshot by its time${band}.`,
      ),
    );
  }
  parts.push('</div>', timelineTable(e), '</section>');
  return parts.join('');
}

async function acrossSection(ok: OkEntry[]): Promise<string> {
  const ds = ok.map((e) => e.chart).filter((d) => d.meanDistance !== null);
  if (ds.length < 2) return '';
  return (
    '<section id="across"><h2>Across datasets</h2><div class="charts">' +
    (await figure(forestSpec(ds), '<b>Mean distance</b> of each dataset with its 95% interval, shortest first.')) +
    (await figure(overlaidWithinHopsSpec(ds), '<b>Within <i>h</i> hops</b>, every dataset on one chart; dashed: 90% of pairs.')) +
    '</div><h3>Differences in mean distance</h3>' +
    comparisonTable(ok.filter((e) => e.chart.meanDistance !== null)) +
    '</section>'
  );
}

function failedSection(failed: FailedEntry[]): string {
  if (failed.length === 0) return '';
  const items = failed.map((f) => `<li><b>${escapeHtml(f.label)}</b>${f.file !== null ? ` (<code>${escapeHtml(f.file)}</code>)` : ''}: <span class="error">${escapeHtml(f.error)}</span></li>`);
  return `<section id="failed"><h2>Failed datasets (${failed.length})</h2><ul>${items.join('')}</ul></section>`;
}

const STYLE = `
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #222; margin: 0 auto; max-width: 1180px; padding: 1em 1.5em 3em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 2em; overflow-wrap: anywhere; }
.meta, .note, figcaption, .file { color: #555; font-size: 0.9em; } code { overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.8em 0; } table.figures { margin: 0; align-self: flex-start; } th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
table.timeline td:first-child { white-space: nowrap; } table.figures th { font-weight: normal; color: #555; } td.n { text-align: right; font-variant-numeric: tabular-nums; } .ci { color: #666; }
.charts { display: flex; flex-wrap: wrap; gap: 1.2em; } figure.chart { margin: 0; max-width: 560px; } #across figure.chart { max-width: 100%; } figure.chart svg { max-width: 100%; height: auto; }
.error { color: #a00; } nav ul { columns: 2; } #failed li { margin: 0.3em 0; overflow-wrap: anywhere; }
`;

/**
 * The report for a list of results (batch's results.jsonl objects, `estimate --json`
 * objects, or failures `{ name?, file, status: 'error', error }`): one self-contained
 * HTML page. Async because Vega renders asynchronously.
 */
export async function renderReport(results: object[], options: ReportOptions = {}): Promise<string> {
  const entries = entriesOf(results);
  const ok = entries.filter((e): e is OkEntry => e.status === 'ok');
  const timelines = entries.filter((e): e is TimelineEntry => e.status === 'timeline');
  const failed = entries.filter((e): e is FailedEntry => e.status === 'error');
  const title = options.title ?? 'smallworld report';
  const sections: string[] = [];
  for (const [i, e] of timelines.entries()) sections.push(await timelineSection(e, i));
  for (const [i, e] of ok.entries()) sections.push(await datasetSection(e, i));
  const nav = [
    ...timelines.map((e, i) => `<li><a href="#timeline-${i + 1}">Over time: ${escapeHtml(e.label)}</a> <span class="ci">${e.points.length} snapshots</span></li>`),
    ...ok.map((e, i) => `<li><a href="#dataset-${i + 1}">${escapeHtml(e.label)}</a> <span class="ci">${fixed(e.chart.meanDistance)} hops</span></li>`),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1>
<p class="meta">${[...(ok.length > 0 || timelines.length === 0 ? [`${ok.length} dataset${ok.length === 1 ? '' : 's'} measured`] : []), ...(timelines.length > 0 ? [`${timelines.length} timeline${timelines.length === 1 ? '' : 's'}`] : [])].join(', ')}${failed.length > 0 ? `, ${failed.length} failed` : ''}${options.source !== undefined ? ` · from <code>${escapeHtml(options.source)}</code>` : ''} · generated ${escapeHtml(options.generatedAt ?? new Date().toISOString())} by smallworld</p>
<p class="note">Distances are hops along shortest paths between two people who can reach each other; degrees of separation = mean distance − 1. Intervals are 95% confidence intervals from the variation between sampled sources (zero width when every node was a source).</p>
${nav.length > 0 ? `<nav><ul>${nav.join('')}</ul></nav>` : '<p>No dataset was measured.</p>'}
</header>
${await acrossSection(ok)}
${failedSection(failed)}
${sections.join('\n')}
<footer><p class="note">Self-contained: no script runs and nothing is loaded from anywhere. Each chart's Vega-Lite spec, data included, is in the <code>&lt;script type="application/json" class="vega-lite-spec"&gt;</code> beside it: paste it into any Vega-Lite editor to re-plot it.</p></footer>
</body>
</html>
`;
}

/**
 * Results from a file: JSON Lines (batch's results.jsonl: one object per line, blank
 * lines skipped), or one JSON array or object (`estimate --json`).
 */
export async function readResults(path: string): Promise<object[]> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(path, undefined, describeFsError(err, 'a results file'));
  }
  try {
    // One JSON value (an estimate --json array or object, or a single line).
    const all = JSON.parse(content) as unknown;
    if (Array.isArray(all)) return all as object[];
    if (all !== null && typeof all === 'object') return [all];
  } catch {
    // not one value: read it as lines below, which names a bad line
  }
  const results: object[] = [];
  for (const [i, line] of content.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InputError(path, i + 1, `not a JSON line (${(err as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(path, i + 1, 'expected one JSON object per line');
    results.push(value as object);
  }
  return results;
}

/** Reads a results file (readResults) and writes its report to outPath (through a temporary file, renamed into place). */
export async function writeReport(jsonlPath: string, outPath: string, options: ReportOptions = {}): Promise<ReportSummary> {
  const results = await readResults(jsonlPath);
  const html = await renderReport(results, { source: jsonlPath, ...options });
  const temp = `${outPath}.${process.pid}.tmp`;
  try {
    await writeFile(temp, html);
    await rename(temp, outPath);
  } catch (err) {
    await rm(temp, { force: true });
    throw new InputError(outPath, undefined, `cannot write the report: ${describeFsError(err, 'a file')}`);
  }
  const entries = entriesOf(results);
  const timelines = entries.filter((e) => e.status === 'timeline').length;
  const ok = entries.filter((e) => e.status === 'ok').length + timelines;
  return { outPath, datasets: results.length, ok, timelines, failed: results.length - ok };
}
