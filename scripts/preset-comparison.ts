/**
 * The README's comparison of scaling presets on the development trace, computed by AutoscalerSimulator.
 * `scripts/compare-presets.ts` prints it; a test checks that the README holds exactly this table.
 */
import { Duration } from 'cdk8s';
import { readTraceCsv } from './forecast-evaluation';
import { replannedSchedule } from '../src/cli/replanning';
import { AutoscalerSimulator, SimulationProps, SimulationResult } from '../src/planning/autoscaler-simulator';
import { ScalingBehavior } from '../src/planning/scaling-behavior';

/** The scenario, stated once so the README and the table agree. */
export const SCENARIO = {
  /** Each request of the trace stands for this many model requests. */
  loadScale: 20,
  /** One g4dn.xlarge replica serves 10 requests per second (the design document's figure) at $0.526 per hour. */
  capacityPerReplica: 10,
  priceUsdPerHour: 0.526,
  /** The HPA aims at 70% of a replica's capacity. */
  targetUtilization: 0.7,
  minReplicas: 2,
  maxReplicas: 30,
  timeToReady: Duration.minutes(3),
  /** PredictiveScaling is re-planned every 7 days from all the history so far, once 14 days are known, in the users' zone. */
  replanEvery: Duration.days(7),
  firstPlanAfter: Duration.days(14),
  timeZone: 'America/New_York',
};

/**
 * The replicas the cron windows of PredictiveScaling ask for at each step, re-planned weekly (a weekly re-synth) from
 * the hourly average of the load so far; 0 before the first plan.
 */
export function weeklyPlannedSchedule(load: number[], stepSeconds: number, startMs: number): number[] {
  return replannedSchedule({
    load,
    stepSeconds,
    startMs,
    timeZone: SCENARIO.timeZone,
    capacityPerReplica: SCENARIO.capacityPerReplica,
    targetUtilization: SCENARIO.targetUtilization,
    minReplicas: SCENARIO.minReplicas,
    maxReplicas: SCENARIO.maxReplicas,
    firstPlanAfter: SCENARIO.firstPlanAfter,
    replanEvery: SCENARIO.replanEvery,
  }).scheduledReplicas;
}

/** One compared configuration and its result. */
export interface ComparisonRow {
  readonly name: string;
  readonly result: SimulationResult;
  readonly servedRequests: number;
}

/** Simulates each configuration on the per-minute trace as requests per second. */
export function comparePresets(traceCsv: string): { rows: ComparisonRow[]; load: number[] } {
  const trace = readTraceCsv(traceCsv);
  const stepSeconds = trace.intervalMinutes * 60;
  const load = trace.values.map(v => (v * SCENARIO.loadScale) / stepSeconds);
  const peak = load.reduce((a, b) => Math.max(a, b), 0);
  const base: SimulationProps = {
    load,
    step: Duration.seconds(stepSeconds),
    minReplicas: SCENARIO.minReplicas,
    maxReplicas: SCENARIO.maxReplicas,
    capacityPerReplica: SCENARIO.capacityPerReplica,
    targetUtilization: SCENARIO.targetUtilization,
    timeToReady: SCENARIO.timeToReady,
    priceUsdPerHour: SCENARIO.priceUsdPerHour,
  };
  const fixed = Math.ceil(peak / SCENARIO.capacityPerReplica);
  const configs: Array<[string, SimulationProps]> = [
    ['ScalingBehavior.realTime()', { ...base, behavior: ScalingBehavior.realTime() }],
    ['ScalingBehavior.standard()', { ...base, behavior: ScalingBehavior.standard() }],
    ['HPA defaults (no behavior)', base],
    ['realTime() + PredictiveScaling (re-planned weekly from day 14)', {
      ...base, behavior: ScalingBehavior.realTime(), scheduledReplicas: weeklyPlannedSchedule(load, stepSeconds, trace.startMs),
    }],
    [`fixed at the peak (${fixed} replicas)`, { ...base, minReplicas: fixed, maxReplicas: fixed }],
  ];
  const rows = configs.map(([name, props]) => {
    const result = AutoscalerSimulator.run(props);
    return { name, result, servedRequests: result.totalLoad - result.unservedLoad };
  });
  return { rows, load };
}

/** The comparison as a Markdown table. */
export function comparisonTable(rows: ComparisonRow[]): string {
  const lines = [
    '| configuration | mean replicas | peak | cost (USD) | USD per hour | USD per million requests served | unserved | overloaded (min) | scale events (up/down) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { name, result: r, servedRequests } of rows) {
    const hours = r.duration.toSeconds({ integral: false }) / 3600;
    lines.push(`| ${name} | ${r.meanReplicas.toFixed(2)} | ${r.peakReplicas} | ${r.costUsd!.toFixed(2)} | ${(r.costUsd! / hours).toFixed(3)} | `
      + `${((r.costUsd! / servedRequests) * 1e6).toFixed(2)} | ${(r.unservedFraction * 100).toFixed(3)}% | `
      + `${(r.overloadedTime.toSeconds({ integral: false }) / 60).toFixed(0)} | ${r.scaleUpEvents}/${r.scaleDownEvents} |`);
  }
  return lines.join('\n');
}
