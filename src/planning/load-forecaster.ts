import { Duration } from 'cdk8s';
import { backtest, evaluation, floorScale, forecastSeasonal, LEVEL_DAYS, PROFILE_DAYS, quantileScale, WEEKLY_MIN_DAYS } from './internal/forecast-core';
import { FORECAST_FIXES, invalidForecastProp, LOAD_FORECASTER } from './internal/forecast-messages';
import { instantShown, isInstant, offsetAt, zoneFormatter } from '../common/time-zones';
import { checkList, checkNumber, checkString, checkStruct, checkWhole } from '../common/validate';

const MS_PER_DAY = 86_400_000;

/** Input of `LoadForecaster.forecast`. */
export interface ForecastProps {
  /**
   * Observed load, one value per interval, oldest first (e.g. requests per hour). Zeros are real quiet intervals,
   * not missing data. At most `LoadForecaster.MAX_HISTORY` (1,000,000) values; only the last 28 days are used.
   */
  readonly history: number[];
  /**
   * Length of one interval; must divide a day into whole intervals, e.g. `Duration.hours(1)` for hourly counts. At least
   * `LoadForecaster.MIN_INTERVAL` (1 minute) and at most a day.
   */
  readonly interval: Duration;
  /** Number of intervals to forecast after the end of the history: 1 to `LoadForecaster.MAX_HORIZON` (100,000). */
  readonly horizon: number;
  /**
   * The instant at which history[0] starts, on a whole minute. Days then start at local midnight in `timeZone` and
   * the weekly cycle is aligned to calendar weekdays (Monday 00:00 local time). A Date is an instant: parse text
   * with its zone (`new Date('2025-03-03T00:00:00Z')` or `...T00:00:00+01:00`); `new Date('2025-03-03T00:00:00')`
   * reads the machine's zone, and the forecast would then depend on the machine.
   * @default - history[0] is taken as the start of a day and of a week: the daily and weekly cycles are learned
   * relative to the start of the history (start it at local midnight for the best day boundaries)
   */
  readonly startTime?: Date;
  /**
   * IANA time zone whose midnight separates the days (with `startTime`), e.g. `America/New_York`. Choose the zone
   * of the service's users: a day cut in the middle of their evening splits one busy period over two days. The
   * zone's UTC offset at the end of the history is used for the whole history, so across a daylight-saving change
   * earlier days are off by the change (one hour).
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * Quantiles to forecast besides the point forecast, each from 0.01 to 0.99 (e.g. [0.5, 0.9]), at most 9: each is
   * the point forecast scaled by that quantile of actual / forecast over a backtest of the last (up to)
   * `LoadForecaster.QUANTILE_BACKTEST_DAYS` days (each forecast from the history before it), weighted by the
   * forecast. Plan capacity at a chosen quantile with them (0.9: about one interval in ten above it).
   * @default - no quantiles: `quantiles` of the result is empty
   */
  readonly quantiles?: number[];
}

/** One quantile of a forecast. */
export interface ForecastQuantile {
  /** The quantile, e.g. 0.9. */
  readonly quantile: number;
  /** The forecast at that quantile, one value per interval after the history, never negative; `horizon` values. */
  readonly values: number[];
}

