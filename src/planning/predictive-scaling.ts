import { Duration } from 'cdk8s';
import { invalidProp, requireInteger } from '../common/errors';
import { cronAt, inRange, MINUTES_PER_WEEK, minuteOfWeek, PlannedWindow, planWeeklyWindows } from './internal/cron-windows';
import { ForecastEvaluation, LoadForecaster } from './load-forecaster';
import { StartupEstimate, TimeToCapacity } from './time-to-capacity';
import { instantShown, isInstant, tzSpellingProblem, wallTime, zoneFormatter } from '../common/time-zones';
import { checkList, checkNumber, checkString, checkStruct } from '../common/validate';

const OWNER = 'PredictiveScaling';
const MS_PER_MINUTE = 60_000;

/** The fix for each prop the planner checks, so every message has the same advice. */
const FIXES = {
  history: 'give at least one value per interval, each a finite number of 0 or more, in the unit of capacityPerReplica '
    + '(e.g. requests per second averaged over the interval)',
  interval: 'give the interval length in whole minutes that divides a day, e.g. Duration.minutes(15) or Duration.hours(1)',
  startTime: 'give the instant of history[0] as a Date on a whole minute, e.g. new Date("2025-03-03T00:00:00Z")',
  capacityPerReplica: 'give the load one replica serves at full utilization, in the unit of history, e.g. 10 (requests per second)',
  targetUtilization: 'give the fraction of capacityPerReplica the autoscaler aims at, e.g. 0.7 (the rest is headroom), or 1',
  timeZone: 'give an IANA time zone name spelled as in the tz database, e.g. "Europe/Berlin" or "America/New_York"',
  days: 'give a whole number of days from 1 to 7: the windows repeat every week',
  leadTime: 'give whole minutes below a day, e.g. Duration.minutes(10), about the time a replica takes to start and load its model',
  minReplicas: 'give the autoscaler\'s minReplicas: windows at or below it add nothing',
  maxReplicas: 'give the autoscaler\'s maxReplicas, at least minReplicas',
  quantile: 'give the quantile of the forecast to plan from, from 0.01 to 0.99 (e.g. 0.9 for more headroom, 0.5 for less), or leave it unset',
  maxTriggers: 'give at least 2: a floor held all week takes two cron triggers, since KEDA rejects a window whose start equals its end',
} as const;

function invalid(prop: keyof typeof FIXES, value: unknown, problem: string, shownProp: string = prop): never {
  return invalidProp(OWNER, shownProp, value, problem, FIXES[prop]);
}

