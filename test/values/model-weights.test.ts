import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AutoscalerSimulator, GpuProduct, GpuRequest, InferenceAutoscaler, LargeModelServing, ModelArchitecture, ModelPrecision, ModelServerKind,
  ModelServerProps, ModelWeights, ModelWeightsSource, PredictiveScaling, ScalingMetric, StartupEstimate, TimeToCapacity,
} from '../../src';
import { expectConformant } from '../conformance';
import { newChart, ofKind } from '../util';

/** 240 + 120 + 600 + 60 = 1,020 s to ready. */
const ESTIMATE: StartupEstimate = {
  nodeProvisioning: Duration.minutes(4),
  imagePull: Duration.minutes(2),
  modelLoad: Duration.minutes(10),
  warmUp: Duration.seconds(60),
};

const download = (extra: Partial<Parameters<typeof ModelWeights.download>[0]> = {}) => ModelWeights.download({
  uri: 's3://models/llama-3.1-8b-instruct',
  image: 'amazon/aws-cli:2.27.50',
  serviceAccountName: 'model-reader',
  size: Size.gibibytes(140),
  transferMibPerSecond: 1024,
  ...extra,
});

function server(overrides: Partial<ModelServerProps> = {}): ModelServerProps {
  return {
    image: 'vllm/vllm-openai:v0.12.0',
    cpu: kplus.Cpu.units(4),
    memory: Size.gibibytes(16),
    gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    ...overrides,
  };
}

function chat(overrides: Partial<ModelServerProps> = {}, metrics = [ScalingMetric.waitingRequests(5)]) {
  const chart = newChart();
  const autoscaler = new InferenceAutoscaler(chart, 'chat', { name: 'chat', modelServer: server(overrides), maxReplicas: 4, metrics });
  const manifests = expectConformant(chart);
  const deployment = manifests.find(m => m.kind === 'Deployment');
  return { autoscaler, manifests, deployment, pod: deployment.spec.template.spec };
}

