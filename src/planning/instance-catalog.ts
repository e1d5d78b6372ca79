import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { GpuProduct } from './gpu-product';
import { invalidProp } from '../common/errors';
import { toMicroUsd } from '../common/money';
import { checkInstance, checkLabelValue, checkList, checkOneOf, checkString, checkStruct, checkUnique } from '../common/validate';

/** How an instance is bought. */
export enum CapacityType {
  /** On-demand: a fixed price, never reclaimed. */
  ON_DEMAND = 'on-demand',
  /** Spot: cheaper, reclaimed with two minutes' notice. */
  SPOT = 'spot',
}

/** What an instance type costs and can do, as one replica of a model server runs on it. */
export interface InstanceTypeProps {
  /** EC2 instance type, e.g. `g4dn.xlarge` (a label value: Karpenter selects nodes on it). */
  readonly name: string;
  /**
   * What one instance costs, in US dollars per hour: from one micro-dollar (0.000001) to
   * `InstanceType.MAX_PRICE_USD_PER_HOUR` (10,000).
   */
  readonly priceUsdPerHour: number;
  /**
   * The load one replica on this type serves at full utilization, in requests per second (a planner aims at
   * `capacityPerReplica x targetUtilization`): from `InstanceType.MIN_CAPACITY_PER_REPLICA` (0.000001) to
   * `InstanceType.MAX_CAPACITY_PER_REPLICA` (1,000,000).
   */
  readonly capacityPerReplica: number;
  /** Typical latency of a request on this type. */
  readonly latency: Duration;
  /** GPUs on the instance (a whole number, 0 or more). */
  readonly gpus: number;
  /**
   * The GPU model (its Karpenter name and the memory of one GPU); `GpuProduct.of` for models without a constant.
   * @default - none (a CPU instance, or GPUs whose model the catalog does not name)
   */
  readonly gpuProduct?: GpuProduct;
  /** vCPUs on the instance (a whole number, 0 or more). */
  readonly vcpus: number;
  /** Memory of the instance. */
  readonly memory: Size;
  /**
   * How the instance is bought.
   * @default CapacityType.ON_DEMAND
   */
  readonly capacityType?: CapacityType;
}

/** One instance type of a catalog, with its price held exactly in micro-dollars. */
export class InstanceType {
  /** The highest price a type may have: 10,000 US dollars per hour (the largest EC2 types cost about 100). */
  public static readonly MAX_PRICE_USD_PER_HOUR = 10_000;
  /** The least capacity a replica may have: 0.000001 requests per second (the planners count in millionths). */
  public static readonly MIN_CAPACITY_PER_REPLICA = 0.000001;
  /** The most capacity a replica may have: 1,000,000 requests per second. */
  public static readonly MAX_CAPACITY_PER_REPLICA = 1_000_000;

  /** An instance type from its properties; throws on values that cannot be right. */
  public static of(props: InstanceTypeProps): InstanceType {
    return new InstanceType(props);
  }

  /** EC2 instance type. */
  public readonly name: string;
  /** What one instance costs, in US dollars per hour. */
  public readonly priceUsdPerHour: number;
  /** What one instance costs, in integer micro-dollars per hour (exact arithmetic). */
  public readonly priceMicroUsdPerHour: number;
  /** The load one replica serves at full utilization, in requests per second. */
  public readonly capacityPerReplica: number;
  /** Typical request latency. */
  public readonly latency: Duration;
  /** GPUs on the instance. */
  public readonly gpus: number;
  /**
   * The GPU model.
   * @default - none
   */
  public readonly gpuProduct?: GpuProduct;
  /** vCPUs. */
  public readonly vcpus: number;
  /** Memory of the instance. */
  public readonly memory: Size;
  /** On-demand or spot. */
  public readonly capacityType: CapacityType;

