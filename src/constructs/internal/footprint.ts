import { resourceAmounts } from './pod';
import { parseQuantity } from '../../common/quantity';
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
