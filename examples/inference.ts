/**
 * Example app: inference services scaled on custom metrics (HPA and KEDA) and batch inference jobs.
 *
 * - `chat`: a vLLM server on one A10G GPU per replica, real-time behavior, scaled on queued requests,
 *   KV-cache usage and GPU utilization.
 * - `embeddings`: text-embeddings-inference on CPU, scaled on its own request counter and latency histogram.
 * - `llama-70b`: a large model, sized from its parameters, scaled vertically (VPA) and horizontally, its weights read
 *   from a pre-populated volume.
 * - `llama-405b` (chart `llm`): Llama 3.1 405B at bf16, larger than one node: a LeaderWorkerSet of 2 x p5.48xlarge per
 *   replica (vLLM on Ray, tensor parallel 8, pipeline parallel 2), 2 to 3 replicas scaled by an HPA on the leaders' metrics,
 *   behind its own InferencePool and a route on the model's name.
 * - `reranker`: KEDA-scaled on requests, an SQS queue and a weekday cron window.
 * - `fine-tune`: an elastic Ray training cluster (GPU and CPU workers), token auth and a network policy.
 * - `tune-lr`: a Ray Tune hyperparameter search as a RayJob on its own elastic cluster.
 * - `llama-8b`: Llama 3.1 8B on Ray Serve with vLLM (a RayService), one A10G per replica, 1 to 4 replicas scaled by Serve on
 *   requests in flight, the workers by the Ray autoscaler.
 * - node pools: spot-first T4 inference pools, A10G and L4 pools, H100 nodes for each large model and an on-demand
 *   training pool, sized from hourly budgets; PriorityClasses for real-time, batch and training work on them; Kueue
 *   queues per team (research: fine-tune and tune-lr, its GPU quota a TeamGpuQuota enforced by Kueue; batch:
 *   embed-corpus and summarize) in one cohort, with a ResourceFlavor per NodePool.
 * - `llama-8b-slo`: vLLM on one L4 per replica, scaled on the targets an SloPlanner plan derives from a latency objective
 *   and a (illustrative) load profile measured on one replica.
 * - guardrails over the whole app: GPU placement, pool capacity at every maximum, a $675/h ceiling, ownership, Ray exposure.
 * - `embed-corpus`: a fixed-size, sharded batch Job; `summarize`: Jobs started by KEDA from a Redis list.
 * - `assistant`: a small vLLM model behind an InferencePool (the inference gateway) and an HTTPRoute from the platform's
 *   Gateway, scaled on the pool's queue and KV cache as the endpoint picker sees them.
 *
 * Run `npx cdk8s synth` to write dist/*.k8s.yaml.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BatchInferenceJob, CapacityType, CostAwareNodePool, ElasticRayTraining, GpuProduct, GpuRequest, GpuSharing, GpuWorkPriorities,
  HyperparameterSearch, InferenceAutoscaler, InferencePool, InstanceCatalog, InstanceType, KueueQueues, LargeModelServing, ModelArchitecture,
  ModelPrecision, ModelServerKind, ModelSizer, ModelWeights, NodePoolPurpose,
  PrometheusAdapterConfig, PrometheusSelector, QueueTrigger, ScalingBehavior, ScalingEngine, ScalingGuardrails, ScalingMetric, SloPlanner,
  TeamGpuQuota, TriggerCredentials, RayServeInference,
} from '../lib';

/** Qwen3-Reranker-0.6B's shape (config.json: 28 layers, 8 KV heads, head dim 128; 0.6B parameters). */
const QWEN3_RERANKER_0_6B = ModelArchitecture.of({ name: 'qwen3-reranker-0.6b', parameterCountBillions: 0.6, layers: 28, kvHeads: 8, headDim: 128 });

/** The platform's shared pieces: the one prometheus-adapter configuration of the cluster. */
export class MonitoringChart extends Chart {
  public readonly adapter: PrometheusAdapterConfig;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.adapter = new PrometheusAdapterConfig(this, 'adapter', { namespace: 'monitoring' });
  }
}

