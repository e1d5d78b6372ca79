import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { InferenceAutoscaler, ScalingMonitoringOptions } from './inference-autoscaler';
import { PrometheusAdapterConfig } from './prometheus-adapter-config';
import { invalidProp } from '../common/errors';
import { GpuProduct } from '../planning/gpu-product';
import { GpuRequest } from '../values/gpu-request';
import { MODEL_SERVER_CONTAINER } from './internal/model-server';
import { requirePriorityClassName } from './internal/priority';
import { VerticalAutoscaler, VpaControlledValues, VpaResource, VpaUpdateMode } from './vertical-autoscaler';
import { ModelArchitecture, ModelPrecision, ModelSizer, ModelSizing } from '../planning/model-sizer';
import { ScalingBehavior } from '../planning/scaling-behavior';
import { ModelServerKind } from '../values/model-server-kind';
import { ScalingEngine } from '../values/scaling-engine';
import { ScalingMetric } from '../values/scaling-metric';
import { IWorkloadFootprintProvider, WorkloadFootprint } from '../values/workload-footprint';

/** Properties of a LargeModelServing. */
export interface LargeModelServingProps {
  /** The vLLM (OpenAI-compatible server) image, pinned to a tag. */
  readonly image: string;
  /** The model's architecture: what sizes its weights and KV cache. */
  readonly model: ModelArchitecture;
  /** The model to serve, as vLLM's `--model` takes it (a Hugging Face id or a local path). */
  readonly modelId: string;
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
   * GPUs on one node: the most one replica can use.
   * @default 8
   */
  readonly gpusPerNode?: number;
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
   * What the replicas scale on. CPU and memory utilization are not allowed: the VPA controls them.
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
   * and never evicts one: evicting a server that takes minutes to load a model is an outage.
   * @default VpaUpdateMode.INITIAL
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
   * More vLLM arguments.
   * @default - none
   */
  readonly extraArgs?: string[];
  /**
   * Base name of the objects.
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
}

/**
 * A vLLM server sized for a large model, scaled vertically and horizontally at once.
 *
 * The GPUs per replica (the tensor-parallel degree) come from the model's size, precision, context and
 * concurrency (`ModelSizer.size`); a model that does not fit one node fails at construction with the
 * numbers, instead of producing pods that can never schedule. An InferenceAutoscaler adds and removes
 * replicas on a load metric, while a VPA right-sizes each replica's CPU and host memory (never below what
 * loading the weights needs), by default only when a pod is created.
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
export class LargeModelServing extends Construct implements IWorkloadFootprintProvider {
  /** The sizing the replicas were built from. */
  public readonly sizing: ModelSizing;
  /** The horizontal side: Deployment, Service, HPA (or ScaledObject), monitoring. */
  public readonly autoscaler: InferenceAutoscaler;
  /** The vertical side: the VPA on the model server container. */
  public readonly verticalAutoscaler: VerticalAutoscaler;

  public constructor(scope: Construct, id: string, props: LargeModelServingProps) {
    super(scope, id);
    requirePriorityClassName(this, 'priorityClassName', props.priorityClassName);
    const precision = props.precision ?? ModelPrecision.BF16;
    this.sizing = ModelSizer.size({
      model: props.model,
      precision,
      contextLength: props.contextLength,
      concurrency: props.concurrency,
      gpuProduct: props.gpuProduct,
      gpusPerNode: props.gpusPerNode,
    });
    if (!this.sizing.fits) {
      invalidProp(this, 'model', props.model.name, `does not fit one node: ${this.sizing.reason}`,
        'change the GPU, precision, contextLength or concurrency');
    }
    const tp = this.sizing.gpusPerReplica;
    const contextLength = props.contextLength ?? 8192;
    const concurrency = props.concurrency ?? 16;
    const cpu = kplus.Cpu.units(this.sizing.vcpus);
    // NCCL moves tensors between tensor-parallel ranks through /dev/shm.
    const sharedMemory = Size.gibibytes(tp > 1 ? 16 : 4);
    const memory = Size.gibibytes(this.sizing.hostMemory.toGibibytes() + sharedMemory.toGibibytes());

    this.autoscaler = new InferenceAutoscaler(this, 'Server', {
      name: props.name,
      modelServer: {
        image: props.image,
        // The arguments below are vLLM's: its metric names and version check apply whatever the image's registry.
        kind: ModelServerKind.VLLM,
        args: [
          '--model', props.modelId,
          '--tensor-parallel-size', String(tp),
          '--max-model-len', String(contextLength),
          '--max-num-seqs', String(concurrency),
          '--gpu-memory-utilization', '0.9',
          '--port', '8000',
          // fp8 weights from a 16-bit checkpoint; int8/int4 checkpoints carry their own quantization config.
          ...(precision.name === 'fp8' ? ['--quantization', 'fp8'] : []),
          // The sizing puts the KV cache of 8- and 4-bit models in 8 bits; vLLM keeps 16 unless told.
          ...(precision.bytesPerParameter <= 1 ? ['--kv-cache-dtype', 'fp8'] : []),
          ...(props.extraArgs ?? []),
        ],
        cpu,
        memory,
        gpu: GpuRequest.of(tp, { gpuProduct: props.gpuProduct }),
        sharedMemorySize: sharedMemory,
        priorityClassName: props.priorityClassName,
      },
      minReplicas: props.minReplicas,
      maxReplicas: props.maxReplicas,
      allowSingleReplica: props.allowSingleReplica,
      metrics: props.metrics ?? [ScalingMetric.waitingRequests(5), ScalingMetric.kvCacheUsage(80)],
      behavior: props.behavior,
      engine: props.engine,
      monitoring: props.monitoring,
      adapterConfig: props.adapterConfig,
    });

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

  /** Size, placement and ownership of the replicas. */
  public get footprint(): WorkloadFootprint {
    return this.autoscaler.footprint;
  }
}
