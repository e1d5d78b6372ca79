import { Duration } from 'cdk8s';
import { invalidProp } from '../common/errors';
import { checkDuration, checkList, checkNumber, checkOptionalNumber, checkStruct, checkWhole } from '../common/validate';
import { findLimit, floorThousandths, LimitPoint, ObjectiveMs, ProfileRow, replicasFor } from './internal/slo-core';
import { infeasibleReason, limitReason, SLO_FIXES, SLO_PLANNER } from './internal/slo-messages';

/** A latency objective for a streaming LLM service, as 95th percentiles. */
export interface ServiceLevelObjective {
  /** The p95 time to first token the service must stay under. */
  readonly ttftP95: Duration;
  /** The p95 time between two output tokens (inter-token latency) the service must stay under. */
  readonly itlP95: Duration;
}

/**
 * One row of a load profile: what one replica did at one concurrency, as a benchmark measures it (e.g.
 * `vllm bench serve --max-concurrency N` with the service's prompt and output lengths).
 */
export interface LoadProfilePoint {
  /** Requests in flight during the measurement (the benchmark's `--max-concurrency`), a whole number from 1 to 100,000. */
  readonly concurrency: number;
  /** Requests completed per second at that concurrency (above 0). */
  readonly requestsPerSecond: number;
  /** The p95 time to first token measured at that concurrency. */
  readonly ttftP95: Duration;
  /** The p95 inter-token latency measured at that concurrency. */
  readonly itlP95: Duration;
  /**
   * Output tokens generated per second at that concurrency; give it on every row or on none.
   * @default - not measured: the plan has no tokens-per-second figures and cannot take a peak in tokens
   */
  readonly outputTokensPerSecond?: number;
  /**
   * The KV-cache usage the server reported at that concurrency, in percent (0 to 100); on every row or on none.
   * @default - not measured: the plan has no KV-cache target
   */
  readonly kvCacheUsagePercent?: number;
  /**
   * The requests the server held waiting at that concurrency (e.g. `vllm:num_requests_waiting`); on every row or on none.
   * @default - not measured: the plan has no waiting-requests target
   */
  readonly waitingRequests?: number;
}

/** Input of `SloPlanner.plan`. */
export interface SloPlannerProps {
  /** The latency objective. */
  readonly objective: ServiceLevelObjective;
  /** What one replica did at increasing concurrency: at least 2 rows, sorted by concurrency, at most 1,000. */
  readonly profile: LoadProfilePoint[];
  /**
   * The peak load in requests per second, for the replicas it needs.
   * @default - no replica count from requests
   */
  readonly peakRequestsPerSecond?: number;
  /**
   * The peak load in output tokens per second, for the replicas it needs (the profile must measure
   * `outputTokensPerSecond`). With `peakRequestsPerSecond` too, the plan takes the larger replica count.
   * @default - no replica count from tokens
   */
  readonly peakOutputTokensPerSecond?: number;
  /**
   * The share of a replica's limit the scaling targets keep free, in percent (0 to 90): the autoscaler adds replicas
   * while the running replicas still meet the objective, which covers the time new ones take to become ready.
   * @default 20
   */
  readonly headroomPercent?: number;
}

/** How often a latency objective was met on a simulated trace (`AutoscalerSimulator.run` with `serviceLevel`). */
export interface ServiceLevelReport {
  /** The requests per second one ready replica may carry within the objective (the plan's `requestsPerSecondPerReplica`). */
  readonly requestsPerSecondPerReplica: number;
  /** The share of the simulated time during which every ready replica carried at most that load (1 when all of it). */
  readonly timeMeetingObjectiveFraction: number;
  /** The share of the load (requests) that arrived while the objective held (1 when no load arrived). */
  readonly requestsMeetingObjectiveFraction: number;
  /** How long the objective was missed (resolved to the microsecond: read it with `toSeconds({ integral: false })`). */
  readonly timeMissingObjective: Duration;
}

/**
 * What one replica sustains within a latency objective, the per-replica targets to scale on, and the replicas a peak
 * needs; or why the objective cannot be met on the measured hardware (`feasible` false, with the `reason`).
 */
