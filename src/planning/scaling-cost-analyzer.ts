import { Duration } from 'cdk8s';
import { InstanceCatalog, InstanceType } from './instance-catalog';
import {
  best, HorizontalCore, MS_PER_HOUR, planHorizontal, planVertical, ratesPerHour, SizeCore, StrategyPlan, TermsCore, totals, TraceCore,
} from './internal/cost-core';
import {
  cheaperReason, COST_ANALYZER, COST_FIXES, noServingFigures, requireInterval, requireLoads, requireMaxAtLeastMin, requireUtilization,
  requireWhole,
} from './internal/cost-messages';
import { invalidProp } from '../common/errors';
import { fromMicroUsd } from '../common/money';
import { checkInstance, checkList, checkOptionalInstant, checkString, checkStruct } from '../common/validate';

/** What to compare: a load trace, the catalog the types come from, and the terms both strategies are held to. */
export interface CostComparisonProps {
  /**
   * The load of each interval, in requests per second, in time order, constant within its interval: 1 to
   * `ScalingCostAnalyzer.MAX_STEPS` (1,000,000) values, each from 0 to `ScalingCostAnalyzer.MAX_LOAD` (10^12). Give it at
   * the trace's own resolution (e.g. per minute): hourly means hide the peaks within the hour and understate the cost.
   * @default - none: give `load` or the deprecated `loadPerHour`
   */
  readonly load?: number[];
  /**
   * The length of one `load` interval: whole seconds that divide an hour (e.g. `Duration.minutes(1)`).
   * @default Duration.hours(1)
   */
  readonly interval?: Duration;
  /**
   * When the first interval starts; the hourly breakdown follows clock hours (UTC), so a trace starting at 09:30 has
   * a first hour of 30 minutes, and `resizeEvery` windows are aligned to the clock.
   * @default - the trace starts on an hour
   */
  readonly startTime?: Date;
  /**
   * Average load of each hour, in requests per second: the same as `load` with `interval: Duration.hours(1)`.
   * @deprecated give `load` at the trace's resolution with `interval` (and `startTime`): hourly means understate cost
   * @default - none: give `load`
   */
  readonly loadPerHour?: number[];
  /**
   * The instance types: the horizontal type and the vertical types are taken from it, each with its price and its
   * `capacityPerReplica` (a type the comparison uses must have serving figures).
   * @default InstanceCatalog.designDocument()
   */
  readonly catalog?: InstanceCatalog;
  /**
   * The type the horizontal strategy scales out (its on-demand entry when the catalog holds both).
   * @default - the catalog's type with the least capacityPerReplica (ties: the cheaper): g4dn.xlarge in the design document's catalog
   */
  readonly horizontalType?: string;
  /**
   * The instance families the vertical strategy may move between (a family is the part of the name before the dot:
   * `g4dn` for `g4dn.xlarge`); their types with serving figures, ordered by capacity, are its sizes.
   * @default - the horizontal type's family
   */
  readonly verticalFamilies?: string[];
  /**
   * The fraction of capacity both strategies aim for (the rest is headroom for bursts): horizontal runs
   * ceil(load / (capacityPerReplica x targetUtilization)) replicas, vertical the cheapest size whose capacity x
   * targetUtilization holds the window's peak. From 0.01 to 1.
   * @default 0.7 (as InstanceSelector)
   */
  readonly targetUtilization?: number;
  /**
   * The fewest replicas of the horizontal type, even at no load (0 or more); the vertical strategy keeps at least
   * the same capacity (minReplicas x the horizontal type's capacityPerReplica), so both hold the same floor.
   * @default 2 (as InstanceSelector)
   */
  readonly minReplicas?: number;
  /**
   * The most replicas of the horizontal type (at least 1 and `minReplicas`, at most `ScalingCostAnalyzer.MAX_REPLICAS`,
   * 100,000); load beyond them is unserved.
   * @default 20 (the design document's)
   */
  readonly maxReplicas?: number;
  /**
   * How often the vertical strategy may move to another size (a resize restarts the instance, so not every interval):
   * whole seconds, at least the interval, at most a day.
   * @default Duration.hours(1)
   */
  readonly resizeEvery?: Duration;
}

