import { Duration } from 'cdk8s';
import {
  best, HourPlan, planHorizontal, planVertical, ratesPerHour, SECONDS_PER_HOUR, SizeCore, totals,
} from './internal/cost-core';
import {
  badSizeName, cheaperReason, COST_ANALYZER, COST_FIXES, requireAboveZero, requireInterval, requireLoads, requireMaxAtLeastMin,
  requirePrice, requireSome, requireUtilization, requireWhole,
} from './internal/cost-messages';
import { invalidProp } from '../common/errors';
import { fromMicroUsd, toMicroUsd } from '../common/money';
import { checkList, checkStruct } from '../common/validate';

/** Scaling out: identical replicas added and removed with the load. */
export interface HorizontalStrategyProps {
  /** What one replica (its instance) costs, in US dollars per hour (0.000001 to `ScalingCostAnalyzer.MAX_PRICE_USD_PER_HOUR`, 10,000). */
  readonly priceUsdPerHour: number;
  /** The load one replica serves at full utilization, in requests per second (at most `ScalingCostAnalyzer.MAX_LOAD`, 10^12). */
  readonly capacityPerReplica: number;
  /** The fewest replicas, even at no load (whole number, 0 or more). */
  readonly minReplicas: number;
  /**
   * The most replicas; load beyond them is reported unserved (whole number, at least `minReplicas` and 1, at most
   * `ScalingCostAnalyzer.MAX_REPLICAS`, 100,000).
   */
  readonly maxReplicas: number;
  /**
   * The fraction of a replica's capacity the autoscaler aims for; below 1 keeps headroom for bursts, and a
   * replica then counts for `capacityPerReplica x targetUtilization`. From 0.01 to 1.
   * @default 1
   */
  readonly targetUtilization?: number;
}

/** One instance size a vertical strategy may move the workload to. */
export interface VerticalSize {
  /** Label of the size, e.g. `xlarge` (unique within a strategy). */
  readonly name: string;
  /** The load the size serves at full utilization, in requests per second (at most 10^12). */
  readonly capacityPerReplica: number;
  /** What the size costs, in US dollars per hour (0.000001 to 10,000). */
  readonly priceUsdPerHour: number;
}

/** Scaling up: one instance, resized every hour to the size the load needs. */
export interface VerticalStrategyProps {
  /** The sizes to choose from, in any order: 1 to `ScalingCostAnalyzer.MAX_SIZES` (1,000). */
  readonly sizes: VerticalSize[];
}

/** What to compare: an hourly load and the two strategies. */
export interface CostComparisonProps {
  /**
   * Average load of each hour, in requests per second (1 to `ScalingCostAnalyzer.MAX_HOURS`, 100,000, values, each from 0 to 10^12). From per-interval
   * request counts: `ScalingCostAnalyzer.ratesPerHour(counts, interval)`.
   */
  readonly loadPerHour: number[];
  /**
   * The horizontal strategy.
   * @default - the design document's: g4dn.xlarge replicas at $0.526/h serving 10 rps each, 2 to 20 replicas,
   * target utilization 1
   */
  readonly horizontal?: HorizontalStrategyProps;
  /**
   * The vertical strategy.
   * @default - the design document's sizes: small 10 rps $0.526/h, medium 30 rps $1.204/h, large 80 rps $3.06/h,
   * xlarge 150 rps $12.24/h
   */
  readonly vertical?: VerticalStrategyProps;
}

/** One hour of one strategy. */
export interface HourlyCost {
  /** Index of the hour, from 0. */
  readonly hour: number;
  /** The load of the hour, in requests per second. */
  readonly load: number;
  /**
   * The load the strategy can serve this hour, in requests per second: replicas x capacity per replica x target
   * utilization (horizontal), or the size's capacity (vertical).
   */
  readonly capacity: number;
  /** The load served, in requests per second: the load, or the capacity when the load exceeds it. */
  readonly servedLoad: number;
  /** The load beyond the capacity, in requests per second (0 when the hour is served). */
  readonly unservedLoad: number;
  /** Whether the load exceeded what the strategy can provide at its largest. */
  readonly shortOfCapacity: boolean;
  /** What the hour costs, in US dollars. */
  readonly costUsd: number;
  /** What the hour costs, in integer micro-dollars (exact). */
  readonly costMicroUsd: number;
  /** The replica count (horizontal, e.g. `"12"`) or the size's name (vertical, e.g. `"xlarge"`). */
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
  /** Total cost divided by the hours, in US dollars per hour. */
  readonly averageCostUsdPerHour: number;
  /**
   * Total cost per million requests served (served = min(load, capacity) x 3600 per hour), in US dollars.
   * @default - undefined when nothing was served (the load is 0 every hour, or too small to divide by)
   */
  readonly costUsdPerMillionRequestsServed?: number;
  /**
   * Total cost per unit of load served (the sum of the hourly served loads, in requests per second), in US
   * dollars: the design document's "cost efficiency", on served load.
   * @default - undefined when nothing was served
   */
  readonly costUsdPerUnitLoadServed?: number;
  /** Requests served, summed over the hours (served load x 3600 per hour). */
  readonly requestsServed: number;
  /** Hours whose load exceeded the strategy's capacity at its largest. */
  readonly hoursShortOfCapacity: number;
  /** Requests that found no capacity, summed over the hours (unserved load x 3600 per hour). */
  readonly unservedRequests: number;
  /** The hours, in order. */
  readonly hourly: HourlyCost[];
}

