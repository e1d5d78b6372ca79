import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BatchInferenceJob, EdgeInference, ElasticRayTraining, GpuProduct, GpuRequest, GpuWorkKind, GpuWorkPriorities, GpuWorkPrioritiesProps,
  HyperparameterSearch, InferenceAutoscaler, LargeModelServing, ModelArchitecture, PreemptionPolicy, QueueTrigger, ScalingMetric,
  TriggerCredentials,
} from '../../src';
import { expectConformant } from '../conformance';
import { allOfKind, newChart, ofKind } from '../util';

const SQS_URL = 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs';

/** Every kind of workload the library builds, with the pod templates whose priorityClassName matters. */
function addWorkloads(scope: Construct, priorityClassName?: string) {
  const cls = priorityClassName;
  new InferenceAutoscaler(scope, 'chat', {
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1), priorityClassName: cls },
    maxReplicas: 4,
    metrics: [ScalingMetric.requestsPerSecond(10)],
  });
  new LargeModelServing(scope, 'llama', {
    image: 'vllm/vllm-openai:v0.12.0',
    model: ModelArchitecture.LLAMA_3_1_8B,
    modelId: 'meta-llama/Llama-3.1-8B-Instruct',
    gpuProduct: GpuProduct.A10G,
    maxReplicas: 4,
    priorityClassName: cls,
  });
  new EdgeInference(scope, 'edge', { modelServer: { image: 'example/detector:3.2', priorityClassName: cls } });
  new BatchInferenceJob(scope, 'embed', { image: 'example/embedder:1.4.0', gpu: GpuRequest.of(1), priorityClassName: cls });
  new BatchInferenceJob(scope, 'queued', {
    image: 'example/embedder:1.4.0',
    queue: QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() }),
    maxReplicaCount: 4,
    priorityClassName: cls,
  });
  new ElasticRayTraining(scope, 'train', {
    workerGroups: [
      { name: 'gpu', minReplicas: 0, maxReplicas: 4, cpu: kplus.Cpu.units(8), memory: Size.gibibytes(32), gpu: GpuRequest.of(1) },
      { name: 'cpu', minReplicas: 0, maxReplicas: 4, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) },
    ],
    priorityClassName: cls,
  });
  new HyperparameterSearch(scope, 'tune', {
    entrypoint: 'python tune.py', trialResources: { vcpus: 2, gpus: 1 }, samples: 8, maxConcurrentTrials: 2, priorityClassName: cls,
  });
}

/** The priorityClassName of every pod template, by where it sits. */
function podClasses(manifests: any[]): Record<string, string | undefined> {
  const named = (kind: string, part: string) => `${kind}/${part}`;
  const out: Record<string, string | undefined> = {};
  for (const m of manifests) {
    // Generated names end in a hash of the construct path.
    const id = m.metadata.name.replace(/-[0-9a-f]{8}$/, '');
    switch (m.kind) {
      case 'Deployment':
        out[named('Deployment', id)] = m.spec.template.spec.priorityClassName;
        break;
      case 'Job':
        out[named('Job', id)] = m.spec.template.spec.priorityClassName;
        break;
      case 'ScaledJob':
        out[named('ScaledJob', id)] = m.spec.jobTargetRef.template.spec.priorityClassName;
        break;
      case 'RayCluster':
        out[named('RayCluster', `${id}/head`)] = m.spec.headGroupSpec.template.spec.priorityClassName;
        for (const g of m.spec.workerGroupSpecs) out[named('RayCluster', `${id}/${g.groupName}`)] = g.template.spec.priorityClassName;
        break;
      case 'RayJob':
        out[named('RayJob', `${id}/head`)] = m.spec.rayClusterSpec.headGroupSpec.template.spec.priorityClassName;
        for (const g of m.spec.rayClusterSpec.workerGroupSpecs) {
          out[named('RayJob', `${id}/${g.groupName}`)] = g.template.spec.priorityClassName;
        }
        out[named('RayJob', `${id}/submitter`)] = m.spec.submitterPodTemplate.spec.priorityClassName;
        break;
    }
  }
  return out;
}

const EXPECTED = {
  'Deployment/test-chat-deployment': 'gpu-real-time-inference',
  'Deployment/test-llama-server-deployment': 'gpu-real-time-inference',
  'Deployment/test-edge-deployment': 'gpu-real-time-inference',
  'Job/test-embed': 'gpu-batch-inference',
  'ScaledJob/test-queued': 'gpu-batch-inference',
  'RayCluster/test-train/head': 'gpu-training',
  'RayCluster/test-train/gpu': 'gpu-training',
  'RayCluster/test-train/cpu': 'gpu-training',
  'RayJob/test-tune/head': 'gpu-training',
  'RayJob/test-tune/trials': 'gpu-training',
  'RayJob/test-tune/submitter': 'gpu-training',
};

