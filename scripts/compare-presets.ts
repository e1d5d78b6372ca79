/**
 * Prints the README's comparison of scaling presets on a per-minute trace.
 * Usage: `npx projen compare:presets [trace.csv]` (default ../shared/traces/nasa_ksc_1995-07_1min.csv).
 */
import * as path from 'path';
import { comparePresets, comparisonTable, SCENARIO } from './preset-comparison';

const file = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'traces', 'nasa_ksc_1995-07_1min.csv');
const { rows, load } = comparePresets(file);
const mean = load.reduce((a, b) => a + b, 0) / load.length;
const peak = load.reduce((a, b) => Math.max(a, b), 0);
console.log(`${path.basename(file)} x${SCENARIO.loadScale}: ${load.length} steps, mean ${mean.toFixed(1)} req/s, peak ${peak.toFixed(1)} req/s; `
  + `replica capacity ${SCENARIO.capacityPerReplica} req/s, target ${SCENARIO.capacityPerReplica * SCENARIO.targetUtilization} `
  + `(utilization ${SCENARIO.targetUtilization}), ${SCENARIO.timeToReady.toSeconds()} s to ready, $${SCENARIO.priceUsdPerHour}/h\n`);
console.log(comparisonTable(rows));
