import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SecretKeyReference } from './secret-key-reference';
import { invalidProp } from '../common/errors';
import {
  checkAbsolutePath, checkDns1123Subdomain, checkImage, checkNumber, checkOptionalWhole, checkPinnedImage, checkPlainEnv, checkSecretEnv, checkSize,
  checkString, checkStringList, checkStruct, Where,
} from '../common/validate';
import { StartupEstimate, TimeToCapacity } from '../planning/time-to-capacity';

/** Where a model server's weights come from. */
export enum ModelWeightsSource {
  /** A pre-populated PersistentVolumeClaim, mounted read-only. */
  VOLUME = 'volume',
  /** An object-store download by an init container into the pod's model cache. */
  DOWNLOAD = 'download',
  /** Streamed from object storage into GPU memory by the server (vLLM's Run:ai Model Streamer). */
  STREAM = 'stream',
}

/** Weights on a pre-populated PersistentVolumeClaim (`ModelWeights.fromVolume`). */
export interface ModelWeightsVolumeProps {
  /** The PersistentVolumeClaim that holds the weights, in the pod's namespace (ReadOnlyMany, or ReadWriteOnce on one node). */
  readonly claimName: string;
  /**
   * The directory of the model inside the volume, relative (e.g. `llama-3.1-70b-instruct`): no leading '/', no '..'.
   * @default - the volume's root
   */
  readonly path?: string;
  /**
   * Where the volume is mounted (read-only): an absolute path of its own, not `/tmp`, `/dev/shm` or the model cache.
   * @default '/model-weights'
   */
  readonly mountPath?: string;
  /**
   * The size of the weights the server reads.
   * @default - the sized weights on LargeModelServing (`ModelSizer`); unknown elsewhere
   */
  readonly size?: Size;
  /**
   * The rate a replica reads the weights from the volume, in MiB per second (e.g. 500), as the estimate's
   * `weightLoadMibPerSecond` and `imagePullMibPerSecond` count rates: the model load of the startup estimate becomes
   * size / rate.
   * @default - not known: give the estimate's `modelLoad`
   */
  readonly transferMibPerSecond?: number;
}

/** Weights downloaded from object storage by an init container (`ModelWeights.download`). */
export interface ModelWeightsDownloadProps {
  /** The object-store prefix of the model's files: `s3://bucket/prefix` or `gs://bucket/prefix`. */
  readonly uri: string;
  /**
   * The downloader's image, pinned to a version tag or a digest, with the command the default download runs on its
   * PATH: the AWS CLI (`aws s3 sync`, e.g. an `amazon/aws-cli` release) for `s3://`, the Google Cloud CLI
   * (`gcloud storage rsync`) for `gs://`, or the tool of `command`.
   */
  readonly image: string;
  /**
   * The download command, run as the init container's command; it must write the files to `ModelWeights.DOWNLOAD_DIR`
   * below the model cache (the default does).
   * @default - `aws s3 sync <uri> <cache>/weights --only-show-errors` (s3), `gcloud storage rsync --recursive <uri> <cache>/weights` (gs)
   */
  readonly command?: string[];
  /**
   * The ServiceAccount of the pods, for cloud identity without keys: IRSA or EKS Pod Identity (AWS), Workload Identity
   * (GKE). The pods still mount no Kubernetes API token; the identity webhooks project their own.
   * @default - none: the node's identity, or `secretEnv`
   */
  readonly serviceAccountName?: string;
  /**
   * Plain environment variables of the downloader (`AWS_REGION`, `AWS_ENDPOINT_URL`); credentials are refused here.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Credentials of the downloader from Secret keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), never inline.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * The size of the weights.
   * @default - the sized weights on LargeModelServing (`ModelSizer`); unknown elsewhere (the cache then has no size limit)
   */
  readonly size?: Size;
  /**
   * The download rate in MiB per second (e.g. 1024 for 1 GiB/s): the estimate's `weightDownload` becomes size / rate.
   * @default - not known: give the estimate's `weightDownload`
   */
  readonly transferMibPerSecond?: number;
  /**
   * Put the model cache on a generic ephemeral volume of this StorageClass (a PersistentVolumeClaim per pod, deleted
   * with it) instead of an emptyDir on the node's ephemeral storage. Needs the size of the weights.
   * @default - an emptyDir
   */
  readonly storageClassName?: string;
}