/** One clock hour of one strategy. */
export interface HourlyCost {
  /** Index of the hour, from 0 (the hour the trace starts in). */
  readonly hour: number;
  /**
   * When the hour starts (on the clock, UTC).
   * @default - undefined when the comparison has no `startTime`
   */
  readonly start?: Date;
  /** How much of the hour the trace covers (less than an hour for a first hour started mid-hour, or a last one cut short). */
  readonly coveredTime: Duration;
  /** The mean load over the covered time, in requests per second. */
  readonly load: number;
  /** The highest load of an interval in the hour, in requests per second. */
  readonly peakLoad: number;
  /** The mean capacity over the covered time at full utilization, in requests per second. */
  readonly capacity: number;
  /** The mean load served over the covered time, in requests per second (`load` - `unservedLoad`). */
  readonly servedLoad: number;
  /** The mean load beyond the capacity over the covered time, in requests per second. */
  readonly unservedLoad: number;
  /** The requests that found no capacity in the hour. */
  readonly unservedRequests: number;
  /** Whether the load exceeded the capacity at any time in the hour. */
  readonly shortOfCapacity: boolean;
  /** How long in the hour the load was above the capacity (named as `SimulationResult.overloadedTime`). */
  readonly overloadedTime: Duration;
  /** What the hour costs, in US dollars. */
  readonly costUsd: number;
  /** What the hour costs, in integer micro-dollars (exact sums of price x time, rounded once per hour). */
  readonly costMicroUsd: number;
  /**
   * The replica counts the hour ran (horizontal: `"12"`, or `"3-12"` when it changed) or the sizes it ran, in order
   * (vertical: `"g4dn.xlarge"`, `"g4dn.xlarge, g4dn.2xlarge"`).
   */
  readonly replicasOrSize: string;
}

/** The cost of one strategy over the whole load. */
export interface StrategyCost {
  /** `horizontal` or `vertical`. */
  readonly name: string;
  /** Sum of the hourly costs, in US dollars. */
  readonly totalCostUsd: number;
  /** Sum of the hourly costs, in integer micro-dollars (exact). */
  readonly totalCostMicroUsd: number;
  /** Total cost divided by the trace's length in hours, in US dollars per hour. */
  readonly averageCostUsdPerHour: number;
  /**
   * Total cost per million requests served, in US dollars.
   * @default - undefined when nothing was served
   */
  readonly costUsdPerMillionRequestsServed?: number;
  /** The load integrated over time: requests offered. */
  readonly totalRequests: number;
  /** Requests served: the load up to the capacity, integrated over time. */
  readonly requestsServed: number;
  /**
   * Requests that found no capacity: (load - capacity) x time where the load is above the capacity at full
   * utilization, as `AutoscalerSimulator` reports `unservedLoad`.
   */
  readonly unservedRequests: number;
  /** unservedRequests / totalRequests (0 when no load). */
  readonly unservedFraction: number;
  /** How long the load was above the capacity. */
  readonly overloadedTime: Duration;
  /** Clock hours in which the load was above the capacity at some time. */
  readonly hoursShortOfCapacity: number;
  /** Instances x hours: replica-hours (horizontal), instance-hours (vertical, always one instance). */
  readonly instanceHours: number;
  /** The hours, in order. */
  readonly hourly: HourlyCost[];
}

/** Horizontal and vertical scaling priced over the same load on the same terms. */
export interface CostComparison {
  /** The horizontal strategy's cost. */
  readonly horizontal: StrategyCost;
  /** The vertical strategy's cost. */
  readonly vertical: StrategyCost;
  /**
   * The better strategy's name: the one that leaves the fewer requests unserved, then the cheaper; a full tie goes to
   * `horizontal`.
   */
  readonly cheaper: string;
  /** Why, with the numbers and the terms. */
  readonly reason: string;
  /** The type the horizontal strategy scaled out. */
  readonly horizontalType: string;
  /** The vertical strategy's sizes, by capacity (then price). */
  readonly verticalTypes: string[];
  /** The target utilization both strategies aimed for. */
  readonly targetUtilization: number;
  /**
   * The capacity both strategies kept at any load, in requests per second at full utilization: minReplicas x the
   * horizontal type's capacityPerReplica (the vertical strategy's smallest size is at least this).
   */
  readonly minimumCapacity: number;
  /** The fewest horizontal replicas. */
  readonly minReplicas: number;
  /** The most horizontal replicas. */
  readonly maxReplicas: number;
  /** The trace's interval. */
  readonly interval: Duration;
  /** How often the vertical strategy could resize. */
  readonly resizeEvery: Duration;
}

