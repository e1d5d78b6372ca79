import * as fs from 'fs';
import * as path from 'path';
import { scanCrds } from './crd-scan';
import * as f from './fixtures';
import { describeWithSchemas, validateManifests } from './index';
import { loadYamlCached, sharedDir } from './schema-loader';

/** Errors of validating one object (or several). */
function errorsOf(...objects: any[]): string[] {
  return validateManifests(objects).errors;
}

describeWithSchemas('schema conformance of the calibration fixtures', () => {
  test.each(f.allValid().map((o) => [`${o.apiVersion} ${o.kind}`, o]))('accepts a valid %s', (_label, obj) => {
    const result = validateManifests([obj]);
    expect(result.errors).toEqual([]);
    expect(result.validated).toBe(1);
  });

  test('validates more than zero objects, and every fixture kind', () => {
    const all = f.allValid();
    const result = validateManifests(all);
    expect(result.errors).toEqual([]);
    expect(result.validated).toBe(all.length);
    expect(Object.keys(result.byKind).sort()).toEqual([...new Set(all.map((o) => o.kind))].sort());
  });

  test('does not modify the objects it validates (defaults are applied to a copy)', () => {
    const rc = f.rayCluster();
    const before = JSON.stringify(rc);
    expect(errorsOf(rc)).toEqual([]);
    expect(JSON.stringify(rc)).toBe(before);
    expect(rc.spec.workerGroupSpecs[0].minReplicas).toBeUndefined();
  });

  test('applies CRD defaults before required: RayCluster workers without minReplicas/maxReplicas pass', () => {
    const rc = f.rayCluster();
    expect(rc.spec.workerGroupSpecs[0]).not.toHaveProperty('maxReplicas');
    expect(errorsOf(rc)).toEqual([]);
  });
});

