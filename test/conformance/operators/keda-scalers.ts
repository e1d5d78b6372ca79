/**
 * The metadata parsing of each KEDA scaler the library uses, at kedacore/keda@v2.20.2: what the scaler refuses when it
 * is built (the ScaledObject or ScaledJob then stays `Ready=False`, and nothing scales), and what makes every poll
 * fail. Struct tags and `Validate()` methods are transcribed with their file and lines.
 */
import { parseQuantity } from '../quantity';
import {
  isGoBool, known, knownBool, ParamSpec, parseGoInt, present, readTyped, ScalerInput, Source, UNKNOWN,
} from './keda-params';

const M: Source[] = ['triggerMetadata'];
const A: Source[] = ['authParams'];
const MA: Source[] = ['triggerMetadata', 'authParams'];
const ME: Source[] = ['triggerMetadata', 'resolvedEnv'];
const MAE: Source[] = ['triggerMetadata', 'authParams', 'resolvedEnv'];
const MEA: Source[] = ['triggerMetadata', 'resolvedEnv', 'authParams'];

/** Every finding of one trigger: `message` lines, prefixed by the caller with the trigger's path. */
export function scalerProblems(type: string, input: ScalerInput): string[] {
  const check = SCALERS[type];
  const out: string[] = [];
  // pkg/scalers/scaler.go@v2.20.2 L95-L105 GetMetricTargetType(): external scalers refuse Utilization
  if (type !== 'cpu' && type !== 'memory' && input.metricType === 'Utilization') {
    out.push('\'Utilization\' metric type is unsupported for external metrics, allowed values are \'Value\' or \'AverageValue\'');
  }
  if (check) out.push(...check(input));
  return out;
}

/** The trigger types this module knows. */
export function knownScaler(type: string): boolean {
  return type in SCALERS;
}

const SCALERS: Record<string, (input: ScalerInput) => string[]> = {
  'prometheus': prometheus,
  'cron': cron,
  'cpu': cpuMemory,
  'memory': cpuMemory,
  'aws-sqs-queue': awsSqsQueue,
  'redis': i => redis(i, false),
  'redis-cluster': i => redis(i, false),
  'redis-sentinel': i => redis(i, false),
  'redis-streams': i => redis(i, true),
  'redis-cluster-streams': i => redis(i, true),
  'redis-sentinel-streams': i => redis(i, true),
  'kafka': kafka,
  'rabbitmq': rabbitmq,
};

// pkg/scalers/prometheus_scaler.go@v2.20.2 L45-L61 prometheusMetadata
const PROMETHEUS: ParamSpec[] = [
  { names: ['serverAddress'], order: M },
  { names: ['query'], order: M },
  { names: ['queryParameters'], order: M, type: 'map', optional: true },
  { names: ['threshold'], order: M, type: 'float64' },
  { names: ['activationThreshold'], order: M, type: 'float64', optional: true },
  { names: ['namespace'], order: M, optional: true },
  { names: ['customHeaders'], order: M, type: 'map', optional: true },
  { names: ['ignoreNullValues'], order: M, type: 'bool', default: 'true' },
  { names: ['unsafeSsl'], order: M, type: 'bool', optional: true },
  { names: ['awsRegion'], order: MA, optional: true },
  { names: ['timeout'], order: M, type: 'duration', optional: true },
  { names: ['identityOwner'], order: M, optional: true },
  // pkg/scalers/authentication/authentication_types.go@v2.20.2 L76 Config.Modes
  { names: ['authModes', 'authMode'], order: MA, type: 'list', optional: true, enum: ['apiKey', 'basic', 'tls', 'bearer', 'custom', 'oauth'], exclusiveSet: ['bearer', 'basic', 'oauth'] },
  { names: ['bearerToken', 'token'], order: A, optional: true },
  { names: ['username'], order: A, optional: true },
  { names: ['cert'], order: A, optional: true },
  { names: ['key'], order: A, optional: true },
  { names: ['oauthTokenURI'], order: A, optional: true },
  { names: ['clientID'], order: A, optional: true },
  { names: ['customAuthHeader'], order: A, optional: true },
  { names: ['customAuthValue'], order: A, optional: true },
  { names: ['apiKey'], order: MA, optional: true },
  { names: ['method'], order: MA, default: 'header', enum: ['header', 'query'] },
];

