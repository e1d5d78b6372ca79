import { execFileSync } from 'child_process';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { eventDrivenTrace, predictiveCost, rollingWape, seasonalNaive, syntheticTrace, syntheticTraces } from '../../scripts/forecast-evaluation';
import { LoadForecaster } from '../../src/planning/load-forecaster';
import { PredictiveScaling } from '../../src/planning/predictive-scaling';

const HOUR = Duration.hours(1);
const DAY = 24;

describe('LoadForecaster on synthetic traces of known structure (issue 15: at most 0.85x the best seasonal-naive baseline)', () => {
  for (const trace of syntheticTraces()) {
    test(trace.name, () => {
      const startTime = new Date(trace.startMs);
      const model = rollingWape(trace.values, 14 * DAY, DAY,
        h => LoadForecaster.forecast({ history: h, interval: HOUR, horizon: DAY, startTime }).values);
      const yesterday = rollingWape(trace.values, 14 * DAY, DAY, h => seasonalNaive(h, DAY, DAY));
      const lastWeek = rollingWape(trace.values, 14 * DAY, DAY, h => seasonalNaive(h, DAY, 7 * DAY));
      expect(model).toBeLessThanOrEqual(0.85 * Math.min(yesterday, lastWeek));
      // evaluate() runs the same protocol and reports the same figures.
      const e = LoadForecaster.evaluate({ history: trace.values, interval: HOUR, startTime });
      expect(e.modelWape).toBeCloseTo(model, 12);
      expect(e.sameIntervalYesterdayWape).toBeCloseTo(yesterday, 12);
      expect(e.sameIntervalLastWeekWape).toBeCloseTo(lastWeek, 12);
      expect(e.ratio).toBeLessThanOrEqual(0.85);
      expect(e.modelWins).toBe(true);
      expect(e.days).toBe(42);
    });
  }

  test('without startTime (days and weeks from the start of the history) the goal holds as well', () => {
    for (const trace of syntheticTraces()) {
      expect(LoadForecaster.evaluate({ history: trace.values, interval: HOUR }).ratio).toBeLessThanOrEqual(0.85);
    }
  });

  test('the goal holds on other seeds of each structure too (three more each)', () => {
    const kinds = [
      { weekendLevel: 0.4 }, { weekendLevel: 0.6, growthPerDay: 0.02 }, { weekendLevel: 0.5, spikes: 8 }, { weekendLevel: 0.5, missingDays: 4 },
      { noise: 0.2 }, { weekendLevel: 0.5, growthPerDay: 0.02, spikes: 6, missingDays: 3, noise: 0.15 },
    ];
    kinds.forEach((kind, k) => {
      for (const seed of [201, 202, 203]) {
        const t = syntheticTrace(`kind ${k}`, { seed, ...kind });
        const e = LoadForecaster.evaluate({ history: t.values, interval: HOUR, startTime: new Date(t.startMs) });
        expect({ kind: k, seed, ok: e.ratio <= 0.85 }).toEqual({ kind: k, seed, ok: true });
      }
    });
  });

  test('learns a weekend shape of its own at the same level', () => {
    const trace = syntheticTrace('same-level weekend', { seed: 13, noise: 0.05 });
    const f = LoadForecaster.forecast({ history: trace.values.slice(0, 33 * DAY), interval: HOUR, horizon: DAY, startTime: new Date(trace.startMs) });
    expect(f.method).toContain('weekend and weekday shapes');
    const actual = trace.values.slice(33 * DAY, 34 * DAY);
    const err = f.values.reduce((a, v, i) => a + Math.abs(v - actual[i]), 0) / actual.reduce((a, b) => a + b, 0);
    expect(err).toBeLessThan(0.06);
  });

  test('learns a weekend of its own: Saturday forecast at the weekend level and shape', () => {
    const trace = syntheticTrace('weekend', { seed: 11, weekendLevel: 0.4, noise: 0 });
    // 5 weeks of history ending on Friday night; forecast Saturday.
    const history = trace.values.slice(0, 33 * DAY);
    const f = LoadForecaster.forecast({ history, interval: HOUR, horizon: DAY, startTime: new Date(trace.startMs) });
    const actual = trace.values.slice(33 * DAY, 34 * DAY);
    const err = f.values.reduce((a, v, i) => a + Math.abs(v - actual[i]), 0) / actual.reduce((a, b) => a + b, 0);
    expect(err).toBeLessThan(0.02);
    expect(f.method).toContain('two day types');
  });

  test('follows 2%/day growth: the next day forecast within 3% of its level', () => {
    const trace = syntheticTrace('growth', { seed: 12, growthPerDay: 0.02, noise: 0.02 });
    const history = trace.values.slice(0, 42 * DAY);
    const f = LoadForecaster.forecast({ history, interval: HOUR, horizon: DAY, startTime: new Date(trace.startMs) }).values;
    const actual = trace.values.slice(42 * DAY, 43 * DAY);
    const ratio = f.reduce((a, b) => a + b, 0) / actual.reduce((a, b) => a + b, 0);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.03);
  });

  test('quantiles: P90 above P50, and about 90% of the next days\' load at or below P90', () => {
    const trace = syntheticTraces()[0];
    let below = 0;
    let count = 0;
    for (let d = 28; d < 56; d++) {
      const f = LoadForecaster.forecast({ history: trace.values.slice(0, d * DAY), interval: HOUR, horizon: DAY, quantiles: [0.5, 0.9] });
      expect(f.quantiles.map(q => q.quantile)).toEqual([0.5, 0.9]);
      f.quantiles[1].values.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(f.quantiles[0].values[i]);
        if (trace.values[d * DAY + i] <= v) below++;
        count++;
      });
    }
    expect(below / count).toBeGreaterThan(0.8);
    expect(below / count).toBeLessThan(0.97);
  });

  test('no quantiles asked: an empty list', () => {
    expect(LoadForecaster.forecast({ history: [1, 2, 3], interval: HOUR, horizon: 2 }).quantiles).toEqual([]);
  });

  test('fails on a quantile outside 0.01 to 0.99, and on more than 9', () => {
    expect(() => LoadForecaster.forecast({ history: [1], interval: HOUR, horizon: 1, quantiles: [1] })).toThrow(
      "[LoadForecaster] 'quantiles[0]' (1) must be a quantile at least 0.01 and at most 0.99: give at most 9 quantiles");
    expect(() => LoadForecaster.forecast({ history: [1], interval: HOUR, horizon: 1, quantiles: new Array(10).fill(0.5) })).toThrow(
      "[LoadForecaster] 'quantiles'");
  });

  test('evaluate fails on less than 8 days and on a history with no load', () => {
    expect(() => LoadForecaster.evaluate({ history: new Array(7 * DAY).fill(1), interval: HOUR })).toThrow(
      "[LoadForecaster] 'history' (\"168 values\") must hold at least 8 days (192 values) to backtest against last week");
    expect(() => LoadForecaster.evaluate({ history: new Array(8 * DAY).fill(0), interval: HOUR })).toThrow(
      'has no load in the days forecast');
  });

  test('evaluate says when forecasting does not help (a week repeated exactly, with one odd day each week)', () => {
    // Each week identical, but Wednesday's shape is unlike any other day's: last week repeats it exactly.
    const week: number[] = [];
    for (let d = 0; d < 7; d++) for (let h = 0; h < DAY; h++) week.push(d === 2 ? (h < 12 ? 300 : 10) : 100 + 50 * Math.sin(h / 4));
    const history = ([] as number[]).concat(week, week, week, week);
    const e = LoadForecaster.evaluate({ history, interval: HOUR });
    expect(e.sameIntervalLastWeekWape).toBe(0);
    expect(e.bestBaseline).toBe('same interval last week');
    expect(e.modelWins).toBe(false);
    expect(e.summary).toContain('forecasting does not beat same interval last week');
    // PredictiveScaling then says so and adds no windows.
    const plan = PredictiveScaling.plan({ history, interval: HOUR, startTime: new Date('2025-03-03T00:00:00Z'), capacityPerReplica: 10 });
    expect(plan.forecastUsed).toBe(false);
    expect(plan.windows).toEqual([]);
    expect(plan.backtest?.modelWins).toBe(false);
    expect(plan.forecastMethod).toContain('not used: the backtest says');
  });

  test('PredictiveScaling plans from the quantile asked for: P90 windows hold at least the P50 ones', () => {
    const trace = syntheticTraces()[0];
    const props = {
      history: trace.values.slice(0, 35 * DAY), interval: HOUR, startTime: new Date(trace.startMs), capacityPerReplica: 100, maxTriggers: 1000,
    };
    const p50 = PredictiveScaling.plan({ ...props, quantile: 0.5 });
    const p90 = PredictiveScaling.plan({ ...props, quantile: 0.9 });
    expect(p90.forecastUsed).toBe(true);
    expect(p90.forecastMethod).toContain('at quantile 0.9');
    for (let h = 0; h < 7 * DAY; h++) {
      const at = new Date(trace.startMs + (35 * DAY + h) * 3600_000 + 1800_000);
      expect(p90.replicasAt(at)).toBeGreaterThanOrEqual(p50.replicasAt(at));
    }
    expect(() => PredictiveScaling.plan({ ...props, quantile: 0 })).toThrow("[PredictiveScaling] 'quantile' (0) must be a quantile");
  });
});

