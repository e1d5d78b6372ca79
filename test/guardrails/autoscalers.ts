/** Hand-written workloads and autoscalers for the tests of the ownership rules. */
import { ApiObject, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';

/** A Deployment that passes Pod Security "restricted", autoscaled (no spec.replicas) unless told otherwise. */
export function deployment(chart: Chart, name: string, autoscaled = true): kplus.Deployment {
  const d = new kplus.Deployment(chart, name, {
    metadata: { name },
    containers: [{
      name,
      image: 'nginx:1.27',
      resources: { cpu: { request: kplus.Cpu.units(1) }, memory: { request: Size.gibibytes(1) } },
      securityContext: {
        user: 1000,
        group: 1000,
        ensureNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    }],
  });
  if (autoscaled) d.markHasAutoscaler();
  return d;
}

export const webDeployment = (chart: Chart, autoscaled = true) => deployment(chart, 'web', autoscaled);

export function hpa(chart: Construct, id: string, target: string, metrics: any[] = [], name = id): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas: 1, maxReplicas: 5, metrics },
  });
}

export function scaledObject(chart: Construct, id: string, target: string, spec: any = {}, name = id): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name },
    spec: { scaleTargetRef: { name: target }, maxReplicaCount: 5, triggers: [{ type: 'cron', metadata: { timezone: 'UTC', start: '0 8 * * *', end: '0 18 * * *', desiredReplicas: '2' } }], ...spec },
  });
}

export const cpuMetric = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };

export function vpa(chart: Construct, id: string, target: string, spec: any = {}): ApiObject {
  return new ApiObject(chart, id, {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: id },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, updatePolicy: { updateMode: 'Initial' }, ...spec },
  });
}
