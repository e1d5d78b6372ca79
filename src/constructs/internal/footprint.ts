import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { parseQuantity } from '../../common/quantity';
import { GpuRequest } from '../../values/gpu-request';
import { ResourceAmounts, ScalingOwner, WorkloadFootprint } from '../../values/workload-footprint';

/**
 * Reads a workload's footprint from its synthesized pod template, so created and given workloads (and
 * escape-hatch patches) read alike.
 * @param podTemplateOf where the pod template sits in the object's JSON
 * @param component the part of a multi-part workload (a Ray worker group, `head`)
 */
export function readFootprint(object: ApiObject, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner, component?: string): WorkloadFootprint {
  return footprintOf(object.toJson(), podTemplateOf, minReplicas, maxReplicas, owner, component);
}

function footprintOf(json: any, podTemplateOf: (json: any) => any, minReplicas: number, maxReplicas: number,
  owner?: ScalingOwner, component?: string): WorkloadFootprint {
  const pod = podTemplateOf(json)?.spec ?? {};
  const containers: any[] = pod.containers ?? [];
  const replicas = json.spec?.replicas;
  return {
    target: { apiVersion: json.apiVersion, kind: json.kind, name: json.metadata?.name, namespace: json.metadata?.namespace },
    ...(component !== undefined ? { component } : {}),
    minReplicas,
    maxReplicas,
    requests: amounts(sumResources(containers, 'requests')),
    limits: amounts(sumResources(containers, 'limits')),
    tolerations: pod.tolerations ?? [],
    nodeSelector: pod.nodeSelector ?? {},
    scalingOwner: owner,
    ...(replicas !== undefined && replicas !== null ? { fixedReplicas: replicas } : {}),
  };
}

/** KubeRay's autoscaler sidecar when `autoscalerOptions.resources` leaves it unset (its defaults: 500m, 512Mi). */
const RAY_AUTOSCALER_DEFAULTS = { cpu: '500m', memory: '512Mi' };

/**
 * The head pod of a KubeRay cluster: its template plus the in-tree autoscaler sidecar KubeRay adds to it.
 * @param clusterSpecOf where the RayCluster spec sits in the object's JSON
 */
export function readRayHeadFootprint(object: ApiObject, clusterSpecOf: (json: any) => any, owner: ScalingOwner): WorkloadFootprint {
  const json = object.toJson();
  const head = footprintOf(json, j => clusterSpecOf(j)?.headGroupSpec?.template, 1, 1, owner, 'head');
  const spec = clusterSpecOf(json) ?? {};
  if (!spec.enableInTreeAutoscaling) return head;
  const resources = spec.autoscalerOptions?.resources ?? {};
  const containers = [{ resources: { limits: resources.limits ?? RAY_AUTOSCALER_DEFAULTS, requests: resources.requests } }];
  return {
    ...head,
    requests: add(head.requests, sumResources(containers, 'requests')),
    limits: add(head.limits, sumResources(containers, 'limits')),
  };
}

/** Resources in the units they add up in: millicores, mebibytes, devices. */
interface Sum {
  readonly cpuMillis: number;
  readonly memoryMib: number;
  readonly gpus: number;
}

/** Whole cores as `Cpu.units`, else `Cpu.millis`; whole GiB as `Size.gibibytes`, else `Size.mebibytes`: equal amounts compare equal. */
function amounts(s: Sum): ResourceAmounts {
  return {
    cpu: s.cpuMillis % 1000 === 0 ? kplus.Cpu.units(s.cpuMillis / 1000) : kplus.Cpu.millis(s.cpuMillis),
    memory: s.memoryMib % 1024 === 0 ? Size.gibibytes(s.memoryMib / 1024) : Size.mebibytes(s.memoryMib),
    gpus: s.gpus,
  };
}

function add(a: ResourceAmounts, b: Sum): ResourceAmounts {
  const millis = Math.round((parseQuantity(a.cpu.amount) ?? 0) * 1000);
  const mebibytes = a.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  return amounts({ cpuMillis: millis + b.cpuMillis, memoryMib: mebibytes + b.memoryMib, gpus: a.gpus + b.gpus });
}

function sumResources(containers: any[], kind: 'requests' | 'limits'): Sum {
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
