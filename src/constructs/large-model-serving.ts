import { ApiObject, Chart, Names, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { InferenceAutoscaler, ScalingMonitoringOptions } from './inference-autoscaler';
import { PrometheusAdapterConfig } from './prometheus-adapter-config';
import { invalidProp } from '../common/errors';
import { GpuProduct } from '../planning/gpu-product';
import { GpuRequest } from '../values/gpu-request';
import { createMultiNodeServer, MultiNodeServer } from './internal/leader-worker-set';
import { markResolved, MODEL_SERVER_CONTAINER, MODEL_SERVER_OWN_ENV, serviceNameFix, startupFailureThreshold } from './internal/model-server';
import { builtFootprint } from './internal/pod';
import { lazyPriorityClassName, requirePriorityClassName } from './internal/priority';
import { VerticalAutoscaler, VpaControlledValues, VpaResource, VpaUpdateMode } from './vertical-autoscaler';
import { maxLeaderWorkerSetNameLength } from '../common/leader-worker-set';
import { LABEL_KUEUE_QUEUE_NAME } from '../common/names';
import { cpuMillisOf } from '../common/quantity';
import {
  checkDns1035Label, checkImage, checkInstance, checkList, checkOneOf,
  checkOptionalBoolean, checkOptionalCpu, checkOptionalInstance, checkOptionalWhole, checkQueueName, checkSize,
  checkSecretEnv, checkString, checkStringList, checkStruct, checkText,
} from '../common/validate';
import { ModelArchitecture, ModelPrecision, ModelSizer, ModelSizing } from '../planning/model-sizer';
import { ScalingBehavior } from '../planning/scaling-behavior';
import { StartupEstimate, TimeToCapacity } from '../planning/time-to-capacity';
import { GpuWorkKind } from '../values/gpu-work-kind';
import { IInferencePoolBackend, InferencePoolBackend } from '../values/inference-pool-backend';
import { ModelServerKind } from '../values/model-server-kind';
import { ModelWeights, ModelWeightsSource } from '../values/model-weights';
import { ScalingEngine } from '../values/scaling-engine';
import { ScalingMetric, ScalingMetricSource } from '../values/scaling-metric';
import { SecretKeyReference } from '../values/secret-key-reference';
import { IWorkloadFootprintProvider, WorkloadFootprint } from '../values/workload-footprint';

/** Properties of a LargeModelServing. */
export interface LargeModelServingProps {
  /**
   * The vLLM (OpenAI-compatible server) image, pinned to a release tag: the metric names the autoscaling reads depend
   * on the release, so an image without a tag, or tagged `latest`, is refused.
   */
  readonly image: string;
  /** The model's architecture: what sizes its weights and KV cache. */
  readonly model: ModelArchitecture;
  /** The model to serve, as vLLM's `--model` takes it (a Hugging Face id or a local path). */
  readonly modelId: string;
  /**
   * Environment variables of the server read from Secret keys (`valueFrom.secretKeyRef`): the Hugging Face token of
   * a gated model (`HF_TOKEN`). Names as Kubernetes accepts them (letters, digits, '_', '-' and '.', not starting with
   * a digit), not `HOME`, `XDG_CACHE_HOME` or `HF_HOME`, which the pod sets. The kubelet reads the Secrets, which must
   * be in the pod's namespace: no Role is needed.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * Precision of the weights (and, unless set otherwise, of the KV cache).
   * @default ModelPrecision.BF16
   */
  readonly precision?: ModelPrecision;
  /**
   * Longest sequence (prompt and output) in tokens: `--max-model-len`.
   * @default 8192
   */
  readonly contextLength?: number;
  /**
   * Sequences in flight per replica: `--max-num-seqs`.
   * @default 16
   */
  readonly concurrency?: number;
  /** The GPU model of the nodes. */
  readonly gpuProduct: GpuProduct;
  /**
   * GPUs on one node: the most one replica's pod can use on its node.
   * @default 8
   */
  readonly gpusPerNode?: number;
  /**
   * The most nodes one replica may span, from 1 to 64. A model that does not fit one node is then served on a
   * LeaderWorkerSet: one group of `nodesPerReplica` pods per replica (one per node), tensor parallel within a node and
   * pipeline parallel across nodes, on Ray (see the README, "Multi-node serving"). 1 keeps every replica on one node
   * (a Deployment), and a model that does not fit one node fails.
   * @default 4
   */
  readonly maxNodesPerReplica?: number;
  /**
   * For a replica across nodes: a node label whose domains each hold at most one group, all of it (the LeaderWorkerSet
   * `leaderworkerset.sigs.k8s.io/exclusive-topology` annotation, which the LWS pod webhook turns into a required pod
   * affinity and anti-affinity on that key). A group in one domain keeps its pipeline's traffic there. Every node the
   * pods may land on must carry the label (a pod with a required affinity on a key its node lacks never schedules), and
   * there are at most as many groups as domains: a zone key caps the replicas at the zones. Only with a replica across nodes.
   * @default - none: a group's pods go wherever the scheduler puts them (the leaders spread over zones)
   */
  readonly exclusiveTopologyKey?: string;
  /**
   * The Kueue LocalQueue that admits the replicas (the `kueue.x-k8s.io/queue-name` label on the Deployment or the
   * LeaderWorkerSet). Kueue admits a LeaderWorkerSet's groups whole; it manages these kinds only with its `pod`,
   * `deployment` and `leaderworkerset.x-k8s.io/leaderworkerset` integrations, which Kueue's default configuration leaves off.
   * @default - not queued by Kueue
   */
  readonly queueName?: string;
  /** The most replicas. */
  readonly maxReplicas: number;
  /**
   * The fewest replicas.
   * @default - 2 (3 with the real-time behavior)
   */
  readonly minReplicas?: number;
  /**
   * Accept a single replica.
   * @default false
   */
  readonly allowSingleReplica?: boolean;
  /**
   * What the replicas scale on. On one node, CPU and memory utilization are not allowed (unless `updateMode` is `OFF`): the VPA
   * controls them.
   * @default - vLLM waiting requests (5 per replica) and KV-cache usage (80%)
   */
  readonly metrics?: ScalingMetric[];
  /**
   * How fast replicas are added and removed.
   * @default ScalingBehavior.standard()
   */
  readonly behavior?: ScalingBehavior;
  /**
   * The horizontal engine.
   * @default ScalingEngine.hpa()
   */
  readonly engine?: ScalingEngine;
  /**
   * When the VPA applies its CPU and memory recommendations. `Initial` sets them when a pod is created
   * and never evicts one: evicting a server that takes minutes to load a model is an outage. A replica across nodes
   * gets no VPA (the VPA reads a LeaderWorkerSet's pods through its `/scale` selector, the leaders only, and would size
   * the workers from them): this, `maxCpu` and `maxMemory` are refused there.
   * @default VpaUpdateMode.INITIAL (single node); no VPA across nodes
   */
  readonly updateMode?: VpaUpdateMode;
  /**
   * The most CPU the VPA may give a replica.
   * @default - 4x the sized CPU
   */
  readonly maxCpu?: kplus.Cpu;
  /**
   * The most memory the VPA may give a replica.
   * @default - 2x the sized host memory
   */
  readonly maxMemory?: Size;
  /**
   * More vLLM arguments. Not the ones the construct sets from its props (`--model`, `--tensor-parallel-size`,
   * `--max-model-len`, `--max-num-seqs`, `--gpu-memory-utilization`, `--port`, `--quantization`, `--kv-cache-dtype`; with `modelWeights`, `--served-model-name` and, for a stream, `--load-format`).
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Base name of the objects: a DNS-1035 label (lowercase letters, digits and '-', starting with a letter), as their
   * Service takes it.
   * @default - generated
   */
  readonly name?: string;
  /**
   * Monitoring settings.
   * @default - as InferenceAutoscaler
   */
  readonly monitoring?: ScalingMonitoringOptions;
  /**
   * The app-wide prometheus-adapter configuration.
   * @default PrometheusAdapterConfig.of(this)
   */
  readonly adapterConfig?: PrometheusAdapterConfig;
  /**
   * The PriorityClass of the replicas. The class must exist in the cluster: the API server rejects pods
   * that name a missing one.
   * @default - the real-time inference class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
  /**
   * How long a new replica takes to become ready: node provisioning, image pull, model load, warm-up. Give `modelLoad`,
   * or `weightLoadMibPerSecond` to load the sized weights (`sizing.weights`) at that rate. It sets the startup probe
   * budget and the progress deadline as on a model server (`ModelServerProps.startupEstimate`), and the guardrails
   * check against it (rule time-to-capacity).
   * @default - not known: the startup probe allows 15 minutes
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * Where the weights come from (`ModelWeights.fromVolume`, `.download`, `.stream`): vLLM then loads them from there
   * (`--model <location>`) and serves them under `modelId` (`--served-model-name`). A source without a size is taken to
   * hold the sized weights (`sizing.weights`): they size a download's model cache (x 1.1 + 2 GiB) and, with the
   * source's transferMibPerSecond, the estimate's weightDownload (download) or modelLoad (volume, stream).
   * @default - vLLM downloads `modelId` from the Hugging Face Hub into the model cache when a replica starts
   */
  readonly modelWeights?: ModelWeights;
}

/** The vLLM arguments the construct sets itself: `extraArgs` must not set them again (vLLM takes the last one). */
const OWN_ARGS = ['--model', '--tensor-parallel-size', '--max-model-len', '--max-num-seqs', '--gpu-memory-utilization', '--port', '--quantization',
  '--kv-cache-dtype'];

/** Checks every prop's type and shape before any is read (a wrong JavaScript type is an error naming the prop, never a TypeError). */
function checkProps(scope: LargeModelServing, props: LargeModelServingProps): void {
  checkStruct(scope, 'props', props, 'give the props: image, model, modelId, gpuProduct and maxReplicas');
  if (props.image === undefined || props.image === '') {
    invalidProp(scope, 'image', props.image, 'is empty', 'give the vLLM image, pinned to a release tag, e.g. \'vllm/vllm-openai:v0.12.0\'');
  }
  checkImage(scope, 'image', props.image);
  ModelServerKind.VLLM._checkImage(scope, 'image', props.image);
  checkInstance(scope, 'model', props.model, ModelArchitecture as any, 'use a preset such as ModelArchitecture.LLAMA_3_1_70B, or ModelArchitecture.of({...})');
  if (props.secretEnv !== undefined) checkSecretEnv(scope, 'secretEnv', props.secretEnv, { envProp: 'env', reserved: MODEL_SERVER_OWN_ENV });
  checkText(scope, 'modelId', props.modelId, 'give the Hugging Face id or the local path vLLM loads, e.g. \'meta-llama/Llama-3.1-70B-Instruct\'');
  if (props.modelId.startsWith('-')) invalidProp(scope, 'modelId', props.modelId, 'starts with \'-\', which vLLM reads as a flag', 'give the model\'s id or path');
  checkOptionalInstance(scope, 'precision', props.precision, ModelPrecision as any, 'use a preset such as ModelPrecision.BF16, or ModelPrecision.of(...)');
  checkOptionalWhole(scope, 'contextLength', props.contextLength, { min: 1 }, 'give the longest sequence in tokens, e.g. 8192');
  checkOptionalWhole(scope, 'concurrency', props.concurrency, { min: 1 }, 'give the sequences in flight per replica, e.g. 16');
  checkInstance(scope, 'gpuProduct', props.gpuProduct, GpuProduct as any, 'use a preset such as GpuProduct.H100, or GpuProduct.of(...)');
  checkOptionalWhole(scope, 'gpusPerNode', props.gpusPerNode, { min: 1, max: 64 }, 'give the GPUs on one node, e.g. 8');
  checkOptionalBoolean(scope, 'allowSingleReplica', props.allowSingleReplica);
  if (props.updateMode !== undefined) {
    checkOneOf(scope, 'updateMode', props.updateMode, Object.values(VpaUpdateMode), 'use a VpaUpdateMode member, e.g. VpaUpdateMode.INITIAL');
  }
  if (props.metrics !== undefined) {
    const metrics = checkList(scope, 'metrics', props.metrics, { min: 1, max: 32 }, 'give a list of ScalingMetric, e.g. [ScalingMetric.waitingRequests(5)], or leave it out');
    metrics.forEach((m, i) => {
      checkInstance(scope, `metrics[${i}]`, m, ScalingMetric as any, 'make each metric with a ScalingMetric factory, e.g. ScalingMetric.waitingRequests(5)');
    });
  }
  checkOptionalCpu(scope, 'maxCpu', props.maxCpu, 'give a CPU amount such as Cpu.units(32), or leave it out');
  if (props.maxCpu !== undefined && !Number.isFinite(cpuMillisOf(props.maxCpu) ?? NaN)) {
    invalidProp(scope, 'maxCpu', props.maxCpu.amount, 'is not a CPU amount', 'give a CPU amount such as Cpu.units(32), or leave it out');
  }
  if (props.maxMemory !== undefined) checkSize(scope, 'maxMemory', props.maxMemory, 'give a memory size such as Size.gibibytes(512), or leave it out', 1);
  if (props.extraArgs !== undefined) {
    const args = checkStringList(scope, 'extraArgs', props.extraArgs, 'give vLLM arguments as a list of strings, e.g. [\'--enable-prefix-caching\']');
    args.forEach((a, i) => {
      const flag = a.split('=')[0];
      if (OWN_ARGS.includes(flag)) {
        invalidProp(scope, `extraArgs[${i}]`, a, 'sets an argument the construct sets from its props (vLLM would take the last one)',
          'leave it out: set modelId, contextLength, concurrency or precision instead');
      }
    });
  }
  // The Service takes the name: a DNS-1035 label (it starts with a letter).
  if (props.name !== undefined) checkDns1035Label(scope, 'name', props.name, 63, serviceNameFix(props.name));
  if (props.priorityClassName !== undefined) {
    checkString(scope, 'priorityClassName', props.priorityClassName, 'give the name of a PriorityClass, e.g. "realtime"', 253);
    requirePriorityClassName(scope, 'priorityClassName', props.priorityClassName);
  }
  checkOptionalWhole(scope, 'maxNodesPerReplica', props.maxNodesPerReplica, { min: 1, max: ModelSizer.MAX_NODES_PER_REPLICA },
    'give the most nodes one replica may span, from 1 (one node) to 64, e.g. 2');
  if (props.exclusiveTopologyKey !== undefined) {
    checkString(scope, 'exclusiveTopologyKey', props.exclusiveTopologyKey, 'give a node label key, e.g. "topology.k8s.aws/network-node-layer-3"', 316);
    if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(props.exclusiveTopologyKey)) {
      invalidProp(scope, 'exclusiveTopologyKey', props.exclusiveTopologyKey, 'is not a label key ([prefix/]name), which the pods\' topologyKey must be',
        'give a node label key, e.g. "topology.k8s.aws/network-node-layer-3"');
    }
  }
  checkQueueName(scope, 'queueName', props.queueName);
}

