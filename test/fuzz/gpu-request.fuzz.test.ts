import * as fc from 'fast-check';
import { gpuCount, gpuOptions } from './arbitraries-vpa';
import { fuzzTest, synthProblems } from './harness';
import { BatchInferenceJob, GpuRequest } from '../../src';

// GpuRequest.of rejects bad options itself; the count is checked by the construct that uses the request, so the
// case uses it in a BatchInferenceJob and checks the pod it builds.
const input = fc.record({ gpus: gpuCount(), options: gpuOptions(), omitOptions: fc.boolean() });

describe('GpuRequest', () => {
  fuzzTest('GpuRequest', input, ({ gpus, options, omitOptions }) => synthProblems((chart) => {
    const gpu = omitOptions ? GpuRequest.of(gpus) : GpuRequest.of(gpus, options);
    new BatchInferenceJob(chart, 'batch', { image: 'example/embedder:1.4.0', gpu });
  }));
});
