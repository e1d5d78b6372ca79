import { IConstruct } from 'constructs';
import { invalidProp } from '../common/errors';
import { isDns1123Label } from '../common/names';
import { checkDns1123Subdomain, checkOneOf, checkStringMap, checkStruct, checkText } from '../common/validate';

/** Who assumes an AWS role for KEDA's AWS scalers. */
export enum AwsIdentityOwner {
  /** The KEDA operator's own service account (IRSA or EKS Pod Identity of the operator). */
  KEDA = 'keda',
  /** The scaled workload's service account: KEDA assumes the workload's role. */
  WORKLOAD = 'workload',
}

/** Options for AWS pod identity. */
export interface AwsPodIdentityOptions {
  /**
   * A role for KEDA to assume, e.g. one that may read the queue's attributes. Only with `identityOwner: KEDA`:
   * KEDA's webhook refuses a roleArn when the workload owns the identity.
   * @default - the operator's own role (with `identityOwner: WORKLOAD`, the role of the workload's service account)
   */
  readonly roleArn?: string;
  /**
   * Whose identity KEDA uses.
   * @default AwsIdentityOwner.KEDA
   */
  readonly identityOwner?: AwsIdentityOwner;
}

/** Options for Azure workload identity. */
export interface AzureWorkloadIdentityOptions {
  /**
   * Client ID of the managed identity.
   * @default - the identity of the KEDA operator's service account
   */
  readonly identityId?: string;
}

/** A KEDA `TriggerAuthentication` spec, as the API spells it. @internal */
export interface TriggerAuthenticationSpec {
  readonly podIdentity?: { provider: string; roleArn?: string; identityOwner?: string; identityId?: string };
  readonly secretTargetRef?: Array<{ parameter: string; name: string; key: string }>;
}

/**
 * How a KEDA trigger authenticates: a cloud pod identity, or parameters read from an existing Secret.
 *
 * There is deliberately no way to put a password or an access key into a trigger: manifests end up in
 * git, in `kubectl get -o yaml`, and in every audit log. The construct that uses the credentials creates
 * the `TriggerAuthentication` and points its triggers at it.
 *
 * @see https://keda.sh/docs/latest/concepts/authentication/
 * @example
 * const sqsAuth = TriggerCredentials.awsPodIdentity({ roleArn: 'arn:aws:iam::123456789012:role/keda-sqs' });
 * const redisAuth = TriggerCredentials.fromSecret('redis-auth', { password: 'redis-password' });
 */
