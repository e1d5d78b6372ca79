import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import { PROMETHEUS_SELECTOR_LABELS_FIX } from '../common/prometheus';
import { checkLabels, checkStruct } from '../common/validate';

/** Properties of a PrometheusSelector. */
export interface PrometheusSelectorProps {
  /**
   * The labels your Prometheus selects rules and monitors by: its `ruleSelector`, `serviceMonitorSelector` and
   * `podMonitorSelector`. kube-prometheus-stack sets all three to `{ release: <Helm release name> }`. At least one,
   * with label keys and values as Kubernetes accepts them.
   */
  readonly labels: { [key: string]: string };
}

/** A monitoring object of the app and the labels its construct gave it (they win over the app's). */
interface Labelled {
  readonly object: ApiObject;
  readonly own: Record<string, string>;
}

const selectors = new WeakMap<IConstruct, PrometheusSelector[]>();
const labelled = new WeakMap<IConstruct, Labelled[]>();

/**
 * The labels by which the app's Prometheus selects its PrometheusRules, ServiceMonitors and PodMonitors, set once for
 * the app: every one of them the library creates carries them.
 *
 * The Prometheus operator loads only the rules and monitors its Prometheus selects: with kube-prometheus-stack's
 * defaults, those labelled `release: <Helm release name>`. An alert rule without the label is valid, applied, and
 * never evaluated. Add one PrometheusSelector to the app (or one per chart, when charts go to clusters with different
 * Prometheus installations): a construct in a chart takes the selector of its chart, else the app's only one.
 * The lookup happens at synth, so the order in which constructs are created does not matter. A construct's own
 * labels (`monitoring.prometheusSelectorLabels` of InferenceAutoscaler, `prometheusSelectorLabels` of
 * CostAwareNodePool) are merged over the app's, key by key.
 *
 * At synth, an app where some monitoring objects carry selector labels and others carry none is an error: the ones
 * without are never loaded.
 *
 * @see https://prometheus-operator.dev/docs/developer/getting-started/#deploying-prometheus-rules
 * @example
 * const app = new App();
 * new PrometheusSelector(app, 'prometheus', { labels: { release: 'kube-prometheus-stack' } });
 */
export class PrometheusSelector extends Construct {
  /**
   * The selector that applies to a construct: the one in its chart, else the app's only one.
   * @returns the selector, or undefined when none applies (none in the app, or several and none in the chart)
   */
  public static of(scope: IConstruct): PrometheusSelector | undefined {
    if (typeof (scope as any)?.node?.findAll !== 'function') {
      invalidProp('PrometheusSelector.of', 'scope', scope, 'is not a construct', 'give the App, a Chart or a construct of the app');
    }
    return find(scope).selector;
  }

  /**
   * Gives a monitoring object the app's selector labels (decided at synth) merged under its construct's own, and
   * checks at synth that it carries some when other monitoring objects of the app do.
   * @internal
   */
  public static _label(object: ApiObject, own: { [key: string]: string } | undefined, prop = 'prometheusSelectorLabels'): void {
    // Checked here, where every construct's own selector labels arrive, before they are written into the object's metadata.
    if (own !== undefined) checkLabels(object.node.scope ?? object, prop, own, PROMETHEUS_SELECTOR_LABELS_FIX);
    const root = object.node.root;
    const entry: Labelled = { object, own: { ...(own ?? {}) } };
    for (const [k, v] of Object.entries(entry.own)) object.metadata.addLabel(k, v);
    for (const s of selectors.get(root) ?? []) addLazyLabels(entry, s);
    labelled.set(root, [...(labelled.get(root) ?? []), entry]);
    object.node.addValidation({ validate: () => validateLabels(entry) });
  }

  /** The labels. */
  public readonly labels: { [key: string]: string };