/** Weights streamed from object storage by the server (`ModelWeights.stream`). */
export interface ModelWeightsStreamProps {
  /** The object-store prefix of the model's safetensors files: `s3://bucket/prefix` or `gs://bucket/prefix`. */
  readonly uri: string;
  /**
   * The ServiceAccount of the pods (IRSA, EKS Pod Identity, GKE Workload Identity).
   * @default - none
   */
  readonly serviceAccountName?: string;
  /**
   * Plain environment variables of the server for the streamer (`AWS_REGION`, `AWS_ENDPOINT_URL`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Credentials from Secret keys, never inline.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyReference };
  /**
   * The size of the weights.
   * @default - the sized weights on LargeModelServing; unknown elsewhere
   */
  readonly size?: Size;
  /**
   * The streaming rate in MiB per second: the estimate's `modelLoad` becomes size / rate.
   * @default - not known: give the estimate's `modelLoad`
   */
  readonly transferMibPerSecond?: number;
  /**
   * Concurrent reads of the streamer (`--model-loader-extra-config {"concurrency": N}`), 1 to 1,024.
   * @default - the streamer's own
   */
  readonly concurrency?: number;
}

/** What a weights source sets on the model server's pod. @internal */
export interface ModelWeightsPodParts {
  /** The model's location the server loads. */
  readonly location: string;
  /** Arguments for the server after the model flag (vLLM's load format). */
  readonly extraArgs: string[];
  /** A read-only volume to mount. */
  readonly volume?: { readonly name: string; readonly path: string; readonly source: Record<string, unknown> };
  /** The init container, when the weights are downloaded. */
  readonly download?: { readonly image: string; readonly command: string[] };
  /** Environment of the container that reads the object store. */
  readonly env: { [name: string]: string };
  readonly secretEnv: { [name: string]: SecretKeyReference };
  readonly serviceAccountName?: string;
}

const WHERE = 'ModelWeights';
const URI = /^(s3|gs):\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/[^\s]*)?$/;
/** Environment names the library sets on the containers. */
const OWN_ENV = ['HOME', 'XDG_CACHE_HOME', 'HF_HOME', 'CLOUDSDK_CONFIG'];
const FIXES = {
  uri: 'give the object-store prefix of the model\'s files, e.g. \'s3://models/llama-3.1-70b-instruct\' or \'gs://models/llama\'',
  size: 'give the size of the weights, e.g. Size.gibibytes(140)',
  rate: 'give the rate in MiB per second, e.g. 500, or 1024 for 1 GiB/s',
} as const;
/** The largest size and rate the estimate turns into a time (1 PiB; 10,000,000 MiB per second, TimeToCapacity's). */
const MAX_SIZE_MIB = 1024 ** 3;

/**
 * Where a model server's weights come from: a pre-populated volume, an object-store download into the pod's model
 * cache, or a streaming loader. Give it to a model server (`ModelServerProps.modelWeights`) or a LargeModelServing
 * (`modelWeights`): the pod gets the volume, the mount, the init container and the server's model argument, and the
 * startup estimate gets the transfer time (size / transferMibPerSecond).
 *
 * - `fromVolume`: no transfer before the server starts; the server reads the weights at the volume's rate (modelLoad).
 * - `download`: an init container (restricted Pod Security, the server's own CPU and memory) copies the weights into
 *   the model cache before the server starts (weightDownload: before the startup probe's clock starts, but within the
 *   progress deadline and the lead time); the cache is sized weights x 1.1 + 2 GiB.
 * - `stream`: vLLM reads the safetensors files from the object store into GPU memory (`--load-format runai_streamer`,
 *   vLLM's Run:ai Model Streamer): no local copy, the transfer is the model load.
 *
 * Credentials never appear in the manifest: a ServiceAccount for the cloud's pod identity, or Secret keys.
 *
 * @see https://docs.vllm.ai/en/stable/models/extensions/runai_model_streamer/
 * @example
 * const weights = ModelWeights.download({
 *   uri: 's3://models/llama-3.1-70b-instruct',
 *   image: 'amazon/aws-cli:2.27.50',
 *   serviceAccountName: 'model-reader',
 *   transferMibPerSecond: 1024,
 * });
 */
