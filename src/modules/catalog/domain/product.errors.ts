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

  constructor(readonly skus: string[]) {
    super(
      skus.length === 1
        ? `a product with sku ${skus[0]} already exists`
        : `products with skus ${skus.join(', ')} already exist`,
    );
  }
}

export class ProductNotFoundError extends Error {
  readonly code = 'CATALOG.PRODUCT_NOT_FOUND';

  constructor(readonly productId: string) {
    super(`product ${productId} does not exist`);
  }
}

/** The product changed since the version the caller read: its edit would overwrite someone else's. */
export class ProductVersionMismatchError extends Error {
  readonly code = 'CATALOG.VERSION_MISMATCH';

  constructor(
    readonly productId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`product ${productId} is at version ${actual}, not ${expected}`);
  }
}
