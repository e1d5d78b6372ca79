import { IConstruct } from 'constructs';
import { TriggerCredentials } from './trigger-credentials';
import { invalidProp, requireInteger } from '../common/errors';
import {
  checkInstance, checkOneOf, checkOptionalBoolean, checkOptionalWhole, checkString, checkStruct, checkText, Where,
} from '../common/validate';

/** Options shared by every queue trigger. */
export interface QueueTriggerOptions {
  /**
   * Messages (or lag, or list entries) one replica or job should handle: KEDA asks for
   * ceil(queue length / this) replicas.
   * @default 5
   */
  readonly messagesPerReplica?: number;
  /**
   * Queue length above which a workload scaled to zero is woken up (KEDA's activation threshold).
   * @default 0 (any message wakes it)
   */
  readonly activationMessages?: number;
  /**
   * How the trigger authenticates.
   * @default - none (only where the scaler allows it)
   */
  readonly credentials?: TriggerCredentials;
}

/** Options of an SQS queue trigger. */
export interface SqsQueueOptions extends QueueTriggerOptions {
  /** AWS region of the queue, e.g. `us-west-2`. */
  readonly region: string;
  /**
   * Count messages in flight (received, not yet deleted) as queue length too.
   * @default true
   */
  readonly countInFlight?: boolean;
}

/** Options of a Redis list trigger. */
export interface RedisListOptions extends QueueTriggerOptions {
  /**
   * Redis database index.
   * @default 0
   */
  readonly databaseIndex?: number;
  /**
   * Connect with TLS (the trigger's `enableTLS`). Not together with a `tls` parameter in the credentials: KEDA
   * refuses TLS set in both places, so give it in one of them.
   * @default false
   */
  readonly tls?: boolean;
}

/** Where a Kafka consumer group without a committed offset starts reading. */
export enum KafkaOffsetResetPolicy {
  /** New messages only. */
  LATEST = 'latest',
  /** From the oldest retained message: the whole backlog counts as lag. */
  EARLIEST = 'earliest',
}

/** Options of a Kafka consumer-lag trigger. */
export interface KafkaTopicOptions extends QueueTriggerOptions {
  /**
   * Where a consumer group without a committed offset starts.
   * @default KafkaOffsetResetPolicy.LATEST
   */
  readonly offsetResetPolicy?: KafkaOffsetResetPolicy;
}

/** Options of a RabbitMQ queue trigger. */
export interface RabbitMqQueueOptions extends QueueTriggerOptions {
  /**
   * Virtual host.
   * @default - the vhost in the connection string
   */
  readonly vhost?: string;
}

/** A KEDA trigger as the API spells it. @internal */
export interface KedaTrigger {
  readonly type: string;
  readonly name?: string;
  readonly metadata: { [key: string]: string };
  readonly metricType?: string;
  readonly authenticationRef?: { name: string };
}

type Required = 'always' | 'never' | 'optional';

/**
 * A message queue that drives scaling through KEDA: its length, divided by the messages each replica
 * (or job) handles, is the number of replicas (or jobs) to run.
 *
 * Credentials always come from a `TriggerCredentials` (a pod identity or an existing Secret); connection
 * strings with passwords (RabbitMQ's `host`) are read from the Secret too.
 *
 * @see https://keda.sh/docs/latest/scalers/
 * @example
 * const jobs = QueueTrigger.sqs('https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs', {
 *   region: 'us-west-2',
 *   messagesPerReplica: 5,
 *   credentials: TriggerCredentials.awsPodIdentity(),
 * });
 */
