import { checkOneOf, checkStruct } from '../common/validate';
import { ADVISOR, ADVISOR_FIX, MATRIX } from './internal/advisor-matrix';

/** Whether a workload trains models or serves them. */
export enum WorkloadKind {
  /** Producing or tuning a model. */
  TRAINING = 'training',
  /** Serving predictions from a trained model. */
  INFERENCE = 'inference',
}

/** The workload scenarios of the design document's scaling decision matrix. */
export enum WorkloadScenario {
  /** Training: one large model whose step does not split well across machines. */
  SINGLE_LARGE_MODEL = 'training/single-large-model',
  /** Training: many independent trials over a search space of hyperparameters. */
  HYPERPARAMETER_TUNING = 'training/hyperparameter-tuning',
  /** Training: one model trained data-parallel (or model-parallel) across several nodes. */
  DISTRIBUTED_TRAINING = 'training/distributed-training',
  /** Training: preparing or transforming data sets (feature extraction, tokenization, shuffling). */
  DATA_PROCESSING = 'training/data-processing',
  /** Training: notebooks and ad-hoc runs whose needs change from one hour to the next. */
  EXPERIMENTATION = 'training/experimentation',
  /** Inference: a synchronous API with a latency target. */
  REAL_TIME_API = 'inference/real-time-api',
  /** Inference: a large set of inputs scored offline, or a queue of requests without a latency target. */
  BATCH_PROCESSING = 'inference/batch-processing',
  /** Inference: a model that needs several GPUs (or a large GPU) per replica, under a varying load. */
  LARGE_MODEL_SERVING = 'inference/large-model-serving',
  /** Inference: a single replica on a constrained edge node. */
  EDGE_INFERENCE = 'inference/edge-inference',
  /** Inference: several models served side by side, each with its own load. */
  MULTI_MODEL_SERVING = 'inference/multi-model-serving',
}

/** How a workload should grow (named apart from cdk8s-plus's `ScalingStrategy`, which an app may import too). */
export enum ScalingApproach {
  /** More replicas (or workers) of the same size. */
  HORIZONTAL = 'horizontal',
  /** A bigger instance (or more CPU and memory) for the same replica. */
  VERTICAL = 'vertical',
  /** Replicas sized for the model, and more of them for the load. */
  VERTICAL_AND_HORIZONTAL = 'vertical-and-horizontal',
  /** Workers added and removed while the job runs, down to zero when idle. */
  ELASTIC_HORIZONTAL = 'elastic-horizontal',
}

/** What to advise on. */
export interface AdvisorProps {
  /** The workload's scenario. */
  readonly scenario: WorkloadScenario;
}

/** How to scale one scenario, and with which of this library's constructs. */
export interface StrategyRecommendation {
  /** The scenario advised on. */
  readonly scenario: WorkloadScenario;
  /** Training or inference. */
  readonly kind: WorkloadKind;
  /** The recommended approach. */
  readonly approach: ScalingApproach;
  /** Why this approach fits the scenario. */
  readonly reasoning: string;
  /** Names of this library's constructs that implement the approach, most specific first; each is exported by the library. */
  readonly constructs: string[];
  /** Those of `constructs` that are planned, not yet in the library: empty, since every construct named is released. */
  readonly plannedConstructs: string[];
  /** What to watch for when applying the approach. */
  readonly caveats: string[];
}

/**
 * The design document's scaling decision matrix as code: for each training and inference scenario, the
 * approach (horizontal, vertical, both, or elastic), why, the constructs that build it, and the caveats.
 *
 * Use it as a starting point when choosing a construct; `ScalingCostAnalyzer.compare` then prices the
 * horizontal and vertical options for your load.
 *
 * @example
 * const rec = ScalingStrategyAdvisor.recommend({ scenario: WorkloadScenario.REAL_TIME_API });
 * // rec.approach === ScalingApproach.HORIZONTAL, rec.constructs[0] === 'InferenceAutoscaler'
 */
export class ScalingStrategyAdvisor {
  /** The recommendation for one scenario. */
  public static recommend(props: AdvisorProps): StrategyRecommendation {
    checkStruct(ADVISOR, 'props', props, 'give an object such as { scenario: WorkloadScenario.REAL_TIME_API }');
    const scenario = checkOneOf(ADVISOR, 'scenario', props.scenario, Object.values(WorkloadScenario), ADVISOR_FIX);
    const row = MATRIX.find(r => r.scenario === scenario)!;
    return {
      scenario: row.scenario as WorkloadScenario,
      kind: row.kind as WorkloadKind,
      approach: row.approach as ScalingApproach,
      reasoning: row.reasoning,
      constructs: [...row.constructs],
      plannedConstructs: row.constructs.filter(c => row.planned.includes(c)),
      caveats: [...row.caveats],
    };
  }

  /** Every scenario of the matrix: the five training ones, then the five inference ones. */
  public static scenarios(): WorkloadScenario[] {
    return MATRIX.map(r => r.scenario as WorkloadScenario);
  }

  private constructor() {}
}
