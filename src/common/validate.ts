/**
 * The library's input checks, written once per kind of value. Every construct, value class and planner checks its
 * props through these, so every error has one shape, `[path] 'prop' (value) problem: fix` (see errors.ts), and a
 * wrong JavaScript type (the string "false" for a boolean, a number for a name, a missing struct) is an error naming
 * the prop, never a TypeError from deep inside. Props reach the library from TypeScript, from YAML/JSON files and
 * from Python, Java, Go and .NET through jsii, so none of these trusts the static type.
 *
 * Each `check*` returns the value it was given when it passes (narrowed to its type), and throws otherwise.
 * `undefined` passes the checks of optional values (`checkOptional*`), never the others.
 *
 * The Kubernetes rules are those of k8s.io/apimachinery/pkg/util/validation (validation.go, Kubernetes 1.28):
 * IsDNS1123Label, IsDNS1123Subdomain, IsDNS1035Label, IsQualifiedName, IsValidLabelValue, IsEnvVarName,
 * IsValidPortNum, and the int32 fields of the core API.
 */
import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { describeValue, invalidProp } from './errors';
import { isDns1035Label, isDns1123Label, isDns1123Subdomain, suggestName } from './names';
import { parseQuantity } from './quantity';
import { instantShown, isInstant } from './time-zones';

/** Where an error is raised: a construct (its path is named) or the name of a planner or value class. */
export type Where = IConstruct | string;

/** The largest value of an int32 field of the Kubernetes API (replicas, ports, UIDs, ...). */
export const INT32_MAX = 2147483647;

