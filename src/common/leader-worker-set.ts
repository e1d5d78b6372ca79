/**
 * What the library relies on of LeaderWorkerSet (kubernetes-sigs/lws v0.10.0): its API version, the labels and
 * annotations its controller and pod webhook read or write (api/leaderworkerset/v1/leaderworkerset_types.go:26-99),
 * and the longest name a LeaderWorkerSet can have for its pods' names to be valid.
 */

/** The API version of the pinned CRD (leaderworkerset.x-k8s.io_leaderworkersets.yaml, v0.10.0). */
export const LWS_API_VERSION = 'leaderworkerset.x-k8s.io/v1';
/** The kind. */
export const LWS_KIND = 'LeaderWorkerSet';
/** SetNameLabelKey: every pod of a LeaderWorkerSet carries its name. */
export const LWS_NAME_LABEL = 'leaderworkerset.sigs.k8s.io/name';
/** WorkerIndexLabelKey: "0" on the leader of each group, 1 to size - 1 on its workers. */
export const LWS_WORKER_INDEX_LABEL = 'leaderworkerset.sigs.k8s.io/worker-index';
/** ExclusiveKeyAnnotationKey: a node label whose domains each hold at most one group (pod affinity + anti-affinity). */
export const LWS_EXCLUSIVE_TOPOLOGY_ANNOTATION = 'leaderworkerset.sigs.k8s.io/exclusive-topology';
/** SubGroupExclusiveKeyAnnotationKey: the same per subgroup; needs `subGroupPolicy`. */
export const LWS_SUBGROUP_EXCLUSIVE_TOPOLOGY_ANNOTATION = 'leaderworkerset.sigs.k8s.io/subgroup-exclusive-topology';
/** The environment variables the LWS pod webhook adds to every container: the leader's address and the group size. */
export const LWS_LEADER_ADDRESS_ENV = 'LWS_LEADER_ADDRESS';
export const LWS_GROUP_SIZE_ENV = 'LWS_GROUP_SIZE';

/**
 * The most characters of a StatefulSet's name: its pods carry `controller-revision-hash: <name>-<hash>`, a label value
 * (at most 63 characters), with a hash of up to 10 characters (k8s@v1.28.0 pkg/controller/history/controller_history.go
 * ControllerRevisionName, HashControllerRevision).
 */
export const MAX_STATEFULSET_NAME_LENGTH = 52;
/** The most characters of a pod's name that is also its host name and its `statefulset.kubernetes.io/pod-name` label. */
export const MAX_POD_NAME_LENGTH = 63;

/**
 * The longest LeaderWorkerSet name whose objects are all valid at `maxReplicas` groups of `groupSize` pods. The
 * controller makes a leader StatefulSet named `<lws>` with pods `<lws>-<group>`, and per group a worker StatefulSet
 * `<lws>-<group>` with pods `<lws>-<group>-<worker>` (leaderworkerset_types.go:101-111), groups 0 to maxReplicas - 1,
 * workers 1 to groupSize - 1. So: `<lws>-<group>` is a StatefulSet name (at most 52 characters), and
 * `<lws>-<group>-<worker>` a pod name (at most 63).
 */
export function maxLeaderWorkerSetNameLength(maxReplicas: number, groupSize: number): number {
  const groupDigits = String(Math.max(0, maxReplicas - 1)).length;
  const workerDigits = String(Math.max(1, groupSize - 1)).length;
  const byWorkerSet = MAX_STATEFULSET_NAME_LENGTH - 1 - groupDigits;
  const byWorkerPod = groupSize > 1 ? MAX_POD_NAME_LENGTH - 2 - groupDigits - workerDigits : MAX_POD_NAME_LENGTH;
  return Math.min(byWorkerSet, byWorkerPod);
}

/** The selector of a LeaderWorkerSet's leader pods: what its `/scale` subresource gives an HPA (`status.hpaPodSelector`). */
export function lwsLeaderLabels(name: string): { [key: string]: string } {
  // pkg/controllers/leaderworkerset_controller.go:541-554 (v0.10.0): name and worker-index "0".
  return { [LWS_NAME_LABEL]: name, [LWS_WORKER_INDEX_LABEL]: '0' };
}