/** Horizontal and vertical scaling priced over the same load. */
export interface CostComparison {
  /** The horizontal strategy's cost. */
  readonly horizontal: StrategyCost;
  /** The vertical strategy's cost. */
  readonly vertical: StrategyCost;
  /**
   * The better strategy's name: the cheaper of those that serve every hour; when neither does, the one with
   * the fewest hours short of capacity, then the fewest unserved requests, then the lower cost. A full tie
   * goes to `horizontal`.
   */
  readonly cheaper: string;
  /** Why, with the numbers. */
  readonly reason: string;
}

const DOCUMENT_HORIZONTAL: HorizontalStrategyProps = {
  priceUsdPerHour: 0.526, capacityPerReplica: 10, minReplicas: 2, maxReplicas: 20, targetUtilization: 1,
};
const DOCUMENT_VERTICAL: VerticalStrategyProps = {
  sizes: [
    { name: 'small', capacityPerReplica: 10, priceUsdPerHour: 0.526 },
    { name: 'medium', capacityPerReplica: 30, priceUsdPerHour: 1.204 },
    { name: 'large', capacityPerReplica: 80, priceUsdPerHour: 3.06 },
    { name: 'xlarge', capacityPerReplica: 150, priceUsdPerHour: 12.24 },
  ],
};

/**
 * Prices horizontal and vertical scaling over an hourly load, and says which is cheaper for the load served.
 *
 * Use it to decide between adding replicas and moving to bigger instances before building either. Unlike a
 * cost-per-capacity estimate, every hour is priced at the replicas or size it needs, load beyond the
 * strategy's largest capacity is reported as unserved (never priced as if served), and the cost per request
 * is taken over the requests actually served. Money is summed in integer micro-dollars, so totals are exact.
 *
 * @example
 * const requestsPerHour = [36000, 54000, 72000, 180000, 288000, 360000];
 * const rps = ScalingCostAnalyzer.ratesPerHour(requestsPerHour, Duration.hours(1)); // [10, 15, 20, 50, 80, 100]
 * const c = ScalingCostAnalyzer.compare({ loadPerHour: rps });
 * const cheaper = c.cheaper; // 'horizontal'
 */
export class ScalingCostAnalyzer {
  /** The most hours `loadPerHour` may hold: 100,000 (11 years). */
  public static readonly MAX_HOURS = 100_000;
  /** The most values `ratesPerHour` takes: 10,000,000 (115 days of per-second counts). */
  public static readonly MAX_INTERVALS = 10_000_000;
  /** The largest load of an hour and capacity of a replica or size: 10^12 requests per second. */
  public static readonly MAX_LOAD = 1e12;
  /** The largest request count of one interval for `ratesPerHour`: 10^15. */
  public static readonly MAX_REQUESTS_PER_INTERVAL = 1e15;
  /** The largest minReplicas and maxReplicas: 100,000. */
  public static readonly MAX_REPLICAS = 100_000;
  /** The highest price of a replica or size: 10,000 US dollars per hour. */
  public static readonly MAX_PRICE_USD_PER_HOUR = 10_000;
  /** The most vertical sizes: 1,000. */
  public static readonly MAX_SIZES = 1_000;

