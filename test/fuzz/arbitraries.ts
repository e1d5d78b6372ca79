/**
 * Generators shared by the fuzz targets: each produces mostly valid values, the boundaries on both sides, values a
 * TypeScript caller can pass that are still wrong, and wrong JavaScript types as a JSON, YAML or jsii caller passes them.
 */
import { Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';

/** Values of the wrong type for any prop: what a JSON/YAML config or a loosely typed caller passes. */
export function wrongType(): fc.Arbitrary<any> {
  return fc.constantFrom<any>(null, 'false', 'true', '', '3', 0, -1, NaN, Infinity, -Infinity, 1e21, true, false, {}, [], [1], { a: 1 },
    'Infinity', Symbol.for('x'), () => 1, new Date(0));
}

/** Mostly `arb`, sometimes a wrong type; `weight` is how many valid draws per wrong one. */
export function orWrong<T>(arb: fc.Arbitrary<T>, weight = 12): fc.Arbitrary<any> {
  return fc.oneof({ arbitrary: arb, weight }, { arbitrary: wrongType(), weight: 1 });
}

/** `undefined` (the default applies) or `arb`, sometimes a wrong type. */
export function optional<T>(arb: fc.Arbitrary<T>, weight = 12): fc.Arbitrary<any> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight }, { arbitrary: wrongType(), weight: 1 });
}

/** Whole numbers in [min, max] with the boundaries, one past each, fractions, and the int32 edges. */
export function wholeNumber(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.integer({ min, max: Math.min(max, Number.MAX_SAFE_INTEGER) }), weight: 10 },
    { arbitrary: fc.constantFrom(min, max, min - 1, max + 1, min + 0.5, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), 2 ** 53, -0), weight: 3 },
    { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity), weight: 1 },
  );
}

/** Numbers in [min, max] with boundaries, zero, negatives and non-finite values. */
export function realNumber(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), weight: 10 },
    { arbitrary: fc.constantFrom(min, max, 0, -1, -0.001, max * 10, 1e21, Number.MIN_VALUE, Number.MAX_VALUE), weight: 3 },
    { arbitrary: fc.constantFrom(NaN, Infinity, -Infinity), weight: 1 },
  );
}

/** Durations from `minSeconds` to `maxSeconds`, plus zero, fractions of a second, huge and infinite lengths. */
export function duration(minSeconds: number, maxSeconds: number): fc.Arbitrary<Duration> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: minSeconds, max: maxSeconds }).map((s) => Duration.seconds(s)), weight: 10 },
    { arbitrary: fc.constantFrom(0, 1, minSeconds, maxSeconds, maxSeconds + 1).map((s) => Duration.seconds(s)), weight: 3 },
    {
      arbitrary: fc.constantFrom(Duration.millis(1500), Duration.millis(1), Duration.days(100_000),
        Duration.seconds(Infinity), Duration.seconds(NaN)),
      weight: 2,
    },
  );
}

/** Sizes in GiB from `min` to `max`, plus zero, fractions, huge and non-finite sizes. */
export function size(minGi: number, maxGi: number): fc.Arbitrary<Size> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: minGi, max: maxGi }).map((g) => Size.gibibytes(g)), weight: 10 },
    {
      arbitrary: fc.constantFrom(Size.mebibytes(1), Size.gibibytes(0), Size.mebibytes(1.5), Size.pebibyte(100),
        Size.gibibytes(Infinity), Size.gibibytes(NaN)),
      weight: 2,
    },
  );
}

/** DNS-1123 labels, and names that are not: uppercase, too long, leading dash, underscores, dots, empty, unicode. */
export function dnsLabel(): fc.Arbitrary<string> {
  const valid = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/);
  return fc.oneof(
    { arbitrary: valid, weight: 10 },
    { arbitrary: fc.constantFrom('', 'Chat', '-chat', 'chat-', 'chat_1', 'chat.v1', 'a'.repeat(64), 'a'.repeat(63), 'ché', 'a b', '1chat', 'x'), weight: 3 },
    { arbitrary: fc.string({ maxLength: 80 }), weight: 1 },
  );
}

