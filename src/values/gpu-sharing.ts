import { Size, SizeRoundingBehavior } from 'cdk8s';
import { invalidProp } from '../common/errors';
import { checkInstance, checkWhole } from '../common/validate';
import { GpuProduct } from '../planning/gpu-product';

// Sources (cited in README "Sharing GPUs"):
// - NVIDIA/k8s-device-plugin v0.20.0 (1b826acc6af3079d8923bac395c3124b8861a9a6): api/config/v1/config.go (version,
//   flags, sharing), api/config/v1/replicas.go (timeSlicing: renameByDefault, failRequestsGreaterThanOne, resources[].
//   name/replicas), api/config/v1/consts.go (DefaultSharedResourceNameSuffix ".shared"; migStrategy none/single/mixed),
//   README "With CUDA Time-Slicing" (no memory isolation) and "Updating Per-Node Configuration With a Node Label".
// - NVIDIA/gpu-operator v26.7.0 (10ee5b3638b89e11e949412aafa5ba99279c3721): assets/state-device-plugin/0500_daemonset.yaml
//   (the `nvidia.com/device-plugin.config` label), controllers/state_manager.go (`nvidia.com/mig.config`),
//   assets/state-mig-manager/0400_configmap.yaml (the `all-<profile>` MIG configs).
// - NVIDIA MIG User Guide, "Supported MIG Profiles" (https://docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html).

/** The node label the GPU operator's device plugin reads to pick its named config (gpu-operator v26.7.0). */
export const LABEL_DEVICE_PLUGIN_CONFIG = 'nvidia.com/device-plugin.config';
/** The node label the GPU operator's MIG manager reads to partition the GPUs (gpu-operator v26.7.0). */
export const LABEL_MIG_CONFIG = 'nvidia.com/mig.config';
/** The resource time-sliced GPUs are advertised as with `renameByDefault: true` (suffix `.shared`, consts.go). */
export const SHARED_GPU_RESOURCE = 'nvidia.com/gpu.shared';
/** The library's node label that says how a pool shares its GPUs. */
export const LABEL_GPU_SHARING = 'ml-scaling/gpu-sharing';

/** Profiles and instances per GPU, from NVIDIA's MIG User Guide ("Supported MIG Profiles"); media-extension profiles left out. */
const MIG_TABLE: { readonly name: string; readonly memoryGib: number; readonly profiles: Record<string, number> }[] = [
  { name: 'a100', memoryGib: 40, profiles: { '1g.5gb': 7, '1g.10gb': 4, '2g.10gb': 3, '3g.20gb': 2, '4g.20gb': 1, '7g.40gb': 1 } },
  { name: 'a100', memoryGib: 80, profiles: { '1g.10gb': 7, '1g.20gb': 4, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 } },
  { name: 'h100', memoryGib: 80, profiles: { '1g.10gb': 7, '1g.20gb': 4, '2g.20gb': 3, '3g.40gb': 2, '4g.40gb': 1, '7g.80gb': 1 } },
  { name: 'h200', memoryGib: 141, profiles: { '1g.18gb': 7, '1g.35gb': 4, '2g.35gb': 3, '3g.71gb': 2, '4g.71gb': 1, '7g.141gb': 1 } },
];

const PROFILE_PATTERN = /^([1-7])g\.([1-9][0-9]{0,3})gb$/;

function migEntry(product: GpuProduct) {
  const gib = product.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return MIG_TABLE.find(e => e.name === product.name && e.memoryGib === gib);
}

/**
 * A MIG profile (`<compute slices>g.<memory>gb`), as NVIDIA names it and the device plugin's `mixed` strategy
 * advertises it: `nvidia.com/mig-1g.10gb`.
 *
 * @see https://docs.nvidia.com/datacenter/tesla/mig-user-guide/supported-mig-profiles.html
 * @example
 * const profile = MigProfile.of('1g.10gb');
 */
