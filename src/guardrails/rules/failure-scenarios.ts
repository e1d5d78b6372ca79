/**
 * zone-loss and spot-reclaim: every workload's minimum, charged to the node pools that survive one failure (as
 * pool-capacity charges the maxima), still fits within their limits. zone-loss loses, for each zone a pool or pod
 * names, the pools that launch only in that zone (and the pods pinned to it); spot-reclaim loses the pools that allow
 * only spot capacity. Only what the failure adds is a finding: a minimum that does not fit even without a failure is
 * reachable-replicas' (RULES.md has the formulas).
 */
import { LABEL_CAPACITY_TYPE } from '../../common/karpenter-labels';
import { Amounts } from '../engine/amounts';
import { GuardrailContext, Workload, workloadName } from '../engine/context';
import { formatResources, listSome, quoteList } from '../engine/format';
import { chargeMinimums, RESOURCES } from '../engine/min-charge';
import { PoolModel } from '../engine/pools';
import { allows } from '../engine/requirements';
import { RULES } from '../engine/rule-ids';
import { FailureScenario } from '../reachability';

export const LABEL_ZONE = 'topology.kubernetes.io/zone';

export interface ScenarioOutcome {
  readonly scenario: FailureScenario;
  readonly lost: string;
  readonly lostPools: PoolModel[];
  /** Minimum pods of each workload the surviving pools cannot hold, beyond those short without the failure. */
  readonly short: { workload: Workload; pods: number }[];
  readonly shortfall: Amounts;
  readonly summary: string;
}

/** The zones a pool may launch in among `known`; undefined when it does not restrict the zone (every zone of the cluster). */
export function poolZones(pool: PoolModel, known: string[]): string[] | undefined {
  const rs = pool.requirements.get(LABEL_ZONE);
  if (!rs || !rs.some(r => r.operator === 'In')) return undefined;
  return known.filter(z => rs.every(r => allows(r, z)));
}

/**
 * Whether a pool allows only spot capacity. A pool without a capacity-type requirement allows on-demand too, which
 * Karpenter launches when no spot offering is left, so it survives the scenario.
 */
export function spotOnly(pool: PoolModel): boolean {
  const rs = pool.requirements.get(LABEL_CAPACITY_TYPE);
  if (!rs) return false;
  const allowed = ['spot', 'on-demand', 'reserved'].filter(ct => rs.every(r => allows(r, ct)));
  return allowed.length === 1 && allowed[0] === 'spot';
}

export function checkFailureScenarios(ctx: GuardrailContext): ScenarioOutcome[] {
  const base = chargeMinimums(ctx).short;
  const outcomes: ScenarioOutcome[] = [];
  const zones = new Set<string>();
  for (const p of ctx.pools) {
    for (const r of p.requirements.get(LABEL_ZONE) ?? []) if (r.operator === 'In') r.values.forEach(z => zones.add(z));
  }
  const pinned = new Map<Workload, string>();
  for (const w of ctx.workloads) {
    ctx.steps++;
    const z = w.footprint.nodeSelector[LABEL_ZONE] ?? w.footprint.nodeSelector['failure-domain.beta.kubernetes.io/zone'];
    if (z !== undefined) { pinned.set(w, z); zones.add(z); }
  }
  const known = [...zones].sort();
  const zonesOf = new Map(ctx.pools.map(p => [p, poolZones(p, known)]));
  for (const zone of known) {
    const lostPools = ctx.pools.filter(p => { const z = zonesOf.get(p); return z !== undefined && z.every(x => x === zone); });
    const lost = new Set(lostPools);
    const evaluate = lostPools.length > 0 || [...pinned.values()].includes(zone);
    outcomes.push(replay(ctx, FailureScenario.ZONE_LOSS, zone, lostPools, base, evaluate, (w, p) => !lost.has(p) && pinned.get(w) !== zone));
  }
  const spotPools = ctx.pools.filter(spotOnly);
  const spot = new Set(spotPools);
  outcomes.push(replay(ctx, FailureScenario.SPOT_RECLAIM, 'spot', spotPools, base, spotPools.length > 0, (_w, p) => !spot.has(p)));
  return outcomes;
}

function replay(ctx: GuardrailContext, scenario: FailureScenario, lost: string, lostPools: PoolModel[], base: Map<Workload, number>,
  evaluate: boolean, survives: (w: Workload, p: PoolModel) => boolean): ScenarioOutcome {
  const short: { workload: Workload; pods: number }[] = [];
  const shortfall = { cpuMillis: 0, memoryMib: 0, gpus: 0 };
  if (evaluate) {
    for (const [w, pods] of chargeMinimums(ctx, survives).short) {
      const extra = pods - (base.get(w) ?? 0);
      if (extra <= 0) continue;
      short.push({ workload: w, pods: extra });
      for (const r of RESOURCES) shortfall[r] += extra * w.footprint.requests[r];
    }
  }
  const what = scenario === FailureScenario.ZONE_LOSS ? `Losing zone '${lost}'` : 'With every spot instance reclaimed';
  const pools = lostPools.length === 0 ? 'no pool of the app is lost' : `NodePool${lostPools.length === 1 ? '' : 's'} ` +
    `${quoteList(lostPools.map(p => p.name))} ${lostPools.length === 1 ? 'is' : 'are'} lost`;
  const summary = short.length === 0
    ? `${what}, ${pools}; the surviving pools hold every workload's minimum.`
    : `${what}, ${pools}; the surviving pools cannot hold ${short.reduce((n, s) => n + s.pods, 0)} minimum pods (${formatResources(shortfall)}): ` +
      `${listSome(short.map(s => `${workloadName(s.workload)} ${s.pods} of ${s.workload.footprint.minReplicas}`))}.`;
  for (const s of short) addFinding(ctx, scenario, lost, lostPools, s);
  return { scenario, lost, lostPools, short, shortfall, summary };
}

function addFinding(ctx: GuardrailContext, scenario: FailureScenario, lost: string, lostPools: PoolModel[],
  s: { workload: Workload; pods: number }): void {
  const w = s.workload;
  const f = w.footprint;
  const r = f.requests;
  const amounts = formatResources({ cpuMillis: s.pods * r.cpuMillis, memoryMib: s.pods * r.memoryMib, gpus: s.pods * r.gpus });
  const eligible = ctx.eligibility(f).pools.map(p => p.name);
  const pods = `${s.pods} of its ${f.minReplicas} minimum replicas (${amounts})`;
  if (scenario === FailureScenario.ZONE_LOSS) {
    ctx.add(RULES.ZONE_LOSS, w.subject, `${w.label} loses ${pods} when zone '${lost}' is lost: its eligible pools ${quoteList(eligible)} ` +
      `${f.nodeSelector[LABEL_ZONE] === lost ? `are out of reach (its nodeSelector pins it to '${lost}')` : 'launch only there or have no room left elsewhere'}: allow more zones in the pools' '${LABEL_ZONE}' requirement, give the workload a pool in another zone, or raise the ` +
      'surviving pools\' limits');
  } else {
    ctx.add(RULES.SPOT_RECLAIM, w.subject, `${w.label} loses ${pods} when every spot instance is reclaimed (spot-only pools ` +
      `${quoteList(lostPools.map(p => p.name))}; its eligible pools ${quoteList(eligible)}): give it an on-demand pool ` +
      '(CostAwareNodePool capacityTypes [SPOT, ON_DEMAND]) or raise the on-demand pools\' limits to hold every minimum');
  }
}
