import { KUBERNETES_CHECK, parseCidr, startupProbeBudgetSeconds } from './kubernetes';
import * as f from '../fixtures';

const check = (...objects: any[]) => KUBERNETES_CHECK.check(objects);

function priorityClass(): any {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'inference' }, value: 100000, preemptionPolicy: 'PreemptLowerPriority' };
}

function networkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'llm-server', namespace: f.NAMESPACE },
    spec: {
      podSelector: { matchLabels: { app: 'llm' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'gw' } } }], ports: [{ protocol: 'TCP', port: 8000 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 443, endPort: 445 }] }],
    },
  };
}

function indexedJob(): any {
  const j = f.job();
  j.spec.completionMode = 'Indexed';
  j.spec.completions = 4;
  j.spec.parallelism = 2;
  j.spec.template.spec.restartPolicy = 'Never';
  j.spec.podFailurePolicy = { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'warm', operator: 'In', values: [1, 42] } }] };
  return j;
}

describe('Kubernetes 1.28 rules: the valid fixtures pass', () => {
  test.each([
    ['Deployment', f.deployment()], ['HPA', f.hpa()], ['PDB', f.pdb()], ['Job', f.job()], ['CronJob', f.cronJob()],
    ['PriorityClass', priorityClass()], ['NetworkPolicy', networkPolicy()], ['Indexed Job with a podFailurePolicy', indexedJob()],
  ])('%s', (_name, obj) => {
    expect(check(obj)).toEqual([]);
  });
});

