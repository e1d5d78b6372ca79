import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { optional, orWrong, wholeNumber, wrongType } from './arbitraries';
import { cpu, memory } from './arbitraries-vpa';
import { fuzzTest, synthProblems } from './harness';
import {
  BatchInferenceJob, InferenceAutoscaler, ScalingMetric, VerticalAutoscaler,
  VpaContainerMode, VpaControlledValues, VpaFeatureGate, VpaResource, VpaUpdateMode,
} from '../../src';
import { guaranteedResources as resources, restrictedSecurityContext as securityContext } from '../util';


/** How the case builds its target: a cdk8s-plus Deployment, one of the library's workloads, a plain ApiObject, or a wrong type. */
type TargetKind = 'kplus' | 'library' | 'server' | 'apiObject' | 'configMap' | 'missing' | 'wrong';

function makeTarget(chart: Chart, kind: TargetKind, wrong: unknown): unknown {
  switch (kind) {
    case 'kplus':
      return ApiObject.of(new kplus.Deployment(chart, 'embedder', {
        metadata: { name: 'embedder' },
        replicas: 2,
        containers: ['server', 'sidecar'].map(name => ({ name, image: `example/${name}:1.0`, securityContext, resources })),
      }));
    case 'library':
      return new BatchInferenceJob(chart, 'batch', { image: 'example/worker:1.0' }).job;
    case 'server':
      return new InferenceAutoscaler(chart, 'chat', {
        modelServer: { image: 'vllm/vllm-openai:v0.12.0' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(5)],
      }).deployment;
    case 'missing':
      return undefined;
    case 'apiObject': {
      const labels = { app: 'agent' };
      return new ApiObject(chart, 'agent', {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'agent' },
        spec: {
          serviceName: 'agent',
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [{ name: 'agent', image: 'example/agent:1.0', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
            },
          },
        },
      });
    }
    case 'configMap':
      return new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} });
    default:
      return wrong;
  }
}

const resourcesBound = optional(fc.record({ cpu: optional(cpu()), memory: optional(memory()) }, { requiredKeys: [] }));
const policy = orWrong(fc.record({
  containerName: orWrong(fc.constantFrom('*', 'server', 'sidecar', 'worker', 'agent', 'model-server', 'other', '', 'Server')),
  mode: optional(fc.constantFrom<any>(...Object.values(VpaContainerMode), 'auto', 'On')),
  minAllowed: resourcesBound,
  maxAllowed: resourcesBound,
  controlledResources: optional(fc.array(orWrong(fc.constantFrom<any>(...Object.values(VpaResource), 'nvidia.com/gpu', 'CPU')), { maxLength: 3 })),
  controlledValues: optional(fc.constantFrom<any>(...Object.values(VpaControlledValues), 'Requests')),
}, { requiredKeys: ['containerName'] }));

const input = fc.record({
  target: fc.constantFrom<TargetKind>('kplus', 'kplus', 'library', 'library', 'server', 'apiObject', 'apiObject', 'configMap', 'missing', 'wrong'),
  wrongTarget: wrongType(),
  props: fc.oneof(
    {
      arbitrary: fc.record({
        updateMode: optional(fc.constantFrom<any>(...Object.values(VpaUpdateMode), 'auto', 'Sometimes', 'OFF')),
        containerPolicies: optional(fc.array(policy, { maxLength: 3 }), 6),
        minReplicas: optional(wholeNumber(1, 1000)),
        enabledFeatureGates: optional(fc.array(orWrong(fc.constantFrom<any>(...Object.values(VpaFeatureGate), 'inplace')), { maxLength: 2 })),
      }, { requiredKeys: [] }),
      weight: 20,
    },
    { arbitrary: wrongType(), weight: 1 },
  ),
});

describe('VerticalAutoscaler', () => {
  fuzzTest('VerticalAutoscaler', input, ({ target, wrongTarget, props }) => synthProblems((chart) => {
    const t = makeTarget(chart, target, wrongTarget);
    const p = props !== null && typeof props === 'object' && !Array.isArray(props) ? { ...props, target: t } : props;
    new VerticalAutoscaler(chart, 'vpa', p);
  }));
});
