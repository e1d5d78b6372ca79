/**
 * The metric pipeline across objects: what no single object's check can see.
 * - An HPA's Pods, Object and External metrics are served by a prometheus-adapter rule of the right kind (`rules`
 *   serve custom.metrics.k8s.io, `externalRules` external.metrics.k8s.io; prometheus-adapter v0.12.0
 *   cmd/adapter/adapter.go L190-L260 registers the two providers from those lists), and the rule maps the
 *   resources the request names: a Pods request carries the namespace and the pods (pkg/naming/metrics_query.go
 *   Build() L104-L150 turns them into matchers on the labels the rule maps), an Object request the described
 *   object's resource, an External request the namespace unless the rule says `namespaced: false` (BuildExternal()
 *   L158-L186). The series query must keep only series that carry those labels (the library's convention,
 *   `namespace!="",pod!=""`): the adapter associates series with resources by them at discovery
 *   (pkg/naming/metric_namer.go L210-L260).
 * - A ServiceMonitor's (PodMonitor's) endpoint port names a port of the Services (containers) its selector selects
 *   (prometheus-operator v0.93.0 pkg/prometheus/promcfg.go L2087-L2096, L1570-L1575: a `keep` relabeling on the
 *   endpoint port name, so a wrong name scrapes nothing), and the selector selects something in the app when the
 *   app has Services (pod templates) in that namespace.
 * - Every PrometheusRule, ServiceMonitor and PodMonitor carries the label keys by which the app's Prometheus selects
 *   them: the keys every labelled monitoring object of the app shares (kube-prometheus-stack-88.1.0
 *   templates/prometheus/prometheus.yaml L193-L231, L270-L286: ruleSelector, serviceMonitorSelector and
 *   podMonitorSelector are `matchLabels: {release: <name>}`; an object without the label is never loaded).
 */
import { AdapterRuleView, adapterConfigs, singularResource } from './prometheus-adapter';
import { monitorEndpoints } from './prometheus-operator';
import { ExporterCatalog } from '../../../src/values/exporter-catalog';
import { describeObject } from '../pod-security';
import { findPodTemplates } from '../pod-templates';
import { LabelMatcher, matcherMatches, seriesSelectors } from '../promql';

const MONITORING_KINDS = ['PrometheusRule', 'ServiceMonitor', 'PodMonitor'];

const isMonitoring = (o: any) => MONITORING_KINDS.includes(o?.kind) && String(o.apiVersion).startsWith('monitoring.coreos.com/');
const namespaceOf = (o: any): string => o?.metadata?.namespace ?? 'default';

