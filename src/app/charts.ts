/**
 * The report's charts as Vega-Lite specs, and their rendering to SVG strings in
 * Node (vega-lite compiles a spec to Vega; a headless Vega view draws it, no
 * browser, no canvas: text widths are estimated).
 *
 * User strings (dataset names) only ever go into the specs' data values,
 * titles and descriptions, never into Vega expressions, field names or
 * signals: Vega escapes text and attribute values when it writes the SVG, and
 * checkSvg() below verifies that no markup got through.
 */
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 320;
const HEIGHT = 200;

/** One dataset's figures as the charts need them (html-report.ts builds them from results). */
export interface ChartDataset {
  /** Unique label (dataset name; made unique by the report). */
  label: string;
  /** Share of reachable pairs at each distance d = 1.. (distanceHistogram[d] / total). */
  shares: number[];
  /** 95% interval of each share, or null when the result has no within-h intervals. */
  shareCi95: ([number, number] | null)[] | null;
  /** withinHopsFraction[h], h = 0.. */
  within: number[];
  withinCi95: ([number, number] | null)[] | null;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
  effectiveDiameter90: number | null;
  /** perPersonMeanDistance.histogram ({ from, people }, bins of binWidth hops) and its median. */
  perPerson: { histogram: { from: number; people: number }[]; binWidth: number; p50: number } | null;
}

const base = (description: string): Partial<TopLevelSpec> => ({
  $schema: SCHEMA,
  description,
  width: WIDTH,
  height: HEIGHT,
  config: {
    font: 'sans-serif',
    axis: { labelLimit: 260, labelFontSize: 12, titleFontSize: 13, titleFontWeight: 'normal' },
    legend: { labelLimit: 400, labelFontSize: 12, titleFontSize: 13 },
    text: { fontSize: 12 },
  },
});

/** Pairs at each hop as a share of reachable pairs, with 95% error bars. */
export function distanceDistributionSpec(d: ChartDataset): TopLevelSpec {
  const values = d.shares.map((share, i) => {
    const ci = d.shareCi95?.[i] ?? null;
    return { hops: i + 1, share, low: ci ? ci[0] : null, high: ci ? ci[1] : null };
  });
  const x = { field: 'hops', type: 'ordinal' as const, title: 'distance (hops)', axis: { labelAngle: 0 } };
  return {
    ...base(`Distance distribution of ${d.label}: share of reachable pairs at each distance, with 95% error bars`),
    data: { values },
    layer: [
      { mark: { type: 'bar', color: '#4c78a8' }, encoding: { x, y: { field: 'share', type: 'quantitative', title: 'share of reachable pairs', axis: { format: '.0%' } } } },
      ...(values.some((v) => v.low !== null)
        ? [{ transform: [{ filter: 'isValid(datum.low)' }], mark: { type: 'rule', color: '#222', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } }]
        : []),
    ],
  } as TopLevelSpec;
}

