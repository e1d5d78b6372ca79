import { IConstruct } from 'constructs';
import { MetricsExporter } from './exporter-catalog';
import { invalidProp } from '../common/errors';
import { checkAbsolutePath, checkImage, checkPrometheusMetricName, checkPort, checkStruct, checkText, parseImage } from '../common/validate';
import { hasArgs, ServerMetricRole } from './exporters/server-metrics';
import { compareVersions, versionKey } from './exporters/version';

/** A model server that is none of the presets: name the metrics it exports for the metric presets that need them. */
export interface GenericModelServerOptions {
  /**
   * What to call the server in messages.
   * @default 'generic model server'
   */
  readonly name?: string;
  /**
   * The port it serves requests on.
   * @default 8000
   */
  readonly port?: number;
  /**
   * The HTTP path that answers 200 once the model is loaded.
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * The HTTP path of its Prometheus metrics.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * The port its metrics are served on.
   * @default - the serving port
   */
  readonly metricsPort?: number;
  /**
   * Its counter of requests (a Prometheus metric name), as Prometheus stores it (with `_total` if the exporter adds it), for
   * `ScalingMetric.requestsPerSecond`.
   * @default - none: requestsPerSecond needs its `counter` option
   */
  readonly requestCounter?: string;
  /**
   * Its histogram of request durations in seconds, without `_bucket`, for `ScalingMetric.responseTimeP95`.
   * @default - none: responseTimeP95 needs its `histogram` option
   */
  readonly latencyHistogram?: string;
  /**
   * Its gauge of requests waiting for a slot, for `ScalingMetric.waitingRequests`.
   * @default - none
   */
  readonly waitingGauge?: string;
  /**
   * Its gauge of requests being processed, for `ScalingMetric.runningRequests`.
   * @default - none
   */
  readonly runningGauge?: string;
  /**
   * Its gauge of KV-cache usage as a fraction from 0 to 1, for `ScalingMetric.kvCacheUsage`.
   * @default - none
   */
  readonly kvCacheUsageGauge?: string;
  /**
   * Its histogram of the time to the first output token in seconds, without `_bucket`, for
   * `ScalingMetric.timeToFirstTokenP95`.
   * @default - none
   */
  readonly timeToFirstTokenHistogram?: string;
  /**
   * Its histogram of the time between output tokens in seconds, without `_bucket`, for `ScalingMetric.interTokenLatencyP95`.
   * @default - none
   */
  readonly interTokenLatencyHistogram?: string;
}

interface KindSpec {
  readonly name: string;
  readonly exporter?: MetricsExporter;
  readonly repositories: string[];
  readonly example: string;
  readonly port: number;
  readonly healthPath: string;
  readonly metricsPath: string;
  readonly metricsPort?: number;
  readonly metrics: Partial<Record<ServerMetricRole, string>>;
  /** What to do instead, for a role the server has no metric for (the fix of the error). */
  readonly instead?: Partial<Record<ServerMetricRole, string>>;
  /** Reads the release from an image tag. */
  readonly tagVersion?: (tag: string) => string | undefined;
  /** The environment variable the server reads its port from. */
  readonly portEnv?: string;
  /** The argument that sets its port, and the port it listens on without it. */
  readonly portFlag?: { flag: string; defaultPort: number };
  /** Arguments the pod must pass, each with why. */
  readonly requiredArgs?: Array<{ args: string[]; why: string }>;
}

/**
 * The kind of model server a Deployment runs: its port, health and metrics paths, and the names of the metrics the
 * metric presets scale on (request counter, latency histogram, waiting, running and KV-cache gauges), pinned to the
 * release of the server whose source they were read from (`exporter`).
 *
 * `ModelServerProps.kind` defaults to the kind of the image's repository (`vllm/vllm-openai`,
 * `ghcr.io/huggingface/text-embeddings-inference`, `nvcr.io/nvidia/tritonserver`, `lmsysorg/sglang`,
 * `ghcr.io/huggingface/text-generation-inference`), and to `generic()` for any other image. Metric presets then resolve
 * against it: `ScalingMetric.requestsPerSecond(10)` on TEI scales on `te_request_count`, and a metric the server does not
 * export is an error at synth.
 *
 * @example
 * new InferenceAutoscaler(chart, 'rerank', {
 *   modelServer: {
 *     image: 'ghcr.io/example/reranker:1.4.2',
 *     kind: ModelServerKind.generic({ requestCounter: 'http_requests_total', latencyHistogram: 'http_request_duration_seconds' }),
 *   },
 *   maxReplicas: 8,
 *   metrics: [ScalingMetric.requestsPerSecond(20), ScalingMetric.responseTimeP95(Duration.millis(300))],
 * });
 */
