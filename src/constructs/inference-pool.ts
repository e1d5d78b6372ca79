import { ApiObject, Chart, Duration, Lazy, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { inferencePoolBindings, monitoringBindings } from './internal/bindings';
import { builtFootprint, hardenedPod, recordPod } from './internal/pod';
import { PrometheusSelector } from './prometheus-selector';
import { invalidProp } from '../common/errors';
import { LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from '../common/names';
import { durationText } from '../common/quantity';
import {
  checkDns1035Label, checkDns1123Label, checkDns1123Subdomain, checkImage, checkLabels, checkOptionalBoolean, checkOptionalCpu, checkOptionalDuration,
  checkOptionalSize, checkOptionalWhole, checkPinnedImage, checkPort, checkStruct, checkText,
} from '../common/validate';
import type { InferencePoolSpecEndpointPickerRefFailureMode } from '../imports/inference.networking.k8s.io';
import { MetricsExporter } from '../values/exporter-catalog';
import { IInferencePoolBackend, InferencePoolBackend } from '../values/inference-pool-backend';
import { ModelServerKind } from '../values/model-server-kind';
import { ScalingMetric } from '../values/scaling-metric';
import { WorkloadFootprint } from '../values/workload-footprint';

/** What the gateway does with a request when the endpoint picker does not answer. */
export enum EndpointPickerFailureMode {
  /** Route the request to an endpoint of the pool anyway (the gateway's own load balancing). */
  FAIL_OPEN = 'FailOpen',
  /** Refuse the request. */
  FAIL_CLOSE = 'FailClose',
}

/** The endpoint picker the InferencePool deploys. */
export interface EndpointPickerOptions {
  /**
   * The picker's image. The Gateway API Inference Extension v1.6.0 points to llm-d-router for its endpoint picker; its
   * released Helm chart (llm-d-router-gateway v0.9.0) runs this image.
   * @default InferencePool.ENDPOINT_PICKER_IMAGE
   */
  readonly image?: string;
  /**
   * Pickers to run. With two or more, they elect a leader (`--ha-enable-leader-election`): only the leader is ready and
   * picks, the others take over within seconds when it goes.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * CPU of each picker, requested and limited. The chart requests 8 cores, validated at high request rates; a pool of
   * a few replicas needs far less.
   * @default Cpu.units(8)
   */
  readonly cpu?: Cpu;
  /**
   * Memory of each picker, requested and limited (the chart requests 8 GiB).
   * @default Size.gibibytes(8)
   */
  readonly memory?: Size;
  /**
   * Turn on the picker's flow control (`featureGates: [flowControl]`): requests queue in the gateway when the pool is
   * saturated, and the picker exports the pool's saturation (`ScalingMetric.inferencePoolSaturation`).
   * @default false
   */
  readonly flowControl?: boolean;
  /**
   * Accept an image without a tag or digest, or tagged `latest`.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * Labels the picker's ServiceMonitor carries so that your Prometheus selects it, merged over the app's
   * `PrometheusSelector` labels.
   * @default - the labels of the app's PrometheusSelector
   */
  readonly prometheusSelectorLabels?: { [key: string]: string };
  /**
   * How often Prometheus scrapes the picker: whole seconds from 1 second to 1 hour.
   * @default Duration.seconds(10)
   */
  readonly scrapeInterval?: Duration;
}

/** An endpoint picker that runs already (a shared one, or one deployed by its Helm chart), by its Service. */
export interface EndpointPickerReference {
  /** The picker's Service, in the pool's namespace. */
  readonly serviceName: string;
  /**
   * The Service port of the picker's ext-proc gRPC server.
   * @default 9002
   */
  readonly port?: number;
}

/** An HTTPRoute from a Gateway of yours to the pool. */
export interface InferencePoolRouteOptions {
  /** The Gateway's name. Its listener must admit routes from the pool's namespace (`allowedRoutes`). */
  readonly gatewayName: string;
  /**
   * The Gateway's namespace.
   * @default - the pool's namespace
   */
  readonly gatewayNamespace?: string;
  /**
   * The Gateway listener to attach to.
   * @default - every listener of the Gateway that admits the route
   */
  readonly sectionName?: string;
  /**
   * The path prefix routed to the pool.
   * @default '/'
   */
  readonly pathPrefix?: string;
  /**
   * Route only requests for this base model: a match on the `X-Gateway-Base-Model-Name` header, which the body-based
   * router (llm-d-inference-payload-processor) sets from the request's `model` field. Without a body-based router on the
   * Gateway nothing sets it and the route matches nothing. Use it to put several pools (models) behind one Gateway.
   * @default - every request on the path
   */
  readonly baseModelName?: string;
  /**
   * The longest a request may take, whole seconds (a long generation streams for minutes).
   * @default Duration.seconds(300)
   */
  readonly requestTimeout?: Duration;
  /**
   * The HTTPRoute's name.
   * @default - the pool's name
   */
  readonly name?: string;
}

/** Properties of an InferencePool. */
export interface InferencePoolProps {
  /** The model servers behind the pool: e.g. an `InferenceAutoscaler`. */
  readonly backend: IInferencePoolBackend;
  /**
   * The pool's name (a DNS-1123 label, at most 59 characters: the picker's objects are named `<name>-epp`).
   * @default - generated from the construct path
   */
  readonly name?: string;
  /**
   * The endpoint picker to deploy. Give this or `endpointPickerRef`.
   * @default - a picker with the defaults of EndpointPickerOptions, unless `endpointPickerRef` is given
   */
  readonly endpointPicker?: EndpointPickerOptions;
  /**
   * An endpoint picker that runs already: the pool refers to it and deploys none.
   * @default - deploy one
   */
  readonly endpointPickerRef?: EndpointPickerReference;
  /**
   * What the gateway does when the picker does not answer.
   * @default EndpointPickerFailureMode.FAIL_OPEN (as the picker's chart sets it: a picker outage degrades routing, not serving)
   */
  readonly failureMode?: EndpointPickerFailureMode;
  /**
   * An HTTPRoute from your Gateway to the pool.
   * @default - none
   */
  readonly route?: InferencePoolRouteOptions;
}

const EXT_PROC_PORT = 9002;
const HEALTH_PORT = 9003;
const METRICS_PORT = 9090;
const CONFIG_FILE = 'default-plugins.yaml';
/** The distroless `nonroot` user the picker's image runs as. */
const PICKER_USER = 65532;
const GROUP = 'inference.networking.k8s.io';
const PICKER_NAME_MAX = 59;

/**
 * An InferencePool (Gateway API Inference Extension v1.6.0, `inference.networking.k8s.io/v1`) over a model's pods, with
 * its endpoint picker, and optionally the HTTPRoute from your Gateway.
 *
 * A Gateway that implements the extension sends each request for the pool to its endpoint picker, which picks the pod
 * by the model servers' load (queue, KV cache, prefix cache) instead of round robin. The pool selects exactly the
 * backend's pods on the server's port. The picker is deployed as the extension's picker chart (llm-d-router-gateway
 * v0.9.0) deploys it: a Deployment with its plugin configuration in a ConfigMap, a ClusterIP Service (ext-proc on
 * 9002, metrics on 9090), a ServiceAccount with a Role to read pods and InferencePools only, and a ServiceMonitor; or
 * the pool refers to a picker you run.
 *
 * Model names: the v1 API carries no model mapping (InferenceObjective and InferenceModelRewrite moved to llm-d with
 * the picker). The picker routes on the request's `model` field; LoRA adapters loaded by the pool's servers are served
 * by the same pool. To put several models behind one Gateway, give each its pool and route with `baseModelName`.
 *
 * @see https://gateway-api-inference-extension.sigs.k8s.io/
 * @example
 * const chat = new InferenceAutoscaler(chart, 'chat', {
 *   modelServer: { image: 'vllm/vllm-openai:v0.12.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
 *   maxReplicas: 8,
 *   metrics: [ScalingMetric.inferencePoolQueueSize('chat', 5)],
 * });
 * new InferencePool(chart, 'pool', { backend: chat, name: 'chat', route: { gatewayName: 'inference-gateway', gatewayNamespace: 'gateway' } });
 */
export class InferencePool extends Construct {
  /** The endpoint picker image the llm-d-router-gateway v0.9.0 chart runs. */
  public static readonly ENDPOINT_PICKER_IMAGE = 'ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.9.0';

  /** The InferencePool (id `Resource`). */
  public readonly pool: ApiObject;
  /** The pool's name, as `ScalingMetric.inferencePoolQueueSize` and the other pool metrics take it. */
  public readonly poolName: string;
  /** The backend as the pool read it. */
  public readonly backend: InferencePoolBackend;
  /**
   * The endpoint picker's Deployment.
   * @default - none with `endpointPickerRef`
   */
  public readonly endpointPicker?: ApiObject;
  /**
   * The endpoint picker's Service.
   * @default - none with `endpointPickerRef`
   */
  public readonly endpointPickerService?: ApiObject;
  /**
   * The ConfigMap of the picker's plugin configuration.
   * @default - none with `endpointPickerRef`
   */
  public readonly endpointPickerConfig?: ApiObject;
  /**
   * The picker's ServiceMonitor.
   * @default - none with `endpointPickerRef`
   */
  public readonly endpointPickerMonitor?: ApiObject;
  /**
   * The HTTPRoute from the Gateway.
   * @default - none without `route`
   */
  public readonly route?: ApiObject;
  /**
   * The endpoint picker's pods, for the guardrails (they run on a CPU pool).
   * @default - none with `endpointPickerRef`
   */
  public readonly footprint?: WorkloadFootprint;

  public constructor(scope: Construct, id: string, props: InferencePoolProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give the props: at least { backend }');
    const backendObject = props.backend as any;
    if (backendObject === null || typeof backendObject !== 'object' || typeof backendObject.inferencePoolBackend !== 'object') {
      invalidProp(this, 'backend', backendObject, 'is not an InferencePool backend', 'give a construct that serves the model, e.g. an InferenceAutoscaler');
    }
    this.backend = props.backend.inferencePoolBackend;
    // The picker's Service is named '<name>-epp': a DNS-1035 label.
    if (props.name !== undefined) checkDns1035Label(this, 'name', props.name, PICKER_NAME_MAX);
    if (props.endpointPicker !== undefined && props.endpointPickerRef !== undefined) {
      invalidProp(this, 'endpointPickerRef', props.endpointPickerRef.serviceName, 'is given together with \'endpointPicker\'',
        'give \'endpointPicker\' to deploy a picker, or \'endpointPickerRef\' to use one that runs, not both');
    }
    const failureMode = props.failureMode ?? EndpointPickerFailureMode.FAIL_OPEN;
    if (!Object.values(EndpointPickerFailureMode).includes(failureMode)) {
      invalidProp(this, 'failureMode', failureMode, 'is not a failure mode', 'use EndpointPickerFailureMode.FAIL_OPEN or FAIL_CLOSE');
    }
    const namespace = Chart.of(this).namespace;
    if (this.backend.namespace !== undefined && this.backend.namespace !== namespace) {
      invalidProp(this, 'backend', this.backend.description, `runs in namespace '${this.backend.namespace}', and the pool in '${namespace ?? '(none)'}': ` +
        'an InferencePool selects pods of its own namespace only', 'create the pool in a chart of the backend\'s namespace');
    }

    let pickerService: string | undefined;
    let pickerPort = EXT_PROC_PORT;
    const ref = props.endpointPickerRef;
    if (ref !== undefined) {
      checkStruct(this, 'endpointPickerRef', ref, 'give { serviceName: \'<the picker\'s Service>\' }');
      pickerService = checkDns1123Label(this, 'endpointPickerRef.serviceName', ref.serviceName, 'give the name of the picker\'s Service, in the pool\'s namespace');
      if (ref.port !== undefined) pickerPort = checkPort(this, 'endpointPickerRef.port', ref.port, 'give the Service port of the picker\'s ext-proc server, e.g. 9002');
    }
    const ip = inferencePoolBindings();
    this.pool = new ip.InferencePool(this, 'Resource', {
      metadata: props.name !== undefined ? { name: props.name } : {},
      spec: {
        selector: { matchLabels: { ...this.backend.servingPodLabels } },
        targetPorts: [{ number: this.backend.servingPort }],
        // The picker is named after the pool, whose name is generated with the object: resolved at synth.
        endpointPickerRef: {
          name: Lazy.any({ produce: () => pickerService }) as unknown as string,
          port: { number: pickerPort },
          failureMode: failureMode as unknown as InferencePoolSpecEndpointPickerRefFailureMode,
        },
      },
    });
    this.poolName = this.pool.name;
    if (this.poolName.length > PICKER_NAME_MAX) {
      invalidProp(this, 'name', this.poolName, `(generated) is longer than ${PICKER_NAME_MAX} characters, and the picker's objects are named '<name>-epp'`,
        'give the pool a shorter name');
    }
    if (ref === undefined) {
      const picker = this.createPicker(props.endpointPicker ?? {}, namespace);
      this.endpointPicker = picker.deployment;
      this.endpointPickerService = picker.service;
      this.endpointPickerConfig = picker.config;
      this.endpointPickerMonitor = picker.monitor;
      this.footprint = picker.footprint;
      pickerService = picker.service.name;
      if (!picker.flowControl) this.node.addValidation({ validate: () => this.flowControlProblems(namespace) });
    }

    if (props.route !== undefined) this.route = this.createRoute(props.route);
  }

  private createPicker(o: EndpointPickerOptions, namespace: string | undefined):
  { deployment: ApiObject; service: ApiObject; config: ApiObject; monitor: ApiObject; footprint: WorkloadFootprint; flowControl: boolean } {
    checkStruct(this, 'endpointPicker', o, 'give the picker\'s options, e.g. { replicas: 2 }');
    const image = o.image === undefined ? InferencePool.ENDPOINT_PICKER_IMAGE : checkImage(this, 'endpointPicker.image', o.image);
    checkPinnedImage(this, 'endpointPicker.image', image, checkOptionalBoolean(this, 'endpointPicker.allowUnpinnedImage', o.allowUnpinnedImage), 'endpointPicker.allowUnpinnedImage');
    const replicas = checkOptionalWhole(this, 'endpointPicker.replicas', o.replicas, { min: 1, max: 10 },
      'give 1 picker, or 2 or more that elect a leader (at most 10)') ?? 2;
    const cpu = checkOptionalCpu(this, 'endpointPicker.cpu', o.cpu, 'give the picker\'s CPU, e.g. Cpu.units(2)') ?? Cpu.units(8);
    const memory = checkOptionalSize(this, 'endpointPicker.memory', o.memory, 'give the picker\'s memory, at least 512 MiB, e.g. Size.gibibytes(4)', 512) ?? Size.gibibytes(8);
    const flowControl = checkOptionalBoolean(this, 'endpointPicker.flowControl', o.flowControl) ?? false;
    const interval = checkOptionalDuration(this, 'endpointPicker.scrapeInterval', o.scrapeInterval, { min: Duration.seconds(1), max: Duration.hours(1), wholeSeconds: true },
      'give whole seconds from 1 s to 1 h, e.g. Duration.seconds(10)') ?? Duration.seconds(10);
    if (o.prometheusSelectorLabels !== undefined) checkLabels(this, 'endpointPicker.prometheusSelectorLabels', o.prometheusSelectorLabels);
    const engine = pickerEngine(this.backend.modelServerKind);
    if (engine === undefined) {
      invalidProp(this, 'backend', this.backend.description, `runs ${this.backend.modelServerKind.toString()}, whose metrics the endpoint picker cannot read ` +
        '(llm-d-router v0.9.0 reads vLLM\'s and SGLang\'s queue, running and KV-cache gauges)', 'serve the model with vLLM or SGLang, or give endpointPickerRef to a picker configured for your server');
    }

    const name = `${this.poolName}-epp`;
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'endpoint-picker' };
    const selector = { matchLabels: { 'llm-d-router-gateway': name } };
    const leaderElection = replicas > 1;
    const metadata = { name, labels };

    // config/charts/routerlib/templates/_config.yaml at llm-d-router v0.9.0: the default plugins for an HTTP model server.
    const kind = this.backend.modelServerKind;
    const pluginsConfig = [
      'apiVersion: llm-d.ai/v1alpha1',
      'kind: EndpointPickerConfig',
      ...(flowControl ? ['featureGates:', '- flowControl'] : []),
      'plugins:',
      '- type: queue-scorer',
      '- type: kv-cache-utilization-scorer',
      '- type: prefix-cache-scorer',
      '- type: metrics-data-source',
      '  parameters:',
      '    scheme: "http"',
      `    path: "${kind.metricsPath}"`,
      '    insecureSkipVerify: true',
      '- type: core-metrics-extractor',
      ...(engine !== 'vllm' ? ['  parameters:', `    defaultEngine: "${engine}"`] : []),
      'schedulingProfiles:',
      '- name: default',
      '  plugins:',
      '  - pluginRef: queue-scorer',
      '    weight: 2',
      '  - pluginRef: kv-cache-utilization-scorer',
      '    weight: 2',
      '  - pluginRef: prefix-cache-scorer',
      '    weight: 3',
      '',
    ].join('\n');
    const config = new ApiObject(this, 'EndpointPickerConfig', { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [CONFIG_FILE]: pluginsConfig } });

    const serviceAccount = new ApiObject(this, 'EndpointPickerServiceAccount', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    // Least privilege: the chart's Role (rbac.yaml) also reads InferenceObjectives and InferenceModelRewrites, which this pool does not use.
    const rules: any[] = [
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'watch', 'list'] },
      { apiGroups: [GROUP], resources: ['inferencepools'], verbs: ['get', 'watch', 'list'] },
    ];
    const role = new ApiObject(this, 'EndpointPickerRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules });
    new ApiObject(this, 'EndpointPickerRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, ...(namespace ? { namespace } : {}) }],
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
    });
    if (leaderElection) {
      // _leader-election-rbac.yaml: the leader's Lease and its events.
      const electionRole = new ApiObject(this, 'EndpointPickerLeaderElectionRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: `${name}-leader-election`, labels },
        rules: [
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
          { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
        ],
      });
      new ApiObject(this, 'EndpointPickerLeaderElectionRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `${name}-leader-election`, labels },
        subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, ...(namespace ? { namespace } : {}) }],
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: electionRole.name },
      });
    }

    // _deployment.yaml: the pool's name, namespace and group; the plugins file; the health port; no tracing. The metrics
    // endpoint is served without TokenReview authentication (which needs a ClusterRole and a scrape token), like the
    // model servers' own metrics.
    const args = [
      '--pool-name', this.poolName,
      ...(namespace ? ['--pool-namespace', namespace] : []),
      '--pool-group', GROUP,
      '--zap-encoder', 'json',
      '--config-file', `/config/${CONFIG_FILE}`,
      ...(leaderElection ? ['--ha-enable-leader-election'] : []),
      '--grpc-health-port', String(HEALTH_PORT),
      '--tracing=false',
      '--metrics-endpoint-auth=false',
    ];
    const podSelector = { matchLabels: { ...selector.matchLabels } };
    const pod = hardenedPod({
      where: this,
      containerName: 'epp',
      image,
      args,
      ports: [
        { name: 'grpc', containerPort: EXT_PROC_PORT },
        { name: 'grpc-health', containerPort: HEALTH_PORT },
        { name: 'metrics', containerPort: METRICS_PORT },
      ],
      cpu,
      memory,
      runAsUser: PICKER_USER,
      runAsGroup: PICKER_USER,
      readOnlyRootFilesystem: true,
      sharedMemorySize: Size.mebibytes(64),
      writablePaths: [{ volumeName: 'tmp', path: '/tmp' }],
      volumes: [{ volumeName: 'plugins-config', path: '/config', source: { configMap: { name: config.name } } }],
      // The chart's: as long as the longest grace period of the pool's pods.
      terminationGracePeriod: Duration.seconds(130),
      podFields: {
        serviceAccountName: serviceAccount.name,
        // The picker watches pods and InferencePools.
        automountServiceAccountToken: true,
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: podSelector },
        ],
        // Each picker on a node of its own: one node lost or drained takes one picker, and a follower takes over. (Recreate
        // never runs old and new pickers at once, so the rule never blocks a rollout.)
        ...(leaderElection ? {
          affinity: {
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: podSelector, topologyKey: LABEL_HOSTNAME }] },
          },
        } : {}),
      },
    });
    const container = pod.spec.containers[0];
    // With leader election only the leader reports ready (its health service `readiness`), so the Service sends to it alone.
    const service = (s: string) => ({ grpc: { port: HEALTH_PORT, service: s } });
    container.livenessProbe = { ...service(leaderElection ? 'liveness' : 'inference-extension'), initialDelaySeconds: 5, periodSeconds: 10 };
    container.readinessProbe = { ...service(leaderElection ? 'readiness' : 'inference-extension'), periodSeconds: 2 };
    container.env = [
      { name: 'NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ];
    // No PodDisruptionBudget: of 2+ pickers only the leader is ready, so any budget would forbid evicting it and block drains.
    const deployment = new ApiObject(this, 'EndpointPicker', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas,
        // The chart's Recreate: a rolling update could never replace the leader (the others are never ready).
        strategy: { type: 'Recreate' },
        selector: podSelector,
        template: { metadata: { labels: { ...podSelector.matchLabels, ...labels } }, spec: pod.spec },
      },
    });
    const svc = new ApiObject(this, 'EndpointPickerService', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        type: 'ClusterIP',
        selector: { ...podSelector.matchLabels },
        ports: [
          { name: 'grpc-ext-proc', protocol: 'TCP', port: EXT_PROC_PORT, targetPort: EXT_PROC_PORT },
          { name: 'http-metrics', protocol: 'TCP', port: METRICS_PORT, targetPort: METRICS_PORT },
        ],
      },
    });
    const mon = monitoringBindings();
    const monitor = new mon.ServiceMonitor(this, 'EndpointPickerMonitor', {
      // Only the labels a Prometheus selects monitors by (added below): other labels would split the app's monitoring objects.
      metadata: { name },
      spec: {
        selector: { matchLabels: { ...labels } },
        endpoints: [{ port: 'http-metrics', path: MetricsExporter.ENDPOINT_PICKER.metricsPath, interval: durationText(interval) }],
      },
    });
    PrometheusSelector._label(monitor, o.prometheusSelectorLabels, 'endpointPicker.prometheusSelectorLabels');
    recordPod(deployment, pod);
    // A fixed count, replaced all at once (Recreate): no surge.
    const footprint = builtFootprint(deployment, pod, { minReplicas: replicas, maxReplicas: replicas, fixedReplicas: replicas });
    return { deployment, service: svc, config, monitor, footprint, flowControl };
  }

  /**
   * Autoscalers of the app that scale on this pool's flow-control series, which the picker exports only with flow control
   * (llm-d-router v0.9.0 pkg/epp/flowcontrol/controller/internal/processor.go:352): they would read nothing.
   */
  private flowControlProblems(namespace: string | undefined): string[] {
    const out: string[] = [];
    for (const c of this.node.root.node.findAll()) {
      const metrics = (c as any)._metrics;
      if (!Array.isArray(metrics) || Chart.of(c).namespace !== namespace) continue;
      for (const m of metrics as ScalingMetric[]) {
        if (m.inferencePoolName === this.poolName && m.endpointPickerSeries?.startsWith('llm_d_epp_flow_control_')) {
          out.push(`'endpointPicker.flowControl' (false) leaves the picker without flow control, and ${c.node.path} scales on ` +
            `${m.endpointPickerSeries} of InferencePool '${this.poolName}', which the picker exports only with it: ` +
            'set endpointPicker: { flowControl: true }, or scale on the pool\'s queue size');
        }
      }
    }
    return out;
  }

  private createRoute(r: InferencePoolRouteOptions): ApiObject {
    checkStruct(this, 'route', r, 'give the Gateway: { gatewayName: \'inference-gateway\' }');
    const gatewayName = checkDns1123Subdomain(this, 'route.gatewayName', r.gatewayName, 'give the name of your Gateway, e.g. "inference-gateway"');
    const gatewayNamespace = r.gatewayNamespace === undefined ? undefined : checkDns1123Label(this, 'route.gatewayNamespace', r.gatewayNamespace);
    const sectionName = r.sectionName === undefined ? undefined : checkDns1123Subdomain(this, 'route.sectionName', r.sectionName, 'give the name of a listener of the Gateway');
    const pathPrefix = r.pathPrefix === undefined ? '/' : checkText(this, 'route.pathPrefix', r.pathPrefix, 'give an absolute path, e.g. "/v1"', 1024);
    if (!pathPrefix.startsWith('/')) invalidProp(this, 'route.pathPrefix', pathPrefix, 'is not an absolute path', 'start the path with /, e.g. "/v1"');
    const model = r.baseModelName === undefined ? undefined : checkText(this, 'route.baseModelName', r.baseModelName, 'give the base model\'s name, e.g. "Qwen/Qwen3-8B"', 4096);
    const timeout = checkOptionalDuration(this, 'route.requestTimeout', r.requestTimeout, { min: Duration.seconds(1), max: Duration.hours(24), wholeSeconds: true },
      'give whole seconds up to a day, e.g. Duration.minutes(5)') ?? Duration.seconds(300);
    const name = r.name === undefined ? this.poolName : checkDns1123Subdomain(this, 'route.name', r.name, 'give a DNS-1123 name, e.g. "chat"');
    return new ApiObject(this, 'Route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name },
      spec: {
        parentRefs: [{
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name: gatewayName,
          ...(gatewayNamespace !== undefined ? { namespace: gatewayNamespace } : {}),
          ...(sectionName !== undefined ? { sectionName } : {}),
        }],
        rules: [{
          matches: [{
            path: { type: 'PathPrefix', value: pathPrefix },
            ...(model !== undefined ? { headers: [{ type: 'Exact', name: 'X-Gateway-Base-Model-Name', value: model }] } : {}),
          }],
          backendRefs: [{ group: GROUP, kind: 'InferencePool', name: this.poolName }],
          timeouts: { request: `${timeout.toSeconds()}s` },
        }],
      },
    });
  }
}

/** The engine name the picker's core-metrics-extractor reads a server's metrics by (llm-d-router v0.9.0), if it can. */
function pickerEngine(kind: ModelServerKind): string | undefined {
  if (kind === ModelServerKind.VLLM) return 'vllm';
  if (kind === ModelServerKind.SGLANG) return 'sglang';
  return undefined;
}
