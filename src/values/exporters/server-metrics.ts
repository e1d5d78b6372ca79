/** What the metric presets need of a model server, and how its image names its release (internal to src/values). */

/** The roles a server metric plays for the metric presets. */
export type ServerMetricRole = 'requestCounter' | 'latencyHistogram' | 'waitingGauge' | 'runningGauge' | 'kvCacheUsageGauge'
  | 'timeToFirstTokenHistogram' | 'interTokenLatencyHistogram';

/** What each role is, in words, and the Prometheus type its metric must have. */
export const ROLES: Record<ServerMetricRole, { words: string; type: 'counter' | 'gauge' | 'histogram' }> = {
  requestCounter: { words: 'a request counter', type: 'counter' },
  latencyHistogram: { words: 'a request-latency histogram', type: 'histogram' },
  waitingGauge: { words: 'a gauge of waiting requests', type: 'gauge' },
  runningGauge: { words: 'a gauge of running requests', type: 'gauge' },
  kvCacheUsageGauge: { words: 'a KV-cache usage gauge', type: 'gauge' },
  timeToFirstTokenHistogram: { words: 'a time-to-first-token histogram', type: 'histogram' },
  interTokenLatencyHistogram: { words: 'an inter-token latency histogram', type: 'histogram' },
};

/** Whether the arguments contain these, in order (`--flag value` or `--flag=value`), or the flag alone. */
export function hasArgs(args: string[], wanted: string[]): boolean {
  const [flag, value] = wanted;
  return args.some((a, i) => value === undefined
    ? a === flag || a.startsWith(`${flag}=`)
    : (a === flag && args[i + 1] === value) || a === `${flag}=${value}`);
}
