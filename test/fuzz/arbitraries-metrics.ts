/**
 * Generators for the scaling metrics, queue triggers, engines and behaviors: valid values, boundaries on both sides,
 * strings that would break the PromQL, label selector or KEDA metadata they are written into, and wrong JavaScript types.
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { duration, optional, orWrong, realNumber, wholeNumber, wrongType } from './arbitraries';

/** Prometheus series names: the vLLM server's own, DCGM's, and strings that would break a PromQL query. */
export function seriesName(valid: string[]): fc.Arbitrary<any> {
  return orWrong(fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 10 },
    { arbitrary: fc.constantFrom('my_counter_total', 'ns:series'), weight: 2 },
    { arbitrary: fc.constantFrom('', ' ', 'bad name', '1abc', 'a"b', 'x{y="1"}', 'x}[5m]) or vector(1', 'é', 'a-b', 'a\nb'), weight: 3 },
  ));
}

/** A Duration for a rate window: whole seconds, fractions, zero, infinite. */
export function rateWindow(): fc.Arbitrary<any> {
  return optional(duration(1, 3600));
}

/** A metric target: per-pod values with thousandths, boundaries, too many decimals, non-finite. */
export function target(max = 1000): fc.Arbitrary<any> {
  return orWrong(fc.oneof(
    { arbitrary: fc.integer({ min: 1, max }), weight: 6 },
    { arbitrary: fc.integer({ min: 1, max: max * 1000 }).map((m) => m / 1000), weight: 3 },
    { arbitrary: realNumber(0, max), weight: 4 },
    { arbitrary: fc.constantFrom(0.0001, 1.2345, max + 1, 1e21, 2 ** 53), weight: 1 },
  ));
}

/** Label maps for an external metric's selector: Prometheus- and Kubernetes-valid keys, and keys either refuses. */
export function matchLabels(): fc.Arbitrary<any> {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom('queue', 'queue_name', 'topic'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'a-b', 'example.com/queue', '1x', 'a b', 'x'.repeat(64), 'a"b'), weight: 2 },
  );
  const value = fc.oneof(
    { arbitrary: fc.constantFrom('ml-jobs', 'A_1.b', ''), weight: 8 },
    { arbitrary: fc.constantFrom('has space', 'x'.repeat(64), 'a"b', 'a\\b', '-x', 'é'), weight: 2 },
  );
  return optional(fc.dictionary(key, orWrong(value, 20), { maxKeys: 3 }));
}

/** Five-field cron expressions, and ones KEDA's parser refuses. */
export function cron(): fc.Arbitrary<any> {
  return orWrong(fc.oneof(
    { arbitrary: fc.tuple(fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 23 })).map(([m, h]) => `${m} ${h} * * 1-5`), weight: 10 },
    { arbitrary: fc.constantFrom('0 8 * * *', '*/5 * * * *', '0 0 1 jan *'), weight: 2 },
    { arbitrary: fc.constantFrom('', '0 8 * *', '0 0 8 * * *', '@daily', '60 8 * * *', '0 8 * * 7', 'TZ=UTC 0 8 * * *', '0 8 * * 1-5\n'), weight: 3 },
  ));
}

/** Trigger names (KEDA trigger and composite-formula identifiers). */
export function triggerName(): fc.Arbitrary<any> {
  return optional(fc.oneof(
    { arbitrary: fc.constantFrom('business_hours', 'cron', 'peak2', '_x'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'a-b', '1x', 'a b', 'x'.repeat(200), 'é'), weight: 2 },
  ));
}

/** Time zones: tz database names, wrong case, unknown zones. */
export function timeZone(): fc.Arbitrary<any> {
  return optional(fc.oneof(
    { arbitrary: fc.constantFrom('Etc/UTC', 'Europe/Berlin', 'America/New_York'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'europe/berlin', 'Mars/Olympus', 'UTC+1', 'a"b'), weight: 2 },
  ));
}

/** Replica counts. */
export function replicas(max = 10_000): fc.Arbitrary<any> {
  return orWrong(wholeNumber(1, max));
}

/** A Duration, sometimes a wrong type. */
export function anyDuration(minSeconds: number, maxSeconds: number): fc.Arbitrary<any> {
  return orWrong(duration(minSeconds, maxSeconds) as fc.Arbitrary<Duration>);
}

