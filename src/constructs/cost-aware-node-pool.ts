import { ApiObject, Duration, Size, SizeRoundingBehavior, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CapacityReservation, checkReservations, CheckedReservation, reservationTypes, reservedCapacity, reservedMicroUsdPerHour, selectorTerms,
} from './capacity-reservation';
import { karpenterAwsBindings, karpenterBindings, monitoringBindings } from './internal/bindings';
import { PrometheusSelector } from './prometheus-selector';
import { invalidProp, requireInteger } from '../common/errors';
import {
  instanceTypeLabels, LABEL_CAPACITY_RESERVATION_TYPE, LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_OS,
} from '../common/karpenter-labels';
import { kubeletSpecOf, recordAmiFamily } from '../common/kubelet';
import { fromMicroUsd, toMicroUsd } from '../common/money';
import { isDns1123Label, LABEL_NODE_POOL_PURPOSE } from '../common/names';
import { PROMETHEUS_SELECTOR_LABELS_FIX } from '../common/prometheus';
import { durationText } from '../common/quantity';
import {
  checkDns1123Label, checkInstance, checkLabels, checkListOf, checkOneOf, checkOptionalDuration, checkOptionalNumber, checkSizeWithin,
  checkKubeletSettings, checkNumber, checkStringMap, checkStruct, checkText, checkWhole, Where,
} from '../common/validate';
import type * as karpenterTypes from '../imports/karpenter.sh';
import { CapacityType, InstanceType } from '../planning/instance-catalog';
import { GpuRequest } from '../values/gpu-request';
import { GpuSharing, MigProfile } from '../values/gpu-sharing';
import { gpuSharingObjects } from './internal/gpu-sharing-objects';
import { NodeKubeletSettings } from '../values/node-kubelet-settings';
import { NodePoolDeclaration, NodeTaint, NodeTaintEffect } from '../values/node-pool-declaration';

/** What a node pool's nodes are for: it decides how Karpenter may disrupt them. */
export enum NodePoolPurpose {
  /** Model servers: consolidate underused nodes (replicas move), a few nodes at a time. */
  INFERENCE = 'inference',
  /** Training: never interrupt a run for consolidation, expiry or drift; only empty nodes go. */
  TRAINING = 'training',
}

/** The EC2NodeClass of a pool. */
export interface NodeClassOptions {
  /**
   * IAM role of the nodes (Karpenter creates the instance profile). Give this or `instanceProfile`.
   * @default - use `instanceProfile`
   */
  readonly role?: string;
  /**
   * An existing instance profile. Give this or `role`.
   * @default - use `role`
   */
  readonly instanceProfile?: string;
  /** Tags that find the subnets, e.g. `{ 'karpenter.sh/discovery': 'my-cluster' }`. */
  readonly subnetTags: { [key: string]: string };
  /** Tags that find the security groups. */
  readonly securityGroupTags: { [key: string]: string };
  /**
   * The EKS-optimized AMI, pinned: `family@version` such as `al2023@v20251015`. `latest` is refused: every
   * AMI release would then replace the nodes (drift) without anyone deciding to. Families: `al2`, `al2023`,
   * `bottlerocket` (Windows AMIs take only `latest`); at most 30 characters.
   */
  readonly amiAlias: string;
  /**
   * Size of the root volume, in whole GiB from 1 to 59,000 (EBS gp3). Model-server images are tens of GiB; GPU
   * nodes need room for several.
   * @default - 200 GiB with GPUs, 50 GiB without
   */
  readonly rootVolumeSize?: Size;
  /**
   * IMDS hop limit. 1 keeps pods from reaching the node's credentials; 2 lets pods that need IMDS reach it.
   * @default 1
   */
  readonly metadataHopLimit?: number;
  /**
   * Kubelet settings of the nodes (`spec.kubelet`): reservations and the hard eviction threshold, which the guardrails
   * take off each instance type's allocatable, as Karpenter does.
   * @default - none: Karpenter's defaults
   */
  readonly kubelet?: NodeKubeletSettings;
}

