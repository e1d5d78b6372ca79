import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, G5, poolProps } from './util';
import { CostAwareNodePool, ElasticRayTraining, InferenceAutoscaler, ScalingMetric } from '../../src';
import { runGuardrails } from '../../src/guardrails/engine/run';

/** N autoscalers (half on A10G pods, half on CPU), a CostAwareNodePool, a declared pool and a Ray cluster (so Services are read). */
function bigApp(n: number): App {
  const app = new App();
  const chart = new Chart(app, 'apps', { namespace: 'ml' });
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      chatService(chart, `llm-${i}`, 20);
    } else {
      new InferenceAutoscaler(chart, `cpu-${i}`, {
        name: `cpu-${i}`, modelServer: { image: 'x/embed:1' }, maxReplicas: 10, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })],
      });
    }
  }
  new ElasticRayTraining(chart, 'train', {
    name: 'train', workerGroups: [{ name: 'cpu', minReplicas: 0, maxReplicas: 4, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) }],
  });
  new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge, G5.x2large], { budgetUsdPerHour: 1000 }));
  return app;
}

describe('the guardrails grow linearly with the app', () => {
  test('1000 autoscalers take ten times the work of 100, and each object is read at most once', () => {
    const measure = (n: number) => {
      const app = bigApp(n);
      // The CPU autoscalers land on the declared CPU pool (its GPU limit of 0 keeps the GPU pods off it).
      return runGuardrails(app, app, [a10gPool('overflow'), { name: 'cpu', limits: { gpus: 0 } }]);
    };
    const small = measure(100);
    const large = measure(1000);
    expect(large.workloads).toBe(1000 + 2);
    // Per autoscaler: its Service (read because the app has a Ray cluster); plus the RayCluster (its head's exposure) and the
    // app's one NodePool (disruption-blocked reads its grace period and budgets). The Deployments and HPAs are the autoscalers'
    // footprints; PDBs, monitors and rules are never turned into JSON.
    expect(large.objectsRead).toBe(1000 + 2);
    expect(small.objectsRead).toBe(100 + 2);
    const ratio = large.steps / small.steps;
    expect(ratio).toBeGreaterThan(9);
    expect(ratio).toBeLessThanOrEqual(10.1);
    // The app is well within its pools' limits, so the report is clean: the work is not spent on findings.
    expect(large.findings.filter(f => !f.suppression).map(f => f.rule)).toEqual([]);
  });
});