/** The type of a value as a JavaScript or JSON caller would call it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'object') {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? withArticle(name) : 'an object';
  }
  return `a ${typeof value}`;
}

/** `a Duration`, `an ApiObject`. */
export function withArticle(noun: string): string {
  return `${/^[AEIOUaeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** Throws unless the value is defined (a required prop or struct). */
export function checkDefined<T>(where: Where, prop: string, value: T | undefined | null, fix: string): T {
  if (value === undefined || value === null) invalidProp(where, prop, value, 'is required', fix);
  return value;
}

/** Throws unless the value is a plain object (a props struct); `undefined` passes when `optional`. */
export function checkStruct(where: Where, prop: string, value: unknown, fix: string, optional = false): void {
  if (value === undefined && optional) return;
  if (value === null || value === undefined || typeof value !== 'object' || Array.isArray(value)) {
    invalidProp(where, prop, value, `must be an object of named fields, not ${typeName(value)}`, fix);
  }
}

/** Throws unless the value is `true` or `false`; `undefined` passes (the prop's default applies). */
export function checkOptionalBoolean(where: Where, prop: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  // The string "false" is truthy: accepting it would turn a setting on that the caller meant off.
  return invalidProp(where, prop, value, `must be true or false (a boolean), not ${typeName(value)}`,
    `write ${prop}: ${value === 'false' || value === 0 ? 'false' : 'true'} without quotes, or leave it unset for the default`);
}

/** Throws unless the value is a string (of at most `maxLength` characters). */
export function checkString(where: Where, prop: string, value: unknown, fix: string, maxLength = 63 * 1024): string {
  if (typeof value !== 'string') return invalidProp(where, prop, value, `must be a string, not ${typeName(value)}`, fix);
  if (value.length > maxLength) invalidProp(where, prop, value, `is ${value.length} characters long, more than the ${maxLength} allowed`, fix);
  return value;
}

/** Throws unless the value is a string without line breaks, non-empty (after trimming) and at most `maxLength` long. */
export function checkText(where: Where, prop: string, value: unknown, fix: string, maxLength = 1024): string {
  const s = checkString(where, prop, value, fix, maxLength);
  if (s.trim() === '') invalidProp(where, prop, value, 'must not be empty', fix);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(s)) invalidProp(where, prop, value, 'must not contain line breaks or control characters', fix);
  return s;
}

/** Bounds of a number. */
export interface NumberBounds {
  /** Smallest allowed value. */
  readonly min?: number;
  /** Whether `min` itself is excluded (a value must be above it). */
  readonly minExclusive?: boolean;
  /** Largest allowed value. */
  readonly max?: number;
  /** What the number is, for the message (e.g. 'a fraction', 'US dollars per hour'). */
  readonly what?: string;
}

function rangeText(b: NumberBounds, whole: boolean): string {
  const kind = b.what ?? (whole ? 'a whole number' : 'a number');
  const low = b.min === undefined ? undefined : `${b.minExclusive ? 'above' : 'at least'} ${b.min}`;
  const high = b.max === undefined || b.max >= Number.MAX_SAFE_INTEGER ? undefined : `at most ${b.max}`;
  if (low && high) return `${kind} ${low} and ${high}`;
  return [kind, low ?? high].filter(Boolean).join(' ');
}

/** Throws unless the value is a finite number within the bounds. */
export function checkNumber(where: Where, prop: string, value: unknown, bounds: NumberBounds, fix: string): number {
  const ok = typeof value === 'number' && Number.isFinite(value)
    && (bounds.min === undefined || (bounds.minExclusive ? value > bounds.min : value >= bounds.min))
    && (bounds.max === undefined || value <= bounds.max);
  if (!ok) invalidProp(where, prop, value, `must be ${rangeText(bounds, false)}`, fix);
  return value as number;
}

/** Throws unless the value is a whole number within the bounds (default: 0 to the int32 maximum). */
export function checkWhole(where: Where, prop: string, value: unknown, bounds: NumberBounds, fix: string): number {
  const b = { min: bounds.min ?? 0, max: bounds.max ?? INT32_MAX, minExclusive: bounds.minExclusive, what: bounds.what };
  const ok = typeof value === 'number' && Number.isSafeInteger(value)
    && (b.minExclusive ? value > b.min : value >= b.min) && value <= b.max;
  if (!ok) invalidProp(where, prop, value, `must be ${rangeText(b, true)}`, fix);
  return value as number;
}

/** `checkNumber` for an optional value. */
export function checkOptionalNumber(where: Where, prop: string, value: unknown, bounds: NumberBounds, fix: string): number | undefined {
  return value === undefined ? undefined : checkNumber(where, prop, value, bounds, fix);
}

/** `checkWhole` for an optional value. */
export function checkOptionalWhole(where: Where, prop: string, value: unknown, bounds: NumberBounds, fix: string): number | undefined {
  return value === undefined ? undefined : checkWhole(where, prop, value, bounds, fix);
}

/** Throws unless the value is a TCP/UDP port number (1 to 65535, IsValidPortNum). */
export function checkPort(where: Where, prop: string, value: unknown, fix: string): number {
  return checkWhole(where, prop, value, { min: 1, max: 65535, what: 'a port number' }, fix);
}

/** Bounds of a Duration. */
export interface DurationBounds {
  /** Shortest allowed. @default - zero */
  readonly min?: Duration;
  /** Whether `min` itself is excluded. */
  readonly minExclusive?: boolean;
  /** Longest allowed. @default - none beyond what the output field holds */
  readonly max?: Duration;
  /** Whether it is written as whole seconds (most Kubernetes fields are). */
  readonly wholeSeconds?: boolean;
}

/** Throws unless the value is a `Duration` of a finite length within the bounds. */
export function checkDuration(where: Where, prop: string, value: unknown, bounds: DurationBounds, fix: string): Duration {
  if (!(value instanceof Duration)) {
    return invalidProp(where, prop, value, `must be a Duration (e.g. Duration.seconds(30)), not ${typeName(value)}`, fix);
  }
  const ms = value.toMilliseconds({ integral: false });
  const min = bounds.min?.toMilliseconds({ integral: false }) ?? 0;
  const max = bounds.max?.toMilliseconds({ integral: false });
  const text = (d: Duration | undefined) => describeValue(d);
  if (!Number.isFinite(ms) || ms < 0) invalidProp(where, prop, value, 'must be a finite length of time', fix);
  if (bounds.minExclusive ? ms <= min : ms < min) {
    invalidProp(where, prop, value, bounds.minExclusive ? `must be longer than ${min === 0 ? 'zero' : text(bounds.min)}` : `must be at least ${text(bounds.min)}`, fix);
  }
  if (max !== undefined && ms > max) invalidProp(where, prop, value, `must be at most ${text(bounds.max)}`, fix);
  if (bounds.wholeSeconds && ms % 1000 !== 0) invalidProp(where, prop, value, 'must be a whole number of seconds (the field is written in seconds)', fix);
  return value;
}

/** `checkDuration` for an optional value. */
export function checkOptionalDuration(where: Where, prop: string, value: unknown, bounds: DurationBounds, fix: string): Duration | undefined {
  return value === undefined ? undefined : checkDuration(where, prop, value, bounds, fix);
}

/** Throws unless the value is a `Size` of a finite amount of at least `min` mebibytes. */
export function checkSize(where: Where, prop: string, value: unknown, fix: string, minMebibytes = 0): Size {
  if (!(value instanceof Size)) return invalidProp(where, prop, value, `must be a Size (e.g. Size.gibibytes(16)), not ${typeName(value)}`, fix);
  const mib = value.toKibibytes({ rounding: 2 as any }) / 1024;
  if (!Number.isFinite(mib) || mib < minMebibytes) {
    invalidProp(where, prop, value, minMebibytes > 0 ? `must be a finite size of at least ${minMebibytes} MiB` : 'must be a finite size', fix);
  }
  return value;
}

/** Throws unless the value is one of `allowed` (the members of an enum, or the strings a field takes). */
export function checkOneOf<T>(where: Where, prop: string, value: unknown, allowed: readonly T[], fix: string): T {
  if (!allowed.includes(value as T)) {
    invalidProp(where, prop, value, `must be one of ${allowed.map((a) => describeValue(a)).join(', ')}`, fix);
  }
  return value as T;
}

/** Throws unless the value is an instance of `type` (an enum-like class, made by its static methods). */
export function checkInstance<T>(where: Where, prop: string, value: unknown, type: { readonly prototype: T; readonly name: string }, fix: string): T {
  if (!(value instanceof (type as unknown as new () => T))) {
    invalidProp(where, prop, value, `must be ${withArticle(type.name)} (made by its static methods), not ${typeName(value)}`, fix);
  }
  return value as T;
}

/** Throws unless the value is a list of `minLength` to `maxLength` items. */
export function checkList<T = unknown>(where: Where, prop: string, value: unknown, bounds: { min?: number; max?: number }, fix: string): T[] {
  if (!Array.isArray(value)) return invalidProp(where, prop, value, `must be a list, not ${typeName(value)}`, fix);
  const min = bounds.min ?? 0;
  if (value.length < min) invalidProp(where, prop, value, min === 1 ? 'must not be empty' : `must hold at least ${min} items`, fix);
  if (bounds.max !== undefined && value.length > bounds.max) {
    invalidProp(where, prop, `${value.length} items`, `must hold at most ${bounds.max} items`, fix);
  }
  return value as T[];
}

/** Throws when two items of the list have the same key (names of containers, ports, mount paths, ...). */
export function checkUnique<T>(where: Where, prop: string, items: readonly T[], key: (item: T) => string, fix: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) invalidProp(where, prop, k, 'appears twice', fix);
    seen.add(k);
  }
}

/** Throws unless the value is a map of string keys to string values (labels, env, node selectors). */
export function checkStringMap(where: Where, prop: string, value: unknown, fix: string, maxEntries = 256): { [key: string]: string } {
  checkStruct(where, prop, value, fix);
  const entries = Object.entries(value as object);
  if (entries.length > maxEntries) invalidProp(where, prop, `${entries.length} entries`, `must hold at most ${maxEntries} entries`, fix);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') invalidProp(where, `${prop}.${k}`, v, `must be a string, not ${typeName(v)}`, fix);
  }
  return value as { [key: string]: string };
}

/*
 * Names of Kubernetes objects and their parts.
 */

const DNS1123_LABEL_TEXT = 'a DNS-1123 label (at most 63 characters: lowercase letters, digits and \'-\', starting and ending with a letter or digit)';
const DNS1123_SUBDOMAIN_TEXT = 'a DNS-1123 subdomain (at most 253 characters: lowercase letters, digits, \'-\' and \'.\', each dot-separated part starting and ending with a letter or digit)';

/** Throws unless the value is a DNS-1123 label (Service, container, port-less names; namespaces). */
export function checkDns1123Label(where: Where, prop: string, value: unknown, fix?: string): string {
  const s = checkString(where, prop, value, fix ?? 'give a DNS-1123 label such as "my-service"');
  if (!isDns1123Label(s)) invalidProp(where, prop, s, `is not ${DNS1123_LABEL_TEXT}`, fix ?? `use a name such as "${suggestName(s)}"`);
  return s;
}

/** Throws unless the value is a DNS-1123 subdomain (most object names: PriorityClass, NodePool, ConfigMap, ...). */
export function checkDns1123Subdomain(where: Where, prop: string, value: unknown, fix?: string): string {
  const s = checkString(where, prop, value, fix ?? 'give a DNS-1123 subdomain such as "my-name"');
  if (!isDns1123Subdomain(s)) invalidProp(where, prop, s, `is not ${DNS1123_SUBDOMAIN_TEXT}`, fix ?? `use a name such as "${suggestName(s)}"`);
  return s;
}

/** Throws unless the value is a DNS-1035 label of at most `maxLength` characters (port names start with a letter too). */
export function checkDns1035Label(where: Where, prop: string, value: unknown, maxLength = 63, fix?: string): string {
  const s = checkString(where, prop, value, fix ?? 'give a lowercase name that starts with a letter, such as "my-name"');
  if (!isDns1035Label(s, maxLength)) {
    invalidProp(where, prop, s, `is not a DNS-1035 label of at most ${maxLength} characters (lowercase letters, digits and '-', starting with a letter and ending with a letter or digit)`,
      fix ?? `use a name such as "${suggestName(s).replace(/^[^a-z]+/, '').slice(0, maxLength).replace(/-+$/, '') || 'my-name'}"`);
  }
  return s;
}

/** Throws unless the value is an IANA_SVC_NAME (a named container or Service port: at most 15 characters, a letter among them, no '--'). */
export function checkPortName(where: Where, prop: string, value: unknown, fix?: string): string {
  const s = checkString(where, prop, value, fix ?? 'give a port name such as "http"');
  const ok = s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
  if (!ok) {
    invalidProp(where, prop, s, 'is not a port name (at most 15 characters: lowercase letters, digits and \'-\', at least one letter, no \'--\', starting and ending with a letter or digit)',
      fix ?? 'use a name such as "http" or "metrics"');
  }
  return s;
}

const QUALIFIED_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Whether a key is a Kubernetes qualified name (label and annotation keys: an optional DNS prefix and '/', a name of at most 63). */
export function isQualifiedName(key: string): boolean {
  const parts = key.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1];
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return false;
  if (parts.length === 2) return parts[0].length > 0 && isDns1123Subdomain(parts[0]);
  return true;
}

/** Whether a value is a valid label value (at most 63 characters, empty allowed). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** Throws unless every key is a qualified name and every value a label value. */
export function checkLabels(where: Where, prop: string, value: unknown, fix?: string): { [key: string]: string } {
  const f = fix ?? 'use keys such as "team" or "example.com/team" and values of at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';
  const map = checkStringMap(where, prop, value, f);
  for (const [k, v] of Object.entries(map)) {
    if (!isQualifiedName(k)) invalidProp(where, prop, k, 'has a key that is not a label key (an optional DNS subdomain and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit)', f);
    if (!isLabelValue(v)) invalidProp(where, `${prop}.${k}`, v, 'is not a label value (at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit, or empty)', f);
  }
  return map;
}

/** Throws unless the value is a label value. */
export function checkLabelValue(where: Where, prop: string, value: unknown, fix?: string): string {
  const f = fix ?? 'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';
  const s = checkString(where, prop, value, f);
  if (!isLabelValue(s)) invalidProp(where, prop, s, 'is not a label value (at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit)', f);
  return s;
}

/** Throws unless the keys are qualified names (annotations; their values are free text up to 256 KiB in all). */
export function checkAnnotations(where: Where, prop: string, value: unknown, fix?: string): { [key: string]: string } {
  const f = fix ?? 'use keys such as "example.com/owner"';
  const map = checkStringMap(where, prop, value, f);
  for (const k of Object.keys(map)) {
    if (!isQualifiedName(k)) invalidProp(where, prop, k, 'has a key that is not an annotation key (an optional DNS subdomain and \'/\', then at most 63 letters, digits, \'-\', \'_\' or \'.\')', f);
  }
  return map;
}

/** Environment variable names as Kubernetes 1.28 accepts them (IsEnvVarName: `[-._a-zA-Z][-._a-zA-Z0-9]*`). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Throws unless every key of the map is an environment variable name and every value a string. */
export function checkEnv(where: Where, prop: string, value: unknown, reserved: readonly string[] = []): { [key: string]: string } {
  const fix = 'name variables with letters, digits, \'_\', \'-\' and \'.\', not starting with a digit, e.g. HF_HOME';
  const map = checkStringMap(where, prop, value, fix);
  for (const k of Object.keys(map)) {
    if (!ENV_VAR_NAME.test(k)) invalidProp(where, prop, k, 'has a name that is not an environment variable name', fix);
    if (reserved.includes(k)) invalidProp(where, prop, k, 'names a variable the library sets itself', `leave ${k} out; the library sets it`);
  }
  return map;
}

/*
 * Image references, as github.com/distribution/reference (regexp.go) parses them: [host[:port]/]path[:tag][@digest],
 * path components lowercase, the tag at most 128 characters.
 */
const IMAGE_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const IMAGE_DOMAIN = '(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${IMAGE_DOMAIN}/)?${IMAGE_COMPONENT}(?:/${IMAGE_COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$`);