function expectError(props: GpuWorkPrioritiesProps, message: string): void {
  let error: Error | undefined;
  try {
    new GpuWorkPriorities(newChart(), 'priorities', props);
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message).toBe(message);
}

describe('GpuWorkPriorities', () => {
  test('three PriorityClasses: real-time inference above batch above training, only real-time inference preempts (snapshot)', () => {
    const chart = newChart();
    const priorities = new GpuWorkPriorities(chart, 'priorities');
    const manifests = expectConformant(chart);
    expect(manifests.map(m => [m.kind, m.metadata.name, m.value, m.preemptionPolicy, m.globalDefault])).toEqual([
      ['PriorityClass', 'gpu-real-time-inference', 1_000_000, 'PreemptLowerPriority', false],
      ['PriorityClass', 'gpu-batch-inference', 100_000, 'Never', false],
      ['PriorityClass', 'gpu-training', 10_000, 'Never', false],
    ]);
    for (const m of manifests) {
      expect(m.apiVersion).toBe('scheduling.k8s.io/v1');
      // Far below the system classes (system-cluster-critical is 2,000,000,000) and within the user range.
      expect(m.value).toBeLessThan(1_000_000_000);
      expect(m.description).toMatch(/GPU pools/);
    }
    expect(priorities.classNameOf(GpuWorkKind.REAL_TIME_INFERENCE)).toBe('gpu-real-time-inference');
    expect(priorities.classNameOf(GpuWorkKind.BATCH_INFERENCE)).toBe(priorities.batchInferenceClassName);
    expect(priorities.trainingClassName).toBe('gpu-training');
    expect(priorities.realTimeInference?.name).toBe('gpu-real-time-inference');
    expect(manifests).toMatchSnapshot();
  });

  test('PriorityClasses are cluster-scoped: a chart namespace is not applied to them', () => {
    const chart = newChart({ namespace: 'ml' });
    new GpuWorkPriorities(chart, 'priorities');
    for (const m of expectConformant(chart)) expect(m.metadata.namespace).toBeUndefined();
  });

  test('names, values, preemption and the global default are configurable', () => {
    const chart = newChart();
    const priorities = new GpuWorkPriorities(chart, 'priorities', {
      realTimeInference: { name: 'serving', value: 5000, preemptionPolicy: PreemptionPolicy.NEVER, description: 'user-facing' },
      batchInference: { name: 'batch', value: 0 },
      training: { name: 'research.training', value: -10, preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY },
      globalDefault: GpuWorkKind.TRAINING,
    });
    const manifests = expectConformant(chart);
    expect(manifests.map(m => [m.metadata.name, m.value, m.preemptionPolicy, m.globalDefault])).toEqual([
      ['serving', 5000, 'Never', false],
      ['batch', 0, 'Never', false],
      ['research.training', -10, 'PreemptLowerPriority', true],
    ]);
    expect(manifests[0].description).toBe('user-facing');
    expect(priorities.trainingClassName).toBe('research.training');
  });

  test('the highest value a user class may have is accepted', () => {
    const chart = newChart();
    new GpuWorkPriorities(chart, 'priorities', { realTimeInference: { value: 1_000_000_000 } });
    expect(ofKind(expectConformant(chart), 'PriorityClass').value).toBe(1_000_000_000);
  });

  test('with createClasses false nothing is synthesized, and workloads still reference the existing classes', () => {
    const chart = newChart();
    const priorities = new GpuWorkPriorities(chart, 'priorities', { createClasses: false, training: { name: 'research' } });
    new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.4.0' });
    new ElasticRayTraining(chart, 'train', {
      workerGroups: [{ name: 'cpu', minReplicas: 0, maxReplicas: 2, cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8) }],
    });
    const manifests = expectConformant(chart);
    expect(allOfKind(manifests, 'PriorityClass')).toHaveLength(0);
    expect(priorities.training).toBeUndefined();
    expect(ofKind(manifests, 'Job').spec.template.spec.priorityClassName).toBe('gpu-batch-inference');
    expect(ofKind(manifests, 'RayCluster').spec.headGroupSpec.template.spec.priorityClassName).toBe('research');
  });

  describe('assigned by the constructs', () => {
    test('each construct\'s pods get the class of their kind of work', () => {
      const chart = newChart();
      new GpuWorkPriorities(chart, 'priorities');
      addWorkloads(chart);
      expect(podClasses(expectConformant(chart))).toEqual(EXPECTED);
    });

    test('the classes may be created after the workloads: the name is decided at synth', () => {
      const chart = newChart();
      addWorkloads(chart);
      new GpuWorkPriorities(chart, 'priorities');
      expect(podClasses(expectConformant(chart))).toEqual(EXPECTED);
    });

    test('without a GpuWorkPriorities in the app no pod names a class (a missing class would get every pod rejected)', () => {
      const chart = newChart();
      addWorkloads(chart);
      const classes = podClasses(expectConformant(chart));
      expect(Object.keys(classes)).toEqual(Object.keys(EXPECTED));
      expect(Object.values(classes).every(c => c === undefined)).toBe(true);
      expect(JSON.stringify(Testing.synth(chart))).not.toContain('priorityClassName');
    });

    test('custom class names flow into the pods', () => {
      const chart = newChart();
      new GpuWorkPriorities(chart, 'priorities', {
        realTimeInference: { name: 'serving' }, batchInference: { name: 'batch' }, training: { name: 'research' },
      });
      addWorkloads(chart);
      const rename: Record<string, string> = { 'gpu-real-time-inference': 'serving', 'gpu-batch-inference': 'batch', 'gpu-training': 'research' };
      expect(podClasses(expectConformant(chart))).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([k, v]) => [k, rename[v]])));
    });

    test('a construct\'s own priorityClassName wins, with or without a GpuWorkPriorities', () => {
      for (const withPriorities of [true, false]) {
        const chart = newChart();
        if (withPriorities) new GpuWorkPriorities(chart, 'priorities');
        addWorkloads(chart, 'team-a-urgent');
        const classes = podClasses(expectConformant(chart));
        expect(Object.values(classes).every(c => c === 'team-a-urgent')).toBe(true);
      }
    });

    test('the classes of another chart of the app apply when the workload\'s chart has none', () => {
      const app = Testing.app();
      const platform = new Chart(app, 'platform');
      new GpuWorkPriorities(platform, 'priorities', { training: { name: 'research' } });
      const team = new Chart(app, 'team', { namespace: 'search' });
      const batch = new BatchInferenceJob(team, 'embed', { image: 'example/embedder:1.4.0' });
      new HyperparameterSearch(team, 'tune', { entrypoint: 'python tune.py', trialResources: { vcpus: 1 }, samples: 4, maxConcurrentTrials: 2 });
      const manifests = expectConformant(team);
      expect(ofKind(manifests, 'Job').spec.template.spec.priorityClassName).toBe('gpu-batch-inference');
      expect(ofKind(manifests, 'RayJob').spec.submitterPodTemplate.spec.priorityClassName).toBe('research');
      expect(batch.node.validate()).toEqual([]);
    });

    test('the chart\'s own classes win over another chart\'s: one app may hold several clusters', () => {
      const app = Testing.app();
      const east = new Chart(app, 'east');
      const west = new Chart(app, 'west');
      new GpuWorkPriorities(east, 'priorities', { batchInference: { name: 'east-batch' } });
      new GpuWorkPriorities(west, 'priorities', { batchInference: { name: 'west-batch' } });
      new BatchInferenceJob(west, 'embed', { image: 'example/embedder:1.4.0' });
      expect(ofKind(Testing.synth(west), 'Job').spec.template.spec.priorityClassName).toBe('west-batch');
    });

    test('fails at synth, and names no class, when several charts hold classes and the workload\'s chart none', () => {
      const app = Testing.app();
      new GpuWorkPriorities(new Chart(app, 'east'), 'priorities');
      new GpuWorkPriorities(new Chart(app, 'west'), 'priorities');
      const team = new Chart(app, 'team');
      const batch = new BatchInferenceJob(team, 'embed', { image: 'example/embedder:1.4.0' });
      const serving = new EdgeInference(team, 'edge', { modelServer: { image: 'example/detector:3.2' } });
      const problem = 'has no default: the app has 2 GpuWorkPriorities (east/priorities, west/priorities) and none is in this chart: ' +
        'give the PriorityClass name, or move the GpuWorkPriorities of this cluster into this chart';
      expect(batch.node.validate()).toEqual([`'priorityClassName' (undefined) ${problem}`]);
      expect(serving.node.validate()).toEqual([`'modelServer.priorityClassName' (undefined) ${problem}`]);
      expect(() => Testing.synth(team)).toThrow(
        `Validation failed with the following errors:\n  [team/embed] 'priorityClassName' (undefined) ${problem}\n` +
        `  [team/edge] 'modelServer.priorityClassName' (undefined) ${problem}`);
      expect(ApiObject.of(batch).toJson().spec.template.spec.priorityClassName).toBeUndefined();
      expect(ApiObject.of(serving.deployment).toJson().spec.template.spec.priorityClassName).toBeUndefined();
    });

    test('an InferenceAutoscaler leaves the pod template of a given target alone', () => {
      const chart = newChart();
      new GpuWorkPriorities(chart, 'priorities');
      const target = ApiObject.of(new kplus.Deployment(chart, 'existing', { containers: [{ image: 'example/server:1', ports: [{ number: 8000, name: 'http' }] }] }));
      new InferenceAutoscaler(chart, 'chat', { target, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, { counter: 'http_requests_total' })] });
      expect(ofKind(Testing.synth(chart), 'Deployment').spec.template.spec.priorityClassName).toBeUndefined();
    });

    test('footprints still read the pod templates', () => {
      const chart = newChart();
      new GpuWorkPriorities(chart, 'priorities');
      const job = new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.4.0', gpu: GpuRequest.of(2), parallelism: 3 });
      expect(job.footprint).toMatchObject({ maxReplicas: 3, requests: { gpus: 2 } });
    });
  });

  describe('fails', () => {
    test('when a class is not below the one above it', () => {
      expectError({ batchInference: { value: 1_000_000 } },
        "[test/priorities] 'batchInference.value' (1000000) is not below 'realTimeInference.value' (1000000): " +
        'keep real-time inference above batch inference above training: lower batchInference.value or raise realTimeInference.value');
      expectError({ training: { value: 200_000 } },
        "[test/priorities] 'training.value' (200000) is not below 'batchInference.value' (100000): " +
        'keep real-time inference above batch inference above training: lower training.value or raise batchInference.value');
    });

    test('when a value is in the range reserved for system classes, or not a whole number', () => {
      expectError({ realTimeInference: { value: 1_000_000_001 } },
        "[test/priorities] 'realTimeInference.value' (1000000001) must be a whole number from -2147483648 to 1000000000: " +
        'values above 1,000,000,000 are reserved for system classes; keep well below system-cluster-critical (2,000,000,000)');
      expectError({ training: { value: 10.5 } },
        "[test/priorities] 'training.value' (10.5) must be a whole number from -2147483648 to 1000000000: " +
        'values above 1,000,000,000 are reserved for system classes; keep well below system-cluster-critical (2,000,000,000)');
    });

    test('when a name is reserved, invalid or taken by another class', () => {
      expectError({ realTimeInference: { name: 'system-inference' } },
        "[test/priorities] 'realTimeInference.name' (\"system-inference\") starts with 'system-', which Kubernetes reserves for its own classes: " +
        'use a name such as "gpu-real-time-inference"');
      expectError({ training: { name: 'Training' } },
        "[test/priorities] 'training.name' (\"Training\") is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', at most 253 characters): " +
        'use a name such as "gpu-training"');
      expectError({ training: { name: 'gpu-batch-inference' } },
        "[test/priorities] 'training.name' (\"gpu-batch-inference\") is also the name of 'batchInference': give each class its own name");
    });

    test('when classes that are not created here are given settings', () => {
      expectError({ createClasses: false, training: { value: 5 } },
        "[test/priorities] 'training.value' (5) only applies when the classes are created here (createClasses is false): " +
        'remove it: the existing class keeps its own value');
      expectError({ createClasses: false, globalDefault: GpuWorkKind.TRAINING },
        "[test/priorities] 'globalDefault' (\"training\") only applies when the classes are created here (createClasses is false): " +
        'remove it, or set globalDefault on the existing class');
    });

    test('when a chart already holds a GpuWorkPriorities', () => {
      const chart = newChart();
      new GpuWorkPriorities(chart, 'priorities');
      expect(() => new GpuWorkPriorities(chart, 'more')).toThrow(
        "[test/more] 'scope' (\"test\") already holds a GpuWorkPriorities (test/priorities): " +
        'keep one GpuWorkPriorities per chart; for several clusters in one app, give each cluster\'s chart its own');
    });

    test('when a construct is given a priorityClassName that cannot name a class', () => {
      const invalid = 'Urgent!';
      const problem = 'is not a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters): ' +
        'give the name of a PriorityClass in the cluster, e.g. "gpu-training", or leave it out to use the app\'s GpuWorkPriorities';
      expect(() => new BatchInferenceJob(newChart(), 'embed', { image: 'example/embedder:1.4.0', priorityClassName: invalid })).toThrow(
        `[test/embed] 'priorityClassName' ("Urgent!") ${problem}`);
      expect(() => new LargeModelServing(newChart(), 'llama', {
        image: 'vllm/vllm-openai:v0.12.0', model: ModelArchitecture.LLAMA_3_1_8B, modelId: 'm', gpuProduct: GpuProduct.A10G, maxReplicas: 2, priorityClassName: invalid,
      })).toThrow(`[test/llama] 'priorityClassName' ("Urgent!") ${problem}`);
      expect(() => new InferenceAutoscaler(newChart(), 'chat', {
        modelServer: { image: 'x/y:1', priorityClassName: invalid }, maxReplicas: 2, metrics: [ScalingMetric.requestsPerSecond(1)],
      })).toThrow(`[test/chat] 'modelServer.priorityClassName' ("Urgent!") ${problem}`);
    });
  });

  describe('input checks', () => {
    test('fails when a class name is not a DNS-1123 subdomain', () => {
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { training: { name: 'GPU_Training' } })).toThrow(
        "[test/priorities] 'training.name' (\"GPU_Training\") is not a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', "
        + 'at most 253 characters): use a name such as "gpu-training"');
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { training: { name: 42 as any } })).toThrow(
        "[test/priorities] 'training.name' (42) must be a string, not a number: use a name such as \"gpu-training\"");
    });

    test('fails when createClasses is the string "false"', () => {
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { createClasses: 'false' as any })).toThrow(
        "[test/priorities] 'createClasses' (\"false\") must be true or false (a boolean), not a string: write createClasses: false "
        + 'without quotes, or leave it unset for the default');
    });

    test('fails when globalDefault or a preemption policy is not a member of its enum', () => {
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { globalDefault: 'inference' as any })).toThrow(
        "[test/priorities] 'globalDefault' (\"inference\") must be one of \"real-time-inference\", \"batch-inference\", \"training\": "
        + 'use a GpuWorkKind, e.g. GpuWorkKind.TRAINING');
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { training: { preemptionPolicy: 'Always' as any } })).toThrow(
        "[test/priorities] 'training.preemptionPolicy' (\"Always\") must be one of \"PreemptLowerPriority\", \"Never\": "
        + 'use PreemptionPolicy.PREEMPT_LOWER_PRIORITY or PreemptionPolicy.NEVER');
    });

    test('fails when props or a class is not an object', () => {
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', null as any)).toThrow(
        "[test/priorities] 'props' (null) must be an object of named fields, not null");
      expect(() => new GpuWorkPriorities(newChart(), 'priorities', { training: [] as any })).toThrow(
        "[test/priorities] 'training' ([]) must be an object of named fields, not a list");
    });
  });
});