/** The inference services of one team. */
export class InferenceChart extends Chart {
  constructor(scope: Construct, id: string, adapter: PrometheusAdapterConfig, props: ChartProps = {}) {
    super(scope, id, props);
    const prometheusSelectorLabels = { release: 'kube-prometheus-stack' };

    new InferenceAutoscaler(this, 'chat', {
      name: 'chat',
      modelServer: {
        image: 'vllm/vllm-openai:v0.12.0',
        args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000'],
        cpu: Cpu.units(4),
        memory: Size.gibibytes(32),
        gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
        sharedMemorySize: Size.gibibytes(4),
        modelLoadTimeout: Duration.minutes(20),
        // Illustrative figures: measure yours (Karpenter's karpenter_pods_startup_duration_seconds for a pod that needed
        // a new node; the server's log from start to its first 200 on /health). The guardrails check the probe budget
        // and the progress deadline against them, and check() reports the time to capacity.
        startupEstimate: {
          nodeProvisioning: Duration.minutes(4),
          imagePull: Duration.minutes(3),
          modelLoad: Duration.minutes(2),
          warmUp: Duration.seconds(60),
        },
      },
      minReplicas: 3,
      maxReplicas: 20,
      behavior: ScalingBehavior.realTime(),
      metrics: [
        ScalingMetric.waitingRequests(5),
        ScalingMetric.kvCacheUsage(80),
        ScalingMetric.gpuUtilization(70),
      ],
      monitoring: { prometheusSelectorLabels },
      adapterConfig: adapter,
    });

    // TEI's own metrics: requests per second from te_request_count, p95 from te_request_duration (its image, its kind).
    new InferenceAutoscaler(this, 'embeddings', {
      name: 'embeddings',
      modelServer: {
        image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
        args: ['--model-id', 'BAAI/bge-base-en-v1.5'],
        cpu: Cpu.units(2),
        memory: Size.gibibytes(4),
      },
      maxReplicas: 10,
      metrics: [
        ScalingMetric.requestsPerSecond(15),
        ScalingMetric.responseTimeP95(Duration.millis(500)),
      ],
      monitoring: { prometheusSelectorLabels },
      adapterConfig: adapter,
    });

    // A 70B model in fp8 on H100s: GPUs per replica from the model's size, replicas on vLLM load,
    // CPU and host memory right-sized by a VPA when pods are created.
    new LargeModelServing(this, 'llama-70b', {
      name: 'llama-70b',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      precision: ModelPrecision.FP8,
      gpuProduct: GpuProduct.H100,
      contextLength: 16384,
      concurrency: 32,
      maxReplicas: 6,
      // The weights from a pre-populated ReadOnlyMany volume (e.g. FSx for Lustre), filled once outside the app: no
      // download from the Hub on every start. vLLM loads them with --model /model-weights/llama-3.1-70b-instruct and
      // serves them as modelId.
      modelWeights: ModelWeights.fromVolume({
        claimName: 'llama-3-1-70b-weights',
        path: 'llama-3.1-70b-instruct',
        // The sized fp8 weights (65.75 GiB) at 500 MiB/s: a model load of 135 s; the probe budget follows the estimate.
        transferMibPerSecond: 500,
      }),
      startupEstimate: {
        nodeProvisioning: Duration.minutes(5),
        imagePull: Duration.minutes(3),
        warmUp: Duration.minutes(2),
      },
      monitoring: { prometheusSelectorLabels },
      adapterConfig: adapter,
    });

    // KEDA engine: requests, a rerank queue on SQS (pod identity, no keys) and a weekday warm-up window.
    new InferenceAutoscaler(this, 'reranker', {
      name: 'reranker',
      modelServer: {
        image: 'ghcr.io/example/reranker:1.4.2',
        // Not a server the library knows: name the counter it exports.
        kind: ModelServerKind.generic({ requestCounter: 'http_requests_total' }),
        // A small reranker (Qwen3-Reranker-0.6B) needs 5.62 GiB of GPU memory at 4 sequences of 8,192 tokens (ModelSizer:
        // 1.12 GiB of weights, 3.5 GiB of KV cache, 1 GiB reserve): a quarter of an L4 (6 GiB of its 24) holds it, so four
        // replicas share each GPU. The gpu-sharing guardrail checks the need against the pool's share.
        cpu: Cpu.units(1),
        memory: Size.gibibytes(4),
        gpu: GpuRequest.timeSliced({
          gpuProduct: GpuProduct.L4,
          requiredGpuMemory: ModelSizer.size({ model: QWEN3_RERANKER_0_6B, gpuProduct: GpuProduct.L4, concurrency: 4 }).requiredGpuMemory,
        }),
      },
      maxReplicas: 12,
      behavior: ScalingBehavior.realTime(),
      metrics: [
        ScalingMetric.requestsPerSecond(25),
        ScalingMetric.fromQueue(QueueTrigger.sqs('https://sqs.us-west-2.amazonaws.com/123456789012/rerank', {
          region: 'us-west-2',
          messagesPerReplica: 20,
          credentials: TriggerCredentials.awsPodIdentity(),
        })),
        ScalingMetric.cronWindow('0 8 * * 1-5', '0 19 * * 1-5', 4, { timeZone: 'Europe/Berlin' }),
      ],
      engine: ScalingEngine.keda(),
      monitoring: { prometheusSelectorLabels },
    });
  }
}