export class MigProfile {
  /**
   * A profile by name.
   * @param name `<1-7>g.<GB>gb`, e.g. `1g.10gb`
   */
  public static of(name: string): MigProfile {
    if (typeof name !== 'string' || !PROFILE_PATTERN.test(name)) {
      invalidProp('MigProfile.of', 'name', name, 'is not a MIG profile name', 'give <compute slices>g.<memory>gb as NVIDIA names it, e.g. \'1g.10gb\'');
    }
    return new MigProfile(name);
  }

  /**
   * The profiles of a GPU model (A100 40 GB and 80 GB, H100 80 GB, H200 141 GB), from NVIDIA's MIG User Guide; empty for
   * a model without MIG.
   * @param gpuProduct the GPU model, e.g. `GpuProduct.A100_80GB`
   */
  public static profilesOf(gpuProduct: GpuProduct): MigProfile[] {
    checkInstance('MigProfile.profilesOf', 'gpuProduct', gpuProduct, GpuProduct as any, 'give a GpuProduct, e.g. GpuProduct.A100_80GB');
    return Object.keys(migEntry(gpuProduct)?.profiles ?? {}).map(n => new MigProfile(n));
  }

  private constructor(
    /** The profile name, e.g. `1g.10gb`. */
    public readonly name: string,
  ) {}

  /**
   * How many instances of the profile one GPU of the model holds (all of that profile, as the GPU operator's
   * `all-<profile>` MIG configs partition it); 0 when the model does not have the profile.
   * @param gpuProduct the GPU model
   */
  public instancesPerGpu(gpuProduct: GpuProduct): number {
    checkInstance('MigProfile.instancesPerGpu', 'gpuProduct', gpuProduct, GpuProduct as any, 'give a GpuProduct, e.g. GpuProduct.A100_80GB');
    return migEntry(gpuProduct)?.profiles[this.name] ?? 0;
  }

  /** The extended resource pods request (`nvidia.com/mig-<profile>`, device plugin `mixed` strategy). */
  public get resourceName(): string {
    return `nvidia.com/mig-${this.name}`;
  }

  /** The slice's memory, as its name states it in GB (10^9 bytes), rounded down to whole MiB. */
  public get memory(): Size {
    const gb = Number(PROFILE_PATTERN.exec(this.name)![2]);
    return Size.mebibytes(Math.floor((gb * 1e9) / 2 ** 20));
  }
}

/** How a pool's GPUs are shared. */
export enum GpuSharingKind {
  /** CUDA time-slicing: replicas of each GPU, no memory or fault isolation. */
  TIME_SLICING = 'time-slicing',
  /** Multi-Instance GPU: hardware partitions with their own memory. */
  MIG = 'mig',
}

/**
 * How a CostAwareNodePool shares its GPUs: time-slicing (replicas per GPU, advertised as `nvidia.com/gpu.shared`) or
 * MIG (one profile on every GPU, advertised as `nvidia.com/mig-<profile>` by the `mixed` strategy).
 *
 * @see https://github.com/NVIDIA/k8s-device-plugin/tree/v0.20.0#shared-access-to-gpus
 * @example
 * const sharing = GpuSharing.timeSlicing(4);
 */
export class GpuSharing {
  /** The most replicas per GPU the library writes. */
  public static readonly MAX_REPLICAS_PER_GPU = 48;

  /**
   * Time-slicing: each GPU is advertised `replicasPerGpu` times as `nvidia.com/gpu.shared` (`renameByDefault: true`, so
   * a pod asking for a whole `nvidia.com/gpu` never lands on a shared one), one per container
   * (`failRequestsGreaterThanOne: true`). Time-slicing does not isolate memory: every pod sees the whole GPU memory.
   * @param replicasPerGpu 2 to 48
   */
  public static timeSlicing(replicasPerGpu: number): GpuSharing {
    checkWhole('GpuSharing.timeSlicing', 'replicasPerGpu', replicasPerGpu, { min: 2, max: GpuSharing.MAX_REPLICAS_PER_GPU },
      'give how many pods share one GPU, from 2 to 48, e.g. 4');
    return new GpuSharing(GpuSharingKind.TIME_SLICING, replicasPerGpu, undefined);
  }

