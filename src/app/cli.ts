#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
// The line above asks glibc for transparent huge pages on large allocations (the graph's typed
// arrays): on the VMs measured here, first touches of fresh memory cost 1-2 s per 126 MB with 4 KiB
// pages and 0.16 s with huge pages, which made the R-MAT scale-20 load 4.6x the csv-parse floor
// instead of 5.6x (README "Performance"). Other C libraries ignore the variable.
/**
 * smallworld command line: a thin layer over the library (api.ts). It parses
 * arguments with commander, checks them with the same options.ts the library
 * uses (before any file is read), and turns errors into one line on stderr and
 * the exit-code contract: 0 ok, 1 bad input data, 2 usage, 3 internal error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { errorLine, exitCodeOf, EXIT, InputError, UsageError } from '../errors.js';
import { kernelNames } from '../algorithms/kernels/index.js';
import type { progressListener } from './progress.js';
import { type FileOutcome } from './report.js';
import { checkFormat, checkOutputTarget, formatOutcomes, FORMATS } from './formats.js';
import { checkEstimateOptions, checkInputOptions, checkMilgramOptions, checkTimelineOptions, checkNodeId, checkPathOptions, checkPersonOptions, DEFAULT_DIAMETER_BUDGET_SECONDS, DEFAULT_SAMPLES, DEFAULT_SEED, type EstimateOptions, type InputOptions, type ProgressEvent } from './options.js';
import { runBatch, RESULTS_CSV, RESULTS_JSONL } from './batch.js';

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

/** Commander's option values as the library's estimate options (any a command does not have stay undefined). */
function estimateFrom(o: Record<string, unknown>): EstimateOptions {
  return {
    ...inputFrom(o),
    samples: o.samples as string | undefined,
    seed: o.seed as string | undefined,
    exact: o.exact as boolean | undefined,
    precision: o.precision as string | undefined,
    method: o.method as EstimateOptions['method'],
    registers: o.registers as string | undefined,
    largestComponent: o.largestComponent as boolean | undefined,
    person: o.person as string | undefined,
    diameterBudgetSeconds: o.diameterBudget as string | undefined,
    kernel: o.kernel as string | undefined,
  };
}

/** Runs one file's long work with progress bars labelled by the file (none when quiet, or off a terminal). */
async function withBars<T>(file: string, showProgress: boolean, work: (onProgress: (e: ProgressEvent) => void) => Promise<T>): Promise<T> {
  const { createProgress, progressListener } = await import('./progress.js'); // loaded when needed: a quick command starts quickly
  const bars = progressListener(createProgress(showProgress), `${file}: `);
  try {
    return await work(bars.onProgress);
  } finally {
    bars.stop();
  }
}

/** Loads one file for a command, with a progress bar unless quiet. */
async function loadWithBars(file: string, input: ReturnType<typeof checkInputOptions>, showProgress: boolean, numbering: 'original' | 'locality' = 'original') {
  const { loadWithHooks } = await import('./run.js');
  return withBars(file, showProgress, async (onProgress) => (await loadWithHooks(file, input, { onProgress }, numbering)).graph);
}