describe('GpuWorkPriorities#classNameOf', () => {
  test('gives the class name of each kind of work', () => {
    const p = new GpuWorkPriorities(newChart(), 'priorities', { training: { name: 'team-training' } });
    expect(p.classNameOf(GpuWorkKind.TRAINING)).toBe('team-training');
    expect(p.classNameOf(GpuWorkKind.REAL_TIME_INFERENCE)).toBe(p.realTimeInferenceClassName);
  });

  test('fails when the kind is not a GpuWorkKind member, instead of returning undefined or an Object.prototype function', () => {
    const p = new GpuWorkPriorities(newChart(), 'priorities');
    const fix = 'use GpuWorkKind.REAL_TIME_INFERENCE, GpuWorkKind.BATCH_INFERENCE or GpuWorkKind.TRAINING';
    expect(() => p.classNameOf('constructor' as any)).toThrow(
      `[test/priorities] 'kind' ("constructor") must be one of "real-time-inference", "batch-inference", "training": ${fix}`);
    expect(() => p.classNameOf('TRAINING' as any)).toThrow(
      `[test/priorities] 'kind' ("TRAINING") must be one of "real-time-inference", "batch-inference", "training": ${fix}`);
    expect(() => p.classNameOf(undefined as any)).toThrow("[test/priorities] 'kind' (undefined) must be one of ");
  });
});