export class QueueTrigger {
  /**
   * An AWS SQS queue (`aws-sqs-queue` scaler). Needs credentials: an AWS pod identity, or a Secret with
   * `awsAccessKeyID` and `awsSecretAccessKey` (or `awsRoleArn`).
   * @param queueUrl the queue URL
   */
  public static sqs(queueUrl: string, options: SqsQueueOptions): QueueTrigger {
    const at = 'QueueTrigger.sqs';
    checkSqsQueue(at, queueUrl);
    checkStruct(at, 'options', options, 'give the options with at least the queue\'s region, e.g. { region: \'us-west-2\' }');
    checkRegion(at, options.region);
    checkOptionalBoolean(at, 'countInFlight', options.countInFlight);
    checkCommon(at, options);
    return new QueueTrigger('aws-sqs-queue', 'SQS queue', {
      queueURL: queueUrl,
      awsRegion: options.region,
      ...(options.countInFlight === false ? { scaleOnInFlight: 'false' } : {}),
    }, 'queueLength', 'activationQueueLength', options, 'always', ['aws'], [['awsAccessKeyID', 'awsSecretAccessKey'], ['awsRoleArn']],
    ['awsSessionToken', 'awsExternalId']);
  }

  /**
   * A Redis list (`redis` scaler): the list's length.
   * @param address `host:port` of the Redis server
   * @param listName the list
   */
  public static redisList(address: string, listName: string, options: RedisListOptions = {}): QueueTrigger {
    const at = 'QueueTrigger.redisList';
    checkHostPort(at, 'address', address, 'give the Redis server as host:port, e.g. "redis.jobs.svc:6379"');
    checkText(at, 'listName', listName, 'give the name of the Redis list, e.g. "jobs"');
    checkOptions(at, options);
    checkOptionalWhole(at, 'databaseIndex', options.databaseIndex, { max: Number.MAX_SAFE_INTEGER }, 'give the Redis database number (0 is the default database)');
    checkOptionalBoolean(at, 'tls', options.tls);
    checkCommon(at, options);
    return new QueueTrigger('redis', 'Redis list', {
      address,
      listName,
      ...(options.databaseIndex !== undefined ? { databaseIndex: String(options.databaseIndex) } : {}),
      ...(options.tls ? { enableTLS: 'true' } : {}),
    }, 'listLength', 'activationListLength', options, 'optional', [], [['password']], ['username', 'tls', 'ca', 'cert', 'key', 'keyPassword']);
  }

  /**
   * A Kafka topic (`kafka` scaler): the consumer group's lag.
   * @param bootstrapServers comma-separated `host:port` list
   * @param consumerGroup the consumer group whose lag counts
   * @param topic the topic
   */
  public static kafka(bootstrapServers: string, consumerGroup: string, topic: string, options: KafkaTopicOptions = {}): QueueTrigger {
    const at = 'QueueTrigger.kafka';
    const fix = 'give the brokers as host:port, separated by commas, e.g. "kafka-0:9092,kafka-1:9092"';
    checkText(at, 'bootstrapServers', bootstrapServers, fix).split(',').forEach(b => checkHostPort(at, 'bootstrapServers', b, fix, bootstrapServers));
    checkText(at, 'consumerGroup', consumerGroup, 'give the consumer group\'s name, e.g. "embedders"', 255);
    const topicFix = 'give the topic\'s name: at most 249 letters, digits, \'.\', \'_\' and \'-\', as Kafka allows';
    // org.apache.kafka.common.internals.Topic.validate: [a-zA-Z0-9._-]{1,249}, not "." or ".."
    if (!/^[a-zA-Z0-9._-]{1,249}$/.test(checkString(at, 'topic', topic, topicFix, 249)) || topic === '.' || topic === '..') {
      invalidProp(at, 'topic', topic, 'is not a Kafka topic name', topicFix);
    }
    checkOptions(at, options);
    if (options.offsetResetPolicy !== undefined) {
      checkOneOf(at, 'offsetResetPolicy', options.offsetResetPolicy, Object.values(KafkaOffsetResetPolicy),
        'use KafkaOffsetResetPolicy.LATEST or KafkaOffsetResetPolicy.EARLIEST');
    }
    checkCommon(at, options);
    return new QueueTrigger('kafka', 'Kafka topic', {
      bootstrapServers,
      consumerGroup,
      topic,
      ...(options.offsetResetPolicy ? { offsetResetPolicy: options.offsetResetPolicy } : {}),
    }, 'lagThreshold', 'activationLagThreshold', options, 'optional', [], [['sasl', 'username', 'password'], ['tls', 'ca'], ['tls', 'cert', 'key']],
    ['keyPassword', 'saslTokenProvider']);
  }

