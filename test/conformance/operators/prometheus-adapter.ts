/**
 * prometheus-adapter's configuration as its loader and rule compiler take it at startup (a bad configuration makes
 * the adapter exit, and with it every custom and external metric of the cluster). Transcribed from
 * kubernetes-sigs/prometheus-adapter v0.12.0 (commit 17cef51, newest tag in the snapshot; research notes §9):
 * pkg/config/loader.go `FromYAML()` (L26-L31, yaml.UnmarshalStrict), pkg/config/config.go (L7-L111, the keys),
 * pkg/naming/metric_namer.go `NewMetricNamer()`/`NewReMatcher()` (L66-L207), pkg/naming/metrics_query.go
 * `NewMetricsQuery()`/`Build()`/`BuildExternal()` (L46-L210), pkg/naming/resource_converter.go (L66-L133),
 * pkg/naming/lbl_res.go `newLabelGroupResExtractor()` (L38-L78), pkg/resourceprovider/provider.go (L54-L100).
 */
import { parse as parseYaml } from 'yaml';
import { goTemplateErrors, renderFields } from './go-template';
import { goRegExp } from '../go-regex';
import { describeObject } from '../pod-security';
import { analyzePromql, isPrometheusDuration, LabelMatcher, re2Error } from '../promql';

const TOP_KEYS = ['rules', 'resourceRules', 'externalRules'];
const RULE_KEYS = ['seriesQuery', 'seriesFilters', 'resources', 'name', 'metricsQuery'];
const RESOURCES_KEYS = ['template', 'overrides', 'namespaced'];
const GROUP_RESOURCE_KEYS = ['group', 'resource'];
const NAME_KEYS = ['matches', 'as'];
const FILTER_KEYS = ['is', 'isNot'];
const RESOURCE_RULES_KEYS = ['cpu', 'memory', 'window'];
const RESOURCE_RULE_KEYS = ['containerQuery', 'nodeQuery', 'resources', 'containerLabel'];
/** metrics_query.go queryTemplateArgs (L90-L96): the only fields a metricsQuery may read. */
const QUERY_FIELDS = ['Series', 'LabelMatchers', 'LabelValuesByName', 'GroupBy', 'GroupBySlice'];

/**
 * Resources the API server's RESTMapper resolves (singular or plural, any group when none is given): the ones an
 * adapter rule maps labels to. Others are reported, since `unable to normalize group-resource` stops the adapter.
 */
const KNOWN_RESOURCES: Record<string, string> = {
  namespace: '',
  pod: '',
  service: '',
  node: '',
  persistentvolumeclaim: '',
  endpoints: '',
  replicationcontroller: '',
  deployment: 'apps',
  statefulset: 'apps',
  daemonset: 'apps',
  replicaset: 'apps',
  job: 'batch',
  cronjob: 'batch',
  ingress: 'networking.k8s.io',
  horizontalpodautoscaler: 'autoscaling',
  // A CRD's resource once it is installed: the Gateway API Inference Extension's (v1.6.0) InferencePool.
  inferencepool: 'inference.networking.k8s.io',
};

/** A resource name as the RESTMapper normalizes it: lower-case, singular. */
export function singularResource(resource: string): string {
  const r = resource.toLowerCase();
  if (r === 'endpoints') return r;
  if (r.endsWith('ses') && KNOWN_RESOURCES[r.slice(0, -2)] !== undefined) return r.slice(0, -2);
  if (r.endsWith('s') && KNOWN_RESOURCES[r.slice(0, -1)] !== undefined) return r.slice(0, -1);
  return r;
}

/** One rule of an adapter configuration, as the cross-object checks read it. */
export interface AdapterRuleView {
  readonly kind: 'rules' | 'externalRules';
  readonly index: number;
  readonly rule: any;
  /** Metric names the rule serves, where they can be known (a literal series name through `name`). */
  readonly servedNames: string[];
  /** Prometheus label -> singular resource, from `resources.overrides`. */
  readonly labelToResource: Record<string, string>;
  /** `resources.template`, when given: it maps any resource to a label. */
  readonly template?: string;
  /** The series query's matchers. */
  readonly seriesMatchers: LabelMatcher[];
  /** `resources.namespaced` (default true). */
  readonly namespaced: boolean;
}

