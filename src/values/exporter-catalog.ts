import { DCGM_EXPORTER } from './exporters/dcgm-exporter';
import { ENDPOINT_PICKER } from './exporters/endpoint-picker';
import { KARPENTER } from './exporters/karpenter';
import { KEDA } from './exporters/keda';
import { KUBE_STATE_METRICS } from './exporters/kube-state-metrics';
import { SGLANG } from './exporters/sglang';
import { TEXT_EMBEDDINGS_INFERENCE } from './exporters/text-embeddings-inference';
import { TEXT_GENERATION_INFERENCE } from './exporters/text-generation-inference';
import { TRITON } from './exporters/triton';
import { ExporterData, MetricEntry } from './exporters/types';
import { compareVersions, versionKey } from './exporters/version';
import { invalidProp } from '../common/errors';
import { checkString } from '../common/validate';
import { VLLM } from './exporters/vllm';

const SERIES_FIX = 'give a series name as a PromQL selector names it, e.g. "vllm:num_requests_waiting" or "te_request_duration_bucket"';
const VERSION_FIX = 'give a release number such as "0.11.2" or "v0.5.6.post2"';

/** The Prometheus type of an exported metric. */
export enum MetricType {
  /** Only goes up; read with `rate()`. */
  COUNTER = 'counter',
  /** A value that goes up and down. */
  GAUGE = 'gauge',
  /** Buckets: stored as `<name>_bucket` (with `le`), `<name>_sum` and `<name>_count`. */
  HISTOGRAM = 'histogram',
  /** Quantiles: stored as `<name>` (with `quantile`), `<name>_sum` and `<name>_count`. */
  SUMMARY = 'summary',
}

/** One metric an exporter exports, as its pinned release registers it. */
export interface ExportedMetric {
  /**
   * The metric's name as Prometheus stores it: a counter with the suffix it is exposed with
   * (`vllm:request_success_total`, but `te_request_count`: TEI's exporter adds no `_total`), a histogram or summary
   * without `_bucket`, `_sum` or `_count`.
   */
  readonly name: string;
  /** Counter, gauge, histogram or summary. */
  readonly type: MetricType;
  /** The labels the exporter sets (Prometheus adds the scrape target's own, e.g. `namespace` and `pod`). */
  readonly labels: string[];
  /** The unit or meaning of the value. */
  readonly unit: string;
  /** The series Prometheus stores for it: the name itself, or the histogram's `_bucket`, `_sum` and `_count`. */
  readonly seriesNames: string[];
  /**
   * The first release that exports it by default.
   * @default - every release the catalog covers
   */
  readonly since?: string;
  /**
   * The first release that no longer exports it by default.
   * @default - still exported at the pinned release
   */
  readonly removedIn?: string;
  /**
   * The metric that replaced it.
   * @default - not renamed
   */
  readonly renamedTo?: string;
  /**
   * The flag or setting that turns it on.
   * @default - on by default
   */
  readonly optIn?: string;
  /**
   * A histogram's finite bucket upper bounds at the pinned release, ascending, in the metric's unit (the `+Inf` bucket is
   * implied). `histogram_quantile` never returns more than the highest of them.
   * @default - not recorded by the catalog
   */
  readonly bucketBounds?: number[];
  /** Where upstream registers it: `owner/repo@ref path:line`. */
  readonly source: string;
}

/**
 * An exporter of Prometheus metrics (a model server, dcgm-exporter, kube-state-metrics, KEDA, Karpenter), pinned to the
 * release whose source its metric names were read from.
 *
 * Use it to look names up rather than typing them: `MetricsExporter.VLLM.exports('vllm:num_requests_waiting')`.
 * The catalog answers for the series Prometheus stores, so a histogram is found by its `_bucket`, `_sum` and `_count`
 * series and a counter by the name it is exposed with (`_total` where the exporter adds it).
 *
 * @example
 * MetricsExporter.TEXT_EMBEDDINGS_INFERENCE.metricNames(); // ['te_request_count', ...]
 * MetricsExporter.VLLM.exports('vllm:e2e_request_latency_seconds_bucket'); // true
 */
