/**
 * Prints LoadForecaster's rolling next-day error on a trace, next to the baselines.
 *
 * Usage: `npx projen forecast:error [trace.csv] [IANA time zone]`
 * (default: ../shared/traces/nasa_ksc_1995-07_1h.csv and America/New_York, the zone of the NASA KSC users).
 * Method: for each complete day from day 15 on, fit on everything before it and forecast the day; the error is
 * the weighted absolute percentage error (WAPE: sum of absolute errors / sum of actuals).
 */
import * as path from 'path';
import { linearBaseline, readTraceCsv, rollingWape, seasonalNaive } from './forecast-evaluation';
import { LoadForecaster } from '../src/planning/load-forecaster';

const file = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'traces', 'nasa_ksc_1995-07_1h.csv');
const timeZone = process.argv[3] ?? 'America/New_York';
const trace = readTraceCsv(file);
const { intervalMinutes, startTime, values } = trace;
const day = 1440 / intervalMinutes;
const first = 14 * day;
const weekPhase = Math.round((Date.parse(startTime) - Date.UTC(1970, 0, 5)) / (intervalMinutes * 60000)) % (7 * day);

const rows: Array<[string, number]> = [
  ['LoadForecaster (days from the start of the history)', rollingWape(values, first, day,
    h => LoadForecaster.forecast({ history: h, intervalMinutes, horizon: day }).values)],
  [`LoadForecaster (startTime, days in ${timeZone})`, rollingWape(values, first, day,
    h => LoadForecaster.forecast({ history: h, intervalMinutes, horizon: day, startTime, timeZone }).values)],
  ['LoadForecaster (startTime, days in UTC)', rollingWape(values, first, day,
    h => LoadForecaster.forecast({ history: h, intervalMinutes, horizon: day, startTime }).values)],
  ['seasonal naive: same interval yesterday', rollingWape(values, first, day, h => seasonalNaive(h, day, day))],
  ['seasonal naive: same interval last week', rollingWape(values, first, day, h => seasonalNaive(h, day, 7 * day))],
  ["design document's linear regression", rollingWape(values, first, day, h => linearBaseline(h, day, day, weekPhase))],
];

console.log(`${path.basename(file)}: ${values.length} intervals of ${intervalMinutes} min from ${startTime}; `
  + `rolling next-day WAPE over ${Math.floor((values.length - first) / day)} days from day 15`);
for (const [name, wape] of rows) console.log(`  ${(wape * 100).toFixed(1).padStart(5)}%  ${name}`);