/** An adapter configuration found in a ConfigMap. */
export interface AdapterConfigView {
  readonly object: any;
  readonly key: string;
  readonly rules: AdapterRuleView[];
}

/** The ConfigMaps whose `config.yaml` is a prometheus-adapter configuration (it has rules, externalRules or resourceRules). */
export function adapterConfigs(objects: any[]): AdapterConfigView[] {
  const out: AdapterConfigView[] = [];
  for (const obj of objects) {
    if (obj?.kind !== 'ConfigMap' || obj.apiVersion !== 'v1') continue;
    for (const [key, text] of Object.entries(obj.data ?? {})) {
      if (!/\.ya?ml$/.test(key) || typeof text !== 'string') continue;
      let doc: any;
      try {
        doc = parseYaml(text);
      } catch {
        continue;
      }
      if (!doc || typeof doc !== 'object' || !TOP_KEYS.some(k => k in doc)) continue;
      const rules: AdapterRuleView[] = [];
      for (const kind of ['rules', 'externalRules'] as const) {
        (Array.isArray(doc[kind]) ? doc[kind] : []).forEach((rule: any, index: number) => rules.push(viewOf(kind, index, rule)));
      }
      out.push({ object: obj, key, rules });
    }
  }
  return out;
}

function viewOf(kind: 'rules' | 'externalRules', index: number, rule: any): AdapterRuleView {
  const analysis = typeof rule?.seriesQuery === 'string' ? analyzePromql(rule.seriesQuery) : undefined;
  const selector = analysis?.selectors[0];
  const labelToResource: Record<string, string> = {};
  for (const [label, gr] of Object.entries<any>(rule?.resources?.overrides ?? {})) {
    if (typeof gr?.resource === 'string') labelToResource[label] = singularResource(gr.resource);
  }
  const served: string[] = [];
  const seriesName = selector?.metricName;
  if (seriesName !== undefined) {
    const expanded = expandName(rule?.name ?? {}, seriesName);
    if (expanded !== undefined) served.push(expanded);
  }
  return {
    kind,
    index,
    rule,
    servedNames: served,
    labelToResource,
    template: typeof rule?.resources?.template === 'string' ? rule.resources.template : undefined,
    seriesMatchers: selector?.matchers ?? [],
    namespaced: rule?.resources?.namespaced ?? true,
  };
}

/** Capture groups of an RE2 pattern: `(` not followed by `?`, plus named `(?P<` / `(?<` groups. */
function captureGroups(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c === '(' && (pattern[i + 1] !== '?' || pattern.startsWith('(?P<', i) || (pattern.startsWith('(?<', i) && !/^\(\?<[=!]/.test(pattern.slice(i))))) n++;
  }
  return n;
}

/** metric_namer.go L193-L207 and Go's Regexp.ExpandString: the name a series is served as (undefined: no match). */
export function expandName(name: { matches?: string; as?: string }, series: string): string | undefined {
  const matches = name.matches ?? '';
  if (re2Error(matches)) return undefined;
  let re: RegExp;
  try {
    re = goRegExp(matches === '' ? '.*' : matches);
  } catch {
    return undefined;
  }
  const m = re.exec(series);
  if (!m) return undefined;
  const groups = captureGroups(matches);
  const as = name.as || (groups === 0 ? '$0' : groups === 1 ? '$1' : undefined);
  if (as === undefined) return undefined;
  return as.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([0-9]+)|([A-Za-z_][A-Za-z0-9_]*))/g, (_all, _x, braced, num, word) => {
    if (_x === '$') return '$';
    const ref = braced ?? num ?? word;
    if (/^[0-9]+$/.test(ref)) return m[Number(ref)] ?? '';
    return m.groups?.[ref] ?? '';
  });
}

