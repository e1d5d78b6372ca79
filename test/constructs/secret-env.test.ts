import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BatchInferenceJob, EdgeInference, ElasticRayTraining, GpuProduct, GpuRequest, HyperparameterSearch, InferenceAutoscaler, LargeModelServing,
  ModelArchitecture, ScalingMetric, SecretKeyReference,
} from '../../src';
import { isCredentialEnvName } from '../../src/common/validate';
import { expectConformant } from '../conformance';
import { errorOf, newChart, ofKind } from '../util';

const HF_TOKEN: SecretKeyReference = { secretName: 'hf-token', key: 'token' };
const HF_REF = { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'token' } } };
const worker = { name: 'cpu', minReplicas: 1, maxReplicas: 4, cpu: kplus.Cpu.units(4), memory: Size.gibibytes(8) };
const tune = { name: 'tune-llm', entrypoint: 'python tune.py', trialResources: { vcpus: 2 }, samples: 8, maxConcurrentTrials: 2 };

/** The containers of every pod template in the manifests (Deployments, Jobs, RayCluster and RayJob groups). */
function containersOf(manifests: any[]): any[] {
  const templates: any[] = [];
  for (const m of manifests) {
    if (m.spec?.template) templates.push(m.spec.template);
    if (m.spec?.jobTargetRef?.template) templates.push(m.spec.jobTargetRef.template);
    const ray = m.kind === 'RayJob' ? m.spec.rayClusterSpec : m.kind === 'RayCluster' ? m.spec : undefined;
    if (ray) templates.push(ray.headGroupSpec.template, ...ray.workerGroupSpecs.map((g: any) => g.template));
  }
  return templates.flatMap(t => t.spec.containers);
}