  public constructor(scope: Construct, id: string, props: PrometheusSelectorProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give { labels }, e.g. { labels: { release: \'kube-prometheus-stack\' } }');
    if (props.labels === undefined) {
      invalidProp(this, 'labels', undefined, 'is required', 'give the labels your Prometheus selects rules and monitors by, e.g. { release: \'kube-prometheus-stack\' }');
    }
    const labels = checkLabels(this, 'labels', props.labels, PROMETHEUS_SELECTOR_LABELS_FIX);
    if (Object.keys(labels).length === 0) {
      invalidProp(this, 'labels', '{}', 'is empty', 'give the labels your Prometheus selects rules and monitors by, e.g. { release: \'kube-prometheus-stack\' }');
    }
    this.labels = { ...labels };
    const root = this.node.root;
    const existing = selectors.get(root) ?? [];
    const chart = chartOf(this);
    const sameChart = existing.find(s => chartOf(s) === chart);
    if (sameChart) {
      invalidProp(this, 'scope', chart?.node.path ?? '(the app)', `already holds a PrometheusSelector (${sameChart.node.path})`,
        'keep one PrometheusSelector per chart (or one for the whole app)');
    }
    selectors.set(root, [...existing, this]);
    for (const entry of labelled.get(root) ?? []) addLazyLabels(entry, this);
  }
}

/** The chart of a construct, or undefined for one outside any chart (on the App itself). */
function chartOf(c: IConstruct): Chart | undefined {
  return c.node.scopes.slice().reverse().find(s => Chart.isChart(s)) as Chart | undefined;
}

function find(scope: IConstruct): { selector?: PrometheusSelector; candidates: PrometheusSelector[] } {
  const all = selectors.get(scope.node.root) ?? [];
  const chart = chartOf(scope);
  const inChart = chart ? all.find(s => chartOf(s) === chart) : undefined;
  if (inChart) return { selector: inChart, candidates: [inChart] };
  // Selectors on the App itself apply to every chart that has none of its own.
  const appWide = all.filter(s => chartOf(s) === undefined);
  if (appWide.length === 1) return { selector: appWide[0], candidates: appWide };
  return all.length === 1 ? { selector: all[0], candidates: all } : { candidates: all };
}

/** A label per key of `selector` the object does not set itself, resolved at synth (left out when another selector applies). */
function addLazyLabels(entry: Labelled, selector: PrometheusSelector): void {
  for (const key of Object.keys(selector.labels)) {
    if (key in entry.own) continue;
    // A Lazy that produces undefined is left out of the manifest.
    entry.object.metadata.addLabel(key, Lazy.any({ produce: () => find(entry.object).selector?.labels[key] }) as unknown as string);
  }
}

/** The labels an object carries once synthesized. */
function effectiveLabels(entry: Labelled): Record<string, string> {
  return { ...(find(entry.object).selector?.labels ?? {}), ...entry.own };
}

function validateLabels(entry: Labelled): string[] {
  const { selector, candidates } = find(entry.object);
  const messages: string[] = [];
  if (!selector && candidates.length > 1 && Object.keys(entry.own).length === 0) {
    // cdk8s puts the construct path in front of a validation message.
    messages.push(`'metadata.labels' ({}) of the ${entry.object.kind} has no Prometheus selector labels: the app has ${candidates.length} PrometheusSelectors ` +
      `(${candidates.map(c => c.node.path).join(', ')}) and none is in this chart: move the one of this cluster into this chart, or add one to the App itself`);
  }
  if (Object.keys(effectiveLabels(entry)).length > 0) return messages;
  const others = (labelled.get(entry.object.node.root) ?? []).filter(o => o !== entry && Object.keys(effectiveLabels(o)).length > 0);
  if (others.length === 0) return messages;
  const example = effectiveLabels(others[0]);
  messages.push(`'metadata.labels' ({}) of the ${entry.object.kind} carries no Prometheus selector labels while ${others.length} other monitoring object(s) of the app carry ` +
    `${Object.entries(example).map(([k, v]) => `${k}=${v}`).join(', ')} (${others.slice(0, 3).map(o => o.object.node.path).join(', ')}${others.length > 3 ? ', ...' : ''}): ` +
    'the Prometheus that selects those never loads this one; add one PrometheusSelector to the app ' +
    '(new PrometheusSelector(app, \'prometheus\', { labels: { release: \'kube-prometheus-stack\' } })) or give this construct its prometheusSelectorLabels');
  return messages;
}
