import { ApiObject } from 'cdk8s';
import { resourceAmounts } from './pod';
import { parseQuantity } from '../../common/quantity';
import { GpuRequest } from '../../values/gpu-request';
import { ResourceAmounts, ScalingOwner, WorkloadFootprint } from '../../values/workload-footprint';

/**
 * The synthesized JSON of objects read during one app-wide pass, so that a Deployment read by its footprint
 * and by an ownership check is turned into JSON once. Only set while a pass runs (`withJsonCache`).
 */
let activeCache: Map<ApiObject, any> | undefined;

/** Runs `fn` with one JSON cache for every object it reads (nested calls share the outer cache). */
export function withJsonCache<T>(fn: (cache: Map<ApiObject, any>) => T): T {
  if (activeCache) return fn(activeCache);
  activeCache = new Map();
  try {
    return fn(activeCache);
  } finally {
    activeCache = undefined;
  }
}

/**
 * Objects whose JSON a validation pass handed over to the serialization of the same chart synthesis. cdk8s's
 * `App._synthChart` validates the whole app and then turns the chart's objects into JSON, in one synchronous call
 * with no user code in between, so the JSON a guardrail pass computed for an object is exactly what the object's
 * `toJson()` returns a moment later: handing it over saves serializing every autoscaled workload twice. The handed
 * JSON is used once, and only by a `toJson()` called from inside `_synthChart` (checked on the call stack); any
 * other call, and every call after the next validation pass starts, serializes afresh.
 */
const handedOver = new Set<ApiObject>();

/** Offers the pass's JSON to the serialization that follows it (see `handedOver`). */
export function handOver(cache: Map<ApiObject, any>): void {
  for (const [object, json] of cache) {
    handedOver.add(object);
    Object.defineProperty(object, 'toJson', { configurable: true, enumerable: false, writable: true, value: handedOverToJson(json) });
  }
}

/** Takes back everything handed over (a new pass starts: the app may have changed since). */
export function withdrawAll(): void {
  for (const object of handedOver) delete (object as any).toJson;
  handedOver.clear();
}

/** Takes back one object's JSON: a validation is changing the object after the pass read it. */
export function withdraw(object: ApiObject): void {
  if (handedOver.delete(object)) delete (object as any).toJson;
}

function handedOverToJson(json: any): () => any {
  return function (this: ApiObject): any {
    withdraw(this);
    return insideChartSynthesis() ? json : this.toJson();
  };
}

/** Whether cdk8s's `App._synthChart` is on the call stack: the raw frames, without formatting a stack trace. */
function insideChartSynthesis(): boolean {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  try {
    Error.prepareStackTrace = (_error, frames) => frames;
    Error.stackTraceLimit = 8;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, insideChartSynthesis);
    const frames = holder.stack;
    return Array.isArray(frames) && frames.some((f: NodeJS.CallSite) => f.getFunctionName() === '_synthChart');
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/** `object.toJson()`, from the pass's cache when one is active. The result is shared: never mutate it. */
export function jsonOf(object: ApiObject): any {
  if (!activeCache) return object.toJson();
  let json = activeCache.get(object);
  if (json === undefined) {
    json = object.toJson();
    activeCache.set(object, json);
  }
  return json;
}

/**
 * Reads the footprint of a workload a user wrote (an object given to a construct, or one an app-wide check finds
 * by itself) from its JSON. The library's own workloads never come here: their constructs record their footprints
 * from the values they build them from.
 * @param podTemplateOf where the pod template sits in the object's JSON
 * @param component the part of a multi-part workload
 */
export function readFootprint(object: ApiObject, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner, component?: string): WorkloadFootprint {
  return footprintOfJson(jsonOf(object), podTemplateOf, minReplicas, maxReplicas, owner, component);
}

/** `readFootprint` from JSON already read. */
export function footprintOfJson(json: any, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner, component?: string): WorkloadFootprint {
  const pod = podTemplateOf(json)?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const replicas = json.spec?.replicas;
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    ...(component !== undefined ? { component } : {}),
    minReplicas,
    maxReplicas,
    ...(typeof replicas === 'number' ? { fixedReplicas: replicas } : {}),
    requests: sumResources(containers, 'requests'),
    limits: sumResources(containers, 'limits'),
    tolerations: pod.tolerations ?? [],
    nodeSelector: pod.nodeSelector ?? {},
    scalingOwner: owner,
  };
}

function sumResources(containers: any[], kind: 'requests' | 'limits'): ResourceAmounts {
  let cpu = 0, mem = 0, gpus = 0;
  for (const c of containers) {
    // The API server defaults each missing request to its limit.
    const r = kind === 'requests' ? { ...c.resources?.limits, ...c.resources?.requests } : (c.resources?.limits ?? {});
    cpu += (parseQuantity(r.cpu ?? 0) ?? 0) * 1000;
    mem += (parseQuantity(r.memory ?? 0) ?? 0) / 2 ** 20;
    gpus += parseQuantity(r[GpuRequest.RESOURCE_NAME] ?? 0) ?? 0;
  }
  return resourceAmounts(cpu, mem, gpus);
}
