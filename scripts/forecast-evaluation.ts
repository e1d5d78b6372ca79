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
  const e = LoadForecaster.evaluate({ history: values, interval, startTime, timeZone });
  return [
    `${path.basename(file)}: ${values.length} intervals of ${intervalMinutes} min from ${startTime.toISOString().replace('.000Z', 'Z')}; `
      + `rolling next-day WAPE over ${Math.floor((values.length - first) / day)} days from day 15`,
    ...rows.map(([name, wape]) => `  ${(wape * 100).toFixed(1).padStart(5)}%  ${name}`),
    `  LoadForecaster.evaluate (startTime, ${timeZone}): ratio to the best baseline ${e.ratio.toFixed(2)} (goal: at most 0.85)`,
  ].join('\n');
}

/** Park-Miller "minimal standard" generator: seeded, portable. */
export function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** The structure a synthetic trace is built with. */
export interface SyntheticTraceOptions {
  /** Seed of the noise, spikes and gaps. */
  readonly seed: number;
  /** Days of hourly values. @default 56 */
  readonly days?: number;
  /** Level of Saturday and Sunday relative to weekdays (their shape also peaks later and flatter). @default 1 */
  readonly weekendLevel?: number;
  /** Growth of the level per day, e.g. 0.02. @default 0 */
  readonly growthPerDay?: number;
  /** Events: this many random days get a few hours at 3-6x the usual load. @default 0 */
  readonly spikes?: number;
  /** This many random days (after the first week) have no load at all (a gap in the data). @default 0 */
  readonly missingDays?: number;
  /** Relative standard deviation of the multiplicative noise of each hour. @default 0.1 */
  readonly noise?: number;
}

/** A synthetic trace with a name: what it is built from. */
export interface SyntheticTrace extends Trace {
  readonly name: string;
}

/**
 * A seeded hourly trace with a known structure, from Monday 6 January 2025 00:00 UTC: a weekday shape (morning and
 * afternoon peaks), a weekend shape (one later, flatter peak) at `weekendLevel`, a growth per day, event spikes,
 * missing days and multiplicative noise. The forecaster is judged on these, not on the development trace.
 */
