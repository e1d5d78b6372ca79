/**
 * CPU-profile helper for the synth benchmark: builds and synthesizes one variant repeatedly.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof -r ts-node/register/transpile-only bench/profile.ts library 1000 10
 *
 * Arguments: variant (library | handWritten | floor), N, rounds (the first two are warm-up and still profiled).
 */
import { buildFloor, buildHandWritten, buildLibrary } from './synth.bench';

const [variant = 'library', nArg = '1000', roundsArg = '10'] = process.argv.slice(2);
const n = Number(nArg);
const rounds = Number(roundsArg);
const floorDocs = variant === 'floor' ? buildLibrary(n).toJson() : [];

for (let i = 0; i < rounds; i++) {
  const t0 = process.hrtime.bigint();
  const chart = variant === 'library' ? buildLibrary(n)
    : variant === 'handWritten' ? buildHandWritten(n)
      : buildFloor(structuredClone(floorDocs));
  const t1 = process.hrtime.bigint();
  chart.toJson();
  const t2 = process.hrtime.bigint();
  console.log(`${variant} N=${n} round ${i + 1}: construct ${(Number(t1 - t0) / 1e6).toFixed(1)} ms, toJson ${(Number(t2 - t1) / 1e6).toFixed(1)} ms`);
}
