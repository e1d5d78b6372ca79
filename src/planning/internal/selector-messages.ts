import { Duration } from 'cdk8s';
import { invalidProp } from '../../common/errors';
import { fromMicroUsd } from '../../common/money';
import { typeName } from '../../common/validate';

/**
 * Every text `InstanceSelector` writes: input errors (thrown, they are programming errors) and the reasons a
 * selection carries (returned, they are planning outcomes). Kept in one module so the wording stays uniform.
 */

/** What the selector's errors are raised against, in place of a construct path. */
export const INSTANCE_SELECTOR = 'InstanceSelector';

/** The fix for each prop the selector checks. */
export const SELECTOR_FIXES = {
  requiredRequestsPerSecond: 'give the peak load the fleet must serve, in requests per second, e.g. 11',
  targetUtilization: 'give the share of capacity replicas may run at, e.g. 0.7 keeps 30% headroom for spikes and a lost replica',
  maxLatency: 'give the slowest acceptable request latency, e.g. Duration.millis(200), or leave it unset for no limit',
  budgetUsdPerHour: 'give the most the fleet may cost per hour in US dollars, e.g. 2.5, or leave it unset for no budget',
  minReplicas: 'give 1 or more; keep the default 2 so one replica can fail without an outage',
  capacityTypes: 'list at least one CapacityType (on-demand, spot), or leave it unset for every capacity type in the catalog',
  catalog: 'fix the catalog entry: the capacity per replica (requests per second) must be finite and above zero',
} as const;

/** Throws unless `value` is finite and above zero. */
export function requireAboveZero(prop: keyof typeof SELECTOR_FIXES, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    invalidProp(INSTANCE_SELECTOR, prop, value, 'must be a number above zero', SELECTOR_FIXES[prop]);
  }
}

/** Throws unless `value` is a Duration above zero. */
export function requireDuration(prop: keyof typeof SELECTOR_FIXES, value: Duration): void {
  if (!(value instanceof Duration) || !(value.toMilliseconds({ integral: false }) > 0)) {
    invalidProp(INSTANCE_SELECTOR, prop, value, 'must be a Duration above zero', SELECTOR_FIXES[prop]);
  }
}

/** Throws unless `value` is in (0, 1]. */
export function requireFraction(prop: keyof typeof SELECTOR_FIXES, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1) {
    invalidProp(INSTANCE_SELECTOR, prop, value, 'must be a fraction above 0 and at most 1', SELECTOR_FIXES[prop]);
  }
}

/** Throws unless `value` is a whole number of at least 1 (and small enough to count replicas). */
export function requireReplicas(prop: keyof typeof SELECTOR_FIXES, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    invalidProp(INSTANCE_SELECTOR, prop, value, 'must be a whole number of at least 1', SELECTOR_FIXES[prop]);
  }
}

/** Throws unless the list is non-empty and holds only known capacity types. */
export function requireCapacityTypes(value: string[], known: string[]): void {
  if (!Array.isArray(value)) {
    invalidProp(INSTANCE_SELECTOR, 'capacityTypes', value, `must be a list, not ${typeName(value)}`, SELECTOR_FIXES.capacityTypes);
  }
  if (value.length === 0) {
    invalidProp(INSTANCE_SELECTOR, 'capacityTypes', value, 'must not be empty', SELECTOR_FIXES.capacityTypes);
  }
  if (value.some(v => !known.includes(v))) {
    invalidProp(INSTANCE_SELECTOR, 'capacityTypes', value, `must hold only ${known.join(', ')}`, SELECTOR_FIXES.capacityTypes);
  }
}

/** Throws for a catalog type without serving figures (`InstanceCatalog.awsGpu()` has none). */
export function missingServingFigures(name: string): never {
  return invalidProp(INSTANCE_SELECTOR, `catalog ${name}.capacityPerReplica`, undefined,
    `is not set: InstanceType ${name} has no serving figures, and the planner needs the load one replica serves on it and its latency`,
    'give them with InstanceType.of({ ..., capacityPerReplica, latency }), instanceType.withServing(capacityPerReplica, latency) '
    + `or catalog.withServing({ '${name}': { capacityPerReplica, latency } }) (which keeps only the types it names)`);
}

/** Throws for a catalog type whose capacity cannot be computed with. */
export function invalidTypeCapacity(name: string, rps: number): never {
  return invalidProp(INSTANCE_SELECTOR, `catalog ${name}.capacityPerReplica`, rps, 'must be a finite number above zero', SELECTOR_FIXES.catalog);
}

