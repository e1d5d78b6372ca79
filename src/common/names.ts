import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes DNS-1123 label: what Services, and every name that ends up in a label value, must be. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/**
 * A Kubernetes DNS-1035 label (a DNS-1123 label that starts with a letter): what KubeRay requires of the names
 * it derives Service names from, at most `maxLength` characters.
 */
export function isDns1035Label(name: string, maxLength = 63): boolean {
  return name.length <= maxLength && DNS1035_LABEL.test(name);
}

/** A Kubernetes DNS-1123 subdomain: what most object names (PriorityClasses, NodePools, ...) must be. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** Fails construction when a user-given object name is not a DNS-1123 label (or not a string at all). */
export function requireDns1123Label(scope: IConstruct, prop: string, name: unknown): void {
  if (name === undefined) return;
  if (typeof name !== 'string') invalidProp(scope, prop, name, `must be a string, not ${name === null ? 'null' : typeof name}`, 'give a DNS-1123 label such as "my-service"');
  if (!isDns1123Label(name)) {
    invalidProp(scope, prop, name, 'is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and \'-\', starting and ending with a letter or digit)',
      `use a name such as "${suggestName(name)}"`);
  }
}

/** A best-effort DNS-1123 spelling of a name, for error messages. */
export function suggestName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-service';
}

/*
 * The label and annotation keys the library writes or selects on, in one place. Karpenter's node labels
 * (capacity type, GPU name, ...) are in karpenter-labels.ts.
 */

/** The instance of an application (Kubernetes recommended labels): how the library's Services and Ray pods are found. */
export const LABEL_APP_INSTANCE = 'app.kubernetes.io/instance';
/** The component of an application (Kubernetes recommended labels). */
export const LABEL_APP_COMPONENT = 'app.kubernetes.io/component';
/** The label cdk8s-plus selects a workload's pods by; the library's model server Deployments keep it. */
export const LABEL_CDK8S_ADDRESS = 'cdk8s.io/metadata.addr';
/** The label Kubernetes sets on every namespace, with its name: how a NetworkPolicy selects a namespace by name. */
export const LABEL_NAMESPACE_NAME = 'kubernetes.io/metadata.name';
/** The zone of a node (a topology spread key). */
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** The host name of a node (a topology spread key). */
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
/** The label that ties a Deployment's pods to one ReplicaSet (a topology spread constraint's matchLabelKeys). */
export const LABEL_POD_TEMPLATE_HASH = 'pod-template-hash';
/** Karpenter leaves a pod with this annotation (`"true"`) alone when it consolidates, expires or drifts a node. */
export const ANNOTATION_DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
/** The Kueue LocalQueue a job is submitted to. */
export const LABEL_KUEUE_QUEUE_NAME = 'kueue.x-k8s.io/queue-name';
/** The label KubeRay puts on every pod of a RayCluster, with the cluster's name. */
export const LABEL_RAY_CLUSTER = 'ray.io/cluster';
/** The label KubeRay puts on the pods it creates for a custom resource (`RayJob` for a RayJob's submitter). */
export const LABEL_RAY_ORIGINATED_FROM_CRD = 'ray.io/originated-from-crd';
/** What a CostAwareNodePool's nodes are for (`inference`, `training`): a node label of the pool's template. */
export const LABEL_NODE_POOL_PURPOSE = 'cdk8s-ml-scaling/purpose';
/**
 * The VPA feature gates (comma-separated) that a VerticalPodAutoscaler relies on and that the app declares enabled
 * in the cluster's VPA components (`VerticalAutoscalerProps.enabledFeatureGates`).
 */
export const ANNOTATION_VPA_FEATURE_GATES = 'cdk8s-ml-scaling/vpa-feature-gates';
/**
 * The GPU memory a pod that asks for a share of a GPU needs (`GpuRequestOptions.requiredGpuMemory`, a memory quantity),
 * on its pod template: the gpu-sharing guardrail reads it, from the library's pods and from hand-written ones.
 */
export const ANNOTATION_REQUIRED_GPU_MEMORY = 'cdk8s-ml-scaling/required-gpu-memory';
