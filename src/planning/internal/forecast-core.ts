/**
 * Numeric core of `LoadForecaster`: a robust multiplicative model,
 * value(t) = level(day) x dayOfWeek[weekday] x timeOfDay[dayType][slot],
 * where the time-of-day shape is learned separately for each day type (days whose level differs, e.g. weekends),
 * the day-of-week factors are medians of each day's level over its centred weekly (geometric) mean, and the level
 * follows a damped trend (Holt's method on the log of the deseasonalised daily levels, its innovations clipped so an
 * event day barely moves it; its smoothing chosen by the one-day-ahead error on the history itself). Every
 * daily level is a median over the day's intervals, so a spike of a few hours does not move it; days with no load
 * (gaps, outages) are skipped.
 */

/** Days of history the seasonal factors are estimated from (the most recent ones): four weeks, so old regimes fade. */
export const PROFILE_DAYS = 28;
/** Complete days needed before a day-of-week cycle is learned: two of each weekday. */
export const WEEKLY_MIN_DAYS = 14;
/** Day-long windows at the end of the history the level's trend is fitted on (the last PROFILE_DAYS complete days). */
export const LEVEL_DAYS = PROFILE_DAYS;

/** Slots of a shorter interval pool their neighbours within this many minutes when the time-of-day shape is estimated. */
export const SHAPE_WINDOW_MINUTES = 30;
/** Two day types are learned when the day-of-week factors split with a jump at least this ratio (e.g. weekends at 0.8x). */
export const DAY_TYPE_SPLIT = 1.2;
/** A day whose mean is below this fraction of the median day's is a gap (missing data, an outage): it is skipped. */
export const GAP_FRACTION = 0.001;
/** Holt innovations are clipped at this many robust standard deviations (of the day-to-day change). */
const CLIP_SIGMAS = 2.5;
/** Damping of the trend per day (Gardner and McKenzie's damped trend). */
const PHI = 0.9;
/** Smoothing grid (alpha for the level, beta for the trend; beta -1 means no trend). */
const ALPHAS = [0.2, 0.4, 0.6, 0.8, 1];
const BETAS = [-1, 0.05, 0.15, 0.3];

/** A model WAPE at or below this counts as a win over baselines that are better still (a near-exact history). */
export const NEAR_EXACT_WAPE = 0.02;

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