/** Whether a string is an image reference a container runtime pulls. */
export function isImageReference(image: string): boolean {
  return image.length <= 255 + 128 + 80 && IMAGE_REFERENCE.test(image);
}

/** An image reference split into repository (Docker Hub's prefixes removed), tag and digest. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const nameAndTag = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = nameAndTag.lastIndexOf(':');
  const hasTag = colon > nameAndTag.lastIndexOf('/');
  const repository = (hasTag ? nameAndTag.slice(0, colon) : nameAndTag)
    .replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
  return { repository, ...(hasTag ? { tag: nameAndTag.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

/** Throws unless the value is an image reference (`registry/repository:tag` or `...@sha256:...`). */
export function checkImage(where: Where, prop: string, value: unknown): string {
  const fix = 'give an image reference such as "vllm/vllm-openai:v0.12.0" or "registry.example.com/team/model@sha256:<64 hex digits>"';
  const s = checkString(where, prop, value, fix, 512);
  if (!isImageReference(s)) invalidProp(where, prop, s, 'is not an image reference (lowercase repository path, an optional :tag of letters, digits, \'_\', \'.\' and \'-\', an optional @digest)', fix);
  return s;
}

/** Throws unless the value is an absolute path (a mount path, an HTTP path): starts with '/', no whitespace or control characters. */
export function checkAbsolutePath(where: Where, prop: string, value: unknown, fix: string): string {
  const s = checkString(where, prop, value, fix, 1024);
  // eslint-disable-next-line no-control-regex
  if (!s.startsWith('/') || /[\s\u0000-\u001f\u007f]/.test(s)) invalidProp(where, prop, s, 'must be an absolute path (starting with \'/\', without spaces or control characters)', fix);
  return s;
}