  /**
   * A RabbitMQ queue (`rabbitmq` scaler, queue length mode). The connection string holds a password, so it
   * is read from a Secret: the credentials must provide the `host` parameter
   * (`TriggerCredentials.fromSecret('rabbitmq', { host: 'amqp-url' })`).
   * @param queueName the queue
   */
  public static rabbitMq(queueName: string, options: RabbitMqQueueOptions): QueueTrigger {
    const at = 'QueueTrigger.rabbitMq';
    checkText(at, 'queueName', queueName, 'give the queue\'s name, at most 255 characters, e.g. "jobs"', 255);
    checkStruct(at, 'options', options, 'give the options with the credentials that hold the host, e.g. { credentials: TriggerCredentials.fromSecret(...) }');
    if (options.vhost !== undefined) checkText(at, 'vhost', options.vhost, 'give the virtual host\'s name, e.g. "/" or "ml"', 255);
    checkCommon(at, options);
    return new QueueTrigger('rabbitmq', 'RabbitMQ queue', {
      queueName,
      mode: 'QueueLength',
      ...(options.vhost ? { vhostName: options.vhost } : {}),
    }, 'value', 'activationValue', options, 'always', [], [['host']], ['username', 'password', 'vhostName', 'tls', 'ca', 'cert', 'key', 'keyPassword']);
  }

  private constructor(
    /** The KEDA scaler type. */
    public readonly scalerType: string,
    /** What the queue is, in words. */
    public readonly description: string,
    private readonly fixedMetadata: { [key: string]: string },
    private readonly targetKey: string,
    private readonly activationKey: string,
    private readonly options: QueueTriggerOptions,
    private readonly auth: Required,
    private readonly podIdentityClouds: string[],
    /** Sets of Secret parameters of which one must be complete. */
    private readonly secretParameterSets: string[][],
    /** Further parameters the scaler reads from a TriggerAuthentication. */
    private readonly otherSecretParameters: string[] = [],
  ) {}

  private get redisDatabaseIndex(): number | undefined {
    return (this.options as RedisListOptions).databaseIndex;
  }

  /** Messages one replica or job should handle. */
  public get messagesPerReplica(): number {
    return this.options.messagesPerReplica ?? 5;
  }

  /** The credentials, if any. */
  public get credentials(): TriggerCredentials | undefined {
    return this.options.credentials;
  }