export class SloPlan {
  /** A plan from the planner's outcome. @internal */
  public static _of(objective: ServiceLevelObjective, headroomPercent: number, reason: string, point?: LimitPoint,
    peak?: { requestsPerSecond?: number; outputTokensPerSecond?: number }): SloPlan {
    return new SloPlan(objective, headroomPercent, reason, point, peak);
  }

  /** The objective planned for. */
  public readonly objective: ServiceLevelObjective;
  /** Whether one replica meets the objective at some measured concurrency. */
  public readonly feasible: boolean;
  /** Why the limit is where it is, or why there is none. */
  public readonly reason: string;
  /** The share of the limit the targets keep free, in percent. */
  public readonly headroomPercent: number;
  /** Whether the limit lies between two measured rows (interpolated), not on one. */
  public readonly interpolated: boolean;
  /**
   * The highest concurrency one replica holds within the objective.
   * @default - none when infeasible
   */
  public readonly concurrencyPerReplica?: number;
  /**
   * The requests per second one replica completes at that concurrency.
   * @default - none when infeasible
   */
  public readonly requestsPerSecondPerReplica?: number;
  /**
   * The output tokens per second one replica generates at that concurrency.
   * @default - none when infeasible or not measured
   */
  public readonly outputTokensPerSecondPerReplica?: number;
  /**
   * The p95 time to first token at the limit (measured, or interpolated).
   * @default - none when infeasible
   */
  public readonly ttftP95AtLimit?: Duration;
  /**
   * The p95 inter-token latency at the limit (measured, or interpolated).
   * @default - none when infeasible
   */
  public readonly itlP95AtLimit?: Duration;
  /**
   * The running requests per replica to scale on: the limit x (1 - headroom), rounded down to thousandths.
   * @default - none when infeasible
   */
  public readonly runningRequestsTarget?: number;
  /**
   * The waiting requests per replica to scale on: the waiting requests at the limit x (1 - headroom), rounded down to
   * thousandths; only when the profile measured a queue at the limit.
   * @default - none when infeasible, not measured, or no queue at the limit
   */
  public readonly waitingRequestsTarget?: number;
  /**
   * The KV-cache usage per replica to scale on, in percent: the usage at the limit x (1 - headroom), rounded down to
   * thousandths; only when at least 1 percent.
   * @default - none when infeasible, not measured, or below 1 percent
   */
  public readonly kvCacheUsagePercentTarget?: number;
  /**
   * The fewest replicas that serve the peak within the objective: ceil(peak / per-replica throughput at the limit), the
   * larger of the requests and tokens figures.
   * @default - none when infeasible or no peak was given
   */
  public readonly replicasAtPeak?: number;
  /**
   * The replicas the autoscaler runs at the peak, holding each at its targets: ceil(peak / (throughput at the limit x
   * (1 - headroom))).
   * @default - none when infeasible or no peak was given
   */
  public readonly replicasAtPeakWithHeadroom?: number;
  /**
   * The capacity left unused at the peak with `replicasAtPeak` replicas, in percent of their throughput at the limit.
   * @default - none when infeasible or no peak was given
   */
  public readonly spareCapacityAtPeakPercent?: number;

  private constructor(objective: ServiceLevelObjective, headroomPercent: number, reason: string, point?: LimitPoint,
    peak?: { requestsPerSecond?: number; outputTokensPerSecond?: number }) {
    this.objective = objective;
    this.headroomPercent = headroomPercent;
    this.reason = reason;
    this.feasible = point !== undefined;
    this.interpolated = point?.interpolated ?? false;
    if (point === undefined) return;
    const keep = 1 - headroomPercent / 100;
    this.concurrencyPerReplica = point.concurrency;
    this.requestsPerSecondPerReplica = round6(point.requestsPerSecond);
    this.outputTokensPerSecondPerReplica = point.outputTokensPerSecond === undefined ? undefined : round6(point.outputTokensPerSecond);
    this.ttftP95AtLimit = Duration.millis(round6(point.ttftMs));
    this.itlP95AtLimit = Duration.millis(round6(point.itlMs));
    this.runningRequestsTarget = floorThousandths(point.concurrency * keep);
    const waiting = point.waiting === undefined ? 0 : floorThousandths(point.waiting * keep);
    if (waiting > 0) this.waitingRequestsTarget = waiting;
    const kv = point.kvCachePercent === undefined ? 0 : floorThousandths(point.kvCachePercent * keep);
    if (kv >= 1) this.kvCacheUsagePercentTarget = kv;
    if (peak && (peak.requestsPerSecond !== undefined || peak.outputTokensPerSecond !== undefined)) {
      const needs: Array<[number, number]> = [];
      if (peak.requestsPerSecond !== undefined) needs.push([peak.requestsPerSecond, point.requestsPerSecond]);
      if (peak.outputTokensPerSecond !== undefined) needs.push([peak.outputTokensPerSecond, point.outputTokensPerSecond!]);
      this.replicasAtPeak = Math.max(...needs.map(([load, per]) => replicasFor(load, per)));
      this.replicasAtPeakWithHeadroom = Math.max(...needs.map(([load, per]) => replicasFor(load, per * keep)));
      // The least spare share over the loads given: the one that binds.
      const spare = Math.min(...needs.map(([load, per]) => 1 - load / (this.replicasAtPeak! * per)));
      this.spareCapacityAtPeakPercent = round6(Math.max(0, spare) * 100);
    }
  }
}

