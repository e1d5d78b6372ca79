/**
 * Node pools as the guardrails model them, whatever their source (a CostAwareNodePool, a hand-written
 * Karpenter NodePool object in the app, or a declaration), and Karpenter's rules for whether a pod can land
 * on one: taints it tolerates, node labels the pool can launch with, an instance type it fits on.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { allocatableOf, allocatableWithKubelet, maxPodsOf, usableOf } from './allocatable';
import { Amounts, sharesFit } from './amounts';
import { catalogTypesFor } from './catalog-types';
import { formatResources, listSome, quoteList } from './format';
import { allows, Requirement } from './requirements';
import { INSTANCE_TYPE_LABELS, instanceTypeLabels, LABEL_NODEPOOL, normalizeLabel, WELL_KNOWN_LABELS } from '../../common/karpenter-labels';
import { amiFamilyOf, KubeletAmounts, kubeletAmountsOf, kubeletSpecOf } from '../../common/kubelet';
import { parseQuantity } from '../../common/quantity';
import { InstanceType } from '../../planning/instance-catalog';
import { GpuRequest, TolerationSpec } from '../../values/gpu-request';
import { GpuSharing, LABEL_GPU_SHARING, MigProfile } from '../../values/gpu-sharing';
import { NodeKubeletSettings } from '../../values/node-kubelet-settings';
import { NodePoolDeclaration, NodePoolResourceLimits } from '../../values/node-pool-declaration';

// The only code that reads the fields of NodePoolResourceLimits and InstanceType: the engine's units start here.

/** A declaration's limits in the units of pod requests. */
function limitsOf(l: NodePoolResourceLimits): PoolLimits {
  return {
    cpuMillis: l.vcpus !== undefined ? Math.round(l.vcpus * 1000) : undefined,
    memoryMib: l.memory !== undefined ? mebibytes(l.memory) : undefined,
    gpus: l.gpus,
  };
}

/** A NodePool object's `spec.limits` (cores, bytes, devices) as the declaration that reports it. */
function declaredLimits(cores: number | undefined, bytes: number | undefined, gpus: number | undefined): NodePoolResourceLimits {
  // A Size cannot be negative: a negative limit (which Karpenter would reject) reads as none left.
  return { vcpus: cores, memory: bytes === undefined ? undefined : Size.gibibytes(Math.max(0, bytes) / 2 ** 30), gpus };
}

function capacityOf(type: InstanceType, sharing?: GpuSharing): Amounts {
  const base = { cpuMillis: Math.round(type.vcpus * 1000), memoryMib: mebibytes(type.memory), gpus: type.gpus };
  if (!sharing || type.gpus === 0 || !type.gpuProduct) return base;
  // The device plugin advertises the shares instead of the whole GPUs (renamed time-slicing; MIG mixed strategy).
  return { ...base, gpus: 0, shares: { [sharing.resourceName]: type.gpus * sharing.sharesPerGpu(type.gpuProduct) } };
}

function priceMicroUsdPerHourOf(type: InstanceType): number {
  return type.priceMicroUsdPerHour;
}

function mebibytes(size: Size): number {
  return Math.round(size.toMebibytes({ rounding: SizeRoundingBehavior.NONE }));
}


/** An instance type of a pool, with its labels, capacity in the units of pod requests, and price. */
export interface PoolInstanceType {
  readonly type: InstanceType;
  readonly labels: Record<string, string>;
  /** The type's size, as AWS documents it. */
  readonly capacity: Amounts;
  /** What a node of the type offers pods, as Karpenter computes it (allocatable.ts). */
  readonly allocatable: Amounts;
  /** What one instance costs per hour, in integer micro-dollars. */
  readonly priceMicroUsdPerHour: number;
}

/** How the pool came into the app, which decides how its limits are raised. */
export type PoolOrigin = 'construct' | 'object' | 'declared';

/** Resource limits in pod-request units; undefined is no limit. */
export interface PoolLimits {
  readonly cpuMillis?: number;
  readonly memoryMib?: number;
  readonly gpus?: number;
}