/** Input of `LoadForecaster.evaluate`: the series, as `forecast` takes it. */
export interface ForecastEvaluationProps {
  /** Observed load, one value per interval, oldest first, as `ForecastProps.history`; at least 8 days. */
  readonly history: number[];
  /** Length of one interval, as `ForecastProps.interval`. */
  readonly interval: Duration;
  /**
   * The instant at which history[0] starts, as `ForecastProps.startTime`.
   * @default - days and weeks from the start of the history
   */
  readonly startTime?: Date;
  /**
   * IANA time zone whose midnight separates the days, as `ForecastProps.timeZone`.
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
}

/**
 * The rolling next-day backtest of `LoadForecaster` on a history, against the seasonal-naive baselines.
 * WAPE: the weighted absolute percentage error, sum of absolute errors over sum of actual load.
 */
export interface ForecastEvaluation {
  /** Days forecast (each from everything before it): from day 15 (day 8 for a history of 8 to 14 days), at most the last 91. */
  readonly days: number;
  /** The forecaster's WAPE, e.g. 0.12 for 12%. */
  readonly modelWape: number;
  /** The WAPE of repeating the same interval of the day before. */
  readonly sameIntervalYesterdayWape: number;
  /** The WAPE of repeating the same interval a week before. */
  readonly sameIntervalLastWeekWape: number;
  /** The lower of the two baselines' WAPE. */
  readonly bestBaselineWape: number;
  /** The better baseline: 'same interval yesterday' or 'same interval last week'. */
  readonly bestBaseline: string;
  /** modelWape / bestBaselineWape (1 when both are 0): below 1 the forecaster helps, the goal is at most 0.85. */
  readonly ratio: number;
  /**
   * Whether the forecaster's WAPE is at most the best baseline's (or at most 2%, on a history so regular that the
   * baselines repeat it exactly): forecasting helps on this traffic.
   */
  readonly modelWins: boolean;
  /** The figures as one line, e.g. for a log. */
  readonly summary: string;
}

/** Output of `LoadForecaster.forecast`. */
export interface Forecast {
  /** The forecast, one value per interval after the history, never negative; `horizon` values. */
  readonly values: number[];
  /** A short description of the model that produced the values. */
  readonly method: string;
  /** The quantiles asked for (`ForecastProps.quantiles`), in that order; empty when none were. */
  readonly quantiles: ForecastQuantile[];
}

/**
 * Forecasts load from its own history: a robust seasonal profile per day type, scaled by a trended level.
 *
 * Use it to plan capacity ahead of a daily/weekly cycle (predictive scaling), instead of a straight line fitted
 * on hour and weekday numbers, which cannot represent a cycle. The model is
 * value = level(day) x day-of-week factor x time-of-day shape of the day's type. From the last 28 complete days:
 * the time-of-day shape is learned separately for each day type (once 14 days are available, the weekdays whose
 * factors split with a jump of 1.2x or more, e.g. weekends, get their own shape; else Saturday and Sunday do when
 * their shape differs from the other days' by more than twice its noise); the day-of-week factors are
 * medians of each day's level over its centred weekly mean, shrunk toward 1 by their noise; the level follows a
 * damped trend (Holt's method on the logs of the deseasonalised daily levels, its innovations clipped, its
 * smoothing chosen by its one-day-ahead error on the history). Each day's level is a median over its intervals, so
 * a spike of a few hours barely moves it; days with no load (gaps, outages) are skipped. Intervals shorter than
 * an hour pool their neighbours within the hour for the shape. Give `startTime` and the users' `timeZone` so that
 * days split at their midnight.
 *
 * Before relying on it, run `LoadForecaster.evaluate` on your own trace: it backtests the model against repeating
 * yesterday and last week. `npx projen forecast:error` prints these figures on the development trace and on
 * synthetic traces (weekend drop, growth, spikes, missing days); see the README's "Load forecasting".
 *
 * @see https://otexts.com/fpp3/decomposition.html
 * @example
 * const lastTwoDays = [12, 9, 8, 8, 10, 20, 45, 70, 80, 85, 90, 88, 86, 84, 80, 75, 70, 60, 50, 40, 30, 22, 16, 13,
 *   11, 9, 8, 9, 11, 21, 47, 72, 83, 86, 92, 90, 87, 85, 82, 76, 71, 62, 51, 41, 31, 23, 17, 14];
 * const nextDay = LoadForecaster.forecast({ history: lastTwoDays, interval: Duration.hours(1), horizon: 24 }).values;
 */
export class LoadForecaster {
  /** Days of history the seasonal factors are estimated from. */
  public static readonly PROFILE_DAYS = PROFILE_DAYS;
  /** Complete days of history needed before a weekly cycle is learned. */
  public static readonly WEEKLY_MIN_DAYS = WEEKLY_MIN_DAYS;
  /** Day-long windows at the end of the history whose median sets the current level. */
  public static readonly LEVEL_DAYS = LEVEL_DAYS;
  /** The most intervals `horizon` may ask for: 100,000 (69 days of 1-minute intervals, 11 years of hourly ones). */
  public static readonly MAX_HORIZON = 100_000;
  /** The most values `history` may hold: 1,000,000 (almost 2 years of 1-minute intervals, 114 years of hourly ones). */
  public static readonly MAX_HISTORY = 1_000_000;
  /**
   * The shortest `interval`: 1 minute. The time-of-day factor pools the slots of an hour, so its work grows with the
   * square of the slots per hour: at 1 second, 28 days would take minutes.
   */
  public static readonly MIN_INTERVAL: Duration = Duration.minutes(1);
  /** Days at the end of the history backtested for `quantiles`: 7. */
  public static readonly QUANTILE_BACKTEST_DAYS = 7;
  /** The most days `evaluate` forecasts (the last ones): 91 (13 weeks). */
  public static readonly MAX_EVALUATION_DAYS = 91;

