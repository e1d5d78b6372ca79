import { ApiObject, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { describeValue, invalidProp } from '../common/errors';
import type * as vpaTypes from '../imports/autoscaling.k8s.io';
import { registerVertical } from './internal/autoscaler-registry';
import { vpaBindings } from './internal/bindings';
import { recordedPod } from './internal/pod';
import { ANNOTATION_VPA_FEATURE_GATES } from '../common/names';
import { parseQuantity } from '../common/quantity';
import { checkDefined, checkInstance, checkList, checkOneOf, checkOptionalCpu, checkOptionalWhole, checkSize, checkString, checkStruct, checkUnique } from '../common/validate';
import { ScalingTargetRef } from '../values/workload-footprint';

/**
 * When the VPA applies its recommendations to pods (`spec.updatePolicy.updateMode`), every value
 * of the `autoscaling.k8s.io/v1` CRD of VPA 1.7.
 */
export enum VpaUpdateMode {
  /** Recommend only: the VPA writes recommendations to its status and never touches a pod. */
  OFF = 'Off',
  /**
   * Apply recommendations when a pod is created (deploy, scale-up, rescheduling), never to a running
   * pod: no evictions, no restarts caused by the VPA.
   */
  INITIAL = 'Initial',
  /**
   * Apply at creation and evict running pods whose requests are far from the recommendation, so they
   * are recreated with new resources. Each eviction restarts a pod (a model server reloads its weights).
   */
  RECREATE = 'Recreate',
  /**
   * Resize running pods in place where possible, and evict them where not. In-place resize needs
   * Kubernetes 1.33 or later (beta feature InPlacePodVerticalScaling); without it every update is an
   * eviction, as with RECREATE.
   */
  IN_PLACE_OR_RECREATE = 'InPlaceOrRecreate',
  /**
   * Resize running pods in place only, never evicting them: a change the node cannot apply in place
   * waits. Needs in-place pod resize (Kubernetes 1.33 or later, beta feature InPlacePodVerticalScaling)
   * and the VPA's own alpha feature gate `InPlace` (off by default in VPA 1.7.1): without it the VPA admission
   * controller refuses the object. Say it is on with `enabledFeatureGates: [VpaFeatureGate.IN_PLACE]`.
   */
  IN_PLACE = 'InPlace',
  /**
   * Deprecated upstream: it means RECREATE. Accepted and emitted as `Recreate`, with a warning.
   * @deprecated use RECREATE (or INITIAL, to leave running pods alone)
   */
  AUTO = 'Auto',
}

/**
 * A feature gate of the VPA components (their `--feature-gates` flag, not a Kubernetes feature gate) that the cluster
 * runs with. VPA 1.7.1 ships every one of them off.
 */
export enum VpaFeatureGate {
  /**
   * `InPlace` (alpha since VPA 1.7): the `InPlace` update mode. The admission controller refuses a VPA with that mode
   * unless it runs with `--feature-gates=InPlace=true`, and the updater acts on it only with the same flag.
   */
  IN_PLACE = 'InPlace',
}

/** A resource the VPA can control. It controls only these: GPUs are whole devices it never changes. */
export enum VpaResource {
  /** CPU. */
  CPU = 'cpu',
  /** Memory. */
  MEMORY = 'memory',
}

/** Which of a container's resource values the VPA sets. */
export enum VpaControlledValues {
  /** Requests, and limits scaled in proportion, so the limit/request ratio (and the QoS class) is kept. */
  REQUESTS_AND_LIMITS = 'RequestsAndLimits',
  /** Requests only: limits stay as written in the pod template. */
  REQUESTS_ONLY = 'RequestsOnly',
}

/** Whether the VPA controls a container at all. */
export enum VpaContainerMode {
  /** The VPA recommends for and updates the container. */
  AUTO = 'Auto',
  /** The VPA leaves the container alone. */
  OFF = 'Off',
}

/**
 * Resource bounds of a container's recommendations: CPU and memory, the only resources a VPA controls. It never
 * changes GPUs, which are whole devices set by the workload's `nvidia.com/gpu` limit (`GpuRequest`).
 */
export interface VpaResources {
  /**
   * CPU bound.
   * @default - no bound
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory bound, in whole mebibytes or larger units.
   * @default - no bound
   */
  readonly memory?: Size;
}

/** How the VPA treats one container (or every container, with the name `*`). */
export interface VpaContainerPolicy {
  /** Name of a container of the target, or `*` for every container without a policy of its own. */
  readonly containerName: string;
  /**
   * Whether the VPA controls this container.
   * @default VpaContainerMode.AUTO
   */
  readonly mode?: VpaContainerMode;
  /**
   * The smallest resources the VPA may recommend.
   * @default - no lower bound
   */
  readonly minAllowed?: VpaResources;
  /**
   * The largest resources the VPA may recommend: keep them within what one node of the pool offers,
   * or a recommendation leaves the pod unschedulable.
   * @default - no upper bound
   */
  readonly maxAllowed?: VpaResources;
  /**
   * The resources the VPA controls.
   * @default [VpaResource.CPU, VpaResource.MEMORY]
   */
  readonly controlledResources?: VpaResource[];
  /**
   * Which values the VPA sets. Requests and limits keeps each container's limit/request ratio, so a
   * Guaranteed pod stays Guaranteed and a raised memory request does not leave the old limit to
   * OOM-kill the pod. Not RequestsAndLimits with mode OFF: the VPA admission controller refuses that pair.
   * @default - VpaControlledValues.REQUESTS_AND_LIMITS; none with mode OFF
   */
  readonly controlledValues?: VpaControlledValues;
}

/** Properties of a VerticalAutoscaler. */
export interface VerticalAutoscalerProps {
  /**
   * The workload whose containers' requests the VPA sets, as its `ApiObject` (`ApiObject.of(deployment)` for a
   * cdk8s-plus workload): a Deployment, StatefulSet, DaemonSet, Job, ... Its containers are read from its pod
   * template as it stands when the VPA is created.
   */
  readonly target: ApiObject;
  /**
   * When recommendations are applied. The default never evicts a running pod: evicting a model server
   * drops its in-flight requests and takes it out for a whole model load, and on a small Deployment that
   * is an outage. `INITIAL` applies recommendations to pods as they are created (each rollout, scale-up
   * or reschedule), which right-sizes the workload with no restart caused by the VPA. Choose `RECREATE`,
   * or `IN_PLACE_OR_RECREATE` on Kubernetes 1.33+, for workloads that tolerate restarts.
   * `AUTO` is deprecated upstream and means `RECREATE`: it is emitted as `Recreate`, with a warning.
   * @default VpaUpdateMode.INITIAL
   */
  readonly updateMode?: VpaUpdateMode;
  /**
   * Per-container policies; a container without one (and without a `*` policy) gets the VPA's defaults
   * (CPU and memory, requests and limits). At most 100.
   * @default - one policy for `*`: CPU and memory, requests and limits (keeping each limit/request ratio)
   */
  readonly containerPolicies?: VpaContainerPolicy[];
  /**
   * The fewest live replicas for the VPA updater to evict a pod (`updatePolicy.minReplicas`). The
   * updater leaves workloads with fewer than 2 replicas alone unless this is set; for a single-replica
   * workload set 1, knowing that each update restarts its only pod. A whole number from 1 to 2,147,483,647.
   * @default - the updater's `--min-replicas` flag (2 unless changed)
   */
  readonly minReplicas?: number;
  /**
   * The VPA feature gates that the cluster's VPA components (admission controller and updater) run with. Needed for
   * `VpaUpdateMode.IN_PLACE`, which VPA 1.7.1 refuses unless its `InPlace` gate is on; listed in the annotation
   * `cdk8s-ml-scaling/vpa-feature-gates` of the VerticalPodAutoscaler so the assumption stays visible in the cluster.
   * @default - none: VPA 1.7.1's defaults, every alpha gate off
   */
  readonly enabledFeatureGates?: VpaFeatureGate[];
}

const ALL_CONTAINERS = '*';
const ALL_RESOURCES = [VpaResource.CPU, VpaResource.MEMORY];


/**
 * A VerticalPodAutoscaler (`autoscaling.k8s.io/v1`) that sets a workload's CPU and memory requests
 * from their observed usage.
 *
 * Use it to right-size workloads whose per-pod load is steady but hard to guess (embedders, tokenizers,
 * preprocessing), or with `VpaUpdateMode.OFF` just to read recommendations. It controls CPU and memory only,
 * never GPUs (whole devices, set by the workload's `GpuRequest`). A
 * VPA that controls CPU or memory must not share a workload with a horizontal autoscaler scaling on
 * the same resource's utilization: that pair is rejected in either order of construction. It needs the
 * VPA components (recommender, updater, admission controller) in the cluster.
 *
 * @see https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler
 * @example
 * const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x/y:1' }] });
 * new VerticalAutoscaler(chart, 'vpa', {
 *   target: ApiObject.of(deployment),
 *   containerPolicies: [{
 *     containerName: '*',
 *     controlledResources: [VpaResource.MEMORY],
 *     maxAllowed: { memory: Size.gibibytes(16) },
 *   }],
 * });
 */
export class VerticalAutoscaler extends Construct {
  /** The VerticalPodAutoscaler (id `Resource`). */
  public readonly vpa: ApiObject;
  /** The update mode in force (`AUTO` is replaced by `RECREATE`). */
  public readonly updateMode: VpaUpdateMode;
  /** The resources (`cpu`, `memory`) the VPA changes on some container of the target; empty when it changes none. */
  public readonly controlledResources: string[];
  /** Warnings about the props (also added to the construct's metadata). */
  public readonly warnings: string[] = [];
  /** The workload the VPA sizes. */
  public readonly targetRef: ScalingTargetRef;

  public constructor(scope: Construct, id: string, props: VerticalAutoscalerProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { target } with the ApiObject of the workload to size, e.g. { target: ApiObject.of(deployment) }');
    this.checkProps(props);
    const target = props.target;
    this.targetRef = { apiVersion: target.apiVersion, kind: target.kind, name: target.name, namespace: target.metadata.namespace };
    const containers = this.containersOf(target);
    const policies = props.containerPolicies ?? [{ containerName: ALL_CONTAINERS }];
    this.checkPolicies(target, containers, policies);

    this.updateMode = props.updateMode ?? VpaUpdateMode.INITIAL;
    if (this.updateMode === VpaUpdateMode.AUTO) {
      this.updateMode = VpaUpdateMode.RECREATE;
      this.warn('\'updateMode\' AUTO is deprecated upstream and means Recreate, so Recreate is emitted: running pods are evicted to apply ' +
        'changes. Say RECREATE to keep that, or INITIAL to leave running pods alone');
    }

    const gates = unique(props.enabledFeatureGates ?? []);
    // kubernetes/autoscaler@vertical-pod-autoscaler/v1.7.1 vertical-pod-autoscaler/pkg/admission-controller/resource/vpa/validation.go:L156-L158
    // refuses InPlace unless the InPlace gate is on; pkg/features/versioned_features.go:L33-L35 ships it alpha, off.
    if (this.updateMode === VpaUpdateMode.IN_PLACE && !gates.includes(VpaFeatureGate.IN_PLACE)) {
      invalidProp(this, 'updateMode', VpaUpdateMode.IN_PLACE,
        'needs the VPA feature gate InPlace (alpha, off by default in VPA 1.7.1): without it the VPA admission controller refuses the object',
        'run the VPA admission-controller and updater with --feature-gates=InPlace=true and add VpaFeatureGate.IN_PLACE to enabledFeatureGates, '
        + 'or use IN_PLACE_OR_RECREATE, which needs no VPA gate');
    }

    this.controlledResources = this.updateMode === VpaUpdateMode.OFF ? [] : controlledBy(containers, policies);
    registerVertical(this, target, this.controlledResources);

    const vpa = vpaBindings();
    this.vpa = new vpa.VerticalPodAutoscaler(this, 'Resource', {
      // The targetRef is namespace-local: the VPA goes where the workload is.
      metadata: {
        namespace: target.metadata.namespace,
        annotations: gates.length > 0 ? { [ANNOTATION_VPA_FEATURE_GATES]: gates.join(',') } : undefined,
      },
      spec: {
        targetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
        updatePolicy: { updateMode: vpaEnums().updateModes[this.updateMode], minReplicas: props.minReplicas },
        resourcePolicy: policies.length > 0 ? { containerPolicies: policies.map((p, i) => this.policySpec(p, i)) } : undefined,
      },
    });
  }

  /** Checks each prop's type and value before any is used (props reach the library from JSON, YAML and jsii too). */
  private checkProps(props: VerticalAutoscalerProps): void {
    checkDefined(this, 'target', props.target, 'give the ApiObject of the workload to size, e.g. ApiObject.of(deployment)');
    checkInstance(this, 'target', props.target, ApiObject,
      'give the ApiObject of a workload, e.g. ApiObject.of(deployment) for a cdk8s-plus Deployment');
    if (props.updateMode !== undefined) {
      checkOneOf(this, 'updateMode', props.updateMode, Object.values(VpaUpdateMode),
        'use a VpaUpdateMode, e.g. VpaUpdateMode.INITIAL (the default), or leave it unset');
    }
    checkOptionalWhole(this, 'minReplicas', props.minReplicas, { min: 1 },
      'set 1 or more (1 lets the updater restart the only pod of a single-replica workload), or leave it unset');
    if (props.enabledFeatureGates !== undefined) {
      const fix = 'list the VPA feature gates your VPA components run with, e.g. [VpaFeatureGate.IN_PLACE], or leave it unset';
      checkList(this, 'enabledFeatureGates', props.enabledFeatureGates, { max: 16 }, fix)
        .forEach((g, i) => checkOneOf(this, `enabledFeatureGates[${i}]`, g, Object.values(VpaFeatureGate), fix));
    }
    if (props.containerPolicies === undefined) return;
    const policies = checkList<VpaContainerPolicy>(this, 'containerPolicies', props.containerPolicies, { max: 100 },
      'give one policy per container, e.g. [{ containerName: \'*\' }], or leave it unset');
    policies.forEach((p, i) => {
      const prop = `containerPolicies[${i}]`;
      checkStruct(this, prop, p, 'give { containerName } and optionally mode, minAllowed, maxAllowed, controlledResources, controlledValues');
      checkString(this, `${prop}.containerName`, p.containerName, `name a container of the target, or use '${ALL_CONTAINERS}' for all of them`, 253);
      if (p.mode !== undefined) {
        checkOneOf(this, `${prop}.mode`, p.mode, Object.values(VpaContainerMode), 'use VpaContainerMode.AUTO or VpaContainerMode.OFF, or leave it unset');
      }
      if (p.controlledValues !== undefined) {
        checkOneOf(this, `${prop}.controlledValues`, p.controlledValues, Object.values(VpaControlledValues),
          'use VpaControlledValues.REQUESTS_AND_LIMITS or VpaControlledValues.REQUESTS_ONLY, or leave it unset');
      }
      if (p.controlledResources !== undefined) {
        const fix = 'list VpaResource.CPU and/or VpaResource.MEMORY (the VPA controls no other resource)';
        checkList(this, `${prop}.controlledResources`, p.controlledResources, { max: 2 + 8 }, fix)
          .forEach((r, j) => checkOneOf(this, `${prop}.controlledResources[${j}]`, r, Object.values(VpaResource), fix));
        checkUnique(this, `${prop}.controlledResources`, p.controlledResources, r => r, 'list each resource once');
      }
      for (const bound of ['minAllowed', 'maxAllowed'] as const) {
        const b = p[bound];
        checkStruct(this, `${prop}.${bound}`, b, 'give { cpu, memory }, e.g. { cpu: Cpu.millis(250), memory: Size.gibibytes(1) }', true);
        checkOptionalCpu(this, `${prop}.${bound}.cpu`, b?.cpu, 'use e.g. Cpu.millis(250) or Cpu.units(2)');
        if (b?.memory !== undefined) checkSize(this, `${prop}.${bound}.memory`, b.memory, 'use e.g. Size.mebibytes(512) or Size.gibibytes(8)');
      }
    });
  }

  private warn(message: string): void {
    this.warnings.push(`[${this.node.path}] ${message}`);
    this.node.addMetadata('warning', message);
  }

  /** The names of the target's containers: as built, for the library's own workloads; else from the object's JSON. */
  private containersOf(target: ApiObject): string[] {
    const built = recordedPod(target);
    if (built) return built.containerNames;
    const spec = target.toJson().spec ?? {};
    const pod = (spec.template ?? spec.jobTemplate?.spec?.template)?.spec;
    const names: string[] = (pod?.containers ?? []).map((c: any) => c.name).filter((n: unknown) => typeof n === 'string');
    if (names.length === 0) {
      invalidProp(this, 'target', target.name, `has no containers in its pod template (${target.kind})`,
        'give the ApiObject of a workload with a pod template (a Deployment, StatefulSet, DaemonSet, Job, ...) and its containers');
    }
    return names;
  }

  private checkPolicies(target: ApiObject, names: string[], policies: VpaContainerPolicy[]): void {
    const seen = new Map<string, number>();
    policies.forEach((p, i) => {
      const prop = `containerPolicies[${i}]`;
      if (p.containerName !== ALL_CONTAINERS && !names.includes(p.containerName)) {
        invalidProp(this, `${prop}.containerName`, p.containerName,
          `is not a container of ${target.kind} '${target.name}' (its containers: ${names.map(n => `"${n}"`).join(', ')})`,
          `name one of its containers, or use '${ALL_CONTAINERS}' for all of them`);
      }
      const first = seen.get(p.containerName);
      if (first !== undefined) {
        invalidProp(this, `${prop}.containerName`, p.containerName, `already has a policy (containerPolicies[${first}])`,
          'give each container at most one policy: merge the two');
      }
      seen.set(p.containerName, i);
      // validation.go:L204-L209 (VPA 1.7.1) refuses controlledValues RequestsAndLimits on a container whose mode is Off.
      if (p.mode === VpaContainerMode.OFF && p.controlledValues === VpaControlledValues.REQUESTS_AND_LIMITS) {
        invalidProp(this, `${prop}.controlledValues`, p.controlledValues, 'is set on a container whose mode is OFF, which the VPA admission controller refuses',
          'leave controlledValues unset for a container the VPA leaves alone');
      }
      if (p.controlledResources !== undefined && p.controlledResources.length === 0) {
        invalidProp(this, `${prop}.controlledResources`, [], 'is empty',
          `list cpu and/or memory, or set mode OFF to leave container "${p.containerName}" alone`);
      }
      const min = this.bounds(`${prop}.minAllowed`, p.minAllowed);
      const max = this.bounds(`${prop}.maxAllowed`, p.maxAllowed);
      for (const r of ALL_RESOURCES) {
        if (min[r] !== undefined && max[r] !== undefined && min[r]!.value > max[r]!.value) {
          invalidProp(this, `${prop}.minAllowed.${r}`, min[r]!.quantity, `is above '${prop}.maxAllowed.${r}' (${describeValue(max[r]!.quantity)})`,
            `lower minAllowed.${r} or raise maxAllowed.${r}`);
        }
      }
    });
  }

  /** Checks one set of bounds and returns them as quantities and plain numbers (cores, bytes). */
  private bounds(prop: string, r: VpaResources | undefined): Partial<Record<VpaResource, { quantity: string; value: number }>> {
    const out: Partial<Record<VpaResource, { quantity: string; value: number }>> = {};
    if (!r) return out;
    if (r.cpu !== undefined) {
      // checkOptionalCpu has found it a quantity above zero in whole millicores.
      out[VpaResource.CPU] = { quantity: r.cpu.amount, value: parseQuantity(r.cpu.amount)! };
    }
    if (r.memory !== undefined) {
      const mebibytes = r.memory.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
      if (!(mebibytes > 0) || !Number.isInteger(mebibytes)) {
        invalidProp(this, `${prop}.memory`, r.memory.asString(), 'is not a memory size above zero in whole mebibytes', 'use e.g. Size.mebibytes(512) or Size.gibibytes(8)');
      }
      out[VpaResource.MEMORY] = { quantity: `${mebibytes}Mi`, value: mebibytes * 2 ** 20 };
    }
    return out;
  }

  private policySpec(p: VpaContainerPolicy, i: number): vpaTypes.VerticalPodAutoscalerSpecResourcePolicyContainerPolicies {
    const vpa = vpaBindings();
    const prop = `containerPolicies[${i}]`;
    const bounds = <T>(b: Partial<Record<VpaResource, { quantity: string }>>, of: (q: string) => T) => {
      const entries = Object.entries(b).map(([k, v]) => [k, of(v!.quantity)] as const);
      return entries.length > 0 ? Object.fromEntries(entries) : undefined;
    };
    return {
      containerName: p.containerName,
      mode: p.mode === undefined ? undefined : vpaEnums().containerModes[p.mode],
      minAllowed: bounds(this.bounds(`${prop}.minAllowed`, p.minAllowed), q => vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed.fromString(q)),
      maxAllowed: bounds(this.bounds(`${prop}.maxAllowed`, p.maxAllowed), q => vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed.fromString(q)),
      controlledResources: unique(p.controlledResources ?? ALL_RESOURCES),
      // Off: the admission controller refuses the default RequestsAndLimits spelled out, so only what was given.
      controlledValues: p.mode === VpaContainerMode.OFF
        ? (p.controlledValues === undefined ? undefined : vpaEnums().controlledValues[p.controlledValues])
        : vpaEnums().controlledValues[p.controlledValues ?? VpaControlledValues.REQUESTS_AND_LIMITS],
    };
  }
}

/** The resources the policies let the VPA change on some container of the target (with an update mode other than Off). */
function controlledBy(containers: string[], policies: VpaContainerPolicy[]): string[] {
  const all = policies.find(p => p.containerName === ALL_CONTAINERS);
  const controlled = new Set<string>();
  for (const name of containers) {
    // A container without a policy of its own takes the '*' policy, or else the VPA's defaults (cpu and memory).
    const p = policies.find(x => x.containerName === name) ?? all;
    if (p?.mode === VpaContainerMode.OFF) continue;
    for (const r of p?.controlledResources ?? ALL_RESOURCES) controlled.add(r);
  }
  return ALL_RESOURCES.filter(r => controlled.has(r));
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * Our enums spell the CRD's values; these tables let the compiler check each against the generated binding. Built on
 * first use, so that loading the library does not load the binding.
 */
let enumTables: {
  readonly updateModes: Record<VpaUpdateMode, vpaTypes.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode>;
  readonly containerModes: Record<VpaContainerMode, vpaTypes.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMode>;
  readonly controlledValues: Record<VpaControlledValues, vpaTypes.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues>;
} | undefined;

function vpaEnums(): NonNullable<typeof enumTables> {
  if (enumTables) return enumTables;
  const vpa = vpaBindings();
  const mode = vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode;
  const container = vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMode;
  const values = vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues;
  return enumTables = {
    updateModes: {
      [VpaUpdateMode.OFF]: mode.OFF,
      [VpaUpdateMode.INITIAL]: mode.INITIAL,
      [VpaUpdateMode.RECREATE]: mode.RECREATE,
      [VpaUpdateMode.IN_PLACE_OR_RECREATE]: mode.IN_PLACE_OR_RECREATE,
      [VpaUpdateMode.IN_PLACE]: mode.IN_PLACE,
      [VpaUpdateMode.AUTO]: mode.AUTO,
    },
    containerModes: { [VpaContainerMode.AUTO]: container.AUTO, [VpaContainerMode.OFF]: container.OFF },
    controlledValues: {
      [VpaControlledValues.REQUESTS_AND_LIMITS]: values.REQUESTS_AND_LIMITS,
      [VpaControlledValues.REQUESTS_ONLY]: values.REQUESTS_ONLY,
    },
  };
}
