import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { kedaBindings, monitoringBindings } from './internal/bindings';
import { describeValue, invalidProp, requireInteger } from '../common/errors';
import {
  checkDns1035Label, checkDns1123Label, checkImage, checkInstance, checkLabels, checkList, checkOptionalBoolean, checkOptionalDuration,
  checkOptionalInstance, checkPinnedImage,
  checkPortName, checkStruct, typeName,
} from '../common/validate';
import { horizontalAutoscalerOf, registerHorizontal } from './internal/autoscaler-registry';
import { footprintOfJson } from './internal/footprint';
import { createTriggerAuthentication } from './internal/keda';
import {
  checkModelServer, createModelServerDeployment, createModelServerService, METRICS_PORT_NAME, PROGRESS_MARGIN_SECONDS, resolveModelServer,
  serverEstimate, serviceNameFix, startupBudgetSeconds,
} from './internal/model-server';
import { builtFootprint } from './internal/pod';
import { PrometheusAdapterConfig } from './prometheus-adapter-config';
import { PrometheusSelector } from './prometheus-selector';
import { LWS_API_VERSION, LWS_KIND, LWS_NAME_LABEL, lwsLeaderLabels } from '../common/leader-worker-set';
import { LABEL_APP_INSTANCE } from '../common/names';
import { MetricScope, PromRule } from '../common/prometheus';
import { durationText } from '../common/quantity';
import { LIBRARY_ROLLING_UPDATE, surgeOf } from '../common/rollout';
import { ScalingBehavior } from '../planning/scaling-behavior';
import { ServerContext } from '../values/exporters/server-context';
import { IInferencePoolBackend, InferencePoolBackend } from '../values/inference-pool-backend';
import { ModelServerProps } from '../values/model-server';
import { ModelServerKind } from '../values/model-server-kind';
import { ScalingEngine } from '../values/scaling-engine';
import { ScalingMetric, ScalingMetricSource } from '../values/scaling-metric';
import { TriggerCredentials } from '../values/trigger-credentials';
import { IWorkloadFootprintProvider, ScalingOwner, WorkloadFootprint } from '../values/workload-footprint';

/** Monitoring of an autoscaled service. */
export interface ScalingMonitoringOptions {
  /**
   * Labels the ServiceMonitor/PodMonitor and PrometheusRule carry, so that your Prometheus selects them
   * (e.g. `{ release: 'kube-prometheus-stack' }`), merged over the app's `PrometheusSelector` labels key by key.
   * Prefer one PrometheusSelector for the app: then every rule and monitor carries them.
   * @default - the labels of the app's PrometheusSelector (none without one)
   */
  readonly prometheusSelectorLabels?: { [key: string]: string };
  /**
   * How often Prometheus scrapes the model server: whole seconds, from 1 second to 1 hour.
   * @default Duration.seconds(15)
   */
  readonly scrapeInterval?: Duration;
  /**
   * How long the service may sit at its maximum replicas before an alert fires (whole seconds, at most 30 days).
   * @default Duration.minutes(15)
   */
  readonly atMaxReplicasFor?: Duration;
  /**
   * How long a scaling metric may be missing before an alert fires (whole seconds, at most 30 days).
   * @default Duration.minutes(5)
   */
  readonly metricAbsentFor?: Duration;
}

/** Properties of an InferenceAutoscaler. */
export interface InferenceAutoscalerProps {
  /**
   * A model server to create a Deployment and Service for. Give this or `target`.
   * @default - use `target`
   */
  readonly modelServer?: ModelServerProps;
  /**
   * An existing Deployment, StatefulSet or LeaderWorkerSet (`leaderworkerset.x-k8s.io/v1`) to scale, as its `ApiObject`
   * (`ApiObject.of(deployment)` for a cdk8s-plus workload of any version). Give this or `modelServer`. It must not carry
   * another autoscaler, nor `spec.replicas`: a cdk8s-plus workload is told to leave replicas out (`markHasAutoscaler()`),
   * any other object that sets them is refused. Its pod template is read as it stands when the autoscaler is created.
   * A LeaderWorkerSet is scaled by groups on its `/scale` subresource, whose selector is its leader pods: the metrics
   * are read from the leaders only (its leader template, or its worker template without one, is the one read), and
   * the PodDisruptionBudget covers every pod of it, so a drain takes one group down at a time.
   * @default - use `modelServer`
   */
  readonly target?: ApiObject;
  /**
   * The Service in front of `target`, as its `ApiObject`: metrics are scraped through it (ServiceMonitor).
   * Without it, the pods are scraped directly (PodMonitor) on the container port named `metricsPort`.
   * @default - a PodMonitor
   */
  readonly targetService?: ApiObject;
  /**
   * Accept containers of `target` whose image has no tag and no digest, or the tag `latest`: nodes then pull whatever
   * it points to when a pod starts. A known server's image must name its release all the same, since the metric names
   * depend on it. Only with `target` (a created server's is `modelServer.allowUnpinnedImage`).
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * Name of the port that serves metrics: a container port of the target (PodMonitor), a port of `targetService`
   * (ServiceMonitor), or a port of the created server (`http`, or `metrics` for a server whose metrics have a port of their own).
   * @default 'http' ('metrics' for a created server whose metrics have a port of their own, e.g. Triton)
   */
  readonly metricsPort?: string;
  /**
   * Base name of the objects created (Deployment, Service, HPA, ...). A DNS-1123 label; with `modelServer` a DNS-1035
   * label (starting with a letter), as the created Service takes it.
   * @default - generated from the construct path
   */
  readonly name?: string;
  /** The most replicas the service may reach. */
  readonly maxReplicas: number;
  /**
   * The fewest replicas. Below 2 (3 with `ScalingBehavior.realTime()`) requires `allowSingleReplica`
   * or a real-time preset override, because one pod is one node drain away from an outage.
   * @default - 3 with the real-time behavior, 2 otherwise
   */
  readonly minReplicas?: number;
  /**
   * Accept fewer replicas than the availability default (e.g. a dev environment).
   * @default false
   */
  readonly allowSingleReplica?: boolean;
  /**
   * What to scale on; several metrics at once: the HPA takes the largest recommendation. Presets that read the model
   * server's metrics resolve against its kind (`ModelServerProps.kind`, or the target's image): a metric the server does
   * not export is an error. At most 32.
   */
  readonly metrics: ScalingMetric[];
  /**
   * How fast to scale in each direction. With KEDA it becomes the behavior of the HPA KEDA manages.
   * @default ScalingBehavior.standard()
   */
  readonly behavior?: ScalingBehavior;
  /**
   * The autoscaler: a plain HPA, or a KEDA ScaledObject (never both for one target).
   * @default ScalingEngine.hpa()
   */
  readonly engine?: ScalingEngine;
  /**
   * Create a PodDisruptionBudget that lets drains take one pod at a time.
   * @default true
   */
  readonly podDisruptionBudget?: boolean;
  /**
   * Monitoring settings.
   * @default - ServiceMonitor at 15 s, the app's PrometheusSelector labels, standard alert delays
   */
  readonly monitoring?: ScalingMonitoringOptions;
  /**
   * The app-wide prometheus-adapter configuration that serves the custom metrics (HPA engine only:
   * KEDA queries Prometheus itself).
   * @default PrometheusAdapterConfig.of(this)
   */
  readonly adapterConfig?: PrometheusAdapterConfig;
}

