import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GpuProduct, GpuRequest } from '../../src';
import { BatchInferenceJob, BatchInferenceJobProps, JobScalingStrategy } from '../../src/constructs/batch-inference-job';
import { KafkaOffsetResetPolicy, QueueTrigger } from '../../src/values/queue-trigger';
import { TriggerCredentials } from '../../src/values/trigger-credentials';
import { WorkloadFootprints } from '../../src/values/workload-footprint';
import { conformanceAvailability, expectConformant, validateManifests } from '../conformance';
import { allOfKind, newChart, ofKind } from '../util';

const IMAGE = 'example/batch-embedder:1.4.0';
const SQS_URL = 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs';
const sqs = () => QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() });

function synth(props: Partial<BatchInferenceJobProps> = {}, id = 'embed') {
  const chart = newChart({ namespace: 'batch' });
  const batch = new BatchInferenceJob(chart, id, { image: IMAGE, ...props });
  return { chart, batch, manifests: expectConformant(chart) };
}

/** A fixed-size batch: the Job, its pod template and pod spec. */
function fixed(props: Partial<BatchInferenceJobProps> = {}) {
  const { batch, manifests } = synth(props);
  const job = ofKind(manifests, 'Job');
  return { batch, manifests, job, template: job.spec.template, pod: job.spec.template.spec };
}

/** A queue-driven batch: the ScaledJob, its trigger and the pod spec of the Jobs it starts. */
function queued(props: Partial<BatchInferenceJobProps> = {}) {
  const { batch, manifests } = synth({ queue: sqs(), maxReplicaCount: 10, ...props });
  const scaledJob = ofKind(manifests, 'ScaledJob');
  return { batch, manifests, scaledJob, trigger: scaledJob.spec.triggers[0], pod: scaledJob.spec.jobTargetRef.template.spec };
}

function envOf(pod: any): Record<string, string> {
  return Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
}

function expectError(props: Partial<BatchInferenceJobProps>, message: string): void {
  let error: Error | undefined;
  try {
    new BatchInferenceJob(newChart(), 'batch', { image: IMAGE, ...props });
  } catch (e) {
    error = e as Error;
  }
  expect(error?.message).toBe(message);
}

