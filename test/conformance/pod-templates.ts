/**
 * Finds every pod template in a manifest: a Pod's own spec, and any `template` /
 * `*Template` field holding `{ metadata?, spec: { containers: [...] } }` (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job, CronJob's jobTemplate.spec.template, PodTemplate,
 * KubeRay head/worker group templates and submitterPodTemplate, KEDA ScaledJob, ...).
 */

export interface ContainerRef {
  /** Dotted path of the container from the object root, e.g. `spec.template.spec.containers[0]`. */
  readonly path: string;
  readonly container: Record<string, any>;
  /** Set for containers an operator adds at runtime (not present in the manifest). */
  readonly injectedBy?: string;
}

export interface PodTemplateRef {
  /** Dotted path of the template from the object root, e.g. `spec.template` ('' for a Pod). */
  readonly path: string;
  readonly metadata: Record<string, any>;
  readonly spec: Record<string, any>;
  /** Containers an operator will add to pods made from this template. */
  readonly injected: ContainerRef[];
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function isRecord(v: unknown): v is Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

export function findPodTemplates(obj: unknown): PodTemplateRef[] {
  if (!isRecord(obj)) return [];
  if (obj.kind === 'Pod' && isRecord(obj.spec)) {
    return [{ path: '', metadata: isRecord(obj.metadata) ? obj.metadata : {}, spec: obj.spec, injected: [] }];
  }
  const found: PodTemplateRef[] = [];
  const injectedByTemplate = new Map<unknown, ContainerRef[]>();
  const visit = (node: unknown, path: string, key: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, joinPath(path, i), key));
      return;
    }
    if (!isRecord(node)) return;
    if (/template$/i.test(key) && isRecord(node.spec) && Array.isArray(node.spec.containers)) {
      found.push({
        path,
        metadata: isRecord(node.metadata) ? node.metadata : {},
        spec: node.spec,
        injected: injectedByTemplate.get(node) ?? [],
      });
      return; // a pod template holds no further pod templates
    }
    noteKubeRayAutoscaler(node, path, injectedByTemplate);
    for (const [k, v] of Object.entries(node)) {
      if (path === '' && (k === 'metadata' || k === 'status')) continue;
      visit(v, joinPath(path, k), k);
    }
  };
  visit(obj, '', '');
  return found;
}

/**
 * KubeRay adds an `autoscaler` sidecar to the head pod when in-tree autoscaling is on; its
 * securityContext comes only from spec.autoscalerOptions.securityContext, so Pod Security
 * admission judges that field too (the head pod is rejected without it).
 */
function noteKubeRayAutoscaler(node: Record<string, any>, path: string, into: Map<unknown, ContainerRef[]>): void {
  if (node.enableInTreeAutoscaling !== true || !isRecord(node.headGroupSpec) || !isRecord(node.headGroupSpec.template)) return;
  const options = isRecord(node.autoscalerOptions) ? node.autoscalerOptions : {};
  const container: Record<string, any> = { name: 'autoscaler' };
  if (options.securityContext !== undefined) container.securityContext = options.securityContext;
  into.set(node.headGroupSpec.template, [{
    path: joinPath(joinPath(path, 'autoscalerOptions'), 'securityContext'),
    container,
    injectedBy: 'KubeRay (enableInTreeAutoscaling)',
  }]);
}

/** All containers of a pod spec (init, regular, ephemeral) plus operator-injected ones. */
export function containersOf(template: PodTemplateRef): ContainerRef[] {
  const specPath = joinPath(template.path, 'spec');
  const out: ContainerRef[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = template.spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (isRecord(c)) out.push({ path: joinPath(joinPath(specPath, list), i), container: c });
    });
  }
  return out.concat(template.injected);
}
