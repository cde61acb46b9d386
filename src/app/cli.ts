#!/usr/bin/env node
/**
 * smallworld command line: a thin layer over the library (api.ts). It parses
 * arguments with commander, checks them with the same options.ts the library
 * uses (before any file is read), and turns errors into one line on stderr and
 * the exit-code contract: 0 ok, 1 bad input data, 2 usage, 3 internal error.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { errorLine, exitCodeOf, EXIT, InputError, UsageError } from '../errors.js';
import { kernelNames } from '../algorithms/kernels/index.js';
import { checkSwgTarget, writeSwg } from '../io/swg.js';
import { shortestPath } from '../algorithms/path.js';
import { createProgress, progressListener } from './progress.js';
import { formatSummary, formatTable, outcomeJson, toJson, type FileOutcome } from './report.js';
import { checkEstimateOptions, checkInputOptions, checkNodeId, DEFAULT_DIAMETER_BUDGET_SECONDS, DEFAULT_SAMPLES, DEFAULT_SEED, type EstimateOptions, type InputOptions } from './options.js';
import { estimatePath, loadWithHooks, lookupNode } from './run.js';
import { writeReport } from './html-report.js';

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command();
program
  .name('smallworld')
  .description('Measure how small a social world is: degrees of separation of an edge list.')
  .version(packageJson.version, '-V, --version', 'print the version')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(`smallworld: ${str.replace(/^error: /, '')}`) })
  .showHelpAfterError('(run with --help for usage)');

/** How to read an edge list: the same options wherever one is read. */
function inputOptions(command: Command): Command {
  return command
    .option('--source-column <COL>', 'source column: header name or 1-based number (default 1)')
    .option('--target-column <COL>', 'target column: header name or 1-based number (default 2)')
    .addOption(new Option('--delimiter <D>', 'field delimiter (default: detected)').choices(['tab', 'comma', 'semicolon', 'space']))
    .option('--header', 'the first data line is a header row (default: detected)')
    .option('--no-header', 'the first data line is data')
    .option('--skip-bad-lines', 'count and skip malformed lines (the summary shows the first few) instead of stopping')
    .option('--threads <N>', 'worker threads (default: this machine\'s parallelism)');
}

/** Commander's option values as the library's input options (strings stay strings: options.ts checks them). */
function inputFrom(o: Record<string, unknown>): InputOptions {
  return {
    directed: o.directed as boolean | undefined,
    sourceColumn: o.sourceColumn as string | undefined,
    targetColumn: o.targetColumn as string | undefined,
    delimiter: o.delimiter as InputOptions['delimiter'],
    header: o.header as boolean | undefined,
    skipBadLines: o.skipBadLines as boolean | undefined,
    parser: o.parser as InputOptions['parser'],
    threads: o.threads as string | undefined,
  };
}

const estimate = program
  .command('estimate')
  .description('estimate the distance distribution and degrees of separation of each edge list')
  .argument('<files...>', 'edge lists: SNAP-style (tab/space separated, # comments) or CSV; plain or gzip; .swg; - for stdin')
  .option('-k, --samples <K>', `BFS sources sampled uniformly without replacement (default ${DEFAULT_SAMPLES})`)
  .option('--seed <N>', `seed of the source sampling (default ${DEFAULT_SEED}; same seed, same answer)`)
  .option('--exact', 'use every node as a source: exact figures')
  .addOption(new Option('--method <M>', 'bfs (default): BFS from sampled sources; hyperball: HyperLogLog counters over every node (approximate)').choices(['bfs', 'hyperball']))
  .option('--registers <LOG2M>', 'HyperBall only: 2^LOG2M registers per counter (4-12; default 11, less on large graphs)')
  .option('--precision <H>', 'sample until the 95% interval of the mean distance is within ±H (e.g. 0.01)')
  .option('--directed', 'follow edges from the first column to the second only (follows); default undirected')
  .option('--largest-component', 'only pairs within the largest connected component (weakly connected when --directed)')
  .option('--person <ID>', "also one person's exact figures: average distance and people at each hop (1st, 2nd, 3rd-degree...)")
  .option('--diameter-budget <SECONDS>', `time for the exact diameter (iFUB); 0 skips it (default ${DEFAULT_DIAMETER_BUDGET_SECONDS})`)
  .option('--json', 'print JSON: one object for one file, an array for several')
  .addOption(new Option('--kernel <NAME>', 'BFS kernel (default: the fastest)').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto (default): fast scanner, csv-parse where needed; csv: csv-parse only').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .action(async (files: string[], o) => {
    const options: EstimateOptions = {
      ...inputFrom(o),
      samples: o.samples,
      seed: o.seed,
      exact: o.exact,
      precision: o.precision,
      method: o.method,
      registers: o.registers,
      largestComponent: o.largestComponent,
      person: o.person,
      diameterBudgetSeconds: o.diameterBudget,
      kernel: o.kernel,
    };
    const settings = checkEstimateOptions(options); // usage errors stop here, before any file is read
    const progress = createProgress(!o.quiet);
    const outcomes: FileOutcome[] = [];
    for (const [i, file] of files.entries()) {
      const bars = progressListener(progress, files.length > 1 ? `[${i + 1}/${files.length}] ${file}: ` : `${file}: `);
      try {
        outcomes.push({ file, status: 'ok', result: await estimatePath(file, settings, { onProgress: bars.onProgress }) });
      } catch (err) {
        if (files.length === 1) throw err;
        // Several files: this one gets its row and the error, and the others still run.
        bars.stop();
        process.stderr.write(errorLine(err) + '\n');
        outcomes.push({ file, status: 'error', error: errorLine(err).replace(/^smallworld: /, ''), exitCode: exitCodeOf(err) });
      } finally {
        bars.stop();
      }
    }
    if (o.json) {
      const json = outcomes.map(outcomeJson);
      process.stdout.write(JSON.stringify(json.length === 1 ? json[0] : json, null, 2) + '\n');
    } else if (outcomes.length === 1 && outcomes[0].status === 'ok') {
      process.stdout.write(formatSummary(outcomes[0].result) + '\n');
    } else {
      process.stdout.write(formatTable(outcomes) + '\n');
    }
    const failed = outcomes.filter((r) => r.status === 'error');
    if (failed.length > 0) process.exitCode = failed.some((r) => r.status === 'error' && r.exitCode === EXIT.internal) ? EXIT.internal : EXIT.badInput;
  });

