/**
 * Pod Security Standards, profile "restricted" at version "latest" as implemented by
 * k8s.io/pod-security-admission/policy in Kubernetes 1.28 (restricted includes every baseline
 * control). Checked on every pod template of every object, container by container.
 */
import { containersOf, ContainerRef, findPodTemplates, joinPath, PodTemplateRef } from './pod-templates';

// check_capabilities_baseline.go
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);
// check_sysctls.go at 1.28 (net.ipv4.ip_local_reserved_ports added in 1.27; the tcp_keepalive_*
// and tcp_fin_timeout sysctls only in 1.29).
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
// check_seLinuxOptions.go (container_engine_t is only allowed from 1.31)
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
// check_restrictedVolumes.go
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_OK = new Set(['RuntimeDefault', 'Localhost']);

function rec(v: unknown): Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, any> : {};
}

function who(c: ContainerRef): string {
  const name = `container ${JSON.stringify(c.container.name ?? '?')}`;
  return c.injectedBy ? `${name} (injected by ${c.injectedBy})` : name;
}

/** Restricted-profile violations of one pod template, as `path: message [check]` lines. */
export function checkPodTemplate(t: PodTemplateRef): string[] {
  const out: string[] = [];
  const specPath = joinPath(t.path, 'spec');
  const podSc = rec(t.spec.securityContext);
  const podScPath = joinPath(specPath, 'securityContext');
  const containers = containersOf(t);
  const add = (path: string, msg: string, check: string) => out.push(`${path}: ${msg} [${check}]`);
  // Since 1.25 Windows pods are exempt from the Linux-only restricted controls.
  const windows = rec(t.spec.os).name === 'windows';

  // ---- baseline ----
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (t.spec[f] === true) add(joinPath(specPath, f), 'must not be true', 'hostNamespaces');
  }
  const volumes = Array.isArray(t.spec.volumes) ? t.spec.volumes : [];
  volumes.forEach((raw: unknown, i: number) => {
    const v = rec(raw);
    const path = joinPath(joinPath(specPath, 'volumes'), i);
    if (v.hostPath !== undefined) add(path, `volume ${JSON.stringify(v.name)} must not use hostPath`, 'hostPathVolumes');
    const types = Object.keys(v).filter((k) => k !== 'name');
    const bad = types.filter((k) => !RESTRICTED_VOLUME_TYPES.has(k));
    if (bad.length > 0) add(path, `volume ${JSON.stringify(v.name)} uses restricted type ${bad.join(', ')}; allowed: ${[...RESTRICTED_VOLUME_TYPES].join(', ')}`, 'restrictedVolumes');
  });
  for (const s of Array.isArray(podSc.sysctls) ? podSc.sysctls : []) {
    const name = rec(s).name;
    if (!SAFE_SYSCTLS.has(name)) add(joinPath(podScPath, 'sysctls'), `sysctl ${JSON.stringify(name)} is not in the safe set`, 'sysctls');
  }
  const annotations = rec(t.metadata.annotations);
  for (const [k, v] of Object.entries(annotations)) {
    if (k.startsWith(APPARMOR_ANNOTATION) && !(v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/')))) {
      add(joinPath(joinPath(t.path, 'metadata'), 'annotations'), `AppArmor profile ${JSON.stringify(v)} for ${k.slice(APPARMOR_ANNOTATION.length)} must be runtime/default or localhost/*`, 'appArmorProfile');
    }
  }
  checkSecurityContextBaseline(podSc, podScPath, 'pod', add);

  for (const c of containers) {
    const sc = rec(c.container.securityContext);
    const scPath = c.injectedBy ? c.path : joinPath(c.path, 'securityContext');
    const name = who(c);
    if (sc.privileged === true) add(scPath, `${name} must not set privileged=true`, 'privileged');
    const caps = rec(sc.capabilities);
    const added: unknown[] = Array.isArray(caps.add) ? caps.add : [];
    const notBaseline = added.filter((a) => !BASELINE_CAPABILITIES.has(a as string));
    if (notBaseline.length > 0) add(scPath, `${name} must not add capabilities ${notBaseline.join(', ')}`, 'capabilities_baseline');
    if (sc.procMount !== undefined && sc.procMount !== 'Default') add(scPath, `${name} must not set procMount=${sc.procMount}`, 'procMount');
    const ports = Array.isArray(c.container.ports) ? c.container.ports : [];
    ports.forEach((p: unknown, i: number) => {
      const hp = rec(p).hostPort;
      if (hp !== undefined && hp !== 0) add(joinPath(joinPath(c.path, 'ports'), i), `${name} must not set hostPort ${hp}`, 'hostPorts');
    });
    checkSecurityContextBaseline(sc, scPath, name, add);
  }

  // ---- restricted ----
  if (podSc.runAsNonRoot === false) add(podScPath, 'pod must not set runAsNonRoot=false', 'runAsNonRoot');
  if (podSc.runAsUser === 0) add(podScPath, 'pod must not set runAsUser=0', 'runAsUser');
  const podSeccomp = rec(podSc.seccompProfile).type;
  const podSeccompOk = SECCOMP_OK.has(podSeccomp);
  if (podSeccomp !== undefined && !podSeccompOk && !windows) add(podScPath, `pod must not set seccompProfile.type=${podSeccomp}`, 'seccompProfile_restricted');
  for (const c of containers) {
    const sc = rec(c.container.securityContext);
    const scPath = c.injectedBy ? c.path : joinPath(c.path, 'securityContext');
    const name = who(c);
    if (!windows && sc.allowPrivilegeEscalation !== false) add(scPath, `${name} must set allowPrivilegeEscalation=false`, 'allowPrivilegeEscalation');
    if (sc.runAsNonRoot === false) add(scPath, `${name} must not set runAsNonRoot=false`, 'runAsNonRoot');
    else if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) add(scPath, `pod or ${name} must set runAsNonRoot=true`, 'runAsNonRoot');
    if (sc.runAsUser === 0) add(scPath, `${name} must not set runAsUser=0`, 'runAsUser');
    if (!windows) {
      const t2 = rec(sc.seccompProfile).type;
      if (t2 !== undefined && !SECCOMP_OK.has(t2)) add(scPath, `${name} must not set seccompProfile.type=${t2}`, 'seccompProfile_restricted');
      else if (t2 === undefined && !podSeccompOk) add(scPath, `pod or ${name} must set seccompProfile.type to RuntimeDefault or Localhost`, 'seccompProfile_restricted');
      const caps = rec(sc.capabilities);
      const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes('ALL')) add(scPath, `${name} must set capabilities.drop=["ALL"]`, 'capabilities_restricted');
      const added: unknown[] = Array.isArray(caps.add) ? caps.add : [];
      const extra = added.filter((a) => a !== 'NET_BIND_SERVICE');
      if (extra.length > 0) add(scPath, `${name} must not add capabilities other than NET_BIND_SERVICE (adds ${extra.join(', ')})`, 'capabilities_restricted');
    }
  }
  return out;
}