/** Batch inference: a fixed-size nightly embedding run and a queue-driven summarizer. */
export class BatchChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);

    // 64 shards, 8 at a time; each pod reads its shard from JOB_COMPLETION_INDEX.
    new BatchInferenceJob(this, 'embed-corpus', {
      name: 'embed-corpus',
      image: 'ghcr.io/example/embedder:1.4.0',
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }),
      parallelism: 8,
      completions: 64,
      batchSize: 256,
      inputLocation: 's3://corpus/input/',
      outputLocation: 's3://corpus/embeddings/',
      nonRetriableExitCodes: [2],
      // Admitted by Kueue when the batch team's queue has all 8 GPUs free (KueueQueues in buildApp).
      queueName: 'batch',
    });

    // One Job per batch of messages on a Redis list; the password comes from an existing Secret.
    new BatchInferenceJob(this, 'summarize', {
      name: 'summarize',
      image: 'ghcr.io/example/summarizer:2.0.1',
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
      queue: QueueTrigger.redisList('redis.queues.svc:6379', 'summaries', {
        messagesPerReplica: 10,
        credentials: TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password' }),
      }),
      maxReplicaCount: 20,
      // Each Job KEDA starts waits in the batch team's queue for its GPU.
      queueName: 'batch',
    });
  }
}

/** Training: an elastic Ray cluster on GPU and CPU workers, locked down by default. */
export class TrainingChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    new ElasticRayTraining(this, 'fine-tune', {
      name: 'fine-tune',
      head: { cpu: Cpu.units(2), memory: Size.gibibytes(8) },
      workerGroups: [
        { name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: Cpu.units(8), memory: Size.gibibytes(32) },
        { name: 'gpu', minReplicas: 0, maxReplicas: 8, cpu: Cpu.units(8), memory: Size.gibibytes(64), gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }) },
      ],
      autoscaler: { idleTimeout: Duration.minutes(2) },
      checkpointVolumeClaim: 'training-checkpoints',
      allowedNamespaces: ['notebooks'],
      // An elastic job for Kueue: each scale-up is admitted from the research team's quota.
      queueName: 'research',
    });

    // 64 Tune trials, 8 at a time, half an A10G each: 4 workers at most; the cluster goes when the job ends.
    new HyperparameterSearch(this, 'tune-lr', {
      name: 'tune-lr',
      entrypoint: 'python tune.py',
      runtimeEnv: { workingDir: 's3://ml-experiments/tune-lr.zip', pipPackages: ['optuna==4.1.0'] },
      trialResources: { vcpus: 2, gpus: 0.5 },
      samples: 64,
      maxConcurrentTrials: 8,
      workerGpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
      deadline: Duration.hours(12),
      // Queued: Kueue admits the whole search (its 4 workers, fixed) from the research team's quota.
      queueName: 'research',
    });
  }
}