/** Findings of the adapter's loader over every adapter configuration in `objects`. */
export function prometheusAdapterViolations(objects: any[]): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    if (obj?.kind !== 'ConfigMap' || obj.apiVersion !== 'v1') continue;
    for (const [key, text] of Object.entries(obj.data ?? {})) {
      if (!/\.ya?ml$/.test(key) || typeof text !== 'string') continue;
      let doc: any;
      try {
        // yaml's default uniqueKeys matches UnmarshalStrict's duplicate-key error.
        doc = parseYaml(text);
      } catch (e) {
        if (/\b(rules|externalRules|resourceRules)\s*:/.test(text)) {
          out.push(`${describeObject(obj)}: data.${key}: unable to parse metrics discovery config: ${(e as Error).message.split('\n')[0]}`);
        }
        continue;
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !TOP_KEYS.some(k => k in doc)) continue;
      for (const f of checkAdapterConfig(doc)) out.push(`${describeObject(obj)}: data.${key}: ${f}`);
    }
  }
  return out;
}

function unknownKeys(value: any, allowed: string[], path: string): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a mapping`];
  return Object.keys(value).filter(k => !allowed.includes(k)).map(k => `${path}: field ${k} not found in type (yaml.UnmarshalStrict refuses unknown keys)`);
}

/** The findings for one configuration document. */
export function checkAdapterConfig(doc: any): string[] {
  const out = unknownKeys(doc, TOP_KEYS, '<root>');
  for (const kind of ['rules', 'externalRules'] as const) {
    if (doc[kind] === undefined || doc[kind] === null) continue;
    if (!Array.isArray(doc[kind])) {
      out.push(`${kind}: expected a list`);
      continue;
    }
    doc[kind].forEach((rule: any, i: number) => out.push(...checkDiscoveryRule(rule, `${kind}[${i}]`, kind === 'externalRules')));
  }
  if (doc.resourceRules !== undefined && doc.resourceRules !== null) out.push(...checkResourceRules(doc.resourceRules));
  return out;
}

function checkResourceMapping(res: any, path: string): string[] {
  if (res === undefined || res === null) return [];
  const out = unknownKeys(res, RESOURCES_KEYS, path);
  if (res.template !== undefined) {
    // lbl_res.go L38-L78: the template must name the resource, so that a label maps back to it.
    out.push(...goTemplateErrors(String(res.template), { delims: ['<<', '>>'] }).map(e => `${path}.template: unable to parse label template: ${e}`));
    if (!/<<\s*\.Resource\s*>>/.test(String(res.template))) out.push(`${path}.template: must include at least <<.Resource>> in the label template`);
    for (const m of String(res.template).matchAll(/<<\s*\.([A-Za-z]+)\s*>>/g)) {
      if (m[1] !== 'Resource' && m[1] !== 'Group') out.push(`${path}.template: can't evaluate field ${m[1]} (only .Group and .Resource)`);
    }
  }
  for (const [label, gr] of Object.entries<any>(res.overrides ?? {})) {
    const p = `${path}.overrides.${label}`;
    out.push(...unknownKeys(gr, GROUP_RESOURCE_KEYS, p));
    // resource_converter.go L87-L133: each override is normalized through the RESTMapper at startup.
    const resource = typeof gr?.resource === 'string' ? singularResource(gr.resource) : '';
    if (!resource) {out.push(`${p}.resource: missing: unable to normalize group-resource`);} else if (KNOWN_RESOURCES[resource] === undefined) {out.push(`${p}: unable to normalize group-resource "${gr.resource}" (not a resource the API server knows)`);} else if (gr.group !== undefined && gr.group !== '' && gr.group !== KNOWN_RESOURCES[resource]) {
      out.push(`${p}: unable to normalize group-resource "${gr.resource}.${gr.group}" (${gr.resource} is in group "${KNOWN_RESOURCES[resource]}")`);
    }
  }
  if (res.namespaced !== undefined && typeof res.namespaced !== 'boolean') out.push(`${path}.namespaced: expected a boolean`);
  return out;
}

