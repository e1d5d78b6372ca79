import { IConstruct } from 'constructs';
import { requireInteger } from './internal/errors';

/** The extended resource the NVIDIA device plugin advertises. */
const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

/**
 * A GPU model, as Karpenter names it in the `karpenter.k8s.aws/instance-gpu-name` node label.
 *
 * Karpenter knows this label before it launches a node, so a pod that selects it can make Karpenter
 * provision a matching instance. Labels that GPU feature discovery adds after boot (such as
 * `nvidia.com/gpu.product`) cannot: a pod selecting them waits for a node that is never launched.
 */
export class GpuProduct {
  /** NVIDIA T4, 16 GiB (AWS g4dn). */
  public static readonly T4 = new GpuProduct('t4', 16);
  /** NVIDIA A10G, 24 GiB (AWS g5). */
  public static readonly A10G = new GpuProduct('a10g', 24);
  /** NVIDIA L4, 24 GiB (AWS g6). */
  public static readonly L4 = new GpuProduct('l4', 24);
  /** NVIDIA L40S, 48 GiB (AWS g6e). */
  public static readonly L40S = new GpuProduct('l40s', 48);
  /** NVIDIA V100, 16 GiB (AWS p3). */
  public static readonly V100 = new GpuProduct('v100', 16);
  /** NVIDIA A100, 40 GiB (AWS p4d). */
  public static readonly A100 = new GpuProduct('a100', 40);
  /** NVIDIA H100, 80 GiB (AWS p5). */
  public static readonly H100 = new GpuProduct('h100', 80);
  /** NVIDIA H200, 141 GiB (AWS p5e/p5en). */
  public static readonly H200 = new GpuProduct('h200', 141);

  /**
   * Any other GPU model.
   * @param name the value Karpenter sets in `karpenter.k8s.aws/instance-gpu-name` (lowercase, e.g. "a10g")
   * @param memoryGib memory of one GPU, in GiB
   */
  public static of(name: string, memoryGib: number): GpuProduct {
    return new GpuProduct(name, memoryGib);
  }

  private constructor(
    /** The `karpenter.k8s.aws/instance-gpu-name` label value. */
    public readonly name: string,
    /** Memory of one GPU, in GiB. */
    public readonly memoryGib: number,
  ) {}
}

/** A Kubernetes toleration, in the library's own vocabulary. */
export interface TolerationSpec {
  /** Taint key. */
  readonly key: string;
  /** `Exists` or `Equal`. */
  readonly operator: string;
  /**
   * Taint value, with `Equal`.
   * @default - none
   */
  readonly value?: string;
  /** Taint effect the toleration matches (`NoSchedule`, `PreferNoSchedule`, `NoExecute`). */
  readonly effect: string;
}

/** Options for a GPU request. */
export interface GpuRequestOptions {
  /**
   * The GPU model. Pods select it with a node label Karpenter can satisfy at launch.
   * @default - any NVIDIA GPU (`karpenter.k8s.aws/instance-gpu-manufacturer: nvidia`)
   */
  readonly product?: GpuProduct;
  /**
   * Node labels to select instead of Karpenter's well-known GPU labels, e.g. a label that the
   * library's node pools set at launch. They must be known before the node boots.
   * @default - Karpenter's `instance-gpu-name` (with a product) or `instance-gpu-manufacturer`
   */
  readonly nodeSelector?: { [key: string]: string };
}

/**
 * GPUs for one pod: the `nvidia.com/gpu` limit, the toleration for the GPU nodes' `NoSchedule` taint,
 * and a node selector on a label Karpenter can satisfy when it launches a node.
 *
 * @example
 * const gpu = GpuRequest.of(1, { product: GpuProduct.A10G });
 */
export class GpuRequest {
  /** The extended resource the NVIDIA device plugin advertises. */
  public static readonly RESOURCE_NAME = NVIDIA_GPU_RESOURCE;

  /**
   * @param count whole GPUs per pod (the device plugin does not split them)
   */
  public static of(count: number, options: GpuRequestOptions = {}): GpuRequest {
    return new GpuRequest(count, options);
  }

  /** Whole GPUs per pod. */
  public readonly count: number;
  /**
   * The GPU model, when one was asked for.
   * @default - any NVIDIA GPU
   */
  public readonly product?: GpuProduct;
  private readonly customSelector?: { [key: string]: string };

  private constructor(count: number, options: GpuRequestOptions) {
    this.count = count;
    this.product = options.product;
    this.customSelector = options.nodeSelector;
  }

  /** The extended resource name (`nvidia.com/gpu`). */
  public get resourceName(): string {
    return NVIDIA_GPU_RESOURCE;
  }

  /** The toleration for the `nvidia.com/gpu` `NoSchedule` taint that GPU node pools carry. */
  public get toleration(): TolerationSpec {
    return { key: NVIDIA_GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' };
  }

  /** Node labels the pod selects; all are known to Karpenter before a node is launched. */
  public get nodeSelector(): { [key: string]: string } {
    if (this.customSelector) return { ...this.customSelector };
    return this.product
      ? { 'karpenter.k8s.aws/instance-gpu-name': this.product.name }
      : { 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' };
  }

  /** Checks the request against a construct; throws a construction error naming the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    requireInteger(scope, `${prop}.count`, this.count, 1, 64,
      'request whole GPUs (1 or more); to share a GPU use time-slicing or MIG profiles in the device plugin');
  }
}
