/**
 * Realistic, valid manifests of every kind the library emits, used to calibrate the checker:
 * each must pass, and each invalid variant in the tests differs from one of these by one edit.
 * Functions return fresh objects, so tests can modify them.
 */

export const NAMESPACE = 'ml-serving';

/** Container securityContext that satisfies Pod Security "restricted". */
export function restrictedContainerSecurity(): Record<string, any> {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
  };
}

/** Pod securityContext that satisfies Pod Security "restricted" (with the container one). */
export function restrictedPodSecurity(): Record<string, any> {
  return { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } };
}

function appLabels(): Record<string, string> {
  return { 'app.kubernetes.io/name': 'llm-server', 'app.kubernetes.io/part-of': 'chat' };
}

export function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm-server', namespace: NAMESPACE, labels: appLabels(), annotations: { 'example.com/owner': 'ml-platform' } },
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: appLabels() },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: appLabels(), annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          securityContext: restrictedPodSecurity(),
          terminationGracePeriodSeconds: 60,
          nodeSelector: { 'karpenter.sh/nodepool': 'gpu' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{
            name: 'server',
            image: 'ghcr.io/example/llm-server:1.4.2',
            args: ['--model', 'llama-3-8b', '--port', '8000'],
            ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }],
            env: [{ name: 'HF_HOME', value: '/cache' }],
            resources: {
              requests: { 'cpu': '4', 'memory': '24Gi', 'nvidia.com/gpu': 1 },
              limits: { 'cpu': 8, 'memory': '24Gi', 'nvidia.com/gpu': '1' },
            },
            readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5 },
            livenessProbe: { httpGet: { path: '/health', port: 8000 }, initialDelaySeconds: 120 },
            volumeMounts: [{ name: 'cache', mountPath: '/cache' }],
            securityContext: restrictedContainerSecurity(),
          }],
          volumes: [{ name: 'cache', emptyDir: { sizeLimit: '50Gi' } }],
        },
      },
    },
  };
}

export function hpa(): any {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'llm-server', namespace: NAMESPACE },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-server' },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        {
          type: 'Pods',
          pods: { metric: { name: 'vllm_num_requests_waiting' }, target: { type: 'AverageValue', averageValue: '500m' } },
        },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      },
    },
  };
}

export function pdb(): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'llm-server', namespace: NAMESPACE },
    spec: { maxUnavailable: 1, selector: { matchLabels: appLabels() }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };
}

export function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'llm-server', namespace: NAMESPACE, labels: appLabels() },
    spec: {
      type: 'ClusterIP',
      selector: appLabels(),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function job(): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'warm-model-cache', namespace: NAMESPACE },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'warm-model-cache' } },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: restrictedPodSecurity(),
          containers: [{
            name: 'warm',
            image: 'ghcr.io/example/cache-warmer:0.3.0',
            resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } },
            securityContext: restrictedContainerSecurity(),
          }],
        },
      },
    },
  };
}

export function cronJob(): any {
  const j = job();
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly-warm', namespace: NAMESPACE },
    spec: { schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', jobTemplate: { spec: j.spec } },
  };
}

export function nodePool(): any {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'gpu' },
    spec: {
      template: {
        metadata: { labels: { 'example.com/workload': 'inference' } },
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' },
          requirements: [
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] },
            { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g5.xlarge', 'g5.2xlarge', 'g6.xlarge'], minValues: 2 },
            { key: 'karpenter.k8s.aws/instance-gpu-count', operator: 'Gt', values: ['0'] },
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
          ],
          taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }],
          expireAfter: '336h',
        },
      },
      limits: { 'cpu': 1000, 'memory': '4000Gi', 'nvidia.com/gpu': 64 },
      disruption: {
        consolidationPolicy: 'WhenEmpty',
        consolidateAfter: '10m',
        budgets: [{ nodes: '10%' }, { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h', reasons: ['Drifted'] }],
      },
      weight: 50,
    },
  };
}

export function ec2NodeClass(): any {
  return {
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'gpu' },
    spec: {
      role: 'KarpenterNodeRole-ml-cluster',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'ml-cluster' } }],
      securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'ml-cluster' } }],
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        rootVolume: true,
        ebs: { volumeSize: '200Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
      }],
      tags: { team: 'ml-platform' },
      kubelet: { maxPods: 110, systemReserved: { cpu: '100m', memory: '1Gi' } },
    },
  };
}

function rayContainer(name: string, cpu: string, memory: string, gpus?: number): any {
  const resources: any = { requests: { cpu, memory }, limits: { cpu, memory } };
  if (gpus) {
    resources.requests['nvidia.com/gpu'] = gpus;
    resources.limits['nvidia.com/gpu'] = gpus;
  }
  return {
    name,
    image: 'rayproject/ray-ml:2.46.0-gpu',
    resources,
    securityContext: restrictedContainerSecurity(),
  };
}