describe('ModelWeights', () => {
  test('transfer times are size / bandwidth in whole seconds, rounded up', () => {
    // 140 GiB at 1 GiB per second: 140 s.
    expect(download().transferTime().toSeconds()).toBe(140);
    // The 70B fp8 weights (65.75 GiB, 67,329 MiB) at 500 MiB per second: 134.66 s, 135 s.
    const volume = ModelWeights.fromVolume({ claimName: 'weights', transferMibPerSecond: 500 });
    const sized70b = Size.kibibytes(70.6e9 / 1024);
    expect(volume.transferTime(sized70b).toSeconds()).toBe(135);
    expect(volume.source).toBe(ModelWeightsSource.VOLUME);
    expect(ModelWeights.stream({ uri: 'gs://models/llama', size: Size.gibibytes(16), transferMibPerSecond: 800 })
      .transferTime().toSeconds()).toBe(21); // 16,384 / 800 = 20.48
  });

  test('a download runs in a restricted init container into a sized model cache, and the server loads the local copy', () => {
    const { deployment, pod } = chat({ modelWeights: download(), startupEstimate: ESTIMATE });
    expect(pod.initContainers).toEqual([{
      name: 'download-weights',
      image: 'amazon/aws-cli:2.27.50',
      command: ['aws', 's3', 'sync', 's3://models/llama-3.1-8b-instruct', '/models/weights', '--only-show-errors'],
      imagePullPolicy: 'IfNotPresent',
      env: [{ name: 'HOME', value: '/tmp' }, { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' }],
      resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { cpu: '4', memory: '16Gi' } },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'model-cache', mountPath: '/models' }],
    }]);
    expect(pod.serviceAccountName).toBe('model-reader');
    expect(pod.automountServiceAccountToken).toBe(false);
    // 140 x 1.1 + 2 = 156 GiB.
    expect(pod.volumes.find((v: any) => v.name === 'model-cache')).toEqual({ name: 'model-cache', emptyDir: { sizeLimit: '156Gi' } });
    expect(pod.containers[0].args).toEqual(['--model', '/models/weights']);
    // The download comes before the probe's clock: the probe follows modelLoad + warmUp (ceil(1.5 x 660 / 10) + 1 = 100);
    // the deadline's margin covers node, pull and download: 1,000 + max(600, ceil(1.5 x (240 + 120 + 140)) = 750).
    expect(pod.containers[0].startupProbe.failureThreshold).toBe(100);
    expect(deployment.spec.progressDeadlineSeconds).toBe(1750);
  });

  test('the download time joins the estimate the guardrails and the report read', () => {
    const { autoscaler } = chat({ modelWeights: download(), startupEstimate: ESTIMATE });
    const estimate = autoscaler.footprint.startupEstimate!;
    expect(estimate.weightDownload!.toSeconds()).toBe(140);
    // 240 + 120 + 140 + 600 + 60.
    expect(TimeToCapacity.total(estimate).toSeconds()).toBe(1160);
    expect(TimeToCapacity.leadTime(estimate).toMinutes()).toBe(20);
  });

  test('a gs:// download uses gcloud, and an ephemeral volume of a StorageClass holds the cache', () => {
    const { pod } = chat({
      modelWeights: download({ uri: 'gs://models/llama', image: 'google/cloud-sdk:530.0.0-slim', storageClassName: 'premium-rwo', serviceAccountName: undefined }),
    });
    expect(pod.initContainers[0].command).toEqual(['gcloud', 'storage', 'rsync', '--recursive', 'gs://models/llama', '/models/weights']);
    expect(pod.serviceAccountName).toBeUndefined();
    expect(pod.volumes.find((v: any) => v.name === 'model-cache')).toEqual({
      name: 'model-cache',
      ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'premium-rwo', resources: { requests: { storage: '156Gi' } } } } },
    });
  });

  test('download credentials come from Secret keys, on the init container only', () => {
    const { pod } = chat({
      modelWeights: download({
        serviceAccountName: undefined,
        env: { AWS_REGION: 'us-west-2' },
        secretEnv: {
          AWS_ACCESS_KEY_ID: { secretName: 's3-reader', key: 'access-key-id' },
          AWS_SECRET_ACCESS_KEY: { secretName: 's3-reader', key: 'secret-access-key' },
        },
      }),
    });
    expect(pod.initContainers[0].env).toEqual([
      { name: 'HOME', value: '/tmp' }, { name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' }, { name: 'AWS_REGION', value: 'us-west-2' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's3-reader', key: 'access-key-id' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-reader', key: 'secret-access-key' } } },
    ]);
    expect(pod.containers[0].env.map((e: any) => e.name)).toEqual(['HOME', 'XDG_CACHE_HOME', 'HF_HOME']);
  });

  test('a pre-populated volume is mounted read-only and its rate is the model load', () => {
    const { autoscaler, pod } = chat({
      modelWeights: ModelWeights.fromVolume({ claimName: 'llama-weights', path: 'llama-3.1-8b-instruct', size: Size.gibibytes(15), transferMibPerSecond: 256 }),
      startupEstimate: { nodeProvisioning: Duration.minutes(4), imagePull: Duration.minutes(2), warmUp: Duration.seconds(60) },
    });
    expect(pod.volumes.find((v: any) => v.name === 'model-weights')).toEqual({ name: 'model-weights', persistentVolumeClaim: { claimName: 'llama-weights', readOnly: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'model-weights', mountPath: '/model-weights', readOnly: true });
    expect(pod.containers[0].args).toEqual(['--model', '/model-weights/llama-3.1-8b-instruct']);
    expect(pod.initContainers).toBeUndefined();
    // 15,360 MiB / 256 = 60 s; the probe: ceil(1.5 x 120 / 10) + 1 = 19.
    expect(autoscaler.footprint.startupEstimate!.modelLoad!.toSeconds()).toBe(60);
    expect(pod.containers[0].startupProbe.failureThreshold).toBe(19);
  });

  test('a stream loads with the Run:ai streamer from the object store, credentials on the server', () => {
    const { pod } = chat({
      modelWeights: ModelWeights.stream({
        uri: 's3://models/llama-3.1-8b-instruct', concurrency: 16, env: { AWS_REGION: 'us-west-2' }, serviceAccountName: 'model-reader',
      }),
    });
    expect(pod.containers[0].args).toEqual(['--model', 's3://models/llama-3.1-8b-instruct', '--load-format', 'runai_streamer',
      '--model-loader-extra-config', '{"concurrency":16}']);
    expect(pod.containers[0].env).toContainEqual({ name: 'AWS_REGION', value: 'us-west-2' });
    expect(pod.serviceAccountName).toBe('model-reader');
  });

  test('other servers get their own model flag; a generic one names the location itself', () => {
    const tgi = chat({ image: 'ghcr.io/huggingface/text-generation-inference:3.3.7', modelWeights: ModelWeights.fromVolume({ claimName: 'w' }) });
    expect(tgi.pod.containers[0].args).toEqual(['--model-id', '/model-weights']);
    const generic = chat({
      image: 'example/server:1.0',
      kind: ModelServerKind.generic(),
      args: ['--weights', '/model-weights'],
      modelWeights: ModelWeights.fromVolume({ claimName: 'w' }),
    }, [ScalingMetric.cpuUtilization(70)]);
    expect(generic.pod.containers[0].args).toEqual(['--weights', '/model-weights']);
  });

  test('LargeModelServing sizes the cache and the download from the sized weights and serves under modelId', () => {
    const chart = newChart();
    const lms = new LargeModelServing(chart, 'llama', {
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      precision: ModelPrecision.FP8,
      gpuProduct: GpuProduct.H100,
      maxReplicas: 4,
      modelWeights: ModelWeights.download({ uri: 's3://models/llama-70b-fp8', image: 'amazon/aws-cli:2.27.50', transferMibPerSecond: 500 }),
      startupEstimate: {
        nodeProvisioning: Duration.minutes(5), imagePull: Duration.minutes(3), modelLoad: Duration.seconds(90), warmUp: Duration.minutes(2),
      },
    });
    const pod = ofKind(expectConformant(chart), 'Deployment').spec.template.spec;
    // 65.75 GiB x 1.1 + 2 = 74.33: 75 GiB; 67,329 MiB at 500 MiB/s: 135 s.
    expect(pod.volumes.find((v: any) => v.name === 'model-cache').emptyDir).toEqual({ sizeLimit: '75Gi' });
    expect(lms.footprint.startupEstimate!.weightDownload!.toSeconds()).toBe(135);
    expect(TimeToCapacity.total(lms.footprint.startupEstimate!).toSeconds()).toBe(300 + 180 + 135 + 90 + 120);
    expect(pod.containers[0].args.slice(0, 2)).toEqual(['--served-model-name', 'meta-llama/Llama-3.1-70B-Instruct']);
    expect(pod.containers[0].args).toContain('/models/weights');
    expect(pod.containers[0].args.filter((a: string) => a === '--model')).toHaveLength(1);
  });

  test('the README\'s example: 70B bf16 downloaded at 1 GiB per second', () => {
    const chart = newChart();
    const lms = new LargeModelServing(chart, 'llama-70b', {
      image: 'vllm/vllm-openai:v0.12.0',
      model: ModelArchitecture.LLAMA_3_1_70B,
      modelId: 'meta-llama/Llama-3.1-70B-Instruct',
      gpuProduct: GpuProduct.H100,
      maxReplicas: 6,
      modelWeights: ModelWeights.download({
        uri: 's3://models/llama-3.1-70b-instruct', image: 'amazon/aws-cli:2.27.50', serviceAccountName: 'model-reader', transferMibPerSecond: 1024,
      }),
      startupEstimate: {
        nodeProvisioning: Duration.minutes(5), imagePull: Duration.minutes(3), modelLoad: Duration.seconds(90), warmUp: Duration.minutes(2),
      },
    });
    const deployment = ofKind(expectConformant(chart), 'Deployment');
    const pod = deployment.spec.template.spec;
    // 70.6e9 x 2 bytes = 131.5 GiB: ceil(131.5 x 1.1 + 2) = 147 GiB; 132 s at 1 GiB/s.
    expect(pod.volumes.find((v: any) => v.name === 'model-cache').emptyDir).toEqual({ sizeLimit: '147Gi' });
    const estimate = lms.footprint.startupEstimate!;
    expect(estimate.weightDownload!.toSeconds()).toBe(132);
    expect(TimeToCapacity.total(estimate).toSeconds()).toBe(822);
    expect(TimeToCapacity.leadTime(estimate).toMinutes()).toBe(14);
    expect(pod.containers[0].startupProbe.failureThreshold).toBe(33);
    expect(deployment.spec.progressDeadlineSeconds).toBe(1248);
    expect(pod.serviceAccountName).toBe('model-reader');
  });

  test('PredictiveScaling takes its lead time from the estimate and refuses a shorter one', () => {
    const history = Array.from({ length: 48 }, (_, i) => 20 + 60 * Math.max(0, Math.sin((i % 24) / 24 * Math.PI)));
    const base = { history, interval: Duration.hours(1), startTime: new Date('2025-03-03T00:00:00Z'), capacityPerReplica: 10, maxReplicas: 20 };
    // 1,020 s: 17 minutes.
    expect(PredictiveScaling.plan({ ...base, startupEstimate: ESTIMATE }).leadTime.toMinutes()).toBe(17);
    expect(() => PredictiveScaling.plan({ ...base, startupEstimate: ESTIMATE, leadTime: Duration.minutes(10) })).toThrow(
      "[PredictiveScaling] 'leadTime' (\"600s\") is shorter than the 1020 s the startupEstimate gives a new replica to become ready: a window's " +
      'new replicas would be ready 420 s after the forecast load: give a leadTime of at least Duration.minutes(17), or leave it out to take that');
  });

  test('the simulator\'s pod-ready time is the estimate\'s total', () => {
    const base = { load: [2, 40, 40, 40, 10], step: Duration.minutes(5), maxReplicas: 10, capacityPerReplica: 6 };
    const fromEstimate = AutoscalerSimulator.run({ ...base, startupEstimate: ESTIMATE });
    const fromTime = AutoscalerSimulator.run({ ...base, timeToReady: Duration.seconds(1020) });
    expect(fromEstimate).toEqual(fromTime);
    expect(() => AutoscalerSimulator.run({ ...base, startupEstimate: ESTIMATE, timeToReady: Duration.minutes(3) })).toThrow(
      "[AutoscalerSimulator] 'timeToReady' (\"180s\") is given together with startupEstimate, which sets it");
  });
});

