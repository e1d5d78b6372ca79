import { Duration } from 'cdk8s';
import { CapacityType, InstanceCatalog, InstanceType } from './instance-catalog';
import { fromMicroUsd, toMicroUsd } from '../common/money';
import { cheapestMix, MAX_MIX_NODES, MixResult, replicasFor, scaleLoad } from './internal/selector-core';
import {
  budgetReason, cheaperMixClause, chosenReason, emptyCatalogReason, invalidTypeCapacity, latencyReason, missingServingFigures, MIXED_FLEET_NOTE,
  INSTANCE_SELECTOR, noCapacityTypeReason, requireAboveZero, requireCapacityTypes, requireDuration, requireFraction, requireReplicas,
  SELECTOR_FIXES, tooManyReplicasReason,
} from './internal/selector-messages';
import { invalidProp } from '../common/errors';
import { checkInstance, checkStruct } from '../common/validate';

/** What the fleet must serve, and the limits a plan must keep. */
export interface InstanceSelectionProps {
  /** Peak load the fleet must serve, in requests per second: above zero and at most `InstanceSelector.MAX_REQUESTS_PER_SECOND` (1,000,000). */
  readonly requiredRequestsPerSecond: number;
  /**
   * The instance types to choose from, each with its serving figures (`capacityPerReplica` and `latency`): a type
   * without them is an error. For the EC2 GPU types, `InstanceCatalog.awsGpu().withServing({ ... })` with your figures.
   * @default InstanceCatalog.designDocument()
   */
  readonly catalog?: InstanceCatalog;
  /**
   * Share of each replica's capacity the plan may use, above 0 and at most 1: a replica of a type counts for
   * `capacityPerReplica x targetUtilization`. The rest is headroom for spikes and for the load of a lost replica.
   * @default 0.7
   */
  readonly targetUtilization?: number;
  /**
   * Slowest acceptable typical latency of a type.
   * @default - no limit
   */
  readonly maxLatency?: Duration;
  /**
   * Most the fleet may cost, in US dollars per hour (compared exactly, to the micro-dollar).
   * @default - no budget
   */
  readonly budgetUsdPerHour?: number;
  /**
   * Fewest replicas, whatever the load: 2 keeps serving through the loss of one. At most `InstanceSelector.MAX_REPLICAS`
   * (100,000); a type that would need more replicas than that for the load is not considered.
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Capacity types the plan may buy.
   * @default - every capacity type in the catalog
   */
  readonly capacityTypes?: CapacityType[];
}

/** A fleet of one instance type that serves the required load. */
export interface InstancePlan {
  /** EC2 instance type. */
  readonly instanceType: string;
  /** How the instances are bought. */
  readonly capacityType: CapacityType;
  /** Replicas: max(minReplicas, ceil(required / (capacityPerReplica x targetUtilization))), computed exactly. */
  readonly replicas: number;
  /** Typical latency of the type. */
  readonly latency: Duration;
  /** What the fleet costs, in US dollars per hour. */
  readonly costUsdPerHour: number;
  /** What the fleet costs, in integer micro-dollars per hour (count x price, exact). */
  readonly costMicroUsdPerHour: number;
  /** What the fleet serves at full utilization, in requests per second: count x capacityPerReplica. */
  readonly totalCapacity: number;
  /** Share of full capacity the required load uses: required / totalCapacity. */
  readonly utilization: number;
  /** US dollars per million requests served at the required rate: cost per hour / (required x 3600) x 10^6. */
  readonly costUsdPerMillionRequests: number;
}

/** Replicas of one instance type in a mixed fleet. */
export interface InstanceCount {
  /** EC2 instance type. */
  readonly instanceType: string;
  /** How the instances are bought. */
  readonly capacityType: CapacityType;
  /** Replicas of this type. */
  readonly replicas: number;
}