/** Throws unless the value is a list of non-empty strings (a command, arguments) of at most `maxItems`. */
export function checkStringList(where: Where, prop: string, value: unknown, fix: string, bounds: { min?: number; max?: number } = {}): string[] {
  const list = checkList<unknown>(where, prop, value, { min: bounds.min, max: bounds.max ?? 1024 }, fix);
  list.forEach((item, i) => {
    if (typeof item !== 'string') invalidProp(where, `${prop}[${i}]`, item, `must be a string, not ${typeName(item)}`, fix);
  });
  return list as string[];
}

// --- added for the model servers, ScalingMetric, QueueTrigger, TriggerCredentials, ScalingEngine, ScalingBehavior, HpaAlgorithm

/** Prometheus metric names (prometheus/common model.IsValidLegacyMetricName): `[a-zA-Z_:][a-zA-Z0-9_:]*`. */
const PROMETHEUS_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Prometheus label names (model.LabelNameRE): `[a-zA-Z_][a-zA-Z0-9_]*`. */
const PROMETHEUS_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Throws unless the value is a Prometheus metric (series) name, as a PromQL query and a recording rule take it. */
export function checkPrometheusMetricName(where: Where, prop: string, value: unknown, fix?: string): string {
  const f = fix ?? 'use letters, digits, \'_\' and \':\' only, not starting with a digit, e.g. "vllm:num_requests_waiting"';
  const s = checkString(where, prop, value, f, 1024);
  if (!PROMETHEUS_METRIC_NAME.test(s)) {
    invalidProp(where, prop, s, 'is not a Prometheus metric name (letters, digits, \'_\' and \':\', not starting with a digit)', f);
  }
  return s;
}

