/**
 * LoadForecaster benchmark: fit and forecast of 90 days of hourly data (2160 values), horizon 24.
 * Data: seeded synthetic daily x weekly cycle with 10% noise and a flash crowd.
 * Method: 5 warm-up calls, then BENCH_RUNS (default 30) timed calls; median and p95; PASS when median < 20 ms.
 * Run: `node -r ts-node/register/transpile-only bench/load-forecaster.bench.ts`
 */
import { performance } from 'perf_hooks';
import { Duration } from 'cdk8s';
import { LoadForecaster } from '../src/planning/load-forecaster';

/** Park-Miller "minimal standard" generator: seeded, portable, no bitwise operators. */
function lehmer(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

const rnd = lehmer(1995);
const history = Array.from({ length: 2160 }, (_, t) => {
  const weekend = Math.floor(t / 24) % 7 >= 5 ? 0.6 : 1;
  return Math.round(1000 * weekend * (2 + Math.sin((2 * Math.PI * t) / 24)) * (0.9 + 0.2 * rnd()));
});
for (let t = 1500; t < 1506; t++) history[t] *= 5;

const HOUR = Duration.hours(1);
const runs = Number(process.env.BENCH_RUNS ?? 30);
for (let i = 0; i < 5; i++) LoadForecaster.forecast({ history, interval: HOUR, horizon: 24 });
const times: number[] = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  LoadForecaster.forecast({ history, interval: HOUR, horizon: 24 });
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)];
const verdict = median < 20 ? 'PASS' : 'FAIL';
console.log(`LoadForecaster.forecast 2160 hourly values, horizon 24: median ${median.toFixed(3)} ms, `
  + `p95 ${p95.toFixed(3)} ms over ${runs} runs: ${verdict} (< 20 ms)`);
if (verdict === 'FAIL') process.exitCode = 1;
