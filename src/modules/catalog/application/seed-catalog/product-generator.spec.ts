import { newProductRuleViolations } from '../../domain/product';
import { ProductGenerator } from './product-generator';

describe(ProductGenerator.name, () => {
  const products = new ProductGenerator('RUN1', 42).next(5000);

  it('generates products that satisfy every product rule', () => {
    expect(products.flatMap((p) => newProductRuleViolations(p))).toEqual([]);
  });

  it('gives each product its own sku under the run prefix', () => {
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    expect(products.every((p) => p.sku.startsWith('RUN1-'))).toBe(true);
  });

  it('spreads products over many categories, prices and words', () => {
    expect(new Set(products.map((p) => p.category)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(products.map((p) => p.price.amount)).size).toBeGreaterThan(500);
    expect(new Set(products.map((p) => p.name.split(' ')[0])).size).toBeGreaterThan(30);
  });

  it('is deterministic for a seed and continues where it stopped', () => {
    const again = new ProductGenerator('RUN1', 42);
    expect([...again.next(2000), ...again.next(3000)]).toEqual(products);
    expect(new ProductGenerator('RUN1', 43).next(10)).not.toEqual(products.slice(0, 10));
  });
});
