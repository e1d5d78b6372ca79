/**
 * The scaling decision matrix behind ScalingStrategyAdvisor, with every text it returns. Values are the
 * string values of the public enums (WorkloadScenario, WorkloadKind, ScalingApproach).
 */

/** What the advisor's errors are raised against. */
export const ADVISOR = 'ScalingStrategyAdvisor';
export const ADVISOR_FIX = 'use a WorkloadScenario member; ScalingStrategyAdvisor.scenarios() lists them all';

/**
 * Constructs the recommendations name that are planned but not yet in the library: none, every construct named is
 * exported (test/planning/scaling-strategy-advisor.test.ts checks each name against src/index.ts).
 */
export const PLANNED: readonly string[] = [];

/** One row of the matrix. */
export interface MatrixRow {
  readonly scenario: string;
  readonly kind: string;
  readonly approach: string;
  readonly reasoning: string;
  readonly constructs: string[];
  readonly planned: string[];
  readonly caveats: string[];
}

const VPA_NO_GPU = 'The VPA sizes CPU and memory only, never GPUs: the GPUs per replica come from the instance type or '
  + 'the model sizing, not from the VPA';
const NODE_POOL = 'Provision the GPU nodes with CostAwareNodePool (a Karpenter NodePool and EC2NodeClass): bound its '
  + 'spend with budgetUsdPerHour, and keep training off spot unless it checkpoints';
const RAY = 'Never expose the Ray dashboard (port 8265) outside the cluster: its job API runs arbitrary code (CVE-2023-48022). '
  + 'ElasticRayTraining and HyperparameterSearch keep token authentication on and admit only the cluster\'s own pods, the '
  + 'KubeRay operator and Prometheus through a NetworkPolicy';

function row(scenario: string, approach: string, reasoning: string, constructs: string[], caveats: string[]): MatrixRow {
  return {
    scenario,
    kind: scenario.split('/')[0],
    approach,
    reasoning,
    constructs,
    planned: constructs.filter(c => PLANNED.includes(c)),
    caveats,
  };
}

/** The ten scenarios, training first, in the design document's order. */
export const MATRIX: MatrixRow[] = [
  row('training/single-large-model', 'vertical',
    'A training step that cannot be split across machines only gets faster on a bigger machine: more GPU memory '
    + 'and GPUs joined by the fast links inside one host, with no gradients crossing the network.',
    ['CostAwareNodePool'],
    [VPA_NO_GPU, 'One node is one point of failure: checkpoint often enough that losing the node costs little',
      'Once the model outgrows the largest node, switch to distributed training', NODE_POOL]),
  row('training/hyperparameter-tuning', 'horizontal',
    'Each trial is a separate training run that shares nothing with the others, so more workers finish the '
    + 'search sooner at the same cost per trial.',
    ['HyperparameterSearch', 'CostAwareNodePool'],
    ['Cap the concurrent trials: the cost grows with them, the search result does not',
      'Stop poor trials early and checkpoint trials so spot capacity can be used', RAY, NODE_POOL]),
  row('training/distributed-training', 'horizontal',
    'Data-parallel and model-parallel training are built to spread one job over many nodes; adding nodes raises '
    + 'throughput as long as the network keeps up with the gradient exchange.',
    ['ElasticRayTraining', 'CostAwareNodePool'],
    ['All workers of a step must run at once: changing their number needs elastic training that resumes from a checkpoint',
      'Inter-node bandwidth (e.g. EFA) limits the speed-up; keep workers in one zone', RAY, NODE_POOL]),
  row('training/data-processing', 'horizontal',
    'Records are processed independently, so the data splits into shards that any number of workers can take '
    + 'in parallel.',
    ['BatchInferenceJob', 'CostAwareNodePool'],
    ['BatchInferenceJob runs any sharded pass (an Indexed Job), not only inference',
      'A shard must be safe to run twice: pods lost to spot interruptions are retried', NODE_POOL]),
  row('training/experimentation', 'elastic-horizontal',
    'Exploratory work needs nothing for hours and then a burst of workers; capacity that follows it, down to '
    + 'zero when idle, avoids paying for a cluster sized for the peak.',
    ['ElasticRayTraining', 'CostAwareNodePool'],
    ['Set a maximum number of workers: it is the spending limit', 'Scale idle clusters to zero workers', RAY,
      NODE_POOL]),
  row('inference/real-time-api', 'horizontal',
    'Several identical replicas share the traffic and survive the loss of any one of them; replicas are added '
    + 'as the request rate grows, without restarting the ones serving.',
    ['InferenceAutoscaler', 'CostAwareNodePool'],
    ['Keep at least 3 replicas and use ScalingBehavior.realTime(): scale up within seconds, down only after '
      + '10 minutes',
    'Scale on a load metric (waiting requests, requests per second), which reaches the HPA only through a metrics '
      + 'adapter: InferenceAutoscaler configures prometheus-adapter',
    'A model server takes minutes to start: leave headroom (a target below full utilization)', NODE_POOL]),
  row('inference/batch-processing', 'horizontal',
    'Items are scored independently, so throughput grows with the number of workers and the batch finishes '
    + 'sooner at about the same total cost.',
    ['BatchInferenceJob', 'CostAwareNodePool'],
    ['An HPA cannot scale a Job: queue-driven batches use a KEDA ScaledJob (BatchInferenceJob with a queue)',
      'Authenticate the queue trigger with a TriggerAuthentication using pod identity, never inline keys', NODE_POOL]),
  row('inference/large-model-serving', 'vertical-and-horizontal',
    'The model decides the size of a replica (it must hold the weights and KV cache on its GPUs); the traffic '
    + 'decides how many replicas run.',
    ['LargeModelServing', 'InferenceAutoscaler', 'VerticalAutoscaler', 'CostAwareNodePool'],
    ['Use VPA update mode Initial (LargeModelServing\'s default): evicting a server that takes minutes to load '
      + 'its weights is an outage', VPA_NO_GPU + ' (LargeModelServing sizes them with ModelSizer)',
    'Each new replica needs a whole multi-GPU node free: keep a minimum of 2 and scale up early', NODE_POOL]),
  row('inference/edge-inference', 'vertical',
    'An edge node has room for one replica, so the only lever is how much of the node that replica gets.',
    ['EdgeInference', 'VerticalAutoscaler'],
    ['Each VPA update restarts the only pod (Recreate, EdgeInference\'s default) and the service is down until '
      + 'the model has loaded; use Initial or Off where that is not acceptable',
    'There is no redundancy: a PodDisruptionBudget cannot protect a single pod without blocking node drains',
    'Bound the VPA with maxCpu and maxMemory below what the node has']),
  row('inference/multi-model-serving', 'horizontal',
    'Each model has its own traffic, so each gets its own replicas and scales on its own load instead of the '
    + 'busiest model sizing every server.',
    ['InferenceAutoscaler', 'CostAwareNodePool'],
    ['Use one InferenceAutoscaler per model, each with its own minimum and maximum',
      'Rarely used models can scale to zero with the KEDA engine, at the cost of a cold start', NODE_POOL]),
];