/** Input of `PredictiveScaling.plan`. */
export interface PredictiveScalingProps {
  /**
   * Observed load, one value per interval, oldest first, in the unit of `capacityPerReplica`: e.g. requests per
   * second averaged over each interval (Prometheus: `sum(rate(http_requests_total[1h]))` at a 1 h step). Four
   * weeks or more let the forecast learn the weekly cycle; zeros are real quiet intervals, not missing data. At most
   * `PredictiveScaling.MAX_HISTORY` (1,000,000) values.
   */
  readonly history: number[];
  /** Length of one interval, in whole minutes that divide a day, e.g. `Duration.hours(1)` for hourly values. */
  readonly interval: Duration;
  /** The instant at which history[0] starts, on a whole minute. The forecast starts where the history ends. */
  readonly startTime: Date;
  /** The load one replica serves at full utilization, in the unit of `history` (e.g. requests per second). */
  readonly capacityPerReplica: number;
  /**
   * The fraction (0, 1] of `capacityPerReplica` the autoscaler aims at; the rest is headroom for forecast error
   * and for peaks within an interval, which an average hides. Use the autoscaler's own: with
   * `ScalingMetric.requestsPerSecond(7)` and replicas that serve 10 requests per second, 0.7. From 0.01 to 1.
   * @default 1
   */
  readonly targetUtilization?: number;
  /**
   * IANA time zone the cron windows are written in (local wall-clock time), and whose days and weeks the forecast
   * follows. Use the zone the traffic follows.
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * Days of forecast turned into windows, from the end of the history. With 7 the windows cover the whole week
   * and keep repeating it; with fewer, only those days get windows (the other days are left to the reactive
   * metrics), so re-synth at least that often.
   * @default 7
   */
  readonly days?: number;
  /**
   * How much earlier than the forecast load each window starts, so new replicas are ready (pulled, loaded, warm)
   * when the load arrives. Windows end when the forecast load does; scaling down is left to the autoscaler's behavior.
   * At least the replicas' whole startup estimate (`TimeToCapacity.total(estimate)`, rounded up to minutes): the
   * guardrails check it where the autoscaler has a `startupEstimate` (rule time-to-capacity).
   * Shorter than `startupEstimate` is an error.
   * @default - `TimeToCapacity.leadTime(startupEstimate)` when it is given, else Duration.minutes(10)
   */
  readonly leadTime?: Duration;
  /**
   * How long a new replica takes to become ready (the model server's `startupEstimate`): the default lead time
   * (its total, rounded up to whole minutes), and the least a given `leadTime` may be.
   * @default - not known: leadTime is taken as given
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * The autoscaler's minReplicas: intervals that need no more than this get no window (the autoscaler's
   * own minimum covers them). 1 to `PredictiveScaling.MAX_REPLICAS` (10,000).
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * The most replicas a window holds (use the autoscaler's maxReplicas; KEDA never exceeds it anyway), at most 10,000.
   * @default PredictiveScaling.MAX_REPLICAS (10,000)
   */
  readonly maxReplicas?: number;
  /**
   * The most cron triggers (windows). Above it, the neighbouring pair of windows whose merge adds the fewest
   * replica-hours is merged (the merged window takes the higher replicas and covers the gap), until within the cap:
   * capacity is never lost, only added. At least 2. Cron triggers are cheap for KEDA (no call outside the
   * operator); fewer of them cost idle replicas: on the example's daily curve, 12 triggers hold 30 % more
   * replica-hours than the uncapped plan, 28 hold 13 % more. At most `PredictiveScaling.MAX_TRIGGERS` (1,000).
   * @default 28 (four a day)
   */
  readonly maxTriggers?: number;
  /**
   * Plan the windows from this quantile of the forecast (`LoadForecaster`'s `quantiles`, from a backtest of the
   * last week) instead of the point forecast, from 0.01 to 0.99: 0.9 holds more replicas ahead of the load (fewer
   * intervals short), 0.5 or below fewer (windows that rarely hold replicas the reactive metrics would not).
   * @default - the point forecast scaled down until, on a backtest of the last 14 days, the windows would have held
   * capacity above the load by at most `PredictiveScaling.FLOOR_EXCESS` (0.5%) of it
   */
  readonly quantile?: number;
}

/** One window of a predictive plan: at least `replicas` replicas from `start` to `end`, every week. */
export interface PredictedWindow {
  /** Cron expression of the window's start (`minute hour * * day-of-week`), in the plan's time zone. */
  readonly start: string;
  /** Cron expression of the window's end, in the plan's time zone. */
  readonly end: string;
  /**
   * The replicas the window holds: ceil(forecast / (capacityPerReplica x targetUtilization)), the highest over the
   * window.
   */
  readonly replicas: number;
  /**
   * The window's first start in the forecast: the lead time before the load, so it may lie before the end of the
   * history.
   */
  readonly startsAt: Date;
  /** The window's first end. */
  readonly endsAt: Date;
  /** The highest forecast load within the window, in the unit of the history. */
  readonly peakLoad: number;
}