/** GPU capacity on Karpenter, bounded by hourly budgets: spot-first pools for inference, on-demand for training. */
export class CapacityChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const nodeClass = {
      role: 'KarpenterNodeRole-ml-platform',
      subnetTags: { 'karpenter.sh/discovery': 'ml-platform' },
      securityGroupTags: { 'karpenter.sh/discovery': 'ml-platform' },
      amiAlias: 'al2023@v20251015',
    };
    const catalog = InstanceCatalog.designDocument();
    const inferenceTypes = catalog.types.filter(t => t.name.startsWith('g4dn'));

    // Spot first, on-demand when spot runs out: $60/h in all, 70% of it for spot.
    new CostAwareNodePool(this, 'gpu-inference', {
      name: 'gpu-inference',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: inferenceTypes,
      capacityTypes: [CapacityType.SPOT, CapacityType.ON_DEMAND],
      budgetUsdPerHour: 60,
      spotBudgetShare: 0.7,
      nodeClass,
    });

    // A10G (g5) and L4 (g6) nodes for the services, batch jobs and training workers that ask for those GPUs, from the
    // built-in catalog (on-demand, us-east-1 prices); g5.8xlarge hosts the 64 GiB training workers with room for the kubelet.
    // The A10G budget buys 62 GPUs at the priciest A10G per GPU (g5.8xlarge, $2.448/h): 62 x 2.448 = $151.776/h, for the
    // 57 GPUs of chat, summarize, fine-tune and tune-lr at their maxima and llama-8b's 4 Ray Serve workers plus the 1 of an upgrade.
    const aws = InstanceCatalog.awsGpu();
    const named = (...names: string[]) => aws.types.filter(t => names.includes(t.name));
    new CostAwareNodePool(this, 'gpu-a10g', {
      name: 'gpu-a10g',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: named('g5.xlarge', 'g5.2xlarge', 'g5.4xlarge', 'g5.8xlarge'),
      budgetUsdPerHour: 151.78,
      nodeClass,
    });
    // $18/h: 18 L4 GPUs at g6.2xlarge's price, for the embedding run's 8 and llama-8b-slo's 8 replicas + 2 surge pods.
    new CostAwareNodePool(this, 'gpu-l4', {
      name: 'gpu-l4',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: named('g6.xlarge', 'g6.2xlarge'),
      budgetUsdPerHour: 18,
      nodeClass,
    });
    // The reranker's pool: each L4 time-sliced four ways (nvidia.com/gpu.shared), so its 12 replicas and 3 surge pods
    // need 4 GPUs, not 15. The device plugin's config goes to the GPU operator's namespace; no NodeOverlay, because
    // Karpenter's nodeOverlay feature gate is off by default (set nodeOverlay: true where it is on).
    new CostAwareNodePool(this, 'gpu-l4-shared', {
      name: 'gpu-l4-shared',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: named('g6.2xlarge'),
      budgetUsdPerHour: 4,
      nodeClass,
      gpuSharing: GpuSharing.timeSlicing(4),
    });

    // Large models: H100 nodes (p5.48xlarge, 8 GPUs, $55.04/h on demand); four of them, llama-70b's 24 GPUs at its maximum
    // and the 8 of the 2 pods its rollout surges by (maxSurge 25% of 6 replicas, rounded up).
    new CostAwareNodePool(this, 'gpu-large-models', {
      name: 'gpu-large-models',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: named('p5.48xlarge'),
      budgetUsdPerHour: 221,
      nodeClass,
    });

    // The 405B model's own H100 nodes: its 3 replicas at their maximum are 3 groups of 2 p5.48xlarge, 48 GPUs, $330.24/h;
    // a LeaderWorkerSet does not surge (maxSurge 0), so no more.
    new CostAwareNodePool(this, 'gpu-h100-multinode', {
      name: 'gpu-h100-multinode',
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: named('p5.48xlarge'),
      budgetUsdPerHour: 330.24,
      nodeClass,
    });

    // Training runs up to three days: never consolidated, expired or drifted mid-run. First on the training team's
    // On-Demand Capacity Reservation of 2 x p3.8xlarge (8 V100s, billed at the on-demand $12.24/h each, used or not: the
    // pool 'gpu-training-reserved', weight 100), then on demand within the $100/h left of the budget.
    new CostAwareNodePool(this, 'gpu-training', {
      name: 'gpu-training',
      purpose: NodePoolPurpose.TRAINING,
      instanceTypes: catalog.types.filter(t => t.name.startsWith('p3')),
      budgetUsdPerHour: 124.48,
      reservations: [{ id: 'cr-0a1b2c3d4e5f60718', instanceType: 'p3.8xlarge', instanceCount: 2 }],
      nodeClass,
    });
  }
}

