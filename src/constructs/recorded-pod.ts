/**
 * The pod spec a library construct recorded for a workload object it built, for readers outside the constructs layer
 * (the guardrails' disruption rules), which must not import constructs/internal. Not exported from the package.
 */
import { recordedPod } from './internal/pod';

/** The pod spec the library's construct built for this workload object; undefined for any other object. */
export function recordedPodSpec(workload: object): any | undefined {
  return recordedPod(workload)?.spec;
}