describe('PredictiveScaling replayed against reactive scaling alone (AutoscalerSimulator, re-planned daily)', () => {
  // Issue 15: never more than 2% per million served over reactive alone on a trace where it does not cut unserved load.
  // Three of the seven traces `forecast:error` replays (each takes 3-4 s): the plainest, the hardest, the event-driven one.
  const traces = syntheticTraces();
  for (const trace of [traces[0], traces[5], eventDrivenTrace()]) {
    test(trace.name, () => {
      const c = predictiveCost(trace);
      const change = c.predictiveUsdPerMillion / c.reactiveUsdPerMillion - 1;
      if (c.predictiveUnserved >= c.reactiveUnserved) expect(change).toBeLessThanOrEqual(0.02);
      // As measured (npx projen forecast:error): it cuts unserved load on each of these, at +0.6% to +1.3% per million
      // served, and +3.0% on the trace with three outage days (floors held through days of no load).
      expect(c.predictiveUnserved).toBeLessThan(c.reactiveUnserved);
      expect(change).toBeLessThanOrEqual(trace.name.includes('missing days') ? 0.035 : 0.02);
    });
  }
});

describe('startTime is an instant: forecasts do not depend on the machine\'s time zone', () => {
  test('fails on a startTime off the whole minute, as PredictiveScaling does', () => {
    expect(() => LoadForecaster.forecast({ history: [1], interval: HOUR, horizon: 1, startTime: new Date(Date.UTC(2025, 0, 6, 0, 0, 30)) }))
      .toThrow("[LoadForecaster] 'startTime' (\"2025-01-06T00:00:30.000Z\") is not on a whole minute");
  });

  test('the same forecast under TZ=Asia/Kolkata, America/New_York and UTC (a child process each)', () => {
    const script = path.join(__dirname, 'forecast-in-zone.ts');
    const run = (tz: string): string => execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', script],
      { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
    const utc = run('UTC');
    expect(run('Asia/Kolkata')).toBe(utc);
    expect(run('America/New_York')).toBe(utc);
  });
});