/** A type of the catalog, checked to have serving figures. */
interface PricedType {
  readonly name: string;
  readonly capacity: number;
  readonly priceMicroUsd: number;
}

/** 10000-01-01T00:00:00Z: a trace must end before it (hours are reported as Dates). */
const LAST_INSTANT_MS = 253_402_300_800_000;

/** The instance family of an EC2 type name: `g6` for `g6.xlarge`. */
function familyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

/**
 * Prices horizontal and vertical scaling over a load trace on equal terms, and says which is cheaper for the load
 * served.
 *
 * Use it to decide between adding replicas and moving to bigger instances before building either. Both strategies
 * come from one `InstanceCatalog` (the design document's by default): horizontal scales out one type, vertical moves
 * one instance between the sizes of a family. Both are held to the same headroom (`targetUtilization`) and the same
 * minimum capacity (`minReplicas` of the horizontal type), stated in the result.
 *
 * Both strategies are ideal: horizontal runs, in every interval, the replicas that interval's load needs (an
 * autoscaler that reacts at once, the lower bound of what an HPA costs; replay the trace with `AutoscalerSimulator`
 * for a reactive HPA's lag), and vertical runs, in every `resizeEvery` window, the size the window's peak needs. The
 * trace is priced at its own resolution: load above the capacity is unserved (integrated over time, as
 * `AutoscalerSimulator` reports it), never priced as if served. Money is summed exactly in integer micro-dollars.
 *
 * @example
 * // two hours in 10-minute intervals from 09:30 UTC: 12 rps, then 45 rps
 * const load = [12, 12, 12, 12, 12, 12, 45, 45, 45, 45, 45, 45];
 * const c = ScalingCostAnalyzer.compare({ load, interval: Duration.minutes(10), startTime: new Date('2026-03-02T09:30:00Z') });
 * const cheaper = c.cheaper; // 'horizontal'
 */
export class ScalingCostAnalyzer {
  /** The most hours a comparison may span: 100,000 (11 years). */
  public static readonly MAX_HOURS = 100_000;
  /** The most load values `compare` takes: 1,000,000 (almost 2 years of 1-minute intervals). */
  public static readonly MAX_STEPS = 1_000_000;
  /** The most values `ratesPerHour` takes: 10,000,000 (115 days of per-second counts). */
  public static readonly MAX_INTERVALS = 10_000_000;
  /** The largest load of an interval: 10^12 requests per second. */
  public static readonly MAX_LOAD = 1e12;
  /** The largest request count of one interval for `ratesPerHour`: 10^15. */
  public static readonly MAX_REQUESTS_PER_INTERVAL = 1e15;
  /** The largest minReplicas and maxReplicas: 100,000. */
  public static readonly MAX_REPLICAS = 100_000;

