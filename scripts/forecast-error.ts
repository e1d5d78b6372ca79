/**
 * Prints LoadForecaster's rolling next-day error on a trace, next to the baselines.
 *
 * Usage: `npx projen forecast:error [trace.csv] [IANA time zone]`
 * (default: ../shared/traces/nasa_ksc_1995-07_1h.csv and America/New_York, the zone of the NASA KSC users).
 * Method: for each complete day from day 15 on, fit on everything before it and forecast the day; the error is
 * the weighted absolute percentage error (WAPE: sum of absolute errors / sum of actuals). Then the same on the synthetic
 * traces of known structure (weekend drop, growth, spikes, missing days), and PredictiveScaling replayed on them.
 */
import * as path from 'path';
import { forecastErrorReport, predictiveCostReport, syntheticReport } from './forecast-evaluation';

const file = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'traces', 'nasa_ksc_1995-07_1h.csv');
console.log(forecastErrorReport(file, process.argv[3] ?? 'America/New_York'));
console.log();
console.log(syntheticReport());
console.log();
console.log(predictiveCostReport());
