import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A Kubernetes DNS-1123 label: what Services, and every name that ends up in a label value, must be. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** A Kubernetes DNS-1123 subdomain: what most object names (PriorityClasses, NodePools, ...) must be. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** Fails construction when a user-given object name is not a DNS-1123 label. */
export function requireDns1123Label(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined) return;
  if (!isDns1123Label(name)) {
    invalidProp(scope, prop, name, 'is not a DNS-1123 label (at most 63 characters: lowercase letters, digits and \'-\', starting and ending with a letter or digit)',
      `use a name such as "${suggestName(name)}"`);
  }
}

/** A best-effort DNS-1123 spelling of a name, for error messages. */
export function suggestName(name: string): string {
  const s = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return s || 'my-service';
}