describeWithSchemas('strict structural validation', () => {
  test('rejects an unknown field in a pod template', () => {
    const d = f.deployment();
    d.spec.template.spec.containerz = [];
    expect(errorsOf(d)).toEqual([
      'Deployment/llm-server: spec.template.spec: unknown field "containerz" (the schema does not define it; the API server would reject or drop it)',
    ]);
  });

  test('rejects an unknown field in a container (through allOf/$ref wrappers)', () => {
    const d = f.deployment();
    d.spec.template.spec.containers[0].resources.request = { cpu: '1' };
    expect(errorsOf(d)).toEqual([expect.stringContaining('spec.template.spec.containers[0].resources: unknown field "request"')]);
  });

  test('rejects an unknown field in a CRD (RayCluster headGroupSpec.replicas)', () => {
    const rc = f.rayCluster();
    rc.spec.headGroupSpec.replicas = 1;
    expect(errorsOf(rc)).toEqual([expect.stringContaining('RayCluster/llm-batch: spec.headGroupSpec: unknown field "replicas"')]);
  });

  test('rejects an unknown field inside the pod template embedded in a CRD', () => {
    const rc = f.rayCluster();
    rc.spec.workerGroupSpecs[0].template.spec.containers[0].resoures = {};
    expect(errorsOf(rc)).toEqual([expect.stringContaining('spec.workerGroupSpecs[0].template.spec.containers[0]: unknown field "resoures"')]);
  });

  test('rejects an unknown field in CRD metadata (validated as ObjectMeta)', () => {
    const np = f.nodePool();
    np.metadata.label = { a: 'b' };
    expect(errorsOf(np)).toEqual([expect.stringContaining('NodePool/gpu: metadata: unknown field "label"')]);
  });

  test('rejects an HPA metric with an unknown source field', () => {
    const h = f.hpa();
    h.spec.metrics[0].resource.targetAverageUtilization = 70;
    expect(errorsOf(h)).toEqual([expect.stringContaining('spec.metrics[0].resource: unknown field "targetAverageUtilization"')]);
  });

  test('rejects an HPA metric of an unknown type field', () => {
    const h = f.hpa();
    h.spec.metrics.push({ type: 'External', externall: { metric: { name: 'queue' }, target: { type: 'Value', value: '1' } } });
    const errors = errorsOf(h);
    expect(errors).toContainEqual(expect.stringContaining('spec.metrics[2]: unknown field "externall"'));
    expect(errors).toContainEqual(expect.stringContaining('spec.metrics[2].external: must populate information for the given metric source'));
  });

  test('rejects a wrong type', () => {
    const h = f.hpa();
    h.spec.maxReplicas = '20';
    expect(errorsOf(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.maxReplicas: must be integer, got string "20"']);
  });

  test('rejects a wrong type in a CRD', () => {
    const so = f.scaledObject();
    so.spec.minReplicaCount = 'one';
    expect(errorsOf(so)).toContainEqual('ScaledObject/llm-server: spec.minReplicaCount: must be integer, got string "one"');
  });

  test('rejects a missing required field', () => {
    const h = f.hpa();
    delete h.spec.scaleTargetRef;
    expect(errorsOf(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec: missing required field "scaleTargetRef"']);
  });

  test('rejects a missing required field in a CRD', () => {
    const np = f.nodePool();
    delete np.spec.template.spec.nodeClassRef;
    expect(errorsOf(np)).toContainEqual('NodePool/gpu: spec.template.spec: missing required field "nodeClassRef"');
  });

  test('rejects a value outside a CRD enum', () => {
    const np = f.nodePool();
    np.spec.disruption.consolidationPolicy = 'Always';
    expect(errorsOf(np)).toEqual([expect.stringContaining('spec.disruption.consolidationPolicy: must be one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced", got string "Always"')]);
  });

  test('rejects an unsupported value of a built-in closed set (Go validation enums)', () => {
    const d = f.deployment();
    d.spec.strategy.type = 'Rolling';
    expect(errorsOf(d)).toEqual(['Deployment/llm-server: spec.strategy.type: must be one of "Recreate", "RollingUpdate", got string "Rolling"']);
  });

  test('rejects a value that is neither int nor string for int-or-string', () => {
    const d = f.deployment();
    d.spec.strategy.rollingUpdate.maxSurge = true;
    expect(errorsOf(d)).toEqual([expect.stringContaining('spec.strategy.rollingUpdate.maxSurge: boolean true does not match any allowed type (integer or string)')]);
  });

  test('translates Go regexes: PrometheusRule partial_response_strategy ^(?i)(abort|warn)?$ ignores case', () => {
    const ok = f.prometheusRule();
    ok.spec.groups[0].partial_response_strategy = 'WARN';
    expect(errorsOf(ok)).toEqual([]);
    const bad = f.prometheusRule();
    bad.spec.groups[0].partial_response_strategy = 'ignore';
    expect(errorsOf(bad)).toEqual([expect.stringContaining('spec.groups[0].partial_response_strategy: must match pattern "^(?i)(abort|warn)?$", got string "ignore"')]);
  });

  test('treats null as unset, as the API server does', () => {
    const d = f.deployment();
    d.spec.paused = null;
    const np = f.nodePool();
    np.spec.weight = null;
    expect(errorsOf(d, np)).toEqual([]);
  });

  test('rejects duplicate keys in a list of x-kubernetes-list-type map (CRD)', () => {
    const rc = f.rayCluster();
    const c = rc.spec.headGroupSpec.template.spec.containers[0];
    c.env = [{ name: 'A', value: '1' }, { name: 'A', value: '2' }];
    expect(errorsOf(rc)).toEqual([expect.stringContaining('spec.headGroupSpec.template.spec.containers[0].env[1]: duplicate entry with name="A" (also at [0])')]);
  });

  test('checks list-map keys after defaulting (ports keyed by containerPort+protocol, protocol defaults to TCP)', () => {
    const rc = f.rayCluster();
    rc.spec.headGroupSpec.template.spec.containers[0].ports.push({ name: 'gcs2', containerPort: 6379, protocol: 'TCP' });
    expect(errorsOf(rc)).toEqual([expect.stringContaining('duplicate entry with containerPort=6379, protocol="TCP"')]);
  });
});

describeWithSchemas('apiVersion and kind resolution', () => {
  test('accepts a served deprecated version (ray.io/v1alpha1)', () => {
    const rc = f.rayCluster();
    rc.apiVersion = 'ray.io/v1alpha1';
    const result = validateManifests([rc]);
    expect(result.errors).toEqual([]);
    expect(result.validated).toBe(1);
  });

  test('reports an apiVersion with no schema instead of passing it (ray.io/v2)', () => {
    const rc = f.rayCluster();
    rc.apiVersion = 'ray.io/v2';
    const result = validateManifests([rc]);
    expect(result.validated).toBe(0);
    expect(result.errors).toEqual(['RayCluster/llm-batch: no schema for ray.io/v2 RayCluster (served: ray.io/v1, ray.io/v1alpha1)']);
  });

  test('reports a version that is listed but not served (VPA v1beta2)', () => {
    const v = f.vpa();
    v.apiVersion = 'autoscaling.k8s.io/v1beta2';
    expect(errorsOf(v)).toEqual([expect.stringMatching(/no schema for autoscaling.k8s.io\/v1beta2 VerticalPodAutoscaler: version v1beta2 is not served/)]);
  });

  test('reports an unknown kind in a built-in group-version', () => {
    const d = f.deployment();
    d.kind = 'Deploymentz';
    expect(errorsOf(d)).toContainEqual(expect.stringContaining('no schema for apps/v1 Deploymentz'));
  });

  test('reports an unknown group', () => {
    expect(errorsOf({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual(['Widget/w: no schema for example.com/v1 Widget']);
  });

  test('reports a built-in kind at a removed apiVersion (autoscaling/v2beta2)', () => {
    const h = f.hpa();
    h.apiVersion = 'autoscaling/v2beta2';
    expect(errorsOf(h)).toEqual(['HorizontalPodAutoscaler/llm-server: no schema for autoscaling/v2beta2 HorizontalPodAutoscaler']);
  });
});

describeWithSchemas('Go validation rules of built-in kinds', () => {
  test('rejects a Deployment whose selector does not match the template labels', () => {
    const d = f.deployment();
    d.spec.selector.matchLabels = { app: 'other' };
    expect(errorsOf(d)).toEqual(['Deployment/llm-server: spec.template.metadata.labels: `selector` does not match template `labels`']);
  });

  test('rejects an HPA whose minReplicas exceeds maxReplicas', () => {
    const h = f.hpa();
    h.spec.minReplicas = 30;
    expect(errorsOf(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.maxReplicas: must be greater than or equal to minReplicas (30)']);
  });

  test('rejects an HPA Pods metric with a Utilization target', () => {
    const h = f.hpa();
    h.spec.metrics[1].pods.target = { type: 'Utilization', averageUtilization: 50 };
    expect(errorsOf(h)).toEqual(['HorizontalPodAutoscaler/llm-server: spec.metrics[1].pods.target.type: must be AverageValue for Pods metrics']);
  });

  test('rejects a PodDisruptionBudget with both minAvailable and maxUnavailable', () => {
    const p = f.pdb();
    p.spec.minAvailable = 1;
    expect(errorsOf(p)).toEqual(['PodDisruptionBudget/llm-server: spec: minAvailable and maxUnavailable cannot be both set']);
  });

  test('rejects duplicate container names and bad port names', () => {
    const d = f.deployment();
    const c = d.spec.template.spec.containers;
    c.push({ ...c[0], ports: [{ name: 'metrics_port', containerPort: 9090 }] });
    const errors = errorsOf(d);
    expect(errors).toContainEqual(expect.stringContaining('spec.template.spec.containers[1].name: duplicate container name "server"'));
    expect(errors).toContainEqual(expect.stringContaining('spec.template.spec.containers[1].ports[0].name: "metrics_port" must contain only lowercase alphanumerics'));
  });
});

describe('CRD index', () => {
  const available = fs.existsSync(path.join(sharedDir(), 'crds'));
  const files = available ? fs.readdirSync(path.join(sharedDir(), 'crds'), { recursive: true }).map(String).filter((p) => p.endsWith('.yaml')) : [];
  (available ? test.each(files) : test.skip.each(['(no schema folder) [skipped: ../shared/crds not found]']))('the fast scanner agrees with a full YAML parse of %s', (file) => {
    const full = path.join(sharedDir(), 'crds', file);
    const expected = loadYamlCached(full)
      .filter((d) => d?.kind === 'CustomResourceDefinition')
      .map((d) => ({
        group: d.spec.group,
        kind: d.spec.names.kind,
        versions: d.spec.versions.map((v: any) => ({ name: v.name, served: v.served === true, deprecated: v.deprecated === true })),
      }));
    const scanned = scanCrds(fs.readFileSync(full, 'utf8')).map(({ group, kind, versions }) => ({ group, kind, versions }));
    expect(scanned).toEqual(expected);
  });
});