/** `checkInstance` for an optional value. */
export function checkOptionalInstance<T>(where: Where, prop: string, value: unknown, type: { readonly prototype: T; readonly name: string },
  fix: string): T | undefined {
  return value === undefined ? undefined : checkInstance(where, prop, value, type, fix);
}

/** Throws when two mount paths of one container are the same directory (`/models` and `/models/` included). */
export function checkUniquePaths(where: Where, prop: string, paths: readonly string[], fix: string): void {
  checkUnique(where, prop, paths, (p) => (p.replace(/\/+$/, '') || '/').replace(/\/{2,}/g, '/'), fix);
}

/**
 * Throws unless the value is a map that is both a Kubernetes label selector (`matchLabels`) and a set of PromQL label
 * matchers: keys are Prometheus label names of at most 63 characters, values Kubernetes label values.
 */
export function checkPrometheusLabels(where: Where, prop: string, value: unknown, fix?: string): { [key: string]: string } {
  const f = fix ?? 'use keys of letters, digits and \'_\' (not starting with a digit, e.g. "queue_name") and values of at most 63 letters, '
    + 'digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';
  const map = checkLabels(where, prop, value, f);
  for (const k of Object.keys(map)) {
    if (!PROMETHEUS_LABEL_NAME.test(k)) invalidProp(where, prop, k, 'has a key that is not a Prometheus label name (letters, digits and \'_\', not starting with a digit)', f);
  }
  return map;
}

/** Throws unless the value is an identifier: letters, digits and '_', not starting with a digit, at most `maxLength`. */
export function checkIdentifier(where: Where, prop: string, value: unknown, fix: string, maxLength = 63): string {
  const s = checkString(where, prop, value, fix, maxLength);
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(s)) invalidProp(where, prop, s, 'is not an identifier (letters, digits and \'_\', not starting with a digit)', fix);
  return s;
}

