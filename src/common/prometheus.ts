/** Prometheus and prometheus-adapter shapes the metrics pipeline emits. */

/** A PromQL label matcher set for one scaling target, as the recording rules use it. */
export interface MetricScope {
  /** The value of the `scaling_target` label the monitors attach. */
  readonly target: string;
  /** Namespace, when the chart sets one. */
  readonly namespace?: string;
  /** Regex that matches the target's pod names (for metrics scraped from other pods, such as DCGM). */
  readonly podPattern: string;
}

/** A prometheus-adapter rule (custom or external). */
export interface AdapterRule {
  readonly seriesQuery: string;
  readonly resources: any;
  readonly name: { matches: string; as: string };
  readonly metricsQuery: string;
}

/** One Prometheus rule (recording or alerting). */
export interface PromRule {
  readonly record?: string;
  readonly alert?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

export function selector(s: MetricScope): string {
  return [`scaling_target="${s.target}"`, ...(s.namespace ? [`namespace="${s.namespace}"`] : [])].join(', ');
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The fix for labels a Prometheus selects rules and monitors by (PrometheusSelector, prometheusSelectorLabels). */
export const PROMETHEUS_SELECTOR_LABELS_FIX = 'use label keys such as "release" or "prometheus.example.com/instance" and values of at most 63 letters, digits, '
  + '\'-\', \'_\' or \'.\', starting and ending with a letter or digit (e.g. the Helm release name)';
