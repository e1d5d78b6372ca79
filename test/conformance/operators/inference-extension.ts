/**
 * What the inference gateway refuses beyond the InferencePool schema and its CEL rules (which the schema check applies:
 * targetPorts 1-8 unique entries, selector.matchLabels 1-64 entries, a port when endpointPickerRef's kind is Service).
 *
 * Sources:
 * - kubernetes-sigs/gateway-api-inference-extension@v1.6.0 conformance tests (every conformant Gateway behaves so):
 *   `conformance/tests/httproute_invalid_inferencepool_ref.go` L49-L60 (a route to a missing pool: ResolvedRefs=False),
 *   `conformance/tests/inferencepool_invalid_epp_service.go` L42-L80 (a pool whose picker Service does not exist:
 *   ResolvedRefs=False, BackendNotFound, and every request fails with 500).
 * - The endpoint picker the extension points to, llm-d/llm-d-router@v0.9.0: `pkg/epp/server/options.go` L271-L296
 *   Validate() (flags), `pkg/epp/config/loader/validation.go` L85-L126 (its configuration file), `cmd/epp/runner/runner.go`
 *   L605-L606 (the registered feature gates), `pkg/epp/config/loader/defaults.go` L110-L111 (a plugin's name defaults to
 *   its type), `pkg/epp/flowcontrol/controller/internal/processor.go` L352 (the pool-saturation gauge is set by flow
 *   control only).
 */
import { parse as parseYaml } from 'yaml';
import type { OperatorCheck } from './index';
import { arr, rec } from './kubernetes';
import { describeObject } from '../pod-security';
import { findPodTemplates } from '../pod-templates';

const POOL_GROUP = 'inference.networking.k8s.io';
const FEATURE_GATES = new Set(['dataLayer', 'flowControl']);

const ns = (o: any): string => rec(o?.metadata).namespace ?? 'default';
const isPool = (o: any) => o?.kind === 'InferencePool' && String(o?.apiVersion).startsWith(`${POOL_GROUP}/`);

/** The value of a flag (`--flag value` or `--flag=value`), undefined when absent. */
export function flagValue(args: unknown, flag: string): string | undefined {
  const list = arr(args).map(String);
  for (let i = 0; i < list.length; i++) {
    if (list[i] === flag) return list[i + 1];
    if (list[i].startsWith(`${flag}=`)) return list[i].slice(flag.length + 1);
  }
  return undefined;
}

const hasFlag = (args: unknown, flag: string) => flagValue(args, flag) !== undefined;

/** An endpoint picker container: llm-d-router's image, or the flags only the picker takes. */
function isPicker(c: any): boolean {
  return /llm-d-router-endpoint-picker/.test(String(c?.image ?? '')) || hasFlag(c?.args, '--pool-name') || hasFlag(c?.args, '--endpoint-selector');
}

/** Validate() returns its first error: so does this. */
function checkFlags(args: unknown, at: string): string[] {
  const out: string[] = [];
  const pool = hasFlag(args, '--pool-name');
  const selector = hasFlag(args, '--endpoint-selector');
  // options.go L272-L274
  if (pool === selector) out.push(`${at}: either pool-name or endpoint-selector must be set`);
  if (selector) {
    const ports = (flagValue(args, '--endpoint-target-ports') ?? '').split(',').filter(p => p !== '');
    if (ports.length === 0 || ports.length > 8) out.push(`${at}: flag "endpoint-target-ports" should have length from 1 to 8`);
  }
  // options.go L286-L288, L289-L292
  if (hasFlag(args, '--config-text') && hasFlag(args, '--config-file')) out.push(`${at}: both the "configText" and "configFile" flags can not be set at the same time`);
  const scheme = flagValue(args, '--model-server-metrics-scheme');
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    out.push(`${at}: unexpected "${scheme}" value for "model-server-metrics-scheme" flag, it can only be set to 'http' or 'https'`);
  }
  return out.slice(0, 1);
}