/**
 * A vLLM server sized for a large model, scaled vertically and horizontally at once.
 *
 * The GPUs per replica (the tensor-parallel degree) come from the model's size, precision, context and
 * concurrency (`ModelSizer.size`). A replica that fits one node is a Deployment's pod; one that does not is a
 * LeaderWorkerSet group across up to `maxNodesPerReplica` nodes (pipeline parallel across them, on Ray); a model
 * that does not fit even then fails at construction with the numbers, instead of producing pods that can never
 * schedule. An InferenceAutoscaler adds and removes replicas (groups) on a load metric read from the serving
 * pods, while on one node a VPA right-sizes each replica's CPU and host memory (never below what loading the
 * weights needs), by default only when a pod is created.
 *
 * @example
 * new LargeModelServing(chart, 'llama-70b', {
 *   image: 'vllm/vllm-openai:v0.12.0',
 *   model: ModelArchitecture.LLAMA_3_1_70B,
 *   modelId: 'meta-llama/Llama-3.1-70B-Instruct',
 *   gpuProduct: GpuProduct.H100,
 *   maxReplicas: 6,
 * });
 */
export class LargeModelServing extends Construct implements IWorkloadFootprintProvider, IInferencePoolBackend {
  /** The sizing the replicas were built from. */
  public readonly sizing: ModelSizing;
  /** The horizontal side: HPA (or ScaledObject), PodDisruptionBudget, monitoring (and on one node the Deployment and Service). */
  public readonly autoscaler: InferenceAutoscaler;
  /**
   * The vertical side: the VPA on the model server container.
   * @default - none for a replica across nodes
   */
  public readonly verticalAutoscaler?: VerticalAutoscaler;
  /** The object the autoscaler scales: the Deployment, or the LeaderWorkerSet of a replica across nodes. */
  public readonly workload: ApiObject;
  /**
   * The Deployment of a replica on one node.
   * @default - none for a replica across nodes
   */
  public readonly deployment?: ApiObject;
  /**
   * The LeaderWorkerSet (`<name>-lws`) of a replica across nodes.
   * @default - none for a replica on one node
   */
  public readonly leaderWorkerSet?: ApiObject;
  /**
   * The NetworkPolicy of a replica across nodes: Ray and NCCL only between the set's own pods, the API port open.
   * @default - none for a replica on one node
   */
  public readonly networkPolicy?: ApiObject;
  /** The ClusterIP Service in front of the serving pods. */
  public readonly service: ApiObject;
  /** The PodDisruptionBudget: one pod at a time, so one group at a time across nodes. */
  public readonly podDisruptionBudget: ApiObject;
  /** Labels that select exactly the pods serving the OpenAI API: the replicas on one node, the leaders across nodes. */
  public readonly servingPodLabels: { [key: string]: string };
  /** The port the serving pods listen on (the API and its `/metrics`). */
  public readonly servingPort: number = 8000;

