import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { GpuRequest, InferenceAutoscaler, InferenceAutoscalerProps, ScalingEngine, ScalingMetric } from '../../src';
import { capSpans, coverage, runsOf, Span, splitFullCycle } from '../../src/planning/internal/cron-windows';
import { LoadForecaster } from '../../src/planning/load-forecaster';
import { PredictedWindow, PredictiveScaling, PredictiveScalingProps } from '../../src/planning/predictive-scaling';
import { expectConformant } from '../conformance';
import { promqlErrors } from '../conformance/promql';
import { allOfKind, newChart, ofKind } from '../util';

const WEEK = 7 * 1440;
const HOUR = 3_600_000;

/** 28 days of hourly values, every day `day` (24 values), weekends `weekend` if given; history[0] is a Monday 00:00. */
function weeks(day: number[], weekend = day): number[] {
  const out: number[] = [];
  for (let d = 0; d < 28; d++) out.push(...(d % 7 >= 5 ? weekend : day));
  return out;
}

/** 24 hourly values: `value` in the hours [from, to), 0 elsewhere (or a list of values from `from`). */
function hours(from: number, values: number[]): number[] {
  const day = new Array<number>(24).fill(0);
  values.forEach((v, i) => (day[(from + i) % 24] = v));
  return day;
}

// Monday 3 February 2025 00:00 UTC: four weeks later the forecast starts on Monday 3 March.
const MONDAY = new Date('2025-02-03T00:00:00Z');
const ONE_HOUR = Duration.hours(1);
const date = (iso: string): Date => new Date(iso);

function plan(overrides: Partial<PredictiveScalingProps> = {}): PredictiveScaling {
  return PredictiveScaling.plan({
    history: weeks(hours(9, [50, 50, 50, 50, 50, 50, 50, 50])),
    interval: ONE_HOUR,
    startTime: MONDAY,
    capacityPerReplica: 10,
    ...overrides,
  });
}

const brief = (ws: PredictedWindow[]) => ws.map(w => `${w.start} -> ${w.end}: ${w.replicas}`);

/** Minute of the week (Sunday 00:00 = 0) of a five-field cron expression `m h * * dow`. */
function cronMinute(cron: string): number {
  const [m, h, , , dow] = cron.split(' ').map(Number);
  return dow * 1440 + h * 60 + m;
}

/** Local wall-clock minute of the week of an instant. */
function wallMinute(ms: number, timeZone: string): number {
  const parts: Record<string, string> = {};
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric' });
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const dow = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday);
  return dow * 1440 + Number(parts.hour) * 60 + Number(parts.minute);
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = Number(p.value);
  return (Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - ms) / 60_000;
}

/**
 * The replicas the windows hold at an instant, as KEDA's cron scaler decides it: a trigger is active when its
 * next end comes before its next start (keda-scalers/cron_scaler.go), i.e. from the start minute up to the end minute.
 */
function heldAt(ms: number, ws: PredictedWindow[], timeZone: string): number {
  return heldAtWall(wallMinute(ms, timeZone), ws);
}

/** The same at a local wall-clock minute of the week. */
function heldAtWall(wall: number, ws: PredictedWindow[]): number {
  const w = ((wall % WEEK) + WEEK) % WEEK;
  let held = 0;
  for (const x of ws) {
    const s = cronMinute(x.start);
    const length = (cronMinute(x.end) - s + WEEK) % WEEK;
    if ((w - s + WEEK) % WEEK < length) held = Math.max(held, x.replicas);
  }
  return held;
}