/** Dollars as the reasons print them: exact to the micro-dollar, no trailing zeros (`$0.752`, `$2`). */
export function usd(microUsd: number): string {
  return `$${fromMicroUsd(microUsd)}`;
}

/** A figure with at most four significant digits, for rates and shares. */
export function figure(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/** The numbers a plan's reason quotes. */
export interface PlanFigures {
  readonly instanceType: string;
  readonly capacityType: string;
  readonly replicas: number;
  readonly costMicroUsdPerHour: number;
  readonly totalCapacity: number;
  readonly utilization: number;
  readonly costUsdPerMillionRequests: number;
}

/** One plan in words: `g4dn.2xlarge x 1 (on-demand)`. */
export function planName(p: PlanFigures): string {
  return `${p.instanceType} x ${p.replicas} (${p.capacityType})`;
}

/** Why the chosen plan. */
export function chosenReason(p: PlanFigures, requiredRps: number, feasibleTypes: number): string {
  return `${planName(p)} at ${usd(p.costMicroUsdPerHour)}/h serves ${figure(requiredRps)} rps with ${figure(p.totalCapacity)} rps `
    + `of capacity (${figure(p.utilization * 100)}% utilized, $${figure(p.costUsdPerMillionRequests)} per million requests served); `
    + `cheapest of ${feasibleTypes} feasible instance type${feasibleTypes === 1 ? '' : 's'}`;
}

/** The note every mixed fleet carries. */
export const MIXED_FLEET_NOTE = 'needs one Deployment per instance type behind weighted routing';

/** A mixed fleet in words: `g4dn.4xlarge x 1 + g4dn.xlarge x 1 at $1.73/h`. */
export function mixText(parts: string[], costMicroUsd: number): string {
  return `a mixed fleet (${parts.join(' + ')}) costs ${usd(costMicroUsd)}/h`;
}

/** The clause a reason gains when a mixed fleet is cheaper than the single-type plan (and its gap, when not proven). */
export function cheaperMixClause(parts: string[], costMicroUsd: number, savingMicroUsd: number, gapMicroUsd = 0): string {
  const gap = gapMicroUsd > 0 ? ` (not proven the cheapest mix: at most ${usd(gapMicroUsd)}/h above it)` : '';
  return `; ${mixText(parts, costMicroUsd)}${gap}, ${usd(savingMicroUsd)}/h less, but ${MIXED_FLEET_NOTE}`;
}

/** The catalog is empty. */
export function emptyCatalogReason(): string {
  return 'the catalog has no instance types: add some with InstanceCatalog.of([...])';
}

/** No type of the allowed capacity types. */
export function noCapacityTypeReason(allowed: string[], present: string[]): string {
  return `the catalog has no ${allowed.join(' or ')} instance types (it has ${present.join(', ')}): `
    + `add ${allowed.join(' or ')} types or allow other capacityTypes`;
}

/** No type fast enough. */
export function latencyReason(maxLatencyMs: number, fastest: string, fastestMs: number): string {
  return `no instance type meets ${figure(maxLatencyMs)} ms (fastest: ${fastest} at ${figure(fastestMs)} ms): `
    + `raise maxLatency to at least ${figure(fastestMs)} ms or add faster instance types`;
}

/** Every type fast enough needs more replicas than a plan may have. */
export function tooManyReplicasReason(fewest: string, replicas: number, max: number): string {
  return `every instance type needs more than ${max} replicas for this load (fewest: ${fewest} x ${replicas}): `
    + 'add instance types with more capacity per replica, or split the load over several fleets';
}

/** Every type fast enough is over budget; `mix` is a mixed fleet within budget, if any. */
export function budgetReason(cheapest: PlanFigures, budgetMicroUsd: number, mix?: { parts: string[]; costMicroUsd: number }): string {
  const head = `cheapest plan ${cheapest.instanceType} x ${cheapest.replicas} costs ${usd(cheapest.costMicroUsdPerHour)}/h, `
    + `above the ${usd(budgetMicroUsd)}/h budget: raise budgetUsdPerHour to at least ${fromMicroUsd(cheapest.costMicroUsdPerHour)}, `
    + 'or lower the load or minReplicas, or raise targetUtilization';
  if (!mix) return head;
  return `${head}; ${mixText(mix.parts, mix.costMicroUsd)}, within budget, but ${MIXED_FLEET_NOTE}`;
}