export class ModelWeights {
  /** The directory below the model cache that a download writes the weights to: `weights`. */
  public static readonly DOWNLOAD_DIR = 'weights';
  /** Where a volume of weights is mounted unless told: `/model-weights`. */
  public static readonly DEFAULT_MOUNT_PATH = '/model-weights';

  /** Weights on a pre-populated PersistentVolumeClaim, mounted read-only. */
  public static fromVolume(props: ModelWeightsVolumeProps): ModelWeights {
    const where = `${WHERE}.fromVolume`;
    checkStruct(where, 'props', props, 'give { claimName } of the PersistentVolumeClaim that holds the weights');
    checkDns1123Subdomain(where, 'claimName', props.claimName, 'give the name of the PersistentVolumeClaim, e.g. \'llama-70b-weights\'');
    if (props.path !== undefined) {
      const fix = 'give the model\'s directory inside the volume, relative, e.g. \'llama-3.1-70b-instruct\'';
      const p = checkString(where, 'path', props.path, fix, 1024);
      if (p === '' || p.startsWith('/') || p.split('/').includes('..') || /[\s\u0000-\u001f\u007f]/.test(p)) {
        invalidProp(where, 'path', p, 'must be a relative path without \'..\', spaces or control characters', fix);
      }
    }
    if (props.mountPath !== undefined) checkAbsolutePath(where, 'mountPath', props.mountPath, 'mount it on a directory of its own, such as \'/model-weights\'');
    checkCommon(where, props.size, props.transferMibPerSecond);
    return new ModelWeights(ModelWeightsSource.VOLUME, props.size, props.transferMibPerSecond, { volume: props });
  }

  /** Weights downloaded from object storage by an init container into the pod's model cache. */
  public static download(props: ModelWeightsDownloadProps): ModelWeights {
    const where = `${WHERE}.download`;
    checkStruct(where, 'props', props, 'give { uri, image } at least');
    checkUri(where, props.uri);
    checkImage(where, 'image', props.image);
    checkPinnedImage(where, 'image', props.image, undefined, 'image');
    if (props.command !== undefined) checkStringList(where, 'command', props.command, 'give the command as a list of strings', { min: 1 });
    checkAccess(where, props);
    checkCommon(where, props.size, props.transferMibPerSecond);
    if (props.storageClassName !== undefined) {
      checkDns1123Subdomain(where, 'storageClassName', props.storageClassName, 'give the name of a StorageClass, e.g. \'gp3\'');
    }
    return new ModelWeights(ModelWeightsSource.DOWNLOAD, props.size, props.transferMibPerSecond, { download: props });
  }

  /** Weights streamed by vLLM from object storage into GPU memory (`--load-format runai_streamer`). */
  public static stream(props: ModelWeightsStreamProps): ModelWeights {
    const where = `${WHERE}.stream`;
    checkStruct(where, 'props', props, 'give { uri } at least');
    checkUri(where, props.uri);
    checkAccess(where, props);
    checkCommon(where, props.size, props.transferMibPerSecond);
    checkOptionalWhole(where, 'concurrency', props.concurrency, { min: 1, max: 1024 }, 'give the concurrent reads, e.g. 16, or leave it out');
    return new ModelWeights(ModelWeightsSource.STREAM, props.size, props.transferMibPerSecond, { stream: props });
  }

  /** The model cache a download needs for weights of this size: ceil(weights x 1.1 + 2 GiB), in whole GiB. @internal */
  public static _cacheSize(weights: Size): Size {
    return Size.gibibytes(Math.ceil(gib(weights) * 1.1 + 2));
  }

