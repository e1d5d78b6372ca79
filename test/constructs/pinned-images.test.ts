import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchInferenceJob, EdgeInference, ElasticRayTraining, GpuProduct, InferenceAutoscaler, LargeModelServing, ModelArchitecture, ScalingMetric,
} from '../../src';
import { expectConformant } from '../conformance';
import { errorOf, newChart, ofKind, restrictedSecurityContext } from '../util';

const worker = { name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(8) };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const HTTP = { counter: 'http_requests_total' };

const unpinned = (prop: string, image: string, why: string, allowProp = 'allowUnpinnedImage') =>
  `'${prop}' (${JSON.stringify(image)}) is not pinned (${why}): nodes pull a different image whenever it changes, and the metric names the autoscaling `
  + `reads depend on the release: pin a tag such as :v0.12.0 or a digest @sha256:..., or set ${allowProp}: true`;
const NO_TAG = 'no tag and no digest: the runtime pulls \'latest\'';
const LATEST = '\'latest\' moves';

describe('images must be pinned by tag or digest', () => {
  test('BatchInferenceJob refuses an untagged or latest image, in any case', () => {
    const batch = (image: string) => errorOf(() => new BatchInferenceJob(newChart(), 'embed', { image }));
    expect(batch('example/embedder')).toBe(`[test/embed] ${unpinned('image', 'example/embedder', NO_TAG)}`);
    expect(batch('example/embedder:latest')).toBe(`[test/embed] ${unpinned('image', 'example/embedder:latest', LATEST)}`);
    expect(batch('registry.example.com:5000/embedder:LATEST')).toBe(`[test/embed] ${unpinned('image', 'registry.example.com:5000/embedder:LATEST', LATEST)}`);
    expect(batch('registry.example.com:5000/embedder')).toContain(NO_TAG);
    expect(batch('example/embedder:1.4.0')).toBeUndefined();
    expect(batch(`example/embedder@${DIGEST}`)).toBeUndefined();
    expect(batch(`example/embedder:latest@${DIGEST}`)).toBeUndefined();
  });

  test('allowUnpinnedImage lets an unpinned image through, and must be a boolean', () => {
    const chart = newChart({ namespace: 'batch' });
    new BatchInferenceJob(chart, 'embed', { image: 'example/embedder', allowUnpinnedImage: true });
    expect(ofKind(expectConformant(chart), 'Job').spec.template.spec.containers[0].image).toBe('example/embedder');
    expect(errorOf(() => new BatchInferenceJob(newChart(), 'embed', { image: 'example/embedder', allowUnpinnedImage: 'true' as any })))
      .toMatch(/^\[test\/embed\] 'allowUnpinnedImage' \("true"\) must be true or false/);
  });

  test('EdgeInference checks every model server image, known servers included', () => {
    const edge = (image: string, allowUnpinnedImage?: boolean) =>
      errorOf(() => new EdgeInference(newChart(), 'edge', { modelServer: { image, allowUnpinnedImage } }));
    expect(edge('example/detector')).toBe(`[test/edge] ${unpinned('modelServer.image', 'example/detector', NO_TAG, 'modelServer.allowUnpinnedImage')}`);
    expect(edge('vllm/vllm-openai:latest')).toContain(unpinned('modelServer.image', 'vllm/vllm-openai:latest', LATEST, 'modelServer.allowUnpinnedImage'));
    expect(edge('example/detector', true)).toBeUndefined();
    expect(edge('vllm/vllm-openai:latest', true)).toBeUndefined();
  });

  test('InferenceAutoscaler checks a generic server\'s image; a known server\'s release check still applies with the waiver', () => {
    const build = (image: string, allowUnpinnedImage?: boolean) => errorOf(() => new InferenceAutoscaler(newChart(), 'svc', {
      modelServer: { image, allowUnpinnedImage }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, HTTP)],
    }));
    expect(build('example/ranker:latest')).toBe(`[test/svc] ${unpinned('modelServer.image', 'example/ranker:latest', LATEST, 'modelServer.allowUnpinnedImage')}`);
    expect(build('example/ranker:latest', true)).toBeUndefined();
    expect(build('vllm/vllm-openai', true)).toContain('names no vLLM release (no tag means latest)');
  });

  test('InferenceAutoscaler checks the target\'s containers, with the waiver on its own props', () => {
    const target = (image: string) => {
      const chart = newChart({ namespace: 'serving' });
      const deployment = new kplus.Deployment(chart, 'd', {
        metadata: { name: 'ranker' },
        containers: [{ image, ports: [{ number: 9000, name: 'http' }], securityContext: restrictedSecurityContext }],
      });
      return { chart, target: ApiObject.of(deployment) };
    };
    const build = (image: string, allowUnpinnedImage?: boolean) => {
      const t = target(image);
      new InferenceAutoscaler(t.chart, 'svc', { target: t.target, allowUnpinnedImage, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, HTTP)] });
      return t.chart;
    };
    expect(errorOf(() => build('example/ranker'))).toBe(`[test/svc] ${unpinned('target.spec.template.spec.containers[0].image', 'example/ranker', NO_TAG)}`);
    expect(errorOf(() => build('example/ranker', true))).toBeUndefined();
    expect(errorOf(() => build('vllm/vllm-openai:latest', true))).toContain('names no vLLM release (\'latest\' moves)');
    expect(errorOf(() => new InferenceAutoscaler(newChart(), 'svc', {
      modelServer: { image: 'example/ranker:2.1' }, allowUnpinnedImage: true, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(10, HTTP)],
    }))).toBe("[test/svc] 'allowUnpinnedImage' (true) only applies with 'target': set modelServer.allowUnpinnedImage for a created model server");
  });

  test('ElasticRayTraining checks its image; the default images are pinned to the Ray version', () => {
    const train = (image?: string, allowUnpinnedImage?: boolean) =>
      errorOf(() => new ElasticRayTraining(newChart(), 'train', { workerGroups: [worker], image, allowUnpinnedImage }));
    expect(train('example/ray')).toBe(`[test/train] ${unpinned('image', 'example/ray', NO_TAG)}`);
    expect(train('example/ray:Latest')).toBe(`[test/train] ${unpinned('image', 'example/ray:Latest', LATEST)}`);
    expect(train('example/ray', true)).toBeUndefined();
    expect(train('example/ray:2.52.0')).toBeUndefined();
    expect(train()).toBeUndefined();
  });

  test('LargeModelServing refuses an unpinned vLLM image through its release check', () => {
    const serve = (image: string) => errorOf(() => new LargeModelServing(newChart(), 'llama', {
      image, model: ModelArchitecture.LLAMA_3_1_8B, modelId: 'meta-llama/Llama-3.1-8B-Instruct', gpuProduct: GpuProduct.H100, maxReplicas: 4,
    }));
    expect(serve('vllm/vllm-openai')).toContain('names no vLLM release (no tag means latest)');
    expect(serve('vllm/vllm-openai:latest')).toContain('names no vLLM release (\'latest\' moves)');
  });
});
