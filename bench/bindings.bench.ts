/**
 * What the generated CRD bindings cost: the time to load each compiled module (lib/imports, run after
 * `npx projen compile`), and the synth time of objects built through a binding class against the same JSON as
 * plain ApiObjects. The numbers behind src/imports/README.md.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const lib = path.join(__dirname, '..', 'lib', 'imports');
if (!fs.existsSync(lib)) throw new Error('lib/imports is missing: run `npx projen compile` first');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Each load in a fresh process, after cdk8s itself is loaded: what a `cdk8s synth` pays for the module. */
function loadMs(file: string): number {
  const script = `require('cdk8s'); const t = process.hrtime.bigint(); require(${JSON.stringify(file)});`
    + 'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));
}

console.log('| module | size | load, median of 7 (ms) |');
console.log('| --- | --- | --- |');
for (const file of fs.readdirSync(lib).filter(f => f.endsWith('.js')).sort()) {
  const p = path.join(lib, file);
  const runs = Array.from({ length: 7 }, () => loadMs(p));
  console.log(`| ${file.replace(/\.js$/, '')} | ${(fs.statSync(p).size / 1024).toFixed(0)} KiB | ${median(runs).toFixed(1)} |`);
}

// Typed against untyped: 2,000 ScaledObjects with the same JSON.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ApiObject, Chart, Testing } = require('cdk8s');
const keda = require(path.join(lib, 'keda.sh.js'));
const spec = {
  scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'server' },
  pollingInterval: 15,
  minReplicaCount: 2,
  maxReplicaCount: 20,
  fallback: { failureThreshold: 3, replicas: 2, behavior: 'currentReplicasIfHigher' },
  triggers: [{ type: 'prometheus', name: 'request_rate', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(x)', threshold: '10' } }],
};
function synth(typed: boolean, n: number): number {
  const chart = new Chart(Testing.app(), 'c');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const metadata = { name: `o${i}` };
    if (typed) new keda.ScaledObject(chart, `o${i}`, { metadata, spec });
    else new ApiObject(chart, `o${i}`, { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata, spec });
  }
  chart.toJson();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}
for (let r = 0; r < 3; r++) { synth(true, 200); synth(false, 200); }
const typed: number[] = [], plain: number[] = [];
for (let r = 0; r < 9; r++) { typed.push(synth(true, 2000)); plain.push(synth(false, 2000)); }
console.log(`\n2,000 ScaledObjects built and serialized: binding class ${median(typed).toFixed(1)} ms, `
  + `plain ApiObject ${median(plain).toFixed(1)} ms (median of 9)`);
