/**
 * The EC2 GPU instance types of `InstanceCatalog.awsGpu()`, one row per type: shape as AWS documents it, and the
 * on-demand price (Linux, shared tenancy, no pre-installed software) of one region's price list.
 *
 * Written by scripts/refresh-aws-gpu-prices.ts, which rewrites the prices, the region and the date and keeps the
 * shapes: edit a shape (or add a row) here by hand, then refresh. Data only.
 */

/** The region whose on-demand prices the rows hold. */
export const AWS_GPU_PRICES_REGION = 'us-east-1';

/** The publication date (YYYY-MM-DD) of the AWS price list the prices come from. */
export const AWS_GPU_PRICES_AS_OF = '2026-01-19';

/** The `GpuProduct` constant of a row's GPU. */
export type AwsGpuModel = 'A10G' | 'L4' | 'L40S' | 'A100' | 'A100_80GB' | 'H100' | 'H200';

/** Instance type, GPU, GPUs, vCPUs, memory in GiB, on-demand US dollars per hour. */
export type AwsGpuRow = readonly [name: string, gpu: AwsGpuModel, gpus: number, vcpus: number, memoryGib: number, usdPerHour: number];

/** By family, cheapest first within a family. */
export const AWS_GPU_TYPES: readonly AwsGpuRow[] = [
  ['g5.xlarge', 'A10G', 1, 4, 16, 1.006],
  ['g5.2xlarge', 'A10G', 1, 8, 32, 1.212],
  ['g5.4xlarge', 'A10G', 1, 16, 64, 1.624],
  ['g5.8xlarge', 'A10G', 1, 32, 128, 2.448],
  ['g5.16xlarge', 'A10G', 1, 64, 256, 4.096],
  ['g5.12xlarge', 'A10G', 4, 48, 192, 5.672],
  ['g5.24xlarge', 'A10G', 4, 96, 384, 8.144],
  ['g5.48xlarge', 'A10G', 8, 192, 768, 16.288],
  ['g6.xlarge', 'L4', 1, 4, 16, 0.8048],
  ['g6.2xlarge', 'L4', 1, 8, 32, 0.9776],
  ['g6.4xlarge', 'L4', 1, 16, 64, 1.3232],
  ['g6.8xlarge', 'L4', 1, 32, 128, 2.0144],
  ['g6.16xlarge', 'L4', 1, 64, 256, 3.3968],
  ['g6.12xlarge', 'L4', 4, 48, 192, 4.6016],
  ['g6.24xlarge', 'L4', 4, 96, 384, 6.6752],
  ['g6.48xlarge', 'L4', 8, 192, 768, 13.3504],
  ['g6e.xlarge', 'L40S', 1, 4, 32, 1.861],
  ['g6e.2xlarge', 'L40S', 1, 8, 64, 2.24208],
  ['g6e.4xlarge', 'L40S', 1, 16, 128, 3.00424],
  ['g6e.8xlarge', 'L40S', 1, 32, 256, 4.52856],
  ['g6e.16xlarge', 'L40S', 1, 64, 512, 7.57719],
  ['g6e.12xlarge', 'L40S', 4, 48, 384, 10.49264],
  ['g6e.24xlarge', 'L40S', 4, 96, 768, 15.06559],
  ['g6e.48xlarge', 'L40S', 8, 192, 1536, 30.13118],
  ['p4d.24xlarge', 'A100', 8, 96, 1152, 21.957642],
  ['p4de.24xlarge', 'A100_80GB', 8, 96, 1152, 27.44705],
  ['p5.48xlarge', 'H100', 8, 192, 2048, 55.04],
  ['p5en.48xlarge', 'H200', 8, 192, 2048, 63.296],
];
