import { validateManifests } from '..';
import { OPERATOR_CHECKS } from './index';
import { KEDA_CHECK } from './keda';
import { cronSpecProblem, goLoadsLocation } from './keda-scalers';
import { formulaIdentifiers } from './keda-webhooks';

const NS = 'serving';

function deployment(name = 'chat'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'server', image: 'x/y:1', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '1Gi' } } }] },
      },
    },
  };
}

const prometheusTrigger = (name = 'request_rate'): any => ({
  type: 'prometheus',
  name,
  metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(scaling:request_rate{scaling_target="chat"})', threshold: '10', ignoreNullValues: 'false' },
});

function scaledObject(name = 'chat', triggers: any[] = [prometheusTrigger()], spec: any = {}): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace: NS },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' },
      minReplicaCount: 2,
      maxReplicaCount: 10,
      fallback: { failureThreshold: 3, replicas: 2, behavior: 'currentReplicasIfHigher' },
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] } } } },
      triggers,
      ...spec,
    },
  };
}

function auth(name: string, spec: any): any {
  return { apiVersion: 'keda.sh/v1alpha1', kind: 'TriggerAuthentication', metadata: { name, namespace: NS }, spec };
}

const secret = (...params: string[]) => ({ secretTargetRef: params.map(parameter => ({ parameter, name: 'creds', key: parameter })) });

function scaledJob(triggers: any[], name = 'batch'): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name, namespace: NS },
    spec: { jobTargetRef: { template: { spec: { containers: [{ name: 'w', image: 'x/w:1' }], restartPolicy: 'Never' } } }, maxReplicaCount: 5, triggers },
  };
}

