import { ConflictException, NotFoundException, PreconditionFailedException } from '@nestjs/common';
import { InvalidInputException } from '../../../../libs/http';
import {
  DuplicateSkuError,
  InvalidProductError,
  ProductNotFoundError,
  ProductVersionMismatchError,
} from '../domain/product.errors';

/** Rethrows a catalog error as its HTTP error (409, 404, 400, 412); any other error unchanged. */
export function rethrowForHttp(error: unknown): never {
  if (error instanceof DuplicateSkuError) throw new ConflictException(error.message);
  if (error instanceof ProductNotFoundError) throw new NotFoundException(error.message);
  if (error instanceof InvalidProductError) throw new InvalidInputException(error.violations);
  if (error instanceof ProductVersionMismatchError) throw new PreconditionFailedException(error.message);
  throw error;
}

/** Like rethrowForHttp, with a taken sku named by its place in the bulk request (`products[3].sku`). */
export function rethrowBulkForHttp(skus: string[]): (error: unknown) => never {
  return (error) => {
    if (error instanceof DuplicateSkuError) {
      const taken = new Set(error.skus);
      const errors = skus.flatMap((sku, i) => (taken.has(sku) ? [{ field: `products[${i}].sku`, message: `${sku} is taken` }] : []));
      throw new ConflictException({ message: error.message, errors });
    }
    return rethrowForHttp(error);
  };
}
