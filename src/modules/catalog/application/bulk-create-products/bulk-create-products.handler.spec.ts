import { NewProductDetails } from '../../domain/product';
import { batchViolations } from './bulk-create-products.handler';

function product(n: number, overrides: Partial<NewProductDetails> = {}): NewProductDetails {
  return {
    sku: `SKU-${n}`,
    name: `Product ${n}`,
    description: '',
    category: 'test',
    price: { amount: 100 + n, currency: 'EUR' },
    ...overrides,
  };
}

describe(batchViolations.name, () => {
  it('accepts 1 to 1,000 valid products', () => {
    expect(batchViolations([product(0)])).toEqual([]);
    expect(batchViolations(Array.from({ length: 1000 }, (_, n) => product(n)))).toEqual([]);
  });

  it.each([0, 1001])('refuses a batch of %d products', (size) => {
    expect(batchViolations(Array.from({ length: size }, (_, n) => product(n))).map((v) => v.field)).toEqual(['products']);
  });

  it('names each broken rule by the place of its product', () => {
    const batch = [
      product(0),
      product(1, { price: { amount: -1, currency: 'eur' } }),
      product(2),
      product(3, { name: '', attributes: { colour: { nested: true } as unknown as string } }),
    ];
    expect(batchViolations(batch).map((v) => v.field)).toEqual([
      'products[1].price.amount',
      'products[1].price.currency',
      'products[3].name',
      'products[3].attributes.colour',
    ]);
  });

  it('refuses a sku repeated within the batch, naming the repetition', () => {
    const batch = [product(0), product(1), product(2, { sku: 'SKU-0' })];
    expect(batchViolations(batch)).toEqual([{ field: 'products[2].sku', message: 'repeats the sku of products[0]' }]);
  });
});