export class TriggerCredentials {
  /** AWS pod identity (EKS Pod Identity or IRSA): no keys anywhere. */
  public static awsPodIdentity(options: AwsPodIdentityOptions = {}): TriggerCredentials {
    const at = 'TriggerCredentials.awsPodIdentity';
    checkOptions(at, options);
    if (options.roleArn !== undefined) {
      const fix = 'give the ARN of the role KEDA assumes, e.g. "arn:aws:iam::123456789012:role/keda-sqs", or leave roleArn out';
      // IAM role ARNs: arn:<partition>:iam::<12-digit account>:role/<path and name of [\\w+=,.@-]>
      if (!/^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]{1,512}$/.test(checkText(at, 'roleArn', options.roleArn, fix, 2048))) {
        invalidProp(at, 'roleArn', options.roleArn, 'is not an IAM role ARN', fix);
      }
    }
    if (options.identityOwner !== undefined) {
      checkOneOf(at, 'identityOwner', options.identityOwner, Object.values(AwsIdentityOwner), 'use AwsIdentityOwner.KEDA or AwsIdentityOwner.WORKLOAD');
    }
    return new TriggerCredentials('AWS pod identity', {
      podIdentity: { provider: 'aws', roleArn: options.roleArn, identityOwner: options.identityOwner },
    }, 'aws');
  }

  /** Azure workload identity. */
  public static azureWorkloadIdentity(options: AzureWorkloadIdentityOptions = {}): TriggerCredentials {
    const at = 'TriggerCredentials.azureWorkloadIdentity';
    checkOptions(at, options);
    if (options.identityId !== undefined) {
      // triggerauthentication_webhook.go@v2.20.2 L163-L166: a given identityId must not be empty
      checkText(at, 'identityId', options.identityId, 'give the managed identity\'s client ID, or leave identityId out to use the KEDA operator\'s identity', 256);
    }
    return new TriggerCredentials('Azure workload identity', {
      podIdentity: { provider: 'azure-workload', identityId: options.identityId },
    }, 'azure');
  }

  /** GCP workload identity. */
  public static gcpWorkloadIdentity(): TriggerCredentials {
    return new TriggerCredentials('GCP workload identity', { podIdentity: { provider: 'gcp' } }, 'gcp');
  }

  /**
   * Parameters read from keys of an existing Secret, e.g. `{ password: 'redis-password' }`.
   * @param secretName the Secret, in the namespace of the scaled workload
   * @param parameters scaler parameter name to Secret key
   */
  public static fromSecret(secretName: string, parameters: { [parameter: string]: string }): TriggerCredentials {
    const at = 'TriggerCredentials.fromSecret';
    checkDns1123Subdomain(at, 'secretName', secretName, 'use the name of an existing Secret (lowercase letters, digits, \'-\' and \'.\')');
    const fix = 'map each scaler parameter (e.g. password) to a key of the Secret (letters, digits, \'-\', \'_\' and \'.\'), e.g. { password: \'redis-password\' }';
    const map = checkStringMap(at, 'parameters', parameters, fix, 64);
    if (Object.keys(map).length === 0) invalidProp(at, 'parameters', map, 'is empty', fix);
    for (const [parameter, key] of Object.entries(map)) {
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(parameter)) invalidProp(at, 'parameters', parameter, 'has a key that is not a scaler parameter name (letters and digits)', fix);
      // Secret data keys (IsConfigMapKey): at most 253 of [-._a-zA-Z0-9]
      if (!/^[-._a-zA-Z0-9]{1,253}$/.test(key) || key === '.' || key === '..') {
        invalidProp(at, `parameters.${parameter}`, key, 'is not a key a Secret can have (at most 253 letters, digits, \'-\', \'_\' and \'.\')', fix);
      }
    }
    return new TriggerCredentials(`Secret ${secretName}`, {
      secretTargetRef: Object.entries(map).map(([parameter, key]) => ({ parameter, name: secretName, key })),
    }, undefined, secretName);
  }

  private constructor(
    /** What the credentials are, in words. */
    public readonly description: string,
    private readonly spec: TriggerAuthenticationSpec,
    /** The cloud whose pod identity this is; undefined for Secret parameters. @internal */
    public readonly _cloud?: string,
    private readonly secretName?: string,
  ) {}

  /** The scaler parameters the Secret provides (empty for a pod identity). */
  public get parameters(): string[] {
    return (this.spec.secretTargetRef ?? []).map(r => r.parameter);
  }

  /** The TriggerAuthentication spec. @internal */
  public _spec(): TriggerAuthenticationSpec {
    return this.spec;
  }

  /** Checks the credentials; throws naming the construct and the prop. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    const identity = this.spec.podIdentity;
    // pkg/scaling/resolver/scale_resolvers.go@v2.20.2 L249-L264: an empty roleArn is still a roleArn to the resolver
    if (identity?.provider === 'aws' && identity.roleArn === '') {
      invalidProp(scope, `${prop}.roleArn`, '', 'is empty', 'give the ARN of the role KEDA assumes, or leave roleArn out');
    }
    // kedacore/keda v2.20.2 apis/keda/v1alpha1/triggerauthentication_webhook.go L175-L178 validateSpec()
    if (identity?.provider === 'aws' && identity.roleArn && identity.identityOwner === AwsIdentityOwner.WORKLOAD) {
      invalidProp(scope, `${prop}.roleArn`, identity.roleArn,
        'is set with identityOwner AwsIdentityOwner.WORKLOAD, and KEDA\'s TriggerAuthentication webhook refuses a roleArn unless KEDA is the identity owner',
        'remove roleArn (KEDA then assumes the role of the workload\'s service account, from its eks.amazonaws.com/role-arn annotation), ' +
        'or set identityOwner: AwsIdentityOwner.KEDA to have KEDA assume roleArn');
    }
    // triggerauthentication_webhook.go@v2.20.2 L163-L166: a given identityId must not be empty
    if (identity?.provider === 'azure-workload' && identity.identityId === '') {
      invalidProp(scope, `${prop}.identityId`, '', 'is empty, which KEDA\'s TriggerAuthentication webhook refuses',
        'give the managed identity\'s client ID, or leave identityId out to use the KEDA operator\'s identity');
    }
    if (this.secretName !== undefined) {
      if (!isDns1123Label(this.secretName) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(this.secretName)) {
        invalidProp(scope, `${prop}.secretName`, this.secretName, 'is not a valid Secret name', 'use the name of an existing Secret (lowercase letters, digits, \'-\' and \'.\')');
      }
      if (this.parameters.length === 0) {
        invalidProp(scope, `${prop}.parameters`, [], 'is empty', 'map at least one scaler parameter to a key of the Secret, e.g. { password: \'redis-password\' }');
      }
    }
  }
}

function checkOptions(at: string, options: unknown): void {
  checkStruct(at, 'options', options, 'give the options as an object of named fields, or leave them out', true);
}