  /** Prices both strategies over the load (defaults: the design document's catalog, 0.7 utilization, 2 to 20 replicas). */
  public static compare(props: CostComparisonProps): CostComparison {
    checkStruct(COST_ANALYZER, 'props', props, 'give an object such as { load: [5, 40, 12], interval: Duration.minutes(1) }');
    const trace = ScalingCostAnalyzer.trace(props);
    const catalog = props.catalog === undefined ? InstanceCatalog.designDocument()
      : checkInstance(COST_ANALYZER, 'catalog', props.catalog, InstanceCatalog, COST_FIXES.catalog);
    const targetUtilization = props.targetUtilization ?? 0.7;
    requireUtilization('targetUtilization', targetUtilization, COST_FIXES.targetUtilization);
    if (targetUtilization < 0.01) invalidProp(COST_ANALYZER, 'targetUtilization', targetUtilization, 'must be at least 0.01', COST_FIXES.targetUtilization);
    const minReplicas = props.minReplicas ?? 2;
    const maxReplicas = props.maxReplicas ?? 20;
    requireWhole('minReplicas', minReplicas, 0, COST_FIXES.minReplicas);
    requireWhole('maxReplicas', maxReplicas, 1, COST_FIXES.maxReplicas);
    if (maxReplicas > ScalingCostAnalyzer.MAX_REPLICAS) {
      invalidProp(COST_ANALYZER, 'maxReplicas', maxReplicas, `must be at most ${ScalingCostAnalyzer.MAX_REPLICAS}`, COST_FIXES.maxReplicas);
    }
    requireMaxAtLeastMin(minReplicas, maxReplicas);
    const resizeMs = ScalingCostAnalyzer.resizeMs(props.resizeEvery, trace.intervalMs);

    const horizontalType = ScalingCostAnalyzer.horizontalType(catalog, props.horizontalType);
    const sizes = ScalingCostAnalyzer.verticalTypes(catalog, horizontalType, props.verticalFamilies);
    const minimumCapacity = minReplicas * horizontalType.capacity;
    const terms: TermsCore = { targetUtilization, minimumCapacity };
    const h: HorizontalCore = { priceMicroUsd: horizontalType.priceMicroUsd, capacityPerReplica: horizontalType.capacity, minReplicas, maxReplicas };

    const hours = Math.ceil((trace.startMs + trace.loads.length * trace.intervalMs) / MS_PER_HOUR) - Math.floor(trace.startMs / MS_PER_HOUR);
    const dearestHour = Math.max(maxReplicas * h.priceMicroUsd, ...sizes.map(z => z.priceMicroUsd));
    if (hours * dearestHour > Number.MAX_SAFE_INTEGER) {
      invalidProp(COST_ANALYZER, 'maxReplicas', maxReplicas, `makes the cost of ${hours} hours too large to hold exactly in micro-dollars`,
        'compare fewer hours at once, or fewer replicas');
    }
    const horizontal = ScalingCostAnalyzer.summarize('horizontal', planHorizontal(trace, h, terms), trace);
    const vertical = ScalingCostAnalyzer.summarize('vertical', planVertical(trace, sizes, terms, resizeMs), trace);
    const both = [horizontal, vertical];
    const winner = best(both.map(s => ({ unservedRequests: s.unservedRequests, costMicroUsd: s.totalCostMicroUsd })), horizontal.totalRequests);
    const figures = (s: StrategyCost) => ({
      name: s.name,
      totalCostUsd: s.totalCostUsd,
      unservedFraction: s.unservedFraction,
      unservedRequests: s.unservedRequests,
      shortSeconds: s.overloadedTime.toSeconds({ integral: false }),
    });
    return {
      horizontal,
      vertical,
      cheaper: both[winner].name,
      reason: cheaperReason(figures(both[winner]), figures(both[1 - winner]), terms),
      horizontalType: horizontalType.name,
      verticalTypes: sizes.map(z => z.name),
      targetUtilization,
      minimumCapacity,
      minReplicas,
      maxReplicas,
      interval: Duration.seconds(trace.intervalMs / 1000),
      resizeEvery: Duration.seconds(resizeMs / 1000),
    };
  }

  /**
   * Average requests per second of each clock hour, from request counts per interval (in time order). A partial hour
   * (the first, when the counts start mid-hour, or the last) is averaged over the seconds the counts cover in it. For
   * display: `compare` takes the per-interval load itself (counts / interval seconds), which keeps the peaks.
   * @param requestsPerInterval requests counted in each interval, 0 or more
   * @param interval length of one interval, whole seconds that divide an hour (e.g. `Duration.minutes(1)` or `Duration.hours(1)`)
   * @param startTime when the first interval starts; the hours are clock hours (UTC). Default: the counts start on an hour.
   */
  public static ratesPerHour(requestsPerInterval: number[], interval: Duration, startTime?: Date): number[] {
    checkList(COST_ANALYZER, 'requestsPerInterval', requestsPerInterval, { max: ScalingCostAnalyzer.MAX_INTERVALS }, COST_FIXES.requestsPerInterval);
    requireLoads('requestsPerInterval', requestsPerInterval, COST_FIXES.requestsPerInterval, ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL);
    const seconds = requireInterval(interval);
    const start = checkOptionalInstant(COST_ANALYZER, 'startTime', startTime, COST_FIXES.startTime);
    return ratesPerHour(requestsPerInterval, seconds, start?.getTime() ?? 0);
  }