export class ModelServerKind {
  /**
   * vLLM's OpenAI-compatible server (`vllm/vllm-openai:vX.Y.Z`): port 8000, `/health`, `/metrics`; metric names of
   * vLLM 0.12.0 (`vllm:request_success_total`, `vllm:e2e_request_latency_seconds`, `vllm:num_requests_waiting`,
   * `vllm:num_requests_running`, `vllm:kv_cache_usage_perc`, `vllm:time_to_first_token_seconds`,
   * `vllm:inter_token_latency_seconds`).
   */
  public static readonly VLLM = new ModelServerKind({
    name: 'vLLM',
    exporter: MetricsExporter.VLLM,
    repositories: ['vllm/vllm-openai'],
    example: 'vllm/vllm-openai:v0.12.0',
    // vllm/entrypoints/openai/cli_args.py:78 (port 8000); api_server.py:368 (/health), :296 (/metrics).
    port: 8000,
    healthPath: '/health',
    metricsPath: '/metrics',
    metrics: {
      requestCounter: 'vllm:request_success_total',
      latencyHistogram: 'vllm:e2e_request_latency_seconds',
      waitingGauge: 'vllm:num_requests_waiting',
      runningGauge: 'vllm:num_requests_running',
      kvCacheUsageGauge: 'vllm:kv_cache_usage_perc',
      timeToFirstTokenHistogram: 'vllm:time_to_first_token_seconds',
      // vllm:time_per_output_token_seconds before 0.11 (hidden in 0.12, removed in 0.15).
      interTokenLatencyHistogram: 'vllm:inter_token_latency_seconds',
    },
    // The image tag is the vLLM release (docker/Dockerfile builds vllm/vllm-openai:vX.Y.Z from the tag).
    tagVersion: tag => /^v?(\d+\.\d+\.\d+(?:\.post\d+|rc\d+)?)(?:[-+].*)?$/.exec(tag)?.[1],
    portFlag: { flag: '--port', defaultPort: 8000 },
  });

  /**
   * Hugging Face text-embeddings-inference (`ghcr.io/huggingface/text-embeddings-inference:cpu-1.8`, `1.8`,
   * `hopper-1.8`, ...): `/health` and `/metrics` on the serving port, which the preset moves from the image's 80 to 8080
   * through `PORT` (a non-root container cannot bind a port below 1024 once every capability is dropped); metric names
   * of TEI 1.8.3 (`te_request_count`, `te_request_duration`, `te_queue_size`). TEI has no running-requests or KV-cache
   * gauge.
   */
  public static readonly TEXT_EMBEDDINGS_INFERENCE = new ModelServerKind({
    name: 'text-embeddings-inference',
    exporter: MetricsExporter.TEXT_EMBEDDINGS_INFERENCE,
    repositories: ['ghcr.io/huggingface/text-embeddings-inference'],
    example: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
    // router/src/main.rs:138 reads the port from env PORT; router/src/http/server.rs:1753 (/health), :1759 (/metrics).
    port: 8080,
    healthPath: '/health',
    metricsPath: '/metrics',
    metrics: { requestCounter: 'te_request_count', latencyHistogram: 'te_request_duration', waitingGauge: 'te_queue_size' },
    instead: {
      timeToFirstTokenHistogram: 'an embedding server streams no tokens: scale on ScalingMetric.responseTimeP95(...) (te_request_duration)',
      interTokenLatencyHistogram: 'an embedding server streams no tokens: scale on ScalingMetric.responseTimeP95(...) (te_request_duration)',
    },
    // Tags are [variant-]1.N (README at v1.8.3 lines 332-338): cpu-, turing-, 86-, 89-, hopper- or none.
    tagVersion: tag => /^(?:(?:cpu|turing|hopper|\d{2})-)?(\d+\.\d+(?:\.\d+)?)$/.exec(tag)?.[1],
    portEnv: 'PORT',
  });