/** A fleet of several instance types, cheaper than any single type. */
export interface MixedFleetPlan {
  /** Replicas per type, the largest hourly spend first. */
  readonly counts: InstanceCount[];
  /** Replicas in all. */
  readonly replicas: number;
  /** What the fleet costs, in US dollars per hour. */
  readonly costUsdPerHour: number;
  /** What the fleet costs, in integer micro-dollars per hour (exact). */
  readonly costMicroUsdPerHour: number;
  /** US dollars per hour saved against the cheapest single-type plan (even one over budget). */
  readonly savingUsdPerHour: number;
  /** What the fleet serves at full utilization, in requests per second. */
  readonly totalCapacity: number;
  /** Share of full capacity the required load uses. */
  readonly utilization: number;
  /** US dollars per million requests served at the required rate. */
  readonly costUsdPerMillionRequests: number;
  /** Typical latency of the slowest type in the fleet. */
  readonly latency: Duration;
  /** What running it takes. */
  readonly note: string;
  /**
   * Whether the search proved this the cheapest mix. False only when it stopped at its work bound
   * (`InstanceSelector.MAX_MIX_NODES`) first; `gapUsdPerHour` then says how far from the cheapest it can be.
   */
  readonly optimal: boolean;
  /**
   * The most a cheaper mix could save against this one, in US dollars per hour, from a proven lower bound on every
   * fleet (the residue relaxation, or the best price per capacity): 0 when `optimal`.
   */
  readonly gapUsdPerHour: number;
}

/** The answer of `InstanceSelector.cheapest`. */
export interface InstanceSelection {
  /** Whether a single-type plan meets the latency limit and the budget. */
  readonly feasible: boolean;
  /** Why this plan, or why none (always set). */
  readonly reason: string;
  /**
   * The cheapest single-type plan within the latency limit and the budget.
   * @default - none: not feasible
   */
  readonly plan?: InstancePlan;
  /** Every feasible single-type plan, cheapest first (the first is `plan`); empty when not feasible. */
  readonly alternatives: InstancePlan[];
  /**
   * The cheapest fleet mixing instance types, reported only when it costs strictly less than the cheapest
   * single-type plan and keeps the latency limit and the budget.
   * @default - none: no mix is cheaper
   */
  readonly mixedFleet?: MixedFleetPlan;
  /**
   * The most a mix could still cost less than the answer of the mixed-fleet search (`mixedFleet`, or the cheapest
   * single-type plan when no mix was found cheaper), in US dollars per hour, from a proven lower bound: 0 when the
   * search is exact, as on every catalog unless it stopped at `InstanceSelector.MAX_MIX_NODES`, and when no search ran.
   */
  readonly mixedFleetGapUsdPerHour: number;
}

/**
 * Chooses the instance type (or mix of types) that serves a load at the lowest hourly cost.
 *
 * Use it to size a model-serving fleet before writing its Deployment: it ranks plans by the total hourly
 * cost of serving the required load with headroom and redundancy, not by cost per unit of capacity
 * (which prefers one g4dn.4xlarge at $1.204/h for 11 rps when one g4dn.2xlarge at $0.752/h suffices).
 * Replica counts are exact integer arithmetic on the decimals given; the mixed fleet is an exact optimum
 * (a shortest-path search over residues of capacity, else a branch and bound), or, past the search's work bound,
 * the best mix found with a proven gap (`optimal`, `gapUsdPerHour`).
 *
 * @see https://aws.amazon.com/ec2/pricing/on-demand/
 * @example
 * const selection = InstanceSelector.cheapest({ requiredRequestsPerSecond: 40, maxLatency: Duration.millis(150) });
 * // selection.plan: g4dn.4xlarge x 2 at $2.408/h (ceil(40 / (35 x 0.7)) = 2, and at least 2 replicas)
 */
export class InstanceSelector {
  /** The highest `requiredRequestsPerSecond`: 1,000,000 (a million requests per second). */
  public static readonly MAX_REQUESTS_PER_SECOND = 1_000_000;
  /**
   * The most replicas a plan may have: 100,000. Types that need more for the load are left out, which keeps the exact
   * mixed-fleet search within a second.
   */
  public static readonly MAX_REPLICAS = 100_000;
  /**
   * The most nodes the mixed-fleet branch and bound visits (50,000, a few tens of ms) when the exact residue search does
   * not apply (its table, the best-value type's capacity over the capacities' gcd, is above 500,000 residues or, times
   * the types, 2 x 10^7 steps: capacities with many decimals). It starts from bounds of a coarser residue search; past
   * it, the best mix found is returned with `optimal: false` and its gap.
   */
  public static readonly MAX_MIX_NODES = MAX_MIX_NODES;

