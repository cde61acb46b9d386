/**
 * smallworld as a library: `import { loadGraph, estimate } from 'smallworld'`.
 * Importing runs nothing; every call is documented in the README ("Library API").
 */
export { Graph, loadGraph, estimate, estimateFile, shortestPath, personFigures, personReport, milgram, timeline, saveGraph } from './app/api.js';
export type { TimelineReport, TimelineSnapshot } from './app/timeline.js';
export type { MilgramReport } from './app/milgram.js';
export type { PersonReport } from './app/people.js';
export type { PersonOptions, PathOptions, MilgramOptions, MilgramStrategy, TimelineOptions } from './app/options.js';
export type { LoadGraphOptions, EstimateCallOptions, PathReport } from './app/api.js';
export type { EstimateOptions, InputOptions, LongCallOptions, ProgressEvent, DelimiterName } from './app/options.js';
export type { EstimateReport, EstimateFailure } from './app/report.js';
export type { EstimateResult, PersonFigures } from './app/run.js';
export { runBatch, collectDatasets, fingerprintOf, readResults } from './app/batch.js';
export type { BatchOptions, BatchSummary, BatchRecord, BatchEvent, BatchDataset, BatchDatasetOptions, Fingerprint } from './app/batch.js';
export { formatCsv, formatMarkdown, CSV_COLUMNS } from './app/formats.js';
export type { OutputFormat, ResultRecord } from './app/formats.js';
export { renderReport, writeReport, readResults as readReportInput } from './app/html-report.js';
export type { ReportOptions, ReportSummary } from './app/html-report.js';
export { AbortError, InputError, UsageError } from './errors.js';
export { compare } from './app/compare.js';
export type { CompareInput, CompareOptions, CompareReport, CompareDataset, ComparableReport } from './app/compare.js';
export type { PairComparison, Difference } from './stats/compare.js';
export type { EstimateSums } from './stats/estimate.js';
export { startWorker } from './app/queue.js';
export type { WorkerOptions as QueueWorkerOptions } from './app/queue.js';
