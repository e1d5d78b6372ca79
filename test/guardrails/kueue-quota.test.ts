import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { G5, G6, guard, messages, NODE_CLASS } from './util';
import {
  BatchInferenceJob, CostAwareNodePool, ElasticRayTraining, GpuProduct, GpuRequest, GuardrailRule, KueueQueues, NodePoolPurpose, QueueTrigger,
} from '../../src';

const RULE = GuardrailRule.KUEUE_QUOTA;

/** Two GPU pools, and two teams in cohort `ml`: research (4 A10G, borrowing at most 2) and batch (2 A10G it lends 1 of, 8 L4). */
function kueueApp() {
  const app = Testing.app();
  const capacity = new Chart(app, 'capacity');
  new CostAwareNodePool(capacity, 'a10g', { name: 'gpu-a10g', purpose: NodePoolPurpose.TRAINING, instanceTypes: [G5.x2large], budgetUsdPerHour: 40, nodeClass: NODE_CLASS });
  new CostAwareNodePool(capacity, 'l4', { name: 'gpu-l4', purpose: NodePoolPurpose.INFERENCE, instanceTypes: [G6.x2large], budgetUsdPerHour: 40, nodeClass: NODE_CLASS });
  const queues = new KueueQueues(capacity, 'queues', {
    cohort: 'ml',
    teams: [
      { name: 'research', namespaces: ['ml-training'], gpus: [{ nodePool: 'gpu-a10g', gpus: 4, borrowingLimitGpus: 2 }], vcpus: 256, memory: Size.gibibytes(1024) },
      { name: 'batch', namespaces: ['ml-batch'], gpus: [{ nodePool: 'gpu-a10g', gpus: 2, lendingLimitGpus: 1 }, { nodePool: 'gpu-l4', gpus: 8 }], vcpus: 256, memory: Size.gibibytes(1024) },
    ],
  });
  return { app, capacity, queues, training: new Chart(app, 'training', { namespace: 'ml-training' }), batch: new Chart(app, 'batch', { namespace: 'ml-batch' }) };
}

const a10g = GpuRequest.of(1, { gpuProduct: GpuProduct.A10G });

