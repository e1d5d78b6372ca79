import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { InferenceAutoscaler, ScalingMetric } from '../../src';
import {
  VerticalAutoscaler, VerticalAutoscalerProps, VpaContainerMode, VpaControlledValues, VpaFeatureGate, VpaResource, VpaUpdateMode,
} from '../../src/constructs/vertical-autoscaler';
import { expectConformant } from '../conformance';
import { guaranteedResources as resources, newChart, ofKind, restrictedSecurityContext as securityContext } from '../util';


/** A restricted-PSS Deployment with the named containers. */
function deployment(chart: Chart, containers: string[] = ['server']): ApiObject {
  return ApiObject.of(new kplus.Deployment(chart, 'embedder', {
    metadata: { name: 'embedder' },
    replicas: 2,
    containers: containers.map(name => ({ name, image: `example/${name}:1.0`, securityContext, resources })),
  }));
}

function synth(props: Partial<VerticalAutoscalerProps> = {}, containers?: string[]) {
  const chart = newChart({ namespace: 'serving' });
  const target = deployment(chart, containers);
  const vpa = new VerticalAutoscaler(chart, 'vpa', { target, ...props });
  const manifests = expectConformant(chart);
  return { chart, vpa, manifests, spec: ofKind(manifests, 'VerticalPodAutoscaler').spec };
}

function build(props: Partial<VerticalAutoscalerProps> = {}, containers?: string[]): () => VerticalAutoscaler {
  const chart = newChart();
  const target = deployment(chart, containers);
  return () => new VerticalAutoscaler(chart, 'vpa', { target, ...props });
}