/** Properties of a CostAwareNodePool. */
export interface CostAwareNodePoolProps {
  /** Inference or training: decides consolidation, expiry, drift and termination grace. */
  readonly purpose: NodePoolPurpose;
  /**
   * The instance types the pool may launch (from a catalog or an `InstanceSelector` plan): whole vCPUs and GPUs, and a
   * price of at least one micro-dollar per hour.
   */
  readonly instanceTypes: InstanceType[];
  /**
   * How nodes are bought. Both: a spot pool and an on-demand pool with a lower weight, so Karpenter falls
   * back to on-demand only when spot cannot be had; the budget is then split between them.
   * @default [CapacityType.ON_DEMAND]
   */
  readonly capacityTypes?: CapacityType[];
  /**
   * The most the pool may cost per hour, in US dollars. The pool's limits are derived from it so that no
   * mix of the allowed types within the limits costs more. Give this or explicit limits. At most 10,000,000, and
   * the limits it buys at most 1,000,000,000 of each resource.
   * @default - no budget: `maxGpus` (GPU pools) or `maxVcpus` is required
   */
  readonly budgetUsdPerHour?: number;
  /**
   * With both capacity types: the share of the budget for the spot pool (the rest goes to on-demand).
   * @default 0.5
   */
  readonly spotBudgetShare?: number;
  /**
   * Most GPUs in the pool (tightens the budget-derived limit).
   * @default - from the budget
   */
  readonly maxGpus?: number;
  /**
   * Most vCPUs in the pool (tightens the budget-derived limit).
   * @default - from the budget
   */
  readonly maxVcpus?: number;
  /** The node class. */
  readonly nodeClass: NodeClassOptions;
  /**
   * Training: the longest run. Nodes expire only after it (`expireAfter`). Durations here are whole seconds, at most 100 years.
   * @default - never expire training nodes; inference nodes expire after 30 days
   */
  readonly longestRun?: Duration;
  /**
   * How long a draining node waits for its pods (checkpoints) before it is terminated.
   * @default - 2 hours for training, 15 minutes for inference
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long a node must be empty (or underused) before it is consolidated.
   * @default - 5 minutes for inference, 30 minutes for training
   */
  readonly consolidateAfter?: Duration;
  /**
   * Base name of the NodePool(s) and the EC2NodeClass.
   * @default - generated
   */
  readonly name?: string;
  /**
   * Labels of the PrometheusRule, so that your Prometheus selects it, merged over the app's `PrometheusSelector`
   * labels key by key. Prefer one PrometheusSelector for the app: then every rule and monitor carries them.
   * @default - the labels of the app's PrometheusSelector (none without one)
   */
  readonly prometheusSelectorLabels?: { [key: string]: string };
  /**
   * EC2 capacity reservations (ODCRs or Capacity Blocks for ML) to launch into first. They are written as the
   * EC2NodeClass's `capacityReservationSelectorTerms`, and an extra NodePool (`<name>-reserved`, weight 100) allows
   * only `karpenter.sh/capacity-type: reserved` on the reservations' instance types, with limits of exactly the
   * reserved instances: beyond them Karpenter falls back to the spot and on-demand pools. Their cost, paid used or not,
   * comes off `budgetUsdPerHour` first. Needs Karpenter's `ReservedCapacity` feature gate (beta, on by default since
   * v1.6) and `ec2:DescribeCapacityReservations` for the controller.
   * @see https://karpenter.sh/docs/tasks/odcrs/
   * @default - none: only spot and on-demand capacity
   */
  readonly reservations?: CapacityReservation[];
  /**
   * Share the pool's GPUs: time-slicing (`GpuSharing.timeSlicing(4)`) or one MIG profile (`GpuSharing.mig(...)`). The
   * pool then writes the NVIDIA device plugin's config (a ConfigMap in `devicePluginNamespace`, which the GPU operator's
   * ClusterPolicy `devicePlugin.config.name` must name) and labels its nodes at launch with the config to use
   * (`nvidia.com/device-plugin.config`, and `nvidia.com/mig.config` for MIG). Pods ask with `GpuRequest.timeSliced()` or
   * `GpuRequest.mig(profile)`.
   * @default - whole GPUs
   */
  readonly gpuSharing?: GpuSharing;
  /**
   * Namespace of the ConfigMap with the device plugin's sharing config: the GPU operator's.
   * @default 'gpu-operator'
   */
  readonly devicePluginNamespace?: string;
  /**
   * With `gpuSharing`: also write Karpenter NodeOverlays (`karpenter.sh/v1alpha1`) that add the shared resources to the
   * capacity of the pool's instance types, so Karpenter launches nodes for pods that request them. NodeOverlay is
   * alpha and works only with Karpenter's `nodeOverlay` feature gate, which is off by default (Helm
   * `settings.featureGates.nodeOverlay=true` turns it on). Without it, Karpenter does not know the nodes will advertise
   * the shares and leaves such pods pending unless a node of the pool already runs.
   * @default false
   */
  readonly nodeOverlay?: boolean;
}

/** The limits a budget buys, per pool. */
export interface NodePoolLimits {
  /** vCPUs (Karpenter's `cpu` limit). */
  readonly vcpus: number;
  /** Memory, in whole GiB. */
  readonly memory: Size;
  /** GPUs (0 for a pool without GPUs). */
  readonly gpus: number;
}

/**
 * A Karpenter NodePool (and its EC2NodeClass) for ML workloads, bounded by an hourly budget.
 *
 * The limits come from the budget: for each resource, the budget divided by the highest price per unit
 * of that resource among the allowed types, rounded down, so no mix of allowed types within the limits
 * costs more than the budget. Karpenter checks limits eventually: a fast scale-out can overrun them
 * briefly, so keep account-level quotas (EC2 vCPU quotas per instance family) as the hard stop.
 *
 * GPU pools carry the `nvidia.com/gpu:NoSchedule` taint that `GpuRequest` tolerates; the GPU name label
 * it selects (`karpenter.k8s.aws/instance-gpu-name`) is set by Karpenter at launch.
 *
 * @see https://karpenter.sh/docs/concepts/nodepools/
 * @example
 * new CostAwareNodePool(chart, 'gpu-inference', {
 *   purpose: NodePoolPurpose.INFERENCE,
 *   instanceTypes: InstanceCatalog.awsGpu().families(['g6']).types,
 *   capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
 *   budgetUsdPerHour: 40,
 *   nodeClass: {
 *     role: 'KarpenterNodeRole-ml',
 *     subnetTags: { 'karpenter.sh/discovery': 'ml' },
 *     securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
 *     amiAlias: 'al2023@v20251015',
 *   },
 * });
 */
