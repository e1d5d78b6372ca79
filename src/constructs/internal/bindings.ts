/**
 * Lazy access to the generated CRD bindings in ../imports.
 *
 * The bindings are generated code (monitoring.coreos.com alone is 200 KB of TypeScript). Importing them at the top of a
 * construct file would make every `require('cdk8s-ml-scaling')` load all of them, whatever the app uses;
 * `import type` keeps the types for the compiler and `require` loads a group only when a construct needs it.
 * Each module is kept once loaded: `require` is only cheap for the module that first loaded a file.
 */
/* eslint-disable @typescript-eslint/no-require-imports */ // the lazy `require` is the point of this module
import type * as autoscalingK8sIo from '../../imports/autoscaling.k8s.io';
import type * as inferenceNetworkingK8sIo from '../../imports/inference.networking.k8s.io';
import type * as karpenterK8sAws from '../../imports/karpenter.k8s.aws';
import type * as karpenterSh from '../../imports/karpenter.sh';
import type * as kedaSh from '../../imports/keda.sh';
import type * as kueueXK8sIo from '../../imports/kueue.x-k8s.io';
import type * as monitoringCoreosCom from '../../imports/monitoring.coreos.com';

let _monitoringCoreosCom: typeof monitoringCoreosCom | undefined;
export function monitoringBindings(): typeof monitoringCoreosCom {
  return _monitoringCoreosCom ??= require('../../imports/monitoring.coreos.com');
}

let _kedaSh: typeof kedaSh | undefined;
export function kedaBindings(): typeof kedaSh {
  return _kedaSh ??= require('../../imports/keda.sh');
}

let _autoscalingK8sIo: typeof autoscalingK8sIo | undefined;
export function vpaBindings(): typeof autoscalingK8sIo {
  return _autoscalingK8sIo ??= require('../../imports/autoscaling.k8s.io');
}

let _karpenterSh: typeof karpenterSh | undefined;
export function karpenterBindings(): typeof karpenterSh {
  return _karpenterSh ??= require('../../imports/karpenter.sh');
}

let _karpenterK8sAws: typeof karpenterK8sAws | undefined;
export function karpenterAwsBindings(): typeof karpenterK8sAws {
  return _karpenterK8sAws ??= require('../../imports/karpenter.k8s.aws');
}

// Kueue v0.19.2 (issue 17, Kueue): ResourceFlavor, ClusterQueue, LocalQueue, WorkloadPriorityClass.
let _kueueXK8sIo: typeof kueueXK8sIo | undefined;
export function kueueBindings(): typeof kueueXK8sIo {
  return _kueueXK8sIo ??= require('../../imports/kueue.x-k8s.io');
}

// Gateway API Inference Extension v1.6.0 (issue 16, the inference gateway): InferencePool.
let _inferenceNetworkingK8sIo: typeof inferenceNetworkingK8sIo | undefined;
export function inferencePoolBindings(): typeof inferenceNetworkingK8sIo {
  return _inferenceNetworkingK8sIo ??= require('../../imports/inference.networking.k8s.io');
}