/** Throws unless the value is a number Kubernetes writes as a quantity exactly: a multiple of a thousandth. */
export function checkThousandths(where: Where, prop: string, value: number, fix: string): number {
  const milli = Math.round(value * 1000);
  if (!Number.isSafeInteger(milli) || Math.abs(milli - value * 1000) > 1e-6) {
    invalidProp(where, prop, value, 'has more precision than a Kubernetes quantity keeps (thousandths)', fix);
  }
  return value;
}

// --- added for ElasticRayTraining, HyperparameterSearch, CostAwareNodePool, GpuWorkPriorities, ScalingGuardrails

/** Throws unless the value is a list whose every item passes `checkItem` (called with the item and its prop, `prop[i]`). */
export function checkListOf<T>(where: Where, prop: string, value: unknown, bounds: { min?: number; max?: number }, fix: string,
  checkItem: (item: unknown, itemProp: string) => T): T[] {
  return checkList<unknown>(where, prop, value, bounds, fix).map((item, i) => checkItem(item, `${prop}[${i}]`));
}

/** Throws unless the value is a `Cpu` (cdk8s-plus) of a finite amount above zero and at most `maxCores`. */
export function checkCpu(where: Where, prop: string, value: unknown, fix: string, maxCores = 100_000): Cpu {
  if (!isCpu(value)) return invalidProp(where, prop, value, `must be a Cpu (e.g. Cpu.units(2) or Cpu.millis(500)), not ${typeName(value)}`, fix);
  const amount: unknown = value.amount;
  const cores = typeof amount === 'string' || typeof amount === 'number' ? parseQuantity(amount) : undefined;
  // A whole number of millicores: the API server rounds finer amounts up, and the library writes millicores.
  if (cores === undefined || !Number.isFinite(cores) || cores <= 0 || cores > maxCores || Math.abs(cores * 1000 - Math.round(cores * 1000)) > 1e-6) {
    invalidProp(where, prop, amount, `must be a CPU amount above zero and at most ${maxCores} cores, in whole millicores`, fix);
  }
  return value;
}

/**
 * A `Cpu` of cdk8s-plus-28, or of any other cdk8s-plus release (cdk8s-plus-33 in a `cdk8s init` app): each release has
 * its own class of the same shape, `{ amount: string }` made by `Cpu.units` or `Cpu.millis`, so the class is matched by
 * name and shape rather than by identity. The amount is then checked as a quantity.
 */
function isCpu(value: unknown): value is Cpu {
  if (value instanceof Cpu) return true;
  return typeof value === 'object' && value !== null && value.constructor?.name === 'Cpu' && typeof (value as { amount?: unknown }).amount === 'string';
}

/** `checkCpu` for an optional value. */
export function checkOptionalCpu(where: Where, prop: string, value: unknown, fix: string, maxCores?: number): Cpu | undefined {
  return value === undefined ? undefined : checkCpu(where, prop, value, fix, maxCores);
}

/** `checkSize` for an optional value, with an upper bound in mebibytes. */
export function checkOptionalSize(where: Where, prop: string, value: unknown, fix: string, minMebibytes = 0,
  maxMebibytes?: number): Size | undefined {
  if (value === undefined) return undefined;
  return checkSizeWithin(where, prop, value, fix, minMebibytes, maxMebibytes);
}

/** `checkSize` with an upper bound in mebibytes (a size the output field holds: a quantity, a whole number of GiB...). */
export function checkSizeWithin(where: Where, prop: string, value: unknown, fix: string, minMebibytes = 0, maxMebibytes?: number): Size {
  const size = checkSize(where, prop, value, fix, minMebibytes);
  if (maxMebibytes !== undefined && size.toKibibytes({ rounding: 2 as any }) / 1024 > maxMebibytes) {
    invalidProp(where, prop, size, `must be at most ${maxMebibytes} MiB`, fix);
  }
  return size;
}

// --- added for secretEnv and pinned images (issue 19)

/**
 * The last words of an environment variable name that holds a credential (`HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`,
 * `WANDB_API_KEY`, `AWS_SECRET_ACCESS_KEY`, `DB_PASSWORD`, `CLIENT_SECRET`, ...): the whole name, or its end after a
 * '_', '-' or '.', in any case. Settings that merely mention tokens are not matched: `TOKENIZERS_PARALLELISM`,
 * `MAX_TOKENS`, `HF_HUB_ENABLE_HF_TRANSFER`, `AWS_ACCESS_KEY_ID`.
 */
const CREDENTIAL_NAME_ENDINGS = ['TOKEN', 'PASSWORD', 'SECRET', 'SECRET_KEY', 'API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY'];
/** Names that end like a credential but hold a setting: huggingface_hub's switch, and a tokenizer's special tokens (`EOS_TOKEN`). */
const NOT_CREDENTIAL_NAMES = /^(?:HF_HUB_DISABLE_IMPLICIT_TOKEN|(?:.*_)?(?:BOS|EOS|PAD|UNK|SEP|CLS|MASK)_TOKEN)$/;

