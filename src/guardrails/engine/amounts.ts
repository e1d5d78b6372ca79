/** Per-pod resources in the engine's numbers, converted once from the typed footprints and back for the report. */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseQuantity } from '../../common/quantity';
import { ResourceAmounts } from '../../values/workload-footprint';

/** Resources as numbers that add up across workloads and compare exactly. */
export interface Amounts {
  /** CPU, in millicores. */
  readonly cpuMillis: number;
  /** Memory, in mebibytes. */
  readonly memoryMib: number;
  /** Whole `nvidia.com/gpu` devices. */
  readonly gpus: number;
  /** Shares of GPUs by extended resource (`nvidia.com/gpu.shared`, `nvidia.com/mig-1g.10gb`); absent for none (GPU sharing). */
  readonly shares?: Readonly<Record<string, number>>;
}

/** A footprint's amounts as the engine's numbers (Kubernetes keeps CPU in whole millicores; memory to the nearest MiB). */
export function amountsOf(r: ResourceAmounts): Amounts {
  return {
    cpuMillis: Math.round((parseQuantity(r.cpu.amount) ?? 0) * 1000),
    memoryMib: Math.round(r.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE })),
    gpus: r.gpus,
    ...(r.gpuShares && Object.keys(r.gpuShares).length > 0 ? { shares: { ...r.gpuShares } } : {}),
  };
}

/** Whether every share a pod asks for is left on a node (GPU sharing). */
export function sharesFit(left: Amounts, pod: Amounts): boolean {
  return Object.entries(pod.shares ?? {}).every(([name, n]) => n <= 0 || (left.shares?.[name] ?? 0) >= n);
}

/** The extended resources of GPU shares: `nvidia.com/gpu.shared` (time-slicing, renamed) and `nvidia.com/mig-*` (MIG, mixed strategy). */
export function isGpuShareResource(name: string): boolean {
  return name === 'nvidia.com/gpu.shared' || /^nvidia\.com\/mig-[1-7]g\.[0-9]+gb$/.test(name);
}

/** The engine's numbers as typed amounts, spelled as the footprints spell them: whole cores and whole GiB when they are. */
export function resourceAmountsOf(a: Amounts): ResourceAmounts {
  return {
    cpu: a.cpuMillis % 1000 === 0 ? kplus.Cpu.units(a.cpuMillis / 1000) : kplus.Cpu.millis(a.cpuMillis),
    memory: a.memoryMib % 1024 === 0 ? Size.gibibytes(a.memoryMib / 1024) : Size.mebibytes(a.memoryMib),
    gpus: a.gpus,
    ...(a.shares ? { gpuShares: { ...a.shares } } : {}),
  };
}
