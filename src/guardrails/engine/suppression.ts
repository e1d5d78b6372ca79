/**
 * Suppressions: one rule switched off for one construct and everything below it, with a reason. The reason is
 * kept as construct metadata (what the checks read) and written as an annotation on every ApiObject below the
 * construct (what reviewers of the manifests see), in the spirit of cdk-nag.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Metadata type of a suppression entry (`{ rule, reason }`). */
export const SUPPRESSION_METADATA = 'cdk8s-ml-scaling/guardrail-suppression';

/** Annotation prefix: a DNS subdomain; the rule id (at most 25 characters) is the name part. */
export const ANNOTATION_PREFIX = 'guardrails.cdk8s-ml-scaling.io';

export function annotationKey(rule: string): string {
  return `${ANNOTATION_PREFIX}/${rule}`;
}

/** A suppression in force: where it was declared and why. */
export interface Suppression {
  readonly at: IConstruct;
  readonly rule: string;
  readonly reason: string;
}

/** The suppressions declared on this construct itself, by rule (the last one for a rule wins). */
export function suppressionsOn(construct: IConstruct): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of construct.node.metadata) {
    if (entry.type === SUPPRESSION_METADATA) out.set(entry.data.rule, entry.data.reason);
  }
  return out;
}

/** The nearest suppression of `rule` on the construct or a scope of it. */
export function nearestSuppression(construct: IConstruct, rule: string): Suppression | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const reason = suppressionsOn(scopes[i]).get(rule);
    if (reason !== undefined) return { at: scopes[i], rule, reason };
  }
  return undefined;
}

const annotating = new WeakSet<IConstruct>();

/** Records a suppression and annotates the ApiObjects below the construct, now and again at synth for later ones. */
export function addSuppression(construct: IConstruct, rule: string, reason: string): void {
  construct.node.addMetadata(SUPPRESSION_METADATA, { rule, reason });
  annotate(construct);
  if (!annotating.has(construct)) {
    annotating.add(construct);
    // Runs before the manifests are written (cdk8s validates first), so objects added after suppress() carry it too.
    construct.node.addValidation({ validate: () => { annotate(construct); return []; } });
  }
}

function annotate(construct: IConstruct): void {
  const rules = [...suppressionsOn(construct).keys()];
  for (const c of construct.node.findAll()) {
    if (!(c instanceof ApiObject)) continue;
    for (const rule of rules) {
      // A nearer suppression of the same rule gives the object its own reason.
      const nearest = nearestSuppression(c, rule)!;
      c.metadata.addAnnotation(annotationKey(rule), nearest.reason);
    }
  }
}