/** Controls shared by pod and container security contexts (baseline). */
function checkSecurityContextBaseline(sc: Record<string, any>, path: string, name: string, add: (p: string, m: string, c: string) => void): void {
  const se = sc.seLinuxOptions;
  if (se !== undefined) {
    const o = rec(se);
    if (!SELINUX_TYPES.has(o.type ?? '')) add(path, `${name} must not set seLinuxOptions.type=${o.type}`, 'seLinuxOptions');
    if (o.user) add(path, `${name} must not set seLinuxOptions.user`, 'seLinuxOptions');
    if (o.role) add(path, `${name} must not set seLinuxOptions.role`, 'seLinuxOptions');
  }
  if (rec(sc.seccompProfile).type === 'Unconfined') add(path, `${name} must not set seccompProfile.type=Unconfined`, 'seccompProfile_baseline');
  if (rec(sc.windowsOptions).hostProcess === true) add(path, `${name} must not set windowsOptions.hostProcess=true`, 'windowsHostProcess');
  const aa = rec(sc.appArmorProfile).type;
  if (aa !== undefined && aa !== 'RuntimeDefault' && aa !== 'Localhost') add(path, `${name} must not set appArmorProfile.type=${aa}`, 'appArmorProfile');
}

/** `Kind/name` of a manifest, for messages. */
export function describeObject(obj: unknown): string {
  const o = rec(obj);
  return `${o.kind ?? '<no kind>'}/${rec(o.metadata).name ?? rec(o.metadata).generateName ?? '<no name>'}`;
}

/** Restricted-profile violations over every pod template of every object. */
export function podSecurityViolations(objects: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    for (const t of findPodTemplates(obj)) {
      for (const v of checkPodTemplate(t)) out.push(`${describeObject(obj)}: ${v}`);
    }
  }
  return out;
}