/** Mean of the middle half of a non-empty list (sorted in place): less noisy than the median, as robust to a few outliers. */
function midMean(xs: number[]): number {
  if (xs.length < 4) return median(xs);
  xs.sort((a, b) => a - b);
  const lo = Math.floor(xs.length / 4);
  const hi = xs.length - lo;
  let s = 0;
  for (let i = lo; i < hi; i++) s += xs[i];
  return s / (hi - lo);
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
  const positive = dayMean.filter(m => m > 0);
  const typical = positive.length > 0 ? median(positive.slice()) : 0;
  const valid = dayMean.map(m => m > 0 && m >= GAP_FRACTION * typical);
  let validIdx = days.map((_, j) => j).filter(j => valid[j]);

  if (validIdx.length === 0) {
    // No complete day with load: the median of the last day-long window, flat.
    const tail = history.slice(Math.max(0, n - p));
    const level = median(tail);
    const values = new Array<number>(horizon).fill(Number.isFinite(level) && level > 0 ? level : 0);
    return { values, method: `flat (the median of the last ${tail.length} value(s): no complete day with load)` };
  }

  // Intervals shorter than SHAPE_WINDOW_MINUTES pool their neighbours (wrapping round midnight): a one-minute slot
  // seen on a few weeks of days is mostly counting noise.
  const w = Math.floor(Math.max(0, SHAPE_WINDOW_MINUTES / (1440 / p) - 1) / 2);
  const shapeOf = (members: number[]): number[] => normalize(new Array<number>(p).fill(0).map((_, s) => {
    const shares: number[] = [];
    for (const j of members) {
      for (let k = s - w; k <= s + w; k++) shares.push(history[start(days[j]) + ((k + p) % p)] / dayMean[j]);
    }
    return members.length >= 4 ? midMean(shares) : median(shares);
  }));
  // A day's level is the median of its values over the shape, so a few spiking hours barely move it.
  const levelOf = (j: number, shape: number[]): number => {
    const r: number[] = [];
    for (let s = 0; s < p; s++) if (shape[s] > 0) r.push(history[start(days[j]) + s] / shape[s]);
    return r.length > 0 ? median(r) : 0;
  };

  // Pass 1: one shape for every day, each day's level, the day-of-week factors.
  let shapeAll = shapeOf(validIdx);
  // A day whose median level is 0 (most of its intervals without load, where others have some) is a gap too.
  const gaps = validIdx.filter(j => levelOf(j, shapeAll) === 0);
  if (gaps.length > 0 && gaps.length < validIdx.length) {
    gaps.forEach(j => { valid[j] = false; });
    validIdx = validIdx.filter(j => valid[j]);
    shapeAll = shapeOf(validIdx);
  }
  let dayLevel = days.map((_, j) => (valid[j] ? levelOf(j, shapeAll) : 0));
  const weekly = days.length >= WEEKLY_MIN_DAYS;
  let dayOfWeek = new Array<number>(7).fill(1);
  const factorsOf = (levels: number[]): number[] => {
    // A day's factor: its level over the geometric mean of the deseasonalised levels of the 7 days centred on it
    // (exact under steady growth); a gap in the week is left out, which the deseasonalising makes harmless. Three
    // rounds, each deseasonalising with the factors of the one before.
    let factors = new Array<number>(7).fill(1);
    for (let round = 0; round < 3; round++) {
      const ratios: number[][] = [[], [], [], [], [], [], []];
      for (let j = 3; j + 3 < days.length; j++) {
        if (!valid[j] || levels[j] <= 0) continue;
        let logSum = 0;
        let count = 0;
        for (let k = j - 3; k <= j + 3; k++) {
          if (valid[k] && levels[k] > 0) { logSum += Math.log(levels[k] / factors[days[k] % 7]); count++; }
        }
        if (count >= 4) ratios[days[j] % 7].push(levels[j] / Math.exp(logSum / count));
      }
      const raw = ratios.map(r => (r.length > 0 ? Math.log(median(r.slice())) : NaN));
      const known = raw.filter(f => Number.isFinite(f));
      if (known.length === 0) return factors;
      // Shrink each weekday's log factor toward the common one by its noise (pooled spread of the ratios over its
      // count), so a week without a weekly cycle does not learn one from noise.
      const spreads: number[] = [];
      ratios.forEach((r, k) => r.forEach(x => spreads.push(Math.abs(Math.log(x) - raw[k]))));
      const within = (1.4826 * median(spreads)) ** 2;
      const center = known.reduce((a, b) => a + b, 0) / known.length;
      const between = known.length > 1
        ? Math.max(0, known.reduce((a, f) => a + (f - center) ** 2, 0) / (known.length - 1)
          - within * known.reduce((a, _, i) => a + 1 / Math.max(1, ratios.filter(r => r.length > 0)[i].length), 0) / known.length)
        : 0;
      factors = normalize(raw.map((f, k) => {
        if (!Number.isFinite(f)) return Math.exp(center);
        const noise = within / ratios[k].length;
        const weight = between + noise > 0 ? between / (between + noise) : 1;
        return Math.exp(center + weight * (f - center));
      }));
    }
    return factors;
  };
  if (weekly && dayLevel.every((l, j) => !valid[j] || l > 0)) dayOfWeek = factorsOf(dayLevel);

  // Day types: the weekdays split at the largest jump between sorted factors, when it is large enough.
  const typeOf = new Array<number>(7).fill(0);
  const sorted = dayOfWeek.map((f, k) => ({ f, k })).sort((a, b) => a.f - b.f);
  let jump = 1;
  let at = -1;
  for (let i = 0; i + 1 < 7; i++) {
    const r = sorted[i].f > 0 ? sorted[i + 1].f / sorted[i].f : Infinity;
    if (r > jump) { jump = r; at = i; }
  }
  const levelSplit = weekly && jump >= DAY_TYPE_SPLIT;
  if (levelSplit) for (let i = 0; i <= at; i++) typeOf[sorted[i].k] = 1;
  // Days of the same level may still differ in shape (a weekend peaking later): without a level split, Saturday and
  // Sunday (of the calendar with startTime, else of the history's first week) get a shape of their own when it
  // differs from the other days' by more than twice its noise.
  const shapeSplit = weekly && !levelSplit && weekendShapeDiffers(validIdx.filter(j => days[j] % 7 >= 5),
    validIdx.filter(j => days[j] % 7 < 5), shapeOf, (j, s) => history[start(days[j]) + s] / dayMean[j], p);
  if (shapeSplit) for (const k of [5, 6]) typeOf[k] = 1;
  const split = levelSplit || shapeSplit;
  const shapes = [shapeAll, shapeAll];
  if (split) {
    for (const t of [0, 1]) {
      const members = validIdx.filter(j => typeOf[days[j] % 7] === t);
      if (members.length > 0) shapes[t] = shapeOf(members);
    }
    // Pass 2: levels over each day type's own shape, and the factors again.
    dayLevel = days.map((_, j) => (valid[j] ? levelOf(j, shapes[typeOf[days[j] % 7]]) : 0));
    if (dayLevel.every((l, j) => !valid[j] || l > 0)) dayOfWeek = factorsOf(dayLevel);
  }

  // The deseasonalised level of each valid day, in logs, and its damped trend.
  const series: Array<{ t: number; y: number }> = [];
  validIdx.forEach(j => {
    const l = dayLevel[j] / dayOfWeek[days[j] % 7];
    if (l > 0 && Number.isFinite(Math.log(l))) series.push({ t: days[j], y: Math.log(l) });
  });
  const trend = fitLevel(series);
  const lastT = series.length > 0 ? series[series.length - 1].t : lastDay;

  const values: number[] = [];
  for (let h = 0; h < horizon; h++) {
    const abs = n + h + off;
    const d = Math.floor(abs / p);
    const ahead = Math.max(1, d - lastT);
    const v = Math.exp(trend.at(ahead)) * dayOfWeek[d % 7] * shapes[typeOf[d % 7]][abs % p];
    values.push(Number.isFinite(v) && v > 0 ? v : 0); // subnormal or overflowing inputs must not leak NaN
  }
  const shape = levelSplit ? 'two day types x day-of-week x time-of-day' : shapeSplit ? 'weekend and weekday shapes x day-of-week x time-of-day' : weekly ? 'day-of-week x time-of-day' : 'time-of-day';
  const method = `robust seasonal (${shape}, from the last ${days.length} complete days`
    + `${validIdx.length < days.length ? `, ${days.length - validIdx.length} skipped as gaps` : ''})`
    + ` x ${trend.description}`;
  return { values, method };
}