/** Whether a Kubernetes label selector (matchLabels and matchExpressions) selects `labels`. */
export function selects(selector: any, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const values: string[] = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Findings across the app's objects. */
export function metricPipelineViolations(objects: any[]): string[] {
  return [...hpaMetricsServed(objects), ...monitorTargets(objects), ...selectorLabels(objects), ...seriesExported(objects)];
}

/**
 * Series that generic model servers in the tests' fixtures name themselves (`ModelServerKind.generic`, a metric's
 * `counter`/`histogram`/`gauge` option): no exporter catalog can pin them, so they are listed here, explicitly.
 */
export const GENERIC_SERVER_SERIES = new Set<string>([
  'http_requests_total', 'http_request_duration_seconds_bucket', 'queue_length', 'queue_depth', 'in_flight', 'kv_fraction',
]);

/**
 * Every series a recording rule or alert reads is recorded by a rule of the app or exported by an exporter pinned in
 * `ExporterCatalog` (at its version, histograms as their `_bucket`/`_sum`/`_count` series): a name nobody exports
 * passes every schema and leaves the rule empty for ever.
 */
function seriesExported(objects: any[]): string[] {
  const rules = objects.filter(o => o?.kind === 'PrometheusRule').flatMap(o => (o.spec?.groups ?? [])
    .flatMap((g: any, gi: number) => (g?.rules ?? []).map((r: any, ri: number) => ({ o, r, path: `spec.groups[${gi}].rules[${ri}].expr` }))));
  const recorded = new Set(rules.map(x => x.r?.record).filter((n: unknown) => typeof n === 'string'));
  const out: string[] = [];
  for (const { o, r, path } of rules) {
    if (typeof r?.expr !== 'string') continue;
    const unknown = new Set<string>();
    for (const sel of seriesSelectors(r.expr)) {
      const name = sel.metricName;
      if (!name || recorded.has(name) || GENERIC_SERVER_SERIES.has(name) || ExporterCatalog.exporterOf(name)) continue;
      unknown.add(name);
    }
    for (const name of unknown) {
      out.push(`${describeObject(o)}: ${path}: reads ${name}, which no rule of the app records and no exporter pinned in ExporterCatalog exports`);
    }
  }
  return out;
}

/** A matcher that keeps only series where the label is set (does not match the empty value). */
function requiresLabel(matchers: LabelMatcher[], label: string): boolean {
  return matchers.some(m => m.name === label && !matcherMatches(m, ''));
}

function labelsFor(rule: AdapterRuleView, resource: string): string[] {
  const mapped = Object.entries(rule.labelToResource).filter(([, r]) => r === resource).map(([l]) => l);
  if (mapped.length > 0) return mapped;
  // A template maps every resource: <<.Resource>> -> the label of that name (lbl_res.go).
  return rule.template ? [rule.template.replace(/<<\s*\.Resource\s*>>/g, resource).replace(/<<\s*\.Group\s*>>/g, '')] : [];
}

function hpaMetricsServed(objects: any[]): string[] {
  const configs = adapterConfigs(objects);
  if (configs.length === 0) return [];
  const rules = configs.flatMap(c => c.rules.map(r => ({ ...r, where: `${describeObject(c.object)} data.${c.key} ${r.kind}[${r.index}]` })));
  const out: string[] = [];
  for (const hpa of objects) {
    if (hpa?.kind !== 'HorizontalPodAutoscaler' || !String(hpa.apiVersion).startsWith('autoscaling/')) continue;
    const label = describeObject(hpa);
    (hpa.spec?.metrics ?? []).forEach((m: any, i: number) => {
      const type = m?.type;
      if (type !== 'Pods' && type !== 'Object' && type !== 'External') return;
      const source = m[type.toLowerCase()] ?? {};
      const name: string | undefined = source.metric?.name;
      if (!name) return;
      const path = `spec.metrics[${i}]`;
      const wantKind = type === 'External' ? 'externalRules' : 'rules';
      const serving = rules.filter(r => r.servedNames.includes(name));
      const right = serving.filter(r => r.kind === wantKind);
      if (right.length === 0) {
        const other = serving.find(r => r.kind !== wantKind);
        out.push(`${label}: ${path}: the ${type} metric "${name}" is served by no prometheus-adapter ${wantKind} entry`
          + (other ? ` (only by ${other.where}, which serves the ${other.kind === 'rules' ? 'custom' : 'external'} metrics API)` : '')
          + ': the HPA reports FailedGetPodsMetric/FailedGetExternalMetric and never scales on it');
        return;
      }
      const needs = type === 'Pods' ? ['namespace', 'pod']
        : type === 'Object' ? ['namespace', singularResource(String(source.describedObject?.kind ?? ''))]
          : [];
      for (const r of right) {
        const problems: string[] = [];
        for (const resource of needs) {
          const lbls = labelsFor(r, resource);
          if (lbls.length === 0) problems.push(`maps no label to the resource "${resource}"`);
          else if (!lbls.some(l => requiresLabel(r.seriesMatchers, l))) problems.push(`has a seriesQuery that does not require the label ${lbls.join('/')} (add ${lbls[0]}!="")`);
        }
        if (type === 'External' && r.namespaced && labelsFor(r, 'namespace').length === 0) {
          problems.push('is namespaced (the default) and maps no label to namespaces, so every request from the HPA\'s namespace fails (set resources.namespaced: false for a cluster-wide series)');
        }
        if (problems.length > 0) out.push(`${label}: ${path}: the ${type} metric "${name}" is served by ${r.where}, which ${problems.join(' and ')}`);
      }
    });
  }
  return out;
}

/**
 * The labels a pod made from a template carries: the template's, and those its controller adds. The LeaderWorkerSet
 * controller labels every pod with the set's name and the pod's worker index, "0" on the leader (kubernetes-sigs/lws
 * v0.10.0 api/leaderworkerset/v1/leaderworkerset_types.go:37-45; the worker template also makes the leaders when the set
 * has no leader template).
 */
function podLabelsOf(obj: any, t: { path: string; metadata?: any }): Record<string, string> {
  const labels = { ...t.metadata?.labels };
  if (obj?.kind !== 'LeaderWorkerSet' || !String(obj.apiVersion).startsWith('leaderworkerset.x-k8s.io/')) return labels;
  const leader = t.path.endsWith('leaderTemplate') || obj.spec?.leaderWorkerTemplate?.leaderTemplate === undefined;
  return { ...labels, 'leaderworkerset.sigs.k8s.io/name': obj.metadata?.name, 'leaderworkerset.sigs.k8s.io/worker-index': leader ? '0' : '1' };
}

function monitorTargets(objects: any[]): string[] {
  const out: string[] = [];
  const services = objects.filter(o => o?.kind === 'Service' && o.apiVersion === 'v1');
  const templates = objects.flatMap(o => (o?.kind === 'Pod' || !o?.kind ? [] : findPodTemplates(o).map(t => ({ obj: o, t }))));
  for (const mon of objects) {
    if (mon?.kind !== 'ServiceMonitor' && mon?.kind !== 'PodMonitor') continue;
    if (!String(mon.apiVersion).startsWith('monitoring.coreos.com/')) continue;
    const label = describeObject(mon);
    const nsSel = mon.spec?.namespaceSelector ?? {};
    const inNamespace = (o: any) => nsSel.any === true || (Array.isArray(nsSel.matchNames) && nsSel.matchNames.length > 0
      ? nsSel.matchNames.includes(namespaceOf(o)) : namespaceOf(o) === namespaceOf(mon));
    const endpoints = monitorEndpoints(mon);
    if (mon.kind === 'ServiceMonitor') {
      const candidates = services.filter(inNamespace);
      const selected = candidates.filter(s => selects(mon.spec?.selector, s.metadata?.labels ?? {}));
      if (selected.length === 0) {
        if (candidates.length > 0) out.push(`${label}: spec.selector: selects none of the app's Services in its namespace (${candidates.map(s => s.metadata?.name).join(', ')}): nothing is scraped`);
        continue;
      }
      for (const { ep, path } of endpoints) {
        if (!ep?.port) continue;
        for (const s of selected) {
          const names = (s.spec?.ports ?? []).map((p: any) => p.name).filter(Boolean);
          if (!names.includes(ep.port)) out.push(`${label}: ${path}.port: "${ep.port}" is not a port name of ${describeObject(s)} (it has ${names.length ? names.join(', ') : 'no named ports'}): nothing is scraped from it`);
        }
      }
    } else {
      const candidates = templates.filter(x => inNamespace(x.obj));
      const selected = candidates.filter(x => selects(mon.spec?.selector, podLabelsOf(x.obj, x.t)));
      if (selected.length === 0) {
        if (candidates.length > 0) out.push(`${label}: spec.selector: selects none of the app's pod templates in its namespace: nothing is scraped`);
        continue;
      }
      for (const { ep, path } of endpoints) {
        if (!ep?.port) continue;
        for (const x of selected) {
          const names = (x.t.spec.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.name)).filter(Boolean);
          if (!names.includes(ep.port)) out.push(`${label}: ${path}.port: "${ep.port}" is not a container port name of ${describeObject(x.obj)} (it has ${names.length ? names.join(', ') : 'no named ports'}): nothing is scraped from it`);
        }
      }
    }
  }
  return out;
}

function selectorLabels(objects: any[]): string[] {
  const monitoring = objects.filter(isMonitoring);
  const labelled = monitoring.filter(o => Object.keys(o.metadata?.labels ?? {}).length > 0);
  if (labelled.length === 0) return [];
  // The keys every labelled monitoring object carries: what the app's Prometheus selects them by.
  const keys = Object.keys(labelled[0].metadata.labels).filter(k => labelled.every(o => k in o.metadata.labels));
  if (keys.length === 0) return [];
  const example = labelled[0];
  const shown = keys.map(k => `${k}=${example.metadata.labels[k]}`).join(', ');
  const out: string[] = [];
  for (const o of monitoring) {
    const missing = keys.filter(k => !(k in (o.metadata?.labels ?? {})));
    if (missing.length > 0) {
      out.push(`${describeObject(o)}: metadata.labels: lacks ${missing.join(', ')}, which the app's other monitoring objects carry (${shown} on ${describeObject(example)}): `
        + 'the Prometheus that selects them by it never loads this one (give the app one PrometheusSelector)');
    }
  }
  return out;
}