describe('secretEnv', () => {
  test('InferenceAutoscaler writes secretKeyRef after the plain variables', () => {
    const chart = newChart({ namespace: 'serving' });
    new InferenceAutoscaler(chart, 'chat', {
      name: 'chat',
      modelServer: {
        image: 'vllm/vllm-openai:v0.12.0',
        args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct'],
        env: { VLLM_LOGGING_LEVEL: 'INFO' },
        secretEnv: { HF_TOKEN, OTHER_KEY: { secretName: 'other', key: 'api.key', optional: true } },
      },
      maxReplicas: 4,
      metrics: [ScalingMetric.waitingRequests(5)],
    });
    const env = ofKind(expectConformant(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual(['HOME', 'XDG_CACHE_HOME', 'HF_HOME', 'VLLM_LOGGING_LEVEL', 'HF_TOKEN', 'OTHER_KEY']);
    expect(env.slice(-2)).toEqual([HF_REF, { name: 'OTHER_KEY', valueFrom: { secretKeyRef: { name: 'other', key: 'api.key', optional: true } } }]);
  });

  test('EdgeInference, LargeModelServing and BatchInferenceJob write it on their container', () => {
    const chart = newChart({ namespace: 'ml' });
    new EdgeInference(chart, 'edge', { modelServer: { image: 'example/detector:3.2', secretEnv: { HF_TOKEN } } });
    new LargeModelServing(chart, 'llama', {
      name: 'llama',
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 4,
      secretEnv: { HF_TOKEN },
    });
    new BatchInferenceJob(chart, 'embed', { image: 'example/embedder:1.4.0', gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.L4 }), secretEnv: { HF_TOKEN } });
    const containers = containersOf(expectConformant(chart));
    expect(containers).toHaveLength(3);
    for (const c of containers) expect(c.env).toContainEqual(HF_REF);
  });

  test('ElasticRayTraining and HyperparameterSearch write it on the head and every worker', () => {
    const chart = newChart({ namespace: 'training' });
    new ElasticRayTraining(chart, 'train', { name: 'llm-train', workerGroups: [worker, { ...worker, name: 'more' }], secretEnv: { HF_TOKEN } });
    new HyperparameterSearch(chart, 'tune', { ...tune, secretEnv: { HF_TOKEN } });
    const containers = containersOf(expectConformant(chart));
    expect(containers).toHaveLength(5);
    for (const c of containers) expect(c.env).toEqual([HF_REF]);
  });

  test('no env is written without secretEnv on a Ray pod', () => {
    const chart = newChart({ namespace: 'training' });
    new ElasticRayTraining(chart, 'train', { name: 'llm-train', workerGroups: [worker] });
    for (const c of containersOf(expectConformant(chart))) expect(c.env).toBeUndefined();
  });

  test('fails when a name is in both env and secretEnv', () => {
    expect(errorOf(() => new BatchInferenceJob(newChart(), 'embed', { image: 'example/embedder:1.4.0', env: { X: '1' }, secretEnv: { X: HF_TOKEN } })))
      .toBe("[test/embed] 'secretEnv' (\"X\") is also a variable of 'env': the container would get it twice: keep X in one of env and secretEnv");
    expect(errorOf(() => new EdgeInference(newChart(), 'edge', { modelServer: { image: 'example/detector:3.2', env: { X: '1' }, secretEnv: { X: HF_TOKEN } } })))
      .toBe("[test/edge] 'modelServer.secretEnv' (\"X\") is also a variable of 'modelServer.env': the container would get it twice: "
        + 'keep X in one of modelServer.env and modelServer.secretEnv');
    expect(errorOf(() => new HyperparameterSearch(newChart(), 'tune', { ...tune, runtimeEnv: { env: { X: '1' } }, secretEnv: { X: HF_TOKEN } })))
      .toBe("[test/tune] 'secretEnv' (\"X\") is also a variable of 'runtimeEnv.env': the container would get it twice: keep X in one of runtimeEnv.env and secretEnv");
  });

  test('fails on names the library sets itself', () => {
    expect(errorOf(() => new EdgeInference(newChart(), 'edge', { modelServer: { image: 'example/detector:3.2', secretEnv: { HF_HOME: HF_TOKEN } } })))
      .toBe("[test/edge] 'modelServer.secretEnv' (\"HF_HOME\") names a variable the library sets itself: leave HF_HOME out; the library sets it");
    expect(errorOf(() => new InferenceAutoscaler(newChart(), 'tei', {
      modelServer: { image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8', secretEnv: { PORT: HF_TOKEN } },
      maxReplicas: 4,
      metrics: [ScalingMetric.cpuUtilization(60)],
    }))).toBe("[test/tei] 'modelServer.secretEnv' (\"PORT\") names a variable the library sets itself: leave PORT out; the library sets it");
    expect(errorOf(() => new BatchInferenceJob(newChart(), 'embed', { image: 'example/embedder:1.4.0', secretEnv: { SHARD_COUNT: HF_TOKEN } })))
      .toBe("[test/embed] 'secretEnv' (\"SHARD_COUNT\") names a variable the library sets itself: leave SHARD_COUNT out; the library sets it");
    expect(errorOf(() => new HyperparameterSearch(newChart(), 'tune', { ...tune, secretEnv: { TUNE_NUM_SAMPLES: HF_TOKEN } })))
      .toBe("[test/tune] 'secretEnv' (\"TUNE_NUM_SAMPLES\") names a variable the library sets itself: leave TUNE_NUM_SAMPLES out; the library sets it");
    expect(errorOf(() => new LargeModelServing(newChart(), 'llama', {
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_8B,
      modelId: 'm',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 4,
      secretEnv: { HOME: HF_TOKEN },
    }))).toBe("[test/llama] 'secretEnv' (\"HOME\") names a variable the library sets itself: leave HOME out; the library sets it");
  });

  test('fails on a bad name, Secret name, key or optional flag', () => {
    const train = (secretEnv: any) => errorOf(() => new ElasticRayTraining(newChart(), 'train', { workerGroups: [worker], secretEnv }));
    expect(train({ '1X': HF_TOKEN })).toBe("[test/train] 'secretEnv' (\"1X\") has a name that is not an environment variable name: "
      + "name variables with letters, digits, '_', '-' and '.', not starting with a digit, e.g. HF_TOKEN");
    expect(train({ HF_TOKEN: { secretName: 'HF_Token', key: 'token' } }))
      .toMatch(/^\[test\/train\] 'secretEnv\.HF_TOKEN\.secretName' \("HF_Token"\) is not a DNS-1123 subdomain/);
    expect(train({ HF_TOKEN: { secretName: 'hf-token', key: 'a/b' } })).toBe("[test/train] 'secretEnv.HF_TOKEN.key' (\"a/b\") is not a Secret key "
      + "(letters, digits, '-', '_' and '.', at most 253): give the key of the Secret's data that holds the value, e.g. \"token\" (letters, digits, '-', '_' and '.')");
    expect(train({ HF_TOKEN: { secretName: 'hf-token', key: 'k'.repeat(254) } })).toMatch(/'secretEnv\.HF_TOKEN\.key' .* is 254 characters long, more than the 253 allowed/);
    expect(train({ HF_TOKEN: { secretName: 'hf-token', key: '' } })).toMatch(/'secretEnv\.HF_TOKEN\.key' \(""\) is not a Secret key/);
    expect(train({ HF_TOKEN: { secretName: 'hf-token' } })).toMatch(/'secretEnv\.HF_TOKEN\.key' \(undefined\) must be a string/);
    expect(train({ HF_TOKEN: { secretName: 'hf-token', key: 'token', optional: 'false' } })).toMatch(/'secretEnv\.HF_TOKEN\.optional' \("false"\) must be true or false/);
    expect(train({ HF_TOKEN: 'hf-token' })).toBe("[test/train] 'secretEnv.HF_TOKEN' (\"hf-token\") must be an object of named fields, not a string: "
      + 'give { secretName, key } of the Secret that holds the value');
    expect(train(['HF_TOKEN'])).toMatch(/^\[test\/train\] 'secretEnv' \(\["HF_TOKEN"\]\) must be an object of named fields, not a list/);
  });
});

describe('credentials in plain env', () => {
  test('a credential name in env is an error pointing to secretEnv, without the value', () => {
    const message = errorOf(() => new EdgeInference(newChart(), 'edge', { modelServer: { image: 'example/detector:3.2', env: { HF_TOKEN: 'hf_abc123' } } }));
    expect(message).toBe("[test/edge] 'modelServer.env' (\"HF_TOKEN\") names a credential, whose value would be written in plain text into the manifest "
      + "and every copy of it: store it in a Secret and read it with modelServer.secretEnv: { HF_TOKEN: { secretName: 'my-secret', key: 'hf-token' } }");
    expect(message).not.toContain('hf_abc123');
    expect(errorOf(() => new BatchInferenceJob(newChart(), 'embed', { image: 'example/embedder:1.4.0', env: { AWS_SECRET_ACCESS_KEY: 'x' } })))
      .toMatch(/^\[test\/embed\] 'env' \("AWS_SECRET_ACCESS_KEY"\) names a credential.*read it with secretEnv: /);
    expect(errorOf(() => new HyperparameterSearch(newChart(), 'tune', { ...tune, runtimeEnv: { env: { WANDB_API_KEY: 'x' } } })))
      .toMatch(/^\[test\/tune\] 'runtimeEnv\.env' \("WANDB_API_KEY"\) names a credential.*read it with secretEnv: /);
  });

  test.each([
    'HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'OPENAI_API_KEY', 'DB_PASSWORD', 'CLIENT_SECRET',
    'MINIO_SECRET_KEY', 'SSH_PRIVATE_KEY', 'S3_ACCESS_KEY', 'TOKEN', 'PASSWORD', 'hf_token', 'my-api-key', 'app.secret',
  ])('%s is a credential name', (name) => {
    expect(isCredentialEnvName(name)).toBe(true);
  });

  test.each([
    'TOKENIZERS_PARALLELISM', 'HF_HUB_ENABLE_HF_TRANSFER', 'MAX_TOKENS', 'MAX_NEW_TOKENS', 'HF_HUB_DISABLE_IMPLICIT_TOKEN', 'EOS_TOKEN',
    'TOKENIZER_PAD_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_REGION', 'HF_HOME', 'SECRETS_DIR', 'TOKEN_LIMIT', 'PASSWORD_FILE', 'VLLM_API_KEY_FILE',
  ])('%s is not a credential name', (name) => {
    expect(isCredentialEnvName(name)).toBe(false);
  });

  test('the names that are not credentials pass in env', () => {
    const chart = newChart({ namespace: 'ml' });
    new EdgeInference(chart, 'edge', {
      modelServer: { image: 'example/detector:3.2', env: { TOKENIZERS_PARALLELISM: 'false', HF_HUB_ENABLE_HF_TRANSFER: '1', MAX_TOKENS: '512' } },
    });
    const env = ofKind(expectConformant(chart), 'Deployment').spec.template.spec.containers[0].env;
    expect(env.map((e: any) => e.name)).toEqual(expect.arrayContaining(['TOKENIZERS_PARALLELISM', 'HF_HUB_ENABLE_HF_TRANSFER', 'MAX_TOKENS']));
  });
});