  /** The load, its interval and its start, checked. */
  private static trace(props: CostComparisonProps): TraceCore {
    if (props.load !== undefined && props.loadPerHour !== undefined) {
      invalidProp(COST_ANALYZER, 'loadPerHour', props.loadPerHour, 'is given with load', COST_FIXES.oneLoad);
    }
    const hourly = props.load === undefined && props.loadPerHour !== undefined;
    const prop = hourly ? 'loadPerHour' : 'load';
    const fix = hourly ? COST_FIXES.loadPerHour : COST_FIXES.load;
    const loads = checkList<number>(COST_ANALYZER, prop, hourly ? props.loadPerHour : props.load, { max: ScalingCostAnalyzer.MAX_STEPS }, fix);
    requireLoads(prop, loads, fix, ScalingCostAnalyzer.MAX_LOAD);
    if (hourly && props.interval !== undefined) {
      invalidProp(COST_ANALYZER, 'interval', props.interval, 'is given with loadPerHour (hourly by definition)', 'give load with interval instead of loadPerHour');
    }
    const intervalMs = requireInterval(props.interval ?? Duration.hours(1)) * 1000;
    const start = checkOptionalInstant(COST_ANALYZER, 'startTime', props.startTime, COST_FIXES.startTime);
    const startMs = start?.getTime() ?? 0;
    if (startMs + loads.length * intervalMs > LAST_INSTANT_MS) {
      invalidProp(COST_ANALYZER, 'startTime', start!.toISOString(), 'puts the end of the trace after the year 9999', COST_FIXES.startTime);
    }
    const hours = Math.ceil((startMs + loads.length * intervalMs) / MS_PER_HOUR) - Math.floor(startMs / MS_PER_HOUR);
    if (hours > ScalingCostAnalyzer.MAX_HOURS) {
      invalidProp(COST_ANALYZER, prop, `${loads.length} values`, `span ${hours} hours, more than ${ScalingCostAnalyzer.MAX_HOURS}`,
        'compare a shorter trace, or split it');
    }
    return { loads, intervalMs, startMs };
  }

  /** `resizeEvery` in milliseconds: whole seconds from the interval to a day. */
  private static resizeMs(resizeEvery: Duration | undefined, intervalMs: number): number {
    const given = resizeEvery ?? Duration.hours(1);
    const seconds = given instanceof Duration ? given.toSeconds({ integral: false }) : NaN;
    if (!Number.isInteger(seconds) || seconds * 1000 < intervalMs || seconds > 86_400) {
      invalidProp(COST_ANALYZER, 'resizeEvery', given, `must be whole seconds from the interval (${intervalMs / 1000} s) to a day`,
        COST_FIXES.resizeEvery);
    }
    return seconds * 1000;
  }

  /** A type the comparison uses, with its serving figures (or an error naming it). */
  private static priced(prop: string, t: InstanceType): PricedType {
    if (t.capacityPerReplica === undefined) noServingFigures(prop, t.name);
    return { name: t.name, capacity: t.capacityPerReplica, priceMicroUsd: t.priceMicroUsdPerHour };
  }

  private static horizontalType(catalog: InstanceCatalog, name: string | undefined): PricedType {
    if (catalog.types.length === 0) invalidProp(COST_ANALYZER, 'catalog', 'an empty catalog', 'holds no type', COST_FIXES.catalog);
    if (name === undefined) {
      const withFigures = catalog.types.filter(t => t.capacityPerReplica !== undefined);
      if (withFigures.length === 0) noServingFigures('catalog', catalog.types[0].name);
      const smallest = withFigures.reduce((a, b) => b.capacityPerReplica! < a.capacityPerReplica!
        || (b.capacityPerReplica === a.capacityPerReplica && b.priceMicroUsdPerHour < a.priceMicroUsdPerHour) ? b : a);
      return ScalingCostAnalyzer.priced('horizontalType', smallest);
    }
    checkString(COST_ANALYZER, 'horizontalType', name, COST_FIXES.horizontalType);
    const t = catalog.find(name) ?? catalog.types.find(x => x.name === name);
    if (!t) invalidProp(COST_ANALYZER, 'horizontalType', name, 'is no type of the catalog', COST_FIXES.horizontalType);
    return ScalingCostAnalyzer.priced('horizontalType', t);
  }

