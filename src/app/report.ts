/**
 * Human-readable output: a full summary for one file, a comparison table for several.
 */
import type { EstimateResult } from './run.js';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const fixed = (x: number | null, digits = 4): string => (x === null ? 'n/a' : x.toFixed(digits));
const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
const secs = (x: number): string => `${x.toFixed(2)} s`;
const mib = (x: number): string => `${(x / 2 ** 20).toFixed(0)} MiB`;

function interval(r: EstimateResult): string {
  if (r.exact) return 'exact';
  if (!r.meanDistanceCi95) return '95% CI n/a';
  return `95% CI ${fixed(r.meanDistanceCi95[0])} to ${fixed(r.meanDistanceCi95[1])}`;
}

/**
 * Self-loops and repeats, said so that a normal export does not sound damaged: a
 * symmetric list (every friendship written both ways) repeats each edge once.
 */
function duplicatesPhrase(r: EstimateResult): string {
  const loops = `dropped ${int(r.selfLoops)} self-loop${r.selfLoops === 1 ? '' : 's'}`;
  if (r.duplicateEdges === 0) return `${loops}, no repeated edges`;
  // Every kept edge repeated exactly once: the usual both-directions export (or a list written twice).
  if (!r.directed && r.duplicateEdges === r.edges)
    return `${loops}; every edge is listed twice (symmetric exports give both directions): ${int(r.duplicateEdges)} second copies merged`;
  return `${loops}, merged ${int(r.duplicateEdges)} repeated edge${r.duplicateEdges === 1 ? '' : 's'}${r.directed ? ' (same arc listed again)' : ' (same pair listed again, either way round)'}`;
}

