import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { kedaBindings } from './bindings';
import { TriggerCredentials } from '../../values/trigger-credentials';

/**
 * Creates the `keda.sh/v1alpha1` TriggerAuthentication for a set of credentials, in the scope's chart.
 * Undefined fields are dropped, so a pod identity without a role stays `{ provider: aws }`.
 */
export function createTriggerAuthentication(scope: Construct, id: string, credentials: TriggerCredentials, name?: string): ApiObject {
  const spec = credentials._spec();
  const keda = kedaBindings();
  return new keda.TriggerAuthentication(scope, id, {
    metadata: name !== undefined ? { name } : {},
    spec: {
      podIdentity: spec.podIdentity ? clean(spec.podIdentity) as any : undefined,
      secretTargetRef: spec.secretTargetRef,
    },
  });
}

function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