describe('VerticalAutoscaler defaults', () => {
  test('synthesizes the default VPA (snapshot)', () => {
    const { manifests } = synth();
    expect(manifests.map(m => m.kind)).toEqual(['Deployment', 'VerticalPodAutoscaler']);
    expect(manifests).toMatchSnapshot();
  });

  test('targets the Deployment with apps/v1', () => {
    const { spec } = synth();
    expect(spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'embedder' });
  });

  test('defaults to Initial: running pods are never evicted', () => {
    const { vpa, spec } = synth();
    expect(spec.updatePolicy).toEqual({ updateMode: 'Initial' });
    expect(vpa.updateMode).toBe(VpaUpdateMode.INITIAL);
  });

  test('defaults to one policy for every container: cpu and memory, requests and limits', () => {
    const { vpa, spec } = synth();
    expect(spec.resourcePolicy).toEqual({
      containerPolicies: [{ containerName: '*', controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsAndLimits' }],
    });
    expect(vpa.controlledResources).toEqual(['cpu', 'memory']);
    expect(vpa.warnings).toEqual([]);
  });

  test('the primary object has the id Resource', () => {
    const { vpa } = synth();
    expect(vpa.vpa.node.id).toBe('Resource');
    expect(vpa.vpa.kind).toBe('VerticalPodAutoscaler');
    expect(vpa.vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
  });

  test('goes into the namespace of a Deployment that sets its own', () => {
    const chart = newChart();
    const target = ApiObject.of(new kplus.Deployment(chart, 'd', {
      metadata: { namespace: 'models' }, containers: [{ image: 'x/y:1', securityContext, resources }],
    }));
    new VerticalAutoscaler(chart, 'vpa', { target });
    expect(ofKind(expectConformant(chart), 'VerticalPodAutoscaler').metadata.namespace).toBe('models');
  });
});

describe('VerticalAutoscaler update modes', () => {
  test.each([
    [VpaUpdateMode.OFF, 'Off'],
    [VpaUpdateMode.INITIAL, 'Initial'],
    [VpaUpdateMode.RECREATE, 'Recreate'],
    [VpaUpdateMode.IN_PLACE_OR_RECREATE, 'InPlaceOrRecreate'],
    [VpaUpdateMode.IN_PLACE, 'InPlace'],
  ])('emits update mode %s as the CRD spells it', (mode, emitted) => {
    const enabledFeatureGates = mode === VpaUpdateMode.IN_PLACE ? [VpaFeatureGate.IN_PLACE] : undefined;
    const { vpa, spec } = synth({ updateMode: mode, enabledFeatureGates });
    expect(spec.updatePolicy.updateMode).toBe(emitted);
    expect(vpa.updateMode).toBe(mode);
    expect(vpa.warnings).toEqual([]);
  });

  test('maps the deprecated Auto to Recreate with a warning', () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const { vpa, spec } = synth({ updateMode: VpaUpdateMode.AUTO });
    expect(spec.updatePolicy.updateMode).toBe('Recreate');
    expect(vpa.updateMode).toBe(VpaUpdateMode.RECREATE);
    const message = '\'updateMode\' AUTO is deprecated upstream and means Recreate, so Recreate is emitted: running pods are evicted ' +
      'to apply changes. Say RECREATE to keep that, or INITIAL to leave running pods alone';
    expect(vpa.warnings).toEqual([`[test/vpa] ${message}`]);
    expect(vpa.node.metadata.filter(m => m.type === 'warning').map(m => m.data)).toEqual([message]);
  });

  test('fails on InPlace without the VPA InPlace feature gate, which VPA 1.7.1 ships off', () => {
    expect(build({ updateMode: VpaUpdateMode.IN_PLACE })).toThrow(
      '[test/vpa] \'updateMode\' ("InPlace") needs the VPA feature gate InPlace (alpha, off by default in VPA 1.7.1): without it the VPA '
      + 'admission controller refuses the object: run the VPA admission-controller and updater with --feature-gates=InPlace=true and add '
      + 'VpaFeatureGate.IN_PLACE to enabledFeatureGates, or use IN_PLACE_OR_RECREATE, which needs no VPA gate');
  });

  test('InPlace with the gate acknowledged says so in an annotation, which the conformance check reads', () => {
    const { manifests } = synth({ updateMode: VpaUpdateMode.IN_PLACE, enabledFeatureGates: [VpaFeatureGate.IN_PLACE, VpaFeatureGate.IN_PLACE] });
    const object = ofKind(manifests, 'VerticalPodAutoscaler');
    expect(object.metadata.annotations).toEqual({ 'cdk8s-ml-scaling/vpa-feature-gates': 'InPlace' });
    // The old output (no acknowledgement) is what VPA 1.7.1 refuses.
    delete object.metadata.annotations;
    expect(() => expectConformant(manifests)).toThrow(/VerticalPodAutoscaler\/.*spec\.updatePolicy\.updateMode: Forbidden: in order to use UpdateMode InPlace/);
  });

  test('no annotation without gates', () => {
    const { manifests } = synth({ updateMode: VpaUpdateMode.IN_PLACE_OR_RECREATE });
    expect(ofKind(manifests, 'VerticalPodAutoscaler').metadata.annotations).toBeUndefined();
  });

  test('Off controls nothing', () => {
    const { vpa } = synth({ updateMode: VpaUpdateMode.OFF });
    expect(vpa.controlledResources).toEqual([]);
  });

  test('minReplicas goes to updatePolicy.minReplicas', () => {
    const { spec } = synth({ updateMode: VpaUpdateMode.RECREATE, minReplicas: 1 });
    expect(spec.updatePolicy).toEqual({ updateMode: 'Recreate', minReplicas: 1 });
  });
});

describe('VerticalAutoscaler container policies', () => {
  test('emits every policy field with quantities', () => {
    const { vpa, spec } = synth({
      containerPolicies: [
        {
          containerName: 'server',
          minAllowed: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(512) },
          maxAllowed: { cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16) },
          controlledResources: [VpaResource.MEMORY],
          controlledValues: VpaControlledValues.REQUESTS_ONLY,
          mode: VpaContainerMode.AUTO,
        },
        { containerName: 'proxy', mode: VpaContainerMode.OFF },
      ],
    }, ['server', 'proxy']);
    expect(spec.resourcePolicy.containerPolicies).toEqual([
      {
        containerName: 'server',
        mode: 'Auto',
        minAllowed: { cpu: '250m', memory: '512Mi' },
        maxAllowed: { cpu: '4', memory: '16384Mi' },
        controlledResources: ['memory'],
        controlledValues: 'RequestsOnly',
      },
      // No controlledValues: VPA 1.7.1's admission controller refuses RequestsAndLimits on a container whose mode is Off.
      { containerName: 'proxy', mode: 'Off', controlledResources: ['cpu', 'memory'] },
    ]);
    expect(vpa.controlledResources).toEqual(['memory']);
  });

  test('a container without a policy of its own takes the * policy', () => {
    const { vpa } = synth({
      containerPolicies: [
        { containerName: 'server', mode: VpaContainerMode.OFF },
        { containerName: '*', controlledResources: [VpaResource.CPU] },
      ],
    }, ['server', 'proxy']);
    expect(vpa.controlledResources).toEqual(['cpu']);
  });

  test('a container with no policy and no * policy is controlled on cpu and memory (the VPA default)', () => {
    const { vpa } = synth({ containerPolicies: [{ containerName: 'server', mode: VpaContainerMode.OFF }] }, ['server', 'proxy']);
    expect(vpa.controlledResources).toEqual(['cpu', 'memory']);
  });

  test('every container Off controls nothing', () => {
    const { vpa } = synth({ containerPolicies: [{ containerName: '*', mode: VpaContainerMode.OFF }] });
    expect(vpa.controlledResources).toEqual([]);
  });

  test('an empty list of policies emits no resourcePolicy', () => {
    const { vpa, spec } = synth({ containerPolicies: [] });
    expect(spec.resourcePolicy).toBeUndefined();
    expect(vpa.controlledResources).toEqual(['cpu', 'memory']);
  });
});

