import { ApiObject } from 'cdk8s';
import { GpuRequest } from '../gpu';
import { ResourceAmounts, ScalingOwner, WorkloadFootprint } from '../workload-footprint';
import { parseQuantity } from './quantity';

/**
 * Reads a workload's footprint from its synthesized pod template, so created and given workloads (and
 * escape-hatch patches) read alike.
 * @param podTemplateOf where the pod template sits in the object's JSON
 */
export function readFootprint(object: ApiObject, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner): WorkloadFootprint {
  const json = object.toJson();
  const pod = podTemplateOf(json)?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    minReplicas,
    maxReplicas,
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
  return { cpuMillis: Math.round(cpu), memoryMib: Math.round(mem), gpus };
}
