/**
 * The inference gateway (Gateway API Inference Extension v1.6.0), in an app that has an InferencePool:
 * - inference-pool-selector: a pool's `selector.matchLabels` selects the pods of exactly one workload of the app in its
 *   namespace (one pod template: a LeaderWorkerSet's leaders and workers are two), not none and not several;
 * - inference-pool-port: each of its `targetPorts` is a container port of those pods;
 * - one-pool-per-picker: an endpoint picker's `--pool-name` names an InferencePool of the app, no two pools refer to
 *   the same picker Service, and a pool's picker Service selects a picker of that pool;
 * - model-server-exposure: no OpenAI-compatible model server (vLLM, SGLang, TGI, TEI) is reachable from outside the
 *   cluster around the gateway: a LoadBalancer or NodePort Service (or one with externalIPs) that selects its pods, an
 *   Ingress to a Service that selects them, or a Gateway API route straight to such a Service.
 * With no InferencePool in the app, these rules read nothing.
 */
import { ApiObject } from 'cdk8s';
import { ModelServerKind } from '../../values/model-server-kind';
import { GuardrailContext } from '../engine/context';
import { inNamespace, objectKey, subjectOf } from '../engine/objects';
import { RULES } from '../engine/rule-ids';

const POOL_GROUP = 'inference.networking.k8s.io';
const EXTERNAL_TYPES = new Set(['LoadBalancer', 'NodePort']);
const SUPPRESS = (rule: string) => `or record why with ScalingGuardrails.suppress(construct, GuardrailRule.${rule}, reason)`;

/** One pod template of the app: a workload's pods (a LeaderWorkerSet has two). */
interface Template {
  readonly object: ApiObject;
  readonly label: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly containers: any[];
}

/** Where each workload kind keeps its pod templates. */
const TEMPLATES: [string, string, (spec: any) => [string, any][]][] = [
  ['Deployment', 'apps', s => [['', s?.template]]],
  ['StatefulSet', 'apps', s => [['', s?.template]]],
  ['DaemonSet', 'apps', s => [['', s?.template]]],
  ['ReplicaSet', 'apps', s => [['', s?.template]]],
  ['Job', 'batch', s => [['', s?.template]]],
  ['CronJob', 'batch', s => [['', s?.jobTemplate?.spec?.template]]],
  // LeaderWorkerSet: the leaders run the workers' template when they have none of their own.
  ['LeaderWorkerSet', 'leaderworkerset.x-k8s.io', s => {
    const t = s?.leaderWorkerTemplate ?? {};
    return [[' leaders', t.leaderTemplate ?? t.workerTemplate], [' workers', t.workerTemplate]];
  }],
];

export function checkInferenceGateway(ctx: GuardrailContext): void {
  const pools = ctx.ofKind('InferencePool', POOL_GROUP);
  if (pools.length === 0) return;
  const templates = podTemplates(ctx);
  const poolJson = pools.map(o => ({ o, json: ctx.json(o) }));
  for (const { o, json } of poolJson) checkPool(ctx, o, json, templates);
  checkPickers(ctx, poolJson, templates);
  checkExposure(ctx, templates);
}

function podTemplates(ctx: GuardrailContext): Template[] {
  const out: Template[] = [];
  for (const [kind, group, templatesOf] of TEMPLATES) {
    for (const o of ctx.ofKind(kind, group)) {
      ctx.steps++;
      const json = ctx.json(o);
      for (const [part, t] of templatesOf(json.spec)) {
        if (!t) continue;
        out.push({
          object: o,
          label: `${kind} '${json.metadata?.name}'${part}`,
          namespace: json.metadata?.namespace ?? '',
          labels: t.metadata?.labels ?? {},
          containers: Array.isArray(t.spec?.containers) ? t.spec.containers : [],
        });
      }
    }
  }
  return out;
}

