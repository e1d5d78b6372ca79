/**
 * The instance types of a hand-written Karpenter NodePool, read from its requirements: when they pin
 * `node.kubernetes.io/instance-type`, `karpenter.k8s.aws/instance-family` or `karpenter.k8s.aws/instance-gpu-name`
 * with `In` to values the library's catalogs know (`InstanceCatalog.awsGpu()`, then the design document's types), the
 * pool may launch exactly the catalog's types with those values, priced at the catalog's on-demand prices. A value the
 * catalogs do not know leaves the pool's types unknown (a price drawn from part of its types would not be a lower
 * bound), and is reported.
 */
import { allows, Requirement } from './requirements';
import { instanceTypeLabels, LABEL_GPU_NAME, LABEL_INSTANCE_TYPE } from '../../common/karpenter-labels';
import { InstanceCatalog, InstanceType } from '../../planning/instance-catalog';

const LABEL_FAMILY = 'karpenter.k8s.aws/instance-family';

/** The keys whose `In` values name instance types outright; any other instance label only narrows them. */
const PINNING_KEYS = [LABEL_INSTANCE_TYPE, LABEL_FAMILY, LABEL_GPU_NAME];

interface CatalogEntry {
  readonly type: InstanceType;
  readonly labels: Record<string, string>;
}

let catalog: CatalogEntry[] | undefined;

/** `InstanceCatalog.awsGpu()`, then the design document's types it does not have (g4dn, p3), built once. */
function entries(): CatalogEntry[] {
  if (!catalog) {
    const aws = InstanceCatalog.awsGpu().types;
    const names = new Set(aws.map(t => t.name));
    const all = [...aws, ...InstanceCatalog.designDocument().types.filter(t => !names.has(t.name))];
    catalog = all.map(type => ({ type, labels: instanceTypeLabels(type) }));
  }
  return catalog;
}

/** What the catalogs say of a pool's instance types. */
export interface CatalogTypes {
  /** The catalog's types the pool may launch; undefined when its requirements name no type or name one the catalogs lack. */
  readonly types?: InstanceType[];
  /** `key=value` of each pinned value the catalogs do not know (`node.kubernetes.io/instance-type=m7i.large`). */
  readonly unknown: string[];
}

/** The catalog types a NodePool's requirements (by normalized key) allow, when they pin the types with `In`. */
export function catalogTypesFor(requirements: Map<string, Requirement[]>): CatalogTypes {
  const all = entries();
  const unknown: string[] = [];
  let pinned = false;
  for (const key of PINNING_KEYS) {
    for (const r of requirements.get(key) ?? []) {
      if (r.operator !== 'In') continue;
      pinned = true;
      for (const v of r.values) if (!all.some(e => e.labels[key] === v)) unknown.push(`${key}=${v}`);
    }
  }
  if (!pinned || unknown.length > 0) return { unknown };
  // The other instance labels (size, GPU count, NotIn...) narrow these as for any pool (pools.ts, poolTypes).
  const types = all.filter(e => PINNING_KEYS.every(key => (requirements.get(key) ?? []).every(r => r.operator !== 'In' || allows(r, e.labels[key] ?? ''))))
    .map(e => e.type);
  return { types, unknown };
}