export function formatSummary(r: EstimateResult): string {
  const lines: string[] = [];
  const kind = r.directed ? 'directed arcs' : 'undirected edges';
  lines.push(r.file);
  lines.push(`  graph                   ${int(r.nodes)} nodes, ${int(r.edges)} ${kind}`);
  lines.push(
    `  input                   ${int(r.linesRead)} lines, ${int(r.edgeLines)} edge lines` +
      `; ${duplicatesPhrase(r)}`,
  );
  if (r.headerDecision) lines.push(`  header                  ${r.header ? `row (${r.header.join(', ')}), ${r.headerDecision}; --no-header reads it as data` : `${r.headerDecision}; --header if it is a header`}`);
  if (r.badLinesSkipped > 0) {
    const examples = r.badLineExamples.map((b) => `line ${b.line}: ${b.reason}`).join('; ');
    lines.push(`  bad lines skipped       ${int(r.badLinesSkipped)} (${examples}${r.badLinesSkipped > r.badLineExamples.length ? '; ...' : ''})`);
  }
  lines.push(
    `  sources                 ${r.hyperBall ? `every node (HyperBall counters, seed ${r.seed})` : `${int(r.sources)} of ${int(r.populationNodes)}${r.exact ? ' (every node: exact figures)' : ` sampled, seed ${r.seed}`}`}, ${r.threads} thread${r.threads === 1 ? '' : 's'}` +
      (r.precisionTarget !== null ? `; sampled until the 95% half-width was at most ${r.precisionTarget}` : ''),
  );
  if (r.hyperBall)
    lines.push(
      `  method                  HyperBall: 2^${r.hyperBall.log2m} registers per counter (${(100 * r.hyperBall.relativeStandardError).toFixed(1)}% error each), ${r.hyperBall.iterations} hops; figures are estimates over every node`,
    );
  if (r.population !== 'all nodes') lines.push(`  population              pairs within the ${r.population}: ${int(r.populationNodes)} of ${int(r.nodes)} nodes`);
  lines.push(`  mean distance           ${fixed(r.meanDistance)} (${interval(r)}${r.hyperBall ? `, from the spread of ${r.hyperBall.groups} register groups` : ''})`);
  lines.push(`  degrees of separation   ${fixed(r.degreesOfSeparation)} (mean distance - 1)`);
  const edCi = !r.exact && r.effectiveDiameter90Ci95 ? `95% CI ${fixed(r.effectiveDiameter90Ci95[0])} to ${fixed(r.effectiveDiameter90Ci95[1])}; ` : '';
  lines.push(`  effective diameter 90%  ${fixed(r.effectiveDiameter90)} (${edCi}interpolated; integer ${r.effectiveDiameter90Integer ?? 'n/a'})`);
  lines.push(`  median distance         ${r.medianDistance ?? 'n/a'}; spid ${fixed(r.spid, 3)} (variance/mean)`);
  const pp = r.perPersonMeanDistance;
  if (pp) lines.push(`  own mean distance       10%: ${fixed(pp.p10, 2)}  25%: ${fixed(pp.p25, 2)}  median: ${fixed(pp.p50, 2)}  75%: ${fixed(pp.p75, 2)}  90%: ${fixed(pp.p90, 2)} (per sampled person)`);
  lines.push(`  max distance seen       ${r.maxDistanceSeen}${r.exact ? ' (every source: this is the diameter)' : ''}`);
  if (r.diameter !== null) lines.push(`  diameter                ${r.diameter} (exact, iFUB: ${r.diameterBfsRuns} BFS runs)`);
  else if (r.diameterBounds)
    lines.push(
      `  diameter                between ${r.diameterBounds[0]} and ${r.diameterBounds[1]} (` +
        (r.diameterBoundsReason === 'time budget' ? 'the --diameter-budget ran out; give it more seconds for the exact value' : 'too large for a BFS from every node; the lower bound comes from BFS sweeps') +
        ')',
    );
  lines.push(`  reachable pairs         ${pct(r.reachablePairFraction)} of ordered pairs`);
  if (r.person) {
    const p = r.person;
    lines.push(
      `  person ${p.id}: reaches ${int(p.reached)} people, average distance ${fixed(p.meanDistance)} (${fixed(p.degreesOfSeparation)} degrees); ` +
        p.hopCounts.slice(1).map((h, i) => `${int(h)} at ${i + 1}`).join(', '),
    );
  }
  lines.push('');
  // The within-h intervals in percent, as "within 5 hops: 92.10% [91.80, 92.40]" (none when exact).
  const withinCi = r.exact ? null : (r.withinHopsFractionCi95 ?? null);
  lines.push(`  distance  pairs found       share  within${withinCi ? '   95% CI' : ''}`);
  const total = r.distanceHistogram.reduce((a, b) => a + b, 0);
  for (let d = 1; d < r.distanceHistogram.length; d++) {
    const share = total > 0 ? r.distanceHistogram[d] / total : 0;
    const ci = withinCi?.[d] ? `  [${(100 * withinCi[d][0]).toFixed(2)}, ${(100 * withinCi[d][1]).toFixed(2)}]` : '';
    lines.push(
      `  ${String(d).padStart(8)}  ${int(r.distanceHistogram[d]).padStart(15)}  ${pct(share).padStart(7)}  ${pct(r.withinHopsFraction[d]).padStart(7)}${ci}`,
    );
  }
  lines.push('');
  const t = r.timings;
  const work =
    r.kernel === null || t.arcsPerSecond === null || t.arcsReadPerSecond === null
      ? `HyperBall ${secs(t.estimateSeconds)} (${r.hyperBall?.iterations ?? 0} hops)`
      : `BFS ${secs(t.estimateSeconds)} (${(t.arcsPerSecond / 1e6).toFixed(0)}M plain-BFS arcs/s, ${(t.arcsReadPerSecond / 1e6).toFixed(0)}M read/s, kernel ${r.kernel})`;
  const diameterTime = t.diameterSeconds > 0 ? `, diameter ${secs(t.diameterSeconds)}` : '';
  lines.push(`  time                    load ${secs(t.loadSeconds)}${t.renumberSeconds > 0 ? ` (of which renumber ${secs(t.renumberSeconds)})` : ''}, ${work}${diameterTime}, total ${secs(t.totalSeconds)}; peak RSS ${mib(t.peakRssBytes)}`);
  return lines.join('\n');
}

/** One file of a multi-file run: its result, or the one-line error it stopped with. */
export type FileOutcome = { file: string; status: 'ok'; result: EstimateResult } | { file: string; status: 'error'; error: string; exitCode: number };

function diameterCell(r: EstimateResult): string {
  if (r.diameter !== null) return String(r.diameter);
  if (r.diameterBounds) return `${r.diameterBounds[0]}-${r.diameterBounds[1]}`;
  return `>=${r.maxDistanceSeen}`;
}

