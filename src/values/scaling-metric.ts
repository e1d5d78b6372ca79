import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MetricsExporter } from './exporter-catalog';
import { ServerContext } from './exporters/server-context';
import { ROLES, ServerMetricRole } from './exporters/server-metrics';
import { ModelServerKind } from './model-server-kind';
import { KedaTrigger, QueueTrigger } from './queue-trigger';
import { TriggerCredentials } from './trigger-credentials';
import { cronExpressionProblem } from '../common/cron';
import { invalidProp, requireInteger, requirePositive } from '../common/errors';
import { AdapterRule, escapeRegex, MetricScope, PromRule, selector } from '../common/prometheus';
import { durationText, toQuantity } from '../common/quantity';
import { tzSpellingProblem } from '../common/time-zones';
import {
  checkDns1123Subdomain, checkDuration, checkIdentifier, checkInstance, checkList, checkNumber, checkOptionalBoolean, checkOptionalDuration,
  checkPrometheusLabels,
  checkPrometheusMetricName, checkStruct, checkText, checkThousandths, checkWhole,
} from '../common/validate';
import { PredictiveScaling } from '../planning/predictive-scaling';
import { SloPlan } from '../planning/slo-planner';

/** Where the HPA reads a metric from. */
export enum ScalingMetricSource {
  /** A per-pod custom metric (`type: Pods`), served by prometheus-adapter from a recording rule. */
  PODS = 'Pods',
  /** CPU or memory utilization of the pods' requests (`type: Resource`), from metrics-server. */
  RESOURCE = 'Resource',
  /** A metric of something outside the cluster (`type: External`), e.g. a cloud queue's length. */
  EXTERNAL = 'External',
  /**
   * A metric of one Kubernetes object (`type: Object`), e.g. an InferencePool's average queue as its endpoint picker sees
   * it, served by prometheus-adapter from the exporter's series.
   */
  OBJECT = 'Object',
  /** A message queue KEDA reads itself (KEDA engine only). */
  QUEUE = 'Queue',
  /** A cron window of KEDA's (KEDA engine only). */
  SCHEDULE = 'Schedule',
}

/** Options of a cron window. */
export interface CronWindowOptions {
  /**
   * IANA time zone of the cron expressions, spelled as the tz database spells it (KEDA's `timezone`), e.g.
   * `'Europe/Berlin'`.
   * @default 'Etc/UTC'
   */
  readonly timeZone?: string;
  /**
   * The trigger's name under the KEDA engine (`ScalingMetric.triggerName`). KEDA requires the triggers of a
   * ScaledObject to have distinct names, so give each cron window of an autoscaler its own. Letters, digits and '_',
   * not starting with a digit, at most 63 characters.
   * @default 'cron'
   */
  readonly name?: string;
}

/** Options for a request-rate metric. */
export interface RequestRateOptions {
  /**
   * The Prometheus counter of requests that the model server exports, as Prometheus stores it (with `_total` where the
   * exporter adds it). On a known server it must be one of the server's counters.
   * @default - the server's request counter (`ModelServerKind.requestCounter`, e.g. `te_request_count` on TEI); a generic
   * server must name one
   */
  readonly counter?: string;
  /**
   * The range over which the rate is taken; at least four scrape intervals; whole seconds, at most a day.
   * @default Duration.minutes(2)
   */
  readonly rateWindow?: Duration;
}

/** Options for a gauge metric read per pod. */
export interface GaugeMetricOptions {
  /**
   * The Prometheus gauge the model server exports. On a known server it must be one of the server's gauges.
   * @default - the server's gauge for the metric (e.g. `ModelServerKind.waitingGauge`); a generic server must name one
   */
  readonly gauge?: string;
}

/** Options for a latency-percentile metric. */
export interface ResponseTimeOptions {
  /**
   * The Prometheus histogram of request durations, in seconds, without the `_bucket` suffix. On a known server it must be
   * one of the server's histograms.
   * @default - the server's latency histogram (`ModelServerKind.latencyHistogram`, e.g. `te_request_duration` on TEI); a
   * generic server must name one
   */
  readonly histogram?: string;
  /**
   * The range over which the bucket rates are taken; whole seconds, at most a day.
   * @default Duration.minutes(2)
   */
  readonly rateWindow?: Duration;
}

/** Options for a token-latency percentile metric (time to first token, inter-token latency). */
export interface TokenLatencyOptions {
  /**
   * The Prometheus histogram, in seconds, without the `_bucket` suffix. On a known server it must be one of the server's
   * histograms.
   * @default - the server's histogram for the metric (`ModelServerKind.timeToFirstTokenHistogram` or
   * `interTokenLatencyHistogram`, e.g. `vllm:time_to_first_token_seconds`); a generic server must name one
   */
  readonly histogram?: string;
  /**
   * The range over which the bucket rates are taken; whole seconds, at most a day.
   * @default Duration.minutes(2)
   */
  readonly rateWindow?: Duration;
  /**
   * The histogram's finite bucket upper bounds in seconds, ascending, when they differ from the ones the catalog records
   * for the server's release: SGLang started with `--bucket-time-to-first-token` or `--bucket-inter-token-latency`, or a
   * generic server. The target must lie well within them: `histogram_quantile` never returns more than the highest.
   * @default - the buckets `MetricsExporter` records for the histogram (none for a generic server: no check)
   */
  readonly bucketBoundsSeconds?: number[];
}

/** Options for the DCGM GPU-utilization metric. */
export interface GpuUtilizationOptions {
  /**
   * Whether the workload's pod and namespace reach Prometheus as `exported_pod`/`exported_namespace`.
   * dcgm-exporter labels each GPU with the pod using it; its chart's ServiceMonitor does not honor
   * labels, so Prometheus keeps the exporter's own `pod` and renames the workload's. Set to false when
   * the exporter is scraped with `honorLabels: true`.
   * @default true
   */
  readonly exportedLabels?: boolean;
  /**
   * The DCGM gauge (0-100).
   * @default 'DCGM_FI_DEV_GPU_UTIL'
   */
  readonly gauge?: string;
}

/** Options for an external metric. */
export interface ExternalMetricOptions {
  /**
   * Labels that select one series of the metric (e.g. the queue name). They are written both into a PromQL query and a
   * Kubernetes label selector: keys are Prometheus label names (letters, digits and '_'), values label values.
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Whether to add a prometheus-adapter `externalRules` entry that serves the metric from the
   * Prometheus series of the same name. Turn off when another external-metrics provider serves it.
   * @default true
   */
  readonly servedByPrometheusAdapter?: boolean;
}

interface PodsMetricDef {
  /** recording rule name, e.g. scaling:request_rate */
  readonly record: string;
  /** builds the per-pod expression (by namespace, pod, scaling_target); absent when the autoscaler records the rule itself */
  readonly expr?: (scope: MetricScope) => string;
  /** the recording rule the autoscaler derives `record` from, which another metric must record */
  readonly derivedFrom?: string;
}

/** A per-InferencePool series of the endpoint picker, served as an Object metric of the pool. */
interface PoolMetricDef {
  /** the series the endpoint picker exports */
  readonly series: string;
  /** the label that names the pool on the series */
  readonly poolLabel: string;
  /** the InferencePool's name */
  readonly poolName: string;
  /** 100 for a 0-1 gauge served in percent */
  readonly scale: number;
}