describe('PredictiveScaling windows', () => {
  test('a daily peak becomes one window a day, started 10 minutes early (hand-checked)', () => {
    const p = plan();
    // 50 requests per second from 09:00 to 17:00 at 10 per replica: 5 replicas, from 08:50 (lead time) to 17:00.
    expect(brief(p.windows)).toEqual([1, 2, 3, 4, 5, 6, 0].map(d => `50 8 * * ${d} -> 0 17 * * ${d}: 5`));
    expect(p.windows[0]).toEqual({
      start: '50 8 * * 1',
      end: '0 17 * * 1',
      replicas: 5,
      startsAt: date('2025-03-03T08:50:00.000Z'),
      endsAt: date('2025-03-03T17:00:00.000Z'),
      peakLoad: expect.closeTo(50, 6),
    });
    expect(p.windows[6].startsAt).toEqual(date('2025-03-09T08:50:00.000Z'));
    expect(p.timeZone).toBe('Etc/UTC');
    expect(p.forecastMethod).toMatch(/^robust seasonal \(day-of-week x time-of-day, .*\), on local days in Etc\/UTC, floors at 1.00x the forecast$/);
    expect(p.forecastScale).toBe(1); // an exactly periodic history: the forecast never exceeded the load
    expect(p.forecastUsed).toBe(true);
  });

  test('each window becomes a named cron metric in the plan\'s time zone', () => {
    const p = plan({ timeZone: 'Europe/Berlin', startTime: date('2025-02-02T23:00:00Z') });
    expect(ScalingMetric.predictedWindows(p)).toHaveLength(7);
    expect(ScalingMetric.predictedWindows(p).map(m => m.triggerName)).toEqual(['predicted_1', 'predicted_2', 'predicted_3', 'predicted_4', 'predicted_5', 'predicted_6', 'predicted_7']);
    expect(ScalingMetric.predictedWindows(p).every(m => m.needsKeda)).toBe(true);
    expect(ScalingMetric.predictedWindows(p)[0].targetValue).toBe(5);
    expect(ScalingMetric.predictedWindows(p)[0].description).toBe('cron window 50 8 * * 1 to 0 17 * * 1');
  });

  test('a weekly cycle gives weekends their own, lower windows', () => {
    const p = plan({ history: weeks(hours(9, new Array(8).fill(50)), hours(9, new Array(8).fill(20))) });
    expect(brief(p.windows)).toEqual([
      ...[1, 2, 3, 4, 5].map(d => `50 8 * * ${d} -> 0 17 * * ${d}: 5`),
      '50 8 * * 6 -> 0 17 * * 6: 2',
      '50 8 * * 0 -> 0 17 * * 0: 2',
    ]);
  });

  test('merges neighbouring intervals that need the same replicas', () => {
    // 41 to 50 requests per second all need 5 replicas: one window, not eight.
    const p = plan({ history: weeks(hours(9, [41, 44, 47, 50, 50, 46, 43, 42])) });
    expect(brief(p.windows)[0]).toBe('50 8 * * 1 -> 0 17 * * 1: 5');
    expect(p.windows).toHaveLength(7);
  });

  test('separate levels within a day become separate windows when the cap allows', () => {
    const p = plan({ history: weeks(hours(9, [50, 50, 50, 30, 50, 50, 50, 50])), maxTriggers: 21, leadTime: Duration.minutes(0) });
    expect(brief(p.windows).slice(0, 3)).toEqual(['0 9 * * 1 -> 0 12 * * 1: 5', '0 12 * * 1 -> 0 13 * * 1: 3', '0 13 * * 1 -> 0 17 * * 1: 5']);
    expect(p.windows).toHaveLength(21);
  });

  test('over the cap, merges the pairs that add the fewest replica-hours first', () => {
    // 21 windows; raising a 1-hour dip from 3 to 5 replicas adds 2 replica-hours and joins three windows into one,
    // far cheaper than bridging a night. Four such merges (Monday to Thursday, earliest first on a tie) reach 13.
    const p = plan({ history: weeks(hours(9, [50, 50, 50, 30, 50, 50, 50, 50])), maxTriggers: 14, leadTime: Duration.minutes(0) });
    expect(brief(p.windows)).toEqual([
      ...[1, 2, 3, 4].map(d => `0 9 * * ${d} -> 0 17 * * ${d}: 5`),
      ...[5, 6, 0].flatMap(d => [`0 9 * * ${d} -> 0 12 * * ${d}: 5`, `0 12 * * ${d} -> 0 13 * * ${d}: 3`, `0 13 * * ${d} -> 0 17 * * ${d}: 5`]),
    ]);
  });

  test('the default cap is 28 triggers', () => {
    // Seven windows a day (5, 3, 5, 3, 5, 3, 5 replicas) make 49; each merge lifts a dip and joins three windows into one.
    const p = plan({ history: weeks(hours(9, [50, 30, 50, 30, 50, 30, 50])), leadTime: Duration.minutes(0) });
    expect(p.windows.length).toBeLessThanOrEqual(28);
    expect(p.windows).toHaveLength(27);
  });

  test('windows may cross local midnight', () => {
    const p = plan({ history: weeks(hours(22, [50, 50, 50, 50])) });
    expect(brief(p.windows)[0]).toBe('50 21 * * 1 -> 0 2 * * 2: 5');
    // The last window of the week wraps into the first: it is the one in force when the forecast starts.
    expect(brief(p.windows)[6]).toBe('50 21 * * 0 -> 0 2 * * 1: 5');
    expect(p.windows[6].startsAt).toEqual(date('2025-03-09T21:50:00.000Z'));
    expect(p.windows[6].endsAt).toEqual(date('2025-03-10T02:00:00.000Z'));
  });

  test('a floor held all week becomes two half-week windows (KEDA rejects equal start and end)', () => {
    const p = plan({ history: new Array(24 * 28).fill(50) });
    expect(brief(p.windows)).toEqual(['0 0 * * 1 -> 0 12 * * 4: 5', '0 12 * * 4 -> 0 0 * * 1: 5']);
  });

  test('a quiet forecast needs no window', () => {
    expect(plan({ history: new Array(24 * 28).fill(0) }).windows).toEqual([]);
    expect(ScalingMetric.predictedWindows(plan({ history: new Array(24 * 28).fill(0) }))).toEqual([]);
  });
});

