import { App, Chart, ChartProps, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

/** A fresh app with one chart, as most tests need. */
export function newChart(props: ChartProps = {}): Chart {
  const app: App = Testing.app();
  return new Chart(app, 'test', props);
}

/** The first manifest of a kind. */
export function ofKind(manifests: any[], kind: string): any {
  const found = manifests.find(m => m.kind === kind);
  if (!found) throw new Error(`no ${kind} among ${manifests.map(m => m.kind).join(', ')}`);
  return found;
}

/** All manifests of a kind. */
export function allOfKind(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

/** A container security context that meets Pod Security "restricted", for user workloads in tests. */
export const restrictedSecurityContext: kplus.ContainerSecurityContextProps = {
  user: 1000,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

/** Requests equal to limits (1 CPU, 2 GiB), for user workloads in tests. */
export const guaranteedResources: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.units(1), limit: kplus.Cpu.units(1) },
  memory: { request: Size.gibibytes(2), limit: Size.gibibytes(2) },
};

/** The message a build throws, or undefined when it builds. */
export function errorOf(build: () => unknown): string | undefined {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}