  /** Forecasts `horizon` intervals after the history. Throws for invalid props. */
  public static forecast(props: ForecastProps): Forecast {
    checkStruct(LOAD_FORECASTER, 'props', props, 'give an object such as { history: [3, 5, 4], interval: Duration.hours(1), horizon: 24 }');
    const { history, horizon } = props;
    checkWhole(LOAD_FORECASTER, 'horizon', horizon, { min: 1, max: LoadForecaster.MAX_HORIZON }, FORECAST_FIXES.horizon);
    const series = checkSeries(props, horizon);
    const quantiles: number[] = [];
    if (props.quantiles !== undefined) {
      checkList(LOAD_FORECASTER, 'quantiles', props.quantiles, { max: 9 }, FORECAST_FIXES.quantiles);
      props.quantiles.forEach((q, i) => quantiles.push(
        checkNumber(LOAD_FORECASTER, `quantiles[${i}]`, q, { min: 0.01, max: 0.99, what: 'a quantile' }, FORECAST_FIXES.quantiles)));
    }
    const result = forecastSeasonal(history, series.slotsPerDay, series.phase, horizon);
    const scales = quantiles.length > 0
      ? quantileScale(history, series.slotsPerDay, series.phase, LoadForecaster.QUANTILE_BACKTEST_DAYS, quantiles)
      : [];
    return {
      values: result.values,
      method: result.method,
      quantiles: quantiles.map((quantile, i) => ({ quantile, values: result.values.map(v => v * scales[i]) })),
    };
  }

  /**
   * Backtests the forecaster on a history: for each day from day 15 on (from day 8 for 8 to 14 days; at most the
   * last 91), forecast the day from everything before it, and compare with repeating the same interval yesterday
   * and last week. Run it on your own traffic before planning from forecasts. Throws for invalid props, for fewer
   * than 8 days of history and for a history with no load in the days forecast.
   */
  public static evaluate(props: ForecastEvaluationProps): ForecastEvaluation {
    checkStruct(LOAD_FORECASTER, 'props', props, 'give an object such as { history, interval: Duration.hours(1) }');
    const series = checkSeries(props, 0);
    const p = series.slotsPerDay;
    if (props.history.length < 8 * p) {
      invalidForecastProp('history', `${props.history.length} values`, `must hold at least 8 days (${8 * p} values) to backtest against last week`);
    }
    const e = evaluation(backtest(props.history, p, series.phase, LoadForecaster.MAX_EVALUATION_DAYS));
    if (e === undefined) {
      return invalidForecastProp('history', `${props.history.length} values`, 'has no load in the days forecast: there is nothing to evaluate');
    }
    return e;
  }