  private static verticalTypes(catalog: InstanceCatalog, horizontal: PricedType, families: string[] | undefined): SizeCore[] {
    const wanted = families === undefined ? [familyOf(horizontal.name)]
      : checkList<string>(COST_ANALYZER, 'verticalFamilies', families, { min: 1, max: InstanceCatalog.MAX_TYPES }, COST_FIXES.verticalFamilies);
    const known = new Set(catalog.types.map(t => familyOf(t.name)));
    wanted.forEach((f, i) => {
      checkString(COST_ANALYZER, `verticalFamilies[${i}]`, f, COST_FIXES.verticalFamilies);
      if (!known.has(f)) invalidProp(COST_ANALYZER, `verticalFamilies[${i}]`, f, 'is no family of the catalog', COST_FIXES.verticalFamilies);
    });
    // One entry per name: the on-demand one when the catalog holds both capacity types.
    const byName = new Map<string, InstanceType>();
    for (const t of catalog.types) {
      if (!wanted.includes(familyOf(t.name))) continue;
      const seen = byName.get(t.name);
      if (!seen || (seen.capacityType !== 'on-demand' && t.capacityType === 'on-demand')) byName.set(t.name, t);
    }
    return [...byName.values()].map(t => ScalingCostAnalyzer.priced('verticalFamilies', t))
      .sort((a, b) => a.capacity - b.capacity || a.priceMicroUsd - b.priceMicroUsd)
      .map(t => ({ name: t.name, capacity: t.capacity, priceMicroUsd: t.priceMicroUsd }));
  }

  private static summarize(name: string, plan: StrategyPlan, trace: TraceCore): StrategyCost {
    const t = totals(plan);
    const totalCostUsd = fromMicroUsd(t.costMicroUsd);
    const requestsServed = Math.max(0, t.requests - t.unservedRequests);
    const spanHours = trace.loads.length * trace.intervalMs / MS_PER_HOUR;
    const withStart = trace.startMs !== 0;
    return {
      name,
      totalCostUsd,
      totalCostMicroUsd: t.costMicroUsd,
      averageCostUsdPerHour: totalCostUsd / spanHours,
      costUsdPerMillionRequestsServed: requestsServed > 0 ? finiteOrUndefined(totalCostUsd / requestsServed * 1_000_000) : undefined,
      totalRequests: t.requests,
      requestsServed,
      unservedRequests: t.unservedRequests,
      unservedFraction: t.requests > 0 ? t.unservedRequests / t.requests : 0,
      overloadedTime: Duration.millis(t.shortMs),
      hoursShortOfCapacity: plan.hours.filter(p => p.shortMs > 0).length,
      instanceHours: plan.instanceHours,
      hourly: plan.hours.map(p => {
        const seconds = p.coveredMs / 1000;
        const load = seconds > 0 ? p.requests / seconds : 0;
        const unservedLoad = seconds > 0 ? p.unservedRequests / seconds : 0;
        return {
          hour: p.hour,
          start: withStart ? new Date(p.startMs) : undefined,
          coveredTime: Duration.millis(p.coveredMs),
          load,
          peakLoad: p.peakLoad,
          capacity: seconds > 0 ? p.capacitySeconds / seconds : 0,
          servedLoad: Math.max(0, load - unservedLoad),
          unservedLoad,
          unservedRequests: p.unservedRequests,
          shortOfCapacity: p.shortMs > 0,
          overloadedTime: Duration.millis(p.shortMs),
          costUsd: fromMicroUsd(p.costMicroUsd),
          costMicroUsd: p.costMicroUsd,
          replicasOrSize: p.replicasOrSize,
        };
      }),
    };
  }

  private constructor() {}
}

/** A ratio, or undefined when nothing (or too little to divide by) was served. */
function finiteOrUndefined(ratio: number): number | undefined {
  return Number.isFinite(ratio) ? ratio : undefined;
}
