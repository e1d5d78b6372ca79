import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { GpuSharingKind, MigProfile, SHARED_GPU_RESOURCE } from './gpu-sharing';
import { invalidProp, requireInteger } from '../common/errors';
import { LABEL_GPU_MANUFACTURER, LABEL_GPU_NAME } from '../common/karpenter-labels';
import { ANNOTATION_REQUIRED_GPU_MEMORY } from '../common/names';
import { memoryQuantity } from '../common/quantity';
import { checkInstance, checkLabels, checkOptionalSize, checkStruct } from '../common/validate';
import { GpuProduct } from '../planning/gpu-product';

/** The extended resource the NVIDIA device plugin advertises. */
const NVIDIA_GPU_RESOURCE = 'nvidia.com/gpu';
/** The largest `requiredGpuMemory`, in MiB: 1,024 GiB (ModelSizer's largest GPU). */
const MAX_REQUIRED_GPU_MEMORY_MIB = 1024 * 1024;
const REQUIRED_GPU_MEMORY_FIX = 'give the GPU memory one pod needs, e.g. ModelSizer.size({ ... }).requiredGpuMemory or Size.gibibytes(5), or leave it out';

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
  /**
   * The GPU memory one pod needs, for a share of a GPU (`timeSliced`, `mig`): take it from `ModelSizer.size(...)`'s
   * `requiredGpuMemory` (weights, KV cache and the runtime reserve, sized for the pod's own context length and
   * concurrency). It is written on the pod template as the annotation `cdk8s-ml-scaling/required-gpu-memory`, and the
   * gpu-sharing guardrail reports a pool whose share is smaller: a time-sliced share has the GPU's memory over the
   * pool's replicas per GPU (time-slicing does not partition memory, so a pod that takes more starves the others), a
   * MIG instance its profile's memory. `GpuRequest.mig` refuses a profile smaller than it. Not for whole GPUs: size
   * those with ModelSizer's `gpusPerReplica`.
   * @default - not known: the share's memory is not checked
   */
  readonly requiredGpuMemory?: Size;
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
    const o = GpuRequest.checkOptions('GpuRequest.of', options);
    if (o.requiredGpuMemory !== undefined) {
      invalidProp('GpuRequest.of', 'options.requiredGpuMemory', o.requiredGpuMemory, 'applies to a share of a GPU only (GpuRequest.timeSliced, GpuRequest.mig)',
        'leave it out for whole GPUs (ModelSizer\'s gpusPerReplica sizes them), or ask for a share');
    }
    return new GpuRequest(gpus, o);
  }

  /**
   * One time-sliced share of a GPU (`nvidia.com/gpu.shared: 1`), for a pool with `gpuSharing: GpuSharing.timeSlicing(n)`.
   * Time-slicing does not isolate memory: the pod must fit in the GPU's memory over the pool's replicas (give
   * `requiredGpuMemory` and the gpu-sharing guardrail checks it).
   */
  public static timeSliced(options: GpuRequestOptions = {}): GpuRequest {
    const o = GpuRequest.checkOptions('GpuRequest.timeSliced', options);
    return new GpuRequest(0, o, GpuSharingKind.TIME_SLICING);
  }

  /**
   * One MIG instance (`nvidia.com/mig-<profile>: 1`), for a pool with `gpuSharing: GpuSharing.mig(profile)`.
   * @param profile the profile, e.g. `MigProfile.of('1g.10gb')`; with a `gpuProduct`, one that model has; with
   * `requiredGpuMemory`, one at least that large
   */
  public static mig(profile: MigProfile, options: GpuRequestOptions = {}): GpuRequest {
    const where = 'GpuRequest.mig';
    checkInstance(where, 'profile', profile, MigProfile as any, 'give a MigProfile, e.g. MigProfile.of(\'1g.10gb\')');
    const o = GpuRequest.checkOptions(where, options);
    const product = o.gpuProduct;
    if (product && profile.instancesPerGpu(product) === 0) {
      const known = MigProfile.profilesOf(product).map(p => p.name);
      invalidProp(where, 'profile', profile.name, `is not a MIG profile of ${product.name} (${product.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE })} GiB)`,
        known.length > 0 ? `use one of ${known.join(', ')}` : 'use a GPU model with MIG (A100, H100, H200), or time-slicing');
    }
    const need = o.requiredGpuMemory;
    if (need !== undefined && mebibytes(need) > mebibytes(profile.memory)) {
      const larger = product ? MigProfile.profilesOf(product).filter(p => mebibytes(p.memory) >= mebibytes(need)).map(p => p.name) : [];
      invalidProp(where, 'options.requiredGpuMemory', need,
        `is more than the ${formatMib(mebibytes(profile.memory))} MiB of a ${profile.name} MIG instance, so the model does not fit in it`,
        larger.length > 0 ? `use a larger profile (${larger.join(', ')})` : 'use a larger MIG profile, or lower the pod\'s context length or concurrency');
    }
    return new GpuRequest(0, o, GpuSharingKind.MIG, profile);
  }

  /** The checks every factory makes of its options. */
  private static checkOptions(where: string, options: GpuRequestOptions): GpuRequestOptions {
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
    checkOptionalSize(where, 'options.requiredGpuMemory', o.requiredGpuMemory, REQUIRED_GPU_MEMORY_FIX, 0, MAX_REQUIRED_GPU_MEMORY_MIB);
    if (o.requiredGpuMemory !== undefined && !(mebibytes(o.requiredGpuMemory) > 0)) {
      invalidProp(where, 'options.requiredGpuMemory', o.requiredGpuMemory, 'is not above zero', REQUIRED_GPU_MEMORY_FIX);
    }
    return o;
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
  /**
   * The GPU memory one pod needs (`requiredGpuMemory`), for a share.
   * @default - not known
   */
  public readonly requiredGpuMemory?: Size;
  private readonly customSelector?: { [key: string]: string };

  private constructor(gpus: number, options: GpuRequestOptions, sharing?: GpuSharingKind, migProfile?: MigProfile) {
    this.gpus = gpus;
    this.requiredGpuMemory = options.requiredGpuMemory;
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

  /** The pod template annotations the request adds: the memory a share needs, for the guardrails. @internal */
  public get _podAnnotations(): { [key: string]: string } {
    return this.requiredGpuMemory !== undefined ? { [ANNOTATION_REQUIRED_GPU_MEMORY]: memoryQuantity(this.requiredGpuMemory) } : {};
  }

  /** Checks the request against a construct; throws a construction error naming the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.sharing) return;
    requireInteger(scope, `${prop}.gpus`, this.gpus, 1, 64,
      'request whole GPUs (1 or more); to share a GPU use time-slicing or MIG profiles in the device plugin');
  }
}

function mebibytes(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** MiB with at most one decimal. */
function formatMib(mib: number): string {
  return String(Math.round(mib * 10) / 10);
}
