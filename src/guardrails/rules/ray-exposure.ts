/**
 * ray-exposure: no Ray head (dashboard 8265, GCS 6379, client and job API 10001: each runs whatever code it is
 * sent) is reachable from outside the cluster unless a suppression says why it may be. Flagged:
 * - a RayCluster, RayJob or RayService whose head Service is LoadBalancer or NodePort (`serviceType`, or
 *   `headService.spec.type`), or has external IPs, or that asks KubeRay for an Ingress (`enableIngress`);
 * - a Service of type LoadBalancer or NodePort (or with externalIPs) whose selector picks Ray head pods of the
 *   app, or that serves port 8265 or 10001;
 * - an Ingress or Gateway API route whose backend is a Ray head Service (KubeRay's `<cluster>-head-svc`, or a
 *   Service of the app that picks Ray head pods), or port 8265 or 10001.
 * With no Ray object in the app there is nothing to reach, and no Service is read.
 */
import { ApiObject } from 'cdk8s';
import { GuardrailContext } from '../engine/context';
import { subjectOf } from '../engine/objects';
import { RULES } from '../engine/rule-ids';

/** Ports that serve only Ray (6379 is Redis's too, so it counts only with a Ray selector). */
const RAY_ONLY_PORTS = new Set([8265, 10001]);
const EXTERNAL_TYPES = new Set(['LoadBalancer', 'NodePort']);
const ANY = '*';
const FIX = 'keep the head Service ClusterIP and reach the dashboard with kubectl port-forward, or put an authenticating proxy in ' +
  'front of it and record that with ScalingGuardrails.suppress(construct, GuardrailRule.RAY_EXPOSURE, reason)';

/** A Ray head: its pod labels (`*` where KubeRay generates the value) and the names its head Service may have. */
interface RayHead {
  readonly label: string;
  readonly namespace: string;
  readonly labels: Map<string, string>;
  /** The names its head Service has (none known for a RayJob, whose cluster name KubeRay generates). */
  readonly serviceNames: Set<string>;
  /** The RayJob's name, for a RayJob. */
  readonly jobName?: string;
}

export function checkRayExposure(ctx: GuardrailContext): void {
  const heads: RayHead[] = [];
  for (const [kind, specOf] of [
    ['RayCluster', (j: any) => j.spec],
    ['RayJob', (j: any) => j.spec?.rayClusterSpec],
    ['RayService', (j: any) => j.spec?.rayClusterConfig],
  ] as [string, (j: any) => any][]) {
    for (const o of ctx.ofKind(kind, 'ray.io')) {
      ctx.steps++;
      const json = ctx.json(o);
      const head = specOf(json)?.headGroupSpec ?? {};
      heads.push(rayHead(kind, json, head));
      const serviceType = head.headService?.spec?.type ?? head.serviceType;
      const problems: string[] = [];
      if (EXTERNAL_TYPES.has(serviceType)) problems.push(`its head Service is ${serviceType}`);
      if ((head.headService?.spec?.externalIPs ?? []).length > 0) problems.push('its head Service has externalIPs');
      if (head.enableIngress === true) problems.push('it asks KubeRay for an Ingress to the dashboard (enableIngress)');
      if (problems.length > 0) {
        ctx.add(RULES.RAY_EXPOSURE, subjectOf(o), `${kind} '${json.metadata?.name}' exposes its Ray head (dashboard 8265, GCS 6379, ` +
          `client and job API 10001) outside the cluster: ${problems.join(', and ')}: ${FIX}`);
      }
    }
  }
  if (heads.length === 0) return;
  const index = indexHeads(heads);
  const reachingHeads = new Map<string, RayHead>();
  for (const svc of ctx.ofKind('Service')) {
    ctx.steps++;
    const json = ctx.json(svc);
    const namespace = json.metadata?.namespace ?? '';
    const head = headPickedBy(json.spec?.selector, namespace, index, ctx);
    if (head) reachingHeads.set(`${namespace}/${json.metadata?.name}`, head);
    const external = EXTERNAL_TYPES.has(json.spec?.type) || (json.spec?.externalIPs ?? []).length > 0;
    if (!external) continue;
    const port = (json.spec?.ports ?? []).find((p: any) => RAY_ONLY_PORTS.has(p.port) || RAY_ONLY_PORTS.has(p.targetPort));
    if (!head && !port) continue;
    const how = json.spec?.type && EXTERNAL_TYPES.has(json.spec.type) ? `is ${json.spec.type}` : 'has externalIPs';
    const what = head ? `picks the pods of ${head.label}` : `serves Ray's port ${port.port}`;
    ctx.add(RULES.RAY_EXPOSURE, subjectOf(svc), `Service '${json.metadata?.name}' ${how} and ${what}: ${FIX}`);
  }
  const headServices = new Map<string, RayHead>();
  const jobs = new Map<string, RayHead>();
  for (const h of heads) {
    for (const n of h.serviceNames) headServices.set(`${h.namespace}/${n}`, h);
    if (h.jobName !== undefined) jobs.set(`${h.namespace}/${h.jobName}`, h);
  }
  const headOfBackend = (namespace: string, name: string | undefined, port: any): string | undefined => {
    if (name === undefined) return undefined;
    const viaService = reachingHeads.get(`${namespace}/${name}`);
    if (viaService) return `Service '${name}', which picks the pods of ${viaService.label}`;
    const kuberay = headServices.get(`${namespace}/${name}`)
      // A RayJob's cluster is `<job>-<5 random characters>`, its head Service `<cluster>-head-svc`.
      ?? (name.endsWith('-head-svc') ? jobs.get(`${namespace}/${name.slice(0, -'-head-svc'.length).replace(/-[a-z0-9]+$/, '')}`) : undefined);
    if (kuberay) return `Service '${name}', the head Service of ${kuberay.label}`;
    const number = typeof port === 'number' ? port : port?.number;
    return RAY_ONLY_PORTS.has(number) ? `port ${number} of Service '${name}'` : undefined;
  };
  checkRoutes(ctx, headOfBackend);
}

