/**
 * How a pool's nodes are bought (`karpenter.sh/capacity-type`), and which of its instance types' prices apply.
 *
 * A pool that allows several capacity types gets the first that Karpenter would use: aws/karpenter-provider-aws
 * v1.14.1 `pkg/providers/instance/instance.go` `getCapacityType` takes reserved, then spot, then on-demand, each when
 * the NodeClaim's requirements allow it and an offering exists. Reserved offerings exist only for the capacity
 * reservations an EC2NodeClass selects, which the guardrails do not read, so a pool is `reserved` only when it allows
 * nothing else (a CostAwareNodePool's `<name>-reserved` pool, whose declaration carries the reservations' price). kubernetes-sigs/karpenter v1.14.1 adds no default requirement: a pool without one allows all three.
 */
import { PoolInstanceType, PoolModel } from './pools';
import { allows } from './requirements';
import { LABEL_CAPACITY_TYPE } from '../../common/karpenter-labels';
import { toMicroUsd } from '../../common/money';
import { CapacityType } from '../../planning/instance-catalog';

/** Karpenter's capacity types, in the order a pool that allows several is billed as. */
export const BILLED_CAPACITY_TYPES = ['spot', 'on-demand', 'reserved'];

/** The capacity type a pool's nodes are bought as; `none` when its requirements allow no capacity type. */
export function capacityTypeOf(pool: PoolModel): string {
  const rs = pool.requirements.get(LABEL_CAPACITY_TYPE) ?? [];
  return BILLED_CAPACITY_TYPES.find(v => rs.every(r => allows(r, v))) ?? 'none';
}

/** The instance types whose prices a pool is priced with, and whether they are priced for its capacity type. */
export interface PricedTypes {
  readonly types: PoolInstanceType[];
  /** False when the pool's types carry no entry of its capacity type, so the entries given are used (a spot pool at on-demand prices). */
  readonly atCapacityType: boolean;
}

/**
 * The entries of the pool's capacity type (`InstanceType.capacityType`: spot for a spot pool; for a reserved pool its
 * `reserved` entries, priced at the reservation (issue 17), else on-demand ones, since EC2 bills an ODCR at the on-demand
 * rate), or all its entries when it has none of that type; undefined when the pool's types are unknown.
 */
export function pricedTypes(pool: PoolModel): PricedTypes | undefined {
  if (!pool.types) return undefined;
  const type = capacityTypeOf(pool);
  const wanted = type === 'spot' ? [CapacityType.SPOT] : type === 'reserved' ? [CapacityType.RESERVED, CapacityType.ON_DEMAND] : [CapacityType.ON_DEMAND];
  for (const want of wanted) {
    const matching = pool.types.filter(t => t.type.capacityType === want);
    if (matching.length > 0) return { types: matching, atCapacityType: true };
  }
  return { types: pool.types, atCapacityType: false };
}

/**
 * Capacity reservations (issue 17): what a pool's reservations cost per hour in micro-dollars, paid whether their
 * instances run or not (`NodePoolDeclaration.reservedUsdPerHour`; 0 without). A pool never costs less than this.
 */
export function reservedFloorMicroUsd(pool: PoolModel): number {
  const usd = pool.declaration.reservedUsdPerHour;
  return usd === undefined ? 0 : toMicroUsd(usd);
}