/**
 * Capacity ahead of demand: a load forecast turned into weekly KEDA cron windows of minimum replicas.
 *
 * Use it for an InferenceAutoscaler whose load follows a daily or weekly cycle and whose replicas take minutes to
 * start (pull, load the model): each window holds a minimum number of replicas, and the reactive metrics keep
 * scaling above it.
 *
 * `plan` forecasts the next week from the history with `LoadForecaster` (its days and weeks follow the local
 * calendar of `timeZone`), turns each interval into replicas (ceil(forecast / (capacityPerReplica x
 * targetUtilization)), at most maxReplicas), drops the intervals the autoscaler's minReplicas already covers, starts each window
 * `leadTime` early, merges equal neighbouring windows, and merges further (never lowering any interval) until
 * at most `maxTriggers` remain. Give the windows to an InferenceAutoscaler with `ScalingEngine.keda()` next to the
 * reactive metrics (`ScalingMetric.predictedWindows(plan, reactive)` joins them): the HPA takes the largest recommendation, so a window is a floor,
 * never a ceiling.
 *
 * The forecast is fixed at synth time. Re-synth (and deploy) weekly from the latest history, and daily while
 * traffic is changing (a launch, a new customer, a holiday season). When traffic drifts from the forecast, the
 * reactive metrics still scale above the windows, so under-forecast load falls back to reactive scaling (with its
 * usual delay), and over-forecast load costs the idle replicas the windows hold. For the live part, add
 * `ScalingMetric.predictedRequestsPerSecond`, which scales on the autoscaler's five-minute linear prediction.
 *
 * The windows repeat weekly in local wall-clock time (KEDA's cron trigger, robfig/cron), so they follow the
 * local day across daylight-saving changes. No window starts or ends in a wall-clock minute a change in the next
 * year skips or repeats (the cron would not fire, or fire twice, that week): such a boundary is moved to just
 * before or after it, widening the window.
 *
 * @see https://keda.sh/docs/latest/scalers/cron/
 * @example
 * // Requests per second, hourly, over the two days that start on Monday 3 March 2025 in Berlin.
 * const lastTwoDays = [12, 9, 8, 8, 10, 20, 45, 70, 80, 85, 90, 88, 86, 84, 80, 75, 70, 60, 50, 40, 30, 22, 16, 13,
 *   11, 9, 8, 9, 11, 21, 47, 72, 83, 86, 92, 90, 87, 85, 82, 76, 71, 62, 51, 41, 31, 23, 17, 14];
 * const plan = PredictiveScaling.plan({
 *   history: lastTwoDays,
 *   interval: Duration.hours(1),
 *   startTime: new Date('2025-03-02T23:00:00Z'),
 *   timeZone: 'Europe/Berlin',
 *   capacityPerReplica: 10,
 *   minReplicas: 2,
 *   maxReplicas: 20,
 *   leadTime: Duration.minutes(15),
 * });
 * new InferenceAutoscaler(chart, 'chat', {
 *   modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
 *   minReplicas: 2,
 *   maxReplicas: 20,
 *   metrics: ScalingMetric.predictedWindows(plan, [ScalingMetric.requestsPerSecond(10), ScalingMetric.predictedRequestsPerSecond(10)]),
 *   engine: ScalingEngine.keda(),
 * });
 */
export class PredictiveScaling {
  /** Name prefix of the plan's cron triggers: `predicted_1`, `predicted_2`, ... in the order of `windows`. */
  public static readonly TRIGGER_PREFIX = 'predicted_';
  /** The most values `history` may hold: `LoadForecaster.MAX_HISTORY` (1,000,000). */
  public static readonly MAX_HISTORY = LoadForecaster.MAX_HISTORY;
  /** The most cron triggers `maxTriggers` may allow: 1,000 (a ScaledObject with more is slow to reconcile). */
  public static readonly MAX_TRIGGERS = 1_000;
  /** The most replicas `minReplicas` and `maxReplicas` may name: 10,000. */
  public static readonly MAX_REPLICAS = 10_000;
  /**
   * Without `quantile`, the windows hold the forecast scaled down so that, on a backtest of the last 14 days, they
   * would have held capacity above the load by at most this fraction of it (0.005): the cost a floor adds over
   * reactive scaling alone is that excess, and more where windows merge or lead the load. Replayed on the synthetic
   * traces through AutoscalerSimulator (`npx projen forecast:error`), 0.01 added 1.1-3.7% per million served, 0.005
   * adds 0.6-3.0% for nearly the same cut in unserved load.
   */
  public static readonly FLOOR_EXCESS = 0.005;
  /** Days at the end of the history `plan` backtests the forecast on (`LoadForecaster.evaluate`'s protocol): 28. */
  public static readonly BACKTEST_DAYS = 28;

