/** Numbers as the guardrail messages print them: vCPU, GiB, GPUs and dollars per hour. */
import { Amounts } from './amounts';

/** Trims a fixed-point number: 2.50 -> 2.5, 3.000 -> 3. */
function trim(x: number, digits: number): string {
  return x.toFixed(digits).replace(/\.?0+$/, '');
}

export function vcpu(millis: number): string {
  return `${trim(millis / 1000, 3)} vCPU`;
}

export function gib(mib: number): string {
  return `${trim(mib / 1024, 2)} GiB`;
}

export function gpus(n: number): string {
  return `${n} GPU${n === 1 ? '' : 's'}`;
}

/** Money in micro-dollars as `$12.34/h`: cents, and up to four decimals where the amount has them. */
export function usdPerHour(micro: number): string {
  return `$${(micro / 1_000_000).toFixed(4).replace(/0{1,2}$/, '')}/h`;
}

/** `1 GPU, 4 vCPU, 32 GiB`, leaving out GPUs when there are none. */
export function formatResources(r: Amounts): string {
  return [...(r.gpus > 0 ? [gpus(r.gpus)] : []), vcpu(r.cpuMillis), gib(r.memoryMib)].join(', ');
}

export function quoteList(values: string[]): string {
  return `[${values.map(v => JSON.stringify(v)).join(', ')}]`;
}

/** At most `max` items, then how many more. */
export function listSome(items: string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