/** The group, version and kind of the InferencePool a pool metric describes (Gateway API Inference Extension v1.6.0). */
const INFERENCE_POOL_GROUP = 'inference.networking.k8s.io';

/** The model-server metric a Pods metric reads, resolved against the server when the autoscaler knows it. */
interface ServerInput {
  /** what the metric is to the server: the server's metric for this role is read unless `name` is given */
  readonly role: ServerMetricRole;
  /** the series the user named, or the one a server-specific preset reads */
  readonly name?: string;
  /** the preset reads this server's metrics only (the vLLM presets) */
  readonly onlyOn?: ModelServerKind;
  /** the preset to use on other servers */
  readonly neutral?: string;
  /** the user's option that names the series */
  readonly option: string;
  /** the recording rule's expression for a series name */
  readonly build: (name: string) => (scope: MetricScope) => string;
  /** a quantile target in seconds, checked against the histogram's buckets once the series is known */
  readonly quantileTarget?: { readonly seconds: number; readonly bounds?: number[]; readonly at: string };
}

/** The autoscaler's prediction of scaling:request_rate (InferenceAutoscaler records it whenever request_rate is recorded). */
const PREDICTED_LOAD = 'scaling:predicted_load';
const REQUEST_RATE = 'scaling:request_rate';

const POD_LABELS = 'namespace, pod, scaling_target';

/**
 * A metric an autoscaler scales on, with its target.
 *
 * Each custom metric knows the whole pipeline behind it: the recording rule that keeps one series per
 * pod (with the `namespace` and `pod` labels a `Pods` metric needs), the prometheus-adapter rule that
 * serves it to the HPA, and the service total that KEDA's Prometheus scaler needs (KEDA divides by the
 * replica count itself). Presets read the model server's own metrics (`ModelServerKind`: vLLM, TEI, Triton, SGLang, TGI,
 * or a generic server that names them) and NVIDIA DCGM's, so nobody has to know the names; the autoscaler resolves them
 * against its server and refuses a metric the server does not export.
 *
 * @example
 * const metrics = [ScalingMetric.requestsPerSecond(10), ScalingMetric.gpuUtilization(70)];
 */
export class ScalingMetric {
  /**
   * The vLLM release whose Prometheus metric names the vLLM presets use (V1 engine names; 0.12 removed
   * `vllm:gpu_cache_usage_perc` in favour of `vllm:kv_cache_usage_perc`).
   */
  public static readonly VLLM_METRICS_VERSION = '0.12.0';

  /**
   * Requests per second per pod, from the model server's request counter. The design document's primary metric.
   * The counter is the server's (`te_request_count` on TEI, `vllm:request_success_total` on vLLM, ...): see
   * `ModelServerKind.requestCounter`; a generic server names it (`ModelServerKind.generic({ requestCounter })` or the
   * `counter` option).
   * @param perPod the average request rate each pod should serve (0.001 to 1,000,000,000, in thousandths)
   */
  public static requestsPerSecond(perPod: number, options: RequestRateOptions = {}): ScalingMetric {
    const at = 'ScalingMetric.requestsPerSecond';
    checkTarget(at, 'perPod', perPod);
    checkOptions(at, options);
    checkSeries(at, 'counter', options.counter);
    const window = durationText(checkRateWindow(at, options.rateWindow));
    return ScalingMetric.fromServer('requests per second', perPod, REQUEST_RATE, {
      role: 'requestCounter',
      name: options.counter,
      option: 'counter',
      build: counter => s => `sum by (${POD_LABELS}) (rate(${counter}{${selector(s)}}[${window}]))`,
    });
  }

  /**
   * Requests per second per pod as predicted five minutes ahead, so the autoscaler adds replicas while load is
   * still climbing instead of after it arrives. It scales on the autoscaler's `scaling:predicted_load` recording
   * rule, `predict_linear(scaling:request_rate[30m], 300)`, which is recorded once whenever a
   * `requestsPerSecond` metric is present; use it next to `requestsPerSecond` (the autoscaler throws without it).
   * The HPA takes the larger recommendation, so a falling or flat prediction never scales below what the
   * current rate needs: this metric only ever acts earlier, never lower. A linear fit over 30 minutes follows
   * ramps, not spikes, and overshoots at the top of a ramp until the fit catches up.
   * @param perPod the request rate each pod should serve, usually the `requestsPerSecond` target (0.001 to 1,000,000,000, in thousandths)
   */
  public static predictedRequestsPerSecond(perPod: number): ScalingMetric {
    checkTarget('ScalingMetric.predictedRequestsPerSecond', 'perPod', perPod);
    return ScalingMetric.pods('predicted requests per second (5 min ahead)', perPod, { record: PREDICTED_LOAD, derivedFrom: REQUEST_RATE });
  }

  /**
   * Requests waiting for a slot per pod, from the model server's gauge of queued requests (`vllm:num_requests_waiting`,
   * `te_queue_size`, `tgi_queue_size`, `sglang:num_queue_reqs`, `nv_inference_pending_request_count`): the most direct
   * signal that a server is saturated.
   * @param perPod the average number of waiting requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   */
  public static waitingRequests(perPod: number, options: GaugeMetricOptions = {}): ScalingMetric {
    checkGaugeArgs('ScalingMetric.waitingRequests', 'perPod', perPod, options);
    return ScalingMetric.serverGauge('waiting requests', perPod, 'scaling:queue_length', 'waitingGauge', options.gauge);
  }

  /**
   * Requests being processed per pod, from the model server's gauge of running requests (`vllm:num_requests_running`,
   * `tgi_batch_current_size`, `sglang:num_running_reqs`; TEI and Triton have none).
   * @param perPod the average number of running requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   */
  public static runningRequests(perPod: number, options: GaugeMetricOptions = {}): ScalingMetric {
    checkGaugeArgs('ScalingMetric.runningRequests', 'perPod', perPod, options);
    return ScalingMetric.serverGauge('running requests', perPod, 'scaling:running_requests', 'runningGauge', options.gauge);
  }

  /**
   * KV-cache usage per pod, in percent, from the model server's 0-1 gauge (`vllm:kv_cache_usage_perc`,
   * `sglang:token_usage`; TEI, TGI and Triton have none), the highest of the pod's engines.
   * @param percent target average usage, 1-100 (in thousandths)
   */
  public static kvCacheUsage(percent: number, options: GaugeMetricOptions = {}): ScalingMetric {
    checkGaugeArgs('ScalingMetric.kvCacheUsage', 'percent', percent, options, 100);
    return ScalingMetric.fromServer('KV-cache usage (%)', percent, 'scaling:kv_cache_usage', {
      role: 'kvCacheUsageGauge',
      name: options.gauge,
      option: 'gauge',
      build: gauge => s => `100 * max by (${POD_LABELS}) (${gauge}{${selector(s)}})`,
    }, 100);
  }

  /**
   * Requests waiting in each pod's queue.
   * @param perPod the average queue length each pod should hold (0.001 to 1,000,000,000, in thousandths)
   * @deprecated use `waitingRequests`, which reads the server's own gauge (this one did, by default, a `queue_length`
   * series no server exports)
   */
  public static queueLength(perPod: number, options: GaugeMetricOptions = {}): ScalingMetric {
    checkGaugeArgs('ScalingMetric.queueLength', 'perPod', perPod, options);
    return ScalingMetric.waitingRequests(perPod, options);
  }

