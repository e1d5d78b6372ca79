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

/**
 * The answer of the mixed-fleet search. `counts` is the cheapest mix found that costs strictly less than `mustBeat`
 * (replicas per item, same order as the items given), or undefined when none was found.
 */
export interface MixResult {
  readonly counts?: number[];
  /** What `counts` costs, in micro-dollars per hour; `mustBeat` when there are no counts. */
  readonly costMicroUsd: number;
  /** Whether the search proved `costMicroUsd` the least of min(cheapest mix, mustBeat). */
  readonly optimal: boolean;
  /** A proven lower bound on min(cheapest mix, mustBeat), in micro-dollars per hour: `costMicroUsd` when optimal. */
  readonly lowerBoundMicroUsd: number;
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
 * The most nodes the branch and bound visits (a few tens of ms) when the residue search below cannot settle the
 * problem: past it, the cheapest mix found so far is returned, valid and cheaper than `mustBeat`, with a
 * proven lower bound instead of a proof of optimality.
 */
export const MAX_MIX_NODES = 50_000;

/**
 * The largest residue table (the best-ratio type's capacity over the capacities' gcd) times the number of types the
 * residue search takes on: 2 x 10^7 steps, about 20-40 ms. Larger problems go to the branch and bound with a gap.
 */
export const MAX_RESIDUE_WORK = 20_000_000;

/** The largest residue table (12 bytes a residue): 500,000 residues, 6 MB. */
export const MAX_RESIDUES = 500_000;

/**
 * The cheapest multiset of items with total capacity >= demand and at least `minReplicas` replicas, if it
 * costs strictly less than `mustBeat` micro-dollars (pass the cheapest single-type plan), with a proof or a gap.
 *
 * 1. Dominated items are dropped (see `undominated`).
 * 2. Residue search (exact, the "group relaxation" of the covering problem): let b be the item of least price
 *    per capacity (p_b / c_b), and write any fleet as a set S of other items plus x_b copies of b. Its cost is
 *    P_S + p_b x_b >= P_S + p_b ceil((D - C_S) / c_b), and with C_S = q c_b + r that is
 *    (W_S + p_b (r + c_b ceil((D - r) / c_b))) / c_b where W_S = c_b P_S - p_b C_S >= 0 (b has the best ratio).
 *    The least W_S for each residue r of C_S modulo c_b is a shortest path over the c_b residues with
 *    non-negative integer edge weights (Boecker and Liptak's round-robin algorithm, O(items x c_b)); the
 *    least right-hand side over r is then a lower bound L on every fleet. The fleet it comes from (S plus
 *    ceil((D - C_S) / c_b) copies of b) costs exactly L when that count is not negative and it has at least
 *    `minReplicas` replicas: then it is optimal. All of it is integer arithmetic, checked to stay below 2^53.
 * 3. Otherwise (the residue table is too large, or the fleet above is not valid), depth-first branch and bound,
 *    where the table is too large from the bounds of `coarseSearch` (residue searches on rounded capacities),
 *    over the items sorted by price per capacity, seeded with the fleet found and stopped as soon as it meets
 *    the lower bound. Bound of a node = cost so far + remaining demand x the lowest price per capacity among
 *    the items still open (the LP relaxation). Costs are integers, so a node whose bound exceeds best - 1
 *    cannot hold a strictly cheaper plan; the bound is computed in floating point, made conservative by
 *    shrinking the ratio by 1e-12 and pruning only at best - 0.5. When capacity is covered with fewer than
 *    `minReplicas` replicas, the rest are the lowest-priced item. Past `MAX_MIX_NODES` nodes it stops and
 *    reports the best found with the lower bound max(L, LP bound, minReplicas x lowest price).
 */
export function cheapestMix(items: MixItem[], demand: bigint, minReplicas: number, mustBeat: number): MixResult {
  const none = (optimal: boolean, lowerBound: number): MixResult =>
    ({ costMicroUsd: mustBeat, optimal, lowerBoundMicroUsd: optimal ? mustBeat : Math.min(mustBeat, lowerBound) });
  const kept = undominated(items);
  if (kept.length === 0) return none(true, mustBeat);
  const g = kept.map(i => items[i].capacity).reduce(gcd);
  kept.sort((a, b) => {
    const left = BigInt(items[a].priceMicroUsd) * items[b].capacity;
    const right = BigInt(items[b].priceMicroUsd) * items[a].capacity;
    return compare(left, right) || compare(items[b].capacity, items[a].capacity) || a - b;
  });
  // Dividing capacities by their gcd and rounding the demand up keeps the feasible set and shrinks the numbers.
  const caps = kept.map(i => items[i].capacity / g);
  const prices = kept.map(i => items[i].priceMicroUsd);
  const rest = (demand + g - 1n) / g;
  const n = kept.length;
  let cheapest = 0;
  for (let j = 1; j < n; j++) if (prices[j] < prices[cheapest]) cheapest = j;
  // LP bound: every unit of capacity costs at least the best ratio; and every replica at least the lowest price.
  const lpBound = Math.max(Number((BigInt(prices[0]) * rest + caps[0] - 1n) / caps[0]), minReplicas * prices[cheapest]);

  const toResult = (found: number[] | undefined, cost: number, optimal: boolean, lowerBound: number): MixResult => {
    if (!found) return none(optimal, lowerBound);
    const counts = new Array<number>(items.length).fill(0);
    found.forEach((count, j) => { counts[kept[j]] = count; });
    return { counts, costMicroUsd: cost, optimal, lowerBoundMicroUsd: optimal ? cost : Math.min(cost, lowerBound) };
  };

  const residue = residueSearch(caps, prices, rest, mustBeat);
  let seed: number[] | undefined;
  let lowerBound = lpBound;
  if (residue) {
    lowerBound = Math.max(lowerBound, residue.lowerBound);
    if (residue.lowerBound >= mustBeat) return none(true, mustBeat);
    const replicas = residue.counts.reduce((a, b) => a + b, 0);
    if (residue.proven && replicas >= minReplicas) return toResult(residue.counts, residue.cost, true, residue.cost);
    seed = residue.counts.slice();
    seed[cheapest] += Math.max(0, minReplicas - replicas);
  } else {
    const coarse = coarseSearch(caps, prices, rest, mustBeat);
    lowerBound = Math.max(lowerBound, coarse.lowerBound);
    if (lowerBound >= mustBeat) return none(true, mustBeat);
    if (coarse.counts) {
      seed = coarse.counts.slice();
      seed[cheapest] += Math.max(0, minReplicas - seed.reduce((a, b) => a + b, 0));
    }
  }
  const bb = branchAndBound(caps, prices, rest, minReplicas, mustBeat, cheapest, seed, lowerBound);
  return toResult(bb.counts, bb.cost, bb.complete, lowerBound);
}

interface ResidueAnswer {
  /** Counts per (sorted) item of the fleet the least residue bound comes from: valid (covers the demand). */
  readonly counts: number[];
  /** What those counts cost. */
  readonly cost: number;
  /** A lower bound on every fleet cheaper than mustBeat (or mustBeat itself). */
  readonly lowerBound: number;
  /** Whether `cost` equals `lowerBound` (ignoring minReplicas, which the caller checks). */
  readonly proven: boolean;
}

/** Step 2 of `cheapestMix`; undefined when the table is too large or the numbers could lose precision. */
function residueSearch(allCaps: bigint[], prices: number[], allDemand: bigint, mustBeat: number,
  maxResidues = MAX_RESIDUES): ResidueAnswer | undefined {
  // Dividing capacities by their gcd and rounding the demand up keeps the feasible set and shrinks the table.
  const g = allCaps.reduce(gcd);
  const caps = g === 1n ? allCaps : allCaps.map(c => c / g);
  const demand = (allDemand + g - 1n) / g;
  // The pivot: least price per capacity, the smallest capacity among ties (a smaller table).
  let b = 0;
  for (let j = 1; j < caps.length; j++) {
    const order = compare(BigInt(prices[j]) * caps[b], BigInt(prices[b]) * caps[j]);
    if (order < 0 || (order === 0 && caps[j] < caps[b])) b = j;
  }
  const capB = caps[b];
  const priceB = BigInt(prices[b]);
  if (capB > BigInt(maxResidues) || capB * BigInt(caps.length) > BigInt(MAX_RESIDUE_WORK)) return undefined;
  const m = Number(capB);
  // Items whose reduced cost alone lifts a fleet to mustBeat cannot be in a cheaper one: W_i / c_b + LP >= mustBeat.
  const lp = priceB * demand;
  const limit = Number.isFinite(mustBeat) ? BigInt(mustBeat) * capB - lp : undefined;
  const edges: { j: number; step: number; weight: number }[] = [];
  let maxWeight = 0;
  for (let j = 0; j < caps.length; j++) {
    const step = Number(caps[j] % capB);
    if (j === b || step === 0) continue; // a multiple of c_b never beats copies of b
    const w = capB * BigInt(prices[j]) - priceB * caps[j];
    if (limit !== undefined && w >= limit) continue;
    if (w > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    edges.push({ j, step, weight: Number(w) });
    maxWeight = Math.max(maxWeight, Number(w));
  }
  // Every distance is a path of fewer than m edges; with the p_b x r term it must stay an exact integer.
  if (maxWeight * (m + 1) + prices[b] * m > Number.MAX_SAFE_INTEGER) return undefined;

  // Light edges first: after a few, the best fleet found bounds the optimum, and heavier edges above it are dropped.
  edges.sort((x, y) => x.weight - y.weight || x.j - y.j);
  const dist = new Float64Array(m).fill(Infinity);
  const pred = new Int32Array(m).fill(-1);
  dist[0] = 0;
  const demandMod = Number(demand % capB);
  const demandQuotient = Number(demand / capB);
  const pB = prices[b];

  /** The residue of the least bound: (dist[r] + p_b r) / c_b (an integer) + p_b ceil((D - r) / c_b). */
  const least = (): { r: number; bound: number } => {
    let r0 = -1;
    let bound = Infinity;
    for (let r = 0; r < m; r++) {
      if (dist[r] === Infinity) continue;
      const value = (dist[r] + pB * r) / m + pB * (demandQuotient + (demandMod > r ? 1 : 0));
      if (value < bound) {
        bound = value;
        r0 = r;
      }
    }
    return { r: r0, bound };
  };
  /** The fleet of residue r: the items on its shortest path, then copies of b up to the demand (undefined: no path). */
  const fleetOf = (r0: number): { counts: number[]; cost: number } | undefined => {
    const counts = new Array<number>(caps.length).fill(0);
    let capacity = 0n;
    // Walk the shortest-path tree back to residue 0 (at most m - 1 edges; the guard only defends the invariant).
    for (let r = r0, steps = 0; r !== 0; steps++) {
      if (steps >= m || pred[r] < 0) return undefined;
      const edge = edges[pred[r]];
      counts[edge.j]++;
      capacity += caps[edge.j];
      r -= edge.step;
      if (r < 0) r += m;
    }
    counts[b] = demand > capacity ? Number((demand - capacity + capB - 1n) / capB) : 0;
    return { counts, cost: counts.reduce((sum, count, j) => sum + count * prices[j], 0) };
  };

  let end = edges.length;
  let nextCheck = Math.min(8, end);
  for (let e = 0; e < end; e++) {
    const { step, weight } = edges[e];
    const cycles = gcdNumber(step, m);
    const length = m / cycles;
    for (let start = 0; start < cycles; start++) {
      // Round robin: go once around each cycle of r -> r + step from its least entry, which no edge improves.
      let at = start;
      for (let r = start + cycles; r < m; r += cycles) if (dist[r] < dist[at]) at = r;
      if (dist[at] === Infinity) continue;
      for (let k = 0; k < length; k++) {
        let next = at + step;
        if (next >= m) next -= m;
        const candidate = dist[at] + weight;
        if (candidate < dist[next]) {
          dist[next] = candidate;
          pred[next] = e;
        }
        at = next;
      }
    }
    if (e + 1 === nextCheck && e + 1 < end) {
      nextCheck *= 4;
      // Any fleet holding edge i costs at least (W_i + p_b D) / c_b: above a fleet in hand, it is never optimal.
      const fleet = fleetOf(least().r);
      if (fleet) {
        const cutoff = BigInt(fleet.cost) * capB - lp;
        while (end > e + 1 && BigInt(edges[end - 1].weight) > cutoff) end--;
      }
    }
  }

  const { r: bestR, bound } = least();
  if (bestR < 0) return undefined;
  const fleet = fleetOf(bestR);
  if (!fleet) return undefined;
  // The fleet costs at least the bound; equal, it is optimal (copies of b are then exactly ceil((D - C_S) / c_b) >= 0).
  return { counts: fleet.counts, cost: fleet.cost, lowerBound: Math.ceil(bound), proven: fleet.cost === bound };
}

/** The work of each coarse residue search: 4 x 10^6 steps. */
const COARSE_WORK = 1_000_000;

/**
 * Bounds for a problem whose residue table is too large, from two residue searches on capacities in units of F (so
 * that the best-value type spans about COARSE_WORK / items units). Rounded up, with the demand rounded up, every
 * fleet stays feasible: the relaxed optimum, hence its residue lower bound, is a lower bound. Rounded down, every
 * fleet feasible there covers the demand here: its fleet seeds the branch and bound.
 */
function coarseSearch(caps: bigint[], prices: number[], demand: bigint, mustBeat: number): { lowerBound: number; counts?: number[] } {
  const target = BigInt(Math.max(1000, Math.floor(COARSE_WORK / caps.length)));
  const unit = (caps[0] + target - 1n) / target;
  const units = (demand + unit - 1n) / unit;
  const limit = Number(target) * 4;
  const relaxed = residueSearch(caps.map(c => (c + unit - 1n) / unit), prices, units, mustBeat, limit);
  const kept = caps.map((_, j) => j).filter(j => caps[j] >= unit);
  const restricted = kept.length === 0 ? undefined
    : residueSearch(kept.map(j => caps[j] / unit), kept.map(j => prices[j]), units, mustBeat, limit);
  let counts: number[] | undefined;
  if (restricted) {
    counts = new Array<number>(caps.length).fill(0);
    restricted.counts.forEach((count, i) => { counts![kept[i]] = count; });
    // Checked, not assumed: the rounded-down fleet covers the demand.
    if (counts.reduce((sum, count, j) => sum + BigInt(count) * caps[j], 0n) < demand) counts = undefined;
  }
  return { lowerBound: relaxed ? relaxed.lowerBound : 0, counts };
}

function gcdNumber(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Step 3 of `cheapestMix`: `complete` when it searched every node (then `counts` is optimal). */
function branchAndBound(caps: bigint[], prices: number[], demand: bigint, minReplicas: number, mustBeat: number,
  cheapest: number, seed: number[] | undefined, lowerBound: number): { counts?: number[]; cost: number; complete: boolean } {
  const n = caps.length;
  const lowRatio = new Array<number>(n + 1).fill(Infinity);
  for (let j = n - 1; j >= 0; j--) lowRatio[j] = Math.min(lowRatio[j + 1], (prices[j] / Number(caps[j])) * (1 - 1e-12));
  let best = mustBeat;
  let bestCounts: number[] | undefined;
  if (seed) {
    const cost = seed.reduce((sum, count, j) => sum + count * prices[j], 0);
    if (cost < best) {
      best = cost;
      bestCounts = seed;
    }
  }
  const counts = new Array<number>(n).fill(0);
  let done = best <= lowerBound;

  const covered = (cost: number, replicas: number) => {
    const extra = Math.max(0, minReplicas - replicas);
    const total = cost + extra * prices[cheapest];
    if (total < best) {
      best = total;
      bestCounts = counts.slice();
      bestCounts[cheapest] += extra;
      if (best <= lowerBound) done = true;
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
      if (done || nodes > MAX_MIX_NODES) break;
      const c = cost + k * prices[j];
      const left = rest - BigInt(k) * cap;
      if (left > 0n && c + Number(left) * lowRatio[j + 1] >= best - 0.5) break;
      if (left > 0n && c + floor(replicas + k) >= best - 0.5) continue;
      if (c >= best) continue;
      counts[j] = k;
      visit(j + 1, left, c, replicas + k);
    }
    counts[j] = 0;
  };
  if (!done) visit(0, demand, 0, 0);
  return { counts: bestCounts, cost: best, complete: done || nodes <= MAX_MIX_NODES };
}
