import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';
import { mostly, nonFiniteNumbers, series, someDuration, sometimesMissing } from './arbitraries-planning';
import { startupEstimate } from './arbitraries-serving';
import { fuzzTest, numberProblems } from './harness';
import { PredictiveScaling } from '../../src';

/** A daily curve over some days, hourly, with noise: what the planner is for. */
const dailyHistory = fc.tuple(fc.integer({ min: 1, max: 21 }), fc.double({ min: 1, max: 300, noNaN: true }), fc.integer({ min: 0, max: 1000 }))
  .map(([days, peak, seed]) => Array.from({ length: days * 24 }, (_, i) => Math.max(0,
    peak * Math.sin(Math.PI * (i % 24) / 24) + ((seed * (i + 7)) % 13))));

const props = fc.oneof(
  {
    arbitrary: sometimesMissing(fc.record({
      history: mostly(dailyHistory, series(300, 0, 200, PredictiveScaling.MAX_HISTORY + 1), 5),
      interval: mostly(fc.constant(Duration.hours(1)), someDuration([Duration.minutes(30), Duration.minutes(15), Duration.seconds(30)]), 6),
      startTime: mostly(fc.date({
        min: new Date('2020-01-01'),
        max: new Date('2030-01-01'),
      }).map(d => new Date(Math.floor(d.getTime() / 60000) * 60000)),
      orWrong(fc.constantFrom(new Date(NaN), new Date('2025-03-03T00:00:30Z'), new Date(8.64e15), '2025-03-03T00:00:00Z'))),
      capacityPerReplica: mostly(fc.double({ min: 1, max: 100, noNaN: true }), orWrong(realNumber(1, 100))),
      targetUtilization: mostly(fc.constantFrom(undefined, 0.7), optional(realNumber(0.05, 1))),
      timeZone: mostly(fc.constantFrom(undefined, 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
        optional(fc.constantFrom('europe/berlin', 'Mars/Olympus', '', 'UTC', 'Europe/berlin'))),
      days: mostly(fc.constantFrom(undefined, 5, 7), optional(wholeNumber(1, 7))),
      startupEstimate: mostly(fc.constant(undefined), optional(startupEstimate)),
      leadTime: mostly(fc.constantFrom(undefined, Duration.minutes(10)), optional(someDuration([Duration.minutes(0), Duration.minutes(30),
        Duration.hours(23)]))),
      minReplicas: mostly(fc.constantFrom(undefined, 1, 2), optional(wholeNumber(1, PredictiveScaling.MAX_REPLICAS))),
      maxReplicas: mostly(fc.constantFrom(undefined, 20), optional(wholeNumber(1, PredictiveScaling.MAX_REPLICAS))),
      maxTriggers: mostly(fc.constantFrom(undefined, 4, 28), optional(wholeNumber(2, PredictiveScaling.MAX_TRIGGERS))),
      quantile: mostly(fc.constantFrom(undefined, 0.5, 0.9), optional(realNumber(0.01, 0.99))),
      at: mostly(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01') }), orWrong(fc.constant(new Date(NaN)))),
    }), ['history', 'interval', 'startTime', 'capacityPerReplica']),
    weight: 20,
  },
  { arbitrary: wrongType(), weight: 1 },
);

const CRON = /^([0-9]|[1-5][0-9]) ([0-9]|1[0-9]|2[0-3]) \* \* [0-6]$/;

describe('PredictiveScaling', () => {
  fuzzTest('PredictiveScaling.plan', props, (raw) => {
    const { at, ...p } = raw !== null && typeof raw === 'object' ? raw : { at: undefined } as any;
    const plan = PredictiveScaling.plan(raw !== null && typeof raw === 'object' ? p : raw);
    const min = p.minReplicas ?? 1;
    const out = [...nonFiniteNumbers(plan.windows.map(w => ({ ...w, startsAt: 0, endsAt: 0 })))];
    if (plan.windows.length * 2 > (p.maxTriggers ?? 28) && plan.windows.length > (p.maxTriggers ?? 28)) out.push(`${plan.windows.length} windows for ${p.maxTriggers} triggers`);
    plan.windows.forEach((w, i) => {
      if (!CRON.test(w.start) || !CRON.test(w.end)) out.push(`windows[${i}] cron is ${w.start} / ${w.end}`);
      out.push(...numberProblems(`windows[${i}].replicas`, w.replicas, { min: min + 1, max: p.maxReplicas ?? Infinity }));
      out.push(...numberProblems(`windows[${i}].peakLoad`, w.peakLoad, { min: 0 }));
      if (!(w.startsAt.getTime() < w.endsAt.getTime())) out.push(`windows[${i}] ends before it starts`);
    });
    out.push(...numberProblems('forecastScale', plan.forecastScale, { min: 0, max: 1 }));
    if (!plan.forecastUsed && plan.windows.length > 0) out.push('windows from a forecast the backtest rejected');
    if (plan.backtest) out.push(...nonFiniteNumbers(plan.backtest));
    // replicasAt: a window's replicas or 0, and a clear error for an invalid time.
    const r = plan.replicasAt(at);
    if (!(r === 0 || plan.windows.some(w => w.replicas === r))) out.push(`replicasAt gave ${r}, no window's replicas`);
    return out;
  });
});