  /**
   * vLLM's waiting requests per pod (`vllm:num_requests_waiting`). An error on any other server.
   * @param perPod the average number of waiting requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   * @deprecated use `waitingRequests`, which reads the waiting gauge of whichever server runs
   */
  public static vllmWaitingRequests(perPod: number): ScalingMetric {
    checkTarget('ScalingMetric.vllmWaitingRequests', 'perPod', perPod);
    return ScalingMetric.serverGauge('vLLM waiting requests', perPod, 'scaling:queue_length', 'waitingGauge', 'vllm:num_requests_waiting',
      { onlyOn: ModelServerKind.VLLM, neutral: 'waitingRequests' });
  }

  /**
   * vLLM's running requests per pod (`vllm:num_requests_running`). An error on any other server.
   * @param perPod the average number of running requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   * @deprecated use `runningRequests`, which reads the running gauge of whichever server runs
   */
  public static vllmRunningRequests(perPod: number): ScalingMetric {
    checkTarget('ScalingMetric.vllmRunningRequests', 'perPod', perPod);
    return ScalingMetric.serverGauge('vLLM running requests', perPod, 'scaling:running_requests', 'runningGauge', 'vllm:num_requests_running',
      { onlyOn: ModelServerKind.VLLM, neutral: 'runningRequests' });
  }

  /**
   * vLLM's KV-cache usage per pod, in percent (`vllm:kv_cache_usage_perc`, a 0-1 fraction, scaled to 0-100). An error on
   * any other server.
   * @param percent target average usage, 1-100 (in thousandths)
   * @deprecated use `kvCacheUsage`, which reads the KV-cache gauge of whichever server runs
   */
  public static vllmKvCacheUsage(percent: number): ScalingMetric {
    checkTarget('ScalingMetric.vllmKvCacheUsage', 'percent', percent, 100);
    return ScalingMetric.fromServer('vLLM KV-cache usage (%)', percent, 'scaling:kv_cache_usage', {
      role: 'kvCacheUsageGauge',
      name: 'vllm:kv_cache_usage_perc',
      option: 'gauge',
      onlyOn: ModelServerKind.VLLM,
      neutral: 'kvCacheUsage',
      build: gauge => s => `100 * max by (${POD_LABELS}) (${gauge}{${selector(s)}})`,
    }, 100);
  }

  /**
   * GPU utilization per pod, in percent, from NVIDIA dcgm-exporter (`DCGM_FI_DEV_GPU_UTIL`, 0-100),
   * averaged over the pod's GPUs. Served as an `AverageValue` from 1 to 100: the HPA's `Utilization`
   * target type applies to CPU and memory requests only.
   * @param percent target average utilization, 1-100 (in thousandths)
   */
  public static gpuUtilization(percent: number, options: GpuUtilizationOptions = {}): ScalingMetric {
    const at = 'ScalingMetric.gpuUtilization';
    checkTarget(at, 'percent', percent, 100);
    checkOptions(at, options);
    checkOptionalBoolean(at, 'exportedLabels', options.exportedLabels);
    checkSeries(at, 'gauge', options.gauge);
    const gauge = options.gauge ?? 'DCGM_FI_DEV_GPU_UTIL';
    const [ns, pod] = (options.exportedLabels ?? true) ? ['exported_namespace', 'exported_pod'] : ['namespace', 'pod'];
    return ScalingMetric.gpuPods(gauge, percent, {
      record: 'scaling:gpu_utilization',
      expr: s => {
        const podMatchers = [`${pod}=~"${s.podPattern}"`, ...(s.namespace ? [`${ns}="${s.namespace}"`] : [])].join(', ');
        let e = `avg by (${ns}, ${pod}) (${gauge}{${podMatchers}})`;
        // DCGM reports the exporter's pod as `pod`; rename the workload's labels to what a Pods metric needs.
        if (ns !== 'namespace') e = `label_replace(label_replace(${e}, "namespace", "$1", "${ns}", "(.*)"), "pod", "$1", "${pod}", "(.*)")`;
        return `label_replace(${e}, "scaling_target", "${s.target}", "", "")`;
      },
    }, 100);
  }

  /**
   * The 95th-percentile response time per pod, from the model server's request-duration histogram in seconds
   * (`te_request_duration` on TEI, `vllm:e2e_request_latency_seconds` on vLLM, ...: see `ModelServerKind.latencyHistogram`;
   * Triton exports none by default). A generic server names it (`ModelServerKind.generic({ latencyHistogram })` or the
   * `histogram` option).
   * @param target the p95 response time each pod should stay under, on average: whole milliseconds from 1 ms to 1 hour
   */
  public static responseTimeP95(target: Duration, options: ResponseTimeOptions = {}): ScalingMetric {
    const at = 'ScalingMetric.responseTimeP95';
    checkDuration(at, 'target', target, { min: Duration.millis(1), max: Duration.hours(1) },
      'give the p95 response time one pod should stay under, from 1 ms to 1 hour, e.g. Duration.seconds(2)');
    if (!Number.isInteger(target.toMilliseconds({ integral: false }))) {
      invalidProp(at, 'target', target, 'is not a whole number of milliseconds (the target is written in thousandths of a second)',
        'round the target to whole milliseconds, e.g. Duration.millis(1500)');
    }
    checkOptions(at, options);
    checkSeries(at, 'histogram', options.histogram);
    const window = durationText(checkRateWindow(at, options.rateWindow));
    const seconds = target.toMilliseconds() / 1000;
    return ScalingMetric.fromServer('p95 response time (s)', seconds, 'scaling:response_time_p95', {
      role: 'latencyHistogram',
      name: options.histogram,
      option: 'histogram',
      build: histogram => s => `histogram_quantile(0.95, sum by (${POD_LABELS}, le) (rate(${histogram}_bucket{${selector(s)}}[${window}])))`,
    });
  }

  /**
   * The 95th-percentile time to first token per pod, from the model server's histogram in seconds
   * (`vllm:time_to_first_token_seconds` on vLLM, `sglang:time_to_first_token_seconds` on SGLang; TGI, TEI and Triton
   * record none by default, and the autoscaler refuses it there). The target must lie within the histogram's buckets with
   * room for the HPA's 10% tolerance: the p95 that `histogram_quantile` reads never exceeds the highest finite bucket.
   * Scale on it next to a load metric (`runningRequests`): a latency target alone reacts only once the objective is missed.
   * @param target the p95 time to first token each pod should stay under, on average: whole milliseconds from 1 ms to 1 hour
   */
  public static timeToFirstTokenP95(target: Duration, options: TokenLatencyOptions = {}): ScalingMetric {
    return ScalingMetric.tokenLatency('ScalingMetric.timeToFirstTokenP95', 'p95 time to first token (s)', 'scaling:ttft_p95',
      'timeToFirstTokenHistogram', target, options, 'Duration.millis(500)');
  }

  /**
   * The 95th-percentile inter-token latency per pod (the time between two output tokens of a streamed response), from the
   * model server's histogram in seconds (`vllm:inter_token_latency_seconds` on vLLM 0.11 and later,
   * `sglang:inter_token_latency_seconds` on SGLang; TGI, TEI and Triton record none, and the autoscaler refuses it there).
   * The target must lie within the histogram's buckets with room for the HPA's 10% tolerance.
   * @param target the p95 inter-token latency each pod should stay under, on average: whole milliseconds from 1 ms to 1 hour
   */
  public static interTokenLatencyP95(target: Duration, options: TokenLatencyOptions = {}): ScalingMetric {
    return ScalingMetric.tokenLatency('ScalingMetric.interTokenLatencyP95', 'p95 inter-token latency (s)', 'scaling:itl_p95',
      'interTokenLatencyHistogram', target, options, 'Duration.millis(50)');
  }

