/**
 * KEDA's typed scaler configuration, as `pkg/scalers/scalersconfig/typed_config.go@v2.20.2` reads it: where a
 * parameter is looked up (trigger metadata, the TriggerAuthentication's parameters, the target's env through
 * `<name>FromEnv`), which value wins, and how a value is parsed into its Go type. A value that comes from a Secret
 * (or an env var) is known to be present but not what it is: the checks that need the value skip it.
 */

/** A parameter read from a Secret or an env var: present, value unknown at synth. */
export const UNKNOWN = Symbol('unknown value');
export type ParamValue = string | typeof UNKNOWN;

/** Where a parameter is looked up, in the tag's `order`. */
export type Source = 'triggerMetadata' | 'authParams' | 'resolvedEnv';

/** What a trigger's scaler sees: its metadata, the TriggerAuthentication's parameters and pod identity. */
export interface ScalerInput {
  readonly metadata: Record<string, string>;
  /** Parameters of the referenced TriggerAuthentication (secretTargetRef, env, vaults...), all of unknown value. */
  readonly authParams: Set<string>;
  /** `podIdentity.provider` of the referenced TriggerAuthentication, or '' without one. */
  readonly podIdentity: string;
  /** The trigger's `metricType`, or ''. */
  readonly metricType: string;
}

export type GoType = 'string' | 'int64' | 'int32' | 'int' | 'float64' | 'bool' | 'duration' | 'map' | 'list';

/** One `keda:"..."` struct tag. */
export interface ParamSpec {
  /** `name=a;b`: the first found wins. */
  readonly names: string[];
  readonly order: Source[];
  readonly type?: GoType;
  readonly optional?: boolean;
  readonly default?: string;
  readonly enum?: string[];
  readonly exclusiveSet?: string[];
  /** `deprecated=`: a hard error when present (typed_config.go L249-L251). */
  readonly deprecated?: string;
}

/** `configParamValue()` (typed_config.go L499-L524): the first non-empty trimmed value in the tag's order and names. */
export function lookup(input: ScalerInput, names: string[], order: Source[]): ParamValue | undefined {
  for (const source of order) {
    for (const name of names) {
      if (source === 'triggerMetadata') {
        const v = input.metadata[name];
        if (typeof v === 'string' && v.trim() !== '') return v.trim();
      } else if (source === 'authParams') {
        if (input.authParams.has(name)) return UNKNOWN;
      } else {
        const env = input.metadata[`${name}FromEnv`];
        if (typeof env === 'string' && env.trim() !== '') return UNKNOWN;
      }
    }
  }
  return undefined;
}

const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);
const JSON_INT = /^-?(0|[1-9]\d*)$/;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Go's `strconv.ParseBool`. */
export function isGoBool(v: string): boolean {
  return GO_BOOL.has(v);
}

/** Go's `strconv.ParseInt(v, 10, bits)`: an optional sign and decimal digits, in range. */
export function parseGoInt(v: string, bits: 32 | 64): bigint | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = BigInt(v);
  const max = 2n ** BigInt(bits - 1) - 1n;
  return n > max || n < -max - 1n ? undefined : n;
}

/** Why a value does not parse as its Go type (setConfigValueHelper, typed_config.go L440-L497), or undefined. */
export function typeProblem(type: GoType, v: string): string | undefined {
  switch (type) {
    case 'bool':
      // L480-L486 strconv.ParseBool
      return isGoBool(v) ? undefined : `unable to parse boolean value ${JSON.stringify(v)}`;
    case 'int64':
    case 'int':
    case 'int32': {
      // L488-L495 json.Unmarshal into an integer: no sign but '-', no leading zeros, no fraction or exponent
      const bits = type === 'int32' ? 32 : 64;
      if (!JSON_INT.test(v) || parseGoInt(v, bits) === undefined) return `unable to unmarshal ${JSON.stringify(v)} to field type ${type}`;
      return undefined;
    }
    case 'float64':
      return JSON_NUMBER.test(v) && Number.isFinite(Number(v)) ? undefined : `unable to unmarshal ${JSON.stringify(v)} to field type float64`;
    case 'duration': {
      // L450-L470: a Go duration or integer milliseconds, never negative
      if (GO_DURATION.test(v) || v === '0') return v.startsWith('-') && /[1-9]/.test(v) ? `duration cannot be negative: ${JSON.stringify(v)}` : undefined;
      const ms = parseGoInt(v, 64);
      if (ms === undefined) return `unable to parse duration value ${JSON.stringify(v)}: must be either a duration string (e.g. '30s', '5m') or a number of milliseconds`;
      return ms < 0n ? `duration cannot be negative: ${v} milliseconds` : undefined;
    }
    case 'map':
      // L345-L367: k=v pairs separated by ','
      return v.split(',').every(kv => kv.trim() === '' || kv.includes('=')) ? undefined : `invalid map value ${JSON.stringify(v)}: want key=value,key2=value2`;
    default:
      return undefined;
  }
}

/**
 * Reads every tag of a struct as `TypedConfig` does (typed_config.go L246-L310 setValue()): deprecated keys, required
 * keys, enum and exclusiveSet values, then the Go type. Returns the values found (defaults applied) and the errors.
 */
export function readTyped(input: ScalerInput, specs: ParamSpec[]): { values: Map<string, ParamValue>; errors: string[] } {
  const values = new Map<string, ParamValue>();
  const errors: string[] = [];
  for (const spec of specs) {
    const name = spec.names[0];
    let v = lookup(input, spec.names, spec.order);
    if (v !== undefined && spec.deprecated) {
      errors.push(`${name}: ${spec.deprecated}`);
      continue;
    }
    if (v === undefined && spec.default !== undefined) v = spec.default;
    if (v === undefined) {
      if (!spec.optional && !spec.deprecated) errors.push(`missing required parameter "${name}" in [${spec.order.join(' ')}]`);
      continue;
    }
    values.set(name, v);
    if (v === UNKNOWN) continue;
    if (spec.enum) {
      const bad = v.split(',').map(s => s.trim()).filter(s => !spec.enum!.includes(s));
      if (bad.length > 0) errors.push(`parameter "${name}" value "${v}" must be one of [${spec.enum.join(' ')}]`);
    }
    if (spec.exclusiveSet) {
      const hits = v.split(',').map(s => s.trim()).filter(s => spec.exclusiveSet!.includes(s));
      if (hits.length > 1) errors.push(`parameter "${name}" value "${v}" must contain only one of [${spec.exclusiveSet.join(' ')}]`);
    }
    const problem = typeProblem(spec.type ?? 'string', v);
    if (problem) errors.push(`${name}: ${problem}`);
  }
  return { values, errors };
}

/** A known value, or undefined when absent or from a Secret. */
export function known(values: Map<string, ParamValue>, name: string): string | undefined {
  const v = values.get(name);
  return v === undefined || v === UNKNOWN ? undefined : v;
}

/** Whether a parameter is present at all (known or from a Secret). */
export function present(values: Map<string, ParamValue>, name: string): boolean {
  return values.has(name);
}

/** Go's strconv.ParseBool result of a known value (false for absent, unknown or unparsable). */
export function knownBool(values: Map<string, ParamValue>, name: string): boolean {
  const v = known(values, name);
  return v !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}
