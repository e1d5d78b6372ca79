/**
 * Kubernetes quantities: formatting targets and reading requests back as numbers for the workload footprint.
 */

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