  /** The cheapest plan that serves `requiredRequestsPerSecond` within the limits; throws only on invalid props. */
  public static cheapest(props: InstanceSelectionProps): InstanceSelection {
    checkStruct(INSTANCE_SELECTOR, 'props', props, 'give an object such as { requiredRequestsPerSecond: 40 }');
    const required = props.requiredRequestsPerSecond;
    requireAboveZero('requiredRequestsPerSecond', required);
    if (required > InstanceSelector.MAX_REQUESTS_PER_SECOND) {
      invalidProp(INSTANCE_SELECTOR, 'requiredRequestsPerSecond', required, `must be at most ${InstanceSelector.MAX_REQUESTS_PER_SECOND}`,
        'plan a load beyond a million requests per second as several fleets (e.g. one per region), each of at most 1000000');
    }
    const utilization = props.targetUtilization ?? 0.7;
    requireFraction('targetUtilization', utilization);
    if (props.maxLatency !== undefined) requireDuration('maxLatency', props.maxLatency);
    if (props.budgetUsdPerHour !== undefined) requireAboveZero('budgetUsdPerHour', props.budgetUsdPerHour);
    const minReplicas = props.minReplicas ?? 2;
    requireReplicas('minReplicas', minReplicas);
    if (minReplicas > InstanceSelector.MAX_REPLICAS) {
      invalidProp(INSTANCE_SELECTOR, 'minReplicas', minReplicas, `must be at most ${InstanceSelector.MAX_REPLICAS}`, SELECTOR_FIXES.minReplicas);
    }
    if (props.capacityTypes !== undefined) requireCapacityTypes(props.capacityTypes, [CapacityType.ON_DEMAND, CapacityType.SPOT]);
    if (props.catalog !== undefined) checkInstance(INSTANCE_SELECTOR, 'catalog', props.catalog, InstanceCatalog as any, 'give InstanceCatalog.of([...]) or leave it unset');

    const catalog = props.catalog ?? InstanceCatalog.designDocument();
    const infeasible = (reason: string, mixedFleet?: MixedFleetPlan, mixedFleetGapUsdPerHour = 0): InstanceSelection =>
      ({ feasible: false, reason, alternatives: [], mixedFleet, mixedFleetGapUsdPerHour });
    if (catalog.types.length === 0) return infeasible(emptyCatalogReason());
    const present = [...new Set(catalog.types.map(t => t.capacityType))];
    const allowed = props.capacityTypes ? [...new Set(props.capacityTypes)] : present;
    const bought = catalog.types.filter(t => allowed.includes(t.capacityType));
    if (bought.length === 0) return infeasible(noCapacityTypeReason(allowed, present));
    for (const t of bought) {
      // InstanceCatalog.awsGpu() types have no serving figures: the planner cannot guess what a replica serves.
      if (t.capacityPerReplica === undefined || t.latency === undefined) missingServingFigures(t.name);
      if (!Number.isFinite(capacityOf(t))) invalidTypeCapacity(t.name, capacityOf(t));
    }

    // Latencies are compared in milliseconds, and only when there is a limit.
    const maxLatencyMs = props.maxLatency?.toMilliseconds({ integral: false });
    const fast = maxLatencyMs === undefined ? bought : bought.filter(t => latencyMs(t) <= maxLatencyMs);
    if (fast.length === 0) {
      const fastest = bought.map(t => ({ t, ms: latencyMs(t) })).sort((a, b) => a.ms - b.ms || a.t.name.localeCompare(b.t.name))[0];
      return infeasible(latencyReason(maxLatencyMs!, fastest.t.name, fastest.ms));
    }

    const fastLoad = scaleLoad(required, utilization, fast.map(t => capacityOf(t)));
    const counts = fast.map((_, i) => replicasFor(fastLoad.demand, fastLoad.capacities[i], minReplicas));
    // A type that needs more than MAX_REPLICAS replicas is left out: no fleet is that large, and the mix search stays fast.
    const fit = fast.filter((_, i) => counts[i] <= InstanceSelector.MAX_REPLICAS);
    if (fit.length === 0) {
      const best = fast.map((t, i) => ({ t, count: counts[i] })).sort((a, b) => a.count - b.count || a.t.name.localeCompare(b.t.name))[0];
      return infeasible(tooManyReplicasReason(best.t.name, best.count, InstanceSelector.MAX_REPLICAS));
    }
    const load = fit.length === fast.length ? fastLoad : scaleLoad(required, utilization, fit.map(t => capacityOf(t)));
    const plans = fit
      .map((t, i) => planOf(t, replicasFor(load.demand, load.capacities[i], minReplicas), required))
      .sort(byCost);
    const budget = props.budgetUsdPerHour === undefined ? Infinity : toMicroUsd(props.budgetUsdPerHour);
    const cheapestSingle = plans[0];
    const mix = cheapestMix(
      fit.map((t, i) => ({ capacity: load.capacities[i], priceMicroUsd: t.priceMicroUsdPerHour })),
      load.demand, minReplicas, cheapestSingle.costMicroUsdPerHour);
    const mixedFleet = mix.counts && mix.costMicroUsd <= budget ? mixOf(fit, mix, required, cheapestSingle) : undefined;
    const mixGap = fromMicroUsd(mix.costMicroUsd - mix.lowerBoundMicroUsd);
    const mixParts = mixedFleet?.counts.map(c => `${c.instanceType} x ${c.replicas}`) ?? [];

    const alternatives = plans.filter(p => p.costMicroUsdPerHour <= budget);
    if (alternatives.length === 0) {
      const within = mixedFleet ? { parts: mixParts, costMicroUsd: mixedFleet.costMicroUsdPerHour } : undefined;
      return infeasible(budgetReason(cheapestSingle, budget, within), mixedFleet, mixGap);
    }
    const plan = alternatives[0];
    const reason = chosenReason(plan, required, alternatives.length)
      + (mixedFleet ? cheaperMixClause(mixParts, mixedFleet.costMicroUsdPerHour, plan.costMicroUsdPerHour - mixedFleet.costMicroUsdPerHour,
        mix.costMicroUsd - mix.lowerBoundMicroUsd) : '');
    return { feasible: true, reason, plan, alternatives, mixedFleet, mixedFleetGapUsdPerHour: mixGap };
  }

