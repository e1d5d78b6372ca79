import { Size } from 'cdk8s';
import { invalidProp } from '../common/errors';
import { checkLabelValue, checkSize } from '../common/validate';

/**
 * A GPU model, as Karpenter names it in the `karpenter.k8s.aws/instance-gpu-name` node label, with the memory
 * of one GPU.
 *
 * Karpenter knows this label before it launches a node, so a pod that selects it can make Karpenter
 * provision a matching instance. Labels that GPU feature discovery adds after boot (such as
 * `nvidia.com/gpu.product`) cannot: a pod selecting them waits for a node that is never launched.
 *
 * @example
 * const b200 = GpuProduct.of('b200', Size.gibibytes(180));
 */
export class GpuProduct {
  /** NVIDIA T4, 16 GiB (AWS g4dn). */
  public static readonly T4 = new GpuProduct('t4', Size.gibibytes(16));
  /** NVIDIA A10G, 24 GiB (AWS g5). */
  public static readonly A10G = new GpuProduct('a10g', Size.gibibytes(24));
  /** NVIDIA L4, 24 GiB (AWS g6). */
  public static readonly L4 = new GpuProduct('l4', Size.gibibytes(24));
  /** NVIDIA L40S, 48 GiB (AWS g6e). */
  public static readonly L40S = new GpuProduct('l40s', Size.gibibytes(48));
  /** NVIDIA V100, 16 GiB (AWS p3). */
  public static readonly V100 = new GpuProduct('v100', Size.gibibytes(16));
  /**
   * NVIDIA A100, 40 GiB (AWS p4d).
   *
   * Karpenter names the 40 GiB and the 80 GiB A100 alike (`a100`): a pod asking for either may land on both p4d and
   * p4de nodes. To hold out for the 80 GiB part, select `karpenter.k8s.aws/instance-gpu-memory: "81920"` in the
   * GpuRequest's `nodeSelector`, or give the pool only p4de types.
   */
  public static readonly A100 = new GpuProduct('a100', Size.gibibytes(40));
  /**
   * NVIDIA A100, 80 GiB (AWS p4de). Karpenter's `instance-gpu-name` is `a100`, as for `GpuProduct.A100`; its
   * `instance-gpu-memory` (81920 MiB) tells the two apart.
   */
  public static readonly A100_80GB = new GpuProduct('a100', Size.gibibytes(80));
  /** NVIDIA H100, 80 GiB (AWS p5). */
  public static readonly H100 = new GpuProduct('h100', Size.gibibytes(80));
  /** NVIDIA H200, 141 GiB (AWS p5e/p5en). */
  public static readonly H200 = new GpuProduct('h200', Size.gibibytes(141));

  /**
   * Any other GPU model.
   * @param name the value Karpenter sets in `karpenter.k8s.aws/instance-gpu-name` (a non-empty label value, lowercase, e.g. "a10g")
   * @param memory memory of one GPU, at least 1 MiB, e.g. `Size.gibibytes(24)`
   */
  public static of(name: string, memory: Size): GpuProduct {
    const fix = 'give the karpenter.k8s.aws/instance-gpu-name value, e.g. "a10g"';
    checkLabelValue('GpuProduct', 'name', name, fix);
    if (name === '') invalidProp('GpuProduct', 'name', name, 'must not be empty', fix);
    checkSize('GpuProduct', 'memory', memory, `give the memory of one GPU as a Size, e.g. GpuProduct.of('${name}', Size.gibibytes(24))`, 1);
    return new GpuProduct(name, memory);
  }

  private constructor(
    /** The `karpenter.k8s.aws/instance-gpu-name` label value. */
    public readonly name: string,
    /** Memory of one GPU. */
    public readonly memory: Size,
  ) {}
}