describe('HorizontalPodAutoscaler', () => {
  test('an explicit empty policies list is refused, even with selectPolicy Disabled', () => {
    const h = f.hpa();
    h.spec.behavior.scaleDown = { selectPolicy: 'Disabled', policies: [] };
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.behavior.scaleDown.policies: Required value: must specify at least one Policy '
      + '(an empty list is kept by defaulting and refused, even with selectPolicy Disabled: leave policies out instead)']);
  });

  test('selectPolicy Disabled without a policies list is accepted (defaulting fills the list)', () => {
    const h = f.hpa();
    h.spec.behavior.scaleDown = { selectPolicy: 'Disabled' };
    expect(check(h)).toEqual([]);
  });

  test('minReplicas 0 needs HPAScaleToZero, off in 1.28', () => {
    const h = f.hpa();
    h.spec.minReplicas = 0;
    expect(check(h)).toEqual([expect.stringContaining('spec.minReplicas: Invalid value: 0: must be greater than or equal to 1')]);
  });

  test('maxReplicas below the defaulted minReplicas (1)', () => {
    const h = f.hpa();
    delete h.spec.minReplicas;
    h.spec.maxReplicas = 0;
    expect(check(h)).toEqual([
      'HorizontalPodAutoscaler/llm-server: spec.maxReplicas: must be greater than or equal to 1',
      'HorizontalPodAutoscaler/llm-server: spec.maxReplicas: must be greater than or equal to minReplicas (1)',
    ]);
  });

  test('minReplicas above maxReplicas', () => {
    const h = f.hpa();
    h.spec.minReplicas = 30;
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.maxReplicas: must be greater than or equal to minReplicas (30)']);
  });

  test('a stabilization window above 3600 s', () => {
    const h = f.hpa();
    h.spec.behavior.scaleUp.stabilizationWindowSeconds = 3601;
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be between 0 and 3600']);
  });

  test.each([[0], [1801]])('a policy period of %s s', (period) => {
    const h = f.hpa();
    h.spec.behavior.scaleDown.policies[0].periodSeconds = period;
    expect(check(h)).toEqual([`HorizontalPodAutoscaler/llm-server: spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: ${period}: `
      + 'must be greater than zero and less than or equal to 1800']);
  });

  test('a policy value of 0', () => {
    const h = f.hpa();
    h.spec.behavior.scaleUp.policies[0].value = 0;
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero']);
  });

  test('a metric with a second source block', () => {
    const h = f.hpa();
    h.spec.metrics[0].pods = h.spec.metrics[1].pods;
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[0].pods: must populate the given metric source only (type is Resource)']);
  });

  test('a metric without its source block', () => {
    const h = f.hpa();
    delete h.spec.metrics[1].pods;
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[1].pods: must populate information for the given metric source (type is Pods)']);
  });

  test('a Resource metric with a Value target', () => {
    const h = f.hpa();
    h.spec.metrics[0].resource.target = { type: 'Value', value: '2' };
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[0].resource.target.type: must be Utilization or AverageValue for Resource metrics']);
  });

  test('a Resource metric with both utilization and a raw value', () => {
    const h = f.hpa();
    h.spec.metrics[0].resource.target.averageValue = '2';
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization']);
  });

  test('a Pods metric with a Utilization target', () => {
    const h = f.hpa();
    h.spec.metrics[1].pods.target = { type: 'Utilization', averageUtilization: 50 };
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[1].pods.target.type: must be AverageValue for Pods metrics']);
  });

  test('a Pods metric without averageValue', () => {
    const h = f.hpa();
    h.spec.metrics[1].pods.target = { type: 'AverageValue' };
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[1].pods.target.averageValue: Required value: must specify a positive target averageValue']);
  });

  test('a zero averageValue', () => {
    const h = f.hpa();
    h.spec.metrics[1].pods.target.averageValue = '0';
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[1].pods.target.averageValue: Invalid value: "0": must be positive']);
  });

  test('an External metric with both value and averageValue', () => {
    const h = f.hpa();
    h.spec.metrics.push({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10', averageValue: '2' } } });
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[2].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target']);
  });

  test('an Object metric without describedObject name', () => {
    const h = f.hpa();
    h.spec.metrics.push({ type: 'Object', object: { metric: { name: 'rps' }, describedObject: { kind: 'Service' }, target: { type: 'Value', value: '10' } } });
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[2].object.describedObject: Required value: must name a kind and a name']);
  });

  test('a ContainerResource metric without a container', () => {
    const h = f.hpa();
    h.spec.metrics[0] = { type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } };
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[0].containerResource.container: Required value: must specify a container']);
  });

  test('a target type whose field is not the one set', () => {
    const h = f.hpa();
    h.spec.metrics.push({ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', value: '10' } } });
    expect(check(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[2].external.target.averageValue: must be set when the target type is AverageValue (the controller reads only that field)']);
  });
});

describe('PodDisruptionBudget', () => {
  test('minAvailable and maxUnavailable together', () => {
    const p = f.pdb();
    p.spec.minAvailable = 1;
    expect(check(p)).toEqual(['PodDisruptionBudget/llm-server: spec: minAvailable and maxUnavailable cannot be both set']);
  });

  test('a percentage above 100%', () => {
    const p = f.pdb();
    p.spec.maxUnavailable = '150%';
    expect(check(p)).toEqual(['PodDisruptionBudget/llm-server: spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%']);
  });

  test('a negative minAvailable', () => {
    const p = f.pdb();
    delete p.spec.maxUnavailable;
    p.spec.minAvailable = -1;
    expect(check(p)).toEqual(['PodDisruptionBudget/llm-server: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
  });

  test('a selector In without values', () => {
    const p = f.pdb();
    p.spec.selector.matchExpressions = [{ key: 'app', operator: 'In' }];
    expect(check(p)).toEqual(['PodDisruptionBudget/llm-server: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is \'In\' or \'NotIn\'']);
  });

  test('a selector Exists with values', () => {
    const p = f.pdb();
    p.spec.selector.matchExpressions = [{ key: 'app', operator: 'Exists', values: ['x'] }];
    expect(check(p)).toEqual([expect.stringContaining('values: Forbidden: may not be specified when `operator` is \'Exists\' or \'DoesNotExist\'')]);
  });
});

describe('PriorityClass', () => {
  test('a value above 1000000000', () => {
    const c = priorityClass();
    c.value = 1000000001;
    expect(check(c)).toEqual(['PriorityClass/inference: value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  });

  test('a system- name', () => {
    const c = priorityClass();
    c.metadata.name = 'system-gpu';
    expect(check(c)).toEqual(['PriorityClass/system-gpu: metadata.name: Invalid value: "system-gpu": priority class names with \'system-\' prefix are reserved for system use only']);
  });

  test('an unknown preemptionPolicy', () => {
    const c = priorityClass();
    c.preemptionPolicy = 'Always';
    expect(check(c)).toEqual(['PriorityClass/inference: preemptionPolicy: Unsupported value: "Always": supported values: "Never", "PreemptLowerPriority"']);
  });

  test('two globalDefault classes', () => {
    const a = { ...priorityClass(), globalDefault: true };
    const b = { ...priorityClass(), metadata: { name: 'batch' }, globalDefault: true };
    expect(check(a, b)).toEqual(['PriorityClass/batch: globalDefault: Forbidden: PriorityClass inference is already marked as default. Only one default can exist']);
  });
});

describe('NetworkPolicy', () => {
  test('a peer with nothing in it', () => {
    const n = networkPolicy();
    n.spec.ingress[0].from = [{}];
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.ingress[0].from[0]: Required value: must specify a peer']);
  });

  test('an ipBlock with a selector', () => {
    const n = networkPolicy();
    n.spec.egress[0].to[0].podSelector = {};
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer']);
  });

  test('an invalid CIDR', () => {
    const n = networkPolicy();
    n.spec.egress[0].to[0].ipBlock = { cidr: '10.0.0.0/33' };
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.egress[0].to[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR']);
  });

  test.each([['192.168.0.0/16'], ['10.0.0.0/8']])('an except %s that is not a strict subset', (except) => {
    const n = networkPolicy();
    n.spec.egress[0].to[0].ipBlock.except = [except];
    expect(check(n)).toEqual([`NetworkPolicy/llm-server: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "${except}": must be a strict subset of \`cidr\``]);
  });

  test('endPort below port', () => {
    const n = networkPolicy();
    n.spec.egress[0].ports[0].endPort = 400;
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.egress[0].ports[0].endPort: Invalid value: 400: must be greater than or equal to `port`']);
  });

  test('endPort with a named port', () => {
    const n = networkPolicy();
    n.spec.ingress[0].ports[0] = { protocol: 'TCP', port: 'http', endPort: 9000 };
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.ingress[0].ports[0].endPort: Invalid value: 9000: may not be specified when `port` is non-numeric']);
  });

  test('a port out of range', () => {
    const n = networkPolicy();
    n.spec.ingress[0].ports[0].port = 70000;
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive']);
  });

  test('an invalid named port', () => {
    const n = networkPolicy();
    n.spec.ingress[0].ports[0].port = 'metrics-port-of-llm';
    expect(check(n)).toEqual(['NetworkPolicy/llm-server: spec.ingress[0].ports[0].port: Invalid value: "metrics-port-of-llm": must be no more than 15 characters']);
  });

  test('parses IPv6 CIDRs', () => {
    expect(parseCidr('fd00::/8')?.prefix).toBe(8);
    expect(parseCidr('fd00::1::/8')).toBeUndefined();
  });
});

describe('Job', () => {
  test('a podFailurePolicy needs restartPolicy Never', () => {
    const j = indexedJob();
    j.spec.template.spec.restartPolicy = 'OnFailure';
    expect(check(j)).toEqual(['Job/warm-model-cache: spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified']);
  });

  test('restartPolicy Always', () => {
    const j = f.job();
    j.spec.template.spec.restartPolicy = 'Always';
    expect(check(j)).toEqual(['Job/warm-model-cache: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });

  test('onExitCodes with an unknown operator, 0 for In, unordered values and an unknown container', () => {
    const j = indexedJob();
    j.spec.podFailurePolicy.rules = [
      { action: 'FailJob', onExitCodes: { operator: 'Equals', values: [1] } },
      { action: 'Ignore', onExitCodes: { containerName: 'other', operator: 'In', values: [0, 3, 2] } },
    ];
    expect(check(j)).toEqual([
      'Job/warm-model-cache: spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: "Equals": supported values: "In", "NotIn"',
      'Job/warm-model-cache: spec.podFailurePolicy.rules[1].onExitCodes.containerName: Invalid value: "other": must be one of the container or initContainer names in the pod template',
      'Job/warm-model-cache: spec.podFailurePolicy.rules[1].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      'Job/warm-model-cache: spec.podFailurePolicy.rules[1].onExitCodes.values[2]: Invalid value: 2: must be ordered',
    ]);
  });

  test('a rule with both onExitCodes and onPodConditions, and one with neither', () => {
    const j = indexedJob();
    j.spec.podFailurePolicy.rules = [
      { action: 'Ignore', onExitCodes: { operator: 'In', values: [1] }, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'Ignore' },
    ];
    expect(check(j)).toEqual([
      'Job/warm-model-cache: spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
      'Job/warm-model-cache: spec.podFailurePolicy.rules[1]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
    ]);
  });

  test('an onPodConditions status outside True/False/Unknown', () => {
    const j = indexedJob();
    j.spec.podFailurePolicy.rules = [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'Yes' }] }];
    expect(check(j)).toEqual(['Job/warm-model-cache: spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: "Yes": supported values: "False", "True", "Unknown"']);
  });

  test('a FailIndex rule (its gate is off in 1.28)', () => {
    const j = indexedJob();
    j.spec.podFailurePolicy.rules[0].action = 'FailIndex';
    expect(check(j)).toEqual([expect.stringContaining('rules[0].action: Forbidden: FailIndex needs backoffLimitPerIndex')]);
  });

  test('Indexed without completions', () => {
    const j = indexedJob();
    delete j.spec.completions;
    expect(check(j)).toEqual(['Job/warm-model-cache: spec.completions: Required value: when completion mode is Indexed']);
  });

  test('backoffLimitPerIndex without Indexed', () => {
    const j = f.job();
    j.spec.backoffLimitPerIndex = 1;
    expect(check(j)).toEqual([
      'Job/warm-model-cache: spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
      'Job/warm-model-cache: spec.backoffLimitPerIndex: Forbidden: the feature gate JobBackoffLimitPerIndex is off in 1.28: the field is dropped on create',
    ]);
  });

  test('negative parallelism and completions', () => {
    const j = f.job();
    j.spec.parallelism = -1;
    j.spec.completions = -2;
    expect(check(j)).toEqual([
      'Job/warm-model-cache: spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
      'Job/warm-model-cache: spec.completions: Invalid value: -2: must be greater than or equal to 0',
    ]);
  });

  test('Indexed parallelism above 100000', () => {
    const j = indexedJob();
    j.spec.parallelism = 100001;
    expect(check(j)).toEqual([expect.stringContaining('spec.parallelism: Invalid value: 100001: must be less than or equal to 100000')]);
  });

  test('an Indexed job whose last pod hostname is longer than 63 characters', () => {
    const j = indexedJob();
    j.metadata.name = 'a'.repeat(62);
    expect(check(j)).toEqual([expect.stringContaining('spec.completions: Invalid value: 4: job name and JOB_COMPLETION_INDEX must form a valid DNS label')]);
  });

  test('a job name longer than 63 characters', () => {
    const j = f.job();
    j.metadata.name = 'a'.repeat(64);
    expect(check(j)).toEqual([expect.stringContaining('metadata.name: Invalid value: "aaaa')]);
  });

  test('the job template of a CronJob', () => {
    const c = f.cronJob();
    c.spec.jobTemplate.spec.template.spec.restartPolicy = 'Always';
    expect(check(c)).toEqual(['CronJob/nightly-warm: spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  });
});

describe('Deployment', () => {
  test('minReadySeconds not below the defaulted progressDeadlineSeconds (600)', () => {
    const d = f.deployment();
    d.spec.minReadySeconds = 600;
    expect(check(d)).toEqual(['Deployment/llm-server: spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds']);
  });

  test('maxSurge and maxUnavailable both 0', () => {
    const d = f.deployment();
    d.spec.strategy.rollingUpdate.maxSurge = '0%';
    expect(check(d)).toEqual(['Deployment/llm-server: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0']);
  });

  test('maxUnavailable above 100%', () => {
    const d = f.deployment();
    d.spec.strategy.rollingUpdate.maxUnavailable = '101%';
    expect(check(d)).toEqual(['Deployment/llm-server: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%']);
  });

  test('Recreate with rollingUpdate', () => {
    const d = f.deployment();
    d.spec.strategy.type = 'Recreate';
    expect(check(d)).toEqual(['Deployment/llm-server: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is \'Recreate\'']);
  });

  test('a progress deadline not longer than the startup probe budget is exceeded during a slow rollout', () => {
    const d = f.deployment();
    d.spec.template.spec.containers[0].startupProbe = { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 60, periodSeconds: 10, failureThreshold: 90 };
    expect(startupProbeBudgetSeconds(d.spec.template.spec)).toBe(960);
    expect(check(d)).toEqual(['Deployment/llm-server: spec.progressDeadlineSeconds: 600 s is not longer than the startup probe budget (960 s = '
      + 'initialDelaySeconds + failureThreshold x periodSeconds): a slow rollout is marked ProgressDeadlineExceeded while its pods are still starting']);
    d.spec.progressDeadlineSeconds = 1200;
    expect(check(d)).toEqual([]);
  });

  test('probe defaults count: failureThreshold 3, periodSeconds 10', () => {
    expect(startupProbeBudgetSeconds({ containers: [{ startupProbe: {} }, { startupProbe: { initialDelaySeconds: 5 } }] })).toBe(35);
  });
});
