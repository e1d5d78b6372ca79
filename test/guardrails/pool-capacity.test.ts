import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { a10gPool, chatService, G5, guard, messages, newApp, poolProps, trainingCluster } from './util';
import {
  BatchInferenceJob, CostAwareNodePool, ElasticRayTraining, GpuProduct, GpuRequest, GuardrailRule, HyperparameterSearch, LargeModelServing,
  ModelArchitecture, QueueTrigger, ScalingGuardrails,
} from '../../src';

const RULE = GuardrailRule.POOL_CAPACITY;
const DECLARED_FIX = 'raise the pool\'s limits (and its declaration), lower the maxReplicas of the workloads charged to it, or give them ' +
  'another pool they can run on';

/** The two pools of the RULES.md worked example. */
const workedPools = () => [
  a10gPool('a10g-spot', { weight: 100, labels: { 'karpenter.k8s.aws/instance-gpu-name': ['a10g'], 'karpenter.sh/capacity-type': ['spot'] }, limits: { gpus: 8 } }),
  a10gPool('a10g-on-demand', { weight: 10, labels: { 'karpenter.k8s.aws/instance-gpu-name': ['a10g'], 'karpenter.sh/capacity-type': ['on-demand'] }, limits: { gpus: 6 } }),
];

function workedExample(chatMaxReplicas: number) {
  const { app, chart } = newApp();
  chatService(chart, 'chat', chatMaxReplicas);
  const train = trainingCluster(chart, 'train', 4);
  ScalingGuardrails.suppress(train, GuardrailRule.CPU_PLACEMENT, 'the Ray head runs on the system node group');
  return guard(app, { nodePools: workedPools() }).check();
}