export interface PoolModel {
  readonly name: string;
  /** The construct findings about the pool are raised against (and suppressed on). */
  readonly subject: IConstruct;
  readonly origin: PoolOrigin;
  readonly weight: number;
  readonly taints: { key: string; value?: string; effect: string }[];
  /** Requirements by (normalized) label key; every one must allow a selected value. */
  readonly requirements: Map<string, Requirement[]>;
  /** The instance types the pool may launch (its own requirements applied); undefined when unknown. */
  readonly types?: PoolInstanceType[];
  readonly limits: PoolLimits;
  /** The declaration this pool was built from (the public description of it). */
  readonly declaration: NodePoolDeclaration;
  /** A hand-written NodePool's pinned instance values the catalogs do not know (`key=value`), which leave its types unknown. */
  readonly unknownInstanceTypes?: string[];
  /** The kubelet settings its allocatable was computed with, as findings name them; undefined for Karpenter's defaults. */
  readonly kubelet?: string;
}

/** A pool from a declaration (also how a CostAwareNodePool describes its pools). */
export function poolFromDeclaration(d: NodePoolDeclaration, subject: IConstruct, origin: PoolOrigin): PoolModel {
  const requirements = new Map<string, Requirement[]>();
  const add = (key: string, r: Requirement) => {
    const k = normalizeLabel(key);
    requirements.set(k, [...(requirements.get(k) ?? []), r]);
  };
  for (const [key, values] of Object.entries(d.labels ?? {})) add(key, { operator: 'In', values: [...values] });
  if (!requirements.has(LABEL_NODEPOOL)) add(LABEL_NODEPOOL, { operator: 'In', values: [d.name] });
  const kubelet = d.kubelet ? { amounts: kubeletAmountsOf(d.kubelet), bottlerocket: amiFamilyOf(d) === 'bottlerocket' } : undefined;
  return {
    name: d.name,
    subject,
    origin,
    weight: d.weight ?? 0,
    taints: (d.taints ?? []).map(t => ({ key: t.key, value: t.value, effect: t.effect })),
    requirements,
    types: d.instanceTypes ? poolTypes(d.instanceTypes, requirements, kubelet, d.gpuSharing) : undefined,
    limits: limitsOf(d.limits ?? {}),
    declaration: d,
    ...(d.kubelet && d.instanceTypes ? { kubelet: describeKubelet(d.kubelet) } : {}),
  };
}

/**
 * A pool from a hand-written `karpenter.sh` NodePool object's JSON. Its instance types are known when its requirements
 * pin them to types of the library's catalogs (catalog-types.ts); otherwise they are not.
 */
export function poolFromNodePoolJson(json: any, subject: IConstruct): PoolModel {
  const spec = json.spec ?? {};
  const template = spec.template ?? {};
  const labels: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(template.metadata?.labels ?? {})) labels[k] = [String(v)];
  const limits = spec.limits ?? {};
  const quantity = (q: unknown) => (q === undefined ? undefined : parseQuantity(q as string | number));
  const sharing = sharingOfLabel(template.metadata?.labels?.[LABEL_GPU_SHARING]);
  const declaration: NodePoolDeclaration = {
    name: json.metadata?.name,
    taints: (template.spec?.taints ?? []).map((t: any) => ({ key: t.key, value: t.value, effect: t.effect })),
    labels,
    limits: declaredLimits(quantity(limits.cpu), quantity(limits.memory), quantity(limits[GpuRequest.RESOURCE_NAME])),
    weight: spec.weight,
    ...(sharing ? { gpuSharing: sharing } : {}),
  };
  const pool = poolFromDeclaration(declaration, subject, 'object');
  for (const r of template.spec?.requirements ?? []) {
    const k = normalizeLabel(r.key);
    pool.requirements.set(k, [...(pool.requirements.get(k) ?? []), { operator: r.operator, values: (r.values ?? []).map(String) }]);
  }
  const known = catalogTypesFor(pool.requirements);
  const types = known.types ? poolTypes(known.types, pool.requirements, undefined, sharing) : undefined;
  return { ...pool, types, unknownInstanceTypes: known.unknown };
}

/**
 * How a NodePool object shares its GPUs, from the `ml-scaling/gpu-sharing` template label a CostAwareNodePool with
 * `gpuSharing` writes (`time-sliced-<replicas>`, `mig-<profile>`): so its synthesized manifests, read back (report
 * --app) or written by hand with the label, place and price shared pods as the construct does. Anything else: none.
 */