export class CostAwareNodePool extends Construct {
  /**
   * Limits that an hourly budget buys for a set of types: per resource, the budget over the highest
   * price per unit of that resource, rounded down.
   * @param budgetUsdPerHour US dollars per hour, 0 to 10,000,000
   * @param instanceTypes 1 to 500 types, from a catalog or `InstanceType.of`
   */
  public static limitsForBudget(budgetUsdPerHour: number, instanceTypes: InstanceType[]): NodePoolLimits {
    const where = 'CostAwareNodePool.limitsForBudget';
    checkNumber(where, 'budgetUsdPerHour', budgetUsdPerHour, { min: 0, max: MAX_BUDGET_USD_PER_HOUR, what: 'a price' },
      'give the most the pool may cost per hour, in US dollars');
    checkListOf(where, 'instanceTypes', instanceTypes, { min: 1, max: 500 }, 'give the instance types the pool may launch',
      (t, prop) => checkInstanceType(where, t, prop));
    const budget = toMicroUsd(budgetUsdPerHour);
    // Highest price per unit = max(price / units); limit = floor(budget / that) = min over types of floor(budget x units / price).
    const limit = (units: (t: InstanceType) => number) => {
      const withUnits = instanceTypes.filter(t => units(t) > 0);
      if (withUnits.length === 0) return 0;
      return Math.min(...withUnits.map(t => Math.floor((budget * units(t)) / t.priceMicroUsdPerHour)));
    };
    return { vcpus: limit(t => t.vcpus), memory: Size.gibibytes(limit(gibibytesOf)), gpus: limit(t => t.gpus) };
  }

  /** The NodePools (one, or spot and on-demand). */
  public readonly nodePools: ApiObject[] = [];
  /** The EC2NodeClass. */
  public readonly nodeClass: ApiObject;
  /** The PrometheusRule with the usage and spend alerts. */
  public readonly rules: ApiObject;
  /** The limits of each pool, in the order of `nodePools`. */
  public readonly limits: NodePoolLimits[];
  /** Whether the pool's types have GPUs. */
  public readonly hasGpus: boolean;
  /**
   * The NodePools as app-wide checks (`ScalingGuardrails`) read them, in the order of `nodePools`: name, taints,
   * the node label values each can launch with (its requirements and template labels, and the instance labels
   * its types give, such as `karpenter.k8s.aws/instance-gpu-name`), limits, weight, and the instance types with
   * their prices. Built from the same values the NodePools are written from.
   */
  public readonly nodePoolDeclarations: NodePoolDeclaration[] = [];
  /** With `gpuSharing`: the device plugin's ConfigMap, and the NodeOverlays when asked for. */
  public readonly sharingObjects: ApiObject[] = [];

