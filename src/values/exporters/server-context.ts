import type { ModelServerKind } from '../model-server-kind';

/** What an autoscaler knows of the server its metrics are read from (internal: ScalingMetric._resolve). */
export interface ServerContext {
  /** The server's kind. */
  readonly kind: ModelServerKind;
  /** The image, for messages. */
  readonly image?: string;
  /** Whether its pods request GPUs. */
  readonly hasGpu: boolean;
}