function sharingOfLabel(value: unknown): GpuSharing | undefined {
  if (typeof value !== 'string') return undefined;
  const sliced = /^time-sliced-([0-9]{1,2})$/.exec(value);
  if (sliced) {
    const n = Number(sliced[1]);
    return n >= 2 && n <= GpuSharing.MAX_REPLICAS_PER_GPU ? GpuSharing.timeSlicing(n) : undefined;
  }
  const mig = /^mig-([1-7]g\.[1-9][0-9]{0,3}gb)$/.exec(value);
  return mig ? GpuSharing.mig(MigProfile.of(mig[1])) : undefined;
}

function poolTypes(types: InstanceType[], requirements: Map<string, Requirement[]>,
  kubelet?: { amounts: KubeletAmounts; bottlerocket: boolean }, sharing?: GpuSharing): PoolInstanceType[] {
  return types.map(type => {
    const capacity = capacityOf(type, sharing);
    return {
      type,
      labels: instanceTypeLabels(type),
      capacity,
      allocatable: kubelet
        ? allocatableWithKubelet(capacity, type.name, kubelet.amounts, kubelet.bottlerocket)
        : allocatableOf(capacity, maxPodsOf(type.name)),
      priceMicroUsdPerHour: priceMicroUsdPerHourOf(type),
    };
  }).filter(t => [...requirements].every(([key, rs]) =>
    !INSTANCE_TYPE_LABELS.has(key) || t.labels[key] === undefined || rs.every(r => allows(r, t.labels[key]))));
}

/** The kubelet settings as findings name them: `kubeReserved cpu 1, systemReserved memory 1Gi, ...`. */
function describeKubelet(k: NodeKubeletSettings): string {
  const spec = kubeletSpecOf(k) as any;
  const parts: string[] = [];
  for (const key of ['kubeReserved', 'systemReserved', 'evictionHard']) {
    if (spec[key]) parts.push(`${key} ${Object.entries(spec[key]).map(([r, v]) => `${r} ${v}`).join(', ')}`);
  }
  for (const key of ['maxPods', 'podsPerCore']) if (spec[key] !== undefined) parts.push(`${key} ${spec[key]}`);
  return `its EC2NodeClass's kubelet settings (${parts.join('; ')})`;
}


function describeRequirement(r: Requirement): string {
  switch (r.operator) {
    case 'In': return `allows ${quoteList(r.values)}`;
    case 'NotIn': return `excludes ${quoteList(r.values)}`;
    case 'DoesNotExist': return 'forbids the label';
    case 'Gt': return `needs a value above ${r.values[0]}`;
    case 'Lt': return `needs a value below ${r.values[0]}`;
    default: return `has operator ${r.operator}`;
  }
}

/** Whether a pool offers GPUs: an instance type with GPUs, or (types unknown) a GPU limit other than 0. */
export function offersGpus(pool: PoolModel): boolean {
  return pool.types ? pool.types.some(t => t.capacity.gpus > 0 || Object.keys(t.capacity.shares ?? {}).length > 0) : pool.limits.gpus !== 0;
}

/** Why a pool's nodes cannot hold a pod's GPU shares, or undefined when they can (or the pod asks for none). */
function sharesRefusal(pool: PoolModel, pod: PodNeeds): string | undefined {
  const wanted = Object.keys(pod.requests.shares ?? {});
  if (wanted.length === 0 || !pool.types) return undefined;
  const offered = [...new Set(pool.types.flatMap(t => Object.keys(t.capacity.shares ?? {})))];
  const missing = wanted.filter(w => !offered.includes(w));
  if (missing.length === 0) return undefined;
  return offered.length === 0
    ? `its nodes advertise no ${missing.join(', ')}: the pool does not share its GPUs (give its CostAwareNodePool gpuSharing)`
    : `its nodes advertise ${offered.join(', ')}, not ${missing.join(', ')} (another sharing or MIG profile)`;
}