/** Kinds of workload a target may be. */
const TARGET_KINDS = ['Deployment', 'StatefulSet', LWS_KIND];

/** The pod template of a target: a LeaderWorkerSet's leader template (its worker template without one), else `spec.template`. */
function templateOf(json: any): any {
  if (json?.kind === LWS_KIND) {
    const t = json.spec?.leaderWorkerTemplate;
    return t?.leaderTemplate ?? t?.workerTemplate;
  }
  return json?.spec?.template;
}

/**
 * A real-time inference service, scaled horizontally by an `autoscaling/v2` HorizontalPodAutoscaler on
 * several metrics at once, with the whole metrics pipeline it needs.
 *
 * It creates (or takes) the Deployment, and adds: the HPA (the Deployment carries no `spec.replicas`,
 * so deploys never fight the autoscaler), a PodDisruptionBudget, spreading over zones and nodes, a
 * ServiceMonitor (or PodMonitor) at 15 s, a PrometheusRule with the recording rules that give each
 * custom metric one series per pod and alerts for a service pinned at its maximum or a metric gone
 * missing, and the prometheus-adapter rules that serve the metrics to the HPA.
 *
 * Cluster components it relies on: the Prometheus operator (ServiceMonitor, PrometheusRule),
 * prometheus-adapter (custom and external metrics), metrics-server (CPU and memory), dcgm-exporter
 * (GPU utilization) and kube-state-metrics (the alerts).
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 * @example
 * new InferenceAutoscaler(chart, 'chat', {
 *   modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
 *   maxReplicas: 20,
 *   metrics: [ScalingMetric.vllmWaitingRequests(5), ScalingMetric.gpuUtilization(70)],
 *   behavior: ScalingBehavior.realTime(),
 * });
 */
export class InferenceAutoscaler extends Construct implements IWorkloadFootprintProvider, IInferencePoolBackend {
  /** The object that owns the replica count: the HPA or the ScaledObject (id `Resource`). */
  public readonly scaler: ApiObject;
  /**
   * The HorizontalPodAutoscaler.
   * @default - none with the KEDA engine (KEDA creates and owns its HPA)
   */
  public readonly hpa?: ApiObject;
  /**
   * The KEDA ScaledObject.
   * @default - none with the HPA engine
   */
  public readonly scaledObject?: ApiObject;
  /** TriggerAuthentications the KEDA triggers use, one per distinct credentials. */
  public readonly triggerAuthentications: ApiObject[] = [];
  /** The engine in force. */
  public readonly engine: ScalingEngine;
  /** The scaled workload: the created Deployment (id `Resource` of the construct `Deployment`), or the given target. */
  public readonly deployment: ApiObject;
  /**
   * The Service in front of the workload.
   * @default - none for a target without `targetService`
   */
  public readonly service?: ApiObject;
  /**
   * The PodDisruptionBudget.
   * @default - none when `podDisruptionBudget` is false
   */
  public readonly podDisruptionBudget?: ApiObject;
  /** The ServiceMonitor or PodMonitor. */
  public readonly monitor: ApiObject;
  /** The PrometheusRule with the recording and alert rules. */
  public readonly rules: ApiObject;
  /** The fewest replicas. */
  public readonly minReplicas: number;
  /** The most replicas. */
  public readonly maxReplicas: number;
  /** The behavior in force. */
  public readonly behavior: ScalingBehavior;
  /** Size, placement and ownership of the scaled workload, for app-wide checks. */
  public readonly footprint: WorkloadFootprint;

  /**
   * The labels the created model server's pods carry and its selector matches (none for a given target).
   * @internal
   */
  public readonly _modelServerPodLabels?: { [key: string]: string };

  private metrics: ScalingMetric[];
  private readonly backend: () => InferencePoolBackend;

