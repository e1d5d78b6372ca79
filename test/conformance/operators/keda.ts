/**
 * KEDA v2.20.2 (kedacore/keda@v2.20.2, the version of the pinned CRDs): its admission webhooks and controller checks
 * (keda-webhooks.ts), the metadata parsing of each scaler the library uses, with the parameters a trigger's
 * TriggerAuthentication adds (keda-scalers.ts), and one rule across objects: one external-metrics provider per app.
 */
import { parse as parseYaml } from 'yaml';
import type { OperatorCheck } from './index';
import { ScalerInput } from './keda-params';
import { knownScaler, scalerProblems } from './keda-scalers';
import { kedaWebhookViolations } from './keda-webhooks';

type Obj = Record<string, any>;

const isKeda = (o: Obj, kind: string) => o?.kind === kind && String(o.apiVersion).startsWith('keda.sh/');
const nameOf = (o: Obj) => o.metadata?.name ?? '';
const nsOf = (o: Obj) => o.metadata?.namespace ?? '';

export const KEDA_CHECK: OperatorCheck = {
  source: 'KEDA v2.20.2',
  check: objects => [...kedaWebhookViolations(objects), ...triggerViolations(objects), ...externalMetricsProviderViolations(objects)],
};

/**
 * Each trigger of each ScaledObject and ScaledJob, parsed as its scaler parses it, with the parameters of the
 * TriggerAuthentication it references (pkg/scaling/resolver/scale_resolvers.go@v2.20.2 ResolveAuthRefAndPodIdentity():
 * `secretTargetRef`, `env`, vault and secret-manager entries become authParams; the trigger's own metadata wins).
 */
export function triggerViolations(objects: Obj[]): string[] {
  const out: string[] = [];
  const auths = objects.filter(o => isKeda(o, 'TriggerAuthentication') || isKeda(o, 'ClusterTriggerAuthentication'));
  for (const owner of objects.filter(o => isKeda(o, 'ScaledObject') || isKeda(o, 'ScaledJob'))) {
    (owner.spec?.triggers ?? []).forEach((t: Obj, i: number) => {
      const at = `${owner.kind}/${nameOf(owner)}: spec.triggers[${i}]`;
      let authParams = new Set<string>();
      let podIdentity = '';
      const ref = t?.authenticationRef;
      if (ref?.name) {
        const kind = ref.kind || 'TriggerAuthentication';
        const auth = auths.find(a => a.kind === kind && nameOf(a) === ref.name && (kind === 'ClusterTriggerAuthentication' || nsOf(a) === nsOf(owner)));
        if (!auth) {
          out.push(`${at}.authenticationRef: ${kind} '${ref.name}' is not in the app${kind === 'TriggerAuthentication' ? ` (namespace '${nsOf(owner)}')` : ''}: the scaler cannot be built`);
          return;
        }
        authParams = parametersOf(auth.spec ?? {});
        podIdentity = auth.spec?.podIdentity?.provider ?? '';
      }
      if (!knownScaler(t?.type)) return;
      const metadata: Record<string, string> = {};
      for (const [k, v] of Object.entries(t.metadata ?? {})) if (typeof v === 'string') metadata[k] = v;
      const input: ScalerInput = { metadata, authParams, podIdentity, metricType: t.metricType ?? '' };
      for (const p of scalerProblems(t.type, input)) out.push(`${at}.metadata: ${t.type} scaler: ${p}`);
    });
  }
  return out;
}

/** Every `parameter` a TriggerAuthentication provides (secretTargetRef, env, configMapTargetRef, vault and secret-manager lists). */
function parametersOf(spec: Obj): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {v.forEach(walk);} else if (v && typeof v === 'object') {
      const o = v as Obj;
      if (typeof o.parameter === 'string') found.add(o.parameter);
      Object.values(o).forEach(walk);
    }
  };
  for (const [k, v] of Object.entries(spec)) if (k !== 'podIdentity' && k !== 'oauth2') walk(v);
  return found;
}

/**
 * One external-metrics provider per app: a cluster serves `external.metrics.k8s.io` through one APIService
 * (`v1beta1.external.metrics.k8s.io`). KEDA's metrics server registers it (kedacore/keda@v2.20.2
 * config/metrics-server/api_service.yaml), and prometheus-adapter needs it to serve its `externalRules`
 * (kubernetes-sigs/prometheus-adapter@v0.12.0 docs/externalmetrics.md). With both, one of them loses: the HPA's
 * External metrics or KEDA's triggers go unserved.
 */
export function externalMetricsProviderViolations(objects: Obj[]): string[] {
  const keda = objects.filter(o => isKeda(o, 'ScaledObject') || isKeda(o, 'ScaledJob'));
  if (keda.length === 0) return [];
  const kedaNames = keda.slice(0, 3).map(o => `${o.kind} '${nameOf(o)}'`).join(', ') + (keda.length > 3 ? `, ... (${keda.length})` : '');
  const out: string[] = [];
  const served = new Set<string>();
  for (const cm of objects.filter(o => o?.kind === 'ConfigMap')) {
    const config = cm.data?.['config.yaml'];
    if (typeof config !== 'string' || !config.includes('externalRules')) continue;
    let doc: any;
    try {
      doc = parseYaml(config);
    } catch {
      continue;
    }
    const rules: Obj[] = Array.isArray(doc?.externalRules) ? doc.externalRules : [];
    if (rules.length === 0) continue;
    for (const r of rules) served.add(r?.name?.as ?? r?.seriesQuery);
    out.push(`ConfigMap/${nameOf(cm)}: data.config.yaml.externalRules: prometheus-adapter serves external metrics (${rules.map(r => r?.name?.as ?? r?.seriesQuery).join(', ')}) ` +
      `while the app deploys KEDA (${kedaNames}): a cluster has one external-metrics APIService (v1beta1.external.metrics.k8s.io), so either KEDA's triggers or these metrics go unserved; ` +
      'scale these workloads with the KEDA engine (its prometheus trigger reads the same series), or keep KEDA out of the app');
  }
  for (const hpa of objects.filter(o => o?.kind === 'HorizontalPodAutoscaler')) {
    (hpa.spec?.metrics ?? []).forEach((m: Obj, i: number) => {
      if (m?.type !== 'External') return;
      const name = m.external?.metric?.name;
      out.push(`HorizontalPodAutoscaler/${nameOf(hpa)}: spec.metrics[${i}].external: the External metric '${name}' needs an external-metrics provider ` +
        `other than KEDA${served.has(name) ? ' (prometheus-adapter\'s externalRules serve it)' : ''}, and the app deploys KEDA (${kedaNames}): ` +
        'a cluster has one external-metrics APIService (v1beta1.external.metrics.k8s.io); scale this workload with the KEDA engine instead');
    });
  }
  return out;
}