/** A command's result: its JSON, or its text. */
function print<T>(json: boolean | undefined, result: T, asText: (r: T) => string): void {
  process.stdout.write(json ? JSON.stringify(result) + '\n' : asText(result));
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
  .option('--json', 'print JSON: one object for one file, an array for several (short for --format json)')
  .addOption(new Option('--format <F>', 'table (default: a summary for one file, a table for several), json, csv (one row per file) or markdown').choices([...FORMATS]))
  .option('--output <FILE>', 'write the output to FILE instead of stdout')
  .addOption(new Option('--kernel <NAME>', 'BFS kernel (default: the fastest)').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto (default): fast scanner, csv-parse where needed; csv: csv-parse only').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .option('--queue <URL>', 'run the BFS batches on the workers of this Redis queue (redis://[:password@]host:port[/db]); FILE must be a .swg the workers can read')
  .action(async (files: string[], o) => {
    const options: EstimateOptions = { ...estimateFrom(o), queue: o.queue };
    const settings = checkEstimateOptions(options); // usage errors stop here, before any file is read
    const format = checkFormat(o.format, o.json);
    const output = o.output === undefined ? undefined : checkOutputTarget(o.output);
    const { estimatePath } = await import('./run.js'); // loaded when needed: a quick command starts quickly
    const { createProgress, progressListener } = await import('./progress.js');
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
    const text = formatOutcomes(outcomes, format);
    if (output === undefined) process.stdout.write(text);
    else {
      writeFileSync(output, text);
      process.stderr.write(`smallworld: wrote ${format} for ${outcomes.length} file${outcomes.length === 1 ? '' : 's'} to ${output}\n`);
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
    const { checkSwgTarget, writeSwg } = await import('../io/swg.js');
    await checkSwgTarget(out, { force }); // before the load: a wrong target fails at once
    const t0 = performance.now();
    const graph = await loadWithBars(edges, input, !o.quiet, 'locality'); // a large graph is saved renumbered (src/graph/renumber.ts)
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
  .option('--alternatives <K>', 'up to K shortest chains through different introducers (the first person\'s friends on a shortest chain), most chains first')
  .option('--directed', 'follow edges from the first column to the second only (follows)')
  .option('--json', 'print JSON')
  .option('-q, --quiet', 'no progress bar')
  .action(async (edges: string, fromArg: string, toArg: string, o) => {
    const { input, alternatives } = checkPathOptions({ ...inputFrom(o), alternatives: o.alternatives });
    const from = checkNodeId('<from>', fromArg);
    const to = checkNodeId('<to>', toArg);
    const { pathReport } = await import('./api.js');
    const { lookupNode } = await import('./run.js');
    const graph = await loadWithBars(edges, input, !o.quiet);
    // Both ends are checked right after the load: an unknown id is a usage error (exit 2).
    lookupNode(graph, from, '<from>');
    lookupNode(graph, to, '<to>');
    const r = pathReport(graph, from, to, alternatives);
    const chain = r.path;
    if (o.json) {
      process.stdout.write(JSON.stringify(r) + '\n');
    } else if (!chain) {
      process.stdout.write(`${to} cannot be reached from ${from}\n`);
    } else {
      const hops = chain.length - 1;
      process.stdout.write(`${chain.join(' -> ')}\n${hops} hop${hops === 1 ? '' : 's'}: ${Math.max(hops - 1, 0)} introducer${hops === 2 ? '' : 's'} between them\n`);
      process.stdout.write(`${r.chains} shortest chain${r.chains === '1' ? '' : 's'}${r.introducers > 0 ? ` through ${r.introducers} introducer${r.introducers === 1 ? '' : 's'} (${from}'s friends on a shortest chain)` : ''}\n`);
      if (r.alternatives) {
        for (const alt of r.alternatives) process.stdout.write(`  via ${alt.introducer} (${alt.chains} chain${alt.chains === '1' ? '' : 's'}): ${alt.path.join(' -> ')}\n`);
        if (r.introducers > r.alternatives.length) process.stdout.write(`  ... and ${r.introducers - r.alternatives.length} more introducers\n`);
      }
    }
  });

const person = program
  .command('person')
  .description("one person: how many people are 1, 2, 3... hops away, their average distance and where it sits among everyone's")
  .argument('<edges>', 'edge list or .swg file')
  .argument('<id>', 'node id of the person')
  .option('-k, --samples <K>', `people of the largest component sampled for the comparison (default ${DEFAULT_SAMPLES}; 0 skips it)`)
  .option('--seed <N>', `seed of that sample (default ${DEFAULT_SEED})`)
  .option('--list <K>', 'show up to K ids at each of the first three degrees (in node order)')
  .option('--directed', 'follow edges from the first column to the second only (follows)')
  .option('--json', 'print JSON')
  .addOption(new Option('--parser <P>', 'auto (default) or csv').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .action(async (edges: string, idArg: string, o) => {
    const settings = checkPersonOptions({ ...inputFrom(o), samples: o.samples, seed: o.seed, list: o.list });
    const id = checkNodeId('<id>', idArg);
    const { lookupNode } = await import('./run.js');
    const { personReportLoaded, formatPerson } = await import('./people.js');
    const graph = await loadWithBars(edges, settings.input, !o.quiet);
    const index = lookupNode(graph, id, '<id>'); // unknown: a usage error (exit 2), before any BFS
    print(o.json, await withBars(edges, !o.quiet, (onProgress) => personReportLoaded(graph, index, settings, { onProgress })), formatPerson);
  });

const milgramCommand = program
  .command('milgram')
  .description("Milgram's chain letters replayed: each holder forwards to one friend using only local knowledge")
  .argument('<edges>', 'edge list or .swg file')
  .option('--pairs <N>', 'random starter/target pairs from the largest component (default 1000)')
  .option('--pairs-file <FILE>', 'starter and target ids, two per line, instead of random pairs')
  .addOption(new Option('--strategy <S>', 'common (default): the friend with the most friends who know the target; degree: the best-connected friend; random').choices(['common', 'degree', 'random']))
  .option('--attrition <P>', 'each step the letter is dropped with probability P (default 0)')
  .option('--max-steps <N>', 'give a chain up after N steps (default 100)')
  .option('--seed <N>', `seed of the pairs and of every choice (default ${DEFAULT_SEED})`)
  .option('--chains', 'with --json: every chain (starter, target, outcome, steps, shortest)')
  .option('--directed', 'letters follow edges from the first column to the second only')
  .option('--json', 'print JSON')
  .addOption(new Option('--parser <P>', 'auto (default) or csv').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .action(async (edges: string, o) => {
    const settings = checkMilgramOptions({ ...inputFrom(o), pairs: o.pairs, pairsFile: o.pairsFile, strategy: o.strategy, attrition: o.attrition, maxSteps: o.maxSteps, seed: o.seed });
    const { milgramLoaded, formatMilgram } = await import('./milgram.js');
    const graph = await loadWithBars(edges, settings.input, !o.quiet);
    print(o.json, await withBars(edges, !o.quiet, (onProgress) => milgramLoaded(graph, settings, { onProgress, chains: o.chains ?? false })), formatMilgram);
  });

const timelineCommand = program
  .command('timeline')
  .description('how the world shrank: cumulative snapshots by a time column, one seeded estimate each')
  .argument('<edges>', 'edge list with a time column (epoch seconds or ISO dates); plain or gzip; - for stdin')
  .option('--time-column <COL>', 'the time column: header name or 1-based number (required)')
  .option('--snapshots <N>', 'N snapshots at equal steps of time, the last one every edge (default 10)')
  .option('--every <STEP>', 'one snapshot every STEP instead: a number and s, m, h, d or w (e.g. 30d)')
  .option('-k, --samples <K>', `BFS sources per snapshot (default ${DEFAULT_SAMPLES})`)
  .option('--seed <N>', `seed of the source sampling (default ${DEFAULT_SEED}; the same for every snapshot)`)
  .option('--exact', 'every node a source in every snapshot')
  .option('--precision <H>', 'sample each snapshot until the 95% half-width of its mean distance is within ±H')
  .option('--largest-component', 'only pairs within each snapshot\'s largest connected component')
  .option('--directed', 'follow edges from the first column to the second only (follows); default undirected')
  .option('--json', 'print JSON')
  .addOption(new Option('--kernel <NAME>', 'BFS kernel (default: the fastest)').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto (default) or csv').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .action(async (edges: string, o) => {
    const settings = checkTimelineOptions({
      ...inputFrom(o),
      timeColumn: o.timeColumn,
      snapshots: o.snapshots,
      every: o.every,
      samples: o.samples,
      seed: o.seed,
      exact: o.exact,
      precision: o.precision,
      largestComponent: o.largestComponent,
      kernel: o.kernel,
    });
    const { timelinePath, formatTimeline } = await import('./timeline.js');
    print(o.json, await withBars(edges, !o.quiet, (onProgress) => timelinePath(edges, settings, { onProgress })), formatTimeline);
  });

const batch = program
  .command('batch')
  .description('estimate many datasets into one folder (results.jsonl, results.csv); a rerun skips the datasets already done')
  .argument('[inputs...]', 'edge lists, and folders: their .txt .tsv .csv .edges .el .swg files (each optionally .gz), recursively')
  .requiredOption('--out <DIR>', 'the results folder (created if missing)')
  .option('--manifest <FILE>', 'a CSV with one row per dataset: name, path (relative to the manifest), optional directed, source_column, target_column, delimiter, samples', (v: string, all: string[] = []) => [...all, v])
  .option('--force', 'redo datasets already done with the same input and options')
  .option('-k, --samples <K>', `BFS sources sampled uniformly without replacement (default ${DEFAULT_SAMPLES})`)
  .option('--seed <N>', `seed of the source sampling (default ${DEFAULT_SEED})`)
  .option('--exact', 'use every node as a source: exact figures')
  .addOption(new Option('--method <M>', 'bfs (default) or hyperball').choices(['bfs', 'hyperball']))
  .option('--registers <LOG2M>', 'HyperBall only: 2^LOG2M registers per counter (4-12)')
  .option('--precision <H>', 'sample until the 95% interval of the mean distance is within ±H')
  .option('--directed', 'follow edges from the first column to the second only (follows); default undirected')
  .option('--largest-component', 'only pairs within the largest connected component')
  .option('--person <ID>', "also one person's exact figures in every dataset")
  .option('--diameter-budget <SECONDS>', `time for the exact diameter (iFUB); 0 skips it (default ${DEFAULT_DIAMETER_BUDGET_SECONDS})`)
  .addOption(new Option('--kernel <NAME>', 'BFS kernel (default: the fastest)').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto (default) or csv').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress line and bars')
  .action(async (inputs: string[], o) => {
    if (inputs.length === 0 && !o.manifest) throw new UsageError('batch: give edge lists or folders, or --manifest FILE');
    const tty = !o.quiet && process.stderr.isTTY;
    // cli-progress only on a terminal: a rerun that skips everything starts as fast as it can.
    const { createProgress, progressListener: listener } = tty ? await import('./progress.js') : { createProgress: null, progressListener: null };
    const progress = createProgress?.(true);
    let bars: ReturnType<typeof progressListener> | null = null;
    const summary = await runBatch(inputs, {
      ...estimateFrom(o),
      out: o.out,
      manifest: o.manifest,
      force: o.force,
      onProgress: (e) => bars?.onProgress(e),
      onDataset: (e) => {
        if (e.type === 'start') {
          // The one progress line, above the usual bars; erased when the dataset is done.
          if (tty) process.stderr.write(`dataset ${e.index} of ${e.total}: ${e.name}\n`);
          if (listener && progress) bars = listener(progress, `${e.name}: `);
        } else if (e.type === 'done') {
          bars?.stop();
          bars = null;
          if (tty) process.stderr.write('\x1b[1A\r\x1b[2K');
          if (e.record.status === 'error') process.stderr.write(`smallworld: ${e.name}: ${e.record.error}\n`);
        }
      },
    });
    for (const s of summary.skippedFiles) process.stderr.write(`skipped ${s.file}: ${s.reason}\n`);
    const n = summary.alreadyDone.length;
    if (n > 0) process.stderr.write(`skipped ${n} dataset${n === 1 ? '' : 's'} already done (use --force to redo)\n`);
    process.stdout.write(
      `${summary.datasets.length} dataset${summary.datasets.length === 1 ? '' : 's'}: ${summary.ok} ok, ${summary.failed} failed ` +
        `(${summary.ran.length} run now, ${n} already done); results in ${summary.out}/${RESULTS_JSONL} and ${summary.out}/${RESULTS_CSV}, report ${summary.report}\n`,
    );
    process.exitCode = summary.exitCode;
  });

const compareCommand = program
  .command('compare')
  .description('differences between datasets (mean distance, within-h fractions, effective diameter) with 95% intervals, for every pair')
  .argument('<inputs...>', 'two or more: edge lists or .swg files (estimated here), results.jsonl files (every ok dataset; results.jsonl:NAME for one), estimate --json files')
  .option('-k, --samples <K>', `BFS sources per edge list (default ${DEFAULT_SAMPLES})`)
  .option('--seed <N>', `seed of the source sampling (default ${DEFAULT_SEED}); the j-th edge list (from 0) gets seed + j, so samples are independent`)
  .option('--exact', 'every node a source: exact figures, exact differences')
  .option('--precision <H>', 'sample each edge list until the 95% half-width of its mean distance is within ±H')
  .option('--directed', 'follow edges from the first column to the second only (follows); default undirected')
  .option('--largest-component', 'only pairs within the largest connected component')
  .option('--resolution <H>', 'the difference in mean distance (hops) the "sources would resolve" sentence aims at (default 0.01)')
  .option('--json', 'print JSON')
  .addOption(new Option('--kernel <NAME>', 'BFS kernel (default: the fastest)').choices(kernelNames()))
  .addOption(new Option('--parser <P>', 'auto (default): fast scanner, csv-parse where needed; csv: csv-parse only').choices(['auto', 'csv']))
  .option('-q, --quiet', 'no progress bars')
  .action(async (inputs: string[], o) => {
    const { compare: compareInputs, formatComparison } = await import('./compare.js'); // loaded when needed
    const { createProgress, progressListener } = await import('./progress.js');
    const progress = createProgress(!o.quiet);
    // One listener per edge list estimated (results read back need none).
    const shown: { file: string; bars: ReturnType<typeof progressListener> | null } = { file: '', bars: null };
    try {
      const report = await compareInputs(inputs, {
        ...estimateFrom(o),
        resolution: o.resolution,
        onProgress: (e) => {
          if (shown.bars === null || shown.file !== e.file) {
            shown.bars?.stop();
            shown.file = e.file;
            shown.bars = progressListener(progress, `${e.file}: `);
          }
          shown.bars.onProgress(e);
        },
      });
      shown.bars?.stop();
      process.stdout.write((o.json ? JSON.stringify(report, null, 2) : formatComparison(report)) + '\n');
    } finally {
      shown.bars?.stop();
    }
  });

program
  .command('report')
  .description('one self-contained HTML page (charts as inline SVG, nothing loaded from anywhere) from the results of batch, estimate --json or timeline --json')
  .argument('<results>', "results.jsonl (batch's, one JSON object per line), estimate --json or timeline --json output")
  .option('-o, --output <FILE>', 'the HTML file to write (default: report.html beside <results>)')
  .action(async (results: string, o) => {
    const { writeReport } = await import('./html-report.js'); // vega loads only when a report is drawn
    const out: string = o.output ?? join(dirname(results), 'report.html');
    const s = await writeReport(results, out);
    const datasets = s.ok - s.timelines;
    const parts = [...(datasets > 0 || s.timelines === 0 ? [`${datasets} dataset${datasets === 1 ? '' : 's'}`] : []), ...(s.timelines > 0 ? [`${s.timelines} timeline${s.timelines === 1 ? '' : 's'}`] : [])];
    process.stdout.write(`${out}: ${parts.join(', ')}${s.failed > 0 ? `, ${s.failed} failed` : ''}\n`);
  });

program
  .command('worker')
  .description('take source batches from a Redis queue (estimate FILE.swg --queue URL) and run them here until SIGTERM')
  .option('--queue <URL>', 'redis://[:password@]host:port[/db] or rediss://... (default: $SMALLWORLD_QUEUE)')
  .option('--threads <N>', "worker threads (default: this machine's parallelism)")
  .option('-q, --quiet', 'no log lines')
  .action(async (o) => {
    const { checkQueueUrl } = await import('./queue-url.js');
    const url = checkQueueUrl(o.queue);
    const threads = checkInputOptions({ threads: o.threads }).threads!;
    const { startWorker } = await import('./queue.js');
    const log = o.quiet ? undefined : (line: string) => process.stderr.write(`smallworld worker ${process.pid}: ${line}\n`);
    // The handlers come first: a SIGTERM that arrives while the worker connects (or right after its
    // "waiting" line) must stop it cleanly, not kill it by the default action.
    let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
    let stopRequested = false;
    const stop = (signal: string) => {
      log?.(`${signal}: finishing the current batch, then stopping`);
      stopRequested = true;
      if (worker) void worker.stop();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    worker = await startWorker({ url, threads, log });
    if (stopRequested) void worker.stop();
    await worker.closed;
    log?.('stopped');
  });

inputOptions(estimate);
inputOptions(convert);
inputOptions(path);
inputOptions(person);
inputOptions(milgramCommand);
inputOptions(timelineCommand);
inputOptions(batch);
inputOptions(compareCommand);

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
