/**
 * The numeric core of `InstanceSelector`: exact replica counts and the exact cheapest mixed fleet.
 *
 * Exactness. Every input number is read as the decimal it prints as (`0.7` is 7/10, not the binary double
 * nearest to it), turned into a BigInt numerator over a power of ten, and all capacities and the demand are
 * put on one common integer scale. Replica counts are then integer ceilings (no floating-point `ceil`, so
 * 10.5 rps at 0.7 x 15 rps is exactly one replica, not two). Money stays in integer micro-dollars.
 */

/** A positive finite number as the exact decimal it prints as: `value = n / 10^k`. */
export interface Decimal {
  readonly n: bigint;
  readonly k: number;
}

/** The decimal a number prints as (its shortest round-trip form), exactly. */
export function toDecimal(value: number): Decimal {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/.exec(String(value));
  if (!m) throw new Error(`not a positive finite number: ${value}`);
  const frac = m[2] ?? '';
  const k = frac.length - Number(m[3] ?? 0);
  const digits = BigInt(m[1] + frac);
  return k >= 0 ? { n: digits, k } : { n: digits * 10n ** BigInt(-k), k: 0 };
}

/** Capacities at the target utilization and the demand, on one integer scale (units of 10^-K rps). */
export interface ScaledLoad {
  /** The required load, in scale units. */
  readonly demand: bigint;
  /** What one replica of each type serves at the target utilization, in scale units. */
  readonly capacities: bigint[];
}

/** Puts `rps x utilization` of every type and the required load on one exact integer scale. */
export function scaleLoad(requiredRps: number, utilization: number, typeRps: number[]): ScaledLoad {
  const req = toDecimal(requiredRps);
  const u = toDecimal(utilization);
  const rps = typeRps.map(toDecimal);
  const scale = Math.max(req.k, ...rps.map(r => r.k + u.k));
  return {
    demand: req.n * 10n ** BigInt(scale - req.k),
    capacities: rps.map(r => r.n * u.n * 10n ** BigInt(scale - r.k - u.k)),
  };
}

/** Replicas of one type that serve `demand`: max(minReplicas, ceil(demand / capacity)), exactly. */
export function replicasFor(demand: bigint, capacity: bigint, minReplicas: number): number {
  const needed = Number((demand + capacity - 1n) / capacity);
  return Math.max(minReplicas, needed);
}

/** One type offered to the mixed-fleet search. */
export interface MixItem {
  /** Capacity of one replica at the target utilization, in scale units. */
  readonly capacity: bigint;
  /** Price of one replica, in integer micro-dollars per hour. */
  readonly priceMicroUsd: number;
}