  /** Prices both strategies over the load (defaults: the design document's figures). */
  public static compare(props: CostComparisonProps): CostComparison {
    checkStruct(COST_ANALYZER, 'props', props, 'give an object such as { loadPerHour: [5, 40, 12] }');
    checkList(COST_ANALYZER, 'loadPerHour', props.loadPerHour, { max: ScalingCostAnalyzer.MAX_HOURS }, COST_FIXES.loadPerHour);
    requireLoads('loadPerHour', props.loadPerHour, COST_FIXES.loadPerHour, ScalingCostAnalyzer.MAX_LOAD);
    checkStruct(COST_ANALYZER, 'horizontal', props.horizontal, 'give { priceUsdPerHour, capacityPerReplica, minReplicas, maxReplicas }, or leave it unset', true);
    checkStruct(COST_ANALYZER, 'vertical', props.vertical, 'give { sizes: [...] }, or leave it unset', true);
    const h = props.horizontal ?? DOCUMENT_HORIZONTAL;
    const targetUtilization = h.targetUtilization ?? 1;
    requirePrice('horizontal.priceUsdPerHour', h.priceUsdPerHour, COST_FIXES.priceUsdPerHour);
    requireAboveZero('horizontal.capacityPerReplica', h.capacityPerReplica, COST_FIXES.capacityPerReplica);
    requireWhole('horizontal.minReplicas', h.minReplicas, 0, COST_FIXES.minReplicas);
    requireWhole('horizontal.maxReplicas', h.maxReplicas, 1, COST_FIXES.maxReplicas);
    requireMaxAtLeastMin(h.minReplicas, h.maxReplicas);
    atMost('horizontal.priceUsdPerHour', h.priceUsdPerHour, ScalingCostAnalyzer.MAX_PRICE_USD_PER_HOUR, COST_FIXES.priceUsdPerHour);
    atMost('horizontal.capacityPerReplica', h.capacityPerReplica, ScalingCostAnalyzer.MAX_LOAD, COST_FIXES.capacityPerReplica);
    atLeast('horizontal.capacityPerReplica', h.capacityPerReplica, 0.000001, COST_FIXES.capacityPerReplica);
    atLeast('horizontal.targetUtilization', targetUtilization, 0.01, COST_FIXES.targetUtilization);
    atMost('horizontal.maxReplicas', h.maxReplicas, ScalingCostAnalyzer.MAX_REPLICAS, COST_FIXES.maxReplicas);
    exactTotal('horizontal.priceUsdPerHour', h.priceUsdPerHour, h.maxReplicas, props.loadPerHour.length);
    requireUtilization('horizontal.targetUtilization', targetUtilization, COST_FIXES.targetUtilization);
    const sizes = ScalingCostAnalyzer.sizes(props.vertical ?? DOCUMENT_VERTICAL);
    sizes.forEach((z, i) => exactTotal(`vertical.sizes[${i}].priceUsdPerHour`, fromMicroUsd(z.priceMicroUsd), 1, props.loadPerHour.length));

    const loads = [...props.loadPerHour];
    const horizontal = ScalingCostAnalyzer.summarize('horizontal', planHorizontal(loads, {
      priceMicroUsd: toMicroUsd(h.priceUsdPerHour),
      capacityPerReplica: h.capacityPerReplica,
      minReplicas: h.minReplicas,
      maxReplicas: h.maxReplicas,
      targetUtilization,
    }));
    const vertical = ScalingCostAnalyzer.summarize('vertical', planVertical(loads, sizes));
    const both = [horizontal, vertical];
    const winner = best(both.map(s => ({
      hoursShort: s.hoursShortOfCapacity, unservedLoad: s.unservedRequests, costMicroUsd: s.totalCostMicroUsd,
    })));
    return {
      horizontal,
      vertical,
      cheaper: both[winner].name,
      reason: cheaperReason(both[winner], both[1 - winner]),
    };
  }

  /**
   * Average requests per second of each hour, from request counts per interval (in time order, starting on
   * an hour). A trailing partial hour is averaged over the intervals it has, not over a full hour.
   * @param requestsPerInterval requests counted in each interval, 0 or more
   * @param interval length of one interval, whole seconds that divide an hour (e.g. `Duration.minutes(1)` or `Duration.hours(1)`)
   */
  public static ratesPerHour(requestsPerInterval: number[], interval: Duration): number[] {
    checkList(COST_ANALYZER, 'requestsPerInterval', requestsPerInterval, { max: ScalingCostAnalyzer.MAX_INTERVALS }, COST_FIXES.requestsPerInterval);
    requireLoads('requestsPerInterval', requestsPerInterval, COST_FIXES.requestsPerInterval, ScalingCostAnalyzer.MAX_REQUESTS_PER_INTERVAL);
    return ratesPerHour(requestsPerInterval, requireInterval(interval));
  }

