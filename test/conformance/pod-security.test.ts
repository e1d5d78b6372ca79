import * as f from './fixtures';
import { checkPodSecurity } from './index';

/** A Deployment whose pod spec `edit` changes. */
function deploymentWith(edit: (spec: any, container: any) => void): any {
  const d = f.deployment();
  edit(d.spec.template.spec, d.spec.template.spec.containers[0]);
  return d;
}

const ID = 'Deployment/llm-server: spec.template.spec';
const C0 = `${ID}.containers[0].securityContext`;

describe('Pod Security "restricted" (Kubernetes 1.28)', () => {
  test('accepts every calibration fixture', () => {
    expect(checkPodSecurity(f.allValid())).toEqual([]);
  });

  test('reports each missing restricted control with kind/name, path and container name', () => {
    const d = deploymentWith((spec, c) => {
      delete spec.securityContext;
      delete c.securityContext;
    });
    expect(checkPodSecurity([d])).toEqual([
      `${C0}: container "server" must set allowPrivilegeEscalation=false [allowPrivilegeEscalation]`,
      `${C0}: pod or container "server" must set runAsNonRoot=true [runAsNonRoot]`,
      `${C0}: pod or container "server" must set seccompProfile.type to RuntimeDefault or Localhost [seccompProfile_restricted]`,
      `${C0}: container "server" must set capabilities.drop=["ALL"] [capabilities_restricted]`,
    ]);
  });

  test('accepts runAsNonRoot and seccompProfile set on every container instead of the pod', () => {
    const d = deploymentWith((spec, c) => {
      delete spec.securityContext;
      c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/llm.json' };
    });
    expect(checkPodSecurity([d])).toEqual([]);
  });

  test('rejects a container that overrides runAsNonRoot to false', () => {
    const d = deploymentWith((_spec, c) => { c.securityContext.runAsNonRoot = false; });
    expect(checkPodSecurity([d])).toEqual([`${C0}: container "server" must not set runAsNonRoot=false [runAsNonRoot]`]);
  });

  test('rejects runAsUser 0 at pod and container level', () => {
    const d = deploymentWith((spec, c) => {
      spec.securityContext.runAsUser = 0;
      c.securityContext.runAsUser = 0;
    });
    expect(checkPodSecurity([d])).toEqual([
      `${ID}.securityContext: pod must not set runAsUser=0 [runAsUser]`,
      `${C0}: container "server" must not set runAsUser=0 [runAsUser]`,
    ]);
  });

  test('checks init and ephemeral containers too', () => {
    const d = deploymentWith((spec) => {
      spec.initContainers = [{ name: 'fetch-model', image: 'busybox:1.36', securityContext: { capabilities: { drop: ['ALL'] } } }];
      spec.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36', securityContext: { allowPrivilegeEscalation: false } }];
    });
    expect(checkPodSecurity([d])).toEqual([
      `${ID}.initContainers[0].securityContext: container "fetch-model" must set allowPrivilegeEscalation=false [allowPrivilegeEscalation]`,
      `${ID}.ephemeralContainers[0].securityContext: container "debug" must set capabilities.drop=["ALL"] [capabilities_restricted]`,
    ]);
  });

  test('allows adding only NET_BIND_SERVICE', () => {
    const ok = deploymentWith((_s, c) => { c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; });
    expect(checkPodSecurity([ok])).toEqual([]);
    const bad = deploymentWith((_s, c) => { c.securityContext.capabilities.add = ['CHOWN', 'SYS_ADMIN']; });
    expect(checkPodSecurity([bad])).toEqual([
      `${C0}: container "server" must not add capabilities SYS_ADMIN [capabilities_baseline]`,
      `${C0}: container "server" must not add capabilities other than NET_BIND_SERVICE (adds CHOWN, SYS_ADMIN) [capabilities_restricted]`,
    ]);
  });

  test('rejects the baseline controls: host namespaces, privileged, hostPath, hostPort, procMount', () => {
    const d = deploymentWith((spec, c) => {
      spec.hostNetwork = true;
      spec.hostPID = true;
      spec.hostIPC = true;
      spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
      c.securityContext.privileged = true;
      c.securityContext.procMount = 'Unmasked';
      c.ports[0].hostPort = 8000;
    });
    expect(checkPodSecurity([d])).toEqual([
      `${ID}.hostNetwork: must not be true [hostNamespaces]`,
      `${ID}.hostPID: must not be true [hostNamespaces]`,
      `${ID}.hostIPC: must not be true [hostNamespaces]`,
      `${ID}.volumes[1]: volume "docker" must not use hostPath [hostPathVolumes]`,
      `${ID}.volumes[1]: volume "docker" uses restricted type hostPath; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret [restrictedVolumes]`,
      `${C0}: container "server" must not set privileged=true [privileged]`,
      `${C0}: container "server" must not set procMount=Unmasked [procMount]`,
      `${ID}.containers[0].ports[0]: container "server" must not set hostPort 8000 [hostPorts]`,
    ]);
  });

  test('allows the restricted volume types and rejects others (nfs)', () => {
    const d = deploymentWith((spec) => {
      spec.volumes.push(
        { name: 'cfg', configMap: { name: 'llm-config' } },
        { name: 'creds', secret: { secretName: 'hf-token' } },
        { name: 'data', persistentVolumeClaim: { claimName: 'models' } },
        { name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } },
        { name: 'nfs', nfs: { server: 'fs.example.com', path: '/models' } },
      );
    });
    expect(checkPodSecurity([d])).toEqual([
      `${ID}.volumes[5]: volume "nfs" uses restricted type nfs; allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret [restrictedVolumes]`,
    ]);
  });

  test('rejects Unconfined seccomp, custom SELinux options, unsafe sysctls, hostProcess and Unconfined AppArmor', () => {
    const d = deploymentWith((spec, c) => {
      spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_local_reserved_ports', value: '8000' }, { name: 'kernel.msgmax', value: '65536' }];
      spec.securityContext.seLinuxOptions = { type: 'spc_t' };
      c.securityContext.seccompProfile = { type: 'Unconfined' };
      c.securityContext.seLinuxOptions = { user: 'system_u' };
      c.securityContext.windowsOptions = { hostProcess: true };
    });
    d.spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/server'] = 'unconfined';
    expect(checkPodSecurity([d])).toEqual([
      `${ID}.securityContext.sysctls: sysctl "kernel.msgmax" is not in the safe set [sysctls]`,
      'Deployment/llm-server: spec.template.metadata.annotations: AppArmor profile "unconfined" for server must be runtime/default or localhost/* [appArmorProfile]',
      `${ID}.securityContext: pod must not set seLinuxOptions.type=spc_t [seLinuxOptions]`,
      `${C0}: container "server" must not set seLinuxOptions.user [seLinuxOptions]`,
      `${C0}: container "server" must not set seccompProfile.type=Unconfined [seccompProfile_baseline]`,
      `${C0}: container "server" must not set windowsOptions.hostProcess=true [windowsHostProcess]`,
      `${C0}: container "server" must not set seccompProfile.type=Unconfined [seccompProfile_restricted]`,
    ]);
  });

  test('exempts Windows pods from the Linux-only controls (seccomp, privilege escalation, capabilities)', () => {
    const d = deploymentWith((spec, c) => {
      spec.os = { name: 'windows' };
      delete spec.securityContext.seccompProfile;
      c.securityContext = { runAsNonRoot: true };
    });
    expect(checkPodSecurity([d])).toEqual([]);
  });
});

