import { Chart, Lazy } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalidProp } from '../../common/errors';
import { isDns1123Subdomain } from '../../common/names';
import { checkString } from '../../common/validate';
import type { GpuWorkKind } from '../../values/gpu-work-kind';

/**
 * How workloads find the PriorityClasses of their app: each GpuWorkPriorities registers itself under the
 * construct tree's root, and a workload's pods take the class of the one in its own chart, else of the only
 * one in the app. The lookup runs at synth, so the order in which the constructs are created does not matter.
 */
export interface WorkPrioritySet extends IConstruct {
  /** The PriorityClass name for a kind of work. */
  classNameOf(kind: GpuWorkKind): string;
}

const registry = new WeakMap<IConstruct, WorkPrioritySet[]>();

/** Adds a set of classes to its app; throws when its chart already has one. */
export function registerWorkPriorities(set: WorkPrioritySet): void {
  const root = set.node.root;
  const sets = registry.get(root) ?? [];
  const chart = Chart.of(set);
  const sameChart = sets.find(s => Chart.of(s) === chart);
  if (sameChart) {
    invalidProp(set, 'scope', chart.node.path, `already holds a GpuWorkPriorities (${sameChart.node.path})`,
      'keep one GpuWorkPriorities per chart; for several clusters in one app, give each cluster\'s chart its own');
  }
  sets.push(set);
  registry.set(root, sets);
}

/** The set a workload's pods use, or, when none applies, the candidates (several: ambiguous; none: the app has none). */
export function findWorkPriorities(scope: IConstruct): { set?: WorkPrioritySet; candidates: WorkPrioritySet[] } {
  const sets = registry.get(scope.node.root) ?? [];
  const chart = Chart.of(scope);
  const inChart = sets.find(s => Chart.of(s) === chart);
  if (inChart) return { set: inChart, candidates: [inChart] };
  return sets.length === 1 ? { set: sets[0], candidates: sets } : { candidates: sets };
}

/** A PriorityClass name as the API server checks it: a DNS-1123 subdomain. */
export function isPriorityClassName(name: string): boolean {
  return isDns1123Subdomain(name);
}

/** Fails construction when a given priorityClassName could never name a PriorityClass. */
export function requirePriorityClassName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined) return;
  checkString(scope, prop, name, 'give the name of a PriorityClass in the cluster, e.g. "gpu-training", or leave it out to use the app\'s GpuWorkPriorities', 253);
  if (!isPriorityClassName(name)) {
    invalidProp(scope, prop, name, 'is not a PriorityClass name (a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', at most 253 characters)',
      'give the name of a PriorityClass in the cluster, e.g. "gpu-training", or leave it out to use the app\'s GpuWorkPriorities');
  }
}

/**
 * The `priorityClassName` of a workload's pods: the given name, else the class for `kind` of the app's
 * GpuWorkPriorities, decided when the manifests are synthesized (a cdk8s `Lazy`, left out of the manifest when it
 * produces nothing); none when the app has no GpuWorkPriorities (a name of a class that does not exist would make
 * the API server reject every pod).
 *
 * When the name is left to the app, a validation reports an app whose GpuWorkPriorities are ambiguous.
 * @returns the name, or a Lazy that resolves to it at synth
 */
export function lazyPriorityClassName(scope: IConstruct, prop: string, kind: GpuWorkKind, given: string | undefined): unknown {
  requirePriorityClassName(scope, prop, given);
  if (given !== undefined) return given;
  scope.node.addValidation({
    validate: () => {
      const { set, candidates } = findWorkPriorities(scope);
      if (set || candidates.length === 0) return [];
      // cdk8s puts the construct path in front of a validation message.
      return [`'${prop}' (undefined) has no default: the app has ${candidates.length} GpuWorkPriorities ` +
        `(${candidates.map(c => c.node.path).join(', ')}) and none is in this chart: ` +
        'give the PriorityClass name, or move the GpuWorkPriorities of this cluster into this chart'];
    },
  });
  return Lazy.any({ produce: () => findWorkPriorities(scope).set?.classNameOf(kind) });
}