describe('pool-capacity', () => {
  test('the RULES.md worked example: train fills on-demand first, chat (8 replicas + 2 surge) fills spot then the rest of on-demand', () => {
    const report = workedExample(8);
    expect(report.findings).toEqual([]);
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.workloads])).toEqual([
      ['a10g-spot', 8, ['apps/chat (8 pods)']],
      ['a10g-on-demand', 6, ['apps/train[gpu] (4 pods)', 'apps/chat (2 pods)']],
    ]);
    expect(report.outsidePools).toEqual(['apps/train[head]']);
  });

  test('the RULES.md worked example at 9 chat replicas + 3 surge: the last eligible pool is over by the 2 pods left', () => {
    const report = workedExample(9);
    expect(report.findings.map(f => f.message)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'a10g-on-demand', with every workload at its maximum, needs 8 GPUs against a limit of 6 GPUs " +
      '(over by 2 GPUs); charged to it: apps/train[gpu] 4 pods, apps/chat 4 pods (2 beyond every pool it fits; of its 9 replicas + 3 surge): ' +
      DECLARED_FIX,
    ]);
    expect(report.findings[0].path).toBe('Guardrails');
  });

  test('names each resource over its limit with its amount, in vCPU and GiB', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 16);
    const g = guard(app, { nodePools: [a10gPool('small', { limits: { vcpus: 64, memory: Size.gibibytes(256.5), gpus: 100 } })] });
    expect(messages(g, RULE)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'small', with every workload at its maximum, needs 80 vCPU against a limit of 64 vCPU (over by 16 vCPU) " +
      'and 320 GiB against a limit of 256.5 GiB (over by 63.5 GiB); charged to it: apps/chat 20 pods (4 beyond every pool it fits; of its 16 ' +
      'replicas + 4 surge): ' +
      DECLARED_FIX,
    ]);
  });

  test('a CostAwareNodePool over its budget-derived limits says to raise its budget', () => {
    const { app, chart } = newApp();
    chatService(chart, 'chat', 32);
    // $20/h on g5.2xlarge ($1.212 per GPU; a 4 vCPU, 16 GiB pod does not fit a g5.xlarge's allocatable): floor(20 / 1.212) = 16 GPUs.
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large], { budgetUsdPerHour: 20 }));
    expect(messages(guard(app), RULE)).toEqual([
      "[capacity/a10g] pool-capacity: NodePool 'a10g', with every workload at its maximum, needs 40 GPUs against a limit of 16 GPUs (over by " +
      '24 GPUs) and 160 vCPU against a limit of 132 vCPU (over by 28 vCPU) and 640 GiB against a limit of 528 GiB (over by 112 GiB); charged to ' +
      "it: apps/chat 40 pods (24 beyond every pool it fits; of its 32 replicas + 8 surge): raise the pool's budgetUsdPerHour (its limits follow it) or its maxGpus/maxVcpus, " +
      'lower the maxReplicas of the workloads charged to it, or give them another pool they can run on',
    ]);
  });

  test('passes when every pool holds its share', () => {
    const { app, chart } = newApp();
    // 12 replicas + 3 surge = 15 pods of the 16 GPUs.
    chatService(chart, 'chat', 12);
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.x2large], { budgetUsdPerHour: 20 }));
    expect(guard(app).check().findings).toEqual([]);
  });

  test('pools are filled in Karpenter\'s order: higher weight first, equal weights by name from the end of the alphabet', () => {
    const { app, chart } = newApp();
    // 4 replicas + 1 surge = 5 pods.
    chatService(chart, 'chat', 4);
    const report = guard(app, {
      nodePools: [
        a10gPool('alpha', { limits: { gpus: 2 } }),
        a10gPool('zulu', { limits: { gpus: 2 } }),
        a10gPool('heavy', { weight: 50, limits: { gpus: 2 } }),
      ],
    }).check();
    expect(report.nodePools.map(p => [p.name, p.demand.gpus])).toEqual([['heavy', 2], ['zulu', 2], ['alpha', 1]]);
  });

  test('counts every Ray worker group and the Ray head (with its autoscaler sidecar) against a CPU pool', () => {
    const { app, chart } = newApp();
    new ElasticRayTraining(chart, 'train', {
      name: 'train',
      workerGroups: [{ name: 'cpu', minReplicas: 0, maxReplicas: 3, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) }],
    });
    // Head: 2 cores + 0.5 autoscaler sidecar; workers: 3 x 4 cores = 14.5 vCPU in all.
    const g = guard(app, { nodePools: [{ name: 'cpu', limits: { vcpus: 14 } }] });
    expect(messages(g, RULE)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'cpu', with every workload at its maximum, needs 14.5 vCPU against a limit of 14 vCPU (over by " +
      `0.5 vCPU); charged to it: apps/train[head] 1 pod, apps/train[cpu] 3 pods (1 beyond every pool it fits): ${DECLARED_FIX}`,
    ]);
  });

  test('counts a hyperparameter search\'s head and trial workers', () => {
    const { app, chart } = newApp();
    new HyperparameterSearch(chart, 'tune', {
      name: 'tune',
      entrypoint: 'python tune.py',
      trialResources: { vcpus: 2, gpus: 1 },
      samples: 16,
      maxConcurrentTrials: 4,
      workerGpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    });
    // An untainted pool with unknown instance types could launch GPU nodes too (as Karpenter would): a GPU limit of 0 keeps GPU pods off it.
    const report = guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 4 } }), { name: 'cpu', limits: { gpus: 0 } }] }).check();
    expect(report.findings).toEqual([]);
    expect(report.nodePools.map(p => [p.name, p.workloads])).toEqual([['cpu', ['apps/tune[head] (1 pod)']], ['a10g', ['apps/tune[trials] (4 pods)']]]);
  });

  test('a ScaledJob counts maxReplicaCount pods', () => {
    const { app, chart } = newApp();
    new BatchInferenceJob(chart, 'summarize', {
      image: 'example/summarizer:2.0',
      name: 'summarize',
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
      queue: QueueTrigger.redisList('redis:6379', 'jobs', { messagesPerReplica: 5 }),
      maxReplicaCount: 9,
    });
    expect(messages(guard(app, { nodePools: [a10gPool('a10g', { limits: { gpus: 8 } })] }), RULE)).toEqual([expect.stringContaining(
      'needs 9 GPUs against a limit of 8 GPUs (over by 1 GPU); charged to it: apps/summarize 9 pods (1 beyond every pool it fits)')]);
  });

  test('counts the workloads of hand-written HPAs and ScaledJobs at their maximum, a Deployment with its rollout surge', () => {
    const { app, chart } = newApp();
    const deployment = new kplus.Deployment(chart, 'web', {
      metadata: { name: 'web' },
      containers: [{ image: 'nginx:1.27', resources: { cpu: { request: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1) } } }],
    });
    deployment.markHasAutoscaler();
    new ApiObject(chart, 'web-hpa', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 30 },
    });
    new ApiObject(chart, 'crunch', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledJob',
      metadata: { name: 'crunch' },
      spec: {
        jobTargetRef: { parallelism: 2, template: { spec: { containers: [{ name: 'c', image: 'x:1', resources: { requests: { cpu: '500m', memory: '1Gi' } } }] } } },
        maxReplicaCount: 10,
        triggers: [{ type: 'cpu', metadata: { value: '50' } }],
      },
    });
    const report = guard(app, { nodePools: [{ name: 'cpu', limits: { vcpus: 1000 } }] }).check();
    // cdk8s-plus writes maxSurge 25%: 30 replicas + ceil(7.5) = 38 pods at the peak of a rollout.
    expect(report.nodePools[0].workloads).toEqual(['apps/web (38 pods)', 'apps/crunch (20 pods)']);
    expect(report.nodePools[0].demand).toEqual({ cpu: kplus.Cpu.units(48), memory: Size.gibibytes(58), gpus: 0 });
  });

  test('a declared pool that is also in the app is refused: its capacity would count twice', () => {
    const { app } = newApp();
    new CostAwareNodePool(new Chart(app, 'capacity'), 'a10g', poolProps('a10g', [G5.xlarge]));
    expect(messages(guard(app, { nodePools: [a10gPool('a10g')] }), RULE)).toEqual([
      "[Guardrails] pool-capacity: 'nodePools[0].name' (\"a10g\") is also the name of the NodePool at 'capacity/a10g', so its capacity " +
      'would count twice: declare only pools that live outside the app',
    ]);
  });
});

