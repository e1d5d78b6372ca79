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
  /** Price per hour, in US dollars. */
  readonly hourlyPriceUsd: number;
  /** Requests per second one replica on this type serves at full utilization. */
  readonly requestsPerSecond: number;
  /** Typical latency of a request on this type, in milliseconds. */
  readonly latencyMs: number;
  /** GPUs on the instance. */
  readonly gpus: number;
  /**
   * Memory of one GPU, in GiB.
   * @default 0
   */
  readonly gpuMemoryGib?: number;
  /**
   * The GPU's name as Karpenter labels it (`karpenter.k8s.aws/instance-gpu-name`), e.g. `t4`.
   * @default - none (a CPU instance)
   */
  readonly gpuName?: string;
  /** vCPUs on the instance. */
  readonly vcpus: number;
  /** Memory of the instance, in GiB. */
  readonly memoryGib: number;
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
  /** Price per hour, in US dollars. */
  public readonly hourlyPriceUsd: number;
  /** Price per hour, in integer micro-dollars (exact arithmetic). */
  public readonly hourlyPriceMicroUsd: number;
  /** Requests per second one replica serves at full utilization. */
  public readonly requestsPerSecond: number;
  /** Typical request latency, in milliseconds. */
  public readonly latencyMs: number;
  /** GPUs on the instance. */
  public readonly gpus: number;
  /** Memory of one GPU, in GiB. */
  public readonly gpuMemoryGib: number;
  /**
   * Karpenter's GPU name label value.
   * @default - none
   */
  public readonly gpuName?: string;
  /** vCPUs. */
  public readonly vcpus: number;
  /** Memory, in GiB. */
  public readonly memoryGib: number;
  /** On-demand or spot. */
  public readonly capacityType: CapacityType;

  private constructor(props: InstanceTypeProps) {
    const bad = (prop: string, value: unknown, allowed: string) => {
      throw new Error(`[InstanceType ${props.name}] '${prop}' (${value}) ${allowed}: fix the catalog entry`);
    };
    if (!props.name) bad('name', JSON.stringify(props.name), 'is empty');
    if (!(props.hourlyPriceUsd > 0)) bad('hourlyPriceUsd', props.hourlyPriceUsd, 'must be a price above zero');
    if (!(props.requestsPerSecond > 0)) bad('requestsPerSecond', props.requestsPerSecond, 'must be above zero');
    if (!(props.latencyMs > 0)) bad('latencyMs', props.latencyMs, 'must be above zero');
    for (const [prop, value] of [['gpus', props.gpus], ['vcpus', props.vcpus], ['memoryGib', props.memoryGib], ['gpuMemoryGib', props.gpuMemoryGib ?? 0]] as const) {
      if (!(value >= 0) || !Number.isFinite(value)) bad(prop, value, 'must be zero or more');
    }
    this.name = props.name;
    this.hourlyPriceUsd = props.hourlyPriceUsd;
    this.hourlyPriceMicroUsd = toMicroUsd(props.hourlyPriceUsd);
    this.requestsPerSecond = props.requestsPerSecond;
    this.latencyMs = props.latencyMs;
    this.gpus = props.gpus;
    this.gpuMemoryGib = props.gpuMemoryGib ?? 0;
    this.gpuName = props.gpuName;
    this.vcpus = props.vcpus;
    this.memoryGib = props.memoryGib;
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
    const t4 = { gpus: 1, gpuMemoryGib: 16, gpuName: 't4' };
    const v100 = { gpuMemoryGib: 16, gpuName: 'v100' };
    return new InstanceCatalog([
      InstanceType.of({ name: 'g4dn.xlarge', hourlyPriceUsd: 0.526, requestsPerSecond: 10, latencyMs: 200, ...t4, vcpus: 4, memoryGib: 16 }),
      InstanceType.of({ name: 'g4dn.2xlarge', hourlyPriceUsd: 0.752, requestsPerSecond: 18, latencyMs: 150, ...t4, vcpus: 8, memoryGib: 32 }),
      InstanceType.of({ name: 'g4dn.4xlarge', hourlyPriceUsd: 1.204, requestsPerSecond: 35, latencyMs: 120, ...t4, vcpus: 16, memoryGib: 64 }),
      InstanceType.of({ name: 'p3.2xlarge', hourlyPriceUsd: 3.06, requestsPerSecond: 50, latencyMs: 80, gpus: 1, ...v100, vcpus: 8, memoryGib: 61 }),
      InstanceType.of({ name: 'p3.8xlarge', hourlyPriceUsd: 12.24, requestsPerSecond: 180, latencyMs: 60, gpus: 4, ...v100, vcpus: 32, memoryGib: 244 }),
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
