/**
 * CEL validation rules (`x-kubernetes-validations`) of CRD schemas, evaluated with
 * @bufbuild/cel the way the API server does on create: `self` is the value at the schema node,
 * integers are CEL ints (bigint), objects are maps, property names are escaped like
 * k8s.io/apiserver/pkg/cel. Kubernetes' CEL libraries are registered as far as the pinned CRDs
 * use them (the strings extension, regex `find`/`findAll`); anything else fails loudly.
 */
import { CelScalar, celEnv, celMethod, isCelError, listType, parse, plan } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { goRegExp } from './go-regex';
import type { JsonSchema } from './schema-loader';

export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** Kubernetes regex library (k8s.io/apiserver/pkg/cel/library/regex.go). */
const regexLibrary = [
  celMethod('find', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, function (this: string, re: string): string {
    return goRegExp(re).exec(this)?.[0] ?? '';
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (this: string, re: string): string[] {
    return findAll(this, re, -1);
  }),
  celMethod('findAll', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (this: string, re: string, limit: bigint): string[] {
    return findAll(this, re, Number(limit));
  }),
];

function findAll(s: string, re: string, limit: number): string[] {
  if (limit === 0) return [];
  const base = goRegExp(re);
  const g = new RegExp(base.source, base.flags.includes('g') ? base.flags : base.flags + 'g');
  const out: string[] = [];
  for (const m of s.matchAll(g)) {
    out.push(m[0]);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}

const env = celEnv({ funcs: [...strings, ...regexLibrary] });

type Program = (self: unknown) => unknown;
const programs = new Map<string, Program | Error>();

/** Parses and plans a CEL expression once per process; an Error if it does not compile. */
function program(expr: string): Program | Error {
  let p = programs.get(expr);
  if (!p) {
    try {
      const run = plan(env, parse(expr));
      p = (self: unknown) => run({ self: self as any });
    } catch (e) {
      p = e instanceof Error ? e : new Error(String(e));
    }
    programs.set(expr, p);
  }
  return p;
}

/** Transition rules compare with the old object: they apply on update only. */
export function isTransitionRule(rule: ValidationRule): boolean {
  return /\boldSelf\b/.test(rule.rule);
}

export type RuleOutcome =
  | { readonly status: 'pass' }
  | { readonly status: 'fail'; readonly message: string }
  | { readonly status: 'error'; readonly message: string };

/** Evaluates one rule with `self` bound to the CEL form of `value`. */
export function evaluateRule(rule: ValidationRule, value: unknown, schema: JsonSchema): RuleOutcome {
  const p = program(rule.rule);
  if (p instanceof Error) return { status: 'error', message: `CEL rule ${JSON.stringify(rule.rule)} does not compile: ${p.message}` };
  const self = toCel(value, schema);
  let result: unknown;
  try {
    result = p(self);
  } catch (e) {
    result = e;
  }
  if (isCelError(result) || result instanceof Error) {
    return { status: 'error', message: `CEL rule ${JSON.stringify(rule.rule)} could not be evaluated: ${(result as Error).message}` };
  }
  if (result === true) return { status: 'pass' };
  if (result !== false) return { status: 'error', message: `CEL rule ${JSON.stringify(rule.rule)} returned ${String(result)}, not a bool` };
  return { status: 'fail', message: failureMessage(rule, self) };
}

function failureMessage(rule: ValidationRule, self: unknown): string {
  if (rule.messageExpression) {
    const p = program(rule.messageExpression);
    if (!(p instanceof Error)) {
      try {
        const m = p(self);
        if (typeof m === 'string' && m.trim() !== '') return m;
      } catch {
        // the API server falls back to `message` when messageExpression fails
      }
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

const CEL_RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/**
 * How a property name is visible in CEL (k8s.io/apiserver/pkg/cel Escape): reserved words become
 * `__word__`, and `_`, `.`, `-`, `/` inside names are spelled out. undefined = not accessible.
 */
export function escapePropertyName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  return name.replace(/__/g, '__underscores__').replace(/\./g, '__dot__').replace(/-/g, '__dash__').replace(/\//g, '__slash__');
}

/**
 * JSON value -> CEL input, typed by the schema: `integer` -> int (bigint), `number` -> double,
 * objects with `properties` -> maps keyed by escaped names, `additionalProperties` maps keep
 * their keys.
 */
export function toCel(value: unknown, schema: JsonSchema | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => toCel(v, schema?.items));
  const out = new Map<string, unknown>();
  const props: Record<string, JsonSchema> | undefined = schema?.properties;
  const extra = schema?.additionalProperties;
  for (const [k, v] of Object.entries(value)) {
    if (props && k in props) {
      const name = escapePropertyName(k);
      if (name !== undefined) out.set(name, toCel(v, props[k]));
    } else {
      out.set(k, toCel(v, typeof extra === 'object' ? extra : undefined));
    }
  }
  return out;
}
