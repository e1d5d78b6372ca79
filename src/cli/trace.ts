import * as fs from 'fs';
import {
  CliError,
  MAX_INTERVAL_SECONDS, MAX_REQUESTS_PER_ROW, MAX_TRACE_BYTES, MAX_TRACE_DAYS, MAX_TRACE_ROWS, MIN_INTERVAL_SECONDS, traceEmpty, traceFields,
  traceGap, traceHeader, traceInterval, traceNotAfter, traceRequests, traceSpan, traceTimestamp, traceTooLarge, traceTooLong, traceTooShort,
  traceUneven, traceUnreadable,
} from './messages';

/** A load trace: requests counted per interval, one row per interval, none missing. */
export interface Trace {
  /** The file (or name) it was read from, as given. */
  readonly file: string;
  /** The first row's timestamp, in milliseconds since the epoch (read once; everything after computes with it). */
  readonly startMs: number;
  /** The length of one interval, in seconds. */
  readonly intervalSeconds: number;
  /** Requests counted in each interval, oldest first. */
  readonly requests: number[];
}

/** ISO 8601 with a designator: without Z or an offset, Date.parse reads local time and the trace would shift by machine. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
/** A plain decimal number: Number() would also take '', '0x1F' and 'Infinity'. */
const DECIMAL = /^\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Reads a `timestamp,requests` CSV file. Throws a `CliError` naming the file (as `name`, e.g. the path the user typed)
 * and the line of the first bad row.
 */
export function readTrace(file: string, name: string = file): Trace {
  let text: string;
  try {
    const bytes = fs.statSync(file).size;
    if (bytes > MAX_TRACE_BYTES) throw traceTooLarge(name, bytes);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw traceUnreadable(name, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message);
  }
  return parseTrace(text, name);
}

/**
 * Parses a CSV with a header that names a `timestamp` and a `requests` column (other columns are ignored): ISO 8601
 * timestamps with Z or an offset, each row one interval after the previous one (the interval is that of the first two
 * rows: whole seconds from 1 s to a day), requests a number from 0 to 1e12. Blank lines are skipped. At most
 * MAX_TRACE_ROWS rows spanning at most MAX_TRACE_DAYS days.
 */
export function parseTrace(text: string, file: string): Trace {
  const lines = text.split(/\r?\n/);
  if (text.length > MAX_TRACE_BYTES) throw traceTooLarge(file, text.length);
  if (lines.length > MAX_TRACE_ROWS + 1) {
    // Count first: a trace past the bound is rejected before any row is parsed.
    let rows = -1;
    for (let i = 0; i < lines.length; i++) if (lines[i].trim() !== '' && ++rows > MAX_TRACE_ROWS) throw traceTooLong(file, i + 1);
  }
  let at = 0;
  while (at < lines.length && lines[at].trim() === '') at++;
  if (at === lines.length) throw traceEmpty(file);
  const header = splitRow(lines[at]).map(h => h.toLowerCase());
  const tsCol = header.indexOf('timestamp');
  const reqCol = header.indexOf('requests');
  const once = (name: string) => header.indexOf(name) >= 0 && header.indexOf(name) === header.lastIndexOf(name);
  if (!once('timestamp') || !once('requests')) throw traceHeader(file, at + 1, lines[at]);

  const requests: number[] = [];
  let previous = '';
  let startMs = 0;
  let previousMs = 0;
  let intervalMs = 0;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    if (requests.length >= MAX_TRACE_ROWS) throw traceTooLong(file, lineNo);
    const fields = splitRow(line);
    if (fields.length !== header.length) throw traceFields(file, lineNo, header.length, fields.length, line);
    const time = fields[tsCol];
    const ms = ISO_TIME.test(time) ? Date.parse(time) : NaN;
    if (Number.isNaN(ms)) throw traceTimestamp(file, lineNo, time);
    const count = fields[reqCol];
    if (!DECIMAL.test(count) || !(Number(count) <= MAX_REQUESTS_PER_ROW)) throw traceRequests(file, lineNo, count);
    const n = requests.length;
    if (n > 0) {
      const delta = ms - previousMs;
      if (delta <= 0) throw traceNotAfter(file, lineNo, time, previous);
      if (n === 1) {
        if (delta % 1000 !== 0 || delta < MIN_INTERVAL_SECONDS * 1000 || delta > MAX_INTERVAL_SECONDS * 1000) {
          throw traceInterval(file, lineNo, time, delta / 1000);
        }
        intervalMs = delta;
      } else if (delta !== intervalMs) {
        if (delta % intervalMs === 0) throw traceGap(file, lineNo, time, previous, intervalMs / 1000, delta / intervalMs);
        throw traceUneven(file, lineNo, time, previous, delta / 1000, intervalMs / 1000);
      }
      if (ms - startMs > MAX_TRACE_DAYS * 86_400_000) throw traceSpan(file, lineNo, time);
    } else {
      startMs = ms;
    }
    previousMs = ms;
    previous = time;
    requests.push(Number(count));
  }
  if (requests.length < 2) throw traceTooShort(file, requests.length);
  return { file, startMs, intervalSeconds: intervalMs / 1000, requests };
}

function splitRow(line: string): string[] {
  return line.split(',').map(f => f.trim().replace(/^"(.*)"$/, '$1'));
}