/** Label maps: valid keys and values, keys with prefixes, and bad keys and values. */
export function labels(): fc.Arbitrary<{ [key: string]: string }> {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom('team', 'release', 'example.com/team', 'app.kubernetes.io/part-of'), weight: 8 },
    { arbitrary: fc.constantFrom('', 'Bad Key', 'a/b/c', '-x', 'x'.repeat(64), 'Example.com/x', '/x', 'x/'), weight: 2 },
  );
  const value = fc.oneof(
    { arbitrary: fc.constantFrom('ml', 'kube-prometheus-stack', 'A_1.b', ''), weight: 8 },
    { arbitrary: fc.constantFrom('has space', 'x'.repeat(64), '-x', 'é', 'a/b'), weight: 2 },
  );
  return fc.dictionary(key, value, { maxKeys: 3 });
}

/** Environment maps: valid names and values, and names Kubernetes refuses. */
export function env(): fc.Arbitrary<{ [key: string]: string }> {
  const name = fc.oneof(
    { arbitrary: fc.constantFrom('HF_HOME', 'VLLM_LOGGING_LEVEL', 'a.b-c', '_X', 'TOKENIZERS_PARALLELISM', 'MAX_TOKENS'), weight: 8 },
    // Kubernetes refuses the first; the library refuses credentials in plain text (secretEnv holds them).
    { arbitrary: fc.constantFrom('', '1X', 'A B', 'A=B', 'É', 'HF_TOKEN', 'DB_PASSWORD', 'wandb_api_key'), weight: 2 },
  );
  return fc.dictionary(name, fc.string({ maxLength: 20 }), { maxKeys: 3 });
}

/** secretEnv maps that are valid: Secret keys under variable names no construct sets. */
export function validSecretEnv(): fc.Arbitrary<{ [key: string]: any }> {
  const ref = fc.record({
    secretName: fc.constantFrom('hf-token', 'team.secrets', 'a'),
    key: fc.constantFrom('token', 'api.key', 'A_B-c', 'k'.repeat(253)),
    optional: fc.option(fc.boolean(), { nil: undefined }),
  }, { requiredKeys: ['secretName', 'key'] });
  return fc.dictionary(fc.constantFrom('HF_TOKEN', 'WANDB_API_KEY', 's3.secret-key'), ref, { maxKeys: 2 });
}

/**
 * secretEnv maps: valid ones, and names Kubernetes refuses, names the constructs set themselves or that `env()` also
 * draws, bad Secret names and keys, a non-boolean `optional`, and wrong types for a reference.
 */
export function secretEnv(): fc.Arbitrary<any> {
  const name = fc.oneof(
    { arbitrary: fc.constantFrom('HF_TOKEN', 'WANDB_API_KEY', 'a.b-c'), weight: 8 },
    { arbitrary: fc.constantFrom('', '1X', 'A=B', 'HOME', 'HF_HOME', 'PORT', 'SHARD_COUNT', 'TUNE_NUM_SAMPLES', 'VLLM_LOGGING_LEVEL', 'MAX_TOKENS'), weight: 2 },
  );
  const ref = fc.oneof(
    { arbitrary: fc.record({ secretName: fc.constantFrom('hf-token', 'team.secrets'), key: fc.constantFrom('token', 'api.key') }), weight: 8 },
    {
      arbitrary: fc.record({
        secretName: fc.constantFrom<any>('', 'HF_Token', 'a'.repeat(254), 'x.', undefined, 3),
        key: fc.constantFrom<any>('', 'a/b', 'k'.repeat(254), 'to ken', 'token', undefined),
        optional: fc.constantFrom<any>(undefined, true, 'false', 1),
      }, { requiredKeys: [] }),
      weight: 3,
    },
    { arbitrary: wrongType(), weight: 1 },
  );
  return fc.oneof({ arbitrary: validSecretEnv(), weight: 4 }, { arbitrary: fc.dictionary(name, ref, { maxKeys: 3 }), weight: 4 },
    { arbitrary: wrongType(), weight: 1 });
}

/** Image references, and strings that are not. */
export function image(valid: string[] = ['vllm/vllm-openai:v0.12.0']): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...valid), weight: 10 },
    { arbitrary: fc.constantFrom('registry.example.com:5000/team/model:1.0', `ghcr.io/a/b@sha256:${'a'.repeat(64)}`), weight: 2 },
    { arbitrary: fc.constantFrom('', 'Bad/Image', 'a b:1', 'x:', ':tag', 'repo:tag with space', 'a//b', `x:${'t'.repeat(129)}`), weight: 3 },
    // Well-formed but not pinned: refused unless allowUnpinnedImage.
    { arbitrary: fc.constantFrom('example/model', 'example/model:latest', 'registry.example.com:5000/team/model:LATEST'), weight: 2 },
  );
}