  /** Checks the trigger; throws naming the construct and the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    requireInteger(scope, `${prop}.messagesPerReplica`, this.messagesPerReplica, 1, Number.MAX_SAFE_INTEGER,
      'give the whole number of messages one replica or job handles');
    if (this.options.activationMessages !== undefined) {
      requireInteger(scope, `${prop}.activationMessages`, this.options.activationMessages, 0, Number.MAX_SAFE_INTEGER,
        'give the queue length above which a scaled-to-zero workload wakes up (0: any message)');
    }
    for (const [key, value] of Object.entries(this.fixedMetadata)) {
      if (value === '') invalidProp(scope, `${prop}.${key}`, value, 'is empty', `give the ${this.description}'s ${key}`);
    }
    this.checkMetadata(scope, prop);
    const creds = this.options.credentials;
    if (creds) creds._validate(scope, `${prop}.credentials`);
    const accepted = [
      ...this.podIdentityClouds.map(c => `${c} pod identity`),
      ...this.secretParameterSets.map(set => `a Secret with ${set.join(' + ')}`),
    ].join(', or ');
    if (!creds) {
      if (this.auth === 'always') {
        invalidProp(scope, `${prop}.credentials`, undefined, `is required by the ${this.scalerType} scaler`, `give credentials: ${accepted}`);
      }
      return;
    }
    const cloud = creds._cloud;
    if (cloud !== undefined) {
      if (!this.podIdentityClouds.includes(cloud)) {
        invalidProp(scope, `${prop}.credentials`, creds.description, `cannot authenticate the ${this.scalerType} scaler`, `give ${accepted}`);
      }
      return;
    }
    const given = new Set(creds.parameters);
    if (!this.secretParameterSets.some(set => set.every(p => given.has(p)))) {
      invalidProp(scope, `${prop}.credentials`, creds.parameters, `do not include what the ${this.scalerType} scaler needs`, `give ${accepted}`);
    }
    this.checkSecretParameters(scope, prop, creds, given);
    const known = new Set([...this.secretParameterSets.flat(), ...this.otherSecretParameters]);
    const unknown = creds.parameters.filter(p => !known.has(p));
    if (unknown.length > 0) {
      invalidProp(scope, `${prop}.credentials`, unknown, `are not parameters the ${this.scalerType} scaler reads from a TriggerAuthentication`,
        `use only ${[...known].join(', ')}`);
    }
  }

  /** What the scaler's metadata parser refuses in the values the factories were given. */
  private checkMetadata(scope: IConstruct, prop: string): void {
    const m = this.fixedMetadata;
    if (this.scalerType === 'aws-sqs-queue' && m.queueURL && !sqsQueueUrlOk(m.queueURL)) {
      // kedacore/keda v2.20.2 pkg/scalers/aws_sqs_queue_scaler.go L104-L116: a URL's path must be /<account>/<queue>
      invalidProp(scope, `${prop}.queueUrl`, m.queueURL, 'is a URL whose path is not /<account id>/<queue name>, and KEDA\'s SQS scaler cannot get the queue name from it',
        'give the queue URL as SQS shows it, e.g. https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs (or the bare queue name)');
    }
    if (this.scalerType === 'redis' && this.redisDatabaseIndex !== undefined) {
      // redis_scaler.go@v2.20.2 L71: databaseIndex is a Go int, read with json.Unmarshal
      requireInteger(scope, `${prop}.databaseIndex`, this.redisDatabaseIndex, 0, Number.MAX_SAFE_INTEGER, 'give the Redis database number (0 is the default database)');
    }
  }

  /** Secret parameters that the scaler refuses in combination (the values are unknown: only presence counts). */
  private checkSecretParameters(scope: IConstruct, prop: string, creds: TriggerCredentials, given: Set<string>): void {
    // kedacore/keda v2.20.2 pkg/scalers/redis_scaler.go L76-L81 SetEnableTLS(): TLS in both places is refused
    if (this.scalerType === 'redis' && given.has('tls') && this.fixedMetadata.enableTLS !== undefined) {
      invalidProp(scope, `${prop}.tls`, true, `is set while the credentials (${creds.description}) also give the 'tls' parameter, ` +
        'and KEDA\'s redis scaler refuses TLS set in both the trigger and the TriggerAuthentication',
      'remove tls: true (the Secret\'s tls key, "enable" or "disable", decides), or remove tls from the credentials\' parameters');
    }
    // rabbitmq_scaler.go@v2.20.2 L146-L150 and L156-L158; kafka_scaler.go@v2.20.2 L189-L203 parseTLS()
    const pairs: string[][] = this.scalerType === 'rabbitmq' ? [['cert', 'key'], ['username', 'password']] : this.scalerType === 'kafka' ? [['cert', 'key']] : [];
    for (const [a, b] of pairs) {
      if (given.has(a) !== given.has(b)) {
        const [has, lacks] = given.has(a) ? [a, b] : [b, a];
        invalidProp(scope, `${prop}.credentials`, creds.parameters, `include '${has}' without '${lacks}', and KEDA's ${this.scalerType} scaler takes them only together`,
          `map both ${a} and ${b} to keys of the Secret, or neither`);
      }
    }
  }

  /** The trigger, pointing at a TriggerAuthentication when there are credentials. @internal */
  public _trigger(name: string | undefined, authenticationName: string | undefined): KedaTrigger {
    const metadata: { [key: string]: string } = { ...this.fixedMetadata, [this.targetKey]: String(this.messagesPerReplica) };
    if (this.options.activationMessages !== undefined) metadata[this.activationKey] = String(this.options.activationMessages);
    return {
      type: this.scalerType,
      ...(name ? { name } : {}),
      metadata,
      ...(authenticationName ? { authenticationRef: { name: authenticationName } } : {}),
    };
  }
}