/**
 * Whether an environment variable's name says it holds a credential (see `CREDENTIAL_NAME_ENDINGS`): such a value
 * belongs in a Secret, since a plain `env` value is written into the manifest, the Git repository that holds it and
 * every object a `get` can read.
 */
export function isCredentialEnvName(name: string): boolean {
  const upper = name.toUpperCase().replace(/[-.]/g, '_');
  if (NOT_CREDENTIAL_NAMES.test(upper)) return false;
  return CREDENTIAL_NAME_ENDINGS.some(e => upper === e || upper.endsWith(`_${e}`));
}

/**
 * `checkEnv` for the plain variables of a container the library builds, which must hold no credential: a name that
 * says it is one (`isCredentialEnvName`) is an error pointing to `secretProp`. The value is never shown.
 */
export function checkPlainEnv(where: Where, prop: string, value: unknown, secretProp: string,
  reserved: readonly string[] = []): { [key: string]: string } {
  const map = checkEnv(where, prop, value, reserved);
  for (const k of Object.keys(map)) {
    if (isCredentialEnvName(k)) {
      invalidProp(where, prop, k, 'names a credential, whose value would be written in plain text into the manifest and every copy of it',
        `store it in a Secret and read it with ${secretProp}: { ${k}: { secretName: 'my-secret', key: '${k.toLowerCase().replace(/[^a-z0-9]+/g, '-')}' } }`);
    }
  }
  return map;
}

/** A Secret data key as Kubernetes 1.28 accepts it (IsConfigMapKey): letters, digits, '-', '_' and '.', at most 253. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** A `SecretKeyReference`, as the checks read it (the values layer declares the struct). */
export interface CheckedSecretKeyReference {
  readonly secretName: string;
  readonly key: string;
  readonly optional?: boolean;
}

/**
 * Throws unless the value is a map from environment variable names to Secret keys (`{ secretName, key, optional? }`):
 * names as `checkEnv` takes them, none of them in `envProp` (`env`) nor among the names the library sets itself.
 */
export function checkSecretEnv(where: Where, prop: string, value: unknown,
  options: { envProp: string; env?: { [key: string]: string }; reserved?: readonly string[] }): { [name: string]: CheckedSecretKeyReference } {
  const fix = 'map variable names to Secret keys, e.g. { HF_TOKEN: { secretName: \'hf-token\', key: \'token\' } }';
  checkStruct(where, prop, value, fix);
  const map = value as { [name: string]: unknown };
  for (const [name, ref] of Object.entries(map)) {
    const at = `${prop}.${name}`;
    if (!ENV_VAR_NAME.test(name)) {
      invalidProp(where, prop, name, 'has a name that is not an environment variable name',
        'name variables with letters, digits, \'_\', \'-\' and \'.\', not starting with a digit, e.g. HF_TOKEN');
    }
    if (options.reserved?.includes(name)) invalidProp(where, prop, name, 'names a variable the library sets itself', `leave ${name} out; the library sets it`);
    if (options.env && Object.prototype.hasOwnProperty.call(options.env, name)) {
      invalidProp(where, prop, name, `is also a variable of '${options.envProp}': the container would get it twice`,
        `keep ${name} in one of ${options.envProp} and ${prop}`);
    }
    checkStruct(where, at, ref, 'give { secretName, key } of the Secret that holds the value');
    const r = ref as { secretName?: unknown; key?: unknown; optional?: unknown };
    checkDns1123Subdomain(where, `${at}.secretName`, r.secretName);
    const keyFix = 'give the key of the Secret\'s data that holds the value, e.g. "token" (letters, digits, \'-\', \'_\' and \'.\')';
    const key = checkString(where, `${at}.key`, r.key, keyFix, 253);
    if (!SECRET_KEY.test(key)) invalidProp(where, `${at}.key`, key, 'is not a Secret key (letters, digits, \'-\', \'_\' and \'.\', at most 253)', keyFix);
    checkOptionalBoolean(where, `${at}.optional`, r.optional);
  }
  return map as { [name: string]: CheckedSecretKeyReference };
}

/**
 * Throws when an image (already `checkImage`d) is not pinned: no tag and no digest, or the tag `latest` in any case,
 * unless `allowUnpinned` (the prop `allowProp`) is true. A digest alone pins it.
 */