describe('PredictiveScaling lead time, replicas and horizon', () => {
  test('the lead time moves each start earlier, not the end', () => {
    expect(brief(plan({ leadTime: Duration.minutes(0) }).windows)[0]).toBe('0 9 * * 1 -> 0 17 * * 1: 5');
    expect(brief(plan({ leadTime: Duration.minutes(45) }).windows)[0]).toBe('15 8 * * 1 -> 0 17 * * 1: 5');
    expect(brief(plan({ leadTime: Duration.hours(2) }).windows)[0]).toBe('0 7 * * 1 -> 0 17 * * 1: 5');
  });

  test('a rise within a window starts early too, inside the window', () => {
    const p = plan({ history: weeks(hours(9, [30, 30, 60, 60])), leadTime: Duration.minutes(20), maxTriggers: 20 });
    expect(brief(p.windows).slice(0, 2)).toEqual(['40 8 * * 1 -> 40 10 * * 1: 3', '40 10 * * 1 -> 0 13 * * 1: 6']);
  });

  test('a lead time longer than the gap between two equal windows joins them', () => {
    const day = hours(9, [50, 50, 0, 50, 50]);
    expect(brief(plan({ history: weeks(day), leadTime: Duration.minutes(30), maxTriggers: 14 }).windows).slice(0, 2))
      .toEqual(['30 8 * * 1 -> 0 11 * * 1: 5', '30 11 * * 1 -> 0 14 * * 1: 5']);
    expect(brief(plan({ history: weeks(day), leadTime: Duration.minutes(60) }).windows)[0]).toBe('0 8 * * 1 -> 0 14 * * 1: 5');
  });

  test('intervals at or below minReplicas get no window', () => {
    const p = plan({ history: weeks(hours(9, [20, 40, 60, 40, 20])), leadTime: Duration.minutes(0), minReplicas: 4, maxTriggers: 30 });
    expect(brief(p.windows).slice(0, 1)).toEqual(['0 11 * * 1 -> 0 12 * * 1: 6']);
    // The default of 1 drops only the intervals a single replica serves.
    const all = plan({ history: weeks(hours(9, [10, 20])), leadTime: Duration.minutes(0) });
    expect(brief(all.windows)[0]).toBe('0 10 * * 1 -> 0 11 * * 1: 2');
  });

  test('maxReplicas caps a window, and equal capped neighbours merge', () => {
    const p = plan({ history: weeks(hours(9, [80, 90, 100])), leadTime: Duration.minutes(0), maxReplicas: 8 });
    expect(brief(p.windows)[0]).toBe('0 9 * * 1 -> 0 12 * * 1: 8');
  });

  test('a target utilization below 1 keeps headroom: replicas are the forecast over capacity x targetUtilization', () => {
    // 50 requests per second at 10 per replica and 1/1.2 utilization (20 % headroom): ceil(50 / 8.33) = 6, not 5.
    expect(plan({ targetUtilization: 1 / 1.2 }).windows[0].replicas).toBe(6);
    expect(plan({ targetUtilization: 1 / 1.2 }).windows[0].peakLoad).toBeCloseTo(50, 6);
    // Exactly at the target: 49 requests per second at 10 x 0.7 = 7 per replica are 7 replicas, not 8.
    expect(plan({ history: weeks(hours(9, [49, 49])), targetUtilization: 0.7 }).windows[0].replicas).toBe(7);
    expect(plan({ targetUtilization: 1 }).windows).toEqual(plan().windows);
  });

  test('a shorter horizon plans only those days, from the lead time before the end of the history', () => {
    const p = plan({ history: weeks(hours(0, [50, 50])), days: 1 });
    // Monday 00:00 to 02:00, started on Sunday 23:50, before the forecast starts.
    expect(brief(p.windows)).toEqual(['50 23 * * 0 -> 0 2 * * 1: 5']);
    expect(p.windows[0].startsAt).toEqual(date('2025-03-02T23:50:00.000Z'));
    expect(brief(plan({ days: 2 }).windows)).toEqual(['50 8 * * 1 -> 0 17 * * 1: 5', '50 8 * * 2 -> 0 17 * * 2: 5']);
  });

  test('shorter intervals give minute-precise windows', () => {
    const day: number[] = new Array(96).fill(0);
    for (let q = 37; q < 70; q++) day[q] = 35; // 09:15 to 17:30 at 15-minute intervals
    const history: number[] = [];
    for (let d = 0; d < 28; d++) history.push(...day);
    expect(brief(plan({ history, interval: Duration.minutes(15) }).windows)[0]).toBe('5 9 * * 1 -> 30 17 * * 1: 4');
  });
});

describe('PredictiveScaling time zones', () => {
  // The same local pattern, given in local time: history[0] is local midnight on Monday 3 February or 7 July.
  const local = (timeZone: string, startTime: string) => plan({ timeZone, startTime: date(startTime) });

  test('windows are written in local wall-clock time: New York is 5 hours behind UTC in winter, 4 in summer', () => {
    const utc = plan();
    const winter = local('America/New_York', '2025-02-03T05:00:00Z');
    expect(brief(winter.windows)).toEqual(brief(utc.windows));
    // Monday 3 to Saturday 8 March on EST; on Sunday 9 March New York is on EDT.
    const behind = winter.windows.map((w, i) => (w.startsAt.getTime() - utc.windows[i].startsAt.getTime()) / HOUR);
    expect(behind).toEqual([5, 5, 5, 5, 5, 5, 4]);
    expect(ScalingMetric.predictedWindows(winter)[0].triggerName).toBe('predicted_1');

    const summer = local('America/New_York', '2025-06-09T04:00:00Z');
    expect(brief(summer.windows)).toEqual(brief(utc.windows));
    expect(summer.windows[0].startsAt).toEqual(date('2025-07-07T12:50:00.000Z'));
  });

  test('the forecast follows local days: the weekend of a UTC+9 zone is its own weekend', () => {
    const tokyo = plan({
      timeZone: 'Asia/Tokyo',
      startTime: date('2025-02-02T15:00:00Z'), // Monday 00:00 in Tokyo
      history: weeks(hours(9, new Array(8).fill(50)), hours(9, new Array(8).fill(20))),
    });
    expect(brief(tokyo.windows).slice(4)).toEqual(['50 8 * * 5 -> 0 17 * * 5: 5', '50 8 * * 6 -> 0 17 * * 6: 2', '50 8 * * 0 -> 0 17 * * 0: 2']);
    expect(tokyo.windows[0].startsAt).toEqual(date('2025-03-02T23:50:00.000Z'));
  });

  test('across a daylight-saving change the windows keep their local times', () => {
    // The forecast week 3 to 9 March 2025 in New York: clocks go forward on Sunday 9 March at 02:00.
    const p = local('America/New_York', '2025-02-03T05:00:00Z');
    expect(p.windows.map(w => w.start)).toEqual([1, 2, 3, 4, 5, 6, 0].map(d => `50 8 * * ${d}`));
    expect(p.windows[5].startsAt).toEqual(date('2025-03-08T13:50:00.000Z')); // Saturday, EST
    expect(p.windows[6].startsAt).toEqual(date('2025-03-09T12:50:00.000Z')); // Sunday, EDT
  });

  test('no window starts or ends in an hour a daylight-saving change skips or repeats', () => {
    const twoToFive = weeks(hours(2, [50, 50, 50]));
    const zeroToTwo = weeks(hours(0, [50, 50]));
    const lead0 = Duration.minutes(0);
    // New York skips Sunday 02:00-03:00 in March and repeats 01:00-02:00 in November: a start there moves before both.
    const ny = plan({ timeZone: 'America/New_York', startTime: date('2025-02-03T05:00:00Z'), history: twoToFive, leadTime: lead0 });
    expect(brief(ny.windows)).toEqual([...[1, 2, 3, 4, 5, 6].map(d => `0 2 * * ${d} -> 0 5 * * ${d}: 5`), '59 0 * * 0 -> 0 5 * * 0: 5']);
    // Berlin skips Sunday 02:00-03:00 in March and repeats it in October.
    const berlin = plan({ timeZone: 'Europe/Berlin', startTime: date('2025-02-02T23:00:00Z'), history: twoToFive, leadTime: lead0 });
    expect(brief(berlin.windows)[6]).toBe('59 1 * * 0 -> 0 5 * * 0: 5');
    // An end there moves after it.
    const ends = plan({ timeZone: 'America/New_York', startTime: date('2025-02-03T05:00:00Z'), history: zeroToTwo, leadTime: lead0 });
    expect(brief(ends.windows)[6]).toBe('0 0 * * 0 -> 0 3 * * 0: 5');
    // A zone without daylight saving keeps the hour.
    const tokyo = plan({ timeZone: 'Asia/Tokyo', startTime: date('2025-02-02T15:00:00Z'), history: twoToFive, leadTime: lead0 });
    expect(brief(tokyo.windows)[6]).toBe('0 2 * * 0 -> 0 5 * * 0: 5');
  });
});

