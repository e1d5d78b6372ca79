/**
 * PrometheusRule groups as `promtool check rules` checks a rule file, and as prometheus-operator's PrometheusRule
 * webhook checks it (the operator runs the same `rulefmt.Parse`, research notes §7.3, §8).
 * Transcribed from prometheus/prometheus v3.14.0 (commit d7598b7): model/rulefmt/rulefmt.go `RuleGroups.Validate()`
 * (L101-L153), `Rule.Validate()` (L202-L284), `testTemplateParsing()` (L286-L340), cmd/promtool/main.go
 * `checkRuleGroups()`/`checkDuplicates()` (L952-L1042), rules/manager.go `EngineQueryFunc()` (L50-L72); and from
 * prometheus-operator v0.93.0 pkg/operator/rules.go `ValidateRule()` (L204-L236, the 512 KiB limit).
 */
import { Yaml } from 'cdk8s';
import { goTemplateErrors } from './go-template';
import { describeObject } from '../pod-security';
import { analyzePromql, isPrometheusDuration, LEGACY_METRIC_NAME } from '../promql';

/** Functions of Prometheus's alert templates (template/template.go at v3.14.0, L138-L340 funcMap). */
export const PROMETHEUS_TEMPLATE_FUNCS = [
  'query', 'first', 'label', 'value', 'strvalue', 'args', 'reReplaceAll', 'safeHtml', 'match', 'title', 'toUpper',
  'toLower', 'graphLink', 'tableLink', 'sortByLabel', 'stripPort', 'stripDomain', 'humanize', 'humanize1024',
  'humanizeDuration', 'humanizePercentage', 'humanizeTimestamp', 'toTime', 'toDuration', 'now', 'pathPrefix',
  'externalURL', 'parseDuration', 'urlQueryEscape',
];
/** Variables defined before every alert template (rulefmt.go testTemplateParsing() defs, L296-L301). */
const ALERT_TEMPLATE_VARS = ['$labels', '$externalLabels', '$externalURL', '$value'];

/** prometheus-operator v0.93.0 pkg/operator/rules.go: MaxConfigMapDataSize = 0.5 x MaxSecretSize (1 MiB). */
const MAX_RULE_FILE_BYTES = 524_288;

/** UTF-8 validation scheme (Prometheus 3, promtool's default): a non-empty, well-formed string (model/labels.go). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A well-formed UTF-16 string, so valid UTF-8 once encoded. */
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);
const validUtf8Name = (s: unknown): boolean => typeof s === 'string' && s.length > 0 && wellFormed(s);

/** Findings of promtool's rule checks over every PrometheusRule in `objects`. */
export function promtoolViolations(objects: any[]): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    if (obj?.kind !== 'PrometheusRule' || !String(obj.apiVersion).startsWith('monitoring.coreos.com/')) continue;
    const label = describeObject(obj);
    for (const f of checkRuleFile(obj.spec ?? {})) out.push(`${label}: ${f}`);
  }
  return out;
}

/** The findings for one rule file (one PrometheusRule's spec), as `path: message`. */
export function checkRuleFile(spec: any): string[] {
  const out: string[] = [];
  const groups: any[] = Array.isArray(spec.groups) ? spec.groups : [];
  const names = new Set<string>();
  // rules.FromMaps(group.Labels, rule.Labels) keyed by the rule's name: promtool's duplicate-rules lint.
  const seen = new Map<string, string>();
  groups.forEach((g, gi) => {
    const gp = `spec.groups[${gi}]`;
    // rulefmt.go L109-L119.
    if (!g.name) out.push(`${gp}.name: Groupname must not be empty`);
    else if (names.has(g.name)) out.push(`${gp}.name: groupname: "${g.name}" is repeated in the same file`);
    names.add(g.name);
    for (const key of ['interval', 'query_offset']) {
      if (g[key] !== undefined && !isPrometheusDuration(String(g[key]))) {
        out.push(`${gp}.${key}: not a valid duration string: "${g[key]}" (Prometheus durations: 30s, 1m, 1h30m)`);
      }
    }
    for (const [k, v] of Object.entries(g.labels ?? {})) {
      if (!validUtf8Name(k) || k === '__name__') out.push(`${gp}.labels: invalid label name: ${k}`);
      if (typeof v !== 'string' || !wellFormed(v)) out.push(`${gp}.labels: invalid label value: ${v}`);
    }
    const rules: any[] = Array.isArray(g.rules) ? g.rules : [];
    rules.forEach((r, ri) => {
      const rp = `${gp}.rules[${ri}]`;
      const name = r.alert ?? r.record ?? '';
      for (const f of checkRule(r)) out.push(`${rp} (${name || 'unnamed'}): ${f}`);
      if (name) {
        const labels = { ...(g.labels ?? {}), ...(r.labels ?? {}) };
        const key = `${name}${JSON.stringify(Object.keys(labels).sort().map(k => [k, labels[k]]))}`;
        const first = seen.get(key);
        // cmd/promtool/main.go checkDuplicates() L1006-L1034: same name and same labels in one file.
        if (first) out.push(`${rp}: duplicate rule "${name}" with the same labels as ${first}: Might cause inconsistency while recording expressions`);
        else seen.set(key, rp);
      }
    });
  });
  const size = Buffer.byteLength(Yaml.stringify(spec), 'utf8');
  if (size > MAX_RULE_FILE_BYTES) {
    out.push(`spec: the length of rendered Prometheus Rule is ${size} bytes which is above the maximum limit of ${MAX_RULE_FILE_BYTES} bytes`);
  }
  return out;
}

