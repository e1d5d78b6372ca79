import { Size } from 'cdk8s';
import * as fc from 'fast-check';
import { fuzzTest, numberProblems, synthProblems } from './harness';
import {
  BatchInferenceJob, CostAwareNodePool, GpuProduct, GpuRequest, GpuSharing, InstanceCatalog, MigProfile, NodePoolPurpose,
} from '../../src';

const products = [GpuProduct.A100, GpuProduct.A100_80GB, GpuProduct.H100, GpuProduct.H200, GpuProduct.L4, GpuProduct.of('b200', Size.gibibytes(180))];
const anyValue = fc.oneof(fc.string({ maxLength: 12 }), fc.integer({ min: -5, max: 100 }), fc.double(), fc.constant(undefined), fc.constant(null));
const profileName = fc.oneof(fc.constantFrom('1g.5gb', '1g.10gb', '2g.20gb', '3g.71gb', '7g.80gb', '1g.18gb', '8g.10gb', '1g.0gb'), fc.string({ maxLength: 10 }));
const nodeClass = { role: 'KarpenterNodeRole-ml', subnetTags: { k: 'v' }, securityGroupTags: { k: 'v' }, amiAlias: 'al2023@v20251015' };
const types = InstanceCatalog.awsGpu().types.filter(t => ['g6.12xlarge', 'p4d.24xlarge', 'p4de.24xlarge', 'p5.48xlarge'].includes(t.name));

describe('GPU sharing', () => {
  fuzzTest('MigProfile', fc.record({ name: profileName, product: fc.constantFrom(...products) }), ({ name, product }) => {
    const p = MigProfile.of(name as string);
    return [...numberProblems('instancesPerGpu', p.instancesPerGpu(product), { min: 0, max: 7 }),
      ...MigProfile.profilesOf(product).flatMap(q => numberProblems(q.name, q.instancesPerGpu(product), { min: 1, max: 7 }))];
  });

  fuzzTest('GpuSharing', fc.record({ replicas: fc.oneof(fc.integer({ min: -2, max: 60 }), anyValue), product: fc.constantFrom(...products), mig: fc.boolean(), name: profileName }),
    ({ replicas, product, mig, name }) => {
      const s = mig ? GpuSharing.mig(MigProfile.of(name as string)) : GpuSharing.timeSlicing(replicas as number);
      return [...numberProblems('sharesPerGpu', s.sharesPerGpu(product), { min: 0, max: 48 }),
        ...numberProblems('memoryPerShare', s.memoryPerShare(product).toMebibytes(), { min: 0 })];
    });

  // The GPU memory a share needs: fractional and boundary sizes, zero, and values that are not Sizes.
  const requiredGpuMemory = fc.oneof(
    fc.constant(undefined),
    fc.double({ min: 0, max: 200, noNaN: true }).map(g => Size.gibibytes(g)),
    fc.constantFrom<any>(Size.mebibytes(0), Size.gibibytes(2000), 8, '8Gi', null),
  );
  fuzzTest('GpuRequest shares', fc.record({ mig: fc.boolean(), name: profileName, product: fc.option(fc.constantFrom(...products)), requiredGpuMemory }),
    ({ mig, name, product, requiredGpuMemory: need }) => synthProblems((chart) => {
      const options = { ...(product ? { gpuProduct: product } : {}), ...(need !== undefined ? { requiredGpuMemory: need } : {}) };
      const gpu = mig ? GpuRequest.mig(MigProfile.of(name as string), options) : GpuRequest.timeSliced(options);
      new BatchInferenceJob(chart, 'batch', { image: 'example/embedder:1.4.0', gpu });
    }));

  fuzzTest('CostAwareNodePool gpuSharing', fc.record({
    mig: fc.boolean(),
    name: profileName,
    replicas: fc.integer({ min: 2, max: 8 }),
    overlay: fc.oneof(fc.boolean(), anyValue),
    namespace: fc.oneof(fc.constant(undefined), fc.constantFrom('gpu-operator', 'Bad_NS', '')),
    type: fc.constantFrom(...types),
  }), ({ mig, name, replicas, overlay, namespace, type }) => synthProblems((chart) => {
    new CostAwareNodePool(chart, 'pool', {
      purpose: NodePoolPurpose.INFERENCE,
      instanceTypes: [type],
      budgetUsdPerHour: 100,
      nodeClass,
      gpuSharing: mig ? GpuSharing.mig(MigProfile.of(name as string)) : GpuSharing.timeSlicing(replicas),
      nodeOverlay: overlay as boolean,
      devicePluginNamespace: namespace,
    });
  }));
});