function prometheus(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, PROMETHEUS);
  const modes = values.get('authModes');
  if (modes === undefined) return errors;
  const enabled = (m: string) => modes === UNKNOWN || modes.split(',').map(s => s.trim()).includes(m);
  const need = (m: string, ...keys: string[]) => {
    if (modes !== UNKNOWN && enabled(m) && !keys.every(k => present(values, k))) errors.push(`${keys.join(' and ')} required when ${m} auth is enabled`);
  };
  // authentication_types.go@v2.20.2 L118-L143 Config.Validate()
  need('bearer', 'bearerToken');
  need('basic', 'username');
  need('tls', 'cert', 'key');
  need('oauth', 'oauthTokenURI', 'clientID');
  need('custom', 'customAuthHeader', 'customAuthValue');
  need('apiKey', 'apiKey');
  // prometheus_scaler.go@v2.20.2 L173-L181 checkAuthConfigWithPodIdentity()
  if (input.podIdentity !== '' && input.podIdentity !== 'none') errors.push('pod identity cannot be enabled with other auth types (authModes)');
  return errors;
}

// pkg/scalers/cron_scaler.go@v2.20.2 L30-L36 cronMetadata
const CRON: ParamSpec[] = [
  { names: ['start'], order: M },
  { names: ['end'], order: M },
  { names: ['timezone'], order: M },
  { names: ['desiredReplicas'], order: M, type: 'int64' },
];

function cron(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, CRON);
  const start = known(values, 'start');
  const end = known(values, 'end');
  // cron_scaler.go@v2.20.2 L38-L57 Validate(): cron.NewParser(Minute | Hour | Dom | Month | Dow), no descriptors
  for (const [key, spec] of [['start', start], ['end', end]] as const) {
    const problem = spec === undefined ? undefined : cronSpecProblem(spec);
    if (problem) errors.push(`error parsing ${key} schedule: ${problem}`);
  }
  if (start !== undefined && start === end) errors.push('start and end can not have exactly same time input');
  const replicas = known(values, 'desiredReplicas');
  if (replicas !== undefined && parseGoInt(replicas, 64) === 0n) errors.push('no desiredReplicas specified (0)');
  // cron_scaler.go@v2.20.2 L124-L127 GetMetricsAndActivity(): time.LoadLocation on every poll; not checked at build
  const zone = known(values, 'timezone');
  if (zone !== undefined && !goLoadsLocation(zone)) {
    errors.push(`timezone "${zone}" is not in the tz database: every poll fails with "unable to load timezone" and the window never applies`);
  }
  return errors;
}

/**
 * Why robfig/cron@v3.0.1 `Parser.Parse` refuses a spec under the options KEDA gives it (parser.go L88-L155
 * Parse(), L157-L221 normalizeFields(), L242-L312 getRange(), spec.go L20-L52 bounds), or undefined.
 */
