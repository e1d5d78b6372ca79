import { Chart } from 'cdk8s';
import {
  AwsIdentityOwner, BatchInferenceJob, GpuRequest, InferenceAutoscaler, QueueTrigger, ScalingEngine, ScalingMetric, TriggerCredentials,
} from '../../src';
import { cronExpressionProblem } from '../../src/common/cron';
import { expectConformant } from '../conformance';
import { KEDA_CHECK } from '../conformance/operators/keda';
import { newChart } from '../util';

const SQS_URL = 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs';

/** A queue-driven BatchInferenceJob on this queue. */
function batch(queue: QueueTrigger, chart: Chart = newChart({ namespace: 'batch' })) {
  new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.4.0', queue, maxReplicaCount: 4 });
  return chart;
}

/** An InferenceAutoscaler on the KEDA engine with these metrics. */
function autoscaler(metrics: ScalingMetric[], chart: Chart = newChart({ namespace: 'serving' })) {
  new InferenceAutoscaler(chart, 'chat', {
    name: 'chat', modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1) }, maxReplicas: 8, metrics, engine: ScalingEngine.keda(),
  });
  return chart;
}

describe('defect 2: Redis TLS in one place only', () => {
  const queue = () => QueueTrigger.redisList('redis:6379', 'jobs', {
    tls: true, credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password', tls: 'redis-tls' }),
  });

  test('fails when tls is set on the trigger and the credentials give tls too', () => {
    expect(() => batch(queue())).toThrow(
      "[test/embed] 'queue.tls' (true) is set while the credentials (Secret redis-auth) also give the 'tls' parameter, and KEDA's redis scaler " +
      'refuses TLS set in both the trigger and the TriggerAuthentication: remove tls: true (the Secret\'s tls key, "enable" or "disable", decides), ' +
      'or remove tls from the credentials\' parameters');
    expect(() => autoscaler([ScalingMetric.fromQueue(queue())])).toThrow("[test/chat] 'metrics[0].queue.tls' (true) is set while the credentials");
  });

  test('TLS in either place alone is conformant', () => {
    expectConformant(batch(QueueTrigger.redisList('redis:6379', 'jobs', { tls: true, credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'p' }) })));
    expectConformant(batch(QueueTrigger.redisList('redis:6379', 'jobs', { credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'p', tls: 't' }) })));
  });

  test('the output the library wrote before is what KEDA refuses', () => {
    // What redisList with both wrote until now: enableTLS in the trigger, tls in the TriggerAuthentication.
    const old = [
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'TriggerAuthentication',
        metadata: { name: 'a', namespace: 'batch' },
        spec: {
          secretTargetRef: [
            { parameter: 'password', name: 'redis-auth', key: 'redis-password' }, { parameter: 'tls', name: 'redis-auth', key: 'redis-tls' },
          ],
        },
      },
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledJob',
        metadata: { name: 'j', namespace: 'batch' },
        spec: {
          jobTargetRef: { template: {} }, triggers: [{ type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', enableTLS: 'true', listLength: '5' }, authenticationRef: { name: 'a' } }],
        },
      },
    ];
    expect(KEDA_CHECK.check(old)).toEqual([expect.stringContaining('unable to set `tls` in both ScaledObject and TriggerAuthentication together')]);
  });
});