  public constructor(scope: Construct, id: string, props: CostAwareNodePoolProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { purpose, instanceTypes, nodeClass, budgetUsdPerHour }');
    this.hasGpus = Array.isArray(props.instanceTypes) && props.instanceTypes.some(t => t instanceof InstanceType && t.gpus > 0);
    const capacityTypes = [...new Set(this.checkProps(props))];
    const both = capacityTypes.length > 1;
    const spotShare = props.spotBudgetShare ?? 0.5;
    // Capacity reservations: their fixed cost comes off the budget before it is split between spot and on-demand.
    const reserved: CheckedReservation[] = props.reservations !== undefined ? checkReservations(this, props.reservations, props.instanceTypes) : [];
    const reservedMicroUsd = reservedMicroUsdPerHour(reserved);
    const fallbackBudget = props.budgetUsdPerHour === undefined ? undefined : fromMicroUsd(toMicroUsd(props.budgetUsdPerHour) - reservedMicroUsd);
    if (fallbackBudget !== undefined && fallbackBudget <= 0) {
      invalidProp(this, 'budgetUsdPerHour', props.budgetUsdPerHour, `does not cover the reservations, which cost ${fromMicroUsd(reservedMicroUsd)} US dollars per hour used or not`,
        'raise the budget above the reservations\' cost (the rest buys the spot and on-demand fallback)');
    }
    // The limits, computed once: checked here and written to the NodePools and their declarations below.
    this.limits = capacityTypes.map(c => this.poolLimits(props, fallbackBudget, !both ? 1 : c === CapacityType.SPOT ? spotShare : 1 - spotShare));
    if (fallbackBudget !== undefined && this.hasGpus && this.limits.some(l => l.gpus < 1)) {
      invalidProp(this, 'budgetUsdPerHour', props.budgetUsdPerHour, reserved.length > 0
        ? `leaves ${fallbackBudget} US dollars per hour after the reservations, which does not buy a single GPU node of the allowed types`
        : 'does not buy a single GPU node of the allowed types',
      'raise the budget or allow cheaper GPU types');
    }
    const reservedLimits = reservedCapacity(reserved);
    if (reserved.length > 0) {
      const gpus = this.hasGpus ? reservedLimits.gpus : 0;
      this.limits.push({ vcpus: reservedLimits.vcpus, memory: Size.gibibytes(reservedLimits.gibibytes), gpus });
    }
    const poolTypes: CapacityType[] = reserved.length > 0 ? [...capacityTypes, CapacityType.RESERVED] : capacityTypes;
    const several = poolTypes.length > 1;
    this.limits.forEach((l, i) => {
      const at = several ? ` of the ${poolTypes[i]} pool` : '';
      for (const [what, value] of [['vCPU', l.vcpus], ['GPU', l.gpus], ['memory (GiB)', l.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE })]] as const) {
        // A limit Karpenter cannot read (Infinity, NaN) or one beyond any account: prices too low for the budget.
        if (!Number.isSafeInteger(value) || value > MAX_LIMIT) {
          invalidProp(this, props.budgetUsdPerHour !== undefined ? 'budgetUsdPerHour' : 'instanceTypes', props.budgetUsdPerHour ?? props.instanceTypes.map(t => t.name),
            `gives the ${what} limit${at} ${value}, which is not a whole number up to ${MAX_LIMIT}`,
            'lower the budget, give maxVcpus and maxGpus, or fix the prices of the instance types');
        }
      }
    });
    const training = props.purpose === NodePoolPurpose.TRAINING;

    const nc = props.nodeClass;
    const aws = karpenterAwsBindings();
    this.nodeClass = new aws.Ec2NodeClass(this, 'NodeClass', {
      metadata: props.name ? { name: props.name } : {},
      spec: {
        ...(nc.role ? { role: nc.role } : { instanceProfile: nc.instanceProfile }),
        subnetSelectorTerms: [{ tags: nc.subnetTags }],
        securityGroupSelectorTerms: [{ tags: nc.securityGroupTags }],
        amiSelectorTerms: [{ alias: nc.amiAlias }],
        ...(nc.kubelet ? { kubelet: kubeletSpecOf(nc.kubelet) } : {}),
        ...(reserved.length > 0 ? { capacityReservationSelectorTerms: selectorTerms(reserved) } : {}),
        // IMDSv2 only, and a hop limit set on purpose rather than inherited.
        metadataOptions: {
          httpEndpoint: aws.Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpTokens: aws.Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
          httpPutResponseHopLimit: nc.metadataHopLimit ?? 1,
        },
        blockDeviceMappings: [{
          deviceName: '/dev/xvda',
          rootVolume: true,
          ebs: {
            volumeSize: `${(nc.rootVolumeSize ?? Size.gibibytes(this.hasGpus ? 200 : 50)).toGibibytes()}Gi`,
            volumeType: aws.Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          },
        }],
      },
    });

    // What every pool of this construct shares: its instance types, taints and template labels.
    const instanceTypes = [...props.instanceTypes];
    const instanceTypeNames = [...new Set(instanceTypes.map(t => t.name))].sort();
    const taints: NodeTaint[] = this.hasGpus ? [{ key: GpuRequest.RESOURCE_NAME, effect: NodeTaintEffect.NO_SCHEDULE }] : [];
    const templateLabels = { [LABEL_NODE_POOL_PURPOSE]: props.purpose, ...props.gpuSharing?._nodeLabels() };
    const instanceLabels = labelsOf(instanceTypes);

    const karpenter = karpenterBindings();
    // Our taint effects spell Kubernetes' values; the table lets the compiler check each against the binding's.
    const TAINT_EFFECTS: Record<NodeTaintEffect, karpenterTypes.NodePoolSpecTemplateSpecTaintsEffect> = {
      [NodeTaintEffect.NO_SCHEDULE]: karpenter.NodePoolSpecTemplateSpecTaintsEffect.NO_SCHEDULE,
      [NodeTaintEffect.PREFER_NO_SCHEDULE]: karpenter.NodePoolSpecTemplateSpecTaintsEffect.PREFER_NO_SCHEDULE,
      [NodeTaintEffect.NO_EXECUTE]: karpenter.NodePoolSpecTemplateSpecTaintsEffect.NO_EXECUTE,
    };
    poolTypes.forEach((capacityType, i) => {
      const limits = this.limits[i];
      const isReserved = capacityType === CapacityType.RESERVED;
      const suffix = isReserved ? '-reserved' : both ? `-${capacityType}` : '';
      // Reserved first (paid used or not), then spot; on-demand only when neither can be had.
      const weight = isReserved ? 100 : both ? poolWeight(capacityType, reserved.length > 0) : undefined;
      const requirements = [
        { key: LABEL_INSTANCE_TYPE, values: isReserved ? [...new Set(reserved.map(r => r.type.name))].sort() : instanceTypeNames },
        { key: LABEL_CAPACITY_TYPE, values: [capacityType] },
        { key: LABEL_OS, values: ['linux'] },
        // Only the kinds of reservation declared (capacity blocks, ODCRs): capacity-reservation.ts `reservationTypes`.
        ...(isReserved ? [{ key: LABEL_CAPACITY_RESERVATION_TYPE, values: reservationTypes(reserved) }] : []),
      ];
      const quantity = (q: string) => karpenter.NodePoolSpecLimits.fromString(q);
      const reason = karpenter.NodePoolSpecDisruptionBudgetsReasons;
      const pool = new karpenter.NodePool(this, both || isReserved ? `NodePool-${capacityType}` : 'Resource', {
        metadata: props.name ? { name: `${props.name}${suffix}` } : {},
        spec: {
          ...(weight !== undefined ? { weight } : {}),
          template: {
            metadata: { labels: templateLabels },
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: this.nodeClass.name },
              requirements: requirements.map(r => ({ ...r, operator: karpenter.NodePoolSpecTemplateSpecRequirementsOperator.IN })),
              ...(taints.length > 0 ? { taints: taints.map(t => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })) } : {}),
              expireAfter: props.longestRun ? durationText(props.longestRun) : training ? 'Never' : '720h',
              terminationGracePeriod: durationText(props.terminationGracePeriod ?? Duration.hours(training ? 2 : 0.25)),
            },
          },
          disruption: training ? {
            consolidationPolicy: karpenter.NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY,
            consolidateAfter: durationText(props.consolidateAfter ?? Duration.minutes(30)),
            // Never replace a training node because its AMI or config drifted: a run would die for an upgrade.
            budgets: [{ nodes: '0', reasons: [reason.DRIFTED, reason.UNDERUTILIZED] }, { nodes: '1', reasons: [reason.EMPTY] }],
          } : {
            consolidationPolicy: karpenter.NodePoolSpecDisruptionConsolidationPolicy.WHEN_EMPTY_OR_UNDERUTILIZED,
            consolidateAfter: durationText(props.consolidateAfter ?? Duration.minutes(5)),
            budgets: [{ nodes: '10%' }],
          },
          limits: {
            cpu: quantity(String(limits.vcpus)),
            memory: quantity(limits.memory.asString()),
            ...(this.hasGpus ? { [GpuRequest.RESOURCE_NAME]: quantity(String(limits.gpus)) } : {}),
          },
        },
      });
      this.nodePools.push(pool);

      // The same pool as the guardrails read it: the label values its nodes can have are the instance labels
      // of its types, its requirements and its template labels.
      const labels: { [key: string]: string[] } = {};
      const poolInstanceLabels = isReserved ? labelsOf(reserved.map(r => r.type)) : instanceLabels;
      for (const [key, values] of Object.entries(poolInstanceLabels)) labels[key] = [...values].sort();
      for (const r of requirements) labels[r.key] = [...r.values];
      for (const [key, value] of Object.entries(templateLabels)) labels[key] = [value];
      labels[LABEL_NODEPOOL] = [pool.name];
      const declaration: NodePoolDeclaration = {
        name: pool.name,
        taints,
        labels,
        limits,
        instanceTypes: isReserved ? reserved.map(r => r.type) : instanceTypes,
        weight,
        ...(nc.kubelet ? { kubelet: nc.kubelet } : {}),
        ...(isReserved ? { reservedUsdPerHour: fromMicroUsd(reservedMicroUsd) } : {}),
        ...(props.gpuSharing ? { gpuSharing: props.gpuSharing } : {}),
      };
      recordAmiFamily(declaration, nc.amiAlias.split('@')[0]);
      this.nodePoolDeclarations.push(declaration);
    });

    if (props.gpuSharing) {
      this.sharingObjects.push(...gpuSharingObjects(this, props.gpuSharing, this.nodePools.map(p => p.name), instanceTypes,
        props.devicePluginNamespace ?? 'gpu-operator', props.nodeOverlay ?? false, (o: unknown) => Yaml.stringify(o)));
    }

    const mon = monitoringBindings();
    const poolNames = this.nodePools.map(p => p.name);
    const pools = `nodepool=~"${poolNames.join('|')}"`;
    // Karpenter prices reserved offerings as free (on-demand / 10,000,000): the alert compares the rest with the rest of the budget.
    const budget = fallbackBudget;
    const rules: any[] = [{
      alert: 'NodePoolNearLimit',
      expr: `max by (nodepool, resource_type) (karpenter_nodepools_usage{${pools}} / on (nodepool, resource_type) karpenter_nodepools_limit{${pools}}) > 0.9`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A node pool is above 90% of its limits: new nodes will soon be refused',
        description: 'Pending pods will stay pending at the limit. Raise the budget (and the limits with it) or reduce the workloads\' maximums.',
      },
    }];
    if (budget !== undefined) {
      rules.push({
        alert: 'NodePoolSpendAboveBudget',
        // Nodes of the pools, priced by Karpenter's own estimate of each offering.
        expr: `sum(count by (instance_type, capacity_type) (karpenter_nodes_allocatable{${pools}, resource_type="cpu"}) `
          + '* on (instance_type, capacity_type) group_left avg by (instance_type, capacity_type) '
          + `(karpenter_cloudprovider_instance_type_offering_price_estimate)) > ${budget}`,
        for: durationText(Duration.minutes(15)),
        labels: { severity: 'critical' },
        annotations: {
          summary: `The pools ${poolNames.join(', ')} cost more than $${budget}/h`,
          description: 'Karpenter enforces limits eventually; a fast scale-out or changed prices can overrun the budget. Account quotas are the hard stop.',
        },
      });
    }
    this.rules = new mon.PrometheusRule(this, 'Rules', {
      metadata: {},
      spec: { groups: [{ name: `node-pools.${poolNames[0]}`, rules: rules.map(r => ({ ...r, expr: mon.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })) }] },
    });
    // Without the selector labels, Prometheus never loads these alerts: the app's, decided at synth, under the pool's own.
    PrometheusSelector._label(this.rules, props.prometheusSelectorLabels);
  }

  private poolLimits(props: CostAwareNodePoolProps, budgetUsdPerHour: number | undefined, share: number): NodePoolLimits {
    const derived = budgetUsdPerHour !== undefined
      ? CostAwareNodePool.limitsForBudget(budgetUsdPerHour * share, props.instanceTypes)
      : undefined;
    const cap = (fromBudget: number | undefined, explicit: number | undefined) =>
      fromBudget === undefined ? explicit! : explicit === undefined ? fromBudget : Math.min(fromBudget, explicit);
    // Without a budget, a GPU pool's CPU limit follows its GPU limit.
    const maxVcpus = props.maxVcpus
      ?? (props.maxGpus !== undefined && !derived ? largestPerGpu(props.instanceTypes, t => t.vcpus) * props.maxGpus : undefined);
    const vcpus = cap(derived?.vcpus, maxVcpus);
    const gpus = this.hasGpus ? cap(derived?.gpus, props.maxGpus) : 0;
    const memory = derived?.memory
      ?? Size.gibibytes(Math.max(...props.instanceTypes.map(t => Math.ceil((gibibytesOf(t) / t.vcpus) * vcpus))));
    return { vcpus, memory, gpus };
  }

  private checkProps(props: CostAwareNodePoolProps): CapacityType[] {
    checkStruct(this, 'props', props, 'give { purpose, instanceTypes, nodeClass, budgetUsdPerHour }');
    if (props.name !== undefined) checkDns1123Label(this, 'name', props.name);
    checkOneOf(this, 'purpose', props.purpose, Object.values(NodePoolPurpose), 'use NodePoolPurpose.INFERENCE or NodePoolPurpose.TRAINING');
    const types = checkListOf(this, 'instanceTypes', props.instanceTypes, { max: 500 }, 'give the instance types the pool may launch',
      (t, prop) => checkInstanceType(this, t, prop));
    if (types.length === 0) invalidProp(this, 'instanceTypes', [], 'is empty', 'give the instance types the pool may launch');
    const capacityFix = 'use CapacityType.ON_DEMAND, CapacityType.SPOT or both (reserved capacity comes from \'reservations\')';
    const capacityTypes = props.capacityTypes === undefined ? [CapacityType.ON_DEMAND]
      : checkListOf(this, 'capacityTypes', props.capacityTypes, { min: 1, max: 2 }, capacityFix,
        (c, prop) => checkOneOf(this, prop, c, [CapacityType.ON_DEMAND, CapacityType.SPOT], capacityFix));
    this.checkNodeClass(props.nodeClass);
    checkOptionalNumber(this, 'budgetUsdPerHour', props.budgetUsdPerHour, { min: 0, minExclusive: true, max: MAX_BUDGET_USD_PER_HOUR, what: 'a price' },
      'give the most the pool may cost per hour, in US dollars');
    if (props.budgetUsdPerHour === undefined) {
      if (this.hasGpus && props.maxGpus === undefined) {
        invalidProp(this, 'budgetUsdPerHour', undefined, 'is missing, and a GPU pool must have a GPU limit', 'give budgetUsdPerHour (limits are derived from it) or maxGpus');
      }
      if (!this.hasGpus && props.maxVcpus === undefined) {
        invalidProp(this, 'budgetUsdPerHour', undefined, 'is missing, and every node pool needs limits', 'give budgetUsdPerHour (limits are derived from it) or maxVcpus');
      }
    }
    for (const [prop, value] of [['maxGpus', props.maxGpus], ['maxVcpus', props.maxVcpus]] as const) {
      if (value !== undefined) requireInteger(this, prop, value, 1, 1_000_000, 'give a whole number of at least 1');
    }
    if (props.spotBudgetShare !== undefined) {
      const share: unknown = props.spotBudgetShare;
      if (!(typeof share === 'number' && share > 0 && share < 1)) {
        invalidProp(this, 'spotBudgetShare', share, 'must be between 0 and 1 (exclusive)', 'give the spot pool\'s share of the budget, e.g. 0.7');
      }
      if (new Set(capacityTypes).size < 2) {
        invalidProp(this, 'spotBudgetShare', share, 'only applies with both capacity types', 'remove it, or allow spot and on-demand');
      }
    }
    const durationFix = (example: string) => `give a whole number of seconds up to 100 years, e.g. ${example}`;
    const bounds = { minExclusive: true, max: Duration.days(36_500), wholeSeconds: true };
    checkOptionalDuration(this, 'longestRun', props.longestRun, bounds, durationFix('Duration.days(7)'));
    checkOptionalDuration(this, 'terminationGracePeriod', props.terminationGracePeriod, { ...bounds, minExclusive: false }, durationFix('Duration.hours(2)'));
    checkOptionalDuration(this, 'consolidateAfter', props.consolidateAfter, { ...bounds, minExclusive: false }, durationFix('Duration.minutes(5)'));
    if (props.prometheusSelectorLabels !== undefined) checkLabels(this, 'prometheusSelectorLabels', props.prometheusSelectorLabels, PROMETHEUS_SELECTOR_LABELS_FIX);
    this.checkSharing(props);
    return capacityTypes;
  }

  /** GPU sharing (issue 17): a GPU pool, and a MIG profile every GPU model of the pool has. */
  private checkSharing(props: CostAwareNodePoolProps): void {
    const s = props.gpuSharing;
    if (s === undefined) {
      for (const [prop, v] of [['devicePluginNamespace', props.devicePluginNamespace], ['nodeOverlay', props.nodeOverlay]] as const) {
        if (v !== undefined) invalidProp(this, prop, v, 'only applies with \'gpuSharing\'', 'give gpuSharing, or remove it');
      }
      return;
    }
    checkInstance(this, 'gpuSharing', s, GpuSharing as any, 'give GpuSharing.timeSlicing(4) or GpuSharing.mig(MigProfile.of(\'1g.10gb\'))');
    if (!this.hasGpus) invalidProp(this, 'gpuSharing', s.kind, 'is set on a pool whose instance types have no GPUs', 'remove gpuSharing, or give GPU instance types');
    if (props.devicePluginNamespace !== undefined) checkDns1123Label(this, 'devicePluginNamespace', props.devicePluginNamespace);
    if (props.nodeOverlay !== undefined && typeof props.nodeOverlay !== 'boolean') {
      invalidProp(this, 'nodeOverlay', props.nodeOverlay, 'is not a boolean', 'give true to write NodeOverlays (Karpenter feature gate nodeOverlay), or leave it out');
    }
    for (const t of props.instanceTypes.filter(i => i.gpus > 0)) {
      if (!t.gpuProduct) {
        invalidProp(this, 'instanceTypes', t.name, 'has no gpuProduct, so its shares per GPU are unknown', 'give instance types from a catalog, or InstanceType.of with gpuProduct');
      }
      if (s.migProfile && s.sharesPerGpu(t.gpuProduct) === 0) {
        const known = MigProfile.profilesOf(t.gpuProduct).map(p => p.name);
        invalidProp(this, 'gpuSharing', `mig ${s.migProfile.name}`, `is not a MIG profile of ${t.name}'s ${t.gpuProduct.name} (${gibibytesOf0(t.gpuProduct.memory)} GiB)`,
          known.length > 0 ? `use one of ${known.join(', ')}, or drop ${t.name}` : `drop ${t.name} (no MIG), or use GpuSharing.timeSlicing`);
      }
    }
  }

  private checkNodeClass(nc: NodeClassOptions): void {
    checkStruct(this, 'nodeClass', nc, 'give { role, subnetTags, securityGroupTags, amiAlias }');
    if ((nc.role === undefined) === (nc.instanceProfile === undefined)) {
      invalidProp(this, 'nodeClass.role', nc.role, 'and \'nodeClass.instanceProfile\' are exclusive and one is required',
        'give the node IAM role (Karpenter manages the instance profile) or an existing instance profile, not both');
    }
    if (nc.role !== undefined) checkText(this, 'nodeClass.role', nc.role, 'give the name of the nodes\' IAM role, e.g. "KarpenterNodeRole-ml"', 64);
    if (nc.instanceProfile !== undefined) {
      checkText(this, 'nodeClass.instanceProfile', nc.instanceProfile, 'give the name of an existing instance profile', 128);
    }
    const aliasFix = 'pin it, e.g. "al2023@v20251015": with "latest" every AMI release replaces the nodes as drift';
    checkText(this, 'nodeClass.amiAlias', nc.amiAlias, aliasFix, 30);
    const [family, version, ...rest] = nc.amiAlias.split('@');
    if (!family || !version || version === 'latest' || rest.length > 0) {
      invalidProp(this, 'nodeClass.amiAlias', nc.amiAlias, 'is not pinned to an AMI version', aliasFix);
    }
    checkOneOf(this, 'nodeClass.amiAlias', family, PINNABLE_AMI_FAMILIES,
      'use an EKS-optimized family that can be pinned, e.g. "al2023@v20251015" (Windows AMIs take only "latest")');
    for (const [prop, tags] of [['subnetTags', nc.subnetTags], ['securityGroupTags', nc.securityGroupTags]] as const) {
      const fix = 'give the tags that find them, e.g. { \'karpenter.sh/discovery\': \'my-cluster\' }';
      const map = checkStringMap(this, `nodeClass.${prop}`, tags, fix, 50);
      if (Object.keys(map).length === 0) invalidProp(this, `nodeClass.${prop}`, '{}', 'is empty', fix);
      // EC2 tags: keys of at most 128 characters, values of at most 256; Karpenter refuses empty ones.
      for (const [k, v] of Object.entries(map)) {
        if (k === '' || k.length > 128) invalidProp(this, `nodeClass.${prop}`, k, 'has a key that is empty or longer than 128 characters', fix);
        if (v === '' || v.length > 256) invalidProp(this, `nodeClass.${prop}.${k}`, v, 'is empty or longer than 256 characters', fix);
      }
    }
    requireInteger(this, 'nodeClass.metadataHopLimit', nc.metadataHopLimit ?? 1, 1, 64, 'use 1 (pods cannot reach IMDS) or 2 (they can)');
    checkKubeletSettings(this, 'nodeClass.kubelet', nc.kubelet);
    if (nc.rootVolumeSize !== undefined) {
      const fix = 'give whole GiB from 1 to 59,000 (EBS gp3), e.g. Size.gibibytes(200)';
      const size = checkSizeWithin(this, 'nodeClass.rootVolumeSize', nc.rootVolumeSize, fix, 1024, MAX_ROOT_VOLUME_GIBIBYTES * 1024);
      if (!Number.isInteger(size.toGibibytes({ rounding: SizeRoundingBehavior.NONE }))) {
        invalidProp(this, 'nodeClass.rootVolumeSize', size, 'must be a whole number of GiB', fix);
      }
    }
  }
}

