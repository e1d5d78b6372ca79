/**
 * One app per construct option that changes the KEDA output: each queue scaler the library offers, both scaling
 * engines of InferenceAutoscaler, BatchInferenceJob with and without a queue. Each must pass expectConformant, which
 * includes KEDA v2.20.2's webhook and scaler rules (operators/keda.ts).
 */
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectConformant } from '.';
import {
  AwsIdentityOwner, BatchInferenceJob, GpuRequest, InferenceAutoscaler, KafkaOffsetResetPolicy, QueueTrigger, ScalingEngine, ScalingMetric,
  TriggerCredentials,
} from '../../src';
import { newChart } from '../util';

const SQS_URL = 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs';

/** Every queue the library offers, each with credentials where the scaler reads them. */
const QUEUES: Record<string, () => QueueTrigger> = {
  'SQS with KEDA\'s pod identity and a role': () => QueueTrigger.sqs(SQS_URL, {
    region: 'us-west-2',
    countInFlight: false,
    activationMessages: 1,
    credentials: TriggerCredentials.awsPodIdentity({ roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' }),
  }),
  'SQS with the workload\'s identity': () => QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity({ identityOwner: AwsIdentityOwner.WORKLOAD }) }),
  'SQS with keys from a Secret': () => QueueTrigger.sqs(SQS_URL, {
    region: 'us-west-2', credentials: TriggerCredentials.fromSecret('sqs-keys', { awsAccessKeyID: 'id', awsSecretAccessKey: 'secret' }),
  }),
  'a Redis list without credentials': () => QueueTrigger.redisList('redis.queues.svc:6379', 'jobs'),
  'a Redis list with TLS and a password': () => QueueTrigger.redisList('redis.queues.svc:6379', 'jobs', {
    tls: true, databaseIndex: 2, messagesPerReplica: 20, credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password' }),
  }),
  'a Redis list with TLS from the Secret': () => QueueTrigger.redisList('redis.queues.svc:6379', 'jobs', {
    credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password', tls: 'tls', ca: 'ca.crt' }),
  }),
  'a Kafka topic': () => QueueTrigger.kafka('kafka-0.kafka:9092,kafka-1.kafka:9092', 'embedders', 'documents', {
    offsetResetPolicy: KafkaOffsetResetPolicy.EARLIEST, messagesPerReplica: 100, activationMessages: 10,
  }),
  'a Kafka topic with SASL': () => QueueTrigger.kafka('kafka:9092', 'embedders', 'documents', {
    credentials: TriggerCredentials.fromSecret('kafka-auth', { sasl: 'sasl', username: 'user', password: 'pass', tls: 'tls', ca: 'ca' }),
  }),
  'a RabbitMQ queue': () => QueueTrigger.rabbitMq('embed-jobs', { vhost: 'ml', credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'amqp-url' }) }),
  'a RabbitMQ queue with user and client certificate': () => QueueTrigger.rabbitMq('embed-jobs', {
    credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'amqp-url', username: 'u', password: 'p', tls: 't', cert: 'c', key: 'k' }),
  }),
};

describe.each(Object.entries(QUEUES))('%s', (_name, queue) => {
  test('scales an InferenceAutoscaler on the KEDA engine', () => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'worker', {
      name: 'worker',
      modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
      maxReplicas: 8,
      metrics: [ScalingMetric.fromQueue(queue()), ScalingMetric.waitingRequests(5)],
      engine: ScalingEngine.keda(),
    });
    const manifests = expectConformant(chart);
    expect(manifests.filter(m => m.kind === 'ScaledObject')).toHaveLength(1);
  });

  test('drives a BatchInferenceJob', () => {
    const chart = newChart({ namespace: 'batch' });
    new BatchInferenceJob(chart, 'embed', { name: 'embed', image: 'example/embedder:1.4.0', queue: queue(), maxReplicaCount: 10 });
    const manifests = expectConformant(chart);
    expect(manifests.filter(m => m.kind === 'ScaledJob')).toHaveLength(1);
  });
});

describe('both engines of InferenceAutoscaler', () => {
  const server = { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1), cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) };
  const metrics = () => [ScalingMetric.requestsPerSecond(10), ScalingMetric.gpuUtilization(70), ScalingMetric.cpuUtilization(80)];

  test.each([
    ['the HPA engine', ScalingEngine.hpa()],
    ['the KEDA engine', ScalingEngine.keda()],
    ['KEDA with scale to zero', ScalingEngine.keda({ scaleToZero: true, cooldownPeriod: Duration.minutes(10) })],
    ['KEDA without fallback', ScalingEngine.keda({ fallback: false, pollingInterval: Duration.seconds(30) })],
    ['KEDA with a composite metric', ScalingEngine.keda({ compositeMetric: { formula: 'request_rate / 10 + gpu_utilization / 70', target: 1 } })],
  ])('%s is conformant', (_name, engine) => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: server, maxReplicas: 12, metrics: metrics(), engine });
    const kinds = expectConformant(chart).map(m => m.kind);
    expect(kinds).toContain(engine.isKeda ? 'ScaledObject' : 'HorizontalPodAutoscaler');
  });

  test('KEDA with cron windows and only CPU besides them', () => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'chat', {
      name: 'chat',
      modelServer: server,
      maxReplicas: 12,
      engine: ScalingEngine.keda(),
      metrics: [ScalingMetric.cpuUtilization(70), ScalingMetric.cronWindow('0 8 * * 1-5', '0 20 * * 1-5', 6, { timeZone: 'Europe/Berlin', name: 'business_hours' })],
    });
    expectConformant(chart);
  });

  test('KEDA with only CPU and memory', () => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: server, maxReplicas: 12, engine: ScalingEngine.keda(), metrics: [ScalingMetric.cpuUtilization(70), ScalingMetric.memoryUtilization(80)] });
    expectConformant(chart);
  });

  test('the HPA engine on an External metric served by prometheus-adapter', () => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: server, maxReplicas: 12, metrics: [ScalingMetric.external('sqs_messages_visible', 5, { matchLabels: { queue: 'jobs' } })] });
    expectConformant(chart);
  });
});

test('BatchInferenceJob without a queue is a plain Job', () => {
  const chart = newChart({ namespace: 'batch' });
  new BatchInferenceJob(chart, 'embed', { name: 'embed', image: 'example/embedder:1.4.0', parallelism: 4, completions: 16 });
  expect(expectConformant(chart).map(m => m.kind)).toEqual(['Job']);
});