describe('VerticalAutoscaler and a horizontal autoscaler on one Deployment', () => {
  function hpa(chart: Chart, target: ApiObject, metric: ScalingMetric): InferenceAutoscaler {
    // The PodMonitor scrapes the container port named 'http': the server must have one.
    target.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/ports', [{ containerPort: 8000, name: 'http' }]));
    return new InferenceAutoscaler(chart, 'h', { target, maxReplicas: 5, metrics: [metric] });
  }
  const conflict = '[test/%s] the horizontal autoscaler at \'test/h\' scales on cpu utilization while the VPA at \'test/vpa\' ' +
    'controls cpu requests: utilization is usage divided by requests, so each VPA change moves the HPA\'s metric and the two chase ' +
    'each other. Either scale horizontally on a load metric (requests, queue length, GPU utilization) instead of cpu, or stop the ' +
    'VPA from controlling cpu (controlledResources, or updateMode OFF for recommendations only)';

  test('fails when a VPA controlling cpu is added after an HPA on cpu utilization', () => {
    const chart = newChart();
    const target = deployment(chart);
    hpa(chart, target, ScalingMetric.cpuUtilization(70));
    expect(() => new VerticalAutoscaler(chart, 'vpa', { target })).toThrow(conflict.replace('%s', 'vpa'));
  });

  test('fails when an HPA on cpu utilization is added after a VPA controlling cpu', () => {
    const chart = newChart();
    const target = deployment(chart);
    new VerticalAutoscaler(chart, 'vpa', { target, containerPolicies: [{ containerName: '*', controlledResources: [VpaResource.CPU] }] });
    expect(() => hpa(chart, target, ScalingMetric.cpuUtilization(70))).toThrow(conflict.replace('%s', 'h'));
  });

  test('no conflict when the VPA is Off (recommendations only)', () => {
    const chart = newChart();
    const target = deployment(chart);
    hpa(chart, target, ScalingMetric.cpuUtilization(70));
    new VerticalAutoscaler(chart, 'vpa', { target, updateMode: VpaUpdateMode.OFF });
    expect(expectConformant(chart).map(m => m.kind)).toContain('VerticalPodAutoscaler');
  });

  test('no conflict when the VPA controls only memory while the HPA scales on cpu', () => {
    const chart = newChart();
    const target = deployment(chart);
    new VerticalAutoscaler(chart, 'vpa', { target, containerPolicies: [{ containerName: '*', controlledResources: [VpaResource.MEMORY] }] });
    hpa(chart, target, ScalingMetric.cpuUtilization(70));
    expect(expectConformant(chart).map(m => m.kind)).toContain('HorizontalPodAutoscaler');
  });

  test('no conflict when the HPA scales on a custom metric', () => {
    const chart = newChart();
    const target = deployment(chart);
    hpa(chart, target, ScalingMetric.requestsPerSecond(20, { counter: 'http_requests_total' }));
    new VerticalAutoscaler(chart, 'vpa', { target, updateMode: VpaUpdateMode.RECREATE });
    const kinds = expectConformant(chart).map(m => m.kind);
    expect(kinds).toEqual(expect.arrayContaining(['HorizontalPodAutoscaler', 'VerticalPodAutoscaler']));
  });

  test('fails when a second VPA targets the same Deployment', () => {
    const chart = newChart();
    const target = deployment(chart);
    new VerticalAutoscaler(chart, 'vpa', { target });
    expect(() => new VerticalAutoscaler(chart, 'vpa2', { target })).toThrow(
      '[test/vpa2] the workload already has a vertical autoscaler at \'test/vpa\': two VPAs on one workload fight over its requests; keep one');
  });
});

