/**
 * The numeric core of SloPlanner: finds the highest concurrency one replica sustains within a latency objective on a
 * measured load profile, and derives the per-replica targets and the replicas a peak needs. Pure functions over checked
 * numbers (times in milliseconds); the texts are in slo-messages.ts.
 */

/** One measured row, checked: concurrency ascending, every number finite. */
export interface ProfileRow {
  readonly concurrency: number;
  readonly requestsPerSecond: number;
  readonly outputTokensPerSecond?: number;
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly kvCachePercent?: number;
  readonly waiting?: number;
}

/** The objective, in milliseconds. */
export interface ObjectiveMs {
  readonly ttftMs: number;
  readonly itlMs: number;
}

/** The operating point at the limit: a row, or a point between two rows. */
export interface LimitPoint extends ProfileRow {
  /** Whether the point lies between two measured rows. */
  readonly interpolated: boolean;
}

/** Where the limit lies, or why there is none. */
export type LimitOutcome =
  | { readonly kind: 'infeasible'; readonly row: ProfileRow }
  | { readonly kind: 'all-meet'; readonly point: LimitPoint }
  | { readonly kind: 'between'; readonly point: LimitPoint; readonly lower: ProfileRow; readonly upper: ProfileRow; readonly monotone: boolean };

/** Whether a row meets the objective (both percentiles at or under it). */
export function meets(row: ProfileRow, objective: ObjectiveMs): boolean {
  return row.ttftMs <= objective.ttftMs && row.itlMs <= objective.itlMs;
}

/**
 * The limit: the rows are read upwards and the first that misses the objective bounds it (a row above it that meets the
 * objective again is measurement noise, not capacity). Between the last row that meets it and the first that misses,
 * the concurrency where each latency reaches its objective is interpolated linearly, only when every column rises (or
 * stays) from the one row to the other, and rounded down to whole requests.
 */
export function findLimit(rows: readonly ProfileRow[], objective: ObjectiveMs): LimitOutcome {
  const miss = rows.findIndex(r => !meets(r, objective));
  if (miss === 0) return { kind: 'infeasible', row: rows[0] };
  if (miss < 0) return { kind: 'all-meet', point: { ...rows[rows.length - 1], interpolated: false } };
  const lower = rows[miss - 1];
  const upper = rows[miss];
  const monotone = risesOrStays(lower, upper);
  if (!monotone) return { kind: 'between', point: { ...lower, interpolated: false }, lower, upper, monotone };
  // The concurrency where each latency reaches its objective on the line between the rows (the upper row's for one it
  // does not cross).
  const reach = (low: number, high: number, goal: number) => (high <= goal
    ? upper.concurrency
    : lower.concurrency + (upper.concurrency - lower.concurrency) * (goal - low) / (high - low));
  const exact = Math.min(reach(lower.ttftMs, upper.ttftMs, objective.ttftMs), reach(lower.itlMs, upper.itlMs, objective.itlMs));
  // 1e-9 keeps a crossing that lands on a whole number (up to float error) at that number.
  const concurrency = Math.floor(exact + 1e-9);
  if (concurrency <= lower.concurrency) return { kind: 'between', point: { ...lower, interpolated: false }, lower, upper, monotone };
  return { kind: 'between', point: pointAt(lower, upper, concurrency), lower, upper, monotone };
}

/** The linear interpolation of every column at a concurrency between two rows. */
export function pointAt(lower: ProfileRow, upper: ProfileRow, concurrency: number): LimitPoint {
  const f = (concurrency - lower.concurrency) / (upper.concurrency - lower.concurrency);
  const lerp = (a: number, b: number) => a + (b - a) * f;
  const opt = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : lerp(a, b));
  return {
    concurrency,
    requestsPerSecond: lerp(lower.requestsPerSecond, upper.requestsPerSecond),
    outputTokensPerSecond: opt(lower.outputTokensPerSecond, upper.outputTokensPerSecond),
    ttftMs: lerp(lower.ttftMs, upper.ttftMs),
    itlMs: lerp(lower.itlMs, upper.itlMs),
    kvCachePercent: opt(lower.kvCachePercent, upper.kvCachePercent),
    waiting: opt(lower.waiting, upper.waiting),
    interpolated: true,
  };
}

/** Whether every column given rises or stays from one row to the next (what makes a straight line between them honest). */
export function risesOrStays(a: ProfileRow, b: ProfileRow): boolean {
  const up = (x: number | undefined, y: number | undefined) => x === undefined || y === undefined || y >= x;
  return up(a.requestsPerSecond, b.requestsPerSecond) && up(a.outputTokensPerSecond, b.outputTokensPerSecond)
    && up(a.ttftMs, b.ttftMs) && up(a.itlMs, b.itlMs) && up(a.kvCachePercent, b.kvCachePercent) && up(a.waiting, b.waiting);
}

/** A value rounded down to thousandths (the precision of a Kubernetes quantity), so a target never exceeds the limit. */
export function floorThousandths(value: number): number {
  return Math.floor(value * 1000 + 1e-6) / 1000;
}

/** ceil(load / perReplica), with the quotient rounded to 9 digits first so that 6 / 0.6 is 10, not 11. */
export function replicasFor(load: number, perReplica: number): number {
  return Math.max(1, Math.ceil(Number((load / perReplica).toFixed(9))));
}
