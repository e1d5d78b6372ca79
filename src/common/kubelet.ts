/**
 * An EC2NodeClass's kubelet settings (`NodeKubeletSettings`) as the manifest spells them and as numbers, and the AMI
 * family a CostAwareNodePool's declarations were built for (which decides how max pods enter kube-reserved).
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { cpuMillisOf, toQuantity } from './quantity';

/** The shape of `NodeKubeletSettings` (values/, a higher layer), checked by `checkKubeletSettings`. */
export interface KubeletSettingsShape {
  readonly kubeReservedCpu?: Cpu;
  readonly kubeReservedMemory?: Size;
  readonly systemReservedCpu?: Cpu;
  readonly systemReservedMemory?: Size;
  readonly evictionHardMemoryAvailable?: Size;
  readonly evictionHardMemoryAvailablePercent?: number;
  readonly maxPods?: number;
  readonly podsPerCore?: number;
}

/** The settings in millicores and mebibytes (fractions of a MiB kept). */
export interface KubeletAmounts {
  readonly kubeReservedCpuMillis?: number;
  readonly kubeReservedMemoryMib?: number;
  readonly systemReservedCpuMillis?: number;
  readonly systemReservedMemoryMib?: number;
  readonly evictionHardMemoryMib?: number;
  readonly evictionHardMemoryPercent?: number;
  readonly maxPods?: number;
  readonly podsPerCore?: number;
}

const mib = (s: Size | undefined) => (s === undefined ? undefined : s.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024);

/** Checked settings as numbers. */
export function kubeletAmountsOf(k: KubeletSettingsShape): KubeletAmounts {
  const cpu = (c: KubeletSettingsShape['kubeReservedCpu']) => (c === undefined ? undefined : cpuMillisOf(c) ?? 0);
  return {
    kubeReservedCpuMillis: cpu(k.kubeReservedCpu),
    kubeReservedMemoryMib: mib(k.kubeReservedMemory),
    systemReservedCpuMillis: cpu(k.systemReservedCpu),
    systemReservedMemoryMib: mib(k.systemReservedMemory),
    evictionHardMemoryMib: mib(k.evictionHardMemoryAvailable),
    evictionHardMemoryPercent: k.evictionHardMemoryAvailablePercent,
    maxPods: k.maxPods,
    podsPerCore: k.podsPerCore,
  };
}

/** A memory amount as a quantity: whole MiB as `Mi`, else KiB. */
function memoryQuantity(s: Size): string {
  const m = mib(s)!;
  return Number.isInteger(m) ? `${m}Mi` : `${Math.round(m * 1024)}Ki`;
}

/** `spec.kubelet` of an EC2NodeClass for checked settings (only the fields given). */
export function kubeletSpecOf(k: KubeletSettingsShape): Record<string, unknown> {
  const reserved = (cpu: KubeletSettingsShape['kubeReservedCpu'], memory: Size | undefined) => {
    const r: Record<string, string> = {};
    if (cpu !== undefined) r.cpu = toQuantity((cpuMillisOf(cpu) ?? 0) / 1000);
    if (memory !== undefined) r.memory = memoryQuantity(memory);
    return Object.keys(r).length > 0 ? r : undefined;
  };
  const kubeReserved = reserved(k.kubeReservedCpu, k.kubeReservedMemory);
  const systemReserved = reserved(k.systemReservedCpu, k.systemReservedMemory);
  const eviction = k.evictionHardMemoryAvailablePercent !== undefined ? `${k.evictionHardMemoryAvailablePercent}%`
    : k.evictionHardMemoryAvailable !== undefined ? memoryQuantity(k.evictionHardMemoryAvailable) : undefined;
  return {
    ...(k.maxPods !== undefined ? { maxPods: k.maxPods } : {}),
    ...(k.podsPerCore !== undefined ? { podsPerCore: k.podsPerCore } : {}),
    ...(kubeReserved ? { kubeReserved } : {}),
    ...(systemReserved ? { systemReserved } : {}),
    ...(eviction !== undefined ? { evictionHard: { 'memory.available': eviction } } : {}),
  };
}

/** The AMI family of the node class each of a CostAwareNodePool's declarations was built for. */
const amiFamilies = new WeakMap<object, string>();

export function recordAmiFamily(declaration: object, family: string): void {
  amiFamilies.set(declaration, family);
}

/** `al2023` when not recorded (a declared pool): Karpenter's default family. */
export function amiFamilyOf(declaration: object): string {
  return amiFamilies.get(declaration) ?? 'al2023';
}
