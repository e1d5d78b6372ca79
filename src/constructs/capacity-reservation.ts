/**
 * Capacity reservations of a CostAwareNodePool (issue 17): the reservation struct, its checks, the EC2NodeClass
 * `capacityReservationSelectorTerms` it writes, and the reserved pool's instance types priced at the reservation.
 *
 * Upstream (aws/karpenter-provider-aws v1.14.1): `website/content/en/docs/tasks/odcrs.md` (the `reserved` capacity type;
 * capacity blocks are ODCRs to EC2 and are selected the same way; Karpenter drains capacity-block nodes 10 minutes before
 * EC2 starts terminating them, 30 minutes before the block ends), `pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml`
 * (selector terms: `id` alone, or `tags` with an optional `ownerID`; at most 30 terms, 20 tags each), and
 * `charts/karpenter/values.yaml` (the `ReservedCapacity` feature gate: beta since v1.6, on by default).
 */
import { SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { invalidProp } from '../common/errors';
import { checkListOf, checkOptionalBoolean, checkOptionalNumber, checkString, checkStringMap, checkStruct, checkUnique, checkWhole } from '../common/validate';
import { CapacityType, InstanceType } from '../planning/instance-catalog';

/**
 * An EC2 capacity reservation (an On-Demand Capacity Reservation or a Capacity Block for ML) that a CostAwareNodePool
 * launches into first. Give `id`, or `tags` (with `ownerId` for a reservation shared from another account).
 */
export interface CapacityReservation {
  /**
   * The reservation's id: `cr-` and 17 hexadecimal digits, e.g. `cr-0123456789abcdef0`. Exclusive with `tags`.
   * @default - select by `tags`
   */
  readonly id?: string;
  /**
   * Tags that select the reservation(s), e.g. `{ team: 'ml-training' }` (1 to 20, keys of at most 128 characters,
   * values of at most 256; `*` matches any value). Exclusive with `id`.
   * @default - select by `id`
   */
  readonly tags?: { [key: string]: string };
  /**
   * With `tags`: the 12-digit AWS account that owns the reservation (one shared with you through AWS RAM).
   * @default - any owner
   */
  readonly ownerId?: string;
  /** The reservation's instance type: one of the pool's `instanceTypes` (its shape is taken from there). */
  readonly instanceType: string;
  /** How many instances the reservation holds (with `tags`: all the reservations they select together), 1 to 10,000. */
  readonly instanceCount: number;
  /**
   * What one reserved instance costs per hour, in US dollars, used or not. A capacity block is paid upfront: give the
   * upfront price over the block's hours and instances. At most the type's on-demand price for an ODCR (EC2 bills it
   * at the on-demand rate, less with a Savings Plan).
   * @default - the on-demand price of `instanceType` in the pool's `instanceTypes`
   */
  readonly priceUsdPerHour?: number;
  /**
   * Whether it is a Capacity Block for ML: it ends at a fixed time, and EC2 terminates its instances 30 minutes before
   * the end (Karpenter drains them 10 minutes earlier), so training runs must checkpoint.
   * @default false
   */
  readonly capacityBlock?: boolean;
}

/** A reservation after its checks, with its instance type priced at the reservation's price. */
export interface CheckedReservation {
  readonly reservation: CapacityReservation;
  /** The pool's instance type with the reservation's price and capacity type `reserved`. */
  readonly type: InstanceType;
}

/** The most reservations (selector terms) a pool takes: the EC2NodeClass schema's maxItems. */
export const MAX_RESERVATIONS = 30;
const RESERVATION_ID = /^cr-[0-9a-f]{17}$/;
const OWNER_ID = /^[0-9]{12}$/;

/**
 * Checks the pool's reservations against its instance types; every error names the pool and the reservation.
 * @param types the pool's instance types (already checked)
 */
export function checkReservations(scope: Construct, value: unknown, types: InstanceType[]): CheckedReservation[] {
  const fix = 'give { id: "cr-0123456789abcdef0", instanceType, instanceCount, priceUsdPerHour } per reservation, or leave reservations out';
  const list = checkListOf(scope, 'reservations', value, { min: 1, max: MAX_RESERVATIONS }, fix, (r, prop) => checkReservation(scope, prop, r, types));
  checkUnique(scope, 'reservations', list.filter(c => c.reservation.id !== undefined), c => c.reservation.id!, 'list each reservation id once');
  return list;
}

function checkReservation(scope: Construct, prop: string, value: unknown, types: InstanceType[]): CheckedReservation {
  checkStruct(scope, prop, value, 'give { id or tags, instanceType, instanceCount }');
  const r = value as CapacityReservation;
  const known = ['id', 'tags', 'ownerId', 'instanceType', 'instanceCount', 'priceUsdPerHour', 'capacityBlock'];
  for (const key of Object.keys(r)) if (!known.includes(key)) invalidProp(scope, prop, key, 'is not a field of a CapacityReservation', `use ${known.join(', ')}`);
  if ((r.id === undefined) === (r.tags === undefined)) {
    invalidProp(scope, `${prop}.id`, r.id, 'and \'tags\' are exclusive and one is required', 'select the reservation by its id, or by tags (with ownerId)');
  }
  if (r.id !== undefined) {
    const id = checkString(scope, `${prop}.id`, r.id, 'give the reservation id, e.g. "cr-0123456789abcdef0"', 64);
    if (!RESERVATION_ID.test(id)) invalidProp(scope, `${prop}.id`, id, 'is not a capacity reservation id ("cr-" and 17 lowercase hexadecimal digits)', 'copy it from the EC2 console or `aws ec2 describe-capacity-reservations`');
    if (r.ownerId !== undefined) invalidProp(scope, `${prop}.ownerId`, r.ownerId, 'only applies with tags (an id selects one reservation)', 'remove ownerId, or select by tags');
  }
  if (r.tags !== undefined) {
    const tagFix = 'give 1 to 20 tags, e.g. { team: \'ml-training\' }, keys of at most 128 characters and values of at most 256, none empty';
    const tags = checkStringMap(scope, `${prop}.tags`, r.tags, tagFix, 20);
    if (Object.keys(tags).length === 0) invalidProp(scope, `${prop}.tags`, '{}', 'is empty', tagFix);
    for (const [k, v] of Object.entries(tags)) {
      if (k === '' || k.length > 128) invalidProp(scope, `${prop}.tags`, k, 'has a key that is empty or longer than 128 characters', tagFix);
      if (v === '' || v.length > 256) invalidProp(scope, `${prop}.tags.${k}`, v, 'is empty or longer than 256 characters', tagFix);
    }
    if (r.ownerId !== undefined) {
      const owner = checkString(scope, `${prop}.ownerId`, r.ownerId, 'give the 12-digit account id, e.g. "123456789012"', 64);
      if (!OWNER_ID.test(owner)) invalidProp(scope, `${prop}.ownerId`, owner, 'is not a 12-digit AWS account id', 'give the owner\'s account id, e.g. "123456789012"');
    }
  }
  const name = checkString(scope, `${prop}.instanceType`, r.instanceType, 'give one of the pool\'s instance types, e.g. "p5.48xlarge"', 64);
  const onDemand = types.find(t => t.name === name && t.capacityType === CapacityType.ON_DEMAND);
  const any = onDemand ?? types.find(t => t.name === name);
  if (!any) {
    // Karpenter would never launch into it: the pool's instance-type requirement excludes the type.
    invalidProp(scope, `${prop}.instanceType`, name, `is not one of the pool's instanceTypes (${[...new Set(types.map(t => t.name))].sort().join(', ')})`,
      'add the type to instanceTypes, or fix the reservation\'s instance type');
  }
  checkWhole(scope, `${prop}.instanceCount`, r.instanceCount, { min: 1, max: 10_000 }, 'give the instances the reservation holds, 1 to 10,000');
  const price = checkOptionalNumber(scope, `${prop}.priceUsdPerHour`, r.priceUsdPerHour,
    { min: 0.000001, max: InstanceType.MAX_PRICE_USD_PER_HOUR, what: 'a price' }, 'give what one reserved instance costs per hour, in US dollars');
  const block = checkOptionalBoolean(scope, `${prop}.capacityBlock`, r.capacityBlock) ?? false;
  if (price === undefined && !onDemand) {
    invalidProp(scope, `${prop}.priceUsdPerHour`, undefined, `is missing, and the pool has no on-demand price for ${name}`, 'give the reservation\'s price per instance-hour');
  }
  if (!block && price !== undefined && onDemand && price > onDemand.priceUsdPerHour) {
    invalidProp(scope, `${prop}.priceUsdPerHour`, price, `is above the on-demand price of ${name} (${onDemand.priceUsdPerHour}), and EC2 bills an ODCR at the on-demand rate or less`,
      'give the price you pay (the on-demand price, less any Savings Plan discount), or set capacityBlock: true for a Capacity Block');
  }
  const type = InstanceType.of({
    name,
    priceUsdPerHour: price ?? onDemand!.priceUsdPerHour,
    gpus: any.gpus,
    gpuProduct: any.gpuProduct,
    vcpus: any.vcpus,
    memory: any.memory,
    capacityType: CapacityType.RESERVED,
  });
  return { reservation: r, type };
}

/** The EC2NodeClass `capacityReservationSelectorTerms`: one term per reservation. */
export function selectorTerms(reservations: CheckedReservation[]): { id?: string; tags?: { [key: string]: string }; ownerId?: string }[] {
  return reservations.map(({ reservation: r }) => r.id !== undefined ? { id: r.id }
    : { tags: { ...r.tags }, ...(r.ownerId !== undefined ? { ownerId: r.ownerId } : {}) });
}

/**
 * The reserved NodePool's `karpenter.k8s.aws/capacity-reservation-type` values: `capacity-block` when every reservation
 * is a Capacity Block, `default` when none is, both when they mix. Karpenter v1.14.1 labels each reserved offering with
 * its reservation's type (pkg/providers/instancetype/offering/reserved_capacity_resolver.go) and launches only offerings
 * compatible with the NodePool's requirements (pkg/providers/instance/filter/filter.go `CapacityReservationTypeFilter`),
 * so a tag selector that also matches a reservation of the other kind never launches a node into it: a pool declared as
 * capacity blocks is not fed an ODCR priced as one, and an ODCR pool never lands training on a block that EC2 reclaims.
 */
export function reservationTypes(reservations: CheckedReservation[]): string[] {
  const kinds = new Set<string>(reservations.map(r => r.reservation.capacityBlock ? CAPACITY_BLOCK : DEFAULT_RESERVATION));
  return [DEFAULT_RESERVATION, CAPACITY_BLOCK].filter(k => kinds.has(k));
}

/** aws/karpenter-provider-aws v1.14.1 pkg/apis/v1/ec2nodeclass_status.go: `CapacityReservationTypeDefault`, `...CapacityBlock`. */
const DEFAULT_RESERVATION = 'default';
const CAPACITY_BLOCK = 'capacity-block';

/** What the reservations cost per hour, in integer micro-dollars, used or not. */
export function reservedMicroUsdPerHour(reservations: CheckedReservation[]): number {
  return reservations.reduce((sum, c) => sum + c.type.priceMicroUsdPerHour * c.reservation.instanceCount, 0);
}

/** The reserved pool's limits: every reserved instance, and no more (beyond them Karpenter falls back to the other pools). */
export function reservedCapacity(reservations: CheckedReservation[]): { vcpus: number; gibibytes: number; gpus: number } {
  let vcpus = 0; let gibibytes = 0; let gpus = 0;
  for (const { type, reservation } of reservations) {
    vcpus += type.vcpus * reservation.instanceCount;
    gibibytes += Math.ceil(type.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE })) * reservation.instanceCount;
    gpus += type.gpus * reservation.instanceCount;
  }
  return { vcpus, gibibytes, gpus };
}
