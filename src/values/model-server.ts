import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { GpuRequest } from './gpu-request';
import { ModelServerKind } from './model-server-kind';
import { ModelWeights } from './model-weights';
import { SecretKeyReference } from './secret-key-reference';
import { StartupEstimate } from '../planning/time-to-capacity';

/** The model server container an InferenceAutoscaler creates a Deployment for. */
export interface ModelServerProps {
  /**
   * Container image, pinned to a tag or digest. For a known server (see `kind`) the tag names the release, which must
   * export the metric names the library pins (e.g. `vllm/vllm-openai:v0.12.0` or later).
   */
  readonly image: string;
  /**
   * Accept an image with no tag and no digest, or the tag `latest`: nodes then pull whatever the tag points to when a
   * pod starts, so replicas may run different releases. A known server's release is still checked where the autoscaler
   * reads its metrics (InferenceAutoscaler), since its metric names depend on it.
   * @default false
   */
  readonly allowUnpinnedImage?: boolean;
  /**
   * What server the image runs: its port, health and metrics paths, and the metric names the presets scale on.
   * @default - the preset of the image's repository (`ModelServerKind.fromImage(image)`), else `ModelServerKind.generic()`
   */
  readonly kind?: ModelServerKind;
  /**
   * The server's release, for an image pinned by digest alone (the tag says it otherwise).
   * @default - read from the image tag
   */
  readonly serverVersion?: string;
  /**
   * Arguments to the image's entrypoint.
   * @default - none
   */
  readonly args?: string[];
  /**
   * Plain environment variables, named as Kubernetes accepts them (letters, digits, '_', '-' and '.', not starting
   * with a digit). Credentials never belong here: a name that says it is one (ending in `_TOKEN`, `_PASSWORD`,
   * `_SECRET`, `_SECRET_KEY`, `_API_KEY`, `_ACCESS_KEY` or `_PRIVATE_KEY`, e.g. `HF_TOKEN`) is an error; use `secretEnv`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secret keys (`valueFrom.secretKeyRef`), after `env`: a Hugging Face token for a
   * gated model, an API key. Names as in `env`, none of them also in `env`. The kubelet reads the Secrets, which must be
   * in the pod's namespace: no Role is needed.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * The port the server listens on; the Service, the probes and (unless the kind has a metrics port) the scrape use it.
   * Servers that read their port from the environment (TEI, TGI) are told it through `PORT`.
   * @default - the kind's port (vLLM 8000, TEI 8080, Triton 8000, SGLang 30000, TGI 8080, generic 8000)
   */
  readonly port?: number;
  /**
   * CPU per pod (request and limit: a model server wants Guaranteed QoS), at least 1 millicore.
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
   * @default - the kind's (`/health`; Triton `/v2/health/ready`)
   */
  readonly healthPath?: string;
  /**
   * HTTP path of the Prometheus metrics.
   * @default - the kind's (`/metrics`)
   */
  readonly metricsPath?: string;
  /**
   * The longest a replica may take from start to ready (pulling and loading the model): the startup
   * probe allows this long before the kubelet restarts the container. From 10 seconds to 24 hours.
   * Shorter than the estimate's modelLoad + warmUp (failureThreshold - 1 periods of 10 s) is an error.
   * @default - 1.5 x (startupEstimate.modelLoad + warmUp) when `startupEstimate` is given, else Duration.minutes(15)
   */
  readonly modelLoadTimeout?: Duration;
  /**
   * How long a new replica takes to become ready: node provisioning, image pull, model load, warm-up (e.g. from
   * `TimeToCapacity.estimate`). Without `modelLoadTimeout`, the startup probe allows 1.5 x (modelLoad + warmUp), and the
   * progress deadline adds the larger of 10 minutes and 1.5 x (nodeProvisioning + imagePull); the guardrails check the
   * probe budget, the progress deadline and a predictive lead time against it (rule time-to-capacity).
   * @default - not known: the startup probe allows `modelLoadTimeout`, and the guardrails have nothing to check
   */
  readonly startupEstimate?: StartupEstimate;
  /**
   * User ID the container runs as. Many model-server images run as root; the restricted Pod Security
   * profile needs a non-root user, so one is set explicitly. From 1 to 2147483647 (int32); also the group.
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
   * Where the writable model cache is mounted (`HF_HOME` and `XDG_CACHE_HOME` point below it): an absolute path, not
   * `/tmp` or `/dev/shm`, which the pod mounts itself.
   * @default '/models'
   */
  readonly modelCachePath?: string;
  /**
   * Size limit of the model cache volume (the capacity of its claim with `ModelWeights.download`'s storageClassName).
   * @default - with `ModelWeights.download` given a size: ceil(size x 1.1 + 2 GiB); else no limit (node ephemeral storage)
   */
  readonly modelCacheSize?: Size;
  /**
   * Where the weights come from: a pre-populated volume (mounted read-only), a download by an init container into the
   * model cache, or vLLM's streaming loader. The server is given the weights' location with its model flag (vLLM
   * `--model`, SGLang `--model-path`, TGI and TEI `--model-id`, Triton `--model-repository`), which `args` must then
   * not set; a generic server's `args` must name the location themselves. With a `startupEstimate`, the source's
   * size / transferMibPerSecond fills in the download (`weightDownload`) or the load (`modelLoad`).
   * @default - the server fetches what its arguments name (e.g. from the Hugging Face Hub into the model cache)
   */
  readonly modelWeights?: ModelWeights;
  /**
   * How long a stopping pod may finish its in-flight requests before it is killed. Whole seconds, longer than `drainDelay`.
   * @default Duration.seconds(120)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * How long a stopping pod keeps serving while endpoints stop sending it traffic (a `sleep` preStop
   * hook: the image needs a `sleep` binary). Duration.seconds(0) turns the hook off. Whole seconds, at most 1 hour, and
   * shorter than `terminationGracePeriod` (the kubelet kills the pod when the grace period ends).
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
