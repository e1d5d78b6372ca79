/**
 * InstanceSelector benchmark: `InstanceSelector.cheapest` (exact single-type plans + exact mixed fleet).
 *
 * Cases (defaults: targetUtilization 0.7, minReplicas 2, no latency limit, no budget):
 * - correlated:  200 seeded random types, rps 1-500 (one decimal), price = rps x $0.01-0.1 per rps
 *                (log-uniform) clamped to $0.1-40/h, latency 20-500 ms; 100,000 rps. The realistic case.
 * - independent: 200 types with price uniform $0.1-40/h and rps uniform 1-500, unrelated; 100,000 rps.
 * - flat:        200 types all within 1% of one price per rps (the branch and bound's hard case); 100,000 rps.
 * - scale^0.5, scale^0.8: economies of scale, price = k x rps^0.5 (k $1.5) or k x rps^0.8 (k $0.2), exactly (to the
 *                tenth of a cent): the bigger a type, the cheaper per request; 100,000 rps. Before the residue search,
 *                the branch and bound took up to 270 ms on these.
 * - scale^0.5+-1%: the same with a seeded factor 0.99-1.01 on each price.
 * - scale^1.2:   diseconomies of scale, price = $0.02 x rps^1.2 exactly: the smaller, the cheaper per request.
 * - scale^0.5 4dp, scale^0.8 4dp: the same shapes with capacities of four decimals (1.2345 rps): the exact residue
 *                table is too large, so the answer comes from coarse residue bounds and a branch and bound, with a gap.
 * - document:    the design document's 5 types, 11 rps.
 * Method: 5 warm-up calls, then BENCH_RUNS (default 30) timed calls; median and p95; PASS when median < 50 ms.
 * Run: `node -r ts-node/register/transpile-only bench/instance-selector.bench.ts`
 */
import { performance } from 'perf_hooks';
import { Duration, Size } from 'cdk8s';
import { InstanceCatalog, InstanceType } from '../src/planning/instance-catalog';
import { InstanceSelector } from '../src/planning/instance-selector';

/** Park-Miller "minimal standard" generator: seeded, portable, no bitwise operators. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

type Pricing = (rps: number, rnd: () => number) => number;

function catalog(seed: number, pricing: Pricing, decimals = 1): InstanceCatalog {
  const rnd = lehmer(seed);
  const types: InstanceType[] = [];
  for (let i = 0; i < 200; i++) {
    const rps = Math.round((1 + rnd() * 499) * 10 ** decimals) / 10 ** decimals;
    const price = Math.round(Math.min(40, Math.max(0.1, pricing(rps, rnd))) * 1000) / 1000;
    const latencyMs = Math.round(20 + rnd() * 480);
    types.push(InstanceType.of({
      name: `t${i}.bench`, priceUsdPerHour: price, capacityPerReplica: rps, latency: Duration.millis(latencyMs), gpus: 1, vcpus: 8, memory: Size.gibibytes(32),
    }));
  }
  return InstanceCatalog.of(types);
}

const correlated: Pricing = (rps, rnd) => rps * 0.01 * Math.pow(10, rnd());
const independent: Pricing = (_rps, rnd) => 0.1 + rnd() * 39.9;
const flat: Pricing = (rps, rnd) => rps * 0.05 * (1 + rnd() * 0.01);
const scale05: Pricing = rps => 1.5 * Math.pow(rps, 0.5);
const scale05Noisy: Pricing = (rps, rnd) => 1.5 * Math.pow(rps, 0.5) * (0.99 + rnd() * 0.02);
const scale08: Pricing = rps => 0.2 * Math.pow(rps, 0.8);
const scale12: Pricing = rps => 0.02 * Math.pow(rps, 1.2);

function measure(label: string, run: () => unknown, runs: number): boolean {
  for (let i = 0; i < 5; i++) run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)];
  const pass = median < 50;
  console.log(`${label.padEnd(46)} median ${median.toFixed(3)} ms  p95 ${p95.toFixed(3)} ms  max ${times[times.length - 1].toFixed(3)} ms  ${pass ? 'PASS' : 'FAIL'} (< 50 ms)`);
  return pass;
}

const runs = Number(process.env.BENCH_RUNS ?? 30);
const seeds = (process.env.BENCH_SEEDS ?? '1,2,3').split(',').map(Number);
let ok = true;
const shapes = [
  ['correlated', correlated], ['independent', independent], ['flat', flat], ['scale^0.5', scale05], ['scale^0.5+-1%', scale05Noisy], ['scale^0.8', scale08],
  ['scale^1.2', scale12], ['scale^0.5 4dp', scale05], ['scale^0.8 4dp', scale08],
] as const;
for (const [name, pricing] of shapes) {
  for (const seed of seeds) {
    const cat = catalog(seed, pricing, name.endsWith('4dp') ? 4 : 1);
    const result = InstanceSelector.cheapest({ catalog: cat, requiredRequestsPerSecond: 100_000 });
    const m = result.mixedFleet;
    const mix = m ? `mix $${m.costUsdPerHour}/h (${m.counts.length} types, ${m.optimal ? 'optimal' : `gap $${m.gapUsdPerHour}/h`})`
      : `no cheaper mix (gap $${result.mixedFleetGapUsdPerHour}/h)`;
    ok = measure(`${name} seed ${seed}, 200 types, 100000 rps`, () => InstanceSelector.cheapest({ catalog: cat, requiredRequestsPerSecond: 100_000 }), runs) && ok;
    console.log(`  -> ${result.plan?.instanceType} x ${result.plan?.replicas} $${result.plan?.costUsdPerHour}/h; ${mix}`);
  }
}
ok = measure('design document, 5 types, 11 rps', () => InstanceSelector.cheapest({ requiredRequestsPerSecond: 11 }), runs) && ok;
console.log(ok ? 'PASS' : 'FAIL');
