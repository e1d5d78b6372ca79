/** Per-pod resources in the engine's numbers, converted once from the typed footprints and back for the report. */
import { cpuFromMillis, cpuMillisOf, mebibytesOf, memoryFromMebibytes } from '../../common/quantity';
import { ResourceAmounts } from '../../values/workload-footprint';

/** Resources as numbers that add up across workloads. */
export interface Amounts {
  /** CPU, in millicores. */
  readonly cpuMillis: number;
  /** Memory, in mebibytes. */
  readonly memoryMib: number;
  /** Whole `nvidia.com/gpu` devices. */
  readonly gpus: number;
}

/** A footprint's amounts as the engine's numbers. */
export function amountsOf(r: ResourceAmounts): Amounts {
  return { cpuMillis: Math.round(cpuMillisOf(r.cpu) ?? 0), memoryMib: Math.round(mebibytesOf(r.memory)), gpus: r.gpus };
}

/** The engine's numbers as typed amounts (for the report). */
export function resourceAmountsOf(a: Amounts): ResourceAmounts {
  return { cpu: cpuFromMillis(a.cpuMillis), memory: memoryFromMebibytes(a.memoryMib), gpus: a.gpus };
}
