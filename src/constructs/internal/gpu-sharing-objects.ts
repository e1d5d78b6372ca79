/**
 * The objects a CostAwareNodePool with `gpuSharing` writes (issue 17, GPU sharing): the NVIDIA device plugin's config
 * and, when asked for, Karpenter NodeOverlays that add the shares to the pool's instance types' capacity.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { LABEL_NODEPOOL } from '../../common/karpenter-labels';
import { InstanceType } from '../../planning/instance-catalog';
import { GpuSharing } from '../../values/gpu-sharing';

/** The `karpenter.k8s.aws` label with a node's GPU count, which the overlays select on. */
const LABEL_GPU_COUNT = 'karpenter.k8s.aws/instance-gpu-count';

export function gpuSharingObjects(scope: Construct, sharing: GpuSharing, poolNames: string[], types: InstanceType[],
  namespace: string, overlays: boolean, yaml: (o: unknown) => string): ApiObject[] {
  const objects: ApiObject[] = [];
  // The device plugin reads the config named by the node's `nvidia.com/device-plugin.config` label from the ConfigMap
  // that the GPU operator's ClusterPolicy `devicePlugin.config.name` names (k8s-device-plugin v0.20.0 README).
  objects.push(new ApiObject(scope, 'DevicePluginConfig', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `${poolNames[0]}-device-plugin`, namespace },
    data: { [sharing.configName]: yaml(sharing._devicePluginConfig()) },
  }));
  if (!overlays) return objects;
  // One overlay per GPU count: Karpenter adds `capacity` to every instance type the requirements match (v1alpha1). Where
  // GPU models of one count differ in MIG instances, the fewest: Karpenter then never promises a share a node lacks.
  const byCount = new Map<number, number>();
  for (const t of types) {
    if (t.gpus > 0 && t.gpuProduct) byCount.set(t.gpus, Math.min(byCount.get(t.gpus) ?? Infinity, t.gpus * sharing.sharesPerGpu(t.gpuProduct)));
  }
  for (const [gpus, shares] of [...byCount].sort((a, b) => a[0] - b[0])) {
    objects.push(new ApiObject(scope, `NodeOverlay-${gpus}gpu`, {
      apiVersion: 'karpenter.sh/v1alpha1',
      kind: 'NodeOverlay',
      metadata: { name: `${poolNames[0]}-shares-${gpus}gpu` },
      spec: {
        requirements: [
          { key: LABEL_NODEPOOL, operator: 'In', values: [...poolNames] },
          { key: LABEL_GPU_COUNT, operator: 'In', values: [String(gpus)] },
        ],
        capacity: { [sharing.resourceName]: String(shares) },
      },
    }));
  }
  return objects;
}
