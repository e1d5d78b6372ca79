/**
 * The numeric core of the cost analyzer: plain numbers in, plain records out, money in integer micro-dollars.
 * Inputs are validated by the public class before they get here.
 *
 * Time is held in whole milliseconds since the epoch (or since the trace's start when it has no start time), so
 * every boundary (an interval's, a clock hour's, a resize window's) is exact and each piece of time between two
 * boundaries has one load, one replica count and one size.
 */

/** Seconds in an hour. */
export const SECONDS_PER_HOUR = 3600;
/** Milliseconds in an hour. */
export const MS_PER_HOUR = 3_600_000;

/** Relative tolerance under which a quotient counts as whole (10 / (10 x 0.1) is 10.000000000000002). */
const WHOLE_TOLERANCE = 1e-9;

/** The load a strategy faces: one value per interval, constant within it. */
export interface TraceCore {
  /** Load of each interval, requests per second. */
  readonly loads: number[];
  /** Length of one interval, whole milliseconds (whole seconds that divide an hour). */
  readonly intervalMs: number;
  /** The first interval's start, milliseconds since the epoch (0 without a start time: the trace starts on an hour). */
  readonly startMs: number;
}

/** The terms both strategies share, so neither is compared on easier ones. */
export interface TermsCore {
  /** The fraction of capacity a strategy aims for (the rest is headroom), in (0, 1]. */
  readonly targetUtilization: number;
  /** The capacity each strategy keeps at any load, requests per second at full utilization. */
  readonly minimumCapacity: number;
}

/** A horizontal strategy: one type, scaled out. */
export interface HorizontalCore {
  readonly priceMicroUsd: number;
  readonly capacityPerReplica: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
}

/** One vertical size with its price in micro-dollars. */
export interface SizeCore {
  readonly name: string;
  readonly capacity: number;
  readonly priceMicroUsd: number;
}

/** One clock hour of one strategy. */
export interface HourPlan {
  readonly hour: number;
  readonly startMs: number;
  readonly coveredMs: number;
  /** Load x seconds (requests). */
  readonly requests: number;
  readonly peakLoad: number;
  /** Capacity (full utilization) x seconds. */
  readonly capacitySeconds: number;
  /** Load above capacity x seconds (requests). */
  readonly unservedRequests: number;
  readonly shortMs: number;
  readonly costMicroUsd: number;
  readonly replicasOrSize: string;
}

/** One strategy over the whole trace. */
export interface StrategyPlan {
  readonly hours: HourPlan[];
  /** Replica-hours (horizontal) or instance-hours (vertical). */
  readonly instanceHours: number;
}

/** ceil(load / perReplica), forgiving floating-point error just above a whole number; 0 only for no load. */
export function replicasNeeded(load: number, perReplica: number): number {
  if (load <= 0) return 0;
  const exact = load / perReplica;
  const nearest = Math.round(exact);
  const whole = Math.abs(exact - nearest) <= WHOLE_TOLERANCE * Math.max(1, nearest) ? nearest : Math.ceil(exact);
  // Any load above zero needs a replica, however small it is next to a replica's capacity.
  return Math.max(1, whole);
}

/** Whether `load` is above `capacity`, beyond floating-point error. */
export function above(load: number, capacity: number): boolean {
  return load > capacity * (1 + WHOLE_TOLERANCE);
}

/** The replicas of each interval: clamp(ceil(load / (capacity x u)), max(min, replicas for the minimum capacity), max). */
export function horizontalReplicas(loads: number[], h: HorizontalCore, terms: TermsCore): Int32Array {
  const perReplica = h.capacityPerReplica * terms.targetUtilization;
  const floor = Math.min(h.maxReplicas, Math.max(h.minReplicas, replicasNeeded(terms.minimumCapacity, h.capacityPerReplica)));
  const replicas = new Int32Array(loads.length);
  for (let i = 0; i < loads.length; i++) replicas[i] = Math.min(h.maxReplicas, Math.max(floor, replicasNeeded(loads[i], perReplica)));
  return replicas;
}

/**
 * The size for a peak load: the cheapest that holds the peak at the target utilization and the minimum capacity at
 * full (ties: the smaller), else the largest (ties: the cheaper). `sizes` is ordered by capacity; returns an index.
 */
export function chooseSize(peak: number, sizes: SizeCore[], terms: TermsCore): number {
  let cheapest = -1;
  for (let i = 0; i < sizes.length; i++) {
    const s = sizes[i];
    if (above(peak, s.capacity * terms.targetUtilization) || above(terms.minimumCapacity, s.capacity)) continue;
    if (cheapest < 0 || s.priceMicroUsd < sizes[cheapest].priceMicroUsd) cheapest = i;
  }
  if (cheapest >= 0) return cheapest;
  let largest = 0;
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i].capacity > sizes[largest].capacity
      || (sizes[i].capacity === sizes[largest].capacity && sizes[i].priceMicroUsd < sizes[largest].priceMicroUsd)) largest = i;
  }
  return largest;
}