  /**
   * NVIDIA Triton Inference Server (`nvcr.io/nvidia/tritonserver:YY.MM-py3`): HTTP on 8000, `/v2/health/ready`, and its
   * metrics on their own port 8002; metric names of container 26.06 (`nv_inference_request_success`,
   * `nv_inference_pending_request_count`). Triton exports no request-latency histogram by default (only cumulative
   * microsecond counters), so `responseTimeP95` is an error on it.
   */
  public static readonly TRITON = new ModelServerKind({
    name: 'Triton',
    exporter: MetricsExporter.TRITON,
    repositories: ['nvcr.io/nvidia/tritonserver'],
    example: 'nvcr.io/nvidia/tritonserver:26.06-py3',
    // triton-inference-server/server@v2.71.0 src/command_line_parser.h:195 (http 8000), :215 (metrics 8002);
    // src/http_server.cc:1182 (/v2/health/ready); src/http_server.h:155 (/metrics).
    port: 8000,
    healthPath: '/v2/health/ready',
    metricsPath: '/metrics',
    metricsPort: 8002,
    metrics: { requestCounter: 'nv_inference_request_success', waitingGauge: 'nv_inference_pending_request_count' },
    instead: {
      timeToFirstTokenHistogram: 'Triton\'s nv_inference_first_response_histogram_ms is off by default (--metrics-config '
        + 'histogram_latencies=true) and in milliseconds, which this preset does not read: scale on ScalingMetric.waitingRequests(...)',
      interTokenLatencyHistogram: 'Triton records no time between responses: scale on ScalingMetric.waitingRequests(...)',
    },
    // Container releases YY.MM with a variant suffix: 24.11-py3, 25.01-vllm-python-py3 (build.py TRITON_VERSION_MAP).
    tagVersion: tag => /^(\d{2}\.\d{2})(?:-.+)?$/.exec(tag)?.[1],
    portFlag: { flag: '--http-port', defaultPort: 8000 },
  });

  /**
   * SGLang (`lmsysorg/sglang:vX.Y.Z-cuNNN`): port 30000, `/health`, `/metrics` only with `--enable-metrics`, and
   * `--host 0.0.0.0` (it listens on 127.0.0.1 by default); metric names of SGLang 0.5.6.post2
   * (`sglang:num_requests_total`, `sglang:e2e_request_latency_seconds`, `sglang:num_queue_reqs`,
   * `sglang:num_running_reqs`, `sglang:token_usage`, `sglang:time_to_first_token_seconds`,
   * `sglang:inter_token_latency_seconds`). The image's command is a shell: `args` start the server.
   */
  public static readonly SGLANG = new ModelServerKind({
    name: 'SGLang',
    exporter: MetricsExporter.SGLANG,
    repositories: ['lmsysorg/sglang'],
    example: 'lmsysorg/sglang:v0.5.6.post2-cu129',
    // python/sglang/srt/server_args.py:265 (port 30000, host 127.0.0.1), :329 (enable_metrics False);
    // python/sglang/srt/entrypoints/http_server.py:410 (/health) at v0.5.6.post2.
    port: 30000,
    healthPath: '/health',
    metricsPath: '/metrics',
    metrics: {
      requestCounter: 'sglang:num_requests_total',
      latencyHistogram: 'sglang:e2e_request_latency_seconds',
      waitingGauge: 'sglang:num_queue_reqs',
      runningGauge: 'sglang:num_running_reqs',
      kvCacheUsageGauge: 'sglang:token_usage',
      timeToFirstTokenHistogram: 'sglang:time_to_first_token_seconds',
      interTokenLatencyHistogram: 'sglang:inter_token_latency_seconds',
    },
    tagVersion: tag => /^v?(\d+\.\d+\.\d+(?:\.post\d+|rc\d+)?)(?:-.+)?$/.exec(tag)?.[1],
    portFlag: { flag: '--port', defaultPort: 30000 },
    requiredArgs: [
      { args: ['--enable-metrics'], why: 'SGLang serves no metrics without it' },
      { args: ['--host', '0.0.0.0'], why: 'SGLang listens on 127.0.0.1 unless told, where no probe or scrape reaches it' },
    ],
  });

