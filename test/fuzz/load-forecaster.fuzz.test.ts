import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { listProblems, mostly, nonFiniteNumbers, series, someDuration, sometimesMissing } from './arbitraries-planning';
import { fuzzTest, numberProblems } from './harness';
import { LoadForecaster } from '../../src';

/** Instants on whole minutes (what the forecaster accepts), and some that are not or are not Dates. */
const startTime = mostly(
  fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01') }).map(d => new Date(Math.floor(d.getTime() / 60000) * 60000)),
  fc.oneof(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01') }),
    fc.constantFrom(new Date(NaN), new Date(8.64e15), new Date(-8.64e15), new Date('2025-03-03T00:00:30Z'))), 4);

const seriesProps = {
  history: series(1e6, 1, 24 * 40, LoadForecaster.MAX_HISTORY + 1),
  interval: someDuration([Duration.hours(1), Duration.minutes(15), Duration.minutes(1), Duration.minutes(30), Duration.days(1)]),
  startTime: optional(startTime),
  timeZone: optional(fc.constantFrom('America/New_York', 'Etc/UTC', 'Asia/Kolkata', 'Mars/Olympus', '', 'utc', 'europe/berlin')),
};

const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      ...seriesProps,
      horizon: orWrong(fc.oneof(wholeNumber(1, 500), fc.constantFrom(LoadForecaster.MAX_HORIZON, LoadForecaster.MAX_HORIZON + 1, 1e8, 2 ** 32))),
      quantiles: mostly(fc.constantFrom(undefined, [0.5, 0.9], [0.1]),
        optional(fc.array(orWrong(realNumber(0.01, 0.99), 30), { maxLength: 10 }))),
    }), ['history', 'interval', 'horizon']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

/** A daily curve of 1 to 30 days, hourly: long enough to backtest from 8 days on. */
const dailyHistory = fc.tuple(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 300, noNaN: true }), fc.integer({ min: 0, max: 1000 }))
  .map(([days, peak, seed]) => Array.from({ length: days * 24 }, (_, i) => Math.max(0,
    peak * Math.sin(Math.PI * (i % 24) / 24) + ((seed * (i + 7)) % 13))));

const evaluateProps = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      ...seriesProps,
      history: mostly(dailyHistory, series(1e6, 1, 24 * 40, LoadForecaster.MAX_HISTORY + 1), 3),
      interval: mostly(fc.constant(Duration.hours(1)), seriesProps.interval, 3),
    }), ['history', 'interval']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

describe('LoadForecaster', () => {
  fuzzTest('LoadForecaster.forecast', props, (p) => {
    const result = LoadForecaster.forecast(p);
    return [
      ...nonFiniteNumbers(result),
      ...listProblems('values', result.values, p.horizon, { min: 0 }),
      ...(typeof result.method === 'string' && result.method !== '' ? [] : ['method is empty']),
      ...(result.quantiles.length === (p.quantiles ?? []).length ? [] : ['quantiles: not one per quantile asked for']),
      ...result.quantiles.flatMap((q, i) => listProblems(`quantiles[${i}].values`, q.values, p.horizon, { min: 0 })),
    ];
  });

  fuzzTest('LoadForecaster.evaluate', evaluateProps, (p) => {
    const e = LoadForecaster.evaluate(p);
    return [
      ...nonFiniteNumbers(e),
      ...numberProblems('days', e.days, { min: 1, max: LoadForecaster.MAX_EVALUATION_DAYS }),
      ...numberProblems('modelWape', e.modelWape, { min: 0 }),
      ...numberProblems('bestBaselineWape', e.bestBaselineWape, { min: 0 }),
      ...numberProblems('ratio', e.ratio, { min: 0 }),
      ...(e.bestBaselineWape === Math.min(e.sameIntervalYesterdayWape, e.sameIntervalLastWeekWape) ? [] : ['bestBaselineWape is not the lower']),
    ];
  });
});
