import { ApiObject, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { invalidProp } from '../common/errors';
import { ModelServerProps } from '../values/model-server';
import { checkModelServer, createModelServerDeployment, MODEL_SERVER_CONTAINER, serverEstimate } from './internal/model-server';
import { builtFootprint } from './internal/pod';
import { VerticalAutoscaler, VpaControlledValues, VpaResource, VpaUpdateMode } from './vertical-autoscaler';
import { cpuMillisOf } from '../common/quantity';
import { LIBRARY_ROLLING_UPDATE, surgeOf } from '../common/rollout';
import { checkDns1123Label, checkOneOf, checkOptionalCpu, checkSize, checkStruct } from '../common/validate';
import { IWorkloadFootprintProvider, WorkloadFootprint } from '../values/workload-footprint';

/** Properties of an EdgeInference service. */
export interface EdgeInferenceProps {
  /** The model server: no GPU is assumed (`gpu` may still be given for an edge node that has one). */
  readonly modelServer: ModelServerProps;
  /**
   * The most CPU the VPA may give the pod: a tight ceiling, the edge node's budget for this service.
   * @default - twice the model server's CPU
   */
  readonly maxCpu?: kplus.Cpu;
  /**
   * The most memory the VPA may give the pod.
   * @default - twice the model server's memory
   */
  readonly maxMemory?: Size;
  /**
   * When the VPA applies its recommendations. Vertical is the only scaling here, so by default it applies
   * them by evicting the pod (`Recreate`); with one replica that is a restart of the whole service.
   * @default VpaUpdateMode.RECREATE
   */
  readonly updateMode?: VpaUpdateMode;
  /**
   * Base name of the objects.
   * @default - generated
   */
  readonly name?: string;
}

/**
 * A single-replica inference service for an edge site: scaled vertically only, within tight limits.
 *
 * Edge nodes have no room for more replicas, so the one pod is right-sized by a VPA between the server's
 * resources and `maxCpu`/`maxMemory`. Plainly: **every VPA update restarts the only pod**, and the service
 * is down until the model has loaded again; use `updateMode: VpaUpdateMode.INITIAL` (new sizes only when
 * the pod restarts anyway) or `OFF` (recommendations only) where that is not acceptable. There is no
 * PodDisruptionBudget: a budget cannot protect a single pod without blocking every node drain.
 *
 * @example
 * new EdgeInference(chart, 'detector', {
 *   modelServer: { image: 'example/detector:3.2', cpu: kplus.Cpu.units(1), memory: Size.gibibytes(2) },
 *   maxCpu: kplus.Cpu.units(2),
 *   maxMemory: Size.gibibytes(3),
 * });
 */
export class EdgeInference extends Construct implements IWorkloadFootprintProvider {
  /** The single-replica Deployment (id `Resource` of the construct `Deployment`). */
  public readonly deployment: ApiObject;
  /** The VPA that sizes it. */
  public readonly verticalAutoscaler: VerticalAutoscaler;
  /** Size and placement of the one pod. */
  public readonly footprint: WorkloadFootprint;

  public constructor(scope: Construct, id: string, props: EdgeInferenceProps) {
    super(scope, id);
    checkStruct(this, 'props', props, 'give the props: at least { modelServer: { image: \'registry/repository:tag\' } }');
    if (props.modelServer === undefined) {
      invalidProp(this, 'modelServer', undefined, 'is required', 'give the model server, at least { image: \'registry/repository:tag\' }');
    }
    if (props.name !== undefined) checkDns1123Label(this, 'name', props.name);
    // The server runs no autoscaler that reads its metrics: any release of a known server will do.
    checkModelServer(this, 'modelServer', props.modelServer, { checkRelease: false });
    checkOptionalCpu(this, 'maxCpu', props.maxCpu, 'give a CPU amount such as Cpu.units(2)');
    if (props.maxCpu !== undefined && !Number.isFinite(cpuMillisOf(props.maxCpu) ?? NaN)) {
      invalidProp(this, 'maxCpu', props.maxCpu.amount, 'is not a CPU amount', 'give a CPU amount such as Cpu.units(2) or Cpu.millis(1500)');
    }
    if (props.maxMemory !== undefined) checkSize(this, 'maxMemory', props.maxMemory, 'give a memory size such as Size.gibibytes(4)', 1);
    if (props.updateMode !== undefined) {
      checkOneOf(this, 'updateMode', props.updateMode, Object.values(VpaUpdateMode), 'use a VpaUpdateMode member, e.g. VpaUpdateMode.INITIAL');
    }
    const cpu = props.modelServer.cpu ?? kplus.Cpu.units(1);
    const memory = props.modelServer.memory ?? Size.gibibytes(2);
    const cpuMillis = Math.round(cpuMillisOf(cpu) ?? 0);
    const maxCpu = props.maxCpu ?? kplus.Cpu.millis(cpuMillis * 2);
    if (Math.round(cpuMillisOf(maxCpu) ?? 0) < cpuMillis) {
      invalidProp(this, 'maxCpu', maxCpu.amount, `is below the model server's CPU (${cpu.amount})`, 'raise maxCpu or lower modelServer.cpu');
    }
    const maxMemory = props.maxMemory ?? Size.mebibytes(memory.toMebibytes() * 2);
    if (maxMemory.toMebibytes() < memory.toMebibytes()) {
      invalidProp(this, 'maxMemory', `${maxMemory.toMebibytes()}Mi`, `is below the model server's memory (${memory.toMebibytes()}Mi)`,
        'raise maxMemory or lower modelServer.memory');
    }
    const server = createModelServerDeployment(this, props.name, { ...props.modelServer, cpu, memory }, 1);
    this.deployment = server.deployment;
    const estimate = serverEstimate(this, 'modelServer', props.modelServer);
    this.footprint = {
      ...builtFootprint(this.deployment, server.pod, {
        minReplicas: 1, maxReplicas: 1, fixedReplicas: 1, surgeReplicas: surgeOf(LIBRARY_ROLLING_UPDATE, 1),
      }),
      ...(estimate !== undefined ? { startupEstimate: estimate } : {}),
    };
    this.verticalAutoscaler = new VerticalAutoscaler(this, 'Vertical', {
      target: this.deployment,
      updateMode: props.updateMode ?? VpaUpdateMode.RECREATE,
      // The VPA updater leaves single-replica workloads alone unless told otherwise.
      minReplicas: 1,
      containerPolicies: [{
        containerName: MODEL_SERVER_CONTAINER,
        controlledResources: [VpaResource.CPU, VpaResource.MEMORY],
        controlledValues: VpaControlledValues.REQUESTS_AND_LIMITS,
        minAllowed: { cpu, memory },
        maxAllowed: { cpu: maxCpu, memory: maxMemory },
      }],
    });
  }
}