export function cronSpecProblem(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const i = rest.indexOf(' ');
    const zone = rest.slice(rest.indexOf('=') + 1, i < 0 ? undefined : i);
    if (i < 0 || !goLoadsLocation(zone)) return `provided bad location ${zone}`;
    rest = rest.slice(i).trim();
  }
  if (rest.startsWith('@')) return `parser does not accept descriptors: ${rest}`;
  const fields = rest.split(/\s+/).filter(f => f !== '');
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  const bounds: [number, number, Record<string, number> | undefined][] = [
    [0, 59, undefined], [0, 23, undefined], [1, 31, undefined], [1, 12, MONTHS], [0, 6, WEEKDAYS],
  ];
  for (let i = 0; i < 5; i++) {
    const problem = cronFieldProblem(fields[i], ...bounds[i]);
    if (problem) return problem;
  }
  return undefined;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const WEEKDAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function cronFieldProblem(field: string, min: number, max: number, names?: Record<string, number>): string | undefined {
  const num = (expr: string): number | string => {
    if (names && names[expr.toLowerCase()] !== undefined) return names[expr.toLowerCase()];
    // strconv.Atoi, then negative refused
    if (!/^[+-]?\d+$/.test(expr)) return `failed to parse int from ${expr}`;
    const n = Number(expr);
    return n < 0 ? `negative number (${n}) not allowed: ${expr}` : n;
  };
  for (const expr of field.split(',').filter(r => r !== '')) {
    const rangeAndStep = expr.split('/');
    const lowAndHigh = rangeAndStep[0].split('-');
    let start: number; let end: number;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      start = min; end = max;
    } else {
      const s = num(lowAndHigh[0]);
      if (typeof s === 'string') return s;
      start = s;
      if (lowAndHigh.length === 1) {
        end = start;
      } else if (lowAndHigh.length === 2) {
        const e = num(lowAndHigh[1]);
        if (typeof e === 'string') return e;
        end = e;
      } else {
        return `too many hyphens: ${expr}`;
      }
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      const st = num(rangeAndStep[1]);
      if (typeof st === 'string') return st;
      step = st;
      if (lowAndHigh.length === 1) end = max;
    } else if (rangeAndStep.length > 2) {
      return `too many slashes: ${expr}`;
    }
    if (start < min) return `beginning of range (${start}) below minimum (${min}): ${expr}`;
    if (end > max) return `end of range (${end}) above maximum (${max}): ${expr}`;
    if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
    if (step === 0) return `step of range should be a positive number: ${expr}`;
  }
  return undefined;
}

/**
 * Whether Go's `time.LoadLocation` (on KEDA's Linux image, with the tz database) loads a zone: "" and "UTC" always;
 * otherwise the name must be a tz database file, matched case-sensitively.
 */
export function goLoadsLocation(zone: string): boolean {
  if (zone === '' || zone === 'UTC') return true;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // ICU accepts any case; the tz database's file names do not.
  if (resolved.toLowerCase() === zone.toLowerCase()) return resolved === zone;
  return zone.split('/').every(part => /^[A-Z]/.test(part));
}

// pkg/scalers/cpu_memory_scaler.go@v2.20.2 L23-L31 cpuMemoryMetadata
const CPU_MEMORY: ParamSpec[] = [
  { names: ['type'], order: M, optional: true, deprecated: 'The \'type\' setting is DEPRECATED and is removed in v2.18 - Use \'metricType\' instead.' },
  { names: ['value'], order: M },
  { names: ['containerName'], order: M, optional: true },
];

function cpuMemory(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, CPU_MEMORY);
  const value = known(values, 'value');
  // cpu_memory_scaler.go@v2.20.2 L60-L76 parseResourceMetadata()
  if (input.metricType === 'Utilization') {
    // L78-L85 parseUtilization(): strconv.ParseInt(value, 10, 32)
    if (value !== undefined && parseGoInt(value, 32) === undefined) errors.push(`value "${value}" is not a whole number (Utilization percent)`);
  } else if (input.metricType === 'AverageValue') {
    // L66 resource.MustParse: an invalid quantity panics the scaler build
    if (value !== undefined && parseQuantity(value) === undefined) errors.push(`value "${value}" is not a Kubernetes quantity (resource.MustParse panics)`);
  } else {
    errors.push(`unknown metric type: ${input.metricType}, allowed values are 'Utilization' or 'AverageValue' (set the trigger's metricType)`);
  }
  return errors;
}

// pkg/scalers/aws_sqs_queue_scaler.go@v2.20.2 L31-L45 awsSqsQueueMetadata
const AWS_SQS: ParamSpec[] = [
  { names: ['queueLength'], order: M, type: 'int64', default: '5' },
  { names: ['activationQueueLength'], order: M, type: 'int64', default: '0' },
  { names: ['queueURL'], order: ME },
  { names: ['awsRegion'], order: MA },
  { names: ['awsEndpoint'], order: M, optional: true },
  { names: ['scaleOnInFlight'], order: M, type: 'bool', default: 'true' },
  { names: ['scaleOnDelayed'], order: M, type: 'bool', default: 'false' },
  { names: ['identityOwner'], order: M, optional: true },
];