  /** Where the weights come from. */
  public readonly source: ModelWeightsSource;
  /**
   * The size of the weights, as given.
   * @default - not given
   */
  public readonly size?: Size;
  /**
   * The transfer rate in MiB per second, as given.
   * @default - not given
   */
  public readonly transferMibPerSecond?: number;

  private constructor(source: ModelWeightsSource, size: Size | undefined, transferMibPerSecond: number | undefined,
    private readonly props: { volume?: ModelWeightsVolumeProps; download?: ModelWeightsDownloadProps; stream?: ModelWeightsStreamProps }) {
    this.source = source;
    this.size = size;
    this.transferMibPerSecond = transferMibPerSecond;
  }

  /**
   * The time the transfer takes: size / transferMibPerSecond, rounded up to whole seconds (140 GiB at 1 GiB per second:
   * 140 s). For a download it is the estimate's `weightDownload`, for a volume or a stream its `modelLoad`.
   * @param weights the size of the weights when the source was given none (e.g. `ModelSizer.size(...).weights`)
   */
  public transferTime(weights?: Size): Duration {
    const where = `${WHERE}.transferTime`;
    if (weights !== undefined) checkSizeBounds(where, 'weights', weights, FIXES.size);
    const size = this.size ?? weights;
    if (size === undefined) invalidProp(where, 'weights', undefined, 'is missing, and the source was given no size', FIXES.size);
    if (this.transferMibPerSecond === undefined) {
      invalidProp(where, 'transferMibPerSecond', undefined, 'was not given to the source', `${FIXES.rate}, when making the ModelWeights`);
    }
    return transfer(where, size, this.transferMibPerSecond);
  }

  /** The size of the weights: as given, else the caller's (the sized weights). @internal */
  public _size(weights?: Size): Size | undefined {
    return this.size ?? weights;
  }

  /** The ephemeral volume's StorageClass of a download. @internal */
  public get _storageClassName(): string | undefined {
    return this.props.download?.storageClassName;
  }

  /**
   * The startup estimate with the transfer filled in: a download's `weightDownload`, a volume's or a stream's
   * `modelLoad`, from the size and rate when the estimate does not give it (giving both is an error).
   * @internal
   */
  public _estimate(where: IConstruct, prop: string, estimate: StartupEstimate, weights?: Size): StartupEstimate {
    checkStruct(where, prop, estimate, 'give { nodeProvisioning, imagePull, modelLoad, warmUp } as measured');
    const size = this._size(weights);
    const rate = this.transferMibPerSecond;
    const term = this.source === ModelWeightsSource.DOWNLOAD ? 'weightDownload' : 'modelLoad';
    const given = this.source === ModelWeightsSource.DOWNLOAD ? estimate.weightDownload
      : estimate.modelLoad ?? (estimate.weightLoadMibPerSecond !== undefined ? 'weightLoadMibPerSecond' : undefined);
    if (rate === undefined) {
      if (given === undefined) {
        invalidProp(where, `${prop}.${term}`, undefined, `is missing: the ${this.source} of the weights takes time`,
          `give ${term}, or transferMibPerSecond to ModelWeights.${this.factory()}`);
      }
      return estimate;
    }
    if (given !== undefined) {
      invalidProp(where, `${prop}.${given === 'weightLoadMibPerSecond' ? given : term}`, given,
        `is given together with the transferMibPerSecond of ModelWeights.${this.factory()}, which sets it`, 'give one of the two');
    }
    if (size === undefined) {
      invalidProp(where, 'modelWeights.size', undefined, `is missing: the ${term} of the estimate comes from size / transferMibPerSecond`, FIXES.size);
    }
    const time = transfer(where, size, rate);
    return { ...estimate, [term]: time };
  }

