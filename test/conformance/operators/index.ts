/**
 * What the operators enforce beyond their schemas: admission webhooks, controller-side validation,
 * the metric pipeline's loaders, and rules across objects. Each module transcribes the rules of one
 * upstream project at its pinned version (file and tag cited beside each rule) and returns findings
 * as `Kind/name: path: message`, like the schema check.
 */
import { INFERENCE_EXTENSION_CHECK } from './inference-extension';
import { KARPENTER_CHECK } from './karpenter';
import { KEDA_CHECK } from './keda';
import { KUBERAY_CHECK } from './kuberay';
import { KUBERNETES_CHECK } from './kubernetes';
import { KUEUE_CHECK } from './kueue';
import { LWS_CHECK } from './lws';
import { metricPipelineViolations } from './metric-pipeline';
import { prometheusAdapterViolations } from './prometheus-adapter';
import { prometheusOperatorViolations } from './prometheus-operator';
import { promtoolViolations } from './promtool';
import { VPA_CHECK } from './vpa';

/** The rules of one upstream project, run over every object of a synthesized app at once. */
export interface OperatorCheck {
  /** The project and version the rules come from, e.g. `KEDA v2.18.1`. */
  readonly source: string;
  /** Every violation in `objects`, as `Kind/name: path: message`. */
  readonly check: (objects: any[]) => string[];
}

/** Every operator check, in the order findings are reported. */
export const OPERATOR_CHECKS: OperatorCheck[] = [
  KUBERNETES_CHECK,
  VPA_CHECK,
  KUBERAY_CHECK,
  KUEUE_CHECK,
  LWS_CHECK,
  KARPENTER_CHECK,
  KEDA_CHECK,
  INFERENCE_EXTENSION_CHECK,
  { source: 'promtool check rules (Prometheus v3.14.0)', check: promtoolViolations },
  { source: 'prometheus-adapter v0.12.0 config loader', check: prometheusAdapterViolations },
  { source: 'prometheus-operator v0.93.0 monitors', check: prometheusOperatorViolations },
  { source: 'metric pipeline across objects', check: metricPipelineViolations },
];

/** The findings of every operator check over one set of objects. */
export function operatorViolations(objects: any[]): string[] {
  return OPERATOR_CHECKS.flatMap((c) => c.check(objects));
}