function selects(matchLabels: Record<string, string> | undefined, labels: Record<string, string>): boolean {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function checkPool(ctx: GuardrailContext, o: ApiObject, json: any, templates: Template[]): void {
  const name = json.metadata?.name;
  const namespace = json.metadata?.namespace ?? '';
  const matchLabels = json.spec?.selector?.matchLabels ?? {};
  const shown = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(', ');
  const selected = templates.filter(t => { ctx.steps++; return t.namespace === namespace && selects(matchLabels, t.labels); });
  const fix = `give the pool the labels of its model server's pods only (InferencePool's backend), ${SUPPRESS('INFERENCE_POOL_SELECTOR')}`;
  if (selected.length === 0) {
    ctx.add(RULES.INFERENCE_POOL_SELECTOR, subjectOf(o), `InferencePool '${name}' selects no pods of the app${inNamespace(namespace)} (${shown}): ` +
      `the gateway has no endpoint to send its requests to: ${fix}`);
    return;
  }
  if (selected.length > 1) {
    ctx.add(RULES.INFERENCE_POOL_SELECTOR, subjectOf(o), `InferencePool '${name}' (${shown}) selects the pods of ${selected.map(t => t.label).join(' and ')}: ` +
      `a pool is the pods of one model server, and the endpoint picker would send requests to the others too: ${fix}`);
    return;
  }
  const [t] = selected;
  const ports = new Set(t.containers.flatMap((c: any) => (Array.isArray(c?.ports) ? c.ports : []).map((p: any) => p?.containerPort)));
  for (const p of json.spec?.targetPorts ?? []) {
    if (ports.has(p?.number)) continue;
    ctx.add(RULES.INFERENCE_POOL_PORT, subjectOf(o), `InferencePool '${name}' sends requests to port ${p?.number}, and the pods of ${t.label} listen on ` +
      `${ports.size > 0 ? [...ports].join(', ') : 'no declared port'}: set targetPorts to the model server's container port, ${SUPPRESS('INFERENCE_POOL_PORT')}`);
  }
}

/** The value of a flag in a container's args (`--flag value` or `--flag=value`). */
function flagOf(args: unknown, flag: string): string | undefined {
  if (!Array.isArray(args)) return undefined;
  for (let i = 0; i < args.length; i++) {
    const a = String(args[i]);
    if (a === flag) return args[i + 1] === undefined ? undefined : String(args[i + 1]);
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

function checkPickers(ctx: GuardrailContext, pools: { o: ApiObject; json: any }[], templates: Template[]): void {
  const poolKeys = new Set(pools.map(p => `${p.json.metadata?.namespace ?? ''}/${p.json.metadata?.name}`));
  const fix = SUPPRESS('ONE_POOL_PER_PICKER');
  // Pickers: containers that name a pool (cmd/epp: --pool-name; --pool-namespace defaults to the pod's namespace).
  const pickers: { t: Template; pool: string }[] = [];
  for (const t of templates) {
    for (const c of t.containers) {
      ctx.steps++;
      const pool = flagOf(c?.args, '--pool-name');
      if (pool === undefined) continue;
      const namespace = flagOf(c?.args, '--pool-namespace') ?? t.namespace;
      pickers.push({ t, pool: `${namespace}/${pool}` });
      if (!poolKeys.has(`${namespace}/${pool}`)) {
        ctx.add(RULES.ONE_POOL_PER_PICKER, subjectOf(t.object), `the endpoint picker of ${t.label} serves InferencePool '${pool}'${inNamespace(namespace)}, ` +
          `which the app does not have: it would pick from no pods: name the pool it serves with --pool-name, ${fix}`);
      }
    }
  }
  const byService = new Map<string, string>();
  for (const { o, json } of pools) {
    const namespace = json.metadata?.namespace ?? '';
    const ref = json.spec?.endpointPickerRef;
    if (!ref?.name || (ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '') continue;
    const key = `${namespace}/${ref.name}`;
    const first = byService.get(key);
    if (first !== undefined) {
      ctx.add(RULES.ONE_POOL_PER_PICKER, subjectOf(o), `InferencePool '${json.metadata?.name}' uses the endpoint picker Service '${ref.name}', as ` +
        `InferencePool '${first}' does: a picker serves the one pool its --pool-name names: give each pool its picker, ${fix}`);
      continue;
    }
    byService.set(key, json.metadata?.name);
    const service = ctx.byKey.get(objectKey(namespace, 'Service', ref.name));
    if (!service) continue;
    const selector = ctx.json(service).spec?.selector;
    const theirs = pickers.filter(p => p.t.namespace === namespace && selects(selector, p.t.labels));
    const other = theirs.find(p => p.pool !== `${namespace}/${json.metadata?.name}`);
    if (other) {
      ctx.add(RULES.ONE_POOL_PER_PICKER, subjectOf(o), `InferencePool '${json.metadata?.name}' uses the endpoint picker Service '${ref.name}', whose pods ` +
        `(${other.t.label}) serve InferencePool '${other.pool.split('/')[1]}': point the pool at its own picker, ${fix}`);
    }
  }
}

/** OpenAI-compatible servers the catalog knows: every preset but Triton (whose OpenAI frontend is a separate program). */
function isOpenAiServer(image: unknown): boolean {
  if (typeof image !== 'string') return false;
  const kind = ModelServerKind.fromImage(image);
  return !kind.isGeneric && kind !== ModelServerKind.TRITON;
}

function checkExposure(ctx: GuardrailContext, templates: Template[]): void {
  const servers = templates.filter(t => t.containers.some((c: any) => isOpenAiServer(c?.image)));
  if (servers.length === 0) return;
  const fix = 'keep the Service ClusterIP and route clients through the Gateway\'s HTTPRoute to the InferencePool (InferencePool route), ' +
    SUPPRESS('MODEL_SERVER_EXPOSURE');
  const reaching = new Map<string, Template>();
  for (const svc of ctx.ofKind('Service')) {
    ctx.steps++;
    const json = ctx.json(svc);
    const namespace = json.metadata?.namespace ?? '';
    const server = servers.find(t => t.namespace === namespace && selects(json.spec?.selector, t.labels));
    if (!server) continue;
    reaching.set(`${namespace}/${json.metadata?.name}`, server);
    const type = json.spec?.type;
    const how = EXTERNAL_TYPES.has(type) ? `is ${type}` : (json.spec?.externalIPs ?? []).length > 0 ? 'has externalIPs' : undefined;
    if (how) {
      ctx.add(RULES.MODEL_SERVER_EXPOSURE, subjectOf(svc), `Service '${json.metadata?.name}' ${how} and selects the model server pods of ${server.label}: ` +
        `its OpenAI-compatible API is reachable from outside the cluster without the gateway: ${fix}`);
    }
  }
  const backend = (namespace: string, name: unknown) => (typeof name === 'string' ? reaching.get(`${namespace}/${name}`) : undefined);
  for (const ingress of ctx.ofKind('Ingress', 'networking.k8s.io')) {
    ctx.steps++;
    const json = ctx.json(ingress);
    const namespace = json.metadata?.namespace ?? '';
    const backends = [json.spec?.defaultBackend, ...(json.spec?.rules ?? []).flatMap((r: any) => (r?.http?.paths ?? []).map((p: any) => p?.backend))];
    const hit = backends.map(b => backend(namespace, b?.service?.name)).find(Boolean);
    if (hit) {
      ctx.add(RULES.MODEL_SERVER_EXPOSURE, subjectOf(ingress), `Ingress '${json.metadata?.name}' routes outside traffic to a Service that selects ` +
        `the model server pods of ${hit.label}, around the gateway: ${fix}`);
    }
  }
  for (const kind of ['HTTPRoute', 'GRPCRoute']) {
    for (const route of ctx.ofKind(kind, 'gateway.networking.k8s.io')) {
      ctx.steps++;
      const json = ctx.json(route);
      const namespace = json.metadata?.namespace ?? '';
      const refs = (json.spec?.rules ?? []).flatMap((r: any) => r?.backendRefs ?? []).filter((b: any) => (b?.kind ?? 'Service') === 'Service' && (b?.group ?? '') === '');
      const hit = refs.map((b: any) => backend(b.namespace ?? namespace, b.name)).find(Boolean);
      if (hit) {
        ctx.add(RULES.MODEL_SERVER_EXPOSURE, subjectOf(route), `${kind} '${json.metadata?.name}' sends requests straight to a Service that selects ` +
          `the model server pods of ${hit.label}, not to its InferencePool: the endpoint picker is bypassed: route to the InferencePool ` +
          `(backendRef group ${POOL_GROUP}, kind InferencePool), ${SUPPRESS('MODEL_SERVER_EXPOSURE')}`);
      }
    }
  }
}