  /** Forecasts the load and plans the windows. Throws for invalid props. */
  public static plan(props: PredictiveScalingProps): PredictiveScaling {
    const p = checkProps(props);
    const fmt = zoneFormatter(p.timeZone);
    const t0 = p.startMs + props.history.length * p.intervalMinutes * MS_PER_MINUTE;
    // Days and weeks of the forecast follow the local calendar: the forecaster sees the history shifted by the
    // local offset at the end of the history, and forecasts one local week.
    const horizon = (7 * 1440) / p.intervalMinutes;
    const forecast = LoadForecaster.forecast({
      history: props.history,
      interval: props.interval,
      horizon,
      startTime: props.startTime,
      timeZone: p.timeZone,
      quantiles: p.quantile === undefined ? undefined : [p.quantile],
    });
    // Without a quantile, the floor is the forecast scaled down until, on the last two weeks' backtest, it would have
    // held replicas above the load by at most FLOOR_EXCESS of it: a floor costs max(floor, load), so its excess is
    // the cost added over reactive scaling alone.
    const scale = p.quantile === undefined
      ? LoadForecaster._floorScaleChecked(props.history, props.interval, props.startTime, p.timeZone, 14, PredictiveScaling.FLOOR_EXCESS)
      : 1;
    const loads = p.quantile === undefined ? forecast.values.map(v => v * scale) : forecast.quantiles[0].values;
    // Windows only where forecasting beats repeating yesterday or last week on this history: otherwise a window
    // holds replicas for load that does not come, and the reactive metrics alone cost less.
    const backtest = LoadForecaster._evaluateChecked(props.history, props.interval, props.startTime, p.timeZone, PredictiveScaling.BACKTEST_DAYS);
    const method = `${forecast.method}, on local days in ${p.timeZone}`
      + (p.quantile === undefined ? `, floors at ${scale.toFixed(2)}x the forecast` : `, at quantile ${p.quantile}`);
    if (backtest !== undefined && !backtest.modelWins) {
      return new PredictiveScaling([], p.timeZone, method, backtest, false, scale, p.lead);
    }
    const perReplica = p.capacityPerReplica * p.targetUtilization;
    const replicasOf = (load: number): number => {
      // The epsilon keeps a load worth exactly 3 replicas, computed as 3.0000000000000004, at 3 rather than 4.
      let r = Math.ceil(load / perReplica - 1e-9);
      r = Math.min(r, p.maxReplicas ?? PredictiveScaling.MAX_REPLICAS);
      return r > p.minReplicas ? r : 0;
    };
    const windows = planWeeklyWindows({
      fmt,
      t0,
      intervalMinutes: p.intervalMinutes,
      days: p.days,
      leadMinutes: p.lead,
      maxWindows: p.maxTriggers,
      loads,
      replicas: loads.map(replicasOf),
    });
    return new PredictiveScaling(windows, p.timeZone, method, backtest, true, scale, p.lead);
  }

  /**
   * The checks `plan` makes of every prop but the series (history, interval, startTime), for tools that take the
   * options before they have a history (the report command's JSON config). Throws as `plan` would.
   * @internal
   */
  public static _checkOptions(options: Omit<PredictiveScalingProps, 'history' | 'interval' | 'startTime'>): void {
    checkOptions(options);
  }

  /** The cron windows, in the order of their first start. */
  public readonly windows: PredictedWindow[];
  /** The time zone of the cron windows. */
  public readonly timeZone: string;
  /** How the load was forecast. */
  public readonly forecastMethod: string;
  /**
   * The rolling next-day backtest of the forecast on the last (up to) `BACKTEST_DAYS` days of the history, against
   * repeating yesterday and last week; undefined for a history of less than 8 days (or with no load in those days).
   */
  public readonly backtest?: ForecastEvaluation;
  /**
   * Whether the windows come from the forecast: false when the backtest says forecasting does not beat the
   * seasonal-naive baselines on this history; the plan then has no windows (the reactive metrics alone scale), and
   * `backtest` holds the figures. True without a backtest (less than 8 days of history).
   */
  public readonly forecastUsed: boolean;
  /**
   * The factor the point forecast was scaled by before it became replicas: without `quantile`, the largest factor
   * up to 1 whose backtested excess over the load is at most `FLOOR_EXCESS` (e.g. 0.93); 1 with `quantile` (the
   * quantile's own values are used).
   */
  public readonly forecastScale: number;
  /**
   * How much earlier than the forecast load each window starts (`leadTime`, whole minutes). The guardrails compare it
   * with the startup estimate of the workload whose autoscaler holds the windows (rule time-to-capacity).
   */
  public readonly leadTime: Duration;

  private readonly fmt: Intl.DateTimeFormat;
  /** The windows in numbers, as planned: `replicasAt` reads these, never the cron text. */
  private readonly planned: PlannedWindow[];