  private readonly multiNode?: MultiNodeServer;
  private readonly startupEstimate?: StartupEstimate;

  public constructor(scope: Construct, id: string, props: LargeModelServingProps) {
    super(scope, id);
    checkProps(this, props);
    const precision = props.precision ?? ModelPrecision.BF16;
    this.sizing = ModelSizer.size({
      model: props.model,
      precision,
      contextLength: props.contextLength,
      concurrency: props.concurrency,
      gpuProduct: props.gpuProduct,
      gpusPerNode: props.gpusPerNode,
      maxNodesPerReplica: props.maxNodesPerReplica ?? 4,
    });
    const maxNodes = props.maxNodesPerReplica ?? 4;
    if (!this.sizing.fits) {
      invalidProp(this, 'model', props.model.name, `does not fit ${maxNodes === 1 ? 'one node' : `${maxNodes} nodes (maxNodesPerReplica)`}: ${this.sizing.reason}`,
        `change the GPU, precision, contextLength or concurrency${maxNodes < ModelSizer.MAX_NODES_PER_REPLICA ? ', or raise maxNodesPerReplica' : ''}`);
    }
    const nodes = this.sizing.nodesPerReplica;
    // On one node the VPA controls CPU and memory requests: an HPA on their utilization would move with every VPA change.
    (nodes === 1 ? props.metrics ?? [] : []).forEach((metric, i) => {
      if (metric.source === ScalingMetricSource.RESOURCE && props.updateMode !== VpaUpdateMode.OFF) {
        invalidProp(this, `metrics[${i}]`, metric.description, 'scales on CPU or memory utilization, whose requests the VPA of this construct controls: ' +
          'each VPA change would move the HPA\'s metric', 'scale on a load metric such as ScalingMetric.waitingRequests(5) or ScalingMetric.kvCacheUsage(80), ' +
          'or set updateMode: VpaUpdateMode.OFF for recommendations only');
      }
    });
    if (nodes === 1 && props.exclusiveTopologyKey !== undefined) {
      invalidProp(this, 'exclusiveTopologyKey', props.exclusiveTopologyKey, 'only applies to a replica across nodes, and this one fits one node',
        'leave it out');
    }
    if (nodes > 1) {
      for (const prop of ['updateMode', 'maxCpu', 'maxMemory'] as const) {
        if (props[prop] === undefined) continue;
        invalidProp(this, prop, prop === 'maxCpu' ? props.maxCpu!.amount : props[prop], `configures the VPA, and a replica across ${nodes} nodes ` +
          'gets none: the VPA finds a LeaderWorkerSet\'s pods through its /scale selector, the leaders only, and would size the workers from them',
        'leave it out: each pod gets the sized CPU and memory (sizing.vcpus, sizing.hostMemory)');
      }
    }
    // The weights' size is known here: a rate becomes the model load (or the download).
    const weights = checkOptionalInstance(this, 'modelWeights', props.modelWeights, ModelWeights as any,
      'make it with ModelWeights.fromVolume({...}), .download({...}) or .stream({...}), or leave it out') as ModelWeights | undefined;
    if (weights && nodes > 1) {
      invalidProp(this, 'modelWeights', weights.source, `applies to a replica on one node, and this one spans ${nodes} nodes, whose pods each load ` +
        'their pipeline stage from modelId (the Hugging Face Hub) into their own model cache', 'leave it out, or serve the model on one node');
    }
    if (props.startupEstimate !== undefined && props.startupEstimate !== null && typeof props.startupEstimate === 'object'
      && props.startupEstimate.weightDownload !== undefined && weights?.source !== ModelWeightsSource.DOWNLOAD) {
      invalidProp(this, 'startupEstimate.weightDownload', props.startupEstimate.weightDownload, 'applies only to weights downloaded before the server starts',
        'give modelWeights: ModelWeights.download({...}), or count the time in modelLoad');
    }
    // Across nodes each pod loads its pipeline stage's share of the weights, in parallel with the others.
    const weightsPerPod = nodes > 1
      ? Size.mebibytes(Math.ceil(this.sizing.weights.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) / nodes))
      : this.sizing.weights;
    const startupEstimate = props.startupEstimate === undefined ? undefined
      : markResolved(TimeToCapacity._resolve(this, 'startupEstimate',
        weights ? weights._estimate(this, 'startupEstimate', props.startupEstimate, this.sizing.weights) : props.startupEstimate, weightsPerPod));
    this.startupEstimate = startupEstimate;
    const weightsSize = weights?._size(this.sizing.weights);
    const named = (props.extraArgs ?? []).findIndex(a => a.split('=')[0] === '--served-model-name');
    if (weights && named >= 0) {
      invalidProp(this, `extraArgs[${named}]`, props.extraArgs![named], 'names the served model, which is modelId when modelWeights is given',
        'leave it out: clients ask for modelId');
    }
    const tp = this.sizing.tensorParallelSize;
    const sizedCpuMillis = this.sizing.vcpus * 1000;
    const contextLength = props.contextLength ?? 8192;
    const concurrency = props.concurrency ?? 16;
    const cpu = kplus.Cpu.units(this.sizing.vcpus);
    // NCCL moves tensors between tensor-parallel ranks through /dev/shm.
    const sharedMemory = Size.gibibytes(tp > 1 ? 16 : 4);
    const memory = Size.gibibytes(this.sizing.hostMemory.toGibibytes() + sharedMemory.toGibibytes());