  /**
   * CPU utilization, in percent of the pods' CPU requests (from metrics-server).
   * @param percent target average utilization, a whole percent from 1 to 1000; may exceed 100 when limits are above requests
   */
  public static cpuUtilization(percent: number): ScalingMetric {
    checkWhole('ScalingMetric.cpuUtilization', 'percent', percent, { min: 1, max: 1000 }, 'give a whole percent of the pods\' CPU requests, e.g. 70');
    return new ScalingMetric(ScalingMetricSource.RESOURCE, 'CPU utilization (%)', percent, 'cpu', 1000);
  }

  /**
   * Memory utilization, in percent of the pods' memory requests (from metrics-server).
   * Model servers rarely release memory, so this metric seldom scales them down: prefer a load metric.
   * @param percent target average utilization, a whole percent from 1 to 1000
   */
  public static memoryUtilization(percent: number): ScalingMetric {
    checkWhole('ScalingMetric.memoryUtilization', 'percent', percent, { min: 1, max: 1000 }, 'give a whole percent of the pods\' memory requests, e.g. 70');
    return new ScalingMetric(ScalingMetricSource.RESOURCE, 'memory utilization (%)', percent, 'memory', 1000);
  }

  /**
   * A metric of something outside the cluster, e.g. the length of an SQS queue that an exporter
   * publishes to Prometheus, divided among the pods (`AverageValue`).
   * A cluster has exactly one external-metrics provider: prometheus-adapter or KEDA, not both.
   * @param metricName the external metric's name (and its Prometheus series when served by prometheus-adapter)
   * @param perPod the value each pod should handle, e.g. messages per pod (0.001 to 1,000,000,000, in thousandths)
   */
  public static external(metricName: string, perPod: number, options: ExternalMetricOptions = {}): ScalingMetric {
    const at = 'ScalingMetric.external';
    checkPrometheusMetricName(at, 'metricName', metricName, 'use the series name as Prometheus stores it: letters, digits, \'_\' and \':\', e.g. "sqs_messages_visible"');
    checkTarget(at, 'perPod', perPod);
    checkOptions(at, options);
    // A copy: a map made without a prototype (Object.create(null), some YAML parsers) cannot be serialized by cdk8s.
    const matchLabels = options.matchLabels === undefined ? undefined : { ...checkPrometheusLabels(at, 'matchLabels', options.matchLabels) };
    checkOptionalBoolean(at, 'servedByPrometheusAdapter', options.servedByPrometheusAdapter);
    const m = new ScalingMetric(ScalingMetricSource.EXTERNAL, `external ${metricName}`, perPod, metricName);
    m.externalOptions = { matchLabels, servedByPrometheusAdapter: options.servedByPrometheusAdapter };
    return m;
  }

  /**
   * Requests waiting in the model servers' queues, averaged over the pods of an InferencePool, as its endpoint picker sees
   * them (`llm_d_epp_average_queue_size`, llm-d-router 0.9.0): one series for the whole pool, served as an HPA `Object`
   * metric of the InferencePool (KEDA: a Prometheus trigger of `metricType: Value`). Since it is already a per-pod
   * average, the autoscaler scales by the ratio of the value to the target, like a Pods metric. Give the pool's name
   * (`InferencePool.poolName`); the autoscaler must scale the pool's backend, in the pool's namespace.
   * @param poolName the InferencePool's name
   * @param perPod the average number of waiting requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   */
  public static inferencePoolQueueSize(poolName: string, perPod: number): ScalingMetric {
    const at = 'ScalingMetric.inferencePoolQueueSize';
    checkTarget(at, 'perPod', perPod);
    return ScalingMetric.poolMetric(at, poolName, 'InferencePool average queue size', perPod, 'llm_d_epp_average_queue_size', 'name', 1);
  }

  /**
   * Running requests averaged over the pods of an InferencePool, as its endpoint picker sees them
   * (`llm_d_epp_average_running_requests`), as an `Object` metric of the pool (see `inferencePoolQueueSize`).
   * @param poolName the InferencePool's name
   * @param perPod the average number of running requests each pod should hold (0.001 to 1,000,000,000, in thousandths)
   */
  public static inferencePoolRunningRequests(poolName: string, perPod: number): ScalingMetric {
    const at = 'ScalingMetric.inferencePoolRunningRequests';
    checkTarget(at, 'perPod', perPod);
    return ScalingMetric.poolMetric(at, poolName, 'InferencePool average running requests', perPod, 'llm_d_epp_average_running_requests', 'name', 1);
  }

  /**
   * KV-cache utilization averaged over the pods of an InferencePool, in percent, as its endpoint picker sees it
   * (`llm_d_epp_average_kv_cache_utilization`, a 0-1 fraction, served times 100), as an `Object` metric of the pool.
   * @param poolName the InferencePool's name
   * @param percent target average utilization, 1-100 (in thousandths)
   */
  public static inferencePoolKvCacheUtilization(poolName: string, percent: number): ScalingMetric {
    const at = 'ScalingMetric.inferencePoolKvCacheUtilization';
    checkTarget(at, 'percent', percent, 100);
    return ScalingMetric.poolMetric(at, poolName, 'InferencePool average KV-cache utilization (%)', percent, 'llm_d_epp_average_kv_cache_utilization', 'name', 100, 100);
  }

  /**
   * The saturation of an InferencePool as the endpoint picker's flow control measures it, in percent
   * (`llm_d_epp_flow_control_pool_saturation`, 0 empty to 1 saturated, served times 100): the backpressure signal, above
   * 100 when requests queue in the gateway. Exported only with the picker's flow control on
   * (`EndpointPickerOptions.flowControl`), which the InferencePool checks.
   * @param poolName the InferencePool's name
   * @param percent target saturation, 1-100 (in thousandths)
   */
  public static inferencePoolSaturation(poolName: string, percent: number): ScalingMetric {
    const at = 'ScalingMetric.inferencePoolSaturation';
    checkTarget(at, 'percent', percent, 100);
    return ScalingMetric.poolMetric(at, poolName, 'InferencePool flow-control saturation (%)', percent, 'llm_d_epp_flow_control_pool_saturation', 'inference_pool', 100, 100);
  }

  /**
   * A message queue's length, read by KEDA itself (KEDA engine only): ceil(length / messagesPerReplica)
   * replicas.
   */
  public static fromQueue(queue: QueueTrigger): ScalingMetric {
    checkInstance('ScalingMetric.fromQueue', 'queue', queue, QueueTrigger as any, 'make the queue with QueueTrigger.sqs(...), .redisList(...), .kafka(...) or .rabbitMq(...)');
    const m = new ScalingMetric(ScalingMetricSource.QUEUE, queue.description, queue.messagesPerReplica, queue.scalerType);
    m.queue = queue;
    return m;
  }

