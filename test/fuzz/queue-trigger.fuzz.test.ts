import * as fc from 'fast-check';
import { options, optional, orWrong, wholeNumber, wrongType } from './arbitraries-metrics';
import { fuzzTest, synthProblems } from './harness';
import {
  AwsIdentityOwner, BatchInferenceJob, GpuRequest, InferenceAutoscaler, KafkaOffsetResetPolicy, QueueTrigger, ScalingEngine, ScalingMetric,
  TriggerCredentials,
} from '../../src';

type Call = [string, ...any[]];

/** Free-form strings the triggers write into KEDA metadata or a TriggerAuthentication. */
function text(valid: string[], bad: string[] = []): fc.Arbitrary<any> {
  return orWrong(fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 10 },
    { arbitrary: fc.constantFrom('', ' ', 'a\nb', 'x'.repeat(300), ...bad), weight: 2 },
  ));
}

const credentials: fc.Arbitrary<any> = optional(fc.oneof(
  fc.tuple(fc.constant('awsPodIdentity'), options(fc.record({
    roleArn: optional(text(['arn:aws:iam::123456789012:role/keda-sqs'], ['role', 'arn:aws:iam::1:role/x y'])),
    identityOwner: optional(fc.constantFrom<any>(AwsIdentityOwner.KEDA, AwsIdentityOwner.WORKLOAD, 'Keda', 'operator')),
  }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('azureWorkloadIdentity'), options(fc.record({
    identityId: optional(text(['00000000-0000-0000-0000-000000000001'])),
  }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('gcpWorkloadIdentity')),
  fc.tuple(fc.constant('fromSecret'), text(['queue-auth', 'redis.auth'], ['Queue_Auth', '-x', 'a/b']),
    orWrong(fc.dictionary(
      fc.constantFrom('password', 'username', 'host', 'tls', 'ca', 'cert', 'key', 'awsAccessKeyID', 'awsSecretAccessKey', 'awsRoleArn', 'sasl', 'bogus', ''),
      orWrong(fc.constantFrom('password', 'tls.crt', 'user_name', 'bad key', '', 'a/b'), 20), { maxKeys: 4 }))),
));

const common = {
  messagesPerReplica: optional(wholeNumber(1, 100_000)),
  activationMessages: optional(wholeNumber(0, 100_000)),
  credentials,
};

const queue: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(fc.constant('sqs'),
    text(['https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs', 'ml-jobs', 'jobs.fifo'], ['https://sqs.amazonaws.com/ml-jobs', 'a"b', 'jobs queue']),
    orWrong(fc.record({
      region: orWrong(fc.constantFrom('us-west-2', 'eu-central-1', 'us-gov-west-1', '', 'US-WEST-2', 'west', 'us west 2'), 20),
      countInFlight: optional(fc.boolean()),
      ...common,
    }, { requiredKeys: ['region'] }), 20)),
  fc.tuple(fc.constant('redisList'), text(['redis.jobs.svc:6379', 'redis:6379', '10.0.0.1:6379'], ['redis', 'redis:0', 'redis:99999', 'a b:1']),
    text(['jobs', 'queue:embed'], ['a b']),
    options(fc.record({ databaseIndex: optional(wholeNumber(0, 15)), tls: optional(fc.boolean()), ...common }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('kafka'), text(['kafka:9092', 'kafka-0:9092,kafka-1:9092'], ['kafka', 'kafka:9092,', 'a b:1']),
    text(['embedders', 'g-1']), text(['jobs', 'jobs.v1', 'jobs_2'], ['a b', 'a/b', 'é']),
    options(fc.record({
      offsetResetPolicy: optional(fc.constantFrom<any>(KafkaOffsetResetPolicy.LATEST, KafkaOffsetResetPolicy.EARLIEST, 'Latest', 'newest')),
      ...common,
    }, { requiredKeys: [] }))),
  fc.tuple(fc.constant('rabbitMq'), text(['jobs', 'ml.jobs'], ['a\tb']),
    orWrong(fc.record({ vhost: optional(text(['/', 'ml'])), ...common }, { requiredKeys: [] }), 20)),
);

function creds(c: any): any {
  if (!Array.isArray(c) || typeof c[0] !== 'string') return c;
  const [factory, ...args] = c;
  return (TriggerCredentials as any)[factory](...args);
}

function make([factory, ...args]: Call): QueueTrigger {
  const last = args[args.length - 1];
  if (last !== null && typeof last === 'object' && !Array.isArray(last) && 'credentials' in last) {
    args[args.length - 1] = { ...last, credentials: creds(last.credentials) };
  }
  return (QueueTrigger as any)[factory](...args);
}

describe('QueueTrigger', () => {
  const input = fc.oneof(
    { arbitrary: fc.record({ via: fc.constantFrom('autoscaler', 'batch'), queue }), weight: 30 },
    { arbitrary: wrongType(), weight: 1 },
  );
  fuzzTest('QueueTrigger', input, (p: any) => synthProblems((chart) => {
    if (p === null || typeof p !== 'object' || !Array.isArray(p.queue)) {
      // A wrong type where the queue goes.
      ScalingMetric.fromQueue(p);
      return;
    }
    const q = make(p.queue);
    if (p.via === 'batch') {
      new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.4.0', queue: q, maxReplicaCount: 4 });
    } else {
      new InferenceAutoscaler(chart, 'chat', {
        modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) },
        maxReplicas: 8,
        metrics: [ScalingMetric.fromQueue(q)],
        engine: ScalingEngine.keda(),
      });
    }
  }));
});
