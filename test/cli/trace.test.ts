import { HAVE_TRACES, HOURLY_TRACE, MINUTE_TRACE, TRACES_MISSING } from './fixtures';
import { parseTrace, readTrace } from '../../src/cli/trace';
import { testIf } from '../skip';

const maybe = testIf(HAVE_TRACES, TRACES_MISSING);
const FORMAT = 'give a header line timestamp,requests and one row per interval, e.g. 1995-07-01T04:00:00Z,42';

describe('reading a trace', () => {
  test('reads timestamps, the interval and the counts', () => {
    const trace = parseTrace('timestamp,requests\n2025-03-03T00:00:00Z,5\n2025-03-03T00:01:00Z,7\n2025-03-03T00:02:00Z,0\n', 't.csv');
    expect(trace).toEqual({
      file: 't.csv', startMs: Date.parse('2025-03-03T00:00:00Z'), intervalSeconds: 60, requests: [5, 7, 0],
    });
  });

  test('takes CRLF, blank lines, quoted fields, other columns and offsets', () => {
    const trace = parseTrace('\r\nhost,"requests",timestamp\r\na,1,2025-03-03T01:00:00+01:00\r\nb,2.5,2025-03-03T00:15:00Z\r\n\r\n', 't.csv');
    expect(trace.requests).toEqual([1, 2.5]);
    expect(trace.intervalSeconds).toBe(900);
    expect(trace.startMs).toBe(Date.parse('2025-03-03T00:00:00Z'));
  });

  maybe('reads the development traces: 661 hours and 39,660 minutes, the hourly file the sum of the minutes', () => {
    const hourly = readTrace(HOURLY_TRACE);
    const minutes = readTrace(MINUTE_TRACE);
    expect([hourly.requests.length, hourly.intervalSeconds]).toEqual([661, 3600]);
    expect([minutes.requests.length, minutes.intervalSeconds]).toEqual([39660, 60]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(minutes.requests)).toBe(sum(hourly.requests));
  });

  test('fails for an empty file', () => {
    expect(() => parseTrace('\n\n', 't.csv')).toThrow(
      `[report --trace t.csv] 'header' ("") is missing, the trace is empty: ${FORMAT}`);
  });

  test('fails for a header without the two columns', () => {
    expect(() => parseTrace('time,count\n2025-03-03T00:00:00Z,1\n', 't.csv')).toThrow(
      `[report --trace t.csv line 1] 'header' ("time,count") does not name the columns timestamp and requests once each: ${FORMAT}`);
  });

  test('fails for a single row: no interval', () => {
    expect(() => parseTrace('timestamp,requests\n2025-03-03T00:00:00Z,1\n', 't.csv')).toThrow(
      `[report --trace t.csv] 'rows' (1) are fewer than two after the header, and the interval needs two: ${FORMAT}`);
  });

  test('fails for a row with a missing field', () => {
    expect(() => parseTrace('timestamp,requests\n2025-03-03T00:00:00Z,1\n2025-03-03T00:01:00Z\n', 't.csv')).toThrow(
      '[report --trace t.csv line 3] \'row\' ("2025-03-03T00:01:00Z") has 1 field where the header has 2: give one value per column, separated by commas');
  });

  test('fails for a timestamp without a zone', () => {
    expect(() => parseTrace('timestamp,requests\n2025-03-03T00:00:00,1\n', 't.csv')).toThrow(
      '[report --trace t.csv line 2] \'timestamp\' ("2025-03-03T00:00:00") is not an ISO 8601 time with Z or an offset: write e.g. 1995-07-01T04:00:00Z');
  });

  test.each(['', '-3', 'abc', '0x10', 'Infinity', 'NaN', '1e309', '1000000000001'])('fails for requests %p', value => {
    expect(() => parseTrace(`timestamp,requests\n2025-03-03T00:00:00Z,1\n2025-03-03T00:01:00Z,${value}\n`, 't.csv')).toThrow(
      `[report --trace t.csv line 3] 'requests' (${JSON.stringify(value)}) is not a number from 0 to 1e+12: give the count of requests in the interval, e.g. 42`);
  });

  test('fails for a row that is not after the previous one', () => {
    expect(() => parseTrace('timestamp,requests\n2025-03-03T00:01:00Z,1\n2025-03-03T00:01:00Z,2\n', 't.csv')).toThrow(
      '[report --trace t.csv line 3] \'timestamp\' ("2025-03-03T00:01:00Z") is not after the previous row\'s (2025-03-03T00:01:00Z): '
      + 'sort the rows by time and keep one row per interval');
  });

  test('fails for a gap, counting the missing rows', () => {
    const csv = 'timestamp,requests\n2025-03-03T00:00:00Z,1\n2025-03-03T00:01:00Z,1\n2025-03-03T00:04:00Z,1\n';
    expect(() => parseTrace(csv, 't.csv')).toThrow(
      '[report --trace t.csv line 4] \'timestamp\' ("2025-03-03T00:04:00Z") is 3 intervals of 60 s after the previous row\'s (2025-03-03T00:01:00Z), '
      + 'a gap of 2 missing rows: write a row with 0 requests for each interval without traffic');
  });

  test('fails for an uneven interval', () => {
    const csv = 'timestamp,requests\n2025-03-03T00:00:00Z,1\n2025-03-03T00:01:00Z,1\n2025-03-03T00:02:30Z,1\n';
    expect(() => parseTrace(csv, 't.csv')).toThrow(
      '[report --trace t.csv line 4] \'timestamp\' ("2025-03-03T00:02:30Z") is 90 s after the previous row\'s (2025-03-03T00:01:00Z), but the '
      + "trace's interval (its first two rows) is 60 s: every row must start one interval after the previous one");
  });

  test('fails for a file that cannot be read, naming it as given', () => {
    expect(() => readTrace('/nonexistent/x.csv', 'x.csv')).toThrow(`[report] '--trace' ("x.csv") cannot be read (no such file): give the path of a CSV file of ${FORMAT.slice(5)}`);
  });
});