function awsSqsQueue(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, AWS_SQS);
  const url = known(values, 'queueURL');
  // aws_sqs_queue_scaler.go@v2.20.2 L104-L116: a URL (url.ParseRequestURI) must have the path /<account>/<queue>
  if (url !== undefined && sqsQueueNameProblem(url)) errors.push(`cannot get queueName from queueURL "${url}" (want https://sqs.<region>.amazonaws.com/<account>/<queue>)`);
  // pkg/scalers/aws/aws_common.go@v2.20.2 L82-L144 GetAwsAuthorization()
  if (input.podIdentity !== 'aws') {
    const owner = known(values, 'identityOwner') ?? '';
    if (owner === '' || owner === 'pod') {
      const a = input.authParams;
      if (a.has('awsRoleArn')) {
        // role given
      } else if (a.has('awsAccessKeyID') || a.has('awsAccessKeyId')) {
        if (!a.has('awsSecretAccessKey')) errors.push('awsSecretAccessKey not found (the TriggerAuthentication gives awsAccessKeyID without it)');
      } else {
        const m = input.metadata;
        if (!m.awsAccessKeyID && !m.awsAccessKeyIDFromEnv) {
          errors.push('awsAccessKeyID not found: give an AWS pod identity, awsRoleArn, or awsAccessKeyID and awsSecretAccessKey in a TriggerAuthentication');
        } else if (!m.awsSecretAccessKeyFromEnv) {
          errors.push('awsSecretAccessKey not found');
        }
      }
    }
  }
  return errors;
}

function sqsQueueNameProblem(url: string): boolean {
  let path: string;
  if (url.startsWith('/')) {
    path = url.split('?')[0];
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url)) {
    try {
      path = new URL(url).pathname;
    } catch {
      return false;
    }
    if (path === '/' && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*\//.test(url)) path = '';
  } else if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) {
    path = ''; // opaque URI: no path
  } else {
    return false; // not a URL: used as the queue name itself
  }
  const parts = path.split('/');
  return parts.length !== 3 || parts[2].length === 0;
}

// pkg/scalers/redis_scaler.go@v2.20.2 L48-L74 redisConnectionInfo, redisMetadata;
// pkg/scalers/redis_streams_scaler.go@v2.20.2 L50-L62 redisStreamsMetadata
const REDIS_CONNECTION: ParamSpec[] = [
  { names: ['address', 'addresses'], order: MAE, type: 'list', optional: true },
  { names: ['username'], order: MEA, optional: true },
  { names: ['password'], order: MEA, optional: true },
  { names: ['sentinelUsername'], order: MAE, optional: true },
  { names: ['sentinelPassword'], order: MAE, optional: true },
  { names: ['sentinelMaster'], order: MAE, optional: true },
  { names: ['host', 'hosts'], order: MEA, type: 'list', optional: true },
  { names: ['port', 'ports'], order: MEA, type: 'list', optional: true },
  { names: ['unsafeSsl'], order: M, type: 'bool', default: 'false' },
  { names: ['enableTLS'], order: M, optional: true },
  { names: ['tls'], order: A, optional: true },
];
const REDIS_LIST: ParamSpec[] = [
  { names: ['listLength'], order: M, type: 'int64', default: '5' },
  { names: ['activationListLength'], order: M, type: 'int64', optional: true },
  { names: ['listName'], order: M },
  { names: ['databaseIndex'], order: M, type: 'int', optional: true },
];
const REDIS_STREAMS: ParamSpec[] = [
  { names: ['pendingEntriesCount'], order: M, type: 'int64', default: '5' },
  { names: ['streamLength'], order: M, type: 'int64', default: '5' },
  { names: ['lagCount'], order: M, type: 'int64', optional: true },
  { names: ['stream'], order: M },
  { names: ['consumerGroup'], order: M, optional: true },
  { names: ['databaseIndex'], order: M, type: 'int', optional: true },
  { names: ['activationLagCount'], order: M, type: 'int64', default: '0' },
];

