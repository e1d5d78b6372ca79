import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GpuRequest } from './gpu-request';

/** The model server container an InferenceAutoscaler creates a Deployment for. */
export interface ModelServerProps {
  /** Container image, pinned to a tag or digest. */
  readonly image: string;
  /**
   * Arguments to the image's entrypoint.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Plain environment variables. Credentials never belong here: mount them from a Secret.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * The port the server listens on; the Service and the metrics scrape use it.
   * @default 8000
   */
  readonly port?: number;
  /**
   * CPU per pod (request and limit: a model server wants Guaranteed QoS).
   * @default Cpu.units(2)
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory per pod (request and limit). Loading weights needs host memory too.
   * @default Size.gibibytes(8)
   */
  readonly memory?: Size;
  /**
   * GPUs per pod.
   * @default - no GPU
   */
  readonly gpu?: GpuRequest;
  /**
   * HTTP path that answers 200 once the model is loaded (readiness, startup and liveness probes).
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * HTTP path of the Prometheus metrics.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * The longest a replica may take from start to ready (pulling and loading the model): the startup
   * probe allows this long before the kubelet restarts the container.
   * @default Duration.minutes(15)
   */
  readonly modelLoadTimeout?: Duration;
  /**
   * User ID the container runs as. Many model-server images run as root; the restricted Pod Security
   * profile needs a non-root user, so one is set explicitly.
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Size of the memory-backed `/dev/shm` (NCCL and PyTorch workers share tensors through it).
   * Counts against the pod's memory limit.
   * @default Size.gibibytes(2)
   */
  readonly sharedMemorySize?: Size;
  /**
   * Where the writable model cache is mounted (`HF_HOME` and `XDG_CACHE_HOME` point below it).
   * @default '/models'
   */
  readonly modelCachePath?: string;
  /**
   * Size limit of the model cache volume.
   * @default - no limit (node ephemeral storage)
   */
  readonly modelCacheSize?: Size;
  /**
   * How long a stopping pod may finish its in-flight requests before it is killed.
   * @default Duration.seconds(120)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long a stopping pod keeps serving while endpoints stop sending it traffic (a `sleep` preStop
   * hook: the image needs a `sleep` binary). Duration.seconds(0) turns the hook off.
   * @default Duration.seconds(10)
   */
  readonly drainDelay?: Duration;
  /**
   * The PriorityClass of the pods. The class must exist in the cluster: the API server rejects pods that
   * name a missing one.
   * @default - the real-time inference class of the app's GpuWorkPriorities; none when the app has none
   */
  readonly priorityClassName?: string;
}
