import { IConstruct } from 'constructs';
import { ModelServerKind } from './model-server-kind';

/**
 * What an InferencePool needs to know about the model servers behind it: the labels that select exactly their pods,
 * the port the server listens on, and what kind of server it is (the endpoint picker reads its metrics).
 */
export interface InferencePoolBackend {
  /**
   * Labels every serving pod carries and no other pod of the namespace does: the pool's `selector.matchLabels`.
   * For a Deployment, its selector's `matchLabels`.
   */
  readonly servingPodLabels: { [key: string]: string };
  /** The container port the model server listens on: the pool's `targetPorts`. */
  readonly servingPort: number;
  /** The model server: the endpoint picker scrapes its metrics (queue, running requests, KV cache). */
  readonly modelServerKind: ModelServerKind;
  /**
   * The namespace of the serving pods: an InferencePool selects pods of its own namespace only.
   * @default - the namespace of the backend's chart
   */
  readonly namespace?: string;
  /** What serves, for messages, e.g. `Deployment 'chat'`. */
  readonly description: string;
}

/**
 * A construct whose pods can stand behind an InferencePool: `InferenceAutoscaler` (a Deployment of one model server),
 * and any construct that serves a model on pods it can describe by labels and a port.
 */
export interface IInferencePoolBackend extends IConstruct {
  /** The serving pods, their port and their server. */
  readonly inferencePoolBackend: InferencePoolBackend;
}
