/**
 * AutoscalerSimulator benchmark: 30 days at 15 s steps (172,800 steps, 172,800 syncs), ScalingBehavior.realTime().
 * Data: seeded synthetic daily cycle (50 to 450 requests per second) with 10% noise and a 20-minute flash crowd (x4)
 * on day 12; a replica serves 6 requests per second and the HPA aims at 5 (targetUtilization 5/6), up to 400 replicas,
 * 3 minutes to ready, the default metric (a 2-minute rate window ending 15 s before each sync).
 * Method: 5 warm-up calls, then BENCH_RUNS (default 30) timed calls; median and p95; PASS when median < 100 ms.
 * The timed call includes validation of the 172,800 load values and the conversion of the outputs to number[].
 * Run: `node -r ts-node/register/transpile-only bench/autoscaler-simulator.bench.ts`
 */
import { performance } from 'perf_hooks';
import { Duration } from 'cdk8s';
import { AutoscalerSimulator, SimulationProps } from '../src/planning/autoscaler-simulator';
import { ScalingBehavior } from '../src/planning/scaling-behavior';

/** Park-Miller "minimal standard" generator: seeded, portable, no bitwise operators. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const STEP_SECONDS = 15;
const STEPS = (30 * 86400) / STEP_SECONDS;
const TARGET_MS = 100;

const rnd = lehmer(2024);
const load = Array.from({ length: STEPS }, (_, i) => {
  const day = (i * STEP_SECONDS) / 86400;
  return 250 + 200 * Math.sin(2 * Math.PI * (day - 0.25)) * (0.9 + 0.2 * rnd());
});
const flashStart = (12 * 86400 + 14 * 3600) / STEP_SECONDS;
for (let i = flashStart; i < flashStart + 80; i++) load[i] *= 4;

const props: SimulationProps = {
  load,
  step: Duration.seconds(STEP_SECONDS),
  behavior: ScalingBehavior.realTime(),
  minReplicas: 3,
  maxReplicas: 400,
  capacityPerReplica: 6,
  targetUtilization: 5 / 6,
  priceUsdPerHour: 1.2,
};

const runs = Number(process.env.BENCH_RUNS ?? 30);
let result = AutoscalerSimulator.run(props);
for (let i = 1; i < 5; i++) result = AutoscalerSimulator.run(props);
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  result = AutoscalerSimulator.run(props);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)];
const verdict = median < TARGET_MS ? 'PASS' : 'FAIL';
console.log(`AutoscalerSimulator.run ${STEPS} steps of ${STEP_SECONDS} s (30 days), realTime: median ${median.toFixed(3)} ms, `
  + `p95 ${p95.toFixed(3)} ms over ${runs} runs: ${verdict} (< ${TARGET_MS} ms)`);
console.log(`  replicas mean ${result.meanReplicas.toFixed(2)}, peak ${result.peakReplicas}, cost $${result.costUsd}, `
  + `unserved ${(100 * result.unservedFraction).toFixed(3)}%, ${result.scaleUpEvents} scale-ups, ${result.scaleDownEvents} scale-downs`);
if (verdict === 'FAIL') process.exitCode = 1;
