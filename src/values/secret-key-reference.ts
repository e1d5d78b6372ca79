/**
 * One key of a Kubernetes Secret, read into a container's environment (`env[].valueFrom.secretKeyRef`): a Hugging
 * Face token for a gated model, an API key, a password. The value never appears in the manifest.
 *
 * The kubelet reads the Secret when it starts the pod, with its own credentials, so the pod needs no Role, no
 * RoleBinding and no service account token; the Secret must be in the pod's namespace.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
 */
export interface SecretKeyReference {
  /** Name of the Secret, in the pod's namespace (a DNS-1123 subdomain). */
  readonly secretName: string;
  /** The key of the Secret's data that holds the value: letters, digits, '-', '_' and '.', at most 253 characters. */
  readonly key: string;
  /**
   * Start the container even when the Secret or its key is missing (the variable is then unset).
   * @default false
   */
  readonly optional?: boolean;
}