  private static sizes(v: VerticalStrategyProps): SizeCore[] {
    checkStruct(COST_ANALYZER, 'vertical', v, 'give { sizes: [...] }, or leave it unset');
    requireSome('vertical.sizes', v.sizes, COST_FIXES.sizes);
    checkList(COST_ANALYZER, 'vertical.sizes', v.sizes, { max: ScalingCostAnalyzer.MAX_SIZES }, COST_FIXES.sizes);
    const seen = new Set<string>();
    return v.sizes.map((s, i) => {
      checkStruct(COST_ANALYZER, `vertical.sizes[${i}]`, s, COST_FIXES.sizes);
      if (typeof s.name !== 'string' && s.name !== undefined) {
        invalidProp(COST_ANALYZER, `vertical.sizes[${i}].name`, s.name, 'must be a string', COST_FIXES.sizeName);
      }
      if (!s.name || seen.has(s.name)) badSizeName(i, s.name, seen.has(s.name));
      seen.add(s.name);
      requireAboveZero(`vertical.sizes[${i}].capacityPerReplica`, s.capacityPerReplica, COST_FIXES.sizeCapacity);
      requirePrice(`vertical.sizes[${i}].priceUsdPerHour`, s.priceUsdPerHour, COST_FIXES.sizePrice);
      atLeast(`vertical.sizes[${i}].capacityPerReplica`, s.capacityPerReplica, 0.000001, COST_FIXES.sizeCapacity);
      atMost(`vertical.sizes[${i}].capacityPerReplica`, s.capacityPerReplica, ScalingCostAnalyzer.MAX_LOAD, COST_FIXES.sizeCapacity);
      atMost(`vertical.sizes[${i}].priceUsdPerHour`, s.priceUsdPerHour, ScalingCostAnalyzer.MAX_PRICE_USD_PER_HOUR, COST_FIXES.sizePrice);
      return { name: s.name, capacity: s.capacityPerReplica, priceMicroUsd: toMicroUsd(s.priceUsdPerHour) };
    });
  }

  private static summarize(name: string, plan: HourPlan[]): StrategyCost {
    const t = totals(plan);
    const totalCostUsd = fromMicroUsd(t.costMicroUsd);
    const requestsServed = t.servedLoad * SECONDS_PER_HOUR;
    return {
      name,
      totalCostUsd,
      totalCostMicroUsd: t.costMicroUsd,
      averageCostUsdPerHour: totalCostUsd / plan.length,
      costUsdPerMillionRequestsServed: finiteOrUndefined(totalCostUsd / requestsServed * 1_000_000),
      costUsdPerUnitLoadServed: finiteOrUndefined(totalCostUsd / t.servedLoad),
      requestsServed,
      hoursShortOfCapacity: t.hoursShort,
      unservedRequests: t.unservedLoad * SECONDS_PER_HOUR,
      hourly: plan.map(p => ({
        hour: p.hour,
        load: p.load,
        capacity: p.capacity,
        servedLoad: p.servedLoad,
        unservedLoad: p.unservedLoad,
        shortOfCapacity: p.short,
        costUsd: fromMicroUsd(p.costMicroUsd),
        costMicroUsd: p.costMicroUsd,
        replicasOrSize: p.replicasOrSize,
      })),
    };
  }

  private constructor() {}
}

/** A ratio, or undefined when nothing (or too little to divide by) was served. */
function finiteOrUndefined(ratio: number): number | undefined {
  return Number.isFinite(ratio) ? ratio : undefined;
}

/** Throws when a checked number is above its bound. */
function atMost(prop: string, value: number, max: number, fix: string): void {
  if (value > max) invalidProp(COST_ANALYZER, prop, value, `must be at most ${max}`, fix);
}

/** Throws when a checked number is below its bound. */
function atLeast(prop: string, value: number, min: number, fix: string): void {
  if (value < min) invalidProp(COST_ANALYZER, prop, value, `must be at least ${min}`, fix);
}

/** Throws unless hours x replicas x price stays an exact integer of micro-dollars. */
function exactTotal(prop: string, priceUsdPerHour: number, replicas: number, hours: number): void {
  if (hours * replicas * toMicroUsd(priceUsdPerHour) > Number.MAX_SAFE_INTEGER) {
    invalidProp(COST_ANALYZER, prop, priceUsdPerHour, `makes the cost of ${hours} hours at up to ${replicas} replicas too large to hold exactly in micro-dollars`,
      'compare fewer hours at once, or fewer replicas');
  }
}