/** The size index of each interval: one size per resize window, for the peak of the intervals that touch it. */
export function verticalSizes(trace: TraceCore, sizes: SizeCore[], terms: TermsCore, resizeMs: number): Int32Array {
  const { loads, intervalMs, startMs } = trace;
  const firstWindow = Math.floor(startMs / resizeMs);
  const windows = Math.floor((startMs + loads.length * intervalMs - 1) / resizeMs) - firstWindow + 1;
  const peaks = new Float64Array(windows);
  for (let i = 0; i < loads.length; i++) {
    const s = startMs + i * intervalMs;
    const last = Math.floor((s + intervalMs - 1) / resizeMs) - firstWindow;
    for (let w = Math.floor(s / resizeMs) - firstWindow; w <= last; w++) if (loads[i] > peaks[w]) peaks[w] = loads[i];
  }
  const chosen = Array.from(peaks, peak => chooseSize(peak, sizes, terms));
  // An interval that straddles two windows (a start time off the windows' grid) runs at the larger of the two.
  const out = new Int32Array(loads.length);
  for (let i = 0; i < loads.length; i++) {
    const s = startMs + i * intervalMs;
    const a = chosen[Math.floor(s / resizeMs) - firstWindow];
    const b = chosen[Math.floor((s + intervalMs - 1) / resizeMs) - firstWindow];
    out[i] = sizes[a].capacity >= sizes[b].capacity ? a : b;
  }
  return out;
}

/** What a strategy runs in each interval: instances of one unit (a replica or a size), each with a capacity and a price. */
export interface Deployment {
  /** The unit of each interval (a replica count, or a size's index): the hourly labels list them. */
  readonly units: ArrayLike<number>;
  /** Instances running in each interval. */
  readonly instances: ArrayLike<number>;
  /** Capacity (full utilization) of each interval, requests per second. */
  readonly capacity: ArrayLike<number>;
  /** Price of one of the interval's instances, micro-dollars per hour. */
  readonly pricePerInstance: ArrayLike<number>;
}

/**
 * Prices a strategy over the trace, split at clock hours (an interval that straddles an hour counts in both, in
 * proportion). Cost per hour is exact: price x instance-milliseconds summed as integers, rounded half up once per hour.
 */
export function priceTrace(trace: TraceCore, d: Deployment, label: (used: number[]) => string): StrategyPlan {
  const { loads, intervalMs, startMs } = trace;
  const { units, instances, capacity, pricePerInstance } = d;
  const n = loads.length;
  const hours: HourPlan[] = [];
  const half = BigInt(MS_PER_HOUR / 2);
  const perHour = BigInt(MS_PER_HOUR);
  let hourStart = Math.floor(startMs / MS_PER_HOUR) * MS_PER_HOUR;
  let coveredMs = 0;
  let requests = 0;
  let peakLoad = 0;
  let capacitySeconds = 0;
  let unservedRequests = 0;
  let shortMs = 0;
  let priceMs = BigInt(0);
  let used: number[] = [];
  // Runs of one price per instance within an hour are summed as instance-milliseconds (a safe integer) first.
  let runPrice = -1;
  let runInstanceMs = 0;
  let instanceMs = 0;
  for (let i = 0; i < n; i++) {
    const load = loads[i];
    const cap = capacity[i];
    const unit = units[i];
    const price = pricePerInstance[i];
    const count = instances[i];
    const short = above(load, cap);
    let t = startMs + i * intervalMs;
    const end = t + intervalMs;
    while (t < end) {
      const hourEnd = hourStart + MS_PER_HOUR;
      const pieceEnd = end < hourEnd ? end : hourEnd;
      const ms = pieceEnd - t;
      const seconds = ms / 1000;
      coveredMs += ms;
      requests += load * seconds;
      if (load > peakLoad) peakLoad = load;
      capacitySeconds += cap * seconds;
      if (short) {
        unservedRequests += (load - cap) * seconds;
        shortMs += ms;
      }
      if (used.length === 0 || used[used.length - 1] !== unit) used.push(unit);
      if (price !== runPrice) {
        if (runInstanceMs > 0) priceMs += BigInt(runPrice) * BigInt(runInstanceMs);
        runInstanceMs = 0;
        runPrice = price;
      }
      runInstanceMs += count * ms;
      instanceMs += count * ms;
      t = pieceEnd;
      if (pieceEnd === hourEnd || (i === n - 1 && t === end)) {
        if (runInstanceMs > 0) priceMs += BigInt(runPrice) * BigInt(runInstanceMs);
        runInstanceMs = 0;
        hours.push({
          hour: hours.length,
          startMs: hourStart,
          coveredMs,
          requests,
          peakLoad,
          capacitySeconds,
          unservedRequests,
          shortMs,
          costMicroUsd: Number((priceMs + half) / perHour),
          replicasOrSize: label(used),
        });
        hourStart = hourEnd;
        coveredMs = 0;
        requests = 0;
        peakLoad = 0;
        capacitySeconds = 0;
        unservedRequests = 0;
        shortMs = 0;
        priceMs = BigInt(0);
        used = [];
      }
    }
  }
  return { hours, instanceHours: instanceMs / MS_PER_HOUR };
}