  /**
   * At least `replicas` replicas between two cron times, e.g. ahead of a daily peak (KEDA engine only).
   * Outside the window the other metrics decide.
   * @param start cron expression of the window's start, e.g. `0 8 * * 1-5`
   * @param end cron expression of the window's end, e.g. `0 20 * * 1-5`
   * @param replicas replicas to hold during the window, 1 to 10,000
   */
  public static cronWindow(start: string, end: string, replicas: number, options: CronWindowOptions = {}): ScalingMetric {
    const cronFix = 'write minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5"';
    checkText(CRON_WINDOW, 'start', start, cronFix, 256);
    checkText(CRON_WINDOW, 'end', end, cronFix, 256);
    checkWhole(CRON_WINDOW, 'replicas', replicas, { min: 1, max: 10_000 }, 'give the replicas to hold during the window, 1 to 10,000');
    checkOptions(CRON_WINDOW, options);
    const timeZone = options.timeZone === undefined ? 'Etc/UTC'
      : checkText(CRON_WINDOW, 'timeZone', options.timeZone, 'give an IANA zone, e.g. "Europe/Berlin"', 64);
    if (options.name !== undefined) {
      checkIdentifier(CRON_WINDOW, 'name', options.name, 'use letters, digits and _ only, starting with a letter or _, e.g. "business_hours"');
    }
    checkCronWindow(start, end, timeZone);
    const m = new ScalingMetric(ScalingMetricSource.SCHEDULE, `cron window ${start} to ${end}`, replicas, options.name ?? 'cron');
    m.cron = { start, end, timeZone };
    return m;
  }

  /**
   * The reactive metrics given, followed by one `cronWindow` per window of a predictive plan (trigger names
   * `predicted_1`, `predicted_2`, ... in the order of `plan.windows`, in the plan's time zone), for an autoscaler on
   * the KEDA engine: the HPA takes the largest recommendation, so each window is a floor under the reactive metrics.
   * @param plan the plan, from `PredictiveScaling.plan`
   * @param reactive the metrics that scale on live load, e.g. `ScalingMetric.requestsPerSecond(10)`
   */
  public static predictedWindows(plan: PredictiveScaling, reactive: ScalingMetric[] = []): ScalingMetric[] {
    const at = 'ScalingMetric.predictedWindows';
    checkInstance(at, 'plan', plan, PredictiveScaling as any, 'make the plan with PredictiveScaling.plan(...)');
    checkList(at, 'reactive', reactive, {}, 'give a list of ScalingMetric').forEach((m, i) =>
      checkInstance(at, `reactive[${i}]`, m, ScalingMetric as any, 'make each metric with a ScalingMetric factory, e.g. ScalingMetric.requestsPerSecond(10)'));
    return [...reactive, ...plan.windows.map((w, i) => {
      const m = ScalingMetric.cronWindow(w.start, w.end, w.replicas, { timeZone: plan.timeZone, name: `${PredictiveScaling.TRIGGER_PREFIX}${i + 1}` });
      // The cron text does not say how early the window starts: the guardrails read it here (time-to-capacity).
      m.predictiveLeadTime = plan.leadTime;
      return m;
    })];
  }

  /**
   * The metrics to scale on from a plan of `SloPlanner`: the running requests per replica at the plan's target, the
   * waiting requests and the KV-cache usage at theirs when the plan has them (the profile measured them). The HPA takes
   * the largest recommendation, so whichever load signal reaches its target first adds replicas, before the latency
   * objective is missed. Add `timeToFirstTokenP95`/`interTokenLatencyP95` at the objective to scale on the latency too.
   * @param plan a feasible plan, from `SloPlanner.plan`
   */
  public static fromSloPlan(plan: SloPlan): ScalingMetric[] {
    const at = 'ScalingMetric.fromSloPlan';
    checkInstance(at, 'plan', plan, SloPlan as any, 'make the plan with SloPlanner.plan(...)');
    if (!plan.feasible) {
      invalidProp(at, 'plan', 'an infeasible plan', `has no targets: ${plan.reason}`,
        'meet the objective first (other hardware, a smaller model or a relaxed objective), then plan again');
    }
    return [
      ScalingMetric.runningRequests(plan.runningRequestsTarget!),
      ...(plan.waitingRequestsTarget !== undefined ? [ScalingMetric.waitingRequests(plan.waitingRequestsTarget)] : []),
      ...(plan.kvCacheUsagePercentTarget !== undefined ? [ScalingMetric.kvCacheUsage(plan.kvCacheUsagePercentTarget)] : []),
    ];
  }

  private static poolMetric(at: string, poolName: string, description: string, target: number, series: string, poolLabel: string,
    scale: number, maxTarget?: number): ScalingMetric {
    checkDns1123Subdomain(at, 'poolName', poolName, 'give the InferencePool\'s name (InferencePool.poolName), e.g. "chat"');
    if (!MetricsExporter.ENDPOINT_PICKER.exports(series)) throw new Error(`${series} is not in the endpoint picker's catalog`);
    const served = scale === 100 ? `${series}_percent` : series;
    const m = new ScalingMetric(ScalingMetricSource.OBJECT, `${description} of '${poolName}'`, target, served, maxTarget);
    m.poolDef = { series, poolLabel, poolName, scale };
    return m;
  }

  private static serverGauge(description: string, perPod: number, record: string, role: ServerMetricRole, gauge: string | undefined,
    only: { onlyOn?: ModelServerKind; neutral?: string } = {}): ScalingMetric {
    return ScalingMetric.fromServer(description, perPod, record, {
      role,
      name: gauge,
      option: 'gauge',
      ...only,
      build: g => s => `sum by (${POD_LABELS}) (${g}{${selector(s)}})`,
    });
  }

  private static tokenLatency(at: string, description: string, record: string, role: ServerMetricRole, target: Duration,
    options: TokenLatencyOptions, example: string): ScalingMetric {
    const seconds = checkLatencyTarget(at, target, example);
    checkOptions(at, options);
    checkSeries(at, 'histogram', options.histogram);
    const window = durationText(checkRateWindow(at, options.rateWindow));
    const bounds = options.bucketBoundsSeconds === undefined ? undefined : checkBucketBounds(at, options.bucketBoundsSeconds);
    const input: ServerInput = {
      role,
      name: options.histogram,
      option: 'histogram',
      build: histogram => s => `histogram_quantile(0.95, sum by (${POD_LABELS}, le) (rate(${histogram}_bucket{${selector(s)}}[${window}])))`,
      quantileTarget: { seconds, bounds, at },
    };
    // A histogram named with known buckets is checked now; the server's own once the autoscaler resolves it.
    if (bounds !== undefined) checkQuantileTarget(at, 'target', target, seconds, bounds, 'the buckets given');
    return ScalingMetric.fromServer(description, seconds, record, input);
  }

  /** A Pods metric that reads a model-server series: named now when the user or the preset names it, else at resolution. */
  private static fromServer(description: string, target: number, record: string, input: ServerInput, maxTarget?: number): ScalingMetric {
    const m = ScalingMetric.pods(description, target, { record, expr: input.name !== undefined ? input.build(input.name) : undefined }, maxTarget);
    m.serverInput = input;
    return m;
  }

  /** A Pods metric read from dcgm-exporter, which needs GPUs on the server. */
  private static gpuPods(gauge: string, target: number, def: PodsMetricDef, maxTarget: number): ScalingMetric {
    const m = ScalingMetric.pods('GPU utilization (%)', target, def, maxTarget);
    m.dcgmGauge = gauge;
    return m;
  }

  private static pods(description: string, target: number, def: PodsMetricDef, maxTarget?: number): ScalingMetric {
    const m = new ScalingMetric(ScalingMetricSource.PODS, description, target, def.record.replace(':', '_'), maxTarget);
    m.podsDef = def;
    return m;
  }