/** rulefmt.go Rule.Validate() L202-L284, testTemplateParsing() L286-L340, and what the rule manager evaluates. */
function checkRule(r: any): string[] {
  const out: string[] = [];
  const record = r.record ?? '';
  const alert = r.alert ?? '';
  if (record && alert) out.push("only one of 'record' and 'alert' must be set");
  if (!record && !alert) out.push("one of 'record' or 'alert' must be set");
  const expr = typeof r.expr === 'string' ? r.expr : r.expr === undefined || r.expr === null ? '' : String(r.expr);
  if (expr === '') {
    out.push("field 'expr' must be set in rule");
  } else {
    const a = analyzePromql(expr);
    if (a.errors.length > 0) out.push(`could not parse expression: ${a.errors.join('; ')}: ${expr}`);
    // rules/manager.go EngineQueryFunc(): anything but a vector or a scalar fails every evaluation.
    else if (a.type !== 'instant vector' && a.type !== 'scalar') out.push(`rule result is not a vector or scalar: the expression is a ${a.type}: ${expr}`);
  }
  for (const key of ['for', 'keep_firing_for']) {
    if (r[key] !== undefined && !isPrometheusDuration(String(r[key]))) {
      out.push(`${key}: not a valid duration string: "${r[key]}" (Prometheus durations: 30s, 5m, 1h30m; no decimals, units in descending order)`);
    }
  }
  if (record) {
    if (r.annotations && Object.keys(r.annotations).length > 0) out.push("invalid field 'annotations' in recording rule");
    if (r.for !== undefined && r.for !== '0' && r.for !== '0s') out.push("invalid field 'for' in recording rule");
    if (r.keep_firing_for !== undefined && r.keep_firing_for !== '0' && r.keep_firing_for !== '0s') out.push("invalid field 'keep_firing_for' in recording rule");
    if (!validUtf8Name(record)) out.push(`invalid recording rule name: ${record}`);
    if (record.includes('{') || record.includes('}')) out.push(`braces present in the recording rule name; should it be in expr?: ${record}`);
    // Not promtool: the adapter's seriesQuery, KEDA's query and other rules name the series unquoted, which needs a
    // legacy metric name; the naming convention is level:metric:operations (prometheus docs/practices/rules.md).
    else if (!LEGACY_METRIC_NAME.test(record)) out.push(`recording rule name ${record} is not a legacy metric name ([a-zA-Z_:][a-zA-Z0-9_:]*): PromQL can only name it quoted`);
    else if (!record.includes(':')) out.push(`recording rule name ${record} does not follow the level:metric:operations convention (no ':'), so it reads as an exported metric`);
  }
  if (alert && !validUtf8Name(alert)) out.push(`invalid alert name (the alertname label value): ${alert}`);
  for (const [k, v] of Object.entries(r.labels ?? {})) {
    if (!validUtf8Name(k) || k === '__name__') out.push(`invalid label name: ${k}`);
    if (typeof v !== 'string' || !wellFormed(v)) out.push(`invalid label value: ${v}`);
  }
  for (const k of Object.keys(r.annotations ?? {})) {
    if (!validUtf8Name(k)) out.push(`invalid annotation name: ${k}`);
  }
  if (alert) {
    const options = { funcs: PROMETHEUS_TEMPLATE_FUNCS, vars: ALERT_TEMPLATE_VARS };
    for (const [k, v] of Object.entries(r.labels ?? {})) {
      for (const e of goTemplateErrors(String(v), options)) out.push(`label "${k}": template: __alert_${alert}: ${e}`);
    }
    for (const [k, v] of Object.entries(r.annotations ?? {})) {
      for (const e of goTemplateErrors(String(v), options)) out.push(`annotation "${k}": template: __alert_${alert}: ${e}`);
    }
  }
  return out;
}