/** The horizontal strategy priced over the trace (an ideal autoscaler: each interval runs the replicas it needs). */
export function planHorizontal(trace: TraceCore, h: HorizontalCore, terms: TermsCore): StrategyPlan {
  const replicas = horizontalReplicas(trace.loads, h, terms);
  const capacity = new Float64Array(replicas.length);
  for (let i = 0; i < replicas.length; i++) capacity[i] = replicas[i] * h.capacityPerReplica;
  const price = new Float64Array(replicas.length).fill(h.priceMicroUsd);
  return priceTrace(trace, { units: replicas, instances: replicas, capacity, pricePerInstance: price }, used => {
    let lo = used[0];
    let hi = used[0];
    for (const u of used) {
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    return lo === hi ? String(lo) : `${lo}-${hi}`;
  });
}

/** The vertical strategy priced over the trace: one instance, resized once per window. */
export function planVertical(trace: TraceCore, sizes: SizeCore[], terms: TermsCore, resizeMs: number): StrategyPlan {
  const chosen = verticalSizes(trace, sizes, terms, resizeMs);
  const capacity = new Float64Array(chosen.length);
  const price = new Float64Array(chosen.length);
  for (let i = 0; i < chosen.length; i++) {
    capacity[i] = sizes[chosen[i]].capacity;
    price[i] = sizes[chosen[i]].priceMicroUsd;
  }
  return priceTrace(trace, { units: chosen, instances: new Int32Array(chosen.length).fill(1), capacity, pricePerInstance: price },
    used => used.map(i => sizes[i].name).join(', '));
}

/** Totals of a plan. */
export interface PlanTotals {
  readonly costMicroUsd: number;
  readonly requests: number;
  readonly unservedRequests: number;
  readonly shortMs: number;
  readonly coveredMs: number;
}

/** Sums a plan: money exactly (integer micro-dollars), loads as floats. */
export function totals(plan: StrategyPlan): PlanTotals {
  let costMicroUsd = 0;
  let requests = 0;
  let unservedRequests = 0;
  let shortMs = 0;
  let coveredMs = 0;
  for (const p of plan.hours) {
    costMicroUsd += p.costMicroUsd;
    requests += p.requests;
    unservedRequests += p.unservedRequests;
    shortMs += p.shortMs;
    coveredMs += p.coveredMs;
  }
  return { costMicroUsd, requests, unservedRequests, shortMs, coveredMs };
}

/**
 * Average requests per second of each clock hour the counts touch; a partial hour (the first, when the trace starts
 * mid-hour, or the last) is averaged over the seconds the trace covers in it.
 */
export function ratesPerHour(requestsPerInterval: number[], intervalSeconds: number, startMs = 0): number[] {
  const intervalMs = intervalSeconds * 1000;
  const firstHour = Math.floor(startMs / MS_PER_HOUR);
  const requests: number[] = [];
  const covered: number[] = [];
  for (let i = 0; i < requestsPerInterval.length; i++) {
    let t = startMs + i * intervalMs;
    const end = t + intervalMs;
    while (t < end) {
      const h = Math.floor(t / MS_PER_HOUR) - firstHour;
      const pieceEnd = Math.min(end, (firstHour + h + 1) * MS_PER_HOUR);
      while (requests.length <= h) {
        requests.push(0);
        covered.push(0);
      }
      // Requests of an interval that straddles an hour are split in proportion to its time on each side.
      requests[h] += requestsPerInterval[i] * (pieceEnd - t) / intervalMs;
      covered[h] += pieceEnd - t;
      t = pieceEnd;
    }
  }
  return requests.map((r, h) => r / (covered[h] / 1000));
}

/** The ranking key of a strategy: least unserved (beyond float error), then cheapest. */
export interface RankKey {
  readonly unservedRequests: number;
  readonly costMicroUsd: number;
}

/** Index of the best of `keys` (first wins a full tie); `scale` is the total load, for the tolerance on unserved. */
export function best(keys: RankKey[], scale: number): number {
  const tolerance = WHOLE_TOLERANCE * Math.max(1, scale);
  let winner = 0;
  for (let i = 1; i < keys.length; i++) {
    const a = keys[i];
    const b = keys[winner];
    const better = Math.abs(a.unservedRequests - b.unservedRequests) > tolerance ? a.unservedRequests < b.unservedRequests
      : a.costMicroUsd < b.costMicroUsd;
    if (better) winner = i;
  }
  return winner;
}
