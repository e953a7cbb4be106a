import { InvalidProductError, ProductRuleViolation } from './product.errors';

/** Integer minor units with an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

export const PRODUCT_RULES = {
  sku: { pattern: /^[A-Za-z0-9._-]+$/, maxLength: 64 },
  name: { maxLength: 200 },
  description: { maxLength: 5000 },
  category: { maxLength: 100 },
  price: { maxAmount: 1_000_000_000_000, currency: /^[A-Z]{3}$/ },
  popularity: { max: 1_000_000_000 },
} as const;

/** What a merchant edits. */
export interface ProductDetails {
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  /** Ranking signal for listings and search; higher is more popular. */
  popularity: number;
}

export interface ProductState extends ProductDetails {
  id: string;
  /** 1 on creation, +1 on every change; catalog events carry it. */
  version: number;
}

/** Returns whether the text was valid. */
function text(field: string, value: unknown, min: number, max: number, out: ProductRuleViolation[]): boolean {
  if (typeof value === 'string' && value.length >= min && value.length <= max) return true;
  out.push({ field, message: `must be a string of ${min} to ${max} characters` });
  return false;
}

function wholeNumber(field: string, value: unknown, max: number, out: ProductRuleViolation[]): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > max) {
    out.push({ field, message: `must be a whole number from 0 to ${max}` });
  }
}

/** Every rule the details break; empty when they are valid. */
export function productRuleViolations(details: ProductDetails): ProductRuleViolation[] {
  const out: ProductRuleViolation[] = [];
  const { sku, price } = details;
  if (text('sku', sku, 1, PRODUCT_RULES.sku.maxLength, out) && !PRODUCT_RULES.sku.pattern.test(sku)) {
    out.push({ field: 'sku', message: 'may contain only letters, digits, dots, underscores and hyphens' });
  }
  text('name', details.name, 1, PRODUCT_RULES.name.maxLength, out);
  text('description', details.description, 0, PRODUCT_RULES.description.maxLength, out);
  text('category', details.category, 1, PRODUCT_RULES.category.maxLength, out);
  if (typeof price !== 'object' || price === null) {
    out.push({ field: 'price', message: 'must be an amount and a currency' });
  } else {
    wholeNumber('price.amount', price.amount, PRODUCT_RULES.price.maxAmount, out);
    if (typeof price.currency !== 'string' || !PRODUCT_RULES.price.currency.test(price.currency)) {
      out.push({ field: 'price.currency', message: 'must be an ISO 4217 code of three capital letters' });
    }
  }
  wholeNumber('popularity', details.popularity, PRODUCT_RULES.popularity.max, out);
  return out;
}

function checked(details: ProductDetails): ProductDetails {
  const violations = productRuleViolations(details);
  if (violations.length > 0) throw new InvalidProductError(violations);
  return details;
}

/** A product for sale. Its details always satisfy the product rules. */
export class Product {
  private constructor(private state: ProductState) {}

  static create(id: string, details: Omit<ProductDetails, 'popularity'> & { popularity?: number }): Product {
    const price = details.price && { ...details.price };
    const valid = checked({ ...details, price, popularity: details.popularity ?? 0 });
    return new Product({ id, version: 1, ...valid });
  }

  static restore(state: ProductState): Product {
    return new Product({ ...state, price: { ...state.price } });
  }

  get version(): number {
    return this.state.version;
  }

  /** Applies the given changes all together, or none of them when one breaks a rule. */
  change(changes: Partial<ProductDetails>): void {
    const { id, version, ...current } = this.state;
    const merged = { ...current, ...changes };
    const next = checked({ ...merged, price: merged.price && { ...merged.price } });
    this.state = { id, version: version + 1, ...next };
  }

  toState(): ProductState {
    return { ...this.state, price: { ...this.state.price } };
  }
}
