import { Duration } from 'cdk8s';
import { ScalingConfig } from './config';
import { CliError, configRejected, predictiveNeedsHours } from './messages';
import { Progress } from './progress';
import { HourlySeries, hourlyMeans, ReplannedSchedule, replannedSchedule } from './replanning';
import { Trace } from './trace';
import { AutoscalerSimulator, SimulationProps, SimulationResult } from '../planning/autoscaler-simulator';
import { ForecastEvaluation, ForecastQuantile, LoadForecaster } from '../planning/load-forecaster';

/** What the report is made from. */
export interface ReportInputs {
  readonly trace: Trace;
  readonly configs: ScalingConfig[];
  /** IANA zone of the users: the forecast's days and the charts' clock. */
  readonly timeZone: string;
  /** Requests each request of the trace stands for. */
  readonly scale: number;
}

/** One configuration replayed on the trace. */
export interface ConfigRun {
  readonly config: ScalingConfig;
  /** What AutoscalerSimulator was given (the load included). */
  readonly props: SimulationProps;
  readonly result: SimulationResult;
  /** Ready replicas x capacityPerReplica at the end of each step, in requests per second. */
  readonly readyCapacity: number[];
  /** Requests served: total load less unserved load. */
  readonly servedRequests: number;
  /** The PredictiveScaling plans replayed, when the config is predictive. */
  readonly schedule?: ReplannedSchedule;
}

/** The next day's forecast, with the last days of history before it. */
export interface ForecastView {
  /** Why there is no forecast; undefined when there is one. */
  readonly unavailable?: string;
  readonly intervalMinutes: number;
  /** Intervals of history the forecaster read. */
  readonly historyIntervals: number;
  /** Start of the history the forecaster read, in milliseconds since the epoch. */
  readonly historyStartMs: number;
  /** Start of the history shown, in milliseconds since the epoch. */
  readonly contextStartMs: number;
  /** The last days of history (mean requests per second per interval). */
  readonly context: number[];
  /** Start of the forecast, in milliseconds since the epoch: the end of the history. */
  readonly forecastStartMs: number;
  /** The forecast, mean requests per second per interval, one day of intervals. */
  readonly values: number[];
  readonly method: string;
  /** LoadForecaster's quantiles FORECAST_QUANTILES of the forecast (its backtest of the last 7 days), one per quantile; empty when none. */
  readonly quantiles: ForecastQuantile[];
  /** LoadForecaster.evaluate on the same history: its rolling next-day error against repeating yesterday or last week; undefined under 8 days. */
  readonly evaluation?: ForecastEvaluation;
}

/** The quantiles of the forecast drawn as a band: about one interval in ten falls under the first, one in ten above the second. */
export const FORECAST_QUANTILES = [0.1, 0.9];

/** Everything the page shows. */
export interface ReportModel {
  readonly inputs: ReportInputs;
  /** The trace as requests per second, one value per interval. */
  readonly load: number[];
  readonly stepSeconds: number;
  readonly runs: ConfigRun[];
  readonly forecast: ForecastView;
}

/** Days of history drawn before the forecast. */
export const CONTEXT_DAYS = 7;

/** The trace's counts per interval, scaled, as requests per second. */
export function loadOf(trace: Trace, scale: number): number[] {
  return trace.requests.map(count => (count * scale) / trace.intervalSeconds);
}

/** The simulator's input for a configuration on a load; exported so tests can replay exactly what the report did. */
export function simulationProps(config: ScalingConfig, load: number[], stepSeconds: number, scheduledReplicas?: number[]): SimulationProps {
  return { ...config.model, load, step: Duration.seconds(stepSeconds), behavior: config.behavior, scheduledReplicas };
}