    const metrics = props.metrics ?? [ScalingMetric.waitingRequests(5), ScalingMetric.kvCacheUsage(80)];
    const tuning = [
      '--max-model-len', String(contextLength),
      '--max-num-seqs', String(concurrency),
      '--gpu-memory-utilization', '0.9',
      '--port', String(this.servingPort),
      // fp8 weights from a 16-bit checkpoint; int8/int4 checkpoints carry their own quantization config.
      ...(precision.name === 'fp8' ? ['--quantization', 'fp8'] : []),
      // The sizing puts the KV cache of 8- and 4-bit models in 8 bits; vLLM keeps 16 unless told.
      ...(precision.bytesPerParameter <= 1 ? ['--kv-cache-dtype', 'fp8'] : []),
      ...(props.extraArgs ?? []),
    ];

    // How the replicas scale, the same on one node and across nodes.
    const scaling = {
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      allowSingleReplica: props.allowSingleReplica,
      metrics,
      behavior: props.behavior,
      engine: props.engine,
      monitoring: props.monitoring,
      adapterConfig: props.adapterConfig,
    };
    if (nodes > 1) {
      const lwsName = this.lwsName(props.name, props.maxReplicas, nodes);
      this.multiNode = createMultiNodeServer(this, {
        lwsName,
        serviceName: props.name,
        image: props.image,
        // `vllm serve <model>`: the model is the positional argument.
        vllmArgs: [props.modelId, '--tensor-parallel-size', String(tp), '--pipeline-parallel-size', String(nodes), ...tuning],
        groupSize: nodes,
        port: this.servingPort,
        healthPath: ModelServerKind.VLLM.healthPath,
        cpu,
        memory,
        gpu: GpuRequest.of(tp, { gpuProduct: props.gpuProduct }),
        sharedMemorySize: sharedMemory,
        secretEnv: props.secretEnv,
        priorityClassName: lazyPriorityClassName(this, 'priorityClassName', GpuWorkKind.REAL_TIME_INFERENCE, props.priorityClassName),
        startupFailureThreshold: startupFailureThreshold({ image: props.image }, startupEstimate),
        exclusiveTopologyKey: props.exclusiveTopologyKey,
        queueName: props.queueName,
      });
      this.leaderWorkerSet = this.multiNode.leaderWorkerSet;
      this.networkPolicy = this.multiNode.networkPolicy;
      this.workload = this.leaderWorkerSet;
      this.servingPodLabels = { ...this.multiNode.leaderLabels };
      this.autoscaler = new InferenceAutoscaler(this, 'Server', {
        name: props.name,
        target: this.leaderWorkerSet,
        targetService: this.multiNode.service,
        ...scaling,
      });
      this.service = this.multiNode.service;
      this.podDisruptionBudget = this.autoscaler.podDisruptionBudget!;
      return;
    }