  private constructor() {}
}

function perMillion(costMicroUsd: number, required: number): number {
  // micro-dollars per hour / requests per hour = dollars per million requests
  return costMicroUsd / (required * 3600);
}

function planOf(t: InstanceType, count: number, required: number): InstancePlan {
  const cost = count * t.priceMicroUsdPerHour;
  const capacity = count * capacityOf(t);
  return {
    instanceType: t.name,
    capacityType: t.capacityType,
    replicas: count,
    latency: t.latency!,
    costUsdPerHour: fromMicroUsd(cost),
    costMicroUsdPerHour: cost,
    totalCapacity: capacity,
    utilization: required / capacity,
    costUsdPerMillionRequests: perMillion(cost, required),
  };
}

/** Cheaper first; then more capacity; then by name and capacity type, so the order never depends on the catalog's. */
function byCost(a: InstancePlan, b: InstancePlan): number {
  return a.costMicroUsdPerHour - b.costMicroUsdPerHour
    || b.totalCapacity - a.totalCapacity
    || a.instanceType.localeCompare(b.instanceType)
    || a.capacityType.localeCompare(b.capacityType);
}

/** The capacity of a type the selector has checked (it has serving figures). */
function capacityOf(t: InstanceType): number {
  return t.capacityPerReplica!;
}

function latencyMs(t: InstanceType): number {
  return t.latency!.toMilliseconds({ integral: false });
}

function mixOf(types: InstanceType[], mix: MixResult, required: number, single: InstancePlan): MixedFleetPlan {
  const counts = mix.counts!;
  const used = types
    .map((t, i) => ({ t, count: counts[i] }))
    .filter(u => u.count > 0)
    .sort((a, b) => b.count * b.t.priceMicroUsdPerHour - a.count * a.t.priceMicroUsdPerHour || a.t.name.localeCompare(b.t.name));
  const cost = used.reduce((sum, u) => sum + u.count * u.t.priceMicroUsdPerHour, 0);
  const capacity = used.reduce((sum, u) => sum + u.count * capacityOf(u.t), 0);
  const slowest = used.reduce((a, b) => (latencyMs(b.t) > latencyMs(a.t) ? b : a)).t;
  return {
    counts: used.map(u => ({ instanceType: u.t.name, capacityType: u.t.capacityType, replicas: u.count })),
    replicas: used.reduce((sum, u) => sum + u.count, 0),
    costUsdPerHour: fromMicroUsd(cost),
    costMicroUsdPerHour: cost,
    savingUsdPerHour: fromMicroUsd(single.costMicroUsdPerHour - cost),
    totalCapacity: capacity,
    utilization: required / capacity,
    costUsdPerMillionRequests: perMillion(cost, required),
    latency: slowest.latency!,
    note: MIXED_FLEET_NOTE,
    optimal: mix.optimal,
    gapUsdPerHour: fromMicroUsd(mix.costMicroUsd - mix.lowerBoundMicroUsd),
  };
}
