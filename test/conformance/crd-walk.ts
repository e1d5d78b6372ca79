/**
 * Checks of a custom resource that walk its (defaulted) value along the CRD schema: CEL rules
 * and list-type uniqueness, plus the null pruning the API server does before validation.
 */
import { evaluateRule, isTransitionRule, ValidationRule } from './cel';
import { joinPath } from './pod-templates';
import type { JsonSchema } from './schema-loader';

export interface CrdWalkResult {
  readonly errors: string[];
  celRulesEvaluated: number;
  celRulesSkipped: number;
}

function isRecord(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Evaluates every CEL rule whose schema node is present in `value`, and list-type uniqueness. */
export function walkCustomResource(schema: JsonSchema, value: unknown): CrdWalkResult {
  const result: CrdWalkResult = { errors: [], celRulesEvaluated: 0, celRulesSkipped: 0 };
  visit(schema, value, '', result);
  return result;
}

function visit(schema: JsonSchema | undefined, value: unknown, path: string, result: CrdWalkResult): void {
  if (!schema || value === undefined) return;
  const at = path || '<root>';
  const rules: ValidationRule[] = Array.isArray(schema['x-kubernetes-validations']) ? schema['x-kubernetes-validations'] : [];
  for (const rule of rules) {
    if (isTransitionRule(rule)) {
      if (rule.optionalOldSelf) {
        // On create these run with oldSelf = optional.none(), which we cannot bind: say so.
        result.errors.push(`${at}: CEL rule ${JSON.stringify(rule.rule)} uses optionalOldSelf, which this checker cannot evaluate`);
      } else {
        result.celRulesSkipped++;
      }
      continue;
    }
    result.celRulesEvaluated++;
    const outcome = evaluateRule(rule, value, schema);
    if (outcome.status !== 'pass') {
      // fieldPath is relative to the node, e.g. `.spec.replicas`.
      const where = rule.fieldPath ? `${path}${/^[.[]/.test(rule.fieldPath) ? '' : '.'}${rule.fieldPath}`.replace(/^\./, '') : at;
      result.errors.push(`${where}: ${outcome.message}`);
    }
  }
  if (Array.isArray(value)) {
    checkListType(schema, value, at, result.errors);
    value.forEach((item, i) => visit(schema.items, item, joinPath(path, i), result));
  } else if (isRecord(value)) {
    const props: Record<string, JsonSchema> = schema.properties ?? {};
    const extra = isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
    for (const [k, v] of Object.entries(value)) visit(props[k] ?? extra, v, joinPath(path, k), result);
  }
}

/** `x-kubernetes-list-type: set|map` lists may not hold duplicates (by value / by map keys). */
function checkListType(schema: JsonSchema, list: unknown[], at: string, errors: string[]): void {
  const type = schema['x-kubernetes-list-type'];
  if (type !== 'set' && type !== 'map') return;
  const keys: string[] = type === 'map' ? schema['x-kubernetes-list-map-keys'] ?? [] : [];
  const seen = new Map<string, number>();
  list.forEach((item, i) => {
    const id = type === 'set' ? canonical(item) : canonical(keys.map((k) => (isRecord(item) ? item[k] : undefined) ?? null));
    const first = seen.get(id);
    if (first !== undefined) {
      const what = type === 'set' ? `value ${canonical(item)}` : `entry with ${keys.map((k, j) => `${k}=${JSON.stringify(JSON.parse(id)[j])}`).join(', ')}`;
      errors.push(`${at}[${i}]: duplicate ${what} (also at [${first}]) in a list of type ${type}`);
    } else {
      seen.set(id, i);
    }
  });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

/**
 * The API server prunes `null` from fields that are not `nullable` before defaulting (CRDs);
 * built-in kinds treat null as unset. Mutates the (copied) value.
 */
export function pruneNulls(value: unknown, schema: JsonSchema | undefined): void {
  if (Array.isArray(value)) {
    value.forEach((v) => pruneNulls(v, schema?.items));
    return;
  }
  if (!isRecord(value)) return;
  const props: Record<string, JsonSchema> = schema?.properties ?? {};
  const extra = isRecord(schema?.additionalProperties) ? schema!.additionalProperties : undefined;
  for (const [k, v] of Object.entries(value)) {
    const s = props[k] ?? extra;
    if (v === null) {
      if (schema === undefined || s?.nullable !== true) delete value[k];
    } else {
      pruneNulls(v, s ?? (schema === undefined ? undefined : {}));
    }
  }
}