describe('kueue-quota', () => {
  test('worked example (RULES.md): a Job whose parallelism asks more GPUs than its queue can ever admit', () => {
    const { app, training } = kueueApp();
    // 8 pods x 1 A10G; research holds 4 and borrows min(borrowingLimit 2, batch lends 1) = 1: 5 at most.
    new BatchInferenceJob(training, 'embed', { name: 'embed', image: 'ghcr.io/example/embedder:1.4.0', gpu: a10g, parallelism: 8, completions: 64, queueName: 'research' });
    expect(messages(guard(app), RULE)).toEqual([
      "[training/embed] kueue-quota: Job 'embed' asks Kueue for 8 nvidia.com/gpu at its maximum (8 pods x 1), above the 5 its ClusterQueue " +
      "'research' can ever admit (nominal 4 + borrowing 1): Kueue admits a workload whole, so it stays suspended and its pods pending " +
      "(3 nvidia.com/gpu short): raise the queue's nominalQuota (or borrowingLimit, and the cohort's lending) or lower the workload's maximum",
    ]);
  });

  test('a Job that fits, and a KEDA ScaledJob whose Jobs are admitted one at a time, pass', () => {
    const { app, training, batch } = kueueApp();
    new BatchInferenceJob(training, 'embed', { name: 'embed', image: 'ghcr.io/example/embedder:1.4.0', gpu: a10g, parallelism: 5, queueName: 'research' });
    new BatchInferenceJob(batch, 'summarize', {
      name: 'summarize',
      image: 'ghcr.io/example/summarizer:2.0.1',
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }),
      queueName: 'batch',
      queue: QueueTrigger.redisList('redis:6379', 'q'),
      maxReplicaCount: 40,
    });
    expect(messages(guard(app), RULE)).toEqual([]);
  });

  test('an elastic RayCluster above its queue: the scale-ups above the cap stay pending', () => {
    const { app, training } = kueueApp();
    new ElasticRayTraining(training, 'fine-tune', {
      name: 'fine-tune',
      queueName: 'research',
      workerGroups: [{ name: 'gpu', minReplicas: 0, maxReplicas: 8, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), gpu: a10g }],
    });
    const [m] = messages(guard(app), RULE);
    expect(m).toContain("RayCluster 'fine-tune' asks Kueue for 8 nvidia.com/gpu at its maximum (gpu 8 pods x 1), above the 5");
    expect(m).toContain('Kueue admits an elastic job slice by slice, so its scale-ups above that stay pending (3 nvidia.com/gpu short)');
  });

  test('a queue label that names no LocalQueue of the namespace', () => {
    const { app, batch } = kueueApp();
    new BatchInferenceJob(batch, 'embed', { name: 'embed', image: 'ghcr.io/example/embedder:1.4.0', gpu: a10g, queueName: 'research' });
    expect(messages(guard(app), RULE)).toEqual([
      "[batch/embed] kueue-quota: Job 'embed' names the Kueue queue 'research' in namespace 'ml-batch', which is no LocalQueue of the app there " +
      '(batch), so Kueue keeps it suspended and its pods never start: give queueName a LocalQueue of the workload\'s namespace, or add one ' +
      '(KueueQueues: the team\'s namespaces)',
    ]);
  });

  test('a resource the ClusterQueue does not cover is never admitted', () => {
    const { app, capacity, training } = kueueApp();
    new ApiObject(capacity, 'lq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'cpu-only', namespace: 'ml-training' }, spec: { clusterQueue: 'cpu-only' } });
    new ApiObject(capacity, 'cq', {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'cpu-only' },
      spec: { resourceGroups: [{ coveredResources: ['cpu', 'memory'], flavors: [{ name: 'any-node', resources: [{ name: 'cpu', nominalQuota: 64 }, { name: 'memory', nominalQuota: '256Gi' }] }] }] },
    });
    new BatchInferenceJob(training, 'embed', { name: 'embed', image: 'ghcr.io/example/embedder:1.4.0', gpu: a10g, queueName: 'cpu-only' });
    expect(messages(guard(app), RULE)).toEqual([
      "[training/embed] kueue-quota: Job 'embed' requests nvidia.com/gpu, which its ClusterQueue 'cpu-only' (queue 'cpu-only') does not cover: " +
      'Kueue never admits it ("resource nvidia.com/gpu unavailable in ClusterQueue"): add nvidia.com/gpu to a resource group of the ClusterQueue, or remove the request',
    ]);
  });

  test('a ResourceFlavor no pool carries, and a ClusterQueue only on such flavors', () => {
    const { app, capacity } = kueueApp();
    new ApiObject(capacity, 'h100', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ResourceFlavor', metadata: { name: 'h100' }, spec: { nodeLabels: { 'karpenter.sh/nodepool': 'gpu-h100' } } });
    new ApiObject(capacity, 'lq', { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'big', namespace: 'ml-training' }, spec: { clusterQueue: 'big' } });
    new ApiObject(capacity, 'cq', {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name: 'big' },
      spec: { resourceGroups: [{ coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 8 }] }] }] },
    });
    expect(messages(guard(app), RULE)).toEqual([
      "[capacity/h100] kueue-quota: ResourceFlavor 'h100' has nodeLabels karpenter.sh/nodepool=gpu-h100 that no node pool's nodes carry (gpu-a10g, gpu-l4): " +
      'Kueue puts them in the nodeSelector of the pods it admits on this flavor, so those pods stay pending: give the flavor the labels of a pool ' +
      '(KueueQueues writes a flavor per NodePool), or add the pool',
      "[capacity/cq] kueue-quota: ClusterQueue 'big' offers its resource group only on flavors no node pool offers (h100): the work it admits can " +
      'never be scheduled: give the queue a flavor of a pool',
    ]);
  });

  test('the flavors KueueQueues writes are all on their pools', () => {
    const { app } = kueueApp();
    expect(messages(guard(app))).toEqual([]);
  });
});
