/** How the engine names and finds the app's objects without turning them into JSON. */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Kinds of workload a horizontal autoscaler scales and whose replicas the ownership rules read. */
export const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'LeaderWorkerSet']);

/** Key of an object by namespace, kind and name: how autoscalers refer to their targets. */
export function objectKey(namespace: string | undefined, kind: string, name: string): string {
  return `${namespace ?? ''}/${kind}/${name}`;
}

/** The key of an object of the tree (`ApiObject.name` and `metadata.namespace` need no JSON). */
export function keyOf(o: ApiObject): string {
  return objectKey(o.metadata.namespace, o.kind, o.name);
}

/** The construct a finding about an object names: the construct it is the `Resource` of, else the object itself. */
export function subjectOf(o: ApiObject): IConstruct {
  const scope = o.node.scope;
  return o.node.id === 'Resource' && scope && !Chart.isChart(scope) && scope.node.scope ? scope : o;
}

/** ` in namespace 'x'`, or nothing for the default namespace. */
export function inNamespace(namespace: string): string {
  return namespace ? ` in namespace '${namespace}'` : '';
}
