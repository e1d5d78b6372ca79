/**
 * ServiceMonitors and PodMonitors as prometheus-operator v0.93.0 (commit f8fafd4) checks them when it builds the
 * Prometheus configuration: an invalid monitor is skipped with an `InvalidConfiguration` event, so its targets are
 * never scraped (pkg/prometheus/resource_selector.go `selectObjects()` L141-L168; research notes §7).
 * Rules: pkg/prometheus/validation/validator.go `ValidateRelabelConfig()` (L90-L167) for `relabelings` and
 * `metricRelabelings`, resource_selector.go `validateScrapeIntervalAndTimeout()` (L291-L299) with
 * pkg/prometheus/promcfg.go `CompareScrapeTimeoutToScrapeInterval()` (L976-L993), and the port selection of
 * promcfg.go (L1570-L1595 PodMonitor, L2087-L2108 ServiceMonitor). The target Prometheus is the operator's default,
 * v3.13.1 (pkg/operator/defaults.go L42), so label names follow the UTF-8 scheme and every relabel action exists.
 */
import { describeObject } from '../pod-security';
import { prometheusDurationMillis, re2Error } from '../promql';

/** Relabel actions (prometheus model/relabel/relabel.go; the CRD enum accepts them in lower or CamelCase). */
const ACTIONS = ['replace', 'keep', 'drop', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
/** Actions that write a label and so need targetLabel (validator.go L114-L116). */
const NEED_TARGET = ['replace', 'hashmod', 'lowercase', 'uppercase', 'keepequal', 'dropequal'];
/** The Prometheus CR's spec.scrapeInterval default (monitoring/v1 prometheus_types.go L333-L334). */
const DEFAULT_SCRAPE_INTERVAL = '30s';

/** A monitor's scrape endpoints with their JSON paths. */
export function monitorEndpoints(obj: any): Array<{ ep: any; path: string }> {
  const key = obj?.kind === 'ServiceMonitor' ? 'endpoints' : obj?.kind === 'PodMonitor' ? 'podMetricsEndpoints' : undefined;
  if (!key || !String(obj.apiVersion).startsWith('monitoring.coreos.com/')) return [];
  const list = obj.spec?.[key];
  return Array.isArray(list) ? list.map((ep: any, i: number) => ({ ep, path: `spec.${key}[${i}]` })) : [];
}

/** Findings for every ServiceMonitor and PodMonitor in `objects`. */
export function prometheusOperatorViolations(objects: any[]): string[] {
  const out: string[] = [];
  for (const obj of objects) {
    const label = describeObject(obj);
    for (const { ep, path } of monitorEndpoints(obj)) {
      for (const f of checkEndpoint(obj.kind, ep, path)) out.push(`${label}: ${f}`);
    }
  }
  return out;
}

function checkEndpoint(kind: string, ep: any, path: string): string[] {
  const out: string[] = [];
  for (const key of ['relabelings', 'metricRelabelings']) {
    const list = ep?.[key];
    if (!Array.isArray(list)) continue;
    list.forEach((rc: any, i: number) => {
      const err = relabelError(rc ?? {});
      if (err) out.push(`${path}.${key}[${i}]: ${err}`);
    });
  }
  // resource_selector.go L291-L299: only when a timeout is set; the interval falls back to the Prometheus CR's.
  if (ep?.scrapeTimeout) {
    const interval = ep.interval || DEFAULT_SCRAPE_INTERVAL;
    const t = prometheusDurationMillis(String(ep.scrapeTimeout));
    const iv = prometheusDurationMillis(String(interval));
    if (t === undefined) {out.push(`${path}.scrapeTimeout: not a valid duration string: "${ep.scrapeTimeout}"`);} else if (iv !== undefined && t > iv) {
      out.push(`${path}: scrapeTimeout "${ep.scrapeTimeout}" greater than scrapeInterval "${interval}"${ep.interval ? '' : ' (the Prometheus default)'}: the operator rejects the monitor`);
    }
  }
  // promcfg.go: `port` wins; a targetPort beside it is silently ignored.
  const portKey = kind === 'PodMonitor' && ep?.portNumber !== undefined ? 'portNumber' : 'port';
  if ((ep?.port || ep?.portNumber) && ep?.targetPort !== undefined) {
    out.push(`${path}: both ${portKey} and targetPort are set: the operator scrapes ${portKey} and ignores targetPort (deprecated); keep one`);
  }
  if (kind === 'PodMonitor' && ep?.port && ep?.portNumber) {
    out.push(`${path}: both port and portNumber are set: the operator uses port and ignores portNumber`);
  }
  // Not an operator rule: Go's URL.String() adds the slash, but `metrics` for `/metrics` is almost always a typo.
  if (ep?.path !== undefined && !String(ep.path).startsWith('/')) out.push(`${path}.path: "${ep.path}" does not start with "/"`);
  return out;
}

/** validator.go ValidateRelabelConfig() L90-L167, for Prometheus v3.13.1 (UTF-8 label names). */
export function relabelError(rc: any): string | undefined {
  const given = rc.action === undefined || rc.action === '' ? 'replace' : String(rc.action);
  const action = given.toLowerCase();
  if (!ACTIONS.includes(action)) return `unknown relabel action "${given}" (one of ${ACTIONS.join(', ')})`;
  // relabel.NewRegexp: "^(?s:" + regex + ")$" compiled as RE2.
  if (rc.regex !== undefined) {
    const err = re2Error(String(rc.regex));
    if (err) return `invalid regex ${rc.regex} for relabel configuration: ${err}`;
  }
  const modulus = Number(rc.modulus ?? 0);
  if (action === 'hashmod' && modulus === 0) return 'relabel configuration for hashmod requires non-zero modulus';
  const target = rc.targetLabel ?? '';
  if (NEED_TARGET.includes(action) && target === '') return `relabel configuration for ${given} action needs targetLabel value`;
  const replacementSet = rc.replacement !== undefined && rc.replacement !== '$1';
  if (['lowercase', 'uppercase', 'keepequal', 'dropequal'].includes(action) && replacementSet) return `'replacement' can not be set for ${given} action`;
  if (action === 'labelmap' && rc.replacement !== undefined && String(rc.replacement) === '') return `"" is invalid 'replacement' for ${given} action`;
  if (action === 'keepequal' || action === 'dropequal') {
    if ((rc.regex !== undefined && rc.regex !== '' && rc.regex !== '(.*)') || (modulus !== 0) || (rc.separator !== undefined && rc.separator !== ';') || replacementSet) {
      return `${given} action requires only 'source_labels' and \`target_label\`, and no other fields`;
    }
  }
  if (action === 'labeldrop' || action === 'labelkeep') {
    if ((rc.sourceLabels?.length ?? 0) !== 0 || target !== '' || modulus !== 0 || (rc.separator !== undefined && rc.separator !== ';') || replacementSet) {
      return `${given} action requires only 'regex', and no other fields`;
    }
  }
  return undefined;
}