  /**
   * Hugging Face text-generation-inference (`ghcr.io/huggingface/text-generation-inference:X.Y.Z`): `/health` and
   * `/metrics` on the serving port, moved from the image's 80 to 8080 through `PORT`; metric names of TGI 3.3.7
   * (`tgi_request_count`, `tgi_request_duration`, `tgi_queue_size`, `tgi_batch_current_size`). TGI has no KV-cache
   * usage gauge.
   */
  public static readonly TEXT_GENERATION_INFERENCE = new ModelServerKind({
    name: 'text-generation-inference',
    exporter: MetricsExporter.TEXT_GENERATION_INFERENCE,
    repositories: ['ghcr.io/huggingface/text-generation-inference'],
    example: 'ghcr.io/huggingface/text-generation-inference:3.3.7',
    // launcher/src/main.rs:773 reads the port from env PORT; router/src/server.rs:2241 (/health), :2243 (/metrics).
    port: 8080,
    healthPath: '/health',
    metricsPath: '/metrics',
    metrics: {
      requestCounter: 'tgi_request_count',
      latencyHistogram: 'tgi_request_duration',
      waitingGauge: 'tgi_queue_size',
      runningGauge: 'tgi_batch_current_size',
    },
    instead: {
      timeToFirstTokenHistogram: 'TGI records no time to first token: scale on ScalingMetric.waitingRequests(...) (tgi_queue_size)',
      interTokenLatencyHistogram: 'its nearest histogram, tgi_request_mean_time_per_token_duration, is each request\'s mean time per '
        + 'output token, prefill included: name it in the \'histogram\' option if that is the objective you mean',
    },
    tagVersion: tag => /^v?(\d+\.\d+(?:\.\d+)?)(?:-.+)?$/.exec(tag)?.[1],
    portEnv: 'PORT',
  });

  /**
   * A server none of the presets covers: its port and paths, and the names of the metrics it exports for the presets
   * that need them. A preset that needs a name the server does not give is an error at synth.
   */
  public static generic(options: GenericModelServerOptions = {}): ModelServerKind {
    const where = 'ModelServerKind.generic';
    checkStruct(where, 'options', options, 'give the server\'s options, e.g. { port: 8080, requestCounter: \'http_requests_total\' }', true);
    if (options.name !== undefined) checkText(where, 'name', options.name, 'give a short name such as \'reranker\'', 253);
    if (options.port !== undefined) checkPort(where, 'port', options.port, 'give the port the server listens on (1 to 65535)');
    if (options.metricsPort !== undefined) checkPort(where, 'metricsPort', options.metricsPort, 'give the port of its metrics (1 to 65535), or leave it out');
    if (options.healthPath !== undefined) checkAbsolutePath(where, 'healthPath', options.healthPath, 'give an HTTP path such as \'/health\'');
    if (options.metricsPath !== undefined) checkAbsolutePath(where, 'metricsPath', options.metricsPath, 'give an HTTP path such as \'/metrics\'');
    for (const role of ['requestCounter', 'latencyHistogram', 'waitingGauge', 'runningGauge', 'kvCacheUsageGauge', 'timeToFirstTokenHistogram',
      'interTokenLatencyHistogram'] as const) {
      if (options[role] !== undefined) checkPrometheusMetricName(where, role, options[role]);
    }
    return new ModelServerKind({
      name: options.name ?? 'generic model server',
      repositories: [],
      example: '',
      port: options.port ?? 8000,
      healthPath: options.healthPath ?? '/health',
      metricsPath: options.metricsPath ?? '/metrics',
      metricsPort: options.metricsPort,
      metrics: {
        requestCounter: options.requestCounter,
        latencyHistogram: options.latencyHistogram,
        waitingGauge: options.waitingGauge,
        runningGauge: options.runningGauge,
        kvCacheUsageGauge: options.kvCacheUsageGauge,
        timeToFirstTokenHistogram: options.timeToFirstTokenHistogram,
        interTokenLatencyHistogram: options.interTokenLatencyHistogram,
      },
    });
  }