export class MetricsExporter {
  /** vLLM 0.12.0 (V1 engine), `vllm/v1/metrics/loggers.py`. */
  public static readonly VLLM = new MetricsExporter(VLLM);
  /** Hugging Face text-embeddings-inference 1.8.3 (names unchanged 1.3.0 to 1.9.3). */
  public static readonly TEXT_EMBEDDINGS_INFERENCE = new MetricsExporter(TEXT_EMBEDDINGS_INFERENCE);
  /** NVIDIA Triton Inference Server, container 26.06 (server 2.70.0; names unchanged since 24.11). */
  public static readonly TRITON = new MetricsExporter(TRITON);
  /** Hugging Face text-generation-inference 3.3.7 (names unchanged since 2.3.1). */
  public static readonly TEXT_GENERATION_INFERENCE = new MetricsExporter(TEXT_GENERATION_INFERENCE);
  /** SGLang 0.5.6.post2 (metrics only with `--enable-metrics`). */
  public static readonly SGLANG = new MetricsExporter(SGLANG);
  /** NVIDIA dcgm-exporter 4.5.3-4.8.2 (the Helm chart's default counters). */
  public static readonly DCGM_EXPORTER = new MetricsExporter(DCGM_EXPORTER);
  /** kube-state-metrics 2.20.0 (its HorizontalPodAutoscaler families). */
  public static readonly KUBE_STATE_METRICS = new MetricsExporter(KUBE_STATE_METRICS);
  /** The KEDA operator 2.20.2. */
  public static readonly KEDA = new MetricsExporter(KEDA);
  /** Karpenter 1.14.1 (core and the AWS provider). */
  public static readonly KARPENTER = new MetricsExporter(KARPENTER);
  /**
   * The Gateway API Inference Extension's endpoint picker, llm-d-router 0.9.0 (the picker the extension v1.6.0 points
   * to): per-InferencePool averages of the model servers' queues and KV caches as the picker sees them.
   */
  public static readonly ENDPOINT_PICKER = new MetricsExporter(ENDPOINT_PICKER);

  /** Stable identifier, e.g. `vllm`, `dcgm-exporter`. */
  public readonly id: string;
  /** What it is, in words. */
  public readonly name: string;
  /** The release the metric names are pinned to. */
  public readonly version: string;
  /** The upstream repository and the ref its metric names were read at. */
  public readonly source: string;
  /** The port it serves metrics on by default. */
  public readonly port: number;
  /** The HTTP path of its metrics. */
  public readonly metricsPath: string;

  private readonly entries: MetricEntry[];
  private readonly bySeries = new Map<string, MetricEntry>();

  private constructor(data: ExporterData) {
    this.id = data.id;
    this.name = data.name;
    this.version = data.version;
    this.source = data.source;
    this.port = data.port;
    this.metricsPath = data.metricsPath;
    this.entries = data.metrics;
    for (const e of this.entries) {
      if (e.removedIn) continue;
      for (const s of seriesOf(e)) this.bySeries.set(s, e);
    }
  }

  /** Every metric exported at the pinned release, opt-in ones included. */
  public metrics(): ExportedMetric[] {
    return this.entries.filter(e => !e.removedIn).map(toPublic);
  }

  /** The names of the metrics exported at the pinned release (histograms without their `_bucket`/`_sum`/`_count`). */
  public metricNames(): string[] {
    return this.entries.filter(e => !e.removedIn).map(e => e.name);
  }

  /** Every series name Prometheus stores from this exporter at the pinned release (histograms as their three series). */
  public seriesNames(): string[] {
    return [...this.bySeries.keys()];
  }

  /**
   * Whether the exporter exports this series at the pinned release: a gauge or counter by its name, a histogram by
   * `_bucket`, `_sum` or `_count`, a summary by its name, `_sum` or `_count`.
   * @param seriesName the name of a series, as a PromQL selector names it
   */
  public exports(seriesName: string): boolean {
    checkString('MetricsExporter.exports', 'seriesName', seriesName, SERIES_FIX);
    return this.bySeries.has(seriesName);
  }

  /**
   * The metric a series belongs to.
   * @param seriesName the name of a series, e.g. `te_request_duration_bucket`
   * @returns undefined when the exporter does not export it at the pinned release
   */
  public metricOfSeries(seriesName: string): ExportedMetric | undefined {
    checkString('MetricsExporter.metricOfSeries', 'seriesName', seriesName, SERIES_FIX);
    const e = this.bySeries.get(seriesName);
    return e ? toPublic(e) : undefined;
  }

