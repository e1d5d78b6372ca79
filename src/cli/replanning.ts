/**
 * A load series replayed against PredictiveScaling as a team would run it: re-planned (re-synthesized) every few days
 * from the history known so far. Shared by the scaling report (src/cli) and the README's preset comparison
 * (scripts/preset-comparison.ts), so both replay the same plans.
 */
import { Duration } from 'cdk8s';
import { PredictiveScaling } from '../planning/predictive-scaling';

const MS_PER_HOUR = 3_600_000;

/** A series of hourly means, or why a load series has none. */
export interface HourlySeries {
  /** Index of the first load step that starts a whole hour (UTC); steps before it are not in `values`. */
  readonly firstStep: number;
  /** Load steps per hour. */
  readonly stepsPerHour: number;
  /** Start of values[0] (a whole UTC hour), in milliseconds since the epoch. */
  readonly startMs: number;
  /** The mean of each complete hour's steps, from `firstStep` on. */
  readonly values: number[];
}

/**
 * The mean load of each complete hour (whole UTC hours, so that hours start where the calendar's do), or a reason
 * when the step does not divide an hour.
 */
export function hourlyMeans(load: number[], stepSeconds: number, startMs: number): HourlySeries | string {
  const stepsPerHour = 3600 / stepSeconds;
  if (!Number.isInteger(stepsPerHour)) return `the ${stepSeconds} s interval does not divide an hour`;
  const stepMs = stepSeconds * 1000;
  let firstStep = 0;
  while (firstStep < load.length && (startMs + firstStep * stepMs) % MS_PER_HOUR !== 0) firstStep++;
  if (firstStep >= stepsPerHour) return 'no step starts on a whole hour';
  const values: number[] = [];
  for (let h = firstStep; h + stepsPerHour <= load.length; h += stepsPerHour) {
    let sum = 0;
    for (let i = h; i < h + stepsPerHour; i++) sum += load[i];
    values.push(sum / stepsPerHour);
  }
  return { firstStep, stepsPerHour, startMs: startMs + firstStep * stepMs, values };
}

/** Input of `replannedSchedule`. */
export interface ReplanProps {
  /** The load, one value per step, in the unit of `capacityPerReplica` (e.g. requests per second). */
  readonly load: number[];
  readonly stepSeconds: number;
  /** Start of load[0], in milliseconds since the epoch. */
  readonly startMs: number;
  readonly timeZone: string;
  /** PredictiveScaling's `capacityPerReplica`: the load one replica serves at full utilization. */
  readonly capacityPerReplica: number;
  /** PredictiveScaling's `targetUtilization` (its default when undefined). */
  readonly targetUtilization?: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** History known before the first plan: whole days. */
  readonly firstPlanAfter: Duration;
  /** Time between plans (a re-synth): whole days. */
  readonly replanEvery: Duration;
  /** PredictiveScaling's `leadTime` (its default when undefined). */
  readonly leadTime?: Duration;
  /** PredictiveScaling's `maxTriggers` (its default when undefined). */
  readonly maxTriggers?: number;
}

/** The schedule and the plans it was made of. */
export interface ReplannedSchedule {
  /** The replicas the cron windows ask for at each load step; 0 before the first plan. */
  readonly scheduledReplicas: number[];
  /** The load step at which each plan takes over. */
  readonly planSteps: number[];
  /** The cron windows of each plan. */
  readonly windowCounts: number[];
}

/**
 * The replicas the cron windows of PredictiveScaling ask for at each step, re-planned every `replanEvery` from the
 * hourly means of the load so far, once `firstPlanAfter` is known; 0 before the first plan. The step must divide
 * an hour.
 */
export function replannedSchedule(props: ReplanProps): ReplannedSchedule {
  const { load, stepSeconds, startMs } = props;
  const hourly = hourlyMeans(load, stepSeconds, startMs);
  if (typeof hourly === 'string') throw new Error(`PredictiveScaling needs hourly means of the load: ${hourly}`);
  const { firstStep, stepsPerHour } = hourly;
  const stepsPerDay = 24 * stepsPerHour;
  const stepMs = stepSeconds * 1000;
  const scheduledReplicas = new Array<number>(load.length).fill(0);
  const planSteps: number[] = [];
  const windowCounts: number[] = [];
  const firstDay = props.firstPlanAfter.toDays();
  const everyDays = props.replanEvery.toDays();
  for (let day = firstDay; firstStep + day * stepsPerDay < load.length; day += everyDays) {
    const plan = PredictiveScaling.plan({
      history: hourly.values.slice(0, day * 24),
      interval: Duration.hours(1),
      startTime: new Date(hourly.startMs),
      timeZone: props.timeZone,
      capacityPerReplica: props.capacityPerReplica,
      targetUtilization: props.targetUtilization,
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      leadTime: props.leadTime,
      maxTriggers: props.maxTriggers,
    });
    const from = firstStep + day * stepsPerDay;
    const to = Math.min(load.length, from + everyDays * stepsPerDay);
    for (let i = from; i < to; i++) scheduledReplicas[i] = plan.replicasAt(new Date(startMs + i * stepMs));
    planSteps.push(from);
    windowCounts.push(plan.windows.length);
  }
  return { scheduledReplicas, planSteps, windowCounts };
}