const convert = program
  .command('convert')
  .description('read an edge list once and save the graph as a binary .swg file, which every command reads at disk speed')
  .argument('<edges>', 'edge list (any format estimate reads), or - for stdin')
  .argument('<out>', 'the .swg file to write (written to a temporary name, then renamed into place)')
  .option('--directed', 'keep edge direction (follows); default undirected')
  .option('--force', 'replace <out> if it is an existing regular file')
  .option('-q, --quiet', 'no progress bar')
  .action(async (edges: string, out: string, o) => {
    const input = checkInputOptions(inputFrom(o));
    const force = o.force ?? false;
    await checkSwgTarget(out, { force }); // before the load: a wrong target fails at once
    const t0 = performance.now();
    const bars = progressListener(createProgress(!o.quiet), `${edges}: `);
    let loaded;
    try {
      loaded = await loadWithHooks(edges, input, { onProgress: bars.onProgress });
    } finally {
      bars.stop();
    }
    const graph = loaded.graph;
    await writeSwg(graph, out, { force });
    const s = graph.stats;
    process.stdout.write(
      `${out}: ${s.nodes} nodes, ${s.edges} ${graph.csr.directed ? 'arcs' : 'edges'} from ${s.edgeLines} edge lines ` +
        `(${s.selfLoops} self-loops, ${s.duplicates} repeats merged, ${s.badLines} bad lines skipped), ${((performance.now() - t0) / 1000).toFixed(2)} s\n`,
    );
  });

const path = program
  .command('path')
  .description('a shortest chain of people from one person to another: who can introduce whom')
  .argument('<edges>', 'edge list or .swg file')
  .argument('<from>', 'node id of the first person')
  .argument('<to>', 'node id of the other person')
  .option('--directed', 'follow edges from the first column to the second only (follows)')
  .option('--json', 'print JSON')
  .option('-q, --quiet', 'no progress bar')
  .action(async (edges: string, fromArg: string, toArg: string, o) => {
    const input = checkInputOptions(inputFrom(o));
    const from = checkNodeId('<from>', fromArg);
    const to = checkNodeId('<to>', toArg);
    const bars = progressListener(createProgress(!o.quiet), `${edges}: `);
    let loaded;
    try {
      loaded = await loadWithHooks(edges, input, { onProgress: bars.onProgress });
    } finally {
      bars.stop();
    }
    // Both ends are checked right after the load: an unknown id is a usage error (exit 2).
    lookupNode(loaded.graph, from, '<from>');
    lookupNode(loaded.graph, to, '<to>');
    const chain = shortestPath(loaded.graph, from, to);
    if (o.json) {
      process.stdout.write(JSON.stringify({ from, to, hops: chain ? chain.length - 1 : null, path: chain }) + '\n');
    } else if (!chain) {
      process.stdout.write(`${to} cannot be reached from ${from}\n`);
    } else {
      const hops = chain.length - 1;
      process.stdout.write(`${chain.join(' -> ')}\n${hops} hop${hops === 1 ? '' : 's'}: ${Math.max(hops - 1, 0)} introducer${hops === 2 ? '' : 's'} between them\n`);
    }
  });

program
  .command('report')
  .description('one self-contained HTML page (charts as inline SVG, nothing loaded from anywhere) from the results of batch or estimate --json')
  .argument('<results>', "results.jsonl (batch's, one JSON object per line) or estimate --json output")
  .option('-o, --output <FILE>', 'the HTML file to write (default: report.html beside <results>)')
  .action(async (results: string, o) => {
    const out: string = o.output ?? join(dirname(results), 'report.html');
    const s = await writeReport(results, out);
    process.stdout.write(`${out}: ${s.ok} dataset${s.ok === 1 ? '' : 's'}${s.failed > 0 ? `, ${s.failed} failed` : ''}\n`);
  });

inputOptions(estimate);
inputOptions(convert);
inputOptions(path);

/** Commander's own exits: help and version are successes, everything else a usage error. */
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.executeSubCommandAsync']);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Commander has already printed its message (through outputError above).
    process.exitCode = COMMANDER_SUCCESS.has(err.code) ? EXIT.ok : EXIT.usage;
    return;
  }
  process.stderr.write(errorLine(err) + '\n');
  if (process.env.SMALLWORLD_DEBUG && err instanceof Error && !(err instanceof InputError) && !(err instanceof UsageError)) process.stderr.write(`${err.stack}\n`);
  process.exitCode = exitCodeOf(err);
});
