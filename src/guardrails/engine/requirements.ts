/** Karpenter node selector requirements of a pool, and whether one lets a node carry a label value. */

/** One node selector requirement of a pool (`In` for template labels and declarations). */
export interface Requirement {
  readonly operator: string;
  readonly values: string[];
}

/** Whether a requirement lets a node carry `key=value`. */
export function allows(r: Requirement, value: string): boolean {
  switch (r.operator) {
    case 'In': return r.values.includes(value);
    case 'NotIn': return !r.values.includes(value);
    case 'Exists': return true;
    case 'DoesNotExist': return false;
    case 'Gt': return /^-?\d+$/.test(value) && Number(value) > Number(r.values[0]);
    case 'Lt': return /^-?\d+$/.test(value) && Number(value) < Number(r.values[0]);
    default: return false;
  }
}
