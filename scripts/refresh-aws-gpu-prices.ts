/**
 * Refreshes the on-demand prices of `InstanceCatalog.awsGpu()` (src/planning/aws-gpu-prices.ts) from an AWS price list.
 *
 * Usage: `node -r ts-node/register/transpile-only scripts/refresh-aws-gpu-prices.ts <offer.json> [--region us-east-1]`
 *
 * `offer.json` is either
 * - the AWS Price List bulk offer file of EC2 for the region:
 *   `curl -o offer.json https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.json`
 *   (Node's JSON.parse reads at most about 512 MiB and the whole us-east-1 file is larger: cut it down to the GPU
 *   types first), or
 * - the output of `aws pricing get-products --region us-east-1 --service-code AmazonEC2 --filters
 *   Type=TERM_MATCH,Field=regionCode,Value=us-east-1 Type=TERM_MATCH,Field=operatingSystem,Value=Linux
 *   Type=TERM_MATCH,Field=tenancy,Value=Shared Type=TERM_MATCH,Field=preInstalledSw,Value=NA
 *   Type=TERM_MATCH,Field=capacitystatus,Value=Used > offer.json` (every Linux on-demand type of the region, tens of MB).
 *
 * The price of a type is the hourly on-demand price of its one SKU with Linux, shared tenancy, no pre-installed
 * software and used capacity (not a capacity reservation or block) in the region. The file keeps its shapes (GPUs,
 * vCPUs, memory) and takes the prices, the region and the date of the price list (its `publicationDate`); a price
 * list that lacks a type of the catalog is refused, so the catalog never mixes dates.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AWS_GPU_PRICES_AS_OF, AWS_GPU_PRICES_REGION, AWS_GPU_TYPES, AwsGpuRow } from '../src/planning/aws-gpu-prices';

/** The data file this script writes. */
export const PRICES_FILE = path.join(__dirname, '..', 'src', 'planning', 'aws-gpu-prices.ts');

/** One product of a price list, with its on-demand terms, whichever format it came in. */
interface Product {
  readonly sku: string;
  readonly productFamily?: string;
  readonly attributes: Record<string, string>;
  readonly onDemand: Record<string, any>;
}

/** The prices a price list gives the types, and the date of the list. */
export interface OfferPrices {
  /** US dollars per hour by instance type, to the micro-dollar. */
  readonly prices: Record<string, number>;
  /** The price list's publication date, YYYY-MM-DD. */
  readonly asOf: string;
}

/** The products and the publication date of a bulk offer file or of `aws pricing get-products` output. */
function productsOf(offer: any): { products: Product[]; publicationDate?: string } {
  if (offer === null || typeof offer !== 'object') throw new Error('the price list is not a JSON object');
  if (Array.isArray(offer.PriceList)) {
    // `aws pricing get-products`: each item is a JSON string (or, from some tools, an object) of product and terms.
    const items = offer.PriceList.map((i: unknown) => (typeof i === 'string' ? JSON.parse(i) : i));
    return {
      products: items.map((i: any) => ({
        // get-products keys an item's on-demand terms by term code; the bulk file keys them by SKU, then term code.
        sku: i.product?.sku,
        productFamily: i.product?.productFamily,
        attributes: i.product?.attributes ?? {},
        onDemand: { [i.product?.sku]: i.terms?.OnDemand ?? {} },
      })),
      publicationDate: items.map((i: any) => i.publicationDate).filter(Boolean).sort().pop(),
    };
  }
  if (offer.products && typeof offer.products === 'object') {
    const onDemand = offer.terms?.OnDemand ?? {};
    return {
      products: Object.entries<any>(offer.products).map(([sku, p]) => ({
        sku, productFamily: p.productFamily, attributes: p.attributes ?? {}, onDemand: { [sku]: onDemand[sku] ?? {} },
      })),
      publicationDate: offer.publicationDate,
    };
  }
  throw new Error('the price list is neither an AWS bulk offer file (products, terms) nor `aws pricing get-products` output (PriceList)');
}

