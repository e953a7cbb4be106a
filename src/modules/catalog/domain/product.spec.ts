import { Product, productRuleViolations, ProductDetails } from './product';
import { InvalidProductError, ProductVersionMismatchError } from './product.errors';

const ID = '0190c000-0000-7000-8000-000000000001';

function details(overrides: Partial<ProductDetails> = {}): ProductDetails {
  return {
    sku: 'TEE-BLK-M',
    name: 'Black T-shirt',
    description: 'Organic cotton',
    category: 'apparel',
    price: { amount: 1999, currency: 'EUR' },
    popularity: 10,
    attributes: { color: 'black', size: 'M' },
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
    it('starts active at version 1, with popularity 0 and no attributes unless given', () => {
      const { popularity, attributes, ...rest } = details();
      expect([popularity, attributes]).toEqual([10, { color: 'black', size: 'M' }]);
      expect(Product.create(ID, rest).toState()).toEqual({
        id: ID,
        status: 'active',
        version: 1,
        ...rest,
        popularity: 0,
        attributes: {},
      });
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
        status: 'active',
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
      expect(product.toState()).toEqual({ ...details(), id: ID, status: 'active', version: 1 });
    });

    it('does not share the price or attributes objects with the caller', () => {
      const price = { amount: 500, currency: 'EUR' };
      const attributes: Record<string, string | number | boolean> = { color: 'red' };
      const product = Product.create(ID, details({ price, attributes }));
      price.amount = -1;
      attributes.color = 'x'.repeat(501);
      expect(product.toState()).toMatchObject({ price: { amount: 500 }, attributes: { color: 'red' } });
      product.toState().attributes.color = 'blue';
      expect(product.toState().attributes.color).toBe('red');
    });

    it('replaces the attributes as a whole', () => {
      const product = Product.create(ID, details());
      product.change({ attributes: { material: 'linen' } });
      expect(product.toState().attributes).toEqual({ material: 'linen' });
    });

    it('keeps an archived product archived', () => {
      const product = Product.create(ID, details());
      product.archive();
      product.change({ name: 'Renamed' });
      expect(product.toState()).toMatchObject({ status: 'archived', version: 3 });
    });
  });

  describe('attribute rules', () => {
    it('accepts strings, finite numbers and booleans under up to 50 keys', () => {
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key_${i}`, i]));
      expect(fieldsBroken({ attributes: fifty })).toEqual([]);
      expect(fieldsBroken({ attributes: { a: 'x'.repeat(500), 'b-2': 1.5, C_3: false } })).toEqual([]);
    });

    it('refuses a 51st key', () => {
      const fiftyOne = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`key_${i}`, i]));
      expect(fieldsBroken({ attributes: fiftyOne })).toEqual(['attributes']);
    });

    it.each<[string, unknown]>([
      ['an object', { inner: 1 }],
      ['an array', [1, 2]],
      ['null', null],
      ['an infinite number', Number.POSITIVE_INFINITY],
      ['a string of 501 characters', 'x'.repeat(501)],
    ])('refuses a value that is %s, naming its key', (_, value) => {
      expect(fieldsBroken({ attributes: { color: value } as ProductDetails['attributes'] })).toEqual(['attributes.color']);
    });

    it.each(['', 'with space', 'dotted.key', 'k'.repeat(65)])('refuses the key %j', (key) => {
      expect(fieldsBroken({ attributes: { [key]: 'v' } })).toEqual(['attributes']);
    });

    it.each([[['a']], ['text'], [null]])('refuses attributes that are not an object: %j', (attributes) => {
      expect(fieldsBroken({ attributes: attributes as unknown as ProductDetails['attributes'] })).toEqual(['attributes']);
    });
  });

  describe('archive', () => {
    it('archives once, bumping the version; archiving again changes nothing', () => {
      const product = Product.create(ID, details());
      expect(product.archive()).toBe(true);
      expect(product.toState()).toMatchObject({ status: 'archived', version: 2 });
      expect(product.archive()).toBe(false);
      expect(product.toState()).toMatchObject({ status: 'archived', version: 2 });
    });
  });

  describe('assertVersion', () => {
    it('passes for the current version or none, and refuses any other', () => {
      const product = Product.create(ID, details());
      product.change({ name: 'Second' });
      expect(() => product.assertVersion(2)).not.toThrow();
      expect(() => product.assertVersion(undefined)).not.toThrow();
      expect(() => product.assertVersion(1)).toThrow(ProductVersionMismatchError);
      expect(() => product.assertVersion(3)).toThrow('product 0190c000-0000-7000-8000-000000000001 is at version 2, not 3');
    });
  });
});