  /**
   * The kind of a container image, from its repository: a preset for a known one, `generic()` otherwise. A string that is
   * not an image reference (a lowercase repository path, an optional :tag, an optional @digest) is an error.
   * @param image e.g. `vllm/vllm-openai:v0.12.0` or `docker.io/lmsysorg/sglang:v0.5.6.post2-cu129`
   */
  public static fromImage(image: string): ModelServerKind {
    checkImage('ModelServerKind.fromImage', 'image', image);
    const repository = parseImage(image).repository;
    return ModelServerKind.presets().find(k => k.spec.repositories.includes(repository)) ?? ModelServerKind.generic();
  }

  /** Every preset. */
  public static presets(): ModelServerKind[] {
    return [ModelServerKind.VLLM, ModelServerKind.TEXT_EMBEDDINGS_INFERENCE, ModelServerKind.TRITON, ModelServerKind.SGLANG,
      ModelServerKind.TEXT_GENERATION_INFERENCE];
  }

  /** What the server is called in messages, e.g. `vLLM`. */
  public readonly name: string;
  /**
   * The catalog entry its metric names come from, pinned to a release.
   * @default - none for a generic server
   */
  public readonly exporter?: MetricsExporter;
  /** The port it serves requests on (and its probes use). */
  public readonly port: number;
  /** The HTTP path that answers 200 once the model is loaded. */
  public readonly healthPath: string;
  /** The HTTP path of its Prometheus metrics. */
  public readonly metricsPath: string;
  /**
   * The port of its metrics, when it is not the serving port.
   * @default - the serving port
   */
  public readonly metricsPort?: number;

  private constructor(private readonly spec: KindSpec) {
    this.name = spec.name;
    this.exporter = spec.exporter;
    this.port = spec.port;
    this.healthPath = spec.healthPath;
    this.metricsPath = spec.metricsPath;
    this.metricsPort = spec.metricsPort;
  }

  /** Whether this is a generic server, whose metric names the user gives. */
  public get isGeneric(): boolean {
    return this.exporter === undefined;
  }

  /**
   * The release its metric names are pinned to.
   * @default - none for a generic server
   */
  public get version(): string | undefined {
    return this.exporter?.version;
  }

  /**
   * The request counter `ScalingMetric.requestsPerSecond` scales on.
   * @default - none: the server exports no request counter the presets know of
   */
  public get requestCounter(): string | undefined {
    return this.spec.metrics.requestCounter;
  }

  /**
   * The request-latency histogram (seconds, without `_bucket`) `ScalingMetric.responseTimeP95` scales on.
   * @default - none
   */
  public get latencyHistogram(): string | undefined {
    return this.spec.metrics.latencyHistogram;
  }

  /**
   * The gauge of waiting requests `ScalingMetric.waitingRequests` scales on.
   * @default - none
   */
  public get waitingGauge(): string | undefined {
    return this.spec.metrics.waitingGauge;
  }

  /**
   * The gauge of running requests `ScalingMetric.runningRequests` scales on.
   * @default - none
   */
  public get runningGauge(): string | undefined {
    return this.spec.metrics.runningGauge;
  }

  /**
   * The KV-cache usage gauge (a 0-1 fraction) `ScalingMetric.kvCacheUsage` scales on.
   * @default - none
   */
  public get kvCacheUsageGauge(): string | undefined {
    return this.spec.metrics.kvCacheUsageGauge;
  }

  /**
   * The time-to-first-token histogram (seconds, without `_bucket`) `ScalingMetric.timeToFirstTokenP95` scales on.
   * @default - none
   */
  public get timeToFirstTokenHistogram(): string | undefined {
    return this.spec.metrics.timeToFirstTokenHistogram;
  }

  /**
   * The inter-token latency histogram (seconds, without `_bucket`) `ScalingMetric.interTokenLatencyP95` scales on.
   * @default - none
   */
  public get interTokenLatencyHistogram(): string | undefined {
    return this.spec.metrics.interTokenLatencyHistogram;
  }

  /** `vLLM 0.12.0`, or the generic server's name. */
  public toString(): string {
    return this.version ? `${this.name} ${this.version}` : this.name;
  }

  /** The server's metric for a role. @internal */
  public _metricFor(role: ServerMetricRole): string | undefined {
    return this.spec.metrics[role];
  }