function redis(input: ScalerInput, streams: boolean): string[] {
  const { values, errors } = readTyped(input, [...REDIS_CONNECTION, ...(streams ? REDIS_STREAMS : REDIS_LIST)]);
  // redis_scaler.go@v2.20.2 L279-L294 validateRedisAddress()
  const hosts = values.get('host');
  const ports = values.get('port');
  if (typeof hosts === 'string' && typeof ports === 'string' && hosts.split(',').length !== ports.split(',').length) {
    errors.push('not enough hosts or ports given (hosts and ports must have the same length)');
  }
  if (!present(values, 'address') && !(present(values, 'host') && present(values, 'port'))) errors.push('no addresses or hosts given');
  // redis_scaler.go@v2.20.2 L76-L104 SetEnableTLS()
  if (present(values, 'enableTLS') && present(values, 'tls')) {
    errors.push('unable to set `tls` in both ScaledObject and TriggerAuthentication together (trigger metadata enableTLS and TriggerAuthentication parameter tls)');
  }
  const enableTLS = known(values, 'enableTLS');
  if (enableTLS !== undefined && !isGoBool(enableTLS)) errors.push(`EnableTLS parsing error: "${enableTLS}" is not a boolean`);
  const tls = known(values, 'tls');
  if (tls !== undefined && tls !== 'enable' && tls !== 'disable') errors.push(`error incorrect TLS value given, got ${tls}`);
  return errors;
}

// pkg/scalers/kafka_scaler.go@v2.20.2 L58-L113 kafkaMetadata
const KAFKA: ParamSpec[] = [
  { names: ['bootstrapServers'], order: ME, type: 'list' },
  { names: ['consumerGroup'], order: ME },
  { names: ['topic'], order: ME, optional: true },
  { names: ['partitionLimitation'], order: M, optional: true },
  { names: ['lagThreshold'], order: M, type: 'int64', default: '10' },
  { names: ['activationLagThreshold'], order: M, type: 'int64', default: '0' },
  { names: ['offsetResetPolicy'], order: M, default: 'latest', enum: ['latest', 'earliest'] },
  { names: ['allowIdleConsumers'], order: M, type: 'bool', default: 'false' },
  { names: ['excludePersistentLag'], order: M, type: 'bool', default: 'false' },
  { names: ['scaleToZeroOnInvalidOffset'], order: M, type: 'bool', default: 'false' },
  { names: ['limitToPartitionsWithLag'], order: M, type: 'bool', default: 'false' },
  { names: ['ensureEvenDistributionOfPartitions'], order: M, type: 'bool', default: 'false' },
  { names: ['version'], order: M, optional: true },
  { names: ['tls'], order: MA, default: 'disable', enum: ['enable', 'disable'] },
  { names: ['unsafeSsl'], order: M, type: 'bool', default: 'false' },
  { names: ['ca'], order: A, optional: true },
  { names: ['cert'], order: A, optional: true },
  { names: ['key'], order: A, optional: true },
  { names: ['keyPassword'], order: A, optional: true },
  { names: ['sasl'], order: MA, optional: true, enum: ['none', 'plaintext', 'scram_sha256', 'scram_sha512', 'oauthbearer', 'gssapi'] },
  { names: ['username'], order: A, optional: true },
  { names: ['password'], order: A, optional: true },
  { names: ['saslTokenProvider'], order: MA, optional: true, enum: ['bearer', 'aws_msk_iam'] },
  { names: ['oauthTokenEndpointUri'], order: A, optional: true },
  { names: ['keytab'], order: A, optional: true },
  { names: ['realm'], order: A, optional: true },
  { names: ['kerberosConfig'], order: A, optional: true },
  { names: ['kerberosDisableFAST'], order: A, type: 'bool', default: 'false' },
  { names: ['awsRegion'], order: M, optional: true },
];