/**
 * Whether two groups of days have time-of-day shapes that differ by more than twice the noise of their difference:
 * the mean absolute difference of the two shapes against 2 x 0.8 x the median (over slots) standard error of it,
 * each group's from the spread (MAD) of its days' shares at the slot.
 */
function weekendShapeDiffers(weekend: number[], weekday: number[], shapeOf: (members: number[]) => number[],
  share: (j: number, slot: number) => number, p: number): boolean {
  if (weekend.length < 2 || weekday.length < 2) return false;
  const a = shapeOf(weekend);
  const b = shapeOf(weekday);
  let diff = 0;
  for (let s = 0; s < p; s++) diff += Math.abs(a[s] - b[s]);
  diff /= p;
  const se: number[] = [];
  for (let s = 0; s < p; s++) {
    const v = [weekend, weekday].map(members => {
      const xs = members.map(j => share(j, s));
      const m = median(xs.slice());
      const mad = 1.4826 * median(xs.map(x => Math.abs(x - m)));
      return (mad * mad) / members.length;
    });
    se.push(Math.sqrt(v[0] + v[1]));
  }
  return diff > 2 * 0.8 * median(se);
}

/** phi + phi^2 + ... + phi^k: how far a damped trend carries in k days. */
function dampedSum(k: number): number {
  return (PHI * (1 - PHI ** k)) / (1 - PHI);
}

