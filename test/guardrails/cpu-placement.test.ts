import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ec2, G5, guard, messages, newApp, poolProps, trainingCluster } from './util';
import { BatchInferenceJob, CostAwareNodePool, GuardrailRule, ScalingGuardrails } from '../../src';

const RULE = GuardrailRule.CPU_PLACEMENT;
const FIX = 'declare the pool that hosts it in the ScalingGuardrails \'nodePools\' (e.g. the cluster\'s system node group: ' +
  '{ name: \'system\' }, without instance types), give its pods the tolerations and nodeSelector of a pool of the app, ' +
  'or suppress cpu-placement on it with the reason';
const TAINTED = "on 'a10g' (capacity/a10g), has the taint nvidia.com/gpu:NoSchedule, which the pods do not tolerate";

/** A CPU-only job of 2 vCPU and 4 GiB per pod. */
function embedJob(chart: Chart): BatchInferenceJob {
  return new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.0', name: 'embed', cpu: kplus.Cpu.units(2), memory: Size.gibibytes(4) });
}

/** The app: a Ray cluster (its head has no GPU), a CPU job, and a GPU pool tainted for GPUs. */
function gpuOnlyApp() {
  const { app, chart } = newApp();
  const train = trainingCluster(chart, 'train', 2);
  const embed = embedJob(chart);
  new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x4large]));
  return { app, chart, train, embed };
}

describe('cpu-placement', () => {
  test('trips: a Ray head and a CPU job on an app whose only pool is tainted for GPUs', () => {
    const { app } = gpuOnlyApp();
    expect(messages(guard(app), RULE)).toEqual([
      "[apps/train] cpu-placement: RayCluster 'train' head (2.5 vCPU, 8.5 GiB per pod, no nodeSelector) fits no node pool of the app or " +
      `declared: ${TAINTED}: ${FIX}`,
      `[apps/embed] cpu-placement: Job 'embed' (2 vCPU, 4 GiB per pod, no nodeSelector) fits no node pool of the app or declared: ${TAINTED}: ${FIX}`,
    ]);
  });

  test('trips: names why each pool refuses (a label value the pool excludes; a type too small: 16,384 - 1,229 - 1,465 - 100 MiB = 13.27 GiB)', () => {
    const { app, chart } = newApp();
    // A hand-written Deployment under a hand-written HPA: 4 vCPU, 8 GiB per pod, on-demand nodes only.
    new ApiObject(chart, 'web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            nodeSelector: { 'karpenter.sh/capacity-type': 'on-demand' },
            containers: [{ name: 'web', image: 'example/web:1.0.0', resources: { requests: { cpu: '4', memory: '8Gi' } } }],
          },
        },
      },
    });
    new ApiObject(chart, 'web-hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 },
    });
    const g = guard(app, {
      nodePools: [
        { name: 'spot-only', labels: { 'karpenter.sh/capacity-type': ['spot'] } },
        { name: 'small', instanceTypes: [ec2('m7i.xlarge', 0.2016, 4, 16)] },
      ],
    });
    expect(messages(g, RULE)).toEqual([
      "[apps/web] cpu-placement: Deployment 'web' (4 vCPU, 8 GiB per pod, nodeSelector karpenter.sh/capacity-type=on-demand) fits no node " +
      "pool of the app or declared: on 'spot-only' (Guardrails), 'karpenter.sh/capacity-type' allows [\"spot\"], not \"on-demand\"; on " +
      "'small' (Guardrails), no instance type it may launch fits one pod (4 vCPU, 8 GiB) in what a node offers pods, its allocatable as " +
      'Karpenter computes it (after the VM overhead, kube-reserved and the eviction threshold): m7i.xlarge 3.92 vCPU, 13.27 GiB (of 4 vCPU, ' +
      `16 GiB): ${FIX}`,
    ]);
  });

  test('passes: the cluster\'s system node group, declared without instance types, hosts them', () => {
    const { app } = gpuOnlyApp();
    const report = guard(app, { nodePools: [{ name: 'system', limits: { gpus: 0 } }] }).check();
    expect(report.findings).toEqual([]);
    expect(report.outsidePools).toEqual([]);
    expect(report.nodePools.find(p => p.name === 'system')!.workloads).toEqual(['apps/train[head] (1 pod)', 'apps/embed (1 pod)']);
  });

  test('passes: an app without any node pool says nothing of placement (the workloads are listed outside the pools)', () => {
    const { app, chart } = newApp();
    embedJob(chart);
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.outsidePools).toEqual(['apps/embed']);
  });

  test('a suppression with its reason silences it, and the workload stays listed outside the pools', () => {
    const { app, embed, train } = gpuOnlyApp();
    ScalingGuardrails.suppress(embed, RULE, 'runs on the Fargate profile of the batch namespace');
    ScalingGuardrails.suppress(train, RULE, 'the Ray head runs on the system node group');
    const report = guard(app).check();
    expect(report.findings).toEqual([]);
    expect(report.suppressedFindings.map(f => [f.path, f.suppressionReason])).toEqual([
      ['apps/train', 'the Ray head runs on the system node group'], ['apps/embed', 'runs on the Fargate profile of the batch namespace'],
    ]);
    expect(report.outsidePools).toEqual(['apps/train[head]', 'apps/embed']);
  });
});