  public constructor(scope: Construct, id: string, props: InferenceAutoscalerProps) {
    super(scope, id);
    checkInputs(this, props);
    this.behavior = props.behavior ?? ScalingBehavior.standard();
    this.engine = props.engine ?? ScalingEngine.hpa();
    this.metrics = props.metrics;
    this.minReplicas = props.minReplicas ?? this.behavior.recommendedMinReplicas;
    this.maxReplicas = props.maxReplicas;
    this.checkProps(props);

    const scalesOnResources = this.metrics.filter(m => m.source === ScalingMetricSource.RESOURCE).map(m => m.metricName);
    let selector: any;
    // The pods the PodDisruptionBudget covers: the selected pods, or every pod of a LeaderWorkerSet.
    let pdbSelector: any;
    let footprintOf: (owner: ScalingOwner) => WorkloadFootprint;
    let serverContext: ServerContext;
    if (props.modelServer) {
      const resolved = resolveModelServer(props.modelServer);
      const server = createModelServerDeployment(this, props.name, props.modelServer);
      this.deployment = server.deployment;
      // The ServiceMonitor finds the Service by its label.
      this.service = createModelServerService(server, props.name, resolved.port, resolved.metricsPort);
      selector = { matchLabels: server.matchLabels };
      pdbSelector = selector;
      this._modelServerPodLabels = { ...server.matchLabels };
      serverContext = { kind: resolved.kind, image: props.modelServer.image, hasGpu: props.modelServer.gpu !== undefined };
      const labels = { ...server.matchLabels };
      this.backend = () => this.backendOf(labels, resolved.port, resolved.kind);
      const estimate = serverEstimate(this, 'modelServer', props.modelServer);
      footprintOf = scalingOwner => ({
        ...builtFootprint(server.deployment, server.pod,
          { minReplicas: this.minReplicas, maxReplicas: this.maxReplicas, surgeReplicas: surgeOf(LIBRARY_ROLLING_UPDATE, this.maxReplicas) },
          scalingOwner),
        ...(estimate !== undefined ? { startupEstimate: estimate } : {}),
      });
    } else {
      this.deployment = props.target!;
      this.service = props.targetService;
      const json = this.adoptTarget(this.deployment);
      if (json.kind === LWS_KIND) {
        // The /scale subresource's selector (status.hpaPodSelector): the leaders, which serve and export the metrics.
        selector = { matchLabels: lwsLeaderLabels(this.deployment.name) };
        pdbSelector = { matchLabels: { [LWS_NAME_LABEL]: this.deployment.name } };
      } else {
        selector = json.spec?.selector ?? {};
        pdbSelector = selector;
      }
      serverContext = this.targetServer(json, props.allowUnpinnedImage);
      const kind = serverContext.kind;
      this.backend = () => this.targetBackend(json, kind);
      this.checkTargetMetricsPort(json, props);
      const groupSize = json.kind === LWS_KIND ? json.spec?.leaderWorkerTemplate?.size ?? 1 : 1;
      footprintOf = scalingOwner => {
        const f = footprintOfJson(json, j => (j.kind === LWS_KIND ? j.spec?.leaderWorkerTemplate?.workerTemplate : templateOf(j)),
          this.minReplicas, this.maxReplicas, scalingOwner);
        return typeof groupSize === 'number' && groupSize > 1 ? { ...f, groupSize } : f;
      };
    }
    // Presets that read the server's metrics get the server's names for them; what it does not export fails here.
    this.metrics = this.metrics.map((m, i) => m._resolve(this, `metrics[${i}]`, serverContext));
    registerHorizontal(this, this.deployment, scalesOnResources);
    const targetName = this.deployment.name;
    const namespace = this.deployment.metadata.namespace ?? Chart.of(this).namespace;

    // Pods of a Deployment are <name>-<ReplicaSet hash>-<suffix>; of a StatefulSet, <name>-<ordinal>; a LeaderWorkerSet's
    // leaders are <name>-<group> (its workers, <name>-<group>-<worker>, export no serving metrics).
    const ordinal = this.deployment.kind === 'StatefulSet' || this.deployment.kind === LWS_KIND;
    const podPattern = ordinal ? `${targetName}-[0-9]+` : `${targetName}-[a-z0-9]+-[a-z0-9]+`;
    const scopeOfMetrics: MetricScope = { target: targetName, namespace, podPattern };
    const scaleTargetRef = { apiVersion: this.deployment.apiVersion, kind: this.deployment.kind, name: targetName };
    if (this.engine.isKeda) {
      this.scaledObject = this.createScaledObject(props, scaleTargetRef, scopeOfMetrics);
      this.scaler = this.scaledObject;
    } else {
      this.hpa = new ApiObject(this, 'Resource', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: metadataOf(props.name),
        spec: {
          scaleTargetRef,
          minReplicas: this.minReplicas,
          maxReplicas: this.maxReplicas,
          metrics: this.metrics.map(m => m._hpaMetric()),
          behavior: this.behavior.toJson(),
        },
      });
      this.scaler = this.hpa;
    }