describe('Pod Security finds every pod template', () => {
  /** The same insecure pod spec, placed into each kind. */
  const insecureSpec = () => ({ containers: [{ name: 'main', image: 'busybox:1.36' }] });
  const violationsAt = (obj: any) => [...new Set(checkPodSecurity([obj]).map((v) => v.split(': ')[0] + ': ' + v.split(': ')[1].split('.containers')[0]))];

  test.each([
    ['Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: insecureSpec() }, 'Pod/p: spec'],
    ['Deployment', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: insecureSpec() } } }, 'Deployment/d: spec.template.spec'],
    ['StatefulSet', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template: { spec: insecureSpec() } } }, 'StatefulSet/s: spec.template.spec'],
    ['DaemonSet', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { spec: insecureSpec() } } }, 'DaemonSet/ds: spec.template.spec'],
    ['ReplicaSet', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { template: { spec: insecureSpec() } } }, 'ReplicaSet/rs: spec.template.spec'],
    ['Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: insecureSpec() } } }, 'Job/j: spec.template.spec'],
    ['CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template: { spec: insecureSpec() } } } } }, 'CronJob/cj: spec.jobTemplate.spec.template.spec'],
    ['ScaledJob', { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'sj' }, spec: { jobTargetRef: { template: { spec: insecureSpec() } } } }, 'ScaledJob/sj: spec.jobTargetRef.template.spec'],
  ])('checks the pod template of a %s', (_kind, obj, expected) => {
    expect(violationsAt(obj)).toEqual([expected]);
  });

  test('checks RayCluster head and every worker group template', () => {
    const rc = f.rayCluster();
    rc.spec.headGroupSpec.template.spec.containers[0].securityContext = {};
    rc.spec.workerGroupSpecs.push({ ...rc.spec.workerGroupSpecs[0], groupName: 'cpu', template: { spec: insecureSpec() } });
    expect(violationsAt(rc)).toEqual([
      'RayCluster/llm-batch: spec.headGroupSpec.template.spec',
      'RayCluster/llm-batch: spec.workerGroupSpecs[1].template.spec',
    ]);
  });

  test('checks RayJob rayClusterSpec templates and the submitterPodTemplate', () => {
    const job = f.rayJob();
    job.spec.rayClusterSpec.workerGroupSpecs[0].template.spec = insecureSpec();
    job.spec.submitterPodTemplate.spec = insecureSpec();
    expect(violationsAt(job)).toEqual([
      'RayJob/fine-tune: spec.rayClusterSpec.workerGroupSpecs[0].template.spec',
      'RayJob/fine-tune: spec.submitterPodTemplate.spec',
    ]);
  });

  test('checks RayService rayClusterConfig templates (and the injected autoscaler in that pod)', () => {
    const svc = f.rayService();
    svc.spec.rayClusterConfig.headGroupSpec.template.spec = insecureSpec();
    expect(violationsAt(svc)).toEqual([
      'RayService/llm-serve: spec.rayClusterConfig.headGroupSpec.template.spec',
      // without a pod-level seccompProfile the sidecar's own securityContext is not enough
      'RayService/llm-serve: spec.rayClusterConfig.autoscalerOptions.securityContext',
    ]);
  });

  test('checks the autoscaler sidecar KubeRay injects, through autoscalerOptions.securityContext', () => {
    const rc = f.rayCluster();
    delete rc.spec.autoscalerOptions.securityContext;
    expect(checkPodSecurity([rc])).toEqual([
      'RayCluster/llm-batch: spec.autoscalerOptions.securityContext: container "autoscaler" (injected by KubeRay (enableInTreeAutoscaling)) must set allowPrivilegeEscalation=false [allowPrivilegeEscalation]',
      'RayCluster/llm-batch: spec.autoscalerOptions.securityContext: container "autoscaler" (injected by KubeRay (enableInTreeAutoscaling)) must set capabilities.drop=["ALL"] [capabilities_restricted]',
    ]);
    rc.spec.enableInTreeAutoscaling = false;
    expect(checkPodSecurity([rc])).toEqual([]);
  });

  test('ignores objects without pod templates', () => {
    expect(checkPodSecurity([f.hpa(), f.service(), f.nodePool(), f.scaledObject()])).toEqual([]);
  });
});