/**
 * Large language models as the field serves them: a model larger than one node on a LeaderWorkerSet behind an
 * InferencePool, Ray Serve, and a service scaled from a latency objective.
 */
export class LlmChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    // Llama 3.1 8B (16 GB of bf16 weights) on one A10G (24 GB) per Serve replica, as the design document's vllm-rayserve-gpu
    // example serves it: Serve keeps 32 requests in flight per replica (vLLM batches them), 1 to 4 replicas, one g5.2xlarge-sized
    // worker each. An upgrade starts a second cluster at its minimum (a head and 1 worker) before traffic moves to it.
    new RayServeInference(this, 'llama-8b', {
      name: 'llama-8b',
      image: 'rayproject/ray-llm:2.52.0-py311-cu128',
      application: {
        importPath: 'vllm_serve:deployment',
        deploymentName: 'VLLMDeployment',
        model: 'meta-llama/Llama-3.1-8B-Instruct',
        env: { MAX_MODEL_LEN: '8192', GPU_MEMORY_UTILIZATION: '0.9' },
      },
      // Llama 3.1 is a gated model: the Hugging Face token comes from a Secret.
      secretEnv: { HF_TOKEN: { secretName: 'hf-token', key: 'token' } },
      autoscaling: { minReplicas: 1, maxReplicas: 4, targetOngoingRequests: 32, downscaleDelay: Duration.minutes(10) },
      workers: { gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }), cpu: Cpu.units(6), memory: Size.gibibytes(24) },
      operatorNamespace: 'kuberay-system',
    });

    const prometheusSelectorLabels = { release: 'kube-prometheus-stack' };

    // The inference gateway: a small model on the T4 pools (vLLM in fp16, the T4 has no bf16), behind an InferencePool
    // whose endpoint picker sends each request to the replica with the shortest queue and the most free KV cache, reached
    // through the platform's Gateway. The service scales on the pool's queue and KV cache as the picker sees them.
    const assistant = new InferenceAutoscaler(this, 'assistant', {
      name: 'assistant',
      modelServer: {
        image: 'vllm/vllm-openai:v0.12.0',
        args: ['--model', 'Qwen/Qwen2.5-3B-Instruct', '--dtype', 'half', '--max-model-len', '8192', '--port', '8000'],
        cpu: Cpu.units(3),
        memory: Size.gibibytes(12),
        gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.T4 }),
      },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [
        ScalingMetric.inferencePoolQueueSize('assistant', 4),
        ScalingMetric.inferencePoolKvCacheUtilization('assistant', 80),
      ],
      monitoring: { prometheusSelectorLabels },
    });
    new InferencePool(this, 'assistant-pool', {
      name: 'assistant',
      backend: assistant,
      // Two pickers (one leader) sized for a pool of a few replicas; the chart's 8 cores are for high request rates.
      endpointPicker: { cpu: Cpu.units(2), memory: Size.gibibytes(4), prometheusSelectorLabels },
      route: { gatewayName: 'inference-gateway', gatewayNamespace: 'gateway' },
    });

    // Llama 3.1 405B at bf16 does not fit one node of 8 x H100 (827 GiB needed, 576 usable): ModelSizer plans 2 nodes per
    // replica, so each replica is a LeaderWorkerSet group of 2 p5.48xlarge (tensor parallel 8 in a node, pipeline parallel
    // 2 across), on Ray, scaled by groups on the leaders' vLLM metrics; 2 to 3 replicas are 4 to 6 nodes.
    const llama405b = new LargeModelServing(this, 'llama-405b', {
      name: 'llama-405b',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_405B,
      modelId: 'meta-llama/Llama-3.1-405B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxNodesPerReplica: 2,
      maxReplicas: 3,
      // Illustrative: each node loads its half of the 756 GiB of weights (378 GiB) at 1,000 MiB/s from the model cache.
      startupEstimate: {
        nodeProvisioning: Duration.minutes(6),
        imagePull: Duration.minutes(4),
        weightLoadMibPerSecond: 1000,
        warmUp: Duration.minutes(3),
      },
      monitoring: { prometheusSelectorLabels },
    });
    // Behind the same Gateway, in its own InferencePool: the picker balances the groups' leaders (the pods that serve the
    // API; the workers only run pipeline stages). Requests for this model carry its name in X-Gateway-Base-Model-Name,
    // which the Gateway's body-based router sets from the request's "model" field; every other request on '/' goes to
    // the assistant's route, the one without a header match.
    new InferencePool(this, 'llama-405b-pool', {
      name: 'llama-405b',
      backend: llama405b,
      endpointPicker: { cpu: Cpu.units(2), memory: Size.gibibytes(4), prometheusSelectorLabels },
      route: { gatewayName: 'inference-gateway', gatewayNamespace: 'gateway', baseModelName: 'meta-llama/Llama-3.1-405B-Instruct' },
    });

    // Llama 3.1 8B on one L4, scaled from a latency objective: p95 time to first token 600 ms, p95 inter-token latency
    // 85 ms, for a peak of 6 requests/s. The profile is ILLUSTRATIVE: measure yours on one replica as it will run (same GPU,
    // image, flags, prompt and output lengths), e.g. `vllm bench serve --model meta-llama/Llama-3.1-8B-Instruct
    // --dataset-name random --random-input-len 1024 --random-output-len 256 --max-concurrency N --num-prompts 10N` for
    // N = 1, 4, 8, 16, 32, 64, reading its request throughput, output token throughput and P95 TTFT and ITL, with
    // vllm:kv_cache_usage_perc and vllm:num_requests_waiting from /metrics during the run.
    // The plan: 16 meets the objective, 32 misses it; TTFT reaches 600 ms at 16 + 16 x 220 / 770 = 20.6 requests
    // (ITL 85 ms only at 23.3), so the limit is 20 requests and 1.065 requests/s per replica; with 20% headroom the
    // targets are 16 running requests and 33.4% KV cache, and the peak takes 6 replicas (8 at the targets).
    const ms = (n: number) => Duration.millis(n);
    // concurrency, requests/s, output tokens/s, p95 TTFT (ms), p95 ITL (ms), KV-cache usage (%), waiting requests
    const measured = [
      [1, 0.07, 17, 95, 58, 2, 0],
      [4, 0.26, 66, 140, 62, 8, 0],
      [8, 0.5, 128, 210, 66, 16, 0],
      [16, 0.92, 236, 380, 74, 33, 0],
      [32, 1.5, 384, 1150, 98, 68, 0],
      [64, 1.7, 435, 4800, 131, 97, 21],
    ];
    const plan = SloPlanner.plan({
      objective: { ttftP95: ms(600), itlP95: ms(85) },
      profile: measured.map(([concurrency, requestsPerSecond, outputTokensPerSecond, ttft, itl, kvCacheUsagePercent, waitingRequests]) => ({
        concurrency, requestsPerSecond, outputTokensPerSecond, ttftP95: ms(ttft), itlP95: ms(itl), kvCacheUsagePercent, waitingRequests,
      })),
      peakRequestsPerSecond: 6,
    });
    new InferenceAutoscaler(this, 'llama-8b-slo', {
      name: 'llama-8b-slo',
      modelServer: {
        image: 'vllm/vllm-openai:v0.12.0',
        args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000', '--max-model-len', '8192'],
        cpu: Cpu.units(4),
        memory: Size.gibibytes(24),
        gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }),
        sharedMemorySize: Size.gibibytes(4),
        modelLoadTimeout: Duration.minutes(20),
      },
      minReplicas: 3,
      // The replicas the peak takes at the plan's targets.
      maxReplicas: plan.replicasAtPeakWithHeadroom!,
      behavior: ScalingBehavior.realTime(),
      // Running requests and KV cache at the plan's targets, and the TTFT objective itself as a backstop.
      metrics: [...ScalingMetric.fromSloPlan(plan), ScalingMetric.timeToFirstTokenP95(plan.objective.ttftP95)],
    });
  }
}