/** Kubernetes' ToleratesTaint. */
function tolerates(t: TolerationSpec, taint: { key: string; value?: string; effect: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const operator = t.operator || 'Equal';
  if (operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function describeTaint(t: { key: string; value?: string; effect: string }): string {
  return `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;
}

/** No DaemonSet overhead. */
export const NO_DAEMON_SETS: Amounts = { cpuMillis: 0, memoryMib: 0, gpus: 0 };

/** What a pod asks of a node. */
export interface PodNeeds {
  readonly tolerations: TolerationSpec[];
  readonly nodeSelector: { [key: string]: string };
  readonly requests: Amounts;
}

/**
 * Whether a pod can land on a pool; otherwise why not, in a phrase that follows the pool's name. A pod fits an
 * instance type when its requests fit the type's allocatable less `daemonSets` (what the DaemonSets' pods take on
 * every node).
 */
export function podFits(pool: PoolModel, pod: PodNeeds, daemonSets: Amounts = NO_DAEMON_SETS, daemonSetSources: string[] = []): string | undefined {
  const shared = Object.keys(pod.requests.shares ?? {}).length > 0;
  if ((pod.requests.gpus > 0 || shared) && !offersGpus(pool)) {
    return pool.types ? 'its instance types have no GPUs' : 'its GPU limit is 0';
  }
  const sharing = sharesRefusal(pool, pod);
  if (sharing !== undefined) return sharing;
  const typeSelectors: [string, string][] = [];
  const refusal = placementRefusal(pool, pod, typeSelectors);
  if (refusal !== undefined) return refusal;
  if (!pool.types) return undefined;
  if (pool.types.length === 0) return 'may launch none of its instance types (its requirements exclude them all)';
  const labelled = pool.types.filter(t => typeSelectors.every(([k, v]) => t.labels[k] === v));
  if (labelled.length === 0) {
    const names = pool.types.map(t => t.type.name);
    return `none of its instance types (${names.join(', ')}) has ${typeSelectors.map(([k, v]) => `${k}=${v}`).join(' and ')}`;
  }
  const r = pod.requests;
  const usable = labelled.map(t => ({ t, left: usableOf(t.allocatable, daemonSets) }));
  const fits = (left: Amounts) => left.gpus >= r.gpus && sharesFit(left, r) && left.cpuMillis >= r.cpuMillis && left.memoryMib >= r.memoryMib;
  if (usable.some(({ left }) => fits(left))) return undefined;
  // The types that come closest first: those with the most GPUs, then CPU, then memory left for the pod.
  usable.sort((a, b) => b.left.gpus - a.left.gpus || b.left.cpuMillis - a.left.cpuMillis || b.left.memoryMib - a.left.memoryMib);
  const ds = daemonSets.cpuMillis > 0 || daemonSets.memoryMib > 0 || daemonSets.gpus > 0;
  const offers = usable.map(({ t, left }) => `${t.type.name} ${formatResources(left)} (of ${formatResources(t.capacity)})`);
  const sources = daemonSetSources.length > 0 ? ` (${listSome(daemonSetSources, 3)})` : '';
  return `no instance type it may launch fits one pod (${formatResources(r)}) in what a node offers pods, its allocatable as ` +
    `Karpenter computes it (after the VM overhead, kube-reserved${pool.kubelet ? `, system-reserved and the eviction threshold of ${pool.kubelet}` : ' and the eviction threshold'})` +
    `${ds ? ` less the DaemonSets' ${formatResources(daemonSets)}${sources}` : ''}: ${listSome(offers, 3)}`;
}

/**
 * Whether the pool's taints and launch-time labels let the pod land (no size check, no GPU check); otherwise why not.
 * The instance-type labels the pod selects are pushed on `typeSelectors` for the size check.
 */
export function placementRefusal(pool: PoolModel, pod: PodNeeds, typeSelectors: [string, string][] = []): string | undefined {
  for (const taint of pool.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!(pod.tolerations ?? []).some(t => tolerates(t, taint))) return `has the taint ${describeTaint(taint)}, which the pods do not tolerate`;
  }
  for (const [rawKey, value] of Object.entries(pod.nodeSelector ?? {})) {
    const key = normalizeLabel(rawKey);
    const rs = pool.requirements.get(key);
    if (rs) {
      const refusing = rs.find(r => !allows(r, value));
      if (refusing) return `'${key}' ${describeRequirement(refusing)}, not "${value}"`;
    } else if (!WELL_KNOWN_LABELS.has(key)) {
      return `sets no label '${key}' (Karpenter launches nodes only with the custom labels a pool sets)`;
    }
    if (INSTANCE_TYPE_LABELS.has(key)) typeSelectors.push([key, value]);
  }
  return undefined;
}

/** Karpenter's order: higher weight first; equal weights by name, later in the alphabet first (nodepoolutils.OrderByWeight). */
export function karpenterOrder(a: PoolModel, b: PoolModel): number {
  if (a.weight !== b.weight) return b.weight - a.weight;
  return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
}