    if (props.podDisruptionBudget ?? true) {
      this.podDisruptionBudget = new ApiObject(this, 'DisruptionBudget', {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: metadataOf(props.name),
        spec: {
          maxUnavailable: 1,
          selector: pdbSelector,
          // A pod stuck unready (e.g. still loading) must not block a node drain.
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    const monitoring = props.monitoring ?? {};
    const labels = monitoring.prometheusSelectorLabels;
    this.monitor = this.createMonitor(props, targetName, selector, labels, monitoring.scrapeInterval ?? Duration.seconds(15));
    const mon = monitoringBindings();
    this.rules = new mon.PrometheusRule(this, 'Rules', {
      metadata: metadataOf(props.name, labels),
      spec: {
        groups: [{
          name: `scaling.${targetName}`,
          interval: '15s',
          rules: this.prometheusRules(scopeOfMetrics, monitoring)
            .map(r => ({ ...r, expr: mon.PrometheusRuleSpecGroupsRulesExpr.fromString(r.expr) })),
        }],
      },
    });
    // The app's selector labels, decided at synth, under this construct's own.
    PrometheusSelector._label(this.monitor, labels);
    PrometheusSelector._label(this.rules, labels);

    if (!this.engine.isKeda) {
      const adapter = props.adapterConfig ?? PrometheusAdapterConfig.of(this);
      for (const m of this.metrics) adapter.addMetric(m);
    }
    // The shortest lead time of the predictive plans whose windows this autoscaler holds (ScalingMetric.predictedWindows).
    const leads = this.metrics.map(m => m._predictiveLeadTime).filter((d): d is Duration => d !== undefined);
    const lead = leads.length === 0 ? undefined : leads.reduce((a, b) => (b.toSeconds() < a.toSeconds() ? b : a));
    this.footprint = footprintOf({
      kind: this.scaler.kind, name: this.scaler.name, scalesOnResources, ...(lead ? { predictiveLeadTime: lead } : {}),
    });
  }

  /** The metrics in force, resolved against the server (for the checks of other constructs of the app). @internal */
  public get _metrics(): ScalingMetric[] {
    return [...this.metrics];
  }

  /**
   * The pods of the scaled workload as an InferencePool sees them: the workload's selector labels, the server's port and
   * kind. With `target`, the port is the known server container's port named `http` (or its only port); a target whose
   * selector has `matchExpressions`, or whose serving port cannot be told, is an error when a pool reads it.
   */
  public get inferencePoolBackend(): InferencePoolBackend {
    return this.backend();
  }

  private backendOf(labels: { [key: string]: string }, port: number, kind: ModelServerKind): InferencePoolBackend {
    const namespace = this.deployment.metadata.namespace ?? Chart.of(this).namespace;
    return {
      servingPodLabels: { ...labels },
      servingPort: port,
      modelServerKind: kind,
      ...(namespace !== undefined ? { namespace } : {}),
      description: `${this.deployment.kind} '${this.deployment.name}'`,
    };
  }

  private targetBackend(json: any, kind: ModelServerKind): InferencePoolBackend {
    const selector = json.spec?.selector ?? {};
    const fix = 'give the workload a selector of matchLabels only (an InferencePool selects by labels), or put the pool over another backend';
    if (listOf(selector.matchExpressions).length > 0) {
      invalidProp(this, 'target', this.deployment.name, 'has a selector with matchExpressions, and an InferencePool selects pods by matchLabels only', fix);
    }
    const labels = selector.matchLabels ?? {};
    if (Object.keys(labels).length === 0) invalidProp(this, 'target', this.deployment.name, 'has no selector matchLabels to select its pods by', fix);
    const containers: any[] = listOf(json.spec?.template?.spec?.containers);
    const known = containers.find(c => typeof c?.image === 'string' && !ModelServerKind.fromImage(c.image).isGeneric);
    const candidates = (known ? [known] : containers).flatMap((c: any) => listOf(c?.ports));
    const port = candidates.find((p: any) => p?.name === METRICS_PORT_NAME) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (typeof port?.containerPort !== 'number') {
      invalidProp(this, 'target', this.deployment.name, `has no container port named '${METRICS_PORT_NAME}' (nor a single port) that tells the model server's port`,
        `name the port the model server listens on '${METRICS_PORT_NAME}'`);
    }
    return this.backendOf(labels, port.containerPort, kind);
  }

  /**
   * Takes a given workload over: tells a cdk8s-plus workload to leave `spec.replicas` out, refuses any other that
   * sets them, and reads its JSON (once).
   */
  private adoptTarget(target: ApiObject): any {
    const owner = target.node.scope as any;
    const noContainers = 'has no containers in its pod template (spec.template.spec.containers), so there is nothing to scale or scrape';
    const addContainers = 'give the workload its containers before the autoscaler takes it (a cdk8s-plus workload: addContainer)';
    if (Array.isArray(owner?.containers) && owner.containers.length === 0) invalidProp(this, 'target', target.name, noContainers, addContainers);
    if (typeof owner?.markHasAutoscaler === 'function') owner.markHasAutoscaler();
    const json = target.toJson();
    const lws = json.kind === LWS_KIND;
    const apiVersion = lws ? LWS_API_VERSION : 'apps/v1';
    if (json.apiVersion !== apiVersion) {
      invalidProp(this, 'target', target.name, `has apiVersion '${json.apiVersion}', not '${apiVersion}'`,
        lws ? `give a ${LWS_API_VERSION} LeaderWorkerSet` : 'give an apps/v1 Deployment or StatefulSet');
    }
    const containers = templateOf(json)?.spec?.containers;
    if (containers !== undefined && containers !== null && !Array.isArray(containers)) {
      invalidProp(this, 'target', target.name, `has pod template containers that are ${typeName(containers)}, not a list`, 'write the containers as a list');
    }
    if (!Array.isArray(containers) || containers.length === 0) invalidProp(this, 'target', target.name, noContainers, addContainers);
    containers.forEach((c: any, i: number) => {
      if (typeof c?.image !== 'string' || c.image === '') {
        invalidProp(this, 'target', target.name, `has container ${i} (${describeValue(c?.name)}) without an image`, 'give every container its image');
      }
    });
    if (!lws && !json.spec?.selector) {
      invalidProp(this, 'target', target.name, 'has no spec.selector, by which the PodDisruptionBudget and the PodMonitor would find its pods',
        'give the workload a selector that matches its pod template\'s labels (apps/v1 requires one)');
    }
    const replicas = json.spec?.replicas;
    if (replicas !== undefined && replicas !== null) {
      invalidProp(this, 'target', target.name, `sets spec.replicas (${replicas}), which the autoscaler owns: every apply would reset the replica count`,
        'leave replicas out of the workload (an ApiObject: addJsonPatch(JsonPatch.remove(\'/spec/replicas\')))');
    }
    return json;
  }

  /** The port the monitor scrapes must be a named port of the target's containers (PodMonitor) or of its Service (ServiceMonitor). */
  private checkTargetMetricsPort(json: any, props: InferenceAutoscalerProps): void {
    const port = props.metricsPort ?? METRICS_PORT_NAME;
    const prop = 'metricsPort';
    if (props.targetService) {
      const svc = props.targetService.toJson();
      if (svc.kind !== 'Service') {
        invalidProp(this, 'targetService', props.targetService.name, `is a ${svc.kind}, not a Service`, 'give the ApiObject of the Service in front of the target');
      }
      const names: string[] = listOf(svc.spec?.ports).map((p: any) => p?.name).filter((n: unknown) => typeof n === 'string');
      if (!names.includes(port)) {
        invalidProp(this, prop, port, `is not a port name of the Service '${props.targetService.name}' (${names.length ? names.join(', ') : 'it has no named ports'}): ` +
          'the ServiceMonitor would scrape nothing', 'set metricsPort to the name of the Service port that serves metrics');
      }
      return;
    }
    const names: string[] = listOf(templateOf(json)?.spec?.containers).flatMap((c: any) => listOf(c?.ports).map((p: any) => p?.name))
      .filter((n: unknown) => typeof n === 'string');
    if (!names.includes(port)) {
      invalidProp(this, prop, port, `is not a container port name of the target '${this.deployment.name}' (${names.length ? names.join(', ') : 'it has no named ports'}): ` +
        'the PodMonitor would scrape nothing', 'set metricsPort to the name of the container port that serves metrics, or name that port');
    }
  }

  /**
   * What the target runs, from its pod template: the kind of the first container whose image is a known server
   * (generic otherwise), its image checked against the catalog, and whether it requests GPUs. A Deployment's progress
   * deadline must outlast its startup probes.
   */
  private targetServer(json: any, allowUnpinnedImage: boolean | undefined): ServerContext {
    const containers: any[] = templateOf(json)?.spec?.containers ?? [];
    // The target's own images, named as the target's fields, before any is read as a model server's.
    containers.forEach((c, i) => checkImage(this, `target.spec.template.spec.containers[${i}].image`, c.image));
    const known = containers.find(c => typeof c.image === 'string' && !ModelServerKind.fromImage(c.image).isGeneric);
    const kind = known ? ModelServerKind.fromImage(known.image) : ModelServerKind.generic();
    // The known server's release check refuses an unpinned image itself; every other container must be pinned.
    if (known) kind._checkImage(this, 'target', known.image);
    containers.forEach((c, i) => {
      if (c !== known) checkPinnedImage(this, `target.spec.template.spec.containers[${i}].image`, c.image, allowUnpinnedImage, 'allowUnpinnedImage');
    });
    const hasGpu = containers.some(c => [c.resources?.limits, c.resources?.requests]
      .some(r => r && Object.keys(r).some(k => /(^|\/)gpu$/.test(k))));
    if (json.kind === 'Deployment') {
      const deadline = json.spec?.progressDeadlineSeconds ?? 600;
      const slowest = containers.map(c => ({ name: c.name, budget: startupBudgetSeconds(c.startupProbe) }))
        .reduce((a, b) => (b.budget > a.budget ? b : a), { name: '', budget: 0 });
      // The deployment controller fails a rollout that shows no progress for progressDeadlineSeconds
      // (k8s@v1.28.0 pkg/controller/deployment/util/deployment_util.go:738-774), default 600 (pkg/apis/apps/v1/defaults.go:69-71).
      if (slowest.budget > 0 && deadline <= slowest.budget) {
        invalidProp(this, 'target', this.deployment.name,
          `has progressDeadlineSeconds ${deadline}${json.spec?.progressDeadlineSeconds === undefined ? ' (the default when unset)' : ''}, ` +
          `not longer than the ${slowest.budget} s its startup probe allows container '${slowest.name}' to start: ` +
          'every rollout slower than the deadline is marked ProgressDeadlineExceeded and `kubectl rollout status` fails',
          `set spec.progressDeadlineSeconds above ${slowest.budget}, e.g. ${slowest.budget + PROGRESS_MARGIN_SECONDS}`);
      }
    }
    return { kind, image: known?.image ?? containers[0]?.image, hasGpu };
  }

  private checkProps(props: InferenceAutoscalerProps): void {
    if (props.target && !TARGET_KINDS.includes(props.target.kind)) {
      invalidProp(this, 'target', props.target.name, `is a ${props.target.kind}, not a Deployment, StatefulSet or LeaderWorkerSet`,
        'give the ApiObject of the Deployment, StatefulSet or LeaderWorkerSet to scale, e.g. ApiObject.of(deployment)');
    }
    // cdk8s-plus workloads know when one of their own autoscalers (or another library's) took them over.
    if (props.target && (horizontalAutoscalerOf(props.target) !== undefined || (props.target.node.scope as any)?.hasAutoscaler === true)) {
      invalidProp(this, 'target', props.target.name, 'already has an autoscaler',
        'a workload takes one horizontal autoscaler: remove the other HPA/ScaledObject or scale a different Deployment');
    }
    if (props.targetService && !props.target) {
      invalidProp(this, 'targetService', props.targetService.name, 'only applies with \'target\'', 'remove it: a created model server gets its own Service');
    }
    if (checkOptionalBoolean(this, 'allowUnpinnedImage', props.allowUnpinnedImage) !== undefined && !props.target) {
      invalidProp(this, 'allowUnpinnedImage', props.allowUnpinnedImage, 'only applies with \'target\'',
        'set modelServer.allowUnpinnedImage for a created model server');
    }
    requireInteger(this, 'maxReplicas', this.maxReplicas, 1, 10_000, 'set the most replicas the service may reach');
    requireInteger(this, 'minReplicas', this.minReplicas, 1, 10_000,
      'set at least 1 (an HPA cannot scale to zero; use the KEDA engine for that)');
    if (this.minReplicas > this.maxReplicas) {
      invalidProp(this, 'maxReplicas', this.maxReplicas, `is below 'minReplicas' (${this.minReplicas})`, 'raise maxReplicas or lower minReplicas');
    }
    const recommended = this.behavior.recommendedMinReplicas;
    if (this.minReplicas < recommended && !props.allowSingleReplica) {
      invalidProp(this, 'minReplicas', this.minReplicas,
        `is below ${recommended}, the fewest replicas the ${this.behavior.name} behavior keeps for availability`,
        `raise minReplicas to ${recommended}, or set allowSingleReplica: true to accept the risk`);
    }
    if (this.metrics.length === 0) {
      invalidProp(this, 'metrics', [], 'is empty', 'give at least one ScalingMetric, e.g. ScalingMetric.requestsPerSecond(10)');
    }
    const seen = new Map<string, number>();
    this.metrics.forEach((m, i) => {
      m._validate(this, `metrics[${i}]`);
      const key = `${m.source}/${m.metricName}`;
      const sameName = this.metrics.findIndex(o => o.triggerName === m.triggerName);
      if (m.source === ScalingMetricSource.SCHEDULE && sameName < i) {
        invalidProp(this, `metrics[${i}]`, m.description, `has the same trigger name '${m.triggerName}' as metrics[${sameName}]`,
          'give each cron window its own name with the \'name\' option: KEDA requires distinct trigger names');
      }
      if (seen.has(key)) {
        invalidProp(this, `metrics[${i}]`, m.description, `serves the same metric '${m.metricName}' as metrics[${seen.get(key)}]`,
          'keep one of them: an HPA reads each metric once');
      }
      seen.set(key, i);
    });
    const recorded = new Set(this.metrics.map(m => m.recordingRule));
    this.metrics.forEach((m, i) => {
      const from = m._derivedFrom;
      if (from && !recorded.has(from)) {
        invalidProp(this, `metrics[${i}]`, m.description, `scales on ${m.recordingRule}, which is predicted from ${from}, and no metric records ${from}`,
          'add ScalingMetric.requestsPerSecond(...) to metrics (the prediction extrapolates its last 30 minutes), or remove this metric');
      }
    });
    this.behavior._validate(this, 'behavior');
    this.checkEngine();
    if (props.modelServer) {
      checkModelServer(this, 'modelServer', props.modelServer, { checkRelease: true });
      const resolved = resolveModelServer(props.modelServer);
      const ports = resolved.metricsPort === resolved.port ? [METRICS_PORT_NAME] : [METRICS_PORT_NAME, resolved.metricsPortName];
      if (props.metricsPort !== undefined && !ports.includes(props.metricsPort)) {
        invalidProp(this, 'metricsPort', props.metricsPort, `is not a port of the created model server (${ports.join(', ')})`,
          `leave metricsPort out (the server's metrics are scraped from '${resolved.metricsPortName}'), or set it to one of ${ports.join(', ')}`);
      }
    }
  }

  private checkEngine(): void {
    this.engine._validate(this, 'engine');
    if (!this.engine.isKeda) {
      this.metrics.forEach((m, i) => {
        if (m.needsKeda) {
          invalidProp(this, `metrics[${i}]`, m.description, 'needs the KEDA engine (an HPA cannot read it)',
            'set engine: ScalingEngine.keda(), or scale on an exporter\'s Prometheus series with ScalingMetric.external()');
        }
      });
      return;
    }
    const o = this.engine._options;
    if (o.fallback === true && !this.fallbackPossible()) {
      invalidProp(this, 'engine.fallback', true, 'cannot apply: KEDA has no fallback for CPU or memory triggers, and every metric is one',
        'add a load metric (requests, queue length) for the fallback to act on, or set fallback: false');
    }
    const composite = o.compositeMetric;
    if (composite && this.fallbackEnabled() && !Number.isInteger(composite.target)) {
      // KEDA reads a scaling-modifier target as a whole number when it decides whether a fallback applies.
      invalidProp(this, 'engine.compositeMetric.target', composite.target, 'must be a whole number when a fallback is set',
        'scale the formula so its target is a whole number, or set fallback: false');
    }
    if (o.fallbackReplicas !== undefined && o.fallbackReplicas > this.maxReplicas) {
      invalidProp(this, 'engine.fallbackReplicas', o.fallbackReplicas, `is above 'maxReplicas' (${this.maxReplicas})`, 'lower fallbackReplicas or raise maxReplicas');
    }
    if (o.scaleToZero && this.metrics.every(m => m.source === ScalingMetricSource.RESOURCE)) {
      invalidProp(this, 'engine.scaleToZero', true, 'needs a trigger that is not CPU or memory: with no pods there is no CPU to measure, so nothing would wake the service',
        'add a load metric (requests, queue length) or a cron window, or remove scaleToZero');
    }
    const formula = o.compositeMetric?.formula;
    if (formula) {
      const names = new Set(this.metrics.map(m => m.triggerName));
      // Identifiers not followed by '(' are trigger names; the rest are expr-lang functions.
      const unknown = [...formula.matchAll(/\b([a-zA-Z_][a-zA-Z0-9_]*)\b(?!\s*\()/g)].map(x => x[1]).filter(n => !names.has(n));
      if (unknown.length > 0) {
        invalidProp(this, 'engine.compositeMetric.formula', formula, `refers to ${unknown.map(n => `'${n}'`).join(', ')}, which no metric names`,
          `use the triggers' names: ${[...names].join(', ')}`);
      }
    }
  }

  /** KEDA applies a fallback to triggers other than CPU and memory: it needs at least one. */
  private fallbackPossible(): boolean {
    return this.metrics.some(m => m.source !== ScalingMetricSource.RESOURCE);
  }

  private fallbackEnabled(): boolean {
    return this.engine.isKeda && (this.engine._options.fallback ?? this.fallbackPossible());
  }

  private createScaledObject(props: InferenceAutoscalerProps, scaleTargetRef: { apiVersion: string; kind: string; name: string },
    scope: MetricScope): ApiObject {
    const keda = kedaBindings();
    const o = this.engine._options;
    const server = o.prometheusServerAddress ?? 'http://prometheus-operated.monitoring.svc:9090';
    const authNames = new Map<TriggerCredentials, string>();
    const triggers = this.metrics.map(m => {
      const credentials = m._credentials;
      if (credentials && !authNames.has(credentials)) {
        const auth = createTriggerAuthentication(this, `TriggerAuthentication${authNames.size === 0 ? '' : authNames.size + 1}`, credentials);
        this.triggerAuthentications.push(auth);
        authNames.set(credentials, auth.name);
      }
      return m._kedaTrigger(scope, server, credentials && authNames.get(credentials));
    });
    const fallback = this.fallbackEnabled();
    const composite = o.compositeMetric;
    return new keda.ScaledObject(this, 'Resource', {
      metadata: metadataOf(props.name),
      spec: {
        scaleTargetRef,
        pollingInterval: o.pollingInterval?.toSeconds() ?? 15,
        // Idle at zero, woken to minReplicas: an active service keeps its redundancy.
        ...(o.scaleToZero ? { idleReplicaCount: 0, cooldownPeriod: o.cooldownPeriod?.toSeconds() ?? 300 } : {}),
        minReplicaCount: this.minReplicas,
        maxReplicaCount: this.maxReplicas,
        // currentReplicasIfHigher: a failing metric at peak must not scale a busy service down to a fixed count.
        fallback: fallback
          ? {
            failureThreshold: o.fallbackFailureThreshold ?? 3,
            replicas: o.fallbackReplicas ?? this.minReplicas,
            behavior: keda.ScaledObjectSpecFallbackBehavior.CURRENT_REPLICAS_IF_HIGHER,
          }
          : undefined,
        advanced: {
          horizontalPodAutoscalerConfig: { behavior: this.behavior.toJson() },
          scalingModifiers: composite ? {
            formula: composite.formula,
            target: String(composite.target),
            activationTarget: composite.activationTarget !== undefined ? String(composite.activationTarget) : undefined,
            metricType: keda.ScaledObjectSpecAdvancedScalingModifiersMetricType.AVERAGE_VALUE,
          } : undefined,
        },
        triggers,
      },
    });
  }

  private createMonitor(props: InferenceAutoscalerProps, targetName: string, podSelector: any,
    labels: Record<string, string> | undefined, interval: Duration): ApiObject {
    const mon = monitoringBindings();
    const server = props.modelServer ? resolveModelServer(props.modelServer) : undefined;
    const port = props.metricsPort ?? server?.metricsPortName ?? METRICS_PORT_NAME;
    const path = server?.metricsPath ?? '/metrics';
    // Every series scraped from the target carries scaling_target, which the recording rules select on.
    const relabelings = [{ action: 'replace', targetLabel: 'scaling_target', replacement: targetName }];
    const scrapeInterval = durationText(interval);
    if (this.service) {
      const serviceLabels: Record<string, string> = props.targetService
        ? this.service.metadata.toJson().labels ?? {}
        : { [LABEL_APP_INSTANCE]: targetName };
      if (Object.keys(serviceLabels).length === 0) {
        invalidProp(this, 'targetService', this.service.name, 'has no labels, and a ServiceMonitor selects Services by label',
          'add a label to the Service (e.g. app.kubernetes.io/instance), or leave targetService out to scrape the pods with a PodMonitor');
      }
      return new mon.ServiceMonitor(this, 'Monitor', {
        metadata: metadataOf(props.name, labels),
        spec: {
          selector: { matchLabels: serviceLabels },
          endpoints: [{ port, path, interval: scrapeInterval, relabelings: relabelings as any }],
        },
      });
    }
    return new mon.PodMonitor(this, 'Monitor', {
      metadata: metadataOf(props.name, labels),
      spec: {
        selector: podSelector,
        podMetricsEndpoints: [{ port, path, interval: scrapeInterval, relabelings: relabelings as any }],
      },
    });
  }

  private prometheusRules(scope: MetricScope, monitoring: ScalingMonitoringOptions): PromRule[] {
    const rules: PromRule[] = [];
    for (const m of this.metrics) {
      const r = m._recordingRule(scope);
      if (r) rules.push(r);
    }
    const target = `scaling_target="${scope.target}"`;
    if (rules.some(r => r.record === 'scaling:request_rate')) {
      // Five minutes ahead from the last 30: the dashboards' and predictive scaling's view of load.
      rules.push({ record: 'scaling:predicted_load', expr: `predict_linear(scaling:request_rate{${target}}[30m], 300)` });
    }
    // KEDA names the HPA it manages keda-hpa-<ScaledObject>.
    const hpaName = this.scaledObject ? `keda-hpa-${this.scaledObject.name}` : this.scaler.name;
    const hpa = [`horizontalpodautoscaler="${hpaName}"`, ...(scope.namespace ? [`namespace="${scope.namespace}"`] : [])].join(', ');
    const forMax = monitoring.atMaxReplicasFor ?? Duration.minutes(15);
    const forAbsent = monitoring.metricAbsentFor ?? Duration.minutes(5);
    const labels = { severity: 'warning', scaling_target: scope.target };
    rules.push({
      alert: 'ScalingAtMaxReplicas',
      expr: `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${hpa}}) >= ` +
        `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${hpa}})`,
      for: durationText(forMax),
      labels,
      annotations: {
        summary: `${scope.target} has run at its maximum of ${this.maxReplicas} replicas for ${durationText(forMax)}`,
        description: 'Load beyond this is not served at the target: raise maxReplicas (and the node pool limits) or add capacity per replica.',
      },
    });
    rules.push({
      alert: 'ScalingMetricsUnavailable',
      expr: `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_condition{${hpa}, condition="ScalingActive", status="false"}) == 1`,
      for: durationText(forAbsent),
      labels: { ...labels, severity: 'critical' },
      annotations: {
        summary: `The HPA of ${scope.target} cannot read its metrics and has stopped scaling`,
        description: 'Check prometheus-adapter, the recording rules and the scrape of the model server.',
      },
    });
    for (const m of this.metrics) {
      if (!m.recordingRule) continue;
      rules.push({
        alert: 'ScalingMetricAbsent',
        expr: `absent(${m.recordingRule}{${target}})`,
        for: durationText(forAbsent),
        labels: { ...labels, severity: 'critical', metric: m.recordingRule },
        annotations: {
          summary: `${m.recordingRule} has no series for ${scope.target}: its HPA cannot scale on ${m.description}`,
          description: 'The model server stopped exporting the metric, the scrape fails, or the metric was renamed upstream.',
        },
      });
    }
    if (this.scaledObject) rules.push(...this.kedaAlerts(scope, forAbsent));
    return rules;
  }

  private kedaAlerts(scope: MetricScope, forErrors: Duration): PromRule[] {
    const o = this.engine._options;
    const so = `scaledObject="${this.scaledObject!.name}"`;
    const labels = { severity: 'critical', scaling_target: scope.target };
    const alerts: PromRule[] = [{
      alert: 'KedaScalerErrors',
      expr: `sum by (scaledObject, scaler, metric) (rate(keda_scaler_detail_errors_total{${so}}[5m])) > 0`,
      for: durationText(forErrors),
      labels,
      annotations: {
        summary: `A KEDA trigger of ${scope.target} fails to read its source`,
        description: 'KEDA cannot read the metric (Prometheus, queue or credentials); scaling on it has stopped.',
      },
    }];
    if (this.fallbackEnabled()) {
      // KEDA exports no fallback metric (only a status condition): fire when the failed polls in a row reach the threshold.
      const threshold = o.fallbackFailureThreshold ?? 3;
      const window = Math.max(60, threshold * (o.pollingInterval?.toSeconds() ?? 15) + 30);
      alerts.push({
        alert: 'KedaFallbackActive',
        expr: `sum by (scaledObject) (increase(keda_scaled_object_errors_total{${so}}[${window}s])) >= ${threshold}`,
        labels,
        annotations: {
          summary: `${scope.target} runs on its KEDA fallback: metrics have failed ${threshold} polls in a row`,
          description: 'Replicas are held at the current count (or the fallback count, if higher) until the metrics return.',
        },
      });
    }
    return alerts;
  }
}

/**
 * Checks every prop's type and shape before any is read (a wrong JavaScript type is an error naming the prop, never a
 * TypeError), and that exactly one of `modelServer` and `target` is given.
 */
function checkInputs(scope: InferenceAutoscaler, props: InferenceAutoscalerProps): void {
  checkStruct(scope, 'props', props, 'give the props: modelServer (or target), maxReplicas and metrics');
  const choose = 'give \'modelServer\' to create a Deployment, or \'target\' to scale an existing one';
  if (props.modelServer !== undefined && props.target !== undefined) {
    invalidProp(scope, 'target', props.target instanceof ApiObject ? props.target.name : props.target, 'is given together with \'modelServer\'', `${choose}, not both`);
  }
  if (props.modelServer === undefined && props.target === undefined) {
    invalidProp(scope, 'modelServer', undefined, 'and \'target\' are both missing', choose);
  }
  if (props.modelServer !== undefined) {
    checkStruct(scope, 'modelServer', props.modelServer, 'give the model server\'s props, at least { image: \'registry/repository:tag\' }');
  }
  const objectFix = (what: string) => `give the ApiObject of the ${what}, e.g. ApiObject.of(${what === 'Service' ? 'service' : 'deployment'})`;
  checkOptionalInstance(scope, 'target', props.target, ApiObject, objectFix('Deployment or StatefulSet'));
  checkOptionalInstance(scope, 'targetService', props.targetService, ApiObject, objectFix('Service'));
  if (props.metricsPort !== undefined) checkPortName(scope, 'metricsPort', props.metricsPort, 'give the name of the container port that serves metrics, such as "http" or "metrics"');
  if (props.name !== undefined) {
    // The created Service takes the name, and a Service name is a DNS-1035 label (it starts with a letter).
    if (props.modelServer !== undefined) checkDns1035Label(scope, 'name', props.name, 63, serviceNameFix(props.name));
    else checkDns1123Label(scope, 'name', props.name);
  }
  requireInteger(scope, 'maxReplicas', props.maxReplicas, 1, 10_000, 'set the most replicas the service may reach');
  if (props.minReplicas !== undefined) {
    requireInteger(scope, 'minReplicas', props.minReplicas, 1, 10_000, 'set at least 1 (an HPA cannot scale to zero; use the KEDA engine for that)');
  }
  checkOptionalBoolean(scope, 'allowSingleReplica', props.allowSingleReplica);
  checkOptionalBoolean(scope, 'podDisruptionBudget', props.podDisruptionBudget);
  const metrics = checkList(scope, 'metrics', props.metrics, { max: 32 }, 'give a list of ScalingMetric, e.g. [ScalingMetric.requestsPerSecond(10)]');
  metrics.forEach((m, i) => checkInstance(scope, `metrics[${i}]`, m, ScalingMetric as any, 'make each metric with a ScalingMetric factory, e.g. ScalingMetric.cpuUtilization(70)'));
  checkOptionalInstance(scope, 'behavior', props.behavior, ScalingBehavior as any, 'use ScalingBehavior.standard(), realTime() or custom({...})');
  checkOptionalInstance(scope, 'engine', props.engine, ScalingEngine as any, 'use ScalingEngine.hpa() or ScalingEngine.keda({...})');
  checkOptionalInstance(scope, 'adapterConfig', props.adapterConfig, PrometheusAdapterConfig as any, 'give the app\'s PrometheusAdapterConfig, or leave it out');
  const monitoring = props.monitoring;
  if (monitoring !== undefined) {
    checkStruct(scope, 'monitoring', monitoring, 'give monitoring settings such as { scrapeInterval: Duration.seconds(15) }');
    if (monitoring.prometheusSelectorLabels !== undefined) checkLabels(scope, 'monitoring.prometheusSelectorLabels', monitoring.prometheusSelectorLabels);
    checkOptionalDuration(scope, 'monitoring.scrapeInterval', monitoring.scrapeInterval, { min: Duration.seconds(1), max: Duration.hours(1), wholeSeconds: true },
      'give whole seconds from 1 s to 1 h, e.g. Duration.seconds(15)');
    for (const key of ['atMaxReplicasFor', 'metricAbsentFor'] as const) {
      checkOptionalDuration(scope, `monitoring.${key}`, monitoring[key], { max: Duration.days(30), wholeSeconds: true }, 'give whole seconds up to 30 days, e.g. Duration.minutes(15)');
    }
  }
}

/** A list read from a user's object, or an empty one where the object has something else. */
function listOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

/** Metadata with the user's name, or none so that cdk8s generates one (an explicit undefined would suppress it). */
function metadataOf(name: string | undefined, labels?: Record<string, string>): { name?: string; labels?: Record<string, string> } {
  return { ...(name !== undefined ? { name } : {}), ...(labels ? { labels } : {}) };
}

