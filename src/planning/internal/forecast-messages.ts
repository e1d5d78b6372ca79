import { invalidProp } from '../../common/errors';

/** Every error text `LoadForecaster` throws, in one module so the wording stays uniform. */
export const LOAD_FORECASTER = 'LoadForecaster';

/** The fix for each prop the forecaster checks. */
export const FORECAST_FIXES = {
  history: 'give at least one value per interval, each a finite number of 0 or more (zeros are real quiet intervals), at most 1000000 values',
  interval: 'give the interval length as a Duration that divides a day evenly, e.g. Duration.minutes(15) or Duration.hours(1)',
  horizon: 'give the number of intervals to forecast as a whole number from 1 to 100000, e.g. 24',
  startTime: 'give the instant of history[0] as a Date on a whole minute, parsed with its zone (e.g. new Date("1995-07-01T04:00:00Z")), or leave it unset',
  quantiles: 'give at most 9 quantiles, each from 0.01 to 0.99, e.g. [0.5, 0.9], or leave it unset',
  timeZone: 'give an IANA time zone such as "America/New_York" together with startTime, or leave it unset for UTC',
} as const;

/** Throws for a bad prop of the forecaster. */
export function invalidForecastProp(prop: keyof typeof FORECAST_FIXES | string, value: unknown, problem: string): never {
  const key = (prop.startsWith('history') ? 'history' : prop.startsWith('quantiles') ? 'quantiles' : prop) as keyof typeof FORECAST_FIXES;
  return invalidProp(LOAD_FORECASTER, prop, value, problem, FORECAST_FIXES[key]);
}