  /**
   * A metric by name, including removed and renamed ones the catalog keeps for the version checks.
   * @param name the metric's name (a histogram without `_bucket`)
   * @returns undefined when the catalog does not know it
   */
  public metric(name: string): ExportedMetric | undefined {
    checkString('MetricsExporter.metric', 'name', name, 'give a metric name, e.g. "vllm:num_requests_waiting"');
    const e = this.entries.find(x => x.name === name);
    return e ? toPublic(e) : undefined;
  }

  /**
   * The metrics that differ between a release and the pinned one: added after it, or removed or renamed since, so a
   * name the library uses might not be exported by that release.
   * @param version a release of this exporter, e.g. `0.11.2`
   */
  public changesSince(version: string): ExportedMetric[] {
    checkString('MetricsExporter.changesSince', 'version', version, VERSION_FIX, 64);
    if (!versionKey(version)) invalidProp('MetricsExporter.changesSince', 'version', version, 'is not a release number', VERSION_FIX);
    return this.entries.filter(e => {
      const added = e.since !== undefined && compareVersions(version, e.since) < 0 && compareVersions(e.since, this.version) <= 0;
      const removed = e.removedIn !== undefined && compareVersions(version, e.removedIn) < 0 && compareVersions(e.removedIn, this.version) <= 0;
      return added || removed;
    }).map(toPublic);
  }

  /** `name version`, e.g. `vLLM 0.12.0`. */
  public toString(): string {
    return `${this.name} ${this.version}`;
  }
}

/**
 * Every pinned exporter, for checks over a whole app: every series a recording rule or alert reads is either recorded
 * by a rule of the app or exported by one of these.
 *
 * @example
 * ExporterCatalog.exporterOf('DCGM_FI_DEV_GPU_UTIL')?.id; // 'dcgm-exporter'
 * ExporterCatalog.exporterOf('http_requests_total'); // undefined: no pinned exporter exports it
 */
export class ExporterCatalog {
  /** Every exporter of the catalog. */
  public static all(): MetricsExporter[] {
    return [
      MetricsExporter.VLLM, MetricsExporter.TEXT_EMBEDDINGS_INFERENCE, MetricsExporter.TRITON, MetricsExporter.TEXT_GENERATION_INFERENCE,
      MetricsExporter.SGLANG, MetricsExporter.DCGM_EXPORTER, MetricsExporter.KUBE_STATE_METRICS, MetricsExporter.KEDA, MetricsExporter.KARPENTER,
      MetricsExporter.ENDPOINT_PICKER,
    ];
  }

  /**
   * The exporter that exports a series at its pinned release.
   * @param seriesName a series name, e.g. `vllm:request_success_total` or `te_request_duration_bucket`
   * @returns undefined when no exporter of the catalog exports it
   */
  public static exporterOf(seriesName: string): MetricsExporter | undefined {
    checkString('ExporterCatalog.exporterOf', 'seriesName', seriesName, SERIES_FIX);
    return ExporterCatalog.all().find(e => e.exports(seriesName));
  }

  /**
   * An exporter by its id.
   * @param id e.g. `vllm`, `text-embeddings-inference`, `dcgm-exporter`
   * @returns undefined when the catalog has no such exporter
   */
  public static byId(id: string): MetricsExporter | undefined {
    checkString('ExporterCatalog.byId', 'id', id, `give one of ${ExporterCatalog.all().map(e => e.id).join(', ')}`);
    return ExporterCatalog.all().find(e => e.id === id);
  }

  private constructor() {}
}

function seriesOf(e: MetricEntry): string[] {
  switch (e.type) {
    case 'histogram': return [`${e.name}_bucket`, `${e.name}_sum`, `${e.name}_count`];
    case 'summary': return [e.name, `${e.name}_sum`, `${e.name}_count`];
    default: return [e.name];
  }
}

function toPublic(e: MetricEntry): ExportedMetric {
  return {
    name: e.name,
    type: e.type as MetricType,
    labels: [...e.labels],
    unit: e.unit,
    seriesNames: seriesOf(e),
    ...(e.since !== undefined ? { since: e.since } : {}),
    ...(e.removedIn !== undefined ? { removedIn: e.removedIn } : {}),
    ...(e.renamedTo !== undefined ? { renamedTo: e.renamedTo } : {}),
    ...(e.optIn !== undefined ? { optIn: e.optIn } : {}),
    ...(e.buckets !== undefined ? { bucketBounds: [...e.buckets] } : {}),
    source: e.source,
  };
}
