/**
 * LoadForecaster benchmark: fit and forecast of 90 days of hourly data (2160 values), horizon 24.
 * Data: seeded synthetic daily x weekly cycle with 10% noise and a flash crowd.
 * Method: 5 warm-up calls, then BENCH_RUNS (default 30) timed calls; median and p95; PASS when median < 20 ms.
 * Also timed (reported, no target): the same with quantiles [0.5, 0.9] (7 backtest fits more), and
 * LoadForecaster.evaluate on the 90 days (76 fits).
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

function time(call: () => void, n: number): { median: number; p95: number } {
  for (let i = 0; i < Math.min(5, n); i++) call();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    call();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)] };
}

const { median, p95 } = time(() => LoadForecaster.forecast({ history, interval: HOUR, horizon: 24 }), runs);
const verdict = median < 20 ? 'PASS' : 'FAIL';
console.log(`LoadForecaster.forecast 2160 hourly values, horizon 24: median ${median.toFixed(3)} ms, `
  + `p95 ${p95.toFixed(3)} ms over ${runs} runs: ${verdict} (< 20 ms)`);
const q = time(() => LoadForecaster.forecast({ history, interval: HOUR, horizon: 24, quantiles: [0.5, 0.9] }), runs);
console.log(`  with quantiles [0.5, 0.9]: median ${q.median.toFixed(3)} ms, p95 ${q.p95.toFixed(3)} ms`);
const e = time(() => LoadForecaster.evaluate({ history, interval: HOUR }), Math.max(3, Math.floor(runs / 5)));
console.log(`  LoadForecaster.evaluate on the 90 days (76 days forecast): median ${e.median.toFixed(1)} ms, p95 ${e.p95.toFixed(1)} ms`);
if (verdict === 'FAIL') process.exitCode = 1;