describe('PredictiveScaling properties', () => {
  // Zones with fixed offsets, so the test can read the local calendar without a time-zone library.
  const ZONES: Array<[string, number]> = [['Etc/UTC', 0], ['Asia/Tokyo', 540], ['Asia/Kolkata', 330], ['America/Panama', -300]];

  test('every interval of the forecast gets at least its replicas, from the lead time before it; at most maxTriggers windows', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 24 * 14, maxLength: 24 * 15 }),
      fc.constantFrom(...ZONES), fc.integer({ min: 2, max: 14 }), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 1, max: 4 }),
      fc.constantFrom(1, 0.8), fc.constantFrom(undefined, 8),
      (history, [timeZone, offset], maxTriggers, lead, minReplicas, targetUtilization, maxReplicas) => {
        const startTime = new Date('2025-02-03T00:00:00Z');
        const p = PredictiveScaling.plan({
          history,
          interval: ONE_HOUR,
          startTime,
          capacityPerReplica: 10,
          timeZone,
          maxTriggers,
          leadTime: Duration.minutes(lead),
          minReplicas,
          targetUtilization,
          maxReplicas,
        });
        expect(p.windows.length).toBeLessThanOrEqual(maxTriggers);
        expect(ScalingMetric.predictedWindows(p)).toHaveLength(p.windows.length);
        if (!p.forecastUsed) {
          expect(p.windows).toEqual([]);
          return;
        }
        // The forecast on local days, as the planner asks for it, scaled to the plan's floor.
        const forecast = LoadForecaster.forecast({
          history, interval: ONE_HOUR, horizon: 168, startTime: new Date(startTime.getTime() + offset * 60_000),
        }).values.map(v => v * p.forecastScale);
        const t0 = startTime.getTime() + history.length * HOUR;
        forecast.forEach((load, k) => {
          let needed = Math.ceil(load / (10 * targetUtilization) - 1e-9);
          if (maxReplicas !== undefined) needed = Math.min(needed, maxReplicas);
          if (needed <= minReplicas) return;
          const from = t0 + k * HOUR;
          for (const at of [from - lead * 60_000, from, from + HOUR - 60_000]) {
            const when = new Date(at).toISOString();
            expect({ k, when, held: heldAt(at, p.windows, timeZone) >= needed }).toEqual({ k, when, held: true });
          }
        });
      }), { numRuns: 40 });
  });

  // Minute of the week and length of the wall-clock times the 2025-2026 changes skip or repeat.
  const AMBIGUOUS: Record<string, [number, number]> = {
    'America/New_York': [60, 120], // Sunday 02:00-03:00 skipped in March, 01:00-02:00 repeated in November
    'Europe/Berlin': [120, 60], // Sunday 02:00-03:00, skipped in March and repeated in October
    'Australia/Lord_Howe': [90, 60], // Sunday 02:00-02:30 skipped in October, 01:30-02:00 repeated in April
    'America/Santiago': [6 * 1440 + 23 * 60, 120], // Saturday 23:00-24:00 repeated in April, Sunday 00:00-01:00 skipped in September
  };

  test('in zones with daylight saving too, every local interval gets its replicas (checked on the wall clock the cron follows)', () => {
    // Weeks that hold a change, and the zones with unusual ones: Lord Howe moves 30 minutes, Santiago at midnight.
    const ZONED: Array<[string, string]> = [
      ['America/New_York', '2025-02-10T05:00:00Z'], ['America/New_York', '2025-10-06T04:00:00Z'], ['Europe/Berlin', '2025-03-03T23:00:00Z'],
      ['Europe/Berlin', '2025-09-29T22:00:00Z'], ['Australia/Lord_Howe', '2025-03-09T13:00:00Z'], ['America/Santiago', '2025-03-10T03:00:00Z'],
    ];
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 24 * 14, maxLength: 24 * 15 }),
      fc.constantFrom(...ZONED), fc.integer({ min: 2, max: 14 }), fc.integer({ min: 0, max: 90 }),
      (history, [timeZone, start], maxTriggers, lead) => {
        const leadTime = Duration.minutes(lead);
        const startTime = date(start);
        const p = PredictiveScaling.plan({ history, interval: ONE_HOUR, startTime, capacityPerReplica: 10, timeZone, maxTriggers, leadTime });
        expect(p.windows.length).toBeLessThanOrEqual(maxTriggers);
        if (!p.forecastUsed) { // random load: the backtest found the forecast no better than last week's or yesterday's
          expect(p.windows).toEqual([]);
          expect(p.backtest?.modelWins).toBe(false);
          return;
        }
        const t0 = startTime.getTime() + history.length * HOUR;
        const offset = offsetMinutes(t0, timeZone);
        const forecast = LoadForecaster.forecast({
          history, interval: ONE_HOUR, horizon: 168, startTime: new Date(startTime.getTime() + offset * 60_000),
        }).values.map(v => v * p.forecastScale);
        // Interval k of the forecast is the local hour k hours after t0's wall-clock time.
        const wall0 = wallMinute(t0, timeZone);
        forecast.forEach((load, k) => {
          const needed = Math.ceil(load / 10 - 1e-9);
          if (needed <= 1) return;
          const from = wall0 + k * 60;
          for (const w of [from - lead, from, from + 59]) {
            expect({ k, w, held: heldAtWall(w, p.windows) >= needed }).toEqual({ k, w, held: true });
          }
        });
        // No boundary in a wall-clock minute that the zone's changes skip or repeat.
        const [from, length] = AMBIGUOUS[timeZone];
        for (const x of p.windows) {
          for (const cron of [x.start, x.end]) {
            expect({ cron, ambiguous: (cronMinute(cron) - from + WEEK) % WEEK < length }).toEqual({ cron, ambiguous: false });
          }
        }
      }), { numRuns: 30 });
  });

  const spansArb = fc.record({
    need: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 120 }),
    circular: fc.boolean(),
    cap: fc.integer({ min: 2, max: 8 }),
  });

  test('capping never lowers any position, stays within the cap and leaves no equal neighbours touching', () => {
    fc.assert(fc.property(spansArb, ({ need, circular, cap }) => {
      const n = need.length;
      const before = runsOf(need, circular);
      expect(coverage(before, n)).toEqual(need);
      let after = capSpans(before, n, circular, cap);
      if (circular) after = splitFullCycle(after, n, () => true);
      const held = coverage(after, n);
      need.forEach((r, i) => expect(held[i]).toBeGreaterThanOrEqual(r));
      expect(after.length).toBeLessThanOrEqual(Math.max(cap, 0));
      // Disjoint, and no two touching spans with equal replicas (except the two halves of a full cycle).
      expect(after.reduce((sum, s) => sum + s.length, 0)).toBeLessThanOrEqual(n);
      const full = after.length === 2 && after[0].length + after[1].length === n && after[0].replicas === after[1].replicas;
      for (let i = 0; i < after.length && !full; i++) {
        const a = after[i];
        const b: Span | undefined = circular ? after[(i + 1) % after.length] : after[i + 1];
        if (!b || b === a) continue;
        const touching = circular ? (a.start + a.length) % n === b.start : a.start + a.length === b.start;
        expect(touching && a.replicas === b.replicas).toBe(false);
      }
    }), { numRuns: 500 });
  });

  test('capping adds no more than needed when nothing has to merge', () => {
    fc.assert(fc.property(spansArb, ({ need, circular }) => {
      const runs = runsOf(need, circular);
      expect(capSpans(runs, need.length, circular, runs.length)).toEqual(runs);
    }), { numRuns: 300 });
  });
});

