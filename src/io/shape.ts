/**
 * Whether a text is an edge list at all, and how many columns its lines have,
 * decided from the sniffed sample (the first 64 KB or so) before loading.
 *
 * A file passed by mistake (a README from a shell glob, a JSON or HTML export,
 * prose) must be refused with a reason, not read as a few odd edges. SNAP files
 * start with `#` comment lines too, so a `#` heading alone never refuses a file:
 * it takes a Markdown-looking start and lines that are not consistent id pairs.
 */
import { parse as parseSync } from 'csv-parse/sync';
import { csvOptions } from './records.js';
import type { EdgeListFormat } from './sniff.js';

/** Data lines of the sample looked at, at most. */
const SAMPLE_LINES = 200;

interface SampleRecord {
  line: number;
  fields: string[];
}

/** The sample's data records (comments, blanks and the header row left out), as the loader would read them. */
function sampleRecords(sample: string, format: EdgeListFormat): SampleRecord[] {
  // Whole lines only (the sample ends with a line end when it holds the whole text), and not too many.
  let end = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r')) + 1;
  let lines = 0;
  for (let i = 0; i < end; i++) {
    const c = sample.charCodeAt(i);
    if (c === 10 || (c === 13 && sample.charCodeAt(i + 1) !== 10)) {
      if (++lines === SAMPLE_LINES) {
        end = i + 1;
        break;
      }
    }
  }
  const records: SampleRecord[] = [];
  const whitespace = format.delimiter === 'whitespace';
  let headerPending = format.header;
  try {
    parseSync(Buffer.from(sample.slice(0, end)), {
      ...csvOptions(format),
      on_record: (record: string[], context: { lines: number }) => {
        const fields = whitespace ? record.filter((f) => f !== '' && f !== '\r') : record;
        if (fields.length === 0 || fields[0].startsWith('#') || fields[0].startsWith('%')) return null;
        if (headerPending) headerPending = false;
        else records.push({ line: context.lines, fields });
        return null;
      },
    });
  } catch {
    // A quoted field open at the sample's end, say: keep what was read.
  }
  return records;
}

/** Columns every data line must have: the first data line's (at least up to the endpoint columns); 0 when the sample has none. */
export function expectedColumns(sample: string, format: EdgeListFormat): number {
  const first = sampleRecords(sample, format)[0];
  if (!first) return 0;
  return Math.max(first.fields.length, format.sourceIndex + 1, format.targetIndex + 1);
}

const NUMERIC = /^\d+$/;

/** Why the sample is not an edge list (the reason shown to the user), or null when it may be one. */
export function notAnEdgeList(sample: string, format: EdgeListFormat): string | null {
  const text = sample.trimStart();
  if (text.startsWith('{') || text.startsWith('[')) return `starts with '${text[0]}': JSON?`;
  if (/^<!doctype/i.test(text)) return "starts with '<!DOCTYPE': HTML?";
  if (text.startsWith('<')) return "starts with '<': HTML or XML?";

  const records = sampleRecords(sample, format);
  const columns = (r: SampleRecord) => r.fields.length;
  const first = records[0];
  const differ = first ? records.filter((r) => columns(r) !== columns(first)) : [];

  // Markdown: a `# heading` then a blank line, a ``` fence, or a `## heading` after a blank line.
  // SNAP comment blocks run straight into the data, and their data are consistent id pairs.
  const lines = sample.split(/\r\n|\r|\n/);
  const firstText = lines.findIndex((l) => l.trim() !== '');
  const heading = /^#{1,6}\s+\S/;
  let markdown = -1;
  if (firstText >= 0 && heading.test(lines[firstText]) && firstText + 1 < lines.length - 1 && lines[firstText + 1].trim() === '') markdown = firstText;
  for (let i = 0; i < lines.length - 1 && markdown < 0; i++) {
    if (/^\s*```/.test(lines[i]) || (i > 0 && lines[i - 1].trim() === '' && /^#{2,6}\s+\S/.test(lines[i]))) markdown = i;
  }
  if (markdown >= 0 && records.length > 0) {
    const idPairs = differ.length === 0 && records.every((r) => NUMERIC.test(r.fields[format.sourceIndex] ?? '') && NUMERIC.test(r.fields[format.targetIndex] ?? ''));
    if (!idPairs) return `Markdown at line ${markdown + 1}: '${lines[markdown].trim().slice(0, 40)}', and lines that are not id pairs`;
  }

  // Prose: the first data lines disagree on the number of columns, or most of the sample does.
  if (records.length >= 3 && columns(records[1]) !== columns(first) && columns(records[2]) !== columns(first)) {
    const [a, b, c] = records;
    return `lines ${a.line}, ${b.line} and ${c.line} have ${columns(a)}, ${columns(b)} and ${columns(c)} columns: text, not id pairs?`;
  }
  if (records.length >= 4 && differ.length * 2 > records.length && new Set(differ.map(columns)).size >= 2) {
    return `${differ.length} of the first ${records.length} data lines have another number of columns than line ${first.line} (${columns(first)}): text, not id pairs?`;
  }
  return null;
}
