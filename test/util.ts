import { App, Chart, ChartProps, Testing } from 'cdk8s';

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