describe('PredictiveScaling.replicasAt', () => {
  test('holds a window\'s replicas from its start minute up to its end minute, 0 elsewhere (hand-checked)', () => {
    const p = plan();
    expect(p.replicasAt(date('2025-03-03T08:49:00Z'))).toBe(0);
    expect(p.replicasAt(date('2025-03-03T08:50:00Z'))).toBe(5);
    expect(p.replicasAt(date('2025-03-03T16:59:59Z'))).toBe(5);
    expect(p.replicasAt(date('2025-03-03T17:00:00Z'))).toBe(0);
    // The windows repeat weekly; a Date is an instant, whatever offset its text was written with.
    expect(p.replicasAt(date('2025-03-10T10:00:00+01:00'))).toBe(5);
    expect(p.replicasAt(date('2025-03-10T18:30:00+01:00'))).toBe(0);
  });

  test('agrees with the cron strings evaluated as KEDA does, at any instant, in zones with daylight saving', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 24 * 14, maxLength: 24 * 15 }),
      fc.constantFrom('America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Etc/UTC'),
      fc.integer({ min: 0, max: 21 * 1440 }),
      (history, timeZone, minute) => {
        const startTime = date('2025-02-24T05:00:00Z');
        const p = PredictiveScaling.plan({ history, interval: ONE_HOUR, startTime, capacityPerReplica: 10, timeZone, maxTriggers: 6 });
        const ms = startTime.getTime() + history.length * HOUR + minute * 60_000;
        expect(p.replicasAt(new Date(ms))).toBe(heldAt(ms, p.windows, timeZone));
      }), { numRuns: 200 });
  });

  test('fails on a time that is not a valid Date', () => {
    expect(() => plan().replicasAt(new Date('soon'))).toThrow(
      "[PredictiveScaling] 'time' (Invalid Date) is not a valid Date: give the instant as a Date, e.g. new Date('2025-03-10T08:00:00Z')");
    expect(() => plan().replicasAt('2025-03-03T08:50:00Z' as unknown as Date)).toThrow("'time' (\"2025-03-03T08:50:00Z\") is not a valid Date");
  });
});

