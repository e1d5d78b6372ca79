import { resourceAmounts } from './pod';
import { parseQuantity } from '../../common/quantity';
import { surgeOf } from '../../common/rollout';
import { GpuRequest } from '../../values/gpu-request';
import { ResourceAmounts, ScalingOwner, WorkloadFootprint } from '../../values/workload-footprint';

/**
 * The footprint of a workload a user wrote (an object given to a construct) from its JSON. The library's own
 * workloads never come here: their constructs record their footprints from the values they build them from.
 * @param podTemplateOf where the pod template sits in the object's JSON
 * @param component the part of a multi-part workload
 */
export function footprintOfJson(json: any, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner, component?: string): WorkloadFootprint {
  const pod = podTemplateOf(json)?.spec ?? {};
  const containers: any[] = Array.isArray(pod.containers) ? pod.containers.filter((c: unknown) => c !== null && typeof c === 'object') : [];
  const replicas = json.spec?.replicas;
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    ...(component !== undefined ? { component } : {}),
    minReplicas,
    maxReplicas,
    ...(typeof replicas === 'number' ? { fixedReplicas: replicas } : {}),
    ...(json.kind === 'Deployment' && surgeOf(json.spec?.strategy, maxReplicas) > 0 ? { surgeReplicas: surgeOf(json.spec?.strategy, maxReplicas) } : {}),
    requests: sumResources(containers, 'requests'),
    limits: sumResources(containers, 'limits'),
    tolerations: Array.isArray(pod.tolerations) ? pod.tolerations : [],
    nodeSelector: pod.nodeSelector !== null && typeof pod.nodeSelector === 'object' ? pod.nodeSelector : {},
    scalingOwner: owner,
  };
}

/** A quantity of a user's object as a number; 0 where it has none, or something that is not a quantity. */
function quantityOf(q: unknown): number {
  return typeof q === 'string' || typeof q === 'number' ? parseQuantity(q) ?? 0 : 0;
}

function sumResources(containers: any[], kind: 'requests' | 'limits'): ResourceAmounts {
  let cpu = 0, mem = 0, gpus = 0;
  for (const c of containers) {
    // The API server defaults each missing request to its limit.
    const r: any = kind === 'requests' ? { ...c.resources?.limits, ...c.resources?.requests } : { ...c.resources?.limits };
    cpu += quantityOf(r.cpu) * 1000;
    mem += quantityOf(r.memory) / 2 ** 20;
    gpus += quantityOf(r[GpuRequest.RESOURCE_NAME]);
  }
  return resourceAmounts(cpu, mem, gpus);
}
