import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { AWS_GPU_PRICES_AS_OF, AWS_GPU_PRICES_REGION, AWS_GPU_TYPES, AwsGpuModel } from './aws-gpu-prices';
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
  /**
   * Reserved (issue 17): an instance in an EC2 capacity reservation (ODCR or Capacity Block), paid whether used or not.
   * In a catalog entry, the price is the reservation's; a CostAwareNodePool takes reservations through `reservations`.
   */
  RESERVED = 'reserved',
}

/**
 * What one replica of a model server does on an instance type: the figures the planners (`InstanceSelector`) need,
 * and a node pool does not. They depend on the model, so measure them.
 */
export interface ServingFigures {
  /**
   * The load one replica on this type serves at full utilization, in requests per second: from
   * `InstanceType.MIN_CAPACITY_PER_REPLICA` (0.000001) to `InstanceType.MAX_CAPACITY_PER_REPLICA` (1,000,000).
   */
  readonly capacityPerReplica: number;
  /** Typical latency of a request on this type (above zero). */
  readonly latency: Duration;
}

/** What an instance type costs and can do, and optionally how one replica of a model server runs on it. */
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
   * `InstanceType.MAX_CAPACITY_PER_REPLICA` (1,000,000). Give it with `latency`, or neither.
   * @default - none: only the planners need it (`InstanceSelector` refuses a type without it); a node pool does not
   */
  readonly capacityPerReplica?: number;
  /**
   * Typical latency of a request on this type. Give it with `capacityPerReplica`, or neither.
   * @default - none: only the planners need it
   */
  readonly latency?: Duration;
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
  /**
   * The load one replica serves at full utilization, in requests per second.
   * @default - none: give it with `withServing` before planning with this type
   */
  public readonly capacityPerReplica?: number;
  /**
   * Typical request latency.
   * @default - none: give it with `withServing` before planning with this type
   */
  public readonly latency?: Duration;
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
    const hasCapacity = props.capacityPerReplica !== undefined;
    if (hasCapacity !== (props.latency !== undefined)) {
      const [given, missing] = hasCapacity ? ['capacityPerReplica', 'latency'] : ['latency', 'capacityPerReplica'];
      invalidProp(`InstanceType ${props.name}`, missing, undefined, `is not set while ${given} is: the planners need both`,
        'give both capacityPerReplica and latency (the serving figures), or neither for a type only a node pool uses');
    }
    if (hasCapacity) {
      const capacity = props.capacityPerReplica;
      if (typeof capacity !== 'number' || !(capacity > 0)) bad('capacityPerReplica', capacity, 'must be above zero');
      if (!(capacity >= InstanceType.MIN_CAPACITY_PER_REPLICA && capacity <= InstanceType.MAX_CAPACITY_PER_REPLICA)) {
        bad('capacityPerReplica', capacity,
          `must be from ${InstanceType.MIN_CAPACITY_PER_REPLICA} to ${InstanceType.MAX_CAPACITY_PER_REPLICA} requests per second`);
      }
      if (!(props.latency instanceof Duration)) bad('latency', props.latency, 'must be a Duration, e.g. Duration.millis(150)');
      const latencyMs = props.latency!.toMilliseconds({ integral: false });
      if (!(latencyMs > 0)) bad('latency', props.latency, 'must be above zero');
      if (!Number.isFinite(latencyMs)) bad('latency', props.latency, 'must be a finite length of time');
    }
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

  /**
   * This type with the serving figures of one model-server replica on it, as the planners need them (a copy: this
   * type is unchanged).
   * @param capacityPerReplica the load one replica serves at full utilization, in requests per second (from 0.000001 to 1,000,000)
   * @param latency typical latency of a request on this type, above zero
   */
  public withServing(capacityPerReplica: number, latency: Duration): InstanceType {
    const where = `InstanceType ${this.name}`;
    if (capacityPerReplica === undefined || capacityPerReplica === null) {
      invalidProp(where, 'capacityPerReplica', capacityPerReplica, 'is not set', 'give the requests per second one replica serves on this type, e.g. 8');
    }
    if (latency === undefined || latency === null) {
      invalidProp(where, 'latency', latency, 'is not set', 'give the typical latency of a request on this type, e.g. Duration.millis(120)');
    }
    return new InstanceType({
      name: this.name,
      priceUsdPerHour: this.priceUsdPerHour,
      capacityPerReplica,
      latency,
      gpus: this.gpus,
      gpuProduct: this.gpuProduct,
      vcpus: this.vcpus,
      memory: this.memory,
      capacityType: this.capacityType,
    });
  }
}

