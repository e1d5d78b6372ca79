import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Who scales a workload, per workload `ApiObject`: the horizontal autoscaler (and the resources it scales
 * on) and the vertical autoscaler (and the resources it controls). Each construct registers itself when
 * it is built, so whichever of a conflicting pair comes second fails with both paths named.
 */
interface Owners {
  horizontal?: { path: string; scalesOn: string[] };
  vertical?: { path: string; controls: string[] };
}

const owners = new WeakMap<ApiObject, Owners>();

function entry(target: ApiObject): Owners {
  let e = owners.get(target);
  if (!e) {
    e = {};
    owners.set(target, e);
  }
  return e;
}

/** The path of the horizontal autoscaler registered for `target`, if any. */
export function horizontalAutoscalerOf(target: ApiObject): string | undefined {
  return owners.get(target)?.horizontal?.path;
}

/** Registers the horizontal autoscaler of `target`; throws when a vertical one controls what it scales on. */
export function registerHorizontal(scope: IConstruct, target: ApiObject, scalesOn: string[]): void {
  const e = entry(target);
  e.horizontal = { path: scope.node.path, scalesOn };
  if (e.vertical) checkConflict(scope.node.path, e);
}

/**
 * Registers the vertical autoscaler of `target`, with the resources it controls in a mode other than
 * Off; throws when the horizontal autoscaler scales on one of them.
 */
export function registerVertical(scope: IConstruct, target: ApiObject, controls: string[]): void {
  const e = entry(target);
  if (e.vertical) {
    throw new Error(`[${scope.node.path}] the workload already has a vertical autoscaler at '${e.vertical.path}': ` +
      'two VPAs on one workload fight over its requests; keep one');
  }
  e.vertical = { path: scope.node.path, controls };
  if (e.horizontal) checkConflict(scope.node.path, e);
}

function checkConflict(path: string, e: Owners): void {
  const both = e.horizontal!.scalesOn.filter(r => e.vertical!.controls.includes(r));
  if (both.length === 0) return;
  const list = both.join(' and ');
  throw new Error(`[${path}] the horizontal autoscaler at '${e.horizontal!.path}' scales on ${list} utilization while the VPA at ` +
    `'${e.vertical!.path}' controls ${list} requests: utilization is usage divided by requests, so each VPA change moves the ` +
    'HPA\'s metric and the two chase each other. Either scale horizontally on a load metric (requests, queue length, GPU utilization) ' +
    `instead of ${list}, or stop the VPA from controlling ${list} (controlledResources, or updateMode OFF for recommendations only)`);
}