/** A trigger of each scaler the library uses, each valid. */
const VALID_TRIGGERS: Record<string, any> = {
  prometheus: prometheusTrigger(),
  cron: { type: 'cron', name: 'business_hours', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 20 * * 1-5', desiredReplicas: '4' } },
  sqs: {
    type: 'aws-sqs-queue',
    name: 'jobs',
    authenticationRef: { name: 'aws' },
    metadata: { queueURL: 'https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs', awsRegion: 'us-west-2', queueLength: '5' },
  },
  redis: { type: 'redis', name: 'list', authenticationRef: { name: 'redis' }, metadata: { address: 'redis:6379', listName: 'jobs', listLength: '5', enableTLS: 'true' } },
  redisStreams: { type: 'redis-streams', name: 'stream', metadata: { address: 'redis:6379', stream: 'jobs', consumerGroup: 'workers', pendingEntriesCount: '10' } },
  kafka: {
    type: 'kafka',
    name: 'lag',
    authenticationRef: { name: 'kafka' },
    metadata: { bootstrapServers: 'kafka:9092', consumerGroup: 'workers', topic: 'jobs', lagThreshold: '5', offsetResetPolicy: 'earliest' },
  },
  rabbitmq: { type: 'rabbitmq', name: 'queue', authenticationRef: { name: 'rabbit' }, metadata: { queueName: 'jobs', mode: 'QueueLength', value: '5' } },
};

function app(triggers: any[] = Object.values(VALID_TRIGGERS), spec: any = {}): any[] {
  return [
    deployment(),
    auth('aws', { podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/keda' } }),
    auth('redis', secret('password')),
    auth('kafka', secret('sasl', 'username', 'password')),
    auth('rabbit', secret('host')),
    scaledObject('chat', triggers, spec),
  ];
}

const check = (objects: any[]) => KEDA_CHECK.check(objects);

/** Replaces the metadata of one of the valid triggers. */
function withMetadata(trigger: string, metadata: Record<string, string | undefined>, extra: any = {}): any[] {
  const t = structuredClone(VALID_TRIGGERS[trigger]);
  for (const [k, v] of Object.entries(metadata)) {
    if (v === undefined) delete t.metadata[k];
    else t.metadata[k] = v;
  }
  return app([{ ...t, ...extra }]);
}

describe('KEDA v2.20.2 conformance', () => {
  test('is registered with the operator checks, so every expectConformant runs it', () => {
    expect(OPERATOR_CHECKS).toContain(KEDA_CHECK);
    const objects = app();
    objects[5].spec.idleReplicaCount = 2;
    expect(validateManifests(objects).errors).toContain('ScaledObject/chat: spec.idleReplicaCount: IdleReplicaCount=2 must be less than MinReplicaCount=2');
  });

  test('a valid app with every scaler the library uses has no finding', () => {
    expect(check(app())).toEqual([]);
    expect(check([deployment(), auth('redis', secret('password')), scaledJob([VALID_TRIGGERS.redis])])).toEqual([]);
  });

  // Each case breaks one rule of a valid app; the finding must name it.
  const cases: [string, () => any[], string][] = [
    // ScaledObject webhook (apis/keda/v1alpha1/scaledobject_webhook.go, scaledobject_types.go)
    ['name longer than 63', () => [scaledObject('x'.repeat(64))], 'must be no more than 63 characters because it is used as the "scaledobject.keda.sh/name" label value'],
    ['derived HPA name longer than 63', () => [scaledObject('x'.repeat(55))], 'HPA name "keda-hpa-xxxxx'],
    // (minReplicaCount above maxReplicaCount is the CRD's CEL rule, reported by the CEL check; this is what CEL lets through)
    ['minReplicaCount 0, read as 1, above maxReplicaCount 0', () => app(undefined, { minReplicaCount: 0, maxReplicaCount: 0, fallback: undefined }),
      'MinReplicaCount=1 must be less than MaxReplicaCount=0 (KEDA reads a minReplicaCount of 0 as 1)'],
    ['idleReplicaCount not below minReplicaCount', () => app(undefined, { idleReplicaCount: 2 }), 'IdleReplicaCount=2 must be less than MinReplicaCount=2'],
    ['idleReplicaCount 0 with minReplicaCount unset', () => app(undefined, { idleReplicaCount: 0, minReplicaCount: undefined }), 'IdleReplicaCount=0 must be less than MinReplicaCount=0 (minReplicaCount is unset'],
    ['no triggers', () => app([]), 'spec.triggers: no triggers defined in the ScaledObject'],
    ['duplicate trigger names', () => app([prometheusTrigger('a'), { ...VALID_TRIGGERS.cron, name: 'a' }]), 'triggerName "a" is defined multiple times'],
    ['useCachedMetrics on cron', () => app([{ ...VALID_TRIGGERS.cron, useCachedMetrics: true }]), 'property "useCachedMetrics" is not supported for "cron" scaler'],
    ['fallback with only cpu/memory triggers', () => app([{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }]),
      'at least one trigger (that is not cpu or memory) has to have the `AverageValue` type for the fallback to be enabled'],
    ['negative fallback replicas', () => app(undefined, { fallback: { failureThreshold: 3, replicas: -1 } }), 'FailureThreshold=3 & Replicas=-1 must both be greater than or equal to 0'],
    ['fallback behavior scalingModifiers without a formula', () => app(undefined, { fallback: { failureThreshold: 3, replicas: 2, behavior: 'scalingModifiers' } }),
      'scalingModifiers fallback behavior requires scalingModifiers.formula to be defined'],
    ['scalingModifiers without a formula', () => app(undefined, { advanced: { scalingModifiers: { target: '5' } } }), 'error ScalingModifiers.Formula is mandatory'],
    ['scalingModifiers formula without a target', () => app(undefined, { advanced: { scalingModifiers: { formula: 'request_rate' } } }), 'formula is given but target is empty'],
    ['scalingModifiers target not above 0', () => app(undefined, { advanced: { scalingModifiers: { formula: 'request_rate', target: '0' } } }), 'to valid target: "0"'],
    ['scalingModifiers metricType Utilization', () => app(undefined, { advanced: { scalingModifiers: { formula: 'request_rate', target: '5', metricType: 'Utilization' } } }),
      'error trigger type is Utilization'],
    ['scalingModifiers formula naming an unknown trigger', () => app(undefined, { advanced: { scalingModifiers: { formula: 'request_rate + backlog', target: '5' } } }), 'unknown name backlog'],
    ['scalingModifiers formula naming a cpu trigger', () => app([prometheusTrigger(), { type: 'cpu', name: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }],
      { advanced: { scalingModifiers: { formula: 'max(request_rate, cpu)', target: '5' } } }), 'unknown name cpu'],
    ['cpu trigger on a container without a cpu request', () => {
      const objects = app([prometheusTrigger(), { type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }]);
      delete objects[0].spec.template.spec.containers[0].resources.requests.cpu;
      return objects;
    }, 'the scaledobject has a cpu trigger but the container server doesn\'t have the cpu request defined'],
    ['only cpu/memory triggers and minReplicaCount 0', () => app([{ type: 'memory', metricType: 'AverageValue', metadata: { value: '1Gi' } }], { minReplicaCount: 0, fallback: undefined }),
      'scaledobject has only cpu/memory triggers AND minReplica is 0'],
    ['HPA behavior with empty policies', () => app(undefined, { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { selectPolicy: 'Disabled', policies: [] } } } } }),
      'scaleDown.policies: must specify at least one Policy'],
    ['HPA behavior stabilization window above 3600', () => app(undefined, { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { stabilizationWindowSeconds: 3601 } } } } }),
      '3601 must be within [0, 3600]'],
    ['HPA behavior policy period above 1800', () => app(undefined, { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } } } }),
      'periodSeconds: must be greater than zero and less than or equal to 1800'],
    ['HPA behavior selectPolicy outside the enum', () => app(undefined, { advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleUp: { selectPolicy: 'Off' } } } } }),
      'Unsupported value "Off"'],
    ['paused-replicas annotation not an int', () => {
      const objects = app();
      objects[5].metadata.annotations = { 'autoscaling.keda.sh/paused-replicas': 'two' };
      return objects;
    }, '"two" is not an int32'],
    ['paused annotation not a boolean', () => {
      const objects = app();
      objects[5].metadata.annotations = { 'autoscaling.keda.sh/paused': 'yes' };
      return objects;
    }, '"yes" is not a boolean, and KEDA reads it as true'],
    ['two ScaledObjects on one workload', () => [...app(), scaledObject('chat-2')], 'the workload \'chat\' of type \'apps/Deployment\' is already managed by the ScaledObject \'chat\''],
    ['two ScaledObjects naming one HPA', () => {
      const a = scaledObject('a', [prometheusTrigger()], { advanced: { horizontalPodAutoscalerConfig: { name: 'shared' } } });
      const b = scaledObject('b', [prometheusTrigger()], { advanced: { horizontalPodAutoscalerConfig: { name: 'shared' } }, scaleTargetRef: { name: 'other' } });
      return [deployment(), a, b];
    }, 'the HPA \'shared\' is already managed by the ScaledObject \'a\''],
    ['an HPA already on the workload', () => [...app(), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'chat', namespace: NS },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, maxReplicas: 4 },
    }], 'the workload \'chat\' of type \'apps/Deployment\' is already managed by the hpa \'chat\''],
    ['HPA ownership transfer without the HPA name', () => {
      const objects = [...app(), {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'chat', namespace: NS },
        spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, maxReplicas: 4 },
      }];
      objects[5].metadata.annotations = { 'scaledobject.keda.sh/transfer-hpa-ownership': 'true' };
      return objects;
    }, 'must be specified by name in advanced settings to enable ownership transfer'],
    // ScaledJob (scaledjob_webhook.go, scaledjob_controller.go)
    ['ScaledJob trigger with metricType', () => [scaledJob([{ ...VALID_TRIGGERS.redisStreams, metricType: 'AverageValue' }])], 'metricType is set in one of the ScaledJob scaler'],
    ['ScaledJob without triggers', () => [scaledJob([])], 'ScaledJob/batch: spec.triggers: no triggers defined in the ScaledJob'],
    ['ScaledJob without jobTargetRef', () => {
      const sj = scaledJob([VALID_TRIGGERS.redisStreams]);
      delete sj.spec.jobTargetRef;
      return [sj];
    }, 'ScaledJob.spec.jobTargetRef not found'],
    // TriggerAuthentication webhook (triggerauthentication_webhook.go)
    ['aws roleArn with identityOwner workload', () => [auth('a', { podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::1:role/r', identityOwner: 'workload' } })],
      'TriggerAuthentication/a: spec.podIdentity.roleArn: roleArn of PodIdentity can\'t be set if KEDA isn\'t identityOwner'],
    ['aws externalID without roleArn', () => [auth('a', { podIdentity: { provider: 'aws', externalID: 'x' } })], 'externalID of PodIdentity requires roleArn to be set'],
    ['azure identityId empty', () => [auth('a', { podIdentity: { provider: 'azure-workload', identityId: '' } })], 'identityId of PodIdentity should not be empty'],
    ['azure identityAuthorityHost without tenant', () => [auth('a', { podIdentity: { provider: 'azure-workload', identityAuthorityHost: 'https://login' } })],
      'identityTenantID of PodIdentity should not be nil or empty when identityAuthorityHost'],
    ['ClusterTriggerAuthentication checked as well', () => [{ ...auth('a', { podIdentity: { provider: 'aws', roleArn: 'arn:aws:iam::1:role/r', identityOwner: 'workload' } }), kind: 'ClusterTriggerAuthentication' }],
      'ClusterTriggerAuthentication/a: spec.podIdentity.roleArn'],
    ['oauth2 type other than clientCredentials', () => [auth('a', { oauth2: { type: 'password', clientId: 'c', tokenUrl: 'https://t' } })], 'oauth2.type must be \'clientCredentials\''],
    ['oauth2 without clientId', () => [auth('a', { oauth2: { type: 'clientCredentials', tokenUrl: 'https://t' } })], 'oauth2.clientId is required'],
    ['oauth2 tokenUrl not http(s)', () => [auth('a', { oauth2: { type: 'clientCredentials', clientId: 'c', tokenUrl: 'ftp://t' } })], 'oauth2.tokenUrl must be a valid http or https URL'],
    ['authenticationRef to a TriggerAuthentication not in the app', () => withMetadata('redis', {}, { authenticationRef: { name: 'missing' } }), 'TriggerAuthentication \'missing\' is not in the app'],
    // Every scaler: pkg/scalers/scaler.go GetMetricTargetType()
    ['Utilization on an external scaler', () => withMetadata('prometheus', {}, { metricType: 'Utilization' }), '\'Utilization\' metric type is unsupported for external metrics'],
    // prometheus
    ['prometheus without serverAddress', () => withMetadata('prometheus', { serverAddress: undefined }), 'missing required parameter "serverAddress"'],
    ['prometheus without query', () => withMetadata('prometheus', { query: '' }), 'missing required parameter "query"'],
    ['prometheus threshold not a number', () => withMetadata('prometheus', { threshold: '10m' }), 'threshold: unable to unmarshal "10m" to field type float64'],
    ['prometheus ignoreNullValues not a boolean', () => withMetadata('prometheus', { ignoreNullValues: 'no' }), 'unable to parse boolean value "no"'],
    ['prometheus timeout not a duration', () => withMetadata('prometheus', { timeout: '5 minutes' }), 'unable to parse duration value "5 minutes"'],
    ['prometheus authModes outside the enum', () => withMetadata('prometheus', { authModes: 'token' }), 'parameter "authModes" value "token" must be one of'],
    ['prometheus authModes bearer and basic together', () => withMetadata('prometheus', { authModes: 'bearer,basic' }), 'must contain only one of [bearer basic oauth]'],
    ['prometheus bearer auth without a token', () => withMetadata('prometheus', { authModes: 'bearer' }), 'bearerToken required when bearer auth is enabled'],
    ['prometheus auth with a pod identity', () => {
      const objects = withMetadata('prometheus', { authModes: 'bearer' }, { authenticationRef: { name: 'aws' } });
      return objects;
    }, 'pod identity cannot be enabled with other auth types'],
    // cron
    ['cron timezone not in the tz database', () => withMetadata('cron', { timezone: 'Europe/Berln' }), 'timezone "Europe/Berln" is not in the tz database'],
    ['cron timezone in the wrong case', () => withMetadata('cron', { timezone: 'europe/berlin' }), 'timezone "europe/berlin" is not in the tz database'],
    ['cron start with a seconds field', () => withMetadata('cron', { start: '0 0 8 * * 1-5' }), 'error parsing start schedule: expected exactly 5 fields, found 6'],
    ['cron end as a descriptor', () => withMetadata('cron', { end: '@daily' }), 'error parsing end schedule: parser does not accept descriptors'],
    ['cron day of week 7', () => withMetadata('cron', { start: '0 8 * * 7' }), 'end of range (7) above maximum (6)'],
    ['cron start equal to end', () => withMetadata('cron', { end: '0 8 * * 1-5' }), 'start and end can not have exactly same time input'],
    ['cron desiredReplicas 0', () => withMetadata('cron', { desiredReplicas: '0' }), 'no desiredReplicas specified'],
    ['cron desiredReplicas not an integer', () => withMetadata('cron', { desiredReplicas: '2.5' }), 'unable to unmarshal "2.5" to field type int64'],
    ['cron without timezone', () => withMetadata('cron', { timezone: undefined }), 'missing required parameter "timezone"'],
    // cpu / memory
    ['cpu without metricType', () => app([prometheusTrigger(), { type: 'cpu', metadata: { value: '70' } }]), 'unknown metric type: , allowed values are \'Utilization\' or \'AverageValue\''],
    ['cpu with metricType Value', () => app([prometheusTrigger(), { type: 'cpu', metricType: 'Value', metadata: { value: '70' } }]), 'unknown metric type: Value'],
    ['cpu with the removed metadata type', () => app([prometheusTrigger(), { type: 'cpu', metricType: 'Utilization', metadata: { type: 'Utilization', value: '70' } }]),
      'The \'type\' setting is DEPRECATED and is removed in v2.18'],
    ['cpu Utilization value not a whole number', () => app([prometheusTrigger(), { type: 'cpu', metricType: 'Utilization', metadata: { value: '70.5' } }]), 'value "70.5" is not a whole number'],
    ['memory AverageValue not a quantity', () => app([prometheusTrigger(), { type: 'memory', metricType: 'AverageValue', metadata: { value: '1 GB' } }]), 'value "1 GB" is not a Kubernetes quantity'],
    ['cpu without value', () => app([prometheusTrigger(), { type: 'cpu', metricType: 'Utilization', metadata: {} }]), 'missing required parameter "value"'],
    // aws-sqs-queue
    ['sqs without awsRegion', () => withMetadata('sqs', { awsRegion: undefined }), 'missing required parameter "awsRegion"'],
    ['sqs queueURL without the account path', () => withMetadata('sqs', { queueURL: 'https://sqs.us-west-2.amazonaws.com/ml-jobs' }), 'cannot get queueName from queueURL'],
    ['sqs queueLength not an integer', () => withMetadata('sqs', { queueLength: '5.0' }), 'unable to unmarshal "5.0" to field type int64'],
    ['sqs scaleOnInFlight not a boolean', () => withMetadata('sqs', { scaleOnInFlight: 'yes' }), 'unable to parse boolean value "yes"'],
    ['sqs without any credentials', () => withMetadata('sqs', {}, { authenticationRef: undefined }), 'awsAccessKeyID not found'],
    ['sqs access key without secret key', () => [...withMetadata('sqs', {}, { authenticationRef: { name: 'keys' } }), auth('keys', secret('awsAccessKeyID'))],
      'awsSecretAccessKey not found'],
    // redis
    ['redis enableTLS in the trigger and tls in the TriggerAuthentication', () => [...withMetadata('redis', {}, { authenticationRef: { name: 'redis-tls' } }), auth('redis-tls', secret('password', 'tls'))],
      'unable to set `tls` in both ScaledObject and TriggerAuthentication together'],
    ['redis streams TLS set twice as well', () => [...app([{ ...VALID_TRIGGERS.redisStreams, metadata: { ...VALID_TRIGGERS.redisStreams.metadata, enableTLS: 'true' }, authenticationRef: { name: 'redis-tls' } }]),
      auth('redis-tls', secret('tls'))], 'unable to set `tls` in both'],
    ['redis without listName', () => withMetadata('redis', { listName: undefined }), 'missing required parameter "listName"'],
    ['redis without an address', () => withMetadata('redis', { address: undefined }), 'no addresses or hosts given'],
    ['redis hosts and ports of different lengths', () => withMetadata('redis', { address: undefined, hosts: 'a,b', ports: '6379' }), 'not enough hosts or ports given'],
    ['redis enableTLS not a boolean', () => withMetadata('redis', { enableTLS: 'on' }), 'EnableTLS parsing error'],
    ['redis listLength not an integer', () => withMetadata('redis', { listLength: 'five' }), 'unable to unmarshal "five" to field type int64'],
    ['redis databaseIndex not an integer', () => withMetadata('redis', { databaseIndex: '0x1' }), 'unable to unmarshal "0x1" to field type int'],
    ['redis streams without stream', () => app([{ ...VALID_TRIGGERS.redisStreams, metadata: { address: 'redis:6379' } }]), 'missing required parameter "stream"'],
    // kafka
    ['kafka without consumerGroup', () => withMetadata('kafka', { consumerGroup: undefined }), 'missing required parameter "consumerGroup"'],
    ['kafka without bootstrapServers', () => withMetadata('kafka', { bootstrapServers: undefined }), 'missing required parameter "bootstrapServers"'],
    ['kafka lagThreshold 0', () => withMetadata('kafka', { lagThreshold: '0' }), '"lagThreshold" must be positive number'],
    ['kafka activationLagThreshold negative', () => withMetadata('kafka', { activationLagThreshold: '-1' }), '"activationLagThreshold" must be a non-negative number'],
    ['kafka offsetResetPolicy outside the enum', () => withMetadata('kafka', { offsetResetPolicy: 'oldest' }), 'parameter "offsetResetPolicy" value "oldest" must be one of [latest earliest]'],
    ['kafka allowIdleConsumers with limitToPartitionsWithLag', () => withMetadata('kafka', { allowIdleConsumers: 'true', limitToPartitionsWithLag: 'true' }),
      'allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously'],
    ['kafka limitToPartitionsWithLag without topic', () => withMetadata('kafka', { topic: undefined, limitToPartitionsWithLag: 'true' }), 'topic must be specified when using limitToPartitionsWithLag'],
    ['kafka limitToPartitionsWithLag with ensureEvenDistributionOfPartitions', () => withMetadata('kafka', { limitToPartitionsWithLag: 'true', ensureEvenDistributionOfPartitions: 'true' }),
      'limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set simultaneously'],
    ['kafka partitionLimitation not numbers', () => withMetadata('kafka', { partitionLimitation: '1,a' }), 'invalid partition limitation: a'],
    ['kafka tls outside the enum', () => withMetadata('kafka', { tls: 'true' }), 'parameter "tls" value "true" must be one of [enable disable]'],
    ['kafka tls with cert and no key', () => [...withMetadata('kafka', { tls: 'enable' }, { authenticationRef: { name: 'kafka-cert' } }), auth('kafka-cert', secret('cert'))],
      'key must be provided with cert'],
    ['kafka sasl plaintext without password', () => [...withMetadata('kafka', { sasl: 'plaintext' }, { authenticationRef: { name: 'kafka-user' } }), auth('kafka-user', secret('username'))],
      'no password given (sasl plaintext)'],
    ['kafka sasl outside the enum', () => withMetadata('kafka', { sasl: 'kerberos' }), 'parameter "sasl" value "kerberos" must be one of'],
    ['kafka aws_msk_iam without TLS', () => withMetadata('kafka', { sasl: 'oauthbearer', saslTokenProvider: 'aws_msk_iam', awsRegion: 'us-west-2' }, { authenticationRef: undefined }),
      'TLS is required for AWS MSK authentication'],
    // rabbitmq
    ['rabbitmq without host', () => withMetadata('rabbitmq', {}, { authenticationRef: undefined }), 'missing required parameter "host"'],
    ['rabbitmq without queueName', () => withMetadata('rabbitmq', { queueName: undefined }), 'missing required parameter "queueName"'],
    ['rabbitmq host with an unknown scheme', () => withMetadata('rabbitmq', { host: 'tcp://rabbit:5672' }, { authenticationRef: undefined }), 'unknown host URL scheme: `tcp`'],
    ['rabbitmq mode without value', () => withMetadata('rabbitmq', { value: undefined }), 'value must be specified'],
    ['rabbitmq mode outside the enum', () => withMetadata('rabbitmq', { mode: 'Length' }), 'trigger mode Length must be one of'],
    ['rabbitmq deprecated queueLength with mode', () => withMetadata('rabbitmq', { queueLength: '5' }), 'queueLength is deprecated; use mode and value'],
    ['rabbitmq MessageRate over AMQP', () => withMetadata('rabbitmq', { mode: 'MessageRate', host: 'amqp://rabbit:5672' }, { authenticationRef: undefined }),
      'protocol amqp not supported; must be HTTP to use trigger mode MessageRate'],
    ['rabbitmq protocol outside the enum', () => withMetadata('rabbitmq', { protocol: 'mqtt' }), 'the protocol has to be either `amqp`, `http`, or `auto` but is `mqtt`'],
    ['rabbitmq username without password', () => [...withMetadata('rabbitmq', {}, { authenticationRef: { name: 'rabbit-user' } }), auth('rabbit-user', secret('host', 'username'))],
      'username and password must be given together'],
    ['rabbitmq cert without key', () => [...withMetadata('rabbitmq', {}, { authenticationRef: { name: 'rabbit-cert' } }), auth('rabbit-cert', secret('host', 'cert'))],
      'both key and certificate must be provided'],
    ['rabbitmq pageSize 0', () => withMetadata('rabbitmq', { pageSize: '0' }), 'pageSize should be 1 or greater'],
    ['rabbitmq useRegex over AMQP', () => withMetadata('rabbitmq', { useRegex: 'true', host: 'amqp://rabbit' }, { authenticationRef: undefined }), 'configure useRegex=true only with HTTP protocol'],
    ['rabbitmq timeout over AMQP', () => withMetadata('rabbitmq', { timeout: '5s', host: 'amqp://rabbit' }, { authenticationRef: undefined }), 'AMQP protocol doesn\'t support custom timeouts'],
    // One external-metrics provider per app
    ['prometheus-adapter externalRules beside KEDA', () => [...app(), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'adapter', namespace: 'monitoring' },
      data: { 'config.yaml': 'rules: []\nexternalRules:\n  - seriesQuery: sqs_messages\n    resources: { namespaced: false }\n    name: { matches: ^sqs_messages$, as: sqs_messages }\n    metricsQuery: sum(<<.Series>>)\n' },
    }], 'ConfigMap/adapter: data.config.yaml.externalRules: prometheus-adapter serves external metrics (sqs_messages) while the app deploys KEDA (ScaledObject \'chat\')'],
    ['an HPA External metric beside KEDA', () => [deployment('web'), ...app(), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: NS },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 4,
        metrics: [{ type: 'External', external: { metric: { name: 'sqs_messages' }, target: { type: 'AverageValue', averageValue: '5' } } }],
      },
    }], 'HorizontalPodAutoscaler/web: spec.metrics[0].external: the External metric \'sqs_messages\' needs an external-metrics provider other than KEDA'],
  ];

  test.each(cases)('catches %s', (_name, build, expected) => {
    expect(check(build()).join('\n')).toContain(expected);
  });

  test('an HPA External metric without KEDA in the app is fine', () => {
    const objects = [deployment('web'), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: NS },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 4, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '5' } } }] },
    }];
    expect(check(objects)).toEqual([]);
  });

  test('KEDA\'s quirks are transcribed, not tidied up', () => {
    // minReplicaCount 0, set explicitly, counts as 1: idleReplicaCount 0 passes (scaledobject_types.go GetHPAMinReplicas)
    expect(check(app(undefined, { minReplicaCount: 0, idleReplicaCount: 0 }))).toEqual([]);
    // kafka: tls in metadata and in the TriggerAuthentication is no conflict (metadata wins), unlike redis
    expect(check([...withMetadata('kafka', { tls: 'enable' }, { authenticationRef: { name: 'kafka-tls' } }), auth('kafka-tls', secret('tls', 'ca'))])).toEqual([]);
    // an HPA marked validations.keda.sh/hpa-ownership: "false" is not checked
    expect(check([...app(), {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'other', namespace: NS, annotations: { 'validations.keda.sh/hpa-ownership': 'false' } },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'chat' }, maxReplicas: 4 },
    }])).toEqual([]);
    // a Secret's value is unknown: a redis tls from a Secret alone passes
    expect(check([...withMetadata('redis', { enableTLS: undefined }, { authenticationRef: { name: 'redis-tls' } }), auth('redis-tls', secret('tls'))])).toEqual([]);
  });
});

