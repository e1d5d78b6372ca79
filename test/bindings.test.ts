import { execFileSync } from 'child_process';
import * as path from 'path';

// Every `cdk8s synth` loads the library: the generated CRD bindings (KEDA's ScaledJob alone is 0.9 MB) must load
// only when a construct uses them.
test('loading the library loads no CRD bindings until a construct needs them', () => {
  const root = path.resolve(__dirname, '..');
  const script = `
    require('./src');
    const loaded = () => Object.keys(require.cache).filter(f => f.includes('/src/imports/')).map(f => require('path').basename(f)).sort();
    const before = loaded();
    const { App, Chart } = require('cdk8s');
    const lib = require('./src');
    new lib.InferenceAutoscaler(new Chart(new App(), 'c'), 'a', { modelServer: { image: 'x/y:1' }, maxReplicas: 3, metrics: [lib.ScalingMetric.requestsPerSecond(1, { counter: 'http_requests_total' })] });
    console.log(JSON.stringify({ before, after: loaded() }));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ before: [], after: ['monitoring.coreos.com.ts'] });
});