/** validation.go: the configuration file the picker loads at start (an error stops it). */
function configProblems(text: string): { problems: string[]; gates: string[] } {
  let cfg: any;
  try {
    cfg = parseYaml(text);
  } catch (e) {
    return { problems: [`does not parse: ${(e as Error).message.split('\n')[0]}`], gates: [] };
  }
  const problems: string[] = [];
  if (rec(cfg).kind !== 'EndpointPickerConfig') problems.push(`has kind ${JSON.stringify(rec(cfg).kind)}, not EndpointPickerConfig`);
  const gates = arr(rec(cfg).featureGates).map(String);
  // validation.go L115-L126
  for (const g of gates) if (!FEATURE_GATES.has(g)) problems.push(`feature gate validation failed: feature gate '${g}' is unknown or unregistered`);
  // defaults.go L110-L111: an unnamed plugin is named by its type.
  const defined = new Set(arr(rec(cfg).plugins).map((p: any) => String(rec(p).name ?? rec(p).type ?? '')));
  const seen = new Set<string>();
  arr(rec(cfg).schedulingProfiles).forEach((p: any, i: number) => {
    const name = rec(p).name;
    if (!name) {problems.push(`scheduling profile validation failed: schedulingProfiles[${i}] is missing a name`); return;}
    if (seen.has(name)) problems.push(`scheduling profile validation failed: schedulingProfiles[${i}] has duplicate name '${name}'`);
    seen.add(name);
    arr(rec(p).plugins).forEach((r: any, j: number) => {
      const ref = rec(r).pluginRef;
      if (!ref) problems.push(`scheduling profile validation failed: schedulingProfiles[${name}].plugins[${j}] is missing a 'pluginRef'`);
      else if (!defined.has(ref)) problems.push(`scheduling profile validation failed: schedulingProfiles[${name}] references undefined plugin '${ref}'`);
    });
  });
  return { problems, gates };
}

interface Picker {
  readonly obj: any;
  readonly namespace: string;
  readonly pool?: string;
  readonly gates: string[];
}

function pickers(objects: any[], out: string[]): Picker[] {
  const configMaps = new Map(objects.filter(o => o?.kind === 'ConfigMap').map(o => [`${ns(o)}/${rec(o.metadata).name}`, o]));
  const found: Picker[] = [];
  for (const obj of objects) {
    if (!obj?.kind || obj.kind === 'Pod') continue;
    for (const t of findPodTemplates(obj)) {
      const path = t.path;
      const spec = rec(t.spec);
      arr(spec.containers).forEach((c: any, i: number) => {
        if (!isPicker(c)) return;
        const at = `${describeObject(obj)}: ${path}.spec.containers[${i}].args`;
        out.push(...checkFlags(c.args, at));
        let gates: string[] = [];
        const file = flagValue(c.args, '--config-file');
        if (file !== undefined) {
          // The file must come from a mounted ConfigMap key: else the picker cannot start.
          const mount = arr(c.volumeMounts).find((m: any) => file.startsWith(`${String(m?.mountPath).replace(/\/$/, '')}/`));
          const volume = mount && arr(spec.volumes).find((v: any) => v?.name === mount.name);
          const cmName = rec(rec(volume).configMap).name;
          const key = mount ? file.slice(String(mount.mountPath).replace(/\/$/, '').length + 1) : '';
          const cm = cmName ? configMaps.get(`${ns(obj)}/${cmName}`) : undefined;
          const text = rec(rec(cm).data)[key];
          if (cmName && cm && typeof text !== 'string') out.push(`${at}: --config-file ${file}: ConfigMap '${cmName}' has no key '${key}': the picker cannot load its configuration`);
          if (typeof text === 'string') {
            const r = configProblems(text);
            gates = r.gates;
            out.push(...r.problems.map(p => `${describeObject(cm)}: data.${key}: ${p}`));
          }
        }
        const namespace = flagValue(c.args, '--pool-namespace') ?? ns(obj);
        found.push({ obj, namespace, pool: flagValue(c.args, '--pool-name'), gates });
      });
    }
  }
  return found;
}

