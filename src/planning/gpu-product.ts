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
