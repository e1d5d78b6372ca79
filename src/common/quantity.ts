/**
 * Quantities and durations as manifests spell them, and back: the one place the library turns a CPU, memory or
 * GPU amount, or a span of time, into the text of a Kubernetes quantity, a PromQL expression or a Karpenter field,
 * and reads quantities back as numbers.
 */
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/** A number as a Kubernetes quantity: whole numbers plain, fractions in thousandths (`0.5` -> `500m`). */
export function toQuantity(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const milli = Math.round(n * 1000);
  if (Math.abs(milli - n * 1000) > 1e-6) throw new Error(`${n} has more precision than a quantity keeps (thousandths)`);
  return `${milli}m`;
}

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18 };

/** Parses a Kubernetes quantity (`500m`, `16Gi`, `1e3`, `2`) into a plain number; undefined when it is not one. */
export function parseQuantity(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([eE][+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * BINARY[m[2]];
  if (m[3]) return Number(m[1] + m[3]);
  return base * DECIMAL[m[4] ?? ''];
}

/** The millicores of a CPU amount (fractions kept); undefined when its amount is not a quantity. */
export function cpuMillisOf(cpu: Cpu): number | undefined {
  const cores = parseQuantity(cpu.amount);
  return cores === undefined ? undefined : cores * 1000;
}

/** The mebibytes of a size, fractions kept. */
export function mebibytesOf(size: Size): number {
  return size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

/**
 * A CPU amount in whole millicores as one spelling, so that equal amounts are equal values: whole cores as
 * `Cpu.units(n)`, anything else as `Cpu.millis(n)`.
 */
export function cpuFromMillis(millis: number): Cpu {
  const m = Math.round(millis);
  return m % 1000 === 0 ? Cpu.units(m / 1000) : Cpu.millis(m);
}

/**
 * A memory amount in whole mebibytes as one spelling, so that equal amounts are equal values: whole gibibytes
 * as `Size.gibibytes(n)`, anything else as `Size.mebibytes(n)`.
 */
export function memoryFromMebibytes(mebibytes: number): Size {
  const m = Math.round(mebibytes);
  return m % 1024 === 0 ? Size.gibibytes(m / 1024) : Size.mebibytes(m);
}

/**
 * CPU as a quantity in the form the API server prints back (k8s.io/apimachinery pkg/api/resource, Quantity's
 * canonical form): whole cores plain (`2`), else whole millicores (`1500m`), so a manifest and the live object
 * read alike.
 */
export function cpuQuantity(cpu: Cpu): string {
  const millis = Math.round(cpuMillisOf(cpu) ?? 0);
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

const BINARY_SUFFIXES: [string, number][] = [['Pi', 2 ** 40], ['Ti', 2 ** 30], ['Gi', 2 ** 20], ['Mi', 2 ** 10], ['Ki', 1]];

/**
 * Memory or storage as a quantity in the form the API server prints back (k8s.io/apimachinery
 * pkg/api/resource, CanonicalizeBytes): the largest binary suffix that keeps the amount whole (`8Gi`, `1536Mi`).
 */
export function memoryQuantity(size: Size): string {
  const kibibytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (kibibytes === 0) return '0';
  if (!Number.isInteger(kibibytes)) return String(Math.round(kibibytes * 1024));
  const [suffix, factor] = BINARY_SUFFIXES.find(([, f]) => kibibytes % f === 0)!;
  return `${kibibytes / factor}${suffix}`;
}

/** A count of whole devices (`nvidia.com/gpu`) as a quantity. */
export function countQuantity(count: number): string {
  return String(count);
}

/**
 * A span of time as Prometheus (`for`, range selectors, scrape intervals) and Go's `time.ParseDuration`
 * (Karpenter's `expireAfter`, `consolidateAfter`, ...) both read it: whole hours as `2h`, whole minutes as `15m`,
 * anything else in seconds (`90s`).
 */
export function durationText(d: Duration): string {
  const s = d.toSeconds();
  if (s !== 0 && s % 3600 === 0) return `${s / 3600}h`;
  if (s !== 0 && s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
