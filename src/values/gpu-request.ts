import { SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GpuSharingKind, MigProfile, SHARED_GPU_RESOURCE } from './gpu-sharing';
import { invalidProp, requireInteger } from '../common/errors';
import { LABEL_GPU_MANUFACTURER, LABEL_GPU_NAME } from '../common/karpenter-labels';
import { checkInstance, checkLabels, checkStruct } from '../common/validate';
import { GpuProduct } from '../planning/gpu-product';

/** The extended resource the NVIDIA device plugin advertises. */
const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';

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
  readonly gpuProduct?: GpuProduct;
  /**
   * Node labels to select instead of Karpenter's well-known GPU labels, e.g. a label that the
   * library's node pools set at launch. They must be known before the node boots. Label keys and values
   * as Kubernetes accepts them, at least one.
   * @default - Karpenter's `instance-gpu-name` (with a product) or `instance-gpu-manufacturer`
   */
  readonly nodeSelector?: { [key: string]: string };
}

/**
 * GPUs for one pod: the `nvidia.com/gpu` limit, the toleration for the GPU nodes' `NoSchedule` taint,
 * and a node selector on a label Karpenter can satisfy when it launches a node.
 *
 * @example
 * const gpu = GpuRequest.of(1, { gpuProduct: GpuProduct.A10G });
 */
export class GpuRequest {
  /** The extended resource the NVIDIA device plugin advertises. */
  public static readonly RESOURCE_NAME = NVIDIA_GPU_RESOURCE;

  /**
   * @param gpus whole GPUs per pod (the device plugin does not split them)
   */
  public static of(gpus: number, options: GpuRequestOptions = {}): GpuRequest {
    const where = 'GpuRequest.of';
    checkStruct(where, 'options', options, 'give { gpuProduct } or { nodeSelector }, or leave the options out', true);
    const o = options ?? {};
    if (o.gpuProduct !== undefined) {
      checkInstance(where, 'options.gpuProduct', o.gpuProduct, GpuProduct as any, 'give a GpuProduct, e.g. GpuProduct.L4 or GpuProduct.of(\'b200\', Size.gibibytes(180))');
    }
    if (o.nodeSelector !== undefined) {
      const selector = checkLabels(where, 'options.nodeSelector', o.nodeSelector);
      if (Object.keys(selector).length === 0) {
        invalidProp(where, 'options.nodeSelector', selector, 'is empty, so the pods would select no GPU nodes',
          'give the node labels of the GPU nodes, e.g. { \'ml-scaling/pool\': \'gpu-inference\' }, or leave it out');
      }
    }
    return new GpuRequest(gpus, o);
  }

  /**
   * One time-sliced share of a GPU (`nvidia.com/gpu.shared: 1`), for a pool with `gpuSharing: GpuSharing.timeSlicing(n)`.
   * Time-slicing does not isolate memory: the pod must fit in the GPU's memory over the pool's replicas.
   */
  public static timeSliced(options: GpuRequestOptions = {}): GpuRequest {
    checkStruct('GpuRequest.timeSliced', 'options', options, 'give { gpuProduct } or { nodeSelector }, or leave the options out', true);
    const base = GpuRequest.of(1, options);
    return new GpuRequest(0, options ?? {}, GpuSharingKind.TIME_SLICING, undefined, base);
  }

  /**
   * One MIG instance (`nvidia.com/mig-<profile>: 1`), for a pool with `gpuSharing: GpuSharing.mig(profile)`.
   * @param profile the profile, e.g. `MigProfile.of('1g.10gb')`; with a `gpuProduct`, one that model has
   */
  public static mig(profile: MigProfile, options: GpuRequestOptions = {}): GpuRequest {
    const where = 'GpuRequest.mig';
    checkInstance(where, 'profile', profile, MigProfile as any, 'give a MigProfile, e.g. MigProfile.of(\'1g.10gb\')');
    checkStruct(where, 'options', options, 'give { gpuProduct } or { nodeSelector }, or leave the options out', true);
    const base = GpuRequest.of(1, options);
    if (base.gpuProduct && profile.instancesPerGpu(base.gpuProduct) === 0) {
      const known = MigProfile.profilesOf(base.gpuProduct).map(p => p.name);
      invalidProp(where, 'profile', profile.name, `is not a MIG profile of ${base.gpuProduct.name} (${base.gpuProduct.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB)`,
        known.length > 0 ? `use one of ${known.join(', ')}` : 'use a GPU model with MIG (A100, H100, H200), or time-slicing');
    }
    return new GpuRequest(0, options ?? {}, GpuSharingKind.MIG, profile, base);
  }

  /** Whole GPUs per pod. */
  public readonly gpus: number;
  /**
   * The GPU model, when one was asked for.
   * @default - any NVIDIA GPU
   */
  public readonly gpuProduct?: GpuProduct;
  /**
   * How the GPU is shared, for a share of one.
   * @default - a whole GPU
   */
  public readonly sharing?: GpuSharingKind;
  /**
   * The MIG profile, for a MIG instance.
   * @default - none
   */
  public readonly migProfile?: MigProfile;
  private readonly customSelector?: { [key: string]: string };

  private constructor(gpus: number, options: GpuRequestOptions, sharing?: GpuSharingKind, migProfile?: MigProfile, _checked?: GpuRequest) {
    this.gpus = gpus;
    this.gpuProduct = options.gpuProduct;
    this.customSelector = options.nodeSelector;
    this.sharing = sharing;
    this.migProfile = migProfile;
  }

  /** The extended resource name: `nvidia.com/gpu`, `nvidia.com/gpu.shared` (time-sliced) or `nvidia.com/mig-<profile>`. */
  public get resourceName(): string {
    if (this.migProfile) return this.migProfile.resourceName;
    return this.sharing === GpuSharingKind.TIME_SLICING ? SHARED_GPU_RESOURCE : NVIDIA_GPU_RESOURCE;
  }

  /** How many of `resourceName` the pod requests: the whole GPUs, or 1 share. */
  public get count(): number {
    return this.sharing ? 1 : this.gpus;
  }

  /** The toleration for the `nvidia.com/gpu` `NoSchedule` taint that GPU node pools carry. */
  public get toleration(): TolerationSpec {
    return { key: NVIDIA_GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' };
  }

  /** Node labels the pod selects; all are known to Karpenter before a node is launched. */
  public get nodeSelector(): { [key: string]: string } {
    if (this.customSelector) return { ...this.customSelector };
    return this.gpuProduct
      ? { [LABEL_GPU_NAME]: this.gpuProduct.name }
      : { [LABEL_GPU_MANUFACTURER]: 'nvidia' };
  }

  /** Checks the request against a construct; throws a construction error naming the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.sharing) return;
    requireInteger(scope, `${prop}.gpus`, this.gpus, 1, 64,
      'request whole GPUs (1 or more); to share a GPU use time-slicing or MIG profiles in the device plugin');
  }
}