  /**
   * MIG: every GPU partitioned into instances of one profile (the GPU operator's `all-<profile>` config), advertised by
   * the device plugin's `mixed` strategy.
   * @param profile the profile, e.g. `MigProfile.of('1g.10gb')`
   */
  public static mig(profile: MigProfile): GpuSharing {
    checkInstance('GpuSharing.mig', 'profile', profile, MigProfile as any, 'give a MigProfile, e.g. MigProfile.of(\'1g.10gb\')');
    return new GpuSharing(GpuSharingKind.MIG, undefined, profile);
  }

  /** Time-slicing or MIG. */
  public readonly kind: GpuSharingKind;
  /**
   * Time-slicing: pods per GPU.
   * @default - none (MIG)
   */
  public readonly replicasPerGpu?: number;
  /**
   * MIG: the profile.
   * @default - none (time-slicing)
   */
  public readonly migProfile?: MigProfile;

  private constructor(kind: GpuSharingKind, replicasPerGpu: number | undefined, migProfile: MigProfile | undefined) {
    this.kind = kind;
    this.replicasPerGpu = replicasPerGpu;
    this.migProfile = migProfile;
  }

  /** The extended resource the pool's nodes advertise and pods request. */
  public get resourceName(): string {
    return this.migProfile ? this.migProfile.resourceName : SHARED_GPU_RESOURCE;
  }

  /** The name of the device plugin config (and the `nvidia.com/device-plugin.config` label value). */
  public get configName(): string {
    return this.migProfile ? 'mig-mixed' : `time-sliced-${this.replicasPerGpu}`;
  }

  /**
   * Shares per GPU of a model: the replicas (time-slicing) or the profile's instances (MIG; 0 when the model lacks it).
   * @param gpuProduct the GPU model
   */
  public sharesPerGpu(gpuProduct: GpuProduct): number {
    return this.migProfile ? this.migProfile.instancesPerGpu(gpuProduct) : this.replicasPerGpu!;
  }

  /**
   * The GPU memory one share may use: the profile's memory (MIG) or the GPU's memory over the replicas (time-slicing,
   * which does not enforce it: each pod must keep itself to it).
   * @param gpuProduct the GPU model
   */
  public memoryPerShare(gpuProduct: GpuProduct): Size {
    if (this.migProfile) return this.migProfile.memory;
    const mib = gpuProduct.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
    return Size.mebibytes(Math.floor(mib / this.replicasPerGpu!));
  }

  /** The device plugin's config file (api/config/v1 at v0.20.0), as YAML-ready JSON. @internal */
  public _devicePluginConfig(): Record<string, unknown> {
    if (this.migProfile) return { version: 'v1', flags: { migStrategy: 'mixed' } };
    return {
      version: 'v1',
      flags: { migStrategy: 'none' },
      sharing: {
        timeSlicing: {
          renameByDefault: true,
          failRequestsGreaterThanOne: true,
          resources: [{ name: 'nvidia.com/gpu', replicas: this.replicasPerGpu }],
        },
      },
    };
  }

  /** The node labels the pool's nodes carry from launch (Karpenter template labels). @internal */
  public _nodeLabels(): Record<string, string> {
    return {
      [LABEL_GPU_SHARING]: this.migProfile ? `mig-${this.migProfile.name}` : `time-sliced-${this.replicasPerGpu}`,
      [LABEL_DEVICE_PLUGIN_CONFIG]: this.configName,
      ...(this.migProfile ? { [LABEL_MIG_CONFIG]: `all-${this.migProfile.name}` } : {}),
    };
  }
}