  private podsDef?: PodsMetricDef;
  private poolDef?: PoolMetricDef;
  private serverInput?: ServerInput;
  private dcgmGauge?: string;
  private externalOptions?: ExternalMetricOptions;
  private queue?: QueueTrigger;
  private cron?: { start: string; end: string; timeZone: string };
  private predictiveLeadTime?: Duration;

  private constructor(
    /** Where the HPA reads the metric from. */
    public readonly source: ScalingMetricSource,
    /** What the metric measures, in words. */
    public readonly description: string,
    /** The target: per-pod average for Pods and External metrics, percent of requests for Resource metrics. */
    public readonly targetValue: number,
    /** The name the HPA asks for: the custom or external metric name, or `cpu`/`memory`. */
    public readonly metricName: string,
    private readonly maxTarget?: number,
  ) {}

  /**
   * The recording rule that holds the per-pod series (e.g. `scaling:request_rate`).
   * @default - none for Resource and External metrics
   */
  public get recordingRule(): string | undefined {
    return this.podsDef?.record;
  }

  /**
   * The trigger's name under the KEDA engine, as a composite formula refers to it
   * (e.g. `queue_length`, `gpu_utilization`, `cpu`, `aws_sqs_queue`, `cron`).
   */
  public get triggerName(): string {
    if (this.podsDef) return this.podsDef.record.replace(/^scaling:/, '');
    return this.metricName.replace(/[^a-zA-Z0-9_]/g, '_');
  }

  /** Whether only the KEDA engine can scale on this metric. */
  public get needsKeda(): boolean {
    return this.source === ScalingMetricSource.QUEUE || this.source === ScalingMetricSource.SCHEDULE;
  }

  /** The recording rule this metric's rule is derived from, which another metric of the autoscaler must record. @internal */
  public get _derivedFrom(): string | undefined {
    return this.podsDef?.derivedFrom;
  }

  /** The lead time of the predictive plan this cron window comes from (`predictedWindows`). @internal */
  public get _predictiveLeadTime(): Duration | undefined {
    return this.predictiveLeadTime;
  }

  /** The credentials the metric's trigger authenticates with, if any. @internal */
  public get _credentials(): TriggerCredentials | undefined {
    return this.queue?.credentials;
  }

  /** Checks the target; throws naming the construct and the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    if (this.queue) {
      this.queue._validate(scope, `${prop}.queue`);
      return;
    }
    if (this.cron) {
      requireInteger(scope, `${prop}.replicas`, this.targetValue, 1, 10_000, 'give the replicas to hold during the window');
      if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(this.metricName)) {
        invalidProp(scope, `${prop}.name`, this.metricName, 'is not a trigger name', 'use letters, digits and _ only, starting with a letter or _, e.g. "business_hours"');
      }
      for (const [key, expr] of [['start', this.cron.start], ['end', this.cron.end]]) {
        if (expr.trim().split(/\s+/).length !== 5) {
          invalidProp(scope, `${prop}.${key}`, expr, 'is not a five-field cron expression', 'write minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5"');
        }
      }
      return;
    }
    if (this.source === ScalingMetricSource.RESOURCE) {
      requireInteger(scope, `${prop}`, this.targetValue, 1, this.maxTarget!,
        `set ${this.metricName} utilization as a whole percent of the pods' requests, e.g. ScalingMetric.${this.metricName}Utilization(70)`);
    } else if (this.maxTarget !== undefined) {
      if (!(this.targetValue >= 1 && this.targetValue <= this.maxTarget)) {
        invalidProp(scope, prop, this.targetValue, `is outside 1-${this.maxTarget} for ${this.description}`,
          `give a percent from 1 to ${this.maxTarget}, e.g. 70`);
      }
    } else {
      requirePositive(scope, prop, this.targetValue, `a zero or negative target would scale ${this.description} to the maximum at once: give the value one pod should handle`);
    }
    if (this.source === ScalingMetricSource.EXTERNAL && !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(this.metricName)) {
      invalidProp(scope, `${prop}.metricName`, this.metricName, 'is not a Prometheus metric name', 'use letters, digits, _ and : only');
    }
    try {
      toQuantity(this.targetValue);
    } catch (e) {
      invalidProp(scope, prop, this.targetValue, 'has more precision than a Kubernetes quantity keeps (thousandths)', 'round the target to three decimals');
    }
  }

  /** The `autoscaling/v2` MetricSpec. @internal */
  public _hpaMetric(): any {
    const value = toQuantity(this.targetValue);
    switch (this.source) {
      case ScalingMetricSource.RESOURCE:
        return { type: 'Resource', resource: { name: this.metricName, target: { type: 'Utilization', averageUtilization: this.targetValue } } };
      case ScalingMetricSource.OBJECT:
        // Already a per-pod average: a Value target scales by the ratio of value to target (as a Pods metric does).
        return {
          type: 'Object',
          object: {
            describedObject: { apiVersion: `${INFERENCE_POOL_GROUP}/v1`, kind: 'InferencePool', name: this.poolDef!.poolName },
            metric: { name: this.metricName },
            target: { type: 'Value', value },
          },
        };
      case ScalingMetricSource.EXTERNAL:
        return {
          type: 'External',
          external: {
            metric: {
              name: this.metricName,
              selector: this.externalOptions?.matchLabels ? { matchLabels: this.externalOptions.matchLabels } : undefined,
            },
            target: { type: 'AverageValue', averageValue: value },
          },
        };
      default:
        return { type: 'Pods', pods: { metric: { name: this.metricName }, target: { type: 'AverageValue', averageValue: value } } };
    }
  }

  /**
   * The KEDA trigger. Prometheus triggers query the service total: KEDA's metric is an AverageValue that
   * the HPA divides by the replica count, so both engines ask for the same replicas. @internal
   */
  public _kedaTrigger(scope: MetricScope, serverAddress: string, authenticationName?: string): KedaTrigger {
    const name = this.triggerName;
    if (this.queue) return this.queue._trigger(name, authenticationName);
    if (this.cron) {
      return { type: 'cron', name, metadata: { timezone: this.cron.timeZone, start: this.cron.start, end: this.cron.end, desiredReplicas: String(this.targetValue) } };
    }
    if (this.source === ScalingMetricSource.RESOURCE) {
      return { type: this.metricName, name, metricType: 'Utilization', metadata: { value: String(this.targetValue) } };
    }
    if (this.poolDef) {
      // One series per pool, a per-pod average: metricType Value makes the HPA KEDA manages scale by the ratio.
      return { type: 'prometheus', name, metricType: 'Value', metadata: { serverAddress, query: this._poolQuery(scope), threshold: String(this.targetValue), ignoreNullValues: 'false' } };
    }
    const query = this.podsDef
      ? this._serviceTotalQuery(scope)!
      : `sum(${this.metricName}${labelMatchers(this.externalOptions?.matchLabels)})`;
    // A failed or empty query is an error, not zero: zero would scale a busy service down.
    return { type: 'prometheus', name, metadata: { serverAddress, query, threshold: String(this.targetValue), ignoreNullValues: 'false' } };
  }

  /** The recording rule for one target. @internal */
  public _recordingRule(scope: MetricScope): PromRule | undefined {
    if (this.serverInput && !this.podsDef?.expr) {
      // A library bug, not a user error: every construct resolves its metrics against its server first.
      throw new Error(`${this.description}: the series it reads depends on the model server; resolve the metric against it first`);
    }
    return this.podsDef?.expr ? { record: this.podsDef.record, expr: this.podsDef.expr(scope) } : undefined;
  }

