import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { GpuProduct } from './gpu-product';
import { invalidProp } from '../common/errors';
import { toMicroUsd } from '../common/money';

/** How an instance is bought. */
export enum CapacityType {
  /** On-demand: a fixed price, never reclaimed. */
  ON_DEMAND = 'on-demand',
  /** Spot: cheaper, reclaimed with two minutes' notice. */
  SPOT = 'spot',
}

/** What an instance type costs and can do, as one replica of a model server runs on it. */
export interface InstanceTypeProps {
  /** EC2 instance type, e.g. `g4dn.xlarge`. */
  readonly name: string;
  /** What one instance costs, in US dollars per hour. */
  readonly priceUsdPerHour: number;
  /**
   * The load one replica on this type serves at full utilization, in requests per second (a planner aims at
   * `capacityPerReplica x targetUtilization`).
   */
  readonly capacityPerReplica: number;
  /** Typical latency of a request on this type. */
  readonly latency: Duration;
  /** GPUs on the instance. */
  readonly gpus: number;
  /**
   * The GPU model (its Karpenter name and the memory of one GPU); `GpuProduct.of` for models without a constant.
   * @default - none (a CPU instance, or GPUs whose model the catalog does not name)
   */
  readonly gpuProduct?: GpuProduct;
  /** vCPUs on the instance. */
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
    const bad = (prop: string, value: unknown, allowed: string) =>
      invalidProp(`InstanceType ${props.name}`, prop, value, allowed, 'fix the catalog entry');
    if (!props.name) bad('name', props.name, 'is empty');
    if (!(props.priceUsdPerHour > 0)) bad('priceUsdPerHour', props.priceUsdPerHour, 'must be a price above zero');
    if (!(props.capacityPerReplica > 0)) bad('capacityPerReplica', props.capacityPerReplica, 'must be above zero');
    if (!(props.latency instanceof Duration)) bad('latency', props.latency, 'must be a Duration, e.g. Duration.millis(150)');
    if (!(props.latency.toMilliseconds({ integral: false }) > 0)) bad('latency', props.latency, 'must be above zero');
    for (const [prop, value] of [['gpus', props.gpus], ['vcpus', props.vcpus]] as const) {
      if (!(value >= 0) || !Number.isFinite(value)) bad(prop, value, 'must be zero or more');
    }
    if (!(props.memory instanceof Size)) bad('memory', props.memory, 'must be a Size, e.g. Size.gibibytes(16)');
    if (!Number.isFinite(props.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE }))) bad('memory', props.memory, 'must be zero or more');
    if (props.gpuProduct !== undefined && !(props.gpuProduct instanceof GpuProduct)) {
      bad('gpuProduct', props.gpuProduct, 'must be a GpuProduct, e.g. GpuProduct.T4 or GpuProduct.of(\'b200\', Size.gibibytes(180))');
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

  /** Your own catalog; names must be unique per capacity type. */
  public static of(types: InstanceType[]): InstanceCatalog {
    return new InstanceCatalog(types);
  }

  /** The types, in the order given. */
  public readonly types: InstanceType[];

  private constructor(types: InstanceType[]) {
    const seen = new Set<string>();
    for (const t of types) {
      const key = `${t.name}/${t.capacityType}`;
      if (seen.has(key)) throw new Error(`[InstanceCatalog] '${t.name}' (${t.capacityType}) is listed twice: keep one entry per type and capacity type`);
      seen.add(key);
    }
    this.types = [...types];
  }

  /** The type of that name (and capacity type, by default on-demand). */
  public find(name: string, capacityType: CapacityType = CapacityType.ON_DEMAND): InstanceType | undefined {
    return this.types.find(t => t.name === name && t.capacityType === capacityType);
  }
}