describe('BatchInferenceJob fixed-size batch', () => {
  test('synthesizes one Indexed Job with the defaults (snapshot)', () => {
    const { manifests } = synth({ name: 'embed' });
    expect(manifests.map(m => m.kind)).toEqual(['Job']);
    expect(manifests).toMatchSnapshot();
  });

  test('every object is validated against the upstream schemas', () => {
    const chart = newChart({ namespace: 'batch' });
    new BatchInferenceJob(chart, 'fixed', { image: IMAGE, gpu: GpuRequest.of(1), nonRetriableExitCodes: [2] });
    new BatchInferenceJob(chart, 'queued', { image: IMAGE, queue: sqs(), maxReplicaCount: 4 });
    const manifests = Testing.synth(chart);
    const result = validateManifests(manifests);
    expect(result.errors).toEqual([]);
    if (conformanceAvailability().available) expect(result.byKind).toEqual({ Job: 1, TriggerAuthentication: 1, ScaledJob: 1 });
  });

  test('runs completions shards in Indexed mode, at most parallelism at once', () => {
    const { job, pod } = fixed({ parallelism: 8, completions: 64 });
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', parallelism: 8, completions: 64 });
    // The Job controller sets JOB_COMPLETION_INDEX itself; the shard count comes from the construct.
    expect(envOf(pod).SHARD_COUNT).toBe('64');
    expect(envOf(pod).JOB_COMPLETION_INDEX).toBeUndefined();
  });

  test('completions default to the parallelism: one shard per pod', () => {
    expect(fixed({ parallelism: 4 }).job.spec).toMatchObject({ parallelism: 4, completions: 4 });
    expect(fixed().job.spec).toMatchObject({ parallelism: 1, completions: 1 });
  });

  test('gives the workers their batch settings and the user env as environment variables', () => {
    const { pod } = fixed({
      batchSize: 256,
      inputLocation: 's3://corpus/input/',
      outputLocation: 's3://corpus/embeddings/',
      env: { MODEL_ID: 'BAAI/bge-large-en-v1.5', HOME: '/home/worker' },
    });
    expect(envOf(pod)).toEqual({
      HOME: '/home/worker',
      XDG_CACHE_HOME: '/models',
      HF_HOME: '/models/huggingface',
      MODEL_ID: 'BAAI/bge-large-en-v1.5',
      BATCH_SIZE: '256',
      INPUT_LOCATION: 's3://corpus/input/',
      OUTPUT_LOCATION: 's3://corpus/embeddings/',
      SHARD_COUNT: '1',
    });
  });

  test('leaves the batch settings unset when not given', () => {
    const env = envOf(fixed().pod);
    expect(Object.keys(env)).toEqual(['HOME', 'XDG_CACHE_HOME', 'HF_HOME', 'SHARD_COUNT']);
  });

  test('ignores pod failures caused by disruptions first, and the pods never restart in place', () => {
    const { job, pod } = fixed();
    expect(job.spec.podFailurePolicy.rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
    ]);
    expect(pod.restartPolicy).toBe('Never');
  });

  test('fails the whole Job on a non-retriable exit code, after the disruption rule, with sorted unique codes', () => {
    const { job } = fixed({ nonRetriableExitCodes: [42, 2, 42] });
    const rules = job.spec.podFailurePolicy.rules;
    expect(rules[0]).toEqual({ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    expect(rules[1]).toEqual({ action: 'FailJob', onExitCodes: { containerName: 'worker', operator: 'In', values: [2, 42] } });
    expect(job.spec.template.spec.containers[0].name).toBe('worker');
  });

  test('the pods ask Karpenter not to disrupt them', () => {
    expect(fixed().template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
  });

  test('a GPU request sets the limit and request, the NoSchedule toleration and a launch-time node label', () => {
    const { pod } = fixed({ gpu: GpuRequest.of(2, { gpuProduct: GpuProduct.A10G }) });
    expect(pod.containers[0].resources).toEqual({
      limits: { 'cpu': '2', 'memory': '8Gi', 'nvidia.com/gpu': '2' },
      requests: { 'cpu': '2', 'memory': '8Gi', 'nvidia.com/gpu': '2' },
    });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-name': 'a10g' });
  });

  test('a CPU-only worker has no GPU limit, toleration or node selector, and CPU and memory requests equal limits', () => {
    const { pod } = fixed({ cpu: kplus.Cpu.millis(1500), memory: Size.gibibytes(4) });
    expect(pod.containers[0].resources).toEqual({ limits: { cpu: '1500m', memory: '4Gi' }, requests: { cpu: '1500m', memory: '4Gi' } });
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
  });

  test('keeps a finished Job for a day and stops a Job after 24 hours by default', () => {
    expect(fixed().job.spec).toMatchObject({ ttlSecondsAfterFinished: 86400, activeDeadlineSeconds: 86400, backoffLimit: 6 });
  });

  test('takes the TTL, deadline and backoff limit from the props', () => {
    const { job } = fixed({ ttlAfterFinished: Duration.hours(2), activeDeadline: Duration.hours(6), backoffLimit: 0 });
    expect(job.spec).toMatchObject({ ttlSecondsAfterFinished: 7200, activeDeadlineSeconds: 21600, backoffLimit: 0 });
    expect(job.spec.backoffLimitPerIndex).toBeUndefined();
  });

  test('pods run restricted: explicit non-root user, no escalation, no capabilities, RuntimeDefault seccomp, read-only root', () => {
    const { pod } = fixed({ runAsUser: 2000 });
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true, runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.containers[0].securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 2000,
      runAsGroup: 2000,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('writable paths are emptyDir volumes and /dev/shm is memory-backed', () => {
    const { pod } = fixed({ sharedMemorySize: Size.gibibytes(4), modelCacheSize: Size.gibibytes(100) });
    expect(pod.volumes).toEqual([
      { name: 'dshm', emptyDir: { medium: 'Memory', sizeLimit: '4Gi' } },
      { name: 'tmp', emptyDir: {} },
      { name: 'model-cache', emptyDir: { sizeLimit: '100Gi' } },
    ]);
    expect(pod.containers[0].volumeMounts.map((m: any) => [m.name, m.mountPath])).toEqual([
      ['dshm', '/dev/shm'], ['tmp', '/tmp'], ['model-cache', '/models'],
    ]);
  });

  test('warns, without failing, when completions are below parallelism', () => {
    const { batch, job } = fixed({ parallelism: 8, completions: 3 });
    const warning = "[test/embed] 'completions' (3) is below 'parallelism' (8), so at most 3 pods run at once: " +
      'lower parallelism to 3, or split the batch into more shards';
    expect(job.spec).toMatchObject({ parallelism: 8, completions: 3 });
    expect(batch.warnings).toEqual([warning]);
    expect(batch.node.metadata.filter(m => m.type === 'warning').map(m => m.data)).toEqual([warning]);
  });

  test('has no warnings when completions cover the parallelism', () => {
    const { batch } = fixed({ parallelism: 4, completions: 40 });
    expect(batch.warnings).toEqual([]);
    expect(batch.node.metadata).toEqual([]);
  });

  test('a generated name leaves room for the index in each pod\'s hostname', () => {
    const app = new App();
    const chart = new Chart(app, 'a-rather-long-chart-name-for-the-nightly-batch-inference-pipeline');
    const batch = new BatchInferenceJob(chart, 'embeddings-of-the-whole-document-corpus', { image: IMAGE, parallelism: 10, completions: 1000 });
    const name = ofKind(expectConformant(chart), 'Job').metadata.name;
    expect(name).toBe(batch.job!.name);
    expect(`${name}-999`.length).toBeLessThanOrEqual(63);
  });

  test('the footprint is the running pods: at most min(parallelism, completions), with the pod resources and placement', () => {
    const { batch } = fixed({ name: 'embed', parallelism: 8, completions: 64, gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }) });
    expect(batch.footprint).toEqual({
      target: { apiVersion: 'batch/v1', kind: 'Job', name: 'embed', namespace: 'batch' },
      minReplicas: 0,
      maxReplicas: 8,
      requests: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 },
      limits: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'l4' },
      scalingOwner: undefined,
    });
    expect(fixed({ parallelism: 8, completions: 3 }).batch.footprint.maxReplicas).toBe(3);
  });
});

