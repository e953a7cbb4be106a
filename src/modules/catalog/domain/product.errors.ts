/** One broken product rule, named by the field it concerns. */
export interface ProductRuleViolation {
  field: string;
  message: string;
}

export class InvalidProductError extends Error {
  readonly code = 'CATALOG.PRODUCT_INVALID';

  constructor(readonly violations: ProductRuleViolation[]) {
    super(violations.map((v) => `${v.field} ${v.message}`).join('; '));
  }
}

export class DuplicateSkuError extends Error {
  readonly code = 'CATALOG.SKU_TAKEN';

  constructor(readonly sku: string) {
    super(`a product with sku ${sku} already exists`);
  }
}

export class ProductNotFoundError extends Error {
  readonly code = 'CATALOG.PRODUCT_NOT_FOUND';

  constructor(readonly productId: string) {
    super(`product ${productId} does not exist`);
  }
}