function checkDiscoveryRule(rule: any, path: string, external: boolean): string[] {
  const out = unknownKeys(rule, RULE_KEYS, path);
  if (rule === null || typeof rule !== 'object') return out;
  // PA-1: sent as match[] to /api/v1/series; anything but a series selector fails every relist of every rule.
  const sq = rule.seriesQuery;
  let seriesName: string | undefined;
  if (typeof sq !== 'string' || sq.trim() === '') {
    out.push(`${path}.seriesQuery: empty: the adapter sends it as match[] to Prometheus, which refuses an empty selector`);
  } else {
    const a = analyzePromql(sq);
    if (a.errors.length > 0) out.push(`${path}.seriesQuery: not a valid series selector: ${a.errors.join('; ')}`);
    else if (!a.isSeriesSelector) out.push(`${path}.seriesQuery: "${sq}" is not a series selector (metric{...} without functions, operators, ranges or offsets)`);
    seriesName = a.selectors[0]?.metricName;
  }
  // PA-2: series filters, exactly one of is/isNot, RE2.
  if (rule.seriesFilters !== undefined && rule.seriesFilters !== null) {
    if (!Array.isArray(rule.seriesFilters)) {out.push(`${path}.seriesFilters: expected a list`);} else {
      rule.seriesFilters.forEach((f: any, i: number) => {
        const p = `${path}.seriesFilters[${i}]`;
        out.push(...unknownKeys(f, FILTER_KEYS, p));
        if (f?.is && f?.isNot) out.push(`${p}: cannot have both an \`is\` (${f.is}) and \`isNot\` (${f.isNot}) expression in a single filter`);
        if (!f?.is && !f?.isNot) out.push(`${p}: must have either an \`is\` or \`isNot\` expression in a filter`);
        for (const k of ['is', 'isNot']) {
          const err = f?.[k] ? re2Error(String(f[k])) : undefined;
          if (err) out.push(`${p}.${k}: unable to compile series filter "${f[k]}": ${err}`);
        }
      });
    }
  }
  out.push(...checkResourceMapping(rule.resources, `${path}.resources`));
  // PA-3/PA-4: name.matches (RE2, unanchored) and name.as.
  const name = rule.name ?? {};
  if (rule.name !== undefined) out.push(...unknownKeys(name, NAME_KEYS, `${path}.name`));
  const matches = typeof name.matches === 'string' ? name.matches : '';
  const reErr = re2Error(matches);
  if (reErr) {out.push(`${path}.name.matches: unable to compile series name match expression "${matches}": ${reErr}`);} else {
    const groups = captureGroups(matches);
    if (!name.as && groups > 1) out.push(`${path}.name.as: must specify an 'as' value for name matcher "${matches}" associated with series query "${sq}" (${groups} capture groups)`);
    for (const ref of String(name.as ?? '').matchAll(/\$\{?([0-9]+)\}?/g)) {
      if (Number(ref[1]) > groups) out.push(`${path}.name.as: "${name.as}" refers to group ${ref[1]}, and "${matches}" has ${groups}: it expands to nothing`);
    }
    if (seriesName !== undefined) {
      const served = expandName(name, seriesName);
      if (served === undefined) out.push(`${path}.name.matches: "${matches}" does not match the series name ${seriesName}: the rule serves no metric (the name is also an implicit series filter)`);
      else if (served === '') out.push(`${path}.name.as: "${name.as}" expands to an empty metric name for the series ${seriesName}`);
    }
  }
  // PA-5: metricsQuery, a Go template with << >> over queryTemplateArgs; the rendered query must be an instant vector.
  const mq = rule.metricsQuery;
  if (typeof mq !== 'string' || mq.trim() === '') {
    out.push(`${path}.metricsQuery: empty: every query fails with "empty query produced by metrics query template"`);
  } else {
    const tErr = goTemplateErrors(mq, { delims: ['<<', '>>'] });
    if (tErr.length > 0) out.push(...tErr.map(e => `${path}.metricsQuery: unable to parse metrics query template: ${e}`));
    for (const m of mq.matchAll(/<<-?\s*\.([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (!QUERY_FIELDS.includes(m[1])) out.push(`${path}.metricsQuery: can't evaluate field ${m[1]} in type naming.queryTemplateArgs (fields: ${QUERY_FIELDS.join(', ')})`);
    }
    if (tErr.length === 0) out.push(...checkRenderedQuery(rule, mq, seriesName ?? 'series_name', external, path));
  }
  return out;
}

/** Renders the metricsQuery as Build()/BuildExternal() would for one request, and parses the result. */
function checkRenderedQuery(rule: any, mq: string, series: string, external: boolean, path: string): string[] {
  const overrides = Object.entries<any>(rule.resources?.overrides ?? {});
  const labelFor = (resource: string) => overrides.find(([, gr]) => singularResource(String(gr?.resource ?? '')) === resource)?.[0]
    ?? (typeof rule.resources?.template === 'string' ? String(rule.resources.template).replace(/<<\s*\.Resource\s*>>/g, resource).replace(/<<\s*\.Group\s*>>/g, '') : undefined);
  const matchers: string[] = [];
  let groupBy = '';
  const namespaced = rule.resources?.namespaced ?? true;
  if (!external || namespaced) {
    const ns = labelFor('namespace');
    if (ns) matchers.push(`${ns}="default"`);
  }
  if (!external) {
    // A Pods request: the pods' label, the way the HPA asks for every pod of its target.
    const pod = labelFor('pod') ?? 'pod';
    matchers.push(`${pod}=~"p1|p2"`);
    groupBy = pod;
  }
  const rendered = renderFields(mq, { Series: series, LabelMatchers: matchers.join(','), GroupBy: groupBy, GroupBySlice: `[${groupBy}]`, LabelValuesByName: 'map[]' }, ['<<', '>>']);
  if (rendered.error) return [`${path}.metricsQuery: ${rendered.error}`];
  if (rendered.output === undefined) return [];
  if (rendered.output.trim() === '') return [`${path}.metricsQuery: empty query produced by metrics query template`];
  const a = analyzePromql(rendered.output);
  if (a.errors.length > 0) return [`${path}.metricsQuery: the rendered query ${rendered.output} does not parse: ${a.errors.join('; ')}`];
  if (a.type !== 'instant vector') return [`${path}.metricsQuery: the rendered query ${rendered.output} is a ${a.type}: unexpected results from prometheus: expected vector`];
  return [];
}

function checkResourceRules(rr: any): string[] {
  const out = unknownKeys(rr, RESOURCE_RULES_KEYS, 'resourceRules');
  if (rr === null || typeof rr !== 'object') return out;
  for (const res of ['cpu', 'memory']) {
    const r = rr[res];
    const p = `resourceRules.${res}`;
    if (!r) {
      out.push(`${p}: missing: the resource metrics provider needs both cpu and memory queries`);
      continue;
    }
    out.push(...unknownKeys(r, RESOURCE_RULE_KEYS, p));
    for (const q of ['containerQuery', 'nodeQuery']) {
      if (typeof r[q] !== 'string' || r[q].trim() === '') out.push(`${p}.${q}: missing`);
      else out.push(...goTemplateErrors(r[q], { delims: ['<<', '>>'] }).map(e => `${p}.${q}: unable to parse metrics query template: ${e}`));
    }
    out.push(...checkResourceMapping(r.resources, `${p}.resources`));
  }
  if (rr.window !== undefined && !isPrometheusDuration(String(rr.window))) out.push(`resourceRules.window: not a valid duration string: "${rr.window}"`);
  return out;
}
