import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CapacityType, CostAwareNodePoolProps, ElasticRayTraining, GpuProduct, GpuRequest, InferenceAutoscaler, InstanceType, NodePoolDeclaration,
  NodePoolPurpose, NodeTaintEffect, ResourceAmounts, ScalingGuardrails, ScalingGuardrailsProps, ScalingMetric,
} from '../../src';
import { parseQuantity } from '../../src/common/quantity';

/** An app with one chart `apps`, where the workloads go. */
export function newApp(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'apps') };
}

export const GPU_TAINT = { key: 'nvidia.com/gpu', effect: NodeTaintEffect.NO_SCHEDULE };

/** An EC2 type with a price; capacity per replica and latency do not matter to the guardrails. */
export function ec2(name: string, priceUsdPerHour: number, vcpus: number, memoryGib: number, gpus = 0, gpuProduct?: GpuProduct,
  capacityType = CapacityType.ON_DEMAND): InstanceType {
  return InstanceType.of({
    name,
    priceUsdPerHour,
    capacityPerReplica: 10,
    latency: Duration.millis(100),
    vcpus,
    memory: Size.gibibytes(memoryGib),
    gpus,
    gpuProduct,
    capacityType,
  });
}

/** g5 (A10G) types at on-demand prices. */
export const G5 = {
  xlarge: ec2('g5.xlarge', 1.006, 4, 16, 1, GpuProduct.A10G),
  x2large: ec2('g5.2xlarge', 1.212, 8, 32, 1, GpuProduct.A10G),
  x4large: ec2('g5.4xlarge', 1.624, 16, 64, 1, GpuProduct.A10G),
};

/** g6 (L4) types at on-demand prices. */
export const G6 = {
  xlarge: ec2('g6.xlarge', 0.805, 4, 16, 1, GpuProduct.L4),
  x2large: ec2('g6.2xlarge', 0.978, 8, 32, 1, GpuProduct.L4),
};

export const NODE_CLASS = {
  role: 'KarpenterNodeRole-ml',
  subnetTags: { 'karpenter.sh/discovery': 'ml' },
  securityGroupTags: { 'karpenter.sh/discovery': 'ml' },
  amiAlias: 'al2023@v20251015',
};

/** CostAwareNodePool props for a GPU pool of these types. */
export function poolProps(name: string, instanceTypes: InstanceType[], overrides: Partial<CostAwareNodePoolProps> = {}): CostAwareNodePoolProps {
  return { name, purpose: NodePoolPurpose.INFERENCE, instanceTypes, budgetUsdPerHour: 50, nodeClass: NODE_CLASS, ...overrides };
}

/** A declared A10G pool, tainted like the library's GPU pools. */
export function a10gPool(name: string, overrides: Partial<NodePoolDeclaration> = {}): NodePoolDeclaration {
  return { name, taints: [GPU_TAINT], labels: { 'karpenter.k8s.aws/instance-gpu-name': ['a10g'] }, ...overrides };
}

/** An InferenceAutoscaler serving on one A10G per pod (4 vCPU, 16 GiB). */
export function chatService(scope: Construct, id: string, maxReplicas: number,
  gpu = GpuRequest.of(1, { gpuProduct: GpuProduct.A10G })): InferenceAutoscaler {
  return new InferenceAutoscaler(scope, id, {
    name: id,
    modelServer: { image: 'vllm/vllm-openai:v0.12.0', cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), gpu },
    maxReplicas,
    metrics: [ScalingMetric.vllmWaitingRequests(5)],
  });
}

/** An ElasticRayTraining whose GPU group has one A10G, 8 vCPU and 32 GiB per worker (on-demand only, the default). */
export function trainingCluster(scope: Construct, id: string, maxReplicas: number): ElasticRayTraining {
  return new ElasticRayTraining(scope, id, {
    name: id,
    workerGroups: [{
      name: 'gpu',
      minReplicas: 0,
      maxReplicas,
      cpu: kplus.Cpu.units(8),
      memory: Size.gibibytes(32),
      gpu: GpuRequest.of(1, { gpuProduct: GpuProduct.A10G }),
    }],
  });
}

/** Guardrails on the app, and the messages of their findings (all rules, or one). */
export function guard(app: App, props: ScalingGuardrailsProps = {}): ScalingGuardrails {
  return new ScalingGuardrails(app, 'Guardrails', props);
}

export function messages(guardrails: ScalingGuardrails, rule?: string): string[] {
  return guardrails.check().findings.filter(f => rule === undefined || f.rule === rule).map(f => f.message);
}

/** Resources as plain numbers (millicores, mebibytes, GPUs), whatever units the Cpu and Size were given in. */
export function numbers(r: ResourceAmounts): { cpuMillis: number; memoryMib: number; gpus: number } {
  return { cpuMillis: Math.round(parseQuantity(r.cpu.amount)! * 1000), memoryMib: r.memory.toMebibytes(), gpus: r.gpus };
}
