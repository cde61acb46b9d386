/**
 * What every reader (text edge list or .swg) hands on: the CSR, the ids behind
 * its node numbers, and what was read. Types only, so both readers import it
 * without importing each other.
 */
import type { Csr } from '../graph/csr.js';
import type { NodeIds } from '../graph/node-ids.js';
import type { NodeOrder } from '../graph/renumber.js';
import type { EdgeListFormat } from './sniff.js';

export interface LoadStats {
  /** Lines in the text, comments and blanks included. */
  lines: number;
  /** Lines that held an edge (header and comments excluded). */
  edgeLines: number;
  nodes: number;
  /** Distinct edges kept (undirected pairs, or arcs when directed). */
  edges: number;
  selfLoops: number;
  duplicates: number;
  /** Malformed lines skipped (only with skipBadLines; otherwise the first one stops the load). */
  badLines: number;
  /** The first few skipped lines: line number and what was wrong. */
  badLineExamples: Array<{ line: number; reason: string }>;
}

export interface LoadedGraph {
  file: string;
  /** In internal numbers: the original ones, or a locality numbering when `order` is set (src/graph/renumber.ts). */
  csr: Csr;
  /** In original numbers (node i = the i-th node the loader met), whatever the CSR's numbering. */
  ids: NodeIds;
  /**
   * Set when the CSR was renumbered for locality: maps original <-> internal numbers. Absent: the
   * CSR is in original numbers. Only the estimate works on a renumbered CSR (src/app/run.ts maps
   * sources and people through this); other commands take inOriginalOrder(graph).
   */
  order?: NodeOrder;
  format: EdgeListFormat;
  compressed: boolean;
  stats: LoadStats;
  /** Lines read by the byte scanner and its line fallback (the rest, if any, by streaming csv-parse: `--parser csv`, or after a quoted field open over 1 MB); absent for .swg files. */
  scannerLines?: number;
}