describe('ModelWeights errors', () => {
  test('fails when a download image is not pinned', () => {
    expect(() => download({ image: 'amazon/aws-cli' })).toThrow("[ModelWeights.download] 'image' (\"amazon/aws-cli\") is not pinned");
  });

  test('fails for a URI that is not s3:// or gs://', () => {
    expect(() => ModelWeights.stream({ uri: 'https://example.com/model' })).toThrow(
      "[ModelWeights.stream] 'uri' (\"https://example.com/model\") is not an s3:// or gs:// prefix");
  });

  test('fails for a credential in plain env', () => {
    expect(() => download({ env: { AWS_SECRET_ACCESS_KEY: 'x' } })).toThrow(
      "[ModelWeights.download] 'env' (\"AWS_SECRET_ACCESS_KEY\") names a credential");
  });

  test('fails for a volume path that leaves the volume', () => {
    expect(() => ModelWeights.fromVolume({ claimName: 'w', path: '../etc' })).toThrow(
      "[ModelWeights.fromVolume] 'path' (\"../etc\") must be a relative path without '..', spaces or control characters");
  });

  test('fails when the transfer time has no rate or no size', () => {
    expect(() => ModelWeights.fromVolume({ claimName: 'w', transferMibPerSecond: 1024 }).transferTime()).toThrow(
      "[ModelWeights.transferTime] 'weights' (undefined) is missing, and the source was given no size: give the size of the weights, e.g. Size.gibibytes(140)");
    expect(() => ModelWeights.fromVolume({ claimName: 'w', size: Size.gibibytes(1) }).transferTime()).toThrow(
      "[ModelWeights.transferTime] 'transferMibPerSecond' (undefined) was not given to the source");
  });

  test('fails when the server\'s args set the model flag that modelWeights sets', () => {
    expect(() => chat({ args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct'], modelWeights: download() })).toThrow(
      "[test/chat] 'modelServer.args[0]' (\"--model\") sets the model, which modelWeights sets (--model /models/weights): remove --model and its " +
      'value from the arguments (a served model name goes in --served-model-name)');
  });

  test('fails to stream to a server other than vLLM', () => {
    expect(() => chat({ image: 'ghcr.io/huggingface/text-generation-inference:3.3.7', modelWeights: ModelWeights.stream({ uri: 's3://models/x' }) })).toThrow(
      "[test/chat] 'modelServer.modelWeights' (\"ModelWeights.stream\") streams with vLLM's Run:ai Model Streamer (--load-format runai_streamer), " +
      'and the server is text-generation-inference');
  });

  test('fails when a generic server\'s args do not name the location', () => {
    expect(() => chat({ image: 'example/server:1.0', kind: ModelServerKind.generic(), modelWeights: ModelWeights.fromVolume({ claimName: 'w' }) },
      [ScalingMetric.cpuUtilization(70)])).toThrow(
      "[test/chat] 'modelServer.args' ([]) do not name the weights' location '/model-weights', and the library does not know the model flag of " +
      "a generic model server: add the server's model argument with '/model-weights' to the arguments");
  });

  test('fails when the estimate gives the download and the source gives its rate', () => {
    expect(() => chat({ modelWeights: download(), startupEstimate: { ...ESTIMATE, weightDownload: Duration.seconds(100) } })).toThrow(
      "[test/chat] 'modelServer.startupEstimate.weightDownload' (1 minute 40 seconds) is given together with the transferMibPerSecond of " +
      'ModelWeights.download, which sets it: give one of the two');
  });

  test('fails when the download has no time in the estimate', () => {
    expect(() => chat({ modelWeights: download({ transferMibPerSecond: undefined }), startupEstimate: ESTIMATE })).toThrow(
      "[test/chat] 'modelServer.startupEstimate.weightDownload' (undefined) is missing: the download of the weights takes time: give " +
      'weightDownload, or transferMibPerSecond to ModelWeights.download');
  });

  test('fails for a weight download without a download', () => {
    expect(() => chat({ startupEstimate: { ...ESTIMATE, weightDownload: Duration.seconds(100) } })).toThrow(
      "[test/chat] 'modelServer.startupEstimate.weightDownload' (1 minute 40 seconds) applies only to weights downloaded before the server starts");
  });

  test('fails when the model cache is smaller than the download needs', () => {
    expect(() => chat({ modelWeights: download(), modelCacheSize: Size.gibibytes(100) })).toThrow(
      "[test/chat] 'modelServer.modelCacheSize' (100Gi) is below the 156 GiB the download of 140Gi of weights needs (weights x 1.1 + 2 GiB): " +
      'raise modelCacheSize to at least Size.gibibytes(156), or leave it out');
  });

  test('fails for an ephemeral cache of unknown size', () => {
    expect(() => chat({ modelWeights: download({ size: undefined, transferMibPerSecond: undefined, storageClassName: 'gp3' }) })).toThrow(
      "[test/chat] 'modelServer.modelWeights.size' (undefined) is missing, and an ephemeral volume needs a capacity");
  });
});