describe('PredictiveScaling input validation', () => {
  const cases: Array<[string, Partial<PredictiveScalingProps>, string]> = [
    ['an empty history', { history: [] },
      "[PredictiveScaling] 'history' ([]) must not be empty: give at least one value per interval, each a finite number of 0 or more, "
      + 'in the unit of capacityPerReplica (e.g. requests per second averaged over the interval)'],
    ['a negative load', { history: [1, -2] }, "[PredictiveScaling] 'history[1]' (-2) must be a finite number of 0 or more: give at least one value"],
    ['an interval that does not divide a day', { interval: Duration.minutes(7) },
      "[PredictiveScaling] 'interval' (\"420s\") must be a whole number of minutes that divides 1440 (a day): give the interval length in whole "
      + 'minutes that divides a day, e.g. Duration.minutes(15) or Duration.hours(1)'],
    ['a fractional interval', { interval: Duration.seconds(30) }, "[PredictiveScaling] 'interval' (\"30s\") must be a whole number of minutes"],
    ['an interval that is not a Duration (minutes, from JavaScript)', { interval: 60 as unknown as Duration },
      "[PredictiveScaling] 'interval' (60) must be a Duration: give the interval length in whole minutes"],
    ['a start time that is not a valid Date', { startTime: new Date('yesterday') },
      "[PredictiveScaling] 'startTime' (Invalid Date) is not a valid Date: give the instant of history[0] as a Date on a whole minute, "
      + 'e.g. new Date("2025-03-03T00:00:00Z")'],
    ['a start time given as text (from JavaScript)', { startTime: '2025-02-03T00:00:00Z' as unknown as Date },
      "[PredictiveScaling] 'startTime' (\"2025-02-03T00:00:00Z\") is not a valid Date"],
    ['a start time off the minute', { startTime: new Date('2025-02-03T00:00:30Z') },
      "[PredictiveScaling] 'startTime' (\"2025-02-03T00:00:30.000Z\") is not on a whole minute (cron has minutes only)"],
    ['a capacity per replica of zero', { capacityPerReplica: 0 },
      "[PredictiveScaling] 'capacityPerReplica' (0) must be a number above zero: give the load one replica serves at full utilization, "
      + 'in the unit of history, e.g. 10 (requests per second)'],
    ['a target utilization of zero', { targetUtilization: 0 },
      "[PredictiveScaling] 'targetUtilization' (0) must be a fraction above 0 and at most 1: give the fraction of capacityPerReplica the "
      + 'autoscaler aims at, e.g. 0.7 (the rest is headroom), or 1'],
    ['a target utilization above 1', { targetUtilization: 1.2 }, "[PredictiveScaling] 'targetUtilization' (1.2) must be a fraction above 0 and at most 1"],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' },
      "[PredictiveScaling] 'timeZone' (\"Mars/Olympus_Mons\") is not a time zone of the tz database: give an IANA time zone name spelled as in "
      + 'the tz database, e.g. "Europe/Berlin" or "America/New_York"'],
    ['a time zone in the wrong case', { timeZone: 'america/new_york' },
      "[PredictiveScaling] 'timeZone' (\"america/new_york\") differs from the tz database name only in case, and KEDA (Go) matches names "
      + 'case-sensitively: write "America/New_York"'],
    ['a lowercase alias', { timeZone: 'asia/kolkata' }, "[PredictiveScaling] 'timeZone' (\"asia/kolkata\") is not spelled as the tz database spells names"],
    ['eight days', { days: 8 }, "[PredictiveScaling] 'days' (8) must be a whole number from 1 to 7: give a whole number of days from 1 to 7"],
    ['a lead time of a day', { leadTime: Duration.days(1) }, "[PredictiveScaling] 'leadTime' (\"86400s\") must be whole minutes from 0 to under a day"],
    ['a lead time in seconds', { leadTime: Duration.seconds(90) }, "[PredictiveScaling] 'leadTime' (\"90s\") must be whole minutes"],
    ['zero minReplicas', { minReplicas: 0 },
      "[PredictiveScaling] 'minReplicas' (0) must be a whole number from 1 to 10000: give the autoscaler's minReplicas: windows at or below it add nothing"],
    ['maxReplicas below minReplicas', { minReplicas: 3, maxReplicas: 2 },
      "[PredictiveScaling] 'maxReplicas' (2) is below 'minReplicas' (3): raise maxReplicas or lower minReplicas"],
    ['one trigger', { maxTriggers: 1 },
      "[PredictiveScaling] 'maxTriggers' (1) must be a whole number from 2 to 1000: give at least 2: a floor held all week takes two cron triggers, "
      + 'since KEDA rejects a window whose start equals its end'],
  ];

  test.each(cases)('fails on %s', (_, overrides, message) => {
    expect(() => plan(overrides)).toThrow(message);
  });

  test('checks the time zone with ICU, which throws a RangeError for unknown zones', () => {
    expect(() => new Intl.DateTimeFormat('en-US', { timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(() => plan({ timeZone: 'Asia/Kolkata' })).not.toThrow();
    expect(() => plan({ timeZone: 'UTC' })).not.toThrow();
  });
});

const SERVER = { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) };

function synth(props: Partial<InferenceAutoscalerProps>) {
  const chart = newChart({ namespace: 'serving' });
  const autoscaler = new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: SERVER, maxReplicas: 20, metrics: [], ...props });
  return { autoscaler, manifests: expectConformant(chart) };
}