describe('BatchInferenceJob queue-driven', () => {
  test('emits a ScaledJob and no Job, with one-pod Jobs and KEDA defaults', () => {
    const { manifests, scaledJob, pod, batch } = queued();
    expect(manifests.map(m => m.kind)).toEqual(['TriggerAuthentication', 'ScaledJob']);
    expect(allOfKind(manifests, 'Job')).toHaveLength(0);
    expect(batch.job).toBeUndefined();
    expect(batch.scaledJob).toBeDefined();
    expect(scaledJob.apiVersion).toBe('keda.sh/v1alpha1');
    const { template, ...jobSpec } = scaledJob.spec.jobTargetRef;
    expect(jobSpec).toEqual({
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      activeDeadlineSeconds: 86400,
      ttlSecondsAfterFinished: 86400,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
    });
    expect(template.metadata.annotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(pod.restartPolicy).toBe('Never');
    expect(envOf(pod).MESSAGES_PER_JOB).toBe('5');
    expect(envOf(pod).SHARD_COUNT).toBeUndefined();
    const { jobTargetRef, triggers, ...rest } = scaledJob.spec;
    expect(rest).toEqual({
      pollingInterval: 30,
      maxReplicaCount: 10,
      successfulJobsHistoryLimit: 10,
      failedJobsHistoryLimit: 20,
      scalingStrategy: { strategy: 'default' },
      rollout: { strategy: 'gradual' },
    });
  });

  test('takes the polling interval, history limits and scaling strategy from the props', () => {
    const { scaledJob } = queued({
      pollingInterval: Duration.seconds(10),
      successfulJobsHistoryLimit: 0,
      failedJobsHistoryLimit: 5,
      scalingStrategy: JobScalingStrategy.EAGER,
    });
    expect(scaledJob.spec).toMatchObject({
      pollingInterval: 10, successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5, scalingStrategy: { strategy: 'eager' },
    });
    expect(queued({ scalingStrategy: JobScalingStrategy.ACCURATE }).scaledJob.spec.scalingStrategy).toEqual({ strategy: 'accurate' });
  });

  test('the Jobs of a GPU worker carry the GPU request, toleration and node selector', () => {
    const { pod, scaledJob } = queued({ gpu: GpuRequest.of(1), nonRetriableExitCodes: [3] });
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('1');
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia' });
    expect(scaledJob.spec.jobTargetRef.podFailurePolicy.rules[1]).toEqual(
      { action: 'FailJob', onExitCodes: { containerName: 'worker', operator: 'In', values: [3] } });
  });

  test('SQS with AWS pod identity: the keys the aws-sqs-queue scaler reads, and a referenced TriggerAuthentication', () => {
    const { manifests, trigger, batch } = queued({
      queue: QueueTrigger.sqs(SQS_URL, {
        region: 'us-west-2',
        messagesPerReplica: 2,
        activationMessages: 1,
        credentials: TriggerCredentials.awsPodIdentity({ roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' }),
      }),
    });
    expect(trigger.type).toBe('aws-sqs-queue');
    expect(trigger.metadata).toEqual({ queueURL: SQS_URL, awsRegion: 'us-west-2', queueLength: '2', activationQueueLength: '1' });
    const auth = ofKind(manifests, 'TriggerAuthentication');
    expect(auth.spec).toEqual({ podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' } });
    expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
    expect(batch.triggerAuthentication!.name).toBe(auth.metadata.name);
  });

  test('SQS can leave in-flight messages out of the queue length', () => {
    const credentials = TriggerCredentials.awsPodIdentity();
    const { trigger } = queued({ queue: QueueTrigger.sqs(SQS_URL, { region: 'eu-west-1', countInFlight: false, credentials }) });
    expect(trigger.metadata).toEqual({ queueURL: SQS_URL, awsRegion: 'eu-west-1', queueLength: '5', scaleOnInFlight: 'false' });
  });

  test('a Redis list with a password from a Secret: the keys the redis scaler reads and a secretTargetRef', () => {
    const { manifests, trigger } = queued({
      queue: QueueTrigger.redisList('redis.queues.svc:6379', 'embed-jobs', {
        databaseIndex: 2,
        tls: true,
        messagesPerReplica: 20,
        credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password' }),
      }),
    });
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata).toEqual({
      address: 'redis.queues.svc:6379', listName: 'embed-jobs', databaseIndex: '2', enableTLS: 'true', listLength: '20',
    });
    const auth = ofKind(manifests, 'TriggerAuthentication');
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'password', name: 'redis-auth', key: 'redis-password' }] });
    expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
  });

  test('a Redis list without a password needs no TriggerAuthentication', () => {
    const { manifests, trigger, batch } = queued({ queue: QueueTrigger.redisList('redis:6379', 'jobs') });
    expect(manifests.map(m => m.kind)).toEqual(['ScaledJob']);
    expect(trigger).toEqual({ type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', listLength: '5' } });
    expect(batch.triggerAuthentication).toBeUndefined();
  });

  test('a Kafka topic: the keys the kafka scaler reads', () => {
    const { manifests, trigger } = queued({
      queue: QueueTrigger.kafka('kafka-0.kafka:9092,kafka-1.kafka:9092', 'embedders', 'documents', {
        offsetResetPolicy: KafkaOffsetResetPolicy.EARLIEST, messagesPerReplica: 100, activationMessages: 10,
      }),
    });
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata).toEqual({
      bootstrapServers: 'kafka-0.kafka:9092,kafka-1.kafka:9092',
      consumerGroup: 'embedders',
      topic: 'documents',
      offsetResetPolicy: 'earliest',
      lagThreshold: '100',
      activationLagThreshold: '10',
    });
    expect(allOfKind(manifests, 'TriggerAuthentication')).toHaveLength(0);
  });

  test('a RabbitMQ queue reads its connection string from a Secret: the keys the rabbitmq scaler reads', () => {
    const { manifests, trigger } = queued({
      queue: QueueTrigger.rabbitMq('embed-jobs', { vhost: 'ml', credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'amqp-url' }) }),
    });
    expect(trigger.type).toBe('rabbitmq');
    expect(trigger.metadata).toEqual({ queueName: 'embed-jobs', mode: 'QueueLength', vhostName: 'ml', value: '5' });
    expect(trigger.metadata.host).toBeUndefined();
    const auth = ofKind(manifests, 'TriggerAuthentication');
    expect(auth.spec).toEqual({ secretTargetRef: [{ parameter: 'host', name: 'rabbitmq', key: 'amqp-url' }] });
    expect(trigger.authenticationRef).toEqual({ name: auth.metadata.name });
  });

  test('a given name names the ScaledJob and its TriggerAuthentication', () => {
    const { manifests, trigger } = queued({ name: 'embed' });
    expect(manifests.map(m => [m.kind, m.metadata.name])).toEqual([['TriggerAuthentication', 'embed'], ['ScaledJob', 'embed']]);
    expect(trigger.authenticationRef).toEqual({ name: 'embed' });
  });

  test('the footprint is maxReplicaCount one-pod Jobs, owned by the ScaledJob', () => {
    const { batch } = queued({ name: 'embed', maxReplicaCount: 12, gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) });
    expect(batch.footprint).toEqual({
      target: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', name: 'embed', namespace: 'batch' },
      minReplicas: 0,
      maxReplicas: 12,
      requests: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 },
      limits: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(8), gpus: 1 },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'karpenter.k8s.aws/instance-gpu-name': 'a10g' },
      scalingOwner: { kind: 'ScaledJob', name: 'embed' },
    });
  });

  test('WorkloadFootprints finds both kinds of batch', () => {
    const chart = newChart();
    new BatchInferenceJob(chart, 'fixed', { image: IMAGE, name: 'fixed', parallelism: 3 });
    new BatchInferenceJob(chart, 'queued', { image: IMAGE, name: 'queued', queue: sqs(), maxReplicaCount: 7 });
    expect(WorkloadFootprints.of(chart).map(f => [f.target.kind, f.target.name, f.maxReplicas])).toEqual([
      ['Job', 'fixed', 3], ['ScaledJob', 'queued', 7],
    ]);
  });
});