function checkRoutes(ctx: GuardrailContext, headOfBackend: (namespace: string, name: string | undefined, port: any) => string | undefined): void {
  const flag = (o: ApiObject, json: any, backend: string) => ctx.add(RULES.RAY_EXPOSURE, subjectOf(o),
    `${o.kind} '${json.metadata?.name}' routes outside traffic to ${backend}: ${FIX}`);
  for (const ingress of ctx.ofKind('Ingress', 'networking.k8s.io')) {
    ctx.steps++;
    const json = ctx.json(ingress);
    const namespace = json.metadata?.namespace ?? '';
    const backends = [json.spec?.defaultBackend, ...(json.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend))];
    const hit = backends.map(b => b?.service && headOfBackend(namespace, b.service.name, b.service.port)).find(Boolean);
    if (hit) flag(ingress, json, hit);
  }
  for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute']) {
    for (const route of ctx.ofKind(kind, 'gateway.networking.k8s.io')) {
      ctx.steps++;
      const json = ctx.json(route);
      const namespace = json.metadata?.namespace ?? '';
      const refs = (json.spec?.rules ?? []).flatMap((r: any) => r.backendRefs ?? [])
        .filter((b: any) => (b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '');
      const hit = refs.map((b: any) => headOfBackend(b.namespace ?? namespace, b.name, b.port)).find(Boolean);
      if (hit) flag(route, json, hit);
    }
  }
}

function rayHead(kind: string, json: any, head: any): RayHead {
  const name: string = json.metadata?.name;
  const namespace: string = json.metadata?.namespace ?? '';
  const generated = kind === 'RayJob';
  // A RayJob's and a RayService's RayCluster is `<name>-<random>` (KubeRay's utils.GenerateRayClusterName), so their pods'
  // cluster labels are not known; a RayService keeps a head Service of its own name (`<name>-head-svc`) across upgrades.
  const generatedCluster = generated || kind === 'RayService';
  // Labels KubeRay puts on every head pod (ray-operator/controllers/ray/common/pod.go), then the template's own.
  const labels = new Map<string, string>([
    ['ray.io/cluster', generatedCluster ? ANY : name],
    ['ray.io/node-type', 'head'],
    ['ray.io/group', 'headgroup'],
    ['ray.io/identifier', generatedCluster ? ANY : `${name}-head`],
    ['ray.io/is-ray-node', 'yes'],
    ['app.kubernetes.io/name', 'kuberay'],
    ['app.kubernetes.io/created-by', 'kuberay-operator'],
  ]);
  for (const [k, v] of Object.entries(head.template?.metadata?.labels ?? {})) labels.set(k, String(v));
  const serviceNames = new Set<string>([head.headService?.metadata?.name ?? `${name}-head-svc`]);
  return {
    label: `${kind} '${name}'`,
    namespace,
    labels,
    serviceNames: generated ? new Set() : serviceNames,
    jobName: generated ? name : undefined,
  };
}

/** Heads by each `key=value` of their labels (and by key where the value is generated), to match selectors. */
interface HeadIndex {
  readonly byLabel: Map<string, RayHead[]>;
  readonly byAnyValue: Map<string, RayHead[]>;
}

function indexHeads(heads: RayHead[]): HeadIndex {
  const byLabel = new Map<string, RayHead[]>();
  const byAnyValue = new Map<string, RayHead[]>();
  for (const h of heads) {
    for (const [k, v] of h.labels) {
      const [map, key] = v === ANY ? [byAnyValue, k] : [byLabel, `${k}=${v}`];
      map.set(key, [...(map.get(key) ?? []), h]);
    }
  }
  return { byLabel, byAnyValue };
}

/**
 * The first Ray head (in the same namespace) whose pod labels a Service selector picks. Candidates come from the
 * selector entry with the fewest heads, so a Service costs as many checks as heads share its rarest label.
 */
function headPickedBy(selector: Record<string, string> | undefined, namespace: string, index: HeadIndex,
  ctx: GuardrailContext): RayHead | undefined {
  const entries = Object.entries(selector ?? {});
  if (entries.length === 0) return undefined;
  let rarest = entries[0];
  let fewest = Infinity;
  for (const [k, v] of entries) {
    const count = (index.byLabel.get(`${k}=${v}`)?.length ?? 0) + (index.byAnyValue.get(k)?.length ?? 0);
    if (count < fewest) [rarest, fewest] = [[k, v], count];
  }
  const [k0, v0] = rarest;
  for (const h of [...(index.byLabel.get(`${k0}=${v0}`) ?? []), ...(index.byAnyValue.get(k0) ?? [])]) {
    ctx.steps++;
    if (h.namespace !== namespace) continue;
    if (entries.every(([k, v]) => h.labels.get(k) === v || h.labels.get(k) === ANY)) return h;
  }
  return undefined;
}
