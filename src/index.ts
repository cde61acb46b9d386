/**
 * smallworld as a library: `import { loadGraph, estimate } from 'smallworld'`.
 * Importing runs nothing; every call is documented in the README ("Library API").
 */
export { Graph, loadGraph, estimate, estimateFile, shortestPath, personFigures, saveGraph } from './app/api.js';
export type { LoadGraphOptions, EstimateCallOptions, PathReport } from './app/api.js';
export type { EstimateOptions, InputOptions, LongCallOptions, ProgressEvent, DelimiterName } from './app/options.js';
export type { EstimateReport, EstimateFailure } from './app/report.js';
export type { EstimateResult, PersonFigures } from './app/run.js';
export { renderReport, writeReport, readResults } from './app/html-report.js';
export type { ReportOptions, ReportSummary } from './app/html-report.js';
export { AbortError, InputError, UsageError } from './errors.js';
