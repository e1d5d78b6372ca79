import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { podPriorityClassName } from './priority';
import { GpuRequest } from '../../values/gpu-request';
import { GpuWorkKind } from '../../values/gpu-work-kind';
import type { ModelServerProps } from '../../values/model-server';

const CONTAINER_NAME = 'model-server';
/** The name of the container port that serves traffic and metrics. */
export const METRICS_PORT_NAME = 'http';

/**
 * A Deployment whose pods' priorityClassName is decided at synth, when the app's GpuWorkPriorities are all known.
 * cdk8s-plus has no priorityClassName, and a JSON patch takes only values known when it is added.
 */
class ModelServerDeployment extends kplus.Deployment {
  public priorityClassNameAtSynth?: () => string | undefined;

  /** @internal cdk8s-plus builds the pod spec here, inside the Deployment's spec, which it renders at synth. */
  public _toPodSpec(): kplus.k8s.PodSpec {
    return { ...super._toPodSpec(), priorityClassName: this.priorityClassNameAtSynth?.() };
  }
}

/**
 * The model server Deployment: restricted security with an explicit UID, emptyDir for every writable path,
 * a memory-backed /dev/shm, probes sized for slow loads, a drain on stop, and spreading over zones and nodes.
 * @param replicas fixed replicas; leave undefined for a Deployment an autoscaler owns
 */
export function createModelServerDeployment(scope: Construct, name: string | undefined, server: ModelServerProps,
  replicas?: number): kplus.Deployment {
  const port = server.port ?? 8000;
  const user = server.runAsUser ?? 1000;
  const healthPath = server.healthPath ?? '/health';
  const cachePath = server.modelCachePath ?? '/models';
  const loadSeconds = server.modelLoadTimeout?.toSeconds() ?? 900;
  const drain = server.drainDelay?.toSeconds() ?? 10;
  const cpu = server.cpu ?? kplus.Cpu.units(2);
  const memory = server.memory ?? Size.gibibytes(8);

  const deployment = new ModelServerDeployment(scope, 'Deployment', {
    metadata: name !== undefined ? { name } : {},
    replicas,
    terminationGracePeriod: server.terminationGracePeriod ?? Duration.seconds(120),
    securityContext: { user, group: user, fsGroup: user, ensureNonRoot: true },
    containers: [{
      name: CONTAINER_NAME,
      image: server.image,
      args: server.args,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [{ number: port, name: METRICS_PORT_NAME }],
      envVariables: envOf({ HOME: '/tmp', XDG_CACHE_HOME: cachePath, HF_HOME: `${cachePath}/huggingface`, ...server.env }),
      resources: {
        cpu: { request: cpu, limit: cpu },
        memory: { request: memory, limit: memory },
      },
      securityContext: {
        user,
        group: user,
        ensureNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Slow model loads are the startup probe's business; readiness and liveness start after it.
      startup: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(10), failureThreshold: Math.ceil(loadSeconds / 10) }),
      readiness: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(5), failureThreshold: 3 }),
      liveness: kplus.Probe.fromHttpGet(healthPath, { port, periodSeconds: Duration.seconds(15), failureThreshold: 4 }),
      lifecycle: drain > 0 ? { preStop: kplus.Handler.fromCommand(['sleep', String(drain)]) } : undefined,
    }],
  });
  deployment.priorityClassNameAtSynth = podPriorityClassName(scope, 'modelServer.priorityClassName', GpuWorkKind.REAL_TIME_INFERENCE, server.priorityClassName);
  const container = deployment.containers[0];
  container.mount('/dev/shm', kplus.Volume.fromEmptyDir(scope, 'SharedMemory', 'dshm', {
    medium: kplus.EmptyDirMedium.MEMORY, sizeLimit: server.sharedMemorySize ?? Size.gibibytes(2),
  }));
  container.mount('/tmp', kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp'));
  container.mount(cachePath, kplus.Volume.fromEmptyDir(scope, 'ModelCache', 'model-cache', { sizeLimit: server.modelCacheSize }));

  const podSpec = ApiObject.of(deployment);
  const selector = { matchLabels: deployment.matchLabels };
  const patches = [
    JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [
      // Zones first: losing a zone must not take the whole service; ScheduleAnyway so a full zone never blocks scale-up.
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector, matchLabelKeys: ['pod-template-hash'] },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector, matchLabelKeys: ['pod-template-hash'] },
    ]),
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  ];
  if (server.gpu) {
    const gpu = server.gpu;
    // The Deployment's L1 object converts its props after patching: quantities go in as Quantity.
    const count = kplus.k8s.Quantity.fromNumber(gpu.count);
    patches.push(
      JsonPatch.add(`/spec/template/spec/containers/0/resources/limits/${GpuRequest.RESOURCE_NAME.replace('/', '~1')}`, count),
      JsonPatch.add(`/spec/template/spec/containers/0/resources/requests/${GpuRequest.RESOURCE_NAME.replace('/', '~1')}`, count),
      JsonPatch.add('/spec/template/spec/tolerations', [gpu.toleration]),
      JsonPatch.add('/spec/template/spec/nodeSelector', gpu.nodeSelector),
    );
  }
  podSpec.addJsonPatch(...patches);
  return deployment;
}

function envOf(vars: Record<string, string>): Record<string, kplus.EnvValue> {
  const out: Record<string, kplus.EnvValue> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = kplus.EnvValue.fromValue(v);
  return out;
}