const recordsOf = (manifests: any[]) => ofKind(manifests, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.record).map((r: any) => r.record);

describe('PredictiveScaling on an InferenceAutoscaler', () => {
  test('the KEDA engine gets one named cron trigger per window, in the time zone, next to the reactive triggers', () => {
    const p = plan({ timeZone: 'Europe/Berlin', startTime: date('2025-02-02T23:00:00Z'), minReplicas: 2 });
    const metrics = ScalingMetric.predictedWindows(p, [ScalingMetric.requestsPerSecond(10)]);
    const { manifests } = synth({ minReplicas: 2, metrics, engine: ScalingEngine.keda() });
    const triggers = ofKind(manifests, 'ScaledObject').spec.triggers;
    expect(triggers).toHaveLength(8);
    expect(triggers[0].name).toBe('request_rate');
    expect(triggers[1]).toEqual({
      type: 'cron', name: 'predicted_1', metadata: { timezone: 'Europe/Berlin', start: '50 8 * * 1', end: '0 17 * * 1', desiredReplicas: '5' },
    });
    expect(new Set(triggers.map((t: any) => t.name)).size).toBe(8);
    for (const t of triggers.slice(1)) {
      // The keys KEDA's cron scaler reads, a valid five-field expression each, and never the same start and end.
      expect(Object.keys(t.metadata).sort()).toEqual(['desiredReplicas', 'end', 'start', 'timezone']);
      for (const cron of [t.metadata.start, t.metadata.end]) expect(cron).toMatch(/^([0-5]?\d) (1?\d|2[0-3]) \* \* [0-6]$/);
      expect(t.metadata.start).not.toBe(t.metadata.end);
    }
  });

  test('the class example synthesizes', () => {
    // As in the doc comment of PredictiveScaling.
    const chart = newChart();
    const lastTwoDays = [12, 9, 8, 8, 10, 20, 45, 70, 80, 85, 90, 88, 86, 84, 80, 75, 70, 60, 50, 40, 30, 22, 16, 13,
      11, 9, 8, 9, 11, 21, 47, 72, 83, 86, 92, 90, 87, 85, 82, 76, 71, 62, 51, 41, 31, 23, 17, 14];
    const p = PredictiveScaling.plan({
      history: lastTwoDays,
      interval: Duration.hours(1),
      startTime: new Date('2025-03-02T23:00:00Z'),
      timeZone: 'Europe/Berlin',
      capacityPerReplica: 10,
      minReplicas: 2,
      maxReplicas: 20,
      leadTime: Duration.minutes(15),
    });
    new InferenceAutoscaler(chart, 'chat', {
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: ScalingMetric.predictedWindows(p, [ScalingMetric.requestsPerSecond(10), ScalingMetric.predictedRequestsPerSecond(10)]),
      engine: ScalingEngine.keda(),
    });
    // Two days learn the time of day only: every day gets the same four windows from 04:45 to 22:00, the forecast
    // starting on Wednesday.
    expect(p.forecastMethod).toContain('(time-of-day, from the last 2 complete days)');
    expect(p.backtest).toBeUndefined();
    expect(brief(p.windows).slice(0, 4)).toEqual([
      '45 4 * * 3 -> 45 6 * * 3: 5', '45 6 * * 3 -> 0 16 * * 3: 10', '0 16 * * 3 -> 0 19 * * 3: 7', '0 19 * * 3 -> 0 22 * * 3: 5',
    ]);
    expect(p.windows).toHaveLength(28);
    const triggers = ofKind(expectConformant(chart), 'ScaledObject').spec.triggers;
    expect(triggers).toHaveLength(2 + 28);
  });

  test('cron windows need the KEDA engine', () => {
    expect(() => synth({ metrics: [ScalingMetric.requestsPerSecond(10), ...ScalingMetric.predictedWindows(plan())] })).toThrow(
      "[test/chat] 'metrics[1]' (\"cron window 50 8 * * 1 to 0 17 * * 1\") needs the KEDA engine (an HPA cannot read it): set engine: ScalingEngine.keda(), "
      + "or scale on an exporter's Prometheus series with ScalingMetric.external()");
  });

  test('two cron windows need distinct trigger names', () => {
    const two = [ScalingMetric.cronWindow('0 8 * * 1-5', '0 12 * * 1-5', 4), ScalingMetric.cronWindow('0 13 * * 1-5', '0 18 * * 1-5', 4)];
    expect(() => synth({ metrics: two, engine: ScalingEngine.keda() })).toThrow(
      "[test/chat] 'metrics[1]' (\"cron window 0 13 * * 1-5 to 0 18 * * 1-5\") has the same trigger name 'cron' as metrics[0]: "
      + "give each cron window its own name with the 'name' option: KEDA requires distinct trigger names");
    const named = [two[0], ScalingMetric.cronWindow('0 13 * * 1-5', '0 18 * * 1-5', 4, { name: 'afternoon' })];
    expect(ofKind(synth({ metrics: named, engine: ScalingEngine.keda() }).manifests, 'ScaledObject').spec.triggers.map((t: any) => t.name))
      .toEqual(['cron', 'afternoon']);
    expect(() => synth({ metrics: [ScalingMetric.requestsPerSecond(10), ScalingMetric.cronWindow('0 8 * * *', '0 9 * * *', 2, { name: 'request_rate' })] }))
      .toThrow("[test/chat] 'metrics[1]' (\"cron window 0 8 * * * to 0 9 * * *\") has the same trigger name 'request_rate' as metrics[0]");
    expect(() => synth({ metrics: [ScalingMetric.cronWindow('0 8 * * *', '0 9 * * *', 2, { name: 'after-hours' })], engine: ScalingEngine.keda() }))
      .toThrow("[ScalingMetric.cronWindow] 'name' (\"after-hours\") is not an identifier (letters, digits and '_', not starting with a digit): ");
  });
});