  private constructor(planned: PlannedWindow[], timeZone: string, forecastMethod: string, backtest: ForecastEvaluation | undefined,
    forecastUsed: boolean, forecastScale: number, leadMinutes: number) {
    this.fmt = zoneFormatter(timeZone);
    this.leadTime = Duration.minutes(leadMinutes);
    this.planned = planned;
    this.windows = planned.map(w => ({
      start: cronAt(w.startMinute),
      end: cronAt(w.endMinute),
      replicas: w.replicas,
      startsAt: new Date(w.startsAtMs),
      endsAt: new Date(w.endsAtMs),
      peakLoad: w.peakLoad,
    }));
    this.timeZone = timeZone;
    this.forecastMethod = forecastUsed ? forecastMethod
      : `${forecastMethod}; not used: the backtest says ${backtest?.summary ?? ''}`;
    this.backtest = backtest;
    this.forecastUsed = forecastUsed;
    this.forecastScale = forecastScale;
  }

  /**
   * The replicas the plan's cron triggers ask for at an instant: the most of the windows active then (a window is
   * active from its start minute up to, not including, its end minute, in wall-clock time of the plan's zone), or 0
   * when none is (KEDA then reports 1, which minReplicas covers). Feed it to `AutoscalerSimulator` as
   * `scheduledReplicas` to replay a trace against the plan.
   * @param time the instant, e.g. `new Date('2025-03-10T08:00:00Z')`
   */
  public replicasAt(time: Date): number {
    if (!isInstant(time)) {
      invalidProp(OWNER, 'time', instantShown(time), 'is not a valid Date', "give the instant as a Date, e.g. new Date('2025-03-10T08:00:00Z')");
    }
    const minute = minuteOfWeek(wallTime(this.fmt, time.getTime()));
    let replicas = 0;
    for (const w of this.planned) {
      const length = (w.endMinute - w.startMinute + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
      if (w.replicas > replicas && inRange(minute, w.startMinute, length)) replicas = w.replicas;
    }
    return replicas;
  }
}

/** The props that say how to plan, not what was observed. */
type PredictiveOptions = Omit<PredictiveScalingProps, 'history' | 'interval' | 'startTime'>;

interface CheckedProps {
  readonly intervalMinutes: number;
  readonly startMs: number;
  readonly capacityPerReplica: number;
  readonly targetUtilization: number;
  readonly timeZone: string;
  readonly days: number;
  readonly lead: number;
  readonly minReplicas: number;
  readonly maxReplicas?: number;
  readonly maxTriggers: number;
  readonly quantile?: number;
}

function checkProps(props: PredictiveScalingProps): CheckedProps {
  checkStruct(OWNER, 'props', props, 'give an object such as { history, interval: Duration.hours(1), startTime, capacityPerReplica: 10 }');
  const { history, interval, startTime } = props;
  if (Array.isArray(history) && history.length === 0) invalid('history', history, 'must not be empty');
  checkList(OWNER, 'history', history, { min: 1, max: PredictiveScaling.MAX_HISTORY }, FIXES.history);
  history.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) invalid('history', v, 'must be a finite number of 0 or more', `history[${i}]`);
  });
  if (!(interval instanceof Duration)) invalid('interval', interval, 'must be a Duration');
  const intervalMinutes = interval.toMilliseconds({ integral: false }) / MS_PER_MINUTE;
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < 1 || 1440 % intervalMinutes !== 0) {
    invalid('interval', `${intervalMinutes * 60}s`, 'must be a whole number of minutes that divides 1440 (a day)');
  }
  // A Date is an instant: no zone designator to check, unlike the text it may have been parsed from.
  if (!isInstant(startTime)) invalid('startTime', instantShown(startTime), 'is not a valid Date');
  const startMs = startTime.getTime();
  if (startMs % MS_PER_MINUTE !== 0) invalid('startTime', instantShown(startTime), 'is not on a whole minute (cron has minutes only)');
  return { intervalMinutes, startMs, ...checkOptions(props) };
}