/** An options struct: mostly undefined or a record, sometimes a wrong type. */
export function options<T>(record: fc.Arbitrary<T>): fc.Arbitrary<any> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: record, weight: 12 }, { arbitrary: wrongType(), weight: 1 });
}

export { optional, orWrong, wrongType, wholeNumber, realNumber, duration };

/**
 * The props of a predictive plan (`PredictiveScaling.plan`) whose windows become cron windows: a daily curve over a
 * few days, in several time zones, with the trigger limit low enough to merge windows. The case makes the plan.
 */
export function planProps(): fc.Arbitrary<any> {
  return fc.record({
    days: fc.integer({ min: 1, max: 7 }),
    peak: fc.double({ min: 1, max: 300, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1000 }),
    capacityPerReplica: fc.constantFrom(1, 5, 20, 50),
    timeZone: fc.constantFrom(undefined, 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
    maxTriggers: fc.constantFrom(undefined, 2, 4, 28),
    maxReplicas: fc.constantFrom(undefined, 20, 10_000),
  }).map(({ days, peak, seed, ...rest }) => ({
    history: Array.from({ length: days * 24 }, (_, i) => Math.max(0, peak * Math.sin(Math.PI * (i % 24) / 24) + ((seed * (i + 7)) % 13))),
    interval: Duration.hours(1),
    startTime: new Date('2026-03-02T00:00:00Z'),
    ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
  }));
}

/** A plan argument: the props of a real plan (`{ plan }`), a look-alike object that is no plan, or a wrong type. */
export function planArg(): fc.Arbitrary<any> {
  return fc.oneof(
    { arbitrary: planProps().map((plan) => ({ plan })), weight: 12 },
    { arbitrary: fc.constant({ windows: [{ start: '0 8 * * 1', end: '0 9 * * 1', replicas: 2 }], timeZone: 'Etc/UTC' }), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/**
 * The reactive metrics next to a plan's windows: left out, a list of factory calls (`{ metric: [factory, ...args] }`,
 * including a cron window whose name a plan's window takes), or a list with wrong elements, or a wrong type.
 */
export function reactiveArg(metric: fc.Arbitrary<any>): fc.Arbitrary<any> {
  const clash = fc.constant(['cronWindow', '0 6 * * *', '0 7 * * *', 2, { name: 'predicted_1' }]);
  const element = fc.oneof(
    { arbitrary: metric.map((m) => ({ metric: m })), weight: 12 },
    { arbitrary: clash.map((m) => ({ metric: m })), weight: 1 },
    { arbitrary: wrongType(), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.array(element, { maxLength: 3 }), weight: 10 },
    { arbitrary: wrongType(), weight: 1 },
  );
}

/** Image references: each preset's repositories (with registry prefixes, tags and digests), others, and strings no registry takes. */
export function imageRef(): fc.Arbitrary<any> {
  const repo = fc.constantFrom('vllm/vllm-openai', 'docker.io/vllm/vllm-openai', 'ghcr.io/huggingface/text-embeddings-inference',
    'nvcr.io/nvidia/tritonserver', 'lmsysorg/sglang', 'docker.io/lmsysorg/sglang', 'ghcr.io/huggingface/text-generation-inference',
    'registry.internal/vllm-openai', 'localhost:5000/vllm/vllm-openai', 'registry.example.com/team/reranker', 'busybox', 'library/nginx');
  const ref = fc.oneof(
    { arbitrary: fc.constant(''), weight: 2 },
    { arbitrary: fc.constantFrom(':v0.12.0', ':cpu-1.8', ':24.11-py3', ':v0.5.6.post2-cu129', ':3.3.7', ':latest'), weight: 8 },
    { arbitrary: fc.constant(`@sha256:${'a'.repeat(64)}`), weight: 1 },
  );
  return orWrong(fc.oneof(
    { arbitrary: fc.tuple(repo, ref).map(([r, t]) => r + t), weight: 12 },
    {
      arbitrary: fc.constantFrom('', ' ', 'VLLM/vllm-openai:v0.12.0', 'vllm/vllm-openai:', 'vllm/vllm-openai:v 1', 'vllm/vllm-openai:v0.12.0\n',
        'vllm/vllm-openai@', ':v0.12.0', '/vllm', 'vllm//vllm-openai', 'x'.repeat(600), 'vllm/vllm-openai:' + 'v'.repeat(129), 'é/x'),
      weight: 4,
    },
  ), 16);
}