export function syntheticTrace(name: string, o: SyntheticTraceOptions): SyntheticTrace {
  const rnd = lehmer(o.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const days = o.days ?? 56;
  const bump = (h: number, at: number, width: number): number => Math.exp(-0.5 * ((h - at) / width) ** 2);
  const weekday = (h: number): number => 0.15 + bump(h, 10, 2) + 0.8 * bump(h, 15, 2.5) + 0.3 * bump(h, 20, 1.5);
  const weekend = (h: number): number => 0.2 + 0.9 * bump(h, 14, 4);
  const values: number[] = [];
  for (let d = 0; d < days; d++) {
    const isWeekend = d % 7 >= 5;
    const level = 1000 * (1 + (o.growthPerDay ?? 0)) ** d * (isWeekend ? (o.weekendLevel ?? 1) : 1);
    for (let h = 0; h < 24; h++) {
      const v = level * (isWeekend ? weekend(h) : weekday(h)) * Math.max(0.05, 1 + (o.noise ?? 0.1) * gauss());
      values.push(Math.round(v));
    }
  }
  for (let s = 0; s < (o.spikes ?? 0); s++) {
    const at = Math.floor(rnd() * (values.length - 6));
    const factor = 3 + 3 * rnd();
    const hours = 2 + Math.floor(rnd() * 4);
    for (let i = at; i < at + hours; i++) values[i] = Math.round(values[i] * factor);
  }
  for (let m = 0; m < (o.missingDays ?? 0); m++) {
    const d = 7 + Math.floor(rnd() * (days - 7));
    for (let h = 0; h < 24; h++) values[d * 24 + h] = 0;
  }
  return { name, startMs: Date.UTC(2025, 0, 6), intervalMinutes: 60, values };
}

/** The synthetic traces the forecaster is judged on (tests and `forecast:error`), each with a known structure. */
export function syntheticTraces(): SyntheticTrace[] {
  return [
    syntheticTrace('weekend drop (weekends at 40%, own shape), 10% noise', { seed: 1, weekendLevel: 0.4 }),
    syntheticTrace('2%/day growth, weekends at 60%', { seed: 2, weekendLevel: 0.6, growthPerDay: 0.02 }),
    syntheticTrace('event spikes (8 events of 2-5 h at 3-6x), weekends at 50%', { seed: 3, weekendLevel: 0.5, spikes: 8 }),
    syntheticTrace('missing days (4 days of zeros), weekends at 50%', { seed: 4, weekendLevel: 0.5, missingDays: 4 }),
    syntheticTrace('weekends of the same level, their own shape, 20% noise', { seed: 5, noise: 0.2 }),
    syntheticTrace('all at once: weekends at 50%, 2%/day growth, 6 spikes, 3 missing days, 15% noise',
      { seed: 6, weekendLevel: 0.5, growthPerDay: 0.02, spikes: 6, missingDays: 3, noise: 0.15 }),
  ];
}

/** Reactive scaling alone against reactive scaling with PredictiveScaling's windows, replayed on one trace. */
export interface PredictiveCost {
  readonly name: string;
  /** Cost per million requests served, reactive alone and with the windows (USD, at 1 USD per replica-hour). */
  readonly reactiveUsdPerMillion: number;
  readonly predictiveUsdPerMillion: number;
  /** Unserved fraction of the load, reactive alone and with the windows. */
  readonly reactiveUnserved: number;
  readonly predictiveUnserved: number;
  /** Plans that used the forecast, of the plans made (the others had no windows: the backtest said it did not help). */
  readonly plansUsed: number;
  readonly plans: number;
}

/**
 * Replays an hourly trace (scaled so its mean is 40 requests per second, held for each 5-minute step of the hour)
 * through AutoscalerSimulator: a model at 10 requests per second per replica, target 0.7, 5 minutes to ready, 1 to 100
 * replicas, at 1 USD per replica-hour; once reactive alone, once with PredictiveScaling's windows re-planned daily from
 * day 14 as the report command does.
 */
export function predictiveCost(trace: SyntheticTrace, timeZone = 'Etc/UTC', quantile?: number): PredictiveCost {
  // Imported here so forecast:error's plain figures do not need the simulator.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AutoscalerSimulator } = require('../src/planning/autoscaler-simulator') as typeof import('../src/planning/autoscaler-simulator');
  const { PredictiveScaling } = require('../src/planning/predictive-scaling') as typeof import('../src/planning/predictive-scaling');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const stepsPerHour = 12;
  const mean = trace.values.reduce((a, b) => a + b, 0) / trace.values.length;
  const hourly = trace.values.map(v => (40 * v) / mean);
  const load: number[] = [];
  hourly.forEach(v => { for (let i = 0; i < stepsPerHour; i++) load.push(v); });
  const model = {
    capacityPerReplica: 10,
    targetUtilization: 0.7,
    minReplicas: 1,
    maxReplicas: 100,
    timeToReady: Duration.minutes(5),
    priceUsdPerHour: 1,
  };
  const scheduled = new Array<number>(load.length).fill(0);
  let plans = 0;
  let plansUsed = 0;
  for (let day = 14; day * 24 < hourly.length; day++) {
    const plan = PredictiveScaling.plan({
      history: hourly.slice(0, day * 24),
      interval: Duration.hours(1),
      startTime: new Date(trace.startMs),
      timeZone,
      capacityPerReplica: 10,
      targetUtilization: 0.7,
      minReplicas: 1,
      maxReplicas: 100,
      days: 1,
      quantile,
    });
    plans++;
    if (plan.forecastUsed) plansUsed++;
    for (let i = day * 24 * stepsPerHour; i < Math.min(load.length, (day + 1) * 24 * stepsPerHour); i++) {
      scheduled[i] = plan.replicasAt(new Date(trace.startMs + i * 300_000));
    }
  }
  const from = 14 * 24 * stepsPerHour;
  const step = Duration.minutes(5);
  const run = (schedule?: number[]) => AutoscalerSimulator.run({ ...model, load, step, scheduledReplicas: schedule });
  const reactive = run();
  const predictive = run(scheduled);
  // Judged from day 14 on (before it, both are the same reactive run).
  const judged = (r: typeof reactive) => {
    let replicaSteps = 0;
    for (let i = from; i < load.length; i++) replicaSteps += r.replicas[i];
    const total = load.slice(from).reduce((a, b) => a + b, 0);
    // unserved per step is not in the result: the unserved fraction of the whole run, and served load of the judged part.
    return { usd: replicaSteps / stepsPerHour, served: total * 300 * (1 - r.unservedFraction) };
  };
  const a = judged(reactive);
  const b = judged(predictive);
  return {
    name: trace.name,
    reactiveUsdPerMillion: (a.usd / a.served) * 1e6,
    predictiveUsdPerMillion: (b.usd / b.served) * 1e6,
    reactiveUnserved: reactive.unservedFraction,
    predictiveUnserved: predictive.unservedFraction,
    plansUsed,
    plans,
  };
}

/** The event-driven trace of `forecast:error`'s PredictiveScaling replay: growth and spikes, weekends of the same level. */
export function eventDrivenTrace(): SyntheticTrace {
  return syntheticTrace('event-driven: 3%/day growth, 12 spikes, 25% noise, weekends of the same level',
    { seed: 7, growthPerDay: 0.03, spikes: 12, noise: 0.25 });
}

/** `LoadForecaster.evaluate` on each synthetic trace, one line each: the model, the baselines, the ratio. */
export function syntheticReport(): string {
  const lines = ['Synthetic hourly traces (56 days from Monday 2025-01-06 UTC, seeded; scripts/forecast-evaluation.ts), '
    + 'rolling next-day WAPE over the 42 days from day 15 (LoadForecaster.evaluate):',
  '  model  yesterday  last week  ratio  trace'];
  for (const t of syntheticTraces()) {
    const e = LoadForecaster.evaluate({ history: t.values, interval: Duration.minutes(t.intervalMinutes), startTime: new Date(t.startMs) });
    const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(6);
    lines.push(`  ${pct(e.modelWape)}  ${pct(e.sameIntervalYesterdayWape).padStart(9)}  ${pct(e.sameIntervalLastWeekWape).padStart(9)}  `
      + `${e.ratio.toFixed(2).padStart(5)}  ${t.name}`);
  }
  return lines.join('\n');
}

/** `predictiveCost` on the synthetic traces and the event-driven one, one line each. */
export function predictiveCostReport(): string {
  const lines = ['PredictiveScaling replayed (AutoscalerSimulator, 5-min steps, mean 40 rps, 10 rps per replica at 0.7, 5 min to ready, '
    + 're-planned daily from day 14; judged from day 15):',
  '  USD/M reactive  with windows  change  unserved reactive (whole run)  with windows  plans used  trace'];
  for (const t of [...syntheticTraces(), eventDrivenTrace()]) {
    const c = predictiveCost(t);
    const change = c.predictiveUsdPerMillion / c.reactiveUsdPerMillion - 1;
    lines.push(`  ${c.reactiveUsdPerMillion.toFixed(2).padStart(14)}  ${c.predictiveUsdPerMillion.toFixed(2).padStart(12)}  `
      + `${`${change >= 0 ? '+' : ''}${(100 * change).toFixed(1)}%`.padStart(6)}  ${`${(100 * c.reactiveUnserved).toFixed(2)}%`.padStart(28)}  `
      + `${`${(100 * c.predictiveUnserved).toFixed(2)}%`.padStart(12)}  ${`${c.plansUsed}/${c.plans}`.padStart(10)}  ${t.name}`);
  }
  return lines.join('\n');
}