function kafka(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, KAFKA);
  // kafka_scaler.go@v2.20.2 L115-L156 Validate()
  const lag = known(values, 'lagThreshold');
  if (lag !== undefined && (parseGoInt(lag, 64) ?? 1n) <= 0n) errors.push('"lagThreshold" must be positive number');
  const activation = known(values, 'activationLagThreshold');
  if (activation !== undefined && (parseGoInt(activation, 64) ?? 0n) < 0n) errors.push('"activationLagThreshold" must be a non-negative number');
  const limitation = known(values, 'partitionLimitation');
  if (limitation !== undefined && limitation.trim() !== '') {
    for (const part of limitation.split(',').map(p => p.trim())) {
      const ends = part.includes('-') ? part.split('-') : [part];
      if (ends.length > 2 || ends.some(e => parseGoInt(e.trim(), 32) === undefined)) errors.push(`invalid partition limitation: ${part}`);
    }
  }
  const topic = present(values, 'topic');
  const limitToLag = knownBool(values, 'limitToPartitionsWithLag');
  const even = knownBool(values, 'ensureEvenDistributionOfPartitions');
  if (knownBool(values, 'allowIdleConsumers') && limitToLag) errors.push('allowIdleConsumers and limitToPartitionsWithLag cannot be set simultaneously');
  if (!topic && limitToLag) errors.push('topic must be specified when using limitToPartitionsWithLag');
  if (limitToLag && even) errors.push('limitToPartitionsWithLag and ensureEvenDistributionOfPartitions cannot be set simultaneously');
  if (!topic && even) errors.push('topic must be specified when using ensureEvenDistributionOfPartitions');
  // L189-L203 parseTLS(): with tls enable, cert and key together (a tls from a Secret may be enable)
  const tls = values.get('tls');
  if (tls === 'enable' || tls === UNKNOWN) {
    if (present(values, 'cert') !== present(values, 'key')) errors.push(present(values, 'cert') ? 'key must be provided with cert' : 'cert must be provided with key');
  }
  // L205-L297 parseSASL(), parseOAuthParams(), parseGSSAPIParams()
  const sasl = known(values, 'sasl');
  const need = (...keys: string[]) => keys.filter(k => !present(values, k)).forEach(k => errors.push(`no ${k} given (sasl ${sasl})`));
  if (sasl === 'plaintext' || sasl === 'scram_sha256' || sasl === 'scram_sha512') need('username', 'password');
  if (sasl === 'oauthbearer') {
    const provider = known(values, 'saslTokenProvider') ?? (present(values, 'saslTokenProvider') ? undefined : 'bearer');
    if (provider === 'bearer') need('username', 'password', 'oauthTokenEndpointUri');
    if (provider === 'aws_msk_iam') {
      if (tls !== 'enable' && tls !== UNKNOWN) errors.push('TLS is required for AWS MSK authentication');
      if (!present(values, 'awsRegion')) errors.push('no awsRegion given');
    }
  }
  if (sasl === 'gssapi') {
    need('username', 'realm', 'kerberosConfig');
    if (present(values, 'password') === present(values, 'keytab')) errors.push('exactly one of \'password\' or \'keytab\' must be provided for GSSAPI authentication');
  }
  return errors;
}

// pkg/scalers/rabbitmq_scaler.go@v2.20.2 L80-L134 rabbitMQMetadata
const RABBITMQ: ParamSpec[] = [
  { names: ['queueName'], order: M },
  { names: ['mode'], order: M, default: 'Unknown' },
  { names: ['queueLength'], order: M, type: 'float64', optional: true },
  { names: ['value'], order: M, type: 'float64', optional: true },
  { names: ['activationValue'], order: M, type: 'float64', optional: true },
  { names: ['host'], order: MAE },
  { names: ['protocol'], order: MA, default: 'auto' },
  { names: ['vhostName'], order: MA, optional: true },
  { names: ['useRegex'], order: M, type: 'bool', optional: true },
  { names: ['excludeUnacknowledged'], order: M, type: 'bool', optional: true },
  { names: ['pageSize'], order: M, type: 'int64', default: '100' },
  { names: ['operation'], order: M, default: 'sum' },
  { names: ['timeout'], order: M, type: 'duration', optional: true },
  { names: ['username'], order: ['authParams', 'resolvedEnv'], optional: true },
  { names: ['password'], order: ['authParams', 'resolvedEnv'], optional: true },
  { names: ['ca'], order: A, optional: true },
  { names: ['cert'], order: A, optional: true },
  { names: ['key'], order: A, optional: true },
  { names: ['keyPassword'], order: A, optional: true },
  { names: ['tls'], order: A, default: 'disable' },
  { names: ['unsafeSsl'], order: M, type: 'bool', optional: true },
  { names: ['workloadIdentityResource'], order: A, optional: true },
  { names: ['oauthTokenURI'], order: A, optional: true },
  { names: ['clientID'], order: A, optional: true },
  { names: ['clientSecret'], order: A, optional: true },
];