    this.autoscaler = new InferenceAutoscaler(this, 'Server', {
      name: props.name,
      modelServer: {
        image: props.image,
        // The arguments below are vLLM's: its metric names and version check apply whatever the image's registry.
        kind: ModelServerKind.VLLM,
        args: [
          // With modelWeights the server adds --model <location>; clients keep asking for modelId.
          ...(weights ? ['--served-model-name', props.modelId] : ['--model', props.modelId]),
          '--tensor-parallel-size', String(tp),
          ...tuning,
        ],
        cpu,
        memory,
        gpu: GpuRequest.of(tp, { gpuProduct: props.gpuProduct }),
        sharedMemorySize: sharedMemory,
        priorityClassName: props.priorityClassName,
        secretEnv: props.secretEnv,
        startupEstimate,
        modelWeights: weights,
        ...(weights?.source === ModelWeightsSource.DOWNLOAD && weightsSize !== undefined
          ? { modelCacheSize: ModelWeights._cacheSize(weightsSize) } : {}),
      },
      ...scaling,
    });

    this.deployment = this.autoscaler.deployment;
    this.workload = this.deployment;
    this.service = this.autoscaler.service!;
    this.podDisruptionBudget = this.autoscaler.podDisruptionBudget!;
    this.servingPodLabels = { ...this.autoscaler._modelServerPodLabels };
    if (props.queueName !== undefined) this.deployment.metadata.addLabel(LABEL_KUEUE_QUEUE_NAME, props.queueName);

