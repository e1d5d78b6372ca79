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
  loadPerHour: 'give one load per hour in requests per second (0 or more), e.g. the hourly request count / 3600',
  requestsPerInterval: 'give one request count (0 or more) per interval, in time order',
  interval: 'use an interval of whole seconds that divides an hour evenly, e.g. Duration.minutes(1) for per-minute counts or Duration.hours(1) for hourly ones',
  priceUsdPerHour: "use the instance's hourly price in US dollars, e.g. 0.526 for g4dn.xlarge on demand",
  capacityPerReplica: 'give the requests per second one replica serves at full utilization, e.g. 10',
  minReplicas: 'use a whole number of 0 or more (2 or more for a service that must survive a node drain)',
  maxReplicas: 'use a whole number of at least 1 and at least minReplicas',
  targetUtilization: 'use the fraction of capacity the autoscaler aims for, e.g. 0.7 for 30% headroom (1 = none)',
  sizes: 'give at least one size, e.g. { name: "xlarge", capacityPerReplica: 150, priceUsdPerHour: 12.24 }',
  sizeName: 'give each size a unique, non-empty name',
  sizeCapacity: 'give the requests per second the size serves at full utilization, above zero',
  sizePrice: "use the size's hourly price in US dollars, above zero",
} as const;

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

/** Throws unless `value` is finite and above zero. */
export function requireAboveZero(prop: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalidProp(COST_ANALYZER, prop, value, 'must be a number above zero', fix);
  }
}

/** Throws unless `value` is a price of at least one micro-dollar (money is held in whole micro-dollars). */
export function requirePrice(prop: string, value: number, fix: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.000001) {
    invalidProp(COST_ANALYZER, prop, value, 'must be a price of at least 0.000001 (one micro-dollar)', fix);
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
    invalidProp(COST_ANALYZER, 'horizontal.maxReplicas', maxReplicas, `is below 'horizontal.minReplicas' (${minReplicas})`,
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

/** Throws for a size name that is empty or given twice. */
export function badSizeName(index: number, name: string, duplicate: boolean): never {
  return invalidProp(COST_ANALYZER, `vertical.sizes[${index}].name`, name, duplicate ? 'is given twice' : 'is empty',
    COST_FIXES.sizeName);
}

/** US dollars with up to 6 decimals and no trailing zeros, as the reasons print them. */
export function usd(value: number): string {
  return `$${Number(value.toFixed(6))}`;
}

/** The figures a comparison reason quotes for one strategy. */
export interface ReasonFigures {
  readonly name: string;
  readonly totalCostUsd: number;
  readonly hoursShortOfCapacity: number;
  readonly unservedRequests: number;
}

function shortText(f: ReasonFigures): string {
  const hours = `${f.hoursShortOfCapacity} hour${f.hoursShortOfCapacity === 1 ? '' : 's'}`;
  return `${f.name} is short of capacity in ${hours} (${Math.round(f.unservedRequests)} requests unserved)`;
}

/** Why `winner` was chosen over `other` (undefined when only one strategy was compared). */
export function cheaperReason(winner: ReasonFigures, other: ReasonFigures | undefined): string {
  if (!other) {
    return winner.hoursShortOfCapacity === 0
      ? `${winner.name} serves every hour for ${usd(winner.totalCostUsd)} (the only strategy compared)`
      : `${shortText(winner)} (the only strategy compared): raise its capacity`;
  }
  const both = `${winner.name} ${usd(winner.totalCostUsd)} vs ${other.name} ${usd(other.totalCostUsd)}`;
  if (winner.hoursShortOfCapacity === 0 && other.hoursShortOfCapacity === 0) {
    return winner.totalCostUsd === other.totalCostUsd
      ? `both serve every hour at the same cost (${both}); ${winner.name} is listed first`
      : `both serve every hour; ${winner.name} costs less (${both})`;
  }
  if (winner.hoursShortOfCapacity === 0) {
    return `${winner.name} serves every hour; ${shortText(other)}, and capacity that falls short is no saving (${both})`;
  }
  return `neither serves every hour: ${shortText(winner)}, ${shortText(other)}; ${winner.name} falls short least `
    + `(${both}): raise maxReplicas or add a larger size`;
}
