/**
 * The synthesized JSON one guardrail pass reads: objects a user wrote by hand, and the few facts of library objects
 * that no typed model carries (a Ray head's Service, a ScaledObject's HPA name). Each object is turned into JSON at
 * most once per pass; the cache belongs to the pass and dies with it, and no object is changed by it.
 */
import { ApiObject } from 'cdk8s';

export class JsonCache {
  private readonly byObject = new Map<ApiObject, any>();

  /** `object.toJson()`, computed once per pass. The result is shared between rules: never mutate it. */
  public of(object: ApiObject): any {
    let json = this.byObject.get(object);
    if (json === undefined) {
      json = object.toJson();
      this.byObject.set(object, json);
    }
    return json;
  }

  /** How many objects the pass turned into JSON. */
  public get size(): number {
    return this.byObject.size;
  }
}
