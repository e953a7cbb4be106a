import { Product, productRuleViolations, ProductDetails } from './product';
import { InvalidProductError } from './product.errors';

const ID = '0190c000-0000-7000-8000-000000000001';

function details(overrides: Partial<ProductDetails> = {}): ProductDetails {
  return {
    sku: 'TEE-BLK-M',
    name: 'Black T-shirt',
    description: 'Organic cotton',
    category: 'apparel',
    price: { amount: 1999, currency: 'EUR' },
    popularity: 10,
    ...overrides,
  };
}

function fieldsBroken(overrides: Partial<ProductDetails>): string[] {
  return productRuleViolations(details(overrides)).map((v) => v.field);
}

describe(Product.name, () => {
  describe('price rules', () => {
    it.each([0, 1, 1999, 1_000_000_000_000])('accepts an amount of %d minor units', (amount) => {
      expect(fieldsBroken({ price: { amount, currency: 'EUR' } })).toEqual([]);
    });

    it.each([-1, 19.99, 1_000_000_000_001, Number.NaN])('rejects an amount of %d', (amount) => {
      expect(fieldsBroken({ price: { amount, currency: 'EUR' } })).toEqual(['price.amount']);
    });

    it.each(['eur', 'EU', 'EURO', 'E1R', ''])('rejects the currency %j', (currency) => {
      expect(fieldsBroken({ price: { amount: 100, currency } })).toEqual(['price.currency']);
    });

    it('rejects a missing price', () => {
      expect(fieldsBroken({ price: null as unknown as ProductDetails['price'] })).toEqual(['price']);
    });
  });

  describe('sku rules', () => {
    it.each(['A', 'tee.blk_m-2', 'X'.repeat(64)])('accepts %j', (sku) => {
      expect(fieldsBroken({ sku })).toEqual([]);
    });

    it.each([
      ['empty', ''],
      ['65 characters long', 'X'.repeat(65)],
    ])('rejects a sku that is %s', (_, sku) => {
      expect(fieldsBroken({ sku })).toEqual(['sku']);
    });

    it.each(['TEE BLK', 'tee/blk', 'tée', 'sku#1'])('rejects %j', (sku) => {
      expect(fieldsBroken({ sku })).toEqual(['sku']);
    });
  });

  describe('text and popularity rules', () => {
    it('allows an empty description but not an empty name or category', () => {
      expect(fieldsBroken({ description: '', name: '', category: '' })).toEqual(['name', 'category']);
    });

    it('limits lengths', () => {
      expect(
        fieldsBroken({ name: 'n'.repeat(201), description: 'd'.repeat(5001), category: 'c'.repeat(101) }),
      ).toEqual(['name', 'description', 'category']);
      expect(fieldsBroken({ name: 'n'.repeat(200), description: 'd'.repeat(5000), category: 'c'.repeat(100) })).toEqual([]);
    });

    it.each([-1, 0.5, 1_000_000_001])('rejects a popularity of %d', (popularity) => {
      expect(fieldsBroken({ popularity })).toEqual(['popularity']);
    });
  });

  describe('create', () => {
    it('starts at version 1 with popularity 0 unless given', () => {
      const { popularity, ...rest } = details();
      expect(popularity).toBe(10);
      expect(Product.create(ID, rest).toState()).toEqual({ id: ID, version: 1, ...rest, popularity: 0 });
    });

    it('refuses details that break a rule, naming every broken field', () => {
      let caught: unknown;
      try {
        Product.create(ID, details({ sku: 'bad sku', price: { amount: -5, currency: 'EUR' } }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidProductError);
      expect((caught as InvalidProductError).violations.map((v) => v.field)).toEqual(['sku', 'price.amount']);
    });
  });

  describe('change', () => {
    it('applies the changes and bumps the version', () => {
      const product = Product.create(ID, details());
      product.change({ name: 'Jet black T-shirt', price: { amount: 2499, currency: 'EUR' } });
      expect(product.toState()).toEqual({
        ...details(),
        id: ID,
        version: 2,
        name: 'Jet black T-shirt',
        price: { amount: 2499, currency: 'EUR' },
      });
    });

    it('applies nothing when one change breaks a rule', () => {
      const product = Product.create(ID, details());
      expect(() => product.change({ name: 'Renamed', price: { amount: 100, currency: 'euro' } })).toThrow(
        InvalidProductError,
      );
      expect(product.toState()).toEqual({ ...details(), id: ID, version: 1 });
    });

    it('does not share the price object with the caller', () => {
      const price = { amount: 500, currency: 'EUR' };
      const product = Product.create(ID, details({ price }));
      price.amount = -1;
      expect(product.toState().price.amount).toBe(500);
    });
  });
});
