import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, wholeNumber, wrongType } from './arbitraries';
import { listProblems, nonFiniteNumbers, series, someDuration, sometimesMissing } from './arbitraries-planning';
import { fuzzTest } from './harness';
import { LoadForecaster } from '../../src';

const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      history: series(1e6, 1, 24 * 40, LoadForecaster.MAX_HISTORY + 1),
      interval: someDuration([Duration.hours(1), Duration.minutes(15), Duration.minutes(1), Duration.minutes(30), Duration.days(1)]),
      horizon: orWrong(fc.oneof(wholeNumber(1, 500), fc.constantFrom(LoadForecaster.MAX_HORIZON, LoadForecaster.MAX_HORIZON + 1, 1e8, 2 ** 32))),
      startTime: optional(fc.oneof(fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01') }),
        fc.constantFrom(new Date(NaN), new Date(8.64e15), new Date(-8.64e15)))),
      timeZone: optional(fc.constantFrom('America/New_York', 'Etc/UTC', 'Asia/Kolkata', 'Mars/Olympus', '', 'utc', 'europe/berlin')),
    }), ['history', 'interval', 'horizon']),
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
    ];
  });
});