    if (props.maxCpu !== undefined && (cpuMillisOf(props.maxCpu) ?? 0) < sizedCpuMillis) {
      invalidProp(this, 'maxCpu', props.maxCpu.amount, `is below the CPU the sizing gives a replica (${this.sizing.vcpus})`,
        `raise maxCpu to at least Cpu.units(${this.sizing.vcpus}), or leave it out`);
    }
    if (props.maxMemory !== undefined && props.maxMemory.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) < memory.toMebibytes()) {
      invalidProp(this, 'maxMemory', props.maxMemory, `is below the memory the sizing gives a replica (${memory.toGibibytes()} GiB with /dev/shm)`,
        `raise maxMemory to at least Size.gibibytes(${memory.toGibibytes()}), or leave it out`);
    }
    this.verticalAutoscaler = new VerticalAutoscaler(this, 'Vertical', {
      target: this.autoscaler.deployment,
      updateMode: props.updateMode ?? VpaUpdateMode.INITIAL,
      minReplicas: props.allowSingleReplica ? 1 : undefined,
      containerPolicies: [{
        containerName: MODEL_SERVER_CONTAINER,
        controlledResources: [VpaResource.CPU, VpaResource.MEMORY],
        controlledValues: VpaControlledValues.REQUESTS_AND_LIMITS,
        // Never below what loading the weights needs (plus /dev/shm, which counts against the limit).
        minAllowed: { cpu, memory },
        maxAllowed: {
          cpu: props.maxCpu ?? kplus.Cpu.units(this.sizing.vcpus * 4),
          memory: props.maxMemory ?? Size.gibibytes(memory.toGibibytes() * 2),
        },
      }],
    });
  }

  /**
   * The serving pods behind an `InferencePool`: vLLM on `servingPort`, selected by `servingPodLabels` (the leaders of a
   * replica across nodes, which serve the OpenAI API while the workers only run its pipeline stages).
   */
  public get inferencePoolBackend(): InferencePoolBackend {
    const namespace = this.workload.metadata.namespace ?? Chart.of(this).namespace;
    return {
      servingPodLabels: { ...this.servingPodLabels },
      servingPort: this.servingPort,
      modelServerKind: ModelServerKind.VLLM,
      ...(namespace !== undefined ? { namespace } : {}),
      description: this.multiNode ? `the leaders of LeaderWorkerSet '${this.workload.name}'` : `${this.workload.kind} '${this.workload.name}'`,
    };
  }

  /** Size, placement and ownership of the replicas: across nodes, per group (`groupSize` pods of the same size). */
  public get footprint(): WorkloadFootprint {
    if (!this.multiNode) return this.autoscaler.footprint;
    const f = builtFootprint(this.multiNode.leaderWorkerSet, this.multiNode.leaderPod,
      { minReplicas: this.autoscaler.minReplicas, maxReplicas: this.autoscaler.maxReplicas }, this.autoscaler.footprint.scalingOwner);
    return { ...f, groupSize: this.sizing.nodesPerReplica, ...(this.startupEstimate ? { startupEstimate: this.startupEstimate } : {}) };
  }

  /**
   * The LeaderWorkerSet's name, `<name>-lws`, or one made from the construct path; short enough for every name its
   * controller derives from it at `maxReplicas` groups of `nodes` pods (see maxLeaderWorkerSetNameLength).
   */
  private lwsName(name: string | undefined, maxReplicas: number, nodes: number): string {
    const max = maxLeaderWorkerSetNameLength(maxReplicas, nodes);
    if (name === undefined) {
      // A generated name ends with a hash, and starts with a letter for the headless Service (DNS-1035).
      const generated = Names.toDnsLabel(this, { maxLen: max - 1, extra: ['lws'] });
      return /^[a-z]/.test(generated) ? generated : `l${generated}`;
    }
    const lws = `${name}-lws`;
    if (lws.length > max) {
      invalidProp(this, 'name', name, `makes the LeaderWorkerSet name '${lws}' (${lws.length} characters), longer than the ${max} its pods' names allow ` +
        `at maxReplicas ${maxReplicas} and ${nodes} nodes per replica: the worker StatefulSets are '<name>-lws-<group>' (at most 52 characters, ` +
        'for the controller-revision-hash label) and the worker pods \'<name>-lws-<group>-<worker>\' (at most 63)',
      `shorten name to at most ${max - 4} characters`);
    }
    return lws;
  }
}
