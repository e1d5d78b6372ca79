/**
 * The shape of one exporter's pinned catalog (internal data; the public view is `MetricsExporter` in
 * `../exporter-catalog.ts`). Each entry cites the upstream file (and line) at the version read.
 */

/** One metric family as the exporter exposes it. */
export interface MetricEntry {
  /**
   * The family name as Prometheus stores it: counters with the suffix they are exposed with
   * (`vllm:request_success_total`, but `te_request_count`: the Rust and C++ exporters add no `_total`),
   * histograms and summaries without `_bucket`/`_sum`/`_count`.
   */
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary';
  /** The labels the exporter puts on the series (not the scrape's target labels). */
  readonly labels: string[];
  /** Unit or meaning of the value. */
  readonly unit: string;
  /** The first release that exports it by default, when later than the oldest release read. */
  readonly since?: string;
  /** The first release that no longer exports it by default. */
  readonly removedIn?: string;
  /** What replaced it, when it was renamed. */
  readonly renamedTo?: string;
  /** The flag that turns it on, when it is off by default. */
  readonly optIn?: string;
  /**
   * A histogram's finite bucket upper bounds at the pinned release, ascending, in the metric's unit (the `+Inf` bucket
   * is implied), when the source was read for them.
   */
  readonly buckets?: number[];
  /** Where it is registered: `owner/repo@ref path:line`. */
  readonly source: string;
}

/** One exporter, pinned to the release whose code was read. */
export interface ExporterData {
  /** Stable identifier, e.g. `vllm`. */
  readonly id: string;
  /** Display name, e.g. `vLLM`. */
  readonly name: string;
  /** The release the metric names are pinned to. */
  readonly version: string;
  /** The upstream repository and the ref read (tag, branch or commit). */
  readonly source: string;
  /** The port the metrics are served on. */
  readonly port: number;
  /** The HTTP path of the metrics. */
  readonly metricsPath: string;
  /**
   * How Prometheus stores counters of this exporter: `python` clients add `_total` (already in the names
   * below) and a `_created` series; `plain` exporters expose the registered name only.
   */
  readonly client: 'python' | 'go' | 'plain';
  /** Every metric read at the pinned version, plus the removed and renamed ones the version checks need. */
  readonly metrics: MetricEntry[];
}
