import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { onDemandPrices, pricesSource, PRICES_FILE, readOffer, repriced } from '../../scripts/refresh-aws-gpu-prices';
import { AWS_GPU_PRICES_AS_OF, AWS_GPU_PRICES_REGION, AWS_GPU_TYPES } from '../../src/planning/aws-gpu-prices';

const TYPES = AWS_GPU_TYPES.map(r => r[0]);
const LINUX = { operatingSystem: 'Linux', tenancy: 'Shared', preInstalledSw: 'NA', capacitystatus: 'Used', regionCode: 'us-east-1', marketoption: 'OnDemand' };

/** The SKUs of one type as the AWS bulk offer file lists them: the Linux on-demand one, and the look-alikes around it. */
function skus(type: string, i: number, usd: number): { sku: string; attributes: Record<string, string>; usd: number }[] {
  const variants: [string, Record<string, string>, number][] = [
    ['LINUX', {}, usd],
    ['WINDOWS', { operatingSystem: 'Windows' }, usd + 1],
    ['DEDICATED', { tenancy: 'Dedicated' }, usd + 2],
    ['SQLWEB', { preInstalledSw: 'SQL Web' }, usd + 3],
    ['UNUSED', { capacitystatus: 'UnusedCapacityReservation' }, usd + 4],
    ['BLOCK', { marketoption: 'CapacityBlock' }, usd + 5],
    ['OHIO', { regionCode: 'us-east-2' }, usd + 6],
  ];
  return variants.map(([kind, over, price]) => ({
    sku: `${kind}${i}`, attributes: { ...LINUX, ...over, instanceType: type, location: 'US East (N. Virginia)' }, usd: price,
  }));
}

function onDemandTerm(sku: string, usd: number) {
  return {
    [`${sku}.JRTCKXETXF`]: {
      offerTermCode: 'JRTCKXETXF',
      sku,
      effectiveDate: '2026-03-01T00:00:00Z',
      priceDimensions: {
        [`${sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: 'Hrs', description: 'on demand', pricePerUnit: { USD: usd.toFixed(10) } },
      },
    },
  };
}

/** A bulk offer file holding `types`, each priced at twice its catalog price. */
function bulkOffer(types: string[] = TYPES): any {
  const all = types.flatMap((t, i) => skus(t, i, 2 * AWS_GPU_TYPES.find(r => r[0] === t)![5]));
  return {
    formatVersion: 'v1.0',
    offerCode: 'AmazonEC2',
    publicationDate: '2026-03-04T18:20:11Z',
    products: Object.fromEntries(all.map(s => [s.sku, { sku: s.sku, productFamily: 'Compute Instance', attributes: s.attributes }])),
    terms: { OnDemand: Object.fromEntries(all.map(s => [s.sku, onDemandTerm(s.sku, s.usd)])), Reserved: {} },
  };
}

describe('refresh-aws-gpu-prices', () => {
  test('picks the Linux, shared-tenancy, no-software, used-capacity SKU of the region, and the date of the list', () => {
    const { prices, asOf } = onDemandPrices(bulkOffer(), TYPES, 'us-east-1');
    expect(asOf).toBe('2026-03-04');
    for (const [name, , , , , usd] of AWS_GPU_TYPES) expect(prices[name]).toBe(Math.round(2 * usd * 1e6) / 1e6);
  });

  test('reads `aws pricing get-products` output (PriceList of JSON strings) too', () => {
    const bulk = bulkOffer(['g6.xlarge']);
    // get-products keys an item's on-demand terms by term code (the bulk file by SKU, then term code).
    const items = Object.entries<any>(bulk.products).map(([sku, product]) =>
      JSON.stringify({ product, serviceCode: 'AmazonEC2', terms: { OnDemand: bulk.terms.OnDemand[sku] }, publicationDate: bulk.publicationDate }));
    expect(onDemandPrices({ PriceList: items }, ['g6.xlarge'], 'us-east-1').prices).toEqual({ 'g6.xlarge': 1.6096 });
  });

  test('refuses a price list that lacks a type of the catalog', () => {
    const offer = bulkOffer(TYPES.filter(t => t !== 'p5en.48xlarge' && t !== 'g6e.xlarge'));
    expect(() => onDemandPrices(offer, TYPES, 'us-east-1')).toThrow(
      'the price list has no on-demand Linux price in us-east-1 for g6e.xlarge, p5en.48xlarge: use the offer file of that region');
  });

  test('refuses a type whose only SKUs are look-alikes (another region, Windows, a capacity block)', () => {
    expect(() => onDemandPrices(bulkOffer(), TYPES, 'eu-west-1')).toThrow(/no on-demand Linux price in eu-west-1 for g5.xlarge, g5.2xlarge/);
  });

  test('refuses two Linux on-demand SKUs of one type with different prices, and a list without a date', () => {
    const offer = bulkOffer(['g5.xlarge']);
    offer.products.TWIN = { ...offer.products.LINUX0, sku: 'TWIN' };
    offer.terms.OnDemand.TWIN = onDemandTerm('TWIN', 9);
    expect(() => onDemandPrices(offer, ['g5.xlarge'], 'us-east-1')).toThrow('g5.xlarge has several on-demand Linux SKUs with different prices: LINUX0 $2.012, TWIN $9');
    expect(() => onDemandPrices({ ...bulkOffer(['g5.xlarge']), publicationDate: undefined }, ['g5.xlarge'], 'us-east-1')).toThrow(/no publicationDate/);
    expect(() => onDemandPrices({ offers: [] }, ['g5.xlarge'], 'us-east-1')).toThrow(/neither an AWS bulk offer file/);
  });

  test('writes the data file it reads: the current rows give the file as committed', () => {
    const same = Object.fromEntries(AWS_GPU_TYPES.map(r => [r[0], r[5]]));
    expect(pricesSource(repriced(AWS_GPU_TYPES, same), AWS_GPU_PRICES_REGION, AWS_GPU_PRICES_AS_OF)).toBe(fs.readFileSync(PRICES_FILE, 'utf8'));
  });

  test('the new source holds the new prices, region and date, each family cheapest first', () => {
    const prices = Object.fromEntries(AWS_GPU_TYPES.map(r => [r[0], r[0] === 'g5.xlarge' ? 99 : r[5]]));
    const source = pricesSource(repriced(AWS_GPU_TYPES, prices), 'us-west-2', '2026-03-04');
    expect(source).toContain("export const AWS_GPU_PRICES_REGION = 'us-west-2';");
    expect(source).toContain("export const AWS_GPU_PRICES_AS_OF = '2026-03-04';");
    expect(source).toContain("  ['g5.48xlarge', 'A10G', 8, 192, 768, 16.288],\n  ['g5.xlarge', 'A10G', 1, 4, 16, 99],\n  ['g6.xlarge',");
  });

  test('reads a price list file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'offer-')), 'index.json');
    fs.writeFileSync(file, JSON.stringify(bulkOffer(['g6.xlarge'])));
    expect(onDemandPrices(await readOffer(file), ['g6.xlarge'], 'us-east-1').prices).toEqual({ 'g6.xlarge': 1.6096 });
  });
});
