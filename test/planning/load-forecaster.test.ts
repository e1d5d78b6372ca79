import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { linearBaseline as linear, readTraceCsv, rollingWape as rolling } from '../../scripts/forecast-evaluation';
import { LoadForecaster } from '../../src/planning/load-forecaster';

const SHARED = process.env.CDK8S_ML_SCALING_SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared');
const TRACE = path.join(SHARED, 'traces', 'nasa_ksc_1995-07_1h.csv');

function readTrace(): number[] | undefined {
  if (!fs.existsSync(TRACE)) {
    if (process.env.CDK8S_ML_SCALING_REQUIRE_SCHEMAS) throw new Error(`${TRACE} not found: CI needs ../shared beside the project`);
    return undefined;
  }
  return readTraceCsv(TRACE).values;
}

/** Park-Miller generator: seeded, portable. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const linearBaseline = (history: number[], horizon: number, phase: number): number[] => linear(history, horizon, 24, phase);
const rollingWape = (series: number[], first: number, forecast: (history: number[]) => number[]): number => rolling(series, first, 24, forecast);
// 1995-07-01T04:00Z is a Saturday at midnight in Florida: interval 5 x 24 of its week.
const WEEK_PHASE = 5 * 24;

const HOUR = Duration.hours(1);
const ours = (history: number[]): number[] => LoadForecaster.forecast({ history, interval: HOUR, horizon: 24 }).values;

describe('on the NASA KSC July 1995 hourly trace', () => {
  const trace = readTrace();
  if (!trace) {
    test.skip(`the trace tests [skipped: ${TRACE} not found (the traces of ../shared)]`, () => undefined);
    return;
  }

  test('rolling next-day WAPE from day 15 is at most 20% and below the linear baseline', () => {
    const wape = rollingWape(trace, 336, ours);
    const baseline = rollingWape(trace, 336, h => linearBaseline(h, 24, WEEK_PHASE));
    console.log(`LoadForecaster WAPE ${(wape * 100).toFixed(1)}% vs linear baseline ${(baseline * 100).toFixed(1)}%`);
    expect(wape).toBeLessThanOrEqual(0.2);
    expect(wape).toBeLessThan(baseline);
  });

  test('with startTime and the users\' time zone, days are cut at local midnight: the same error', () => {
    const startTime = new Date('1995-07-01T04:00:00Z');
    const timeZone = 'America/New_York';
    const wape = rollingWape(trace, 336, h => LoadForecaster.forecast({ history: h, interval: HOUR, horizon: 24, startTime, timeZone }).values);
    expect(wape).toBeCloseTo(rollingWape(trace, 336, ours), 10);
  });

  test('with startTime in UTC (days cut at 8 pm local) still beats the linear baseline by far', () => {
    const startTime = new Date('1995-07-01T04:00:00Z');
    const wape = rollingWape(trace, 336, h => LoadForecaster.forecast({ history: h, interval: HOUR, horizon: 24, startTime }).values);
    console.log(`LoadForecaster WAPE with startTime, UTC days ${(wape * 100).toFixed(1)}%`);
    expect(wape).toBeLessThan(0.3);
  });

  test('is robust: the trace shifted by 3 days, scaled x5 with 10% noise', () => {
    const rnd = lehmer(7);
    const shifted = trace.slice(72).map(v => Math.round(v * 5 * (0.9 + 0.2 * rnd())));
    const wape = rollingWape(shifted, 336, ours);
    const baseline = rollingWape(shifted, 336, h => linearBaseline(h, 24, (WEEK_PHASE + 72) % 168));
    console.log(`shifted/scaled/noisy trace WAPE ${(wape * 100).toFixed(1)}% vs linear baseline ${(baseline * 100).toFixed(1)}%`);
    expect(wape).toBeLessThan(0.25);
    expect(wape).toBeLessThan(baseline);
  });

  test('describes its method', () => {
    expect(LoadForecaster.forecast({ history: trace, interval: HOUR, horizon: 24 }).method)
      .toMatch(/^robust seasonal \(two day types x day-of-week x time-of-day, from the last 27 complete days\) x /);
  });
});

describe('on a synthetic series with known cycles, noise, a flash crowd and a zero gap', () => {
  // 6 weeks of 15-minute data: daily sine (peak 3x trough), weekend at 0.5x, 5% noise, slow growth.
  const slots = 96;
  const rnd = lehmer(42);
  const truth = (t: number): number => {
    const day = Math.floor(t / slots) % 7;
    const daily = 2 + Math.sin((2 * Math.PI * (t % slots)) / slots);
    return 100 * (1 + t / (slots * 100)) * (day >= 5 ? 0.5 : 1) * daily;
  };
  const series = Array.from({ length: slots * 42 }, (_, t) => truth(t) * (0.95 + 0.1 * rnd()));
  for (let t = slots * 39 + 40; t < slots * 39 + 52; t++) series[t] *= 6; // flash crowd on day 40
  for (let t = slots * 40 + 10; t < slots * 40 + 14; t++) series[t] = 0; // zero gap on day 41

  test('next-day forecast is within 8% WAPE of the true pattern', () => {
    const f = LoadForecaster.forecast({ history: series, interval: Duration.minutes(15), horizon: slots }).values;
    let err = 0;
    let sum = 0;
    f.forEach((v, h) => {
      err += Math.abs(v - truth(series.length + h));
      sum += truth(series.length + h);
    });
    expect(err / sum).toBeLessThan(0.08);
  });
});

describe('properties', () => {
  const historyArb = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 24 * 30 });

  test('returns horizon values, all finite and at least 0', () => {
    fc.assert(fc.property(historyArb, fc.integer({ min: 1, max: 200 }), fc.constantFrom(15, 30, 60, 120), (history, horizon, minutes) => {
      const { values } = LoadForecaster.forecast({ history, interval: Duration.minutes(minutes), horizon });
      expect(values).toHaveLength(horizon);
      values.forEach(v => {
        expect(Number.isFinite(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      });
    }), { numRuns: 100 });
  });

  test('forecasts a perfectly periodic series (daily shape x weekday factor) exactly, given its startTime', () => {
    const positive = fc.double({ min: 1, max: 1000, noNaN: true });
    fc.assert(fc.property(fc.array(positive, { minLength: 24, maxLength: 24 }), fc.array(positive, { minLength: 7, maxLength: 7 }),
      fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 167 }), (shape, week, extra, offset) => {
        // value(t): t hours after Monday 00:00 UTC; history[0] is `offset` hours after Monday 1995-07-03.
        const value = (t: number): number => shape[t % 24] * week[Math.floor(t / 24) % 7];
        const history = Array.from({ length: 24 * 7 * 3 + extra * 7 }, (_, t) => value(t + offset));
        const startTime = new Date(Date.UTC(1995, 6, 3) + offset * 3600000);
        const { values } = LoadForecaster.forecast({ history, interval: HOUR, horizon: 48, startTime });
        values.forEach((v, h) => {
          const expected = value(offset + history.length + h);
          expect(Math.abs(v - expected)).toBeLessThanOrEqual(1e-9 * expected);
        });
      }), { numRuns: 50 });
  });

  test('a time zone moves the day and week boundaries to local midnight (including half-hour offsets)', () => {
    // A daily shape, halved at weekends, in Kolkata (UTC+5:30) wall-clock time, at 30-minute intervals.
    const local = (ms: number): Date => new Date(ms + 330 * 60000);
    const value = (ms: number): number => {
      const d = local(ms);
      const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
      return (weekend ? 0.5 : 1) * (10 + 5 * d.getUTCHours() + (d.getUTCMinutes() >= 30 ? 1 : 0));
    };
    const start = Date.UTC(2026, 2, 3, 7, 0); // a Tuesday, 12:30 local
    const history = Array.from({ length: 48 * 23 }, (_, i) => value(start + i * 1800000));
    const f = LoadForecaster.forecast({
      history, interval: Duration.minutes(30), horizon: 96, startTime: new Date(start), timeZone: 'Asia/Kolkata',
    }).values;
    const utc = LoadForecaster.forecast({ history, interval: Duration.minutes(30), horizon: 96, startTime: new Date(start) }).values;
    let errLocal = 0;
    let errUtc = 0;
    f.forEach((v, h) => {
      const actual = value(start + (history.length + h) * 1800000);
      errLocal += Math.abs(v - actual);
      errUtc += Math.abs(utc[h] - actual);
    });
    expect(errLocal).toBeLessThan(1e-6);
    expect(errUtc).toBeGreaterThan(10);
  });

  test('forecasts a daily-periodic series exactly without startTime', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 24, maxLength: 24 }),
      fc.integer({ min: 1, max: 30 }), (shape, days) => {
        const history = Array.from({ length: 24 * days }, (_, t) => shape[t % 24]);
        const { values } = LoadForecaster.forecast({ history, interval: HOUR, horizon: 24 });
        values.forEach((v, h) => expect(Math.abs(v - shape[h])).toBeLessThanOrEqual(1e-9 * Math.max(1, shape[h])));
      }), { numRuns: 50 });
  });

  test('scaling the history by k scales the forecast by k', () => {
    fc.assert(fc.property(historyArb, fc.double({ min: 0.001, max: 1000, noNaN: true }), (history, k) => {
      const base = LoadForecaster.forecast({ history, interval: HOUR, horizon: 30 }).values;
      const scaled = LoadForecaster.forecast({ history: history.map(v => v * k), interval: HOUR, horizon: 30 }).values;
      scaled.forEach((v, i) => expect(v).toBeCloseTo(base[i] * k, 6 - Math.ceil(Math.log10(Math.max(1, base[i] * k)))));
    }), { numRuns: 100 });
  });
});

describe('input validation', () => {
  const ok = { history: [1, 2, 3], interval: HOUR, horizon: 2 };
  test('fails on an empty history', () => {
    expect(() => LoadForecaster.forecast({ ...ok, history: [] })).toThrow(
      "[LoadForecaster] 'history' ([]) must not be empty: "
      + 'give at least one value per interval, each a finite number of 0 or more (zeros are real quiet intervals)');
  });
  test('fails on a negative value', () => {
    expect(() => LoadForecaster.forecast({ ...ok, history: [1, -2] })).toThrow(
      "[LoadForecaster] 'history[1]' (-2) must be a finite number of 0 or more: give at least one value per interval");
  });
  test('fails on a non-finite value', () => {
    expect(() => LoadForecaster.forecast({ ...ok, history: [NaN] }))
      .toThrow("[LoadForecaster] 'history[0]' (NaN) must be a finite number of 0 or more");
    expect(() => LoadForecaster.forecast({ ...ok, history: [Infinity] })).toThrow("'history[0]' (Infinity)");
  });
  test('fails when the interval does not divide a day', () => {
    expect(() => LoadForecaster.forecast({ ...ok, interval: Duration.minutes(7) })).toThrow(
      "[LoadForecaster] 'interval' (\"420s\") must be above zero and divide a day into whole intervals: "
      + 'give the interval length as a Duration that divides a day evenly, e.g. Duration.minutes(15) or Duration.hours(1)');
    expect(() => LoadForecaster.forecast({ ...ok, interval: Duration.minutes(0) })).toThrow("'interval' (\"0s\")");
  });
  test('fails when the interval is not a Duration (a number of minutes, from JavaScript)', () => {
    expect(() => LoadForecaster.forecast({ ...ok, interval: 60 as unknown as Duration })).toThrow(
      "[LoadForecaster] 'interval' (60) must be a Duration: give the interval length as a Duration");
  });
  test('fails when horizon is below 1', () => {
    expect(() => LoadForecaster.forecast({ ...ok, horizon: 0 })).toThrow(
      "[LoadForecaster] 'horizon' (0) must be a whole number at least 1 and at most 100000: "
      + 'give the number of intervals to forecast as a whole number from 1 to 100000, e.g. 24');
  });
  test('fails when horizon is above MAX_HORIZON (1e8 intervals would allocate gigabytes)', () => {
    expect(LoadForecaster.MAX_HORIZON).toBe(100_000);
    expect(() => LoadForecaster.forecast({ ...ok, horizon: 1e8 })).toThrow(
      "[LoadForecaster] 'horizon' (100000000) must be a whole number at least 1 and at most 100000: "
      + 'give the number of intervals to forecast as a whole number from 1 to 100000, e.g. 24');
  });
  test('fails when horizon is 2^32 (more than an array holds), with the bound and not a RangeError', () => {
    expect(() => LoadForecaster.forecast({ ...ok, horizon: 2 ** 32 })).toThrow(
      "[LoadForecaster] 'horizon' (4294967296) must be a whole number at least 1 and at most 100000: "
      + 'give the number of intervals to forecast as a whole number from 1 to 100000, e.g. 24');
  });
  test('fails when the history is longer than MAX_HISTORY', () => {
    expect(() => LoadForecaster.forecast({ ...ok, history: new Array(LoadForecaster.MAX_HISTORY + 1).fill(1) })).toThrow(
      "[LoadForecaster] 'history' (\"1000001 items\") must hold at most 1000000 items: give at least one value per interval");
  });
  test('fails when the interval is shorter than MIN_INTERVAL (a minute)', () => {
    expect(() => LoadForecaster.forecast({ ...ok, interval: Duration.seconds(30) })).toThrow(
      "[LoadForecaster] 'interval' (\"30s\") must be at least 60s (1 minute): give the interval length as a Duration");
  });
  test('fails on a startTime that is not a valid Date', () => {
    expect(() => LoadForecaster.forecast({ ...ok, startTime: new Date('yesterday') })).toThrow(
      "[LoadForecaster] 'startTime' (Invalid Date) must be a valid Date: give the instant of history[0] as a Date "
      + 'on a whole minute, parsed with its zone (e.g. new Date("1995-07-01T04:00:00Z")), or leave it unset');
    expect(() => LoadForecaster.forecast({ ...ok, startTime: '1995-07-01T04:00:00Z' as unknown as Date }))
      .toThrow("[LoadForecaster] 'startTime' (\"1995-07-01T04:00:00Z\") must be a valid Date");
  });
  test('fails on an unknown time zone', () => {
    expect(() => LoadForecaster.forecast({ ...ok, startTime: new Date('2026-01-01T00:00:00Z'), timeZone: 'Mars/Olympus' })).toThrow(
      "[LoadForecaster] 'timeZone' (\"Mars/Olympus\") is not an IANA time zone: give an IANA time zone such as \"America/New_York\"");
  });
  test('fails on a time zone without startTime', () => {
    expect(() => LoadForecaster.forecast({ ...ok, timeZone: 'Europe/Berlin' }))
      .toThrow("[LoadForecaster] 'timeZone' (\"Europe/Berlin\") needs startTime: without it the history has no calendar position");
  });
  test('a history of zeros forecasts zeros', () => {
    expect(LoadForecaster.forecast({ ...ok, history: [0, 0, 0] }).values).toEqual([0, 0]);
  });
});