/** Builds the example app (tests synthesize it too). */
export function buildApp(app: App = new App()): App {
  // kube-prometheus-stack loads only the rules and monitors labelled with its Helm release: every one the app creates carries it.
  new PrometheusSelector(app, 'prometheus', { labels: { release: 'kube-prometheus-stack' } });
  const monitoring = new MonitoringChart(app, 'monitoring');
  new InferenceChart(app, 'inference', monitoring.adapter, { namespace: 'ml-serving' });
  new BatchChart(app, 'batch', { namespace: 'ml-batch' });
  new TrainingChart(app, 'training', { namespace: 'ml-training' });
  new LlmChart(app, 'llm', { namespace: 'ml-llm' });
  const capacity = new CapacityChart(app, 'capacity');
  // Real-time inference may preempt batch and training on the shared GPU pools.
  new GpuWorkPriorities(capacity, 'priorities');
  // Batch and training go through Kueue, a queue per team in one cohort: batch has the 8 L4 GPUs of the embedding run
  // and 16 A10G GPUs for the summarizer, and borrows research's 4 for the summarizer's 20 Jobs at its maximum.
  const queues = new KueueQueues(capacity, 'queues', {
    cohort: 'ml-teams',
    teams: [
      {
        name: 'batch',
        namespaces: ['ml-batch'],
        gpus: [{ nodePool: 'gpu-l4', gpus: 8 }, { nodePool: 'gpu-a10g', gpus: 16, borrowingLimitGpus: 4 }],
      },
    ],
  });
  // The training team's GPU quota, enforced by Kueue admission rather than a ResourceQuota (TeamGpuQuota's Kueue variant:
  // its ClusterQueue 'research' and LocalQueue are added to the queues): guaranteed 12 A10G GPUs (the fine-tune
  // cluster's 8 and the search's 4), lending 4 when idle.
  new TeamGpuQuota(capacity, 'training-quota', {
    kueue: {
      queues,
      team: {
        name: 'research',
        namespaces: ['ml-training'],
        gpus: [{ nodePool: 'gpu-a10g', gpus: 12, lendingLimitGpus: 4 }],
        vcpus: 160,
        memory: Size.gibibytes(800),
      },
    },
  });
  // Every workload placeable on a pool, every pool able to hold its workloads at their maximum (and rollout surge), at
  // most $675/h: the worst case is $663.42/h, of which llama-405b's 3 replicas of 2 p5.48xlarge are $330.24/h (the
  // rest, $333.18/h), so the ceiling went up from $500/h rather than capping the 405B model at 2 replicas. The CPU
  // workloads (the embeddings service, the Ray heads and CPU workers) run on the cluster's system node group, outside
  // the app: declared with its instance types (on-demand, us-east-1) so the budget prices it too.
  const system = (name: string, priceUsdPerHour: number, vcpus: number) =>
    InstanceType.of({ name, priceUsdPerHour, vcpus, memory: Size.gibibytes(vcpus * 4), gpus: 0 });
  new ScalingGuardrails(app, 'guardrails', {
    budgetUsdPerHour: 675,
    nodePools: [{
      name: 'system',
      // An EKS managed node group on on-demand capacity: the bill prices it so (a pool that names no capacity type is billed as spot).
      labels: { 'karpenter.sh/capacity-type': ['on-demand'] },
      instanceTypes: [system('m7i.2xlarge', 0.4032, 8), system('m7i.4xlarge', 0.8064, 16)],
    }],
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