describe('pool-capacity counts a LeaderWorkerSet by groups', () => {
  /** Llama 3.1 405B bf16 on 8 x H100 nodes: groups of 2 pods of 8 GPUs, 2 to 4 groups. */
  function multiNode(gpuLimit: number) {
    const { app, chart } = newApp();
    new LargeModelServing(chart, 'llama', {
      name: 'llama-405b',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_405B,
      modelId: 'meta-llama/Llama-3.1-405B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 4,
    });
    const h100 = a10gPool('h100', { labels: { 'karpenter.k8s.aws/instance-gpu-name': ['h100'] }, limits: { gpus: gpuLimit } });
    return guard(app, { nodePools: [h100] }).check();
  }

  test('4 groups x 2 pods x 8 GPUs = 64 GPUs fit a limit of 64', () => {
    const report = multiNode(64);
    expect(report.findings.filter(f => f.rule === RULE)).toEqual([]);
    expect(report.nodePools.map(p => [p.name, p.demand.gpus, p.workloads])).toEqual([['h100', 64, ['apps/llama (8 pods)']]]);
  });

  test('and are over a limit of 48 by 16 GPUs, the pods of 2 groups', () => {
    const report = multiNode(48);
    expect(report.findings.filter(f => f.rule === RULE).map(f => f.message)).toEqual([
      "[Guardrails] pool-capacity: NodePool 'h100', with every workload at its maximum, needs 64 GPUs against a limit of 48 GPUs (over by 16 GPUs); " +
      'charged to it: apps/llama 8 pods (2 beyond every pool it fits): ' + DECLARED_FIX,
    ]);
  });
});
