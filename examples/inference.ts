/**
 * Example app: two inference services, scaled horizontally on custom metrics.
 *
 * - `chat`: a vLLM server on one A10G GPU per replica, real-time behavior, scaled on queued requests,
 *   KV-cache usage and GPU utilization.
 * - `embeddings`: a CPU model server scaled on requests per second and p95 response time.
 *
 * Run `npx cdk8s synth` to write dist/*.k8s.yaml.
 */
import { App, Chart, ChartProps, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  GpuProduct, GpuRequest, InferenceAutoscaler, PrometheusAdapterConfig, ScalingBehavior, ScalingMetric,
} from '../lib';

/** The platform's shared pieces: the one prometheus-adapter configuration of the cluster. */
export class MonitoringChart extends Chart {
  public readonly adapter: PrometheusAdapterConfig;
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.adapter = new PrometheusAdapterConfig(this, 'adapter', { namespace: 'monitoring' });
  }
}

/** The inference services of one team. */
export class InferenceChart extends Chart {
  constructor(scope: Construct, id: string, adapter: PrometheusAdapterConfig, props: ChartProps = {}) {
    super(scope, id, props);
    const prometheusSelectorLabels = { release: 'kube-prometheus-stack' };

    new InferenceAutoscaler(this, 'chat', {
      name: 'chat',
      modelServer: {
        image: 'vllm/vllm-openai:v0.12.0',
        args: ['--model', 'meta-llama/Llama-3.1-8B-Instruct', '--port', '8000'],
        cpu: Cpu.units(4),
        memory: Size.gibibytes(32),
        gpu: GpuRequest.of(1, { product: GpuProduct.A10G }),
        sharedMemorySize: Size.gibibytes(4),
        modelLoadTimeout: Duration.minutes(20),
      },
      minReplicas: 3,
      maxReplicas: 20,
      behavior: ScalingBehavior.realTime(),
      metrics: [
        ScalingMetric.vllmWaitingRequests(5),
        ScalingMetric.vllmKvCacheUsage(80),
        ScalingMetric.gpuUtilization(70),
      ],
      monitoring: { prometheusSelectorLabels },
      adapterConfig: adapter,
    });

    new InferenceAutoscaler(this, 'embeddings', {
      name: 'embeddings',
      modelServer: {
        image: 'ghcr.io/huggingface/text-embeddings-inference:cpu-1.8',
        port: 8080,
        cpu: Cpu.units(2),
        memory: Size.gibibytes(4),
      },
      maxReplicas: 10,
      metrics: [
        ScalingMetric.requestsPerSecond(15),
        ScalingMetric.responseTimeP95(Duration.millis(500)),
      ],
      monitoring: { prometheusSelectorLabels },
      adapterConfig: adapter,
    });
  }
}

/** Builds the example app (tests synthesize it too). */
export function buildApp(app: App = new App()): App {
  const monitoring = new MonitoringChart(app, 'monitoring');
  new InferenceChart(app, 'inference', monitoring.adapter, { namespace: 'ml-serving' });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