describe('defect 3: a cron window KEDA can load', () => {
  test('fails on a time zone the tz database does not have', () => {
    expect(() => ScalingMetric.cronWindow('0 8 * * 1-5', '0 20 * * 1-5', 4, { timeZone: 'Europe/Berln' })).toThrow(
      "[ScalingMetric.cronWindow] 'timeZone' (\"Europe/Berln\") is not a time zone of the tz database, so KEDA's cron trigger would fail on every poll: " +
      'give an IANA zone spelled as the tz database spells it, e.g. "Europe/Berlin" or "America/New_York"');
  });

  test('fails on a zone spelled in another case (Go matches tz names case-sensitively)', () => {
    expect(() => ScalingMetric.cronWindow('0 8 * * 1-5', '0 20 * * 1-5', 4, { timeZone: 'europe/berlin' })).toThrow(
      "[ScalingMetric.cronWindow] 'timeZone' (\"europe/berlin\") differs from the tz database name only in case, and KEDA (Go) matches names case-sensitively: write \"Europe/Berlin\"");
  });

  test('fails on cron fields KEDA\'s parser refuses', () => {
    expect(() => ScalingMetric.cronWindow('0 8 * * 7', '0 20 * * 5', 4)).toThrow(
      "[ScalingMetric.cronWindow] 'start' (\"0 8 * * 7\") has day of week '7', which is outside 0-6: write minute hour day-of-month month day-of-week");
    expect(() => ScalingMetric.cronWindow('0 8 * * 1', '0 25 * * 1', 4)).toThrow("'end' (\"0 25 * * 1\") has hour '25', which is outside 0-23");
    expect(() => ScalingMetric.cronWindow('0 8 * * L', '0 20 * * 1', 4)).toThrow("has day of week 'L', which is not a number or a name");
  });

  test('fails on a window that ends where it starts', () => {
    expect(() => ScalingMetric.cronWindow('0 8 * * *', '0 8 * * *', 4)).toThrow(
      "[ScalingMetric.cronWindow] 'end' (\"0 8 * * *\") is the same as 'start', which KEDA's cron scaler refuses");
  });

  test('the window the library wrote before fails KEDA at every poll', () => {
    const trigger = { type: 'cron', name: 'cron', metadata: { timezone: 'Europe/Berln', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '4' } };
    const so = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'x' }, minReplicaCount: 1, triggers: [trigger] } };
    expect(KEDA_CHECK.check([so])).toEqual([expect.stringContaining('timezone "Europe/Berln" is not in the tz database')]);
  });

  test('good windows are conformant', () => {
    expectConformant(autoscaler([ScalingMetric.vllmWaitingRequests(5),
      ScalingMetric.cronWindow('30 7 * * MON-FRI', '0 20 * * 1-5', 4, { timeZone: 'America/New_York', name: 'business_hours' }),
      ScalingMetric.cronWindow('*/30 0-6 1,15 * *', '0 7 * * *', 2, { name: 'nightly' })]));
  });

  test('the parser takes what robfig/cron v3 takes under KEDA\'s options', () => {
    expect(['0 8 * * 1-5', '*/15 * * * *', '0 8 1,15 * *', '30 7 * jan-mar MON-FRI', '0 0 * * ?', '5-59/10 * * * *'].filter(e => cronExpressionProblem(e))).toEqual([]);
    expect(['', '@daily', 'TZ=UTC 0 8 * * *', '0 0 8 * * *', '60 * * * *', '0 0 0 * *', '*/0 * * * *', '0 0 * * 5-1', '1-2-3 * * * *']
      .filter(e => !cronExpressionProblem(e))).toEqual([]);
  });
});