/** The families of EKS-optimized AMIs that take a pinned version (Windows ones take only `latest`). */
const PINNABLE_AMI_FAMILIES = ['al2', 'al2023', 'bottlerocket'];
const MAX_ROOT_VOLUME_GIBIBYTES = 59_000;
const MAX_BUDGET_USD_PER_HOUR = 10_000_000;
const MAX_INSTANCE_VCPUS = 100_000;
const MAX_INSTANCE_GIBIBYTES = 1024 * 1024;
/** The largest limit written: above any account's quotas, and exact in a Kubernetes quantity. */
const MAX_LIMIT = 1_000_000_000;

/** With both capacity types: spot is tried first, on-demand when spot cannot be had (below the reserved pool's 100, when there is one). */
function poolWeight(capacityType: CapacityType, belowReserved: boolean): number {
  return capacityType === CapacityType.SPOT ? (belowReserved ? 50 : 100) : 10;
}

/** The instance labels (`karpenter.k8s.aws/instance-gpu-name`, ...) that a set of types gives its nodes. */
function labelsOf(types: InstanceType[]): Record<string, Set<string>> {
  const labels: Record<string, Set<string>> = {};
  for (const t of types) {
    for (const [key, value] of Object.entries(instanceTypeLabels(t))) (labels[key] ??= new Set()).add(value);
  }
  return labels;
}

