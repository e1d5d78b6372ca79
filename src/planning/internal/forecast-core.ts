/**
 * Numeric core of `LoadForecaster`: a robust multiplicative seasonal model,
 * value(t) = level x dayOfWeek[day(t)] x timeOfDay[slot(t)], every factor a median so one spike or gap barely moves it.
 */

/** Days of history the seasonal factors are estimated from (the most recent ones): four weeks, so old regimes fade. */
export const PROFILE_DAYS = 28;
/** Complete days needed before a day-of-week cycle is learned: two of each weekday. */
export const WEEKLY_MIN_DAYS = 14;
/** Day-long windows (ending at the last value) whose median sets the level; within a window the level is the median of value / profile. */
export const LEVEL_DAYS = 1;

/** Slots of a shorter interval pool their neighbours within this many minutes when the time-of-day shape is estimated. */
export const SHAPE_WINDOW_MINUTES = 60;

/** What the core returns. */
export interface ForecastResult {
  readonly values: number[];
  readonly method: string;
}

/** Median of a non-empty list (the list is sorted in place). */
export function median(xs: number[]): number {
  xs.sort((a, b) => a - b);
  const mid = Math.floor(xs.length / 2);
  return xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

/** Scales positive factors to mean 1; all-zero or empty factors become 1. */
function normalize(factors: number[]): number[] {
  const mean = factors.reduce((a, b) => a + b, 0) / factors.length;
  return mean > 0 ? factors.map(f => f / mean) : factors.map(() => 1);
}

/**
 * Forecasts `horizon` values after `history`.
 * @param history one value per interval, zeros included (they are real data)
 * @param slotsPerDay intervals in a day (24 for hourly data)
 * @param phase intervals from Monday 00:00 UTC (or from the start of a day/week chosen by the caller) to history[0]
 * @param horizon values to forecast
 */
export function forecastSeasonal(history: number[], slotsPerDay: number, phase: number, horizon: number): ForecastResult {
  const p = slotsPerDay;
  const n = history.length;
  const week = 7 * p;
  const off = ((phase % week) + week) % week;
  // Absolute day d covers history indices [d*p - off, (d+1)*p - off); keep the complete ones.
  const lastDay = Math.floor((n + off) / p) - 1;
  const firstDay = Math.max(Math.ceil(off / p), lastDay - PROFILE_DAYS + 1);
  const days: number[] = [];
  for (let d = firstDay; d <= lastDay; d++) days.push(d);
  const start = (d: number): number => d * p - off;
  const dayMean = days.map(d => {
    let s = 0;
    for (let i = 0; i < p; i++) s += history[start(d) + i];
    return s / p;
  });

  // Time-of-day shape: per slot, the median share of its day (days with no traffic say nothing about shape).
  let timeOfDay = new Array<number>(p).fill(1);
  const active = days.map((_, j) => j).filter(j => dayMean[j] > 0);
  if (active.length > 0) {
    // Intervals shorter than SHAPE_WINDOW_MINUTES pool their neighbours (wrapping round midnight): a one-minute slot
    // seen on a few weeks of days is mostly counting noise.
    const w = Math.floor(Math.max(0, SHAPE_WINDOW_MINUTES / (1440 / p) - 1) / 2);
    timeOfDay = normalize(timeOfDay.map((_, s) => {
      const shares: number[] = [];
      for (const j of active) {
        for (let k = s - w; k <= s + w; k++) shares.push(history[start(days[j]) + ((k + p) % p)] / dayMean[j]);
      }
      return median(shares);
    }));
  }

  // A day's level is the median of its values over the time-of-day shape, so a few spiking hours barely move it.
  // Slots whose shape is zero (always quiet) say nothing about level; a day with no other slot has level 0.
  const ratiosOf = (from: number, to: number, shape: (i: number) => number, scale: number): number[] => {
    const out: number[] = [];
    for (let i = from; i < to; i++) {
      const expected = shape(i) * scale;
      if (expected > 0) out.push(history[i] / expected);
    }
    return out;
  };
  const atSlot = (d: number) => (i: number): number => timeOfDay[i - start(d)];
  const dayLevel = days.map(d => {
    const r = ratiosOf(start(d), start(d) + p, atSlot(d), 1);
    return r.length > 0 ? median(r) : 0;
  });

  // Day-of-week factor: per weekday, the median over its values of value / (time-of-day x median day level of its week).
  let dayOfWeek = new Array<number>(7).fill(1);
  const weekly = days.length >= WEEKLY_MIN_DAYS;
  if (weekly) {
    const ratios: number[][] = [[], [], [], [], [], [], []];
    days.forEach((d, j) => {
      const lo = Math.min(Math.max(0, j - 3), days.length - 7);
      const around = median(dayLevel.slice(lo, lo + 7));
      if (around > 0) ratios[d % 7].push(...ratiosOf(start(d), start(d) + p, atSlot(d), around));
    });
    dayOfWeek = normalize(ratios.map(r => (r.length > 0 ? median(r) : 1)));
  }

  const profile = (i: number): number => {
    const abs = i + off;
    return dayOfWeek[Math.floor(abs / p) % 7] * timeOfDay[abs % p];
  };

  // Level: median over the last day-long windows of actual / profile, so the forecast follows the current level.
  const levels: number[] = [];
  for (let k = 0; k < LEVEL_DAYS; k++) {
    const end = n - k * p;
    const begin = Math.max(0, end - p);
    if (end <= 0 || (k > 0 && end - begin < p)) break;
    const ratios = ratiosOf(begin, end, profile, 1);
    levels.push(ratios.length > 0 ? median(ratios) : 0);
  }
  const level = median(levels);

  const values: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const v = level * profile(n + h);
    values.push(Number.isFinite(v) && v > 0 ? v : 0); // subnormal or overflowing inputs must not leak NaN
  }
  const shape = weekly ? 'day-of-week x time-of-day' : active.length > 0 ? 'time-of-day' : 'flat';
  const method = `seasonal naive (${shape} medians over the last ${days.length} complete days)`
    + ` scaled by the median level of the last ${levels.length} day(s)`;
  return { values, method };
}