/** Whether a product is the one an on-demand Linux node of the region runs on. */
function isLinuxOnDemand(p: Product, region: string): boolean {
  const a = p.attributes;
  return (p.productFamily === undefined || p.productFamily === 'Compute Instance')
    && a.operatingSystem === 'Linux'
    && a.tenancy === 'Shared'
    && a.preInstalledSw === 'NA'
    && a.capacitystatus === 'Used'
    // Newer lists also hold Capacity Blocks of the same types.
    && (a.marketoption === undefined || a.marketoption === 'OnDemand')
    // A regional offer file may leave the region out; the global one names it.
    && (a.regionCode === undefined || a.regionCode === region);
}

/** The hourly USD price of a product's on-demand terms, or undefined without one. */
function hourlyUsd(p: Product): number | undefined {
  const prices: number[] = [];
  for (const term of Object.values<any>(p.onDemand[p.sku] ?? {})) {
    for (const d of Object.values<any>(term?.priceDimensions ?? {})) {
      if (d?.unit !== 'Hrs' || typeof d.pricePerUnit?.USD !== 'string') continue;
      prices.push(Number(d.pricePerUnit.USD));
    }
  }
  const distinct = [...new Set(prices)];
  if (distinct.length > 1) throw new Error(`SKU ${p.sku} has several hourly on-demand prices (${distinct.join(', ')})`);
  return distinct[0];
}

/**
 * The on-demand prices of `types` in a price list (a parsed bulk offer file or `aws pricing get-products` output).
 * Throws when a type has no price, or several, or the list has no publication date.
 */
export function onDemandPrices(offer: unknown, types: readonly string[], region: string): OfferPrices {
  const { products, publicationDate } = productsOf(offer);
  if (typeof publicationDate !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(publicationDate)) {
    throw new Error(`the price list has no publicationDate (got ${JSON.stringify(publicationDate)}): the catalog states the date of its prices`);
  }
  const wanted = new Set(types);
  const found = new Map<string, { sku: string; usd: number }[]>();
  for (const p of products) {
    const type = p.attributes.instanceType;
    if (!wanted.has(type) || !isLinuxOnDemand(p, region)) continue;
    const usd = hourlyUsd(p);
    if (usd === undefined) continue;
    found.set(type, [...(found.get(type) ?? []), { sku: p.sku, usd }]);
  }
  const missing = types.filter(t => !found.has(t));
  if (missing.length > 0) {
    throw new Error(`the price list has no on-demand Linux price in ${region} for ${missing.join(', ')}: `
      + 'use the offer file of that region (or get-products output filtered to it) with every type of the catalog, '
      + 'or take the types AWS no longer sells out of src/planning/aws-gpu-prices.ts');
  }
  const prices: Record<string, number> = {};
  for (const type of types) {
    const skus = found.get(type)!;
    const usd = [...new Set(skus.map(s => s.usd))];
    if (usd.length > 1) throw new Error(`${type} has several on-demand Linux SKUs with different prices: ${skus.map(s => `${s.sku} $${s.usd}`).join(', ')}`);
    if (!(usd[0] > 0) || !Number.isFinite(usd[0])) throw new Error(`${type} has the price ${usd[0]} (SKU ${skus[0].sku}): a price must be above zero`);
    // The library holds prices in whole micro-dollars.
    prices[type] = Math.round(usd[0] * 1e6) / 1e6;
  }
  return { prices, asOf: publicationDate.slice(0, 10) };
}

