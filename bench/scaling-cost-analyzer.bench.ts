/**
 * ScalingCostAnalyzer benchmark: what the comparison says at the trace's resolution against hourly means, and how long
 * it takes.
 * Data: seeded synthetic per-minute traces of 28 days (flat; a daily cycle with a weekend drop; the same with 10-minute
 * flash crowds; a steady load an economies-of-scale family serves cheaper with one large type) and, when present, the
 * development trace (../shared/traces/nasa_ksc_1995-07_1min.csv, requests per minute, scaled x36 so its peak needs
 * about 15 g4dn.xlarge at 0.7).
 * Figures: each strategy's cost at one-minute resolution, the cost the same call reports from hourly means
 * (`ratesPerHour`, then `loadPerHour`) as a fraction of it, the unserved share, and the reactive HPA's cost for the same
 * type (AutoscalerSimulator, ScalingBehavior.realTime(), 3 minutes to ready) as a multiple of the ideal autoscaler's.
 * Timing: `compare` on `ScalingCostAnalyzer.MAX_STEPS` (1,000,000) one-minute values; 2 warm-up calls, BENCH_RUNS
 * (default 5) timed calls, median.
 * Run: `node -r ts-node/register/transpile-only bench/scaling-cost-analyzer.bench.ts`
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Duration, Size } from 'cdk8s';
import { AutoscalerSimulator } from '../src/planning/autoscaler-simulator';
import { InstanceCatalog, InstanceType } from '../src/planning/instance-catalog';
import { ScalingBehavior } from '../src/planning/scaling-behavior';
import { CostComparisonProps, ScalingCostAnalyzer } from '../src/planning/scaling-cost-analyzer';

/** Park-Miller "minimal standard" generator: seeded, portable, no bitwise operators. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const MINUTE = Duration.minutes(1);
const DAYS = 28;
const MINUTES = DAYS * 1440;
// 2026-03-02 is a Monday; starting at 09:30 puts every hour boundary mid-trace-minute 30.
const START = new Date('2026-03-02T09:30:00Z');

function daily(seed: number, weekendFactor: number, flash: boolean): number[] {
  const rnd = lehmer(seed);
  const load = Array.from({ length: MINUTES }, (_, i) => {
    const t = START.getTime() + i * 60_000;
    const hourOfDay = ((t / 3_600_000) % 24 + 24) % 24;
    const weekday = new Date(t).getUTCDay();
    const level = weekday === 0 || weekday === 6 ? weekendFactor : 1;
    return level * (60 + 50 * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24)) * (0.9 + 0.2 * rnd());
  });
  if (flash) {
    for (let d = 0; d < DAYS; d++) {
      const at = d * 1440 + Math.floor(rnd() * 1430);
      for (let i = at; i < at + 10; i++) load[i] *= 3;
    }
  }
  return load;
}

const type = (name: string, priceUsdPerHour: number, capacityPerReplica: number) => InstanceType.of({
  name, priceUsdPerHour, capacityPerReplica, latency: Duration.millis(100), gpus: 1, vcpus: 4, memory: Size.gibibytes(16),
});
const economies = InstanceCatalog.of([type('v.1x', 1, 10), type('v.4x', 2, 40), type('v.16x', 5, 160)]);

interface Case { readonly name: string; readonly props: CostComparisonProps }
const flatRnd = lehmer(11);
const cases: Case[] = [
  { name: 'flat 60 rps +/-5%', props: { load: Array.from({ length: MINUTES }, () => 60 * (0.95 + 0.1 * flatRnd())), verticalFamilies: ['g4dn', 'p3'] } },
  { name: 'daily cycle, weekends at 40%', props: { load: daily(21, 0.4, false), verticalFamilies: ['g4dn', 'p3'] } },
  { name: 'daily cycle + flash crowds x3', props: { load: daily(31, 0.4, true), verticalFamilies: ['g4dn', 'p3'] } },
  { name: 'steady 25 rps, economies of scale', props: { load: Array.from({ length: MINUTES }, () => 22 + 3 * flatRnd()), catalog: economies, verticalFamilies: ['v'] } },
];

const trace = path.join(__dirname, '..', '..', 'shared', 'traces', 'nasa_ksc_1995-07_1min.csv');
if (fs.existsSync(trace)) {
  const rows = fs.readFileSync(trace, 'utf8').trim().split('\n').slice(1);
  const load = rows.map(r => Number(r.split(',')[1]) / 60 * 36);
  cases.push({ name: 'development trace (NASA KSC 1995-07, x36)', props: { load, verticalFamilies: ['g4dn', 'p3'], startTime: new Date('1995-07-01T04:00:00Z') } });
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
console.log('case | strategy | cost per minute | hourly means / per minute | unserved per minute | unserved from hourly means | reactive HPA / ideal');
for (const c of cases) {
  const props: CostComparisonProps = { interval: MINUTE, startTime: START, ...c.props };
  const fine = ScalingCostAnalyzer.compare(props);
  const means = ScalingCostAnalyzer.ratesPerHour(props.load!.map(rps => rps * 60), MINUTE);
  const coarse = ScalingCostAnalyzer.compare({ ...props, load: undefined, interval: undefined, startTime: undefined, loadPerHour: means });
  const h = (props.catalog ?? InstanceCatalog.designDocument()).find(fine.horizontalType)!;
  const sim = AutoscalerSimulator.run({
    load: props.load!,
    step: MINUTE,
    capacityPerReplica: h.capacityPerReplica!,
    targetUtilization: fine.targetUtilization,
    minReplicas: fine.minReplicas,
    maxReplicas: fine.maxReplicas,
    behavior: ScalingBehavior.realTime(),
    priceUsdPerHour: h.priceUsdPerHour,
  });
  for (const [s, k] of [[fine.horizontal, coarse.horizontal], [fine.vertical, coarse.vertical]] as const) {
    const reactive = s.name === 'horizontal' ? `${(sim.costUsd! / s.totalCostUsd).toFixed(3)}x (unserved ${pct(sim.unservedFraction)})` : '-';
    console.log(`${c.name} | ${s.name} | $${s.totalCostUsd.toFixed(2)} | ${(k.totalCostMicroUsd / s.totalCostMicroUsd).toFixed(3)}x | `
      + `${pct(s.unservedFraction)} | ${pct(k.unservedFraction)} | ${reactive}`);
  }
  console.log(`${c.name} | cheaper: ${fine.cheaper} (from hourly means: ${coarse.cheaper}) | ${fine.reason}`);
}

const rnd = lehmer(5);
const big: CostComparisonProps = {
  load: Array.from({ length: ScalingCostAnalyzer.MAX_STEPS }, (_, i) => 60 + 50 * Math.sin(i / 229) + 10 * rnd()),
  interval: MINUTE,
  startTime: START,
  verticalFamilies: ['g4dn', 'p3'],
};
const runs = Number(process.env.BENCH_RUNS ?? 5);
for (let i = 0; i < 2; i++) ScalingCostAnalyzer.compare(big);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  ScalingCostAnalyzer.compare(big);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`ScalingCostAnalyzer.compare ${ScalingCostAnalyzer.MAX_STEPS} one-minute values: median ${times[Math.floor(times.length / 2)].toFixed(1)} ms `
  + `(min ${times[0].toFixed(1)}, max ${times[times.length - 1].toFixed(1)}, ${runs} runs)`);
