import { Duration } from 'cdk8s';
import { invalidProp } from '../../common/errors';

/**
 * Every text the cost analyzer writes: input errors (thrown, they are programming errors) and the reason
 * a comparison carries (returned, it is a planning outcome). Kept in one module so the wording stays uniform.
 */

/** What the cost-analysis errors are raised against, in place of a construct path. */
export const COST_ANALYZER = 'ScalingCostAnalyzer';

/** The fix for each input the analyzer checks, so the check and its advice sit together. */
export const COST_FIXES = {
  load: 'give one load per interval in requests per second (0 or more), in time order, e.g. the requests counted in each minute / 60',
  loadPerHour: 'give one load per hour in requests per second (0 or more), e.g. the hourly request count / 3600; better, give load and interval at the trace\'s own resolution',
  oneLoad: 'give load (with interval), or the deprecated loadPerHour, not both',
  requestsPerInterval: 'give one request count (0 or more) per interval, in time order',
  interval: 'use an interval of whole seconds that divides an hour evenly, e.g. Duration.minutes(1) for per-minute counts or Duration.hours(1) for hourly ones',
  startTime: 'give the instant the first interval starts, e.g. new Date(\'2026-03-02T09:30:00Z\'), or leave it unset for a trace that starts on an hour',
  resizeEvery: 'give how often the vertical strategy may move to another size, whole seconds from the interval up, e.g. Duration.hours(1)',
  catalog: 'give an InstanceCatalog, e.g. InstanceCatalog.designDocument() or InstanceCatalog.awsGpu().withServing({ ... })',
  horizontalType: 'name a type of the catalog that has serving figures, e.g. "g4dn.xlarge"',
  verticalFamilies: 'name instance families of the catalog, e.g. [\'g4dn\', \'p3\'] (the part of a type\'s name before the dot)',
  minReplicas: 'use a whole number of 0 or more (2 or more for a service that must survive a node drain)',
  maxReplicas: 'use a whole number of at least 1 and at least minReplicas',
  targetUtilization: 'use the fraction of capacity each strategy aims for, e.g. 0.7 for 30% headroom (1 = none)',
  servingFigures: 'add the serving figures with InstanceCatalog.withServing({ [type]: { capacityPerReplica, latency } }) or instanceType.withServing(...)',
} as const;

/** Throws for a type of the comparison that has no serving figures. */
export function noServingFigures(prop: string, typeName: string): never {
  return invalidProp(COST_ANALYZER, prop, typeName, `names a type without capacityPerReplica (${typeName}): the analyzer needs the load one replica serves`,
    COST_FIXES.servingFigures);
}

/** Throws unless `values` is an array with at least one element. */
export function requireSome(prop: string, values: unknown[], fix: string): void {
  if (!Array.isArray(values) || values.length === 0) {
    invalidProp(COST_ANALYZER, prop, values, 'must hold at least one value', fix);
  }
}

/** Throws unless every value is finite and 0 or more, and there is at least one. */
export function requireLoads(prop: string, values: number[], fix: string, max = Infinity): void {
  requireSome(prop, values, fix);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      invalidProp(COST_ANALYZER, `${prop}[${i}]`, v, 'must be a finite number of 0 or more', fix);
    }
    if (v > max) invalidProp(COST_ANALYZER, `${prop}[${i}]`, v, `must be at most ${max}`, fix);
  }
}

/** Throws unless `value` is a whole number of at least `min`. */
export function requireWhole(prop: string, value: number, min: number, fix: string): void {
  if (!Number.isInteger(value) || value < min) {
    invalidProp(COST_ANALYZER, prop, value, `must be a whole number of at least ${min}`, fix);
  }
}

/** Throws unless `value` is in (0, 1]. */
export function requireUtilization(prop: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    invalidProp(COST_ANALYZER, prop, value, 'must be a fraction above 0 and at most 1', fix);
  }
}

/** Throws unless maxReplicas >= minReplicas. */
export function requireMaxAtLeastMin(minReplicas: number, maxReplicas: number): void {
  if (maxReplicas < minReplicas) {
    invalidProp(COST_ANALYZER, 'maxReplicas', maxReplicas, `is below 'minReplicas' (${minReplicas})`,
      'raise maxReplicas or lower minReplicas');
  }
}

/** The interval in seconds; throws unless it is a Duration of whole seconds that divides 3600. */
export function requireInterval(interval: Duration): number {
  const seconds = interval instanceof Duration ? interval.toSeconds({ integral: false }) : NaN;
  if (!Number.isInteger(seconds) || seconds < 1 || 3600 % seconds !== 0) {
    invalidProp(COST_ANALYZER, 'interval', interval, 'must be a whole number of seconds that divides 3600', COST_FIXES.interval);
  }
  return seconds;
}

/** US dollars with up to 6 decimals and no trailing zeros, as the reasons print them. */
export function usd(value: number): string {
  return `$${Number(value.toFixed(6))}`;
}

/** The figures a comparison reason quotes for one strategy. */
export interface ReasonFigures {
  readonly name: string;
  readonly totalCostUsd: number;
  readonly unservedFraction: number;
  readonly unservedRequests: number;
  readonly shortSeconds: number;
}

/** The shared terms, as a reason states them. */
export interface ReasonTerms {
  readonly targetUtilization: number;
  readonly minimumCapacity: number;
}

/** `2 h 5 min`, `45 s`: a length of time as a reason prints it. */
export function timeText(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(3))} s`;
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : m === 0 ? `${h} h` : `${h} h ${m} min`;
}

function shortText(f: ReasonFigures): string {
  const percent = Number((f.unservedFraction * 100).toPrecision(3));
  return `${f.name} leaves ${percent}% of the load unserved (${Math.round(f.unservedRequests)} requests, ${timeText(f.shortSeconds)} short of capacity)`;
}

function termsText(t: ReasonTerms): string {
  return `at target utilization ${t.targetUtilization}, at least ${Number(t.minimumCapacity.toPrecision(6))} rps`;
}

/** Why `winner` was chosen over `other`, on the terms both were held to. */
export function cheaperReason(winner: ReasonFigures, other: ReasonFigures, terms: ReasonTerms): string {
  const both = `${winner.name} ${usd(winner.totalCostUsd)} vs ${other.name} ${usd(other.totalCostUsd)}`;
  const winnerServes = winner.unservedRequests === 0;
  if (winnerServes && other.unservedRequests === 0) {
    return winner.totalCostUsd === other.totalCostUsd
      ? `both serve all the load ${termsText(terms)} at the same cost (${both}); ${winner.name} is listed first`
      : `both serve all the load ${termsText(terms)}; ${winner.name} costs less (${both})`;
  }
  if (winnerServes) {
    return `${winner.name} serves all the load ${termsText(terms)}; ${shortText(other)}, and capacity that falls short is no saving (${both})`;
  }
  if (winner.unservedRequests === other.unservedRequests || other.unservedRequests === 0) {
    return `${shortText(winner)}, as does ${other.name}; ${winner.name} costs less (${both}): raise maxReplicas or add a larger type`;
  }
  return `neither serves all the load: ${shortText(winner)}, ${shortText(other)}; ${winner.name} falls short least `
    + `(${both}): raise maxReplicas or add a larger type`;
}