/** The instance family of an EC2 type name: `g6` for `g6.xlarge`. */
function familyOf(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

const AWS_GPU_PRODUCTS: Record<AwsGpuModel, GpuProduct> = {
  A10G: GpuProduct.A10G,
  L4: GpuProduct.L4,
  L40S: GpuProduct.L40S,
  A100: GpuProduct.A100,
  A100_80GB: GpuProduct.A100_80GB,
  H100: GpuProduct.H100,
  H200: GpuProduct.H200,
};

/**
 * The instance types a node pool may launch and a planner may choose from.
 *
 * `InstanceCatalog.awsGpu()` holds the EC2 GPU types of the A10G, L4, L40S, A100, H100 and H200 families with their
 * on-demand prices and no serving figures (for node pools; add measured figures with `withServing` to plan with
 * them). `InstanceCatalog.designDocument()` holds the design document's five types with its prices and per-replica
 * capacities; bring your own with `InstanceCatalog.of`.
 *
 * @see https://aws.amazon.com/ec2/instance-types/#Accelerated_Computing
 * @example
 * const l4 = InstanceCatalog.awsGpu().families(['g6']).types; // g6.xlarge .. g6.48xlarge
 */
export class InstanceCatalog {
  /** The most types a catalog may hold: 1,000 (EC2 has about 900 instance types). */
  public static readonly MAX_TYPES = 1_000;
  /** The region of the prices in `InstanceCatalog.awsGpu()`: `us-east-1` (US East, N. Virginia). */
  public static readonly AWS_GPU_PRICES_REGION: string = AWS_GPU_PRICES_REGION;
  /**
   * The publication date (YYYY-MM-DD) of the AWS price list behind `InstanceCatalog.awsGpu()`'s prices: `2026-01-19`
   * (after the June 2025 cut of the P4d, P4de, P5 and P5en on-demand prices).
   */
  public static readonly AWS_GPU_PRICES_AS_OF: string = AWS_GPU_PRICES_AS_OF;

  /**
   * The EC2 GPU instance types of the families the examples use, bought on demand: g5 (NVIDIA A10G, 24 GiB), g6 (L4,
   * 24 GiB) and g6e (L40S, 48 GiB) in every size from xlarge to 48xlarge, p4d.24xlarge (A100, 40 GiB),
   * p4de.24xlarge (A100, 80 GiB), p5.48xlarge (H100, 80 GiB) and p5en.48xlarge (H200, 141 GiB).
   *
   * GPUs, vCPUs and memory as AWS documents them. Prices are US dollars per hour, on demand, Linux, shared tenancy,
   * in `InstanceCatalog.AWS_GPU_PRICES_REGION` (us-east-1) as of `InstanceCatalog.AWS_GPU_PRICES_AS_OF`
   * (2026-01-19); other regions cost more or less, and AWS changes prices: refresh them with
   * `scripts/refresh-aws-gpu-prices.ts` from an AWS price list. The types carry no serving figures (they depend on
   * the model): a node pool needs none; give them with `withServing` to plan with `InstanceSelector`.
   *
   * @see https://aws.amazon.com/ec2/pricing/on-demand/
   */
  public static awsGpu(): InstanceCatalog {
    return new InstanceCatalog(AWS_GPU_TYPES.map(([name, gpu, gpus, vcpus, memoryGib, priceUsdPerHour]) => InstanceType.of({
      name, priceUsdPerHour, gpus, gpuProduct: AWS_GPU_PRODUCTS[gpu], vcpus, memory: Size.gibibytes(memoryGib),
    })));
  }

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

  /**
   * The types of these instance families (a family is the part of the name before the dot: `g6` for `g6.xlarge`),
   * in the catalog's order.
   * @param families at least one family, each with a type in this catalog, e.g. `['g6', 'g6e']`
   */
  public families(families: string[]): InstanceCatalog {
    const where = 'InstanceCatalog.families';
    const known = [...new Set(this.types.map(t => familyOf(t.name)))];
    const fix = `name families of the catalog (${known.join(', ') || 'it is empty'})`;
    const wanted = checkList<string>(where, 'families', families, { min: 1, max: InstanceCatalog.MAX_TYPES }, fix);
    wanted.forEach((f, i) => {
      checkString(where, `families[${i}]`, f, fix);
      if (!known.includes(f)) invalidProp(where, `families[${i}]`, f, 'is no family of this catalog', fix);
    });
    return new InstanceCatalog(this.types.filter(t => wanted.includes(familyOf(t.name))));
  }

  /**
   * The types named in `figures`, each with the serving figures given for it, as a catalog a planner can use; the
   * types not named are left out (a planner needs the figures of every type it may choose).
   * @param figures serving figures by instance type name, e.g. `{ 'g6.xlarge': { capacityPerReplica: 8, latency: Duration.millis(120) } }`;
   * each name must be a type of this catalog (all its capacity types get the figures)
   */
  public withServing(figures: { [name: string]: ServingFigures }): InstanceCatalog {
    const where = 'InstanceCatalog.withServing';
    const fix = 'give { [instance type]: { capacityPerReplica, latency } }, e.g. { \'g6.xlarge\': { capacityPerReplica: 8, latency: Duration.millis(120) } }';
    checkStruct(where, 'figures', figures, fix);
    const entries = Object.entries(figures);
    if (entries.length === 0) invalidProp(where, 'figures', figures, 'names no instance type', fix);
    const known = [...new Set(this.types.map(t => t.name))];
    const byName = new Map<string, ServingFigures>();
    for (const [name, f] of entries) {
      if (!known.includes(name)) {
        const some = known.length > 12 ? `${known.slice(0, 12).join(', ')}, ...` : known.join(', ');
        invalidProp(where, `figures.${name}`, f, 'names no type of this catalog', `name types of the catalog (${some || 'it is empty'})`);
      }
      checkStruct(where, `figures.${name}`, f, fix);
      byName.set(name, f);
    }
    return new InstanceCatalog(this.types.filter(t => byName.has(t.name)).map(t => {
      const f = byName.get(t.name)!;
      return t.withServing(f.capacityPerReplica, f.latency);
    }));
  }

  /** The type of that name (and capacity type, by default on-demand). */
  public find(name: string, capacityType: CapacityType = CapacityType.ON_DEMAND): InstanceType | undefined {
    return this.types.find(t => t.name === name && t.capacityType === capacityType);
  }
}