/**
 * Turns a latency objective and a load profile measured on one replica into per-replica scaling targets and a replica
 * count, or says that the hardware cannot meet the objective.
 *
 * Measure the profile on one replica of the service as it will run (same GPU, model, server flags, prompt and output
 * lengths), at increasing concurrency: e.g. `vllm bench serve --max-concurrency N --num-prompts 10N` for N = 1, 2, 4,
 * 8, ..., reading the requests per second, output tokens per second and the p95 TTFT and ITL it prints. The planner reads
 * the rows upwards: the limit is the highest concurrency before the first row that misses the objective, interpolated
 * linearly towards that row only when every column rises between the two (`interpolated` says so), and rounded down to
 * whole requests. The targets keep `headroomPercent` of the limit free; `ScalingMetric.fromSloPlan` turns them into
 * metrics.
 *
 * @example
 * const plan = SloPlanner.plan({
 *   objective: { ttftP95: Duration.millis(500), itlP95: Duration.millis(50) },
 *   profile: [
 *     { concurrency: 1, requestsPerSecond: 0.2, ttftP95: Duration.millis(80), itlP95: Duration.millis(20) },
 *     { concurrency: 8, requestsPerSecond: 1.4, ttftP95: Duration.millis(200), itlP95: Duration.millis(30) },
 *     { concurrency: 16, requestsPerSecond: 2.2, ttftP95: Duration.millis(700), itlP95: Duration.millis(60) },
 *   ],
 *   peakRequestsPerSecond: 20,
 * });
 */
export class SloPlanner {
  /** The default `headroomPercent`: 20. */
  public static readonly DEFAULT_HEADROOM_PERCENT = 20;
  /** The most rows a profile takes: 1,000. */
  public static readonly MAX_ROWS = 1000;

  /** Plans one replica's limit and targets. Throws for invalid props; an objective the hardware cannot meet is a plan with `feasible` false. */
  public static plan(props: SloPlannerProps): SloPlan {
    checkStruct(SLO_PLANNER, 'props', props, SLO_FIXES.props);
    checkStruct(SLO_PLANNER, 'objective', props.objective, SLO_FIXES.objective);
    const objective: ObjectiveMs = {
      ttftMs: latencyMs('objective.ttftP95', props.objective.ttftP95),
      itlMs: latencyMs('objective.itlP95', props.objective.itlP95),
    };
    const rows = checkProfile(props.profile);
    const peakRps = checkOptionalNumber(SLO_PLANNER, 'peakRequestsPerSecond', props.peakRequestsPerSecond,
      { min: 0, minExclusive: true, max: 1e9 }, SLO_FIXES.peakRequestsPerSecond);
    const peakTokens = checkOptionalNumber(SLO_PLANNER, 'peakOutputTokensPerSecond', props.peakOutputTokensPerSecond,
      { min: 0, minExclusive: true, max: 1e12 }, SLO_FIXES.peakOutputTokensPerSecond);
    if (peakTokens !== undefined && rows[0].outputTokensPerSecond === undefined) {
      invalidProp(SLO_PLANNER, 'peakOutputTokensPerSecond', peakTokens, 'needs the profile\'s outputTokensPerSecond, which no row gives',
        SLO_FIXES.peakTokensWithoutColumn);
    }
    const headroom = checkOptionalNumber(SLO_PLANNER, 'headroomPercent', props.headroomPercent, { min: 0, max: 90, what: 'a percent' },
      SLO_FIXES.headroomPercent) ?? SloPlanner.DEFAULT_HEADROOM_PERCENT;
    const objectiveOut: ServiceLevelObjective = { ttftP95: props.objective.ttftP95, itlP95: props.objective.itlP95 };

    const limit = findLimit(rows, objective);
    if (limit.kind === 'infeasible') return SloPlan._of(objectiveOut, headroom, infeasibleReason(limit.row, objective));
    let reason: string;
    if (limit.kind === 'all-meet') {
      reason = limitReason('all-meet', limit.point.concurrency);
    } else {
      const how = limit.point.interpolated ? 'interpolated' : limit.monotone ? 'row' : 'not-monotone';
      reason = limitReason(how, limit.point.concurrency, limit.lower, limit.upper);
    }
    return SloPlan._of(objectiveOut, headroom, reason, limit.point, { requestsPerSecond: peakRps, outputTokensPerSecond: peakTokens });
  }

