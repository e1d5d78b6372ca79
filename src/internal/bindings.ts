/**
 * Lazy access to the generated CRD bindings in ../imports.
 *
 * The bindings are megabytes of generated code (KubeRay alone is 3 MB). Importing them at the top of a
 * construct file would make every `require('cdk8s-ml-scaling')` load all of them, whatever the app uses;
 * `import type` keeps the types for the compiler and `require` loads a group only when a construct needs it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */ // the lazy `require` is the point of this module
import type * as autoscalingK8sIo from '../imports/autoscaling.k8s.io';
import type * as karpenterK8sAws from '../imports/karpenter.k8s.aws';
import type * as karpenterSh from '../imports/karpenter.sh';
import type * as kedaSh from '../imports/keda.sh';
import type * as monitoringCoreosCom from '../imports/monitoring.coreos.com';
import type * as rayIo from '../imports/ray.io';

export function monitoringBindings(): typeof monitoringCoreosCom {
  return require('../imports/monitoring.coreos.com');
}

export function kedaBindings(): typeof kedaSh {
  return require('../imports/keda.sh');
}

export function rayBindings(): typeof rayIo {
  return require('../imports/ray.io');
}

export function vpaBindings(): typeof autoscalingK8sIo {
  return require('../imports/autoscaling.k8s.io');
}

export function karpenterBindings(): typeof karpenterSh {
  return require('../imports/karpenter.sh');
}

export function karpenterAwsBindings(): typeof karpenterK8sAws {
  return require('../imports/karpenter.k8s.aws');
}