/** Cumulative share of pairs within h hops, its 95% band, the 90% line and the effective diameter. */
export function withinHopsSpec(d: ChartDataset): TopLevelSpec {
  const values = d.within.map((within, h) => {
    const ci = d.withinCi95?.[h] ?? null;
    return { hops: h, within, low: ci ? ci[0] : null, high: ci ? ci[1] : null };
  });
  const x = { field: 'hops', type: 'quantitative' as const, title: 'within h hops', axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'within', type: 'quantitative' as const, title: '% of reachable pairs', axis: { format: '.0%' }, scale: { domain: [0, 1] } };
  const band = { transform: [{ filter: 'isValid(datum.low)' }], mark: { type: 'area', opacity: 0.25, color: '#4c78a8' }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } };
  const layers: object[] = [
    ...(values.some((v) => v.low !== null) ? [band] : []),
    { mark: { type: 'line', point: true, color: '#4c78a8' }, encoding: { x, y } },
    { data: { values: [{ y: 0.9, label: '90%' }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    {
      data: { values: [{ y: 0.9, label: '90% of pairs' }] },
      mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: '#666' },
      encoding: { x: { datum: 0, type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
    },
  ];
  if (d.effectiveDiameter90 !== null) {
    const ed = [{ x: d.effectiveDiameter90, label: `effective diameter ${d.effectiveDiameter90.toFixed(2)}` }];
    layers.push(
      { data: { values: ed }, mark: { type: 'rule', color: '#e45756', strokeWidth: 1.5 }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      {
        data: { values: ed },
        mark: { type: 'text', align: 'left', dx: 4, color: '#e45756' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { datum: 0.1, type: 'quantitative' }, text: { field: 'label' } },
      },
    );
  }
  return { ...base(`Share of reachable pairs of ${d.label} within h hops, 95% band, 90% line and effective diameter`), data: { values }, layer: layers } as TopLevelSpec;
}

/** How many sampled people have each own mean distance (Facebook 2016's per-person histogram). */
export function perPersonSpec(d: ChartDataset): TopLevelSpec {
  const pp = d.perPerson!;
  const total = pp.histogram.reduce((s, b) => s + b.people, 0);
  const values = pp.histogram.map((b) => ({ from: b.from, to: b.from + pp.binWidth, people: b.people, share: total > 0 ? b.people / total : 0 }));
  const median = [{ x: pp.p50, label: `median ${pp.p50.toFixed(2)}` }];
  return {
    ...base(`Own mean distance of each sampled person of ${d.label}: share of people per bin of ${pp.binWidth} hops, median marked`),
    layer: [
      {
        data: { values },
        mark: { type: 'bar', color: '#72b7b2', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'from', type: 'quantitative', title: "a person's own mean distance to everyone they reach (hops)", bin: { binned: true, step: pp.binWidth } },
          x2: { field: 'to' },
          y: { field: 'share', type: 'quantitative', title: 'share of sampled people', axis: { format: '.0%' } },
        },
      },
      { data: { values: median }, mark: { type: 'rule', color: '#e45756', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      { data: { values: median }, mark: { type: 'text', align: 'left', dx: 4, dy: 4, baseline: 'top', color: '#e45756' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}

/** Mean distance of every dataset with its 95% interval, sorted by the mean. */
export function forestSpec(ds: ChartDataset[]): TopLevelSpec {
  const values = ds
    .filter((d) => d.meanDistance !== null)
    .sort((a, b) => a.meanDistance! - b.meanDistance!)
    .map((d) => ({ dataset: d.label, mean: d.meanDistance, low: d.meanDistanceCi95?.[0] ?? d.meanDistance, high: d.meanDistanceCi95?.[1] ?? d.meanDistance }));
  const y = { field: 'dataset', type: 'nominal' as const, title: null, sort: values.map((v) => v.dataset), axis: { labelLimit: 400 } };
  return {
    ...base('Mean distance of each dataset with its 95% interval, sorted'),
    height: Math.max(120, 34 * values.length),
    width: 420,
    data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2, color: '#4c78a8' }, encoding: { y, x: { field: 'low', type: 'quantitative', title: 'mean distance (hops), 95% interval', scale: { zero: false } }, x2: { field: 'high' } } },
      { mark: { type: 'point', filled: true, size: 60, color: '#4c78a8' }, encoding: { y, x: { field: 'mean', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** Every dataset's cumulative "% within h hops" on one chart. */
export function overlaidWithinHopsSpec(ds: ChartDataset[]): TopLevelSpec {
  const values = ds.flatMap((d) => d.within.map((within, hops) => ({ dataset: d.label, hops, within })));
  return {
    ...base('Share of reachable pairs within h hops, every dataset, with the 90% line'),
    width: 420,
    height: 240,
    layer: [
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'hops', type: 'quantitative', title: 'within h hops', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'within', type: 'quantitative', title: '% of reachable pairs', axis: { format: '.0%' }, scale: { domain: [0, 1] } },
          color: { field: 'dataset', type: 'nominal', title: 'dataset', sort: ds.map((d) => d.label) },
        },
      },
      { data: { values: [{ y: 0.9 }] }, mark: { type: 'rule', color: '#999', strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** One timeline snapshot as the trend charts need it: time in ms since the epoch (UTC). */
export interface TrendPoint {
  time: number;
  nodes: number;
  edges: number;
  meanDistance: number | null;
  meanDistanceCi95: [number, number] | null;
  effectiveDiameter90: number | null;
  effectiveDiameter90Ci95: [number, number] | null;
}

const timeAxis = { field: 'time', type: 'temporal' as const, title: 'snapshot time (UTC)', scale: { type: 'utc' as const }, axis: { labelAngle: -30, labelOverlap: true } };

/** A figure by snapshot time (line and points) with its 95% band where the snapshots have one. */
function trendWithBand(label: string, points: TrendPoint[], figure: 'meanDistance' | 'effectiveDiameter90', title: string, color: string, description: string): TopLevelSpec {
  const values = points
    .filter((p) => p[figure] !== null)
    .map((p) => {
      const ci = figure === 'meanDistance' ? p.meanDistanceCi95 : p.effectiveDiameter90Ci95;
      return { time: p.time, value: p[figure], low: ci ? ci[0] : null, high: ci ? ci[1] : null };
    });
  const y = { field: 'value', type: 'quantitative' as const, title, scale: { zero: false } };
  return {
    ...base(`${description} of ${label} by snapshot time`),
    data: { values },
    layer: [
      ...(values.some((v) => v.low !== null)
        ? [{ transform: [{ filter: 'isValid(datum.low)' }], mark: { type: 'area', opacity: 0.25, color }, encoding: { x: timeAxis, y: { field: 'low', type: 'quantitative', scale: { zero: false } }, y2: { field: 'high' } } }]
        : []),
      { mark: { type: 'line', point: true, color }, encoding: { x: timeAxis, y } },
    ],
  } as TopLevelSpec;
}

/** Mean distance by snapshot time with its 95% band (Facebook's 5.28 in 2008 to 4.74 in 2011, as a trend). */
export function trendMeanDistanceSpec(label: string, points: TrendPoint[]): TopLevelSpec {
  return trendWithBand(label, points, 'meanDistance', 'mean distance (hops)', '#4c78a8', 'Mean distance with its 95% band');
}

/** Effective diameter (90%) by snapshot time with its 95% band. */
export function trendEffectiveDiameterSpec(label: string, points: TrendPoint[]): TopLevelSpec {
  return trendWithBand(label, points, 'effectiveDiameter90', 'effective diameter, 90% (hops)', '#e45756', 'Effective diameter (90%) with its 95% band');
}

/** Nodes and edges by snapshot time, two lines on one log scale. */
export function trendSizeSpec(label: string, points: TrendPoint[]): TopLevelSpec {
  const values = points.flatMap((p) => [
    { time: p.time, series: 'nodes', count: p.nodes },
    { time: p.time, series: 'edges', count: p.edges },
  ]).filter((v) => v.count > 0); // a log scale has no 0
  return {
    ...base(`Nodes and edges of ${label} by snapshot time, log scale`),
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: timeAxis,
      y: { field: 'count', type: 'quantitative', title: 'count (log scale)', scale: { type: 'log' }, axis: { format: '~s' } },
      color: { field: 'series', type: 'nominal', title: null, sort: ['nodes', 'edges'], scale: { domain: ['nodes', 'edges'], range: ['#4c78a8', '#f58518'] } },
    },
  } as TopLevelSpec;
}

// Loaded on first use: importing the library or starting the CLI does not pay for Vega.
let modules: Promise<{ vega: typeof import('vega'); vegaLite: typeof import('vega-lite') }> | undefined;

/** Draws a Vega-Lite spec as an SVG string (no browser: Vega's headless SVG renderer). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  const { vega, vegaLite } = await modules;
  const vgSpec = vegaLite.compile(spec).spec;
  // No loader is needed (every spec carries its data) and none may be used: a spec that tried to
  // fetch anything would fail here, in Node, rather than reach out from the reader's browser.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('the report charts load no data'));
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', loader, logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // Inline SVG in HTML needs no namespace declarations; without them the page holds no URL at all.
    return checkSvg(svg.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/, '<svg'));
  } finally {
    view.finalize();
  }
}

const SVG_TAGS = new Set(['svg', 'g', 'path', 'rect', 'line', 'text', 'tspan', 'title', 'desc', 'defs', 'clipPath', 'circle', 'linearGradient', 'radialGradient', 'stop']);
const TAG = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<>]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /\s+([\w:-]+)="[^"<>]*"/g;

/**
 * Defence in depth over Vega's own escaping: the SVG must consist of known SVG
 * elements with quoted attribute values (no event handlers, no links) and text
 * without a raw '<'. Anything else (a user string that got through as markup)
 * throws rather than reaching the report.
 */
export function checkSvg(svg: string): string {
  let i = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    if (lt < 0) break;
    if (svg.slice(i, lt).includes('>')) throw new Error(`unexpected '>' in the chart's SVG text near offset ${i}`);
    TAG.lastIndex = lt;
    const m = TAG.exec(svg);
    if (!m) throw new Error(`unexpected markup in the chart's SVG at offset ${lt}: ${svg.slice(lt, lt + 40)}`);
    if (!SVG_TAGS.has(m[2])) throw new Error(`unexpected element <${m[2]}> in the chart's SVG`);
    for (const a of m[3].matchAll(ATTRIBUTE)) {
      const name = a[1].toLowerCase();
      if (name.startsWith('on') || name.endsWith('href')) throw new Error(`unexpected attribute ${a[1]} in the chart's SVG`);
    }
    i = TAG.lastIndex;
  }
  if (/>/.test(svg.slice(i))) throw new Error("unexpected '>' at the end of the chart's SVG");
  return svg;
}