  /**
   * The factor of the point forecast at which a floor exceeds the load by at most `budget` of it on the last `days`
   * days of the history (checked by PredictiveScaling).
   * @internal
   */
  public static _floorScaleChecked(history: number[], interval: Duration, startTime: Date, timeZone: string, days: number, budget: number): number {
    const series = checkSeries({ history, interval, startTime, timeZone }, 0);
    return floorScale(history, series.slotsPerDay, series.phase, days, budget);
  }

  /**
   * The backtest of a history `PredictiveScaling` plans from (checked by it): over at most the last `maxDays` days;
   * undefined for fewer than 8 days or no load in the days forecast.
   * @internal
   */
  public static _evaluateChecked(history: number[], interval: Duration, startTime: Date, timeZone: string,
    maxDays: number): ForecastEvaluation | undefined {
    const series = checkSeries({ history, interval, startTime, timeZone }, 0);
    if (history.length < 8 * series.slotsPerDay) return undefined;
    return evaluation(backtest(history, series.slotsPerDay, series.phase, maxDays));
  }

  private constructor() {}
}

/** The series props `forecast` and `evaluate` share, checked: intervals in a day and the phase of history[0] in its week. */
function checkSeries(props: ForecastEvaluationProps, horizon: number): { slotsPerDay: number; phase: number } {
  const { history, interval, startTime, timeZone } = props;
  checkList(LOAD_FORECASTER, 'history', history, { min: 1, max: LoadForecaster.MAX_HISTORY }, FORECAST_FIXES.history);
  for (let i = 0; i < history.length; i++) {
    const v = history[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      invalidForecastProp(`history[${i}]`, v, 'must be a finite number of 0 or more');
    }
  }
  if (!(interval instanceof Duration)) invalidForecastProp('interval', interval, 'must be a Duration');
  const intervalMs = interval.toMilliseconds({ integral: false });
  const slotsPerDay = MS_PER_DAY / intervalMs;
  if (!(intervalMs > 0) || !Number.isInteger(slotsPerDay)) {
    invalidForecastProp('interval', `${intervalMs / 1000}s`, 'must be above zero and divide a day into whole intervals');
  }
  const minMs = LoadForecaster.MIN_INTERVAL.toMilliseconds();
  if (intervalMs < minMs) invalidForecastProp('interval', `${intervalMs / 1000}s`, `must be at least ${minMs / 1000}s (1 minute)`);
  if (timeZone !== undefined) checkString(LOAD_FORECASTER, 'timeZone', timeZone, FORECAST_FIXES.timeZone, 256);
  let phase = 0;
  if (timeZone !== undefined && startTime === undefined) {
    invalidForecastProp('timeZone', timeZone, 'needs startTime: without it the history has no calendar position');
  }
  if (startTime !== undefined) {
    if (!isInstant(startTime)) invalidForecastProp('startTime', instantShown(startTime), 'must be a valid Date');
    const ms = startTime.getTime();
    // As PredictiveScaling: an instant off the minute is most often text read in a machine's odd historical zone.
    if (ms % 60000 !== 0) invalidForecastProp('startTime', instantShown(startTime), 'is not on a whole minute');
    if (!isInstant(new Date(ms + (history.length + horizon) * intervalMs))) {
      invalidForecastProp('startTime', instantShown(startTime), 'puts the end of the forecast past the last instant a Date holds (year 275760)');
    }
    const offsetMs = utcOffsetMinutes(timeZone ?? 'Etc/UTC', ms + history.length * intervalMs) * 60000;
    const monday = Date.UTC(1970, 0, 5); // the first Monday 00:00 of the epoch
    phase = Math.round((ms + offsetMs - monday) / intervalMs);
  }
  return { slotsPerDay, phase };
}

/** The UTC offset of an IANA zone at an instant, in minutes (e.g. -240 for New York in July). */
function utcOffsetMinutes(timeZone: string, atMs: number): number {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = zoneFormatter(timeZone);
  } catch (e) {
    return invalidForecastProp('timeZone', timeZone, 'is not an IANA time zone');
  }
  return offsetAt(fmt, atMs);
}
