import { InvalidProductError, ProductRuleViolation, ProductVersionMismatchError } from './product.errors';

/** Integer minor units with an ISO 4217 currency code. */
export interface Money {
  amount: number;
  currency: string;
}

/** Free key/values a merchant attaches to a product (colour, size, wireless…). */
export type ProductAttributes = Record<string, string | number | boolean>;

export const PRODUCT_STATUSES = ['active', 'archived'] as const;
/** Archived products stay readable by id but are no longer offered. */
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const PRODUCT_RULES = {
  sku: { pattern: /^[A-Za-z0-9._-]+$/, maxLength: 64 },
  name: { maxLength: 200 },
  description: { maxLength: 5000 },
  category: { maxLength: 100 },
  price: { maxAmount: 1_000_000_000_000, currency: /^[A-Z]{3}$/ },
  popularity: { max: 1_000_000_000 },
  attributes: { maxKeys: 50, key: /^[A-Za-z0-9_-]{1,64}$/, maxTextLength: 500 },
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
  attributes: ProductAttributes;
}

/** The details of a new product; popularity defaults to 0 and attributes to none. */
export type NewProductDetails = Omit<ProductDetails, 'popularity' | 'attributes'> &
  Partial<Pick<ProductDetails, 'popularity' | 'attributes'>>;

export interface ProductState extends ProductDetails {
  id: string;
  status: ProductStatus;
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

function attributeRules(attributes: unknown, out: ProductRuleViolation[]): void {
  const rules = PRODUCT_RULES.attributes;
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    out.push({ field: 'attributes', message: 'must be an object of keys to strings, numbers or booleans' });
    return;
  }
  const entries = Object.entries(attributes);
  if (entries.length > rules.maxKeys) {
    out.push({ field: 'attributes', message: `may have at most ${rules.maxKeys} keys (has ${entries.length})` });
  }
  for (const [key, value] of entries) {
    if (!rules.key.test(key)) {
      out.push({
        field: 'attributes',
        message: `key ${JSON.stringify(key)} must be 1 to 64 letters, digits, underscores or hyphens`,
      });
    } else if (typeof value === 'string' ? value.length > rules.maxTextLength : !isScalar(value)) {
      out.push({
        field: `attributes.${key}`,
        message: `must be a string of at most ${rules.maxTextLength} characters, a finite number or a boolean`,
      });
    }
  }
}

function isScalar(value: unknown): boolean {
  return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
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
  attributeRules(details.attributes, out);
  return out;
}

function withDefaults(details: NewProductDetails): ProductDetails {
  return { ...details, popularity: details.popularity ?? 0, attributes: details.attributes ?? {} };
}

/** The rules the details of a new product break; empty when it can be created. */
export function newProductRuleViolations(details: NewProductDetails): ProductRuleViolation[] {
  return productRuleViolations(withDefaults(details));
}

/** Copies the nested objects, so a product never shares them with its caller. */
function detached<T extends Partial<ProductDetails>>(details: T): T {
  return {
    ...details,
    ...(details.price && { price: { ...details.price } }),
    ...(details.attributes && { attributes: { ...details.attributes } }),
  };
}

function checked(details: ProductDetails): ProductDetails {
  const violations = productRuleViolations(details);
  if (violations.length > 0) throw new InvalidProductError(violations);
  return details;
}

/** A product for sale. Its details always satisfy the product rules. */
export class Product {
  private constructor(private state: ProductState) {}

  static create(id: string, details: NewProductDetails): Product {
    const valid = checked(detached(withDefaults(details)));
    return new Product({ id, status: 'active', version: 1, ...valid });
  }

  static restore(state: ProductState): Product {
    const { id, status, version, sku, name, description, category, price, popularity, attributes } = state;
    return new Product(detached({ id, status, version, sku, name, description, category, price, popularity, attributes }));
  }

  get id(): string {
    return this.state.id;
  }

  get version(): number {
    return this.state.version;
  }

  /** Optimistic concurrency: the caller edited what it read at `expected`; nobody may have changed it since. */
  assertVersion(expected: number | undefined): void {
    if (expected !== undefined && expected !== this.state.version) {
      throw new ProductVersionMismatchError(this.state.id, expected, this.state.version);
    }
  }

  /** Applies the given changes all together, or none of them when one breaks a rule. */
  change(changes: Partial<ProductDetails>): void {
    const { id, status, version, ...current } = this.state;
    const next = checked(detached({ ...current, ...changes }));
    this.state = { id, status, version: version + 1, ...next };
  }

  /** Withdraws the product from sale; false when it already was (nothing changes then). */
  archive(): boolean {
    if (this.state.status === 'archived') return false;
    this.state = { ...this.state, status: 'archived', version: this.state.version + 1 };
    return true;
  }

  toState(): ProductState {
    return detached(this.state);
  }
}