/**
 * Whether KEDA's SQS scaler finds a queue name: a value Go's url.ParseRequestURI reads as a URL must have the path
 * /<account>/<queue>; anything else is taken as the queue name itself.
 */
function sqsQueueUrlOk(value: string): boolean {
  let path: string;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value)) {
    const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(value);
    path = m ? m[1] : '';
  } else if (value.startsWith('/')) {
    path = value.split(/[?#]/)[0];
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(value)) {
    path = '';
  } else {
    return true;
  }
  const parts = path.split('/');
  return parts.length === 3 && parts[2] !== '';
}

function checkOptions(at: string, options: unknown): void {
  checkStruct(at, 'options', options, 'give the options as an object of named fields, or leave them out', true);
}

/** The options every queue takes. */
function checkCommon(at: string, o: QueueTriggerOptions): void {
  checkOptionalWhole(at, 'messagesPerReplica', o.messagesPerReplica, { min: 1, max: Number.MAX_SAFE_INTEGER },
    'give the whole number of messages one replica or job handles');
  checkOptionalWhole(at, 'activationMessages', o.activationMessages, { min: 0, max: Number.MAX_SAFE_INTEGER },
    'give the queue length above which a scaled-to-zero workload wakes up (0: any message)');
  if (o.credentials !== undefined) {
    checkInstance(at, 'credentials', o.credentials, TriggerCredentials as any,
      'make them with TriggerCredentials.fromSecret(...), .awsPodIdentity(), .azureWorkloadIdentity() or .gcpWorkloadIdentity()');
  }
}

/** host:port, the host a DNS name, an IPv4 address or a bracketed IPv6 address, the port 1-65535. */
function checkHostPort(at: Where, prop: string, value: unknown, fix: string, whole?: string): string {
  const s = checkText(at, prop, value, fix);
  const m = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$/.exec(s);
  if (!m || Number(m[3]) < 1 || Number(m[3]) > 65535) {
    invalidProp(at, prop, whole ?? s, `${whole !== undefined ? `has "${s}", which ` : ''}is not host:port (a host name or address, a port from 1 to 65535)`, fix);
  }
  return s;
}

/** An AWS region code, e.g. us-west-2 or us-gov-west-1. */
function checkRegion(at: string, value: unknown): void {
  const fix = 'give the queue\'s AWS region code, e.g. "us-west-2"';
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]+$/.test(checkText(at, 'region', value, fix, 64))) {
    invalidProp(at, 'region', value, 'is not an AWS region code (lowercase, e.g. us-west-2)', fix);
  }
}

/** A queue URL whose path is /<account>/<queue>, or a bare queue name (sqs CreateQueue: 1-80 of [A-Za-z0-9_-], or .fifo). */
function checkSqsQueue(at: string, value: unknown): void {
  const fix = 'give the queue URL as SQS shows it, e.g. https://sqs.us-west-2.amazonaws.com/123456789012/ml-jobs (or the bare queue name)';
  const s = checkText(at, 'queueUrl', value, fix, 2048);
  const isUrl = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) || s.startsWith('/');
  if (isUrl && (!sqsQueueUrlOk(s) || (!s.startsWith('/') && !/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]+)?\/[^/?#]+\/[^/?#]+$/.test(s)))) {
    // kedacore/keda v2.20.2 pkg/scalers/aws_sqs_queue_scaler.go L104-L116: a URL's path must be /<account>/<queue>
    invalidProp(at, 'queueUrl', s, 'is a URL whose path is not /<account id>/<queue name>, and KEDA\'s SQS scaler cannot get the queue name from it', fix);
  }
  const name = isUrl ? s.slice(s.lastIndexOf('/') + 1) : s;
  if (!/^([A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/.test(name)) {
    invalidProp(at, 'queueUrl', s, 'does not end in an SQS queue name (1 to 80 letters, digits, \'-\' and \'_\', or such a name ending in .fifo)', fix);
  }
}