/** A fitted level: log level `ahead` days after the last observation. */
interface LevelFit {
  readonly description: string;
  at(ahead: number): number;
}

/**
 * Holt's damped trend on log levels (days may be missing: a gap of k days advances the state k steps), its
 * innovations clipped to CLIP_SIGMAS robust standard deviations; the smoothing (alpha, beta or no trend) is the one
 * whose one-day-ahead forecasts were closest over the series (mean absolute error after a week of burn-in).
 */
function fitLevel(series: Array<{ t: number; y: number }>): LevelFit {
  if (series.length === 0) return { at: () => -Infinity, description: 'no level' };
  if (series.length === 1) return { at: () => series[0].y, description: 'the level of the one day' };
  const diffs: number[] = [];
  for (let i = 1; i < series.length; i++) diffs.push(Math.abs(series[i].y - series[i - 1].y));
  const sigma = Math.max(1e-9, 1.4826 * median(diffs));
  const clip = CLIP_SIGMAS * sigma;
  const burn = Math.min(7, Math.floor(series.length / 2));
  let best = { err: Infinity, l: series[0].y, b: 0, alpha: 1, beta: -1 };
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      let l = series[0].y;
      let b = 0;
      let err = 0;
      for (let i = 1; i < series.length; i++) {
        const k = series[i].t - series[i - 1].t;
        const damp = dampedSum(k);
        const predicted = beta < 0 ? l : l + damp * b;
        const e = series[i].y - predicted;
        if (i >= burn) err += Math.abs(e);
        const c = Math.max(-clip, Math.min(clip, e));
        const newL = predicted + alpha * c;
        if (beta >= 0) b = (PHI ** k) * b + beta * alpha * c / Math.max(1, damp);
        l = newL;
      }
      if (err < best.err - 1e-12) best = { err, l, b, alpha, beta };
    }
  }
  const { l, b, alpha, beta } = best;
  return {
    at: (ahead: number) => {
      return beta < 0 ? l : l + dampedSum(ahead) * b;
    },
    description: beta < 0
      ? `a level smoothed over ${series.length} days (alpha ${alpha}, no trend)`
      : `a damped trend over ${series.length} days (alpha ${alpha}, beta ${beta}, phi ${PHI}, ${(100 * (Math.exp(b) - 1)).toFixed(1)}%/day now)`,
  };
}

/** Errors of a rolling next-day backtest, summed over its days. */
export interface Backtest {
  readonly days: number;
  readonly actual: number;
  readonly modelError: number;
  readonly yesterdayError: number;
  readonly lastWeekError: number;
}

/**
 * The rolling next-day backtest: day-long blocks from history[0], from block 14 on (block 7 for 8 to 14 blocks), at
 * most the last `maxDays`; each forecast from everything before it, and the baselines repeating the same interval
 * one day and one week before.
 */
export function backtest(history: number[], p: number, phase: number, maxDays: number): Backtest {
  const blocks = Math.floor(history.length / p);
  const first = Math.max(blocks >= 15 ? 14 : 7, blocks - maxDays);
  let actual = 0;
  let modelError = 0;
  let yesterdayError = 0;
  let lastWeekError = 0;
  for (let b = first; b < blocks; b++) {
    const at = b * p;
    const f = forecastSeasonal(history.slice(0, at), p, phase, p).values;
    for (let i = 0; i < p; i++) {
      const y = history[at + i];
      actual += y;
      modelError += Math.abs(f[i] - y);
      yesterdayError += Math.abs(history[at + i - p] - y);
      lastWeekError += Math.abs(history[at + i - 7 * p] - y);
    }
  }
  return { days: blocks - first, actual, modelError, yesterdayError, lastWeekError };
}

/**
 * For each quantile, the factor that scales the point forecast to it: that quantile of actual / forecast over the
 * last `days` day-long windows (each forecast from the history before it), weighted by the forecast. 1 when there is
 * no window to backtest (less than two days).
 */