export function checkPinnedImage(where: Where, prop: string, image: string, allowUnpinned: unknown, allowProp: string): void {
  if (checkOptionalBoolean(where, allowProp, allowUnpinned)) return;
  const { tag, digest } = parseImage(image);
  if (digest !== undefined || (tag !== undefined && tag.toLowerCase() !== 'latest')) return;
  invalidProp(where, prop, image,
    `is not pinned (${tag === undefined ? 'no tag and no digest: the runtime pulls \'latest\'' : '\'latest\' moves'}): nodes pull a different image ` +
    'whenever it changes, and the metric names the autoscaling reads depend on the release',
    `pin a tag such as :v0.12.0 or a digest @sha256:..., or set ${allowProp}: true`);
}

// Issue 15, part 3 (ScalingCostAnalyzer): an optional instant.

/** Throws unless the value is undefined or a Date that holds an instant (not an Invalid Date). */
export function checkOptionalInstant(where: Where, prop: string, value: unknown, fix: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!isInstant(value)) invalidProp(where, prop, instantShown(value), 'must be a valid Date', fix);
  return value as Date;
}

// Issue 18, capacity as Karpenter sees it: an EC2NodeClass's kubelet settings.

/** Checks optional `NodeKubeletSettings` (struct shape, each amount, the exclusive eviction thresholds). */
export function checkKubeletSettings(where: Where, prop: string, value: unknown): void {
  const fix = 'give the kubelet settings of the EC2NodeClass, e.g. { systemReservedMemory: Size.gibibytes(1), evictionHardMemoryAvailablePercent: 5 }, ' +
    'or leave it out for Karpenter\'s defaults';
  checkStruct(where, prop, value, fix, true);
  if (value === undefined) return;
  const k = value as Record<string, unknown>;
  const known = ['kubeReservedCpu', 'kubeReservedMemory', 'systemReservedCpu', 'systemReservedMemory', 'evictionHardMemoryAvailable',
    'evictionHardMemoryAvailablePercent', 'maxPods', 'podsPerCore'];
  for (const key of Object.keys(k)) {
    if (!known.includes(key)) invalidProp(where, prop, key, 'is not a kubelet setting the library writes', `use ${known.join(', ')}`);
  }
  const cpuFix = 'give the CPU to reserve, e.g. Cpu.millis(100), or leave it out';
  checkOptionalCpu(where, `${prop}.kubeReservedCpu`, k.kubeReservedCpu, cpuFix, 1000);
  checkOptionalCpu(where, `${prop}.systemReservedCpu`, k.systemReservedCpu, cpuFix, 1000);
  const memFix = 'give the memory, e.g. Size.mebibytes(512), or leave it out';
  for (const key of ['kubeReservedMemory', 'systemReservedMemory', 'evictionHardMemoryAvailable']) {
    checkOptionalSize(where, `${prop}.${key}`, k[key], memFix, 0, 1024 * 1024);
  }
  const percent = checkOptionalNumber(where, `${prop}.evictionHardMemoryAvailablePercent`, k.evictionHardMemoryAvailablePercent,
    { min: 0, max: 100 }, 'give a percent from 0 to 100 with at most two decimals, e.g. 5');
  if (percent !== undefined && Math.abs(Math.round(percent * 100) - percent * 100) > 1e-9) {
    invalidProp(where, `${prop}.evictionHardMemoryAvailablePercent`, percent, 'has more than two decimals (the EC2NodeClass schema allows two)',
      'give a percent with at most two decimals, e.g. 7.5');
  }
  if (percent !== undefined && k.evictionHardMemoryAvailable !== undefined) {
    invalidProp(where, `${prop}.evictionHardMemoryAvailablePercent`, percent, 'and \'evictionHardMemoryAvailable\' are exclusive (one memory.available threshold)',
      'give the threshold as an amount or as a percent');
  }
  checkOptionalWhole(where, `${prop}.maxPods`, k.maxPods, { min: 1, max: 1000 }, 'give the most pods per node, 1 to 1,000, or leave it out');
  checkOptionalWhole(where, `${prop}.podsPerCore`, k.podsPerCore, { min: 1, max: 1000 }, 'give the most pods per vCPU, 1 to 1,000, or leave it out');
}

// Issue 17, Kueue: the `queueName` of workloads Kueue admits.

/**
 * Throws unless the value is a Kueue LocalQueue name that can be the value of the `kueue.x-k8s.io/queue-name` label: a
 * DNS-1123 subdomain (the LocalQueue's name) that is also a label value (at most 63 characters).
 */
export function checkQueueName(where: Where, prop: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const fix = 'give the name of a LocalQueue in the workload\'s namespace (KueueQueues names them after the team), e.g. "research"';
  checkString(where, prop, value, fix, 63);
  if (!isDns1123Subdomain(value as string) || !isLabelValue(value as string)) {
    invalidProp(where, prop, value, 'is not a LocalQueue name (a DNS-1123 subdomain of at most 63 characters)', fix);
  }
  return value as string;
}