/** Every prop but the series (history, interval, start). */
function checkOptions(props: PredictiveOptions): Omit<CheckedProps, 'intervalMinutes' | 'startMs'> {
  const capacityPerReplica = props.capacityPerReplica;
  if (typeof capacityPerReplica !== 'number' || !Number.isFinite(capacityPerReplica) || capacityPerReplica <= 0) {
    invalid('capacityPerReplica', capacityPerReplica, 'must be a number above zero');
  }
  const targetUtilization = props.targetUtilization ?? 1;
  if (typeof targetUtilization !== 'number' || !Number.isFinite(targetUtilization) || targetUtilization <= 0 || targetUtilization > 1) {
    invalid('targetUtilization', targetUtilization, 'must be a fraction above 0 and at most 1');
  }
  if (targetUtilization < 0.01) invalid('targetUtilization', targetUtilization, 'must be at least 0.01');
  const timeZone = props.timeZone ?? 'Etc/UTC';
  checkString(OWNER, 'timeZone', timeZone, FIXES.timeZone, 256);
  checkTimeZone(timeZone);
  const days = props.days ?? 7;
  if (!Number.isInteger(days) || days < 1 || days > 7) invalid('days', days, 'must be a whole number from 1 to 7');
  if (props.leadTime !== undefined && !(props.leadTime instanceof Duration)) invalid('leadTime', props.leadTime, 'must be a Duration');
  const estimate = props.startupEstimate === undefined ? undefined : TimeToCapacity._resolve(OWNER, 'startupEstimate', props.startupEstimate);
  const needed = estimate === undefined ? undefined : TimeToCapacity.leadTime(estimate);
  const leadSeconds = (props.leadTime ?? needed ?? Duration.minutes(10)).toSeconds({ integral: false });
  if (!(leadSeconds >= 0 && leadSeconds < 86400 && leadSeconds % 60 === 0)) {
    invalid('leadTime', `${leadSeconds}s`, 'must be whole minutes from 0 to under a day');
  }
  if (estimate !== undefined && props.leadTime !== undefined) {
    const total = TimeToCapacity.total(estimate).toSeconds({ integral: false });
    if (leadSeconds < total) {
      invalidProp(OWNER, 'leadTime', `${leadSeconds}s`, `is shorter than the ${+total.toFixed(3)} s the startupEstimate gives a new replica to become ` +
        `ready: a window's new replicas would be ready ${+(total - leadSeconds).toFixed(3)} s after the forecast load`,
      `give a leadTime of at least Duration.minutes(${needed!.toMinutes()}), or leave it out to take that`);
    }
  }
  const minReplicas = props.minReplicas ?? 1;
  requireInteger(OWNER, 'minReplicas', minReplicas, 1, PredictiveScaling.MAX_REPLICAS, FIXES.minReplicas);
  if (props.maxReplicas !== undefined) {
    requireInteger(OWNER, 'maxReplicas', props.maxReplicas, 1, PredictiveScaling.MAX_REPLICAS, FIXES.maxReplicas);
    if (props.maxReplicas < minReplicas) {
      invalidProp(OWNER, 'maxReplicas', props.maxReplicas, `is below 'minReplicas' (${minReplicas})`, 'raise maxReplicas or lower minReplicas');
    }
  }
  const maxTriggers = props.maxTriggers ?? 28;
  requireInteger(OWNER, 'maxTriggers', maxTriggers, 2, PredictiveScaling.MAX_TRIGGERS, FIXES.maxTriggers);
  const lead = leadSeconds / 60;
  const quantile = props.quantile === undefined ? undefined
    : checkNumber(OWNER, 'quantile', props.quantile, { min: 0.01, max: 0.99, what: 'a quantile' }, FIXES.quantile);
  return { capacityPerReplica, targetUtilization, timeZone, days, lead, minReplicas, maxReplicas: props.maxReplicas, maxTriggers, quantile };
}

/** KEDA loads the zone with Go's time.LoadLocation, which needs the exact tz database name (case included). */
function checkTimeZone(timeZone: string): void {
  const problem = tzSpellingProblem(timeZone);
  if (problem?.kind === 'unknown') invalid('timeZone', timeZone, 'is not a time zone of the tz database');
  if (problem?.kind === 'case') {
    invalidProp(OWNER, 'timeZone', timeZone, 'differs from the tz database name only in case, and KEDA (Go) matches names case-sensitively',
      `write "${problem.spelled}"`);
  }
  if (problem?.kind === 'spelling') {
    invalid('timeZone', timeZone, 'is not spelled as the tz database spells names (each part starts with a capital letter)');
  }
}
