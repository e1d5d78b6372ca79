/** The three kinds of GPU work that share node pools, highest priority first. */
export enum GpuWorkKind {
  /** Model servers answering users (InferenceAutoscaler, LargeModelServing, EdgeInference). */
  REAL_TIME_INFERENCE = 'real-time-inference',
  /** Throughput work measured in hours (BatchInferenceJob). */
  BATCH_INFERENCE = 'batch-inference',
  /** Long runs that resume from checkpoints (ElasticRayTraining, HyperparameterSearch). */
  TRAINING = 'training',
}
