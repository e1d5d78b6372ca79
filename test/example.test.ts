import { Testing } from 'cdk8s';
import { conformanceAvailability, expectConformant, validateManifests } from './conformance';
import { buildApp } from '../examples/inference';

describe('the example app', () => {
  test('synthesizes conformant objects: schema, CEL and Pod Security', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => expectConformant(chart));
    expect(manifests.map(m => m.kind).sort()).toEqual(([
      'ConfigMap',
      'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass', 'EC2NodeClass',
      'Deployment', 'Deployment', 'Deployment', 'Deployment',
      'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler',
      'Job',
      'NetworkPolicy', 'NetworkPolicy', 'RayCluster', 'RayJob',
      'NodePool', 'NodePool', 'NodePool', 'NodePool', 'NodePool', 'NodePool',
      'PriorityClass', 'PriorityClass', 'PriorityClass', 'ResourceQuota', 'ResourceQuota',
      'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget', 'PodDisruptionBudget',
      'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule', 'PrometheusRule',
      'PrometheusRule', 'PrometheusRule',
      'ScaledJob', 'ScaledObject',
      'Service', 'Service', 'Service', 'Service',
      'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor', 'ServiceMonitor',
      'TriggerAuthentication', 'TriggerAuthentication',
      'VerticalPodAutoscaler',
    ] as string[]).sort());
  });

  test('validates more than zero objects against the upstream schemas', () => {
    const app = buildApp(Testing.app());
    const manifests = app.charts.flatMap(chart => Testing.synth(chart));
    const result = validateManifests(manifests);
    expect(result.errors).toEqual([]);
    if (conformanceAvailability().available) {
      expect(result.validated).toBe(manifests.length);
      expect(result.validated).toBeGreaterThan(0);
    }
  });
});
