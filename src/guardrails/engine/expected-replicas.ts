/** The expected replicas given to `ScalingGuardrails.bill`, checked and matched to the app's workloads. */
import { IConstruct } from 'constructs';
import { Workload } from './context';
import { objectKey } from './objects';
import { invalidProp } from '../../common/errors';
import { checkListOf, checkNumber, checkString, checkStruct } from '../../common/validate';
import type { WorkloadReplicas } from '../app-bill';

/** A workload's key: namespace/kind/name of the scaled object, and `[component]` for a part of a multi-part workload. */
export function workloadKey(namespace: string | undefined, kind: string, name: string, component?: string): string {
  return `${objectKey(namespace || undefined, kind, name)}${component === undefined ? '' : `[${component}]`}`;
}

/** The replicas by workload, and the workloads they were given for; throws on a list that cannot be right. */
export function expectedReplicas(where: IConstruct, workloads: Workload[], expected: unknown):
{ replicas: Map<Workload, number>; given: Set<Workload> } {
  const byKey = new Map<string, Workload>();
  for (const w of workloads) {
    const t = w.footprint.target;
    const key = workloadKey(t.namespace, t.kind, t.name, w.footprint.component);
    if (!byKey.has(key)) byKey.set(key, w);
  }
  const known = [...byKey.keys()].sort();
  const some = known.length === 0 ? 'the app has no workload' : `the app's are ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}`;
  const fix = 'give [{ namespace, kind, name, replicas }] of the scaled objects, e.g. [{ namespace: \'search\', kind: \'Deployment\', name: \'chat\', replicas: 3.5 }]';
  const replicas = new Map<Workload, number>();
  const given = new Set<Workload>();
  checkListOf(where, 'expected', expected, { max: 100_000 }, fix, (item, prop) => {
    checkStruct(where, prop, item, fix);
    const e = item as WorkloadReplicas;
    if (e.namespace !== undefined) checkString(where, `${prop}.namespace`, e.namespace, fix, 253);
    checkString(where, `${prop}.kind`, e.kind, fix, 253);
    checkString(where, `${prop}.name`, e.name, fix, 253);
    if (e.component !== undefined) checkString(where, `${prop}.component`, e.component, fix, 253);
    const key = workloadKey(e.namespace, e.kind, e.name, e.component);
    const w = byKey.get(key);
    if (!w) invalidProp(where, prop, key, 'names no workload of the app (namespace/kind/name[component] of the scaled object)', `name one: ${some}`);
    if (given.has(w)) invalidProp(where, prop, key, 'is given twice', 'give each workload\'s expected replicas once');
    const max = w.footprint.maxReplicas;
    checkNumber(where, `${prop}.replicas`, e.replicas, { min: 0, max }, `give the replicas ${key} is expected to run, from 0 to its maxReplicas (${max})`);
    replicas.set(w, e.replicas);
    given.add(w);
  });
  return { replicas, given };
}