function gibibytesOf0(s: Size): number {
  return s.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** Memory of an instance type in GiB, fractions kept. */
function gibibytesOf(t: InstanceType): number {
  return t.memory.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
}

function largestPerGpu(types: InstanceType[], units: (t: InstanceType) => number): number {
  return Math.max(...types.filter(t => t.gpus > 0).map(t => Math.ceil(units(t) / t.gpus)));
}

/** An instance type the pool writes into its requirements and prices its limits with: a whole, finite shape and a price. */
function checkInstanceType(where: Where, t: unknown, prop: string): InstanceType {
  const type = checkInstance(where, prop, t, InstanceType as any, 'give an InstanceType from a catalog or InstanceType.of') as InstanceType;
  if (!isDns1123Label(type.name.replace(/\./g, '-'))) invalidProp(where, 'instanceTypes', type.name, 'is not an instance type name', 'use EC2 names such as g5.xlarge');
  const fix = 'fix the catalog entry: whole vCPUs and GPUs, and a price of at least one micro-dollar per hour';
  checkWhole(where, `${prop}.vcpus`, type.vcpus, { max: MAX_INSTANCE_VCPUS }, fix);
  checkWhole(where, `${prop}.gpus`, type.gpus, { max: 64 }, fix);
  checkWhole(where, `${prop}.priceMicroUsdPerHour`, type.priceMicroUsdPerHour, { min: 1, max: Number.MAX_SAFE_INTEGER }, fix);
  checkSizeWithin(where, `${prop}.memory`, type.memory, fix, 1, MAX_INSTANCE_GIBIBYTES * 1024);
  return type;
}