/** The source of src/planning/aws-gpu-prices.ts for these rows, region and date (the file's header kept as it is). */
export function pricesSource(rows: readonly AwsGpuRow[], region: string, asOf: string): string {
  const current = fs.readFileSync(PRICES_FILE, 'utf8');
  const header = current.slice(0, current.indexOf('/** The region whose on-demand prices'));
  const row = ([name, gpu, gpus, vcpus, memoryGib, usd]: AwsGpuRow) =>
    `  [${[name, gpu].map(s => `'${s}'`).join(', ')}, ${gpus}, ${vcpus}, ${memoryGib}, ${usd}],`;
  return `${header}/** The region whose on-demand prices the rows hold. */
export const AWS_GPU_PRICES_REGION = '${region}';

/** The publication date (YYYY-MM-DD) of the AWS price list the prices come from. */
export const AWS_GPU_PRICES_AS_OF = '${asOf}';

/** The \`GpuProduct\` constant of a row's GPU. */
export type AwsGpuModel = 'A10G' | 'L4' | 'L40S' | 'A100' | 'A100_80GB' | 'H100' | 'H200';

/** Instance type, GPU, GPUs, vCPUs, memory in GiB, on-demand US dollars per hour. */
export type AwsGpuRow = readonly [name: string, gpu: AwsGpuModel, gpus: number, vcpus: number, memoryGib: number, usdPerHour: number];

/** By family, cheapest first within a family. */
export const AWS_GPU_TYPES: readonly AwsGpuRow[] = [
${rows.map(row).join('\n')}
];
`;
}

/** The rows with the new prices, each family cheapest first (the order `InstanceCatalog.awsGpu()` keeps). */
export function repriced(rows: readonly AwsGpuRow[], prices: Record<string, number>): AwsGpuRow[] {
  const family = (name: string) => name.split('.')[0];
  const families = [...new Set(rows.map(r => family(r[0])))];
  const out = rows.map(([name, gpu, gpus, vcpus, memoryGib]) => [name, gpu, gpus, vcpus, memoryGib, prices[name]] as const);
  return families.flatMap(f => out.filter(r => family(r[0]) === f).sort((a, b) => a[5] - b[5] || a[2] - b[2] || a[3] - b[3]));
}

/**
 * Reads a price list. Node reads JSON of at most about 512 MiB; the bulk offer file of us-east-1 is several GiB, so a
 * larger file is refused with the command that gives the same prices in a few MB.
 */
export async function readOffer(file: string, maxParsedBytes = 500 * 2 ** 20): Promise<unknown> {
  const bytes = fs.statSync(file).size;
  if (bytes > maxParsedBytes) {
    throw new Error(`${file} is ${Math.round(bytes / 2 ** 20)} MiB, more than Node's JSON.parse reads: give the output of `
      + '`aws pricing get-products` filtered as the header of scripts/refresh-aws-gpu-prices.ts shows (the same prices, tens of MB), '
      + 'or the offer file cut down to the GPU types');
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

async function main(argv: string[]): Promise<void> {
  const args = [...argv];
  const at = args.indexOf('--region');
  const region = at >= 0 ? args.splice(at, 2)[1] : AWS_GPU_PRICES_REGION;
  if (args.length !== 1 || !region) {
    throw new Error('usage: node -r ts-node/register/transpile-only scripts/refresh-aws-gpu-prices.ts <offer.json> [--region us-east-1]');
  }
  const { prices, asOf } = onDemandPrices(await readOffer(args[0]), AWS_GPU_TYPES.map(r => r[0]), region);
  const rows = repriced(AWS_GPU_TYPES, prices);
  for (const [name, , , , , before] of AWS_GPU_TYPES) {
    if (prices[name] !== before) console.log(`${name}: $${before} -> $${prices[name]} per hour`);
  }
  fs.writeFileSync(PRICES_FILE, pricesSource(rows, region, asOf));
  console.log(`${path.relative(process.cwd(), PRICES_FILE)}: ${rows.length} types, ${region}, `
    + `price list of ${asOf} (was ${AWS_GPU_PRICES_REGION}, ${AWS_GPU_PRICES_AS_OF})`);
  console.log('now update the date and region in the doc comments of InstanceCatalog (src/planning/instance-catalog.ts) and the README\'s '
    + 'table of the AWS GPU catalog (test/planning/instance-catalog.test.ts checks the README against the data)');
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`refresh-aws-gpu-prices: ${e.message}`);
    process.exit(1);
  });
}