  /**
   * The series of the model server this metric reads, once resolved (e.g. `te_request_count`).
   * @default - none for metrics not read from the model server
   */
  public get serverSeries(): string | undefined {
    return this.serverInput?.name;
  }

  /**
   * This metric as read from one server: a preset that reads the server's metric gets the server's name for it; a name
   * the server does not export, a server-specific preset on another server, and a GPU metric on a server without GPUs are
   * errors naming the server, its release and what it exports. @internal
   */
  public _resolve(scope: IConstruct, prop: string, server: ServerContext): ScalingMetric {
    if (this.dcgmGauge !== undefined) {
      if (!server.hasGpu) {
        invalidProp(scope, prop, this.description, `reads dcgm-exporter's ${this.dcgmGauge}, and the pods${server.image ? ` of ${server.image}` : ''} request no GPU`,
          'give the model server a GPU (modelServer.gpu), or scale on a metric the server exports, e.g. ScalingMetric.requestsPerSecond(...)');
      }
      const dcgm = MetricsExporter.DCGM_EXPORTER;
      if (dcgm.metricOfSeries(this.dcgmGauge)?.type !== 'gauge') {
        invalidProp(scope, prop, this.dcgmGauge, `is not a gauge ${dcgm.toString()} exports`,
          `use one of its gauges: ${dcgm.metrics().filter(x => x.type === 'gauge').map(x => x.name).join(', ')}`);
      }
      return this;
    }
    const input = this.serverInput;
    if (!input) return this;
    const kind = server.kind;
    const on = `the server is ${kind.isGeneric ? 'generic' : kind.toString()}${server.image ? ` (${server.image})` : ''}`;
    const role = ROLES[input.role];
    if (input.onlyOn && input.onlyOn !== kind) {
      invalidProp(scope, prop, this.description, `reads ${input.onlyOn.name}'s ${input.name}, and ${on}`,
        `use ScalingMetric.${input.neutral}(...), which reads the server's own ${role.words.replace(/^an? /, '')}`);
    }
    const exporter = kind.exporter;
    let name = input.name;
    if (name === undefined) {
      name = kind._metricFor(input.role);
      if (name === undefined) {
        const instead = kind._insteadOf(input.role);
        if (instead !== undefined) return invalidProp(scope, prop, this.description, `needs ${role.words}, and ${on}, which records none`, instead);
        if (!exporter) {
          return invalidProp(scope, prop, this.description, `needs ${role.words}, and ${on}, which names none`,
            `name it: modelServer.kind: ModelServerKind.generic({ ${input.role}: '<series>' }) (or the metric's '${input.option}' option)`);
        }
        return invalidProp(scope, prop, this.description, `needs ${role.words}, and ${exporter.toString()} exports none (${on})`,
          `scale on what it exports: ${exportedOf(exporter)}`);
      }
    }
    if (exporter) {
      const metric = exporter.metric(name);
      if (!metric || metric.removedIn !== undefined || metric.type !== role.type) {
        const same = exporter.metrics().filter(x => x.type === role.type && x.optIn === undefined).map(x => x.name);
        invalidProp(scope, prop, name, `is not ${role.type === 'histogram' ? 'a histogram' : `a ${role.type}`} ${exporter.toString()} exports (${on})`,
          `use one of its ${role.type}s: ${same.join(', ') || 'none'}; or set modelServer.kind to ModelServerKind.generic({...}) for a server that exports it`);
      }
    }
    const q = input.quantileTarget;
    if (q !== undefined && q.bounds === undefined) {
      const bounds = exporter?.metric(name)?.bucketBounds;
      if (bounds !== undefined) {
        checkQuantileTarget(scope, prop, this.description, q.seconds, bounds, `${name}'s buckets at ${exporter!.toString()}`,
          `${q.at}'s 'bucketBoundsSeconds' option if the server was started with other buckets`);
      }
    }
    const m = new ScalingMetric(this.source, this.description, this.targetValue, this.metricName, this.maxTarget);
    m.podsDef = { ...this.podsDef!, expr: input.build(name) };
    m.serverInput = { ...input, name };
    return m;
  }

  /** The PromQL of the service total (all pods of the target), which KEDA's Prometheus scaler needs. @internal */
  public _serviceTotalQuery(scope: MetricScope): string | undefined {
    return this.podsDef ? `sum(${this.podsDef.record}{${selector(scope)}})` : undefined;
  }

  /** The PromQL of a pool metric, for KEDA (and the simulator's reading of it). @internal */
  public _poolQuery(scope: MetricScope): string {
    const d = this.poolDef!;
    const matchers = [...(scope.namespace ? [`namespace="${scope.namespace}"`] : []), `${d.poolLabel}="${d.poolName}"`].join(', ');
    // Every picker replica exports the pool's gauge: the largest is the freshest reading.
    const q = `max(${d.series}{${matchers}})`;
    return d.scale === 1 ? q : `${d.scale} * ${q}`;
  }

  /**
   * The InferencePool a pool metric describes.
   * @default - none for metrics that are not an InferencePool's
   */
  public get inferencePoolName(): string | undefined {
    return this.poolDef?.poolName;
  }

  /**
   * The endpoint picker's series a pool metric reads (e.g. `llm_d_epp_average_queue_size`).
   * @default - none for metrics that are not an InferencePool's
   */
  public get endpointPickerSeries(): string | undefined {
    return this.poolDef?.series;
  }

  /** The prometheus-adapter rule that serves this metric; the same for every target. @internal */
  public _adapterRule(): { kind: 'rules' | 'externalRules'; rule: AdapterRule } | undefined {
    if (this.poolDef) return { kind: 'rules', rule: poolAdapterRule(this.poolDef, this.metricName) };
    if (this.podsDef) {
      return { kind: 'rules', rule: podsAdapterRule(this.podsDef.record, this.metricName) };
    }
    if (this.source === ScalingMetricSource.EXTERNAL && (this.externalOptions?.servedByPrometheusAdapter ?? true)) {
      return {
        kind: 'externalRules',
        rule: {
          seriesQuery: this.metricName,
          // The series lives with its exporter, not in the HPA's namespace.
          resources: { namespaced: false },
          name: { matches: `^${escapeRegex(this.metricName)}$`, as: this.metricName },
          metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>})',
        },
      };
    }
    return undefined;
  }
}

// One rule object per recording rule, shared by every autoscaler of an app: merging them is then a lookup.
const podsAdapterRules = new Map<string, AdapterRule>();

function podsAdapterRule(record: string, metricName: string): AdapterRule {
  let rule = podsAdapterRules.get(record);
  if (!rule) {
    rule = {
      seriesQuery: `${record}{namespace!="",pod!=""}`,
      resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
      name: { matches: `^${escapeRegex(record)}$`, as: metricName },
      metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    };
    podsAdapterRules.set(record, rule);
  }
  return rule;
}

// One rule object per served pool metric: every pool's metric of a kind is served by the same rule.
const poolAdapterRules = new Map<string, AdapterRule>();