/** Every violation across the app's objects. */
export function inferenceExtensionViolations(objects: any[]): string[] {
  const out: string[] = [];
  const pools = objects.filter(isPool);
  const poolKeys = new Set(pools.map(p => `${ns(p)}/${rec(p.metadata).name}`));
  const services = new Map(objects.filter(o => o?.kind === 'Service' && o.apiVersion === 'v1').map(o => [`${ns(o)}/${rec(o.metadata).name}`, o]));
  const found = pickers(objects, out);

  // inferencepool_invalid_epp_service.go: the picker Service must exist, and serve the port the gateway dials.
  for (const p of pools) {
    const ref = rec(rec(p.spec).endpointPickerRef);
    if (!ref.name || (ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '') continue;
    const svc = services.get(`${ns(p)}/${ref.name}`);
    if (!svc) {
      out.push(`${describeObject(p)}: spec.endpointPickerRef.name: Service '${ref.name}' does not exist: ResolvedRefs=False (BackendNotFound), every request fails with 500`);
      continue;
    }
    const port = rec(ref.port).number;
    const ports = arr(rec(svc.spec).ports).map((x: any) => x?.port);
    if (!ports.includes(port)) out.push(`${describeObject(p)}: spec.endpointPickerRef.port.number: ${port} is not a port of Service '${ref.name}' (${ports.join(', ')}): the gateway cannot reach its picker`);
  }

  // httproute_invalid_inferencepool_ref.go: a route to a pool that does not exist resolves to nothing.
  for (const r of objects) {
    if (r?.kind !== 'HTTPRoute' && r?.kind !== 'GRPCRoute') continue;
    arr(rec(r.spec).rules).forEach((rule: any, i: number) => arr(rec(rule).backendRefs).forEach((b: any, j: number) => {
      if (rec(b).kind !== 'InferencePool' || rec(b).group !== POOL_GROUP) return;
      const key = `${b.namespace ?? ns(r)}/${b.name}`;
      if (!poolKeys.has(key)) out.push(`${describeObject(r)}: spec.rules[${i}].backendRefs[${j}]: InferencePool '${b.name}' does not exist: ResolvedRefs=False, no request is routed`);
    }));
  }

  // processor.go L352: the saturation gauge exists only with flow control; scaling on it with flow control off reads nothing.
  const saturated = (poolKey: string) => found.some(f => `${f.namespace}/${f.pool}` === poolKey && f.gates.includes('flowControl'));
  const pickerOf = (poolKey: string) => found.some(f => `${f.namespace}/${f.pool}` === poolKey);
  for (const hpa of objects) {
    if (hpa?.kind !== 'HorizontalPodAutoscaler') continue;
    arr(rec(hpa.spec).metrics).forEach((m: any, i: number) => {
      const o = rec(rec(m).object);
      const d = rec(o.describedObject);
      if (m?.type !== 'Object' || d.kind !== 'InferencePool') return;
      const key = `${ns(hpa)}/${d.name}`;
      if (!poolKeys.has(key)) {out.push(`${describeObject(hpa)}: spec.metrics[${i}].object.describedObject: InferencePool '${d.name}' does not exist in the HPA's namespace`);} else if (String(rec(o.metric).name).startsWith('llm_d_epp_flow_control_') && pickerOf(key) && !saturated(key)) {
        out.push(`${describeObject(hpa)}: spec.metrics[${i}]: ${rec(o.metric).name} is set by the picker's flow control, which the picker of InferencePool '${d.name}' does not enable (featureGates: [flowControl])`);
      }
    });
  }
  for (const so of objects) {
    if (so?.kind !== 'ScaledObject') continue;
    arr(rec(so.spec).triggers).forEach((t: any, i: number) => {
      const q = String(rec(rec(t).metadata).query ?? '');
      const m = /llm_d_epp_flow_control_pool_saturation\{[^}]*inference_pool="([^"]+)"/.exec(q);
      if (m && pickerOf(`${ns(so)}/${m[1]}`) && !saturated(`${ns(so)}/${m[1]}`)) {
        out.push(`${describeObject(so)}: spec.triggers[${i}].metadata.query: reads llm_d_epp_flow_control_pool_saturation, which the picker of InferencePool '${m[1]}' does not export without flow control (featureGates: [flowControl])`);
      }
    });
  }
  return out;
}

export const INFERENCE_EXTENSION_CHECK: OperatorCheck = {
  source: 'Gateway API Inference Extension v1.6.0 and its endpoint picker (llm-d-router v0.9.0)',
  check: inferenceExtensionViolations,
};