describe('robfig/cron v3.0.1 under KEDA\'s options', () => {
  test.each([
    ['0 8 * * 1-5'], ['*/15 * * * *'], ['0 8 1,15 * *'], ['30 7 * jan-mar MON-FRI'], ['0 0 * * ?'], ['CRON_TZ=Europe/Berlin 0 8 * * *'], ['5-59/10 * * * *'],
  ])('accepts %s', spec => expect(cronSpecProblem(spec)).toBeUndefined());

  test.each([
    ['', 'empty spec string'], ['@hourly', 'parser does not accept descriptors'], ['0 8 * *', 'expected exactly 5 fields, found 4'],
    ['60 * * * *', 'end of range (60) above maximum (59)'], ['0 24 * * *', 'above maximum (23)'], ['0 0 0 * *', 'below minimum (1)'],
    ['0 0 * 13 *', 'above maximum (12)'], ['0 0 * * 7', 'above maximum (6)'], ['0 0 * * 5-1', 'beyond end of range'], ['*/0 * * * *', 'step of range should be a positive number'],
    ['0 0 * * L', 'failed to parse int from L'], ['1-2-3 * * * *', 'too many hyphens'], ['TZ=Mars/Olympus 0 0 * * *', 'provided bad location'],
  ])('refuses %j', (spec, problem) => expect(cronSpecProblem(spec)).toContain(problem));

  test('time zones load as Go loads them from the tz database', () => {
    expect(['', 'UTC', 'Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'].filter(z => !goLoadsLocation(z))).toEqual([]);
    expect(['Europe/Berln', 'europe/berlin', 'CET/Berlin', 'Mars/Olympus'].filter(goLoadsLocation)).toEqual([]);
  });

  test('formula identifiers leave out strings, calls, members and let bindings', () => {
    expect(formulaIdentifiers('max(queue / 5, float(gpu)) + a.b + "c" + (let x = 1; x)')).toEqual(['queue', 'gpu', 'a']);
  });
});