describe('ScalingMetric.predictedRequestsPerSecond', () => {
  const reactive = () => ScalingMetric.requestsPerSecond(10);

  test('the prediction rule is recorded exactly once, with or without the metric', () => {
    const predicted = () => ScalingMetric.predictedRequestsPerSecond(10);
    for (const metrics of [[reactive()], [reactive(), predicted()], [predicted(), reactive()]]) {
      for (const engine of [ScalingEngine.hpa(), ScalingEngine.keda()]) {
        const records = recordsOf(synth({ metrics, engine }).manifests);
        expect(records.filter((r: string) => r === 'scaling:predicted_load')).toHaveLength(1);
        expect(records).toEqual(['scaling:request_rate', 'scaling:predicted_load']);
      }
    }
    const rule = ofKind(synth({ metrics: [reactive(), ScalingMetric.predictedRequestsPerSecond(10)] }).manifests, 'PrometheusRule')
      .spec.groups[0].rules.find((r: any) => r.record === 'scaling:predicted_load');
    expect(rule.expr).toBe('predict_linear(scaling:request_rate{scaling_target="chat"}[30m], 300)');
    expect(ScalingMetric.predictedRequestsPerSecond(10).recordingRule).toBe('scaling:predicted_load');
  });

  test('the HPA engine reads it as a Pods metric served by its own prometheus-adapter rule', () => {
    const { manifests } = synth({ metrics: [reactive(), ScalingMetric.predictedRequestsPerSecond(12)] });
    expect(ofKind(manifests, 'HorizontalPodAutoscaler').spec.metrics[1]).toEqual({
      type: 'Pods', pods: { metric: { name: 'scaling_predicted_load' }, target: { type: 'AverageValue', averageValue: '12' } },
    });
    const config = parseYaml(ofKind(manifests, 'ConfigMap').data['config.yaml']);
    expect(config.rules).toContainEqual({
      seriesQuery: 'scaling:predicted_load{namespace!="",pod!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: '^scaling:predicted_load$', as: 'scaling_predicted_load' },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    });
    const alerts = ofKind(manifests, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.alert === 'ScalingMetricAbsent');
    expect(alerts.map((a: any) => a.expr)).toEqual(['absent(scaling:request_rate{scaling_target="chat"})', 'absent(scaling:predicted_load{scaling_target="chat"})']);
  });

  test('the KEDA engine queries the service total of the prediction', () => {
    const { manifests } = synth({ metrics: [reactive(), ScalingMetric.predictedRequestsPerSecond(10)], engine: ScalingEngine.keda() });
    const trigger = ofKind(manifests, 'ScaledObject').spec.triggers[1];
    expect(trigger).toEqual({
      type: 'prometheus',
      name: 'predicted_load',
      metadata: {
        serverAddress: 'http://prometheus-operated.monitoring.svc:9090',
        query: 'sum(scaling:predicted_load{scaling_target="chat", namespace="serving"})',
        threshold: '10',
        ignoreNullValues: 'false',
      },
    });
    expect(promqlErrors(trigger.metadata.query)).toEqual([]);
    expect(allOfKind(manifests, 'ConfigMap')).toHaveLength(0);
  });

  test('the live prediction and the cron windows work together', () => {
    const p = plan();
    const metrics = ScalingMetric.predictedWindows(p, [reactive(), ScalingMetric.predictedRequestsPerSecond(10)]);
    const { manifests } = synth({ metrics, engine: ScalingEngine.keda() });
    expect(ofKind(manifests, 'ScaledObject').spec.triggers.map((t: any) => t.name)).toEqual([
      'request_rate', 'predicted_load', ...ScalingMetric.predictedWindows(p).map(m => m.triggerName),
    ]);
  });

  test('fails without a requests-per-second metric, whose rate the prediction extrapolates', () => {
    for (const engine of [ScalingEngine.hpa(), ScalingEngine.keda()]) {
      expect(() => synth({ metrics: [ScalingMetric.gpuUtilization(70), ScalingMetric.predictedRequestsPerSecond(10)], engine })).toThrow(
        "[test/chat] 'metrics[1]' (\"predicted requests per second (5 min ahead)\") scales on scaling:predicted_load, which is predicted from "
        + 'scaling:request_rate, and no metric records scaling:request_rate: add ScalingMetric.requestsPerSecond(...) to metrics '
        + '(the prediction extrapolates its last 30 minutes), or remove this metric');
    }
  });

  test('fails on a target of zero like every per-pod metric', () => {
    expect(() => synth({ metrics: [reactive(), ScalingMetric.predictedRequestsPerSecond(0)] })).toThrow(
      "[ScalingMetric.predictedRequestsPerSecond] 'perPod' (0) must be a number at least 0.001 and at most 1000000000: ");
  });
});
