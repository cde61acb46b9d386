#!/usr/bin/env node
/**
 * smallworld command line. Errors reach the user as one line on stderr
 * (`smallworld: FILE:LINE: what is wrong`) with a non-zero exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { availableParallelism } from 'node:os';
import { errorLine, InputError } from '../errors.js';
import type { Delimiter } from '../io/sniff.js';
import { kernelNames } from '../algorithms/kernels/index.js';
import { loadGraph } from '../io/load.js';
import { createProgress } from './progress.js';
import { checkSwgTarget, writeSwg } from '../io/swg.js';
import { shortestPath } from '../algorithms/path.js';
import { formatSummary, formatTable, toJson } from './report.js';
import { DEFAULT_SAMPLES, DEFAULT_SEED, estimateFile, type EstimateResult } from './run.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function positiveNumber(value: string): number {
  const x = Number(value);
  if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError('expected a positive number');
  return x;
}

function nonNegativeNumber(value: string): number {
  const x = Number(value);
  if (!(x >= 0) || !Number.isFinite(x)) throw new InvalidArgumentError('expected a number >= 0');
  return x;
}

function seedValue(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('expected an integer from 0 to 4294967295');
  return n;
}

const DELIMITERS: Record<string, Delimiter> = { tab: '\t', comma: ',', semicolon: ';', space: 'whitespace', whitespace: 'whitespace' };

const program = new Command();
program
  .name('smallworld')
  .description('Measure how small a social world is: degrees of separation of an edge list.')
  .configureOutput({ outputError: (str, write) => write(`smallworld: ${str.replace(/^error: /, '')}`) })
  .showHelpAfterError('(run with --help for usage)');

/** How to read an edge list: the same options wherever one is read. */
function inputOptions(command: Command): Command {
  return command
    .option('--source-column <COL>', 'source column: header name or 1-based number (default 1)')
    .option('--target-column <COL>', 'target column: header name or 1-based number (default 2)')
    .addOption(new Option('--delimiter <D>', 'field delimiter (default: detected)').choices(Object.keys(DELIMITERS)))
    .option('--header', 'the first data line is a header row (default: detected)')
    .option('--no-header', 'the first data line is data')
    .option('--skip-bad-lines', 'count and skip malformed lines (the summary shows the first few) instead of stopping');
}

/** The options above as loadGraph takes them. */
function inputSettings(o: Record<string, unknown>) {
  return {
    sourceColumn: o.sourceColumn as string | undefined,
    targetColumn: o.targetColumn as string | undefined,
    delimiter: o.delimiter ? DELIMITERS[o.delimiter as string] : undefined,
    header: o.header as boolean | undefined,
    skipBadLines: (o.skipBadLines as boolean | undefined) ?? false,
  };
}