/** Simulates every configuration and forecasts the next day. Throws a `CliError` for input the library rejects. */
export function buildReport(inputs: ReportInputs, progress: Progress): ReportModel {
  const { trace, configs, timeZone } = inputs;
  const stepSeconds = trace.intervalSeconds;
  const load = loadOf(trace, inputs.scale);
  const hourly = hourlyMeans(load, stepSeconds, trace.startMs);
  for (const config of configs) {
    if (config.predictive && typeof hourly === 'string') throw predictiveNeedsHours(config.source, hourly);
  }

  const runs = configs.map((config, i): ConfigRun => {
    progress.step(`simulating ${i + 1}/${configs.length} configs (${config.name})`);
    try {
      const schedule = config.predictive ? replannedSchedule({
        load,
        stepSeconds,
        startMs: trace.startMs,
        timeZone,
        ...predictiveOptions(config),
      }) : undefined;
      const props = simulationProps(config, load, stepSeconds, schedule?.scheduledReplicas);
      const result = AutoscalerSimulator.run(props);
      const capacity = config.model.capacityPerReplica;
      return {
        config,
        props,
        result,
        readyCapacity: result.readyReplicas.map(r => r * capacity),
        servedRequests: result.totalLoad - result.unservedLoad,
        schedule,
      };
    } catch (e) {
      // Only the library's own input errors (plain Errors) are the config's: a TypeError or RangeError is a bug, shown as it is.
      if (e instanceof CliError || !(e instanceof Error) || e.constructor !== Error) throw e;
      throw configRejected(config.source === 'preset' ? `preset ${config.name}` : config.source, (e as Error).message);
    }
  });

  progress.step('forecasting the next day');
  return { inputs, load, stepSeconds, runs, forecast: forecastView(load, stepSeconds, trace.startMs, timeZone, hourly) };
}

/**
 * What a predictive config asks of PredictiveScaling: replicas at the HPA's own target, capacityPerReplica x
 * targetUtilization, and its re-planning.
 */
function predictiveOptions(config: ScalingConfig) {
  const m = config.model;
  const p = config.predictive!;
  return {
    capacityPerReplica: m.capacityPerReplica,
    targetUtilization: m.targetUtilization,
    minReplicas: m.minReplicas,
    maxReplicas: m.maxReplicas,
    firstPlanAfter: p.firstPlanAfter,
    replanEvery: p.replanEvery,
    leadTime: p.leadTime,
    maxTriggers: p.maxTriggers,
  };
}

/** LoadForecaster on the hourly means of the load (or on the trace's own interval when it is hours that divide a day). */
function forecastView(load: number[], stepSeconds: number, startMs: number, timeZone: string, hourly: HourlySeries | string): ForecastView {
  let values: number[];
  let intervalMinutes: number;
  let seriesStartMs: number;
  if (typeof hourly !== 'string') {
    values = hourly.values;
    intervalMinutes = 60;
    seriesStartMs = hourly.startMs;
  } else if (stepSeconds % 3600 === 0 && 86400 % stepSeconds === 0) {
    values = load;
    intervalMinutes = stepSeconds / 60;
    seriesStartMs = startMs;
  } else {
    return unavailable(`the ${stepSeconds} s interval neither divides an hour nor is whole hours that divide a day`, stepSeconds);
  }
  if (values.length === 0) return unavailable('the trace holds no complete hour', stepSeconds);

  // The forecaster takes instants on a whole minute (as PredictiveScaling); a trace of whole hours may start off it.
  const startTime = new Date(Math.floor(seriesStartMs / 60_000) * 60_000);
  const interval = Duration.minutes(intervalMinutes);
  const forecast = LoadForecaster.forecast({
    history: values, interval, horizon: 1440 / intervalMinutes, startTime, timeZone, quantiles: FORECAST_QUANTILES,
  });
  let evaluation: ForecastEvaluation | undefined;
  try {
    // evaluate backtests against last week: it needs 8 days.
    if (values.length >= (8 * 1440) / intervalMinutes) evaluation = LoadForecaster.evaluate({ history: values, interval, startTime, timeZone });
  } catch (e) {
    // No load in the days it would backtest: nothing to say about its error. Anything else is a bug, shown as it is.
    if (!(e instanceof Error) || !e.message.includes('nothing to evaluate')) throw e;
  }
  const intervalMs = intervalMinutes * 60_000;
  const shown = Math.min(values.length, (CONTEXT_DAYS * 1440) / intervalMinutes);
  return {
    intervalMinutes,
    historyIntervals: values.length,
    historyStartMs: seriesStartMs,
    contextStartMs: seriesStartMs + (values.length - shown) * intervalMs,
    context: values.slice(values.length - shown),
    forecastStartMs: seriesStartMs + values.length * intervalMs,
    values: forecast.values,
    method: forecast.method,
    quantiles: forecast.quantiles,
    evaluation,
  };
}

function unavailable(reason: string, stepSeconds: number): ForecastView {
  return {
    unavailable: reason,
    intervalMinutes: stepSeconds / 60,
    historyIntervals: 0,
    historyStartMs: 0,
    contextStartMs: 0,
    context: [],
    forecastStartMs: 0,
    values: [],
    method: '',
    quantiles: [],
  };
}