describe('BatchInferenceJob validation', () => {
  test('fails on an empty image', () => {
    expectError({ image: '' }, "[test/batch] 'image' (\"\") is empty: give the worker image, pinned to a tag or digest");
  });

  test('fails on a name that is not a DNS-1123 label', () => {
    expectError({ name: 'Embed_Batch' },
      "[test/batch] 'name' (\"Embed_Batch\") is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and '-', " +
      'starting and ending with a letter or digit): use a name such as "embed-batch"');
  });

  test('fails on a name too long for the pods\' hostnames of an Indexed Job', () => {
    const name = 'a'.repeat(61);
    expectError({ name, completions: 100 },
      `[test/batch] 'name' ("${name}") is longer than 60 characters: each pod's hostname is '<name>-<index>' (up to index 99), ` +
      'which must fit in 63: shorten the name to at most 60 characters');
    expect(() => new BatchInferenceJob(newChart(), 'batch', { image: IMAGE, name: 'a'.repeat(60), completions: 100 })).not.toThrow();
  });

  test('fails on a parallelism of zero', () => {
    expectError({ parallelism: 0 },
      "[test/batch] 'parallelism' (0) must be a whole number from 1 to 100000: give the most pods that run at once (at least 1)");
  });

  test('fails on zero completions', () => {
    expectError({ completions: 0 },
      "[test/batch] 'completions' (0) must be a whole number from 1 to 100000: give the number of shards the batch is split into (at least 1)");
  });

  test('fails on a batch size of zero', () => {
    expectError({ batchSize: 0 },
      "[test/batch] 'batchSize' (0) must be a whole number of at least 1: give the number of items per inference batch (at least 1)");
  });

  test('fails on a negative backoff limit', () => {
    expectError({ backoffLimit: -1 },
      "[test/batch] 'backoffLimit' (-1) must be a whole number from 0 to 2147483647: " +
      'give how many failed pods the Job tolerates (0: fail on the first failure)');
  });

  test('fails on durations of zero or fractions of a second', () => {
    expectError({ ttlAfterFinished: Duration.seconds(0) },
      "[test/batch] 'ttlAfterFinished' (\"0s\") must be a whole number of seconds, at least 1: " +
      'give how long a finished Job is kept, e.g. Duration.days(1)');
    expectError({ activeDeadline: Duration.millis(1500) },
      "[test/batch] 'activeDeadline' (\"1.5s\") must be a whole number of seconds, at least 1: " +
      'give the longest a Job may run, e.g. Duration.hours(24)');
    expectError({ queue: sqs(), maxReplicaCount: 1, pollingInterval: Duration.seconds(0) },
      "[test/batch] 'pollingInterval' (\"0s\") must be a whole number of seconds, at least 1: " +
      'give how often KEDA reads the queue, e.g. Duration.seconds(30)');
  });

  test('fails on a GPU count of zero', () => {
    expectError({ gpu: GpuRequest.of(0) },
      "[test/batch] 'gpu.gpus' (0) must be a whole number from 1 to 64: " +
      'request whole GPUs (1 or more); to share a GPU use time-slicing or MIG profiles in the device plugin');
  });

  test('fails on the root user', () => {
    expectError({ runAsUser: 0 },
      "[test/batch] 'runAsUser' (0) must be a whole number from 1 to 2147483647: " +
      'the restricted Pod Security profile forbids root (0): give a non-root UID');
  });

  test('fails on exit code 0 as non-retriable', () => {
    expectError({ nonRetriableExitCodes: [1, 0] },
      "[test/batch] 'nonRetriableExitCodes[1]' (0) must be a whole number from 1 to 255: " +
      'give exit codes from 1 to 255 (0 is success and never fails a pod)');
  });

  test('fails on an empty input or output location', () => {
    expectError({ inputLocation: '' },
      "[test/batch] 'inputLocation' (\"\") is empty: give a location such as \"s3://bucket/prefix/\", or leave it out");
    expectError({ outputLocation: ' ' },
      "[test/batch] 'outputLocation' (\" \") is empty: give a location such as \"s3://bucket/prefix/\", or leave it out");
  });

  test('fails on zero CPU or memory', () => {
    expectError({ cpu: kplus.Cpu.millis(0) }, "[test/batch] 'cpu' (\"0m\") must be a CPU amount above zero and at most 100000 cores, in whole millicores: give the CPU each pod needs, e.g. Cpu.units(2)");
    expectError({ memory: Size.mebibytes(0) },
      "[test/batch] 'memory' (0Mi) must be a size of at least 1 MiB in whole mebibytes: give a size in whole mebibytes or larger units, e.g. Size.gibibytes(8)");
  });

  test('fails on shared memory that fills the memory limit', () => {
    expectError({ memory: Size.gibibytes(2), sharedMemorySize: Size.gibibytes(2) },
      "[test/batch] 'sharedMemorySize' (\"2048Mi\") is not below 'memory' (2048Mi), and /dev/shm counts against the memory limit: " +
      'lower sharedMemorySize or raise memory');
  });

  test('fails on an environment variable the construct sets', () => {
    expectError({ env: { BATCH_SIZE: '64' } }, "[test/batch] 'env.BATCH_SIZE' (\"64\") is set from 'batchSize': give batchSize instead");
    expectError({ env: { JOB_COMPLETION_INDEX: '0' } },
      "[test/batch] 'env.JOB_COMPLETION_INDEX' (\"0\") is set by the Job controller for each pod: remove it");
  });

  test('fails on queue settings without a queue', () => {
    expectError({ maxReplicaCount: 5 },
      "[test/batch] 'maxReplicaCount' (5) only applies with 'queue': remove it, or give a queue to run queue-driven Jobs");
    expectError({ pollingInterval: Duration.seconds(15) },
      "[test/batch] 'pollingInterval' (\"15s\") only applies with 'queue': remove it, or give a queue to run queue-driven Jobs");
    expectError({ scalingStrategy: JobScalingStrategy.EAGER },
      "[test/batch] 'scalingStrategy' (\"eager\") only applies with 'queue': remove it, or give a queue to run queue-driven Jobs");
  });

  test('fails on parallelism or completions with a queue', () => {
    expectError({ queue: sqs(), maxReplicaCount: 5, parallelism: 4 },
      "[test/batch] 'parallelism' (4) does not apply with 'queue': each queue-driven Job runs one pod: " +
      'remove it, and set how many Jobs run at once with maxReplicaCount');
    expectError({ queue: sqs(), maxReplicaCount: 5, completions: 10 },
      "[test/batch] 'completions' (10) does not apply with 'queue': each queue-driven Job runs one pod: " +
      'remove it, and set how many Jobs run at once with maxReplicaCount');
  });

  test('fails on a queue without maxReplicaCount', () => {
    expectError({ queue: sqs() },
      "[test/batch] 'maxReplicaCount' (undefined) is required with 'queue': give the most Jobs KEDA may run at once, e.g. maxReplicaCount: 10");
  });

  test('fails on a maxReplicaCount of zero', () => {
    expectError({ queue: sqs(), maxReplicaCount: 0 },
      "[test/batch] 'maxReplicaCount' (0) must be a whole number from 1 to 10000: give the most Jobs KEDA may run at once (at least 1)");
  });

  test('fails on a negative history limit', () => {
    expectError({ queue: sqs(), maxReplicaCount: 1, failedJobsHistoryLimit: -1 },
      "[test/batch] 'failedJobsHistoryLimit' (-1) must be a whole number from 0 to 10000: give how many finished Jobs KEDA keeps (0: none)");
  });

  test('fails on an SQS queue without credentials', () => {
    expectError({ queue: QueueTrigger.sqs(SQS_URL, { region: 'us-west-2' }), maxReplicaCount: 5 },
      "[test/batch] 'queue.credentials' (undefined) is required by the aws-sqs-queue scaler: " +
      'give credentials: aws pod identity, or a Secret with awsAccessKeyID + awsSecretAccessKey, or a Secret with awsRoleArn');
  });

  test('fails on SQS credentials from a Secret that lacks the secret access key', () => {
    const credentials = TriggerCredentials.fromSecret('aws-keys', { awsAccessKeyID: 'id' });
    expectError({ queue: QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials }), maxReplicaCount: 5 },
      "[test/batch] 'queue.credentials' ([\"awsAccessKeyID\"]) do not include what the aws-sqs-queue scaler needs: " +
      'give aws pod identity, or a Secret with awsAccessKeyID + awsSecretAccessKey, or a Secret with awsRoleArn');
  });

  test('fails on a RabbitMQ queue without its host', () => {
    expectError({ queue: QueueTrigger.rabbitMq('jobs', {}), maxReplicaCount: 5 },
      "[test/batch] 'queue.credentials' (undefined) is required by the rabbitmq scaler: give credentials: a Secret with host");
    const credentials = TriggerCredentials.fromSecret('rabbitmq', { password: 'pw' });
    expectError({ queue: QueueTrigger.rabbitMq('jobs', { credentials }), maxReplicaCount: 5 },
      "[test/batch] 'queue.credentials' ([\"password\"]) do not include what the rabbitmq scaler needs: give a Secret with host");
  });

  test('fails on a queue trigger with no messages per job', () => {
    expect(() => QueueTrigger.redisList('redis:6379', 'jobs', { messagesPerReplica: 0 })).toThrow(
      "[QueueTrigger.redisList] 'messagesPerReplica' (0) must be a whole number at least 1: give the whole number of messages one replica or job handles");
  });

  test('fails when the props are missing, as a JSON caller may pass them', () => {
    expect(() => new BatchInferenceJob(newChart(), 'batch', null as unknown as BatchInferenceJobProps)).toThrow(new Error(
      "[test/batch] 'props' (null) must be an object of named fields, not null: " +
      "give { image } and the batch settings, e.g. { image: 'example/embedder:1.4.0', parallelism: 8 }"));
  });

  test('fails when the image is not an image reference', () => {
    expectError({ image: 'Example/Embedder:1.4' }, "[test/batch] 'image' (\"Example/Embedder:1.4\") is not an image reference " +
      "(lowercase repository path, an optional :tag of letters, digits, '_', '.' and '-', an optional @digest): " +
      'give an image reference such as "vllm/vllm-openai:v0.12.0" or "registry.example.com/team/model@sha256:<64 hex digits>"');
  });

  test('fails when gpu is a number instead of a GpuRequest', () => {
    expectError({ gpu: 1 as unknown as GpuRequest }, "[test/batch] 'gpu' (1) must be a GpuRequest (made by its static methods), not a number: " +
      'give GpuRequest.of(gpus), e.g. GpuRequest.of(1, { gpuProduct: GpuProduct.L4 })');
  });

  test('fails when queue is not a QueueTrigger', () => {
    expectError({ queue: 'sqs' as unknown as QueueTrigger, maxReplicaCount: 5 },
      "[test/batch] 'queue' (\"sqs\") must be a QueueTrigger (made by its static methods), not a string: " +
      'give a QueueTrigger, e.g. QueueTrigger.sqs(url, { region, credentials })');
  });

  test('fails when scalingStrategy is not a KEDA scaling strategy', () => {
    expectError({ queue: QueueTrigger.redisList('redis:6379', 'jobs'), maxReplicaCount: 5, scalingStrategy: 'Eager' as JobScalingStrategy },
      "[test/batch] 'scalingStrategy' (\"Eager\") must be one of \"default\", \"accurate\", \"eager\": " +
      'use a JobScalingStrategy, e.g. JobScalingStrategy.DEFAULT, or leave it unset');
  });

  test('fails when a duration is a number of seconds instead of a Duration', () => {
    expectError({ activeDeadline: 3600 as unknown as Duration },
      "[test/batch] 'activeDeadline' (3600) must be a Duration (e.g. Duration.seconds(30)), not a number: " +
      'give a whole number of seconds, e.g. Duration.hours(1)');
  });

  test('fails when the CPU is finer than a millicore', () => {
    expectError({ cpu: kplus.Cpu.millis(0.5) }, "[test/batch] 'cpu' (\"0.5m\") must be a CPU amount above zero and at most 100000 cores, in whole millicores: give the CPU each pod needs, e.g. Cpu.units(2)");
  });

  test('fails when a location holds a line break', () => {
    expectError({ inputLocation: 's3://bucket/in\n' }, "[test/batch] 'inputLocation' (\"s3://bucket/in\\n\") must not contain line breaks or control characters: " +
      'give a location such as "s3://bucket/prefix/", or leave it out');
  });

  test('fails when an env var name is not one Kubernetes accepts', () => {
    expectError({ env: { '1X': 'a' } }, "[test/batch] 'env' (\"1X\") has a name that is not an environment variable name: " +
      "name variables with letters, digits, '_', '-' and '.', not starting with a digit, e.g. HF_HOME");
  });

  test('fails when the image is missing, as a JSON caller may leave it out', () => {
    expectError({ image: undefined }, "[test/batch] 'image' (undefined) is required: give the worker image, pinned to a tag or digest, e.g. 'example/embedder:1.4.0'");
  });
});

describe('BatchInferenceJob queueName (Kueue)', () => {
  test('labels the Job, which Kueue\'s webhook creates suspended (the manifest leaves suspend unset)', () => {
    const { job } = fixed({ queueName: 'batch', parallelism: 4, completions: 16 });
    expect(job.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'batch' });
    expect(job.spec.suspend).toBeUndefined();
  });

  test('labels the ScaledJob, whose labels KEDA copies to each Job', () => {
    expect(queued({ queueName: 'batch' }).scaledJob.metadata.labels).toEqual({ 'kueue.x-k8s.io/queue-name': 'batch' });
  });

  test('fails on a name that is not a LocalQueue name', () => {
    expectError({ queueName: 'Batch_Q' }, "[test/batch] 'queueName' (\"Batch_Q\") is not a LocalQueue name (a DNS-1123 subdomain of at most 63 characters): " +
      'give the name of a LocalQueue in the workload\'s namespace (KueueQueues names them after the team), e.g. "research"');
  });
});