  /** The pod parts of the source, for a server whose model cache is at `cachePath`. @internal */
  public _podParts(cachePath: string): ModelWeightsPodParts {
    const v = this.props.volume;
    if (v) {
      const mountPath = v.mountPath ?? ModelWeights.DEFAULT_MOUNT_PATH;
      return {
        location: v.path ? `${mountPath.replace(/\/+$/, '')}/${v.path.replace(/\/+$/, '')}` : mountPath,
        extraArgs: [],
        volume: { name: 'model-weights', path: mountPath, source: { persistentVolumeClaim: { claimName: v.claimName, readOnly: true } } },
        env: {},
        secretEnv: {},
      };
    }
    const d = this.props.download;
    if (d) {
      const target = `${cachePath}/${ModelWeights.DOWNLOAD_DIR}`;
      const command = d.command ?? (d.uri.startsWith('s3://')
        ? ['aws', 's3', 'sync', d.uri, target, '--only-show-errors']
        : ['gcloud', 'storage', 'rsync', '--recursive', d.uri, target]);
      return {
        location: target,
        extraArgs: [],
        download: { image: d.image, command },
        env: { ...d.env },
        secretEnv: { ...d.secretEnv },
        ...(d.serviceAccountName !== undefined ? { serviceAccountName: d.serviceAccountName } : {}),
      };
    }
    const s = this.props.stream!;
    return {
      location: s.uri,
      extraArgs: ['--load-format', 'runai_streamer',
        ...(s.concurrency !== undefined ? ['--model-loader-extra-config', JSON.stringify({ concurrency: s.concurrency })] : [])],
      env: { ...s.env },
      secretEnv: { ...s.secretEnv },
      ...(s.serviceAccountName !== undefined ? { serviceAccountName: s.serviceAccountName } : {}),
    };
  }

  private factory(): string {
    return this.source === ModelWeightsSource.VOLUME ? 'fromVolume' : this.source;
  }
}

function gib(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024 / 1024;
}

function checkSizeBounds(where: Where, prop: string, value: unknown, fix: string): Size {
  const size = checkSize(where, prop, value, fix);
  const mib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024;
  if (!(mib > 0 && mib <= MAX_SIZE_MIB)) invalidProp(where, prop, size, 'must be above zero and at most 1 PiB', fix);
  return size;
}

function checkCommon(where: string, size: unknown, mibPerSecond: unknown): void {
  if (size !== undefined) checkSizeBounds(where, 'size', size, FIXES.size);
  if (mibPerSecond !== undefined) {
    checkNumber(where, 'transferMibPerSecond', mibPerSecond, { min: 0, minExclusive: true, max: TimeToCapacity.MAX_MIB_PER_SECOND }, FIXES.rate);
  }
}

function checkUri(where: string, uri: unknown): void {
  const s = checkString(where, 'uri', uri, FIXES.uri, 2048);
  if (!URI.test(s)) invalidProp(where, 'uri', s, 'is not an s3:// or gs:// prefix (a bucket name of lowercase letters, digits, \'.\', \'-\' and \'_\', then a path without spaces)', FIXES.uri);
}

function checkAccess(where: string, props: { serviceAccountName?: unknown; env?: unknown; secretEnv?: unknown }): void {
  if (props.serviceAccountName !== undefined) {
    checkDns1123Subdomain(where, 'serviceAccountName', props.serviceAccountName, 'give the name of the ServiceAccount bound to the cloud role, e.g. \'model-reader\'');
  }
  const env = props.env === undefined ? undefined : checkPlainEnv(where, 'env', props.env, 'secretEnv', OWN_ENV);
  if (props.secretEnv !== undefined) checkSecretEnv(where, 'secretEnv', props.secretEnv, { envProp: 'env', env, reserved: OWN_ENV });
}

/** size / rate, whole seconds rounded up, at most 24 hours. */
function transfer(where: Where, size: Size, mibPerSecond: number): Duration {
  const seconds = Math.ceil(size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) / 1024 / mibPerSecond - 1e-9);
  if (!(seconds <= 24 * 3600)) {
    invalidProp(where, 'transferMibPerSecond', mibPerSecond, `moves ${size.asString()} in ${seconds} s, above 24 hours`, 'check the size and the rate per second');
  }
  return Duration.seconds(seconds);
}