describe('VerticalAutoscaler targets', () => {
  test('names its target in targetRef', () => {
    const { vpa } = synth();
    expect(vpa.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'embedder', namespace: 'serving' });
  });

  test('takes any workload with a pod template, its containers read from the object', () => {
    const chart = newChart();
    const labels = { app: 'agent' };
    const target = new ApiObject(chart, 'agent', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
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
    const vpa = new VerticalAutoscaler(chart, 'vpa', { target, containerPolicies: [{ containerName: 'agent', controlledResources: [VpaResource.MEMORY] }] });
    expect(ofKind(expectConformant(chart), 'VerticalPodAutoscaler').spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent' });
    expect(vpa.controlledResources).toEqual(['memory']);
    expect(() => new VerticalAutoscaler(newChart(), 'vpa', { target, containerPolicies: [{ containerName: 'server' }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].containerName\' ("server") is not a container of DaemonSet \'agent\' (its containers: "agent"): ' +
      'name one of its containers, or use \'*\' for all of them');
  });

  test('fails on an object without containers', () => {
    const chart = newChart();
    const target = new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} });
    expect(() => new VerticalAutoscaler(chart, 'vpa', { target })).toThrow(
      "[test/vpa] 'target' (\"settings\") has no containers in its pod template (ConfigMap): " +
      'give the ApiObject of a workload with a pod template (a Deployment, StatefulSet, DaemonSet, Job, ...) and its containers');
  });

  test('reads the containers of the library\'s own Deployments as they were built', () => {
    const chart = newChart();
    const server = new InferenceAutoscaler(chart, 'chat', { modelServer: { image: 'vllm/vllm-openai:v0.12.0' }, maxReplicas: 4, metrics: [ScalingMetric.requestsPerSecond(5)] });
    const toJson = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const vpa = new VerticalAutoscaler(chart, 'vpa', { target: server.deployment, containerPolicies: [{ containerName: 'model-server', controlledResources: [VpaResource.MEMORY] }] });
      expect(vpa.controlledResources).toEqual(['memory']);
      expect(toJson).not.toHaveBeenCalled();
    } finally {
      toJson.mockRestore();
    }
  });
});

