/**
 * The autoscalers of the app and what each one scales. A library autoscaler is known from its construct's typed
 * model: an HPA or ScaledObject is the `scalingOwner` of a library workload's footprint (matched by namespace, kind
 * and name, below the construct that reported the footprint), a VerticalAutoscaler reports its `targetRef` and
 * `controlledResources`. Only the autoscalers that no library construct accounts for are read from their JSON.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Footprint } from './footprint';
import { inNamespace, keyOf, objectKey, subjectOf } from './objects';
import { ScalingTargetRef } from '../../values/workload-footprint';

/** A resource an autoscaler scales on: pod-wide (`Resource`, KEDA cpu/memory) or one container's. */
export interface ScalesOn {
  readonly resource: string;
  readonly container?: string;
}

/** An HPA or ScaledObject of the app. */
export interface HorizontalOwner {
  readonly object: ApiObject;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly subject: IConstruct;
  readonly targetKey: string;
  /** `Deployment 'web'`, and its namespace if any. */
  readonly target: string;
  readonly scalesOn: ScalesOn[];
  /** Whether a library construct accounts for it (its facts are the typed model's; its JSON is not read). */
  readonly library: boolean;
}

/** A VerticalPodAutoscaler of the app. */
export interface VerticalOwner {
  readonly object: ApiObject;
  readonly name: string;
  readonly subject: IConstruct;
  readonly targetKey: string;
  /**
   * A library VPA's resources (`cpu`, `memory`) that it changes on some container of its target, [] when its update
   * mode is Off; undefined for a hand-written VPA, whose policies are read from its JSON.
   */
  readonly controlledResources?: string[];
}

/** A workload a library construct reported. */
export interface LibraryWorkload {
  readonly construct: IConstruct;
  readonly footprint: Footprint;
}

/** The library's VerticalAutoscaler, by shape (as pools are), so that one built with another copy of the library counts too. */
export interface LibraryVpa extends IConstruct {
  readonly vpa: ApiObject;
  readonly controlledResources: string[];
  readonly targetRef: ScalingTargetRef;
}

export function isLibraryVpa(c: IConstruct): c is LibraryVpa {
  const v = c as any;
  return ApiObject.isApiObject(v.vpa) && Array.isArray(v.controlledResources) && typeof v.targetRef === 'object' && v.targetRef !== null &&
    typeof v.targetRef.kind === 'string' && typeof v.targetRef.name === 'string';
}

/** `HorizontalPodAutoscaler 'web' (apps/web)`: an autoscaler as findings name it. */
export function describeOwner(o: { kind: string; name: string; subject: IConstruct }): string {
  return `${o.kind} '${o.name}' (${o.subject.node.path})`;
}

const HORIZONTAL_KINDS = new Set(['HorizontalPodAutoscaler', 'ScaledObject']);

/**
 * Every HPA, then every ScaledObject, in tree order. An object that is the scaling owner of a library workload (same
 * namespace, kind and name, and below the construct that reported the workload) is described from the footprint.
 */
export function horizontalOwners(hpas: ApiObject[], scaledObjects: ApiObject[], library: LibraryWorkload[],
  json: (o: ApiObject) => any): HorizontalOwner[] {
  const byOwnerKey = new Map<string, LibraryWorkload[]>();
  for (const w of library) {
    const scaler = w.footprint.scalingOwner;
    if (!scaler || !HORIZONTAL_KINDS.has(scaler.kind)) continue;
    const key = objectKey(w.footprint.target.namespace, scaler.kind, scaler.name);
    byOwnerKey.set(key, [...(byOwnerKey.get(key) ?? []), w]);
  }
  const out: HorizontalOwner[] = [];
  for (const o of [...hpas, ...scaledObjects]) {
    const scopes = byOwnerKey.has(keyOf(o)) ? new Set(o.node.scopes) : undefined;
    const w = scopes && byOwnerKey.get(keyOf(o))!.find(x => scopes.has(x.construct));
    out.push(w ? fromFootprint(o, w.footprint) : fromJson(o, json(o)));
  }
  return out;
}

function fromFootprint(o: ApiObject, f: Footprint): HorizontalOwner {
  const namespace = o.metadata.namespace ?? '';
  // The library scales on pod-wide resources only (an HPA `Resource` metric, a KEDA cpu/memory trigger without a container).
  const scalesOn = (f.scalingOwner?.scalesOnResources ?? []).map(resource => ({ resource }));
  return ownerOf(o, o.name, namespace, f.target.kind, f.target.name, scalesOn, true);
}

function fromJson(o: ApiObject, json: any): HorizontalOwner {
  const ref = json.spec?.scaleTargetRef ?? {};
  const scalesOn: ScalesOn[] = [];
  if (o.kind === 'HorizontalPodAutoscaler') {
    for (const m of json.spec?.metrics ?? []) {
      if (m.type === 'Resource' && m.resource?.name) scalesOn.push({ resource: m.resource.name });
      if (m.type === 'ContainerResource' && m.containerResource?.name) {
        scalesOn.push({ resource: m.containerResource.name, container: m.containerResource.container });
      }
    }
  } else {
    for (const t of json.spec?.triggers ?? []) {
      if (t.type === 'cpu' || t.type === 'memory') scalesOn.push({ resource: t.type, container: t.metadata?.containerName });
    }
  }
  return ownerOf(o, json.metadata?.name, json.metadata?.namespace ?? '', ref.kind ?? 'Deployment', ref.name, scalesOn, false);
}

function ownerOf(o: ApiObject, name: string, namespace: string, targetKind: string, targetName: string, scalesOn: ScalesOn[],
  library: boolean): HorizontalOwner {
  return {
    object: o,
    kind: o.kind,
    name,
    namespace,
    subject: subjectOf(o),
    targetKey: objectKey(namespace, targetKind, targetName),
    target: `${targetKind} '${targetName}'${inNamespace(namespace)}`,
    scalesOn,
    library,
  };
}

/** Every VPA in tree order: a library VerticalAutoscaler's from its typed model, any other from its JSON. */
export function verticalOwners(vpas: ApiObject[], library: Map<ApiObject, LibraryVpa>, json: (o: ApiObject) => any): VerticalOwner[] {
  return vpas.map(o => {
    const v = library.get(o);
    if (v) {
      return {
        object: o,
        name: o.name,
        subject: subjectOf(o),
        targetKey: objectKey(o.metadata.namespace, v.targetRef.kind, v.targetRef.name),
        controlledResources: v.controlledResources,
      };
    }
    const j = json(o);
    const ref = j.spec?.targetRef ?? {};
    return { object: o, name: j.metadata?.name, subject: subjectOf(o), targetKey: objectKey(j.metadata?.namespace, ref.kind, ref.name) };
  });
}