const estimate = program
  .command('estimate')
  .description('estimate the distance distribution and degrees of separation of each edge list')
  .argument('<files...>', 'edge lists: SNAP-style (tab/space separated, # comments) or CSV; plain or gzip; - for stdin')
  .option('-k, --samples <K>', 'BFS sources sampled uniformly without replacement', positiveInt, DEFAULT_SAMPLES)
  .option('--seed <N>', 'seed of the source sampling (same seed, same answer)', seedValue, DEFAULT_SEED)
  .option('--threads <N>', `worker threads (default: ${availableParallelism()}, this machine's parallelism)`, positiveInt)
  .option('--exact', 'use every node as a source: exact figures')
  .addOption(new Option('--method <M>', 'bfs: BFS from sampled sources; hyperball: HyperLogLog counters over every node (approximate)').choices(['bfs', 'hyperball']).default('bfs'))
  .option('--registers <LOG2M>', 'HyperBall: 2^LOG2M registers per counter (4-12; default 11, less on large graphs)', positiveInt)
  .option('--precision <H>', 'sample until the 95% interval of the mean distance is within ±H (e.g. 0.01)', positiveNumber)
  .option('--directed', 'follow edges from the first column to the second only (follows); default undirected')
  .option('--largest-component', 'only pairs within the largest connected component (weakly connected when --directed)')
  .option('--person <ID>', "also one person's exact figures: average distance and people at each hop (1st, 2nd, 3rd-degree...)")
  .option('--diameter-budget <SECONDS>', 'time for the exact diameter (iFUB); 0 skips it', nonNegativeNumber, 60)
  .option('--json', 'print JSON: one object for one file, an array for several')
  .addOption(new Option('--kernel <NAME>', 'BFS kernel').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto: fast scanner for numeric lists, csv-parse for the rest; csv: csv-parse only').choices(['auto', 'csv']).default('auto'))
  .option('-q, --quiet', 'no progress bars')
  .action(async (files: string[], o) => {
    const results: EstimateResult[] = [];
    for (const file of files) {
      results.push(
        await estimateFile(file, {
          samples: o.samples,
          seed: o.seed,
          threads: o.threads,
          exact: o.exact ?? false,
          precision: o.precision,
          method: o.method,
          log2m: o.registers,
          diameterBudgetSeconds: o.diameterBudget,
          person: o.person,
          largestComponent: o.largestComponent ?? false,
          directed: o.directed ?? false,
          kernel: o.kernel,
          ...inputSettings(o),
          parser: o.parser,
          progress: !o.quiet,
        }),
      );
    }
    if (o.json) {
      const json = results.map(toJson);
      process.stdout.write(JSON.stringify(json.length === 1 ? json[0] : json, null, 2) + '\n');
    } else if (results.length === 1) {
      process.stdout.write(formatSummary(results[0]) + '\n');
    } else {
      process.stdout.write(formatTable(results) + '\n');
    }
  });

const convert = program
  .command('convert')
  .description('read an edge list once and save the graph as a binary .swg file, which every command reads at disk speed')
  .argument('<edges>', 'edge list (any format estimate reads), or - for stdin')
  .argument('<out>', 'the .swg file to write (written to a temporary name, then renamed into place)')
  .option('--directed', 'keep edge direction (follows); default undirected')
  .option('--threads <N>', 'threads for parsing', positiveInt)
  .option('--force', 'replace <out> if it is an existing regular file')
  .option('-q, --quiet', 'no progress bar')
  .action(async (edges: string, out: string, o) => {
    const t0 = performance.now();
    await checkSwgTarget(out, { force: o.force ?? false }); // before the load: a wrong target fails at once
    const progress = createProgress(!o.quiet);
    progress.start(`loading ${edges}`, 0, 'bytes');
    let graph;
    try {
      graph = await loadGraph(edges, {
        directed: o.directed ?? false,
        ...inputSettings(o),
        threads: o.threads,
        onProgress: (done, total) => progress.update(done, total),
      });
    } finally {
      progress.stop();
    }
    await writeSwg(graph, out, { force: o.force ?? false });
    const s = graph.stats;
    process.stdout.write(
      `${out}: ${s.nodes} nodes, ${s.edges} ${graph.csr.directed ? 'arcs' : 'edges'} from ${s.edgeLines} edge lines ` +
        `(${s.selfLoops} self-loops, ${s.duplicates} duplicates, ${s.badLines} bad lines dropped), ${((performance.now() - t0) / 1000).toFixed(2)} s\n`,
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
  .action(async (edges: string, from: string, to: string, o) => {
    const progress = createProgress(!o.quiet);
    progress.start(`loading ${edges}`, 0, 'bytes');
    let graph;
    try {
      graph = await loadGraph(edges, { directed: o.directed ?? false, ...inputSettings(o), onProgress: (done, total) => progress.update(done, total) });
    } finally {
      progress.stop();
    }
    const chain = shortestPath(graph, from, to);
    if (o.json) {
      process.stdout.write(JSON.stringify({ from, to, hops: chain ? chain.length - 1 : null, path: chain }) + '\n');
    } else if (!chain) {
      process.stdout.write(`${to} cannot be reached from ${from}\n`);
    } else {
      const hops = chain.length - 1;
      process.stdout.write(`${chain.join(' -> ')}\n${hops} hop${hops === 1 ? '' : 's'}: ${Math.max(hops - 1, 0)} introducer${hops === 2 ? '' : 's'} between them\n`);
    }
  });

inputOptions(estimate);
inputOptions(convert);
inputOptions(path);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(errorLine(err) + '\n');
  if (process.env.SMALLWORLD_DEBUG && err instanceof Error && !(err instanceof InputError)) process.stderr.write(`${err.stack}\n`);
  process.exitCode = err instanceof InputError ? 1 : 2;
});