function poolAdapterRule(d: PoolMetricDef, metricName: string): AdapterRule {
  let rule = poolAdapterRules.get(metricName);
  if (!rule) {
    const query = 'max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)';
    rule = {
      seriesQuery: `${d.series}{namespace!="",${d.poolLabel}!=""}`,
      // The series' pool label names the InferencePool an Object request describes (a CRD the adapter's RESTMapper finds once installed).
      resources: { overrides: { namespace: { resource: 'namespace' }, [d.poolLabel]: { group: INFERENCE_POOL_GROUP, resource: 'inferencepool' } } },
      name: { matches: `^${escapeRegex(d.series)}$`, as: metricName },
      metricsQuery: d.scale === 1 ? query : `${d.scale} * ${query}`,
    };
    poolAdapterRules.set(metricName, rule);
  }
  return rule;
}

function labelMatchers(labels: { [key: string]: string } | undefined): string {
  if (!labels || Object.keys(labels).length === 0) return '';
  return `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** What an exporter exports, by type, for messages. */
function exportedOf(exporter: MetricsExporter): string {
  const byType = new Map<string, string[]>();
  for (const m of exporter.metrics()) {
    if (m.optIn !== undefined) continue;
    byType.set(m.type, [...(byType.get(m.type) ?? []), m.name]);
  }
  return [...byType].map(([type, names]) => `${type}s ${names.join(', ')}`).join('; ');
}

const CRON_WINDOW = 'ScalingMetric.cronWindow';

/**
 * What KEDA's cron scaler would refuse, or fail on at every poll, checked when the window is made. A wrong field count
 * is left to the autoscaler's check, which names the construct.
 */
function checkCronWindow(start: string, end: string, timeZone: string): void {
  // kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go L124-L127: time.LoadLocation runs on every poll, so a bad zone
  // builds fine and then fails every poll ("unable to load timezone").
  const zone = tzSpellingProblem(timeZone);
  if (zone?.kind === 'case') {
    invalidProp(CRON_WINDOW, 'timeZone', timeZone, 'differs from the tz database name only in case, and KEDA (Go) matches names case-sensitively',
      `write "${zone.spelled}"`);
  }
  if (zone) {
    invalidProp(CRON_WINDOW, 'timeZone', timeZone, 'is not a time zone of the tz database, so KEDA\'s cron trigger would fail on every poll',
      'give an IANA zone spelled as the tz database spells it, e.g. "Europe/Berlin" or "America/New_York"');
  }
  for (const [prop, expr] of [['start', start], ['end', end]]) {
    const problem = cronExpressionProblem(expr);
    if (problem) {
      invalidProp(CRON_WINDOW, prop, expr, problem, 'write minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5" (days of week 0-6, Sunday 0)');
    }
  }
  // kedacore/keda v2.20.2 pkg/scalers/cron_scaler.go L48-L50
  if (start.trim() === end.trim()) {
    invalidProp(CRON_WINDOW, 'end', end, 'is the same as \'start\', which KEDA\'s cron scaler refuses',
      'give the window an end other than its start (a window held all week takes two cron windows)');
  }
}

/** A per-pod target (or a percent up to `maxPercent`): above zero, in thousandths, as the HPA's quantity keeps it. */
function checkTarget(at: string, prop: string, value: unknown, maxPercent?: number): number {
  if (maxPercent !== undefined) {
    const n = checkNumber(at, prop, value, { min: 1, max: maxPercent, what: 'a percent' }, `give a percent from 1 to ${maxPercent}, e.g. 70`);
    return checkThousandths(at, prop, n, 'round the percent to three decimals');
  }
  const n = checkNumber(at, prop, value, { min: 0.001, max: 1e9 },
    'give the value one pod should handle, from 0.001 to 1,000,000,000 (a zero or negative target would scale to the maximum at once)');
  return checkThousandths(at, prop, n, 'round the target to three decimals');
}

function checkOptions(at: string, options: unknown): void {
  checkStruct(at, 'options', options, 'give the options as an object of named fields, or leave them out', true);
}

function checkSeries(at: string, prop: string, value: unknown): void {
  if (value !== undefined) checkPrometheusMetricName(at, prop, value);
}

function checkGaugeArgs(at: string, prop: string, target: unknown, options: GaugeMetricOptions, maxPercent?: number): void {
  checkTarget(at, prop, target, maxPercent);
  checkOptions(at, options);
  checkSeries(at, 'gauge', options.gauge);
}

/** A latency target: whole milliseconds from 1 ms to 1 hour; returns it in seconds. */
function checkLatencyTarget(at: string, target: unknown, example: string): number {
  checkDuration(at, 'target', target, { min: Duration.millis(1), max: Duration.hours(1) },
    `give the p95 one pod should stay under, from 1 ms to 1 hour, e.g. ${example}`);
  const ms = (target as Duration).toMilliseconds({ integral: false });
  if (!Number.isInteger(ms)) {
    invalidProp(at, 'target', target, 'is not a whole number of milliseconds (the target is written in thousandths of a second)',
      'round the target to whole milliseconds, e.g. Duration.millis(1500)');
  }
  return ms / 1000;
}

/** Finite bucket bounds: 1 to 1,000 numbers above zero, strictly ascending. */
function checkBucketBounds(at: string, value: unknown): number[] {
  const fix = 'give the histogram\'s finite upper bounds in seconds, ascending, as the server\'s flag sets them, e.g. [0.1, 0.2, 0.4, 0.8]';
  const list = checkList<unknown>(at, 'bucketBoundsSeconds', value, { min: 1, max: 1000 }, fix);
  list.forEach((b, i) => checkNumber(at, `bucketBoundsSeconds[${i}]`, b, { min: 0, minExclusive: true, max: 1e9 }, fix));
  const bounds = list as number[];
  bounds.forEach((b, i) => {
    if (i > 0 && !(b > bounds[i - 1])) {
      invalidProp(at, `bucketBoundsSeconds[${i}]`, b, `is not above the bound before it (${bounds[i - 1]})`, fix);
    }
  });
  return [...bounds];
}

/**
 * A p95 target must leave the HPA room above it: histogram_quantile returns at most the highest finite bucket bound ("if
 * the quantile falls into the highest bucket, the upper bound of the 2nd highest bucket is returned": Prometheus'
 * histogram_quantile documentation; promql/quantile.go bucketQuantile), and the controller scales up only above 1.1 x
 * the target (its default tolerance).
 */
function checkQuantileTarget(scope: IConstruct | string, prop: string, value: unknown, seconds: number, bounds: number[], whose: string,
  other?: string): void {
  const highest = bounds[bounds.length - 1];
  if (!(highest > seconds * 1.1)) {
    let most = Math.floor((highest / 1.1) * 1000) / 1000;
    if (!(highest > most * 1.1)) most = (Math.round(most * 1000) - 1) / 1000;
    invalidProp(scope, prop, value,
      `cannot be read from ${whose} (${bounds.join(', ')} s): a p95 from histogram_quantile never exceeds the highest bound, ${highest} s, `
      + `so it could never reach 1.1 x the target (${+(seconds * 1.1).toFixed(4)} s) for the HPA to scale up`,
      `give a target of at most ${most} s${other ? `, or ${other}` : ''}`);
  }
}

/** A rate window: whole seconds from 1 s to 1 day (Prometheus range durations); the default is 2 minutes. */
function checkRateWindow(at: string, value: unknown): Duration {
  return checkOptionalDuration(at, 'rateWindow', value, { min: Duration.seconds(1), max: Duration.days(1), wholeSeconds: true },
    'give a whole number of seconds from 1 s to 1 day, at least four scrape intervals, e.g. Duration.minutes(2)') ?? Duration.minutes(2);
}