  private constructor() {}
}

function round6(v: number): number {
  return Number(v.toFixed(6));
}

function latencyMs(prop: string, value: unknown): number {
  checkDuration(SLO_PLANNER, prop, value, { min: Duration.millis(0), minExclusive: true, max: Duration.hours(1) }, SLO_FIXES.latency);
  return (value as Duration).toMilliseconds({ integral: false });
}

const OPTIONAL_COLUMNS = ['outputTokensPerSecond', 'kvCacheUsagePercent', 'waitingRequests'] as const;

/** The profile, checked row by row: shapes, ranges, ascending concurrency, the same optional columns on every row. */
function checkProfile(value: unknown): ProfileRow[] {
  const list = checkList<unknown>(SLO_PLANNER, 'profile', value, { min: 2, max: SloPlanner.MAX_ROWS }, SLO_FIXES.profile);
  const rows = list.map((item, i): ProfileRow => {
    const at = `profile[${i}]`;
    checkStruct(SLO_PLANNER, at, item, SLO_FIXES.row);
    const r = item as LoadProfilePoint;
    return {
      concurrency: checkWhole(SLO_PLANNER, `${at}.concurrency`, r.concurrency, { min: 1, max: 100_000 }, SLO_FIXES.concurrency),
      requestsPerSecond: checkNumber(SLO_PLANNER, `${at}.requestsPerSecond`, r.requestsPerSecond, { min: 0, minExclusive: true, max: 1e6 },
        SLO_FIXES.requestsPerSecond),
      ttftMs: latencyMs(`${at}.ttftP95`, r.ttftP95),
      itlMs: latencyMs(`${at}.itlP95`, r.itlP95),
      outputTokensPerSecond: checkOptionalNumber(SLO_PLANNER, `${at}.outputTokensPerSecond`, r.outputTokensPerSecond,
        { min: 0, minExclusive: true, max: 1e9 }, SLO_FIXES.outputTokensPerSecond),
      kvCachePercent: checkOptionalNumber(SLO_PLANNER, `${at}.kvCacheUsagePercent`, r.kvCacheUsagePercent, { min: 0, max: 100, what: 'a percent' },
        SLO_FIXES.kvCacheUsagePercent),
      waiting: checkOptionalNumber(SLO_PLANNER, `${at}.waitingRequests`, r.waitingRequests, { min: 0, max: 100_000 }, SLO_FIXES.waitingRequests),
    };
  });
  rows.forEach((r, i) => {
    if (i > 0 && r.concurrency <= rows[i - 1].concurrency) {
      invalidProp(SLO_PLANNER, `profile[${i}].concurrency`, r.concurrency, `is not above the row before it (${rows[i - 1].concurrency})`, SLO_FIXES.sorted);
    }
  });
  for (const column of OPTIONAL_COLUMNS) {
    const given = list.map(item => (item as any)[column] !== undefined);
    const odd = given.findIndex(g => g !== given[0]);
    if (odd > 0) {
      invalidProp(SLO_PLANNER, `profile[${odd}].${column}`, (list[odd] as any)[column],
        given[0] ? 'is missing, and the first row gives it' : 'is given, and the first row does not give it', SLO_FIXES.sameColumns);
    }
  }
  return rows;
}
