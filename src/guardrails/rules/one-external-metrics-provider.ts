/**
 * one-external-metrics-provider: an app that deploys KEDA (a ScaledObject or ScaledJob) has no HPA that scales on an
 * External metric. A cluster serves `external.metrics.k8s.io` through one APIService, `v1beta1.external.metrics.k8s.io`:
 * KEDA's metrics server registers it (kedacore/keda v2.20.2 config/metrics-server/api_service.yaml) and serves only
 * its own triggers' metrics, while an HPA's External metric needs another provider (prometheus-adapter's
 * `externalRules`, as the library configures it). With both, one of them goes unserved. Only when the app has a
 * KEDA object are HPAs read: a hand-written HPA's metrics from its JSON; a library HPA's only when the app's
 * prometheus-adapter configuration serves external metrics (the library adds an `externalRules` entry for each
 * External metric it serves), so an app without them turns no library object into JSON.
 */
import { GuardrailContext } from '../engine/context';
import { inNamespace, subjectOf } from '../engine/objects';
import { RULES } from '../engine/rule-ids';

export function checkOneExternalMetricsProvider(ctx: GuardrailContext): void {
  const keda = [...ctx.ofKind('ScaledObject', 'keda.sh'), ...ctx.ofKind('ScaledJob', 'keda.sh')];
  if (keda.length === 0) return;
  const libraryHpas = new Set(ctx.horizontalOwners.filter(o => o.library && o.kind === 'HorizontalPodAutoscaler').map(o => o.object));
  const adapterServesExternal = ctx.ofKind('ConfigMap').some(cm => {
    // The library's PrometheusAdapterConfig, by shape: the ConfigMap's scope renders the adapter's config.yaml.
    const adapter = cm.node.scope as { renderConfig?: () => string } | undefined;
    return typeof adapter?.renderConfig === 'function' && /^externalRules:/m.test(adapter.renderConfig());
  });
  const named = keda.slice(0, 3).map(o => `${o.kind} '${o.name}'`).join(', ') + (keda.length > 3 ? ` and ${keda.length - 3} more` : '');
  for (const hpa of ctx.ofKind('HorizontalPodAutoscaler', 'autoscaling')) {
    ctx.steps++;
    if (libraryHpas.has(hpa) && !adapterServesExternal) continue;
    const json = ctx.json(hpa);
    const external: string[] = (json.spec?.metrics ?? [])
      .filter((m: any) => m?.type === 'External')
      .map((m: any) => `'${m.external?.metric?.name}'`);
    if (external.length === 0) continue;
    ctx.add(RULES.ONE_EXTERNAL_METRICS_PROVIDER, subjectOf(hpa),
      `HorizontalPodAutoscaler '${hpa.name}'${inNamespace(json.metadata?.namespace ?? '')} scales on the External metric${external.length > 1 ? 's' : ''} ` +
      `${external.join(', ')}, which a provider other than KEDA must serve (prometheus-adapter's externalRules), while the app deploys KEDA (${named}): ` +
      'a cluster has one external-metrics APIService (v1beta1.external.metrics.k8s.io), so either these metrics or KEDA\'s triggers go unserved: ' +
      'scale this workload with ScalingEngine.keda() (a KEDA trigger reads the same series), or keep KEDA out of the app');
  }
}
