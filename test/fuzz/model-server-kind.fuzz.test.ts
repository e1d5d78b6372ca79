import { imageRef } from './arbitraries-metrics';
import { fuzzTest, synthProblems } from './harness';
import { GpuRequest, InferenceAutoscaler, ModelServerKind, ScalingMetric } from '../../src';

/** What the tests of the catalog pin: each preset's repositories, with Docker Hub's prefixes or not. */
const REPOSITORIES: [RegExp, ModelServerKind][] = [
  [/^(docker\.io\/)?vllm\/vllm-openai([:@]|$)/, ModelServerKind.VLLM],
  [/^ghcr\.io\/huggingface\/text-embeddings-inference([:@]|$)/, ModelServerKind.TEXT_EMBEDDINGS_INFERENCE],
  [/^nvcr\.io\/nvidia\/tritonserver([:@]|$)/, ModelServerKind.TRITON],
  [/^(docker\.io\/)?lmsysorg\/sglang([:@]|$)/, ModelServerKind.SGLANG],
  [/^ghcr\.io\/huggingface\/text-generation-inference([:@]|$)/, ModelServerKind.TEXT_GENERATION_INFERENCE],
];

describe('ModelServerKind', () => {
  // Accepted: the preset of the image's repository, or a generic server (never undefined), for an image a model server
  // takes: a model server of that image and kind synthesizes objects that pass the conformance check, or is refused with a
  // clear error for another reason than its image not being one (a preset's image must name its release).
  fuzzTest('ModelServerKind.fromImage', imageRef(), (image) => {
    const kind = ModelServerKind.fromImage(image);
    if (!(kind instanceof ModelServerKind)) return [`returned ${String(kind)}, not a ModelServerKind`];
    const expected = REPOSITORIES.find(([re]) => re.test(image))?.[1];
    if (expected ? kind !== expected : !kind.isGeneric) return [`returned ${kind.name} for ${image}, expected ${expected?.name ?? 'a generic server'}`];
    try {
      return synthProblems((chart) => {
        new InferenceAutoscaler(chart, 'chat', {
          modelServer: { image, kind, gpu: GpuRequest.of(1) },
          maxReplicas: 4,
          metrics: [ScalingMetric.gpuUtilization(70)],
        });
      });
    } catch (e) {
      if (e instanceof Error && /'modelServer\.image' .*(is not an image reference|is empty)/.test(e.message)) {
        return [`took '${image}', which no model server takes: ${e.message}`];
      }
      throw e;
    }
  });
});