  private constructor(props: InstanceTypeProps) {
    checkStruct('InstanceType', 'props', props, 'give an object such as { name: "g5.xlarge", priceUsdPerHour: 1.006, ... }');
    checkString('InstanceType', 'name', props.name, 'give the EC2 instance type, e.g. "g5.xlarge"');
    const bad = (prop: string, value: unknown, allowed: string) =>
      invalidProp(`InstanceType ${props.name}`, prop, value, allowed, 'fix the catalog entry');
    if (!props.name) bad('name', props.name, 'is empty');
    checkLabelValue('InstanceType', 'name', props.name, 'give the EC2 instance type, e.g. "g5.xlarge"');
    const price = props.priceUsdPerHour;
    if (typeof price !== 'number' || !(price > 0)) bad('priceUsdPerHour', price, 'must be a price above zero');
    if (!(price >= 0.000001 && price <= InstanceType.MAX_PRICE_USD_PER_HOUR)) {
      bad('priceUsdPerHour', price, `must be a price from 0.000001 (one micro-dollar) to ${InstanceType.MAX_PRICE_USD_PER_HOUR}`);
    }
    const capacity = props.capacityPerReplica;
    if (typeof capacity !== 'number' || !(capacity > 0)) bad('capacityPerReplica', capacity, 'must be above zero');
    if (!(capacity >= InstanceType.MIN_CAPACITY_PER_REPLICA && capacity <= InstanceType.MAX_CAPACITY_PER_REPLICA)) {
      bad('capacityPerReplica', capacity,
        `must be from ${InstanceType.MIN_CAPACITY_PER_REPLICA} to ${InstanceType.MAX_CAPACITY_PER_REPLICA} requests per second`);
    }
    if (!(props.latency instanceof Duration)) bad('latency', props.latency, 'must be a Duration, e.g. Duration.millis(150)');
    const latencyMs = props.latency.toMilliseconds({ integral: false });
    if (!(latencyMs > 0)) bad('latency', props.latency, 'must be above zero');
    if (!Number.isFinite(latencyMs)) bad('latency', props.latency, 'must be a finite length of time');
    for (const [prop, value] of [['gpus', props.gpus], ['vcpus', props.vcpus]] as const) {
      if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) bad(prop, value, 'must be zero or more');
      if (!Number.isSafeInteger(value) || value > 2147483647) bad(prop, value, 'must be a whole number');
    }
    if (!(props.memory instanceof Size)) bad('memory', props.memory, 'must be a Size, e.g. Size.gibibytes(16)');
    const memoryGib = props.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isFinite(memoryGib) || memoryGib < 0) bad('memory', props.memory, 'must be zero or more');
    if (props.gpuProduct !== undefined && !(props.gpuProduct instanceof GpuProduct)) {
      bad('gpuProduct', props.gpuProduct, 'must be a GpuProduct, e.g. GpuProduct.T4 or GpuProduct.of(\'b200\', Size.gibibytes(180))');
    }
    if (props.capacityType !== undefined) {
      checkOneOf(`InstanceType ${props.name}`, 'capacityType', props.capacityType, Object.values(CapacityType), 'fix the catalog entry');
    }
    this.name = props.name;
    this.priceUsdPerHour = props.priceUsdPerHour;
    this.priceMicroUsdPerHour = toMicroUsd(props.priceUsdPerHour);
    this.capacityPerReplica = props.capacityPerReplica;
    this.latency = props.latency;
    this.gpus = props.gpus;
    this.gpuProduct = props.gpuProduct;
    this.vcpus = props.vcpus;
    this.memory = props.memory;
    this.capacityType = props.capacityType ?? CapacityType.ON_DEMAND;
  }
}

/**
 * The instance types a planner may choose from.
 *
 * `InstanceCatalog.designDocument()` holds the design document's five types with its on-demand prices
 * and per-replica capacities; bring your own prices and measured capacities with `InstanceCatalog.of`.
 */
export class InstanceCatalog {
  /** The most types a catalog may hold: 1,000 (EC2 has about 900 instance types). */
  public static readonly MAX_TYPES = 1_000;

  /**
   * The design document's five GPU types (us-east-1 on-demand prices; capacity and latency of one
   * model-server replica as the document measured them).
   */
  public static designDocument(): InstanceCatalog {
    const type = (name: string, priceUsdPerHour: number, capacityPerReplica: number, latencyMs: number, gpus: number, gpuProduct: GpuProduct,
      vcpus: number, memoryGib: number) => InstanceType.of({
      name, priceUsdPerHour, capacityPerReplica, latency: Duration.millis(latencyMs), gpus, gpuProduct, vcpus, memory: Size.gibibytes(memoryGib),
    });
    return new InstanceCatalog([
      type('g4dn.xlarge', 0.526, 10, 200, 1, GpuProduct.T4, 4, 16),
      type('g4dn.2xlarge', 0.752, 18, 150, 1, GpuProduct.T4, 8, 32),
      type('g4dn.4xlarge', 1.204, 35, 120, 1, GpuProduct.T4, 16, 64),
      type('p3.2xlarge', 3.06, 50, 80, 1, GpuProduct.V100, 8, 61),
      type('p3.8xlarge', 12.24, 180, 60, 4, GpuProduct.V100, 32, 244),
    ]);
  }

  /** Your own catalog of at most `InstanceCatalog.MAX_TYPES` (1,000) types; names must be unique per capacity type. */
  public static of(types: InstanceType[]): InstanceCatalog {
    const fix = 'give a list of InstanceType.of(...) entries';
    checkList('InstanceCatalog', 'types', types, { max: InstanceCatalog.MAX_TYPES }, fix);
    types.forEach((t, i) => checkInstance('InstanceCatalog', `types[${i}]`, t, InstanceType as any, fix));
    return new InstanceCatalog(types);
  }

  /** The types, in the order given. */
  public readonly types: InstanceType[];

  private constructor(types: InstanceType[]) {
    checkUnique('InstanceCatalog', 'types', types, t => `${t.name} (${t.capacityType})`, 'keep one entry per type and capacity type');
    this.types = [...types];
  }

  /** The type of that name (and capacity type, by default on-demand). */
  public find(name: string, capacityType: CapacityType = CapacityType.ON_DEMAND): InstanceType | undefined {
    return this.types.find(t => t.name === name && t.capacityType === capacityType);
  }
}