  /** What to scale on instead, for a role the server has no metric for. @internal */
  public _insteadOf(role: ServerMetricRole): string | undefined {
    return this.spec.instead?.[role];
  }

  /** The environment variable the server reads its port from. @internal */
  public get _portEnv(): string | undefined {
    return this.spec.portEnv;
  }

  /**
   * Whether an image belongs to another preset than this one (a kind given explicitly against a known image). @internal
   */
  public _otherPresetOf(image: string): ModelServerKind | undefined {
    const kind = ModelServerKind.fromImage(image);
    return !kind.isGeneric && kind !== this ? kind : undefined;
  }

  /**
   * Checks the image against the catalog: a known server's image must name its release (a tag, or `serverVersion` with a
   * digest), and that release must export the pinned metric names. Returns the release.
   * @internal
   */
  public _checkImage(scope: IConstruct, prop: string, image: string, serverVersion?: string): string | undefined {
    const exporter = this.exporter;
    if (!exporter) return undefined;
    const ref = parseImage(image);
    const fromTag = ref.tag !== undefined ? this.spec.tagVersion?.(ref.tag) : undefined;
    const pin = `pin a release tag, e.g. '${this.spec.example}' (or a digest together with serverVersion)`;
    let version: string;
    if (serverVersion !== undefined) {
      if (!versionKey(serverVersion)) {
        invalidProp(scope, 'modelServer.serverVersion', serverVersion, `is not a ${this.name} release`, `give the release the image was built from, e.g. '${exporter.version}'`);
      }
      if (fromTag !== undefined && compareVersions(fromTag, serverVersion) !== 0) {
        invalidProp(scope, 'modelServer.serverVersion', serverVersion, `differs from the image tag's release (${fromTag})`, 'remove serverVersion or correct it');
      }
      version = serverVersion;
    } else if (fromTag !== undefined) {
      version = fromTag;
    } else if (ref.tag === undefined && ref.digest !== undefined) {
      return invalidProp(scope, prop, image, `is pinned by digest only, and ${this.name}'s metric names depend on its release`,
        `set modelServer.serverVersion to the release the digest was built from, or put the tag beside the digest ('${ref.repository}:<tag>@${ref.digest}')`);
    } else if (ref.tag === undefined || ref.tag === 'latest') {
      return invalidProp(scope, prop, image, `names no ${this.name} release (${ref.tag === undefined ? 'no tag means latest' : '\'latest\' moves'}), and its metric names depend on the release`, pin);
    } else {
      return invalidProp(scope, prop, image, `has a tag that names no ${this.name} release, and its metric names depend on the release`, pin);
    }
    if (compareVersions(version, exporter.version) < 0) {
      const changes = exporter.changesSince(version);
      if (changes.length > 0) {
        const list = changes.map(c => c.removedIn
          ? `${c.name} removed in ${c.removedIn}${c.renamedTo ? ` (now ${c.renamedTo})` : ''}`
          : `${c.name} added in ${c.since}`).join(', ');
        invalidProp(scope, prop, image,
          `is ${this.name} ${version}, older than ${exporter.version}, whose metric names the library uses; they changed since: ${list}`,
          `use ${this.name} ${exporter.version} or later, e.g. '${this.spec.example}'`);
      }
    }
    return version;
  }

  /**
   * Checks the pod's arguments and port against what the server needs: the argument that moves its port, and the
   * arguments it must be started with. @internal
   */
  public _checkArgs(scope: IConstruct, prop: string, args: string[], port: number): void {
    const flag = this.spec.portFlag;
    if (flag && port !== flag.defaultPort && !hasArgs(args, [flag.flag])) {
      invalidProp(scope, `${prop}.port`, port, `is not the port ${this.name} listens on unless told (${flag.defaultPort})`,
        `add '${flag.flag}', '${port}' to ${prop}.args, or leave port unset`);
    }
    for (const r of this.spec.requiredArgs ?? []) {
      if (!hasArgs(args, r.args)) {
        invalidProp(scope, `${prop}.args`, args, `lacks ${r.args.map(a => `'${a}'`).join(' ')}: ${r.why}`, `add ${r.args.map(a => `'${a}'`).join(', ')} to the arguments`);
      }
    }
  }
}
