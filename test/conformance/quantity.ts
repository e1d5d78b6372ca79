import { joinPath } from './pod-templates';

/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource) and the container
 * resource rules the API server applies on create (k8s.io/kubernetes/pkg/apis/core/validation).
 */

/** An exact rational value: num / den, den > 0. */
export interface QuantityValue {
  readonly num: bigint;
  readonly den: bigint;
}

const BINARY_SI: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SI: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };
// <sign>? (<digits> | <digits>.<digits>? | .<digits>) then a binary/decimal SI suffix or e<int>.
const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
// Bounds the exact arithmetic; real manifests never come close.
const MAX_EXPONENT = 1000;

/** Parses a quantity string or JSON number; undefined when it is not a valid quantity. */
export function parseQuantity(input: unknown): QuantityValue | undefined {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return undefined;
    text = String(input).replace('e+', 'e');
  } else if (typeof input === 'string') {
    text = input;
  } else {
    return undefined;
  }
  const m = QUANTITY_RE.exec(text);
  if (!m) return undefined;
  const [, sign, number, suffix = ''] = m;
  const [intPart, fracPart = ''] = number.split('.');
  let num = BigInt((intPart || '0') + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (sign === '-') num = -num;
  if (suffix in BINARY_SI) {
    num *= 2n ** BigInt(BINARY_SI[suffix]);
  } else {
    const exp = suffix in DECIMAL_SI ? DECIMAL_SI[suffix] : Number(suffix.slice(1));
    if (Math.abs(exp) > MAX_EXPONENT) return undefined;
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  }
  return { num, den };
}

export function isQuantity(input: unknown): boolean {
  return parseQuantity(input) !== undefined;
}

/** Sign of a - b. */
export function compareQuantities(a: QuantityValue, b: QuantityValue): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

function isWhole(q: QuantityValue): boolean {
  return q.num % q.den === 0n;
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native = no domain or a kubernetes.io domain; everything else with a domain is "extended". */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

function isExtended(name: string): boolean {
  return !isNative(name) && !name.startsWith('requests.');
}

/** Problems with a container resource name, per validateContainerResourceName. */
function resourceNameProblem(name: string): string | undefined {
  const parts = name.split('/');
  const last = parts[parts.length - 1];
  const prefixOk = parts.length === 1 || (parts.length === 2 && parts[0].length <= 253 && DNS_SUBDOMAIN.test(parts[0]));
  if (parts.length > 2 || !prefixOk || last.length > 63 || !QUALIFIED_NAME_PART.test(last)) {
    return 'must be a qualified name (e.g. "cpu", "memory", "nvidia.com/gpu")';
  }
  if (isNative(name) && !STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
    return 'must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or an extended resource with a domain (e.g. "nvidia.com/gpu")';
  }
  return undefined;
}

/**
 * Checks one container's `resources` like the API server's ValidateResourceRequirements:
 * names, quantity syntax, non-negative values, whole numbers for extended resources,
 * requests <= limits, and requests == limits (with a limit required) for resources that
 * cannot be overcommitted (extended resources such as nvidia.com/gpu, hugepages).
 * Returns messages prefixed with the field path below `basePath`.
 */
export function checkContainerResources(resources: unknown, basePath: string): string[] {
  const problems: string[] = [];
  if (resources === null || typeof resources !== 'object' || Array.isArray(resources)) return problems;
  const res = resources as Record<string, unknown>;
  const parsed: Record<'requests' | 'limits', Map<string, QuantityValue>> = { requests: new Map(), limits: new Map() };
  for (const field of ['limits', 'requests'] as const) {
    const block = res[field];
    if (block === undefined || block === null) continue;
    if (typeof block !== 'object' || Array.isArray(block)) continue; // the schema reports the type
    for (const [name, raw] of Object.entries(block as Record<string, unknown>)) {
      const path = joinPath(joinPath(basePath, field), name);
      const nameProblem = resourceNameProblem(name);
      if (nameProblem) problems.push(`${path}: resource name ${nameProblem}`);
      const q = parseQuantity(raw);
      if (!q) {
        problems.push(`${path}: ${JSON.stringify(raw)} is not a Kubernetes quantity (e.g. '500m', '2Gi', '1', 4)`);
        continue;
      }
      if (q.num < 0n) problems.push(`${path}: must be greater than or equal to 0`);
      if (isExtended(name) && !isWhole(q)) problems.push(`${path}: must be an integer for extended resource ${name}`);
      parsed[field].set(name, q);
    }
  }
  for (const [name, request] of parsed.requests) {
    const path = joinPath(joinPath(basePath, 'requests'), name);
    const limit = parsed.limits.get(name);
    const overcommitAllowed = isNative(name) && !isHugePages(name);
    if (limit === undefined) {
      if (!overcommitAllowed) problems.push(`${path}: a limit must be set for non-overcommitable resource ${name} (set limits equal to requests)`);
      continue;
    }
    const cmp = compareQuantities(request, limit);
    if (!overcommitAllowed && cmp !== 0) {
      problems.push(`${path}: must be equal to the ${name} limit (${formatRaw(res, 'limits', name)}) for a non-overcommitable resource`);
    } else if (cmp > 0) {
      problems.push(`${path}: must be less than or equal to the ${name} limit (${formatRaw(res, 'limits', name)})`);
    }
  }
  return problems;
}

function formatRaw(res: Record<string, unknown>, field: string, name: string): string {
  return JSON.stringify((res[field] as Record<string, unknown>)[name]);
}