describe('VerticalAutoscaler validation', () => {
  test('fails when minAllowed cpu is above maxAllowed cpu', () => {
    expect(build({ containerPolicies: [{ containerName: '*', minAllowed: { cpu: kplus.Cpu.units(2) }, maxAllowed: { cpu: kplus.Cpu.millis(500) } }] }))
      .toThrow('[test/vpa] \'containerPolicies[0].minAllowed.cpu\' ("2") is above \'containerPolicies[0].maxAllowed.cpu\' ("500m"): ' +
        'lower minAllowed.cpu or raise maxAllowed.cpu');
  });

  test('fails when minAllowed memory is above maxAllowed memory', () => {
    expect(build({ containerPolicies: [{ containerName: '*', minAllowed: { memory: Size.gibibytes(2) }, maxAllowed: { memory: Size.mebibytes(1024) } }] }))
      .toThrow('[test/vpa] \'containerPolicies[0].minAllowed.memory\' ("2048Mi") is above \'containerPolicies[0].maxAllowed.memory\' ("1024Mi"): ' +
        'lower minAllowed.memory or raise maxAllowed.memory');
  });

  test('accepts equal min and max', () => {
    expect(build({ containerPolicies: [{ containerName: '*', minAllowed: { cpu: kplus.Cpu.units(1) }, maxAllowed: { cpu: kplus.Cpu.millis(1000) } }] }))
      .not.toThrow();
  });

  test('fails on a CPU bound of zero', () => {
    expect(build({ containerPolicies: [{ containerName: '*', minAllowed: { cpu: kplus.Cpu.millis(0) } }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].minAllowed.cpu\' ("0m") must be a CPU amount above zero and at most 100000 cores, in whole millicores: use e.g. Cpu.millis(250) or Cpu.units(2)');
  });

  test('fails on a negative CPU bound', () => {
    expect(build({ containerPolicies: [{ containerName: '*', maxAllowed: { cpu: kplus.Cpu.units(-1) } }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].maxAllowed.cpu\' ("-1") must be a CPU amount above zero and at most 100000 cores, in whole millicores: use e.g. Cpu.millis(250) or Cpu.units(2)');
  });

  test('fails on a CPU bound finer than a millicore', () => {
    expect(build({ containerPolicies: [{ containerName: '*', maxAllowed: { cpu: kplus.Cpu.millis(0.5) } }] }))
      .toThrow(/'containerPolicies\[0\]\.maxAllowed\.cpu' \("0\.5m"\) must be a CPU amount above zero and at most 100000 cores, in whole millicores/);
  });

  test('fails on a memory bound of zero', () => {
    expect(build({ containerPolicies: [{ containerName: '*', minAllowed: { memory: Size.mebibytes(0) } }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].minAllowed.memory\' ("0Mi") is not a memory size above zero in whole mebibytes: ' +
      'use e.g. Size.mebibytes(512) or Size.gibibytes(8)');
  });

  test('fails on a memory bound in fractions of a mebibyte', () => {
    expect(build({ containerPolicies: [{ containerName: '*', maxAllowed: { memory: Size.kibibytes(1536) } }] }))
      .toThrow(/'containerPolicies\[0\]\.maxAllowed\.memory' \("1536Ki"\) is not a memory size above zero in whole mebibytes/);
  });

  test('fails on a container name the Deployment does not have', () => {
    expect(build({ containerPolicies: [{ containerName: 'sidecar' }] }, ['server', 'proxy'])).toThrow(
      '[test/vpa] \'containerPolicies[0].containerName\' ("sidecar") is not a container of Deployment \'embedder\' (its containers: "server", "proxy"): ' +
      'name one of its containers, or use \'*\' for all of them');
  });

  test('fails on two policies for one container', () => {
    expect(build({ containerPolicies: [{ containerName: 'server' }, { containerName: '*' }, { containerName: 'server' }] })).toThrow(
      '[test/vpa] \'containerPolicies[2].containerName\' ("server") already has a policy (containerPolicies[0]): give each container at most one policy: merge the two');
  });

  test('fails on controlledValues RequestsAndLimits for a container whose mode is Off', () => {
    expect(build({ containerPolicies: [{ containerName: '*', mode: VpaContainerMode.OFF, controlledValues: VpaControlledValues.REQUESTS_AND_LIMITS }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].controlledValues\' ("RequestsAndLimits") is set on a container whose mode is OFF, which the VPA '
      + 'admission controller refuses: leave controlledValues unset for a container the VPA leaves alone');
  });

  test('keeps controlledValues RequestsOnly for a container whose mode is Off (admission accepts it)', () => {
    const { spec } = synth({ containerPolicies: [{ containerName: '*', mode: VpaContainerMode.OFF, controlledValues: VpaControlledValues.REQUESTS_ONLY }] });
    expect(spec.resourcePolicy.containerPolicies[0].controlledValues).toBe('RequestsOnly');
  });

  test('fails on an empty list of controlled resources', () => {
    expect(build({ containerPolicies: [{ containerName: 'server', controlledResources: [] }] })).toThrow(
      '[test/vpa] \'containerPolicies[0].controlledResources\' ([]) is empty: list cpu and/or memory, or set mode OFF to leave container "server" alone');
  });

  test.each([0, -1, 1.5])('fails when minReplicas is %s', (minReplicas) => {
    expect(build({ minReplicas })).toThrow(
      `[test/vpa] 'minReplicas' (${minReplicas}) must be a whole number at least 1 and at most 2147483647: ` +
      'set 1 or more (1 lets the updater restart the only pod of a single-replica workload), or leave it unset');
  });

  test('fails when updateMode is a string that is not a VPA update mode', () => {
    expect(build({ updateMode: 'Sometimes' as VpaUpdateMode })).toThrow(new Error(
      '[test/vpa] \'updateMode\' ("Sometimes") must be one of "Off", "Initial", "Recreate", "InPlaceOrRecreate", "InPlace", "Auto": ' +
      'use a VpaUpdateMode, e.g. VpaUpdateMode.INITIAL (the default), or leave it unset'));
  });

  test('fails when updateMode is spelled in the wrong case', () => {
    expect(build({ updateMode: 'auto' as VpaUpdateMode })).toThrow(new Error(
      '[test/vpa] \'updateMode\' ("auto") must be one of "Off", "Initial", "Recreate", "InPlaceOrRecreate", "InPlace", "Auto": ' +
      'use a VpaUpdateMode, e.g. VpaUpdateMode.INITIAL (the default), or leave it unset'));
  });

  test('fails when the target is not an ApiObject', () => {
    const chart = newChart();
    expect(() => new VerticalAutoscaler(chart, 'vpa', { target: 'embedder' as unknown as ApiObject })).toThrow(new Error(
      '[test/vpa] \'target\' ("embedder") must be an ApiObject (made by its static methods), not a string: ' +
      'give the ApiObject of a workload, e.g. ApiObject.of(deployment) for a cdk8s-plus Deployment'));
  });

  test('fails when a controlled resource is not cpu or memory', () => {
    expect(build({ containerPolicies: [{ containerName: '*', controlledResources: ['nvidia.com/gpu' as VpaResource] }] })).toThrow(new Error(
      '[test/vpa] \'containerPolicies[0].controlledResources[0]\' ("nvidia.com/gpu") must be one of "cpu", "memory": ' +
      'list VpaResource.CPU and/or VpaResource.MEMORY (the VPA controls no other resource)'));
  });

  test('fails when a feature gate is not one the library knows', () => {
    expect(build({ enabledFeatureGates: ['inplace' as VpaFeatureGate] })).toThrow(new Error(
      '[test/vpa] \'enabledFeatureGates[0]\' ("inplace") must be one of "InPlace": ' +
      'list the VPA feature gates your VPA components run with, e.g. [VpaFeatureGate.IN_PLACE], or leave it unset'));
  });

  test('fails when the target is missing, as a JSON caller may leave it out', () => {
    expect(() => new VerticalAutoscaler(newChart(), 'vpa', {} as VerticalAutoscalerProps)).toThrow(new Error(
      "[test/vpa] 'target' (undefined) is required: give the ApiObject of the workload to size, e.g. ApiObject.of(deployment)"));
  });
});