/** RayCluster spec with in-tree autoscaling (used by RayCluster, RayJob and RayService). */
export function rayClusterSpec(): any {
  return {
    rayVersion: '2.46.0',
    enableInTreeAutoscaling: true,
    autoscalerOptions: {
      upscalingMode: 'Default',
      idleTimeoutSeconds: 120,
      resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      securityContext: restrictedContainerSecurity(),
    },
    headGroupSpec: {
      serviceType: 'ClusterIP',
      rayStartParams: { 'dashboard-host': '0.0.0.0', 'num-cpus': '0' },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'ray-head' } },
        spec: {
          securityContext: restrictedPodSecurity(),
          containers: [{
            ...rayContainer('ray-head', '2', '8Gi'),
            ports: [{ name: 'gcs', containerPort: 6379 }, { name: 'dashboard', containerPort: 8265 }, { name: 'client', containerPort: 10001 }],
          }],
        },
      },
    },
    workerGroupSpecs: [{
      groupName: 'gpu-workers',
      replicas: 1,
      // minReplicas / maxReplicas left out on purpose: the CRD defaults them (0 / 2147483647).
      rayStartParams: {},
      template: {
        spec: {
          securityContext: restrictedPodSecurity(),
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [rayContainer('ray-worker', '8', '32Gi', 1)],
        },
      },
    }],
  };
}

export function rayCluster(): any {
  return { apiVersion: 'ray.io/v1', kind: 'RayCluster', metadata: { name: 'llm-batch', namespace: NAMESPACE }, spec: rayClusterSpec() };
}

export function rayJob(): any {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayJob',
    metadata: { name: 'fine-tune', namespace: NAMESPACE },
    spec: {
      entrypoint: 'python /app/train.py',
      shutdownAfterJobFinishes: true,
      ttlSecondsAfterFinished: 600,
      rayClusterSpec: rayClusterSpec(),
      submitterPodTemplate: {
        spec: {
          restartPolicy: 'Never',
          securityContext: restrictedPodSecurity(),
          containers: [{
            name: 'submitter',
            image: 'rayproject/ray:2.46.0',
            resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } },
            securityContext: restrictedContainerSecurity(),
          }],
        },
      },
    },
  };
}

export function rayService(): any {
  return {
    apiVersion: 'ray.io/v1',
    kind: 'RayService',
    metadata: { name: 'llm-serve', namespace: NAMESPACE },
    spec: {
      serveConfigV2: 'applications:\n  - name: llm\n    import_path: serve_app:app\n',
      rayClusterConfig: withServePort(rayClusterSpec()),
    },
  };
}

/** A RayService's head names Serve's port: KubeRay creates no Serve Service otherwise (common/service.go at v1.7.0). */
function withServePort(spec: any): any {
  spec.headGroupSpec.template.spec.containers[0].ports.push({ name: 'serve', containerPort: 8000 });
  return spec;
}

export function scaledObject(): any {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'llm-server', namespace: NAMESPACE },
    spec: {
      // Not llm-server, which the HPA fixture scales: KEDA's webhook refuses a ScaledObject on a workload an HPA has.
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-reranker' },
      minReplicaCount: 1,
      maxReplicaCount: 30,
      pollingInterval: 15,
      cooldownPeriod: 300,
      fallback: { failureThreshold: 3, replicas: 4 },
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 20, periodSeconds: 60 }] } },
        },
      },
      triggers: [{
        type: 'prometheus',
        metricType: 'AverageValue',
        metadata: {
          serverAddress: 'http://prometheus.monitoring.svc:9090',
          query: 'sum(rate(vllm_request_success_total{service="llm-server"}[1m]))',
          threshold: '10',
        },
      }],
    },
  };
}

export function scaledJob(): any {
  const j = job();
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledJob',
    metadata: { name: 'batch-embed', namespace: NAMESPACE },
    spec: {
      jobTargetRef: { template: j.spec.template, backoffLimit: 2 },
      maxReplicaCount: 10,
      // identityOwner operator: KEDA's own AWS credentials (without them or a TriggerAuthentication the scaler fails).
      triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL: 'https://sqs.us-east-1.amazonaws.com/123456789012/embed', queueLength: '5', awsRegion: 'us-east-1', identityOwner: 'operator' } }],
    },
  };
}

export function vpa(): any {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: 'llm-server', namespace: NAMESPACE },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-server' },
      updatePolicy: { updateMode: 'Off' },
      resourcePolicy: {
        containerPolicies: [{
          containerName: 'server',
          controlledResources: ['memory'],
          controlledValues: 'RequestsOnly',
          minAllowed: { memory: '8Gi' },
          maxAllowed: { memory: '64Gi' },
        }],
      },
    },
  };
}

export function serviceMonitor(): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'llm-server', namespace: NAMESPACE, labels: { release: 'kube-prometheus-stack' } },
    spec: {
      selector: { matchLabels: appLabels() },
      namespaceSelector: { matchNames: [NAMESPACE] },
      endpoints: [{ port: 'http', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
    },
  };
}

export function prometheusRule(): any {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'llm-server', namespace: NAMESPACE, labels: { release: 'kube-prometheus-stack' } },
    spec: {
      groups: [{
        name: 'llm-server.rules',
        interval: '30s',
        rules: [
          { record: 'llm:requests_waiting:avg', expr: 'avg(vllm:num_requests_waiting{service="llm-server"})' },
          {
            alert: 'LLMQueueBacklog',
            expr: 'llm:requests_waiting:avg > 10',
            for: '5m',
            labels: { severity: 'warning' },
            annotations: { summary: 'LLM request queue is backing up' },
          },
        ],
      }],
    },
  };
}

/** One of every fixture above. */
export function allValid(): any[] {
  return [
    deployment(), hpa(), pdb(), service(), job(), cronJob(), nodePool(), ec2NodeClass(), rayCluster(), rayJob(),
    rayService(), scaledObject(), scaledJob(), vpa(), serviceMonitor(), prometheusRule(),
  ];
}