const RABBIT_MODES = ['QueueLength', 'MessageRate', 'DeliverGetRate', 'PublishedToDeliveredRatio', 'ExpectedQueueConsumptionTime'];

function rabbitmq(input: ScalerInput): string[] {
  const { values, errors } = readTyped(input, RABBITMQ);
  // rabbitmq_scaler.go@v2.20.2 L136-L197 Validate()
  let protocol = known(values, 'protocol');
  if (protocol !== undefined && !['amqp', 'http', 'auto'].includes(protocol)) errors.push(`the protocol has to be either \`amqp\`, \`http\`, or \`auto\` but is \`${protocol}\``);
  const tls = known(values, 'tls');
  if (tls !== undefined && tls !== 'enable' && tls !== 'disable') errors.push(`incorrect value for TLS given: ${tls}`);
  if (present(values, 'cert') !== present(values, 'key')) errors.push('both key and certificate must be provided');
  const pageSize = known(values, 'pageSize');
  if (pageSize !== undefined && (parseGoInt(pageSize, 64) ?? 1n) < 1n) errors.push('pageSize should be 1 or greater');
  if (present(values, 'username') !== present(values, 'password')) errors.push('username and password must be given together');
  const host = known(values, 'host');
  if (protocol === 'auto') {
    protocol = undefined;
    if (host !== undefined) {
      const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(host)?.[1]?.toLowerCase() ?? '';
      if (scheme === 'amqp' || scheme === 'amqps') protocol = 'amqp';
      else if (scheme === 'http' || scheme === 'https') protocol = 'http';
      else errors.push(`unknown host URL scheme: \`${scheme}\``);
    }
  }
  if (protocol === 'amqp' && present(values, 'workloadIdentityResource')) errors.push('workload identity is not supported for the AMQP protocol at the moment');
  // L199-L224 validateOAuth2()
  const oauth = ['oauthTokenURI', 'clientID', 'clientSecret'].filter(k => present(values, k));
  if (oauth.length > 0) {
    if (oauth.length < 3) errors.push('OAuth2 requires tokenUrl clientId and clientSecret to be configured in TriggerAuthentication');
    if (protocol === 'amqp') errors.push('OAuth2 authentication is only supported with HTTP protocol, not AMQP');
    if ((present(values, 'username') && present(values, 'password')) || present(values, 'workloadIdentityResource')) {
      errors.push('OAuth2 authentication cannot be combined with username/password authentication or Azure Workload Identity');
    }
  }
  if (knownBool(values, 'useRegex') && protocol !== undefined && protocol !== 'http') errors.push('configure useRegex=true only with HTTP protocol');
  if (knownBool(values, 'excludeUnacknowledged') && protocol !== undefined && protocol !== 'http') errors.push('configure excludeUnacknowledged=true only with HTTP protocol');
  // L226-L287 validateTrigger()
  const num = (k: string) => Number(known(values, k) ?? 0);
  const mode = known(values, 'mode') ?? 'Unknown';
  const queueLength = num('queueLength');
  const value = num('value');
  if (queueLength === 0 && mode === 'Unknown' && value === 0) return errors;
  if (queueLength !== 0) {
    if (mode !== 'Unknown' || value !== 0) errors.push('queueLength is deprecated; use mode and value');
    return errors;
  }
  if (mode === 'Unknown') errors.push('mode must be specified');
  else if (value === 0) errors.push('value must be specified');
  else if (!RABBIT_MODES.includes(mode)) errors.push(`trigger mode ${mode} must be one of ${RABBIT_MODES.join(', ')}`);
  else if (mode !== 'QueueLength' && protocol !== undefined && protocol !== 'http') errors.push(`protocol ${protocol} not supported; must be HTTP to use trigger mode ${mode}`);
  if (protocol === 'amqp' && present(values, 'timeout')) errors.push('AMQP protocol doesn\'t support custom timeouts');
  return errors;
}