describe('defect 4: an AWS role only with KEDA as the identity owner', () => {
  const sqs = (options: { roleArn?: string; identityOwner?: AwsIdentityOwner }) =>
    QueueTrigger.sqs(SQS_URL, { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity(options) });

  test('fails on roleArn with identityOwner WORKLOAD', () => {
    expect(() => batch(sqs({ identityOwner: AwsIdentityOwner.WORKLOAD, roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' }))).toThrow(
      "[test/embed] 'queue.credentials.roleArn' (\"arn:aws:iam::123456789012:role/keda-sqs\") is set with identityOwner AwsIdentityOwner.WORKLOAD, " +
      "and KEDA's TriggerAuthentication webhook refuses a roleArn unless KEDA is the identity owner: remove roleArn (KEDA then assumes the role of " +
      "the workload's service account, from its eks.amazonaws.com/role-arn annotation), or set identityOwner: AwsIdentityOwner.KEDA to have KEDA assume roleArn");
  });

  test('fails on an empty roleArn', () => {
    expect(() => sqs({ roleArn: '' })).toThrow("[TriggerCredentials.awsPodIdentity] 'roleArn' (\"\") must not be empty");
  });

  test('roleArn with KEDA as the owner, and WORKLOAD without a role, are conformant', () => {
    expectConformant(batch(sqs({ roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' })));
    expectConformant(batch(sqs({ identityOwner: AwsIdentityOwner.WORKLOAD })));
  });

  test('fails on an empty Azure identityId', () => {
    expect(() => TriggerCredentials.azureWorkloadIdentity({ identityId: '' })).toThrow(
      "[TriggerCredentials.azureWorkloadIdentity] 'identityId' (\"\") must not be empty: give the managed identity's client ID, or leave identityId out");
  });
});

describe('scaler metadata refused at construction', () => {
  test('fails on an SQS URL without the account in its path', () => {
    expect(() => QueueTrigger.sqs('https://sqs.us-west-2.amazonaws.com/ml-jobs', { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() }))
      .toThrow("[QueueTrigger.sqs] 'queueUrl' (\"https://sqs.us-west-2.amazonaws.com/ml-jobs\") is a URL whose path is not /<account id>/<queue name>");
  });

  test('a bare SQS queue name is taken as the name', () => {
    expectConformant(batch(QueueTrigger.sqs('ml-jobs', { region: 'us-west-2', credentials: TriggerCredentials.awsPodIdentity() })));
  });

  test('fails on a Redis database index that is not a whole number', () => {
    expect(() => QueueTrigger.redisList('redis:6379', 'jobs', { databaseIndex: 1.5 })).toThrow(
      "[QueueTrigger.redisList] 'databaseIndex' (1.5) must be a whole number at least 0: give the Redis database number (0 is the default database)");
  });

  test('fails on RabbitMQ credentials with a username and no password', () => {
    expect(() => batch(QueueTrigger.rabbitMq('jobs', { credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'url', username: 'user' }) }))).toThrow(
      "[test/embed] 'queue.credentials' ([\"host\", \"username\"]) include 'username' without 'password', and KEDA's rabbitmq scaler takes them only together: " +
      'map both username and password to keys of the Secret, or neither');
  });

  test('fails on a client certificate without its key (Kafka, RabbitMQ)', () => {
    expect(() => batch(QueueTrigger.kafka('kafka:9092', 'g', 't', {
      credentials: TriggerCredentials.fromSecret('kafka', { tls: 'tls', ca: 'ca', cert: 'cert' }),
    }))).toThrow("include 'cert' without 'key', and KEDA's kafka scaler takes them only together");
    expect(() => batch(QueueTrigger.rabbitMq('jobs', { credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'url', key: 'key' }) }))).toThrow(
      "include 'key' without 'cert', and KEDA's rabbitmq scaler takes them only together");
  });
});

describe('free-form strings are checked against what KEDA and Kubernetes accept', () => {
  test('fails when an SQS queue name has characters SQS refuses', () => {
    expect(() => QueueTrigger.sqs('ml jobs', { region: 'us-west-2' })).toThrow(
      "[QueueTrigger.sqs] 'queueUrl' (\"ml jobs\") does not end in an SQS queue name (1 to 80 letters, digits, '-' and '_', or such a name ending in .fifo): "
      + 'give the queue URL as SQS shows it, e.g. https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs (or the bare queue name)');
  });

  test('fails when the AWS region is not a region code', () => {
    expect(() => QueueTrigger.sqs('ml-jobs', { region: 'US-WEST-2' })).toThrow(
      "[QueueTrigger.sqs] 'region' (\"US-WEST-2\") is not an AWS region code (lowercase, e.g. us-west-2): give the queue's AWS region code, e.g. \"us-west-2\"");
  });

  test('fails when a Kafka topic name is not one Kafka accepts', () => {
    expect(() => QueueTrigger.kafka('kafka:9092', 'g', 'jobs/v1')).toThrow(
      "[QueueTrigger.kafka] 'topic' (\"jobs/v1\") is not a Kafka topic name: give the topic's name: at most 249 letters, digits, '.', '_' and '-', as Kafka allows");
  });

  test('fails when a Kafka broker is not host:port', () => {
    expect(() => QueueTrigger.kafka('kafka-0:9092,kafka-1', 'g', 'jobs')).toThrow(
      "[QueueTrigger.kafka] 'bootstrapServers' (\"kafka-0:9092,kafka-1\") has \"kafka-1\", which is not host:port (a host name or address, a port from 1 to 65535): "
      + 'give the brokers as host:port, separated by commas, e.g. "kafka-0:9092,kafka-1:9092"');
  });

  test('fails when a Redis list or RabbitMQ queue name holds a line break', () => {
    expect(() => QueueTrigger.redisList('redis:6379', 'jobs\nx')).toThrow(
      "[QueueTrigger.redisList] 'listName' (\"jobs\\nx\") must not contain line breaks or control characters: give the name of the Redis list, e.g. \"jobs\"");
    expect(() => QueueTrigger.rabbitMq('', { credentials: TriggerCredentials.fromSecret('rabbitmq', { host: 'url' }) })).toThrow(
      "[QueueTrigger.rabbitMq] 'queueName' (\"\") must not be empty");
  });

  test('fails on an offsetResetPolicy outside the enum', () => {
    expect(() => QueueTrigger.kafka('kafka:9092', 'g', 'jobs', { offsetResetPolicy: 'newest' as any })).toThrow(
      "[QueueTrigger.kafka] 'offsetResetPolicy' (\"newest\") must be one of \"latest\", \"earliest\": use KafkaOffsetResetPolicy.LATEST or KafkaOffsetResetPolicy.EARLIEST");
  });

  test('fails when a Secret name or key is not one Kubernetes accepts', () => {
    expect(() => TriggerCredentials.fromSecret('Redis_Auth', { password: 'p' })).toThrow(
      "[TriggerCredentials.fromSecret] 'secretName' (\"Redis_Auth\") is not a DNS-1123 subdomain");
    expect(() => TriggerCredentials.fromSecret('redis-auth', { password: 'a/b' })).toThrow(
      "[TriggerCredentials.fromSecret] 'parameters.password' (\"a/b\") is not a key a Secret can have (at most 253 letters, digits, '-', '_' and '.')");
  });

  test('fails when a role ARN is not an IAM role ARN', () => {
    expect(() => TriggerCredentials.awsPodIdentity({ roleArn: 'keda-sqs' })).toThrow(
      "[TriggerCredentials.awsPodIdentity] 'roleArn' (\"keda-sqs\") is not an IAM role ARN: give the ARN of the role KEDA assumes, "
      + 'e.g. "arn:aws:iam::123456789012:role/keda-sqs", or leave roleArn out');
  });

  test('fails on the string "false" for a boolean option', () => {
    expect(() => QueueTrigger.redisList('redis:6379', 'jobs', { tls: 'false' as any })).toThrow(
      "[QueueTrigger.redisList] 'tls' (\"false\") must be true or false (a boolean), not a string");
  });
});