/** Several files side by side, one row each; a file that failed keeps its row with the error. */
export function formatTable(outcomes: FileOutcome[]): string {
  const header = ['file', 'status', 'nodes', 'edges/arcs', 'sources', 'mean dist', '95% CI', 'degrees', 'eff.diam90', 'diameter', 'reachable', 'seconds'];
  const rows = outcomes.map((o) => {
    if (o.status === 'error') return [o.file, 'error', ...header.slice(2).map(() => '')];
    const r = o.result;
    return [
      r.file,
      'ok',
      int(r.nodes),
      `${int(r.edges)} ${r.directed ? 'arcs' : 'edges'}`,
      r.hyperBall ? 'all (HyperBall)' : r.exact ? `${int(r.sources)} (all)` : int(r.sources),
      fixed(r.meanDistance),
      r.exact ? 'exact' : r.meanDistanceCi95 ? `${fixed(r.meanDistanceCi95[0])}-${fixed(r.meanDistanceCi95[1])}` : 'n/a',
      fixed(r.degreesOfSeparation),
      fixed(r.effectiveDiameter90),
      diameterCell(r),
      pct(r.reachablePairFraction),
      r.timings.totalSeconds.toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i <= 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const lines = [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
  const failed = outcomes.filter((o) => o.status === 'error');
  if (failed.length > 0) lines.push('', ...failed.map((o) => (o.status === 'error' ? `error: ${o.error}` : '')));
  lines.push('', 'diameter: exact when one number, bounds low-high when not, >=N the largest distance seen when skipped');
  return lines.join('\n');
}

/** The JSON object of one result (what `--json` prints and the library's estimate() returns): the figures named in the README, nothing internal. */
export function toJson(r: EstimateResult) {
  return {
    file: r.file,
    status: 'ok' as const,
    meanDistance: r.meanDistance,
    meanDistanceCi95: r.meanDistanceCi95,
    degreesOfSeparation: r.degreesOfSeparation,
    distanceHistogram: r.distanceHistogram,
    withinHopsFraction: r.withinHopsFraction,
    withinHopsFractionCi95: r.withinHopsFractionCi95 ?? null,
    effectiveDiameter90: r.effectiveDiameter90,
    effectiveDiameter90Ci95: r.effectiveDiameter90Ci95 ?? null,
    effectiveDiameter90Integer: r.effectiveDiameter90Integer,
    medianDistance: r.medianDistance,
    spid: r.spid,
    perPersonMeanDistance: r.perPersonMeanDistance,
    precisionTarget: r.precisionTarget,
    maxDistanceSeen: r.maxDistanceSeen,
    diameter: r.diameter,
    ...(r.person ? { person: r.person } : {}),
    ...(r.diameterBounds ? { diameterBounds: r.diameterBounds, diameterBoundsReason: r.diameterBoundsReason } : {}),
    reachablePairFraction: r.reachablePairFraction,
    exact: r.exact,
    population: r.population,
    populationNodes: r.populationNodes,
    nodes: r.nodes,
    edges: r.edges,
    directed: r.directed,
    selfLoops: r.selfLoops,
    duplicateEdges: r.duplicateEdges,
    linesRead: r.linesRead,
    edgeLines: r.edgeLines,
    badLinesSkipped: r.badLinesSkipped,
    badLineExamples: r.badLineExamples,
    header: r.header,
    headerDecision: r.headerDecision,
    sources: r.sources,
    seed: r.seed,
    threads: r.threads,
    kernel: r.kernel,
    method: r.hyperBall ? 'hyperball' : 'bfs',
    ...(r.hyperBall ? { hyperBall: r.hyperBall } : {}),
    graphBytes: r.graphBytes,
    arcsScanned: r.arcsScanned,
    // BFS only: the per-source sums the intervals come from (compare reads them; HyperBall has none).
    ...(r.sums ? { sums: r.sums } : {}),
    timings: r.timings,
  };
}

/** An estimate as JSON: see the README's table of fields. */
export type EstimateReport = ReturnType<typeof toJson>;

/** A failed file's JSON entry in a multi-file run. */
export interface EstimateFailure {
  file: string;
  status: 'error';
  error: string;
}

export function outcomeJson(o: FileOutcome): EstimateReport | EstimateFailure {
  return o.status === 'ok' ? toJson(o.result) : { file: o.file, status: 'error', error: o.error };
}