export function quantileScale(history: number[], p: number, phase: number, days: number, quantiles: number[]): number[] {
  const pairs = backtestPairs(history, p, phase, days);
  if (pairs.length === 0) return quantiles.map(() => 1);
  pairs.sort((a, b) => a.r - b.r);
  const total = pairs.reduce((a, x) => a + x.w, 0);
  return quantiles.map(q => {
    let acc = 0;
    for (const x of pairs) {
      acc += x.w;
      if (acc >= q * total) return Number.isFinite(x.r) ? x.r : 1;
    }
    return pairs[pairs.length - 1].r;
  });
}

/** The figures of `LoadForecaster.evaluate` from a backtest (the shape of `ForecastEvaluation`); undefined with no load. */
export function evaluation(b: Backtest): {
  days: number;
  modelWape: number;
  sameIntervalYesterdayWape: number;
  sameIntervalLastWeekWape: number;
  bestBaselineWape: number;
  bestBaseline: string;
  ratio: number;
  modelWins: boolean;
  summary: string;
} | undefined {
  if (!(b.actual > 0) || !Number.isFinite(b.actual)) return undefined;
  const model = b.modelError / b.actual;
  const yesterday = b.yesterdayError / b.actual;
  const lastWeek = b.lastWeekError / b.actual;
  const best = Math.min(yesterday, lastWeek);
  const bestBaseline = lastWeek < yesterday ? 'same interval last week' : 'same interval yesterday';
  const ratio = best > 0 ? model / best : model > 0 ? Number.MAX_VALUE : 1;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  // A history so regular that the baselines repeat it exactly: a model within 2% WAPE of it helps as much.
  const modelWins = model <= best + 1e-9 || model <= NEAR_EXACT_WAPE;
  return {
    days: b.days,
    modelWape: model,
    sameIntervalYesterdayWape: yesterday,
    sameIntervalLastWeekWape: lastWeek,
    bestBaselineWape: best,
    bestBaseline,
    ratio,
    modelWins,
    summary: `rolling next-day WAPE over ${b.days} days: LoadForecaster ${pct(model)}, same interval yesterday ${pct(yesterday)}, `
      + `same interval last week ${pct(lastWeek)}; ratio to the best baseline ${ratio === Number.MAX_VALUE ? 'unbounded' : ratio.toFixed(2)}: `
      + (modelWins ? 'forecasting helps' : `forecasting does not beat ${bestBaseline}`),
  };
}

/** actual / forecast and the forecast, for each interval of the last `days` day-long windows, each forecast from the history before it. */
function backtestPairs(history: number[], p: number, phase: number, days: number): Array<{ r: number; w: number }> {
  const pairs: Array<{ r: number; w: number }> = [];
  const n = history.length;
  for (let k = Math.min(days, Math.floor(n / p) - 1); k >= 1; k--) {
    const at = n - k * p;
    const f = forecastSeasonal(history.slice(0, at), p, phase, p).values;
    for (let i = 0; i < p; i++) if (f[i] > 0) pairs.push({ r: history[at + i] / f[i], w: f[i] });
  }
  return pairs;
}

/**
 * The largest factor s (at most 1) such that a floor at s x the forecast would have exceeded the actual load, over the
 * last `days` day-long windows of the history (each forecast from the history before it), by at most `budget` of the
 * load: sum of max(0, s x forecast - actual) <= budget x sum of actual. 1 when there is nothing to backtest.
 */
export function floorScale(history: number[], p: number, phase: number, days: number, budget: number): number {
  const pairs = backtestPairs(history, p, phase, days);
  const load = pairs.reduce((a, x) => a + x.r * x.w, 0);
  if (pairs.length === 0 || !(load > 0)) return 1;
  const excess = (s: number): number => pairs.reduce((a, x) => a + Math.max(0, s * x.w - x.r * x.w), 0);
  if (excess(1) <= budget * load) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (excess(mid) <= budget * load) lo = mid; else hi = mid;
  }
  return lo;
}