/** The cheapest mix found: replicas per item (same order as the items given) and its hourly cost. */
export interface MixResult {
  readonly counts: number[];
  readonly costMicroUsd: number;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Indexes of the items no other item dominates: an item is dominated when another has at least its capacity
 * for at most its price (swapping them keeps every constraint and never costs more, so some optimum avoids it).
 */
export function undominated(items: MixItem[]): number[] {
  const bySize = items.map((_, i) => i).sort((a, b) =>
    compare(items[b].capacity, items[a].capacity) || items[a].priceMicroUsd - items[b].priceMicroUsd || a - b);
  const kept: number[] = [];
  let cheapestSoFar = Infinity;
  for (const i of bySize) {
    if (items[i].priceMicroUsd < cheapestSoFar) {
      kept.push(i);
      cheapestSoFar = items[i].priceMicroUsd;
    }
  }
  return kept;
}

/**
 * The exact cheapest multiset of items with total capacity >= demand and at least `minReplicas` replicas,
 * provided it costs strictly less than `mustBeat` micro-dollars (pass the cheapest single-type plan).
 *
 * Method: depth-first branch and bound over the undominated items sorted by exact price per capacity
 * (BigInt cross-multiplication). For each item, counts are tried from "covers the rest alone" downwards.
 * Lower bound of a node = cost so far + remaining demand x the lowest price per capacity among the items
 * still open (the LP relaxation of the covering problem, valid because any completion pays at least that
 * ratio for every unit it adds). Costs are integers, so a node whose bound exceeds best - 1 cannot hold a
 * strictly cheaper plan; the bound is computed in floating point, made conservative by shrinking the ratio
 * by 1e-12 and pruning only at best - 0.5 (float error stays far below 0.5 micro-dollar for fleets under
 * $10^8/h). Decreasing an item's count only raises the bound (the items after it have no better ratio),
 * so the count loop stops at the first pruned count. When capacity is covered with fewer than
 * `minReplicas` replicas, the rest are the lowest-priced item: any plan needs them, and none is cheaper.
 * Ties keep the first plan found (deterministic: fixed item order, counts tried high to low).
 */
/**
 * The most nodes the mixed-fleet search visits (about a second): past it, the cheapest mix found so far is returned,
 * still cheaper than `mustBeat` and valid, but not proven optimal. Realistic catalogs finish far below it.
 */
export const MAX_MIX_NODES = 1_000_000;

export function cheapestMix(items: MixItem[], demand: bigint, minReplicas: number, mustBeat: number): MixResult | undefined {
  const kept = undominated(items);
  if (kept.length === 0) return undefined;
  const g = kept.map(i => items[i].capacity).reduce(gcd);
  kept.sort((a, b) => {
    const left = BigInt(items[a].priceMicroUsd) * items[b].capacity;
    const right = BigInt(items[b].priceMicroUsd) * items[a].capacity;
    return compare(left, right) || compare(items[b].capacity, items[a].capacity) || a - b;
  });
  // Dividing capacities by their gcd and rounding the demand up keeps the feasible set and shrinks the numbers.
  const caps = kept.map(i => items[i].capacity / g);
  const prices = kept.map(i => items[i].priceMicroUsd);
  const n = kept.length;
  const lowRatio = new Array<number>(n + 1).fill(Infinity);
  for (let j = n - 1; j >= 0; j--) lowRatio[j] = Math.min(lowRatio[j + 1], (prices[j] / Number(caps[j])) * (1 - 1e-12));
  let cheapest = 0;
  for (let j = 1; j < n; j++) if (prices[j] < prices[cheapest]) cheapest = j;

  let best = mustBeat;
  let bestCounts: number[] | undefined;
  const counts = new Array<number>(n).fill(0);

  const covered = (cost: number, replicas: number) => {
    const extra = Math.max(0, minReplicas - replicas);
    const total = cost + extra * prices[cheapest];
    if (total < best) {
      best = total;
      bestCounts = counts.slice();
      bestCounts[cheapest] += extra;
    }
  };
  // Any completion also adds at least minReplicas - replicas replicas, each at least the lowest price.
  const floor = (replicas: number) => Math.max(0, minReplicas - replicas) * prices[cheapest];
  let nodes = 0;
  const visit = (j: number, rest: bigint, cost: number, replicas: number): void => {
    if (rest <= 0n) return covered(cost, replicas);
    if (++nodes > MAX_MIX_NODES) return;
    if (j === n || cost + Math.max(Number(rest) * lowRatio[j], floor(replicas)) >= best - 0.5) return;
    const cap = caps[j];
    const alone = Number((rest + cap - 1n) / cap);
    const lowest = j === n - 1 ? alone : 0;
    for (let k = alone; k >= lowest; k--) {
      const c = cost + k * prices[j];
      const left = rest - BigInt(k) * cap;
      if (nodes > MAX_MIX_NODES) break;
      if (left > 0n && c + Number(left) * lowRatio[j + 1] >= best - 0.5) break;
      if (left > 0n && c + floor(replicas + k) >= best - 0.5) continue;
      if (c >= best) continue;
      counts[j] = k;
      visit(j + 1, left, c, replicas + k);
    }
    counts[j] = 0;
  };
  visit(0, (demand + g - 1n) / g, 0, 0);

  if (!bestCounts) return undefined;
  const result = new Array<number>(items.length).fill(0);
  bestCounts.forEach((count, j) => { result[kept[j]] = count; });
  return { counts: result, costMicroUsd: best };
}
