/**
 * How LoadForecaster is judged: rolling next-day error on a real trace, against the baselines a team would
 * otherwise use. Shared by `scripts/forecast-error.ts` (prints the figures the README quotes) and the tests.
 */
import * as path from 'path';
import { Duration } from 'cdk8s';
import { readTrace } from '../src/cli/trace';
import { LoadForecaster } from '../src/planning/load-forecaster';

/** A load trace: one value per interval from `startMs` on. */
export interface Trace {
  /** Start of values[0], in milliseconds since the epoch. */
  readonly startMs: number;
  readonly intervalMinutes: number;
  readonly values: number[];
}

/** Reads a `timestamp,requests` CSV (ISO 8601 timestamps, one row per interval, no gaps), as the report command does. */
export function readTraceCsv(file: string): Trace {
  const trace = readTrace(file);
  return { startMs: trace.startMs, intervalMinutes: trace.intervalSeconds / 60, values: trace.requests };
}

/**
 * Weighted absolute percentage error of rolling next-block forecasts: for each complete block of `block` values
 * from index `first` on, forecast it from everything before it; sum of absolute errors over sum of actuals.
 */
export function rollingWape(series: number[], first: number, block: number, forecast: (history: number[]) => number[]): number {
  let err = 0;
  let actual = 0;
  for (let b = first; b + block <= series.length; b += block) {
    const f = forecast(series.slice(0, b));
    for (let i = 0; i < block; i++) {
      err += Math.abs(f[i] - series[b + i]);
      actual += series[b + i];
    }
  }
  return err / actual;
}

/**
 * The design document's model: least squares on hour of day and day of week as plain numbers and a linear trend.
 * `slotsPerDay` intervals make a day; `phase` is the interval index of history[0] within its week.
 */
export function linearBaseline(history: number[], horizon: number, slotsPerDay: number, phase: number): number[] {
  const row = (t: number): number[] => [1, (t + phase) % slotsPerDay, Math.floor((t + phase) / slotsPerDay) % 7, t];
  const k = 4;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  history.forEach((y, t) => {
    const x = row(t);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i][j] += x[i] * x[j];
      a[i][k] += x[i] * y;
    }
  });
  for (let c = 0; c < k; c++) { // Gauss-Jordan elimination with partial pivoting
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
    }
  }
  const beta = a.map((r, i) => r[k] / r[i]);
  return Array.from({ length: horizon }, (_, h) => row(history.length + h).reduce((s, x, i) => s + x * beta[i], 0));
}

/** Seasonal naive: each value repeats the one `season` intervals earlier (yesterday, or the same day last week). */
export function seasonalNaive(history: number[], horizon: number, season: number): number[] {
  return Array.from({ length: horizon }, (_, h) => history[history.length - season + (h % season)]);
}

/**
 * The rolling next-day WAPE of LoadForecaster and the baselines on a trace, one line each, from day 15 on.
 * `timeZone` is the zone of the trace's users, whose midnight separates the days.
 */
export function forecastErrorReport(file: string, timeZone: string): string {
  const { intervalMinutes, startMs, values } = readTraceCsv(file);
  const day = 1440 / intervalMinutes;
  const first = 14 * day;
  const weekPhase = Math.round((startMs - Date.UTC(1970, 0, 5)) / (intervalMinutes * 60000)) % (7 * day);
  const interval = Duration.minutes(intervalMinutes);
  const startTime = new Date(startMs);
  const rows: Array<[string, number]> = [
    ['LoadForecaster (days from the start of the history)', rollingWape(values, first, day,
      h => LoadForecaster.forecast({ history: h, interval, horizon: day }).values)],
    [`LoadForecaster (startTime, days in ${timeZone})`, rollingWape(values, first, day,
      h => LoadForecaster.forecast({ history: h, interval, horizon: day, startTime, timeZone }).values)],
    ['LoadForecaster (startTime, days in UTC)', rollingWape(values, first, day,
      h => LoadForecaster.forecast({ history: h, interval, horizon: day, startTime }).values)],
    ['seasonal naive: same interval yesterday', rollingWape(values, first, day, h => seasonalNaive(h, day, day))],
    ['seasonal naive: same interval last week', rollingWape(values, first, day, h => seasonalNaive(h, day, 7 * day))],
    ["design document's linear regression", rollingWape(values, first, day, h => linearBaseline(h, day, day, weekPhase))],
  ];
  return [
    `${path.basename(file)}: ${values.length} intervals of ${intervalMinutes} min from ${startTime.toISOString().replace('.000Z', 'Z')}; `
      + `rolling next-day WAPE over ${Math.floor((values.length - first) / day)} days from day 15`,
    ...rows.map(([name, wape]) => `  ${(wape * 100).toFixed(1).padStart(5)}%  ${name}`),
  ].join('\n');
}
