import { ApiObject, Chart } from 'cdk8s';
import { a10gPool, chatService, G5, guard, messages, newApp } from './util';
import { BatchInferenceJob, EdgeInference, GpuProduct, GpuRequest, GuardrailRule, WorkloadFootprints } from '../../src';
import { LIBRARY_ROLLING_UPDATE, surgeOf } from '../../src/common/rollout';

/** A hand-written Deployment of one A10G per pod, with this strategy, under a hand-written HPA of maxReplicas 20. */
function handWritten(chart: Chart, strategy?: unknown, kind = 'Deployment'): void {
  new ApiObject(chart, 'web', {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'web' },
    spec: {
      ...(strategy !== undefined ? { strategy } : {}),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{ name: 'web', image: 'example/web:1.0.0', resources: { limits: { 'nvidia.com/gpu': 1 }, requests: { cpu: '1', memory: '4Gi' } } }],
        },
      },
    },
  });
  new ApiObject(chart, 'web-hpa', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name: 'web' }, minReplicas: 1, maxReplicas: 20 },
  });
}

/** The pods charged to the only pool (an A10G pool of 100 GPUs). */
function podsCharged(build: (chart: Chart) => void): string[] {
  const { app, chart } = newApp();
  build(chart);
  return guard(app, { nodePools: [a10gPool('a10g', { labels: {}, limits: { gpus: 100 } })] }).check().nodePools[0].workloads;
}

describe('rollout surge (Kubernetes ResolveFenceposts: maxSurge an integer or a percent of the replicas, rounded up)', () => {
  test('surgeOf: the default and percents round up, integers as given, Recreate and invalid values add none', () => {
    expect(surgeOf(undefined, 20)).toBe(5);
    expect(surgeOf({ type: 'RollingUpdate' }, 9)).toBe(3); // 2.25 rounded up
    expect(surgeOf(LIBRARY_ROLLING_UPDATE, 1)).toBe(1);
    expect(surgeOf({ rollingUpdate: { maxSurge: 2 } }, 20)).toBe(2);
    expect(surgeOf({ rollingUpdate: { maxSurge: '0%', maxUnavailable: 1 } }, 20)).toBe(0);
    expect(surgeOf({ rollingUpdate: { maxSurge: '100%' } }, 20)).toBe(20);
    expect(surgeOf({ type: 'Recreate' }, 20)).toBe(0);
    expect([surgeOf({ rollingUpdate: { maxSurge: '3' } }, 20), surgeOf({ rollingUpdate: { maxSurge: -1 } }, 20), surgeOf(undefined, 0)]).toEqual([0, 0, 0]);
  });

  test('trips: 20 replicas + 5 surge of one GPU need 25 GPUs, and the finding says so', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 20);
    expect(messages(guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 24 } })] }), GuardrailRule.POOL_CAPACITY)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'a10g', with every workload at its maximum, needs 25 GPUs against a limit of 24 GPUs (over by " +
      '1 GPU); charged to it: apps/chat 25 pods (1 beyond every pool it fits; of its 20 replicas + 5 surge): raise the pool\'s limits (and ' +
      'its declaration), lower the maxReplicas of the workloads charged to it, or give them another pool they can run on',
    ]);
  });

  test('passes: the same service in a pool of 25 GPUs', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 20);
    expect(guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 25 } })] }).check().findings).toEqual([]);
  });

  test('the budget prices the peak too', () => {
    const price = (maxReplicas: number) => {
      const { app, chart } = newApp();
      chatService(chart, 'chat', maxReplicas);
      return guard(app, { nodePools: [a10gPool('a10g', { instanceTypes: [G5.x2large] })] }).check().worstCaseCostUsdPerHour;
    };
    // 20 + 5 pods on g5.2xlarge at $1.212 per A10G (a 4 vCPU, 16 GiB pod does not fit a g5.xlarge's allocatable).
    expect(price(20)).toBeCloseTo(25 * 1.212, 6);
  });

  test('hand-written Deployments: the strategy as written, Kubernetes\' 25% when none, none for Recreate or a StatefulSet', () => {
    expect(podsCharged(c => handWritten(c))).toEqual(['apps/web (25 pods)']);
    expect(podsCharged(c => handWritten(c, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }))).toEqual(['apps/web (21 pods)']);
    expect(podsCharged(c => handWritten(c, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%' } }))).toEqual(['apps/web (30 pods)']);
    expect(podsCharged(c => handWritten(c, { type: 'Recreate' }))).toEqual(['apps/web (20 pods)']);
    expect(podsCharged(c => handWritten(c, undefined, 'StatefulSet'))).toEqual(['apps/web (20 pods)']);
  });

  test('the library\'s footprints: a model server reports 25% of maxReplicas rounded up, an edge server 1, a Job none (its parallelism bounds it)', () => {
    const { chart } = newApp();
    chatService(chart, 'chat', 9);
    new EdgeInference(chart, 'edge', { name: 'edge', modelServer: { image: 'example/edge:1.0.0' } });
    new BatchInferenceJob(chart, 'embed', {
      name: 'embed', image: 'example/embedder:1.4.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), parallelism: 8, completions: 3,
    });
    expect(WorkloadFootprints.of(chart).map(f => [f.target.name, f.maxReplicas, f.surgeReplicas])).toEqual([
      ['chat', 9, 3], ['edge', 1, 1], ['embed', 3, undefined],
    ]);
  });
});
