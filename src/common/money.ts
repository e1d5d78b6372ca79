/** Money as integer micro-dollars, so sums, comparisons and ties are exact. */

/** Dollars to micro-dollars (rounded to the nearest micro-dollar). */
export function toMicroUsd(usd: number): number {
  return Math.round(usd * 1_000_000);
}

/** Micro-dollars to dollars, for reporting. */
export function fromMicroUsd(micro: number): number {
  return micro / 1_000_000;
}
