/**
 * The numeric core of the cost analyzer: plain numbers in, plain records out, money in integer micro-dollars.
 * Inputs are validated by the public class before they get here.
 */

/** Seconds in an hour: a load in requests per second held for one hour serves this many requests per unit. */
export const SECONDS_PER_HOUR = 3600;

/** One hour of one strategy's plan. */
export interface HourPlan {
  readonly hour: number;
  readonly load: number;
  readonly capacity: number;
  readonly servedLoad: number;
  readonly unservedLoad: number;
  readonly costMicroUsd: number;
  readonly replicasOrSize: string;
  readonly short: boolean;
}

/** A horizontal strategy with its price in micro-dollars. */
export interface HorizontalCore {
  readonly priceMicroUsd: number;
  readonly capacityPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetUtilization: number;
}

/** One vertical size with its price in micro-dollars. */
export interface SizeCore {
  readonly name: string;
  readonly capacity: number;
  readonly priceMicroUsd: number;
}

/** Relative tolerance under which a quotient counts as whole (10 / (10 x 0.1) is 10.000000000000002). */
const WHOLE_TOLERANCE = 1e-9;

/** ceil(load / perReplica), forgiving floating-point error just above a whole number; 0 only for no load. */
export function replicasNeeded(load: number, perReplica: number): number {
  if (load <= 0) return 0;
  const exact = load / perReplica;
  const nearest = Math.round(exact);
  const whole = Math.abs(exact - nearest) <= WHOLE_TOLERANCE * Math.max(1, nearest) ? nearest : Math.ceil(exact);
  // Any load above zero needs a replica, however small it is next to a replica's capacity.
  return Math.max(1, whole);
}

/** Replicas = clamp(ceil(load / (capacity x u)), min, max); load beyond max x capacity x u is unserved. */
export function planHorizontal(loads: number[], h: HorizontalCore): HourPlan[] {
  const perReplica = h.capacityPerReplica * h.targetUtilization;
  return loads.map((load, hour) => {
    const needed = replicasNeeded(load, perReplica);
    const replicas = Math.min(h.maxReplicas, Math.max(h.minReplicas, needed));
    const capacity = replicas * perReplica;
    const short = needed > replicas;
    // Not short means the replicas hold the load (within float error): served is the load itself.
    const servedLoad = short ? capacity : load;
    return {
      hour,
      load,
      capacity,
      servedLoad,
      unservedLoad: short ? load - capacity : 0,
      costMicroUsd: replicas * h.priceMicroUsd,
      replicasOrSize: String(replicas),
      short,
    };
  });
}

/**
 * The size for a load: the cheapest whose capacity holds it (ties: the smaller), else the largest
 * (ties: the cheaper), which then falls short.
 */
export function chooseSize(load: number, sizes: SizeCore[]): SizeCore {
  let cheapest: SizeCore | undefined;
  for (const s of sizes) {
    if (s.capacity < load) continue;
    if (!cheapest || s.priceMicroUsd < cheapest.priceMicroUsd
      || (s.priceMicroUsd === cheapest.priceMicroUsd && s.capacity < cheapest.capacity)) cheapest = s;
  }
  if (cheapest) return cheapest;
  let largest = sizes[0];
  for (const s of sizes) {
    if (s.capacity > largest.capacity
      || (s.capacity === largest.capacity && s.priceMicroUsd < largest.priceMicroUsd)) largest = s;
  }
  return largest;
}

/** One size per hour; an hour above the largest size is reported short, never priced as a smaller size. */
export function planVertical(loads: number[], sizes: SizeCore[]): HourPlan[] {
  return loads.map((load, hour) => {
    const size = chooseSize(load, sizes);
    const short = size.capacity < load;
    return {
      hour,
      load,
      capacity: size.capacity,
      servedLoad: short ? size.capacity : load,
      unservedLoad: short ? load - size.capacity : 0,
      costMicroUsd: size.priceMicroUsd,
      replicasOrSize: size.name,
      short,
    };
  });
}

/** Totals of a plan. */
export interface PlanTotals {
  readonly costMicroUsd: number;
  readonly servedLoad: number;
  readonly unservedLoad: number;
  readonly hoursShort: number;
}

/** Sums a plan: money exactly (integer micro-dollars), loads as floats. */
export function totals(plan: HourPlan[]): PlanTotals {
  let costMicroUsd = 0;
  let servedLoad = 0;
  let unservedLoad = 0;
  let hoursShort = 0;
  for (const p of plan) {
    costMicroUsd += p.costMicroUsd;
    servedLoad += p.servedLoad;
    unservedLoad += p.unservedLoad;
    if (p.short) hoursShort++;
  }
  return { costMicroUsd, servedLoad, unservedLoad, hoursShort };
}

/** Average requests per second of each whole hour; a trailing partial hour is averaged over the seconds it has. */
export function ratesPerHour(requestsPerInterval: number[], intervalSeconds: number): number[] {
  const perHour = SECONDS_PER_HOUR / intervalSeconds;
  const rates: number[] = [];
  for (let start = 0; start < requestsPerInterval.length; start += perHour) {
    const chunk = requestsPerInterval.slice(start, start + perHour);
    const requests = chunk.reduce((a, b) => a + b, 0);
    rates.push(requests / (chunk.length * intervalSeconds));
  }
  return rates;
}

/** The ranking key of a strategy: fewest short hours, then fewest unserved, then cheapest. */
export interface RankKey {
  readonly hoursShort: number;
  readonly unservedLoad: number;
  readonly costMicroUsd: number;
}

/** Index of the best of `keys` (first wins a full tie). */
export function best(keys: RankKey[]): number {
  let winner = 0;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i];
    const b = keys[winner];
    const better = a.hoursShort !== b.hoursShort ? a.hoursShort < b.hoursShort
      : a.unservedLoad !== b.unservedLoad ? a.unservedLoad < b.unservedLoad
        : a.costMicroUsd < b.costMicroUsd;
    if (better) winner = i;
  }
  return winner;
}
